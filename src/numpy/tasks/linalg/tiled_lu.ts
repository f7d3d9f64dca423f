import type { PhysicalStore, TaskContext } from "../../../core/task_api.js";
import { gemmUpdateNative, lapack, trsmNative, withLapackThreads } from "./lapack.js";
import { portableLapack } from "./portable.js";
import { block, subtractProduct } from "./tiled.js";

/**
 * The tile tasks of the right-looking blocked LU with partial pivoting (linalg/tiled_lu.ts),
 * on row-major float64 blocks of one matrix: `lu_panel` factors a block column (LAPACK's
 * getrf on one point: the pivot search needs the whole column), `lu_swap` applies its row
 * interchanges to other columns (cut by columns, so every point swaps whole rows of its own
 * columns), `lu_trsm` solves a block row against a diagonal block's triangle and `lu_update`
 * subtracts a product from the trailing matrix (cut by rows). The triangular solves of
 * np.linalg.solve reuse the last two on the right-hand sides.
 */

/** The element at a 1-D store's index i (its own coordinates). */
const at = (s: PhysicalStore, i: number): number => s.offset + (s.lo[0] + i) * s.strides[0];

/**
 * lu_panel: args [block column from the diagonal down (readwrite), pivots (write, one per
 * column), info (write, 1 element)]; scalars [backend, threads, first row]. Pivots are
 * stored as rows of the whole matrix; info is the 1-based column of a zero pivot, or 0.
 */
export function luPanel(ctx: TaskContext): void {
  const [panel, piv, info] = ctx.args;
  const [backend, threads, k0] = ctx.scalars as ["native" | "portable", number, number];
  const p = block(panel);
  const m = p.rows,
    nb = p.cols;
  const d = panel.data as Float64Array;
  // LAPACK is column-major: the panel's columns one after the other.
  const buf = new Float64Array(m * nb);
  for (let i = 0; i < m; i++) for (let j = 0; j < nb; j++) buf[j * m + i] = d[p.o + i * p.ld + j];
  const ipiv = new Int32Array(nb);
  const L = backend === "portable" ? portableLapack : lapack();
  const status = withLapackThreads(threads, () => L.getrf("d", m, nb, buf, ipiv));
  for (let i = 0; i < m; i++) for (let j = 0; j < nb; j++) d[p.o + i * p.ld + j] = buf[j * m + i];
  for (let j = 0; j < nb; j++) piv.data[at(piv, j)] = k0 + ipiv[j] - 1;
  info.data[at(info, 0)] = status > 0 ? k0 + status : 0;
}

/**
 * lu_swap: args [rows from the panel's first down, some columns (readwrite), pivots (read)];
 * scalars [first row]. Row j of the panel was exchanged with row pivots[j], in order.
 */
export function luSwap(ctx: TaskContext): void {
  const [blk, piv] = ctx.args;
  const [k0] = ctx.scalars as [number];
  const b = block(blk);
  if (b.cols <= 0) return;
  const d = blk.data as Float64Array;
  const tmp = new Float64Array(b.cols);
  for (let j = 0; j < piv.hi[0] - piv.lo[0]; j++) {
    const r = (piv.data[at(piv, j)] as number) - k0;
    if (r === j) continue;
    const x = b.o + j * b.ld,
      y = b.o + r * b.ld;
    tmp.set(d.subarray(x, x + b.cols));
    d.copyWithin(x, y, y + b.cols);
    d.set(tmp, y);
  }
}

/**
 * lu_trsm: args [diagonal block (read), block row (readwrite)]; scalars [backend, part]:
 * b := L⁻¹ b with the block's unit lower triangle (part "L"), or b := U⁻¹ b with its upper
 * triangle (part "U").
 */
export function luTrsm(ctx: TaskContext): void {
  const [diag, rhs] = ctx.args;
  const [backend, part] = ctx.scalars as ["native" | "js", "L" | "U"];
  const l = block(diag),
    b = block(rhs);
  if (b.cols <= 0) return;
  const ld = diag.data as Float64Array,
    bd = rhs.data as Float64Array;
  const nb = l.rows;
  const native = backend !== "native" ? null : part === "L" ? trsmNative("left", "lower", false, true) : trsmNative("left", "upper", false, false);
  if (native) {
    native(nb, b.cols, ld.subarray(l.o), l.ld, bd.subarray(b.o), b.ld);
    return;
  }
  // Row by row: row i −= Σ L_ik row k over the rows solved before it (then / U_ii for "U").
  const order = part === "L" ? Array.from({ length: nb }, (_, i) => i) : Array.from({ length: nb }, (_, i) => nb - 1 - i);
  for (const i of order) {
    const ri = b.o + i * b.ld;
    const [k0, k1] = part === "L" ? [0, i] : [i + 1, nb];
    for (let k = k0; k < k1; k++) {
      const f = ld[l.o + i * l.ld + k];
      if (f === 0) continue;
      const rk = b.o + k * b.ld;
      for (let j = 0; j < b.cols; j++) bd[ri + j] -= f * bd[rk + j];
    }
    if (part === "U") {
      const u = ld[l.o + i * l.ld + i];
      for (let j = 0; j < b.cols; j++) bd[ri + j] /= u;
    }
  }
}

/** lu_update: args [a (read), b (read), c (readwrite)]; c −= a · b over this point's rows of c. Scalars [backend]. */
export function luUpdate(ctx: TaskContext): void {
  const [pa, pb, pc] = ctx.args;
  const [backend] = ctx.scalars as ["native" | "js"];
  const c = block(pc);
  if (c.rows <= 0 || c.cols <= 0) return;
  const a = block(pa),
    b = block(pb);
  const k = a.cols;
  const ad = pa.data as Float64Array,
    bd = pb.data as Float64Array,
    cd = pc.data as Float64Array;
  const native = backend === "native" ? gemmUpdateNative(false) : null;
  if (native) {
    native(c.rows, c.cols, k, ad.subarray(a.o), a.ld, bd.subarray(b.o), b.ld, cd.subarray(c.o), c.ld);
    return;
  }
  subtractProduct(
    c.rows,
    c.cols,
    k,
    { data: ad, offset: a.o, ld: a.ld, trans: false },
    { data: bd, offset: b.o, ld: b.ld, trans: false },
    cd,
    c.o,
    c.ld,
  );
}
