import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { def } from "./signature.js";
import { arg, unsupported } from "./param_types.js";
import { normalizeAxis } from "./errors.js";

/** np.copy(a, order='K', subok=False). */
export const copy = def("copy", "a, order='K', subok=False", { a: arg.array, order: arg.order, subok: arg.bool }, (p): ndarray => {
  if (p.order === "F") unsupported("copy", "order='F'");
  return asarray(p.a).copy();
});
/** np.shape(a). */
export const shape = def("shape", "a", { a: arg.array }, (p): number[] => asarray(p.a).shape);
/** np.ndim(a). */
export const ndim = def("ndim", "a", { a: arg.array }, (p): number => asarray(p.a).ndim);
/** np.size(a, axis=None). */
export const size = def("size", "a, axis=None", { a: arg.array, axis: arg.axesTuple }, (p): number => {
  const a = asarray(p.a);
  if (p.axis === null) return a.size;
  return (typeof p.axis === "number" ? [p.axis] : p.axis).reduce((n, ax) => n * a.shape[normalizeAxis(ax, a.ndim)], 1);
});
