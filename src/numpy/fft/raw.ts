import { runtime, alignDims, broadcast, DTYPES, f16round } from "../../core/index.js";
import type { DType, Store } from "../../core/index.js";
import { newStore } from "../alloc.js";
import { ndarray } from "../ndarray.js";
import { astype, copyInto } from "../copy.js";
import { canCast } from "../dtypes.js";
import { AxisError, IndexError, UFuncTypeError, ValueError } from "../errors.js";
import { pyStr } from "../param_types.js";
import { fourStepSplit } from "../tasks/fft/four_step.js";
import { numpyLibrary } from "../tasks/library.js";

/**
 * NumPy's _raw_fft: one 1-D transform of every line of `a` along `axis` as the `fft` task
 * (tasks/fft/cpu.ts), with NumPy's checks in NumPy's order, its normalisation factors and
 * dtype rules (float32 and float16 inputs give complex64, other real inputs complex128).
 */

/** The `norm` values and what the inverse transforms use instead (NumPy's _swap_direction). */
const SWAP: Record<string, string> = { backward: "forward", forward: "backward", ortho: "ortho" };

/** NumPy's _swap_direction: the inverse transforms' norm (a bad value is a ValueError). */
export function swapDirection(norm: unknown): string {
  if (norm === null) return "forward";
  if (typeof norm === "string" && Object.hasOwn(SWAP, norm)) return SWAP[norm];
  throw new ValueError(`Invalid norm value ${pyStr(norm)}; should be "backward", "ortho" or "forward".`);
}

/** Python's seq[i] on a shape: a negative index counts from the end; out of range is IndexError. */
export function pyIndex(shape: readonly number[], i: number): number {
  if (i < -shape.length || i >= shape.length) throw new IndexError("tuple index out of range");
  return shape[i < 0 ? i + shape.length : i];
}

/** result_type(a.real.dtype, 1.0): the real dtype of a transform's values. */
export function realDType(d: DType): DType {
  if (d.name === "complex64" || d.name === "float32") return DTYPES.float32;
  if (d.name === "float16") return DTYPES.float16;
  return DTYPES.float64;
}

/** The factor NumPy multiplies a transform by for `norm` (already swapped for inverse transforms). */
function normFactor(norm: unknown, n: number, real: DType): number {
  if (norm === null || norm === "backward") return 1;
  // NumPy computes the factor in the real dtype (reciprocal(sqrt(n, dtype=...))).
  const round = real.name === "float16" ? f16round : real.name === "float32" ? Math.fround : (v: number) => v;
  if (norm === "ortho") return round(1 / round(Math.sqrt(n)));
  if (norm === "forward") return round(1 / n);
  throw new ValueError(`Invalid norm value ${pyStr(norm)}; should be "backward","ortho" or "forward".`);
}

/**
 * One transform along `axis`: complex (isReal false) or real (rfft forward, irfft inverse) of
 * `n` points, the input cut or zero-padded to what the transform reads, into `out` if given.
 */
export function rawFft(a: ndarray, n: number, axis: number, isReal: boolean, isForward: boolean, norm: unknown, out: ndarray | null): ndarray {
  if (n < 1) throw new ValueError(`Invalid number of FFT data points (${n}) specified.`);
  if (!isForward) norm = swapDirection(norm);
  const real = realDType(a.dtype);
  const fct = normFactor(norm, n, real);
  const nOut = isReal && isForward ? Math.floor(n / 2) + 1 : n;
  const name = isReal ? (isForward ? (n % 2 === 0 ? "rfft_n_even" : "rfft_n_odd") : "irfft") : isForward ? "fft" : "ifft";
  if (axis < -a.ndim || axis >= a.ndim) throw new AxisError(axis, a.ndim);
  if (axis < 0) axis += a.ndim;
  const shape = [...a.shape];
  shape[axis] = nOut;
  if (out !== null && (out.ndim !== a.ndim || out.shape[axis] !== nOut)) throw new ValueError("output array has wrong shape.");
  if (isReal && isForward && a.dtype.isComplex) {
    throw new TypeError(
      `ufunc '${name}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''`,
    );
  }
  const resType = isReal && !isForward ? real : real.name === "float64" ? DTYPES.complex128 : DTYPES.complex64;
  if (out !== null) {
    if (out.shape.join() !== shape.join()) {
      // NumPy's gufunc message: the core dim (axis) moves last; the input's is new there.
      const loop = (t: readonly number[]) => t.filter((_, d) => d !== axis);
      const fmt = (t: readonly (number | string)[]) => `(${t.join(",")})`;
      throw new ValueError(
        `operands could not be broadcast together with remapped shapes [original->remapped]: ${fmt(a.shape)}->${fmt([...loop(a.shape), "newaxis"])} ()->() ${fmt(out.shape)}->${fmt([...loop(out.shape), nOut])}  and requested shape (${nOut})`,
      );
    }
    if (!canCast(resType, out.dtype, "same_kind"))
      throw new UFuncTypeError(
        `Cannot cast ufunc '${name}' output from dtype('${resType.name}') to dtype('${out.dtype.name}') with casting rule 'same_kind'`,
      );
  }
  // The task reads float32, float64 and complex lanes; other inputs are cast first.
  let x = a;
  if (a.dtype.name === "float16") x = astype(a, DTYPES.float32);
  else if (!a.dtype.isFloat && !a.dtype.isComplex) x = astype(a, DTYPES.float64);
  // A float16 irfft computes in float32 and rounds at the end, as NumPy's half loop does.
  const computeType = resType.name === "float16" ? DTYPES.float32 : resType;
  // The task writes `out` itself where it can: `out` has the transform's dtype and is apart
  // from the input, or is the input itself with lines that are neither cut nor padded (then
  // each line is transformed where it lies).
  const inPlace = out !== null && out._store.sameView(x._store) && x.shape[axis] === n;
  const direct = out !== null && out.dtype === computeType && (inPlace || !out._store.overlaps(x._store));
  const res = direct ? out._store : newStore(shape, computeType);
  let r = direct ? out : new ndarray(res);
  if (r.size > 0) {
    if (x.shape[axis] === 0) copyInto(r, 0);
    else if (!isReal && r.size === n && x.shape[axis] === n && fourStep(x, res, n, isForward, fct)) {
      /* one long transform, in two batched passes */
    } else {
      const pairs = shape.map((_, d) => [d, d] as const).filter(([d]) => d !== axis);
      runtime().submit(
        numpyLibrary().launch("fft", {
          args: inPlace
            ? [{ store: res, privilege: "readwrite" }]
            : [
                { store: x._store, privilege: "read" },
                { store: res, privilege: "write" },
              ],
          scalars: [isReal ? (isForward ? "r2c" : "c2r") : "c2c", isForward, n, axis, fct, 0],
          constraints: inPlace ? [broadcast(res, [axis])] : [alignDims(x._store, res, pairs), broadcast(res, [axis])],
          cost: r.size * 5 * Math.max(1, Math.log2(n)),
        }),
      );
    }
  }
  if (direct) return r;
  if (computeType !== resType) r = astype(r, resType);
  if (out === null) return r;
  copyInto(out, r);
  return out;
}

/** One transform at least this long is split by the four-step algorithm (tasks/fft/four_step.ts). */
const FOUR_STEP_MIN = 2 ** 16;

/**
 * A single complex transform of n points (x and res hold one line) as the four-step
 * algorithm: x seen as n1 × n2, the columns transformed and twiddled, then the rows
 * transformed and written transposed into res. Both passes are batches of lines, cut across
 * workers, and each line fits in cache. False (nothing done) where n is short, has no split,
 * or x or res (an `out=` view) is not contiguous.
 */
function fourStep(x: ndarray, res: Store, n: number, forward: boolean, fct: number): boolean {
  const split = n >= FOUR_STEP_MIN ? fourStepSplit(n) : null;
  const grid = split ? x._store.reshape(split) : null;
  // res as n2 × n1, then transposed (strides (1, n1)): row k1's outputs k2 land at k1 + n1·k2.
  const rows = split ? res.reshape([split[1], split[0]]) : null;
  if (!split || !grid || !rows) return false;
  const [n1, n2] = split;
  const lib = numpyLibrary();
  // In the transform's own precision (complex64 for float32 data, as NumPy computes it).
  const mid = newStore(split, res.dtype);
  const outT = rows.transpose([1, 0]);
  const cost = n * 5 * Math.log2(n);
  runtime().submit(
    lib.launch("fft", {
      args: [
        { store: grid, privilege: "read" },
        { store: mid, privilege: "write" },
      ],
      scalars: ["c2c", forward, n1, 0, 1, n],
      constraints: [alignDims(grid, mid, [[1, 1]]), broadcast(mid, [0])],
      cost,
    }),
  );
  runtime().submit(
    lib.launch("fft", {
      args: [
        { store: mid, privilege: "read" },
        { store: outT, privilege: "write" },
      ],
      scalars: ["c2c", forward, n2, 1, fct, 0],
      constraints: [alignDims(mid, outT, [[0, 0]]), broadcast(outT, [1])],
      cost,
    }),
  );
  return true;
}
