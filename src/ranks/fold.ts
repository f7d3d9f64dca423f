import type { DTypeName, FoldTask, ReduceOp, View } from "../core/index.js";
import { DTYPES } from "../core/index.js";
import type { MpiOpName, MpiTypeName } from "./mpi.js";

const TYPES: Partial<Record<DTypeName, MpiTypeName>> = {
  float64: "double",
  float32: "float",
  bool: "uint8_t",
  int8: "int8_t",
  uint8: "uint8_t",
  int16: "int16_t",
  uint16: "uint16_t",
  int32: "int32_t",
  uint32: "uint32_t",
  int64: "int64_t",
  uint64: "uint64_t",
  complex64: "c_float_complex",
  complex128: "c_double_complex",
};

/**
 * The MPI reduction that folds like `op` on `dt`, or null. Float min/max are left out: MPI's
 * MIN/MAX do not propagate NaN as NumPy does; arg-reductions carry an index.
 */
export function mpiFold(op: ReduceOp, dt: DTypeName): { type: MpiTypeName; op: MpiOpName } | null {
  const type = TYPES[dt];
  if (!type) return null;
  const d = DTYPES[dt];
  if ((op === "sum" || op === "prod") && dt !== "bool") return { type, op };
  if ((op === "min" || op === "max") && (d.isInteger || dt === "bool")) return { type, op };
  if (op === "all" && dt === "bool") return { type, op: "land" };
  if (op === "any" && dt === "bool") return { type, op: "lor" };
  return null;
}

/** A view that walks its shape in row-major order without gaps. */
export function contiguous(v: View, shape: readonly number[]): boolean {
  let expect = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && v.strides[d] !== expect) return false;
    expect *= shape[d];
  }
  return true;
}

/**
 * The folds of one reduce launch, if they can be combined by one allreduce: every rank owns
 * at least one point, one output, contiguous, and an MPI operation for the op and dtype.
 */
export function allreduceGroups(folds: readonly FoldTask[], ranks: number): { groups: FoldTask[][]; rest: FoldTask[] } {
  const byLaunch = new Map<string, FoldTask[]>();
  for (const f of folds) {
    const key = `${f.views[0].storage}/${f.points}`;
    let g = byLaunch.get(key);
    if (!g) {
      g = [];
      byLaunch.set(key, g);
    }
    g.push(f);
  }
  const groups: FoldTask[][] = [],
    rest: FoldTask[] = [];
  for (const g of byLaunch.values()) {
    const f = g[0];
    const ok =
      f.points >= ranks && f.views.length === 2 && mpiFold(f.op, f.acc) !== null && contiguous(f.views[0], f.shape) && g.length === f.points - 1;
    if (ok) groups.push(g);
    else rest.push(...g);
  }
  return { groups, rest };
}
