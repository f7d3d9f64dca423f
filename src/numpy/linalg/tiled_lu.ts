import { type Store, runtime, alignDims, broadcast, DTYPES } from "../../core/index.js";
import { ndarray } from "../ndarray.js";
import { newStore } from "../alloc.js";
import { copyInto } from "../copy.js";
import { fromTypedArray } from "../creation_from_data.js";
import { LinAlgError } from "../errors.js";
import { numpyLibrary } from "../tasks/library.js";
import { lapackBackend } from "../tasks/linalg/lapack.js";
import { blockOf, tileBackend } from "./tiled_cholesky.js";

/**
 * np.linalg.solve of one large system over every worker and rank: a right-looking blocked LU
 * with partial pivoting whose tile updates are tasks (as the tiled Cholesky's are), then the
 * two triangular solves by block, all on the distributed matrix. For each block column:
 * factor it on one point (LAPACK's getrf: the pivot search needs the whole column), apply its
 * row interchanges to the columns left and right of it (cut by columns), solve the block row
 * right of the diagonal against L's unit triangle and subtract the product of the column
 * below and that row from the trailing matrix (cut by rows). The runtime moves the tiles
 * between ranks as the launches read them.
 */

/** The factorization's launches: P A = L U in place in `w`, pivots as rows of the matrix. */
function submitLu(w: Store, piv: Store, info: Store, tile: number): void {
  const n = w.shape[0];
  const rt = runtime(),
    lib = numpyLibrary();
  const view = (r0: number, r1: number, c0: number, c1: number) => blockOf(w, r0, r1, c0, c1);
  const swap = (blk: Store, pivots: Store, k0: number) =>
    rt.submit(
      lib.launch("lu_swap", {
        args: [
          { store: blk, privilege: "readwrite" },
          { store: pivots, privilege: "read" },
        ],
        scalars: [k0],
        constraints: [broadcast(blk, [0])],
        cost: blk.shape[1] * pivots.shape[0],
      }),
    );
  for (let k = 0, k0 = 0; k0 < n; k++, k0 += tile) {
    const k1 = Math.min(n, k0 + tile),
      nb = k1 - k0;
    const pivots = piv.slice(0, k0, k1);
    rt.submit(
      lib.launch("lu_panel", {
        args: [
          { store: view(k0, n, k0, k1), privilege: "readwrite" },
          { store: pivots, privilege: "write" },
          { store: info.slice(0, k, k + 1), privilege: "write" },
        ],
        scalars: [lapackBackend(), rt.machine.cpus, k0],
        serial: true,
        cost: (n - k0) * nb * nb,
      }),
    );
    if (k0 > 0) swap(view(k0, n, 0, k0), pivots, k0);
    if (k1 === n) break;
    swap(view(k0, n, k1, n), pivots, k0);
    submitTrsm(view(k0, k1, k0, k1), view(k0, k1, k1, n), "L");
    // The next block column first, so that its factorization (one point) can run while the
    // rest of the trailing matrix is updated.
    const next = Math.min(n, k1 + tile);
    submitUpdate(view(k1, n, k0, k1), view(k0, k1, k1, next), view(k1, n, k1, next));
    if (next < n) submitUpdate(view(k1, n, k0, k1), view(k0, k1, next, n), view(k1, n, next, n));
  }
}

/** rhs := L⁻¹ rhs (unit lower, "L") or U⁻¹ rhs ("U") with `diag`'s triangle, cut by columns of rhs. */
function submitTrsm(diag: Store, rhs: Store, part: "L" | "U"): void {
  runtime().submit(
    numpyLibrary().launch("lu_trsm", {
      args: [
        { store: diag, privilege: "read" },
        { store: rhs, privilege: "readwrite" },
      ],
      scalars: [tileBackend(), part],
      constraints: [broadcast(rhs, [0])],
      cost: diag.shape[0] * diag.shape[0] * rhs.shape[1],
    }),
  );
}

/** c −= a · b, cut by rows of c (and a). */
function submitUpdate(a: Store, b: Store, c: Store): void {
  runtime().submit(
    numpyLibrary().launch("lu_update", {
      args: [
        { store: a, privilege: "read" },
        { store: b, privilege: "read" },
        { store: c, privilege: "readwrite" },
      ],
      scalars: [tileBackend()],
      constraints: [alignDims(a, c, [[0, 0]]), broadcast(c, [1]), broadcast(b, [0, 1])],
      cost: c.shape[0] * c.shape[1] * a.shape[1],
    }),
  );
}

/**
 * x with a x = b for one real n×n `a` and b of shape (n,) or (n, k), by `tile`-column blocks;
 * float64 work, returned as `result`. A zero pivot raises LinAlgError("Singular matrix"), as
 * LAPACK's gesv reports it to NumPy.
 */
export function tiledSolve(a: ndarray, b: ndarray, tile: number, result = DTYPES.float64): ndarray {
  const n = a.shape[0];
  const steps = Math.ceil(n / tile);
  const w = newStore([n, n], DTYPES.float64);
  copyInto(new ndarray(w), a);
  const piv = newStore([Math.max(1, n)], DTYPES.int32);
  const info = newStore([Math.max(1, steps)], DTYPES.int32);
  copyInto(new ndarray(info), 0);
  submitLu(w, piv, info, tile);
  if (new ndarray(info).any().item()) throw new LinAlgError("Singular matrix");
  // P b: the interchanges in order, as a permutation of b's rows.
  const pivots = new ndarray(piv).toTypedArray() as Int32Array;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    const r = pivots[i];
    [perm[i], perm[r]] = [perm[r], perm[i]];
  }
  const cols = b.ndim === 1 ? 1 : b.shape[1];
  const x = newStore([n, cols], DTYPES.float64);
  copyInto(new ndarray(x), b.reshape([n, cols]).get(fromTypedArray(perm, [n], "int32")));
  const wv = (r0: number, r1: number, c0: number, c1: number) => blockOf(w, r0, r1, c0, c1);
  const xv = (r0: number, r1: number) => x.slice(0, r0, r1);
  // L y = P b, then U x = y, a block of rows at a time.
  for (let k0 = 0; k0 < n; k0 += tile) {
    const k1 = Math.min(n, k0 + tile);
    submitTrsm(wv(k0, k1, k0, k1), xv(k0, k1), "L");
    if (k1 < n) submitUpdate(wv(k1, n, k0, k1), xv(k0, k1), xv(k1, n));
  }
  for (let k0 = (steps - 1) * tile; k0 >= 0; k0 -= tile) {
    const k1 = Math.min(n, k0 + tile);
    if (k1 < n) submitUpdate(wv(k0, k1, k1, n), xv(k1, n), xv(k0, k1));
    submitTrsm(wv(k0, k1, k0, k1), xv(k0, k1), "U");
  }
  const out = new ndarray(x).reshape(b.shape);
  return result === DTYPES.float64 ? out : out.astype(result);
}
