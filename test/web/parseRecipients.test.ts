import { describe, expect, test } from "vitest";

import { parseRecipients } from "../../web/src/issuer/parseRecipients.js";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

describe("parseRecipients (airdrop lists)", () => {
  test("reads one address per line, skipping blanks and a header row", () => {
    expect(parseRecipients(`address\n${A}\n\n${B}\n`)).toEqual({ recipients: [A, B], problems: [] });
  });

  test("takes the first cell of CSV rows, with quotes, semicolons or tabs", () => {
    expect(parseRecipients(`"${A}",alice\n${B};bob\n${A}\t3`).recipients).toEqual([A, B, A]);
  });

  test("names each bad row by its line number", () => {
    const parsed = parseRecipients(`${A}\n0x123\nnot an address\n0x${"0".repeat(40)}`);
    expect(parsed.recipients).toEqual([A]);
    expect(parsed.problems).toEqual([
      { row: 2, value: "0x123", reason: "notAnAddress" },
      { row: 3, value: "not an address", reason: "notAnAddress" },
      { row: 4, value: `0x${"0".repeat(40)}`, reason: "zeroAddress" },
    ]);
  });

  test("a first row that is not a header is checked like any other", () => {
    expect(parseRecipients("0xnope\n").problems).toEqual([{ row: 1, value: "0xnope", reason: "notAnAddress" }]);
  });
});
