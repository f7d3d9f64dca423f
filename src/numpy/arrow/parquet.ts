import { openAsBlob, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as arrow from "apache-arrow";
import { parseRecordBatch } from "arrow-js-ffi";
import { DTYPES, laneView, runtime, span } from "../../core/index.js";
import type { Intervals, TypedArray } from "../../core/index.js";
import { ValueError } from "../errors.js";
import { ndarray } from "../ndarray.js";
import {
  type FromArrowOptions,
  type Leaf,
  type MaskedColumn,
  checkNulls,
  leaf,
  stackColumns,
  tensorShapeOf,
  writeChunk,
  writeMask,
} from "./from_arrow.js";
import { type TableLike, asTable } from "./ipc.js";
import { ARRAY_KEY } from "./types.js";

/**
 * Parquet files through parquet-wasm (the Rust `parquet` crate of Apache Arrow, compiled to
 * WebAssembly): every encoding and compression codec Parquet has, Arrow's schema kept in the
 * file's metadata (so FixedShapeTensor and complex columns come back as they were written).
 *
 * Reading takes only the byte ranges of the row groups and columns asked for. Each rank reads
 * the row groups that hold its block of rows and copies each decoded batch once, straight
 * from WebAssembly memory into the arrays' stores, so the result is one distributed array
 * whose blocks were never on another rank.
 */

type ParquetWasm = typeof import("parquet-wasm/node");
type ParquetFile = import("parquet-wasm/node").ParquetFile;
type WasmTable = import("parquet-wasm/node").Table;
let wasm: ParquetWasm | null = null;
/** parquet-wasm's Node build (loaded on first use: it compiles a 15 MB WebAssembly module). */
function parquetWasm(): ParquetWasm {
  return (wasm ??= createRequire(import.meta.url)("parquet-wasm/node") as ParquetWasm);
}

/** Options of np.read_parquet. */
export interface ReadParquetOptions extends FromArrowOptions {
  /** Only these columns, in this order (all by default). */
  columns?: readonly string[];
}

const CODECS = ["uncompressed", "snappy", "gzip", "brotli", "lz4", "zstd"] as const;
/** Options of np.save_parquet. */
export interface SaveParquetOptions {
  /** The codec of every column (default "snappy", as pandas and pyarrow write). */
  compression?: (typeof CODECS)[number];
  /** Rows per row group (default 1,048,576): the unit a reader can skip or read in parallel. */
  row_group_size?: number;
}

function invalid(file: string, e: unknown): ValueError {
  return new ValueError(`${file} is not a valid Parquet file: ${e instanceof Error ? e.message : String(e)}`);
}

/** np.save_parquet(file, data, opts): one array, a record of columns or an Arrow Table, as a Parquet file. */
export function saveParquet(file: string, data: TableLike, opts: SaveParquetOptions = {}): void {
  const codec = opts.compression ?? "snappy";
  if (!CODECS.includes(codec)) throw new ValueError(`compression must be one of ${CODECS.map((c) => `'${c}'`).join(", ")}, got '${String(codec)}'`);
  const rows = opts.row_group_size ?? 1 << 20;
  if (!Number.isInteger(rows) || rows < 1) throw new ValueError(`row_group_size must be a positive integer, got ${rows}`);
  const pw = parquetWasm();
  const C = pw.Compression;
  const code = { uncompressed: C.UNCOMPRESSED, snappy: C.SNAPPY, gzip: C.GZIP, brotli: C.BROTLI, lz4: C.LZ4_RAW, zstd: C.ZSTD }[codec];
  const ipc = arrow.tableToIPC(asTable(data), "stream");
  runtime().once(() => {
    const table = pw.Table.fromIPCStream(ipc);
    const props = new pw.WriterPropertiesBuilder().setCompression(code).setMaxRowGroupSize(rows).build();
    writeFileSync(file, pw.writeParquet(table, props));
  });
}

/** One output column: its layout, its store's host memory and its null mask. */
interface Target {
  name: string;
  layout: Leaf;
  tensor: number[] | null;
  values: TypedArray;
  store: ndarray;
  mask: Uint8Array | null;
  nulls: number;
}

/**
 * Row groups [g0, g1) per rank: consecutive groups, cut where the running row count passes
 * r·rows/ranks, so each rank reads about as many rows.
 */
function groupsPerRank(rowsOf: readonly number[], ranks: number): [number, number][] {
  const total = rowsOf.reduce((a, b) => a + b, 0);
  const out: [number, number][] = [];
  let g = 0,
    seen = 0;
  for (let r = 0; r < ranks; r++) {
    const start = g;
    const until = ((r + 1) * total) / ranks;
    while (g < rowsOf.length && (r === ranks - 1 || seen + rowsOf[g] / 2 <= until)) seen += rowsOf[g++];
    out.push([start, g]);
  }
  return out;
}

/**
 * np.read_parquet(file, opts): the file's columns as a record of arrays by name (the array
 * itself when the file holds one array written by np.save_parquet; a 2-D array with
 * `{ stack: true }`). Nulls as np.from_arrow treats them.
 */
export async function readParquet(
  file: string,
  opts: ReadParquetOptions = {},
): Promise<ndarray | MaskedColumn | Record<string, ndarray | MaskedColumn>> {
  const pw = parquetWasm();
  let pf: ParquetFile;
  let schema: arrow.Schema;
  try {
    pf = await pw.ParquetFile.fromFile(await openAsBlob(file));
    schema = arrow.tableFromIPC(pf.schema().intoIPCStream()).schema;
  } catch (e) {
    throw invalid(file, e);
  }
  const meta = pf.metadata();
  const rowsOf = Array.from({ length: meta.numRowGroups() }, (_, g) => meta.rowGroup(g).numRows());
  const rows = rowsOf.reduce((a, b) => a + b, 0);
  const names = opts.columns ? [...opts.columns] : schema.fields.map((f) => f.name);
  for (const n of names)
    if (!schema.fields.some((f) => f.name === n))
      throw new ValueError(`${file} has no column '${n}' (it has ${schema.fields.map((f) => `'${f.name}'`).join(", ")})`);

  const rt = runtime();
  const ranks = rt.dist?.ranks ?? 1;
  const rank = rt.dist?.rank ?? 0;
  const perRank = groupsPerRank(rowsOf, ranks);
  const firstRow = (g: number): number => rowsOf.slice(0, g).reduce((a, b) => a + b, 0);
  const targets: Target[] = names.map((name) => {
    const field = schema.fields.find((f) => f.name === name) as arrow.Field;
    const tensor = tensorShapeOf(field);
    const layout = leaf([arrow.makeData({ type: field.type } as Parameters<typeof arrow.makeData>[0])], opts, tensor);
    const shape = [rows, ...layout.shape.slice(1)];
    const cell = shape.slice(1).reduce((a, b) => a * b, 1);
    const parts: Intervals[] = perRank.map(([g0, g1]) => span(firstRow(g0) * cell, firstRow(g1) * cell));
    const { store, buffer } = rt.fillParts(shape, layout.dtype, parts);
    const mask = opts.mask ? new Uint8Array(Math.max(1, rows)) : null;
    return {
      name,
      layout: { ...layout, shape },
      tensor,
      values: laneView(layout.dtype, buffer, 0, store.size),
      store: new ndarray(store),
      mask,
      nulls: 0,
    };
  });

  const [g0, g1] = perRank[rank];
  let row = firstRow(g0);
  for (let g = g0; g < g1; g++) {
    let table: WasmTable;
    try {
      table = await pf.read({ rowGroups: [g], columns: names, batchSize: rowsOf[g] || 1 });
    } catch (e) {
      throw invalid(file, e);
    }
    for (const b of table.recordBatches()) {
      const ffi = b.intoFFI();
      // Views into WebAssembly memory (no copy), read before anything else grows it.
      const batch = parseRecordBatch(pw.wasmMemory().buffer, ffi.arrayAddr(), ffi.schemaAddr(), false);
      targets.forEach((t, i) => {
        const col = leaf([batch.getChildAt(i)?.data[0] as arrow.Data], opts, t.tensor);
        const c = col.chunks[0];
        t.nulls += c.nulls;
        checkNulls(t.nulls, opts, `column '${t.name}' of ${file}`);
        writeChunk(t.values, row, c, t.layout, opts);
        if (t.mask) writeMask(t.mask, row, c);
      });
      row += batch.numRows;
      ffi.free();
    }
    table.free();
  }
  pf.free();

  const out: Record<string, ndarray | MaskedColumn> = {};
  for (const t of targets) out[t.name] = t.mask ? { values: t.store, mask: maskArray(t.mask, rows, perRank, firstRow) } : t.store;
  if (schema.metadata.get(ARRAY_KEY) === "true" && names.length === 1 && !opts.stack) return out[names[0]];
  return opts.stack ? stackColumns(out) : out;
}

/** The null mask as a bool array, each rank's rows from that rank. */
function maskArray(mask: Uint8Array, rows: number, perRank: readonly [number, number][], firstRow: (g: number) => number): ndarray {
  const rt = runtime();
  const parts = perRank.map(([g0, g1]) => span(firstRow(g0), firstRow(g1)));
  const { store, buffer } = rt.fillParts([rows], DTYPES.bool, parts);
  new Uint8Array(buffer, 0, rows).set(mask.subarray(0, rows));
  return new ndarray(store);
}
