/**
 * NumPy's printing functions: np.array2string, np.array_str, np.array_repr,
 * np.set_printoptions, np.get_printoptions and np.printoptions. Each binds NumPy's
 * parameters (positionals in NumPy's order, then an options object) and calls the engine in
 * arrayprint.ts.
 */
import { ndarray, printSource } from "../ndarray.js";
import { ArrayLike, asarray } from "../creation_from_data.js";
import { bindArgs } from "../kwargs.js";
import {
  Array2StringArgs, Formatter, LegacyMode, PrintOptions, StrReprArgs, array2stringSource, arrayRepr, arrayStr, checkOptions,
  get_printoptions, restoreOptions, setOptions,
} from "./arrayprint.js";

export { get_printoptions };
export type { PrintOptions, Formatter, LegacyMode, Array2StringArgs };

const A2S_PARAMS = ["a", "max_line_width", "precision", "suppress_small", "separator", "prefix",
  "formatter", "threshold", "edgeitems", "sign", "floatmode", "suffix", "legacy"];

/**
 * np.array2string(a, max_line_width=null, precision=null, suppress_small=null,
 * separator=' ', prefix='', {formatter, threshold, edgeitems, sign, floatmode, suffix, legacy}).
 * `formatter` maps NumPy's keys ('float', 'int', 'float_kind', 'all', ...) to functions that
 * get each element as a JS value (number, bigint for 64-bit integers, boolean, {re, im}).
 */
export function array2string(a: ArrayLike, ...args: unknown[]): string {
  const b = bindArgs("array2string", A2S_PARAMS, 6, [a, ...args], 1);
  return array2stringOf(asarray(b.a as ArrayLike), b as Array2StringArgs);
}

export function array2stringOf(a: ndarray, args: Array2StringArgs): string {
  for (const k of ["separator", "prefix", "suffix"] as const) {
    if (args[k] !== undefined && typeof args[k] !== "string") throw new TypeError(`${k} must be a string`);
  }
  return array2stringSource(printSource(a), args);
}

const STR_REPR_PARAMS = ["max_line_width", "precision", "suppress_small"];

/** np.array_str(a, max_line_width=null, precision=null, suppress_small=null): NumPy's str(a). */
export function array_str(a: ArrayLike, ...args: unknown[]): string {
  const b = bindArgs("array_str", ["a", ...STR_REPR_PARAMS], 4, [a, ...args], 1);
  return arrayStr(printSource(asarray(b.a as ArrayLike)), b as StrReprArgs);
}

/** np.array_repr(arr, max_line_width=null, precision=null, suppress_small=null): NumPy's repr(a). */
export function array_repr(arr: ArrayLike, ...args: unknown[]): string {
  const b = bindArgs("array_repr", ["arr", ...STR_REPR_PARAMS], 4, [arr, ...args], 1);
  const x = asarray(b.arr as ArrayLike);
  return arrayRepr(printSource(x), b as StrReprArgs, x);
}

const SET_PARAMS = ["precision", "threshold", "edgeitems", "linewidth", "suppress", "nanstr", "infstr",
  "formatter", "sign", "floatmode", "legacy", "override_repr"];
const FORMATTER_INDEX = SET_PARAMS.indexOf("formatter");

function bindSet(fname: string, args: readonly unknown[]): Partial<PrintOptions> {
  // A plain object in the formatter's position is the formatter, not the options object.
  const b = args.length === FORMATTER_INDEX + 1
    ? bindArgs(fname, SET_PARAMS, 10, [...args, {}])
    : bindArgs(fname, SET_PARAMS, 10, args);
  return checkOptions(b);
}

/**
 * np.set_printoptions(precision, threshold, edgeitems, linewidth, suppress, nanstr, infstr,
 * formatter, sign, floatmode, {legacy, override_repr}); usually all by name:
 * `np.set_printoptions({ precision: 3, suppress: true })`. Options left out (or null) keep
 * their value, except `formatter` and `override_repr`, which are reset as in NumPy.
 */
export function set_printoptions(...args: unknown[]): void {
  setOptions(bindSet("set_printoptions", args));
}

/**
 * np.printoptions as a context manager: `np.printoptions({ precision: 2 }, () => ...)` runs
 * the function with the options set (it gets the options in force) and restores the previous
 * options afterwards, also when it throws; it returns the function's result. A function
 * returning a promise keeps the options until the promise settles.
 */
export function printoptions<T>(options: Partial<Record<keyof PrintOptions, unknown>>, fn: (opts: PrintOptions) => T): T;
export function printoptions<T>(fn: (opts: PrintOptions) => T): T;
export function printoptions<T>(...args: unknown[]): T {
  const fn = args[args.length - 1];
  if (typeof fn !== "function") throw new TypeError("printoptions() needs a function to run with the options set");
  const before = setOptions(bindSet("printoptions", args.slice(0, -1)));
  let result: unknown;
  try {
    result = (fn as (o: PrintOptions) => unknown)(get_printoptions());
  } catch (e) {
    restoreOptions(before);
    throw e;
  }
  if (result instanceof Promise) return result.finally(() => restoreOptions(before)) as T;
  restoreOptions(before);
  return result as T;
}
