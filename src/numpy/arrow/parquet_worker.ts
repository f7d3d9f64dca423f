import { openFileBlob } from "./file_blob.js";
import { parentPort } from "node:worker_threads";
import type * as arrow from "apache-arrow";
import { parseRecordBatch } from "arrow-js-ffi";
import { DTYPES, laneView } from "../../core/task_api.js";
import type { DTypeName } from "../../core/task_api.js";
import { type FromArrowOptions, type Leaf, checkNulls, leaf, writeChunk, writeMask } from "./columns.js";
import { type WasmModule, parquetWasm } from "./parquet_wasm.js";

/**
 * A Parquet decode worker: reads row groups [g0, g1) of a file and copies each decoded batch
 * once, from WebAssembly memory, into the output stores' shared memory at its rows. One
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
  opts: FromArrowOptions;
}

/** Nulls seen per column. */
export type DecodeResult = number[];

async function decode(job: DecodeJob): Promise<DecodeResult> {
  const pw = parquetWasm(job.module);
  const blob = openFileBlob(job.file);
  try {
    return await decodeFrom(pw, await pw.ParquetFile.fromFile(blob as unknown as Blob), job);
  } finally {
    blob.close();
  }
}

async function decodeFrom(pw: ReturnType<typeof parquetWasm>, pf: import("parquet-wasm/esm").ParquetFile, job: DecodeJob): Promise<DecodeResult> {
  const names = job.columns.map((c) => c.name);
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
  const [g0, g1] = job.groups;
  let row = job.rowsOf.slice(0, g0).reduce((a, b) => a + b, 0);
  for (let g = g0; g < g1; g++) {
    const table = await pf.read({ rowGroups: [g], columns: names, batchSize: job.rowsOf[g] || 1 });
    for (const b of table.recordBatches()) {
      const ffi = b.intoFFI();
      // Views into WebAssembly memory, read before anything else can grow (and move) it.
      const batch = parseRecordBatch(pw.wasmMemory().buffer, ffi.arrayAddr(), ffi.schemaAddr(), false);
      job.columns.forEach((t, i) => {
        const c = leaf([batch.getChildAt(i)?.data[0] as arrow.Data], job.opts, t.tensor).chunks[0];
        nulls[i] += c.nulls;
        // A part sees only its rows' nulls: the message gives no count.
        checkNulls(nulls[i], job.opts, `column '${t.name}' of ${job.file}`, false);
        writeChunk(outs[i], row, c, layouts[i], job.opts);
        const m = masks[i];
        if (m) writeMask(m, row, c);
      });
      row += batch.numRows;
      ffi.free();
    }
    table.free();
  }
  pf.free();
  return nulls;
}

// Jobs arrive one at a time; the decoder's own module is instantiated by the first.
parentPort?.on("message", (job: DecodeJob) => {
  const port = parentPort as NonNullable<typeof parentPort>;
  decode(job).then(
    (nulls) => port.postMessage({ nulls }),
    (e: unknown) => port.postMessage({ error: { name: e instanceof Error ? e.name : "Error", message: e instanceof Error ? e.message : String(e) } }),
  );
});
