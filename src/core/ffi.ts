import { createRequire } from "node:module";

/**
 * Native libraries through koffi (the FFI every part uses: compiled kernels, BLAS, MPI),
 * loaded once per thread. Where koffi is missing (the browser, an install without it)
 * `ffi()` is null and each caller falls back or explains.
 */

/** A native function as koffi returns it. */
export type NativeFn = (...args: any[]) => any;

/** A loaded shared library: functions by C prototype, global symbols by name. */
export interface NativeLibrary {
  func(signature: string): NativeFn;
  symbol(name: string, type: string): unknown;
  unload?(): void;
}

interface Koffi {
  load(path: string, opts?: { global?: boolean }): NativeLibrary;
}

let koffi: Koffi | null | undefined;
let missing = "";

/** koffi, or null where it cannot be loaded (`ffiMissing()` says why). */
function ffi(): Koffi | null {
  if (koffi !== undefined) return koffi;
  try {
    koffi = createRequire(import.meta.url)("koffi") as Koffi;
  } catch (e) {
    missing = (e as Error).message;
    koffi = null;
  }
  return koffi;
}

/** Whether native libraries can be loaded at all in this thread. */
export function ffiAvailable(): boolean {
  return ffi() !== null;
}

/** Why native libraries cannot be loaded ("" when they can). */
export function ffiMissing(): string {
  ffi();
  return missing ? `the koffi package cannot be loaded: ${missing}` : "";
}

/**
 * Load a shared library (`global`: its symbols become visible to libraries it loads later,
 * as MPI's plugins need). Throws when koffi or the library cannot be loaded.
 */
export function openLibrary(path: string, opts: { global?: boolean } = {}): NativeLibrary {
  const k = ffi();
  if (!k) throw new Error(ffiMissing());
  return k.load(path, opts);
}
