import * as arrow from "apache-arrow";
import { DTYPES, runtime, span } from "../../core/index.js";
import { ndarray } from "../ndarray.js";
import { type FromArrowOptions, leaf, tensorShapeOf } from "./columns.js";
import { type MaskedColumn, stackColumns } from "./from_arrow.js";
import type { DecodeTarget } from "./parquet_worker.js";
import { ARRAY_KEY } from "./types.js";

/**
 * The arrays a file reader fills: one store per column, of the file's total rows, where rank r
 * fills the rows `rowsPerRank[r]` after those of the ranks before it (the rank layer records
 * who holds what, so the result is one distributed array). Shared by the Parquet and the
 * Arrow IPC readers.
 */

export interface ColumnStore extends DecodeTarget {
  array: ndarray;
}

/** This rank's first row and every rank's row range. */
export function rowRanges(rowsPerRank: readonly number[]): { first: number[]; total: number } {
  const first: number[] = [];
  let total = 0;
  for (const n of rowsPerRank) {
    first.push(total);
    total += n;
  }
  return { first, total };
}

/** A store per column `names` of `schema` (zero-filled; each rank then writes its rows). */
export function columnStores(schema: arrow.Schema, names: readonly string[], opts: FromArrowOptions, rowsPerRank: readonly number[]): ColumnStore[] {
  const { first, total } = rowRanges(rowsPerRank);
  return names.map((name) => {
    const field = schema.fields.find((f) => f.name === name) as arrow.Field;
    const tensor = tensorShapeOf(field);
    const layout = leaf([arrow.makeData({ type: field.type } as Parameters<typeof arrow.makeData>[0])], opts, tensor);
    const shape = [total, ...layout.shape.slice(1)];
    const cell = shape.slice(1).reduce((a, b) => a * b, 1);
    const parts = rowsPerRank.map((n, r) => span(first[r] * cell, (first[r] + n) * cell));
    const { store, buffer } = runtime().fillParts(shape, layout.dtype, parts);
    const mask = opts.mask ? new SharedArrayBuffer(Math.max(1, total)) : null;
    return { name, dtype: layout.dtype.name, shape, tensor, bool: layout.bool, values: buffer, mask, array: new ndarray(store) };
  });
}

/** Every rank raises the failure of any rank's part (one process: its own). */
export function agreeOn(failure: unknown): void {
  const dist = runtime().dist;
  if (dist) dist.agree(failure);
  else if (failure) throw failure;
}

/** The filled columns as np.from_arrow gives them: a record by name, the lone array of a one-array file, or `{ stack: true }`'s 2-D array. */
export function finishColumns(
  cols: readonly ColumnStore[],
  rowsPerRank: readonly number[],
  metadata: Map<string, string>,
  opts: FromArrowOptions,
): ndarray | MaskedColumn | Record<string, ndarray | MaskedColumn> {
  const { first, total } = rowRanges(rowsPerRank);
  const rowParts = rowsPerRank.map((n, r) => span(first[r], first[r] + n));
  const out: Record<string, ndarray | MaskedColumn> = {};
  for (const c of cols) {
    if (!c.mask) {
      out[c.name] = c.array;
      continue;
    }
    const { store, buffer } = runtime().fillParts([total], DTYPES.bool, rowParts);
    new Uint8Array(buffer, 0, total).set(new Uint8Array(c.mask, 0, total));
    out[c.name] = { values: c.array, mask: new ndarray(store) };
  }
  if (metadata.get(ARRAY_KEY) === "true" && cols.length === 1 && !opts.stack) return out[cols[0].name];
  return opts.stack ? stackColumns(out) : out;
}
