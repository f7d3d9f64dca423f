/**
 * The JS kernels and the compiled C kernels must compute the same thing. Every conformance
 * case (test/fixtures/conformance.json, float_semantics.json and ufuncs_math.json) runs in two child processes,
 * one with TESSERA_KERNELS=js and one with TESSERA_KERNELS=c (kernel_paths_child.ts), and the
 * raw bytes of their results are compared:
 *
 *  - identical, bit for bit, for every case without a transcendental function or a float
 *    reduction: elementwise arithmetic, comparisons, casts, sqrt, rounding, where, indexing,
 *    cumulative sums and products, integer work of every kind;
 *  - transcendental functions (exp … tanh, arctan2, hypot, power) differ: V8's Math library
 *    on the JS path, glibc's libm and its vector library libmvec on the C path. Their
 *    results may differ by at most the function's ulp bound against NumPy (ULP_BOUND, the
 *    table in docs/numpy.md). Measured over the conformance cases: 2 ulp for sin, cos and tan,
 *    1 ulp for the others;
 *  - float sums, products, means, variances: the C reduction keeps eight partial sums in a
 *    row (vectorised), the JS one a single running sum, so the last bits may differ; both
 *    stay within the conformance tolerance of NumPy's pairwise sum. Cases with these ops
 *    (REDUCING) have only their dtype and shape compared here; measured: 3 of them differ,
 *    all int32 `var` (a float64 sum of squares over 24 elements).
 *
 * np.fft's compiled transforms (include/tessera/fft.h) give the JS plans' bytes exactly, and so
 * does the compiled row copy of advanced indexing (include/tessera/gather.h), and so does the
 * compiled dictionary gather of Parquet's direct reader (include/tessera/parquet.h).
 *
 * Besides, from the same children: a 10^6-element a*b+0.3 (float64 and float32) equals plain
 * JS arithmetic bit for bit on both paths (no fused multiply-add), and each transcendental
 * function stays within its ulp bound of NumPy (ULP_BOUND, docs/numpy.md) on both paths.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Case, Expr, Operand } from "./conformance_support.js";
import { type FloatDType, ULP_BOUND, floatFixture, maxUlp, ulpExpected } from "./float_support.js";
import { DTYPE_PAIR, type Outcome } from "./kernel_paths_child.js";

const CI = process.env.TESSERA_CI === "1";
const haveCompiler = spawnSync(process.env.CC ?? "gcc", ["--version"], { stdio: "ignore" }).status === 0;
const skip = !haveCompiler && !CI ? "no C compiler: the C kernel path does not exist here" : false;

/** Ops computed through a transcendental function (logspace: base ** linspace). */
const TRANSCENDENTAL: Record<string, string> = Object.fromEntries([
  ...Object.keys(ULP_BOUND).map((f) => [f, f]),
  ["logspace", "power"],
  // compositions: cbrt is pow and a Newton step, logaddexp2 uses 2 ** x
  ["cbrt", "power"],
  ["float_power", "power"],
  ["logaddexp", "exp"],
  ["logaddexp2", "power"],
  ["sinc", "sin"],
  ["angle", "arctan2"],
  // NumPy 2's array-API names
  ["acos", "arccos"],
  ["asin", "arcsin"],
  ["atan", "arctan"],
  ["acosh", "arccosh"],
  ["asinh", "arcsinh"],
  ["atanh", "arctanh"],
  ["atan2", "arctan2"],
  ["pow", "power"],
]);
/** Float reductions whose summation order differs between the JS and C kernels. */
const REDUCING = new Set([
  "sum",
  "prod",
  "mean",
  "var",
  "std",
  "nansum",
  "nanprod",
  "nanmean",
  "nanvar",
  "nanstd",
  "average",
  "trapezoid",
  "cov",
  "corrcoef",
]);

interface Results {
  cases: Record<string, Outcome>;
  ulp: Record<string, string>;
  fft: Record<string, Outcome>;
  gather: Record<string, Outcome>;
  parquet: Record<string, Outcome>;
}
const paths = ["js", "c"] as const;
type Path = (typeof paths)[number];
const results = {} as Record<Path, Results>;
const dirs = {} as Record<Path, string>;

const child = fileURLToPath(new URL("./kernel_paths_child.js", import.meta.url));

function runChild(kernels: Path): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `tessera-kernels-${kernels}-`));
  dirs[kernels] = dir;
  const env = { ...process.env, TESSERA_KERNELS: kernels, TESSERA_GPUS: "0", TESSERA_KERNEL_PATHS_OUT: dir };
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child], { env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => {
      err += d;
    });
    p.on("error", reject);
    p.on("exit", (code) => {
      if (code !== 0) {
        reject(new Error(`TESSERA_KERNELS=${kernels} child exited with ${code}:\n${err.slice(-4000)}`));
        return;
      }
      results[kernels] = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")) as Results;
      resolve();
    });
  });
}

/** Every op named in an expression tree. */
function opsOf(e: Operand, into = new Set<string>()): Set<string> {
  if (e === null || typeof e !== "object" || !("op" in e)) return into;
  const x = e as Expr;
  into.add(x.op);
  // A ufunc's method ("hypot.reduce"): outer and at apply the ufunc once per element; the
  // folds (reduce, accumulate, reduceat) chain it, so its rounding accumulates as a reduction's.
  const [ufunc, method] = x.op.split(".");
  if (method) into.add(method === "outer" || method === "at" ? ufunc : "sum");
  for (const a of x.args) opsOf(a, into);
  for (const items of [x.kw?.index, x.kw?.self_index] as unknown[][])
    for (const it of items ?? []) if (it !== null && typeof it === "object" && !("slice" in it)) opsOf(it as Operand, into);
  return into;
}

function decode(hex: string, dtype: string): Float64Array | Float32Array {
  const b = Buffer.from(hex, "hex");
  const copy = new Uint8Array(b.length);
  copy.set(b);
  return dtype === "float32" || dtype === "complex64" ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
}

/** Largest ulp distance between two outcomes with float data (complex: per part). */
function outcomeUlp(a: Outcome, b: Outcome): number {
  if ("tuple" in a && "tuple" in b) return Math.max(0, ...a.tuple.map((x, i) => outcomeUlp(x, b.tuple[i])));
  if (!("dtype" in a) || !("dtype" in b) || a.dtype !== b.dtype || a.shape.join() !== b.shape.join() || a.hex === undefined || b.hex === undefined)
    return Infinity;
  if (!/^(float(32|64)|complex(64|128))$/.test(a.dtype)) return a.hex === b.hex ? 0 : Infinity;
  const fd: FloatDType = a.dtype === "float32" || a.dtype === "complex64" ? "float32" : "float64";
  return maxUlp(decode(a.hex, a.dtype), decode(b.hex, b.dtype), fd).ulp;
}

/** An outcome without its data: dtype and shape, or the error. */
function shapeOf(o: Outcome): unknown {
  if ("tuple" in o) return o.tuple.map(shapeOf);
  if ("dtype" in o) return { dtype: o.dtype, shape: o.shape };
  return o;
}

describe("JS and C kernels", { skip }, () => {
  before(() => Promise.all(paths.map(runChild)));
  after(() => {
    for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  });

  test("a*b+0.3 over 10^6 elements equals plain JS arithmetic bit for bit (float64, float32)", () => {
    const c03 = Math.fround(0.3);
    for (const p of paths) {
      for (const dtype of ["float64", "float32"] as const) {
        const read = (name: string) => {
          const b = readFileSync(path.join(dirs[p], `fma-${dtype}-${name}.bin`));
          const copy = new Uint8Array(b.length);
          copy.set(b);
          return dtype === "float32" ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
        };
        const a = read("a"),
          b = read("b"),
          r = read("r");
        assert.equal(r.length, 1_000_000);
        let bad = 0,
          first = -1;
        for (let i = 0; i < r.length; i++) {
          // float64: exactly NumPy's a * b + 0.3; float32: each operation rounded to float32.
          const want = dtype === "float64" ? a[i] * b[i] + 0.3 : Math.fround(Math.fround(a[i] * b[i]) + c03);
          if (!Object.is(r[i], want)) {
            bad++;
            if (first < 0) first = i;
          }
        }
        assert.equal(bad, 0, `TESSERA_KERNELS=${p} ${dtype}: ${bad} of ${r.length} values differ (first at ${first}: ${r[first]})`);
      }
    }
  });

  test("every conformance case: the same bytes on both paths, transcendentals within their ulp bound", (t) => {
    const conformance = JSON.parse(readFileSync(new URL("../../../test/fixtures/conformance.json", import.meta.url), "utf8")) as { cases: Case[] };
    const all: [string, Case][] = [
      ...conformance.cases.map((c) => [c.name, c] as [string, Case]),
      ...floatFixture().cases.map((c) => [`float semantics ${c.name}`, c] as [string, Case]),
      ...(JSON.parse(readFileSync(new URL("../../../test/fixtures/ufuncs_math.json", import.meta.url), "utf8")) as { cases: Case[] }).cases
        .filter((c) => !DTYPE_PAIR.test(c.name))
        .map((c) => [`ufuncs math ${c.name}`, c] as [string, Case]),
    ];
    const js = results.js.cases,
      c = results.c.cases;
    assert.equal(Object.keys(js).length, all.length);
    const bad: string[] = [];
    const measured = new Map<string, number>();
    let reducing = 0,
      differing = 0;
    for (const [name, k] of all) {
      const a = js[name],
        b = c[name];
      if (JSON.stringify(a) === JSON.stringify(b)) continue;
      differing++;
      const ops = opsOf(k.expr);
      if ([...ops].some((op) => REDUCING.has(op))) {
        reducing++;
        if (JSON.stringify(shapeOf(a)) !== JSON.stringify(shapeOf(b)))
          bad.push(`${name}: ${JSON.stringify(shapeOf(a))} vs ${JSON.stringify(shapeOf(b))}`);
        continue;
      }
      const fns = [...ops].filter((op) => op in TRANSCENDENTAL).map((op) => TRANSCENDENTAL[op]);
      const ulp = outcomeUlp(a, b);
      if (!fns.length) {
        bad.push(`${name}: results differ (${ulp} ulp) in a case without transcendental functions`);
        continue;
      }
      const fd: FloatDType = "dtype" in a && (a.dtype === "float32" || a.dtype === "complex64") ? "float32" : "float64";
      const bound = Math.max(...fns.map((f) => ULP_BOUND[f][fd]));
      const key = fns.join("+");
      measured.set(key, Math.max(measured.get(key) ?? 0, ulp));
      if (ulp > bound) bad.push(`${name}: ${ulp} ulp apart (bound ${bound})`);
    }
    t.diagnostic(
      `${all.length} cases; ${differing} differ: ${reducing} float reductions, the rest transcendental (max ulp: ${[...measured].map(([k, v]) => `${k} ${v}`).join(", ")})`,
    );
    assert.deepEqual(bad, []);
  });

  test("np.fft: the compiled transforms give the JS plans' bytes (every radix, Bluestein, strided lines, float32)", () => {
    const js = results.js.fft,
      c = results.c.fft;
    assert.ok(Object.keys(js).length >= 180);
    assert.deepEqual(Object.keys(c), Object.keys(js));
    const bad = Object.keys(js).filter((k) => JSON.stringify(js[k]) !== JSON.stringify(c[k]));
    assert.deepEqual(
      bad.map((k) => `${k}: ${outcomeUlp(js[k], c[k])} ulp apart`),
      [],
    );
  });

  test("advanced indexing: the compiled row copy and nonzero give the JS loops' bytes (masks, int32, reversed rows, scatters)", () => {
    const js = results.js.gather,
      c = results.c.gather;
    assert.equal(Object.keys(js).length, 27);
    assert.deepEqual(c, js);
  });

  test("Parquet dictionary pages: the compiled gather gives the JS loop's bytes (4- and 8-byte values, wide and narrow indices, RLE runs)", () => {
    const js = results.js.parquet,
      c = results.c.parquet;
    assert.equal(Object.keys(js).length, 18);
    assert.deepEqual(c, js);
  });

  test("transcendental functions within their ulp bound of NumPy on both paths", (t) => {
    const bad: string[] = [];
    const rows: string[] = [];
    for (const e of floatFixture().ulp) {
      const want = ulpExpected(e);
      const bound = ULP_BOUND[e.fn][e.dtype];
      const row: string[] = [];
      for (const p of paths) {
        const b = Buffer.from(results[p].ulp[`${e.fn} ${e.dtype}`], "base64");
        const copy = new Uint8Array(b.length);
        copy.set(b);
        const got = e.dtype === "float32" ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
        const m = maxUlp(got, want, e.dtype);
        row.push(`${p} ${m.ulp}`);
        if (m.ulp > bound) bad.push(`${e.fn} ${e.dtype} (${p}): ${m.ulp} ulp from NumPy at element ${m.at} (bound ${bound})`);
      }
      rows.push(`${e.fn} ${e.dtype}: ${row.join(", ")}`);
    }
    t.diagnostic(`max ulp from NumPy: ${rows.join("; ")}`);
    assert.deepEqual(bad, []);
  });
});
