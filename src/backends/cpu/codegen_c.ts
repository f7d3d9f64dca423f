import { DTYPES, type DTypeName } from "../../core/task_api.js";
import { type BinaryFn, type Expr, type ReduceOp, type UnaryFn, visit } from "../../core/task_api.js";
import { reduceIdentity } from "../../core/task_api.js";
import { ExprEmitter } from "../emitter.js";
import { includeText } from "./native.js";

/**
 * Kernel IR → C, compiled at run time by the system compiler (see native.ts). Same loop
 * structure and semantics as the JS generator: integer arithmetic wraps (done in unsigned
 * types, so no C undefined behaviour), floats are IEEE without fast-math (NaN and Inf behave
 * as in NumPy); exp/log/sin… are declared SIMD-enabled so gcc vectorises them through
 * glibc's libmvec.
 *
 * Entry point: void kernel(void* d0, …, void* dN, const int64_t* M, const double* SF,
 * const int64_t* SI) where M holds, per accessor, its offset and strides, then lo and hi.
 */

const CTYPE: Partial<Record<DTypeName, string>> = {
  bool: "uint8_t",
  int8: "int8_t",
  int16: "int16_t",
  int32: "int32_t",
  int64: "int64_t",
  uint8: "uint8_t",
  uint16: "uint16_t",
  uint32: "uint32_t",
  uint64: "uint64_t",
  float32: "float",
  float64: "double",
};
/** Unsigned type wide enough that wrapping arithmetic has no undefined behaviour. */
const UWIDE: Partial<Record<DTypeName, string>> = {
  bool: "uint32_t",
  int8: "uint32_t",
  int16: "uint32_t",
  int32: "uint32_t",
  int64: "uint64_t",
  uint8: "uint32_t",
  uint16: "uint32_t",
  uint32: "uint32_t",
  uint64: "uint64_t",
};

const isF = (d: DTypeName) => d === "float32" || d === "float64";
const isInt = (d: DTypeName) => !isF(d) && d !== "bool";
const signed = (d: DTypeName) => d.startsWith("int");
const fsuf = (d: DTypeName) => (d === "float32" ? "f" : "");

/** Whether every node can be expressed in C (no complex, float16 or reduction kinds C lacks). */
export function cSupports(exprs: Expr[], extra: DTypeName[] = []): boolean {
  let ok = extra.every((d) => CTYPE[d] !== undefined);
  for (const e of exprs)
    visit(e, (n) => {
      if (!CTYPE[n.dtype]) ok = false;
      if (n.k === "const" && typeof n.value === "object") ok = false;
    });
  return ok;
}

/** tessera/kernel.h, which every kernel starts with. */
const prelude = (): string => includeText("tessera/kernel.h");

class CEmitter extends ExprEmitter<string> {
  body: string[] = [];
  private n = 0;
  constructor(
    private readonly loadArg: (arg: number, d: DTypeName) => string,
    private readonly prefix = "t",
    private readonly indexAt: (dim: number) => string = (d) => `i${d}`,
  ) {
    super();
  }
  tmp(d: DTypeName, expr: string): string {
    const t = `${this.prefix}${this.n++}`;
    this.body.push(`${CTYPE[d]} ${t}=${expr};`);
    return t;
  }

  protected load(arg: number, d: DTypeName): string {
    return this.loadArg(arg, d);
  }
  constant(v: number | bigint | boolean | { re: number; im: number }, d: DTypeName): string {
    return this.literal(v as number | bigint | boolean, d);
  }
  protected scalar(index: number, d: DTypeName): string {
    return isF(d) ? `(${CTYPE[d]})SF[${index}]` : `(${CTYPE[d]})SI[${index}]`;
  }
  protected index(dim: number, d: DTypeName): string {
    return `(${CTYPE[d]})(${this.indexAt(dim)})`;
  }
  protected where(c: string, a: string, b: string, d: DTypeName): string {
    return this.tmp(d, `${c}?${a}:${b}`);
  }
  cast(x: string, from: DTypeName, to: DTypeName): string {
    return this.tmp(to, this.castExpr(x, from, to));
  }
  unary(fn: UnaryFn, x: string, from: DTypeName, to: DTypeName): string {
    return this.tmp(to, this.unaryExpr(fn, x, from, to));
  }
  binary(fn: BinaryFn, a: string, b: string, from: DTypeName, to: DTypeName): string {
    return this.tmp(to, this.binaryExpr(fn, a, b, from, to));
  }

  literal(v: number | bigint | boolean, d: DTypeName): string {
    if (typeof v === "boolean") return v ? "1" : "0";
    if (isF(d)) {
      const x = Number(v);
      if (Number.isNaN(x)) return "NAN";
      if (!Number.isFinite(x)) return x > 0 ? "INFINITY" : "(-INFINITY)";
      const lit = Object.is(x, -0) ? "-0.0" : x.toPrecision(17);
      return d === "float32" ? `(float)${lit}` : lit;
    }
    const b = BigInt(v as number | bigint);
    if (d === "uint64") return `${BigInt.asUintN(64, b)}ull`;
    if (b === -(2n ** 63n)) return "INT64_MIN";
    return `((${CTYPE[d]})${b}ll)`;
  }

  private castExpr(x: string, from: DTypeName, to: DTypeName): string {
    if (to === "bool") return `(${x}!=0)`;
    if (isF(from) && isInt(to)) {
      if (to === "int64") return `f2i64(${x})`;
      if (to === "uint64") return `f2u64(${x})`;
      if (to === "uint32") return `(uint32_t)(uint64_t)f2i64(${x})`;
      return `(${CTYPE[to]})f2i32(${x})`;
    }
    return `(${CTYPE[to]})(${x})`;
  }

  private unaryExpr(fn: UnaryFn, x: string, from: DTypeName, to: DTypeName): string {
    const T = CTYPE[to]!;
    if (isF(from)) {
      const s = fsuf(from);
      const m: Partial<Record<UnaryFn, string>> = {
        exp: "exp",
        expm1: "expm1",
        log: "log",
        log1p: "log1p",
        log2: "log2",
        log10: "log10",
        sqrt: "sqrt",
        sin: "sin",
        cos: "cos",
        tan: "tan",
        arcsin: "asin",
        arccos: "acos",
        arctan: "atan",
        sinh: "sinh",
        cosh: "cosh",
        tanh: "tanh",
        floor: "floor",
        ceil: "ceil",
        trunc: "trunc",
        rint: "rint",
        abs: "fabs",
        exp2: "exp2",
        arcsinh: "asinh",
        arccosh: "acosh",
        arctanh: "atanh",
      };
      if (m[fn]) return `${m[fn]}${s}(${x})`;
      switch (fn) {
        case "neg":
          return `-${x}`;
        case "sign":
          return `(${T})fsign(${x})`;
        case "isnan":
          return `(${x}!=${x})`;
        case "isinf":
          return `isinf(${x})!=0`;
        case "isfinite":
          return `isfinite(${x})!=0`;
        case "signbit":
          return `signbit(${x})!=0`;
        case "frexp_exp":
          return `frexpe(${x})`;
        case "square":
          return `${x}*${x}`;
        case "reciprocal":
          return `(${T})1/${x}`;
        case "real":
        case "conj":
          return x;
        case "imag":
          return "0";
      }
      throw new TypeError(`C kernel: ${fn} on ${from}`);
    }
    const U = UWIDE[to] ?? "uint64_t";
    switch (fn) {
      case "neg":
        return from === "bool" ? x : `(${T})(0-(${U})${x})`;
      case "abs":
        return signed(from) ? `(${T})(${x}<0?0-(${U})${x}:(${U})${x})` : x;
      case "sign":
        return `(${T})((${x}>0)-(${x}<0))`;
      case "popcount":
        return `(${T})__builtin_popcountll(${signed(from) ? `uabs64(${x})` : `(uint64_t)${x}`})`;
      case "not":
        return `!${x}`;
      case "invert":
        return from === "bool" ? `!${x}` : `(${T})(~(${U})${x})`;
      case "square":
        return `(${T})((${U})${x}*(${U})${x})`;
      case "floor":
      case "ceil":
      case "trunc":
      case "rint":
      case "real":
      case "conj":
        return x;
      case "isnan":
      case "isinf":
        return "0";
      case "isfinite":
        return "1";
    }
    throw new TypeError(`C kernel: ${fn} on ${from}`);
  }

  private binaryExpr(fn: BinaryFn, a: string, b: string, from: DTypeName, to: DTypeName): string {
    const cmp: Partial<Record<BinaryFn, string>> = { eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=" };
    if (cmp[fn]) return `(${a}${cmp[fn]}${b})`;
    const T = CTYPE[to]!;
    if (isF(from)) {
      const s = fsuf(from);
      switch (fn) {
        case "add":
          return `${a}+${b}`;
        case "sub":
          return `${a}-${b}`;
        case "mul":
          return `${a}*${b}`;
        case "div":
          return `${a}/${b}`;
        case "floordiv":
          return `(${T})ffloordiv(${a},${b})`;
        case "mod":
          return `(${T})fmodpy(${a},${b})`;
        case "pow":
          return `pow${s}(${a},${b})`;
        case "max":
          return `(${a}>=${b}||${a}!=${a})?${a}:${b}`;
        case "min":
          return `(${a}<=${b}||${a}!=${a})?${a}:${b}`;
        case "atan2":
          return `atan2${s}(${a},${b})`;
        case "hypot":
          return `hypot${s}(${a},${b})`;
        case "fmod":
          return `fmod${s}(${a},${b})`;
        case "copysign":
          return `copysign${s}(${a},${b})`;
        case "nextafter":
          return `nextafter${s}(${a},${b})`;
        case "ldexp":
          return `ldexp${s}(${a},(int)${b})`;
      }
      throw new TypeError(`C kernel: ${fn} on ${from}`);
    }
    const U = UWIDE[from]!;
    const wrap = (op: string) => `(${T})((${U})${a}${op}(${U})${b})`;
    const bits = DTYPES[from].itemsize * 8;
    switch (fn) {
      case "add":
        return from === "bool" ? `${a}|${b}` : wrap("+");
      case "sub":
        return wrap("-");
      case "mul":
        return from === "bool" ? `${a}&${b}` : wrap("*");
      case "floordiv":
        return signed(from) ? `(${T})ifloordiv(${a},${b})` : `(${T})ufloordiv(${a},${b})`;
      case "mod":
        return signed(from) ? `(${T})imodpy(${a},${b})` : `(${T})umodpy(${a},${b})`;
      case "max":
        return `${a}>=${b}?${a}:${b}`;
      case "min":
        return `${a}<=${b}?${a}:${b}`;
      case "and":
        return `${a}&${b}`;
      case "or":
        return `${a}|${b}`;
      case "xor":
        return `${a}^${b}`;
      case "shl":
        return `(${b}<0||${b}>=${Math.max(bits, 32)})?0:(${T})((${U})${a}<<${b})`;
      case "shr":
        return signed(from) ? `${a}>>((${b}<0||${b}>=${bits})?${bits - 1}:${b})` : `(${b}<0||${b}>=${bits})?0:${a}>>${b}`;
      // A zero divisor gives 0, as NumPy; -1 too (INT_MIN % -1 would trap).
      case "fmod":
        return signed(from) ? `(${b}==0||${b}==-1)?0:(${T})(${a}%${b})` : `${b}==0?0:(${T})(${a}%${b})`;
      case "gcd":
        return signed(from) ? `(${T})ugcd(uabs64(${a}),uabs64(${b}))` : `(${T})ugcd(${a},${b})`;
      // |a| / gcd * |b|, wrapped to the dtype.
      case "lcm":
        return signed(from) ? `(${T})ulcm(uabs64(${a}),uabs64(${b}))` : `(${T})ulcm(${a},${b})`;
    }
    // integer pow and the rest stay on the JS path
    throw new TypeError(`C kernel: ${fn} on ${from}`);
  }
}

function elem(k: number, o: string): string {
  return `((${"T" + k}*)d${k})[${o}]`;
}

/**
 * An emitter for the `j`-th element of a block along the last dim (accessors from `first`
 * on): a block's values computed into a local buffer, as plain map loops gcc vectorises.
 */
function laneEmitter(first: number, last: number): CEmitter {
  return new CEmitter(
    (arg) => elem(first + arg, `(o${first + arg}+j*s${first + arg}_${last})`),
    "u",
    (d) => (d === last ? `i${d}+j` : `i${d}`),
  );
}

/** Every accessor's offset moved along the last dim: one element, or `by` ("256*") of them. */
function advance(nargs: number, last: number, by = ""): string {
  return Array.from({ length: nargs }, (_, k) => `o${k}+=${by}s${k}_${last};`).join("");
}

/** C loop nest mirroring the JS one: per-accessor offsets walked along the last dim. */
function loopNest(ndim: number, nargs: number, body: { before?: string; inner: string; after?: string; head?: string }, hiName = "hi"): string {
  const L: string[] = [];
  if (ndim === 0) {
    for (let k = 0; k < nargs; k++) L.push(`const int64_t o${k}=off${k};`);
    L.push(body.before ?? "", body.inner, body.after ?? "");
    return L.join("\n");
  }
  const last = ndim - 1;
  for (let d = 0; d < last; d++) L.push(`for(int64_t i${d}=lo[${d}];i${d}<${hiName}[${d}];i${d}++){`);
  for (let k = 0; k < nargs; k++) {
    const terms = [`off${k}`];
    for (let d = 0; d < ndim; d++) terms.push(d === last ? `lo[${last}]*s${k}_${d}` : `i${d}*s${k}_${d}`);
    L.push(`int64_t o${k}=${terms.join("+")};`);
  }
  L.push(body.before ?? "");
  L.push(body.head ?? `for(int64_t i${last}=lo[${last}];i${last}<${hiName}[${last}];i${last}++){`);
  L.push(body.inner);
  L.push(advance(nargs, last));
  L.push("}");
  L.push(body.after ?? "");
  for (let d = 0; d < last; d++) L.push("}");
  return L.join("\n");
}

/**
 * Kernel prologue. Accessors listed in `unit` walk their innermost dim with stride 1: that
 * stride becomes a compile-time constant, which is what lets gcc vectorise the loop.
 */
function header(dtypes: DTypeName[], ndim: number, unit: readonly boolean[] = []): string {
  const n = dtypes.length;
  const L: string[] = [];
  dtypes.forEach((d, k) => L.push(`typedef ${CTYPE[d]} T${k};`));
  const params = dtypes.map((_, k) => `void* restrict d${k}`).join(",");
  L.push(`void kernel(${params}${n ? "," : ""}const int64_t* restrict M,const double* restrict SF,const int64_t* restrict SI){`);
  L.push("(void)SF;(void)SI;");
  let m = 0;
  for (let k = 0; k < n; k++) {
    L.push(`const int64_t off${k}=M[${m++}];`);
    for (let d = 0; d < ndim; d++, m++) L.push(d === ndim - 1 && unit[k] ? `const int64_t s${k}_${d}=1;` : `const int64_t s${k}_${d}=M[${m}];`);
  }
  L.push(`const int64_t* lo=M+${m};const int64_t* hi=M+${m + ndim};(void)lo;(void)hi;`);
  return L.join("\n");
}

/** A call into the vector math library (exp, log, trigonometric, …, and their float forms expf, logf, …) in generated code. */
const LIBM_CALL =
  /\b(exp|exp2|expm1|log|log2|log10|log1p|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|pow|powpy|hypot|cbrt)f?\(/;

/** Map kernel in C: accessors are outputs then inputs, as in the JS generator. */
export function mapKernelC(ndim: number, outputs: { dtype: DTypeName; expr: Expr }[], inputs: DTypeName[], unit: readonly boolean[] = []): string {
  const nOut = outputs.length;
  const em = new CEmitter((arg) => elem(nOut + arg, `o${nOut + arg}`));
  const stores = outputs.map((o, k) => `${elem(k, `o${k}`)}=${em.expr(o.expr)};`);
  const dtypes = [...outputs.map((o) => o.dtype), ...inputs];
  const inner = em.body.join("") + stores.join("");
  const w = DTYPES[outputs[0].dtype].itemsize;
  // Streaming stores (kernel.h) need contiguous rows of outputs of one item size; they pay
  // where memory is the bound, not where math library calls are (measured: Black-Scholes
  // float64 4-12% slower through the block buffers, its stores a small part of its time).
  if (ndim === 0 || outputs.some((o, k) => !unit[k] || DTYPES[o.dtype].itemsize !== w) || LIBM_CALL.test(inner))
    return `${prelude()}\n${header(dtypes, ndim, unit)}\n${loopNest(ndim, dtypes.length, { inner })}\n}\n`;
  const last = ndim - 1,
    nargs = dtypes.length,
    B = STREAM_BLOCK;
  const lane = laneEmitter(nOut, last);
  const vals = outputs.map((o) => lane.expr(o.expr));
  const at = (k: number) => `(uintptr_t)&${elem(k, `o${k}`)}`;
  const size = Array.from({ length: ndim }, (_, d) => `(hi[${d}]-lo[${d}])`).join("*");
  // Output 0 is brought to a 64-byte boundary; another output is streamed too where it
  // reaches one at the same element (a fixed distance along the row), else copied plainly.
  const store = (k: number) =>
    k === 0
      ? "tessera_stream(&" + elem(0, "o0") + ",b0,sizeof b0);"
      : `if(a${k})tessera_stream(&${elem(k, `o${k}`)},b${k},sizeof b${k});else __builtin_memcpy(&${elem(k, `o${k}`)},b${k},sizeof b${k});`;
  const before =
    `int64_t i${last}=lo[${last}];` +
    `if(stream){` +
    `for(;i${last}<hi[${last}]&&(${at(0)}&63);i${last}++){${inner}${advance(nargs, last)}}` +
    outputs
      .slice(1)
      .map((_, j) => `const int a${j + 1}=((${at(j + 1)}-${at(0)})&63)==0;`)
      .join("") +
    `for(;i${last}+${B}<=hi[${last}];i${last}+=${B}){` +
    outputs.map((_, k) => `T${k} b${k}[${B}] __attribute__((aligned(64)));`).join("") +
    `for(int64_t j=0;j<${B};j++){${lane.body.join("")}${vals.map((v, k) => `b${k}[j]=${v};`).join("")}}` +
    outputs.map((_, k) => store(k)).join("") +
    `${advance(nargs, last, `${B}*`)}}}`;
  return [
    prelude(),
    header(dtypes, ndim, unit),
    `const int stream=(${size})*${w * nOut}>=TESSERA_STREAM_MIN;`,
    loopNest(ndim, nargs, { before, head: `for(;i${last}<hi[${last}];i${last}++){`, inner }),
    "if(stream)tessera_stream_fence();",
    "}\n",
  ].join("\n");
}

/** Elements per streamed block: a multiple of 32 bytes for every item size. */
const STREAM_BLOCK = 256;

/**
 * Reduction kernel in C. Same contract as the JS one: initialise this point's output block,
 * then fold every point in; float sums accumulate in double within a row. argmin/argmax (not
 * of complex values) also keep the winner's index: `X` (after lo and hi in M) holds each dim's
 * weight in the row-major index over the reduced dims.
 */
export function reduceKernelC(
  ndim: number,
  op: ReduceOp,
  acc: DTypeName,
  value: Expr,
  inputs: DTypeName[],
  reduced: readonly boolean[],
  unit: readonly boolean[] = [],
): string | null {
  if (op === "argmin" || op === "argmax") return argReduceKernelC(ndim, op, acc, value, inputs, reduced, unit);
  const em = new CEmitter((arg) => elem(1 + arg, `o${1 + arg}`));
  const v = em.expr(value);
  const accT = isF(acc) && (op === "sum" || op === "prod") ? "double" : CTYPE[acc]!;
  const idn = reduceIdentity(op, acc) as number | bigint;
  const idnLit = em.literal(idn, acc);
  const U = UWIDE[acc];
  let combine: string;
  switch (op) {
    case "sum":
      combine = isF(acc) ? `acc+=${v};` : acc === "bool" ? `acc|=${v};` : `acc=(${accT})((${U})acc+(${U})${v});`;
      break;
    case "prod":
      combine = isF(acc) ? `acc*=${v};` : acc === "bool" ? `acc&=${v};` : `acc=(${accT})((${U})acc*(${U})${v});`;
      break;
    case "max":
      combine = isF(acc) ? `if(acc==acc&&(${v}>acc||${v}!=${v}))acc=${v};` : `if(${v}>acc)acc=${v};`;
      break;
    case "min":
      combine = isF(acc) ? `if(acc==acc&&(${v}<acc||${v}!=${v}))acc=${v};` : `if(${v}<acc)acc=${v};`;
      break;
    case "all":
      combine = `acc&=(${v}!=0);`;
      break;
    case "any":
      combine = `acc|=(${v}!=0);`;
      break;
  }
  const dtypes = [acc, ...inputs];
  const L = [prelude(), header(dtypes, ndim, unit), `${accT} acc;`, initOutputs(ndim, reduced, 1, `${elem(0, "o0")}=${idnLit};`)];
  const body = em.body.join("");
  if (ndim > 0 && reduced[ndim - 1] && op === "sum" && isF(acc)) {
    // Values are computed a block at a time into a local buffer (a plain map loop that gcc
    // vectorises, exp/log included, through libmvec), then folded into eight independent
    // partial sums: no single dependency chain, and nothing is reassociated behind our back.
    // Values without library calls use blocks of 8, which gcc keeps in registers (measured:
    // a plain sum ~1.4x faster than through a 256-element buffer).
    const last = ndim - 1,
      nargs = dtypes.length;
    const lane = laneEmitter(1, last);
    const val = lane.expr(value);
    const B = LIBM_CALL.test(lane.body.join("") + val) ? 256 : 8;
    const step = advance(nargs, last, `${B}*`);
    L.push(
      loopNest(ndim, nargs, {
        before:
          `double p0=0,p1=0,p2=0,p3=0,p4=0,p5=0,p6=0,p7=0;acc=${elem(0, "o0")};int64_t i${last}=lo[${last}];` +
          `for(;i${last}+${B}<=hi[${last}];i${last}+=${B}){double buf[${B}];` +
          `for(int64_t j=0;j<${B};j++){${lane.body.join("")}buf[j]=${val};}` +
          `for(int j=0;j<${B};j+=8){p0+=buf[j];p1+=buf[j+1];p2+=buf[j+2];p3+=buf[j+3];p4+=buf[j+4];p5+=buf[j+5];p6+=buf[j+6];p7+=buf[j+7];}` +
          `${step}}`,
        head: `for(;i${last}<hi[${last}];i${last}++){`,
        inner: body + combine,
        after: `${elem(0, "o0")}=(T0)(acc+(((p0+p1)+(p2+p3))+((p4+p5)+(p6+p7))));`,
      }),
    );
  } else L.push(foldLoops(ndim, reduced, dtypes.length, `acc=${elem(0, "o0")};`, body + combine, `${elem(0, "o0")}=(T0)acc;`));
  L.push("}");
  return L.join("\n");
}

/** The identity written over this point's output block: kept dims walk it, reduced dims stay at lo. */
function initOutputs(ndim: number, reduced: readonly boolean[], nOut: number, inner: string): string {
  const flags = reduced.map((r) => (r ? 1 : 0)).join(",");
  const ihi = ndim > 0 ? `const int R[${ndim}]={${flags}};int64_t ihi[${ndim}];for(int d=0;d<${ndim};d++)ihi[d]=R[d]?lo[d]+1:hi[d];\n` : "";
  return `${ihi}{${loopNest(ndim, nOut, { inner }, ndim > 0 ? "ihi" : "hi")}}`;
}

/**
 * Every point folded in: the accumulator is loaded, folded and stored once per row when the
 * innermost dim is reduced, else once per element.
 */
function foldLoops(ndim: number, reduced: readonly boolean[], nargs: number, load: string, inner: string, store: string): string {
  if (ndim > 0 && reduced[ndim - 1]) return loopNest(ndim, nargs, { before: load, inner, after: store });
  return loopNest(ndim, nargs, { inner: load + inner + store });
}

/**
 * argmin/argmax in C, as the JS kernel: points are visited in increasing index order and
 * only a strictly better value (or a first NaN, which then sticks) replaces the winner, so
 * the first occurrence wins. Complex and float16 values stay in JS.
 */
function argReduceKernelC(
  ndim: number,
  op: "argmin" | "argmax",
  acc: DTypeName,
  value: Expr,
  inputs: DTypeName[],
  reduced: readonly boolean[],
  unit: readonly boolean[],
): string | null {
  if (DTYPES[acc].isComplex || acc === "float16") return null;
  const em = new CEmitter((arg) => elem(2 + arg, `o${2 + arg}`));
  const v = em.expr(value);
  const better = op === "argmax" ? ">" : "<";
  const wins = isF(acc) ? `accX<0||(acc==acc&&(${v}${better}acc||${v}!=${v}))` : `accX<0||${v}${better}acc`;
  const idx = Array.from({ length: ndim }, (_, d) => `i${d}*X[${d}]`).join("+") || "0";
  const combine = `{const int64_t idx=${idx};if(${wins}){acc=${v};accX=idx;}}`;
  const dtypes: DTypeName[] = [acc, "int64", ...inputs];
  const init = `${elem(0, "o0")}=${em.literal(reduceIdentity(op, acc) as number | bigint, acc)};${elem(1, "o1")}=-1;`;
  const load = `acc=${elem(0, "o0")};accX=${elem(1, "o1")};`,
    store = `${elem(0, "o0")}=(T0)acc;${elem(1, "o1")}=accX;`;
  const L = [
    prelude(),
    header(dtypes, ndim, unit),
    `const int64_t* X=hi+${ndim};(void)X;`,
    `${CTYPE[acc]} acc;int64_t accX;`,
    initOutputs(ndim, reduced, 2, init),
    foldLoops(ndim, reduced, dtypes.length, load, em.body.join("") + combine, store),
  ];
  L.push("}");
  return L.join("\n");
}
