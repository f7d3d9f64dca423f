/**
 * The dtype routines and typed scalars against NumPy: every case of
 * test/fixtures/dtypes.json (made by generate_dtypes.py, which documents the encoding).
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { parseFloatText } from "./conformance_support.js";

type Enc = string | { [k: string]: unknown };
type Result = string | boolean | { error: [string, string] } | Record<string, unknown>;
interface Case {
  args: Enc[];
  result: Result;
  repr?: string;
  str?: string;
  fn?: string;
  dtype?: string;
  abstract?: string;
}

const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/dtypes.json", import.meta.url), "utf8")) as Record<string, unknown>;
const cases = (name: string) => fixture[name] as Case[];

const NP = np as unknown as Record<string, unknown>;
const pyInt = (s: string): number | bigint => {
  const b = BigInt(s);
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
};

/** An element value of `dtype` as the fixture stores it. */
function decodeValue(dtype: string, v: unknown): unknown {
  if (dtype === "bool") return v as boolean;
  if (dtype.startsWith("complex")) {
    const [re, im] = v as [string, string];
    return { re: parseFloatText(re), im: parseFloatText(im) };
  }
  if (dtype.startsWith("float")) return parseFloatText(v as string);
  return BigInt(v as string);
}

/** Rebuild an argument (see the encoding in generate_dtypes.py). */
function decode(e: Enc): unknown {
  if (typeof e === "string") return e;
  if ("abstract" in e) return NP[e.abstract as string];
  if ("int" in e) return pyInt(e.int as string);
  if ("float" in e) return parseFloatText(e.float as string);
  if ("bool" in e) return e.bool;
  if ("complex" in e) {
    const [re, im] = e.complex as [string, string];
    return { re: parseFloatText(re), im: parseFloatText(im) };
  }
  if ("str" in e) return e.str;
  if ("none" in e) return null;
  if ("scalar" in e) return (NP[e.scalar as string] as (v: unknown) => np.ndarray)(decodeValue(e.scalar as string, e.value));
  if ("array" in e) return np.array((e.values as unknown[]).map((v) => decodeValue(e.array as string, v)) as never, { dtype: e.array as string });
  if ("list" in e) return (e.list as Enc[]).map(decode);
  throw new Error(`bad encoding ${JSON.stringify(e)}`);
}

const isError = (r: unknown): r is { error: [string, string] } => typeof r === "object" && r !== null && "error" in r;

/** Run `fn`, compare with the expected result or error; return a mismatch description or null. */
function check(
  label: string,
  fn: () => unknown,
  expected: unknown,
  same: (got: unknown, want: unknown) => boolean = (g, w) => g === w,
): string | null {
  let got: unknown;
  try {
    got = fn();
  } catch (e) {
    const err = e as Error;
    if (isError(expected) && err.name === expected.error[0] && err.message === expected.error[1]) return null;
    return `${label}: threw ${err.name}: ${err.message}; NumPy gives ${JSON.stringify(expected)}`;
  }
  if (isError(expected)) return `${label}: gave ${String(got)}; NumPy raises ${expected.error.join(": ")}`;
  return same(got, expected) ? null : `${label}: gave ${inspect(got)}; NumPy gives ${JSON.stringify(expected)}`;
}

const dtypeIs = (g: unknown, w: unknown) => g instanceof np.dtype && g === np.dtype(w as string) && (g as np.DType).name === w;

/** Run every case; fail listing the mismatches (and say how many matched). */
function runAll(section: string, each: (c: Case) => string | null): void {
  const list = cases(section);
  const bad = list.map(each).filter((m): m is string => m !== null);
  assert.ok(list.length > 0);
  assert.equal(
    bad.length,
    0,
    `${section}: ${list.length - bad.length}/${list.length} match NumPy; first mismatches:\n${bad.slice(0, 25).join("\n")}`,
  );
}

const label = (fn: string, c: Case) => `${fn}(${c.args.map((a) => JSON.stringify(a)).join(", ")})`;

describe("dtype routines match NumPy", () => {
  test("promote_types: every pair, as strings and as dtype objects", () => {
    runAll("promote_types", (c) => {
      const [a, b, r] = c as unknown as [string, string, string];
      return (
        check(`promote_types(${a}, ${b})`, () => np.promote_types(a, b), r, dtypeIs) ??
        check(`promote_types(np.${a}, np.${b})`, () => np.promote_types(NP[a], NP[b]), r, dtypeIs)
      );
    });
  });

  test("can_cast: every pair under every casting rule (public and internal)", async () => {
    const { canCast } = await import("../../src/numpy/dtypes.js");
    runAll("can_cast", (c) => {
      const [a, b, casting, r] = c as unknown as [string, string, "safe", boolean];
      return (
        check(`can_cast(${a}, ${b}, ${casting})`, () => np.can_cast(a, b, casting), r) ??
        check(`can_cast(np.${a}, np.${b}, {casting: ${casting}})`, () => np.can_cast(NP[a], NP[b], { casting }), r) ??
        check(`internal canCast(${a}, ${b}, ${casting})`, () => canCast(np.dtype(a), np.dtype(b), casting), r)
      );
    });
  });

  test("result_type: dtype triples, weak JS scalars, typed scalars and arrays", () => {
    runAll("result_type", (c) => check(label("result_type", c), () => np.result_type(...c.args.map(decode)), c.result, dtypeIs));
  });

  test("min_scalar_type", () => {
    runAll("min_scalar_type", (c) => check(label("min_scalar_type", c), () => np.min_scalar_type(decode(c.args[0])), c.result, dtypeIs));
  });

  test("issubdtype: concrete, abstract and string arguments", () => {
    runAll("issubdtype", (c) => check(label("issubdtype", c), () => np.issubdtype(decode(c.args[0]), decode(c.args[1])), c.result));
  });

  test("np.dtype", () => {
    runAll("dtype", (c) => check(label("dtype", c), () => np.dtype(decode(c.args[0]) as string), c.result, dtypeIs));
  });

  test("promote_types / can_cast errors and array arguments", () => {
    runAll("calls", (c) =>
      check(
        label(c.fn!, c),
        () => (NP[c.fn!] as (...a: unknown[]) => unknown)(...c.args.map(decode)),
        c.result,
        (g, w) => (typeof w === "string" ? dtypeIs(g, w) : g === w),
      ),
    );
  });

  test("finfo: attributes, repr and errors", () => {
    runAll("finfo", (c) =>
      check(
        label("finfo", c),
        () => np.finfo(decode(c.args[0])),
        c.result,
        (g, w) => {
          const f = g as np.FInfo;
          if (typeof w === "string") return inspect(f) === w;
          for (const [k, v] of Object.entries(w as Record<string, unknown>)) {
            const mine = (f as unknown as Record<string, unknown>)[k];
            const want = k === "dtype" ? np.dtype(v as string) : typeof v === "string" ? parseFloatText(v) : v;
            if (!Object.is(mine, want)) return false;
          }
          return inspect(f) === c.repr && String(f) === c.str && f instanceof np.finfo;
        },
      ),
    );
  });

  test("iinfo: attributes, repr and errors", () => {
    runAll("iinfo", (c) =>
      check(
        label("iinfo", c),
        () => np.iinfo(decode(c.args[0])),
        c.result,
        (g, w) => {
          const f = g as np.IInfo;
          if (typeof w === "string") return inspect(f) === w;
          const r = w as { bits: number; min: string; max: string; dtype: string; kind: string };
          const big = f.bits === 64;
          return (
            f.bits === r.bits &&
            f.kind === r.kind &&
            f.dtype === np.dtype(r.dtype) &&
            inspect(f) === c.repr &&
            String(f) === c.str &&
            f instanceof np.iinfo &&
            (big ? f.min === BigInt(r.min) && f.max === BigInt(r.max) : f.min === Number(r.min) && f.max === Number(r.max))
          );
        },
      ),
    );
  });
});

/** Compare a typed scalar or array with the fixture's {dtype, shape, values}. */
function sameArray(g: unknown, w: unknown): boolean {
  const want = w as { dtype: string; shape: number[]; values: unknown[] };
  if (!(g instanceof np.ndarray) || g.dtype.name !== want.dtype || g.shape.join() !== want.shape.join()) return false;
  const got = g.tolist({ bigint: true });
  const flat = (Array.isArray(got) ? got : [got]) as unknown[];
  return want.values.every((v, i) => {
    const x = decodeValue(want.dtype, v),
      y = flat[i];
    if (typeof x === "bigint") return BigInt(y as number | bigint) === x;
    if (typeof x === "object" && x) {
      const a = x as { re: number; im: number },
        b = y as { re: number; im: number };
      return Object.is(a.re, b.re) && Object.is(a.im, b.im);
    }
    return Object.is(x, y);
  });
}

describe("typed scalars (calling a dtype) match NumPy's scalar constructors", () => {
  test("np.<dtype>(...) for every dtype and many inputs", () => {
    runAll("scalars", (c) => {
      const ctor = NP[c.dtype ?? c.abstract!] as (...a: unknown[]) => unknown;
      return check(
        `np.${c.dtype ?? c.abstract}(${c.args.map((a) => JSON.stringify(a)).join(", ")})`,
        () => ctor(...c.args.map(decode)),
        c.result,
        sameArray,
      );
    });
  });

  test("np.array of typed scalars: NumPy scalars are strong, JS numbers take default dtypes", () => {
    runAll("array", (c) => check(label("array", c), () => np.array(decode({ list: c.args[0] as unknown as Enc[] }) as never), c.result, sameArray));
  });

  test("identity: a dtype is its scalar type", () => {
    const a = np.zeros(3);
    assert.equal(a.dtype, np.float64);
    assert.equal(np.dtype("float64"), np.float64);
    assert.equal(np.dtype(np.float64), np.float64);
    assert.equal(String(np.float64), "float64");
    assert.equal(np.float64.name, "float64");
    assert.equal(`${np.int8}`, "int8");
    assert.equal(inspect(np.float32), "dtype('float32')");
    assert.equal(inspect(np.floating), "<class 'numpy.floating'>");
    assert.equal(JSON.stringify({ d: np.uint8 }), '{"d":"uint8"}');
    assert.equal(np.zeros(2, { dtype: np.int16 }).dtype, np.int16);
    assert.ok(np.float64 instanceof np.dtype);
    assert.equal(np.bool_, np.bool);
    assert.equal(np.double, np.float64);
    assert.equal(np.intp, np.int64);
    assert.equal(np.dtype(Number), np.float64);
    assert.equal(np.dtype(Boolean), np.bool);
    assert.equal(np.dtype(BigInt), np.int64);
    assert.equal(np.dtype(null), np.float64);
    assert.equal(np.full(3, 2.0).dtype, np.int64); // 2.0 === 2: a Python int
    assert.equal(np.full(3, -0).dtype, np.float64);
  });

  test("typed scalars act as strong operands", () => {
    assert.equal(np.full(3, np.float64(2)).dtype, np.float64);
    assert.equal(np.full(3, 2).dtype, np.int64);
    assert.equal(np.full(3, np.float32(2)).dtype, np.float32);
    assert.deepEqual(np.full(2, np.float64(2)).tolist(), [2, 2]);
    assert.equal(np.array([np.float32(1), 2]).dtype, np.float64);
    assert.equal(np.array([np.float32(1), np.float32(2)]).dtype, np.float32);
    assert.equal(np.add(np.ones(2, { dtype: "float32" }), np.float64(1)).dtype, np.float64);
    assert.equal(np.add(np.ones(2, { dtype: "float32" }), 1.5).dtype, np.float32);
    assert.equal(np.float32(1).add(1).dtype, np.float32);
    assert.equal(np.int8(3).ndim, 0);
    assert.equal(Number(np.int32(2.7)), 2);
    assert.equal(String(np.float64(2)), "2.0");
    assert.equal(np.float32("1.5").item(), 1.5);
    assert.equal(np.result_type(np.float64(2), np.int8), np.float64);
    assert.equal(np.result_type(np.int8, 2.0), np.int8); // 2.0 is an integral JS number: a Python int
    assert.equal(np.result_type(np.int8, 2.5), np.float64);
    assert.equal(np.result_type(np.int8, np.float64(2)), np.float64);
  });

  test("NumPy's error classes and messages", () => {
    assert.throws(() => np.int8(300), { name: "OverflowError", message: "Python integer 300 out of bounds for int8" });
    assert.throws(() => np.iinfo("float32"), { name: "ValueError", message: "Invalid integer data type 'f'." });
    assert.throws(() => np.finfo("int32"), { name: "ValueError", message: "data type <class 'numpy.int32'> not inexact" });
    assert.throws(() => np.promote_types("x", "int8"), { name: "TypeError", message: "data type 'x' not understood" });
    assert.throws(() => np.can_cast(1.5, "int8"), { name: "TypeError", message: /^can_cast\(\) does not support Python ints/ });
    assert.throws(() => np.can_cast("int8", "int16", { castin: "safe" }), {
      name: "TypeError",
      message: "can_cast() got an unexpected keyword argument 'castin'",
    });
    assert.throws(() => np.can_cast("int8", "int16", "safe", { casting: "safe" }), {
      name: "TypeError",
      message: "can_cast() got multiple values for argument 'casting'",
    });
    assert.throws(() => np.floating(1), { name: "TypeError", message: "cannot create 'numpy.floating' instances" });
    assert.throws(() => np.result_type(), { name: "ValueError", message: "at least one array or dtype is required" });
  });
});
