import { runtime } from "../../core/index.js";
import type { ndarray } from "../ndarray.js";
import { zeros } from "../creation_shape.js";
import { concatenate } from "../array_joining.js";
import { matmul } from "../products.js";
import { assertStacked2d } from "./gufunc.js";

/**
 * Tall-skinny QR (TSQR), as Legate's libraries factor tall matrices spread over ranks: the
 * rows are cut into `pieces` blocks, each block is factored where it lies (one batched QR
 * launch, a point per block), the stacked small R factors are factored once more, and Q is
 * each block's Q times its part of the second Q (one batched matmul). Every step is a
 * partitioned launch, so the blocks stay on their workers and ranks.
 */

/** Tall enough, large enough, and spread over several ranks: TSQR rather than one LAPACK call. */
export function useTsqr(a: ndarray): boolean {
  if (a.ndim !== 2) return false;
  const [m, n] = a.shape;
  return runtime().machine.ranks > 1 && m >= 4 * n && m * n >= 1 << 22 && pieces(m, n) > 1;
}

/** Blocks to cut m rows into: one per worker of every rank, each at least n rows. */
export function pieces(m: number, n: number): number {
  const rt = runtime();
  return Math.max(1, Math.min(rt.machine.cpus * rt.machine.ranks, Math.floor(m / Math.max(1, n))));
}

/**
 * The reduced QR of an m×n `a` (m ≥ pieces·n) by TSQR: Q (m×n) and R (n×n), with R's rows
 * signed as the reduction's Householder steps leave them (a valid factorisation; LAPACK's
 * one-call signs may differ row by row).
 */
export function tsqr(a: ndarray, count: number, qr: (x: ndarray) => [ndarray, ndarray]): [ndarray, ndarray] {
  assertStacked2d(a);
  const [m, n] = a.shape;
  const rows = Math.ceil(m / count);
  // Zero rows padding the last block change neither R nor Q's other rows.
  const padded = rows * count > m ? concatenate([a, zeros([rows * count - m, n], { dtype: a.dtype })]) : a;
  const [q1, r1] = qr(padded.reshape([count, rows, n]));
  const [q2, r] = qr(r1.reshape([count * n, n]));
  const q = matmul(q1, q2.reshape([count, n, n])).reshape([count * rows, n]);
  return [rows * count > m ? q.get(`:${m}`) : q, r];
}
