/**
 * Arrow interop: ndarrays to and from Arrow columns and tables (zero-copy where the memory
 * allows), Arrow IPC files and Parquet files. See the README's data-model section.
 */
import type * as arrow from "apache-arrow";
import type { ndarray } from "../ndarray.js";
import { tableOf } from "./to_arrow.js";

export { fromArrow as from_arrow } from "./from_arrow.js";
export type { ArrowInput, FromArrowOptions, MaskedColumn } from "./from_arrow.js";
export { saveArrow as save_arrow, readArrow as read_arrow } from "./ipc.js";
export type { TableLike } from "./ipc.js";
export { readParquet as read_parquet, saveParquet as save_parquet } from "./parquet.js";
export type { ReadParquetOptions, SaveParquetOptions } from "./parquet.js";

/** np.to_arrow_table({ x: a, y: b }): the arrays as the columns of one Arrow Table (n-d columns as FixedShapeTensor). */
export function to_arrow_table(columns: Readonly<Record<string, ndarray>>): arrow.Table {
  return tableOf(columns);
}
