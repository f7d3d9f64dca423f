import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as pw from "parquet-wasm/esm";

/**
 * parquet-wasm (the Rust `parquet` crate of Apache Arrow compiled to WebAssembly): its 15 MB
 * module is compiled once per process and handed to the decode workers already compiled
 * (a WebAssembly.Module crosses threads without being compiled again).
 */
export type ParquetWasm = typeof pw;
/** A compiled WebAssembly.Module (the library's TS settings have no DOM/WebAssembly types). */
export type WasmModule = object;
const WA = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule } }).WebAssembly;

let compiled: WasmModule | null = null;
let ready = false;

/** The compiled module (compiled on first use). */
export function parquetModule(): WasmModule {
  if (!compiled) {
    const path = createRequire(import.meta.url).resolve("parquet-wasm/esm/parquet_wasm_bg.wasm");
    compiled = new WA.Module(readFileSync(path));
  }
  return compiled;
}

/** parquet-wasm, instantiated in this thread from `module` (by default this process's compiled one). */
export function parquetWasm(module?: WasmModule): ParquetWasm {
  if (!ready) {
    pw.initSync({ module: (module ?? parquetModule()) as Parameters<typeof pw.initSync>[0] extends { module: infer M } ? M : never });
    ready = true;
  }
  return pw;
}
