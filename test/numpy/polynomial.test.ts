/**
 * NumPy's legacy polynomial routines (np.poly, roots, polyval, polyadd, polysub, polymul,
 * polydiv, polyder, polyint, polyfit) and np.poly1d, against test/fixtures/polynomial.json
 * (test/fixtures/generate_polynomial.py): dtypes, shapes, values within 1e-9 relative
 * (float32 within 1e-5; roots compared as multisets), poly1d's str and repr exactly, NumPy's
 * errors and the warnings written to stderr.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { resetWarnings } from "../../src/numpy/warnings.js";
import { parseFloatText } from "./conformance_support.js";
import { type CallCase, captured, ndOf, scalarOf } from "./call_fixture.js";

type Enc = unknown;
/** A call case; `roots` marks results compared as multisets. */
interface PolyCase extends CallCase {
  roots?: boolean;
}
const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/polynomial.json", import.meta.url), "utf8")) as { cases: PolyCase[] };

type Cx = { re: number; im: number };
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Whether an encoded list holds Python floats or complex numbers (so it must not become int64). */
function leafKinds(v: unknown, kinds: Set<string>): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => leafKinds(x, kinds));
  else if (isObj(v) && "f" in v) kinds.add("f");
  else if (isObj(v) && "c" in v) kinds.add("c");
  return kinds;
}

function dec(v: Enc): unknown {
  if (Array.isArray(v)) {
    const kinds = leafKinds(v, new Set());
    const plain = v.map(dec);
    // A Python list with a float in it: NumPy sees float64 even where the JS numbers are integral.
    if (kinds.has("f") && !kinds.has("c")) return np.array(plain as never, { dtype: "float64" });
    return plain;
  }
  if (isObj(v)) {
    if ("nd" in v) return ndOf(v as never);
    if ("poly1d" in v) return np.poly1d(ndOf(v.poly1d as never), false, v.variable as string);
    if ("f" in v) return parseFloatText(v.f as string);
    if ("c" in v) {
      const [re, im] = v.c as [string, string];
      return { re: parseFloatText(re), im: parseFloatText(im) };
    }
    if ("tuple" in v) return (v.tuple as Enc[]).map(dec);
  }
  return v;
}

const asCx = (v: unknown): Cx => (isObj(v) && "re" in v ? (v as Cx) : { re: Number(v), im: 0 });
const mag = (c: Cx) => Math.hypot(c.re, c.im);

function close(a: Cx, e: Cx, rtol: number, atol: number): boolean {
  const same = (x: number, y: number) => (Number.isNaN(y) ? Number.isNaN(x) : x === y || Math.abs(x - y) <= atol + rtol * Math.abs(y));
  return same(a.re, e.re) && same(a.im, e.im);
}

function checkArray(where: string, actual: unknown, e: { nd: unknown[]; shape: number[]; dtype: string }, roots: boolean): void {
  const expect = e.nd.map((v) => asCx(scalarOf(v, e.dtype)));
  let got: Cx[];
  if (actual instanceof np.ndarray) {
    assert.equal(actual.dtype.name, e.dtype, `${where}: dtype`);
    assert.deepEqual(actual.shape, e.shape, `${where}: shape`);
    got = (actual.flatValues() as unknown[]).map(asCx);
  } else {
    // NumPy's Python scalars (1.0 from poly, rcond, ==) are plain JS values here.
    assert.equal(e.shape.length, 0, `${where}: a scalar where NumPy gives shape ${e.shape}`);
    got = [asCx(actual)];
  }
  const rtol = e.dtype === "float32" || e.dtype === "complex64" ? 1e-5 : 1e-9;
  const scale = Math.max(1, ...expect.filter((c) => Number.isFinite(mag(c))).map(mag));
  const atol = (rtol / 1e3) * scale;
  if (roots) {
    // Eigenvalue order may differ: match each expected root to a distinct close one.
    const left = [...got];
    for (const x of expect) {
      const i = left.findIndex((g) => close(g, x, rtol, atol * 1e3));
      assert.ok(i >= 0, `${where}: root ${JSON.stringify(x)} not among ${JSON.stringify(got)}`);
      left.splice(i, 1);
    }
    return;
  }
  expect.forEach((x, i) => assert.ok(close(got[i], x, rtol, atol), `${where}[${i}]: ${JSON.stringify(got[i])} vs ${JSON.stringify(x)}`));
}

function check(where: string, actual: unknown, e: Enc, roots: boolean): void {
  if (isObj(e) && "nd" in e) return checkArray(where, actual, e as never, roots);
  if (isObj(e) && "poly1d" in e) {
    assert.ok(actual instanceof np.poly1d, `${where}: a poly1d`);
    const p = actual as np.Poly1d;
    checkArray(`${where}.coeffs`, p.coeffs, e.poly1d as never, false);
    assert.equal(p.variable, e.variable, `${where}: variable`);
    assert.equal(p.order, e.order, `${where}: order`);
    assert.equal(String(p), e.str, `${where}: str`);
    assert.equal(p.repr(), e.repr, `${where}: repr`);
    return;
  }
  if (isObj(e) && "tuple" in e) {
    const t = e.tuple as Enc[];
    assert.ok(Array.isArray(actual), `${where}: a tuple`);
    assert.equal((actual as unknown[]).length, t.length, `${where}: tuple length`);
    t.forEach((x, i) => check(`${where}[${i}]`, (actual as unknown[])[i], x, roots));
    return;
  }
  if (isObj(e) && "f" in e) {
    const x = parseFloatText(e.f as string);
    const a = actual instanceof np.ndarray ? Number(actual.item()) : Number(actual);
    assert.ok(close(asCx(a), asCx(x), 1e-9, 0), `${where}: ${a} vs ${x}`);
    return;
  }
  if (typeof e === "boolean" || typeof e === "number" || typeof e === "string") {
    const a = actual instanceof np.ndarray ? actual.item() : actual;
    assert.equal(typeof e === "number" ? Number(a) : a, e, where);
    return;
  }
  assert.deepEqual(actual, e, where);
}

type Fn = (...a: unknown[]) => unknown;
function call(c: PolyCase): unknown {
  const args = c.args.map(dec);
  const kw = Object.keys(c.kw).length ? [Object.fromEntries(Object.entries(c.kw).map(([k, v]) => [k, dec(v)]))] : [];
  if (!c.fn.startsWith("p.")) return (np as unknown as Record<string, Fn>)[c.fn](...args, ...kw);
  const name = c.fn.slice(2);
  const [p, ...rest] = args as [np.Poly1d, ...unknown[]];
  if (name === "call") return (p as unknown as Fn)(...rest);
  if (name === "set") {
    p.set(rest[0] as number, rest[1] as never);
    return p;
  }
  if (["roots", "order", "coeffs", "variable"].includes(name)) return (p as unknown as Record<string, unknown>)[name];
  return (p as unknown as Record<string, Fn>)[name](...rest, ...kw);
}

test("fixture is present", () => assert.ok(fixture.cases.length > 200));

for (const c of fixture.cases) {
  test(c.name, () => {
    resetWarnings();
    const out = captured(() => {
      const r = call(c);
      // Deferred work runs (and warns) when read.
      if (r instanceof np.ndarray) r.flatValues();
      if (Array.isArray(r)) for (const x of r) if (x instanceof np.ndarray) x.flatValues();
      return r;
    });
    if (c.error) {
      assert.ok(out.error, `expected ${c.error}: ${c.message}`);
      assert.equal(out.error.name, c.error);
      assert.equal(out.error.message, c.message);
    } else {
      if (out.error) throw out.error;
      check(c.fn, out.result, c.result, c.roots === true);
    }
    assert.deepEqual(out.lines, c.warnings, "warnings on stderr");
  });
}

test("poly1d is callable, an instance of np.poly1d, and keeps NumPy's attribute aliases", () => {
  const p = np.poly1d([1, 2, 3]);
  assert.equal(typeof p, "function");
  assert.ok(p instanceof np.poly1d);
  assert.ok(!(np.array([1]) instanceof np.poly1d));
  assert.equal(Number((p(2) as np.ndarray).item()), 11);
  assert.equal(Number((p({ val: 2 } as never) as np.ndarray).item()), 11);
  assert.equal(p.c, p.coeffs);
  assert.equal(p.coef, p.coeffs);
  assert.equal(p.coefficients, p.coeffs);
  assert.equal(p.o, 2);
  assert.deepEqual(
    [...p].map((x) => Number(x.item())),
    [1, 2, 3],
  );
  // p.coeffs = same array is allowed (NumPy's `p.coeffs *= 2`); another array is not.
  const same = p.coeffs;
  p.coeffs = same;
  assert.throws(
    () => {
      p.coeffs = np.array([1]);
    },
    { name: "AttributeError", message: "Cannot set attribute" },
  );
  assert.equal(p.div, p.truediv);
  // NumPy's __array__: a poly1d is its coefficient array to other functions.
  assert.deepEqual(np.square(p as never).tolist(), [1, 4, 9]);
  assert.deepEqual(np.asarray(p as never).tolist(), [1, 2, 3]);
  assert.throws(() => (p as unknown as (...a: unknown[]) => unknown)({ val2: 1 }), {
    name: "TypeError",
    message: "poly1d.__call__() got an unexpected keyword argument 'val2'",
  });
  assert.throws(() => (p.add as unknown as (...a: unknown[]) => unknown)(1, 2), {
    name: "TypeError",
    message: "poly1d.__add__() takes 2 positional arguments but 3 were given",
  });
  assert.throws(() => np.poly1d([1], { xyzzy: 1 } as never), {
    name: "TypeError",
    message: "poly1d.__init__() got an unexpected keyword argument 'xyzzy'",
  });
  assert.throws(() => p.integ({ q: 1 } as never), { name: "TypeError", message: "poly1d.integ() got an unexpected keyword argument 'q'" });
});

test("polyfit's RankWarning is shown on every call, as NumPy's 'always' filter does", () => {
  resetWarnings();
  const out = captured(() => {
    np.polyfit([0, 1, 2], [1, 2, 3], 4);
    np.polyfit([0, 1, 2], [1, 2, 3], 4);
  });
  assert.deepEqual(out.lines, ["RankWarning: Polyfit may be poorly conditioned", "RankWarning: Polyfit may be poorly conditioned"]);
});
