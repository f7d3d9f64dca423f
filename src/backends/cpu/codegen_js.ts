import { DTYPES, type DTypeName, type TypedArray } from "../../core/task_api.js";
import { type BinaryFn, type Expr, type ReduceOp, type UnaryFn, reduceIdentity, signature } from "../../core/task_api.js";
export { reduceIdentity };
import * as H from "./scalar_math.js";
import * as IEEE from "./scalar_ieee.js";
import { ExprEmitter } from "../emitter.js";
import { log } from "../../core/task_api.js";

/**
 * Kernel IR → JavaScript. Each kernel is a loop nest over one rectangle of the launch
 * domain; every argument is an accessor whose strides are already expressed in domain
 * coordinates (broadcast dims have stride 0), so one generated loop serves every layout.
 * Kernels are cached by signature, so each shape of work is compiled once per thread.
 */
export interface Accessor {
  data: TypedArray;
  offset: number;
  strides: readonly number[];
}
export type KernelFn = (A: Accessor[], S: readonly unknown[], lo: readonly number[], hi: readonly number[]) => void;

type Val = { r: string; i?: string };

const WRAP: Partial<Record<DTypeName, (x: string) => string>> = {
  bool: (x) => x,
  int8: (x) => `((${x})<<24>>24)`,
  uint8: (x) => `((${x})&255)`,
  int16: (x) => `((${x})<<16>>16)`,
  uint16: (x) => `((${x})&65535)`,
  int32: (x) => `((${x})|0)`,
  uint32: (x) => `((${x})>>>0)`,
  int64: (x) => `BigInt.asIntN(64,${x})`,
  uint64: (x) => `BigInt.asUintN(64,${x})`,
};
const ROUND: Partial<Record<DTypeName, (x: string) => string>> = {
  float64: (x) => `(${x})`,
  complex128: (x) => `(${x})`,
  float32: (x) => `Math.fround(${x})`,
  complex64: (x) => `Math.fround(${x})`,
  float16: (x) => `H.f16round(${x})`,
};
/** Wrap functions passed to integer pow. */
const WRAP_FN: Record<string, (x: number) => number> = {
  bool: (x) => (x ? 1 : 0),
  int8: (x) => (x << 24) >> 24,
  uint8: (x) => x & 255,
  int16: (x) => (x << 16) >> 16,
  uint16: (x) => x & 65535,
  int32: (x) => x | 0,
  uint32: (x) => x >>> 0,
};
const BITS_FN: Record<string, (x: bigint) => bigint> = {
  int64: (x) => BigInt.asIntN(64, x),
  uint64: (x) => BigInt.asUintN(64, x),
};
/** An int32 view of a 64-bit integer lane array, kept for the last one asked for (kernels store word pairs through it). */
let wordsOf: { lanes: TypedArray; words: Int32Array } | null = null;
function words(lanes: TypedArray): Int32Array {
  if (wordsOf?.lanes !== lanes) wordsOf = { lanes, words: new Int32Array(lanes.buffer, lanes.byteOffset, lanes.length * 2) };
  return wordsOf.words;
}
const HELPERS = { ...H, ...IEEE, WRAP_FN, BITS_FN, words };

/** Narrow integer and bool dtypes: their values widened to 64 bits are exact as numbers. */
const NARROW_INT = new Set<DTypeName>(["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32"]);
/**
 * An output expression that casts a narrow integer or a float to int64/uint64 (astype,
 * counts): the value cast, to be stored as two int32 words instead of as one BigInt per
 * element, which costs more than the rest of such a kernel; null for any other output.
 */
function widened(o: { dtype: DTypeName; expr: Expr }): Expr | null {
  const e = o.expr;
  if (e.k !== "cast" || !(o.dtype === "int64" || o.dtype === "uint64") || o.dtype !== e.dtype) return null;
  return NARROW_INT.has(e.x.dtype) || e.x.dtype === "float64" || e.x.dtype === "float32" ? e.x : null;
}
/** Store output k of a map at element `at`: a widened value as a word pair (see widened). */
function storeOutput(em: Emitter, k: number, o: { dtype: DTypeName; expr: Expr }, at: string): string {
  const from = widened(o);
  if (!from) return writeAt(k, o.dtype, at, em.expr(o.expr));
  const w = em.wordView(k);
  const v = em.expr(from).r;
  if (NARROW_INT.has(from.dtype)) return `${w}[2*${at}]=${v};${w}[2*${at}+1]=${v}<0?-1:0;`;
  // A float truncated below 2^53 in magnitude (two's complement words, for uint64 as NumPy's
  // cast wraps negatives); NaN, infinities and larger values take the exact BigInt path.
  const big = o.dtype === "int64" ? "H.f2i64" : "H.f2u64";
  return `{const t_=Math.trunc(${v});if(t_>-9007199254740992&&t_<9007199254740992){const h_=Math.floor(t_/4294967296);${w}[2*${at}]=t_-h_*4294967296;${w}[2*${at}+1]=h_;}else d${k}[${at}]=${big}(${v});}`;
}

/** Complex predicates on (re, im) pairs: some part is NaN; a >= b / a <= b in NumPy's lexicographic order. */
const cnan = (a: Val) => `(${a.r}!==${a.r}||${a.i}!==${a.i})`;
const cge = (a: Val, b: Val) => `((${a.r}>${b.r}&&${a.i}===${a.i}&&${b.i}===${b.i})||(${a.r}===${b.r}&&${a.i}>=${b.i}))`;
const cle = (a: Val, b: Val) => `((${a.r}<${b.r}&&${a.i}===${a.i}&&${b.i}===${b.i})||(${a.r}===${b.r}&&${a.i}<=${b.i}))`;
/** a strictly before / after b lexicographically (ties on a NaN part are never better). */
const cgt = (a: Val, b: Val) => `(${a.r}>${b.r}||(${a.r}===${b.r}&&${a.i}>${b.i}))`;
const clt = (a: Val, b: Val) => `(${a.r}<${b.r}||(${a.r}===${b.r}&&${a.i}<${b.i}))`;

const kindOf = (d: DTypeName) => (d === "int64" || d === "uint64" ? "big" : DTYPES[d].kind);
const num = (v: number) =>
  Object.is(v, -0) ? "-0" : Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : String(v);

class Emitter extends ExprEmitter<Val> {
  body: string[] = [];
  hoisted: string[] = [];
  private n = 0;
  constructor(
    private readonly loadArg: (arg: number, dtype: DTypeName) => Val,
    private readonly prefix = "t",
    /** In an unrolled loop, how far this copy of the body is past the loop index. */
    private readonly lane = 0,
  ) {
    super();
  }
  tmp(expr: string): string {
    const t = `${this.prefix}${this.n++}`;
    this.body.push(`const ${t}=${expr};`);
    return t;
  }
  val(r: string, i?: string): Val {
    return i === undefined ? { r: this.tmp(r) } : { r: this.tmp(r), i: this.tmp(i) };
  }

  protected load(arg: number, d: DTypeName): Val {
    return this.loadArg(arg, d);
  }
  /** The name of an int32 view of argument k's lanes (a 64-bit integer array), made once per call. */
  wordView(k: number | string): string {
    const view = `const w${k}=H.words(A[${k}].data);`;
    if (!this.hoisted.includes(view)) this.hoisted.push(view);
    return `w${k}`;
  }
  /** An element read `dK[at]` of a 64-bit integer array as its low and high int32 words (null for anything else). */
  private wordsOf(x: Val): { lo: string; hi: string } | null {
    const m = /^d(\d+)\[([^[\]]+)\]$/.exec(x.r);
    if (!m) return null;
    const w = this.wordView(m[1]);
    return { lo: `${w}[2*(${m[2]})]`, hi: `${w}[2*(${m[2]})+1]` };
  }
  protected scalar(index: number, d: DTypeName): Val {
    const name = `s${index}`;
    if (!this.hoisted.some((h) => h.startsWith(`const ${name}=`))) this.hoisted.push(`const ${name}=S[${index}];`);
    return DTYPES[d].isComplex ? { r: `${name}.re`, i: `${name}.im` } : { r: name };
  }
  protected index(dim: number, d: DTypeName): Val {
    const i = this.lane ? `(i${dim}+${this.lane})` : `i${dim}`;
    return { r: kindOf(d) === "big" ? `BigInt(${i})` : i };
  }
  protected where(c: Val, a: Val, b: Val): Val {
    return this.val(`${c.r}?${a.r}:${b.r}`, a.i === undefined ? undefined : `${c.r}?${a.i}:${b.i}`);
  }

  constant(v: number | bigint | boolean | { re: number; im: number }, d: DTypeName): Val {
    if (typeof v === "object") return { r: num(v.re), i: num(v.im) };
    const k = kindOf(d);
    if (k === "big") return { r: `${BigInt(v as bigint)}n` };
    if (k === "c") return { r: num(Number(v)), i: "0" };
    if (typeof v === "boolean") return { r: v ? "1" : "0" };
    return { r: num(Number(v)) };
  }

  cast(x: Val, from: DTypeName, to: DTypeName): Val {
    if (from === to) return x;
    const fk = kindOf(from),
      tk = kindOf(to);
    if (to === "bool") {
      if (fk === "c") return this.val(`(${x.r}!==0||${x.i}!==0)?1:0`);
      return this.val(fk === "big" ? `${x.r}!==0n?1:0` : `${x.r}!==0?1:0`);
    }
    if (fk === "c") {
      if (tk === "c") return this.val(ROUND[to]!(x.r), ROUND[to]!(x.i!));
      return this.cast({ r: x.r }, from === "complex64" ? "float32" : "float64", to);
    }
    if (tk === "c") {
      const re = this.cast(x, from, to === "complex64" ? "float32" : "float64");
      return { r: re.r, i: "0" };
    }
    // A 64-bit integer read straight from its array is read as its two words: no BigInt.
    const words = fk === "big" ? this.wordsOf(x) : null;
    if (words && to === "float64") {
      // hi * 2^32 is exact, so the one addition rounds the value once, as Number(bigint) does.
      return this.val(`${from === "int64" ? words.hi : `(${words.hi}>>>0)`}*4294967296+(${words.lo}>>>0)`);
    }
    if (words && NARROW_INT.has(to)) return this.val(WRAP[to]!(words.lo));
    if (tk === "f") return this.val(fk === "big" && to === "float32" ? `H.big2f32(${x.r})` : ROUND[to]!(fk === "big" ? `Number(${x.r})` : x.r));
    if (tk === "big") {
      if (fk === "big") return this.val(WRAP[to]!(x.r));
      if (fk === "f") return this.val(to === "int64" ? `H.f2i64(${x.r})` : `H.f2u64(${x.r})`);
      return this.val(`BigInt(${x.r})`);
    }
    // to a narrow integer
    if (fk === "big") return this.val(WRAP[to]!(to === "uint32" ? `Number(BigInt.asUintN(32,${x.r}))` : `Number(BigInt.asIntN(32,${x.r}))`));
    if (fk === "f") return this.val(to === "uint32" ? `H.f2u32(${x.r})` : WRAP[to]!(`H.f2i(${x.r})`));
    return this.val(WRAP[to]!(x.r));
  }

  unary(fn: UnaryFn, x: Val, from: DTypeName, to: DTypeName): Val {
    const k = kindOf(from);
    const R = ROUND[to] ?? ((s: string) => s);
    const unsupported = () => {
      throw new TypeError(`kernel IR: ${fn} is not defined for ${from}`);
    };
    if (k === "c") {
      const rr = ROUND[from]!;
      switch (fn) {
        case "neg":
          return this.val(`-${x.r}`, `-${x.i}`);
        case "conj":
          return this.val(x.r, `-${x.i}`);
        case "abs":
          return this.val(R(`Math.hypot(${x.r},${x.i})`));
        case "real":
          return this.val(x.r);
        case "imag":
          return this.val(x.i!);
        case "square":
          return this.binary("mul", x, x, from, to);
        case "reciprocal": {
          this.body.push(`H.crecip(${x.r},${x.i},${from === "complex64" ? 1 : 0});`);
          return this.val(rr("H.cplx.re"), rr("H.cplx.im"));
        }
        case "exp":
        case "log":
        case "sqrt":
        case "expm1":
        case "log1p":
        case "log2":
        case "log10":
        case "sign":
        case "sin":
        case "cos":
        case "tan":
        case "sinh":
        case "cosh":
        case "tanh": {
          this.body.push(`H.c${fn}(${x.r},${x.i});`);
          return this.val(rr("H.cplx.re"), rr("H.cplx.im"));
        }
        case "arcsin":
        case "arccos":
        case "arctan": {
          this.body.push(`H.ca${fn.slice(3)}(${x.r},${x.i});`);
          return this.val(rr("H.cplx.re"), rr("H.cplx.im"));
        }
        case "exp2":
        case "arcsinh":
        case "arccosh":
        case "arctanh": {
          const f = { exp2: "cexp2", arcsinh: "casinh", arccosh: "cacosh", arctanh: "catanh" }[fn];
          this.body.push(`H.${f}(${x.r},${x.i});`);
          return this.val(rr("H.cplx.re"), rr("H.cplx.im"));
        }
        case "rint":
          return this.val(`H.rint(${x.r})`, `H.rint(${x.i})`);
        case "isnan":
          return this.val(`(${x.r}!==${x.r}||${x.i}!==${x.i})?1:0`);
        case "isinf":
          return this.val(`(Math.abs(${x.r})===Infinity||Math.abs(${x.i})===Infinity)?1:0`);
        case "isfinite":
          return this.val(`(Number.isFinite(${x.r})&&Number.isFinite(${x.i}))?1:0`);
        default:
          return unsupported();
      }
    }
    if (k === "f") {
      const m = (f: string) => this.val(R(`${f}(${x.r})`));
      switch (fn) {
        case "neg":
          return this.val(`-${x.r}`);
        case "abs":
          return m("Math.abs");
        case "sign":
          return m("H.signF");
        case "exp":
          return m("Math.exp");
        case "expm1":
          return m("Math.expm1");
        case "log":
          return m("Math.log");
        case "log1p":
          return m("Math.log1p");
        case "log2":
          return m("Math.log2");
        case "log10":
          return m("Math.log10");
        case "sqrt":
          return m("Math.sqrt");
        case "sin":
          return m("Math.sin");
        case "cos":
          return m("Math.cos");
        case "tan":
          return m("Math.tan");
        case "arcsin":
          return m("Math.asin");
        case "arccos":
          return m("Math.acos");
        case "arctan":
          return m("Math.atan");
        case "sinh":
          return m("Math.sinh");
        case "cosh":
          return m("Math.cosh");
        case "tanh":
          return m("Math.tanh");
        case "exp2":
          return this.val(R(`Math.pow(2,${x.r})`));
        case "arcsinh":
          return m("Math.asinh");
        case "arccosh":
          return m("Math.acosh");
        case "arctanh":
          return m("Math.atanh");
        case "signbit":
          return this.val(`H.signbit(${x.r})?1:0`);
        case "frexp_exp":
          return this.val(`H.frexpExp(${x.r})`);
        case "floor":
          return m("Math.floor");
        case "ceil":
          return m("Math.ceil");
        case "trunc":
          return m("Math.trunc");
        case "rint":
          return m("H.rint");
        case "isnan":
          return this.val(`${x.r}!==${x.r}?1:0`);
        case "isinf":
          return this.val(`(${x.r}===Infinity||${x.r}===-Infinity)?1:0`);
        case "isfinite":
          return this.val(`Number.isFinite(${x.r})?1:0`);
        case "square":
          return this.val(R(`${x.r}*${x.r}`));
        case "reciprocal":
          return this.val(R(`1/${x.r}`));
        case "real":
        case "conj":
          return x;
        case "imag":
          return this.val("0");
        default:
          return unsupported();
      }
    }
    if (k === "big") {
      const W = WRAP[to]!;
      switch (fn) {
        case "neg":
          return this.val(W(`-${x.r}`));
        case "abs":
          return this.val(W(`(${x.r}<0n?-${x.r}:${x.r})`));
        case "sign":
          return this.val(`${x.r}>0n?1n:${x.r}<0n?-1n:0n`);
        case "popcount":
          return this.val(`H.popcountBig(${x.r})`);
        case "invert":
          return this.val(W(`~${x.r}`));
        case "square":
          return this.val(W(`${x.r}*${x.r}`));
        case "reciprocal":
          return this.val(W(`(${x.r}===0n?0n:1n/${x.r})`));
        case "floor":
        case "ceil":
        case "trunc":
        case "rint":
        case "real":
        case "conj":
          return x;
        case "isnan":
        case "isinf":
          return { r: "0" };
        case "isfinite":
          return { r: "1" };
        default:
          return unsupported();
      }
    }
    // bool and narrow ints
    const W = WRAP[to] ?? ((s: string) => s);
    switch (fn) {
      case "neg":
        return this.val(W(`-${x.r}`));
      case "abs":
        return this.val(W(`Math.abs(${x.r})`));
      case "sign":
        return this.val(`${x.r}>0?1:${x.r}<0?-1:0`);
      case "not":
        return this.val(`${x.r}?0:1`);
      case "popcount":
        return this.val(`H.popcount(${x.r})`);
      case "invert":
        return this.val(from === "bool" ? `${x.r}^1` : W(`~${x.r}`));
      case "square":
        return this.binary("mul", x, x, from, to);
      case "reciprocal":
        return this.val(W(`H.reciprocalI(${x.r})`));
      case "floor":
      case "ceil":
      case "trunc":
      case "rint":
      case "real":
      case "conj":
        return x;
      case "isnan":
      case "isinf":
        return { r: "0" };
      case "isfinite":
        return { r: "1" };
      default:
        return unsupported();
    }
  }

  binary(fn: BinaryFn, a: Val, b: Val, from: DTypeName, to: DTypeName): Val {
    const k = kindOf(from);
    const cmp: Record<string, string> = { eq: "===", ne: "!==", lt: "<", le: "<=", gt: ">", ge: ">=" };
    const unsupported = () => {
      throw new TypeError(`kernel IR: ${fn} is not defined for ${from}`);
    };
    if (k === "c") {
      const R = ROUND[from]!;
      // A real-typed `b` (no imaginary part) scales each part alone, as np.round does on complex
      // input; multiplying by b + 0j instead would turn an infinite part's 0 * inf into NaN.
      if (b.i === undefined && (fn === "mul" || fn === "div")) {
        const op = fn === "mul" ? "*" : "/";
        return this.val(R(`${a.r}${op}${b.r}`), R(`${a.i}${op}${b.r}`));
      }
      switch (fn) {
        case "add":
          return this.val(R(`${a.r}+${b.r}`), R(`${a.i}+${b.i}`));
        case "sub":
          return this.val(R(`${a.r}-${b.r}`), R(`${a.i}-${b.i}`));
        // complex64: NumPy's loop is float32 with fused multiply-adds, re = fma(ar, br, -(ai bi));
        // float32 products are exact in double, so rounding the inner product alone matches it.
        case "mul":
          return from === "complex64"
            ? this.val(R(`${a.r}*${b.r}-${R(`${a.i}*${b.i}`)}`), R(`${a.r}*${b.i}+${R(`${a.i}*${b.r}`)}`))
            : this.val(R(`${a.r}*${b.r}-${a.i}*${b.i}`), R(`${a.r}*${b.i}+${a.i}*${b.r}`));
        case "div":
          this.body.push(`H.cdiv(${a.r},${a.i},${b.r},${b.i},${from === "complex64" ? 1 : 0});`);
          return this.val(R("H.cplx.re"), R("H.cplx.im"));
        case "pow":
          this.body.push(`H.cpow(${a.r},${a.i},${b.r},${b.i},${from === "complex64" ? 1 : 0});`);
          return this.val(R("H.cplx.re"), R("H.cplx.im"));
        case "max":
        case "min": {
          // NumPy's order: lexicographic, and an operand with a NaN part wins (the first one).
          const keepA = this.tmp(`${cnan(a)}||${fn === "max" ? cge(a, b) : cle(a, b)}`);
          return this.val(`${keepA}?${a.r}:${b.r}`, `${keepA}?${a.i}:${b.i}`);
        }
        case "eq":
          return this.val(`(${a.r}===${b.r}&&${a.i}===${b.i})?1:0`);
        case "ne":
          return this.val(`(${a.r}!==${b.r}||${a.i}!==${b.i})?1:0`);
        case "lt":
        case "le":
        case "gt":
        case "ge": {
          const op = cmp[fn],
            strict = op.slice(0, 1);
          return this.val(`(${a.r}${strict}${b.r}||(${a.r}===${b.r}&&${a.i}${op}${b.i}))?1:0`);
        }
        default:
          return unsupported();
      }
    }
    if (fn in cmp) return this.val(`${a.r}${cmp[fn]}${b.r}?1:0`);
    if (k === "f") {
      const R = ROUND[to]!;
      switch (fn) {
        case "add":
          return this.val(R(`${a.r}+${b.r}`));
        case "sub":
          return this.val(R(`${a.r}-${b.r}`));
        case "mul":
          return this.val(R(`${a.r}*${b.r}`));
        case "div":
          return this.val(R(`${a.r}/${b.r}`));
        case "floordiv":
          return this.val(R(`H.floordivF(${a.r},${b.r})`));
        case "mod":
          return this.val(R(`H.modF(${a.r},${b.r})`));
        case "pow":
          return this.val(R(`H.powF(${a.r},${b.r})`));
        case "max":
          return this.val(`(${a.r}>=${b.r}||${a.r}!==${a.r})?${a.r}:${b.r}`);
        case "min":
          return this.val(`(${a.r}<=${b.r}||${a.r}!==${a.r})?${a.r}:${b.r}`);
        case "atan2":
          return this.val(R(`Math.atan2(${a.r},${b.r})`));
        case "hypot":
          return this.val(R(`Math.hypot(${a.r},${b.r})`));
        // JS's % on doubles is C's fmod, exact, so it is exact for the narrower floats too.
        case "fmod":
          return this.val(`${a.r}%${b.r}`);
        case "copysign":
          return this.val(`H.copysign(${a.r},${b.r})`);
        case "nextafter":
          return this.val(`H.nextafter${from === "float64" ? "64" : from === "float32" ? "32" : "16"}(${a.r},${b.r})`);
        case "ldexp":
          return this.val(R(`H.ldexp(${a.r},${b.r})`));
        default:
          return unsupported();
      }
    }
    const W = WRAP[to]!;
    if (k === "big") {
      switch (fn) {
        case "add":
          return this.val(W(`${a.r}+${b.r}`));
        case "sub":
          return this.val(W(`${a.r}-${b.r}`));
        case "mul":
          return this.val(W(`${a.r}*${b.r}`));
        case "floordiv":
          return this.val(W(`H.floordivBig(${a.r},${b.r})`));
        case "mod":
          return this.val(`H.modBig(${a.r},${b.r})`);
        case "pow":
          return this.val(`H.powBig(${a.r},${b.r},H.BITS_FN.${to})`);
        case "max":
          return this.val(`${a.r}>=${b.r}?${a.r}:${b.r}`);
        case "min":
          return this.val(`${a.r}<=${b.r}?${a.r}:${b.r}`);
        case "and":
          return this.val(`${a.r}&${b.r}`);
        case "or":
          return this.val(`${a.r}|${b.r}`);
        case "xor":
          return this.val(`${a.r}^${b.r}`);
        case "shl":
          return this.val(W(`${a.r}<<(${b.r}>63n?64n:${b.r}<0n?64n:${b.r})`));
        case "shr":
          return this.val(`${a.r}>>(${b.r}>63n||${b.r}<0n?64n:${b.r})`);
        case "fmod":
          return this.val(`(${b.r}===0n?0n:${a.r}%${b.r})`);
        case "gcd":
          return this.val(W(`H.gcdBig(${a.r},${b.r})`));
        case "lcm":
          return this.val(`H.lcmBig(${a.r},${b.r},H.BITS_FN.${to})`);
        default:
          return unsupported();
      }
    }
    // bool and narrow ints: bool add/mul are logical or/and, as in NumPy
    const bool = from === "bool";
    switch (fn) {
      case "add":
        return this.val(bool ? `${a.r}|${b.r}` : W(`${a.r}+${b.r}`));
      case "sub":
        return this.val(W(`${a.r}-${b.r}`));
      case "mul":
        return this.val(bool ? `${a.r}&${b.r}` : from === "int32" || from === "uint32" ? W(`Math.imul(${a.r},${b.r})`) : W(`${a.r}*${b.r}`));
      case "floordiv":
        return this.val(W(`H.floordivI(${a.r},${b.r})`));
      case "mod":
        return this.val(`H.modI(${a.r},${b.r})`);
      case "fmod":
        return this.val(W(`(${b.r}===0?0:${a.r}%${b.r})`));
      case "gcd":
        return this.val(W(`H.gcdI(${a.r},${b.r})`));
      case "lcm":
        return this.val(`H.lcmI(${a.r},${b.r},H.WRAP_FN.${to})`);
      case "pow":
        return this.val(`H.powI(${a.r},${b.r},H.WRAP_FN.${to})`);
      case "max":
        return this.val(`${a.r}>=${b.r}?${a.r}:${b.r}`);
      case "min":
        return this.val(`${a.r}<=${b.r}?${a.r}:${b.r}`);
      case "and":
        return this.val(W(`${a.r}&${b.r}`));
      case "or":
        return this.val(W(`${a.r}|${b.r}`));
      case "xor":
        return this.val(W(`${a.r}^${b.r}`));
      case "shl":
        return this.val(`(${b.r}>=32||${b.r}<0)?0:${W(`${a.r}<<${b.r}`)}`);
      case "shr":
        return this.val(from === "uint32" ? `(${b.r}>=32||${b.r}<0)?0:(${a.r}>>>${b.r})` : `${a.r}>>((${b.r}>=32||${b.r}<0)?31:${b.r})`);
      default:
        return unsupported();
    }
  }
}

/** Read element `o` of accessor `k` as a value of dtype `d`. */
function readAt(k: number, d: DTypeName, o: string): Val {
  if (d === "float16") return { r: `H.h2f(d${k}[${o}])` };
  if (DTYPES[d].isComplex) return { r: `d${k}[2*${o}]`, i: `d${k}[2*${o}+1]` };
  return { r: `d${k}[${o}]` };
}
function writeAt(k: number, d: DTypeName, o: string, v: Val): string {
  if (d === "float16") return `d${k}[${o}]=H.f2h(${v.r});`;
  if (DTYPES[d].isComplex) return `d${k}[2*${o}]=${v.r};d${k}[2*${o}+1]=${v.i};`;
  return `d${k}[${o}]=${v.r};`;
}

/**
 * The loop nest shared by all kernels: `nargs` accessors walked with per-dimension offsets
 * `o{k}`. `inner` is the innermost body; `before`/`after` wrap the innermost loop.
 */
function loopNest(ndim: number, nargs: number, body: { before?: string; inner: string; after?: string }, lo = "lo", hi = "hi"): string {
  const lines: string[] = [];
  for (let k = 0; k < nargs; k++) {
    lines.push(`const d${k}=A[${k}].data;`);
    for (let d = 0; d < ndim; d++) lines.push(`const s${k}_${d}=A[${k}].strides[${d}];`);
  }
  if (ndim === 0) {
    for (let k = 0; k < nargs; k++) lines.push(`const o${k}=A[${k}].offset;`);
    lines.push(body.before ?? "", body.inner, body.after ?? "");
    return lines.join("\n");
  }
  // Row bases: offset of (i0..i_{n-2}, lo_{n-1}) for each argument.
  const last = ndim - 1;
  for (let d = 0; d < last; d++) lines.push(`for(let i${d}=${lo}[${d}];i${d}<${hi}[${d}];i${d}++){`);
  for (let k = 0; k < nargs; k++) {
    const terms = [`A[${k}].offset`];
    for (let d = 0; d < ndim; d++) terms.push(d === last ? `${lo}[${last}]*s${k}_${d}` : `i${d}*s${k}_${d}`);
    lines.push(`let o${k}=${terms.join("+")};`);
  }
  lines.push(body.before ?? "");
  lines.push(`for(let i${last}=${lo}[${last}];i${last}<${hi}[${last}];i${last}++){`);
  lines.push(body.inner);
  lines.push(Array.from({ length: nargs }, (_, k) => `o${k}+=s${k}_${last};`).join(""));
  lines.push("}");
  lines.push(body.after ?? "");
  for (let d = 0; d < last; d++) lines.push("}");
  return lines.join("\n");
}

const cache = new Map<string, KernelFn>();

function compile(key: string, source: string): KernelFn {
  let fn = cache.get(key);
  if (fn) return fn;
  log("kernels", `${key}\n${source}`);
  const make = new Function("H", `return function kernel(A,S,lo,hi){\n${source}\n};`) as (h: typeof HELPERS) => KernelFn;
  fn = make(HELPERS);
  cache.set(key, fn);
  return fn;
}

/** Accessor layout of a map kernel: outputs first, then inputs. */
export interface MapSpec {
  ndim: number;
  /** One dimension with every accessor at unit stride (see flatMap). */
  flat?: boolean;
  outputs: { dtype: DTypeName; expr: Expr }[];
  inputs: DTypeName[];
}

/**
 * Kernels by expression object, then by a key for the rest of the spec: libraries reuse their
 * expression objects (a ufunc's per dtype, a reduction's cast-load), so a repeated small launch
 * finds its kernel without printing the expression's signature (the `cache` key).
 */
function byExpr<K>(): (expr: Expr) => Map<K, KernelFn> {
  const kernels = new WeakMap<Expr, Map<K, KernelFn>>();
  return (expr) => {
    let forExpr = kernels.get(expr);
    if (!forExpr) kernels.set(expr, (forExpr = new Map()));
    return forExpr;
  };
}

const mapByExpr = byExpr<number>();
/**
 * The kernel of a one-output map, made from `spec()` the first time (see byExpr). The source
 * depends on the inputs only through the expression's loads, which carry their dtypes, so the
 * key is the loop depth and the argument count.
 */
export function mapKernelByExpr(expr: Expr, outDtype: DTypeName, ndim: number, inputs: number, spec: () => MapSpec, flat = false): KernelFn {
  if (outDtype !== expr.dtype) return mapKernel(spec());
  const kernels = mapByExpr(expr);
  const sub = (flat ? -1 : ndim) * 256 + inputs;
  let fn = kernels.get(sub);
  if (!fn) kernels.set(sub, (fn = mapKernel(spec())));
  return fn;
}

export function mapKernel(spec: MapSpec): KernelFn {
  if (spec.flat) return flatMap(spec);
  const key = `map/${spec.ndim}/${spec.inputs.join(",")}/${spec.outputs.map((o) => o.dtype).join(",")}/${signature(...spec.outputs.map((o) => o.expr))}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const nOut = spec.outputs.length;
  const em = new Emitter((arg, d) => readAt(nOut + arg, d, `o${nOut + arg}`));
  const stores = spec.outputs.map((o, k) => storeOutput(em, k, o, `o${k}`));
  const inner = em.body.join("") + stores.join("");
  return compile(key, em.hoisted.join("\n") + "\n" + loopNest(spec.ndim, nOut + spec.inputs.length, { inner }));
}

/** Most copies of a flat map's body one iteration of its loop runs, by the body's length. */
const flatLanes = (body: number): number => (body <= 400 ? 8 : body <= 1600 ? 4 : 1);

/**
 * A map over one run of elements, every accessor at unit stride (contiguous arrays of any
 * shape, as small launches run at once see them): indexed from each accessor's offset, the
 * body repeated for consecutive elements in one loop iteration. V8 neither unrolls nor
 * vectorises, so the loop's own test and increment are a large part of a short body; at
 * 100 float64 elements `c = a + b` takes about 120 ns this way against 290 ns in the strided
 * loop nest.
 */
function flatMap(spec: MapSpec): KernelFn {
  const key = `flatmap/${spec.inputs.join(",")}/${spec.outputs.map((o) => o.dtype).join(",")}/${signature(...spec.outputs.map((o) => o.expr))}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const nOut = spec.outputs.length;
  const nargs = nOut + spec.inputs.length;
  const lane = (c: number) => {
    const at = (k: number) => (c ? `(q${k}+${c})` : `q${k}`);
    const em = new Emitter((arg, d) => readAt(nOut + arg, d, at(nOut + arg)), `t${c}_`, c);
    const stores = spec.outputs.map((o, k) => storeOutput(em, k, o, at(k)));
    return { hoisted: em.hoisted, body: em.body.join("") + stores.join("") };
  };
  const first = lane(0);
  const lanes = flatLanes(first.body.length);
  const bases = Array.from({ length: nargs }, (_, k) => `q${k}=b${k}+i0`).join(",");
  const lines = Array.from({ length: nargs }, (_, k) => `const d${k}=A[${k}].data,b${k}=A[${k}].offset;`);
  lines.push(...first.hoisted, "const n=hi[0];let i0=lo[0];");
  if (lanes > 1) {
    const bodies = [first.body];
    for (let c = 1; c < lanes; c++) bodies.push(lane(c).body);
    lines.push(`for(;i0+${lanes}<=n;i0+=${lanes}){const ${bases};${bodies.join("")}}`);
  }
  lines.push(`for(;i0<n;i0++){const ${bases};${first.body}}`);
  return compile(key, lines.join("\n"));
}

/**
 * Reduction kernel. Accessors: [value out, (index out for arg*), ...inputs], all in domain
 * coordinates; outputs have stride 0 on reduced dims. The kernel first sets its own output
 * block to the identity, then folds every domain point in. `S[last]` holds, for arg*
 * reductions, the row-major index strides over the reduced dims.
 */
export interface ReduceSpec {
  ndim: number;
  op: ReduceOp;
  acc: DTypeName;
  value: Expr;
  inputs: readonly DTypeName[];
  reduced: readonly boolean[];
  init: boolean;
}

const reduceByExpr = byExpr<number | string>();
/** Small numbers for names in kernel keys, given out on first use. */
const codes = new Map<string, number>();
const code = (name: string): number => {
  let c = codes.get(name);
  if (c === undefined) codes.set(name, (c = codes.size));
  return c;
};
/** A reduction kernel, by value expression and then the rest of the spec (see byExpr). */
export function reduceKernel(spec: ReduceSpec): KernelFn {
  // A number where it fits (no string built per small reduction), else a string.
  // Each field in its own range: acc's code and the input count below 64, ndim at most 16.
  let sub: number | string;
  const acc = code(spec.acc);
  if (spec.ndim <= 16 && spec.inputs.length < 64 && acc < 64) {
    let mask = 0;
    for (let d = 0; d < spec.ndim; d++) if (spec.reduced[d]) mask |= 1 << d;
    sub = ((((code(spec.op) * 64 + acc) * 2 + (spec.init ? 1 : 0)) * 64 + spec.inputs.length) * 17 + spec.ndim) * 65536 + mask;
  } else {
    sub = `${spec.ndim}/${spec.op}/${spec.acc}/${spec.init}/${spec.inputs.length}/`;
    for (const r of spec.reduced) sub += r ? "1" : "0";
  }
  const kernels = reduceByExpr(spec.value);
  let fn = kernels.get(sub);
  if (!fn) kernels.set(sub, (fn = reduceKernelOf(spec)));
  return fn;
}

function reduceKernelOf(spec: ReduceSpec): KernelFn {
  const key = `reduce/${spec.ndim}/${spec.op}/${spec.acc}/${spec.reduced.map(Number).join("")}/${spec.init}/${spec.inputs.join(",")}/${signature(spec.value)}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const isArg = spec.op === "argmin" || spec.op === "argmax";
  const nOut = isArg ? 2 : 1;
  const em = new Emitter((arg, d) => readAt(nOut + arg, d, `o${nOut + arg}`));
  const v = em.expr(spec.value);
  const ndim = spec.ndim;
  const innerReduced = ndim > 0 && spec.reduced[ndim - 1];
  const cplx = DTYPES[spec.acc].isComplex;
  const idn = reduceIdentity(spec.op, spec.acc);
  const idnVal = em.constant(idn as never, spec.acc);
  const lines: string[] = [...em.hoisted];
  // The accumulator is kept in a local across an innermost reduced loop.
  const accR = "acc",
    accI = "accI";
  const combine = (): string => {
    const acc: Val = cplx ? { r: accR, i: accI } : { r: accR };
    const sub = new Emitter(() => ({ r: "" }), "u");
    switch (spec.op) {
      case "sum":
      case "prod": {
        // Float accumulators stay in double inside a row; rounding happens at the store.
        const accType = DTYPES[spec.acc].isFloat ? "float64" : spec.acc === "complex64" ? "complex128" : spec.acc;
        const r = sub.binary(spec.op === "sum" ? "add" : "mul", acc, v, accType, accType);
        return sub.body.join("") + `${accR}=${r.r};` + (cplx ? `${accI}=${r.i};` : "");
      }
      // NaN wins and then sticks, as in np.max / np.min.
      case "max":
      case "min":
        if (cplx) return `if(!(${cnan(acc)}||${spec.op === "max" ? cge(acc, v) : cle(acc, v)})){${accR}=${v.r};${accI}=${v.i};}`;
        return `if(${accR}===${accR}&&(${v.r}${spec.op === "max" ? ">" : "<"}${accR}||${v.r}!==${v.r}))${accR}=${v.r};`;
      case "all":
        return `${accR}&=${v.r};`;
      case "any":
        return `${accR}|=${v.r};`;
      case "argmax":
      case "argmin": {
        // Points are visited in increasing index order, so strict comparison keeps the first.
        if (cplx) {
          const better = spec.op === "argmax" ? cgt(v, acc) : clt(v, acc);
          return `if(accX<0||(!${cnan(acc)}&&(${better}||${cnan(v)}))){${accR}=${v.r};${accI}=${v.i};accX=idx;}`;
        }
        const better = spec.op === "argmax" ? ">" : "<";
        return `if(accX<0||(${accR}===${accR}&&(${v.r}${better}${accR}||${v.r}!==${v.r}))){${accR}=${v.r};accX=idx;}`;
      }
    }
  };
  if (isArg) for (let d = 0; d < ndim; d++) lines.push(`const X${d}=S[S.length-1][${d}];`);
  const idxTerm = isArg ? `const idx=${Array.from({ length: ndim }, (_, d) => `i${d}*X${d}`).join("+") || "0"};` : "";
  // The int64 index output is read and written as two int32 words (W1), not as BigInts: one
  // BigInt per output element costs more than a short row of comparisons.
  const readAcc = (o: string) => {
    const r = readAt(0, spec.acc, o);
    return `${accR}=${r.r};` + (cplx ? `${accI}=${r.i};` : "") + (isArg ? "accX=W1[2*o1+1]*4294967296+(W1[2*o1]>>>0);" : "");
  };
  // The index output walks its own offsets (o1): it need not share the value output's layout.
  const writeAcc = (o: string) =>
    writeAt(0, spec.acc, o, cplx ? { r: accR, i: accI } : { r: accR }) + (isArg ? "W1[2*o1]=accX|0;W1[2*o1+1]=Math.floor(accX/4294967296);" : "");
  const body = em.body.join("");
  if (isArg) lines.push("const W1=new Int32Array(A[1].data.buffer,A[1].data.byteOffset,A[1].data.length*2);");
  lines.push(`let ${accR},${accI},accX;`);
  if (spec.init) {
    // Identity over this point's output block: kept dims walk the rect, reduced dims stay at lo.
    lines.push(`const ihi=hi.map((h,d)=>[${spec.reduced.map(Number).join(",")}][d]?lo[d]+1:h);`);
    lines.push(
      "{" + loopNest(ndim, nOut, { inner: writeAt(0, spec.acc, "o0", idnVal) + (isArg ? "W1[2*o1]=-1;W1[2*o1+1]=-1;" : "") }, "lo", "ihi") + "}",
    );
  }
  if (innerReduced) {
    lines.push(loopNest(ndim, nOut + spec.inputs.length, { before: readAcc("o0"), inner: idxTerm + body + combine(), after: writeAcc("o0") }));
  } else {
    lines.push(loopNest(ndim, nOut + spec.inputs.length, { inner: idxTerm + readAcc("o0") + body + combine() + writeAcc("o0") }));
  }
  return compile(key, lines.join("\n"));
}

/** Fold a partial reduction buffer (accessors 2,3 for arg ops, else 1) into the output. */
export function foldKernel(op: ReduceOp, acc: DTypeName, ndim: number): KernelFn {
  // Looked up before the source is built: every parallel reduction folds its partials.
  return cache.get(`fold/${op}/${acc}/${ndim}`) ?? foldKernelOf(op, acc, ndim);
}

function foldKernelOf(op: ReduceOp, acc: DTypeName, ndim: number): KernelFn {
  const isArg = op === "argmin" || op === "argmax";
  const a: Val = { r: "a" },
    b: Val = { r: "b" };
  const em = new Emitter(() => ({ r: "" }), "u");
  let inner: string;
  const src = isArg ? 2 : 1;
  const ra = readAt(0, acc, "o0"),
    rb = readAt(src, acc, `o${src}`);
  if (DTYPES[acc].isComplex) {
    const pa: Val = { r: "ar", i: "ai" },
      pb: Val = { r: "br", i: "bi" };
    const load = `const ar=${ra.r},ai=${ra.i},br=${rb.r},bi=${rb.i};`;
    if (op === "sum" || op === "prod") {
      const r = em.binary(op === "sum" ? "add" : "mul", pa, pb, acc, acc);
      inner = load + em.body.join("") + writeAt(0, acc, "o0", r);
    } else if (op === "max" || op === "min") {
      inner = load + `if(!(${cnan(pa)}||${op === "max" ? cge(pa, pb) : cle(pa, pb)})){${writeAt(0, acc, "o0", pb)}}`;
    } else {
      const better = op === "argmax" ? cgt(pb, pa) : clt(pb, pa);
      const tie = `(ar===br&&ai===bi&&ib<ia)`;
      inner =
        load +
        `const ia=d1[o1],ib=d3[o3];if(ib>=0n&&(ia<0n||(!${cnan(pa)}&&(${better}||${cnan(pb)}||${tie}))||(${cnan(pa)}&&${cnan(pb)}&&ib<ia))){${writeAt(0, acc, "o0", pb)}d1[o1]=ib;}`;
    }
  } else if (op === "sum" || op === "prod") {
    const r = em.binary(op === "sum" ? "add" : "mul", a, b, acc, acc);
    inner = `const a=${ra.r},b=${rb.r};` + em.body.join("") + writeAt(0, acc, "o0", r);
  } else if (op === "all" || op === "any") {
    inner = `d0[o0]${op === "all" ? "&=" : "|="}d${src}[o${src}];`;
  } else if (op === "max" || op === "min") {
    const cmpOp = op === "max" ? ">" : "<";
    inner = `const a=${ra.r},b=${rb.r};if(a===a&&(b${cmpOp}a||b!==b))${writeAt(0, acc, "o0", b)}`;
  } else {
    const better = op === "argmax" ? ">" : "<";
    inner = `const a=${ra.r},b=${rb.r},ia=d1[o1],ib=d3[o3];if(ib>=0n&&(ia<0n||(a===a&&(b${better}a||b!==b||(b===a&&ib<ia)))||(a!==a&&b!==b&&ib<ia))){${writeAt(0, acc, "o0", b)}d1[o1]=ib;}`;
  }
  return compile(`fold/${op}/${acc}/${ndim}`, loopNest(ndim, isArg ? 4 : 2, { inner }));
}
