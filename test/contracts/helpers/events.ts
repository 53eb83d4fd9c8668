import type { Abi, Address, ContractEventName, Log, TransactionReceipt } from "viem";
import { isAddressEqual, parseEventLogs } from "viem";

function logsFrom(receipt: TransactionReceipt, address: Address | undefined): Log[] {
  return address === undefined ? receipt.logs : receipt.logs.filter((log) => isAddressEqual(log.address, address));
}

/** The decoded arguments of every `eventName` log in `receipt` (only those emitted by `address`, if given), in order. */
export function eventArgs<const abi extends Abi, eventName extends ContractEventName<abi>>(
  receipt: TransactionReceipt,
  abi: abi,
  eventName: eventName,
  address?: Address,
) {
  return parseEventLogs({ abi, eventName, logs: logsFrom(receipt, address) }).map((log) => log.args);
}

/** The names of the events in `receipt` that `abi` knows, in emission order. */
export function eventNames(receipt: TransactionReceipt, abi: Abi, address?: Address): string[] {
  return parseEventLogs({ abi, logs: logsFrom(receipt, address) }).map((log) => log.eventName);
}
