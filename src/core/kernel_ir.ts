import { DTypeName } from "./dtype.js";

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
  | { k: "where"; c: Expr; a: Expr; b: Expr; dtype: DTypeName };

/** Floored division and modulo (result takes the divisor's sign); `rem` truncates like C. */
export type BinaryFn =
  | "add" | "sub" | "mul" | "div" | "floordiv" | "mod" | "pow"
  | "max" | "min" | "eq" | "ne" | "lt" | "le" | "gt" | "ge"
  | "and" | "or" | "xor" | "shl" | "shr" | "atan2" | "hypot";

export type UnaryFn =
  | "neg" | "abs" | "sign" | "exp" | "expm1" | "log" | "log1p" | "log2" | "log10" | "sqrt"
  | "sin" | "cos" | "tan" | "arcsin" | "arccos" | "arctan" | "sinh" | "cosh" | "tanh"
  | "floor" | "ceil" | "trunc" | "rint" | "not" | "invert" | "isnan" | "isinf" | "isfinite"
  | "square" | "reciprocal" | "real" | "imag" | "conj";

export type ReduceOp = "sum" | "prod" | "min" | "max" | "argmin" | "argmax" | "all" | "any";

export const COMPARISONS: ReadonlySet<BinaryFn> = new Set(["eq", "ne", "lt", "le", "gt", "ge"]);
/** Unary functions whose result is bool whatever the operand. */
export const PREDICATES: ReadonlySet<UnaryFn> = new Set(["isnan", "isinf", "isfinite"]);

// Builders keep library code short and every node well-typed.
export const load = (arg: number, dtype: DTypeName): Expr => ({ k: "load", arg, dtype });
export const scalar = (index: number, dtype: DTypeName): Expr => ({ k: "scalar", index, dtype });
export const constant = (value: number | bigint | boolean, dtype: DTypeName): Expr => ({ k: "const", value, dtype });
export const index = (dim: number, dtype: DTypeName = "int64"): Expr => ({ k: "index", dim, dtype });
export const cast = (x: Expr, dtype: DTypeName): Expr => (x.dtype === dtype ? x : { k: "cast", x, dtype });
export const unary = (fn: UnaryFn, x: Expr, dtype: DTypeName = x.dtype): Expr => ({ k: "unary", fn, x, dtype });
export const binary = (fn: BinaryFn, a: Expr, b: Expr, dtype: DTypeName = COMPARISONS.has(fn) ? "bool" : a.dtype): Expr =>
  ({ k: "binary", fn, a, b, dtype });
export const where = (c: Expr, a: Expr, b: Expr): Expr => ({ k: "where", c, a, b, dtype: a.dtype });

/** A stable text form of an expression: the cache key of generated kernels. */
export function signature(e: Expr): string {
  switch (e.k) {
    case "load": return `L${e.arg}:${e.dtype}`;
    case "const": return `C(${typeof e.value === "object" ? `${e.value.re},${e.value.im}` : String(e.value)}):${e.dtype}`;
    case "scalar": return `S${e.index}:${e.dtype}`;
    case "index": return `I${e.dim}:${e.dtype}`;
    case "cast": return `cast(${signature(e.x)}):${e.dtype}`;
    case "unary": return `${e.fn}(${signature(e.x)}):${e.dtype}`;
    case "binary": return `${e.fn}(${signature(e.a)},${signature(e.b)}):${e.dtype}`;
    case "where": return `where(${signature(e.c)},${signature(e.a)},${signature(e.b)}):${e.dtype}`;
  }
}

/** The highest load/scalar index used, to check launches against their arguments. */
export function maxIndex(e: Expr, kind: "load" | "scalar"): number {
  switch (e.k) {
    case "load": return kind === "load" ? e.arg : -1;
    case "scalar": return kind === "scalar" ? e.index : -1;
    case "const": case "index": return -1;
    case "cast": case "unary": return maxIndex(e.x, kind);
    case "binary": return Math.max(maxIndex(e.a, kind), maxIndex(e.b, kind));
    case "where": return Math.max(maxIndex(e.c, kind), maxIndex(e.a, kind), maxIndex(e.b, kind));
  }
}
