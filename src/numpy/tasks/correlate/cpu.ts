import type { TaskContext } from "../../../core/task_api.js";

/**
 * CPU variant of np.correlate / np.convolve (`correlate`): args [a (1-D, whole), v (1-D,
 * whole, already conjugated), out (1-D, written by blocks)], scalars [nLeft]. out[k] is the
 * dot product of v with a from k - nLeft (the overlapping part), accumulated as NumPy's dot
 * loops for the dtype do: integers in 64 bits (wrapping), bool as or-of-ands, floats in
 * double, complex in double pairs (float16 comes as float32). Side-effect free (tasks/index.ts).
 */
export function correlate(ctx: TaskContext): void {
  const [a, v, out] = ctx.args;
  const [nLeft] = ctx.scalars as [number];
  const n1 = a.shape[0],
    n2 = v.shape[0];
  const ad = a.data,
    vd = v.data,
    od = out.data;
  const as = a.strides[0],
    vs = v.strides[0],
    os = out.strides[0];
  const dt = out.dtype;
  for (let k = out.lo[0]; k < out.hi[0]; k++) {
    const j0 = Math.max(0, nLeft - k),
      j1 = Math.min(n2, n1 - k + nLeft);
    const o = out.offset + k * os;
    if (dt === "complex64" || dt === "complex128") {
      let re = 0,
        im = 0;
      for (let j = j0; j < j1; j++) {
        const p = 2 * (a.offset + (k - nLeft + j) * as),
          q = 2 * (v.offset + j * vs);
        const xr = ad[p] as number,
          xi = ad[p + 1] as number,
          yr = vd[q] as number,
          yi = vd[q + 1] as number;
        re += xr * yr - xi * yi;
        im += xr * yi + xi * yr;
      }
      const f = dt === "complex64" ? Math.fround : (x: number) => x;
      od[2 * o] = f(re);
      od[2 * o + 1] = f(im);
    } else if (dt === "bool") {
      let t = 0;
      for (let j = j0; j < j1 && !t; j++) if (ad[a.offset + (k - nLeft + j) * as] && vd[v.offset + j * vs]) t = 1;
      od[o] = t;
    } else if (dt === "float64" || dt === "float32") {
      let t = 0;
      for (let j = j0; j < j1; j++) t += (ad[a.offset + (k - nLeft + j) * as] as number) * (vd[v.offset + j * vs] as number);
      od[o] = dt === "float64" ? t : Math.fround(t);
    } else {
      // Integers: a 64-bit accumulator that wraps, cast to the result type when stored.
      let t = 0n;
      for (let j = j0; j < j1; j++) t = BigInt.asIntN(64, t + BigInt(ad[a.offset + (k - nLeft + j) * as]) * BigInt(vd[v.offset + j * vs]));
      const bits = Number(dt.replace(/\D/g, ""));
      const r = dt.startsWith("u") ? BigInt.asUintN(bits, t) : BigInt.asIntN(bits, t);
      od[o] = (bits === 64 ? r : Number(r)) as never;
    }
  }
}
