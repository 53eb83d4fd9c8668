/** Yields `bytes` in uneven slices that straddle chunk boundaries, as a network stream would deliver them. */
export function* unevenSlices(bytes: Uint8Array): Generator<Uint8Array> {
  let offset = 0;
  let step = 1;
  while (offset < bytes.byteLength) {
    const next = Math.min(bytes.byteLength, offset + step * 65_521);
    yield bytes.subarray(offset, next);
    offset = next;
    step = (step % 7) + 1;
  }
}
