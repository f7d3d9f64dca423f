/**
 * The methods and attributes of NumPy's ufunc objects: `np.add.reduce`, `.accumulate`,
 * `.outer`, `.at`, `.reduceat`, and `.nin`, `.nout`, `.nargs`, `.identity`, `.ntypes`,
 * `.types`, attached to every ufunc exported by ufuncs.ts.
 *
 * add/multiply/minimum/maximum/logical_and/logical_or reduce and accumulate through the
 * library's reductions and scans (sum, prod, min, max, all, any; cumsum, cumprod). The other
 * associative, exact ufuncs (the bitwise ones, logical_xor, and maximum/minimum scans) fold
 * pairwise in log2(n) elementwise launches; the rest (subtract, divide, power, …) fold in
 * NumPy's order, one elementwise launch per step along the axis.
 */
import { DTYPES, type DType, type ReduceOp } from "../core/index.js";
import { def } from "./signature.js";
import { arg, conv, unsupported } from "./param_types.js";
import { ndarray } from "./ndarray.js";
import { asarray, isWeakScalar } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { IndexError, ValueError, normalizeAxis } from "./errors.js";
import { Slice } from "./indexing.js";
import { broadcast_to, moveaxis, ravel } from "./array_manipulation.js";
import { arange } from "./creation_ranges.js";
import { full } from "./creation_shape.js";
import { astype } from "./copy.js";
import { applyUfunc } from "./ufunc.js";
import type { UfuncDef } from "./ufunc.js";
import { normalizeAxes, reduceWith, sumDType, keepShape } from "./reduction.js";
import { cumprod, cumsum } from "./math_sum_prod_diff.js";
import { DEFS } from "./ufunc_defs.js";
import * as ufuncs from "./ufuncs.js";
import * as misc from "./math_misc.js";
import type { WeakScalar } from "./dtypes.js";

type DefName = keyof typeof DEFS;

/** The library reduction each ufunc's reduce is, where there is one. */
const REDUCTIONS: Partial<Record<DefName, [ReduceOp, (d: DType) => DType]>> = {
  add: ["sum", sumDType],
  multiply: ["prod", sumDType],
  minimum: ["min", (d) => d],
  maximum: ["max", (d) => d],
  logical_and: ["all", () => DTYPES.bool],
  logical_or: ["any", () => DTYPES.bool],
};
/** Associative and exact: any grouping gives NumPy's result (a pairwise fold). */
const ASSOCIATIVE = new Set<DefName>([
  "bitwise_and",
  "bitwise_or",
  "bitwise_xor",
  "logical_xor",
  "logical_and",
  "logical_or",
  "maximum",
  "minimum",
  "gcd",
]);
/** Ufuncs whose reductions may reorder elements (several axes at once): NumPy's, those with an identity and maximum/minimum. */
const REORDERABLE = new Set<DefName>([...ASSOCIATIVE, "add", "multiply", "hypot", "logaddexp", "logaddexp2"]);
/** NumPy's ufunc.identity (None for the others). */
const IDENTITY: Partial<Record<DefName, number | boolean>> = {
  add: 0,
  multiply: 1,
  logical_and: true,
  logical_or: false,
  logical_xor: false,
  bitwise_and: -1,
  bitwise_or: 0,
  bitwise_xor: 0,
  hypot: 0,
  logaddexp: Number.NEGATIVE_INFINITY,
  logaddexp2: Number.NEGATIVE_INFINITY,
  gcd: 0,
};

/** The dtype characters NumPy's `types` lists use. */
const CHARS: Record<string, string> = {
  bool: "?",
  int8: "b",
  uint8: "B",
  int16: "h",
  uint16: "H",
  int32: "i",
  uint32: "I",
  int64: "l",
  uint64: "L",
  float16: "e",
  float32: "f",
  float64: "d",
  complex64: "F",
  complex128: "D",
};

/** The loops this library has for a ufunc, in NumPy's notation ("dd->d"): one per input dtype that has a loop of its own. */
function loopTypes(d: UfuncDef, nin: number): string[] {
  if (d.types) return [...d.types];
  const out: string[] = [];
  for (const [name, c] of Object.entries(CHARS)) {
    const dt = DTYPES[name as keyof typeof DTYPES];
    try {
      const l = d.loop(
        dt,
        Array.from({ length: nin }, () => dt),
      );
      if (l.in !== dt) continue;
      out.push(`${c.repeat(nin)}->${CHARS[l.out.name]}`);
    } catch {
      // no loop for this dtype
    }
  }
  return out;
}

/** The result dtype of a binary ufunc's reduction (or accumulation) over `d`, with NumPy's error where the loop cannot feed itself. */
function foldType(name: DefName, d: DType): DType {
  const l = DEFS[name].loop(d, [d, d]);
  // NumPy's message on a fresh start (once its dispatch cache has seen mixed loops, it words it differently).
  if (l.out !== l.in) throw new TypeError(`No loop matching the specified signature and casting was found for ufunc ${name}`);
  return l.out;
}

/** f(x, y) of one binary ufunc, in `dt`. */
const apply2 = (name: DefName, x: ndarray, y: ndarray | ArrayLike, dt?: DType): ndarray =>
  applyUfunc(DEFS[name], [x, y], dt ? { dtype: dt } : {}) as ndarray;

/** Fold the first axis of `x` (length n >= 1) with a binary ufunc: pairwise when associative, else in order (from `start` when given). */
function foldFirst(name: DefName, x: ndarray, dt: DType, start?: ndarray): ndarray {
  let cur = astype(x, dt);
  if (ASSOCIATIVE.has(name)) {
    while (cur.shape[0] > 1) {
      const n = cur.shape[0],
        h = Math.floor(n / 2);
      const next = apply2(name, cur.get(new Slice(0, h)), cur.get(new Slice(h, 2 * h)), dt);
      if (n % 2 === 1) next.set(0, apply2(name, next.get(0), cur.get(n - 1), dt));
      cur = next;
    }
    return cur.get(0);
  }
  let acc = start ?? cur.get(0);
  for (let i = start ? 0 : 1; i < cur.shape[0]; i++) acc = apply2(name, acc, cur.get(i), dt);
  return acc;
}

/** ufunc.reduce for a binary ufunc. */
function reduce_(
  name: DefName,
  p: {
    array: ArrayLike;
    axis: number | number[] | null;
    dtype: DType | null;
    out: ndarray | null;
    keepdims: boolean;
    initial?: unknown;
    where: ArrayLike;
  },
): ndarray {
  const { keepdims, initial, where } = p;
  const a = asarray(p.array);
  // The loop is resolved before the axes are looked at (NumPy's order of errors).
  const dt = REDUCTIONS[name] ? (p.dtype ?? a.dtype) : foldType(name, p.dtype ?? a.dtype);
  const multiple = p.axis === null || (Array.isArray(p.axis) && p.axis.length > 1);
  if (multiple && !REORDERABLE.has(name) && a.ndim > 1)
    throw new ValueError(`reduction operation '${name}' is not reorderable, so at most one axis may be specified`);
  const red = REDUCTIONS[name];
  if (red) {
    const [op, acc] = red;
    return reduceWith(op, acc, { a, axis: p.axis, dtype: p.dtype, out: p.out, keepdims, initial, where });
  }
  if (where !== true) unsupported(`${name}.reduce`, "where=");
  const axes = normalizeAxes(p.axis, a.ndim);
  // Reduced axes first, flattened into one: each fold step is one elementwise launch.
  const kept = a.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const keptShape = kept.map((d) => a.shape[d]);
  const n = axes.reduce((s, d) => s * a.shape[d], 1);
  const t = a.transpose([...axes, ...kept]);
  let r: ndarray;
  if (n === 0 || initial !== undefined) {
    const start = initial ?? IDENTITY[name];
    if (start === undefined || start === null) {
      if (n === 0) throw new ValueError(`zero-size array to reduction operation ${name} which has no identity`);
      r = foldFirst(name, astype(t, dt).reshape([n, ...keptShape]), dt);
    } else {
      r = full(keptShape, start as WeakScalar, { dtype: dt });
      if (n > 0) r = foldFirst(name, astype(t, dt).reshape([n, ...keptShape]), dt, r);
    }
  } else r = foldFirst(name, astype(t, dt).reshape([n, ...keptShape]), dt);
  if (keepdims) r = r.reshape(keepShape(a.shape, axes));
  if (!p.out) return r;
  p.out.set("...", r);
  return p.out;
}

/** ufunc.accumulate for a binary ufunc. */
function accumulate_(name: DefName, p: { array: ArrayLike; axis: number | null; dtype: DType | null; out: ndarray | null }): ndarray {
  const a = asarray(p.array);
  if (a.ndim === 0) throw new TypeError("cannot accumulate on a scalar");
  if (p.axis === null) throw new ValueError("accumulate does not allow multiple axes");
  const axis = normalizeAxis(p.axis, a.ndim);
  if (name === "add") return cumsum(a, axis, p.dtype, p.out);
  if (name === "multiply") return cumprod(a, axis, p.dtype, p.out);
  const dt = foldType(name, p.dtype ?? a.dtype);
  const work = astype(moveaxis(a, axis, 0), dt);
  const n = work.shape[0];
  if (ASSOCIATIVE.has(name)) {
    // Hillis-Steele: after the step of width k, each element folds the 2k before it.
    for (let k = 1; k < n; k *= 2) work.set(new Slice(k, null), apply2(name, work.get(new Slice(k, null)), work.get(new Slice(0, n - k)), dt));
  } else {
    for (let i = 1; i < n; i++) work.set(i, apply2(name, work.get(i - 1), work.get(i), dt));
  }
  const r = moveaxis(work, 0, axis);
  if (!p.out) return r;
  if (p.out.shape.join() !== r.shape.join()) throw new ValueError("provided out is the wrong size for the accumulation.");
  p.out.set("...", r);
  return p.out;
}

/** Integer indices read on the host (reduceat's and at's, small by nature). */
function hostInts(x: ndarray): number[] {
  return (x.flatValues() as (number | bigint)[]).map((v) => Number(v));
}

/** ufunc.reduceat: reductions over the slices [indices[i], indices[i+1]) along axis (a single element where the next index is not larger). */
function reduceat_(name: DefName, p: { array: ArrayLike; indices: ArrayLike; axis: number; dtype: DType | null; out: ndarray | null }): ndarray {
  const a = asarray(p.array);
  const axis = normalizeAxis(p.axis, a.ndim);
  const ind = asarray(p.indices);
  if (!ind.dtype.isInteger)
    throw new TypeError(`Cannot cast array data from dtype('${ind.dtype.name}') to dtype('int64') according to the rule 'safe'`);
  const idx = hostInts(ravel(ind));
  const n = a.shape[axis];
  for (const i of idx) if (i < 0 || i >= n) throw new IndexError(`index ${i} out-of-bounds in ${name}.reduceat [0, ${n})`);
  const moved = moveaxis(a, axis, 0);
  const red = REDUCTIONS[name];
  const dt = p.dtype ?? (red ? red[1](a.dtype) : foldType(name, a.dtype));
  const out = full([idx.length, ...moved.shape.slice(1)], 0, { dtype: dt });
  idx.forEach((lo, k) => {
    const hi = k + 1 < idx.length ? idx[k + 1] : n;
    const part = hi > lo ? moved.get(new Slice(lo, hi)) : moved.get(new Slice(lo, lo + 1));
    out.set(k, reduce_(name, { array: part, axis: 0, dtype: dt, out: null, keepdims: false, where: true }));
  });
  const r = moveaxis(out, 0, axis);
  if (!p.out) return r;
  p.out.set("...", r);
  return p.out;
}

/** One index item of at(): an index array, or a tuple (a JS array holding ndarrays, slices, null or strings). */
function atIndex(indices: unknown): unknown[] {
  const isTuple = Array.isArray(indices) && indices.some((x) => x instanceof ndarray || x instanceof Slice || x === null || typeof x === "string");
  return isTuple ? (indices as unknown[]) : [indices];
}

/**
 * ufunc.at(a, indices, b=None): a[indices] = ufunc(a[indices], b) without buffering, so a
 * repeated index applies once per occurrence: the occurrences are applied in rounds, each
 * round a gather, one ufunc launch and a scatter over distinct positions.
 */
function at_(name: DefName, nin: number, a: unknown, indices: unknown, b: unknown): void {
  if (!(a instanceof ndarray)) throw new TypeError("first operand must be array");
  if (nin === 2 && b === null) throw new ValueError("second operand needed for ufunc");
  if (nin === 1 && b !== null) throw new ValueError("second operand provided when ufunc is unary");
  const positions = arange(a.size)
    .reshape(a.shape)
    .get(...(atIndex(indices) as never[]));
  const flat = hostInts(ravel(positions));
  const bs = b === null ? null : isWeakScalar(b) ? null : ravel(broadcast_to(asarray(b as ArrayLike), positions.shape));
  // Round r takes the r-th occurrence of every position.
  const seen = new Map<number, number>();
  const rounds: number[][] = [];
  flat.forEach((pos, k) => {
    const r = seen.get(pos) ?? 0;
    seen.set(pos, r + 1);
    (rounds[r] ??= []).push(k);
  });
  const coordsOf = (ps: number[]): ndarray[] => {
    const strides = a.shape.map((_, d) => a.shape.slice(d + 1).reduce((s, n) => s * n, 1));
    return a.shape.map((n, d) => asarray(ps.map((q) => Math.floor(q / strides[d]) % n)).astype(DTYPES.int64));
  };
  for (const ks of rounds) {
    const coords = coordsOf(ks.map((k) => flat[k]));
    const cur = a.get(...coords);
    const operand = b === null ? null : bs ? bs.get(asarray(ks).astype(DTYPES.int64)) : (b as ArrayLike);
    const r = applyUfunc(DEFS[name], operand === null ? [cur] : [cur, operand]);
    a.set(...coords, astype(r, a.dtype));
  }
}

/** ufunc.outer(A, B, **kwargs): the ufunc of every pair, shape A.shape + B.shape. */
function outer_(fn: (...args: unknown[]) => unknown, A: ArrayLike, B: ArrayLike, kwargs: Record<string, unknown>): ndarray {
  const x = asarray(A),
    y = asarray(B);
  const xe = x.reshape([...x.shape, ...y.shape.map(() => 1)]);
  return fn(xe, y, kwargs) as ndarray;
}

const AXIS_OR_AXES = arg.axes;
const ANY = conv<unknown>((v): unknown => v);
/** ufunc.reduce's signature, for the ufuncs that reduce and those that refuse to. */
const REDUCE_SIG = "array, /, axis=0, dtype=None, out=None, keepdims=False, initial=<no value>, where=True";
const REDUCE_ARGS = { array: arg.array, axis: AXIS_OR_AXES, dtype: arg.dtype, out: arg.out, keepdims: arg.bool, initial: ANY, where: arg.array };

/** The methods and attributes of one ufunc object. */
export function ufuncMethods(name: DefName, fn: (...args: unknown[]) => unknown, nin: number) {
  const binaryOnly = (what: string) => {
    if (nin !== 2) throw new ValueError(`${what} only supported for binary functions`);
  };
  const d = DEFS[name];
  const types = loopTypes(d, nin);
  return {
    nin,
    nout: 1,
    nargs: nin + 1,
    identity: (IDENTITY[name] ?? null) as number | boolean | null,
    ntypes: types.length,
    types,
    /** ufunc.reduce(array, axis=0, dtype=None, out=None, *, keepdims, initial, where). */
    reduce: def("reduce", REDUCE_SIG, REDUCE_ARGS, (p): ndarray => {
      binaryOnly("reduce");
      return reduce_(name, p);
    }),
    /** ufunc.accumulate(array, axis=0, dtype=None, out=None): the running reduction. */
    accumulate: def(
      "accumulate",
      "array, /, axis=0, dtype=None, out=None",
      { array: arg.array, axis: arg.axisC, dtype: arg.dtype, out: arg.out },
      (p): ndarray => {
        binaryOnly("accumulate");
        return accumulate_(name, p);
      },
    ),
    /** ufunc.outer(A, B, **kwargs): the ufunc over every pair of elements. */
    outer: def("outer", "A, B, /, **kwargs", { A: arg.array, B: arg.array, kwargs: ANY }, (p): ndarray => {
      if (nin !== 2) throw new ValueError("outer product only supported for binary functions");
      return outer_(fn, p.A, p.B, p.kwargs);
    }),
    /** ufunc.at(a, indices, b=None): unbuffered in-place application at `indices`. */
    at: def("at", "a, indices, b=None, /", { a: ANY, indices: ANY, b: ANY }, (p): void => at_(name, nin, p.a, p.indices, p.b)),
    /** ufunc.reduceat(array, indices, axis=0, dtype=None, out=None): reductions over slices. */
    reduceat: def(
      "reduceat",
      "array, /, indices, axis=0, dtype=None, out=None",
      { array: arg.array, indices: arg.array, axis: arg.cint, dtype: arg.dtype, out: arg.out },
      (p): ndarray => {
        binaryOnly("reduceat");
        return reduceat_(name, p);
      },
    ),
  };
}
/** What every ufunc object carries besides being callable. */
export type UfuncMethods = ReturnType<typeof ufuncMethods>;

// Attach to every exported ufunc (aliases such as true_divide share their ufunc's object).
for (const name of Object.keys(DEFS) as DefName[]) {
  const fn = (ufuncs as unknown as Record<string, ((...args: unknown[]) => unknown) & { signature: { params: readonly { kind: string }[] } }>)[name];
  if (!fn) continue;
  const nin = fn.signature.params.filter((q) => q.kind === "POSITIONAL_ONLY").length;
  for (const [k, v] of Object.entries(ufuncMethods(name, fn, nin))) Object.defineProperty(fn, k, { value: v, enumerable: true });
}

/**
 * The ufunc attributes and methods of NumPy's two-output ufuncs (frexp, modf, divmod): no
 * reductions (NumPy's errors), outer for the binary one, and no at().
 */
function twoOutputMethods(fn: (...args: unknown[]) => unknown, nin: number, types: string[]) {
  const refuse = (what: string): never => {
    throw new ValueError(nin === 2 ? `${what} only supported for functions returning a single value` : `${what} only supported for binary functions`);
  };
  return {
    nin,
    nout: 2,
    nargs: nin + 2,
    identity: null as number | boolean | null,
    ntypes: types.length,
    types,
    /** ufunc.reduce: NumPy's error (two outputs). */
    reduce: def("reduce", REDUCE_SIG, REDUCE_ARGS, (): ndarray => refuse("reduce")),
    /** ufunc.accumulate: NumPy's error (two outputs). */
    accumulate: def(
      "accumulate",
      "array, /, axis=0, dtype=None, out=None",
      { array: arg.array, axis: arg.axisC, dtype: arg.dtype, out: arg.out },
      (): ndarray => refuse("accumulate"),
    ),
    /** ufunc.outer(A, B, **kwargs): both outputs over every pair (binary ufuncs only). */
    outer: def("outer", "A, B, /, **kwargs", { A: arg.array, B: arg.array, kwargs: ANY }, (p): ndarray[] => {
      if (nin !== 2) throw new ValueError("outer product only supported for binary functions");
      const x = asarray(p.A),
        y = asarray(p.B);
      return fn(x.reshape([...x.shape, ...y.shape.map(() => 1)]), y, p.kwargs) as ndarray[];
    }),
    /** ufunc.at: NumPy's error (two outputs). */
    at: def("at", "a, indices, b=None, /", { a: ANY, indices: ANY, b: ANY }, (): void => {
      throw new ValueError("Only single output ufuncs supported at this time");
    }),
    /** ufunc.reduceat: NumPy's error (two outputs). */
    reduceat: def(
      "reduceat",
      "array, /, indices, axis=0, dtype=None, out=None",
      { array: arg.array, indices: arg.array, axis: arg.cint, dtype: arg.dtype, out: arg.out },
      (): ndarray => refuse("reduceat"),
    ),
  };
}
const FLOAT_CHARS = ["e", "f", "d"];
const INT_FLOAT_CHARS = ["b", "B", "h", "H", "i", "I", "l", "L", "e", "f", "d"];
for (const [fn, nin, types] of [
  [misc.frexp, 1, FLOAT_CHARS.map((c) => `${c}->${c}i`)],
  [misc.modf, 1, FLOAT_CHARS.map((c) => `${c}->${c}${c}`)],
  [misc.divmod, 2, INT_FLOAT_CHARS.map((c) => `${c}${c}->${c}${c}`)],
] as const) {
  for (const [k, v] of Object.entries(twoOutputMethods(fn as unknown as (...args: unknown[]) => unknown, nin, [...types])))
    Object.defineProperty(fn, k, { value: v, enumerable: true });
}
