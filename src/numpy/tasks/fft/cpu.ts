import type { PhysicalStore, TaskContext, TypedArray } from "../../../core/task_api.js";
import { complexPlan } from "./complex_plan.js";
import type { ComplexPlan } from "./complex_plan.js";
import { compiledLines, elementType, packed } from "./compiled.js";
import { applyTwiddles, twiddles } from "./four_step.js";
import { realPlan } from "./real_plan.js";
import type { RealPlan } from "./real_plan.js";

/**
 * CPU variant of np.fft's transforms (the `fft` task): each point transforms every line of
 * its block along `axis` (the axis is never cut), with a plan per length cached per thread.
 * Side-effect free: worker threads import it through tasks/index.ts.
 */

/** c2c: complex to complex; r2c: rfft (n reals to n//2+1 values); c2r: irfft (back). */
export type FftKind = "c2c" | "r2c" | "c2r";

/** Lines are moved in and out by small functions of their own, which V8 optimises well. */
function readReal(d: TypedArray, o: number, s: number, count: number, buf: Float64Array): void {
  if (s === 1 && d instanceof Float64Array) buf.set(d.subarray(o, o + count));
  else for (let j = 0; j < count; j++) buf[j] = d[o + j * s] as number;
  buf.fill(0, count);
}
function readComplex(d: TypedArray, o: number, s: number, count: number, buf: Float64Array): void {
  if (s === 1 && d instanceof Float64Array) buf.set(d.subarray(2 * o, 2 * (o + count)));
  else
    for (let j = 0; j < count; j++) {
      const p = 2 * (o + j * s);
      buf[2 * j] = d[p] as number;
      buf[2 * j + 1] = d[p + 1] as number;
    }
  buf.fill(0, 2 * count);
}
function readRealAsComplex(d: TypedArray, o: number, s: number, count: number, buf: Float64Array): void {
  buf.fill(0);
  for (let j = 0; j < count; j++) buf[2 * j] = d[o + j * s] as number;
}
function writeComplex(buf: Float64Array, len: number, d: TypedArray, o: number, s: number, fct: number): void {
  if (fct === 1) {
    if (s === 1 && d instanceof Float64Array) {
      d.set(buf.subarray(0, 2 * len), 2 * o);
      return;
    }
    for (let j = 0; j < len; j++) {
      const q = 2 * (o + j * s);
      d[q] = buf[2 * j];
      d[q + 1] = buf[2 * j + 1];
    }
    return;
  }
  for (let j = 0; j < len; j++) {
    const q = 2 * (o + j * s);
    d[q] = buf[2 * j] * fct;
    d[q + 1] = buf[2 * j + 1] * fct;
  }
}
function writeReal(buf: Float64Array, len: number, d: TypedArray, o: number, s: number, fct: number): void {
  for (let j = 0; j < len; j++) d[o + j * s] = buf[j] * fct;
}

const isComplex = (s: PhysicalStore) => s.dtype === "complex64" || s.dtype === "complex128";

/**
 * fft: args [x (read), out (write)], equal shapes but along `axis`, or [x (readwrite)]; scalars [kind, forward, n,
 * axis, fct, N]. Input lines are cut to, or padded with zeros to, the length the transform
 * reads (n, or n//2+1 for c2r); every output is multiplied by `fct`. N > 0 (c2c): the first
 * pass of a four-step transform of N points (four_step.ts): the line at index g along the
 * last other axis is multiplied by its twiddles.
 */
export function fft(ctx: TaskContext): void {
  // One readwrite argument: each line transformed where it lies.
  const [x, out] = ctx.args.length === 1 ? [ctx.args[0], ctx.args[0]] : ctx.args;
  const [kind, forward, n, axis, fct, N] = ctx.scalars as [FftKind, boolean, number, number, number, number];
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
  if (runCompiled(ctx, x, out, dims, count, (cplan ?? rplan) as ComplexPlan | RealPlan)) return;
  const work = new Float64Array(cplan ? cplan.scratch : (rplan?.scratch ?? 0));
  const cbuf = new Float64Array(kind === "c2c" ? 2 * n : 2 * (h + 1));
  const rbuf = new Float64Array(kind === "c2c" ? 0 : n);
  const idx = dims.map((d) => out.lo[d]);
  const tw = N > 0 ? twiddles(N) : null;
  do {
    const [xo, oo] = lineStarts(x, out, dims, idx);
    if (kind === "r2c") {
      readReal(xd, xo, xs, count, rbuf);
      (rplan as RealPlan).forward(rbuf, cbuf, work);
      writeComplex(cbuf, h + 1, od, oo, os, fct);
    } else {
      // A contiguous complex128 output line is transformed where it lies (one copy less).
      const direct = kind === "c2c" && os === 1 && od instanceof Float64Array;
      const buf = direct ? od.subarray(2 * oo, 2 * (oo + n)) : cbuf;
      if (xc) readComplex(xd, xo, xs, count, buf);
      else readRealAsComplex(xd, xo, xs, count, buf);
      if (kind === "c2c") {
        (cplan as ComplexPlan).exec(buf, work, forward);
        if (tw) applyTwiddles(buf, n, idx[idx.length - 1], tw, forward);
        if (!direct) writeComplex(cbuf, n, od, oo, os, fct);
        else if (fct !== 1) for (let j = 0; j < 2 * n; j++) buf[j] *= fct;
      } else {
        (rplan as RealPlan).backward(cbuf, rbuf, work);
        writeReal(rbuf, n, od, oo, os, fct);
      }
    }
  } while (nextLine(out, dims, idx));
}

/** Element offsets in x and out of the line at index `idx` along `dims`. */
function lineStarts(x: PhysicalStore, out: PhysicalStore, dims: readonly number[], idx: readonly number[]): [number, number] {
  let xo = x.offset,
    oo = out.offset;
  dims.forEach((d, k) => {
    xo += idx[k] * x.strides[d];
    oo += idx[k] * out.strides[d];
  });
  return [xo, oo];
}

/** Step `idx` to the next line of out's block along `dims` (row-major); false after the last. */
function nextLine(out: PhysicalStore, dims: readonly number[], idx: number[]): boolean {
  for (let k = dims.length - 1; k >= 0; k--) {
    if (++idx[k] < out.hi[dims[k]]) return true;
    idx[k] = out.lo[dims[k]];
  }
  return false;
}

const KINDS: FftKind[] = ["c2c", "r2c", "c2r"];
const EMPTY = new Float64Array(0);

/**
 * The compiled loop (tessera/fft.h): one call per run of lines along the innermost other
 * axis. False where it is not compiled or an element type is not one it reads.
 */
function runCompiled(ctx: TaskContext, x: PhysicalStore, out: PhysicalStore, dims: number[], count: number, plan: ComplexPlan | RealPlan): boolean {
  const [kind, forward, n, axis, fct, N] = ctx.scalars as [FftKind, boolean, number, number, number, number];
  const xt = elementType(x),
    ot = elementType(out);
  const run = xt >= 0 && ot >= 0 ? compiledLines() : null;
  if (!run) return false;
  const { desc, tab } = packed(plan, kind !== "c2c");
  const inner = dims.length ? dims[dims.length - 1] : -1;
  const outer = dims.slice(0, -1);
  const nlines = inner < 0 ? 1 : out.hi[inner] - out.lo[inner];
  const tw = N > 0 ? twiddles(N) : null;
  // tfft_lines' parameters (m[5] and m[8], the run's offsets, are set per run below).
  const m = new BigInt64Array(16);
  m[0] = BigInt(KINDS.indexOf(kind));
  m[1] = forward ? 1n : 0n;
  m[2] = BigInt(n);
  m[3] = BigInt(count);
  m[4] = BigInt(nlines);
  m[6] = BigInt(inner < 0 ? 0 : x.strides[inner]);
  m[7] = BigInt(x.strides[axis]);
  m[9] = BigInt(inner < 0 ? 0 : out.strides[inner]);
  m[10] = BigInt(out.strides[axis]);
  m[11] = BigInt(xt);
  m[12] = BigInt(ot);
  m[13] = BigInt(N);
  m[14] = BigInt(inner < 0 ? 0 : out.lo[inner]);
  m[15] = BigInt(tw ? tw.L : 0);
  // Each run starts at the block's first line along `inner`; the outer index steps.
  const idx = dims.map((d) => out.lo[d]);
  do {
    const [xo, oo] = lineStarts(x, out, dims, idx);
    m[5] = BigInt(xo);
    m[8] = BigInt(oo);
    if (run(m, desc, tab, x.data, out.data, fct, tw ? tw.table : EMPTY) !== 0)
      throw new RangeError("np.fft: out of memory for the transform's buffers");
  } while (nextLine(out, outer, idx));
  return true;
}
