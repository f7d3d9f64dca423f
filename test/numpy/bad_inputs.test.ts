/**
 * Bad input: replays every case of test/fixtures/bad_inputs.jsonl (written by
 * test/fixtures/generate_bad_inputs.py from real NumPy) against the library.
 *
 * A case is a call (a function, an ndarray method, a[index] or a[index] = value) with wrong
 * types, shapes, axes, dtypes, option values, keywords or argument counts, empty and 0-d
 * operands, or values out of a dtype's range; and NumPy's outcome. Where NumPy raises, the
 * library must raise the same class (NumPy's classes map to the library's: AxisError,
 * UFuncTypeError, MemoryError, ... as the generator names them) with the same message
 * (where NumPy's message is deterministic). Where NumPy does not raise (cases where a JS
 * number, a shift count or a cast could silently give another answer), the result must
 * equal NumPy's exactly. Either way every input array must hold afterwards what it holds in
 * NumPy: unchanged, unless the call writes to it.
 */
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { runtime, formatBytes } from "tessera/core";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface EncArray {
  array: Json;
  dtype: string;
  shape: number[];
}
type Call =
  | { fn: string; args?: Json[]; kw?: Record<string, Json> }
  | { method: string; self: Json; args?: Json[]; kw?: Record<string, Json> }
  | { getitem: Json; index: Json[] }
  | { setitem: Json; index: Json[]; value: Json };
type Expect = ({ error: string; numpy_class: string; message: string; deterministic: boolean } | { result: Json }) & { after?: (EncArray | null)[] };
interface Case {
  name: string;
  call: Call;
  expect: Expect;
}

const lines = readFileSync(new URL("../../../test/fixtures/bad_inputs.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim());
const header = JSON.parse(lines[0]) as { numpy: string };
const cases = lines.slice(1).map((l) => JSON.parse(l) as Case);

/**
 * Known mismatches, each with its reason: run, but a failure is reported as a todo instead of
 * failing the suite. Empty: every case matches NumPy.
 */
const PENDING: Record<string, string> = {};

/** NumPy's exception classes as the library exports them (the generator names the most specific). */
const CLASSES: Record<string, new (...a: never[]) => Error> = {
  ValueError: np.ValueError,
  TypeError,
  IndexError: np.IndexError,
  AxisError: np.AxisError,
  OverflowError: np.OverflowError,
  UFuncTypeError: np.UFuncTypeError,
  ZeroDivisionError: np.ZeroDivisionError,
  MemoryError: np.MemoryError,
  NotImplementedError: np.NotImplementedError,
  LinAlgError: np.LinAlgError,
};

// ---- decoding ---------------------------------------------------------------------------

type Scalar = number | bigint | boolean | { re: number; im: number };

function leafFloat(x: Json): number {
  if (x === "nan") return NaN;
  if (x === "inf") return Infinity;
  if (x === "-inf") return -Infinity;
  return x as number;
}

/** One element of an encoded array, as the library reads and writes it for `dtype`. */
function leaf(x: Json, dtype: string): Scalar {
  if (x !== null && typeof x === "object" && !Array.isArray(x)) return { re: leafFloat(x.re), im: leafFloat(x.im) };
  if (typeof x === "boolean") return x;
  if (dtype === "int64" || dtype === "uint64") return BigInt(x as number | string);
  if (typeof x === "string") return x === "nan" || x === "inf" || x === "-inf" ? leafFloat(x) : BigInt(x);
  return x as number;
}
const nested = (x: Json, dtype: string): unknown => (Array.isArray(x) ? x.map((v) => nested(v, dtype)) : leaf(x, dtype));
const flat = (x: Json, dtype: string): Scalar[] => (Array.isArray(x) ? x.flatMap((v) => flat(v, dtype)) : [leaf(x, dtype)]);

function makeArray(e: EncArray): np.ndarray {
  const size = e.shape.reduce((p, n) => p * n, 1);
  if (size === 0) return np.zeros(e.shape, e.dtype);
  return np.array(nested(e.array, e.dtype) as np.NestedArray, e.dtype).reshape(e.shape);
}

/** Decodes a call's values; keeps the arrays it makes, in order, for the checks after the call. */
class Decoder {
  readonly arrays: np.ndarray[] = [];
  value(v: Json): unknown {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if ("array" in v) {
      const a = makeArray(v as unknown as EncArray);
      this.arrays.push(a);
      return a;
    }
    if ("tuple" in v) return (v.tuple as Json[]).map((x) => this.value(x));
    if ("slice" in v) {
      const [a, b, c] = v.slice as (number | null)[];
      return np.slice(a, b, c);
    }
    if ("f" in v) return Number(leafFloat(v.f));
    if ("i" in v) return BigInt(v.i as string);
    if ("c" in v) {
      const [re, im] = v.c as Json[];
      return { re: leafFloat(re), im: leafFloat(im) };
    }
    if ("rng" in v) return np.random.default_rng(v.rng as number);
    throw new Error(`cannot decode ${JSON.stringify(v)}`);
  }
  args(xs: Json[] | undefined, kw: Record<string, Json> | undefined): unknown[] {
    const out = (xs ?? []).map((x) => this.value(x));
    if (kw) out.push(Object.fromEntries(Object.entries(kw).map(([k, x]) => [k, this.value(x)])));
    return out;
  }
}

/** Make the call's operands, and a thunk that performs it. */
function prepare(call: Call): { dec: Decoder; run: () => unknown } {
  const dec = new Decoder();
  if ("fn" in call) {
    let f: unknown = np;
    for (const part of call.fn.split(".")) f = (f as Record<string, unknown>)[part];
    if (typeof f !== "function") throw new Error(`np.${call.fn} is not a function`);
    const args = dec.args(call.args, call.kw);
    return { dec, run: () => (f as (...a: unknown[]) => unknown)(...args) };
  }
  if ("method" in call) {
    const self = dec.value(call.self) as Record<string, (...a: unknown[]) => unknown>;
    const args = dec.args(call.args, call.kw);
    const m = self[call.method];
    if (typeof m !== "function") throw new Error(`no method ${call.method}`);
    return { dec, run: () => m.apply(self, args) };
  }
  if ("getitem" in call) {
    const self = dec.value(call.getitem) as np.ndarray;
    const index = call.index.map((x) => dec.value(x)) as np.IndexItem[];
    return { dec, run: () => self.get(...index) };
  }
  const self = dec.value(call.setitem) as np.ndarray;
  const index = call.index.map((x) => dec.value(x)) as np.IndexItem[];
  const value = dec.value(call.value) as np.Operand;
  return { dec, run: () => self.set(...([...index, value] as [...np.IndexItem[], np.Operand])) };
}

// ---- comparison ---------------------------------------------------------------------------

function show(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (v instanceof np.ndarray) return `${v.dtype.name} array (${v.shape}) [${v.size <= 8 ? v.flatValues().map(show).join(", ") : "…"}]`;
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  if (typeof v === "object" && v !== null && "re" in v) {
    const c = v as { re: number; im: number };
    return `(${show(c.re)}, ${show(c.im)}j)`;
  }
  return String(v);
}

function sameScalar(a: unknown, e: Scalar): boolean {
  if (typeof e === "object")
    return typeof a === "object" && a !== null && Object.is((a as { re: number }).re, e.re) && Object.is((a as { im: number }).im, e.im);
  if (typeof e === "number") return typeof a === "number" && Object.is(a, e);
  if (typeof e === "bigint") return (typeof a === "bigint" || typeof a === "number") && BigInt(a) === e;
  return a === e;
}

function checkArray(actual: unknown, e: EncArray, what: string): void {
  assert.ok(actual instanceof np.ndarray, `${what}: expected an ndarray, got ${show(actual)}`);
  assert.equal(actual.dtype.name, e.dtype, `${what}: dtype`);
  assert.deepEqual(actual.shape, e.shape, `${what}: shape`);
  if (e.array === null) return; // np.empty*: arbitrary values
  const got = actual.flatValues();
  const want = flat(e.array, e.dtype);
  const bad = want.map((w, i) => (sameScalar(got[i], w) ? "" : `[${i}] got ${show(got[i])}, NumPy ${show(w)}`)).filter(Boolean);
  assert.ok(bad.length === 0, `${what}: values differ: ${bad.slice(0, 6).join("; ")}`);
}

function checkResult(actual: unknown, e: Json): void {
  if (e === null) {
    assert.ok(actual === undefined || actual === null, `expected None, got ${show(actual)}`);
    return;
  }
  if (typeof e === "object" && !Array.isArray(e) && "array" in e) {
    checkArray(actual, e as unknown as EncArray, "result");
    return;
  }
  if (typeof e === "object" && !Array.isArray(e) && "tuple" in e) {
    const want = e.tuple as Json[];
    assert.ok(Array.isArray(actual), `expected a tuple, got ${show(actual)}`);
    assert.equal(actual.length, want.length, "tuple length");
    want.forEach((w, i) => checkResult(actual[i], w));
    return;
  }
  const want = new Decoder().value(e);
  const got = actual instanceof np.ndarray && actual.ndim === 0 ? actual.item() : actual;
  assert.deepEqual(got, want, `result: got ${show(actual)}, NumPy ${show(want)}`);
}

/** Read every array a call returned, so that errors raised by deferred work surface in the call. */
function settle(r: unknown): void {
  if (r instanceof np.ndarray) r.flatValues();
  else if (Array.isArray(r)) r.forEach(settle);
}

// ---- the run --------------------------------------------------------------------------------

const tally = { cases: 0, errors: 0, classMatch: 0, deterministic: 0, messageMatch: 0, results: 0, resultMatch: 0, pendingFailed: [] as string[] };

function runCase(c: Case): void {
  tally.cases++;
  const { dec, run } = prepare(c.call);
  const before = dec.arrays.map((a) => a.flatValues());
  const ex = c.expect;
  let result: unknown;
  let error: Error | null = null;
  try {
    result = run();
    settle(result);
  } catch (err) {
    error = err as Error;
  }
  if ("error" in ex) {
    tally.errors++;
    if (ex.deterministic) tally.deterministic++;
    // (The message reads the result only when there is no error: a failed result raises when read.)
    if (!error) assert.fail(`NumPy raises ${ex.error}: ${ex.message}; the library returned ${show(result)}`);
    const cls = CLASSES[ex.error];
    const classOk = error.name === ex.error && (!cls || error instanceof cls);
    if (classOk) tally.classMatch++;
    const messageOk = ex.deterministic && error.message === ex.message;
    if (messageOk) tally.messageMatch++;
    assert.ok(classOk, `class: got ${error.name}: ${error.message}; NumPy ${ex.error} (${ex.numpy_class}): ${ex.message}`);
    if (ex.deterministic) assert.equal(error.message, ex.message, "message");
  } else {
    tally.results++;
    if (error) assert.fail(`NumPy returns ${JSON.stringify(ex.result)?.slice(0, 200)}; the library raised ${error.name}: ${error.message}`);
    checkResult(result, ex.result);
    tally.resultMatch++;
  }
  dec.arrays.forEach((a, i) => {
    const want = ex.after?.[i];
    if (want) checkArray(a, want, `input array ${i} afterwards`);
    else assert.deepEqual(a.flatValues(), before[i], `input array ${i} changed`);
  });
}

test("fixture is present and large", () => {
  assert.ok(cases.length >= 300, `only ${cases.length} cases`);
  assert.match(header.numpy, /^2\./);
});

const groups = new Map<string, Case[]>();
for (const c of cases) {
  const g = c.name.slice(0, c.name.indexOf(":"));
  if (!groups.has(g)) groups.set(g, []);
  groups.get(g)!.push(c);
}
for (const [group, list] of groups) {
  describe(group, () => {
    for (const c of list) {
      const reason = PENDING[c.name];
      if (!reason) {
        test(c.name, () => runCase(c));
        continue;
      }
      test(c.name, { todo: reason }, () => {
        try {
          runCase(c);
        } catch (e) {
          tally.pendingFailed.push(c.name);
          throw e;
        }
      });
    }
  });
}
for (const name of Object.keys(PENDING)) {
  test(`pending case exists: ${name}`, () =>
    assert.ok(
      cases.some((c) => c.name === name),
      "no such case",
    ));
}

// ---- allocation failures, beyond the fixture ---------------------------------------------------

test("byte counts are printed as NumPy prints them", () => {
  // From numpy._core._exceptions._ArrayMemoryError._size_to_string.
  const cases: [number, string][] = [
    [0, "0 bytes"],
    [1023, "1023 bytes"],
    [1024, "1.00 KiB"],
    [1536, "1.50 KiB"],
    [1e6, "977. KiB"],
    [1048576000, "1000. MiB"],
    [123456789, "118. MiB"],
    [8004444650209, "7.28 TiB"],
    [17592186044416, "16.0 TiB"],
    [2 ** 60, "1.00 EiB"],
    [2 ** 70, "1024. EiB"],
  ];
  for (const [bytes, text] of cases) assert.equal(formatBytes(bytes), text, `${bytes} bytes`);
});

test("an allocation that fails when first touched names the shape, dtype and bytes", () => {
  // Made below the NumPy layer's up-front check: the host buffer is allocated on first use.
  const store = runtime().createStore([2 ** 50], "float64");
  assert.throws(
    () => runtime().read(store),
    (e: Error) => {
      assert.ok(e instanceof np.MemoryError, `${e.name}: ${e.message}`);
      assert.equal(e.message, "Unable to allocate 8.00 PiB for an array with shape (1125899906842624,) and data type float64");
      return true;
    },
  );
});

after(() => {
  const t = tally;
  if (process.env.TESSERA_BAD_INPUT_SUMMARY) {
    console.log(
      `bad inputs: ${t.cases} cases; ${t.errors} raise in NumPy: class matches ${t.classMatch}, ` +
        `message matches ${t.messageMatch} of ${t.deterministic} deterministic; ${t.results} results: ${t.resultMatch} match; ` +
        `pending failing: ${t.pendingFailed.length}`,
    );
  }
});
