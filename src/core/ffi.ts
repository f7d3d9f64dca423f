import { createRequire } from "node:module";
import { type SetEnv, afterBlasLoad, beforeBlasLoad, isBlasLibrary, setKoffiEntry } from "./blas_coretype.js";

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
  config(c?: Record<string, number>): Record<string, number>;
}

/**
 * koffi runs native calls on a stack of its own, 1 MiB by default; OpenBLAS's threaded LAPACK
 * (getrf_parallel) keeps more than that on the stack, so calls get what a thread normally has.
 */
const NATIVE_STACK = 16 << 20;

let koffi: Koffi | null | undefined;
let missing = "";

/** koffi, or null where it cannot be loaded (`ffiMissing()` says why). */
function ffi(): Koffi | null {
  if (koffi !== undefined) return koffi;
  try {
    const require = createRequire(import.meta.url);
    koffi = require("koffi") as Koffi;
    setKoffiEntry(require.resolve("koffi"));
    try {
      if (koffi.config().sync_stack_size < NATIVE_STACK) koffi.config({ ...koffi.config(), sync_stack_size: NATIVE_STACK });
    } catch {
      /* already fixed by an earlier call in this thread */
    }
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
 * as MPI's plugins need). Throws when koffi or the library cannot be loaded. Before the
 * first BLAS or LAPACK library, OpenBLAS's core type is chosen (blas_coretype.ts): OpenBLAS
 * reads it only when it is first loaded in the process.
 */
export function openLibrary(path: string, opts: { global?: boolean } = {}): NativeLibrary {
  const k = ffi();
  if (!k) throw new Error(ffiMissing());
  const blas = isBlasLibrary(path);
  if (blas) beforeBlasLoad(path, setEnv);
  try {
    return k.load(path, opts);
  } finally {
    if (blas) afterBlasLoad(setEnv);
  }
}

let libc: { setenv: NativeFn; unsetenv: NativeFn } | null | undefined;

/**
 * Set or remove OPENBLAS_CORETYPE in the process's own environment. A worker thread's
 * process.env is a copy, so the C library's setenv is called too: OpenBLAS reads the real one.
 */
const setEnv: SetEnv = (value) => {
  const name = "OPENBLAS_CORETYPE";
  if (value === null) delete process.env.OPENBLAS_CORETYPE;
  else process.env.OPENBLAS_CORETYPE = value;
  if (libc === undefined) {
    try {
      const c = ffi()!.load(process.platform === "darwin" ? "libSystem.B.dylib" : "libc.so.6");
      libc = { setenv: c.func("int setenv(const char *, const char *, int)"), unsetenv: c.func("int unsetenv(const char *)") };
    } catch {
      libc = null;
    }
  }
  if (value === null) libc?.unsetenv(name);
  else libc?.setenv(name, value, 1);
};

/**
 * The first of `paths` that loads and that `bind` accepts (bind throws for a library that
 * lacks what it needs, e.g. a BLAS without LAPACK), or null when none does.
 */
export function openFirst<T>(paths: readonly string[], bind: (lib: NativeLibrary, path: string) => T): T | null {
  for (const path of paths) {
    let lib: NativeLibrary;
    try {
      lib = openLibrary(path);
    } catch {
      continue;
    }
    try {
      return bind(lib, path);
    } catch {
      /* not the library wanted: try the next */
    }
  }
  return null;
}

/** A function of `lib` by C prototype, or null where the library does not export it. */
export function optionalFunc(lib: NativeLibrary, signature: string): NativeFn | null {
  try {
    return lib.func(signature);
  } catch {
    return null;
  }
}

/**
 * Compiles a shipped C header (`include/<header>`) followed by `source` into a library on
 * this thread, or returns null where nothing compiles (no compiler or koffi, the browser,
 * TESSERA_KERNELS=js); `entry` is a C prototype the library must export. The CPU backend
 * registers it (the same compiler and disk cache as generated kernels), in every thread.
 */
export type Compiler = (header: string, source: string, entry: string) => NativeLibrary | null;

let compiler: Compiler | null = null;
const compiledLibraries = new Map<string, NativeLibrary | null>();

/** Register the platform's C compiler (platform.ts on the main thread, the CPU worker in workers). */
export function registerCompiler(c: Compiler): void {
  compiler = c;
}

let workerSetup: string | null = null;
/**
 * Register the module (a URL) that a library's own worker thread imports first so that it has
 * the platform's compiler too: registrations do not cross threads. platform.ts does.
 */
export function registerWorkerPlatform(url: string): void {
  workerSetup = url;
}
/** The module a library's worker thread imports to get the platform (null where none is registered). */
export function workerPlatform(): string | null {
  return workerSetup;
}

/**
 * A library of hand-written C kernels (a task's compiled variant), compiled once per thread
 * and cached on disk; null where no compiler is registered or it cannot compile, so that the
 * task runs its JavaScript form.
 */
export function compiledLibrary(header: string, source: string, entry: string): NativeLibrary | null {
  const key = `${header}\n${entry}\n${source}`;
  let lib = compiledLibraries.get(key);
  if (lib === undefined) {
    lib = compiler ? compiler(header, source, entry) : null;
    compiledLibraries.set(key, lib);
  }
  return lib;
}
