import type { PhysicalStore, TaskContext } from "../../../core/task_api.js";

/**
 * CPU variant of np.concatenate's join: every point writes its block of the result from the
 * pieces that overlap it, so the result is written whole by one launch (a fresh result then
 * needs no zero-filling first). Side-effect free: worker threads import it through
 * tasks/index.ts.
 */

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

type Words = Uint8Array | Uint16Array | Int32Array;

/** A store's whole instance as raw words (bytes, 16-bit or 32-bit units) and words per element. */
function words(x: PhysicalStore): [Words, number] {
  const b = x.data.buffer,
    o = x.data.byteOffset,
    n = x.data.byteLength,
    size = ITEMSIZE[x.dtype];
  if (size === 1) return [new Uint8Array(b, o, n), 1];
  if (size === 2) return [new Uint16Array(b, o, n / 2), 1];
  return [new Int32Array(b, o, n / 4), size / 4];
}

/**
 * Copy the box `shape` from `src` (starting at element offset `so`, strides `ss`) to `dst`
 * (offset `dO`, strides `ds`), as raw words; runs along the last dim with unit strides are
 * block copies.
 */
function copyBox(
  dst: Words,
  src: Words,
  w: number,
  shape: readonly number[],
  ds: readonly number[],
  dO: number,
  ss: readonly number[],
  so: number,
): void {
  const nd = shape.length;
  if (shape.some((n) => n === 0)) return;
  const n = nd ? shape[nd - 1] : 1;
  const dl = nd ? ds[nd - 1] : 1,
    sl = nd ? ss[nd - 1] : 1;
  const idx = new Array<number>(Math.max(0, nd - 1)).fill(0);
  let d0 = dO,
    s0 = so;
  for (;;) {
    if (dl === 1 && sl === 1) dst.set(src.subarray(s0 * w, (s0 + n) * w), d0 * w);
    else for (let t = 0, d = d0 * w, s = s0 * w; t < n; t++, d += dl * w, s += sl * w) for (let k = 0; k < w; k++) dst[d + k] = src[s + k];
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]++;
      d0 += ds[d];
      s0 += ss[d];
      if (idx[d] < shape[d]) break;
      d0 -= shape[d] * ds[d];
      s0 -= shape[d] * ss[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/**
 * concatenate: args [out (write, cut), ...pieces (read, whole)], scalars [axis]; the pieces
 * have out's dtype and follow each other along `axis`.
 */
export function concatenate(ctx: TaskContext): void {
  const [out, ...pieces] = ctx.args;
  const axis = ctx.scalars[0] as number;
  const [dst, w] = words(out);
  const nd = out.shape.length;
  let start = 0;
  for (const p of pieces) {
    const len = p.shape[axis];
    const lo = Math.max(out.lo[axis], start),
      hi = Math.min(out.hi[axis], start + len);
    if (lo < hi) {
      const shape = out.shape.map((_, d) => (d === axis ? hi - lo : out.hi[d] - out.lo[d]));
      let dOff = out.offset,
        sOff = p.offset;
      for (let d = 0; d < nd; d++) {
        const at = d === axis ? lo : out.lo[d];
        dOff += at * out.strides[d];
        sOff += (d === axis ? at - start : at) * p.strides[d];
      }
      copyBox(dst, words(p)[0], w, shape, out.strides, dOff, p.strides, sOff);
    }
    start += len;
  }
}
