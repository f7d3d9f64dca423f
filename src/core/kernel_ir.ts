import { DTYPES, type DTypeName } from "./dtype.js";

/**
 * The core's kernel IR: a small expression language from which every backend generates
 * its own code. Libraries describe elementwise work and reductions with it, so the runtime
 * can fuse, cache and compile them (JS today; C, WGSL and CUDA from the same trees).
 *
 * Each node carries the dtype of its value. Operands of arithmetic nodes already have the
 * node's dtype (libraries insert casts), except comparisons (operands share a dtype, result
 * is bool) and `where` (condition is bool). Integer arithmetic wraps like C; floats are IEEE.
 */
export type Expr =
  | { k: "load"; arg: number; dtype: DTypeName }
  | { k: "const"; value: number | bigint | boolean | { re: number; im: number }; dtype: DTypeName }
  | { k: "scalar"; index: number; dtype: DTypeName }
  | { k: "index"; dim: number; dtype: DTypeName }
  | { k: "cast"; x: Expr; dtype: DTypeName }
  | { k: "unary"; fn: UnaryFn; x: Expr; dtype: DTypeName }
  | { k: "binary"; fn: BinaryFn; a: Expr; b: Expr; dtype: DTypeName }
  | { k: "where"; c: Expr; a: Expr; b: Expr; dtype: DTypeName }
  // Runtime-internal leaves of not-yet-launched (lazy) expressions: an argument named by
  // object and a scalar by value. They are replaced by load/scalar before any backend sees them.
  | { k: "ref"; ref: object; dtype: DTypeName }
  | { k: "value"; value: unknown; dtype: DTypeName };

/** Floored division and modulo (result takes the divisor's sign); `rem` truncates like C. */
export type BinaryFn =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "floordiv"
  | "mod"
  | "pow"
  | "max"
  | "min"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "and"
  | "or"
  | "xor"
  | "shl"
  | "shr"
  | "atan2"
  | "hypot"
  // C's fmod (truncated remainder, the dividend's sign); integers: 0 for a zero divisor.
  | "fmod"
  | "copysign"
  | "nextafter"
  // a * 2^b, b an integer-valued operand of a's float dtype (libraries clamp it to the range that matters).
  | "ldexp"
  // Integer greatest common divisor / least common multiple (NumPy's: non-negative, wrapping).
  | "gcd"
  | "lcm";

export type UnaryFn =
  | "neg"
  | "abs"
  | "sign"
  | "exp"
  | "expm1"
  | "log"
  | "log1p"
  | "log2"
  | "log10"
  | "sqrt"
  | "sin"
  | "cos"
  | "tan"
  | "arcsin"
  | "arccos"
  | "arctan"
  | "sinh"
  | "cosh"
  | "tanh"
  | "floor"
  | "ceil"
  | "trunc"
  | "rint"
  | "not"
  | "invert"
  | "isnan"
  | "isinf"
  | "isfinite"
  | "square"
  | "reciprocal"
  | "real"
  | "imag"
  | "conj"
  | "exp2"
  | "arcsinh"
  | "arccosh"
  | "arctanh"
  // Bool: the sign bit of a float (set for -0.0 and negative NaNs).
  | "signbit"
  // Set bits of |x| for an integer x; the node's dtype is the result's (uint8 for NumPy's bitwise_count).
  | "popcount"
  // The exponent e of C's frexp (x = m 2^e, 0.5 <= |m| < 1; 0 for 0, inf and NaN), an integer node.
  | "frexp_exp";

export type ReduceOp = "sum" | "prod" | "min" | "max" | "argmin" | "argmax" | "all" | "any";

export const COMPARISONS: ReadonlySet<BinaryFn> = new Set(["eq", "ne", "lt", "le", "gt", "ge"]);
/** Unary functions whose result is bool whatever the operand. */
export const PREDICATES: ReadonlySet<UnaryFn> = new Set(["isnan", "isinf", "isfinite", "signbit"]);

// Builders keep library code short and every node well-typed.
export const load = (arg: number, dtype: DTypeName): Expr => ({ k: "load", arg, dtype });
export const scalar = (index: number, dtype: DTypeName): Expr => ({ k: "scalar", index, dtype });
export const constant = (value: number | bigint | boolean, dtype: DTypeName): Expr => ({ k: "const", value, dtype });
export const index = (dim: number, dtype: DTypeName = "int64"): Expr => ({ k: "index", dim, dtype });
export const cast = (x: Expr, dtype: DTypeName): Expr => (x.dtype === dtype ? x : { k: "cast", x, dtype });
const castLoads = new Map<DTypeName, Map<DTypeName, Expr>>();
/**
 * `cast(load(0, from), to)` as one shared object per pair: copies and reductions make it at
 * every call, and backends cache compiled kernels by expression object.
 */
export function castLoad(from: DTypeName, to: DTypeName): Expr {
  let byTo = castLoads.get(from);
  if (!byTo) castLoads.set(from, (byTo = new Map()));
  let e = byTo.get(to);
  if (!e) byTo.set(to, (e = cast(load(0, from), to)));
  return e;
}
export const unary = (fn: UnaryFn, x: Expr, dtype: DTypeName = x.dtype): Expr => ({ k: "unary", fn, x, dtype });
export const binary = (fn: BinaryFn, a: Expr, b: Expr, dtype: DTypeName = COMPARISONS.has(fn) ? "bool" : a.dtype): Expr => ({
  k: "binary",
  fn,
  a,
  b,
  dtype,
});
export const where = (c: Expr, a: Expr, b: Expr): Expr => ({ k: "where", c, a, b, dtype: a.dtype });

/** Children of a node, in evaluation order. */
export function children(e: Expr): Expr[] {
  switch (e.k) {
    case "cast":
    case "unary":
      return [e.x];
    case "binary":
      return [e.a, e.b];
    case "where":
      return [e.c, e.a, e.b];
    default:
      return [];
  }
}

/**
 * Visit every distinct node once, children first. Fused expressions are DAGs (one lazy
 * value read in several places is one shared node), so walks must not expand them to trees.
 */
export function visit(e: Expr, fn: (node: Expr) => void, seen = new Set<Expr>()): void {
  if (seen.has(e)) return;
  seen.add(e);
  for (const c of children(e)) visit(c, fn, seen);
  fn(e);
}

/** Number of distinct nodes. */
export function nodeCount(...roots: Expr[]): number {
  const seen = new Set<Expr>();
  for (const r of roots) visit(r, () => {}, seen);
  return seen.size;
}

/** A stable text form of one or more expressions (shared nodes numbered): the kernel cache key. */
export function signature(...roots: Expr[]): string {
  const ids = new Map<Expr, number>();
  const parts: string[] = [];
  const seen = new Set<Expr>();
  const leaf = (e: Expr): string => {
    switch (e.k) {
      case "load":
        return `L${e.arg}`;
      case "const":
        return `C(${typeof e.value === "object" ? `${e.value.re},${e.value.im}` : String(e.value)})`;
      case "scalar":
        return `S${e.index}`;
      case "index":
        return `I${e.dim}`;
      case "ref":
      case "value":
        throw new Error("kernel IR: unresolved runtime leaf");
      case "cast":
        return "cast";
      case "unary":
        return e.fn;
      case "binary":
        return e.fn;
      case "where":
        return "where";
    }
  };
  for (const r of roots) {
    visit(
      r,
      (n) => {
        ids.set(n, ids.size);
        const args = children(n)
          .map((c) => ids.get(c))
          .join(",");
        parts.push(`${leaf(n)}(${args}):${n.dtype}`);
      },
      seen,
    );
    parts.push(`=>${ids.get(r)}`);
  }
  return parts.join(";");
}

/** The highest load/scalar index used, to check launches against their arguments. */
export function maxIndex(e: Expr, kind: "load" | "scalar"): number {
  let m = -1;
  visit(e, (n) => {
    if (kind === "load" && n.k === "load") m = Math.max(m, n.arg);
    if (kind === "scalar" && n.k === "scalar") m = Math.max(m, n.index);
  });
  return m;
}

/** Whether the expression reads domain coordinates (such kernels keep their dims as they are). */
export function usesIndex(e: Expr): boolean {
  let found = false;
  visit(e, (n) => {
    if (n.k === "index") found = true;
  });
  return found;
}

/**
 * Rewrite every leaf through `leaf`, keeping shared nodes shared (one new node per old
 * one). Used to splice one expression into another (fusion).
 */
export function relocate(e: Expr, leaf: (node: Expr) => Expr, memo = new Map<Expr, Expr>()): Expr {
  const hit = memo.get(e);
  if (hit) return hit;
  let r: Expr;
  switch (e.k) {
    case "load":
    case "scalar":
    case "const":
    case "index":
    case "ref":
    case "value":
      r = leaf(e);
      break;
    case "cast":
    case "unary":
      r = { ...e, x: relocate(e.x, leaf, memo) };
      break;
    case "binary":
      r = { ...e, a: relocate(e.a, leaf, memo), b: relocate(e.b, leaf, memo) };
      break;
    case "where":
      r = { ...e, c: relocate(e.c, leaf, memo), a: relocate(e.a, leaf, memo), b: relocate(e.b, leaf, memo) };
      break;
  }
  memo.set(e, r);
  return r;
}

/** Identity element of each reduction in its accumulator dtype. */
export function reduceIdentity(op: ReduceOp, d: DTypeName): number | bigint | { re: number; im: number } {
  const big = d === "int64" || d === "uint64";
  const info = DTYPES[d];
  switch (op) {
    case "sum":
      return info.isComplex ? { re: 0, im: 0 } : big ? 0n : 0;
    case "prod":
      return info.isComplex ? { re: 1, im: 0 } : big ? 1n : 1;
    case "all":
      return 1;
    case "any":
      return 0;
    // Complex order is lexicographic: (∓inf, ∓inf) is below / above every other value.
    case "max":
    case "argmax":
      return info.isComplex ? { re: -Infinity, im: -Infinity } : lowest(d);
    case "min":
    case "argmin":
      return info.isComplex ? { re: Infinity, im: Infinity } : highest(d);
  }
}
function lowest(d: DTypeName): number | bigint {
  switch (d) {
    case "int64":
      return -(2n ** 63n);
    case "uint64":
      return 0n;
    case "bool":
    case "uint8":
    case "uint16":
    case "uint32":
      return 0;
    case "int8":
      return -128;
    case "int16":
      return -32768;
    case "int32":
      return -2147483648;
    default:
      return -Infinity;
  }
}
function highest(d: DTypeName): number | bigint {
  switch (d) {
    case "int64":
      return 2n ** 63n - 1n;
    case "uint64":
      return 2n ** 64n - 1n;
    case "bool":
      return 1;
    case "uint8":
      return 255;
    case "uint16":
      return 65535;
    case "uint32":
      return 4294967295;
    case "int8":
      return 127;
    case "int16":
      return 32767;
    case "int32":
      return 2147483647;
    default:
      return Infinity;
  }
}
