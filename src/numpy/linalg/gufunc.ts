import { runtime, alignDims, broadcast, DTYPES } from "../../core/index.js";
import type { DType } from "../../core/index.js";
import { ndarray } from "../ndarray.js";
import { newStore } from "../alloc.js";
import { broadcastShapes } from "../broadcast.js";
import { LinAlgError } from "../errors.js";
import { numpyLibrary } from "../tasks/library.js";
import { lapackBackend } from "../tasks/linalg/lapack.js";
import type { LinalgOp } from "../tasks/linalg/cpu.js";

/**
 * numpy.linalg's plumbing, as NumPy's _linalg.py and umath_linalg: the dtype rules, the
 * shape checks with NumPy's messages, and one `linalg` task launch per call that runs a
 * LAPACK routine on every matrix of a broadcast batch (tasks/linalg/cpu.ts).
 */

const prod = (s: readonly number[]) => s.reduce((p, x) => p * x, 1);

/**
 * NumPy's _commonType: every routine computes in float64 or complex128; the result is
 * float32 / complex64 only when every inexact input is single precision (integers count
 * as double). float16 and other inexact types are refused.
 */
export function commonType(...arrays: ndarray[]): { complex: boolean; result: DType } {
  let double = false,
    complex = false;
  for (const a of arrays) {
    const d = a.dtype;
    if (d.isFloat || d.isComplex) {
      if (d.isComplex) complex = true;
      if (d.name === "float64" || d.name === "complex128") double = true;
      else if (d.name !== "float32" && d.name !== "complex64") throw new TypeError(`array type ${d.name} is unsupported in linalg`);
    } else double = true;
  }
  const result = complex ? (double ? DTYPES.complex128 : DTYPES.complex64) : double ? DTYPES.float64 : DTYPES.float32;
  return { complex, result };
}

/** The real dtype of a result type (NumPy's _realType). */
export const realType = (d: DType): DType => (d.name === "complex64" || d.name === "float32" ? DTYPES.float32 : DTYPES.float64);
/** The complex dtype of a result type (NumPy's _complexType). */
export const complexType = (d: DType): DType => (d.name === "complex64" || d.name === "float32" ? DTYPES.complex64 : DTYPES.complex128);

export function assert2d(...arrays: ndarray[]): void {
  for (const a of arrays) if (a.ndim !== 2) throw new LinAlgError(`${a.ndim}-dimensional array given. Array must be two-dimensional`);
}
export function assertStacked2d(...arrays: ndarray[]): void {
  for (const a of arrays) if (a.ndim < 2) throw new LinAlgError(`${a.ndim}-dimensional array given. Array must be at least two-dimensional`);
}
export function assertStackedSquare(...arrays: ndarray[]): void {
  for (const a of arrays) {
    assertStacked2d(a);
    if (a.shape[a.ndim - 1] !== a.shape[a.ndim - 2]) throw new LinAlgError("Last 2 dimensions of the array must be square");
  }
}

/** One input: the array and how many of its trailing dims are core dims. */
export interface GufuncInput {
  readonly a: ndarray;
  readonly core: number;
}
/** One output: its core shape and dtype. */
export interface GufuncOutput {
  readonly core: readonly number[];
  readonly dtype: DType;
}

/**
 * Runs `op` over the broadcast batch of `inputs`, returning the outputs (batch + core shape)
 * and LAPACK's info per matrix. With `error`, a non-zero info anywhere raises LinAlgError
 * with that message (reading info waits for the task, as NumPy raises at the call).
 */
export function gufunc(
  op: LinalgOp,
  inputs: readonly GufuncInput[],
  outputs: readonly GufuncOutput[],
  params: readonly unknown[],
  error?: string,
): ndarray[] {
  const batch = broadcastShapes(...inputs.map(({ a, core }) => a.shape.slice(0, a.ndim - core)));
  const nb = batch.length;
  const outs = outputs.map((o) => newStore([...batch, ...o.core], o.dtype));
  const info = newStore(batch, DTYPES.int32);
  if (prod(batch) > 0) {
    const ins = inputs.map(({ a, core }) => a._store.broadcast([...batch, ...a.shape.slice(a.ndim - core)]));
    const pairs = batch.map((_, d) => [d, d] as const);
    const work = inputs.reduce((w, { a, core }) => Math.max(w, prod(a.shape.slice(a.ndim - core))), 1);
    runtime().submit(
      numpyLibrary().launch("linalg", {
        args: [
          ...ins.map((store) => ({ store, privilege: "read" as const })),
          ...outs.map((store) => ({ store, privilege: "write" as const })),
          { store: info, privilege: "write" as const },
        ],
        scalars: [op, lapackBackend(), runtime().machine.cpus, ...params],
        constraints: [
          ...ins.map((s) => alignDims(s, info, pairs)),
          ...outs.map((s) => alignDims(s, info, pairs)),
          ...outs
            .filter((s) => s.ndim > nb)
            .map((s) =>
              broadcast(
                s,
                s.shape.slice(nb).map((_, i) => nb + i),
              ),
            ),
        ],
        // About n³ per matrix: a batch of small matrices spreads over the workers.
        cost: prod(batch) * work ** 1.5,
      }),
    );
    if (error !== undefined && (new ndarray(info).any() as ndarray).item()) throw new LinAlgError(error);
  }
  return outs.map((s) => new ndarray(s));
}
