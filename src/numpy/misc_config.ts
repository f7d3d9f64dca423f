/**
 * NumPy's "Miscellaneous routines": show_config, show_runtime (what Tessera is built on and
 * runs with: processors, BLAS, LAPACK, kernels), get_include (its C header) and getbufsize /
 * setbufsize.
 */
import os from "node:os";
import { detectMachine, setting } from "../core/index.js";
import { AttributeError, ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv } from "./param_types.js";
import { blasInfo } from "./tasks/matmul/blas.js";
import { lapack } from "./tasks/linalg/lapack.js";
import { getBufsize, setBufsize } from "./fp_errors.js";

const VERSION = "0.1.0";

/** The configuration as nested plain objects, by NumPy's section names where they apply. */
function config(): Record<string, unknown> {
  const b = blasInfo();
  const blas =
    b === null
      ? { name: "js", found: false, note: "no CBLAS library found: matrix products use the JS gemm" }
      : "refused" in b
        ? { name: "js", found: false, note: b.refused }
        : { name: b.corename ? "openblas" : "cblas", found: true, path: b.path, "openblas configuration": b.config ?? "unknown" };
  const l = lapack().name;
  return {
    "Build Dependencies": {
      blas: { ...blas, setting: setting("TESSERA_BLAS") },
      lapack:
        l === "portable"
          ? { name: "portable", found: false, note: "plain JS LAPACK" }
          : { name: "lapack", found: true, path: l.replace(/^native: /, "") },
    },
    "Machine Information": {
      host: { cpu: os.arch(), endian: os.endianness() === "LE" ? "little" : "big", system: os.platform() },
    },
    Runtime: { tessera: VERSION, node: process.version, kernels: setting("TESSERA_KERNELS"), ...machine() },
  };
}

function machine(): Record<string, number> {
  const m = detectMachine();
  return { "cpu workers": m.cpus, gpus: m.gpus, ranks: m.ranks };
}

const modeArg = conv<"stdout" | "dicts", string>((v): string => String(v));

/** np.show_config(mode='stdout'): Tessera's configuration (BLAS, LAPACK, kernels, processors) printed, or returned for mode='dicts'. */
export const show_config = def("show_config", "mode='stdout'", { mode: modeArg }, (p): Record<string, unknown> | undefined => {
  if (p.mode !== "stdout" && p.mode !== "dicts") throw new AttributeError("Invalid `mode`, use one of: stdout, dicts");
  const c = config();
  if (p.mode === "dicts") return c;
  console.log(JSON.stringify(c, null, 2));
  return undefined;
});

/** np.show_runtime(): the versions, the host and the processors this process runs on, printed. */
export const show_runtime = def("show_runtime", "", {}, (): void => {
  const info = [
    { tessera_version: VERSION, node: process.version, uname: { system: os.type(), node: os.hostname(), release: os.release(), machine: os.arch() } },
    { processors: machine(), kernels: setting("TESSERA_KERNELS") },
    { blas: (config()["Build Dependencies"] as Record<string, unknown>).blas },
  ];
  console.log(JSON.stringify(info, null, 2));
});

/** np.getbufsize(): the ufunc buffer size (bytes) in force; scoped by np.errstate as in NumPy. */
export const getbufsize = def("getbufsize", "", {}, (): number => getBufsize());

/**
 * np.setbufsize(size): sets the ufunc buffer size, returning the old one (np.errstate puts it
 * back on exit). A multiple of 16 up to 10,000,000, as NumPy requires; Tessera's tasks cut
 * arrays into pieces of their own, so the value changes no result or piece size.
 */
export const setbufsize = def("setbufsize", "size", { size: arg.int }, (p): number => {
  const n = p.size;
  if (n < 0) throw new ValueError("buffer size must be non-negative");
  if (n > 10_000_000) throw new ValueError(`Buffer size, ${n}, is too big`);
  if (n < 5) throw new ValueError(`Buffer size, ${n}, is too small`);
  if (n % 16 !== 0) throw new ValueError(`Buffer size, ${n}, is not a multiple of 16`);
  return setBufsize(n);
});

/**
 * np.get_include(): the directory holding Tessera's C headers: `tessera/kernel.h`, which every
 * compiled kernel is built from (NumPy's integer division, modulo and casts, and libmvec's
 * vector math), `tessera/fft.h` (np.fft's passes), `tessera/gather.h` (advanced indexing's
 * row copy) and `tessera/gemv.h` (matrix-vector products), for C code run on Tessera's memory.
 */
export const get_include = def("get_include", "", {}, (): string => decodeURIComponent(new URL("../../../include", import.meta.url).pathname));
