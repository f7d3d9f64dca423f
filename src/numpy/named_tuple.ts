import type { ndarray } from "./ndarray.js";

/** A named tuple: the results by position and by NumPy's field names (QRResult.Q, SVDResult.S, …). */
export type NamedTuple<K extends string> = ndarray[] & { readonly [F in K]: ndarray };

/** Results `values` as a tuple whose elements are also readable by `fields`. */
export function named<const K extends string>(fields: readonly K[], values: ndarray[]): NamedTuple<K> {
  const t = [...values] as ndarray[] & Record<string, ndarray>;
  fields.forEach((f, i) => {
    Object.defineProperty(t, f, { value: values[i], enumerable: false });
  });
  return t as NamedTuple<K>;
}
