/**
 * NumPy's printing functions: np.array2string, np.array_str, np.array_repr,
 * np.set_printoptions, np.get_printoptions and np.printoptions. Each binds NumPy's
 * parameters (positionals in NumPy's order, then an options object) and calls the engine in
 * arrayprint.ts.
 */
import { type ndarray, printSource } from "../ndarray.js";
import { asarray } from "../creation_from_data.js";
import type { ArrayLike } from "../creation_from_data.js";
import { def, isOptions } from "../signature.js";
import type { Signature } from "../signature.js";
import { arg } from "../param_types.js";
import {
  array2stringSource,
  arrayRepr,
  arrayStr,
  checkOptions,
  get_printoptions as currentOptions,
  restoreOptions,
  setOptions,
} from "./arrayprint.js";
import type { Array2StringArgs, Formatter, LegacyMode, PrintOptions, StrReprArgs } from "./arrayprint.js";

/** np.get_printoptions(): the options in force, by NumPy's names. */
const get_printoptions = def("get_printoptions", "", {}, (): PrintOptions => currentOptions());
export { get_printoptions };
export type { PrintOptions, Formatter, LegacyMode, Array2StringArgs };

const A2S_PARAMS = [
  "a",
  "max_line_width",
  "precision",
  "suppress_small",
  "separator",
  "prefix",
  "formatter",
  "threshold",
  "edgeitems",
  "sign",
  "floatmode",
  "suffix",
  "legacy",
] as const;

/**
 * np.array2string(a, max_line_width=null, precision=null, suppress_small=null,
 * separator=' ', prefix='', {formatter, threshold, edgeitems, sign, floatmode, suffix, legacy}).
 * `formatter` maps NumPy's keys ('float', 'int', 'float_kind', 'all', ...) to functions that
 * get each element as a JS value (number, bigint for 64-bit integers, boolean, {re, im}).
 */
export const array2string = def(
  "array2string",
  "a, max_line_width=None, precision=None, suppress_small=None, separator=' ', prefix='', *, formatter=None, threshold=None, edgeitems=None, sign=None, floatmode=None, suffix='', legacy=None",
  { ...(Object.fromEntries(A2S_PARAMS.map((k) => [k, arg.any])) as Record<(typeof A2S_PARAMS)[number], typeof arg.any>), formatter: arg.dict },
  (p): string => array2stringOf(asarray(p.a as ArrayLike), withoutNulls(p) as Array2StringArgs),
);

/** The engine's options leave out what was not given (None keeps the printing option in force). */
function withoutNulls(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

export function array2stringOf(a: ndarray, args: Array2StringArgs): string {
  for (const k of ["separator", "prefix", "suffix"] as const) {
    if (args[k] !== undefined && typeof args[k] !== "string") throw new TypeError(`${k} must be a string`);
  }
  return array2stringSource(printSource(a), args);
}

const STR_REPR_ARGS = { max_line_width: arg.any, precision: arg.any, suppress_small: arg.any };

/** np.array_str(a, max_line_width=None, precision=None, suppress_small=None): NumPy's str(a). */
export const array_str = def(
  "array_str",
  "a, max_line_width=None, precision=None, suppress_small=None",
  { a: arg.array, ...STR_REPR_ARGS },
  (p): string => arrayStr(printSource(asarray(p.a)), withoutNulls(p) as StrReprArgs),
);

/** np.array_repr(arr, max_line_width=None, precision=None, suppress_small=None): NumPy's repr(a). */
export const array_repr = def(
  "array_repr",
  "arr, max_line_width=None, precision=None, suppress_small=None",
  { arr: arg.array, ...STR_REPR_ARGS },
  (p): string => {
    const x = asarray(p.arr);
    return arrayRepr(printSource(x), withoutNulls(p) as StrReprArgs, x);
  },
);

const SET_PARAMS = [
  "precision",
  "threshold",
  "edgeitems",
  "linewidth",
  "suppress",
  "nanstr",
  "infstr",
  "formatter",
  "sign",
  "floatmode",
  "legacy",
  "override_repr",
] as const;
const SET_ARGS = {
  ...(Object.fromEntries(SET_PARAMS.map((k) => [k, arg.any])) as Record<(typeof SET_PARAMS)[number], typeof arg.any>),
  formatter: arg.dict,
};
const SET_TEXT =
  "precision=None, threshold=None, edgeitems=None, linewidth=None, suppress=None, nanstr=None, infstr=None, formatter=None, sign=None, floatmode=None, *, legacy=None, override_repr=None";
/** The binding alone (printoptions shares it). */
const bindSet = def("set_printoptions", SET_TEXT, SET_ARGS, (p): Partial<PrintOptions> => checkOptions(keepGiven(p)));
/** set_printoptions leaves out what was not given, except formatter and override_repr (reset as in NumPy). */
function keepGiven(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (v !== null || k === "formatter" || k === "override_repr") out[k] = v === null ? undefined : v;
  return out;
}

/**
 * np.set_printoptions(precision, threshold, edgeitems, linewidth, suppress, nanstr, infstr,
 * formatter, sign, floatmode, {legacy, override_repr}); usually all by name:
 * `np.set_printoptions({ precision: 3, suppress: true })`. Options left out (or null) keep
 * their value, except `formatter` and `override_repr`, which are reset as in NumPy.
 */
export const set_printoptions = def("set_printoptions", SET_TEXT, SET_ARGS, (p): void => {
  setOptions(checkOptions(keepGiven(p)));
});

/**
 * np.printoptions as a context manager: `np.printoptions({ precision: 2 }, () => ...)` runs
 * the function with the options set (it gets the options in force) and restores the previous
 * options afterwards, also when it throws; it returns the function's result. A function
 * returning a promise keeps the options until the promise settles.
 */
const printoptionsDef = def("printoptions", "*args, **kwargs", { args: arg.any, kwargs: arg.any }, (p): unknown => {
  const args = [...p.args];
  const fn = args.pop();
  if (typeof fn !== "function") throw new TypeError("printoptions() needs a function to run with the options set");
  // printoptions(options, fn): the options object comes before the function.
  const kw = args.length > 0 && isOptions(args[args.length - 1]) ? { ...(args.pop() as object), ...p.kwargs } : p.kwargs;
  return runWith((bindSet as unknown as (...a: unknown[]) => Partial<PrintOptions>)(...args, kw), fn as (o: PrintOptions) => unknown);
});
/** np.printoptions(options, fn) (see above). */
export const printoptions = printoptionsDef as unknown as {
  <T>(options: Partial<Record<keyof PrintOptions, unknown>>, fn: (opts: PrintOptions) => T): T;
  <T>(fn: (opts: PrintOptions) => T): T;
  readonly signature: Signature;
};
function runWith<T>(options: Partial<PrintOptions>, fn: (o: PrintOptions) => T): T {
  const before = setOptions(options);
  let result: unknown;
  try {
    result = (fn as (o: PrintOptions) => unknown)(currentOptions());
  } catch (e) {
    restoreOptions(before);
    throw e;
  }
  if (result instanceof Promise) return result.finally(() => restoreOptions(before)) as T;
  restoreOptions(before);
  return result as T;
}
