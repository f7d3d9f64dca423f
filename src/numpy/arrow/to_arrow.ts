import * as arrow from "apache-arrow";
import { laneView, runtime } from "../../core/index.js";
import { ascontiguousarray } from "../array_kind.js";
import { ValueError } from "../errors.js";
import type { ndarray } from "../ndarray.js";
import { TENSOR_EXTENSION, arrowType } from "./types.js";

/**
 * ndarray → Arrow. A contiguous array's store memory becomes the Arrow buffer itself (no
 * copy: the runtime lends it and never reuses it while Arrow may read it); a strided view is
 * copied once into a contiguous array first. bool is bit-packed (a copy), as Arrow's Bool is.
 */

/** The Arrow Data over `a`'s elements, flat (a.size values of a's element type). */
function flatData(a: ndarray): arrow.Data {
  const c = a._store.isContiguous() ? a : ascontiguousarray(a);
  const store = c._store;
  const dt = store.dtype;
  const buffer = runtime().lend(store);
  const values = laneView(dt, buffer, store.offset, store.size);
  const type = arrowType(dt);
  if (dt.name === "bool") return arrow.makeData({ type: type as arrow.Bool, length: store.size, data: packBits(values as Uint8Array) });
  if (dt.kind === "c") {
    const [field] = (type as arrow.FixedSizeList).children;
    const child = arrow.makeData({ type: field.type as arrow.Float, length: 2 * store.size, data: values as Float64Array });
    return arrow.makeData({ type: type as arrow.FixedSizeList, length: store.size, child });
  }
  return arrow.makeData({ type: type as arrow.Int, length: store.size, data: values as Int32Array });
}

/** Arrow's bit-packed booleans (LSB first) from one byte per element. */
function packBits(v: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(v.length / 64) * 8);
  for (let i = 0; i < v.length; i++) if (v[i]) out[i >> 3] |= 1 << (i & 7);
  return out;
}

/** `data` (n·k elements) as n fixed-size lists of k. */
function listOf(data: arrow.Data, n: number, k: number): arrow.Data {
  const type = new arrow.FixedSizeList(k, new arrow.Field("item", data.type, false));
  return arrow.makeData({ type, length: n, child: data });
}

/**
 * a.to_arrow(): a 1-d array as an Arrow Vector of its element type; an n-d array as a Vector
 * of shape[0] rows, each a nested FixedSizeList of the remaining dimensions (row-major), so
 * the shape travels with the type. Zero-copy over contiguous memory.
 */
export function toArrow(a: ndarray): arrow.Vector {
  if (a.ndim === 0) throw new ValueError("a 0-d array has no Arrow equivalent; reshape it to (1,) first");
  let data = flatData(a);
  let rows = a.size;
  for (let d = a.ndim - 1; d >= 1; d--) {
    rows /= a.shape[d];
    data = listOf(data, rows, a.shape[d]);
  }
  return arrow.makeVector(data);
}

/**
 * One table column: a 1-d array as itself; an n-d array as Arrow's canonical
 * FixedShapeTensor extension type (a FixedSizeList of the product of the trailing
 * dimensions, the shape in the field's extension metadata), which other Arrow tools read.
 */
export function tensorColumn(name: string, a: ndarray): { field: arrow.Field; data: arrow.Data } {
  if (a.ndim <= 1) {
    const data = flatData(a.ndim === 0 ? a.reshape(1) : a);
    return { field: new arrow.Field(name, data.type, false), data };
  }
  const cell = a.shape.slice(1);
  const k = cell.reduce((x, y) => x * y, 1);
  const data = listOf(flatData(a), a.shape[0], k);
  const metadata = new Map([
    ["ARROW:extension:name", TENSOR_EXTENSION],
    ["ARROW:extension:metadata", JSON.stringify({ shape: cell })],
  ]);
  return { field: new arrow.Field(name, data.type, false, metadata), data };
}

/** The columns as one Arrow Table (one record batch; zero-copy for contiguous columns). */
export function tableOf(columns: Readonly<Record<string, ndarray>>, metadata?: Map<string, string>): arrow.Table {
  const names = Object.keys(columns);
  if (names.length === 0) throw new ValueError("a table needs at least one column");
  const cols = names.map((n) => tensorColumn(n, columns[n]));
  const length = cols[0].data.length;
  for (let i = 1; i < cols.length; i++) {
    if (cols[i].data.length !== length)
      throw new ValueError(
        `all columns must have the same length: column '${names[0]}' has ${length} rows, column '${names[i]}' has ${cols[i].data.length}`,
      );
  }
  const schema = new arrow.Schema(
    cols.map((c) => c.field),
    metadata,
  );
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children: cols.map((c) => c.data) });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, struct)]);
}
