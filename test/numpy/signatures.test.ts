// Every exported function and ndarray / Generator method declares NumPy's signature: the
// declared parameters equal NumPy's own (inspect.signature, committed as a fixture), and a
// misspelled keyword raises NumPy's TypeError instead of being ignored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../src/index.js";
import { parseParams } from "../../src/numpy/signature.js";
import type { Param, Signature } from "../../src/numpy/signature.js";

type Row = { kind: "function" | "method" | "Generator" | "RandomState" | "poly1d"; name: string; params: string };
const rows = readFileSync(new URL("../../../test/fixtures/signatures.jsonl", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l));
const numpy = new Map<string, string>();
for (const r of rows.slice(1) as Row[]) numpy.set(`${r.kind}:${r.name}`, r.params);

/** Exports that are not NumPy functions: classes, dtype objects, JS-only helpers. */
const NOT_FUNCTIONS = new Set([
  "ndarray",
  "Slice",
  "Signature",
  "ValueError",
  "IndexError",
  "AxisError",
  "LinAlgError",
  "OverflowError",
  "UFuncTypeError",
  "ZeroDivisionError",
  "MemoryError",
  "NotImplementedError",
  "DType",
]);
/**
 * Python's builtin slice (np.slice here) and Tessera's own functions (Arrow interop, which
 * NumPy has not): declared, so misspelled keywords are errors, but not compared with NumPy.
 */
const NOT_IN_NUMPY = new Set(["slice", "to_arrow", "from_arrow", "to_arrow_table", "save_arrow", "read_arrow", "save_parquet", "read_parquet"]);
/** ndarray members that are JavaScript's (indexing, reads, printing), not NumPy methods. */
const JS_MEMBERS = new Set([
  "constructor",
  "get",
  "set",
  "toString",
  "valueOf",
  "toTypedArray",
  "flatValues",
  "data",
  "array",
  "dispose",
  "_tolist",
  "_item",
  "itemExact",
  // Python's `key in a` (ndarray.__contains__(self, key, /)), spelled as JS arrays spell it.
  "includes",
]);
/** Short method names for ufuncs and operators: the NumPy function each mirrors. */
const METHOD_UFUNC: Record<string, string> = {
  add: "add",
  subtract: "subtract",
  sub: "subtract",
  multiply: "multiply",
  mul: "multiply",
  divide: "divide",
  div: "divide",
  floor_divide: "floor_divide",
  mod: "remainder",
  power: "power",
  pow: "power",
  neg: "negative",
  abs: "absolute",
  eq: "equal",
  ne: "not_equal",
  lt: "less",
  le: "less_equal",
  gt: "greater",
  ge: "greater_equal",
  and: "bitwise_and",
  or: "bitwise_or",
  xor: "bitwise_xor",
  not: "invert",
  matmul: "matmul",
  invert: "invert",
  left_shift: "left_shift",
  lshift: "left_shift",
  right_shift: "right_shift",
  rshift: "right_shift",
  positive: "positive",
  pos: "positive",
  divmod: "divmod",
};
/**
 * Parameters beyond NumPy's printed signature: Tessera's keyword for exact 64-bit reads, and
 * `out`, which NumPy's conj/conjugate accept though their printed signature omits it.
 */
const EXTENSIONS: Record<string, string[]> = {
  "method:tolist": ["bigint"],
  "method:item": ["bigint"],
  "method:conj": ["out"],
  "method:conjugate": ["out"],
};

/** Valid values for required parameters, so that only the misspelled keyword is wrong. */
const DUMMY: Record<string, unknown> = {
  dtype: "float64",
  int_type: "int8",
  type1: "int8",
  type2: "int8",
  from_: "int8",
  to: "int8",
  arg1: "int8",
  arg2: "int8",
  file: "/nonexistent/x",
  string: "1 2",
};
const dropFirst = (text: string) => parseParams(text).slice(1);
const show = (ps: readonly Param[]) => ps.map((p) => `${p.name}:${p.kind}${p.default !== null ? `=${p.default}` : ""}`).join(", ");

/** Compare declared parameters with NumPy's, allowing NumPy's `**kwargs` to stand for the function's keywords. */
function compare(where: string, ours: readonly Param[], theirs: readonly Param[], extensions: string[] = []): void {
  const mine = ours.filter((p) => !extensions.includes(p.name));
  const varkw = theirs.find((p) => p.kind === "VAR_KEYWORD");
  const explicit = theirs.filter((p) => p.kind !== "VAR_KEYWORD");
  const head = varkw ? mine.slice(0, explicit.length) : mine;
  assert.equal(
    show(head.map((p) => ({ ...p, default: null }))),
    show(explicit.map((p) => ({ ...p, default: null }))),
    `${where}: parameters differ from NumPy's\n  ours:  ${show(ours)}\n  numpy: ${show(theirs)}`,
  );
  if (varkw)
    for (const p of mine.slice(explicit.length))
      assert.ok(
        p.kind === "KEYWORD_ONLY" || p.kind === "POSITIONAL_OR_KEYWORD" || p.kind === "VAR_KEYWORD",
        `${where}: ${p.name} stands for NumPy's **${varkw.name}`,
      );
  // Defaults: equal where both sides print one (`<no value>` means "not given" on either side).
  head.forEach((p, i) => {
    const q = explicit[i];
    if (p.default === null || q.default === null || p.default === "<no value>" || q.default === "<no value>") return;
    const norm = (d: string) =>
      d
        .replace(/^<class 'numpy\.(\w+)'>$/, "'$1'")
        .replace("<class 'float'>", "'float64'")
        .replace(/^(-?\d+)\.0$/, "$1");
    assert.equal(norm(p.default), norm(q.default), `${where}: default of ${p.name}`);
  });
}

function declared(x: unknown): Signature | undefined {
  return typeof x === "function" ? (x as { signature?: Signature }).signature : undefined;
}

/** A dtype object or an abstract scalar type (np.floating). */
const isType = (v: unknown) =>
  v !== null &&
  (typeof v === "function" || typeof v === "object") &&
  ("itemsize" in (v as object) || v instanceof Object.getPrototypeOf(np.generic).constructor);
const isClass = (f: unknown) => typeof f === "function" && /^class\b/.test(Function.prototype.toString.call(f));

test("every exported function declares NumPy's signature", () => {
  let checked = 0;
  const missing: string[] = [];
  const visit = (ns: Record<string, unknown>, prefix: string) => {
    for (const [name, value] of Object.entries(ns)) {
      if (typeof value !== "function" || isClass(value) || NOT_FUNCTIONS.has(name)) continue;
      const sig = declared(value);
      const cls = numpy.get(`class:${prefix}${name}`);
      // NumPy's scalar types (np.float64(2), np.generic) are dtypes here, called with one value.
      if (!sig && cls !== undefined && isType(value)) continue;
      if (!sig) {
        missing.push(prefix + name);
        continue;
      }
      if (NOT_IN_NUMPY.has(name)) continue;
      const theirs = numpy.get(`function:${prefix}${name}`) ?? cls;
      if (theirs === undefined) {
        missing.push(`${prefix}${name} (not in NumPy's signature list)`);
        continue;
      }
      compare(`np.${prefix}${name}`, sig.params, parseParams(theirs));
      checked++;
    }
  };
  visit(np as unknown as Record<string, unknown>, "");
  visit(np.random as unknown as Record<string, unknown>, "random.");
  visit(np.fft as unknown as Record<string, unknown>, "fft.");
  visit(np.linalg as unknown as Record<string, unknown>, "linalg.");
  assert.deepEqual(missing, [], "exports without a declared NumPy signature");
  assert.ok(checked > 100, `only ${checked} functions checked`);
});

test("every ndarray method declares NumPy's signature", () => {
  const proto = np.ndarray.prototype as unknown as Record<string, unknown>;
  let checked = 0;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name)!;
    if (d.get || typeof d.value !== "function" || JS_MEMBERS.has(name)) continue;
    const sig = declared(d.value);
    assert.ok(sig, `ndarray.${name} has no declared signature`);
    // In-place operators: a.iadd(b) is NumPy's a.__iadd__(b).
    const method = numpy.get(`method:${name}`) ?? numpy.get(`method:__${name}__`);
    if (method !== undefined) compare(`ndarray.${name}`, sig.params, parseParams(method), EXTENSIONS[`method:${name}`]);
    else if (NOT_IN_NUMPY.has(name)) continue;
    else {
      const fn = METHOD_UFUNC[name];
      assert.ok(fn, `ndarray.${name} is neither a NumPy method nor a ufunc short form`);
      compare(`ndarray.${name} (np.${fn})`, sig.params, dropFirst(numpy.get(`function:${fn}`)!));
    }
    checked++;
  }
  assert.ok(checked > 50, `only ${checked} methods checked`);
});

test("every Generator method declares NumPy's signature", () => {
  const proto = np.random.Generator.prototype as unknown as Record<string, unknown>;
  let checked = 0;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name)!;
    if (d.get || typeof d.value !== "function" || name === "constructor" || name.startsWith("_") || name === "draw") continue;
    const sig = declared(d.value);
    assert.ok(sig, `Generator.${name} has no declared signature`);
    compare(`Generator.${name}`, sig.params, parseParams(numpy.get(`Generator:${name}`)!));
    checked++;
  }
  assert.ok(checked >= 5);
});

test("every poly1d method declares NumPy's signature", () => {
  const proto = np.poly1d.prototype as unknown as Record<string, unknown>;
  let checked = 0;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name)!;
    if (d.get || typeof d.value !== "function" || name === "constructor" || name === "toString" || name === "repr" || name === "__array__") continue;
    const sig = declared(d.value);
    assert.ok(sig, `poly1d.${name} has no declared signature`);
    const theirs = numpy.get(`poly1d:${sig.name}`);
    assert.ok(theirs !== undefined, `poly1d.${name} (${sig.name}) is not a NumPy method`);
    compare(`poly1d.${name}`, sig.params, parseParams(theirs));
    checked++;
  }
  assert.ok(checked >= 17, `${checked} poly1d methods checked`);
});

test("every RandomState method declares NumPy's signature", () => {
  const proto = np.random.RandomState.prototype as unknown as Record<string, unknown>;
  let checked = 0;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name)!;
    if (d.get || typeof d.value !== "function" || name === "constructor" || name === "toString") continue;
    const sig = declared(d.value);
    assert.ok(sig, `RandomState.${name} has no declared signature`);
    const theirs = numpy.get(`RandomState:${name}`);
    assert.ok(theirs !== undefined, `RandomState.${name} is not a NumPy method`);
    compare(`RandomState.${name}`, sig.params, parseParams(theirs));
    checked++;
  }
  assert.ok(checked >= 40);
});

test("a misspelled keyword raises NumPy's TypeError on every function and method", () => {
  const calls: [string, (o: object) => unknown, Signature][] = [];
  for (const [name, value] of Object.entries(np)) {
    const sig = declared(value);
    if (sig && !sig.params.some((p) => p.kind === "VAR_KEYWORD")) calls.push([name, value as (o: object) => unknown, sig]);
  }
  const a = np.arange(6).reshape(2, 3);
  const proto = np.ndarray.prototype as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const f = Object.getOwnPropertyDescriptor(proto, name)!.value as ((o: object) => unknown) & { signature?: Signature };
    if (typeof f === "function" && f.signature)
      calls.push([`ndarray.${name}`, ((...args: unknown[]) => f.call(a, ...(args as [object]))) as (o: object) => unknown, f.signature]);
  }
  for (const [name, f, sig] of calls) {
    // The required positionals first (NumPy's ufuncs count them before reading keywords).
    const required = sig.params.filter((p) => (p.kind === "POSITIONAL_ONLY" || p.kind === "POSITIONAL_OR_KEYWORD") && p.default === null);
    const call = (o: object) => (f as (...a: unknown[]) => unknown)(...required.map((p) => DUMMY[p.name] ?? 1), o);
    // NumPy's wording depends on how the function parses its arguments; each names the keyword or refuses keywords.
    const wording = /got an unexpected keyword argument 'xyzzy'|'xyzzy' is an invalid keyword argument|takes no keyword arguments/;
    assert.throws(
      () => call({ xyzzy: 1 }),
      (e: Error) => e instanceof TypeError && wording.test(e.message),
      name,
    );
  }
  assert.ok(calls.length > 150, `${calls.length} calls`);
});

test("Python's binding rules: positionals, keywords, repeats, surplus, missing", () => {
  const a = np.array([
    [3, 1, 2],
    [0, 5, 4],
  ]);
  assert.deepEqual(np.sum(a, 0).tolist(), [3, 6, 6]);
  assert.deepEqual(np.sum(a, { axis: 1 }).tolist(), [6, 9]);
  assert.deepEqual(np.sum({ a, axis: 1 }).tolist(), [6, 9]);
  assert.deepEqual(np.sum(a, null, null, null, true).tolist(), [[15]]);
  assert.deepEqual(np.zeros({ shape: [2], dtype: "int32" }).dtype.name, "int32");
  assert.throws(() => np.sum(a, 0, { axis: 1 }), { name: "TypeError", message: "sum() got multiple values for argument 'axis'" });
  assert.throws(() => (np.sum as unknown as (...a: unknown[]) => unknown)(a, 0, null, null, false, 0, true, 9), {
    name: "TypeError",
    message: "sum() takes from 1 to 7 positional arguments but 8 were given",
  });
  assert.throws(() => (np.sum as unknown as (...a: unknown[]) => unknown)(), {
    name: "TypeError",
    message: "sum() missing 1 required positional argument: 'a'",
  });
  assert.throws(() => (np.full as unknown as (...a: unknown[]) => unknown)(), {
    name: "TypeError",
    message: "full() missing 2 required positional arguments: 'shape' and 'fill_value'",
  });
  assert.throws(() => np.add(a, { x2: 1 } as never), { name: "TypeError", message: "add() takes from 2 to 3 positional arguments but 1 was given" });
  assert.throws(() => np.add(a, 1, { x2: 1 } as never), { name: "TypeError", message: "add() got an unexpected keyword argument 'x2'" });
  assert.throws(() => (np.where as unknown as (...a: unknown[]) => unknown)(a, { x: 1 }), {
    name: "TypeError",
    message: "where() got some positional-only arguments passed as keyword arguments: 'x'",
  });
  // undefined is "not given"; null is None.
  assert.deepEqual(np.sum(a, undefined, { keepdims: true }).shape, [1, 1]);
  assert.deepEqual(np.argsort(np.array([3, 1, 2]), null).tolist(), [1, 2, 0]);
  // A complex scalar { re, im } is a value, not an options object.
  assert.deepEqual(np.full(1, { re: 1, im: 2 }).tolist(), [{ re: 1, im: 2 }]);
});

test("wrong types and values raise NumPy's errors", () => {
  const a = np.array([
    [3, 1, 2],
    [0, 5, 4],
  ]);
  assert.throws(() => np.sum(a, { axis: "1" } as never), { name: "TypeError", message: "'str' object cannot be interpreted as an integer" });
  assert.throws(() => np.sum(a, 1.5), { name: "TypeError", message: "'float' object cannot be interpreted as an integer" });
  assert.throws(() => a.reshape(2.5, 2), { name: "TypeError", message: "'float' object cannot be interpreted as an integer" });
  assert.throws(() => np.sort(a, { kind: "bogus" }), {
    name: "ValueError",
    message: "sort kind must be one of 'quick', 'heap', or 'stable' (got 'bogus')",
  });
  assert.throws(() => np.add(a, a, { casting: "bogus" as never }), {
    name: "ValueError",
    message: "casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got 'bogus')",
  });
  assert.throws(() => np.zeros(3, null, "X" as never), { name: "ValueError", message: "order must be one of 'C', 'F', 'A', or 'K' (got 'X')" });
  assert.throws(() => np.zeros(3, "xx"), { name: "TypeError", message: "data type 'xx' not understood" });
  assert.throws(() => np.zeros(3, 5 as never), { name: "TypeError", message: "Cannot interpret '5' as a data type" });
  assert.throws(() => np.zeros(3, { device: "gpu" as never }), {
    name: "ValueError",
    message: 'Device not understood. Only "cpu" is allowed, but received: gpu',
  });
  const f = np.array([1.5, 2]);
  assert.throws(() => np.add(f, f, { dtype: "int8" }), {
    name: "UFuncTypeError",
    message: "Cannot cast ufunc 'add' input 0 from dtype('float64') to dtype('int8') with casting rule 'same_kind'",
  });
  assert.throws(() => np.add(f, "x" as never), {
    name: "UFuncTypeError",
    message: "ufunc 'add' did not contain a loop with signature matching types (dtype('float64'), dtype('<U1')) -> None",
  });
  assert.throws(() => np.arange(0, 10, 0), { name: "ZeroDivisionError" });
  assert.throws(() => np.arange(NaN), { name: "ValueError", message: "arange: cannot compute length" });
  assert.throws(() => np.take(a, [0], 1, null, "bogus" as never), {
    name: "ValueError",
    message: "clipmode must be one of 'clip', 'raise', or 'wrap' (got 'bogus')",
  });
  assert.throws(() => a.set(0 as never), { name: "TypeError" });
});

test("NumPy-style calls give NumPy's answers", () => {
  const a = np.array([
    [3, 1, 2],
    [0, 5, 4],
  ]);
  assert.deepEqual(a.sum(0).tolist(), [3, 6, 6]);
  assert.deepEqual(np.mean(a, 0).tolist(), [1.5, 3, 3]);
  assert.deepEqual(np.argmin(a, 0).tolist(), [1, 0, 0]);
  assert.deepEqual(a.max(1).tolist(), [3, 5]);
  assert.deepEqual(np.cumsum(a, 0).tolist(), [
    [3, 1, 2],
    [3, 6, 6],
  ]);
  assert.deepEqual(np.sort(a, 0).tolist(), [
    [0, 1, 2],
    [3, 5, 4],
  ]);
  assert.deepEqual(np.argsort(a, 0).tolist(), [
    [1, 0, 0],
    [0, 1, 1],
  ]);
  assert.deepEqual(np.take(a, [0], 1).tolist(), [[3], [0]]);
  assert.equal(np.zeros([2], "int32").dtype.name, "int32");
  assert.equal(np.full([2], 7, "int8").dtype.name, "int8");
  assert.equal(np.array([1, 2], "float32").dtype.name, "float32");
  assert.deepEqual(np.linspace(0, 1, 5, false).tolist(), [0, 0.2, 0.4, 0.6000000000000001, 0.8]);
  assert.deepEqual(np.eye(3, 3, 1).tolist(), [
    [0, 1, 0],
    [0, 0, 1],
    [0, 0, 0],
  ]);
  assert.equal(np.arange(3, { dtype: "float32" }).dtype.name, "float32");
  assert.deepEqual(np.arange(1, 5, 1, { dtype: "int8" }).tolist(), [1, 2, 3, 4]);
  assert.equal(a.astype({ dtype: "float32" }).dtype.name, "float32");
  const x = np.array([1.5, 2]),
    c = np.zeros([2]);
  np.add(x, x, c);
  assert.deepEqual(c.tolist(), [3, 4]);
  assert.deepEqual(
    np.where(a.gt(1)).map((i) => i.tolist()),
    np.nonzero(a.gt(1)).map((i) => i.tolist()),
  );
  assert.equal(np.sum(a, { initial: 10 }).item(), 25);
  assert.deepEqual(np.sum(a, 1, { where: [true, false, true] }).tolist(), [5, 4]);
  assert.deepEqual(np.max(a, 1, { where: [true, false, true], initial: -1 }).tolist(), [3, 4]);
  assert.deepEqual(np.add(x, 1, { where: [true, false] }).tolist(), [2.5, 0]);
  assert.deepEqual(np.zeros([2, 3], "int8", "F").strides, [1, 2]);
  assert.deepEqual(np.reshape(np.arange(6), [2, 3], "F").tolist(), [
    [0, 2, 4],
    [1, 3, 5],
  ]);
  assert.deepEqual(a.transpose(1, 0).tolist(), [
    [3, 0],
    [1, 5],
    [2, 4],
  ]);
  assert.equal(a.item(1, 2), 4);
  assert.deepEqual(np.var(a, 0, null, null, 1).tolist(), [4.5, 8, 2]);
  assert.deepEqual(np.slice(2) instanceof np.Slice && [np.slice(2).start, np.slice(2).stop], [null, 2]);
  assert.deepEqual(np.moveaxis(np.zeros([2, 3, 4]), [0, 1], [-1, -2]).shape, [4, 3, 2]);
});
