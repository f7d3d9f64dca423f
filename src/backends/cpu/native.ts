import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { log } from "../../core/log.js";
import { TypedArray } from "../../core/dtype.js";

/**
 * Native kernels: generated C compiled with the system compiler (gcc/cc) into a shared
 * object cached on disk by source hash, and called through koffi on the same shared memory
 * the JS kernels use. Where no compiler or koffi is available, everything stays on JS.
 */

type Koffi = { load(p: string): { func(sig: string): (...a: unknown[]) => void } };
let koffi: Koffi | null | undefined;
function loadKoffi(): Koffi | null {
  if (koffi !== undefined) return koffi;
  try { koffi = createRequire(import.meta.url)("koffi") as Koffi; } catch { koffi = null; }
  return koffi;
}

const mode = process.env.TESSERA_KERNELS ?? "auto"; // auto | c | js
const cacheDir = process.env.TESSERA_CACHE ?? path.join(os.homedir(), ".cache", "tessera", `kernels-${process.arch}`);
const CC = process.env.CC ?? "gcc";
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
 * Most arrays one compiled kernel takes: koffi calls functions of at most 64 parameters, and
 * kernel(d0, …, dN, M, SF, SI) spends three on meta data and scalars. Fusion keeps kernels
 * within it (runtime.ts); a launch beyond it would run on the JS kernels.
 */
export const MAX_NATIVE_ARGS = 61;

/** Whether native kernels may be used at all, and whether they are forced for every launch. */
export const nativeMode = (): "auto" | "c" | "js" => (mode === "c" || mode === "js" ? mode : "auto");

function haveCompiler(): boolean {
  if (compilerOk !== undefined) return compilerOk;
  try {
    compilerId = execFileSync(CC, ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().split("\n")[0];
    compilerOk = loadKoffi() !== null;
  }
  catch { compilerOk = false; }
  if (!compilerOk) log("kernels", `no C compiler (${CC}) or koffi: JS kernels only`);
  return compilerOk;
}

const compiled = new Map<string, string | null>();

/** Compile `source` (once per process, once per machine thanks to the disk cache). */
export function compileKernel(source: string): string | null {
  if (nativeMode() === "js") return null;
  if (!haveCompiler()) {
    if (nativeMode() === "c") throw new Error(`TESSERA_KERNELS=c but no usable C compiler (${CC}) or koffi`);
    return null;
  }
  const hit = compiled.get(source);
  if (hit !== undefined) return hit;
  // The key covers everything that shapes the machine code: compiler, flags and source.
  const hash = createHash("sha256").update(`${CC}\n${compilerId}\n${FLAGS.join(" ")}\n`).update(source).digest("hex").slice(0, 24);
  const so = path.join(cacheDir, `${hash}.so`);
  let result: string | null = so;
  if (!existsSync(so)) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      const c = path.join(cacheDir, `${hash}.${process.pid}.c`);
      writeFileSync(c, source);
      const tmp = `${so}.${process.pid}.tmp`;
      execFileSync(CC, [...FLAGS, "-o", tmp, c, "-lmvec", "-lm"], { stdio: ["ignore", "ignore", "pipe"] });
      renameSync(tmp, so); // atomic: concurrent processes never load a half-written file
      log("kernels", () => `compiled ${so}\n${source.slice(source.indexOf("void kernel"))}`);
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
    const k = loadKoffi();
    if (!k) throw new Error("koffi is not available in this thread");
    const params = [...Array.from({ length: nbuf }, () => "void *"), "const int64_t *", "const double *", "const int64_t *"];
    fn = k.load(so).func(`void kernel(${params.join(", ")})`);
    loaded.set(so, fn);
  }
  fn(...buffers, meta, sf, si);
}
