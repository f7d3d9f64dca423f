import { readSync } from "node:fs";

/**
 * Positioned reads that fill a buffer: `readSync` may return fewer bytes than asked (and
 * returns 0 at the end of the file), so every reader of a byte range loops the same way.
 * Loaded by the Parquet decode threads too, so it imports nothing else.
 */

/** Fill `dst` from `fd` at `pos` as far as the file goes; the count read (short only at the end of the file). */
export function readInto(fd: number, dst: Uint8Array, pos: number): number {
  let got = 0;
  while (got < dst.length) {
    const n = readSync(fd, dst, got, dst.length - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** Up to `len` bytes of `fd` at `pos` (fewer at the end of the file). */
export function readAt(fd: number, pos: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  const got = readInto(fd, out, pos);
  return got === len ? out : out.subarray(0, got);
}
