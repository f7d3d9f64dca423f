/**
 * NumPy-style argument binding for the functions that do it locally: positionals in NumPy's
 * order, then an optional trailing options object holding keyword arguments by NumPy's names.
 * Errors are Python's (`f() got an unexpected keyword argument 'x'`).
 */

/** A trailing options object: a plain object, not an array, typed array, ndarray or dtype. */
export function isOptions(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Bind `args` to `params`: the first `positional` of them may come positionally, the rest only
 * as keywords; the first `required` must be given. A plain object after the required
 * positionals is the options object. `undefined` counts as not given.
 */
export function bindArgs(fname: string, params: readonly string[], positional: number, args: readonly unknown[], required = 0): Record<string, unknown> {
  let pos = args;
  let kw: Record<string, unknown> = {};
  if (args.length > required && isOptions(args[args.length - 1])) {
    kw = args[args.length - 1] as Record<string, unknown>;
    pos = args.slice(0, -1);
  }
  if (pos.length > positional) {
    const takes = required === positional ? `${positional}` : `from ${required} to ${positional}`;
    throw new TypeError(`${fname}() takes ${takes} positional argument${positional === 1 ? "" : "s"} but ${pos.length} ${pos.length === 1 ? "was" : "were"} given`);
  }
  const out: Record<string, unknown> = {};
  pos.forEach((v, i) => { if (v !== undefined) out[params[i]] = v; });
  for (const [k, v] of Object.entries(kw)) {
    if (!params.includes(k)) throw new TypeError(`${fname}() got an unexpected keyword argument '${k}'`);
    if (v === undefined) continue;
    if (k in out || params.indexOf(k) < pos.length) throw new TypeError(`${fname}() got multiple values for argument '${k}'`);
    out[k] = v;
  }
  const missing = params.slice(0, required).filter((p) => !(p in out));
  if (missing.length) {
    const names = missing.map((m) => `'${m}'`);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
    throw new TypeError(`${fname}() missing ${missing.length} required positional argument${missing.length === 1 ? "" : "s"}: ${list}`);
  }
  return out;
}
