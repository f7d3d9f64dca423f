/**
 * NumPy's "Splitting arrays" section: split, array_split, hsplit, vsplit, dsplit, unstack.
 * Every piece is a view of the input (a slice along the axis), as in NumPy.
 */
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import { IndexError, ValueError, ZeroDivisionError, normalizeAxis } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv, toIndex } from "./param_types.js";
import { Slice } from "./indexing.js";

/** indices_or_sections: a number of sections (Python's int() of it) or a list of split points. */
const SECTIONS = conv<number | readonly number[] | ndarray, number | number[]>((v): number | number[] => {
  if (Array.isArray(v)) return v.map(toIndex);
  if (v instanceof ndarray && v.ndim > 0) return (v.tolist() as unknown[]).map(toIndex);
  if (typeof v === "number") return v; // a float: split compares it as is, array_split takes int() of it
  return toIndex(v);
});

/** np.array_split's algorithm: the pieces between division points, as views. */
function arraySplit(x: unknown, sections: number | number[], axisArg: number): ndarray[] {
  const a = asarray(x as ndarray);
  if (axisArg >= a.ndim || axisArg < -a.ndim) throw new IndexError("tuple index out of range");
  const axis = normalizeAxis(axisArg, a.ndim);
  const total = a.shape[axis];
  let points: number[];
  if (Array.isArray(sections)) points = [0, ...sections, total];
  else {
    sections = Math.trunc(sections);
    if (sections <= 0) throw new ValueError("number sections must be larger than 0.");
    const each = Math.floor(total / sections),
      extras = total % sections;
    points = [0];
    for (let i = 0; i < sections; i++) points.push(points[i] + (i < extras ? each + 1 : each));
  }
  const out: ndarray[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    // Python slicing of the swapped array: negative points count from the end, both clamp.
    const [start, stop] = new Slice(points[i], points[i + 1]).indices(total);
    out.push(new ndarray(a._store.slice(axis, start, Math.max(start, stop), 1)));
  }
  return out;
}

/** np.split's check that a number of sections divides the axis. */
function split_(x: unknown, sections: number | number[], axis: number): ndarray[] {
  if (!Array.isArray(sections)) {
    const a = asarray(x as ndarray);
    if (axis >= a.ndim || axis < -a.ndim) throw new IndexError("tuple index out of range");
    if (sections === 0) throw new ZeroDivisionError("integer modulo by zero");
    const n = a.shape[normalizeAxis(axis, a.ndim)];
    if (((n % sections) + sections) % sections) throw new ValueError("array split does not result in an equal division");
  }
  return arraySplit(x, sections, axis);
}

const SPLIT_ARGS = { ary: arg.array, indices_or_sections: SECTIONS, axis: arg.int };
/** np.array_split(ary, indices_or_sections, axis=0): like split, sections may differ in size by one. */
export const array_split = def("array_split", "ary, indices_or_sections, axis=0", SPLIT_ARGS, (p): ndarray[] =>
  arraySplit(p.ary, p.indices_or_sections, p.axis),
);
/** np.split(ary, indices_or_sections, axis=0): equal sections, or the pieces between the given indices. */
export const split = def("split", "ary, indices_or_sections, axis=0", SPLIT_ARGS, (p): ndarray[] => split_(p.ary, p.indices_or_sections, p.axis));

const DIR_ARGS = { ary: arg.array, indices_or_sections: SECTIONS };
/** np.hsplit(ary, indices_or_sections): along axis 1 (axis 0 for 1-D arrays). */
export const hsplit = def("hsplit", "ary, indices_or_sections", DIR_ARGS, (p): ndarray[] => {
  const a = asarray(p.ary);
  if (a.ndim === 0) throw new ValueError("hsplit only works on arrays of 1 or more dimensions");
  return split_(a, p.indices_or_sections, a.ndim > 1 ? 1 : 0);
});
/** np.vsplit(ary, indices_or_sections): along axis 0 of an array of 2 or more dimensions. */
export const vsplit = def("vsplit", "ary, indices_or_sections", DIR_ARGS, (p): ndarray[] => {
  const a = asarray(p.ary);
  if (a.ndim < 2) throw new ValueError("vsplit only works on arrays of 2 or more dimensions");
  return split_(a, p.indices_or_sections, 0);
});
/** np.dsplit(ary, indices_or_sections): along axis 2 of an array of 3 or more dimensions. */
export const dsplit = def("dsplit", "ary, indices_or_sections", DIR_ARGS, (p): ndarray[] => {
  const a = asarray(p.ary);
  if (a.ndim < 3) throw new ValueError("dsplit only works on arrays of 3 or more dimensions");
  return split_(a, p.indices_or_sections, 2);
});

/** np.unstack(x, /, *, axis=0): the views x[..., i, ...] along `axis`, as a list. */
export const unstack = def("unstack", "x, /, *, axis=0", { x: arg.array, axis: arg.cint }, (p): ndarray[] => {
  const a = asarray(p.x);
  if (a.ndim === 0) throw new ValueError("Input array must be at least 1-d.");
  const axis = normalizeAxis(p.axis, a.ndim, "source");
  return Array.from({ length: a.shape[axis] }, (_, i) => new ndarray(a._store.project(axis, i)));
});
