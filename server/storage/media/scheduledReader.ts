/**
 * Collects bytes at offsets chosen while a stream goes by, so container formats (PNG chunks, MP4
 * boxes, EBML elements, GLB chunks) can be walked without holding the stream: each callback reads a
 * header and schedules the next one.
 */
export class ScheduledReader {
  private positionBytes = 0;
  private wanted: { offset: number; length: number; parts: Uint8Array[]; received: number; onBytes: (bytes: Uint8Array) => void } | undefined;

  /** Ask for `length` bytes starting at absolute `offset`; replaces any earlier request. */
  expect(offset: number, length: number, onBytes: (bytes: Uint8Array) => void): void {
    this.wanted = { offset, length, parts: [], received: 0, onBytes };
  }

  /** The absolute offset still awaited, if a request is pending. */
  get awaitingOffset(): number | undefined {
    return this.wanted === undefined ? undefined : this.wanted.offset;
  }

  get bytesSeen(): number {
    return this.positionBytes;
  }

  feed(chunk: Uint8Array): void {
    const chunkStart = this.positionBytes;
    const chunkEnd = chunkStart + chunk.byteLength;
    this.positionBytes = chunkEnd;
    while (this.wanted !== undefined) {
      const wanted = this.wanted;
      const from = wanted.offset + wanted.received;
      if (from >= chunkEnd) break;
      // Only the current chunk is at hand: a request for bytes before it can never be met.
      if (from < chunkStart) throw new RangeError(`offset ${from} already streamed past`);
      const take = Math.min(wanted.length - wanted.received, chunkEnd - from);
      // slice, not subarray: the caller may reuse its buffer after feed returns.
      wanted.parts.push(chunk.slice(from - chunkStart, from - chunkStart + take));
      wanted.received += take;
      if (wanted.received < wanted.length) break;
      this.wanted = undefined;
      wanted.onBytes(wanted.parts.length === 1 ? wanted.parts[0]! : Buffer.concat(wanted.parts));
    }
  }
}
