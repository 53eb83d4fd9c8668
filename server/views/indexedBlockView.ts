/** How fresh an answer is: the last indexed block, and up to which block the index is final. */
export interface IndexedBlockView {
  number: number;
  hash: string;
  timestamp: number;
  /** The newest block with CONFIRMATIONS confirmations (itself included) at the indexed block: final. */
  finalizedBlock: number;
  /** The error code indexing halted with (answers may then be stale), or null while it runs. */
  haltedCode: string | null;
}
