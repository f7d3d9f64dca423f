/**
 * NumPy's flatiter (ndarray.flat): the elements of an array in C order, as one 1-D sequence
 * that can be indexed (`a.flat.get(3)`, `a.flat.get("1:4")`, index arrays, masks), assigned
 * (`a.flat.set([0, 5], v)`, the values repeated cyclically as NumPy does) and iterated, with
 * NumPy's `base`, `index` and `coords`.
 */
import { DTYPES } from "../core/index.js";
import type { ndarray, Operand } from "./ndarray.js";
import type { IndexItem } from "./indexing.js";
import { IndexError } from "./errors.js";
import { asarray } from "./creation_from_data.js";
import { arange } from "./creation_ranges.js";
import { ravel } from "./array_manipulation.js";
import { resize } from "./array_adding_removing.js";
import { unravel_index } from "./indexing_routines.js";
import type { Scalar } from "./values.js";

function oneIndex(index: IndexItem[]): IndexItem {
  if (index.length !== 1)
    throw new IndexError(`too many indices for flat iterator: flat iterator is 1-dimensional, but ${index.length} were indexed`);
  return index[0];
}

/** NumPy's numpy.flatiter, over `base`. */
export class flatiter {
  /** The flat index of the next element iteration returns. */
  index = 0;
  private values: Scalar[] | null = null;
  constructor(readonly base: ndarray) {}

  /** len(a.flat): the number of elements. */
  get length(): number {
    return this.base.size;
  }
  /** The N-d index of the next element iteration returns. */
  get coords(): number[] {
    let k = this.index;
    const shape = this.base.shape;
    const out = new Array<number>(shape.length);
    for (let d = shape.length - 1; d >= 0; d--) {
      out[d] = k % shape[d];
      k = Math.floor(k / shape[d]);
    }
    return out;
  }

  /** The flat positions an index selects (an int64 array of arange(size) indexed). */
  private positions(item: IndexItem): ndarray {
    const n = this.base.size;
    if (typeof item === "number" || typeof item === "bigint") {
      const i = Number(item);
      if (i < -n || i >= n) throw new IndexError(`index ${i} is out of bounds for size ${n}`);
    }
    try {
      return arange(n, { dtype: DTYPES.int64 }).get(item);
    } catch (e) {
      // NumPy's flatiter names the size, not an axis.
      const m = e instanceof IndexError ? /^index (-?\d+) is out of bounds for axis 0 with size (\d+)$/.exec(e.message) : null;
      if (m) throw new IndexError(`index ${m[1]} is out of bounds for size ${m[2]}`);
      throw e;
    }
  }

  /** a.flat[index]: one element (a 0-d array, NumPy's scalar) or a new 1-D array of them. */
  get(...index: IndexItem[]): ndarray {
    const item = oneIndex(index);
    const pos = this.positions(item);
    const coords = unravel_index(pos, this.base.shape) as ndarray[];
    const r = this.base.ndim === 0 ? this.base.copy() : this.base.get(...coords);
    return r.copy();
  }

  /** a.flat[index] = value: the values (cast to the array's dtype, repeated cyclically) into the selected elements. */
  set(...args: [...IndexItem[], Operand]): void {
    const value = args[args.length - 1] as Operand;
    const item = oneIndex(args.slice(0, -1) as IndexItem[]);
    const pos = this.positions(item);
    if (pos.size === 0) return;
    const vals = resize(ravel(asarray(value)), [pos.size]).reshape(pos.shape);
    if (this.base.ndim === 0) {
      this.base.set("...", vals.reshape([]));
      return;
    }
    this.base.set(...(unravel_index(pos, this.base.shape) as ndarray[]), vals);
  }

  /** a.flat.copy(): the elements as a new 1-D array. */
  copy(): ndarray {
    return ravel(this.base).copy();
  }

  /** Iteration: the elements' values (as item() gives them), read once. */
  next(): IteratorResult<Scalar> {
    this.values ??= this.base.flatValues();
    if (this.index >= this.values.length) return { value: undefined, done: true };
    const v = this.values[this.index++];
    return { value: typeof v === "bigint" ? Number(v) : v, done: false };
  }
  [Symbol.iterator](): flatiter {
    return this;
  }
}
