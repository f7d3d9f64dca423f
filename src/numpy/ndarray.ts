import { inspect } from "node:util";
import { runtime, type Store, rowMajorStrides, type DType, laneView } from "../core/index.js";
import type { TypedArray } from "../core/index.js";
import { forEachOffset, readElement } from "./values.js";
import type { Scalar } from "./values.js";
import { arrayRepr, arrayStr } from "./printing/arrayprint.js";
import { IndexError, ValueError } from "./errors.js";
import * as manip from "./array_manipulation.js";
import { real as realPart, imag as imagPart } from "./ufuncs.js";
import * as idx from "./indexing.js";
import type { ArrayLike } from "./creation_from_data.js";
import type { NdarrayMethods as M } from "./ndarray_methods.js";
import { ArrayFlags } from "./ndarray_flags.js";
import { flatiter } from "./ndarray_flatiter.js";

export type Operand = ArrayLike;

/**
 * NumPy's ndarray. It holds a core Store; views share it. Every operation becomes a launch
 * in the core runtime (deferred); reading values is a blocking point.
 */
/** The array that first wrapped a storage: NumPy's owner of the memory (views' `base`). */
const OWNER = Symbol("owner");
type Owned = { [OWNER]?: ndarray };

export class ndarray {
  /** @internal the core store behind this array (views share storage). */
  readonly _store: Store;
  constructor(store: Store) {
    this._store = store;
    const st = store.storage as unknown as Owned;
    if (st[OWNER] === undefined) st[OWNER] = this;
  }

  /** NumPy's `base`: the array whose memory this one views, or null for the array that owns it (the first to wrap the memory). */
  get base(): ndarray | null {
    const o = (this._store.storage as unknown as Owned)[OWNER];
    return o === undefined || o === this ? null : o;
  }
  /** NumPy's `flags` (read only: see ArrayFlags). */
  get flags(): ArrayFlags {
    return new ArrayFlags(this);
  }
  /** NumPy's `flat`: a flatiter over the elements in C order (`a.flat.get(i)`, `a.flat.set(i, v)`, iteration). */
  get flat(): flatiter {
    return new flatiter(this);
  }
  /** `a.flat = v`: every element from `v`, repeated in C order as needed. */
  set flat(value: Operand) {
    new flatiter(this).set("...", value);
  }
  /** NumPy's `mT`: the last two axes swapped (a view). */
  get mT(): ndarray {
    if (this.ndim < 2) throw new ValueError("matrix transpose with ndim < 2 is undefined");
    return manip.swapaxes(this, -1, -2);
  }
  /** Python's len(a): the length of the first axis (a 0-d array has none: NumPy's TypeError). */
  get length(): number {
    if (this.ndim === 0) throw new TypeError("len() of unsized object");
    return this._store.shape[0];
  }
  /** NumPy's `device`: "cpu" (placement is the runtime's decision, not the array's). */
  get device(): string {
    return "cpu";
  }

  get shape(): number[] {
    return [...this._store.shape];
  }
  get ndim(): number {
    return this._store.ndim;
  }
  get size(): number {
    return this._store.size;
  }
  get dtype(): DType {
    return this._store.dtype;
  }
  get itemsize(): number {
    return this._store.dtype.itemsize;
  }
  get nbytes(): number {
    return this.size * this.itemsize;
  }
  /** Strides in bytes, as NumPy reports them. */
  get strides(): number[] {
    return this._store.strides.map((s) => s * this.itemsize);
  }
  get T(): ndarray {
    return manip.transpose(this);
  }
  get real(): ndarray {
    return realPart(this);
  }
  get imag(): ndarray {
    return imagPart(this);
  }

  // ---- blocking reads --------------------------------------------------------------

  /** Elements in C order as a new typed array (complex: interleaved re, im; float16: raw bits). */
  toTypedArray(): TypedArray {
    const s = this._store;
    const data = runtime().read(s);
    const lanes = s.dtype.lanes;
    if (s.isContiguous()) return data.slice(s.offset * lanes, (s.offset + s.size) * lanes);
    const out = laneView(s.dtype, new ArrayBuffer(Math.max(1, s.size) * s.dtype.itemsize), 0, s.size);
    const o = out as unknown as { [i: number]: number | bigint },
      d = data as unknown as { [i: number]: number | bigint };
    forEachOffset(
      s.shape,
      s.strides,
      s.offset,
      lanes === 1
        ? (off, k) => {
            o[k] = d[off];
          }
        : (off, k) => {
            o[2 * k] = d[2 * off];
            o[2 * k + 1] = d[2 * off + 1];
          },
    );
    return out;
  }

  /** Elements in C order as JS values. */
  flatValues(): Scalar[] {
    const s = this._store;
    const data = runtime().read(s);
    // Plain numbers (and 64-bit ints' bigints) of a contiguous array: the lanes as they are.
    const k = s.dtype.kind;
    const out: Scalar[] = new Array(s.size);
    if (s.isContiguous() && k !== "b" && k !== "c" && s.dtype.name !== "float16") {
      const d = data as unknown as { readonly [i: number]: Scalar };
      for (let i = 0, o = s.offset; i < out.length; i++) out[i] = d[o + i];
      return out;
    }

    forEachOffset(s.shape, s.strides, s.offset, (off, k) => {
      out[k] = readElement(data, off, s.dtype);
    });
    return out;
  }

  /** @internal nested JS arrays (ndarray.tolist's body). */
  _tolist(bigint: boolean): unknown {
    let flat: unknown[] = this.flatValues();
    if (this.dtype.isBig && !bigint) flat = flat.map(Number);
    const shape = this.shape;
    if (shape.length === 0) return flat[0];
    // Group the innermost dim's runs into lists, then those, out to the first dim.
    let level = flat;
    let outer = this.size;
    for (let d = shape.length - 1; d >= 1; d--) {
      const n = shape[d];
      outer = n === 0 ? shape.slice(0, d).reduce((p, q) => p * q, 1) : outer / n;
      const next = new Array<unknown[]>(outer);
      for (let i = 0; i < outer; i++) next[i] = level.slice(i * n, (i + 1) * n);
      level = next;
    }
    return level;
  }

  /** @internal one element by flat index (ndarray.item's body); 64-bit ints as numbers unless `bigint`. */
  _item(i: number | undefined, bigint: boolean): Scalar {
    const v = this.itemExact(i);
    return typeof v === "bigint" && !bigint ? Number(v) : v;
  }

  private itemExact(i?: number): Scalar {
    if (i === undefined && this.size !== 1) throw new ValueError("can only convert an array of size 1 to a Python scalar");
    let k = i ?? 0;
    if (k < 0) k += this.size;
    if (k < 0 || k >= this.size) throw new IndexError(`index ${i} is out of bounds for axis 0 with size ${this.size}`);
    // Read just the element (a 0-d view): a sharded array sends one value, not all of them.
    const e = this._store.element(k);
    const { data, index } = runtime().readElement(e);
    return readElement(data, index, e.dtype);
  }

  /** Number(a) / +a for size-1 arrays, like Python's float(a). */
  valueOf(): number {
    if (this.size !== 1) throw new TypeError("only length-1 arrays can be converted to Python scalars");
    const v = this.itemExact();
    if (typeof v === "object") throw new TypeError("can't convert complex to float");
    return Number(v);
  }

  /** Async twins of the blocking reads, for browsers' main threads. */
  async data(): Promise<TypedArray> {
    return this.toTypedArray();
  }
  async array(): Promise<unknown> {
    return this._tolist(false);
  }

  toString(): string {
    return arrayStr(printSource(this));
  }
  [inspect.custom](): string {
    return arrayRepr(printSource(this), {}, this);
  }

  /** Release this array's memory now instead of at garbage collection (all views die too). */
  dispose(): void {
    runtime().dispose(this._store);
  }

  // ---- indexing ----------------------------------------------------------------------

  /**
   * a[...]: basic indexing gives a view (`a.get("1:, ::2")`, `a.get(0, np.newaxis, -1)`,
   * `a.get(np.slice(1, null, 2), "...")`); advanced indexing a copy (`a.get([0, 2])`,
   * `a.get(np.array([[0], [1]]), [1, 2])`, `a.get(a.gt(5))`, `a.get(":", mask)`).
   */
  get(...index: idx.IndexItem[]): ndarray {
    return idx.getItem(this, index);
  }
  /**
   * a[...] = value: `a.set("0, :", 7)`, `a.set(0, 1, 5)`, `a.set([0, 2], [7, 8])`,
   * `a.set(a.lt(0), 0)` (the last argument is the value). With repeated indices the last
   * value wins. An index and a value are both required (`a.set("...", 0)` fills).
   */
  set(...args: [...idx.IndexItem[], Operand]): void {
    if (args.length < 2)
      throw new TypeError(
        `ndarray.set() takes an index and a value (${args.length} argument${args.length === 1 ? "" : "s"} given); use a.set("...", value) or a.fill(value) to fill`,
      );
    const value = args[args.length - 1] as Operand;
    idx.setItem(this, args.slice(0, -1) as idx.IndexItem[], value);
  }

  /** Iteration over the first axis, as Python's `for row in a` (a 0-d array is NumPy's TypeError). */
  [Symbol.iterator](): Iterator<ndarray> {
    if (this.ndim === 0) throw new TypeError("iteration over a 0-d array");
    const n = this.shape[0];
    let i = 0;
    return {
      next: (): IteratorResult<ndarray> =>
        i < n ? { value: new ndarray(this._store.project(0, i++)), done: false } : { value: undefined, done: true },
    };
  }

  // ---- NumPy's methods, declared with NumPy's signatures in ndarray_methods.ts
  declare tolist: M["tolist"];
  declare to_arrow: M["to_arrow"];
  declare item: M["item"];
  declare astype: M["astype"];
  declare copy: M["copy"];
  declare fill: M["fill"];
  declare reshape: M["reshape"];
  declare transpose: M["transpose"];
  declare ravel: M["ravel"];
  declare flatten: M["flatten"];
  declare squeeze: M["squeeze"];
  declare swapaxes: M["swapaxes"];
  declare add: M["add"];
  declare subtract: M["subtract"];
  declare sub: M["sub"];
  declare multiply: M["multiply"];
  declare mul: M["mul"];
  declare divide: M["divide"];
  declare div: M["div"];
  declare floor_divide: M["floor_divide"];
  declare mod: M["mod"];
  declare power: M["power"];
  declare pow: M["pow"];
  declare neg: M["neg"];
  declare abs: M["abs"];
  declare eq: M["eq"];
  declare ne: M["ne"];
  declare lt: M["lt"];
  declare le: M["le"];
  declare gt: M["gt"];
  declare ge: M["ge"];
  declare and: M["and"];
  declare or: M["or"];
  declare xor: M["xor"];
  declare not: M["not"];
  declare invert: M["invert"];
  declare left_shift: M["left_shift"];
  declare lshift: M["lshift"];
  declare right_shift: M["right_shift"];
  declare rshift: M["rshift"];
  declare positive: M["positive"];
  declare pos: M["pos"];
  declare divmod: M["divmod"];
  declare iadd: M["iadd"];
  declare isub: M["isub"];
  declare imul: M["imul"];
  declare itruediv: M["itruediv"];
  declare ifloordiv: M["ifloordiv"];
  declare imod: M["imod"];
  declare ipow: M["ipow"];
  declare iand: M["iand"];
  declare ior: M["ior"];
  declare ixor: M["ixor"];
  declare ilshift: M["ilshift"];
  declare irshift: M["irshift"];
  declare imatmul: M["imatmul"];
  declare clip: M["clip"];
  declare round: M["round"];
  declare conj: M["conj"];
  declare conjugate: M["conjugate"];
  declare sum: M["sum"];
  declare prod: M["prod"];
  declare min: M["min"];
  declare max: M["max"];
  declare all: M["all"];
  declare any: M["any"];
  declare argmin: M["argmin"];
  declare argmax: M["argmax"];
  declare mean: M["mean"];
  declare var: M["var"];
  declare std: M["std"];
  declare cumsum: M["cumsum"];
  declare cumprod: M["cumprod"];
  declare argsort: M["argsort"];
  declare sort: M["sort"];
  declare nonzero: M["nonzero"];
  declare take: M["take"];
  declare searchsorted: M["searchsorted"];
  declare partition: M["partition"];
  declare argpartition: M["argpartition"];
  declare diagonal: M["diagonal"];
  declare trace: M["trace"];
  declare choose: M["choose"];
  declare put: M["put"];
  declare compress: M["compress"];
  declare matmul: M["matmul"];
  declare dot: M["dot"];
  declare repeat: M["repeat"];
  declare view: M["view"];
  declare tobytes: M["tobytes"];
  declare tofile: M["tofile"];
  declare byteswap: M["byteswap"];
  declare resize: M["resize"];
  declare to_device: M["to_device"];
  declare includes: M["includes"];
  declare setflags: M["setflags"];
}

/** Lazy element access for printing: reads only what is printed. */
export function printSource(a: ndarray) {
  const s = a._store;
  let data: TypedArray | null = null;
  const strides = s.strides,
    shape = s.shape;
  return {
    shape: a.shape,
    dtype: a.dtype.name,
    get(flat: number): Scalar {
      data ??= runtime().read(s);
      let off = s.offset;
      for (let d = shape.length - 1; d >= 0; d--) {
        off += (flat % shape[d]) * strides[d];
        flat = Math.floor(flat / shape[d]);
      }
      return readElement(data, off, s.dtype);
    },
  };
}

/** @internal make `a` the owner of `store`, its new memory (ndarray.resize). */
export function ownStorage(a: ndarray, store: Store): void {
  (a as { _store: Store })._store = store;
  (store.storage as unknown as Owned)[OWNER] = a;
}

export function fromStore(store: Store): ndarray {
  return new ndarray(store);
}
export { rowMajorStrides };
