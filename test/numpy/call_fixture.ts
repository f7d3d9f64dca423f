/**
 * Replays the call fixtures written with test/fixtures/calls.py: each case is one NumPy call,
 * its arguments and its result (dtype, shape, values within a tolerance per dtype) or its
 * error class and message, and the warnings NumPy issued (written to stderr here).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { resetWarnings } from "../../src/numpy/warnings.js";
import { parseFloatText } from "./conformance_support.js";

type Enc = unknown;
export interface CallCase {
  name: string;
  fn: string;
  args: Enc[];
  kw: Record<string, Enc>;
  result?: Enc;
  error?: string;
  message?: string;
  warnings: string[];
}
type Cx = { re: number; im: number };
type Fn = (...a: unknown[]) => unknown;
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Load test/fixtures/<name>.json. */
export function loadCases(name: string): CallCase[] {
  return (JSON.parse(readFileSync(new URL(`../../../test/fixtures/${name}.json`, import.meta.url), "utf8")) as { cases: CallCase[] }).cases;
}

/** One encoded value of an array of `dtype`. */
export function scalarOf(v: unknown, dtype: string): number | boolean | Cx {
  if (dtype.startsWith("complex")) {
    const [re, im] = v as [string, string];
    return { re: parseFloatText(re), im: parseFloatText(im) };
  }
  if (dtype.startsWith("float")) return parseFloatText(v as string);
  return v as number | boolean;
}

function nest(flat: unknown[], shape: number[]): unknown {
  let k = 0;
  const build = (d: number): unknown => (d === shape.length ? flat[k++] : Array.from({ length: shape[d] }, () => build(d + 1)));
  return build(0);
}

/** An encoded array ({nd, shape, dtype}) as an ndarray. */
export function ndOf(e: { nd: unknown[]; shape: number[]; dtype: string }): np.ndarray {
  const flat = e.nd.map((v) => scalarOf(v, e.dtype));
  if (e.shape.length === 0) return np.array(flat[0] as never, { dtype: e.dtype });
  if (flat.length === 0) return np.array([], { dtype: e.dtype }).reshape(e.shape);
  return np.array(nest(flat, e.shape) as never, { dtype: e.dtype });
}

function leafKinds(v: unknown, kinds: Set<string>): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => leafKinds(x, kinds));
  else if (isObj(v) && "f" in v) kinds.add("f");
  else if (isObj(v) && !("c" in v)) kinds.add("object");
  else if (isObj(v) && "c" in v) kinds.add("c");
  return kinds;
}

/** Decode an argument; `fns` gives the functions named by {"fn": name}. */
export function dec(v: Enc, fns: Record<string, Fn> = {}): unknown {
  if (Array.isArray(v)) {
    const kinds = leafKinds(v, new Set());
    const plain = v.map((x) => dec(x, fns));
    // A Python list with a float in it: NumPy sees float64 even where the JS numbers are integral.
    if (kinds.has("f") && !kinds.has("c") && !kinds.has("object")) return np.array(plain as never, { dtype: "float64" });
    return plain;
  }
  if (isObj(v)) {
    if ("nd" in v) return ndOf(v as never);
    if ("f" in v) return parseFloatText(v.f as string);
    if ("c" in v) {
      const [re, im] = v.c as [string, string];
      return { re: parseFloatText(re), im: parseFloatText(im) };
    }
    if ("tuple" in v) return (v.tuple as Enc[]).map((x) => dec(x, fns));
    if ("bytes" in v) return Buffer.from(v.bytes as string, "latin1");
    if ("dtype" in v && !("nd" in v)) return v.dtype;
    if ("dict" in v) return Object.fromEntries(Object.entries(v.dict as Record<string, Enc>).map(([k, x]) => [k, dec(x, fns)]));
    if ("fn" in v) {
      const f = fns[v.fn as string];
      assert.ok(f, `unknown function ${String(v.fn)}`);
      return f;
    }
  }
  return v;
}

/** Run fn with process.stderr captured. */
export function captured(fn: () => unknown): { lines: string[]; result?: unknown; error?: Error } {
  const lines: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split("\n")
        .filter((l) => l),
    );
    return true;
  }) as typeof process.stderr.write;
  try {
    return { lines, result: fn() };
  } catch (e) {
    return { lines, error: e as Error };
  } finally {
    process.stderr.write = write;
  }
}

const asCx = (v: unknown): Cx => (isObj(v) && "re" in v ? (v as Cx) : { re: Number(v), im: 0 });
const mag = (c: Cx) => Math.hypot(c.re, c.im);

function close(a: Cx, e: Cx, rtol: number, atol: number): boolean {
  const same = (x: number, y: number) => (Number.isNaN(y) ? Number.isNaN(x) : x === y || Math.abs(x - y) <= atol + rtol * Math.abs(y));
  return same(a.re, e.re) && same(a.im, e.im);
}

const RTOL: Record<string, number> = { float16: 1e-3, float32: 1e-6, complex64: 1e-6 };

function checkArray(where: string, actual: unknown, e: { nd: unknown[]; shape: number[]; dtype: string }): void {
  const expect = e.nd.map((v) => asCx(scalarOf(v, e.dtype)));
  assert.ok(actual instanceof np.ndarray, `${where}: an ndarray, got ${String(actual)}`);
  assert.equal(actual.dtype.name, e.dtype, `${where}: dtype`);
  assert.deepEqual(actual.shape, e.shape, `${where}: shape`);
  const got = (actual.flatValues() as unknown[]).map(asCx);
  const rtol = RTOL[e.dtype] ?? 1e-12;
  const scale = Math.max(1, ...expect.filter((c) => Number.isFinite(mag(c))).map(mag));
  const atol = rtol * 1e-3 * scale;
  expect.forEach((x, i) => assert.ok(close(got[i], x, rtol, atol), `${where}[${i}]: ${JSON.stringify(got[i])} vs ${JSON.stringify(x)}`));
}

/** Compare a result with NumPy's encoded one. */
export function check(where: string, actual: unknown, e: Enc): void {
  if (isObj(e) && "nd" in e) return checkArray(where, actual, e as never);
  if ((isObj(e) && "tuple" in e) || Array.isArray(e)) {
    const t = (Array.isArray(e) ? e : e.tuple) as Enc[];
    assert.ok(Array.isArray(actual), `${where}: a tuple or list`);
    assert.equal((actual as unknown[]).length, t.length, `${where}: length`);
    t.forEach((x, i) => check(`${where}[${i}]`, (actual as unknown[])[i], x));
    return;
  }
  if (isObj(e) && "f" in e) {
    const x = parseFloatText(e.f as string);
    const a = actual instanceof np.ndarray ? Number(actual.item()) : Number(actual);
    assert.ok(close(asCx(a), asCx(x), 1e-12, 0), `${where}: ${a} vs ${x}`);
    return;
  }
  if (isObj(e) && "c" in e) {
    const [re, im] = (e.c as string[]).map(parseFloatText);
    const a = actual instanceof np.ndarray ? actual.item() : actual;
    assert.ok(close(asCx(a), { re, im }, 1e-12, 0), `${where}: ${JSON.stringify(a)} vs ${re}+${im}j`);
    return;
  }
  if (isObj(e) && "bytes" in e) {
    assert.deepEqual(Buffer.from(actual as Uint8Array).toString("latin1"), e.bytes, where);
    return;
  }
  if (typeof e === "boolean" || typeof e === "number" || typeof e === "string" || e === null) {
    const a = actual instanceof np.ndarray ? actual.item() : actual;
    assert.equal(typeof e === "number" ? Number(a) : a, e, where);
    return;
  }
  assert.deepEqual(actual, e, where);
}

/** Read every array in a result, so deferred work runs (and fails or warns) inside the case. */
function settle(r: unknown): void {
  if (r instanceof np.ndarray) r.flatValues();
  else if (Array.isArray(r)) r.forEach(settle);
}

/**
 * One test per case: np[fn](...args, kw), or `call(case, args, kw)` where a case needs more
 * than a plain call (iterators, methods).
 */
export function replay(
  cases: CallCase[],
  opts: { fns?: Record<string, Fn>; call?: (c: CallCase, args: unknown[], kw: unknown[]) => unknown } = {},
): void {
  test("fixture is present", () => assert.ok(cases.length > 10));
  for (const c of cases) {
    test(c.name, () => {
      resetWarnings();
      const args = c.args.map((a) => dec(a, opts.fns));
      const kw = Object.keys(c.kw).length ? [Object.fromEntries(Object.entries(c.kw).map(([k, v]) => [k, dec(v, opts.fns)]))] : [];
      const out = captured(() => {
        const r = opts.call ? opts.call(c, args, kw) : (np as unknown as Record<string, Fn>)[c.fn](...args, ...kw);
        settle(r);
        return r;
      });
      if (c.error) {
        assert.ok(out.error, `expected ${c.error}: ${c.message}; got ${String(out.result)}`);
        assert.equal(out.error.name, c.error);
        assert.equal(out.error.message, c.message);
      } else {
        if (out.error) throw out.error;
        check(c.fn, out.result, c.result);
      }
      assert.deepEqual(out.lines, c.warnings, "warnings on stderr");
    });
  }
}
