import { inspect } from "node:util";
import { runtime } from "../core/runtime.js";
import { Store, rowMajorStrides } from "../core/store.js";
import { DType, TypedArray, laneView } from "../core/dtype.js";
import { DTypeLike, dtype as toDType, Casting, canCast } from "./dtypes.js";
import { Scalar, forEachOffset, readElement } from "./values.js";
import { arrayRepr, arrayStr } from "./printing/arrayprint.js";
import { IndexError, ValueError } from "./errors.js";
import * as uf from "./ufuncs.js";
import * as red from "./reductions.js";
import * as stats from "./stats_avgs_vars.js";
import * as manip from "./array_manipulation.js";
import * as idx from "./indexing.js";
import * as linalg from "./linalg.js";
import { astype, copyInto } from "./copy.js";
import * as sorting from "./sorting.js";
import * as routines from "./indexing_routines.js";
import * as cumulative from "./cumulative.js";
import type { ArrayLike } from "./creation_from_data.js";
import type { ReduceOptions, ArgOptions, VarOptions } from "./reductions.js";
import type { UfuncOptions } from "./ufunc.js";

export type Operand = ArrayLike;

/**
 * NumPy's ndarray. It holds a core Store; views share it. Every operation becomes a launch
 * in the core runtime (deferred); reading values is a blocking point.
 */
export class ndarray {
  /** @internal the core store behind this array (views share storage). */
  readonly _store: Store;
  constructor(store: Store) { this._store = store; }

  get shape(): number[] { return [...this._store.shape]; }
  get ndim(): number { return this._store.ndim; }
  get size(): number { return this._store.size; }
  get dtype(): DType { return this._store.dtype; }
  get itemsize(): number { return this._store.dtype.itemsize; }
  get nbytes(): number { return this.size * this.itemsize; }
  /** Strides in bytes, as NumPy reports them. */
  get strides(): number[] { return this._store.strides.map((s) => s * this.itemsize); }
  get T(): ndarray { return manip.transpose(this); }
  get real(): ndarray { return uf.real(this); }
  get imag(): ndarray { return uf.imag(this); }

  // ---- blocking reads --------------------------------------------------------------

  /** Elements in C order as a new typed array (complex: interleaved re, im; float16: raw bits). */
  toTypedArray(): TypedArray {
    const s = this._store;
    const data = runtime().read(s);
    const lanes = s.dtype.lanes;
    if (s.isContiguous()) return data.slice(s.offset * lanes, (s.offset + s.size) * lanes);
    const out = laneView(s.dtype, new ArrayBuffer(Math.max(1, s.size) * s.dtype.itemsize), 0, s.size);
    const o = out as unknown as { [i: number]: number | bigint }, d = data as unknown as { [i: number]: number | bigint };
    forEachOffset(s.shape, s.strides, s.offset, lanes === 1 ? (off, k) => { o[k] = d[off]; } : (off, k) => { o[2 * k] = d[2 * off]; o[2 * k + 1] = d[2 * off + 1]; });
    return out;
  }

  /** Elements in C order as JS values. */
  flatValues(): Scalar[] {
    const s = this._store;
    const data = runtime().read(s);
    const out: Scalar[] = new Array(s.size);
    forEachOffset(s.shape, s.strides, s.offset, (off, k) => { out[k] = readElement(data, off, s.dtype); });
    return out;
  }

  /** np.ndarray.tolist: nested JS arrays; int64 as numbers unless `{ bigint: true }`. */
  tolist(opts: { bigint?: boolean } = {}): unknown {
    const flat = this.flatValues().map((v) => (typeof v === "bigint" && !opts.bigint ? Number(v) : v));
    const shape = this.shape;
    let k = 0;
    const build = (d: number): unknown => (d === shape.length ? flat[k++] : Array.from({ length: shape[d] }, () => build(d + 1)));
    return build(0);
  }

  /**
   * np.ndarray.item: the single element (or element `i` of the flattened array). 64-bit
   * integers come back as numbers, like tolist(); pass `{ bigint: true }` to keep them exact.
   */
  item(i?: number | { bigint?: boolean }, opts: { bigint?: boolean } = {}): Scalar {
    if (typeof i === "object") { opts = i; i = undefined; }
    const v = this.itemExact(i);
    return typeof v === "bigint" && !opts.bigint ? Number(v) : v;
  }

  private itemExact(i?: number): Scalar {
    if (i === undefined && this.size !== 1) throw new ValueError("can only convert an array of size 1 to a Python scalar");
    let k = i ?? 0;
    if (k < 0) k += this.size;
    if (k < 0 || k >= this.size) throw new IndexError(`index ${i} is out of bounds for size ${this.size}`);
    // Read just the element (a 0-d view): a sharded array sends one value, not all of them.
    let e = this._store;
    for (let d = e.ndim - 1; d >= 0; d--) { const n = e.shape[d]; e = e.project(d, k % n); k = Math.floor(k / n); }
    return readElement(runtime().read(e), e.offset, e.dtype);
  }

  /** Number(a) / +a for size-1 arrays, like Python's float(a). */
  valueOf(): number {
    if (this.size !== 1) throw new TypeError("only length-1 arrays can be converted to Python scalars");
    const v = this.itemExact();
    if (typeof v === "object") throw new TypeError("can't convert complex to float");
    return Number(v);
  }

  /** Async twins of the blocking reads, for browsers' main threads. */
  async data(): Promise<TypedArray> { return this.toTypedArray(); }
  async array(): Promise<unknown> { return this.tolist(); }

  toString(): string { return arrayStr(printSource(this)); }
  [inspect.custom](): string { return arrayRepr(printSource(this), {}, this); }

  // ---- conversion and copies -------------------------------------------------------

  astype(dtype: DTypeLike, opts: { casting?: Casting; copy?: boolean } = {}): ndarray {
    const to = toDType(dtype);
    const casting = opts.casting ?? "unsafe";
    if (!canCast(this.dtype, to, casting)) throw new TypeError(`Cannot cast array data from dtype('${this.dtype.name}') to dtype('${to.name}') according to the rule '${casting}'`);
    if (to === this.dtype && opts.copy === false) return this;
    return astype(this, to);
  }
  copy(): ndarray { return astype(this, this.dtype); }
  /** Fill every element with `value` in place. */
  fill(value: Scalar): void { copyInto(this, value); }
  /** Release this array's memory now instead of at garbage collection (all views die too). */
  dispose(): void { runtime().dispose(this._store); }

  // ---- indexing ----------------------------------------------------------------------

  /**
   * a[...]: basic indexing gives a view (`a.get("1:, ::2")`, `a.get(0, np.newaxis, -1)`,
   * `a.get(np.slice(1, null, 2), "...")`); advanced indexing a copy (`a.get([0, 2])`,
   * `a.get(np.array([[0], [1]]), [1, 2])`, `a.get(a.gt(5))`, `a.get(":", mask)`).
   */
  get(...index: idx.IndexItem[]): ndarray { return idx.getItem(this, index); }
  /**
   * a[...] = value: `a.set("0, :", 7)`, `a.set(0, 1, 5)`, `a.set([0, 2], [7, 8])`,
   * `a.set(a.lt(0), 0)` (the last argument is the value). With repeated indices the last
   * value wins.
   */
  set(...args: [...idx.IndexItem[], Operand]): void {
    const value = args[args.length - 1] as Operand;
    idx.setItem(this, args.slice(0, -1) as idx.IndexItem[], value);
  }

  // ---- shape -------------------------------------------------------------------------

  reshape(...shape: (number | number[])[]): ndarray { return manip.reshape(this, flattenShapeArgs(shape)); }
  transpose(...axes: (number | number[])[]): ndarray { return manip.transpose(this, axes.length ? flattenShapeArgs(axes) : undefined); }
  ravel(): ndarray { return manip.ravel(this); }
  flatten(): ndarray { return manip.flatten(this); }
  squeeze(axis?: number | number[]): ndarray { return manip.squeeze(this, axis); }
  swapaxes(a: number, b: number): ndarray { return manip.swapaxes(this, a, b); }

  // ---- arithmetic and comparison (ufuncs) ---------------------------------------------

  add(b: Operand, o?: UfuncOptions): ndarray { return uf.add(this, b, o); }
  subtract(b: Operand, o?: UfuncOptions): ndarray { return uf.subtract(this, b, o); }
  sub(b: Operand, o?: UfuncOptions): ndarray { return uf.subtract(this, b, o); }
  multiply(b: Operand, o?: UfuncOptions): ndarray { return uf.multiply(this, b, o); }
  mul(b: Operand, o?: UfuncOptions): ndarray { return uf.multiply(this, b, o); }
  divide(b: Operand, o?: UfuncOptions): ndarray { return uf.divide(this, b, o); }
  div(b: Operand, o?: UfuncOptions): ndarray { return uf.divide(this, b, o); }
  floor_divide(b: Operand, o?: UfuncOptions): ndarray { return uf.floor_divide(this, b, o); }
  mod(b: Operand, o?: UfuncOptions): ndarray { return uf.mod(this, b, o); }
  power(b: Operand, o?: UfuncOptions): ndarray { return uf.power(this, b, o); }
  pow(b: Operand, o?: UfuncOptions): ndarray { return uf.power(this, b, o); }
  neg(o?: UfuncOptions): ndarray { return uf.negative(this, o); }
  abs(o?: UfuncOptions): ndarray { return uf.absolute(this, o); }
  eq(b: Operand, o?: UfuncOptions): ndarray { return uf.equal(this, b, o); }
  ne(b: Operand, o?: UfuncOptions): ndarray { return uf.not_equal(this, b, o); }
  lt(b: Operand, o?: UfuncOptions): ndarray { return uf.less(this, b, o); }
  le(b: Operand, o?: UfuncOptions): ndarray { return uf.less_equal(this, b, o); }
  gt(b: Operand, o?: UfuncOptions): ndarray { return uf.greater(this, b, o); }
  ge(b: Operand, o?: UfuncOptions): ndarray { return uf.greater_equal(this, b, o); }
  and(b: Operand, o?: UfuncOptions): ndarray { return uf.bitwise_and(this, b, o); }
  or(b: Operand, o?: UfuncOptions): ndarray { return uf.bitwise_or(this, b, o); }
  xor(b: Operand, o?: UfuncOptions): ndarray { return uf.bitwise_xor(this, b, o); }
  not(o?: UfuncOptions): ndarray { return uf.invert(this, o); }
  clip(min: Operand | null, max: Operand | null, o?: UfuncOptions): ndarray { return uf.clip(this, min, max, o); }
  round(decimals = 0): ndarray { return uf.round(this, decimals); }
  conj(): ndarray { return uf.conjugate(this); }

  // ---- reductions ----------------------------------------------------------------------

  sum(o?: ReduceOptions): ndarray { return red.sum(this, o); }
  prod(o?: ReduceOptions): ndarray { return red.prod(this, o); }
  min(o?: ReduceOptions): ndarray { return red.min(this, o); }
  max(o?: ReduceOptions): ndarray { return red.max(this, o); }
  all(o?: ReduceOptions): ndarray { return red.all(this, o); }
  any(o?: ReduceOptions): ndarray { return red.any(this, o); }
  argmin(o?: ArgOptions): ndarray { return red.argmin(this, o); }
  argmax(o?: ArgOptions): ndarray { return red.argmax(this, o); }
  mean(o?: ReduceOptions): ndarray { return stats.mean(this, o); }
  var(o?: VarOptions): ndarray { return stats.var_(this, o); }
  std(o?: VarOptions): ndarray { return stats.std(this, o); }
  /** ndarray.cumsum: running sums (np.cumsum). */
  cumsum(o?: cumulative.CumulativeOptions): ndarray { return cumulative.cumsum(this, o); }
  /** ndarray.cumprod: running products (np.cumprod). */
  cumprod(o?: cumulative.CumulativeOptions): ndarray { return cumulative.cumprod(this, o); }

  /** ndarray.argsort: the indices that sort along `axis` (default last; null flattens). */
  argsort(opts: { axis?: number | null; kind?: string; stable?: boolean } = {}): ndarray { return sorting.argsort(this, opts); }
  /** ndarray.nonzero: one int64 array per dimension. */
  nonzero(): ndarray[] { return routines.nonzero(this); }
  /** ndarray.take(indices, {axis, mode}). */
  take(indices: Operand, opts?: { axis?: number | null; mode?: routines.TakeMode }): ndarray { return routines.take(this, indices, opts); }
  /** ndarray.put(indices, values, {mode}): a.flat[indices] = values. */
  put(indices: Operand, values: Operand, opts?: { mode?: routines.TakeMode }): void { routines.put(this, indices, values, opts); }
  /** ndarray.compress(condition, {axis}). */
  compress(condition: Operand, opts?: { axis?: number | null }): ndarray { return routines.compress(condition, this, opts); }

  /** ndarray.sort: sort in place along `axis` (default last), NaN last. */
  sort(opts: { axis?: number } = {}): void { copyInto(this, sorting.sort(this, { axis: opts.axis ?? -1 })); }

  // ---- matrix products -----------------------------------------------------------------

  /** a @ b (np.matmul). */
  matmul(b: Operand, o?: linalg.MatmulOptions): ndarray { return linalg.matmul(this, b, o); }
  /** np.dot(a, b). */
  dot(b: Operand, o?: { out?: ndarray }): ndarray { return linalg.dot(this, b, o); }
}

/** Shape arguments as NumPy takes them: `reshape(3, 4)` or `reshape([3, 4])`. */
export function flattenShapeArgs(args: (number | readonly number[])[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...args[0]];
  return args.map((x) => {
    if (typeof x !== "number") throw new TypeError("'list' object cannot be interpreted as an integer");
    return x;
  });
}

/** Lazy element access for printing: reads only what is printed. */
export function printSource(a: ndarray) {
  const s = a._store;
  let data: TypedArray | null = null;
  const strides = s.strides, shape = s.shape;
  return {
    shape: a.shape,
    dtype: a.dtype.name,
    get(flat: number): Scalar {
      data ??= runtime().read(s);
      let off = s.offset;
      for (let d = shape.length - 1; d >= 0; d--) { off += (flat % shape[d]) * strides[d]; flat = Math.floor(flat / shape[d]); }
      return readElement(data, off, s.dtype);
    },
  };
}

export function fromStore(store: Store): ndarray { return new ndarray(store); }
export { rowMajorStrides };
