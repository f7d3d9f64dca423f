/**
 * NumPy's "Miscellaneous routines > Memory ranges": may_share_memory and shares_memory. Views
 * share a storage; two arrays share memory when their views of one storage touch a common
 * element, which the core's element sets (footprints) answer exactly.
 */
import { footprint, intersect, type Store } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { TooHardError, ValueError } from "./errors.js";
import { binding, def } from "./signature.js";
import { conv } from "./param_types.js";
import type { ArrayLike } from "./creation_from_data.js";

const maxWork = conv<number, number>((v): number => {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "bigint") return Number(v);
  throw new ValueError("max_work must be an integer");
});

/** The storage elements a view touches (exactly; else every element's offset, enumerated). */
function elements(s: Store): number[] {
  const f = footprint(
    s.offset,
    s.strides,
    s.shape.map(() => 0),
    s.shape,
  );
  if (f.exact) return [...f.set];
  const offs: number[] = [];
  const walk = (d: number, at: number): void => {
    if (d === s.ndim) offs.push(at, at + 1);
    else for (let i = 0; i < s.shape[d]; i++) walk(d + 1, at + i * s.strides[d]);
  };
  walk(0, s.offset);
  offs.sort((x, y) => x - y);
  const out: number[] = [];
  for (let i = 0; i < offs.length; i += 2) {
    if (out.length && out[out.length - 1] >= offs[i]) out[out.length - 1] = Math.max(out[out.length - 1], offs[i + 1]);
    else out.push(offs[i], offs[i + 1]);
  }
  return out;
}

/** true / false exactly, or null where only the bounds were to be compared and they overlap. */
function overlap(a: ArrayLike, b: ArrayLike, work: number): boolean | null {
  // Anything not an ndarray becomes a new array, which shares nothing.
  if (!(a instanceof ndarray) || !(b instanceof ndarray)) return false;
  const x = a._store,
    y = b._store;
  if (x.size === 0 || y.size === 0 || !x.overlaps(y)) return false;
  if (work === 0) return null;
  return intersect(elements(x), elements(y)).length > 0;
}

/** np.may_share_memory(a, b, /, max_work=0): whether the memory bounds overlap (max_work=0), or, with max_work=-1, exactly whether an element is shared. */
export const may_share_memory = binding(
  def(
    "may_share_memory",
    "a, b, /, max_work=0",
    { a: conv<ArrayLike>((v): ArrayLike => v as ArrayLike), b: conv<ArrayLike>((v): ArrayLike => v as ArrayLike), max_work: maxWork },
    (p): boolean => overlap(p.a, p.b, p.max_work) ?? true,
  ),
  { style: "capi" },
);

/**
 * np.shares_memory(a, b, /, max_work=-1): exactly whether the two arrays touch a common
 * element. max_work=0 only compares bounds (TooHardError where they overlap, as in NumPy);
 * a positive max_work never runs out here.
 */
export const shares_memory = binding(
  def(
    "shares_memory",
    "a, b, /, max_work=-1",
    { a: conv<ArrayLike>((v): ArrayLike => v as ArrayLike), b: conv<ArrayLike>((v): ArrayLike => v as ArrayLike), max_work: maxWork },
    (p): boolean => {
      const r = overlap(p.a, p.b, p.max_work);
      if (r === null) throw new TooHardError("Exceeded max_work");
      return r;
    },
  ),
  { style: "capi" },
);
