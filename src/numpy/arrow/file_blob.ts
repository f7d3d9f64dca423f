import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/**
 * A file as the Blob parquet-wasm reads ranges from (`size`, `slice`, `arrayBuffer`). Node's
 * own file-backed Blob (fs.openAsBlob) streams its bytes in small pieces, about 7x slower than
 * one positioned read per range, which is what this does.
 */
export interface FileBlob {
  readonly size: number;
  slice(start?: number, end?: number): FileBlob;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** Close the file (every slice shares it). */
  close(): void;
}

export function openFileBlob(path: string): FileBlob {
  const fd = openSync(path, "r");
  const size = fstatSync(fd).size;
  const part = (start: number, end: number): FileBlob => ({
    size: end - start,
    slice: (s = 0, e = end - start) => part(start + clamp(s, end - start), start + clamp(e, end - start)),
    arrayBuffer: async () => {
      const bytes = new Uint8Array(end - start);
      for (let at = 0; at < bytes.length; ) {
        const n = readSync(fd, bytes, at, bytes.length - at, start + at);
        if (n === 0) throw new Error(`${path}: unexpected end of file`);
        at += n;
      }
      return bytes.buffer;
    },
    close: () => closeSync(fd),
  });
  return part(0, size);
}

/** Blob.slice's bounds: negative counts from the end, then clamped to [0, size]. */
function clamp(i: number, size: number): number {
  return Math.min(size, Math.max(0, i < 0 ? size + i : i));
}
