import * as arrow from "apache-arrow";
import { DTYPES, ValueError, f2h } from "../../core/task_api.js";
import type { DType, TypedArray } from "../../core/task_api.js";
import { TENSOR_EXTENSION, complexDType, primitiveDType, typeName } from "./types.js";

/**
 * An Arrow column seen as NumPy sees it: its element dtype, its shape (one more dimension
 * per FixedSizeList level, or a FixedShapeTensor's cell shape) and each chunk's leaf values,
 * copied row by row into a store's memory. Loaded by np.from_arrow and by the Parquet decode
 * workers, so it imports no runtime.
 */

/** How np.from_arrow treats what NumPy cannot hold. */
export interface FromArrowOptions {
  /** Replace nulls with this value (the values are then a copy). */
  fill?: number | bigint | boolean;
  /** Return `{ values, mask }`, mask true where the value is null (numpy.ma's convention). */
  mask?: boolean;
  /** For a table: one 2-D array (rows × columns) instead of a record of columns, when the columns share a dtype. */
  stack?: boolean;
  /** Dates, times, timestamps and durations: as their stored integers ("int64": int32 or int64 as Arrow stores them), else a TypeError. */
  temporal?: "int64";
  /** Dictionary-encoded columns: "decode" gives the values (when they are numeric), else a TypeError. */
  dictionary?: "decode";
}

/** One chunk's leaf values (lanes) from element `start`, its row count and its row validity. */
export interface Chunk {
  values: TypedArray;
  start: number;
  rows: number;
  valid: ((row: number) => boolean) | null;
  nulls: number;
}

/** One column, flattened: its element dtype, its shape, and its chunks' leaf data. */
export interface Leaf {
  dtype: DType;
  shape: number[];
  chunks: Chunk[];
  bool: boolean;
}

function unsupportedType(t: arrow.DataType, hint = ""): TypeError {
  return new TypeError(`Arrow type ${typeName(t)} has no NumPy equivalent${hint}`);
}

/** Row validity of an Arrow Data (null when it has no nulls). */
function validity(d: arrow.Data): ((row: number) => boolean) | null {
  if (d.nullCount === 0 || !d.nullBitmap) return null;
  const bits = d.nullBitmap,
    off = d.offset;
  return (row) => ((bits[(off + row) >> 3] >> ((off + row) & 7)) & 1) === 1;
}

/**
 * Walk a chunk down through FixedSizeLists to its leaf values. Arrow JS slices value buffers
 * (and children) with the data, so a leaf starts at its buffer's first element, except
 * bit-packed bools, which start at bit `offset`.
 */
function leafOf(d: arrow.Data, opts: FromArrowOptions): { dtype: DType; cell: number[]; values: TypedArray; start: number; bool: boolean } {
  const t = d.type as arrow.DataType;
  const c = complexDType(t);
  if (c) {
    const child = d.children[0];
    if (child.nullCount) throw new ValueError("an Arrow complex column has null parts");
    return { dtype: c, cell: [], values: child.values as TypedArray, start: 0, bool: false };
  }
  if (arrow.DataType.isFixedSizeList(t)) {
    const child = d.children[0];
    if (child.nullCount) throw new ValueError(`an Arrow ${typeName(t)} column has null elements inside its lists; only whole rows may be null`);
    const inner = leafOf(child, opts);
    return { ...inner, cell: [t.listSize, ...inner.cell] };
  }
  if (arrow.DataType.isDictionary(t)) {
    if (opts.dictionary !== "decode") throw unsupportedType(t, " (pass { dictionary: 'decode' } for its values)");
    const dict = d.dictionary?.data[0];
    if (!dict || !primitiveDType(dict.type) || arrow.DataType.isBool(dict.type)) throw unsupportedType(t);
    const dt = primitiveDType(dict.type) as DType;
    const keys = d.values as TypedArray,
      src = dict.values as TypedArray;
    const out = new (dt.laneArray as unknown as new (n: number) => TypedArray)(d.length) as unknown as { [i: number]: number | bigint };
    for (let i = 0; i < d.length; i++)
      out[i] = (src as unknown as { [i: number]: number | bigint })[Number((keys as unknown as { [i: number]: number | bigint })[i])];
    return { dtype: dt, cell: [], values: out as unknown as TypedArray, start: 0, bool: false };
  }
  if (arrow.DataType.isDate(t) || arrow.DataType.isTime(t) || arrow.DataType.isTimestamp(t) || arrow.DataType.isDuration(t)) {
    if (opts.temporal !== "int64") throw unsupportedType(t, " (pass { temporal: 'int64' } for its stored integers)");
    const v = d.values as TypedArray;
    const wide = v instanceof BigInt64Array;
    // Arrow JS keeps some 64-bit temporal values as pairs of int32.
    const values = !wide && v instanceof Int32Array && d.stride === 2 ? new BigInt64Array(v.buffer, v.byteOffset, v.length / 2) : v;
    return { dtype: values instanceof BigInt64Array ? DTYPES.int64 : DTYPES.int32, cell: [], values, start: 0, bool: false };
  }
  const dt = primitiveDType(t);
  if (!dt) throw unsupportedType(t);
  if (dt === DTYPES.bool) return { dtype: dt, cell: [], values: d.values as Uint8Array, start: d.offset, bool: true };
  return { dtype: dt, cell: [], values: d.values as TypedArray, start: 0, bool: false };
}

export function leaf(chunks: readonly arrow.Data[], opts: FromArrowOptions, tensorShape: number[] | null): Leaf {
  if (chunks.length === 0) throw new ValueError("an Arrow vector with no chunks");
  const parts = chunks.map((d) => ({ d, l: leafOf(d, opts) }));
  const { dtype, cell, bool } = parts[0].l;
  const rows = chunks.reduce((n, d) => n + d.length, 0);
  let shape = [rows, ...cell];
  if (tensorShape) {
    if (cell.length !== 1 || tensorShape.reduce((a, b) => a * b, 1) !== cell[0])
      throw new ValueError(`FixedShapeTensor shape ${JSON.stringify(tensorShape)} does not match its list size ${cell[0]}`);
    shape = [rows, ...tensorShape];
  }
  return {
    dtype,
    shape,
    bool,
    chunks: parts.map(({ d, l }) => ({ values: l.values, start: l.start, rows: d.length, valid: validity(d), nulls: d.nullCount })),
  };
}

/** The FixedShapeTensor cell shape from a field's extension metadata, or null. */
export function tensorShapeOf(field: arrow.Field | null): number[] | null {
  if (!field || field.metadata.get("ARROW:extension:name") !== TENSOR_EXTENSION) return null;
  const meta = JSON.parse(field.metadata.get("ARROW:extension:metadata") ?? "{}") as { shape?: number[]; permutation?: number[] };
  if (meta.permutation && meta.permutation.some((p, i) => p !== i))
    throw new TypeError("a FixedShapeTensor with a permutation is not supported (only row-major tensors)");
  return meta.shape ?? null;
}

/** Nulls are an error unless the caller said how to treat them. */
export function checkNulls(nulls: number, opts: FromArrowOptions, column = "the Arrow column", counted = true): void {
  if (nulls > 0 && opts.fill === undefined && !opts.mask)
    throw new ValueError(
      `${column} has ${counted ? `${nulls} ` : ""}null value(s); pass { fill: value } to replace them or { mask: true } to get a null mask`,
    );
}

/** Copy chunk `c` of `l` into `out` (lanes of l.dtype) from row `row`, nulls filled when opts.fill says so. */
export function writeChunk(out: TypedArray, row: number, c: Chunk, l: Leaf, opts: FromArrowOptions): void {
  const { dtype, shape } = l;
  const lanes = dtype.lanes;
  const cell = shape.slice(1).reduce((a, b) => a * b, 1);
  const at = row * cell,
    n = c.rows * cell;
  const o = out as unknown as { [i: number]: unknown; set(a: ArrayLike<unknown>, at: number): void };
  if (l.bool) for (let i = 0; i < n; i++) o[at + i] = ((c.values as Uint8Array)[(c.start + i) >> 3] >> ((c.start + i) & 7)) & 1;
  else
    o.set(
      (c.values as unknown as { subarray(a: number, b: number): ArrayLike<unknown> }).subarray(c.start * lanes, (c.start + n) * lanes),
      at * lanes,
    );
  if (c.valid && opts.fill !== undefined) {
    const fill = fillValue(opts.fill, dtype);
    const zero = typeof fill === "bigint" ? 0n : 0;
    for (let r = 0; r < c.rows; r++) {
      if (c.valid(r)) continue;
      // a complex null becomes fill + 0j
      for (let k = 0; k < cell * lanes; k++) o[(at + r * cell) * lanes + k] = k % lanes === 0 ? fill : zero;
    }
  }
}

/** Set mask[row + r] for chunk `c`'s null rows. */
export function writeMask(mask: Uint8Array, row: number, c: Chunk): void {
  if (c.valid) for (let r = 0; r < c.rows; r++) mask[row + r] = c.valid(r) ? 0 : 1;
}

function fillValue(v: number | bigint | boolean, dt: DType): number | bigint {
  if (dt.name === "int64" || dt.name === "uint64") return BigInt(typeof v === "boolean" ? Number(v) : v);
  if (dt.name === "float16") return f2h(Number(v)); // float16 lanes are the raw bits
  return Number(v);
}
