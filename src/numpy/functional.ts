import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { zeros_like } from "./creation_shape.js";
import { expand_dims, transpose } from "./array_manipulation.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv, unsupported } from "./param_types.js";
import { any } from "./logic_truth.js";
import { concatenate } from "./array_joining.js";
import { logical_not } from "./ufuncs.js";
import { empty } from "./creation_shape.js";
import { broadcast_to } from "./array_manipulation.js";
import { broadcastShapes } from "./broadcast.js";
import { DTYPES } from "../core/index.js";
import type { DType } from "../core/index.js";
import { dtype as toDType } from "./dtypes.js";
import type { DTypeLike } from "./dtypes.js";

/**
 * Functional programming (NumPy's reference section of that name): apply a JavaScript
 * function along axes or to selected elements. The function runs on the calling thread, once
 * per slice, as NumPy's Python loop calls it; what it does with the slices (NumPy calls on
 * them) runs like any other work.
 */

type Fn = (...args: never[]) => unknown;
const callable = conv<Fn>((v, r): Fn => {
  if (typeof v !== "function") throw new TypeError(`'${typeof v}' object is not callable (${r.fn}() argument '${r.param}')`);
  return v as Fn;
});

/** Call `f` as NumPy calls it: the array, the extra positionals, then the keywords when there are any. */
function invoke(f: Fn, first: unknown[], args: readonly unknown[], kwargs: Record<string, unknown>): unknown {
  const all = Object.keys(kwargs).length ? [...first, ...args, kwargs] : [...first, ...args];
  return (f as (...a: unknown[]) => unknown)(...all);
}

/** Every index of `shape`, last dim fastest (np.ndindex). */
function* ndindex(shape: readonly number[]): Generator<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  const idx = shape.map(() => 0);
  for (let k = 0; k < n; k++) {
    yield [...idx];
    for (let d = shape.length - 1; d >= 0 && ++idx[d] === shape[d]; d--) idx[d] = 0;
  }
}

/**
 * np.apply_along_axis(func1d, axis, arr, *args, **kwargs): func1d on every 1-D slice along
 * `axis`; its results (arrays of one shape) take the place of that axis.
 */
export const apply_along_axis = def(
  "apply_along_axis",
  "func1d, axis, arr, *args, **kwargs",
  { func1d: callable, axis: arg.int, arr: arg.array, args: arg.any, kwargs: arg.any },
  (p): ndarray => {
    const arr = asarray(p.arr);
    const nd = arr.ndim;
    const axis = normalizeAxis(p.axis, nd);
    const dims = [...Array(nd).keys()];
    const view = transpose(arr, [...dims.filter((d) => d !== axis), axis]);
    const outer = view.shape.slice(0, -1);
    const slices = ndindex(outer);
    const first = slices.next();
    if (first.done || outer.some((n) => n === 0)) throw new ValueError("Cannot apply_along_axis when any iteration dimensions are 0");
    const args = p.args as unknown[],
      kwargs = p.kwargs as Record<string, unknown>;
    const at = (i: number[]) => asarray(invoke(p.func1d, [view.get(...i)], args, kwargs) as ArrayLike);
    let res = at(first.value);
    const buff = zeros_like(res, { shape: [...outer, ...res.shape] });
    buff.set(...first.value, "...", res);
    for (const i of slices) {
      res = at(i);
      buff.set(...i, "...", res);
    }
    // The result's axes take the place of `axis`.
    const b = [...Array(buff.ndim).keys()];
    return transpose(buff, [...b.slice(0, axis), ...b.slice(buff.ndim - res.ndim), ...b.slice(axis, buff.ndim - res.ndim)]);
  },
);

/** np.apply_over_axes(func, a, axes): func(a, axis) for each axis in turn, keeping the dims. */
export const apply_over_axes = def("apply_over_axes", "func, a, axes", { func: callable, a: arg.array, axes: arg.any }, (p): ndarray => {
  let val = asarray(p.a);
  const N = val.ndim;
  const axes = (Array.isArray(p.axes) ? p.axes : [p.axes]) as number[];
  for (let axis of axes) {
    if (axis < 0) axis = N + axis;
    const res = asarray(invoke(p.func, [val, axis], [], {}) as ArrayLike);
    if (res.ndim === val.ndim) val = res;
    else {
      const e = expand_dims(res, axis);
      if (e.ndim !== val.ndim) throw new ValueError("function is not returning an array of the correct shape");
      val = e;
    }
  }
  return val;
});

/**
 * np.piecewise(x, condlist, funclist, *args, **kw): where condition i holds, funclist[i]
 * (a function of the selected elements, or a value); one more function than conditions
 * gives the "otherwise" case; elsewhere 0.
 */
export const piecewise = def(
  "piecewise",
  "x, condlist, funclist, *args, **kw",
  { x: arg.array, condlist: arg.any, funclist: arg.any, args: arg.any, kw: arg.any },
  (p): ndarray => {
    const x = asarray(p.x);
    const funcs = p.funclist as unknown[];
    if (!Array.isArray(funcs)) throw new TypeError(`object of type '${typeof funcs}' has no len()`);
    let conds = p.condlist as unknown;
    // A single condition stands for a list of one.
    const single = !Array.isArray(conds) || (!(Array.isArray(conds[0]) || conds[0] instanceof ndarray) && x.ndim !== 0);
    if (single) conds = [conds];
    let condlist = asarray(conds as ArrayLike, { dtype: "bool" });
    let n = condlist.shape[0];
    if (n === funcs.length - 1) {
      const otherwise = logical_not(any(condlist, { axis: 0, keepdims: true }));
      condlist = concatenate([condlist, otherwise], 0);
      n++;
    } else if (n !== funcs.length) throw new ValueError(`with ${n} condition(s), either ${n} or ${n + 1} functions are expected`);
    const y = zeros_like(x);
    for (let i = 0; i < n; i++) {
      const cond = condlist.get(i);
      const f = funcs[i];
      if (typeof f !== "function") y.set(cond, f as ArrayLike);
      else {
        const vals = x.get(cond);
        if (vals.size > 0) y.set(cond, invoke(f as Fn, [vals], p.args as unknown[], p.kw as Record<string, unknown>) as ArrayLike);
      }
    }
    return y;
  },
);

/** NumPy's typecodes['All']: the characters `otypes` may hold. */
const TYPECODES_ALL = "?bhilqnpBHILQNPefdgFDGSUVOMm";

/** A dtype from one otypes character (those with no Tessera dtype are not supported). */
function otypeOf(c: string | DType): DType {
  if (typeof c !== "string") return c;
  try {
    return toDType(c);
  } catch {
    return unsupported("vectorize", `otypes '${c}'`);
  }
}

/** A plain options object (keywords) rather than a value: not an array, ndarray or complex. */
const isKeywords = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype && !("re" in v && "im" in v);

/**
 * Apply `func` to every element of the broadcast inputs, on the host: the values it sees are
 * what `item()` gives (JS numbers, booleans, `{ re, im }`); each output is a JS array of
 * `nout` values (one value when nout is 1). Returns the broadcast shape and the outputs.
 */
function elementwise(func: (...a: unknown[]) => unknown, args: ndarray[], nout: number, first?: unknown): [number[], unknown[][]] {
  const shape = broadcastShapes(...args.map((a) => a.shape));
  const n = shape.reduce((a, b) => a * b, 1);
  const values = args.map((a) => (shape.length === 0 ? [a.item()] : (broadcast_to(a, shape).ravel().tolist() as unknown[])));
  const outs: unknown[][] = Array.from({ length: nout }, () => new Array(n));
  for (let k = 0; k < n; k++) {
    const r = k === 0 && first !== undefined ? first : func(...values.map((v) => v[k]));
    if (nout === 1) outs[0][k] = r;
    else {
      const t = Array.isArray(r) ? r : [];
      for (let j = 0; j < nout; j++) outs[j][k] = t[j] ?? null;
    }
  }
  return [shape, outs];
}

/** An output array of `dtype` (NumPy's asanyarray(objects, dtype), values cast as NumPy casts them). */
function outputArray(values: unknown[], shape: number[], dtype: DType | null): ndarray {
  if (values.length === 0) return empty(shape, { dtype: dtype ?? DTYPES.float64 });
  const a = asarray(values as ArrayLike, dtype === null ? undefined : { dtype });
  return a.reshape(shape);
}

/** The `(n),(n)->()` signature as NumPy's _parse_gufunc_signature reads it: core dims per input and output. */
function parseGufuncSignature(signature: string): [string[][], string[][]] {
  const s = signature.replace(/\s+/g, "");
  const arg = "\\((?:\\w+(?:,\\w+)*)?\\)";
  const list = `${arg}(?:,${arg})*`;
  if (!new RegExp(`^${list}->${list}$`).test(s)) throw new ValueError(`not a valid gufunc signature: ${s}`);
  const [ins, outs] = s.split("->").map((part) => [...part.matchAll(new RegExp(arg, "g"))].map((m) => m[0].match(/\w+/g) ?? []));
  return [ins, outs];
}

/** NumPy's _update_dim_sizes: learn (or check) the sizes of `arg`'s core dims. */
function updateDimSizes(sizes: Map<string, number>, a: ndarray, core: string[]): void {
  if (core.length === 0) return;
  if (a.ndim < core.length)
    throw new ValueError(
      `${a.ndim}-dimensional argument does not have enough dimensions for all core dimensions (${core.map((d) => `'${d}'`).join(", ")}${core.length === 1 ? "," : ""})`,
    );
  const coreShape = a.shape.slice(a.ndim - core.length);
  core.forEach((d, i) => {
    const n = coreShape[i];
    const known = sizes.get(d);
    if (known === undefined) sizes.set(d, n);
    else if (known !== n) throw new ValueError(`inconsistent size for core dimension '${d}': ${n} vs ${known}`);
  });
}

/** The state of one np.vectorize object. */
interface VectorizeState {
  pyfunc: Fn | undefined;
  otypes: DType[] | null;
  excluded: Set<number | string>;
  cache: boolean;
  core: [string[][], string[][]] | null;
}

/** NumPy's vectorize._vectorize_call over the positional values `args`. */
function vectorizeCall(st: VectorizeState, func: (...a: unknown[]) => unknown, args: unknown[]): unknown {
  if (st.core !== null) return vectorizeWithSignature(st, func, args);
  if (args.length === 0) return func();
  const arrays = args.map((a) => asarray(a as ArrayLike));
  let otypes = st.otypes;
  let first: unknown;
  let nout: number;
  if (otypes !== null) nout = otypes.length;
  else {
    // The first elements decide the number of outputs and their dtypes (NumPy calls func once more
    // on them in the loop unless `cache`).
    if (arrays.some((a) => a.size === 0)) throw new ValueError("cannot call `vectorize` on size 0 inputs unless `otypes` is set");
    const out = func(...arrays.map((a) => (a.ndim === 0 ? a.item() : a.ravel().get(0).item())));
    const outs = Array.isArray(out) ? out : [out];
    nout = outs.length;
    otypes = outs.map((o) => asarray(o as ArrayLike).dtype);
    if (st.cache) first = out;
  }
  const [shape, outs] = elementwise(func, arrays, nout, first);
  const res = outs.map((v, j) => outputArray(v, shape, (otypes as DType[])[j]));
  return nout === 1 ? res[0] : res;
}

/** NumPy's vectorize._vectorize_call_with_signature: func on the core-dim slices, one call per broadcast index. */
function vectorizeWithSignature(st: VectorizeState, func: (...a: unknown[]) => unknown, argv: unknown[]): ndarray | ndarray[] {
  const [inCore, outCore] = st.core as [string[][], string[][]];
  if (argv.length !== inCore.length) throw new TypeError(`wrong number of positional arguments: expected ${inCore.length}, got ${argv.length}`);
  let args = argv.map((a) => asarray(a as ArrayLike));
  const sizes = new Map<string, number>();
  args.forEach((a, i) => updateDimSizes(sizes, a, inCore[i]));
  const bshape = broadcastShapes(...args.map((a, i) => a.shape.slice(0, a.ndim - inCore[i].length)));
  const shapes = (core: string[][]) => core.map((dims) => [...bshape, ...dims.map((d) => sizes.get(d) as number)]);
  args = args.map((a, i) => broadcast_to(a, shapes(inCore)[i]));
  const nout = outCore.length;
  let outputs: ndarray[] | null = null;
  for (const index of ndindex(bshape)) {
    const r = func(...args.map((a) => a.get(...index)));
    const n = Array.isArray(r) ? r.length : 1;
    if (nout !== n) throw new ValueError(`wrong number of outputs from pyfunc: expected ${nout}, got ${n}`);
    const results = (nout === 1 ? [r] : (r as unknown[])).map((x) => asarray(x as ArrayLike));
    if (outputs === null) {
      results.forEach((x, j) => updateDimSizes(sizes, x, outCore[j]));
      const sh = shapes(outCore);
      outputs = results.map((x, j) => empty(sh[j], { dtype: st.otypes ? st.otypes[j] : x.dtype }));
    }
    (outputs as ndarray[]).forEach((o, j) => o.set(...index, "...", results[j]));
  }
  if (outputs === null) {
    // The function was never called.
    if (st.otypes === null) throw new ValueError("cannot call `vectorize` on size 0 inputs unless `otypes` is set");
    if (outCore.some((dims) => dims.some((d) => !sizes.has(d))))
      throw new ValueError("cannot call `vectorize` with a signature including new output dimensions on size 0 inputs");
    const sh = shapes(outCore);
    outputs = (st.otypes as DType[]).map((d, j) => empty(sh[j], { dtype: d }));
  }
  return nout === 1 ? outputs[0] : outputs;
}

/** A callable np.vectorize object (`vf(x, y)`; keywords for the function as a trailing object). */
export interface Vectorized {
  (...args: unknown[]): unknown;
  readonly pyfunc: Fn | undefined;
  readonly otypes: string | DType[] | null;
  readonly excluded: Set<number | string>;
  readonly cache: boolean;
  readonly signature: string | null;
  readonly __doc__: string | null;
}

const vectorizeDef = def(
  "vectorize",
  "pyfunc=<no value>, otypes=None, doc=None, excluded=None, cache=False, signature=None",
  { pyfunc: arg.any, otypes: arg.any, doc: arg.strOrNone, excluded: arg.any, cache: arg.bool, signature: arg.strOrNone },
  (p): Vectorized => {
    if (p.pyfunc !== undefined && typeof p.pyfunc !== "function") throw new TypeError("When used as a decorator, only accepts keyword arguments.");
    let otypes: DType[] | null = null;
    const o = p.otypes as unknown;
    if (typeof o === "string") {
      for (const c of o) if (!TYPECODES_ALL.includes(c)) throw new ValueError(`Invalid otype specified: ${c}`);
      otypes = [...o].map(otypeOf);
    } else if (Array.isArray(o)) otypes = o.map((x) => toDType(x as DTypeLike));
    else if (o !== null) throw new ValueError("Invalid otype specification");
    const ex = p.excluded as unknown;
    const st: VectorizeState = {
      pyfunc: p.pyfunc as Fn | undefined,
      otypes,
      excluded: new Set(ex === null ? [] : Array.isArray(ex) || ex instanceof Set ? [...(ex as Iterable<number | string>)] : []),
      cache: p.cache,
      core: p.signature === null ? null : parseGufuncSignature(p.signature),
    };
    const self = ((...args: unknown[]): unknown => {
      if (st.pyfunc === undefined) {
        // Decorator form: np.vectorize({ otypes })(f).
        if (typeof args[0] !== "function") throw new TypeError("When used as a decorator, only accepts keyword arguments.");
        st.pyfunc = args[0] as Fn;
        return self;
      }
      const pyfunc = st.pyfunc as (...a: unknown[]) => unknown;
      const kwargs = args.length > 0 && isKeywords(args[args.length - 1]) ? (args.pop() as Record<string, unknown>) : null;
      if (kwargs === null && st.excluded.size === 0) return vectorizeCall(st, pyfunc, args);
      // Excluded positions and keywords pass through unchanged; the others are vectorized.
      const kw = { ...(kwargs ?? {}) };
      const names = Object.keys(kw).filter((n) => !st.excluded.has(n));
      const inds = args.map((_, i) => i).filter((i) => !st.excluded.has(i));
      const theArgs = [...args];
      const func = (...vargs: unknown[]): unknown => {
        inds.forEach((i, n) => {
          theArgs[i] = vargs[n];
        });
        names.forEach((name, n) => {
          kw[name] = vargs[inds.length + n];
        });
        return kwargs === null ? pyfunc(...theArgs) : pyfunc(...theArgs, kw);
      };
      return vectorizeCall(st, func, [...inds.map((i) => args[i]), ...names.map((n) => kw[n])]);
    }) as Vectorized;
    Object.defineProperties(self, {
      pyfunc: { get: () => st.pyfunc },
      otypes: { value: typeof o === "string" ? o : otypes },
      excluded: { value: st.excluded },
      cache: { value: st.cache },
      signature: { value: p.signature },
      __doc__: { value: p.doc },
    });
    return self;
  },
);

/**
 * np.vectorize(pyfunc, otypes=None, doc=None, excluded=None, cache=False, signature=None): a
 * callable applying `pyfunc` to every element of its broadcast arguments, on the host, one
 * call per element (a convenience, not a fast path, as in NumPy). Output dtypes are `otypes`
 * or those of the first call's results; `excluded` positions and keyword names pass through;
 * `signature` (`"(n),(n)->()"`) calls it on core-dimension slices (ndarrays). Keywords for
 * the function go in a trailing options object, which it receives last.
 */
export const vectorize = vectorizeDef;

/** A callable np.frompyfunc object: `f(...inputs)` applies the function per element. */
export interface PyUfunc {
  (...args: unknown[]): unknown;
  readonly nin: number;
  readonly nout: number;
  readonly nargs: number;
  readonly identity: unknown;
  readonly __name__: string;
}

/**
 * np.frompyfunc(func, /, nin, nout, *, identity): a ufunc-like callable applying `func` to
 * every element of `nin` broadcast inputs on the host, giving `nout` results per element
 * (`func` returns a JS array when nout > 1). NumPy's results are object arrays; here each
 * output is an array of the values' own dtype (as np.array of them), and all-scalar inputs
 * give the value itself, as NumPy does. No ufunc methods (reduce, accumulate …).
 */
export const frompyfunc = def(
  "frompyfunc",
  "func, /, nin, nout, *, identity=<no value>",
  { func: arg.any, nin: arg.int, nout: arg.int, identity: arg.any },
  (p): PyUfunc => {
    if (typeof p.func !== "function") throw new TypeError("function must be callable");
    const func = p.func as (...a: unknown[]) => unknown;
    const name = `${func.name || "<lambda>"} (vectorized)`;
    const self = ((...args: unknown[]): unknown => {
      if (args.length > p.nin && isKeywords(args[args.length - 1])) {
        const kw = args.pop() as Record<string, unknown>;
        const keys = Object.keys(kw).filter((k) => kw[k] !== undefined);
        if (keys.length) unsupported(name, `keyword '${keys[0]}'`);
      }
      if (args.length < p.nin || args.length > p.nin + p.nout)
        throw new TypeError(
          `${name}() takes from ${p.nin} to ${p.nin + p.nout} positional arguments but ${args.length} ${args.length === 1 ? "was" : "were"} given`,
        );
      if (args.length > p.nin) unsupported(name, "out");
      if (p.nin === 0) return func();
      const arrays = args.map((a) => asarray(a as ArrayLike));
      const [shape, outs] = elementwise(func, arrays, p.nout);
      const res = outs.map((v) => (shape.length === 0 ? v[0] : outputArray(v, shape, null)));
      return p.nout === 1 ? res[0] : res;
    }) as PyUfunc;
    Object.defineProperties(self, {
      nin: { value: p.nin },
      nout: { value: p.nout },
      nargs: { value: p.nin + p.nout },
      identity: { value: p.identity === undefined ? null : p.identity },
      __name__: { value: name },
    });
    return self;
  },
);
