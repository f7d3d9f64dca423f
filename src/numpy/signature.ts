/**
 * NumPy's signatures, declared once per function and method.
 *
 * A declaration is NumPy's own parameter list as `inspect.signature` prints it
 * (`"a, axis=None, dtype=None, out=None, keepdims=<no value>, *, initial=<no value>"`) plus
 * one converter per parameter. From it come: Python's binding rules (positionals in order,
 * keywords by name in a trailing options object, `null` as None, `undefined` as "not given"),
 * Python's TypeErrors for unknown, repeated, missing or surplus arguments, each value checked
 * and normalised by its converter, and the TypeScript types of the call.
 */

/** A parameter's kind, named as Python's `inspect.Parameter` names it. */
export type ParamKind = "POSITIONAL_ONLY" | "POSITIONAL_OR_KEYWORD" | "VAR_POSITIONAL" | "KEYWORD_ONLY" | "VAR_KEYWORD";

export interface Param {
  readonly name: string;
  readonly kind: ParamKind;
  /** The default as NumPy prints it (`None`, `'C'`, `<no value>`), or null when required. */
  readonly default: string | null;
}

/** Which argument a converter is looking at, for messages. */
export interface ArgRef {
  readonly fn: string;
  readonly param: string;
}

/** Checks and normalises one argument; `I` is what callers may pass, `O` what the body gets. */
export interface Conv<I = unknown, O = unknown> {
  (value: unknown, ref: ArgRef): O;
  /** The parameter takes a plain object (a dict such as `formatter`): one in its position is the value, not the options. */
  readonly takesObject?: boolean;
  /** @internal type carrier only */
  readonly __in?: I;
}

/** Python's `<no value>` default: the body sees `undefined` (the argument was not given). */
const NO_VALUE = "<no value>";

/** Parse NumPy's printed parameter list into parameters (defaults kept as printed). */
export function parseParams(text: string): Param[] {
  const pieces = splitTop(text);
  const slash = pieces.indexOf("/");
  const params: Param[] = [];
  let keywordOnly = false;
  pieces.forEach((p, i) => {
    if (p === "/") return;
    if (p === "*") {
      keywordOnly = true;
      return;
    }
    if (p.startsWith("**")) {
      params.push({ name: p.slice(2), kind: "VAR_KEYWORD", default: null });
      return;
    }
    if (p.startsWith("*")) {
      params.push({ name: p.slice(1), kind: "VAR_POSITIONAL", default: null });
      keywordOnly = true;
      return;
    }
    const eq = p.indexOf("=");
    const name = eq < 0 ? p : p.slice(0, eq);
    const kind: ParamKind = i < slash ? "POSITIONAL_ONLY" : keywordOnly ? "KEYWORD_ONLY" : "POSITIONAL_OR_KEYWORD";
    params.push({ name, kind, default: eq < 0 ? null : p.slice(eq + 1) });
  });
  return params;
}

/** Split at top-level ", " (defaults such as `(-2, -1)` stay whole). */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0,
    quote = "",
    start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(" || c === "[" || c === "<") depth++;
    else if (c === ")" || c === "]" || c === ">") depth--;
    else if (c === "," && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) out.push(last);
  return out;
}

/** The JS value of a printed Python default. */
export function defaultValue(printed: string): unknown {
  switch (printed) {
    case "None":
      return null;
    case "True":
      return true;
    case "False":
      return false;
    case NO_VALUE:
      return undefined;
    case "<class 'float'>":
      return "float64";
    case "<class 'int'>":
      return "int64";
    case "<class 'bool'>":
      return "bool";
  }
  const cls = /^<class 'numpy\.(\w+)'>$/.exec(printed);
  if (cls) return cls[1];
  // A Python string literal (single or double quotes), with its escapes (`'\\n'` is a newline).
  if (/^'.*'$/.test(printed) || /^".*"$/.test(printed))
    return printed.slice(1, -1).replace(/\\([nrt\\'])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c);
  if (/^\(.*\)$/.test(printed))
    return printed
      .slice(1, -1)
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s)
      .map(defaultValue);
  const n = Number(printed);
  if (printed !== "" && !Number.isNaN(n)) return n;
  throw new Error(`unsupported default in a signature: ${printed}`);
}

/** A trailing options object: a plain object that is not a complex scalar `{ re, im }`. */
export function isOptions(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(x);
  return !(keys.length === 2 && "re" in x && "im" in x);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const quoteList = (names: string[]) => {
  const q = names.map((n) => `'${n}'`);
  return q.length === 1 ? q[0] : `${q.slice(0, -1).join(", ")}${q.length > 2 ? "," : ""} and ${q[q.length - 1]}`;
};

/**
 * Whose argument parsing NumPy's implementation of a function uses, which decides how its
 * TypeErrors are worded: a Python function ("python"); NumPy's C argument parser, as in
 * np.zeros ("npy"); CPython's PyArg_ParseTupleAndKeywords, as in ndarray.cumsum ("capi"),
 * or PyArg_ParseTuple, which takes no keywords, as in ndarray.fill ("tuple"); a ufunc.
 */
export type BindStyle = "python" | "npy" | "capi" | "tuple" | "ufunc";

/** How a declared function binds and words its TypeErrors, where it differs from a Python function's. */
export interface Binding {
  style?: BindStyle;
  /**
   * The name the messages give: ndarray.sum is NumPy's Python function `_methods._sum`;
   * null where CPython has none ("function takes exactly 0 arguments", "… for this function").
   */
  name?: string | null;
  /** A method written in Python: `self` counts among the positionals in its messages. */
  self?: boolean;
  /** The name an unexpected keyword is reported against, where it differs (ndarray.clip's go to the clip ufunc). */
  keywordName?: string;
  /** How many positionals NumPy's implementation takes, where it differs from the declaration (`self` included). */
  positional?: number;
  /** NumPy's C parser also takes the positional-only parameters by name (np.empty_like's prototype). */
  byName?: boolean;
}

/**
 * One declared signature: binds a JS call to NumPy's parameters with Python's rules and
 * converts every value. `bind` returns the arguments by name.
 */
export class Signature {
  readonly params: readonly Param[];
  private readonly positional: readonly Param[];
  private readonly byName = new Map<string, number>();
  private readonly varargs: Param | undefined;
  private readonly varkw: Param | undefined;
  private readonly defaults: unknown[];
  private readonly minPositional: number;
  /** Every parameter at its default: the start of a call given only positionals. */
  private readonly template: Record<string, unknown>;
  private readonly requiredKeyword: boolean;

  /** How NumPy's implementation binds arguments (and so words its errors). */
  binding: Binding = {};

  constructor(
    readonly name: string,
    readonly text: string,
    readonly convs: Record<string, Conv>,
  ) {
    this.params = parseParams(text);
    this.positional = this.params.filter((p) => p.kind === "POSITIONAL_ONLY" || p.kind === "POSITIONAL_OR_KEYWORD");
    this.varargs = this.params.find((p) => p.kind === "VAR_POSITIONAL");
    this.varkw = this.params.find((p) => p.kind === "VAR_KEYWORD");
    this.params.forEach((p, i) => this.byName.set(p.name, i));
    this.minPositional = this.positional.filter((p) => p.default === null).length;
    for (const p of this.params) if (!convs[p.name]) throw new Error(`${name}(): no converter for parameter '${p.name}'`);
    for (const k of Object.keys(convs)) if (!this.byName.has(k)) throw new Error(`${name}(): converter for unknown parameter '${k}'`);
    // Defaults are converted once: the body always sees normalised values.
    this.defaults = this.params.map((p) => {
      if (p.default === null) return p.kind === "VAR_POSITIONAL" ? [] : p.kind === "VAR_KEYWORD" ? {} : undefined;
      const v = defaultValue(p.default);
      return v === undefined ? undefined : convs[p.name](v, { fn: name, param: p.name });
    });
    this.requiredKeyword = this.params.some((p) => p.kind === "KEYWORD_ONLY" && p.default === null);
    this.template = {};
    this.params.forEach((p, i) => {
      this.template[p.name] = this.defaults[i];
    });
  }

  /** Python's binding: positionals, then the options object's keywords; then conversion. */
  bind(args: ArrayLike<unknown>): Record<string, unknown> {
    let n = args.length;
    while (n > 0 && args[n - 1] === undefined) n--;
    let kwargs: Record<string, unknown> | null = null;
    const positional = this.positional;
    if (n > 0 && isOptions(args[n - 1]) && !(n <= positional.length && this.convs[positional[n - 1].name].takesObject))
      kwargs = args[--n] as Record<string, unknown>;
    if (kwargs === null && (n <= positional.length || this.varargs) && !this.varkw) {
      // The common call: positionals only. Start from the defaults, convert what was given.
      const out = { ...this.template };
      const named = Math.min(n, positional.length);
      for (let i = 0; i < named; i++) if (args[i] !== undefined) out[positional[i].name] = this.convert(positional[i], args[i]);
      if (this.varargs) {
        const extra: unknown[] = [];
        for (let i = named; i < n; i++) extra.push(this.convert(this.varargs, args[i], i - named));
        out[this.varargs.name] = extra;
      }
      // Required parameters come first in Python, so they are the first minPositional.
      let complete = n >= this.minPositional && !this.requiredKeyword;
      for (let i = 0; complete && i < this.minPositional; i++) complete = args[i] !== undefined;
      if (complete) return out;
    }
    const params = this.params;
    const keys = kwargs ? Object.keys(kwargs).filter((k) => kwargs![k] !== undefined) : [];
    const style = this.binding.style ?? "python";
    if (style === "ufunc" && (n < this.minPositional || n > positional.length)) throw this.tooMany(n);
    if (style === "capi" && !this.varargs && n + keys.length > params.length) throw this.capiTooMany(n, keys.length);
    if (style === "tuple") {
      const bad = keys.find((k) => {
        const i = this.byName.get(k);
        return i === undefined || params[i].kind !== "KEYWORD_ONLY";
      });
      if (bad !== undefined) throw new TypeError(`${this.binding.keywordName ?? this.name}() takes no keyword arguments`);
      if (!this.varargs && (n < this.minPositional || n > positional.length)) throw this.tupleCount(n);
    }
    const given: unknown[] = new Array(params.length);
    const extra: unknown[] = [];
    for (let i = 0; i < n; i++) {
      if (i < positional.length) given[i] = args[i];
      else if (this.varargs) extra.push(args[i]);
      else throw this.tooMany(n);
    }
    if (this.varargs) given[this.byName.get(this.varargs.name)!] = extra.map((v, i) => this.convert(this.varargs!, v, i));
    let rest: Record<string, unknown> | null = null;
    // CPython's parser reports a missing argument before an unknown keyword; others the keyword first.
    let unknown: TypeError | null = null;
    for (const key of keys) {
      const value = kwargs![key];
      const i = this.byName.get(key);
      const p = i === undefined ? undefined : params[i];
      const byName = p?.kind === "POSITIONAL_ONLY" && this.binding.byName;
      if (!p || p.kind === "VAR_POSITIONAL" || p.kind === "VAR_KEYWORD" || (p.kind === "POSITIONAL_ONLY" && !byName)) {
        if (this.varkw) {
          (rest ??= {})[key] = this.convert(this.varkw, value);
          continue;
        }
        if (p?.kind === "POSITIONAL_ONLY" && style === "python")
          throw new TypeError(`${this.name}() got some positional-only arguments passed as keyword arguments: '${key}'`);
        if (style !== "capi") throw this.unexpected(key);
        unknown ??= this.unexpected(key);
        continue;
      }
      if (given[i!] !== undefined) throw this.repeated(key, i!);
      given[i!] = value;
    }
    const out: Record<string, unknown> = {};
    let missing: string[] | null = null,
      missingKw: string[] | null = null;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (p.kind === "VAR_POSITIONAL") {
        out[p.name] = given[i] ?? [];
        continue;
      }
      if (p.kind === "VAR_KEYWORD") {
        out[p.name] = rest ?? {};
        continue;
      }
      const v = given[i];
      if (v !== undefined) out[p.name] = this.convert(p, v);
      else if (p.default !== null) out[p.name] = this.defaults[i];
      else if (style === "npy" && p.kind === "POSITIONAL_ONLY" && !this.binding.byName)
        throw new TypeError(`${this.shown}() missing required positional argument ${i}`);
      else if (style === "npy" || style === "capi")
        throw new TypeError(`${this.shown}() missing required argument '${p.name}' (pos ${style === "capi" ? i + 1 : i})`);
      else if (p.kind === "KEYWORD_ONLY") (missingKw ??= []).push(p.name);
      else (missing ??= []).push(p.name);
    }
    if (unknown) throw unknown;
    if (missing) throw new TypeError(`${this.shown}() missing ${plural(missing.length, "required positional argument")}: ${quoteList(missing)}`);
    if (missingKw)
      throw new TypeError(`${this.shown}() missing ${plural(missingKw.length, "required keyword-only argument")}: ${quoteList(missingKw)}`);
    return out;
  }

  /** The name in messages. */
  private get shown(): string {
    return this.binding.name ?? this.name;
  }

  private convert(p: Param, v: unknown, index?: number): unknown {
    return this.convs[p.name](v, { fn: this.name, param: index === undefined ? p.name : `${p.name}[${index}]` });
  }

  private tooMany(given: number): TypeError {
    const self = this.binding.self ? 1 : 0;
    const max = this.binding.positional ?? this.positional.length + self,
      min = this.minPositional + self;
    const n = given + self;
    if (this.binding.style === "npy") {
      const takes = min === max ? `${max} positional arguments` : `from ${min} to ${max} positional arguments`;
      return new TypeError(`${this.shown}() takes ${takes} but ${n} were given`);
    }
    const takes = min === max ? plural(max, "positional argument") : `from ${min} to ${max} positional arguments`;
    return new TypeError(`${this.shown}() takes ${takes} but ${n} ${n === 1 ? "was" : "were"} given`);
  }

  private capiTooMany(nargs: number, nkw: number): TypeError {
    const len = this.params.length;
    return new TypeError(
      `${this.binding.name === null ? "function" : `${this.shown}()`} takes at most ${len} ${nargs === 0 ? "keyword " : ""}argument${len === 1 ? "" : "s"} (${nargs + nkw} given)`,
    );
  }

  private tupleCount(nargs: number): TypeError {
    const min = this.minPositional,
      max = this.positional.length;
    const which = min === max ? "exactly" : nargs < min ? "at least" : "at most";
    const k = nargs < min ? min : max;
    return new TypeError(
      `${this.binding.name === null ? "function" : `${this.shown}()`} takes ${which} ${k} argument${k === 1 ? "" : "s"} (${nargs} given)`,
    );
  }

  private unexpected(key: string): TypeError {
    if (this.binding.style === "capi")
      return new TypeError(`'${key}' is an invalid keyword argument for ${this.binding.name === null ? "this function" : `${this.shown}()`}`);
    return new TypeError(`${this.binding.keywordName ?? this.shown}() got an unexpected keyword argument '${key}'`);
  }

  private repeated(key: string, i: number): TypeError {
    const style = this.binding.style ?? "python";
    if (style === "ufunc" && key === "out") return new TypeError("cannot specify 'out' as both a positional and keyword argument");
    if (style === "npy")
      return new TypeError(
        `argument for ${this.shown}() given by name ('${key}') and position (position ${i - this.params.filter((p) => p.kind === "POSITIONAL_ONLY" && !this.binding.byName).length})`,
      );
    if (style === "capi") return new TypeError(`argument for ${this.shown}() given by name ('${key}') and position (${i + 1})`);
    return new TypeError(`${this.shown}() got multiple values for argument '${key}'`);
  }
}

/** Declare how NumPy's implementation of `f` binds its arguments (see Binding). */
export function binding<F extends { readonly signature: Signature }>(f: F, b: Binding): F {
  f.signature.binding = b;
  return f;
}

// ---- the call's TypeScript types, read from the same declaration --------------------------

type Split<S extends string> = S extends `${infer H}, ${infer R}` ? [H, ...Split<R>] : S extends "" ? [] : [S];
type NameOf<P> = P extends `${infer N}=${string}` ? N : P;
/** Names that may be passed positionally, in order. */
type PosNames<P extends string[]> = P extends [infer H extends string, ...infer R extends string[]]
  ? H extends "/"
    ? PosNames<R>
    : H extends `*${string}`
      ? []
      : [NameOf<H>, ...PosNames<R>]
  : [];
/** Names before "/": positional only. */
type PosOnly<P extends string[], Acc extends string = never> = P extends [infer H extends string, ...infer R extends string[]]
  ? H extends "/"
    ? Acc
    : PosOnly<R, Acc | NameOf<H>>
  : never;
type VarPos<P extends string[]> = {
  [K in keyof P]: P[K] extends `**${string}` ? never : P[K] extends `*${infer N}` ? (N extends "" ? never : N) : never;
}[number];
type VarKw<P extends string[]> = { [K in keyof P]: P[K] extends `**${infer N}` ? N : never }[number];
type Named<P extends string[]> = Exclude<NameOf<P[number]>, "/" | "*" | `*${string}`>;
type NoValue<P extends string[]> = { [K in keyof P]: P[K] extends `${infer N}=<no value>` ? N : never }[number];

export type ConvMap = Record<string, Conv>;
type In<C> = C extends Conv<infer I, unknown> ? I : never;
type Out<C> = C extends Conv<unknown, infer O> ? O : never;

/** The keywords a call may give in its trailing options object. */
export type OptionsOf<S extends string, C extends ConvMap> = {
  [K in Exclude<Named<Split<S>>, PosOnly<Split<S>>> & keyof C]?: In<C[K]> | undefined;
} & ([VarKw<Split<S>>] extends [never] ? unknown : Record<string, In<C[VarKw<Split<S>> & keyof C]>>);

/** Positional types; `undefined` is "not given", as an omitted trailing argument is. */
type PosTypes<N extends unknown[], C extends ConvMap> = { [I in keyof N]: N[I] extends keyof C ? In<C[N[I]]> | undefined : never };
type Prefixes<T extends unknown[]> = T extends [...infer H, unknown] ? T | Prefixes<H> : T;
type WithOptions<T extends unknown[], O> = T extends unknown ? T | [...T, O] : never;

/** The argument list of a declared call: positionals in NumPy's order, then options. */
export type ArgsOf<S extends string, C extends ConvMap> = [VarPos<Split<S>>] extends [never]
  ? WithOptions<Prefixes<PosTypes<PosNames<Split<S>>, C>>, OptionsOf<S, C>>
  :
      | [...PosTypes<PosNames<Split<S>>, C>, ...In<C[VarPos<Split<S>> & keyof C]>[]]
      | [...PosTypes<PosNames<Split<S>>, C>, ...In<C[VarPos<Split<S>> & keyof C]>[], OptionsOf<S, C>];

/** What the body receives: every parameter by name, converted. */
export type BoundOf<S extends string, C extends ConvMap> = {
  [K in Named<Split<S>> & keyof C]: K extends NoValue<Split<S>> ? Out<C[K]> | undefined : Out<C[K]>;
} & { [K in VarPos<Split<S>> & keyof C]: Out<C[K]>[] } & { [K in VarKw<Split<S>> & keyof C]: Record<string, Out<C[K]>> };

/** A NumPy function with its declaration attached (the signature test reads it). */
export type NumpyFunction<S extends string, C extends ConvMap, R> = ((...args: ArgsOf<S, C>) => R) & {
  readonly signature: Signature;
  /** @internal the body, for methods made from the function */
  readonly body: (p: BoundOf<S, C>) => R;
  /** @internal type carriers */
  readonly __sig?: S;
  readonly __conv?: C;
};

/**
 * Declare a NumPy function: `def("sum", "a, axis=None, …", { a: arg.array, … }, (p) => …)`.
 * The body gets every argument by name, checked and normalised.
 */
export function def<const S extends string, C extends ConvMap, R>(
  name: string,
  params: S,
  convs: C,
  body: (p: BoundOf<S, C>) => R,
): NumpyFunction<S, C, R> {
  const sig = new Signature(name, params, convs);
  const f = (...args: unknown[]) => body(sig.bind(args) as BoundOf<S, C>);
  Object.defineProperty(f, "name", { value: name });
  Object.defineProperty(f, "signature", { value: sig });
  Object.defineProperty(f, "body", { value: body });
  return f as unknown as NumpyFunction<S, C, R>;
}

/** A declared function typed with a narrower result (e.g. linspace without `retstep`). */
export type WithReturn<F, R> = F extends (...args: infer A) => unknown ? ((...args: A) => R) & { readonly signature: Signature } : never;

/** A NumPy ndarray method (`self` is the array it is called on). */
export type NumpyMethod<S extends string, C extends ConvMap, R> = ((...args: ArgsOf<S, C>) => R) & { readonly signature: Signature };

/** Declare an ndarray method: the parameters after `self`, and a body given `self` first. */
export function method<Self, const S extends string, C extends ConvMap, R>(
  name: string,
  params: S,
  convs: C,
  body: (self: Self, p: BoundOf<S, C>) => R,
): NumpyMethod<S, C, R> {
  const sig = new Signature(name, params, convs);
  const f = function (this: Self, ...args: unknown[]) {
    return body(this, sig.bind(args) as BoundOf<S, C>);
  };
  Object.defineProperty(f, "name", { value: name });
  Object.defineProperty(f, "signature", { value: sig });
  return f as unknown as NumpyMethod<S, C, R>;
}

type DropFirst<S extends string> = S extends `${string}, ${infer R}` ? R : "";
type FnReturn<F> = F extends { readonly body: (p: never) => infer R } ? R : never;
/** The method made from a function whose first parameter is the array (`a.sum(0)` from `np.sum`). */
export type MethodOf<F> = F extends { readonly __sig?: infer S extends string; readonly __conv?: infer C extends ConvMap }
  ? NumpyMethod<DropFirst<S>, C, FnReturn<F>>
  : never;

/**
 * The ndarray method of a NumPy function: the function's parameters after the first, the
 * array itself as the first. `params` overrides the list where NumPy's method differs.
 */
export function methodOf<F extends { readonly signature: Signature; readonly body: (p: never) => unknown }>(
  fn: F,
  name = fn.signature.name,
  params?: string,
): MethodOf<F> {
  const text = params ?? fn.signature.text.slice(fn.signature.text.indexOf(",") + 1).trim();
  const first = fn.signature.params[0].name;
  const convs = { ...fn.signature.convs };
  delete convs[first];
  const body = fn.body as (p: Record<string, unknown>) => unknown;
  // The array first, then the rest in declaration order: the same shape of object as the
  // function's own binding makes, so its body's property reads stay monomorphic.
  return method(name, text, convs, (self: unknown, p) => body({ [first]: self, ...p })) as unknown as MethodOf<F>;
}
