import * as arrow from "apache-arrow";
import { DTYPES, laneView, runtime } from "../../core/index.js";
import { ValueError } from "../errors.js";
import { ndarray } from "../ndarray.js";
import { stack } from "../array_joining.js";

export type { FromArrowOptions } from "./columns.js";
import { type FromArrowOptions, type Leaf, checkNulls, leaf, tensorShapeOf, writeChunk, writeMask } from "./columns.js";

/**
 * Arrow → ndarray. A single chunk whose values live in a SharedArrayBuffer (an Arrow IPC
 * file np.load read, a column another Tessera array lent) becomes a store over that memory
 * with no copy; anything else (ArrayBuffer-backed data, several chunks, bit-packed bools,
 * filled nulls) is copied once. Nulls are never dropped silently: by default they are an
 * error; `fill` replaces them, `mask` returns the validity alongside the values.
 */

/** Values plus the null mask (true where null). */
export interface MaskedColumn {
  values: ndarray;
  mask: ndarray;
}

export type ArrowInput = arrow.Table | arrow.RecordBatch | arrow.Vector | arrow.Data;

/** The leaf values as an ndarray: adopted when they can be, else copied; nulls handled per opts. */
function materialize(l: Leaf, opts: FromArrowOptions): ndarray | MaskedColumn {
  const { dtype, shape } = l;
  const nulls = l.chunks.reduce((n, c) => n + c.nulls, 0);
  checkNulls(nulls, opts);
  const only = l.chunks.length === 1 ? l.chunks[0] : null;
  let values: ndarray;
  const at = only ? only.values.byteOffset + only.start * dtype.itemsize : -1;
  // Zero-copy needs shared memory at a whole number of elements (a store's offset counts elements).
  if (only && !l.bool && (nulls === 0 || opts.fill === undefined) && only.values.buffer instanceof SharedArrayBuffer && at % dtype.itemsize === 0) {
    values = new ndarray(runtime().adopt(shape, dtype, only.values.buffer, at));
  } else {
    const total = shape.reduce((a, b) => a * b, 1);
    const out = laneView(dtype, new ArrayBuffer(Math.max(1, total) * dtype.itemsize), 0, total);
    let row = 0;
    for (const c of l.chunks) {
      writeChunk(out, row, c, l, opts);
      row += c.rows;
    }
    values = new ndarray(runtime().attach(shape, dtype, out));
  }
  if (!opts.mask) return values;
  const m = new Uint8Array(Math.max(1, shape[0]));
  let row = 0;
  for (const c of l.chunks) {
    writeMask(m, row, c);
    row += c.rows;
  }
  return { values, mask: new ndarray(runtime().attach([shape[0]], DTYPES.bool, m.subarray(0, shape[0]))) };
}

/** One column (a Vector, a Data, a table's column with its field) as an ndarray. */
function column(chunks: readonly arrow.Data[], field: arrow.Field | null, opts: FromArrowOptions): ndarray | MaskedColumn {
  return materialize(leaf(chunks, opts, tensorShapeOf(field)), opts);
}

/** `{ stack: true }`: a table's columns side by side as one (rows, columns) array. */
export function stackColumns(out: Record<string, ndarray | MaskedColumn>): ndarray {
  const cols = Object.values(out);
  if (cols.some((c) => !(c instanceof ndarray))) throw new ValueError("{ stack: true } cannot be combined with { mask: true }");
  const arrays = cols as ndarray[];
  if (arrays.some((a) => a.dtype !== arrays[0].dtype))
    throw new TypeError(`{ stack: true } needs columns of one dtype, got ${arrays.map((a) => a.dtype.name).join(", ")}`);
  return stack(arrays, 1);
}

/**
 * np.from_arrow(x, opts): an Arrow Vector or Data → an ndarray (a FixedSizeList gives one
 * more dimension per level; a FixedShapeTensor column its shape); a Table or RecordBatch →
 * a record of ndarrays by column name, or one 2-D array with `{ stack: true }`.
 */
export function fromArrow(x: ArrowInput, opts: FromArrowOptions = {}): ndarray | MaskedColumn | Record<string, ndarray | MaskedColumn> {
  if (x instanceof arrow.Table || x instanceof arrow.RecordBatch) {
    const out: Record<string, ndarray | MaskedColumn> = {};
    x.schema.fields.forEach((f, i) => {
      const col = x.getChildAt(i) as arrow.Vector;
      out[f.name] = column(col.data, f, opts);
    });
    return opts.stack ? stackColumns(out) : out;
  }
  if (x instanceof arrow.Vector) return column(x.data, null, opts);
  if (x instanceof arrow.Data) return column([x], null, opts);
  throw new TypeError("from_arrow() expects an Arrow Table, RecordBatch, Vector or Data");
}
