import type { PhysicalStore, TaskContext } from "../../../core/task_api.js";
import { copyRows, nonzeroBytes } from "./compiled.js";

/**
 * CPU variants for advanced indexing: gather (a[idx]), scatter (a[idx] = v) and nonzero.
 * Side-effect free: worker threads import it through tasks/index.ts.
 *
 * Layout shared by gather and scatter: the indexed array `src` is a view whose first k
 * dims are the indexed ("fancy") dims and whose other m dims are the kept ones; the
 * dense side (`out` for gather, the values for scatter) has shape (B..., kept...) where B
 * is the broadcast shape of the index arrays; each of the k index arrays is a view of that
 * same shape (stride 0 along the kept dims). Indices are in bounds (checked before the
 * launch) and may be negative.
 */

type CopyLoop = (
  dd: unknown,
  id: unknown,
  ix: readonly unknown[],
  cur: number[],
  walkers: readonly (readonly number[])[],
  step: readonly number[],
  sizes: readonly number[],
  istr: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  n: number,
) => void;

const loops = new Map<string, CopyLoop>();
const is64 = (dtype: string) => dtype === "int64" || dtype === "uint64";

/**
 * A copy loop specialised (generated once per signature, like the runtime's JS kernels) for
 * the element width, the index dtypes and the direction, so that every array access in the
 * hot loop sees one typed-array type. Elements are copied as raw words (bit-exact, no
 * BigInt or NaN handling); 64-bit indices are read as two 32-bit words (they are in bounds,
 * so below 2^53). Walkers: 0 the dense side, 1 the kept part of the indexed side, 2.. the
 * index arrays; `cur` holds their offsets at the block's first element.
 */
function copyLoop(words: number, idxDtypes: readonly string[], toIndexed: boolean): CopyLoop {
  const key = `${words}|${idxDtypes.join(",")}|${toIndexed}`;
  let f = loops.get(key);
  if (f) return f;
  const k = idxDtypes.length,
    js = Array.from({ length: k }, (_, j) => j);
  const read = (j: number) => (is64(idxDtypes[j]) ? `I${j}[2 * q${j} + 1] * 4294967296 + (I${j}[2 * q${j}] >>> 0)` : `I${j}[q${j}]`);
  const [to, from] = toIndexed ? ["id", "dd"] : ["dd", "id"];
  const [ti, fi] = toIndexed ? ["s", "e"] : ["e", "s"];
  const copy =
    words === 1
      ? `${to}[${ti}] = ${from}[${fi}];`
      : Array.from({ length: words }, (_, w) => `${to}[${words} * ${ti} + ${w}] = ${from}[${words} * ${fi} + ${w}];`).join(" ");
  // s += (index j, wrapped) · its stride, for every index array
  const lookup = js.map((j) => `    { let v = ${read(j)}; if (v < 0) v += z${j}; s += v * t${j}; }`).join("\n");
  const src = `
${js.map((j) => `const I${j} = ix[${j}], z${j} = sizes[${j}], t${j} = istr[${j}], sq${j} = step[${j + 2}];`).join("\n")}
const se = step[0], sr = step[1], nd = lo.length, last = nd - 1, W = cur.length, p = lo.slice();
const rowWise = ${js.length ? js.map((j) => `sq${j} === 0`).join(" && ") : "false"};
for (;;) {
  let e = cur[0], r = cur[1]${js.map((j) => `, q${j} = cur[${j + 2}]`).join("")};
  if (rowWise) {
    // Indices constant along the last dim: one lookup per row, then a plain copy.
    let s = r;
${lookup}
    for (let t = 0; t < n; t++) {
      ${copy}
      e += se; s += sr;
    }
  } else
  for (let t = 0; t < n; t++) {
    let s = r;
${lookup}
    ${copy}
    e += se; r += sr;${js.map((j) => ` q${j} += sq${j};`).join("")}
  }
  let d = last - 1;
  for (; d >= 0; d--) {
    p[d]++;
    for (let w = 0; w < W; w++) cur[w] += walkers[w][d];
    if (p[d] < hi[d]) break;
    for (let w = 0; w < W; w++) cur[w] -= (hi[d] - lo[d]) * walkers[w][d];
    p[d] = lo[d];
  }
  if (d < 0) return;
}`;
  f = new Function("dd", "id", "ix", "cur", "walkers", "step", "sizes", "istr", "lo", "hi", "n", src) as CopyLoop;
  loops.set(key, f);
  return f;
}

/** Bytes per element of a dtype name. */
const ITEMSIZE: Record<string, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  float16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
  complex64: 8,
  complex128: 16,
};

/** A store's whole instance as raw words: bytes, 16-bit or 32-bit units. */
function wordView(x: PhysicalStore): Uint8Array | Uint16Array | Int32Array {
  const b = x.data.buffer,
    o = x.data.byteOffset,
    n = x.data.byteLength,
    size = ITEMSIZE[x.dtype];
  return size === 1 ? new Uint8Array(b, o, n) : size === 2 ? new Uint16Array(b, o, n / 2) : new Int32Array(b, o, n / 4);
}

/**
 * Copy between the dense side and the indexed side over the block [lo, hi) of the dense
 * shape, in row-major order (so with repeated indices the last write wins).
 * `toIndexed`: scatter (dense -> indexed) instead of gather (indexed -> dense).
 */
function indexedCopy(
  indexed: PhysicalStore,
  dense: PhysicalStore,
  idx: readonly PhysicalStore[],
  lo: readonly number[],
  hi: readonly number[],
  toIndexed: boolean,
): void {
  const nd = dense.shape.length,
    k = idx.length,
    m = indexed.shape.length - k,
    nb = nd - m;
  for (let d = 0; d < nd; d++) if (hi[d] <= lo[d]) return;
  const size = ITEMSIZE[dense.dtype];
  if (copyRows(indexed, dense, idx, lo, hi, size, toIndexed)) return;
  // Per-dim strides (in the dense shape) of: the dense side, the kept part of the indexed
  // side, and every index array.
  const keptStrides = dense.shape.map((_, d) => (d < nb ? 0 : indexed.strides[k + d - nb]));
  const walkers = [dense.strides, keptStrides, ...idx.map((s) => s.strides)];
  const cur = walkers.map((st, w) => {
    let o = w === 0 ? dense.offset : w === 1 ? indexed.offset : idx[w - 2].offset;
    for (let d = 0; d < nd; d++) o += lo[d] * st[d];
    return o;
  });
  const step = walkers.map((st) => (nd === 0 ? 0 : st[nd - 1]));
  const n = nd === 0 ? 1 : hi[nd - 1] - lo[nd - 1];
  const loop = copyLoop(
    Math.max(1, size / 4),
    idx.map((s) => s.dtype),
    toIndexed,
  );
  const ix = idx.map((s) => (is64(s.dtype) ? new Int32Array(s.data.buffer, s.data.byteOffset, s.data.byteLength / 4) : s.data));
  loop(
    wordView(dense),
    wordView(indexed),
    ix,
    cur,
    walkers,
    step,
    idx.map((_, j) => indexed.shape[j]),
    idx.map((_, j) => indexed.strides[j]),
    lo,
    hi,
    n,
  );
}

/** gather: args [src (read, whole), out (write, cut), ...index arrays (read, cut with out)]. */
export function gather(ctx: TaskContext): void {
  const [src, out, ...idx] = ctx.args;
  indexedCopy(src, out, idx, out.lo, out.hi, false);
}

/** scatter: args [dst (readwrite), values (read), ...index arrays (read)]; one point walks all values. */
export function scatter(ctx: TaskContext): void {
  const [dst, values, ...idx] = ctx.args;
  indexedCopy(dst, values, idx, values.lo, values.hi, true);
}

/** The bits that make a float nonzero: all but the sign (in the last word of each part). */
const FLOAT_BITS: Record<string, number> = {
  float16: 0x7fff,
  float32: 0x7fffffff,
  float64: 0x7fffffff,
  complex64: 0x7fffffff,
  complex128: 0x7fffffff,
};

/**
 * x's raw words, `per` to an element, and the mask for its last word of each part: floats
 * without their sign, so -0 counts as zero and NaN as nonzero; integers and bools whole.
 */
function truthView(x: PhysicalStore): { words: ArrayLike<number>; per: number; mask: number } {
  return { words: wordView(x), per: Math.max(1, ITEMSIZE[x.dtype] / 4), mask: FLOAT_BITS[x.dtype] ?? -1 };
}

/**
 * Whether element `i` is nonzero in a truth view: any of its `per` words nonzero, the
 * float sign bit (which is in the last word of each part) ignored.
 */
function truthy(v: { words: ArrayLike<number>; per: number; mask: number }, i: number, parts: number): boolean {
  const { words, per } = v;
  const w = per / parts;
  for (let p = 0; p < parts; p++)
    for (let j = 0; j < w; j++) {
      const word = words[i * per + p * w + j];
      if ((j === w - 1 ? word & v.mask : word) !== 0) return true;
    }
  return false;
}

/**
 * nonzero: args [x (read), out (write, int64 (count, x.ndim))]; one point walks x in
 * row-major order and writes the multi-index of every nonzero element as a row of out
 * (through its low and high 32-bit words: indices are below 2^53).
 */
export function nonzero(ctx: TaskContext): void {
  const [x, out] = ctx.args;
  const nd = x.shape.length;
  const size = x.shape.reduce((a, b) => a * b, 1);
  if (size === 0) return;
  const od = new Int32Array(out.data.buffer, out.data.byteOffset, out.data.byteLength / 4);
  const v = truthView(x);
  const parts = x.dtype === "complex64" || x.dtype === "complex128" ? 2 : 1;
  const put = (at: number, value: number) => {
    od[2 * at] = value | 0;
    od[2 * at + 1] = Math.floor(value / 4294967296);
  };
  const s0 = out.strides[0] ?? 0,
    s1 = out.strides[1] ?? 0;
  if (nd === 1 && ITEMSIZE[x.dtype] === 1 && nonzeroBytes(x, out, size)) return;
  if (nd === 1 && v.per === 1 && v.mask === -1) {
    // The common case (a 1-D bool mask): one tight loop.
    const w = v.words,
      st = x.strides[0];
    let row = 0;
    for (let c = 0, off = x.offset; c < size; c++, off += st) if (w[off] !== 0) put(out.offset + s0 * row++, c);
    return;
  }
  const p = new Array<number>(nd).fill(0);
  let off = x.offset,
    row = 0;
  for (let c = 0; c < size; c++) {
    if (truthy(v, off, parts)) {
      const base = out.offset + row * s0;
      for (let j = 0; j < nd; j++) put(base + j * s1, p[j]);
      row++;
    }
    for (let d = nd - 1; d >= 0; d--) {
      off += x.strides[d];
      if (++p[d] < x.shape[d]) break;
      off -= x.shape[d] * x.strides[d];
      p[d] = 0;
    }
  }
}
