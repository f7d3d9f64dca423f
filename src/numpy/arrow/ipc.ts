import { closeSync, fstatSync, openSync, writeFileSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import * as arrow from "apache-arrow";
import { laneView, runtime } from "../../core/index.js";
import { ValueError, fileError } from "../errors.js";
import { readInto } from "../read_at.js";
import { ndarray } from "../ndarray.js";
import { type FromArrowOptions, type MaskedColumn, fromArrow } from "./from_arrow.js";
import { checkNulls, leaf, writeChunk, writeMask } from "./columns.js";
import { agreeOn, columnStores, finishColumns, rowRanges } from "./column_stores.js";
import { tableOf } from "./to_arrow.js";
import { ARRAY_KEY } from "./types.js";

/**
 * Arrow IPC files (the "file" format, .arrow / .feather v2, and the "stream" format). Reading
 * puts the whole file in one SharedArrayBuffer and parses it there, so every column of a
 * single-batch file is adopted by its array without a copy (the file's memory lives as long
 * as any of its arrays). Writing goes through Arrow JS's writer, which pads buffers to 64
 * bytes; the arrays' memory is lent to it, not copied, before it serialises.
 */

/** What np.save_arrow / np.save_parquet accept: one array, a record of columns, or an Arrow Table. */
export type TableLike = ndarray | Readonly<Record<string, ndarray>> | arrow.Table;

/** As an Arrow Table: a lone array is a one-column table marked so that reading gives the array back. */
export function asTable(data: TableLike): arrow.Table {
  if (data instanceof arrow.Table) return data;
  if (data instanceof ndarray) return tableOf({ array: data }, new Map([[ARRAY_KEY, "true"]]));
  if (data === null || typeof data !== "object") throw new TypeError("expected an ndarray, a record of ndarrays or an Arrow Table");
  return tableOf(data);
}

/** A table read from a file: the array back when the file holds one, else the record of columns. */
export function fromTable(t: arrow.Table, opts: FromArrowOptions): ndarray | MaskedColumn | Record<string, ndarray | MaskedColumn> {
  const cols = fromArrow(t, opts);
  if (t.schema.metadata.get(ARRAY_KEY) === "true" && !opts.stack) return (cols as Record<string, ndarray>).array;
  return cols;
}

/** np.save_arrow(file, data, { format }): write an Arrow IPC file ("file", the default) or stream. */
export function saveArrow(file: string, data: TableLike, opts: { format?: "file" | "stream" } = {}): void {
  const format = opts.format ?? "file";
  if (format !== "file" && format !== "stream") throw new ValueError(`format must be 'file' or 'stream', got '${String(format)}'`);
  const bytes = arrow.tableToIPC(asTable(data), format);
  runtime().once(() => writeFileSync(file, bytes));
}

function openOrMissing(file: string): number {
  try {
    return openSync(file, "r");
  } catch (e) {
    throw fileError(file, e);
  }
}

/** The whole file in shared memory. */
export function readShared(file: string): Uint8Array {
  const fd = openOrMissing(file);
  try {
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    if (readInto(fd, bytes, 0) < size) throw new ValueError(`${file}: file shrank while being read`);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** Read an Arrow IPC file or stream (zero-copy into the arrays for single-batch files). */
export function loadArrow(file: string, opts: FromArrowOptions = {}): ndarray | MaskedColumn | Record<string, ndarray | MaskedColumn> {
  const bytes = readShared(file);
  let table: arrow.Table;
  try {
    table = arrow.tableFromIPC(bytes);
    // The reader is lazy: touch every column so a truncated body fails here, not later.
    for (const b of table.batches) for (const c of b.data.children) void c.values;
  } catch (e) {
    throw new ValueError(`${file} is not a valid Arrow IPC file: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (table.schema.fields.length === 0) throw new ValueError(`${file} is not a valid Arrow IPC file: it has no columns`);
  return fromTable(table, opts);
}

/**
 * np.read_arrow(file, opts): an Arrow IPC file read as np.load reads it in a single process
 * (zero-copy). Across MPI ranks, each rank reads only its share of the file's record batches
 * (random access, the file format's footer) and copies them into its block of rows of one
 * distributed array per column. A stream has no footer to seek with: every rank reads it whole.
 */
export async function readArrow(file: string, opts: FromArrowOptions = {}): Promise<ndarray | MaskedColumn | Record<string, ndarray | MaskedColumn>> {
  const rt = runtime();
  const dist = rt.dist;
  if (!dist) return loadArrow(file, opts);
  let fh: FileHandle;
  try {
    fh = await open(file, "r");
  } catch (e) {
    throw fileError(file, e);
  }
  let failure: unknown = null;
  let schema: arrow.Schema | null = null;
  const batches: arrow.RecordBatch[] = [];
  let stream = false;
  try {
    const reader = await arrow.RecordBatchReader.from(fh);
    await reader.open();
    schema = reader.schema;
    if (!reader.isFile()) stream = true;
    else {
      const n = reader.numRecordBatches;
      for (let i = Math.floor((dist.rank * n) / dist.ranks); i < Math.floor(((dist.rank + 1) * n) / dist.ranks); i++) {
        const b = await reader.readRecordBatch(i);
        if (b) batches.push(b);
      }
    }
  } catch (e) {
    failure = new ValueError(`${file} is not a valid Arrow IPC file: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await fh.close();
  }
  agreeOn(failure);
  if (dist.bcast(stream)) return loadArrow(file, opts);
  const s = schema as arrow.Schema;
  // Every rank learns every rank's row count.
  const mine = batches.reduce((n, b) => n + b.numRows, 0);
  const rowsPerRank = dist.comm.allgather(new Uint8Array(new Float64Array([mine]).buffer)).map((b) => new Float64Array(b.buffer, b.byteOffset, 1)[0]);
  const names = s.fields.map((f) => f.name);
  const cols = columnStores(s, names, opts, rowsPerRank);
  failure = null;
  try {
    let row = rowRanges(rowsPerRank).first[dist.rank];
    for (const b of batches) {
      cols.forEach((c, i) => {
        const l = leaf(b.getChildAt(i)?.data ?? [], opts, c.tensor);
        const layout = { ...l, shape: c.shape };
        const values = laneView(l.dtype, c.values, 0, c.array.size);
        let r = row;
        for (const chunk of l.chunks) {
          checkNulls(chunk.nulls, opts, `column '${c.name}' of ${file}`, false);
          writeChunk(values, r, chunk, layout, opts);
          if (c.mask) writeMask(new Uint8Array(c.mask), r, chunk);
          r += chunk.rows;
        }
      });
      row += b.numRows;
    }
  } catch (e) {
    failure = e;
  }
  agreeOn(failure);
  return finishColumns(cols, rowsPerRank, s.metadata, opts);
}

/** The Arrow IPC magic at the start of a file ("ARROW1") or a stream (a continuation marker). */
export function isArrowIpc(head: Uint8Array): boolean {
  const file = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];
  if (head.length >= 6 && file.every((b, i) => head[i] === b)) return true;
  return head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff;
}
