import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { log } from "./log.js";
import { setting } from "./settings.js";

/**
 * OpenBLAS's kernel choice (its "core type"). A DYNAMIC_ARCH OpenBLAS picks its kernels from
 * cpuid in its constructor, and a version older than the CPU may not know it: Debian 12's
 * 0.3.21 sends an Intel model it has no case for to the generic Prescott kernels, 4–5× slower
 * than the AVX-512 ones the CPU runs. The only remedy is OPENBLAS_CORETYPE, which OpenBLAS
 * reads once, when the library is first loaded in the process (every thread then shares that
 * copy). So before the first BLAS or LAPACK library is loaded, `beforeBlasLoad` asks what
 * OpenBLAS would pick by itself (a short child process loads it: the answer cannot be had in
 * this process without fixing it), compares that with the CPU's features, and, when the
 * pick is older than the CPU, sets OPENBLAS_CORETYPE to the best core this CPU runs, after a
 * second child has checked that core's products against a plain reference. The variable is
 * removed again once the library is loaded, so programs this process starts never inherit
 * it. The children's answers are cached per library file and CPU.
 */

/** The CPU as /proc/cpuinfo describes its first processor. */
export interface CpuInfo {
  readonly vendor: string;
  readonly model: string;
  readonly flags: readonly string[];
}

/** The CPU of this machine on x86-64 Linux, or null elsewhere (then nothing is chosen). */
export function cpuInfo(text?: string): CpuInfo | null {
  if (text === undefined) {
    if (process.platform !== "linux" || process.arch !== "x64") return null;
    try {
      text = readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      return null;
    }
  }
  const field = (name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.*)$`, "m").exec(text!)?.[1]?.trim();
  const flags = field("flags");
  if (flags === undefined) return null;
  return { vendor: field("vendor_id") ?? "", model: field("model name") ?? "", flags: flags.split(/\s+/).filter(Boolean) };
}

/** Vector instruction levels, as OpenBLAS's x86-64 kernels use them. */
const LEVELS = ["SSE", "AVX", "AVX2+FMA", "AVX-512"] as const;

/** The widest level whose kernels this CPU runs (AVX-512 as OpenBLAS's SkylakeX kernels need it). */
export function cpuLevel(flags: readonly string[]): number {
  const has = (...f: string[]): boolean => f.every((x) => flags.includes(x));
  if (has("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd", "avx2", "fma")) return 3;
  if (has("avx2", "fma")) return 2;
  if (has("avx")) return 1;
  return 0;
}

/** OpenBLAS's x86-64 core names (lower case) by the level of their kernels. */
const CORE_LEVEL: Readonly<Record<string, number>> = {
  unknown: 0,
  katmai: 0,
  coppermine: 0,
  northwood: 0,
  prescott: 0,
  banias: 0,
  atom: 0,
  core2: 0,
  penryn: 0,
  dunnington: 0,
  nehalem: 0,
  athlon: 0,
  opteron: 0,
  opteron_sse3: 0,
  barcelona: 0,
  nano: 0,
  bobcat: 0,
  sandybridge: 1,
  bulldozer: 1,
  piledriver: 1,
  steamroller: 1,
  haswell: 2,
  excavator: 2,
  zen: 2,
  skylakex: 3,
  cooperlake: 3,
  sapphirerapids: 3,
};

/** The level of an OpenBLAS core name, or null for a name this table does not know (a newer core). */
export function coreLevel(corename: string): number | null {
  return CORE_LEVEL[corename.trim().toLowerCase()] ?? null;
}

/**
 * The core to ask for at each level. SkylakeX, not Cooperlake or SapphireRapids: those add
 * only bfloat16 kernels, and up to 0.3.28 at least OPENBLAS_CORETYPE cannot name the last
 * core of the table (its search stops one short). Zen on AMD below AVX-512.
 */
function bestCore(level: number, vendor: string): string | null {
  if (level >= 3) return "SkylakeX";
  if (level === 2) return vendor === "AuthenticAMD" || vendor === "HygonGenuine" ? "Zen" : "Haswell";
  if (level === 1) return "Sandybridge";
  return null;
}

/** Oldest OpenBLAS whose AVX-512 and Zen kernels are trusted when forced (0.3.x before it had wrong-result bugs there). */
const MIN_VERSION = [0, 3, 10] as const;

/** The version in an `openblas_get_config()` string ("OpenBLAS 0.3.21 DYNAMIC_ARCH …"), or null. */
export function openblasVersion(config: string | null): [number, number, number] | null {
  const m = config ? /OpenBLAS\s+(\d+)\.(\d+)\.(\d+)/.exec(config) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export interface CoretypeInput {
  /** The CPU (null: not x86-64 Linux). */
  readonly cpu: CpuInfo | null;
  /** The core OpenBLAS picks by itself (`openblas_get_corename()`), null when unknown or not OpenBLAS. */
  readonly corename: string | null;
  /** `openblas_get_config()`, null when unknown or not OpenBLAS. */
  readonly config: string | null;
  /** OPENBLAS_CORETYPE as the user set it. */
  readonly userCoretype: string | undefined;
  /** TESSERA_BLAS_CORETYPE: "auto", "off" or a core name. */
  readonly setting: string;
}

/** A decision: the OPENBLAS_CORETYPE to set (null: none) and why. */
export interface CoretypeChoice {
  readonly coretype: string | null;
  readonly reason: string;
}

/**
 * The decision that needs no knowledge of the library (the user's own variable, `off`, a
 * forced core, a CPU with nothing to gain), or null when it depends on what OpenBLAS picks.
 */
export function decideBeforeProbe(i: Omit<CoretypeInput, "corename" | "config">): CoretypeChoice | null {
  if (i.userCoretype !== undefined && i.userCoretype !== "")
    return { coretype: null, reason: `OPENBLAS_CORETYPE=${i.userCoretype} is set by the user: left as it is` };
  if (i.setting === "off") return { coretype: null, reason: "TESSERA_BLAS_CORETYPE=off: OpenBLAS picks its own core" };
  if (i.setting !== "auto") return { coretype: i.setting, reason: `TESSERA_BLAS_CORETYPE=${i.setting} forces it` };
  if (!i.cpu) return { coretype: null, reason: "not x86-64 Linux: OpenBLAS picks its own core" };
  if (bestCore(cpuLevel(i.cpu.flags), i.cpu.vendor) === null)
    return { coretype: null, reason: "the CPU has no AVX: OpenBLAS's generic kernels are the best it runs" };
  return null;
}

/**
 * Which OPENBLAS_CORETYPE to set, from the CPU's features, the core OpenBLAS picks by itself
 * and its version, and the user's settings: a core only when OpenBLAS's own pick uses older
 * instructions than the CPU has, and never over the user's own OPENBLAS_CORETYPE.
 */
export function decideCoretype(i: CoretypeInput): CoretypeChoice {
  const early = decideBeforeProbe(i);
  if (early) return early;
  const level = cpuLevel(i.cpu!.flags);
  const best = bestCore(level, i.cpu!.vendor)!;
  if (i.corename === null || i.config === null) return { coretype: null, reason: "not OpenBLAS (no openblas_get_corename): nothing to choose" };
  const version = openblasVersion(i.config);
  const v = version ? version.join(".") : "?";
  const mine = coreLevel(i.corename);
  if (mine === null) return { coretype: null, reason: `OpenBLAS ${v} picked ${i.corename}, a core newer than this table: kept` };
  if (mine >= level)
    return { coretype: null, reason: `OpenBLAS ${v} picked ${i.corename} (${LEVELS[mine]}), as good as this CPU (${LEVELS[level]}) runs: kept` };
  const why = `OpenBLAS ${v} picked ${i.corename} (${LEVELS[mine]}) on a CPU with ${LEVELS[level]}`;
  if (!/\bDYNAMIC_ARCH\b/.test(i.config)) return { coretype: null, reason: `${why}, but it is built for that one core (no DYNAMIC_ARCH): kept` };
  if (version === null || cmp(version, MIN_VERSION) < 0)
    return { coretype: null, reason: `${why}, but it is older than ${MIN_VERSION.join(".")}, whose forced cores are trusted: kept` };
  return { coretype: best, reason: `${why}: ${best} set` };
}

function cmp(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < 3; k++) if (a[k] !== b[k]) return a[k] - b[k];
  return 0;
}

// ---- asking a child process what the library picks ------------------------------------

/** What a child that loaded the library saw: its core, its config, and (when asked) whether gemm checked out. */
export interface ProbeResult {
  readonly loaded: boolean;
  readonly corename: string | null;
  readonly config: string | null;
  /** "ok", or why the small products were wrong; absent when not asked. */
  readonly check?: string;
}

/**
 * Runs in the child: loads the library, reports its core and config, and with "check"
 * compares 67×53·53×71 dgemm and sgemm (every transposition) with a plain reference.
 */
const PROBE = String.raw`
const [koffiPath, lib, check] = process.argv.slice(1);
const out = { loaded: false, corename: null, config: null };
try {
  const L = require(koffiPath).load(lib);
  out.loaded = true;
  const f = (s) => { try { return L.func(s); } catch { return null; } };
  const name = f("const char *openblas_get_corename(void)"), cfg = f("const char *openblas_get_config(void)");
  out.corename = name ? name() : null;
  out.config = cfg ? cfg() : null;
  if (check) {
    out.check = "ok";
    const m = 67, k = 53, n = 71;
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 31 - 1;
    for (const t of ["d", "s"]) {
      const T = t === "d" ? "double" : "float", Arr = t === "d" ? Float64Array : Float32Array;
      const gemm = L.func("void cblas_" + t + "gemm(int, int, int, int, int, int, " + T + ", const " + T + " *, int, const " + T + " *, int, " + T + ", " + T + " *, int)");
      const a = Arr.from({ length: m * k }, rnd), b = Arr.from({ length: k * n }, rnd);
      for (const ta of [false, true]) for (const tb of [false, true]) {
        // Stored transposed when ta/tb: A is then k×m, B n×k.
        const A = (i, p) => (ta ? a[p * m + i] : a[i * k + p]), B = (p, j) => (tb ? b[j * k + p] : b[p * n + j]);
        const c = new Arr(m * n).fill(NaN);
        gemm(101, ta ? 112 : 111, tb ? 112 : 111, m, n, k, 1, a, ta ? m : k, b, tb ? k : n, 0, c, n);
        const tol = t === "d" ? 1e-13 : 1e-5;
        for (let i = 0; i < m && out.check === "ok"; i++) for (let j = 0; j < n; j++) {
          let s = 0, mag = 0;
          for (let p = 0; p < k; p++) { s += A(i, p) * B(p, j); mag += Math.abs(A(i, p) * B(p, j)); }
          if (!(Math.abs(c[i * n + j] - s) <= tol * mag)) { out.check = t + "gemm" + (ta ? "T" : "N") + (tb ? "T" : "N") + " gives " + c[i * n + j] + " for " + s + " at (" + i + ", " + j + ")"; break; }
        }
      }
    }
  }
} catch (e) { out.error = String(e && e.message || e); }
process.stdout.write(JSON.stringify(out));
`;

/** Path of koffi's entry, for the child (null where it cannot be resolved). */
let koffiEntry: string | null | undefined;
/** Set by ffi.ts, which resolves koffi. */
export function setKoffiEntry(p: string | null): void {
  koffiEntry = p;
}

/** Load `lib` in a child process with OPENBLAS_CORETYPE=`coretype` (null: unset) and report (no cache). */
export function runProbe(lib: string, coretype: string | null, check: boolean): ProbeResult | null {
  if (!koffiEntry) return null;
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1" };
  delete env.OPENBLAS_VERBOSE;
  delete env.OPENBLAS_CORETYPE;
  if (coretype) env.OPENBLAS_CORETYPE = coretype;
  const r = spawnSync(process.execPath, ["-e", PROBE, koffiEntry, lib, check ? "1" : ""], { env, encoding: "utf8", timeout: 30_000 });
  try {
    const o = JSON.parse(r.stdout) as { loaded?: unknown; corename?: unknown; config?: unknown; check?: unknown };
    const str = (x: unknown): string | null => (typeof x === "string" ? x.slice(0, 500) : null);
    const res: ProbeResult = { loaded: o.loaded === true, corename: str(o.corename), config: str(o.config) };
    return check ? { ...res, check: str(o.check) ?? "the check did not run" } : res;
  } catch {
    // A crash (a kernel the CPU cannot run) leaves no JSON: say so for the check.
    return check ? { loaded: true, corename: null, config: null, check: `the child ended with ${r.signal ?? `status ${r.status}`}` } : null;
  }
}

// ---- the cache of probe results ----------------------------------------------------------

const cacheFile = (): string => path.join(os.homedir(), ".cache", "tessera", "blas-probes.json");

/** Whether `p` is ours and nobody else may write it (the cache decides which kernels run). */
function safe(p: string, kind: "file" | "dir"): boolean {
  const st = lstatSync(p);
  const uid = typeof process.geteuid === "function" ? process.geteuid() : undefined;
  if (kind === "file" ? !st.isFile() : !st.isDirectory()) return false;
  return uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0);
}

function readCache(): Record<string, ProbeResult> {
  try {
    const f = cacheFile();
    if (!safe(path.dirname(f), "dir") || !safe(f, "file")) return {};
    const o = JSON.parse(readFileSync(f, "utf8"));
    return o && typeof o === "object" ? (o as Record<string, ProbeResult>) : {};
  } catch {
    return {};
  }
}

function writeCache(key: string, value: ProbeResult): void {
  try {
    const f = cacheFile();
    mkdirSync(path.dirname(f), { recursive: true, mode: 0o700 });
    if (!safe(path.dirname(f), "dir")) return;
    const entries = Object.entries(readCache()).filter(([k]) => k !== key);
    const keep = Object.fromEntries([...entries.slice(-31), [key, value]]);
    const tmp = `${f}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(keep), { mode: 0o600 });
    renameSync(tmp, f);
  } catch {
    /* no cache: the child runs again next time */
  }
}

/** What identifies a probe's answer: the library file (or, for a bare name, the linker's cache), the CPU, the core asked for. */
function probeKey(lib: string, cpu: CpuInfo, coretype: string | null, check: boolean): string {
  let file: unknown;
  try {
    if (lib.includes("/")) {
      const real = realpathSync(lib);
      const st = statSync(real);
      file = [real, st.size, st.mtimeMs];
    } else file = [lib, statSync("/etc/ld.so.cache").mtimeMs, process.env.LD_LIBRARY_PATH ?? ""];
  } catch {
    file = [lib, "unresolved"];
  }
  const text = JSON.stringify([file, cpu.vendor, cpu.model, cpu.flags.join(" "), coretype, check, process.version]);
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

function probe(lib: string, cpu: CpuInfo, coretype: string | null, check: boolean): ProbeResult | null {
  const key = probeKey(lib, cpu, coretype, check);
  const hit = readCache()[key];
  if (hit && typeof hit.loaded === "boolean") return hit;
  const r = runProbe(lib, coretype, check);
  if (r) writeCache(key, r);
  return r;
}

// ---- the decision, once per thread, before the first BLAS library loads -----------------

/** The decision made for this process, for `tessera info` and the logs. */
export interface CoretypeRecord extends CoretypeChoice {
  /** The library the decision was made for. */
  readonly library: string;
  /** The core OpenBLAS picks by itself, when a child was asked. */
  readonly ownCore: string | null;
}

let record: CoretypeRecord | undefined;
/** The variable this thread set for the load in progress (removed after it). */
let setByUs: string | null = null;

/** The decision made before the first BLAS library loaded in this thread, or null when none has loaded. */
export function blasCoretypeChoice(): CoretypeRecord | null {
  return record ?? null;
}

/** Whether loading `p` loads a BLAS (OpenBLAS itself, or a BLAS/LAPACK that links it). */
export function isBlasLibrary(p: string): boolean {
  return /blas|lapack/i.test(path.basename(p)) || p === setting("TESSERA_BLAS_LIB");
}

/** Sets (or with null removes) OPENBLAS_CORETYPE in the process's real environment, which OpenBLAS reads. */
export type SetEnv = (value: string | null) => void;

/** Asks (a child process, or the cache) what `lib` does with OPENBLAS_CORETYPE=`coretype` (null: unset), checking its gemm when `check`. */
export type Probe = (lib: string, coretype: string | null, check: boolean) => ProbeResult | null;

/**
 * The decision for `lib`, asking `probe` what OpenBLAS picks by itself and whether the
 * chosen core loads and computes right products; null when `lib` does not load.
 */
export function chooseCoretype(lib: string, base: Omit<CoretypeInput, "corename" | "config">, probe: Probe): CoretypeRecord | null {
  const early = decideBeforeProbe(base);
  if (early) return { ...early, library: lib, ownCore: null };
  const own = probe(lib, null, false);
  if (!own?.loaded) return null;
  const choice = decideCoretype({ ...base, corename: own.corename, config: own.config });
  const record = (c: CoretypeChoice): CoretypeRecord => ({ ...c, library: lib, ownCore: own.corename });
  if (!choice.coretype) return record(choice);
  const v = probe(lib, choice.coretype, true);
  if (!v || v.check !== "ok")
    return record({
      coretype: null,
      reason: `${choice.reason}, but its products are wrong (${v?.check ?? "the check could not run"}): kept ${own.corename}`,
    });
  if (v.corename?.toLowerCase() !== choice.coretype.toLowerCase())
    return record({ coretype: null, reason: `${choice.reason}, but this OpenBLAS does not take it (it runs ${v.corename}): kept ${own.corename}` });
  return record(choice);
}

/**
 * Decide OPENBLAS_CORETYPE before `lib` (a BLAS) is loaded, and set it. Once per thread: the
 * first BLAS loaded in the process fixes the core for every thread.
 */
export function beforeBlasLoad(lib: string, setenv: SetEnv): void {
  if (record) return;
  const cpu = cpuInfo();
  const base = { cpu, userCoretype: process.env.OPENBLAS_CORETYPE, setting: setting("TESSERA_BLAS_CORETYPE") };
  // Not loadable: the caller tries its next candidate, which decides for itself.
  const r = chooseCoretype(lib, base, (l, c, check) => (cpu ? probe(l, cpu, c, check) : null));
  if (!r) return;
  record = r;
  log("kernels", `BLAS core type for ${lib}: ${r.reason}`);
  if (r.coretype) {
    setenv(r.coretype);
    setByUs = r.coretype;
  }
}

/** After the load: remove the variable this thread set, so that child processes do not inherit it. */
export function afterBlasLoad(setenv: SetEnv): void {
  if (setByUs === null) return;
  setByUs = null;
  setenv(null);
}
