import { writeFileSync } from "node:fs";
import { type FileBlob, openFileBlob } from "./file_blob.js";
import * as arrow from "apache-arrow";
import { log, now, profiling, runtime, traceSpan } from "../../core/index.js";
import { ValueError, fileError } from "../errors.js";
import type { ndarray } from "../ndarray.js";
import type { FromArrowOptions } from "./columns.js";
import { agreeOn, columnStores, finishColumns } from "./column_stores.js";
import type { MaskedColumn } from "./from_arrow.js";
import { parquetModule, parquetWasm } from "./parquet_wasm.js";
import { decodeOnThread } from "./decode_pool.js";
import { chunkPlans, readFooter } from "./parquet_layout.js";
import { type TableLike, asTable } from "./ipc.js";

/**
 * Parquet files through parquet-wasm (the Rust `parquet` crate of Apache Arrow, compiled to
 * WebAssembly): every encoding and compression codec Parquet has, Arrow's schema kept in the
 * file's metadata (so FixedShapeTensor and complex columns come back as they were written).
 *
 * Reading takes only the byte ranges of the row groups and columns asked for. Each rank reads
 * the row groups that hold its block of rows into the arrays' stores, so the result is one
 * distributed array whose blocks were never on another rank. A plain numeric column's pages
 * go straight from the file into the store (parquet_pages.ts); any other column is decoded by
 * parquet-wasm and each decoded batch copied once from WebAssembly memory into the store.
 */

/** Column chunks read so far by the direct reader and by parquet-wasm (for tests and tuning). */
export const readStats = { direct: 0, decoded: 0 };

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

/**
 * Row groups [g0, g1) per part: consecutive groups, cut where the running row count passes
 * k·rows/parts, so each part has about as many rows.
 */
function splitGroups(rowsOf: readonly number[], [g0, g1]: [number, number], parts: number): [number, number][] {
  const total = rowsOf.slice(g0, g1).reduce((a, b) => a + b, 0);
  const out: [number, number][] = [];
  let g = g0,
    seen = 0;
  for (let k = 0; k < parts; k++) {
    const start = g;
    const until = ((k + 1) * total) / parts;
    while (g < g1 && (k === parts - 1 || seen + rowsOf[g] / 2 <= until)) seen += rowsOf[g++];
    out.push([start, g]);
  }
  return out;
}

/** The direct reader's plans, or null where the footer holds what they cannot be made from. */
function plansOrNull<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/**
 * np.read_parquet(file, opts): the file's columns as a record of arrays by name (the array
 * itself when the file holds one array written by np.save_parquet; a 2-D array with
 * `{ stack: true }`). Nulls as np.from_arrow treats them. Row groups are decoded on as many
 * threads as the machine has CPUs (TESSERA_CPUS); across ranks each rank decodes its own.
 */
export async function readParquet(
  file: string,
  opts: ReadParquetOptions = {},
): Promise<ndarray | MaskedColumn | Record<string, ndarray | MaskedColumn>> {
  const pw = parquetWasm();
  let schema: arrow.Schema;
  let rowsOf: number[];
  let blob: FileBlob;
  try {
    blob = openFileBlob(file);
  } catch (e) {
    throw fileError(file, e);
  }
  try {
    const pf = await pw.ParquetFile.fromFile(blob as unknown as Blob);
    schema = arrow.tableFromIPC(pf.schema().intoIPCStream()).schema;
    const meta = pf.metadata();
    rowsOf = Array.from({ length: meta.numRowGroups() }, (_, g) => meta.rowGroup(g).numRows());
    pf.free();
  } catch (e) {
    throw invalid(file, e);
  } finally {
    blob.close();
  }
  const names = opts.columns ? [...opts.columns] : schema.fields.map((f) => f.name);
  for (const n of names)
    if (!schema.fields.some((f) => f.name === n))
      throw new ValueError(`${file} has no column '${n}' (it has ${schema.fields.map((f) => `'${f.name}'`).join(", ")})`);

  const rt = runtime();
  const perRank = splitGroups(rowsOf, [0, rowsOf.length], rt.dist?.ranks ?? 1);
  const rowsPerRank = perRank.map(([g0, g1]) => rowsOf.slice(g0, g1).reduce((a, b) => a + b, 0));
  const cols = columnStores(schema, names, opts, rowsPerRank);
  const mine = perRank[rt.dist?.rank ?? 0];
  const threads = Math.max(1, Math.min(rt.machine.cpus, mine[1] - mine[0]));
  const module = parquetModule();
  const { fill, mask, temporal, dictionary } = opts;
  const jobOpts: FromArrowOptions = { fill, mask, temporal, dictionary };
  const columns = cols.map(({ array: _, ...target }) => target);
  // Which columns the direct reader may take: plain numbers (a date or a timestamp may be
  // stored in other units than the array holds).
  const footer = readFooter(file);
  const plainDTypes = names.map((n, i) => {
    const t = schema.fields.find((f) => f.name === n)?.type;
    return t && (arrow.DataType.isInt(t) || arrow.DataType.isFloat(t)) && !cols[i].tensor ? cols[i].dtype : null;
  });
  const start = now();
  log(
    "tasks",
    () =>
      `read_parquet ${file}: ${rowsOf.length} row group(s), ${rowsPerRank.reduce((a, b) => a + b, 0)} rows; row groups [${mine[0]}, ${mine[1]}) here, on ${threads} thread(s)`,
  );
  const results = await Promise.allSettled(
    splitGroups(rowsOf, mine, threads).map(async (groups, k) => {
      const t0 = now();
      const plans = footer && plansOrNull(() => chunkPlans(footer, groups, names, plainDTypes));
      const r = await decodeOnThread({ module, file, groups, rowsOf, columns, plans, opts: jobOpts }, (why) => invalid(file, why));
      readStats.direct += r.direct;
      readStats.decoded += (groups[1] - groups[0]) * names.length - r.direct;
      log(
        "tasks",
        () =>
          `read_parquet ${file}: thread ${k} read row groups [${groups[0]}, ${groups[1]}) in ${(now() - t0).toFixed(1)} ms (${r.direct} column chunk(s) directly)`,
      );
      return r;
    }),
  );
  if (profiling()) traceSpan(`read_parquet ${file}`, 0, start, now(), { rowGroups: mine, threads });
  const failed = results.find((r) => r.status === "rejected");
  agreeOn(failed ? (failed as PromiseRejectedResult).reason : null);
  return finishColumns(cols, rowsPerRank, schema.metadata, opts);
}
