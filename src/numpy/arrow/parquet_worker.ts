import { closeSync, openSync } from "node:fs";
import { type FileBlob, openFileBlob } from "./file_blob.js";
import { parentPort, workerData } from "node:worker_threads";
import type * as arrow from "apache-arrow";
import { parseRecordBatch } from "arrow-js-ffi";
import { DTYPES, laneView } from "../../core/task_api.js";
import type { DTypeName } from "../../core/task_api.js";
import { type FromArrowOptions, type Leaf, checkNulls, leaf, writeChunk, writeMask } from "./columns.js";
import { type ParquetWasm, type WasmModule, parquetWasm } from "./parquet_wasm.js";
import type { ChunkPlan } from "./parquet_layout.js";
import { readChunk } from "./parquet_pages.js";

/**
 * A Parquet decode worker: reads row groups [g0, g1) of a file into the output stores' shared
 * memory at their rows. A fixed-width column's chunk goes straight from the file into the
 * store (parquet_pages.ts); any other is decoded by parquet-wasm and each decoded batch copied
 * once, from WebAssembly memory, into the store. One
 * thread per part, so a large file decodes on every core; and a file whose corrupt pages make
 * the decoder abort (a Rust panic) takes down this thread only, which the reader reports as
 * an invalid file.
 */

/** One output column as the decoder writes it. */
export interface DecodeTarget {
  name: string;
  dtype: DTypeName;
  /** Shape of the whole column (rows first). */
  shape: number[];
  tensor: number[] | null;
  bool: boolean;
  values: SharedArrayBuffer;
  /** One byte per row, set where the value is null (when the caller asked for a mask). */
  mask: SharedArrayBuffer | null;
}

export interface DecodeJob {
  module: WasmModule;
  file: string;
  groups: [number, number];
  rowsOf: number[];
  columns: DecodeTarget[];
  /** Per row group of the job, per column: how the direct reader reads its chunk (null: it does not; all null when the footer gave none). */
  plans: (ChunkPlan | null)[][] | null;
  opts: FromArrowOptions;
}

/** Nulls seen per column, and the column chunks read directly (not through parquet-wasm). */
export interface DecodeResult {
  nulls: number[];
  direct: number;
}

type ParquetFile = import("parquet-wasm/esm").ParquetFile;
/** parquet-wasm on the file, opened on first need: only for the columns the direct reader leaves. */
interface FullReader {
  open(): Promise<{ pw: ParquetWasm; pf: ParquetFile; blob: FileBlob }>;
  close(): void;
}

function fullReader(job: DecodeJob): FullReader {
  let opened: { pw: ParquetWasm; pf: ParquetFile; blob: FileBlob } | null = null;
  return {
    async open() {
      if (!opened) {
        const pw = parquetWasm(job.module);
        const blob = openFileBlob(job.file);
        try {
          opened = { pw, pf: await pw.ParquetFile.fromFile(blob as unknown as Blob), blob };
        } catch (e) {
          blob.close();
          throw e;
        }
      }
      return opened;
    },
    close() {
      opened?.pf.free();
      opened?.blob.close();
    },
  };
}

async function decode(job: DecodeJob): Promise<DecodeResult> {
  const fd = openSync(job.file, "r");
  const full = fullReader(job);
  try {
    return await decodeGroups(fd, full, job);
  } finally {
    full.close();
    closeSync(fd);
  }
}

async function decodeGroups(fd: number, full: FullReader, job: DecodeJob): Promise<DecodeResult> {
  const layouts: Leaf[] = job.columns.map((c) => ({ dtype: DTYPES[c.dtype], shape: c.shape, chunks: [], bool: c.bool }));
  const outs = job.columns.map((c) =>
    laneView(
      DTYPES[c.dtype],
      c.values,
      0,
      c.shape.reduce((a, b) => a * b, 1),
    ),
  );
  const masks = job.columns.map((c) => (c.mask ? new Uint8Array(c.mask) : null));
  const nulls = job.columns.map(() => 0);
  let direct = 0;
  const [g0, g1] = job.groups;
  let row = job.rowsOf.slice(0, g0).reduce((a, b) => a + b, 0);
  for (let g = g0; g < g1; g++) {
    // Fixed-width columns straight from the file into the stores; the rest through parquet-wasm.
    const rest = job.columns.flatMap((t, i) => {
      const plan = job.plans?.[g - g0][i];
      if (plan && readChunk(fd, plan, new Uint8Array(t.values, row * plan.itemsize, plan.rows * plan.itemsize))) {
        direct++;
        return [];
      }
      return [i];
    });
    if (rest.length > 0) {
      const { pw, pf, blob } = await full.open();
      const table = await pf.read({ rowGroups: [g], columns: rest.map((i) => job.columns[i].name), batchSize: job.rowsOf[g] || 1 });
      blob.recycle(); // the read has copied its ranges into WebAssembly memory
      let at = row;
      for (const b of table.recordBatches()) {
        const ffi = b.intoFFI();
        // Views into WebAssembly memory, read before anything else can grow (and move) it.
        const batch = parseRecordBatch(pw.wasmMemory().buffer, ffi.arrayAddr(), ffi.schemaAddr(), false);
        rest.forEach((i) => {
          const t = job.columns[i];
          // By name: parquet-wasm gives the columns in the file's order, not the order asked.
          const c = leaf([batch.getChild(t.name)?.data[0] as arrow.Data], job.opts, t.tensor).chunks[0];
          nulls[i] += c.nulls;
          // A part sees only its rows' nulls: the message gives no count.
          checkNulls(nulls[i], job.opts, `column '${t.name}' of ${job.file}`, false);
          writeChunk(outs[i], at, c, layouts[i], job.opts);
          const m = masks[i];
          if (m) writeMask(m, at, c);
        });
        at += batch.numRows;
        ffi.free();
      }
      table.free();
    }
    row += job.rowsOf[g];
  }
  return { nulls, direct };
}

// The platform's compiler first (the dictionary gather is compiled; without it, JavaScript).
const platform = (workerData as { platform: string | null } | undefined)?.platform;
const ready: Promise<unknown> = platform ? import(platform).catch(() => {}) : Promise.resolve();

// Jobs arrive one at a time; the decoder's own module is instantiated by the first.
parentPort?.on("message", (job: DecodeJob) => {
  const port = parentPort as NonNullable<typeof parentPort>;
  ready
    .then(() => decode(job))
    .then(
      (result) => port.postMessage({ result }),
      (e: unknown) =>
        port.postMessage({ error: { name: e instanceof Error ? e.name : "Error", message: e instanceof Error ? e.message : String(e) } }),
    );
});
