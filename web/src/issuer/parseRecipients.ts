/** One row of an airdrop list that is not a usable address. */
export interface RecipientProblem {
  /** 1-based line number in the pasted text or file. */
  row: number;
  value: string;
  reason: "notAnAddress" | "zeroAddress";
}

export interface ParseRecipientsReturnType {
  recipients: string[];
  problems: RecipientProblem[];
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const ZERO = /^0x0{40}$/;

/**
 * Reads an airdrop list: one address per line, pasted or from a CSV (the first cell of each row;
 * commas, semicolons or tabs separate cells; quotes are stripped). Blank lines and a first-row header
 * naming "address" are skipped. Every other row is an address or a problem naming its row.
 */
export function parseRecipients(text: string): ParseRecipientsReturnType {
  const recipients: string[] = [];
  const problems: RecipientProblem[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  lines.forEach((line, index) => {
    const row = index + 1;
    const cell = (line.split(/[,;\t]/)[0] ?? "").trim().replace(/^["']|["']$/g, "").trim();
    if (cell === "") return;
    if (row === 1 && /address|wallet|地址/i.test(cell) && !ADDRESS.test(cell)) return;
    if (!ADDRESS.test(cell)) problems.push({ row, value: cell, reason: "notAnAddress" });
    else if (ZERO.test(cell)) problems.push({ row, value: cell, reason: "zeroAddress" });
    else recipients.push(cell);
  });
  return { recipients, problems };
}
