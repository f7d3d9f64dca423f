/**
 * Differential fuzz test against NumPy. A seeded generator builds ~200 random expressions
 * (random dtypes, shapes up to 3-d that broadcast against each other, weak JS scalars, and
 * chains of 2-3 ufuncs / reductions), one python3 process evaluates all of them with NumPy
 * (test/fixtures/generate_conformance.py --eval), and every case is replayed against the
 * library and compared with the tolerances described in conformance_support.ts.
 *
 * The generator stays inside behaviour NumPy defines on every platform: no float -> int
 * casts, no negative or over-wide shift counts, integer powers only with small non-negative
 * exponents, and a tolerance-compared op (transcendental, power, float reduction) only as the
 * last step of a chain, so that rounding differences cannot be amplified by a later op.
 * Which dtypes each op supports is covered exhaustively by the conformance fixture; here the
 * ops are drawn from the dtype kinds they are defined for.
 *
 * Seed: FUZZ_SEED (default 20240611); count: FUZZ_CASES (default 200). Skipped when
 * `python3 -c "import numpy"` fails.
 */
import { test } from "node:test";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type EncArray, type Expect, type Expr, type Leaf, type Operand, floatText, runCase } from "./conformance_support.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const COUNT = Number(process.env.FUZZ_CASES ?? 200);
const EVAL_SCRIPT = fileURLToPath(new URL("../../../test/fixtures/generate_conformance.py", import.meta.url));

// ---- seeded randomness -----------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const chance = (p: number) => rand() < p;

// ---- dtypes and values -----------------------------------------------------------------

type Kind = "b" | "i" | "u" | "f" | "c";
const DTYPES = [
  "bool",
  "int8",
  "uint8",
  "int16",
  "int32",
  "int64",
  "uint32",
  "uint64",
  "float16",
  "float32",
  "float64",
  "complex64",
  "complex128",
] as const;
type D = (typeof DTYPES)[number];
const kindOf = (d: string): Kind => (d === "bool" ? "b" : d.startsWith("uint") ? "u" : d.startsWith("int") ? "i" : d.startsWith("float") ? "f" : "c");
const RANGE: Record<string, [bigint, bigint]> = {
  int8: [-128n, 127n],
  uint8: [0n, 255n],
  int16: [-32768n, 32767n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};
/** float16-exact values (and specials) for half arrays. */
const HALF = [
  0,
  -0,
  0.5,
  -0.5,
  1,
  -1,
  1.5,
  2,
  -2.25,
  3,
  3.75,
  -4,
  7,
  10,
  -12.5,
  100,
  0.0999755859375,
  0.0010004043579101562,
  65504,
  NaN,
  Infinity,
  -Infinity,
];

function floatValue(d: string, finite = false): number {
  if (!finite && chance(0.08)) return pick([NaN, Infinity, -Infinity, -0]);
  if (d === "float16") {
    let v: number;
    do v = pick(HALF);
    while (finite && !Number.isFinite(v));
    return v;
  }
  const v = chance(0.3) ? int(-10, 10) : Math.round((rand() * 20 - 10) * 1000) / 1000;
  return d === "float32" || d === "complex64" ? Math.fround(v) : v;
}

function value(d: string, opts: { smallNonNeg?: boolean } = {}): unknown {
  const k = kindOf(d);
  if (k === "b") return opts.smallNonNeg ? chance(0.7) : chance(0.5);
  if (k === "i" || k === "u") {
    let v: bigint;
    if (opts.smallNonNeg) v = BigInt(int(0, 3));
    else if (chance(0.1)) v = pick(RANGE[d]);
    else v = BigInt(k === "u" ? int(0, 20) : int(-10, 10));
    return d.endsWith("64") ? String(v) : Number(v);
  }
  if (k === "f") return floatText(opts.smallNonNeg ? int(0, 3) : floatValue(d));
  return [floatText(floatValue(d, true)), floatText(floatValue(d, true))];
}

function size(shape: number[]): number {
  return shape.reduce((p, n) => p * n, 1);
}

function makeArr(d: string, shape: number[], opts: { smallNonNeg?: boolean } = {}): Operand {
  const data = Array.from({ length: size(shape) }, () => value(d, opts));
  return { arr: { dtype: d, shape, data } as EncArray };
}

/** A JS number/boolean as a weak scalar leaf: integral numbers are ints, as in the library. */
function leaf(v: number | boolean): Leaf {
  if (typeof v === "boolean") return v;
  return Number.isInteger(v) && !Object.is(v, -0) ? v : { f: floatText(v) };
}

function randomShape(): number[] {
  const nd = pick([0, 1, 1, 2, 2, 3]);
  return Array.from({ length: nd }, () => int(1, 4));
}

/** A shape that broadcasts against `s` (and may extend it). */
function compatibleShape(s: number[]): number[] {
  const drop = int(0, s.length);
  const tail = s.slice(drop).map((n) => (chance(0.3) ? 1 : n));
  if (s.length < 3 && chance(0.15)) return [int(2, 3), ...s.map((n) => (chance(0.3) ? 1 : n))];
  return tail;
}

function broadcast(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1,
      y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

// ---- result kinds (enough to pick sensible ops) ----------------------------------------

const ORDER: Kind[] = ["b", "u", "i", "f", "c"];
const maxKind = (a: Kind, b: Kind): Kind => {
  if ((a === "u" && b === "i") || (a === "i" && b === "u")) return "i";
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
};

const CMP = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"];
const LOGICAL = ["logical_and", "logical_or", "logical_xor"];
const BITWISE = ["bitwise_and", "bitwise_or", "bitwise_xor"];
const ARITH = ["add", "subtract", "multiply", "divide", "floor_divide", "remainder", "maximum", "minimum"];
const EXACT_UNARY: Record<Kind, string[]> = {
  b: ["logical_not", "invert", "isnan", "absolute", "square"],
  i: ["negative", "absolute", "sign", "square", "invert", "floor", "ceil", "trunc", "isfinite", "logical_not", "conjugate"],
  u: ["negative", "absolute", "sign", "square", "invert", "isfinite", "logical_not"],
  f: ["negative", "absolute", "sign", "square", "floor", "ceil", "trunc", "rint", "sqrt", "isnan", "isinf", "isfinite", "logical_not", "reciprocal"],
  c: ["negative", "conjugate", "isnan", "isfinite", "logical_not"],
};
const FINAL_UNARY: Record<Kind, string[]> = {
  b: ["sin", "exp"],
  i: ["exp", "log", "sin", "cos", "arctan", "tanh", "sqrt", "log1p"],
  u: ["exp", "log", "sqrt", "log2", "log10"],
  f: ["exp", "expm1", "log", "log1p", "log2", "log10", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh"],
  c: ["exp", "log", "sqrt"],
};

interface Node {
  op: Operand;
  shape: number[];
  kind: Kind;
}

function scalarOperand(): Node {
  const v = pick<number | boolean>([3, -2, 0, 1, 7, 2.5, -0.75, true, false, NaN]);
  const kind: Kind = typeof v === "boolean" ? "b" : Number.isInteger(v) ? "i" : "f";
  return { op: { scalar: leaf(v) }, shape: [], kind };
}

function arrayOperand(shape: number[], allowed?: Kind[]): Node {
  let d: D;
  do d = pick(DTYPES);
  while (allowed && !allowed.includes(kindOf(d)));
  return { op: makeArr(d, shape), shape, kind: kindOf(d) };
}

function binaryStep(x: Node): Node {
  const family = pick(["arith", "arith", "arith", "cmp", "logical", "bitwise"]);
  let op: string;
  let allowed: Kind[] | undefined;
  if (family === "arith") op = pick(ARITH);
  else if (family === "cmp") op = pick(CMP);
  else if (family === "logical") op = pick(LOGICAL);
  else op = pick(BITWISE);
  if (op === "floor_divide" || op === "remainder" || op === "maximum" || op === "minimum") {
    if (x.kind === "c") op = pick(["add", "subtract", "multiply"]);
    else allowed = ["b", "i", "u", "f"];
  }
  if (family === "bitwise") {
    if (x.kind === "f" || x.kind === "c") op = "add";
    else allowed = ["b", "i", "u"];
  }
  if (family === "cmp" && x.kind === "c") op = pick(["equal", "not_equal"]);
  const y =
    chance(0.3) && family !== "bitwise"
      ? scalarOperand()
      : arrayOperand(compatibleShape(x.shape), allowed ?? (CMP.includes(op) && x.kind !== "c" ? ["b", "i", "u", "f"] : undefined));
  if (family === "bitwise" && y.kind === "f") return binaryStep(x);
  const swap = chance(0.25);
  const [a, b] = swap ? [y, x] : [x, y];
  const shape = broadcast(a.shape, b.shape);
  let kind: Kind;
  if (CMP.includes(op) || LOGICAL.includes(op)) kind = "b";
  else if (op === "divide") kind = maxKind(maxKind(a.kind, b.kind), "f");
  else kind = maxKind(a.kind, b.kind);
  return { op: { op, args: [a.op, b.op] }, shape, kind };
}

function unaryStep(x: Node): Node {
  const op = pick(EXACT_UNARY[x.kind]);
  let kind = x.kind;
  if (["isnan", "isinf", "isfinite", "logical_not"].includes(op)) kind = "b";
  if (op === "sqrt" || op === "rint") kind = "f";
  if (x.kind === "b" && op === "square") kind = "i";
  return { op: { op, args: [x.op] }, shape: x.shape, kind };
}

function finalStep(x: Node): Node {
  const r = rand();
  if (r < 0.4) {
    let op = pick(["sum", "mean", "max", "min", "argmax", "argmin", "any", "all", "prod", "var", "std"]);
    if (x.kind === "c" && ["max", "min", "argmax", "argmin"].includes(op)) op = "sum";
    const kw: Record<string, unknown> = {};
    if (x.shape.length && chance(0.6)) kw.axis = int(-x.shape.length, x.shape.length - 1);
    if (x.shape.length > 1 && chance(0.15)) kw.axis = [0, x.shape.length - 1];
    if (["argmax", "argmin"].includes(op) && Array.isArray(kw.axis)) kw.axis = 0;
    if (chance(0.3)) kw.keepdims = true;
    if ((op === "var" || op === "std") && chance(0.4)) kw.ddof = 1;
    return { op: { op, args: [x.op], kw }, shape: [], kind: x.kind };
  }
  if (r < 0.75) return { op: { op: pick(FINAL_UNARY[x.kind]), args: [x.op] }, shape: x.shape, kind: "f" };
  if (r < 0.9 && x.kind !== "c") {
    const other = chance(0.5) ? arrayOperand(compatibleShape(x.shape), ["b", "i", "u", "f"]) : scalarOperand();
    return { op: { op: pick(["arctan2", "hypot"]), args: [x.op, other.op] }, shape: broadcast(x.shape, other.shape), kind: "f" };
  }
  // power with a small non-negative exponent, on real operands (complex power is
  // branch-cut and formula dependent; the fixture covers it)
  if (x.kind === "c") return { op: { op: "sqrt", args: [x.op] }, shape: x.shape, kind: "c" };
  const expo: Operand = chance(0.5)
    ? { scalar: leaf(pick([0, 1, 2, 3, 0.5])) }
    : (() => {
        const d = pick(x.kind === "f" ? ["int8", "uint8", "float32", "float64"] : ["int8", "uint8", "int32", "uint32", "int64"]);
        return makeArr(d, compatibleShape(x.shape), { smallNonNeg: true });
      })();
  return { op: { op: "power", args: [x.op, expo] }, shape: x.shape, kind: x.kind };
}

function generate(): Expr {
  let x = arrayOperand(randomShape());
  x = chance(0.8) ? binaryStep(x) : unaryStep(x);
  if (chance(0.7)) x = chance(0.7) ? binaryStep(x) : unaryStep(x);
  if (chance(0.6)) x = finalStep(x);
  else if (chance(0.5)) x = unaryStep(x);
  return x.op as Expr;
}

// ---- naming ----------------------------------------------------------------------------

function render(o: Operand): string {
  if (o === null) return "None";
  if ("arr" in o) return `${o.arr.dtype}[${o.arr.shape.join(",")}]`;
  if ("scalar" in o) {
    const l = o.scalar;
    return typeof l === "object" && "f" in l ? l.f : String(l);
  }
  if ("op" in o) {
    const kw = Object.entries(o.kw ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    return `${o.op}(${[...o.args.map(render), ...kw].join(", ")})`;
  }
  return JSON.stringify(o);
}

// ---- the test --------------------------------------------------------------------------

function numpyAvailable(): string | null {
  const r = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
  if (r.error) return `python3 is not available (${r.error.message})`;
  if (r.status !== 0) return `python3 cannot import numpy: ${(r.stderr || "").trim().split("\n").pop()}`;
  return null;
}

test(`differential fuzz against NumPy (seed ${SEED}, ${COUNT} cases)`, async (t) => {
  const missing = numpyAvailable();
  if (missing) {
    t.skip(missing);
    return;
  }
  const exprs = Array.from({ length: COUNT }, generate);
  const r = spawnSync("python3", [EVAL_SCRIPT, "--eval"], { input: JSON.stringify({ cases: exprs }), encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`NumPy evaluation failed: ${r.stderr}`);
  const { results } = JSON.parse(r.stdout) as { results: Expect[] };
  for (let i = 0; i < exprs.length; i++) {
    const expr = exprs[i];
    await t.test(`#${i} ${render(expr)}`, () => {
      try {
        runCase(expr, results[i]);
      } catch (err) {
        const e = err as Error;
        e.message += `\n  case: ${JSON.stringify(expr)}\n  NumPy: ${JSON.stringify(results[i])}`;
        throw e;
      }
    });
  }
});
