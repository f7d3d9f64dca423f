import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { zeros_like } from "./creation_shape.js";
import { expand_dims, transpose } from "./array_manipulation.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv } from "./param_types.js";
import { any } from "./logic_truth.js";
import { concatenate } from "./array_joining.js";
import { logical_not } from "./ufuncs.js";

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
