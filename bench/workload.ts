import * as np from "tessera";
import type { NumPyBench } from "./numpy.js";

/** Checksum dtype: decides the tolerance used to compare with NumPy. */
export type CheckKind = "float64" | "float32" | "int64";

/** Relative tolerance for a checksum of this kind (int64 sums are exact). */
export function tolerance(kind: CheckKind): number {
  return kind === "float64" ? 1e-9 : kind === "float32" ? 1e-4 : 0;
}

/** Sizes of one run of a workload; `label` is what the table prints. */
export interface Params {
  readonly label: string;
}

/**
 * One benchmark, stated twice: for Tessera (setup/prepare/run/checksum) and for NumPy
 * (Python source, same sizes and seed). Only `run` and `numpy().body` are timed; `run` must
 * end with a blocking read, because Tessera defers work until a value is needed.
 */
export interface Workload<P extends Params = Params, S = unknown, R = unknown> {
  readonly name: string;
  readonly description: string;
  readonly check: CheckKind;
  /** np exports this workload needs; it is skipped while one is missing. */
  readonly needs?: readonly string[];
  params(quick: boolean): P;
  /** Build inputs (and force them, so their creation is not timed). */
  setup(p: P, seed: number): S;
  /** Untimed, before each run (e.g. a fresh copy of an array updated in place). */
  prepare?(s: S, p: P): void;
  /** Timed (awaited when it returns a promise). */
  run(s: S, p: P): R | Promise<R>;
  /** Untimed: a number to compare with NumPy's. */
  checksum(s: S, r: R, p: P): number;
  /** Operations per run, when the time per operation is the interesting figure. */
  opsPerRun?(p: P): number;
  numpy(p: P, seed: number): NumPyBench;
}

// Workloads have different parameter/state/result types; the registry holds them all.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyWorkload = Workload<any, any, any>;

export function defineWorkload<P extends Params, S, R>(w: Workload<P, S, R>): Workload<P, S, R> {
  return w;
}

/** An np function that may not exist in this build (linear algebra, sorting). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type NpFunction = (...args: any[]) => np.ndarray;

export function npFunction(name: string): NpFunction | undefined {
  const f = (np as unknown as Record<string, unknown>)[name];
  return typeof f === "function" ? (f as NpFunction) : undefined;
}

/** Like npFunction, for workloads whose `needs` already guaranteed it exists. */
export function requireNp(name: string): NpFunction {
  const f = npFunction(name);
  if (!f) throw new Error(`needs np.${name}`);
  return f;
}

/** Blocking read of one element: forces the whole array (Tessera computes stores whole). */
export function force(a: np.ndarray): number {
  return Number(a.item(0));
}

/** Free every array reachable from `v` (arrays, plain objects) now rather than at GC. */
export function disposeAll(v: unknown, seen = new Set<unknown>()): void {
  if (v === null || typeof v !== "object" || seen.has(v)) return;
  seen.add(v);
  if (v instanceof np.ndarray) {
    v.dispose();
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) disposeAll(x, seen);
    return;
  }
  if (Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) disposeAll(x, seen);
}

export type FloatDType = "float64" | "float32";

/**
 * What a workload written for both float dtypes needs: the float64 one keeps its name and its
 * NumPy source exactly; the float32 one is `<name>_f32`, and sums its result in float64 for
 * the checksum so that the checksum's own rounding does not blur the comparison.
 */
export function f32Args(dtype: FloatDType) {
  const f32 = dtype === "float32";
  return {
    suffix: f32 ? "_f32" : "",
    dt: f32 ? { dtype } : {},
    npDt: f32 ? ", dtype=np.float32" : "",
    sum: f32 ? { dtype: "float64" as const } : {},
    npSum: f32 ? "dtype=np.float64" : "",
  };
}

/** "10,000,000" */
export const fmtInt = (n: number): string => n.toLocaleString("en-US");

/** Sizes of a workload over one vector of n elements. */
export interface VectorParams extends Params {
  readonly n: number;
}

/**
 * The sizes, setup and NumPy setup of a workload over one vector of n uniform doubles
 * (10M; 1M with --quick), `a`, the same on both sides: spread into defineWorkload.
 */
export const randomDoubles = {
  params: (quick: boolean): VectorParams => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: fmtInt(n) };
  },
  setup({ n }: VectorParams, seed: number): { a: np.ndarray } {
    const a = np.random.default_rng(seed).random([n]) as np.ndarray;
    force(a);
    return { a };
  },
  numpySetup: ({ n }: { n: number }, seed: number): string => `a = np.random.default_rng(${seed}).random(${n})`,
};
