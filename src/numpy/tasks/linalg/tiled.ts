import type { PhysicalStore, TaskContext } from "../../../core/task_api.js";
import { type GemmOperand, gemm } from "../matmul/blas.js";
import { gemmUpdateNative, lapack, trsmNative, withLapackThreads } from "./lapack.js";
import { portableLapack } from "./portable.js";

/**
 * The tile tasks of the right-looking blocked Cholesky (linalg/tiled_cholesky.ts), on
 * row-major float64 blocks of one matrix: `chol_potrf` factors a diagonal tile in place,
 * `chol_trsm` solves the panel below it against that factor (cut by rows), and `chol_update`
 * subtracts the panel's outer product from the trailing matrix (cut as a grid; blocks above
 * the diagonal are skipped, as only the lower triangle is read).
 */

/** Row-major view of a 2-D block: first element and row stride (columns are unit-stride). */
export function block(s: PhysicalStore): { o: number; ld: number; rows: number; cols: number } {
  return { o: s.offset + s.lo[0] * s.strides[0] + s.lo[1] * s.strides[1], ld: s.strides[0], rows: s.hi[0] - s.lo[0], cols: s.hi[1] - s.lo[1] };
}

/** chol_potrf: args [tile (readwrite), info (write, 1 element)]; scalars [backend, threads]. */
export function cholPotrf(ctx: TaskContext): void {
  const [tile, info] = ctx.args;
  const [backend, threads] = ctx.scalars as ["native" | "portable", number];
  const t = block(tile);
  const n = t.rows;
  const d = tile.data as Float64Array;
  const buf = new Float64Array(n * n);
  for (let i = 0; i < n; i++) buf.set(d.subarray(t.o + i * t.ld, t.o + i * t.ld + n), i * n);
  // The row-major tile is its transpose to LAPACK: its upper factor is our lower one.
  const L = backend === "portable" ? portableLapack : lapack();
  const status = withLapackThreads(threads, () => L.potrf("d", "U", n, buf));
  for (let i = 0; i < n; i++) d.set(buf.subarray(i * n, i * n + n), t.o + i * t.ld);
  info.data[info.offset + info.lo[0] * info.strides[0]] = status;
}

/** chol_trsm: args [factor L (read), panel (readwrite)]; panel := panel · L⁻ᵀ. Scalars [backend]. */
export function cholTrsm(ctx: TaskContext): void {
  const [lt, panel] = ctx.args;
  const [backend] = ctx.scalars as ["native" | "portable"];
  const l = block(lt),
    p = block(panel);
  if (p.rows <= 0) return;
  const ld = lt.data as Float64Array,
    pd = panel.data as Float64Array;
  const nb = l.rows;
  const native = backend === "native" ? trsmNative("right", "lower", true, false) : null;
  if (native) {
    native(p.rows, nb, ld.subarray(l.o), l.ld, pd.subarray(p.o), p.ld);
    return;
  }
  // Forward substitution per row: x·Lᵀ = b, i.e. x_j = (b_j − Σ_{k<j} x_k L_jk) / L_jj.
  for (let i = 0; i < p.rows; i++) {
    const r = p.o + i * p.ld;
    for (let j = 0; j < nb; j++) {
      let s = pd[r + j];
      const lj = l.o + j * l.ld;
      for (let k = 0; k < j; k++) s -= pd[r + k] * ld[lj + k];
      pd[r + j] = s / ld[lj + j];
    }
  }
}

/** Rows of the trailing matrix updated per gemm: above each stripe's diagonal is skipped. */
const STRIPE = 256;

/**
 * chol_update: args [panel rows (read), panel columns (read), trailing (readwrite)];
 * trailing −= rows · columnsᵀ over this point's block, in row stripes that stop at the
 * diagonal (only the lower triangle is read later, so half the products are skipped).
 * Scalars [backend].
 */
export function cholUpdate(ctx: TaskContext): void {
  const [pr, pc, tr] = ctx.args;
  const [backend] = ctx.scalars as ["native" | "js"];
  const t = block(tr);
  if (t.rows <= 0 || t.cols <= 0) return;
  const r = block(pr),
    c = block(pc);
  const nb = r.cols;
  const rd = pr.data as Float64Array,
    cd = pc.data as Float64Array,
    td = tr.data as Float64Array;
  const native = backend === "native" ? gemmUpdateNative() : null;
  for (let i0 = 0; i0 < t.rows; i0 += STRIPE) {
    const rows = Math.min(STRIPE, t.rows - i0);
    // Columns of this stripe on or below the diagonal: up to its last row.
    const cols = Math.min(t.cols, tr.lo[0] + i0 + rows - tr.lo[1]);
    if (cols <= 0) continue;
    const a = r.o + i0 * r.ld,
      dst = t.o + i0 * t.ld;
    if (native) {
      native(rows, cols, nb, rd.subarray(a), r.ld, cd.subarray(c.o), c.ld, td.subarray(dst), t.ld);
      continue;
    }
    subtractProduct(rows, cols, nb, { data: rd, offset: a, ld: r.ld, trans: false }, { data: cd, offset: c.o, ld: c.ld, trans: true }, td, dst, t.ld);
  }
}

/** c −= a · b for row-major float64 operands, in JavaScript: the product into a temporary, then subtracted. */
export function subtractProduct(m: number, n: number, k: number, a: GemmOperand, b: GemmOperand, c: Float64Array, co: number, ldc: number): void {
  const prod = new Float64Array(m * n);
  gemm("float64", m, n, k, a, b, { data: prod, offset: 0, ld: n }, "js");
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[co + i * ldc + j] -= prod[i * n + j];
}
