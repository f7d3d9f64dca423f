import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { parseFloatText } from "./conformance_support.js";

/**
 * np.fft against NumPy (test/fixtures/generate_fft.py): values within 1e-12 of the largest
 * magnitude for 64-bit results (1e-5 for 32-bit), dtypes, shapes, out=, and NumPy's errors.
 */
const fx = JSON.parse(readFileSync(new URL("../../../test/fixtures/fft.json", import.meta.url), "utf8"));

type Num = string | number | boolean;
type Val = Num | [string, string];
type Explicit = { dtype: string; shape: number[]; data: Val[]; view?: (["T"] | ["get", string])[] };
type Formula = { formula: "mix"; dtype: string; shape: number[] };
type Arg = { arr: Explicit | Formula } | Arg[] | number | string | null;
type Result = { dtype: string; shape: number[]; maxabs: string; data?: Val[]; index?: number[]; sample?: Val[] };
type Case = {
  name: string;
  fn: string;
  args: Arg[];
  kwargs: Record<string, Arg>;
  out?: Arg;
  expect: Result | { error: string; message: string };
  out_expect?: Result;
  returns_out?: boolean;
};

/** The generator's "mix" signal: exact in float32 and float64. */
function mix(f: Formula): np.ndarray {
  const size = f.shape.reduce((a, b) => a * b, 1);
  const complex = f.dtype.startsWith("complex");
  const vals = Array.from({ length: size }, (_, j) => {
    const re = (((j * 7919) % 1001) - 500) / 64;
    return complex ? { re, im: (((j * 104729) % 997) - 498) / 32 } : re;
  });
  return np.array(vals as never, { dtype: f.dtype }).reshape(f.shape);
}

function scalar(dtype: string, v: Val): number | bigint | boolean | { re: number; im: number } {
  if (Array.isArray(v)) return { re: parseFloatText(v[0]), im: parseFloatText(v[1]) };
  if (dtype === "int64" || dtype === "uint64") return BigInt(v as number);
  if (typeof v === "string") return parseFloatText(v);
  return v;
}

function build(a: Explicit | Formula): np.ndarray {
  if ("formula" in a) return mix(a);
  let x = np.array(a.data.map((v) => scalar(a.dtype, v)) as never, { dtype: a.dtype }).reshape(a.shape);
  for (const step of a.view ?? []) x = step[0] === "T" ? x.T : x.get(step[1]);
  return x;
}

function decode(v: Arg): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") return build(v.arr);
  return v;
}

/** 1e-12 of the largest magnitude for 64-bit values, 1e-5 for 32-bit, 1e-3 for float16. */
function tolerance(dtype: string): number {
  if (dtype === "float64" || dtype === "complex128") return 1e-12;
  if (dtype === "float32" || dtype === "complex64") return 1e-5;
  if (dtype === "float16") return 1e-3;
  return 0;
}

function assertResult(got: unknown, want: Result, label: string): void {
  assert.ok(got instanceof np.ndarray, `${label}: not an ndarray`);
  assert.equal(got.dtype.name, want.dtype, `${label}: dtype`);
  assert.deepEqual(got.shape, want.shape, `${label}: shape`);
  const values = got.flatValues();
  const index = want.index ?? values.map((_, i) => i);
  const expected = want.data ?? (want.sample as Val[]);
  assert.equal(index.length, expected.length);
  const tol = tolerance(want.dtype) * parseFloatText(want.maxabs);
  index.forEach((i, k) => {
    const e = scalar(want.dtype, expected[k]);
    const v = values[i];
    if (typeof e === "object") {
      const g = v as { re: number; im: number };
      assert.ok(
        Math.abs(g.re - e.re) <= tol && Math.abs(g.im - e.im) <= tol,
        `${label}: [${i}] is ${g.re}${g.im >= 0 ? "+" : ""}${g.im}j, NumPy ${e.re}${e.im >= 0 ? "+" : ""}${e.im}j (tolerance ${tol})`,
      );
    } else if (typeof e === "number" && tol > 0) {
      assert.ok(Math.abs((v as number) - e) <= tol, `${label}: [${i}] is ${v}, NumPy ${e} (tolerance ${tol})`);
    } else assert.equal(v, e, `${label}: [${i}]`);
  });
}

const cases = fx.cases as Case[];

for (const c of cases) {
  test(`np.fft.${c.fn}: ${c.name}`, () => {
    const fn = (np.fft as unknown as Record<string, (...a: unknown[]) => unknown>)[c.fn];
    const args = c.args.map(decode);
    const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, decode(v)]));
    const out = c.out === undefined ? undefined : (decode(c.out) as np.ndarray);
    if (out) kwargs.out = out;
    const call = () => (Object.keys(kwargs).length ? fn(...args, kwargs) : fn(...args));
    if ("error" in c.expect) {
      const { error, message } = c.expect;
      assert.throws(call, (e: Error) => e.name === error && e.message === message, `${c.name}: expected ${error}: ${message}`);
      return;
    }
    const r = call();
    assertResult(r, c.expect, c.name);
    if (out && c.out_expect) {
      assertResult(out, c.out_expect, `${c.name} (out)`);
      assert.equal(r === out, c.returns_out, `${c.name}: returns out`);
    }
  });
}

test("the fixture covers every np.fft function", () => {
  const names = new Set(cases.map((c) => c.fn));
  for (const name of Object.keys(np.fft)) assert.ok(names.has(name), `no cases for np.fft.${name}`);
  assert.equal(Object.keys(np.fft).length, 18);
});

test("round trips at long power-of-two and prime lengths", () => {
  for (const n of [1 << 16, 65537, 100003]) {
    const x = np.random.default_rng(n).standard_normal([n]) as np.ndarray;
    const back = np.fft.ifft(np.fft.fft(x));
    const err = Number(np.max(np.abs(back.real.sub(x))).item());
    assert.ok(err < 1e-12 * Number(np.max(np.abs(x)).item()), `fft length ${n}: round trip error ${err}`);
    const rback = np.fft.irfft(np.fft.rfft(x), n);
    const rerr = Number(np.max(np.abs(rback.sub(x))).item());
    assert.ok(rerr < 1e-12 * Number(np.max(np.abs(x)).item()), `rfft length ${n}: round trip error ${rerr}`);
  }
});

test("Parseval's theorem on a batch cut across workers", () => {
  const x = np.random.default_rng(7).standard_normal([64, 1000]) as np.ndarray;
  const f = np.fft.fft(x, { axis: 1, norm: "ortho" });
  const ef = np.sum(np.abs(f).mul(np.abs(f)), 1);
  const ex = np.sum(x.mul(x), 1);
  const rel = Number(np.max(np.abs(ef.sub(ex)).div(ex)).item());
  assert.ok(rel < 1e-12, `energy differs by ${rel}`);
});

test("one long transform in four steps (two batched passes) equals the direct transform of the same line", () => {
  // A single line of at least 2^16 points with a split n1·n2 runs as the four-step algorithm;
  // the same line as one row of a batch of two runs the plan's passes directly.
  for (const n of [1 << 16, 3 * (1 << 16), 1_000_000, 2 * 65537]) {
    const rng = np.random.default_rng(n);
    const x = (rng.standard_normal([n]) as np.ndarray).add((rng.standard_normal([n]) as np.ndarray).mul({ re: 0, im: 1 }));
    const both = np.stack([x, x]);
    for (const [label, one, batch] of [
      ["fft", np.fft.fft(x), np.fft.fft(both).get(1)],
      ["ifft ortho", np.fft.ifft(x, null, -1, "ortho"), np.fft.ifft(both, null, -1, "ortho").get(0)],
      ["fft complex64", np.fft.fft(x.astype("complex64")), np.fft.fft(both.astype("complex64")).get(0)],
    ] as const) {
      assert.equal(one.dtype.name, batch.dtype.name);
      const scale = Number(np.max(np.abs(batch)).item());
      const err = Number(np.max(np.abs(one.astype("complex128").sub(batch))).item());
      const tol = one.dtype.name === "complex64" ? 1e-6 : 1e-14;
      assert.ok(err <= tol * scale, `${label} of ${n}: ${err / scale} of the largest value apart`);
    }
  }
  // A strided `out=` (not one contiguous line) is written by the direct transform.
  const n = 1 << 16;
  const rng = np.random.default_rng(3);
  const x = (rng.standard_normal([n]) as np.ndarray).add((rng.standard_normal([n]) as np.ndarray).mul({ re: 0, im: 1 }));
  const big = np.zeros([2 * n], { dtype: "complex128" });
  assert.equal(np.fft.fft(x, null, -1, null, big.get("::2")).shape[0], n);
  const want = np.fft.fft(x);
  assert.ok(Number(np.max(np.abs(big.get("::2").sub(want))).item()) <= 1e-14 * Number(np.max(np.abs(want)).item()));
  assert.equal(Number(np.max(np.abs(big.get("1::2"))).item()), 0);
});
