import type { PhysicalStore, TaskContext } from "../../../core/index.js";
import { complexPlan } from "./complex_plan.js";
import { realPlan } from "./real_plan.js";

/**
 * CPU variant of np.fft's transforms (the `fft` task): each point transforms every line of
 * its block along `axis` (the axis is never cut), with a plan per length cached per thread.
 * Side-effect free: worker threads import it through tasks/index.ts.
 */

/** c2c: complex to complex; r2c: rfft (n reals to n//2+1 values); c2r: irfft (back). */
export type FftKind = "c2c" | "r2c" | "c2r";

const isComplex = (s: PhysicalStore) => s.dtype === "complex64" || s.dtype === "complex128";

/**
 * fft: args [x (read), out (write)], equal shapes but along `axis`; scalars [kind, forward, n,
 * axis, fct]. Input lines are cut to, or padded with zeros to, the length the transform
 * reads (n, or n//2+1 for c2r); every output is multiplied by `fct`.
 */
export function fft(ctx: TaskContext): void {
  const [x, out] = ctx.args;
  const [kind, forward, n, axis, fct] = ctx.scalars as [FftKind, boolean, number, number, number];
  const nd = out.shape.length;
  const dims = Array.from({ length: nd }, (_, d) => d).filter((d) => d !== axis);
  if (dims.some((d) => out.hi[d] <= out.lo[d])) return;
  const xd = x.data,
    od = out.data;
  const xs = x.strides[axis],
    os = out.strides[axis];
  const xc = isComplex(x);
  const h = Math.floor(n / 2);
  const need = kind === "c2r" ? h + 1 : n;
  const count = Math.min(x.shape[axis], need);
  const cplan = kind === "c2c" ? complexPlan(n) : null;
  const rplan = kind === "c2c" ? null : realPlan(n);
  const work = new Float64Array(cplan ? cplan.scratch : (rplan?.scratch ?? 0));
  const cbuf = new Float64Array(kind === "c2c" ? 2 * n : 2 * (h + 1));
  const rbuf = new Float64Array(kind === "c2c" ? 0 : n);
  const idx = dims.map((d) => out.lo[d]);
  for (;;) {
    let xo = x.offset,
      oo = out.offset;
    dims.forEach((d, k) => {
      xo += idx[k] * x.strides[d];
      oo += idx[k] * out.strides[d];
    });
    // Read the line: complex values into cbuf, or reals into rbuf for rfft.
    if (kind === "r2c") {
      for (let j = 0; j < count; j++) rbuf[j] = xd[xo + j * xs] as number;
      rbuf.fill(0, count);
    } else {
      if (xc) {
        for (let j = 0; j < count; j++) {
          const p = 2 * (xo + j * xs);
          cbuf[2 * j] = xd[p] as number;
          cbuf[2 * j + 1] = xd[p + 1] as number;
        }
      } else {
        for (let j = 0; j < count; j++) {
          cbuf[2 * j] = xd[xo + j * xs] as number;
          cbuf[2 * j + 1] = 0;
        }
      }
      cbuf.fill(0, 2 * count);
    }
    if (kind === "c2c") {
      (cplan as ReturnType<typeof complexPlan>).exec(cbuf, work, forward);
      for (let j = 0; j < n; j++) {
        const q = 2 * (oo + j * os);
        od[q] = cbuf[2 * j] * fct;
        od[q + 1] = cbuf[2 * j + 1] * fct;
      }
    } else if (kind === "r2c") {
      (rplan as ReturnType<typeof realPlan>).forward(rbuf, cbuf, work);
      for (let j = 0; j <= h; j++) {
        const q = 2 * (oo + j * os);
        od[q] = cbuf[2 * j] * fct;
        od[q + 1] = cbuf[2 * j + 1] * fct;
      }
    } else {
      (rplan as ReturnType<typeof realPlan>).backward(cbuf, rbuf, work);
      for (let j = 0; j < n; j++) od[oo + j * os] = rbuf[j] * fct;
    }
    let k = dims.length - 1;
    for (; k >= 0; k--) {
      if (++idx[k] < out.hi[dims[k]]) break;
      idx[k] = out.lo[dims[k]];
    }
    if (k < 0) return;
  }
}
