import { ndarray } from "./ndarray.js";
import { ArrayLike } from "./creation_from_data.js";
import { IndexError } from "./errors.js";
import { copyInto } from "./copy.js";
import { Store } from "../core/store.js";

/** A Python slice; `null` means omitted, as in `np.slice(1, null, 2)` for `1::2`. */
export class Slice {
  constructor(readonly start: number | null = null, readonly stop: number | null = null, readonly step: number | null = null) {
    if (step === 0) throw new RangeError("slice step cannot be zero");
  }
  /** Python's slice.indices(length): concrete start, stop, step. */
  indices(length: number): [number, number, number] {
    const step = this.step ?? 1;
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

/** np.slice(start, stop, step) — Python's slice(); `null` for an omitted part. */
export function slice(start: number | null = null, stop: number | null = null, step: number | null = null): Slice {
  return new Slice(start, stop, step);
}

/** np.newaxis (Python's None). */
export const newaxis = null;
export const ELLIPSIS = "...";

/** One index item: an int, a slice, newaxis (null), "..." or a string like "1:, ::2". */
export type IndexItem = number | Slice | null | string;

type Parsed = number | Slice | null | "...";

function parseString(s: string): Parsed[] {
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
    if (p === "" || !Number.isInteger(v)) throw new IndexError("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices");
    return v;
  });
}

function parse(index: readonly IndexItem[]): Parsed[] {
  const out: Parsed[] = [];
  for (const item of index) {
    if (typeof item === "string") out.push(...parseString(item));
    else if (item === null || item instanceof Slice) out.push(item);
    else if (typeof item === "number" && Number.isInteger(item)) out.push(item);
    else if ((item as unknown) instanceof ndarray) throw new IndexError("advanced (integer or boolean array) indexing is not supported yet; use basic indexing");
    else throw new IndexError("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices");
  }
  return out;
}

/** Apply a basic index to a store: a view, never a copy. */
export function basicIndex(store: Store, index: readonly IndexItem[]): Store {
  const items = parse(index);
  const ellipses = items.filter((i) => i === "...").length;
  if (ellipses > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const consuming = items.filter((i) => i !== null && i !== "...").length;
  if (consuming > store.ndim) throw new IndexError(`too many indices for array: array is ${store.ndim}-dimensional, but ${consuming} were indexed`);
  const full: Parsed[] = [];
  for (const it of items) {
    if (it === "...") for (let k = 0; k < store.ndim - consuming; k++) full.push(new Slice());
    else full.push(it);
  }
  let s = store;
  let dim = 0; // current dim in `s`
  let src = 0; // dim of the original store being consumed
  for (const it of full) {
    if (it === null) { s = s.promote(dim, 1); dim++; continue; }
    if (typeof it === "number") {
      const n = store.shape[src];
      const i = it < 0 ? it + n : it;
      if (i < 0 || i >= n) throw new IndexError(`index ${it} is out of bounds for axis ${src} with size ${n}`);
      s = s.project(dim, i);
      src++;
      continue;
    }
    const [start, stop, step] = (it as Slice).indices(store.shape[src]);
    s = s.slice(dim, start, stop, step);
    dim++; src++;
  }
  return s;
}

export function getItem(a: ndarray, index: readonly IndexItem[]): ndarray {
  return new ndarray(basicIndex(a._store, index));
}

export function setItem(a: ndarray, index: readonly IndexItem[], value: ArrayLike): void {
  copyInto(new ndarray(basicIndex(a._store, index)), value);
}
