/**
 * Shared machinery of the exact-float-semantics tests (float_semantics.test.ts,
 * kernel_paths.test.ts): the fixture written by test/fixtures/generate_float_semantics.py,
 * the inputs of its transcendental ranges, the ulp distance, and the ulp bound of each
 * function against NumPy (the table in docs/numpy.md).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { type Case, type EncArray, parseFloatText } from "./conformance_support.js";

export type FloatDType = "float32" | "float64";
export type InputSpec = { lin: [string, string, number] } | { geo: [string, string, number] } | { values: string[] };
export interface UlpEntry {
  fn: string;
  dtype: FloatDType;
  inputs: InputSpec[][];
  n: number;
  sha256: string;
  expect: string;
}
export interface FloatFixture {
  numpy_version: string;
  arrays: EncArray[];
  cases: Case[];
  ulp: UlpEntry[];
}

export const floatFixture = (): FloatFixture =>
  JSON.parse(readFileSync(new URL("../../../test/fixtures/float_semantics.json", import.meta.url), "utf8")) as FloatFixture;

/**
 * Largest error in ulp against NumPy allowed per function, for float64 and float32 results,
 * on every CPU kernel path: JS kernels (V8's fdlibm-derived Math functions; float32 computed
 * in double and rounded once) and C kernels (glibc's libm in scalar code, its vector library
 * libmvec inside vectorised loops). NumPy itself calls libm for float64 and its own SIMD code
 * for float32 exp/log/sin/cos, so either side may be the one off. Each bound is the largest
 * error measured over the fixture's ranges on either path (docs/numpy.md has both), plus one ulp
 * for other CPUs' vector code, and at least 2. The JS and C paths are held to the same bound
 * of each other (kernel_paths.test.ts).
 */
export const ULP_BOUND: Record<string, { float64: number; float32: number }> = {
  exp: { float64: 3, float32: 4 },
  expm1: { float64: 2, float32: 3 },
  log: { float64: 2, float32: 5 },
  log1p: { float64: 2, float32: 2 },
  log2: { float64: 2, float32: 3 },
  log10: { float64: 3, float32: 3 },
  sin: { float64: 3, float32: 2 },
  cos: { float64: 3, float32: 2 },
  tan: { float64: 3, float32: 3 },
  arcsin: { float64: 3, float32: 3 },
  arccos: { float64: 2, float32: 2 },
  arctan: { float64: 2, float32: 2 },
  sinh: { float64: 3, float32: 2 },
  cosh: { float64: 2, float32: 3 },
  tanh: { float64: 3, float32: 2 },
  arctan2: { float64: 3, float32: 3 },
  hypot: { float64: 3, float32: 2 },
  power: { float64: 2, float32: 2 },
  exp2: { float64: 2, float32: 2 },
  arcsinh: { float64: 2, float32: 2 },
  arccosh: { float64: 2, float32: 2 },
  arctanh: { float64: 2, float32: 2 },
};

/** The fixture's input specs expanded with the same double arithmetic as the generator. */
export function specValues(specs: InputSpec[]): number[] {
  const out: number[] = [];
  for (const s of specs) {
    if ("lin" in s) {
      const lo = parseFloatText(s.lin[0]),
        hi = parseFloatText(s.lin[1]),
        n = s.lin[2];
      for (let i = 0; i < n; i++) out.push(lo + ((hi - lo) * i) / (n - 1));
    } else if ("geo" in s) {
      let x = parseFloatText(s.geo[0]);
      const r = parseFloatText(s.geo[1]);
      for (let i = 0; i < s.geo[2]; i++) {
        out.push(x);
        x = x * r;
      }
    } else {
      for (const v of s.values) out.push(parseFloatText(v));
    }
  }
  return out;
}

const bytesOf = (a: Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The input arrays of a ulp entry (one per argument), checked against the generator's hash. */
export function ulpInputs(e: UlpEntry): (Float32Array | Float64Array)[] {
  const arrays = e.inputs.map((specs) => (e.dtype === "float32" ? Float32Array : Float64Array).from(specValues(specs)));
  const hash = createHash("sha256");
  for (const a of arrays) hash.update(bytesOf(a));
  if (hash.digest("hex") !== e.sha256) throw new Error(`${e.fn} ${e.dtype}: regenerated inputs differ from the fixture's`);
  return arrays;
}

/** NumPy's results of a ulp entry. */
export function ulpExpected(e: UlpEntry): Float32Array | Float64Array {
  const b = Buffer.from(e.expect, "base64");
  const copy = new Uint8Array(b.length);
  copy.set(b);
  return e.dtype === "float32" ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
}

/** Evaluate a ulp entry's function with the library on its inputs. */
export function ulpCompute(e: UlpEntry, inputs: (Float32Array | Float64Array)[]): Float32Array | Float64Array {
  const NP = np as unknown as Record<string, (...a: unknown[]) => np.ndarray>;
  const args = inputs.map((a) => np.array(Array.from(a), { dtype: e.dtype }));
  return NP[e.fn](...args).toTypedArray() as Float32Array | Float64Array;
}

const f64 = new Float64Array(1),
  i64 = new BigInt64Array(f64.buffer);
const f32 = new Float32Array(1),
  i32 = new Int32Array(f32.buffer);

/** Position of a finite float on the number line of its dtype (consecutive floats differ by 1). */
function ordinal(x: number, dtype: FloatDType): bigint {
  let bits: bigint;
  if (dtype === "float64") {
    f64[0] = x;
    bits = i64[0];
  } else {
    f32[0] = x;
    bits = BigInt(i32[0]);
  }
  // Negative floats count down from -0, which sits one below +0 (a wrong sign of zero is 1 ulp).
  const mag = dtype === "float64" ? bits & 0x7fffffffffffffffn : bits & 0x7fffffffn;
  return bits < 0n ? -mag - 1n : mag;
}

/**
 * Distance in ulp between two values of `dtype`: 0 for equal values (NaN equals NaN),
 * Infinity when one is NaN or infinite and the other is not the same value.
 */
export function ulpDistance(a: number, b: number, dtype: FloatDType): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b ? 0 : Infinity;
  const d = ordinal(a, dtype) - ordinal(b, dtype);
  return Number(d < 0n ? -d : d);
}

/** Largest ulp distance over two arrays, and where it happens. */
export function maxUlp(got: ArrayLike<number>, want: ArrayLike<number>, dtype: FloatDType): { ulp: number; at: number } {
  let ulp = 0,
    at = -1;
  for (let i = 0; i < want.length; i++) {
    const d = ulpDistance(got[i], want[i], dtype);
    if (d > ulp) {
      ulp = d;
      at = i;
    }
  }
  return { ulp, at };
}
