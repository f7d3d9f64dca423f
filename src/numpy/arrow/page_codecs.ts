import { type NativeFn, ffiAvailable, openFirst } from "../../core/task_api.js";

/**
 * Parquet page codecs through the system's own libraries (libsnappy, libzstd, liblz4, over
 * koffi), decompressing straight into the memory the caller names: an array's store when
 * the page holds nothing but its values. A codec whose library is not installed (or no FFI,
 * as in the browser) is reported as missing and the page is read by parquet-wasm instead.
 */

/** Parquet's CompressionCodec numbers. */
export const UNCOMPRESSED = 0,
  SNAPPY = 1,
  ZSTD = 6,
  LZ4_RAW = 7;

type Decompress = (src: Uint8Array, dst: Uint8Array) => boolean;

function snappy(): Decompress | null {
  return openFirst(["libsnappy.so.1", "libsnappy.so", "libsnappy.dylib"], (lib) => {
    const f: NativeFn = lib.func("int snappy_uncompress(const uint8_t *, size_t, uint8_t *, _Inout_ size_t *)");
    return (src, dst) => {
      const n = [dst.length];
      return f(src, src.length, dst, n) === 0 && n[0] === dst.length;
    };
  });
}

function zstd(): Decompress | null {
  return openFirst(["libzstd.so.1", "libzstd.so", "libzstd.dylib"], (lib) => {
    const f: NativeFn = lib.func("size_t ZSTD_decompress(uint8_t *, size_t, const uint8_t *, size_t)");
    const isError: NativeFn = lib.func("unsigned int ZSTD_isError(size_t)");
    return (src, dst) => {
      const n = f(dst, dst.length, src, src.length);
      return !isError(n) && Number(n) === dst.length;
    };
  });
}

function lz4Raw(): Decompress | null {
  return openFirst(["liblz4.so.1", "liblz4.so", "liblz4.dylib"], (lib) => {
    const f: NativeFn = lib.func("int LZ4_decompress_safe(const uint8_t *, uint8_t *, int, int)");
    return (src, dst) => src.length < 2 ** 31 && dst.length < 2 ** 31 && f(src, dst, src.length, dst.length) === dst.length;
  });
}

const loaders: Record<number, () => Decompress | null> = { [SNAPPY]: snappy, [ZSTD]: zstd, [LZ4_RAW]: lz4Raw };
const loaded = new Map<number, Decompress | null>();

/** The codec's decompressor on this thread, or null when it is not available here. */
function decompressor(codec: number): Decompress | null {
  if (!loaded.has(codec)) loaded.set(codec, ffiAvailable() && loaders[codec] ? loaders[codec]() : null);
  return loaded.get(codec) ?? null;
}

/** Whether pages of this codec can be read here (uncompressed always can). */
export function canDecompress(codec: number): boolean {
  return codec === UNCOMPRESSED || decompressor(codec) !== null;
}

/** Decompress a page into exactly `dst` (its length is the page's uncompressed size): false when the bytes do not. */
export function decompressInto(codec: number, src: Uint8Array, dst: Uint8Array): boolean {
  const f = decompressor(codec);
  return f !== null && f(src, dst);
}
