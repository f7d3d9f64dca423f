import { type NativeFn, compiledLibrary } from "../../core/task_api.js";
import { type Struct, ThriftReader, num, struct } from "./thrift_compact.js";
import { UNCOMPRESSED, canDecompress, decompressInto } from "./page_codecs.js";
import type { ChunkPlan } from "./parquet_layout.js";
import { readInto } from "../read_at.js";

/**
 * The direct reader: one column chunk of a fixed-width column, page by page from the file into
 * the rows of an array's store. A PLAIN page's values are the array's own bytes, so an
 * uncompressed page is one positioned read into the store and a compressed one is decompressed
 * into it; dictionary-encoded pages are gathered from their dictionary. Reading through
 * WebAssembly instead copies every byte four times (file, WebAssembly memory, Arrow buffer,
 * store), which bounds it by memory bandwidth, not by the cores.
 *
 * Anything else (nulls, other encodings, a codec whose library is missing, a damaged page)
 * gives up on the chunk, and the caller decodes it with parquet-wasm, which also reports what
 * is wrong with a damaged file.
 */

/** PageType. */
const DATA_PAGE = 0,
  INDEX_PAGE = 1,
  DICTIONARY_PAGE = 2,
  DATA_PAGE_V2 = 3;
/** Encoding. */
const PLAIN = 0,
  PLAIN_DICTIONARY = 2,
  RLE = 3,
  RLE_DICTIONARY = 8;
/** Bytes read at a page's start for its header (a fixed-width column's statistics are small); more when it is longer. */
const HEAD = 256;
/** Dictionary indices wider than this are not unpacked in JavaScript (a dictionary of 16M values). */
const MAX_INDEX_BITS = 24;

/** The compiled dictionary gather (include/tessera/parquet.h): about 3x the JavaScript loop's speed. */
const GATHER = "int parquet_gather(const uint8_t *b, int64_t len, int width, const uint8_t *dict, int64_t size, int w, uint8_t *out, int64_t n)";
const SOURCE = `${GATHER} { return tparquet_gather(b, len, width, dict, size, w, out, n); }`;
let compiledGather: NativeFn | null | undefined;
function gatherC(): NativeFn | null {
  if (compiledGather === undefined) compiledGather = compiledLibrary("tessera/parquet.h", SOURCE, GATHER)?.func(GATHER) ?? null;
  return compiledGather;
}

class GiveUp extends Error {}
function giveUp(): never {
  throw new GiveUp();
}

/** This thread's scratch buffers, grown on demand to the largest page seen. */
let head = new Uint8Array(HEAD);
let packed = new Uint8Array(0);
let unpacked = new Uint8Array(0);

/**
 * Read the chunk `plan` into `out` (its rows' bytes in the store). Returns false, having
 * perhaps written part of `out`, where the chunk must be decoded by the full reader.
 */
export function readChunk(fd: number, plan: ChunkPlan, out: Uint8Array): boolean {
  if (!canDecompress(plan.codec)) return false;
  try {
    walk(fd, plan, out);
    return true;
  } catch {
    // GiveUp, or whatever damaged bytes led to: the full reader decides what the file holds.
    return false;
  }
}

function walk(fd: number, plan: ChunkPlan, out: Uint8Array): void {
  const { itemsize: w, rows, codec } = plan;
  if (out.length !== rows * w) giveUp();
  const end = plan.start + plan.size;
  // No page of these rows decompresses to more than their values and levels: a damaged
  // header claiming more gives up before anything is allocated for it.
  const most = out.length + (rows >> 2) + 4096;
  let pos = plan.start,
    row = 0;
  let dict: Uint8Array | null = null;
  while (pos < end) {
    const { header, body, near } = pageHeader(fd, pos, end);
    const type = num(header, 1),
      usize = num(header, 2),
      csize = num(header, 3);
    if (!(csize >= 0 && usize >= 0 && usize <= most) || body + csize > end) giveUp();
    pos = body + csize;
    if (type === INDEX_PAGE) continue;
    if (type === DICTIONARY_PAGE) {
      const h = struct(header, 7);
      const n = num(h, 1),
        enc = num(h, 2, PLAIN);
      if (dict || !(n >= 0) || (enc !== PLAIN && enc !== PLAIN_DICTIONARY)) giveUp();
      const bytes = pageBytes(fd, body, csize, usize, codec, near);
      if (bytes.length < n * w) giveUp();
      dict = bytes.slice(0, n * w);
      continue;
    }
    const v2 = type === DATA_PAGE_V2;
    if (!v2 && type !== DATA_PAGE) giveUp();
    const h = struct(header, v2 ? 8 : 5);
    const n = num(h, 1),
      enc = num(h, v2 ? 4 : 2);
    if (!(n >= 0) || row + n > rows) giveUp();
    const dst = out.subarray(row * w, (row + n) * w);
    if (v2) {
      // Levels first, never compressed: no nulls leaves nothing in them to check, and a
      // top-level column has no repetition levels.
      const levels = num(h, 5, 0);
      if (num(h, 2) !== 0 || num(h, 6, 0) !== 0 || !(levels >= 0 && levels <= csize && levels <= usize)) giveUp();
      const compressed = h?.get(7) !== false ? codec : UNCOMPRESSED;
      values(fd, body + levels, csize - levels, usize - levels, compressed, near.subarray(Math.min(levels, near.length)), enc, dst, dict, w);
    } else if (plan.optional) {
      // A nullable column's V1 page: RLE definition levels (length first), then the values,
      // compressed together. All present, or the full reader handles the nulls.
      if (num(h, 3) !== RLE) giveUp();
      const bytes = pageBytes(fd, body, csize, usize, codec, near);
      const len = bytes.length >= 4 ? bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24) : -1;
      if (!(len >= 0 && 4 + len <= bytes.length) || !allPresent(bytes.subarray(4, 4 + len), n)) giveUp();
      decode(bytes.subarray(4 + len), enc, dst, dict, w);
    } else values(fd, body, csize, usize, codec, near, enc, dst, dict, w);
    row += n;
  }
  if (row !== rows) giveUp();
}

/** The page header at `pos`, where its body starts, and the body's first bytes as read with it. */
function pageHeader(fd: number, pos: number, end: number): { header: Struct; body: number; near: Uint8Array } {
  for (let want = HEAD; ; want *= 16) {
    const len = Math.min(want, end - pos);
    if (head.length < len) head = new Uint8Array(len);
    const bytes = head.subarray(0, len);
    readAt(fd, bytes, pos);
    const r = new ThriftReader(bytes);
    try {
      const header = r.struct();
      return { header, body: pos + r.pos, near: bytes.subarray(r.pos) };
    } catch (e) {
      if (!(e instanceof RangeError) || len === end - pos || want >= 1 << 20) giveUp();
    }
  }
}

/** A page's values region: PLAIN values read or decompressed straight into `dst`, others decoded. */
function values(
  fd: number,
  at: number,
  csize: number,
  usize: number,
  codec: number,
  near: Uint8Array,
  enc: number,
  dst: Uint8Array,
  dict: Uint8Array | null,
  w: number,
): void {
  if (enc !== PLAIN) return decode(pageBytes(fd, at, csize, usize, codec, near), enc, dst, dict, w);
  if (usize !== dst.length) giveUp();
  if (codec === UNCOMPRESSED) {
    if (csize !== usize) giveUp();
    readAt(fd, dst, at);
  } else if (!decompressInto(codec, bodyBytes(fd, at, csize, near), dst)) giveUp();
}

/** Values of `enc` from `bytes` into `dst`: PLAIN copied, dictionary indices gathered. */
function decode(bytes: Uint8Array, enc: number, dst: Uint8Array, dict: Uint8Array | null, w: number): void {
  if (enc === PLAIN) {
    if (bytes.length < dst.length) giveUp();
    dst.set(bytes.subarray(0, dst.length));
  } else if ((enc === PLAIN_DICTIONARY || enc === RLE_DICTIONARY) && dict) {
    if (dst.length > 0) gather(bytes, dict, dst, w);
  } else giveUp();
}

/**
 * A dictionary-encoded page: the index bit width (one byte), then the indices RLE/bit-packed
 * (see runHeader), each replaced by its dictionary value as it is unpacked. Values move as 32-bit
 * words: a float64 through a Float64Array could lose a NaN's payload.
 */
function gather(bytes: Uint8Array, dict: Uint8Array, dst: Uint8Array, w: number): void {
  const width = bytes.length ? bytes[0] : -1;
  const n = dst.length / w,
    size = dict.length / w;
  const c = gatherC();
  if (c) {
    if (c(bytes.subarray(1), bytes.length - 1, width, dict, size, w, dst, n) !== 0) giveUp();
    return;
  }
  if (!(width >= 0 && width <= MAX_INDEX_BITS)) giveUp();
  const words = w / 4;
  const d = new Uint32Array(dict.buffer, dict.byteOffset, dict.length / 4);
  const o = new Uint32Array(dst.buffer, dst.byteOffset, dst.length / 4);
  const mask = 2 ** width - 1;
  // The last index that can be read as one 32-bit little-endian word.
  const wordEnd = bytes.length - 4;
  let at = 1,
    i = 0;
  while (i < n) {
    const run = runHeader(bytes, at);
    at = run.at;
    const m = Math.min(n, i + run.count);
    if (!run.packed) {
      let v = 0;
      for (let k = 0; k < (width + 7) >> 3; k++) v |= (at < bytes.length ? bytes[at++] : giveUp()) << (8 * k);
      if (v >= size) giveUp();
      if (words === 1) o.fill(d[v], i, m);
      else
        for (let k = i; k < m; k++) {
          o[2 * k] = d[2 * v];
          o[2 * k + 1] = d[2 * v + 1];
        }
    } else {
      const end = at + (run.count * width) / 8;
      if (end > bytes.length) giveUp();
      for (let k = i, bit = at * 8; k < m; k++, bit += width) {
        const p = bit >>> 3;
        const word =
          p <= wordEnd
            ? bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)
            : bytes[p] | ((bytes[p + 1] ?? 0) << 8) | ((bytes[p + 2] ?? 0) << 16);
        const j = (word >>> (bit & 7)) & mask;
        if (j >= size) giveUp();
        if (words === 1) o[k] = d[j];
        else {
          o[2 * k] = d[2 * j];
          o[2 * k + 1] = d[2 * j + 1];
        }
      }
      at = end;
    }
    i += run.count;
  }
}

/** A hybrid run's header at `at`: its value count, whether it is bit-packed, where its data starts. */
function runHeader(bytes: Uint8Array, at: number): { count: number; packed: boolean; at: number } {
  let h = 0,
    scale = 1,
    b: number;
  do {
    if (at >= bytes.length || scale > 2 ** 35) giveUp();
    b = bytes[at++];
    h += (b & 127) * scale;
    scale *= 128;
  } while (b >= 128);
  const packed = h % 2 === 1;
  const count = packed ? ((h - 1) / 2) * 8 : h / 2;
  if (count === 0) giveUp();
  return { count, packed, at };
}

/** Whether width-1 definition levels (RLE/bit-packed hybrid) say all `n` values are present. */
function allPresent(levels: Uint8Array, n: number): boolean {
  let at = 0,
    i = 0;
  while (i < n) {
    const run = runHeader(levels, at);
    at = run.at;
    const m = Math.min(n - i, run.count);
    if (!run.packed) {
      if (at >= levels.length || levels[at++] !== 1) return false;
    } else {
      // Packed least significant bit first: whole bytes of ones, then the last byte's low bits.
      if (at + run.count / 8 > levels.length) giveUp();
      for (let k = 0; k < m; k += 8) {
        const want = m - k >= 8 ? 0xff : (1 << (m - k)) - 1;
        if ((levels[at + k / 8] & want) !== want) return false;
      }
      at += run.count / 8;
    }
    i += run.count;
  }
  return true;
}

/** Bytes [at, at + csize) of the file: from what was read with the header when it holds them. */
function bodyBytes(fd: number, at: number, csize: number, near: Uint8Array): Uint8Array {
  if (near.length >= csize) return near.subarray(0, csize);
  if (packed.length < csize) packed = new Uint8Array(csize);
  const b = packed.subarray(0, csize);
  readAt(fd, b, at);
  return b;
}

/** A page body, decompressed. */
function pageBytes(fd: number, at: number, csize: number, usize: number, codec: number, near: Uint8Array): Uint8Array {
  const src = bodyBytes(fd, at, csize, near);
  if (codec === UNCOMPRESSED) {
    if (csize !== usize) giveUp();
    return src;
  }
  if (unpacked.length < usize) unpacked = new Uint8Array(usize);
  const dst = unpacked.subarray(0, usize);
  if (!decompressInto(codec, src, dst)) giveUp();
  return dst;
}

/** Fill `into` from the file at `pos`, or give up where the file ends first. */
function readAt(fd: number, into: Uint8Array, pos: number): void {
  if (readInto(fd, into, pos) < into.length) giveUp();
}
