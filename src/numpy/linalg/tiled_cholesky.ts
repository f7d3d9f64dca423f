import { type Store, runtime, alignDims, broadcast, DTYPES } from "../../core/index.js";
import { ndarray } from "../ndarray.js";
import { newStore } from "../alloc.js";
import { copyInto } from "../copy.js";
import { LinAlgError } from "../errors.js";
import { tril } from "../creation_matrices.js";
import { numpyLibrary } from "../tasks/library.js";
import { lapackBackend } from "../tasks/linalg/lapack.js";
import { blasBackend } from "../tasks/matmul/blas.js";
import { commonType } from "./gufunc.js";

/**
 * The blocked, right-looking Cholesky that runs over every worker and rank, as Legate's
 * cuPyNumeric does for large matrices: for each diagonal tile, factor it (one point, LAPACK
 * with all its threads), solve the panel below it (a launch cut by rows) and subtract the
 * panel's outer product from the trailing matrix (a launch per column strip, cut by rows so
 * that each point gets the same share of the strip's lower-triangle work, each point a gemm).
 * The runtime moves the tiles between ranks as the launches read them.
 */

/** Below this order one LAPACK call on one worker is faster than the tiles' synchronisation. */
export const TILED_MIN = 2048;

/** Column strips per trailing update: few launches (each a synchronisation across ranks), each nearly balanced. */
const STRIPS = 2;

/** The tile order for an n×n matrix: about 16 steps, tiles of 256 to 1024 rows. */
export const tileFor = (n: number): number => Math.min(1024, Math.max(256, Math.round(n / 16)));

/** The tile tasks' BLAS calls: native only where both LAPACK and BLAS are (the JavaScript loops otherwise). */
export const tileBackend = (): "native" | "js" => (lapackBackend() === "native" && blasBackend() === "native" ? "native" : "js");

/** Rows [r0, r1) and columns [c0, c1) of a 2-D store. */
export const blockOf = (s: Store, r0: number, r1: number, c0: number, c1: number): Store => s.slice(0, r0, r1).slice(1, c0, c1);

/** Work of a strip's first i rows when row r updates min(r + 1, w) columns. */
function stripWork(i: number, w: number): number {
  return i <= w ? (i * (i + 1)) / 2 : (w * (w + 1)) / 2 + (i - w) * w;
}

/** Whether cholesky of `a` runs tiled: one large real matrix on a machine of several ranks. */
export function useTiled(a: ndarray): boolean {
  const n = a.shape[a.ndim - 1];
  return a.ndim === 2 && !a.dtype.isComplex && n >= TILED_MIN && runtime().machine.ranks > 1;
}

/** L (or U with `upper`) of a real symmetric positive-definite n×n `a`, by `tile`×`tile` blocks. */
export function tiledCholesky(a: ndarray, upper: boolean, tile: number): ndarray {
  const n = a.shape[0];
  const { result } = commonType(a);
  // The triangle NumPy reads, as the lower triangle of the working copy.
  const w = newStore([n, n], DTYPES.float64);
  copyInto(new ndarray(w), upper ? a.T : a);
  const steps = Math.ceil(n / tile);
  const info = newStore([Math.max(1, steps)], DTYPES.int32);
  copyInto(new ndarray(info), 0);
  const rt = runtime(),
    lib = numpyLibrary();
  const view = (r0: number, r1: number, c0: number, c1: number) => blockOf(w, r0, r1, c0, c1);
  for (let k = 0; k < steps; k++) {
    const k0 = k * tile,
      k1 = Math.min(n, k0 + tile),
      nb = k1 - k0;
    const diag = view(k0, k1, k0, k1);
    rt.submit(
      lib.launch("chol_potrf", {
        args: [
          { store: diag, privilege: "readwrite" },
          { store: info.slice(0, k, k + 1), privilege: "write" },
        ],
        scalars: [lapackBackend(), rt.machine.cpus],
        serial: true,
        cost: nb ** 3 / 3,
      }),
    );
    if (k1 === n) break;
    const m = n - k1;
    const panel = view(k1, n, k0, k1);
    rt.submit(
      lib.launch("chol_trsm", {
        args: [
          { store: diag, privilege: "read" },
          { store: panel, privilege: "readwrite" },
        ],
        scalars: [lapackBackend()],
        constraints: [broadcast(panel, [1])],
        cost: m * nb * nb,
      }),
    );
    // The trailing update, one launch per column strip of tiles: each covers the strip's
    // lower part (a rectangle from its diagonal block down), cut by rows so that every
    // worker and rank gets the same share of each strip's work.
    const width = Math.max(tile, Math.ceil((n - k1) / STRIPS));
    for (let c0 = k1; c0 < n; c0 += width) {
      const c1 = Math.min(n, c0 + width);
      const rows = view(c0, n, k0, k1),
        cols = view(c0, c1, k0, k1),
        strip = view(c0, n, c0, c1);
      rt.submit(
        lib.launch("chol_update", {
          args: [
            { store: rows, privilege: "read" },
            { store: cols, privilege: "read" },
            { store: strip, privilege: "readwrite" },
          ],
          scalars: [tileBackend()],
          constraints: [alignDims(rows, strip, [[0, 0]]), broadcast(strip, [1])],
          cost: (n - c0) * (c1 - c0) * nb,
          // Row r of the strip updates min(r + 1, width) columns (the diagonal block's lower
          // triangle, then whole rows): rows are cut by that work, not evenly.
          balance: { dim: 0, prefix: (i: number) => stripWork(i, c1 - c0) },
        }),
      );
    }
  }
  if (new ndarray(info).any().item()) throw new LinAlgError("Matrix is not positive definite");
  // The updates leave products above the diagonal inside diagonal blocks: tril clears them,
  // into a fresh float64 array that needs no second copy when float64 is the result.
  const l = tril(new ndarray(w));
  if (!upper && result === DTYPES.float64) return l;
  return (upper ? l.T : l).astype(result);
}
