/**
 * The program kernel_paths.test.ts runs twice, with TESSERA_KERNELS=js and =c: it evaluates
 * every conformance case (test/fixtures/conformance.json and float_semantics.json), the
 * transcendental ranges of float_semantics.json and a 10^6-element a*b+0.3, and writes the
 * raw bytes of every result into the folder TESSERA_KERNEL_PATHS_OUT. Without that variable
 * this file does nothing (so the plain test runner may load it).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as np from "tessera";
import { type Case, type EncArray, Evaluation } from "./conformance_support.js";
import { floatFixture, ulpCompute, ulpInputs } from "./float_support.js";

/** One case's outcome: the result's dtype, shape and bytes (hex), or the error. */
export type Outcome =
  | { dtype: string; shape: number[]; hex?: string }
  | { type: string }
  | { tuple: Outcome[] }
  | { error: string; message: string }
  | { other: string };

/** Raw bytes of an array in C order; every NaN written as the same NaN (payloads are not NumPy's to promise). */
function hexOf(a: np.ndarray): string {
  const t = a.toTypedArray();
  if (t instanceof Float64Array || t instanceof Float32Array) for (let i = 0; i < t.length; i++) if (t[i] !== t[i]) t[i] = NaN;
  return Buffer.from(t.buffer, t.byteOffset, t.byteLength).toString("hex");
}

function outcome(r: unknown, op: string): Outcome {
  if (r instanceof np.ndarray) {
    const o: Outcome = { dtype: r.dtype.name, shape: [...r.shape] };
    // np.empty's contents are unspecified.
    if (op !== "empty" && op !== "empty_like") o.hex = hexOf(r);
    return o;
  }
  if (Array.isArray(r)) return { tuple: r.map((x) => outcome(x, op)) };
  if (r !== null && typeof r === "object" && "name" in r && typeof (r as { name: unknown }).name === "string")
    return { type: (r as { name: string }).name };
  return { other: String(r) };
}

function run(c: Case, arrays: EncArray[]): Outcome {
  const ev = new Evaluation(arrays);
  try {
    ev.prepare(c.expr);
    return outcome(ev.apply(c.expr), c.expr.op);
  } catch (e) {
    const err = e as Error;
    return { error: err?.name, message: err?.message };
  }
}

/**
 * np.fft's transforms (compiled: tessera/fft.h; JS: complex_plan.ts) at lengths that take
 * every pass (radix 2, 3, 4, 5, generic odd, Bluestein), along contiguous and strided axes,
 * real and complex, float32 and float64, with each norm, and long lines in four steps.
 */
function fftOutcomes(): Record<string, Outcome> {
  const out: Record<string, Outcome> = {};
  for (const n of [2, 3, 5, 7, 8, 12, 15, 16, 17, 30, 49, 64, 97, 100, 121, 1000, 1024, 4096, 10007, 30030]) {
    const rng = np.random.default_rng(n);
    const a = rng.standard_normal([3, n]) as np.ndarray;
    const b = rng.standard_normal([n, 3]) as np.ndarray;
    const z = a.add((rng.standard_normal([3, n]) as np.ndarray).mul({ re: 0, im: 1 }));
    const results: Record<string, np.ndarray> = {
      fft: np.fft.fft(a),
      "ifft ortho": np.fft.ifft(z, null, -1, "ortho"),
      "fft forward complex64": np.fft.fft(z.astype("complex64"), null, -1, "forward"),
      rfft: np.fft.rfft(a),
      irfft: np.fft.irfft(z),
      "fft axis 0": np.fft.fft(b, null, 0),
      "rfft axis 0 float32": np.fft.rfft(b.astype("float32"), null, 0),
      "irfft axis 0 padded": np.fft.irfft(b, n + 3, 0),
      fft2: np.fft.fft2(b),
    };
    for (const [k, r] of Object.entries(results)) out[`${k} ${n}`] = outcome(r, "fft");
  }
  // One long line: the four-step algorithm's two passes and twiddles.
  for (const n of [1 << 16, 3 * (1 << 16)]) {
    const rng = np.random.default_rng(n);
    const z = (rng.standard_normal([n]) as np.ndarray).add((rng.standard_normal([n]) as np.ndarray).mul({ re: 0, im: 1 }));
    out[`four-step fft ${n}`] = outcome(np.fft.fft(z), "fft");
    out[`four-step ifft ${n}`] = outcome(np.fft.ifft(z), "fft");
  }
  return out;
}

/**
 * Advanced indexing by whole rows (compiled: tessera/gather.h; JS: the gather task's loop):
 * masks, int32 and int64 indices with negatives, a reversed view, scatters with repeats;
 * nonzero of 1-D masks (contiguous and stepped) and of int8 values.
 */
function gatherOutcomes(): Record<string, Outcome> {
  const out: Record<string, Outcome> = {};
  const rng = np.random.default_rng(11);
  const x = rng.standard_normal([5000, 9]) as np.ndarray;
  const mask = (rng.random([5000]) as np.ndarray).lt(0.4);
  const idx = rng.integers(-5000, 5000, [3000]) as np.ndarray;
  for (const dtype of ["bool", "int8", "int16", "float32", "float64", "complex128"] as const) {
    const y = x.mul(3).astype(dtype);
    out[`mask ${dtype}`] = outcome(y.get(mask), "gather");
    out[`int32 ${dtype}`] = outcome(y.get(idx.astype("int32")), "gather");
    out[`reversed ${dtype}`] = outcome(y.get("::-1").get(idx), "gather");
    const z = y.copy();
    z.set(idx, y.get(np.slice(0, 3000)));
    out[`scatter ${dtype}`] = outcome(z, "scatter");
  }
  const big = (rng.random([20000]) as np.ndarray).lt(0.5);
  out["nonzero mask"] = outcome(np.nonzero(big)[0], "nonzero");
  out["nonzero stepped mask"] = outcome(np.nonzero(big.get("::-3"))[0], "nonzero");
  out["nonzero int8"] = outcome(np.nonzero(x.get(":, 0").mul(2).astype("int8"))[0], "nonzero");
  return out;
}

/**
 * Parquet's dictionary-encoded pages, read by the direct reader (compiled: tessera/parquet.h;
 * JS: its gather loop): 4- and 8-byte values, indices of 17 bits (random bit patterns), of a
 * few bits (few distinct values) and in long RLE runs, a null-free nullable column.
 */
async function parquetOutcomes(dir: string): Promise<Record<string, Outcome>> {
  const rows = 50_000;
  const rng = np.random.default_rng(5);
  const cols: Record<string, np.ndarray> = {};
  for (const dtype of ["int32", "uint32", "int64", "uint64", "float32", "float64"] as const) {
    const bits = rng.integers(0, 256, [rows * np.dtype(dtype).itemsize], "uint8") as np.ndarray;
    cols[`bits ${dtype}`] = np.frombuffer(bits.toTypedArray() as Uint8Array, { dtype });
    cols[`few ${dtype}`] = (rng.integers(0, 13, [rows]) as np.ndarray).astype(dtype);
    cols[`runs ${dtype}`] = np.floor_divide(np.arange(rows), 997).astype(dtype);
  }
  const file = path.join(dir, "dictionary.parquet");
  np.save_parquet(file, cols, { compression: "snappy", row_group_size: rows / 2 });
  const t = (await np.read_parquet(file)) as Record<string, np.ndarray>;
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, outcome(v, "read_parquet")]));
}

/** The dtype-pair matrix cases of ufuncs_math.json ("binary gcd: int8 x uint16"). */
export const DTYPE_PAIR = /^binary \w+: \w+ x \w+$/;

const dir = process.env.TESSERA_KERNEL_PATHS_OUT;
if (dir) {
  const conformance = JSON.parse(readFileSync(new URL("../../../test/fixtures/conformance.json", import.meta.url), "utf8")) as {
    arrays: EncArray[];
    cases: Case[];
  };
  const fx = floatFixture();
  const cases: Record<string, Outcome> = {};
  for (const c of conformance.cases) cases[c.name] = run(c, conformance.arrays);
  for (const c of fx.cases) cases[`float semantics ${c.name}`] = run(c, fx.arrays);
  const more = JSON.parse(readFileSync(new URL("../../../test/fixtures/ufuncs_math.json", import.meta.url), "utf8")) as {
    arrays: EncArray[];
    cases: Case[];
  };
  // Its dtype-pair matrices add casts, not kernels of their own: the same-dtype cases suffice.
  for (const c of more.cases) if (!DTYPE_PAIR.test(c.name)) cases[`ufuncs math ${c.name}`] = run(c, more.arrays);
  const ulp: Record<string, string> = {};
  for (const e of fx.ulp) {
    const r = ulpCompute(e, ulpInputs(e));
    ulp[`${e.fn} ${e.dtype}`] = Buffer.from(r.buffer, r.byteOffset, r.byteLength).toString("base64");
  }
  writeFileSync(
    path.join(dir, "results.json"),
    JSON.stringify({ cases, ulp, fft: fftOutcomes(), gather: gatherOutcomes(), parquet: await parquetOutcomes(dir) }),
  );
  // a * b + 0.3 over 10^6 elements from NumPy's generator (PCG64, seed 7): inputs and result.
  const n = 1_000_000;
  for (const dtype of ["float64", "float32"] as const) {
    const rng = np.random.default_rng(7);
    const a = rng.random([n], { dtype }) as np.ndarray,
      b = rng.random([n], { dtype }) as np.ndarray;
    const r = a.mul(b).add(0.3);
    for (const [name, x] of [
      ["a", a],
      ["b", b],
      ["r", r],
    ] as const) {
      const t = x.toTypedArray();
      writeFileSync(path.join(dir, `fma-${dtype}-${name}.bin`), Buffer.from(t.buffer, t.byteOffset, t.byteLength));
    }
  }
}
