import { closeSync, fstatSync, openSync } from "node:fs";
import { readInto } from "../read_at.js";

/**
 * A file as the Blob parquet-wasm reads ranges from (`size`, `slice`, `arrayBuffer`). Node's
 * own file-backed Blob (fs.openAsBlob) streams its bytes in small pieces, about 7x slower than
 * one positioned read per range, which is what this does.
 *
 * The reader copies each range into WebAssembly memory as soon as it arrives, so a range's
 * buffer is dead once the read that asked for it has finished. `recycle()` says so, and later
 * ranges are read into those buffers again (resized in place) instead of into fresh ones: a
 * fresh 32 MB buffer costs ~17 ms of page faults, a reused one ~2 ms to fill.
 */
export interface FileBlob {
  readonly size: number;
  slice(start?: number, end?: number): FileBlob;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** Every buffer handed out so far is no longer read: later ranges may reuse it. */
  recycle(): void;
  /** Close the file (every slice shares it). */
  close(): void;
}

/** An ArrayBuffer that can change its length in place (ES2024; the library's TS settings are ES2022). */
interface ResizableBuffer extends ArrayBuffer {
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
const Resizable = ArrayBuffer as unknown as new (byteLength: number, opts: { maxByteLength: number }) => ResizableBuffer;

export function openFileBlob(path: string): FileBlob {
  const fd = openSync(path, "r");
  const size = fstatSync(fd).size;
  const lent: ResizableBuffer[] = [];
  const free: ResizableBuffer[] = [];
  /** The smallest free buffer that can hold n bytes, resized to n (a new one if none can). */
  const buffer = (n: number): ResizableBuffer => {
    let best = -1;
    for (let i = 0; i < free.length; i++) if (free[i].maxByteLength >= n && (best < 0 || free[i].maxByteLength < free[best].maxByteLength)) best = i;
    // Room to grow by a quarter: compressed ranges of similar row groups differ a little.
    const b = best < 0 ? new Resizable(n, { maxByteLength: n + (n >> 2) }) : free.splice(best, 1)[0];
    b.resize(n);
    lent.push(b);
    return b;
  };
  const part = (start: number, end: number): FileBlob => ({
    size: end - start,
    slice: (s = 0, e = end - start) => part(start + clamp(s, end - start), start + clamp(e, end - start)),
    arrayBuffer: async () => {
      const b = buffer(end - start);
      if (readInto(fd, new Uint8Array(b, 0, end - start), start) < end - start) throw new Error(`${path}: unexpected end of file`);
      return b;
    },
    recycle: () => {
      free.push(...lent);
      lent.length = 0;
    },
    close: () => closeSync(fd),
  });
  return part(0, size);
}

/** Blob.slice's bounds: negative counts from the end, then clamped to [0, size]. */
function clamp(i: number, size: number): number {
  return Math.min(size, Math.max(0, i < 0 ? size + i : i));
}
