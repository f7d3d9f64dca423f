import { DTYPES, ir, runtime } from "../core/index.js";
import type { Expr, Store } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { newStore } from "./alloc.js";
import { FloatingPointError, ValueError } from "./errors.js";
import { def } from "./signature.js";
import { conv } from "./param_types.js";
import type { Signature } from "./signature.js";
import { warn } from "./warnings.js";

/**
 * NumPy's "Floating point error handling": seterr, geterr, seterrcall, geterrcall, errstate.
 *
 * The kernels do not raise the CPU's floating-point flags to the library, so the errors are
 * found from the values, after the ufunc ran: a NaN made from operands without NaN is
 * "invalid", an infinity from finite operands "overflow", and a division by zero (x / 0,
 * log(0), 0 ** -1, integer // 0 and % 0) "divide". Underflow is not detected. Finding them
 * costs a reduction and a blocking read per ufunc call, so by default (NumPy's defaults,
 * which warn) nothing is checked: checking starts when seterr or errstate sets a mode, for the
 * categories whose mode is not "ignore".
 */

export type ErrMode = "ignore" | "warn" | "raise" | "call" | "print" | "log";
const MODES: readonly ErrMode[] = ["ignore", "warn", "raise", "call", "print", "log"];
export interface ErrSettings {
  divide: ErrMode;
  over: ErrMode;
  under: ErrMode;
  invalid: ErrMode;
}
type Category = keyof ErrSettings;
const CATEGORIES: readonly Category[] = ["divide", "over", "under", "invalid"];
/** A callback: called with (kind, flags), or an object whose write() gets the message ("log"). */
export type ErrCall = ((kind: string, flags: number) => unknown) | { write(message: string): unknown };

let settings: ErrSettings = { divide: "warn", over: "warn", under: "ignore", invalid: "warn" };
let callback: ErrCall | null = null;
/** np.setbufsize's value: part of the error state (np.errstate restores it), as in NumPy 2. */
let bufsize = 8192;
/** @internal np.getbufsize's body. */
export const getBufsize = (): number => bufsize;
/** @internal np.setbufsize's body: sets the size, returns the old one. */
export function setBufsize(n: number): number {
  const old = bufsize;
  bufsize = n;
  return old;
}
/** Set once seterr / errstate has been used: only then are ufunc results checked. */
let checking = false;

const mode = conv<ErrMode | null, ErrMode | null>((v): ErrMode | null => {
  if (v === null) return null;
  if (typeof v !== "string" || !(MODES as readonly string[]).includes(v)) throw new ValueError(`invalid error mode ${pyRepr(v)}`);
  return v as ErrMode;
});
const pyRepr = (v: unknown): string => (typeof v === "string" ? `'${v}'` : String(v));

interface SetArgs {
  all: ErrMode | null;
  divide: ErrMode | null;
  over: ErrMode | null;
  under: ErrMode | null;
  invalid: ErrMode | null;
}
function apply(p: SetArgs): ErrSettings {
  const old = { ...settings };
  const next = { ...settings };
  for (const c of CATEGORIES) {
    const m = p[c] ?? p.all;
    if (m !== null) next[c] = m;
  }
  settings = next;
  checking = true;
  return old;
}

const SET_PARAMS = "all=None, divide=None, over=None, under=None, invalid=None";
const SET_ARGS = { all: mode, divide: mode, over: mode, under: mode, invalid: mode };

/** np.seterr(all=None, divide=None, over=None, under=None, invalid=None): set how errors are handled; returns the old settings. */
export const seterr = def("seterr", SET_PARAMS, SET_ARGS, (p): ErrSettings => apply(p));
/** np.geterr(): the current handling of each kind of error. */
export const geterr = def("geterr", "", {}, (): ErrSettings => ({ ...settings }));

const callable = conv<ErrCall | null, ErrCall | null>((v): ErrCall | null => {
  if (v === null || typeof v === "function") return v as ErrCall | null;
  if (typeof v === "object" && typeof (v as { write?: unknown }).write === "function") return v as ErrCall;
  throw new TypeError("python object must be callable or have a callable write method");
});
/** np.seterrcall(func): the function (or object with write()) the "call" ("log") mode reports to; returns the old one. */
export const seterrcall = def("seterrcall", "func", { func: callable }, (p): ErrCall | null => {
  const old = callback;
  callback = p.func;
  return old;
});
/** np.geterrcall(): the current error callback. */
export const geterrcall = def("geterrcall", "", {}, (): ErrCall | null => callback);

/** What np.errstate returns: the settings are in force until restore() (or the end of a `using` block). */
export class ErrState {
  private readonly before: ErrSettings;
  private readonly beforeCall: ErrCall | null;
  private readonly beforeChecking: boolean;
  private readonly beforeBufsize = bufsize;
  private done = false;
  /** @internal */
  constructor(p: SetArgs & { call?: ErrCall | null }) {
    this.beforeChecking = checking;
    this.beforeCall = callback;
    this.before = apply(p);
    if (p.call !== undefined) callback = p.call;
  }
  /** Put back the settings in force before (once). */
  restore(): void {
    if (this.done) return;
    this.done = true;
    settings = this.before;
    callback = this.beforeCall;
    checking = this.beforeChecking;
    bufsize = this.beforeBufsize;
  }
}
// `using s = np.errstate({...})` restores at the end of the block.
const dispose = (Symbol as unknown as { dispose?: symbol }).dispose;
if (dispose)
  (ErrState.prototype as unknown as Record<symbol, () => void>)[dispose] = function (this: ErrState) {
    this.restore();
  };

const errstateDef = def(
  "errstate",
  "*, call=<no value>, all=None, divide=None, over=None, under=None, invalid=None",
  { call: callable, ...SET_ARGS },
  (p): ErrState => new ErrState(p),
);
type ErrStateOptions = {
  call?: ErrCall | null;
  all?: ErrMode | null;
  divide?: ErrMode | null;
  over?: ErrMode | null;
  under?: ErrMode | null;
  invalid?: ErrMode | null;
};

/**
 * np.errstate: `np.errstate({ divide: "ignore" }, () => …)` runs the function with the
 * settings and restores them afterwards (also when it throws, or when its promise settles),
 * returning its result, as `with np.errstate(divide='ignore'):` does; `np.errstate({...})`
 * alone applies them until `.restore()` (`using s = np.errstate({...})` in TypeScript 5.2+).
 */
export const errstate = Object.assign(
  function errstate(...args: unknown[]): unknown {
    const fn = typeof args[args.length - 1] === "function" ? (args.pop() as () => unknown) : null;
    const s = (errstateDef as unknown as (...a: unknown[]) => ErrState)(...args);
    if (!fn) return s;
    let r: unknown;
    try {
      r = fn();
    } catch (e) {
      s.restore();
      throw e;
    }
    if (r instanceof Promise) return r.finally(() => s.restore());
    s.restore();
    return r;
  },
  { signature: errstateDef.signature },
) as {
  <T>(options: ErrStateOptions, fn: () => T): T;
  (options?: ErrStateOptions): ErrState;
  readonly signature: Signature;
};

/** Python's NameError: the "call" mode without a callback. */
class NameError extends Error {
  override name = "NameError";
}

const { binary, cast, constant, load, unary } = ir;
const FLAG: Record<Category, number> = { divide: 1, over: 2, under: 4, invalid: 8 };
const KIND: Record<Category, string> = { divide: "divide by zero", over: "overflow", under: "underflow", invalid: "invalid value" };
const and = (a: Expr, b: Expr): Expr => binary("and", a, b, "bool");
const not = (a: Expr): Expr => unary("not", a, "bool");

/** Run `fn` without checking (NumPy's own `with errstate(invalid='ignore')` inside a function). */
export function quietly<T>(fn: () => T): T {
  const before = checking;
  checking = false;
  try {
    return fn();
  } finally {
    checking = before;
  }
}

/** Whether `cond` (over `inputs`, shape `shape`) holds anywhere: one map, one reduction, one read. */
function anywhere(inputs: Store[], cond: Expr, shape: readonly number[]): boolean {
  if (shape.reduce((p, n) => p * n, 1) === 0) return false;
  const rt = runtime();
  const mask = newStore(shape, DTYPES.bool);
  rt.submit({ kind: "map", name: "fp_check", inputs, outputs: [{ store: mask, expr: cond }], scalars: [] });
  const any = newStore([], DTYPES.bool);
  rt.submit({
    kind: "reduce",
    name: "fp_check",
    op: "any",
    inputs: [mask],
    value: ir.castLoad("bool", "bool"),
    axes: shape.map((_, d) => d),
    output: any,
    scalars: [],
  });
  return Boolean(new ndarray(any).item());
}

/** The operand a check reads: an array (broadcast) or a JS number. */
type Operand = ndarray | number;

/**
 * After ufunc `name` made `result` from `operands`: report the floating-point errors NumPy
 * would, as the settings say (warn, raise FloatingPointError, call, print, log).
 */
export function checkFloatErrors(name: string, operands: readonly unknown[], result: ndarray): void {
  if (!checking) return;
  const wanted = CATEGORIES.filter((c) => c !== "under" && settings[c] !== "ignore");
  if (wanted.length === 0) return;
  const rd = result.dtype;
  const intDivision = (name === "floor_divide" || name === "remainder" || name === "divmod" || name === "fmod") && (rd.isInteger || rd.kind === "b");
  if (!(rd.isFloat || intDivision)) return;
  const ops = operands.map((o) =>
    o instanceof ndarray ? o : typeof o === "number" || typeof o === "bigint" || typeof o === "boolean" ? Number(o) : null,
  );
  if (ops.some((o) => o === null || (o instanceof ndarray && o.dtype.isComplex))) return;
  const shape = result.shape;
  const inputs: Store[] = [];
  const x = (ops as Operand[]).map((o): Expr => {
    if (typeof o === "number") return constant(o, "float64");
    inputs.push(o._store.broadcast(shape));
    return cast(load(inputs.length - 1, o.dtype.name), "float64");
  });
  inputs.push(result._store);
  const r = cast(load(inputs.length - 1, rd.name), "float64");
  const zero = constant(0, "float64");
  const isnan = (e: Expr) => unary("isnan", e, "bool");
  const finite = (e: Expr) => unary("isfinite", e, "bool");
  // Division by zero, per ufunc (null: the ufunc has none).
  let divide: Expr | null = null;
  if (intDivision) divide = binary("eq", x[1], zero);
  else if (name === "divide" || name === "floor_divide" || name === "divmod")
    divide = and(binary("eq", x[1], zero), and(binary("ne", x[0], zero), not(isnan(x[0]))));
  else if (name === "log" || name === "log2" || name === "log10" || name === "reciprocal") divide = binary("eq", x[0], zero);
  else if (name === "log1p") divide = binary("eq", x[0], constant(-1, "float64"));
  else if (name === "arctanh") divide = binary("eq", unary("abs", x[0], "float64"), constant(1, "float64"));
  else if (name === "power" || name === "float_power") divide = and(binary("eq", x[0], zero), binary("lt", x[1], zero));
  const found = new Set<Category>();
  if (wanted.includes("divide") && divide && anywhere(inputs, divide, shape)) found.add("divide");
  if (!intDivision) {
    const noNaN = x.map((e) => not(isnan(e))).reduce(and);
    const allFinite = x.map(finite).reduce(and);
    if (
      wanted.includes("over") &&
      anywhere(inputs, and(and(unary("isinf", r, "bool"), allFinite), divide ? not(divide) : constant(true, "bool")), shape)
    )
      found.add("over");
    // np.spacing(±inf) is NaN without a warning.
    if (wanted.includes("invalid") && name !== "spacing" && anywhere(inputs, and(isnan(r), noNaN), shape)) found.add("invalid");
  }
  if (found.size === 0) return;
  const flags = [...found].reduce((f, c) => f | FLAG[c], 0);
  for (const c of CATEGORIES) {
    if (!found.has(c)) continue;
    const message = `${KIND[c]} encountered in ${name}`;
    switch (settings[c]) {
      case "warn":
        warn(message);
        break;
      case "raise":
        throw new FloatingPointError(message);
      case "print":
        process.stdout.write(`Warning: ${message}\n`);
        break;
      case "call":
      case "log": {
        const cb = callback;
        if (cb === null) throw new NameError(`python callback specified for ${KIND[c]} (in  ${name}) but no function found.`);
        if (typeof cb === "function") cb(KIND[c], flags);
        else cb.write(`Warning: ${message}\n`);
        break;
      }
    }
  }
}
