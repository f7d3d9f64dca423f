import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import type { Stats } from "node:fs";
import {
  chmodSync,
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { type NativeLibrary, type TypedArray, ffiAvailable, log, logEnabled, openLibrary, setting } from "../../core/task_api.js";

/**
 * Native kernels: generated C compiled with the system compiler (gcc/cc) into a shared
 * object cached on disk, and called through koffi on the same shared memory the JS kernels
 * use. Where no compiler or koffi is available, everything stays on JS.
 *
 * The disk cache runs code, so it is trusted only when nobody else can write it: the cache
 * directory must belong to this process's effective user and not be writable by group or
 * others, every directory above it must belong to that user or root and be writable by
 * nobody else (or carry the sticky bit, as /tmp does), and every file used must be a regular
 * file of that user. Otherwise the cache is refused and every kernel runs as JS (logged under
 * TESSERA_LOG=kernels). Kernels are compiled in a private directory made inside the cache
 * and renamed into place, with a SHA-256 of each shared object beside it (`<key>.sha256`),
 * checked before it is loaded: a truncated or replaced one is compiled again. The key covers
 * the compiler, its flags, the CPU the compiler targets (-march=native) and the source, so a
 * home directory shared by machines with different CPUs keeps one kernel per CPU. The cache
 * is bounded (TESSERA_CACHE_MAX_MB, default 256): beyond it the least recently used kernels
 * are deleted.
 */

const mode = setting("TESSERA_KERNELS");
const CC = setting("CC");
/** The cache directory as configured (checked and resolved on first use: cacheDir()). */
const cacheSetting = (): string => setting("TESSERA_CACHE") || path.join(os.homedir(), ".cache", "tessera", `kernels-${process.arch}`);
/** Bound on the cache's size in bytes (TESSERA_CACHE_MAX_MB, default 256 MB). */
const cacheMaxBytes = (): number => {
  return setting("TESSERA_CACHE_MAX_MB") * 2 ** 20;
};
/**
 * -ffp-contract=off: no a*b+c contracted into a fused multiply-add (gcc does so by default
 * with -march=native), so elementwise arithmetic rounds every operation as NumPy and the JS
 * kernels do, bit for bit. Nothing here allows reassociation (no -ffast-math family flag).
 */
const FLAGS = ["-O3", "-march=native", "-fno-math-errno", "-ffp-contract=off", "-shared", "-fPIC"];
let compilerOk: boolean | undefined;
/** The compiler's own version line: a kernel cached by another compiler is not reused. */
let compilerId = "";
/**
 * What -march=native means on this machine, as the compiler resolves it (a hash of gcc's
 * `-march=native -Q --help=target`, or of clang's `-###` driver line): probed once per process.
 */
let targetId = "";

/**
 * Most arrays one compiled kernel takes: koffi calls functions of at most 64 parameters, and
 * kernel(d0, …, dN, M, SF, SI) spends three on meta data and scalars. Fusion keeps kernels
 * within it (runtime.ts); a launch beyond it would run on the JS kernels.
 */
export const MAX_NATIVE_ARGS = 61;

/** Whether native kernels may be used at all, and whether they are forced for every launch. */
export const nativeMode = (): "auto" | "c" | "js" => (mode === "c" || mode === "js" ? mode : "auto");

function probeTarget(): string {
  let out: string;
  try {
    out = execFileSync(CC, ["-march=native", "-Q", "--help=target"], { stdio: ["ignore", "pipe", "ignore"], encoding: "utf8" });
  } catch {
    // clang has no -Q --help=target; its driver line (on stderr) names the CPU and its features.
    const r = spawnSync(CC, ["-###", "-march=native", "-x", "c", "-c", "-o", os.devNull, os.devNull], {
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  }
  return createHash("sha256").update(out).digest("hex").slice(0, 16);
}

function haveCompiler(): boolean {
  if (compilerOk !== undefined) return compilerOk;
  try {
    compilerId = execFileSync(CC, ["--version"], { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .split("\n")[0];
    compilerOk = ffiAvailable();
    if (compilerOk) targetId = probeTarget();
  } catch {
    compilerOk = false;
  }
  if (!compilerOk) log("kernels", `no C compiler (${CC}) or koffi: JS kernels only`);
  else log("kernels", `compiler ${compilerId}, target ${targetId}`);
  return compilerOk;
}

/** The effective user (undefined where there is none to check: Windows). */
const euid = (): number | undefined => (typeof process.geteuid === "function" ? process.geteuid() : undefined);

const mode8 = (st: Stats): string => (st.mode & 0o7777).toString(8);

/** Why `p` (lstat `st`) may not be the cache directory or a file in it, or null if it may. */
function unsafeEntry(p: string, st: Stats, kind: "directory" | "file"): string | null {
  const uid = euid();
  if (uid === undefined) return null;
  if (st.isSymbolicLink()) return `${p} is a symbolic link`;
  if (kind === "directory" ? !st.isDirectory() : !st.isFile()) return `${p} is not a ${kind === "file" ? "regular file" : kind}`;
  if (st.uid !== uid) return `${p} is owned by uid ${st.uid}, not ${uid}`;
  if (st.mode & 0o022) return `${p} is writable by group or others (mode ${mode8(st)})`;
  return null;
}

/**
 * Why a directory above the cache is unsafe, or null: it must belong to root or to this
 * user, and nobody else may write it unless it has the sticky bit (then nobody can rename
 * what another user owns in it, as in /tmp).
 */
function unsafeAbove(p: string, st: Stats): string | null {
  const uid = euid();
  if (uid === undefined) return null;
  if (!st.isDirectory()) return `${p} is not a directory`;
  if (st.uid !== 0 && st.uid !== uid) return `${p} is owned by uid ${st.uid}, neither root nor ${uid}`;
  if (st.mode & 0o022 && !(st.mode & 0o1000)) return `${p} is writable by group or others without the sticky bit (mode ${mode8(st)})`;
  return null;
}

/** unsafeAbove for `real` (a path with no symbolic links) and every directory above it. */
function unsafeAncestors(real: string): string | null {
  for (let p = real; ; p = path.dirname(p)) {
    const why = unsafeAbove(p, lstatSync(p));
    if (why || path.dirname(p) === p) return why;
  }
}

const isMissing = (e: unknown): boolean => (e as { code?: string }).code === "ENOENT";

/**
 * Make or check the cache directory: the parts Tessera makes are 0700. Returns its path
 * (with no symbolic link above it) or throws why it may not be used.
 */
function openCacheDir(): string {
  const want = path.resolve(cacheSetting());
  // The nearest existing directory above the cache, resolved; the parts below it are made.
  const missing: string[] = [];
  let base = path.dirname(want);
  try {
    lstatSync(want);
  } catch (e) {
    if (!isMissing(e)) throw e;
    missing.push(path.basename(want));
  }
  for (;;) {
    try {
      lstatSync(base);
      break;
    } catch (e) {
      if (!isMissing(e) || path.dirname(base) === base) throw e;
      missing.unshift(path.basename(base));
      base = path.dirname(base);
    }
  }
  let dir = realpathSync(base);
  const why = unsafeAncestors(dir);
  if (why) throw new Error(why);
  if (!missing.length) missing.push(path.basename(want));
  for (let i = 0; i < missing.length; i++) {
    dir = path.join(dir, missing[i]);
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") throw e;
    }
    // Made here or by a concurrent process: checked like the rest.
    const st = lstatSync(dir);
    const bad = i === missing.length - 1 ? unsafeEntry(dir, st, "directory") : unsafeAbove(dir, st);
    if (bad) throw new Error(bad);
  }
  return dir;
}

let cacheState: { dir: string } | { refused: string } | undefined;

/** The checked cache directory, or null when it is refused (then kernels run as JS). */
function cacheDir(): string | null {
  if (cacheState === undefined) {
    try {
      cacheState = { dir: openCacheDir() };
    } catch (e) {
      refuse(`${(e as Error).message}`);
    }
  }
  return "dir" in cacheState! ? cacheState.dir : null;
}

function refuse(why: string): void {
  cacheState = { refused: why };
  log("kernels", `kernel cache ${cacheSetting()} refused, using JS kernels: ${why}`);
}

/**
 * Write a new file, never through a symbolic link or over an existing file (O_EXCL,
 * O_NOFOLLOW), readable by its owner only.
 */
export function writeNewFile(file: string, data: string | Uint8Array): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/**
 * Whether `<key>.so` is in the cache with the hash written beside it: "ok", "missing" or
 * "stale" (no hash, or another one: truncated, replaced). Throws when an entry is not this
 * user's regular file.
 */
function cached(dir: string, key: string): "ok" | "missing" | "stale" {
  const so = path.join(dir, `${key}.so`),
    sum = path.join(dir, `${key}.sha256`);
  let st: Stats;
  try {
    st = lstatSync(so);
  } catch (e) {
    if (isMissing(e)) return "missing";
    throw e;
  }
  const bad = unsafeEntry(so, st, "file");
  if (bad) throw new Error(bad);
  let want: string;
  try {
    const bad2 = unsafeEntry(sum, lstatSync(sum), "file");
    if (bad2) throw new Error(bad2);
    want = readFileSync(sum, "utf8").trim();
  } catch (e) {
    if (isMissing(e)) return "stale";
    throw e;
  }
  return sha256(readFileSync(so)) === want ? "ok" : "stale";
}

/** Delete a cache entry (its shared object, hash and kept source). */
function removeEntry(dir: string, key: string): void {
  for (const ext of [".so", ".sha256", ".c"]) rmSync(path.join(dir, key + ext), { force: true });
}

/**
 * Compile `source` into `<key>.so` (and `<key>.sha256`) in the cache: in a private
 * directory made inside it, then renamed into place, so that no other process ever sees a
 * half-written file. The C source is deleted, or kept as `<key>.c` under TESSERA_LOG=kernels.
 * Then the cache is kept within its bound.
 */
function build(dir: string, key: string, source: string): void {
  const tmp = mkdtempSync(path.join(dir, ".tmp-"));
  try {
    writeNewFile(path.join(tmp, "kernel.c"), source);
    // Relative names: the object's contents do not depend on the directory's random name.
    execFileSync(CC, [...FLAGS, "-o", "kernel.so", "kernel.c", "-lmvec", "-lm"], { cwd: tmp, stdio: ["ignore", "ignore", "pipe"] });
    // Whatever the umask: a file others could write would be refused by the next process.
    chmodSync(path.join(tmp, "kernel.so"), 0o700);
    const bytes = readFileSync(path.join(tmp, "kernel.so"));
    const hash = `${sha256(bytes)}\n`;
    writeNewFile(path.join(tmp, "kernel.sha256"), hash);
    renameSync(path.join(tmp, "kernel.sha256"), path.join(dir, `${key}.sha256`));
    renameSync(path.join(tmp, "kernel.so"), path.join(dir, `${key}.so`));
    let added = bytes.length + hash.length;
    if (logEnabled("kernels")) {
      renameSync(path.join(tmp, "kernel.c"), path.join(dir, `${key}.c`));
      added += source.length;
    }
    bound(dir, tmp, added);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Keys this process has used: never evicted by it. */
const inUse = new Set<string>();

/**
 * The cache's running count of its bytes, `<bytes> <time of the last full count>`: each
 * compile adds to it, so that no process lists the whole cache unless the count says it is
 * over its bound, or the last full count is a day old (files that came or went otherwise).
 */
const SIZE_FILE = ".size";
const RECOUNT_MS = 86_400_000;
/** Private build directories of a process that died are deleted after an hour. */
const STALE_TMP_MS = 3_600_000;
/** Files changed in the last minute are not evicted (another process may be about to load them). */
const FRESH_MS = 60_000;

function readSize(dir: string): { bytes: number; counted: number } | null {
  const p = path.join(dir, SIZE_FILE);
  try {
    if (unsafeEntry(p, lstatSync(p), "file")) return null;
    const [bytes, counted] = readFileSync(p, "utf8").trim().split(" ").map(Number);
    return Number.isFinite(bytes) && Number.isFinite(counted) ? { bytes, counted } : null;
  } catch {
    return null;
  }
}

/**
 * Keep the cache within TESSERA_CACHE_MAX_MB after `added` bytes came in: when over it,
 * delete the least recently used kernels (oldest modification time of the shared object: it
 * is refreshed whenever a process loads it) down to three quarters of the bound. `tmp` is
 * this process's private directory inside the cache.
 */
function bound(dir: string, tmp: string, added: number): void {
  const max = cacheMaxBytes();
  const now = Date.now();
  const rec = readSize(dir);
  let bytes: number, counted: number;
  if (rec && now - rec.counted < RECOUNT_MS && rec.bytes + added <= max) {
    bytes = rec.bytes + added;
    counted = rec.counted;
  } else {
    bytes = countAndEvict(dir, max, now);
    counted = now;
  }
  try {
    writeNewFile(path.join(tmp, "size"), `${bytes} ${counted}\n`);
    renameSync(path.join(tmp, "size"), path.join(dir, SIZE_FILE));
  } catch {
    /* the count is only a hint */
  }
}

/** Count the cache's bytes, evicting as bound() says when over `max`; returns the count. */
function countAndEvict(dir: string, max: number, now: number): number {
  const entries = new Map<string, { bytes: number; used: number; changed: number; files: string[] }>();
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (name.startsWith(".")) {
      if (name.startsWith(".tmp-") && st.isDirectory() && now - st.mtimeMs > STALE_TMP_MS) rmSync(p, { recursive: true, force: true });
      continue;
    }
    if (st.isDirectory()) continue;
    const key = name.split(".")[0];
    const e = entries.get(key) ?? { bytes: 0, used: 0, changed: 0, files: [] };
    e.bytes += st.size;
    e.changed = Math.max(e.changed, st.mtimeMs);
    e.files.push(p);
    if (name === `${key}.so`) e.used = st.mtimeMs;
    entries.set(key, e);
    total += st.size;
  }
  if (total <= max) return total;
  const goal = max * 0.75;
  const order = [...entries].filter(([key, e]) => !inUse.has(key) && now - e.changed > FRESH_MS).sort((a, b) => a[1].used - b[1].used);
  let evicted = 0;
  for (const [, e] of order) {
    if (total <= goal) break;
    for (const f of e.files) {
      try {
        unlinkSync(f);
      } catch {
        /* gone already */
      }
    }
    total -= e.bytes;
    evicted++;
  }
  log("kernels", `kernel cache over ${(max / 2 ** 20).toFixed(1)} MB: ${evicted} least recently used kernels deleted`);
  return total;
}

/** Libraries this thread has loaded, by path. */
const libraries = new Map<string, NativeLibrary>();

function loadLibrary(so: string): NativeLibrary {
  let lib = libraries.get(so);
  if (!lib) {
    lib = openLibrary(so);
    libraries.set(so, lib);
  }
  return lib;
}

const compiled = new Map<string, string | null>();

/**
 * The cached shared object for `key`, compiled if missing or stale, loaded once on this
 * thread (so that workers, loading the same path, get the library already in the process).
 * A library that fails to load is deleted and compiled once more; if that fails too, the
 * kernel runs as JS. Null when the cache is refused.
 */
function obtain(dir: string, key: string, source: string, probe: string): string | null {
  const so = path.join(dir, `${key}.so`);
  inUse.add(key);
  for (let attempt = 0; ; attempt++) {
    let state: "ok" | "missing" | "stale";
    try {
      state = cached(dir, key);
    } catch (e) {
      refuse((e as Error).message);
      return null;
    }
    if (state === "stale") log("kernels", `${so} does not match its hash: compiling it again`);
    if (state !== "ok") {
      build(dir, key, source);
      log("kernels", () => `compiled ${so}\n${source.includes("void kernel") ? source.slice(source.indexOf("void kernel")) : probe}`);
    } else {
      try {
        const now = new Date();
        utimesSync(so, now, now);
      } catch {
        /* read-only: no LRU */
      }
    }
    try {
      loadLibrary(so).func(probe);
      return so;
    } catch (e) {
      removeEntry(dir, key);
      if (attempt > 0) {
        log("kernels", `${so} failed to load again, using JS: ${(e as Error).message}`);
        return null;
      }
      log("kernels", `${so} failed to load, compiling it again: ${(e as Error).message}`);
    }
  }
}

/** Whether kernels are compiled here (an error under TESSERA_KERNELS=c without a compiler or koffi). */
export function canCompile(): boolean {
  if (nativeMode() === "js") return false;
  if (haveCompiler()) return true;
  if (nativeMode() === "c") throw new Error(`TESSERA_KERNELS=c but no usable C compiler (${CC}) or koffi`);
  return false;
}

/**
 * Compile `source` (once per process, once per machine thanks to the disk cache); `probe` is
 * a C prototype the library must export, checked when it is loaded.
 */
export function compileKernel(source: string, probe = "void kernel()"): string | null {
  if (!canCompile()) return null;
  const hit = compiled.get(source);
  if (hit !== undefined) return hit;
  const dir = cacheDir();
  let result: string | null = null;
  if (dir) {
    // The key covers everything that shapes the machine code: compiler, flags, target CPU, source.
    const key = createHash("sha256")
      .update(`${CC}\n${compilerId}\n${targetId}\n${FLAGS.join(" ")}\n`)
      .update(source)
      .digest("hex")
      .slice(0, 24);
    try {
      result = obtain(dir, key, source, probe);
    } catch (e) {
      const why = (e as { stderr?: Buffer }).stderr?.toString() ?? String(e);
      if (nativeMode() === "c") throw new Error(`C kernel failed to compile:\n${why}`);
      log("kernels", `C compile failed, using JS: ${why}`);
      result = null;
    }
  }
  compiled.set(source, result);
  return result;
}

const loaded = new Map<string, (...a: unknown[]) => void>();

/** Call a compiled kernel on this thread: buffers, then meta (offsets, strides, lo, hi), scalars. */
export function callNative(so: string, nbuf: number, buffers: TypedArray[], meta: BigInt64Array, sf: Float64Array, si: BigInt64Array): void {
  let fn = loaded.get(so);
  if (!fn) {
    const params = [...Array.from({ length: nbuf }, () => "void *"), "const int64_t *", "const double *", "const int64_t *"];
    fn = loadLibrary(so).func(`void kernel(${params.join(", ")})`);
    loaded.set(so, fn);
  }
  fn(...buffers, meta, sf, si);
}

/** The package's C headers (np.get_include() gives the same directory). */
const INCLUDE_DIR = new URL("../../../../include/", import.meta.url);
const headers = new Map<string, string>();

/** The text of a shipped header (`tessera/kernel.h`), read on first use: the browser has no C. */
export function includeText(name: string): string {
  let text = headers.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(name, INCLUDE_DIR), "utf8");
    headers.set(name, text);
  }
  return text;
}

/**
 * core/ffi.ts's Compiler: a shipped header followed by `source`, compiled as kernels are and
 * loaded on this thread; null where kernels are not compiled.
 */
export function compileLibrary(header: string, source: string, entry: string): NativeLibrary | null {
  // Checked first: where nothing compiles (the browser) there is no header to read either.
  if (!canCompile()) return null;
  const so = compileKernel(`${includeText(header)}\n${source}`, entry);
  return so ? loadLibrary(so) : null;
}
