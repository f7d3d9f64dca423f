/**
 * Every TESSERA_* environment variable, in one table: its section, default, doc line and
 * parser. Code reads a setting only through `setting(name)`, which parses and validates the
 * variable each time it is asked (callers ask once, when the runtime or a module starts), so
 * a bad value is a clear error naming the variable. docs/configuration.md is generated from
 * this table (`npm run docs:config`); a test keeps the two equal.
 */

export type Section = "Machine" | "Mapping and fusion" | "Kernels and BLAS" | "Memory" | "Diagnostics" | "MPI ranks";

interface Spec<T> {
  readonly section: Section;
  /** What it does, for docs/configuration.md (Markdown). */
  readonly doc: string;
  /** The default, as the docs state it. */
  readonly shown: string;
  readonly parse: (raw: string | undefined, name: string) => T;
}

const env = (name: string): string | undefined => (typeof process !== "undefined" ? process.env[name] : undefined);

/** An integer variable set by a launcher (mpirun's OMPI_COMM_WORLD_SIZE…), not a Tessera setting. */
export function launcherInt(name: string, fallback: number, min: number): number {
  return int(fallback, min)(env(name), name);
}

function int(fallback: number, min: number): (raw: string | undefined, name: string) => number {
  return (raw, name) => {
    if (raw === undefined || raw.trim() === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new RangeError(`${name} must be an integer >= ${min}, got '${raw}'`);
    return n;
  };
}

function num(fallback: number, min: number): (raw: string | undefined, name: string) => number {
  return (raw, name) => {
    if (raw === undefined || raw.trim() === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new RangeError(`${name} must be a number >= ${min}, got '${raw}'`);
    return n;
  };
}

function oneOf<const V extends readonly string[]>(values: V, fallback: V[number]): (raw: string | undefined, name: string) => V[number] {
  return (raw, name) => {
    if (raw === undefined || raw === "") return fallback;
    if (!values.includes(raw)) throw new RangeError(`${name} must be one of ${values.map((v) => `'${v}'`).join(", ")}, got '${raw}'`);
    return raw;
  };
}

const onOff = (raw: string | undefined): boolean => raw !== "0";
const text = (raw: string | undefined): string | undefined => (raw === undefined || raw === "" ? undefined : raw);

const SETTINGS = {
  TESSERA_CPUS: {
    section: "Machine",
    doc: "CPU worker threads per process (per rank under MPI); `--cpus`",
    shown: "every core (`os.availableParallelism()`); under `tessera run --ranks N` on one host, the cores divided among the ranks",
    parse: (raw: string | undefined, name: string): number | undefined => (raw === undefined || raw === "" ? undefined : int(0, 1)(raw, name)),
  },
  TESSERA_GPUS: {
    section: "Machine",
    doc: "`1`: run what WebGPU supports on the GPU; no adapter is then an error, never a silent CPU run. One GPU per process; not yet with several ranks; `--gpus`",
    shown: "`0`",
    parse: int(0, 0),
  },
  TESSERA_GPU_MIN: {
    section: "Machine",
    doc: "smallest launch (in elements) the mapper sends to the GPU; `0` sends every launch WebGPU supports",
    shown: "`65536`",
    parse: num(1 << 16, 0),
  },
  TESSERA_GPU_MEMORY: {
    section: "Machine",
    doc: "bytes of GPU instances kept before the least recently used are copied back to the host and freed",
    shown: "`2147483648` (2 GiB)",
    parse: num(2 ** 31, 0),
  },
  TESSERA_INLINE_WORK: {
    section: "Mapping and fusion",
    doc: "launches with less work (elements × a per-op weight) run inline on the calling thread, with no hand-off to a worker (with one CPU, up to 4× this); `0` never runs inline",
    shown: "`1048576`",
    parse: num(1 << 20, 0),
  },
  TESSERA_MIN_PIECE_WORK: {
    section: "Mapping and fusion",
    doc: "smallest piece a launch is cut into for the worker pool, so medium arrays use fewer workers; `1` cuts every launch into one piece per CPU (used by the tests, with `TESSERA_INLINE_WORK=0`, to exercise partitioning)",
    shown: "`32768`",
    parse: num(1 << 15, 0),
  },
  TESSERA_EAGER: {
    section: "Mapping and fusion",
    doc: "launches of at most this many elements that the mapper runs inline, with computed inputs, run when they are made instead of at the next blocking point ([performance.md](performance.md#small-arrays-run-at-once)); `0` defers every launch",
    shown: "`4096`",
    parse: num(4096, 0),
  },
  TESSERA_FUSION: {
    section: "Mapping and fusion",
    doc: "`0` turns off fusion of lazy elementwise values ([performance.md](performance.md#fusion))",
    shown: "on",
    parse: onOff,
  },
  TESSERA_SIBLINGS: {
    section: "Mapping and fusion",
    doc: "`0` turns off sibling fusion (lazy results of the same inputs computed in one multi-output kernel)",
    shown: "on",
    parse: onOff,
  },
  TESSERA_KERNELS: {
    section: "Kernels and BLAS",
    doc: "`c`: every launch, however small, on compiled C kernels (an error without a compiler); `js`: none",
    shown: "C for launches big enough for the worker pool, JS otherwise and where no compiler works",
    parse: oneOf(["auto", "c", "js"], "auto"),
  },
  TESSERA_CACHE: {
    section: "Kernels and BLAS",
    doc: "directory of compiled kernels; refused (every kernel runs as JS, logged under `TESSERA_LOG=kernels`) unless only its owner can write it ([performance.md](performance.md#the-kernel-cache-only-its-owner-may-write-it))",
    shown: "`~/.cache/tessera/kernels-<arch>`",
    parse: text,
  },
  TESSERA_CACHE_MAX_MB: {
    section: "Kernels and BLAS",
    doc: "bound on the kernel cache's size in MB; beyond it the least recently used kernels are deleted, down to three quarters of the bound",
    shown: "`256`",
    parse: num(256, 0),
  },
  CC: {
    section: "Kernels and BLAS",
    doc: "the C compiler for kernels",
    shown: "`gcc`",
    parse: (raw: string | undefined): string => raw || "gcc",
  },
  TESSERA_BLAS: {
    section: "Kernels and BLAS",
    doc: "`js`: matrix products use the blocked JS gemm even where a BLAS library loads",
    shown: "the native library when one loads",
    parse: oneOf(["auto", "native", "js"], "auto"),
  },
  TESSERA_BLAS_LIB: {
    section: "Kernels and BLAS",
    doc: "path or name of the CBLAS library to load",
    shown: "the first that loads of `libopenblas.so.0`, `libopenblas.so`, `libcblas.so.3`, `libblas.so.3`, `libopenblas.dylib`, Accelerate",
    parse: text,
  },
  TESSERA_LAPACK: {
    section: "Kernels and BLAS",
    doc: "`portable`: numpy.linalg uses the plain-JS LAPACK even where a LAPACK library loads",
    shown: "the native library when one loads",
    parse: oneOf(["auto", "native", "portable"], "auto"),
  },
  TESSERA_LAPACK_LIB: {
    section: "Kernels and BLAS",
    doc: "path or name of the LAPACK library numpy.linalg loads",
    shown:
      "the first that loads of `libopenblas.so.0` (OpenBLAS exports LAPACK), `liblapack.so.3`, `libopenblas.so`, `liblapack.so`, `libopenblas.dylib`, Accelerate",
    parse: text,
  },
  TESSERA_BLAS_CORETYPE: {
    section: "Kernels and BLAS",
    doc: "OpenBLAS's kernels: with `auto`, when the core OpenBLAS picks by itself uses older instructions than the CPU has (an OpenBLAS older than the CPU: Debian 12's 0.3.21 gives recent Xeons its generic `Prescott` kernels), Tessera sets `OPENBLAS_CORETYPE` to the best core the CPU runs (`SkylakeX` with AVX-512, `Haswell`/`Zen` with AVX2, `Sandybridge` with AVX) before the library loads, once that core's products check out; `off`: never; a core name (`Haswell`…): that core. A user's own `OPENBLAS_CORETYPE` is never overridden. `tessera info` shows the core in use and why ([performance.md](performance.md#blas))",
    shown: "`auto`",
    parse: (raw: string | undefined, name: string): string => {
      if (raw === undefined || raw === "" || raw === "auto") return "auto";
      if (raw === "off" || /^[A-Za-z][A-Za-z0-9_]{1,31}$/.test(raw)) return raw;
      throw new RangeError(`${name} must be 'auto', 'off' or an OpenBLAS core name such as 'Haswell', got '${raw}'`);
    },
  },
  TESSERA_RECLAIM_BYTES: {
    section: "Memory",
    doc: "most growth of held host memory between forced garbage collections in a long synchronous loop ([performance.md](performance.md#memory))",
    shown: "`1073741824` (1 GiB)",
    parse: num(2 ** 30, 0),
  },
  TESSERA_POOL_BYTES: {
    section: "Memory",
    doc: "most bytes of freed host buffers kept for reuse (never more than are live)",
    shown: "`2147483648` (2 GiB)",
    parse: num(2 ** 31, 0),
  },
  TESSERA_HUGE_PAGES: {
    section: "Memory",
    doc: "`1`: ask Linux for transparent huge pages behind host buffers of 2 MiB or more, as NumPy does from 4 MiB: fewer TLB misses on large arrays (a sum of 10M float64 10-25% faster), but in a VM that hands freed memory back to its host a fresh huge page costs milliseconds to fault in (a Jacobi sweep allocating a fresh 128 MB buffer: up to 40% slower) ([performance.md](performance.md#memory))",
    shown: "`0`",
    parse: (raw: string | undefined): boolean => raw === "1",
  },
  TESSERA_WORKER_HEAP_MB: {
    section: "Memory",
    doc: "cap on each CPU worker's V8 heap (old generation, MiB); a worker over it dies with a `TaskError`",
    shown: "unset (V8's default)",
    parse: num(0, 0),
  },
  TESSERA_LOG: {
    section: "Diagnostics",
    doc: "comma list of topics printed to stderr: `mapping` (the mapper's decision per launch and why a launch stayed on the CPU), `kernels` (generated code, the kernel cache's decisions, the BLAS library loaded and the core type chosen for it; keeps the C sources), `tasks`, `pool`, `dist` (messages between ranks), or `all`; `--log`",
    shown: "none",
    parse: (raw: string | undefined): string[] =>
      (raw ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
  },
  TESSERA_PROFILE: {
    section: "Diagnostics",
    doc: "write a Chrome-trace/Perfetto profile to this file at exit (one track per worker, a process per rank; open in https://ui.perfetto.dev); `--profile`",
    shown: "none",
    parse: text,
  },
  TESSERA_OUTPUT: {
    section: "MPI ranks",
    doc: "`all`: every rank writes to stdout",
    shown: "only rank 0 writes",
    parse: oneOf(["rank0", "all"], "rank0"),
  },
  TESSERA_MPI_LIB: {
    section: "MPI ranks",
    doc: "the MPI library loaded through koffi",
    shown: "`libmpi.so.40` (OpenMPI)",
    parse: (raw: string | undefined): string => raw || "libmpi.so.40",
  },
  TESSERA_MPIRUN: {
    section: "MPI ranks",
    doc: "the command `tessera run --ranks N` starts",
    shown: "`mpirun`",
    parse: (raw: string | undefined): string => raw || "mpirun",
  },
} as const satisfies Record<string, Spec<unknown>>;

export type SettingName = keyof typeof SETTINGS;
type ValueOf<N extends SettingName> = ReturnType<(typeof SETTINGS)[N]["parse"]>;

/** The value of a setting, parsed from the environment now (an invalid value throws a RangeError naming it). */
export function setting<N extends SettingName>(name: N): ValueOf<N> {
  return SETTINGS[name].parse(env(name), name) as ValueOf<N>;
}

/** Every setting with its documentation, in table order (for docs/configuration.md and `tessera info`). */
export function settingDocs(): { name: SettingName; section: Section; doc: string; shown: string }[] {
  return (Object.keys(SETTINGS) as SettingName[]).map((name) => {
    const s: Spec<unknown> = SETTINGS[name];
    return { name, section: s.section, doc: s.doc, shown: s.shown };
  });
}
