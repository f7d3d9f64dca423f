// Generator.multivariate_hypergeometric: NumPy's argument checks (_generator.pyx) and its two
// samplers, random_mvhg_count.c (a partial Fisher–Yates shuffle of the whole population) and
// random_mvhg_marginals.c (one univariate hypergeometric draw per color).

import { asarray, fromTypedArray } from "../creation_from_data.js";
import type { ArrayLike } from "../creation_from_data.js";
import { MemoryError, ValueError } from "../errors.js";
import { ndarray } from "../ndarray.js";
import type { GenSource } from "./bit_source.js";
import { randomInterval } from "./bounded_masked.js";
import { gHypergeometric } from "./generator_distributions.js";

const INT64_MAX = 9223372036854775807n;
/** INT64_MAX // sizeof(size_t): the 'count' method's population must fit one allocation. */
const COUNT_MAX = INT64_MAX / 8n;

/** `operator.index(nsample)`, as the int64 NumPy checks (a non-integer is a ValueError here). */
function nsampleOf(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "boolean") return BigInt(v);
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (v instanceof ndarray && v.ndim === 0 && (v.dtype.isInteger || v.dtype.kind === "b")) return BigInt(v.item({ bigint: true }) as bigint);
  throw new ValueError("nsample must be an integer");
}

/** `colors` as int64 counts: a 1-d sequence of nonnegative integers. */
function colorsOf(v: unknown): bigint[] {
  const invalid = (): never => {
    throw new ValueError(`colors must be a one-dimensional sequence of nonnegative integers not exceeding ${INT64_MAX}.`);
  };
  let a: ndarray;
  try {
    a = asarray(v as ArrayLike);
  } catch (e) {
    if (e instanceof ValueError) invalid();
    throw e;
  }
  if (a.ndim !== 1) invalid();
  if (a.size === 0) return [];
  if (!a.dtype.isInteger) invalid();
  const vals = (a.tolist({ bigint: true }) as (number | bigint)[]).map((x) => BigInt(x));
  if (vals.some((x) => x < 0n || x > INT64_MAX)) invalid();
  return vals;
}

/** `random_multivariate_hypergeometric_count`: shuffle the first nsample of the population, count colors. */
function mvhgCount(s: GenSource, bigTotal: bigint, colors: number[], nsample: number, variates: Float64Array): void {
  const k = colors.length;
  const total = Number(bigTotal);
  let choices: Int32Array;
  try {
    // One index per member of the population: where that cannot be allocated, NumPy's malloc fails too.
    choices = new Int32Array(total);
  } catch {
    throw new MemoryError(`Insufficient memory for multivariate_hypergeometric with method='count' and sum(colors)=${bigTotal}`);
  }
  for (let i = 0, at = 0; i < k; i++) choices.fill(i, at, (at += colors[i]!));
  const moreThanHalf = nsample > Math.floor(total / 2);
  const n = moreThanHalf ? total - nsample : nsample;
  for (let off = 0; off < variates.length; off += k) {
    // The population is not reset between variates: each shuffle starts from the last one's order.
    for (let j = 0; j < n; j++) {
      const r = j + randomInterval(s, total - j - 1);
      const tmp = choices[r]!;
      choices[r] = choices[j]!;
      choices[j] = tmp;
    }
    for (let j = 0; j < n; j++) variates[off + choices[j]!]! += 1;
    if (moreThanHalf) for (let c = 0; c < k; c++) variates[off + c] = colors[c]! - variates[off + c]!;
  }
}

/** `random_multivariate_hypergeometric_marginals`: each color's count given those before it. */
function mvhgMarginals(s: GenSource, total: number, colors: number[], nsample: number, variates: Float64Array): void {
  const k = colors.length;
  const moreThanHalf = nsample > Math.floor(total / 2);
  const n = moreThanHalf ? total - nsample : nsample;
  for (let off = 0; off < variates.length; off += k) {
    let toSample = n,
      remaining = total;
    for (let j = 0; toSample > 0 && j + 1 < k; j++) {
      remaining -= colors[j]!;
      const r = gHypergeometric(s, colors[j]!, remaining, toSample);
      variates[off + j] = r;
      toSample -= r;
    }
    if (toSample > 0) variates[off + k - 1] = toSample;
    if (moreThanHalf) for (let c = 0; c < k; c++) variates[off + c] = colors[c]! - variates[off + c]!;
  }
}

/** The checks of Generator.multivariate_hypergeometric, in NumPy's order; the sampler to run after them. */
export function multivariateHypergeometric(
  colorsArg: unknown,
  nsampleArg: unknown,
  size: number[] | null,
  method: unknown,
): (s: GenSource) => ndarray {
  if (method !== "count" && method !== "marginals") throw new ValueError('method must be "count" or "marginals".');
  const nsample = nsampleOf(nsampleArg);
  if (nsample < 0n) throw new ValueError("nsample must be nonnegative.");
  if (nsample > INT64_MAX) throw new ValueError(`nsample must not exceed ${INT64_MAX}`);
  const colors = colorsOf(colorsArg);
  let total = 0n;
  for (const c of colors) {
    if (c > INT64_MAX - total) throw new ValueError(`sum(colors) must not exceed the maximum value of a 64 bit signed integer (${INT64_MAX})`);
    total += c;
  }
  if (method === "marginals" && total >= 1000000000n) throw new ValueError('When method is "marginals", sum(colors) must be less than 1000000000.');
  if (method === "count" && total > COUNT_MAX) throw new ValueError(`When method is 'count', sum(colors) must not exceed ${COUNT_MAX}`);
  if (nsample > total) throw new ValueError("nsample > sum(colors)");
  const k = colors.length;
  const shape = size === null ? [k] : [...size, k];
  if (shape.some((d) => d < 0)) throw new ValueError("negative dimensions are not allowed");
  return (s) => {
    const variates = new Float64Array(shape.reduce((a, b) => a * b, 1));
    // NumPy returns early (no draws) when the total, the sample or the output is empty.
    if (k > 0 && total > 0n && nsample > 0n && variates.length > 0) {
      const counts = colors.map(Number);
      if (method === "count") mvhgCount(s, total, counts, Number(nsample), variates);
      else mvhgMarginals(s, Number(total), counts, Number(nsample), variates);
    }
    return fromTypedArray(
      BigInt64Array.from(variates, (x) => BigInt(x)),
      shape,
      "int64",
    );
  };
}
