import { ndarray } from "./ndarray.js";
import { def } from "./signature.js";
import { arg } from "./param_types.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike, NestedArray } from "./creation_from_data.js";
import { IndexError, ValueError } from "./errors.js";
import { copyInto } from "./copy.js";
import { type Store, DTYPES } from "../core/index.js";
import type { TypedArray } from "../core/index.js";
import { isTypedArray } from "./values.js";
import * as adv from "./advanced_indexing.js";

/** A Python slice; `null` means omitted, as in `np.slice(1, null, 2)` for `1::2`. */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {}
  /** Python's slice.indices(length): concrete start, stop, step (a zero step is Python's ValueError). */
  indices(length: number): [number, number, number] {
    const step = this.step ?? 1;
    if (step === 0) throw new ValueError("slice step cannot be zero");
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    let start: number, stop: number;
    if (step > 0) {
      start = this.start === null ? 0 : this.start < 0 ? clamp(this.start + length, 0, length) : clamp(this.start, 0, length);
      stop = this.stop === null ? length : this.stop < 0 ? clamp(this.stop + length, 0, length) : clamp(this.stop, 0, length);
    } else {
      start = this.start === null ? length - 1 : this.start < 0 ? clamp(this.start + length, -1, length - 1) : clamp(this.start, -1, length - 1);
      stop = this.stop === null ? -1 : this.stop < 0 ? clamp(this.stop + length, -1, length - 1) : clamp(this.stop, -1, length - 1);
    }
    return [start, stop, step];
  }
}

/**
 * np.slice — Python's slice(): `slice(stop)` or `slice(start, stop[, step])`; `null` for an
 * omitted part (`np.slice(1, null, 2)` is `1::2`, `np.slice(3)` is `:3`).
 */
export const slice = def("slice", "*args", { args: arg.intOrNone }, (p): Slice => {
  const a = p.args;
  if (a.length === 0) throw new TypeError("slice expected at least 1 argument, got 0");
  if (a.length > 3) throw new TypeError(`slice expected at most 3 arguments, got ${a.length}`);
  return a.length === 1 ? new Slice(null, a[0]) : new Slice(a[0], a[1], a[2] ?? null);
});

/** np.newaxis (Python's None). */
export const newaxis = null;
export const ELLIPSIS = "...";

/**
 * One index item: an int, a slice, newaxis (null), "..." or a string like "1:, ::2" (basic
 * indexing); an integer array, a boolean mask or a boolean (advanced indexing), given as an
 * ndarray or a (nested) JS array.
 */
export type IndexItem = number | bigint | boolean | Slice | null | string | ndarray | readonly NestedArray[] | TypedArray;

/**
 * An advanced index item: an integer array (ndim >= 1; `host`: its values in C order when
 * they came from JS, so bounds need no blocking read), a boolean mask (ndim >= 1), a 0-d
 * boolean.
 */
export type Advanced = { adv: "int"; a: ndarray; host?: readonly unknown[] } | { adv: "mask"; a: ndarray } | { adv: "bool0"; v: boolean };
export type Entry = number | Slice | null | "..." | Advanced;

const INVALID = "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices";

function parseString(s: string): Entry[] {
  if (s.trim() === "") return [];
  return s.split(",").map((part) => {
    const p = part.trim();
    if (p === "...") return "...";
    if (p === "None" || p === "np.newaxis" || p === "newaxis") return null;
    if (p.includes(":")) {
      const bits = p.split(":");
      if (bits.length > 3) throw new IndexError(`invalid slice '${p}'`);
      const num = (t: string | undefined) => {
        if (t === undefined || t.trim() === "") return null;
        const v = Number(t);
        if (!Number.isInteger(v)) throw new IndexError(`invalid slice component '${t}'`);
        return v;
      };
      return new Slice(num(bits[0]), num(bits[1]), num(bits[2]));
    }
    const v = Number(p);
    if (p === "" || !Number.isInteger(v)) throw new IndexError(INVALID);
    return v;
  });
}

/** An array used as an index: integer arrays and masks; 0-d ones act as an int or a bool. */
function arrayEntry(a: ndarray, fromList: boolean, host?: readonly unknown[]): Entry {
  // A list NumPy converts to a float array is not an index; an empty one is an int index.
  if (fromList && a.size === 0) a = a.astype(DTYPES.int64);
  if (a.dtype.kind === "b") return a.ndim === 0 ? { adv: "bool0", v: a.item() as boolean } : { adv: "mask", a };
  if (!a.dtype.isInteger) throw new IndexError(fromList ? INVALID : "arrays used as indices must be of integer (or boolean) type");
  return a.ndim === 0 ? Number(a.item()) : { adv: "int", a, host };
}

/** Index items as entries, in order (strings expanded). */
export function parse(index: readonly IndexItem[]): Entry[] {
  const out: Entry[] = [];
  for (const item of index) {
    if (typeof item === "string") out.push(...parseString(item));
    else if (item === null || item instanceof Slice) out.push(item);
    else if (typeof item === "number" && Number.isInteger(item)) out.push(item);
    else if (typeof item === "bigint") out.push(Number(item));
    else if (typeof item === "boolean") out.push({ adv: "bool0", v: item });
    else if (item instanceof ndarray) out.push(arrayEntry(item, false));
    else if (Array.isArray(item) || isTypedArray(item)) {
      const flat = isTypedArray(item) ? Array.from(item as Iterable<unknown>) : (item as unknown[]).flat(Infinity);
      const host = flat.every((v) => typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") ? flat : undefined;
      out.push(arrayEntry(asarray(item as ArrayLike), true, host));
    } else throw new IndexError(INVALID);
  }
  return out;
}

/** Dims of the indexed array an entry consumes. */
const consumes = (e: Entry): number =>
  e === null || e === "..." ? 0 : typeof e === "object" && !(e instanceof Slice) ? (e.adv === "mask" ? e.a.ndim : e.adv === "int" ? 1 : 0) : 1;

/**
 * Check an index against an array of `shape` (ellipsis count, too many indices, boolean
 * mask extents) and expand its ellipsis into full slices. An ellipsis that stands for no
 * dims stays as "..." (it still separates advanced indices, as in NumPy).
 */
export function expand(shape: readonly number[], items: readonly Entry[]): Entry[] {
  const ellipses = items.filter((i) => i === "...").length;
  if (ellipses > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const consuming = items.reduce((n: number, e) => n + consumes(e), 0);
  if (consuming > shape.length)
    throw new IndexError(`too many indices for array: array is ${shape.length}-dimensional, but ${consuming} were indexed`);
  const entries: Entry[] = [];
  let axis = 0;
  for (const it of items) {
    if (it === "...") {
      for (let k = 0; k < shape.length - consuming; k++) {
        entries.push(new Slice());
        axis++;
      }
      if (shape.length === consuming) entries.push("...");
      continue;
    }
    if (typeof it === "object" && it !== null && !(it instanceof Slice) && it.adv === "mask") {
      it.a.shape.forEach((n, j) => {
        if (n !== shape[axis + j])
          throw new IndexError(
            `boolean index did not match indexed array along axis ${axis + j}; size of axis is ${shape[axis + j]} but size of corresponding boolean axis is ${n}`,
          );
      });
    }
    entries.push(it);
    axis += consumes(it);
  }
  return entries;
}

/** Normalise an integer index along an axis of size n, raising NumPy's IndexError. */
export function checkIndex(i: number, axis: number, n: number): number {
  const k = i < 0 ? i + n : i;
  if (k < 0 || k >= n) throw new IndexError(`index ${i} is out of bounds for axis ${axis} with size ${n}`);
  return k;
}

/** Apply the basic entries of an expanded index (advanced ones must be absent): a view. */
function basicView(store: Store, entries: readonly Entry[]): Store {
  let s = store;
  let dim = 0; // current dim in `s`
  let src = 0; // dim of the original store being consumed
  for (const it of entries) {
    if (it === "...") continue;
    if (it === null) {
      s = s.promote(dim, 1);
      dim++;
      continue;
    }
    if (typeof it === "number") {
      s = s.project(dim, checkIndex(it, src, store.shape[src]));
      src++;
      continue;
    }
    const [start, stop, step] = (it as Slice).indices(store.shape[src]);
    s = s.slice(dim, start, stop, step);
    dim++;
    src++;
  }
  return s;
}

export const isAdvanced = (e: Entry): e is Advanced => typeof e === "object" && e !== null && !(e instanceof Slice);

/** a[index]: a view for basic indexing, a new array (a gather) for advanced indexing. */
export function getItem(a: ndarray, index: readonly IndexItem[]): ndarray {
  const entries = expand(a.shape, parse(index));
  if (!entries.some(isAdvanced)) return new ndarray(basicView(a._store, entries));
  return adv.gather(a, entries);
}

/** a[index] = value. */
export function setItem(a: ndarray, index: readonly IndexItem[], value: ArrayLike): void {
  const entries = expand(a.shape, parse(index));
  if (!entries.some(isAdvanced)) {
    copyInto(new ndarray(basicView(a._store, entries)), value);
    return;
  }
  adv.scatter(a, entries, value);
}
