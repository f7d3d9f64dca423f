/**
 * Arrow interop: ndarrays to and from Arrow columns and tables (zero-copy where the memory
 * allows), Arrow IPC files and Parquet files. See the README's data-model section. Tessera's
 * own functions (NumPy has none of them), declared like NumPy's so that a misspelled option
 * is an error rather than ignored.
 */
import type * as arrow from "apache-arrow";
import { ValueError } from "../errors.js";
import { ndarray } from "../ndarray.js";
import { arg } from "../param_types.js";
import { def } from "../signature.js";
import type { FromArrowOptions } from "./columns.js";
import { type ArrowInput, type MaskedColumn, fromArrow } from "./from_arrow.js";
import { type TableLike, readArrow, saveArrow } from "./ipc.js";
import { readParquet, saveParquet } from "./parquet.js";
import { tableOf } from "./to_arrow.js";

export type { ArrowInput, FromArrowOptions, MaskedColumn } from "./from_arrow.js";
export type { TableLike } from "./ipc.js";
export type { ReadParquetOptions, SaveParquetOptions } from "./parquet.js";

type Result = ndarray | MaskedColumn | Record<string, ndarray | MaskedColumn>;
const NULLS = "fill=None, mask=False, stack=False, temporal=None, dictionary=None";
const NULL_ARGS = { fill: arg.any, mask: arg.bool, stack: arg.bool, temporal: arg.strOrNone, dictionary: arg.strOrNone };

/** The options object of np.from_arrow from its keyword arguments. */
function optionsOf(p: { fill: unknown; mask: boolean; stack: boolean; temporal: string | null; dictionary: string | null }): FromArrowOptions {
  if (p.temporal !== null && p.temporal !== "int64") throw new ValueError(`temporal must be 'int64' or None, got '${p.temporal}'`);
  if (p.dictionary !== null && p.dictionary !== "decode") throw new ValueError(`dictionary must be 'decode' or None, got '${p.dictionary}'`);
  const fill = p.fill === null ? undefined : (p.fill as FromArrowOptions["fill"]);
  return { fill, mask: p.mask, stack: p.stack, temporal: p.temporal ?? undefined, dictionary: p.dictionary ?? undefined };
}

/** np.from_arrow(x, { fill, mask, stack, temporal, dictionary }): an Arrow Vector, Data, Table or RecordBatch as ndarrays. */
export const from_arrow = def(
  "from_arrow",
  `x, /, *, ${NULLS}`,
  { x: arg.any, ...NULL_ARGS },
  (p): Result => fromArrow(p.x as ArrowInput, optionsOf(p)),
);

/** np.to_arrow_table({ x: a, y: b }): the arrays as the columns of one Arrow Table (n-d columns as FixedShapeTensor). */
export const to_arrow_table = def("to_arrow_table", "**columns", { columns: arg.any }, (p): arrow.Table => {
  const cols = p.columns as Record<string, unknown>;
  for (const [k, v] of Object.entries(cols)) if (!(v instanceof ndarray)) throw new TypeError(`column '${k}' is not an ndarray`);
  return tableOf(cols as Record<string, ndarray>);
});

/** What to write: `data` (an array, a record of arrays, an Arrow Table) or the arrays given by name. */
function dataOf(name: string, data: unknown, columns: Record<string, unknown>): TableLike {
  // A keyword that is not an option and not an array is a misspelled option.
  for (const [k, v] of Object.entries(columns))
    if (!(v instanceof ndarray)) throw new TypeError(`${name}() got an unexpected keyword argument '${k}'`);
  const named = Object.keys(columns).length > 0;
  if (data !== null && named) throw new TypeError(`${name}() takes either data or arrays by name, not both`);
  if (data === null && !named) throw new TypeError(`${name}() needs data: an array, a record of arrays or an Arrow Table`);
  return (data ?? columns) as TableLike;
}

/** np.save_arrow(file, data, { format }) or np.save_arrow(file, { x: a, y: b }): an Arrow IPC file ("file") or stream ("stream"). */
export const save_arrow = def(
  "save_arrow",
  "file, data=None, /, *, format='file', **columns",
  { file: arg.str, data: arg.any, format: arg.str, columns: arg.any },
  (p): void => saveArrow(p.file, dataOf("save_arrow", p.data, p.columns), { format: p.format as "file" }),
);

/** await np.read_arrow(file, opts): an Arrow IPC file; across MPI ranks each rank reads its record batches. */
export const read_arrow = def(
  "read_arrow",
  `file, /, *, ${NULLS}`,
  { file: arg.str, ...NULL_ARGS },
  (p): Promise<Result> => readArrow(p.file, optionsOf(p)),
);

/** np.save_parquet(file, data, { compression, row_group_size }) or np.save_parquet(file, { x: a, y: b }). */
export const save_parquet = def(
  "save_parquet",
  "file, data=None, /, *, compression='snappy', row_group_size=1048576, **columns",
  { file: arg.str, data: arg.any, compression: arg.str, row_group_size: arg.int, columns: arg.any },
  (p): void =>
    saveParquet(p.file, dataOf("save_parquet", p.data, p.columns), {
      compression: p.compression as "snappy",
      row_group_size: p.row_group_size,
    }),
);

/** await np.read_parquet(file, { columns, fill, mask, stack, … }): a Parquet file's columns, decoded on every core. */
export const read_parquet = def(
  "read_parquet",
  `file, /, *, columns=None, ${NULLS}`,
  { file: arg.str, columns: arg.any, ...NULL_ARGS },
  (p): Promise<Result> => {
    const columns = p.columns === null ? undefined : (p.columns as string[]);
    if (columns !== undefined && (!Array.isArray(columns) || columns.some((c) => typeof c !== "string")))
      throw new TypeError("columns must be a list of column names");
    return readParquet(p.file, { ...optionsOf(p), columns });
  },
);
