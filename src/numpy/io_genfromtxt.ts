/**
 * np.genfromtxt: NumPy's reader of text tables with missing values (numpy/lib/_npyio_impl.py
 * and _iotools.py), step for step: LineSplitter's splitting (a delimiter string, whitespace,
 * a fixed width or a list of widths), StringConverter's parsing (Python's float(), int(),
 * complex(), str2bool; with dtype=None each column upgraded bool → int → float → complex),
 * the invalid-line report, skip_footer, max_rows and filling values. Structured results
 * (names, mixed column types) and masked arrays are not available.
 */
import { DTYPES } from "../core/index.js";
import type { ndarray } from "./ndarray.js";
import { array } from "./creation_from_data.js";
import type { DType } from "./dtypes.js";
import { AttributeError, OverflowError, ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv, pyType, unsupported } from "./param_types.js";
import { atleast_2d, squeeze } from "./array_manipulation.js";
import { warn } from "./warnings.js";
import { readLines } from "./io_text.js";

type Value = number | bigint | boolean | { re: number; im: number };
type Parse = (s: string) => Value;

// ---- Python's parsers of str -------------------------------------------------------------------

/** Python's str.strip() (whitespace). */
const strip = (s: string): string => s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g, "");
const DIGITS = "\\d(?:_?\\d)*";
const FLOAT_RE = new RegExp(`^[+-]?(?:(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf|infinity|nan)$`, "i");
const INT_RE = new RegExp(`^[+-]?${DIGITS}$`);

/** Python's float(str). */
function pyFloat(s: string): number {
  const t = strip(s);
  if (!FLOAT_RE.test(t)) throw new ValueError(`could not convert string to float: '${s}'`);
  const l = t.toLowerCase().replaceAll("_", "");
  if (l.endsWith("nan")) return Number.NaN;
  if (l.endsWith("inf") || l.endsWith("infinity")) return l.startsWith("-") ? -Infinity : Infinity;
  return Number(l);
}
/** Python's int(str), exact. */
function pyInt(s: string): bigint {
  const t = strip(s);
  if (!INT_RE.test(t)) throw new ValueError(`invalid literal for int() with base 10: '${s}'`);
  return BigInt(t.replaceAll("_", ""));
}
/** Python's complex(str): `1.5`, `2j`, `-j`, `1+2j`, optionally in parentheses. */
function pyComplex(s: string): { re: number; im: number } {
  let t = strip(s);
  if (t.startsWith("(") && t.endsWith(")")) t = strip(t.slice(1, -1));
  const bad = () => new ValueError("complex() arg is a malformed string");
  if (!/[jJ]$/.test(t)) {
    if (!FLOAT_RE.test(t)) throw bad();
    return { re: pyFloat(t), im: 0 };
  }
  const body = t.slice(0, -1);
  // The imaginary part starts at the last sign that does not follow an exponent's 'e'.
  let at = -1;
  for (let i = body.length - 1; i > 0; i--)
    if ((body[i] === "+" || body[i] === "-") && !/[eE]/.test(body[i - 1])) {
      at = i;
      break;
    }
  const re = at > 0 ? body.slice(0, at) : "";
  const im = at > 0 ? body.slice(at) : body;
  const imag = im === "" || im === "+" ? 1 : im === "-" ? -1 : FLOAT_RE.test(im) ? pyFloat(im) : Number.NaN;
  if (Number.isNaN(imag) && !/nan$/i.test(im)) throw bad();
  if (re !== "" && !FLOAT_RE.test(re)) throw bad();
  return { re: re === "" ? 0 : pyFloat(re), im: imag };
}
/** NumPy's str2bool. */
function str2bool(s: string): boolean {
  const u = s.toUpperCase();
  if (u === "TRUE") return true;
  if (u === "FALSE") return false;
  throw new ValueError("Invalid boolean");
}
/** Python's int(float(str)) (NumPy's parser for integer dtypes other than int64 / uint64). */
function intOfFloat(s: string): bigint {
  const x = pyFloat(s);
  if (Number.isNaN(x)) throw new ValueError("cannot convert float NaN to integer");
  if (!Number.isFinite(x)) throw new OverflowError("cannot convert float infinity to integer");
  return BigInt(Math.trunc(x));
}
/** np.int64(str) / np.uint64(str): int(), then the range. */
const int64Of =
  (d: DType): Parse =>
  (s: string): bigint => {
    const v = pyInt(s);
    if (d === DTYPES.uint64 && v < 0n) throw new OverflowError(`Python integer ${v} out of bounds for uint64`);
    if (d === DTYPES.int64 ? v < -(2n ** 63n) || v >= 2n ** 63n : v >= 2n ** 64n)
      throw new OverflowError("Python int too large to convert to C long");
    return v;
  };

// ---- StringConverter ---------------------------------------------------------------------------

/** StringConverter's upgrade ladder for dtype=None (NumPy's _mapper, from bool to complex; str ends it). */
const LADDER: { dtype: DType | null; parse: Parse; fallback: Value }[] = [
  { dtype: DTYPES.bool, parse: str2bool, fallback: false },
  { dtype: DTYPES.int64, parse: pyInt, fallback: -1n },
  { dtype: DTYPES.float64, parse: pyFloat, fallback: Number.NaN },
  { dtype: DTYPES.complex128, parse: pyComplex, fallback: { re: Number.NaN, im: 0 } },
  { dtype: null, parse: ((s: string): string => s) as unknown as Parse, fallback: "???" as never },
];

class Converter {
  status = 0;
  checked = false;
  parse: Parse;
  dtype: DType | null;
  fallback: Value;
  constructor(
    readonly missing: ReadonlySet<string>,
    readonly initialDefault: Value | null,
    locked: DType | null,
  ) {
    if (locked === null) {
      this.parse = str2bool;
      this.dtype = DTYPES.bool;
      // NumPy: `default or False`.
      this.fallback = initialDefault || false;
      return;
    }
    this.dtype = locked;
    this.parse =
      locked === DTYPES.bool
        ? str2bool
        : locked === DTYPES.int64 || locked === DTYPES.uint64
          ? int64Of(locked)
          : locked.isInteger
            ? intOfFloat
            : locked.isComplex
              ? pyComplex
              : pyFloat;
    this.fallback =
      initialDefault ?? (locked === DTYPES.bool ? false : locked.isInteger ? -1n : locked.isComplex ? { re: Number.NaN, im: 0 } : Number.NaN);
  }
  /** NumPy's _loose_call: a value that does not parse is the default. */
  loose(s: string): Value {
    try {
      return this.parse(s);
    } catch (e) {
      if (e instanceof ValueError) return this.fallback;
      throw e;
    }
  }
  /** NumPy's _strict_call: missing values are the default; anything else that does not parse is an error. */
  strict(s: string): Value {
    try {
      const v = this.parse(s);
      // int() has no range: NumPy checks it against int64 here.
      if (this.parse === pyInt && (v as bigint) >= 2n ** 63n) throw new ValueError("overflow");
      if (this.parse === pyInt && (v as bigint) < -(2n ** 63n)) throw new ValueError("overflow");
      return v;
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      if (this.missing.has(strip(s))) {
        if (!this.status) this.checked = false;
        return this.fallback;
      }
      throw new ValueError(`Cannot convert string '${s}'`);
    }
  }
  /** NumPy's iterupgrade: climb the ladder until every value of the column parses. */
  upgradeFor(column: readonly string[]): void {
    for (;;) {
      this.checked = true;
      try {
        for (const s of column) this.strict(s);
        return;
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        if (this.status === LADDER.length - 1) return;
        const step = LADDER[++this.status];
        this.parse = step.parse;
        this.dtype = step.dtype;
        this.fallback = this.initialDefault ?? step.fallback;
      }
    }
  }
}

// ---- LineSplitter ------------------------------------------------------------------------------

type Delimiter = string | number | number[] | null;
function splitter(delimiter: Delimiter, comments: string | null, autostrip: boolean): (line: string) => string[] {
  const dropComment = (line: string): string => (comments === null ? line : line.split(comments)[0]);
  let split: (line: string) => string[];
  if (Array.isArray(delimiter)) {
    const bounds = delimiter.reduce<number[]>((acc, w) => [...acc, acc[acc.length - 1] + w], [0]);
    split = (line) => {
      const l = dropComment(line);
      if (!l) return [];
      return bounds.slice(0, -1).map((b, i) => l.slice(b, bounds[i + 1]));
    };
  } else if (typeof delimiter === "number" && delimiter !== 0) {
    const w = delimiter;
    split = (line) => {
      const l = dropComment(line).replace(/^[\r\n]+|[\r\n]+$/g, "");
      if (!l) return [];
      const out: string[] = [];
      for (let i = 0; i < l.length; i += w) out.push(l.slice(i, i + w));
      return out;
    };
  } else {
    const d = typeof delimiter === "string" && delimiter !== "" ? delimiter : null;
    split = (line) => {
      const l = dropComment(line).replace(/^[ \r\n]+|[ \r\n]+$/g, "");
      if (!l) return [];
      if (d !== null) return l.split(d);
      // Python's str.split(None): runs of whitespace, none at the ends (a blank line has no fields).
      const t = strip(l);
      return t === "" ? [] : t.split(/[\s\x1c-\x1f\x85]+/);
    };
  }
  return autostrip ? (line) => split(line).map(strip) : split;
}

// ---- arguments ---------------------------------------------------------------------------------

const source = conv<string | readonly string[], string | string[]>((v): string | string[] => {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return [...v];
  throw new TypeError(`fname must be a string, a filehandle, a sequence of strings,\nor an iterator of strings. Got ${pyType(v)} instead.`);
});
const delimiterArg = conv<Delimiter, Delimiter>((v): Delimiter => {
  if (v === null || typeof v === "string") return v;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (Array.isArray(v) && v.every((x) => Number.isInteger(x))) return v as number[];
  throw new TypeError(`delimiter must be a str, an int or a sequence of ints, not ${pyType(v)}`);
});
/** A missing-value or filling spec: one for all columns, a list (one per column) or a dict by column. */
type PerColumn<T> = T | T[] | Record<string, T> | null;
const perColumn = <T>() => conv<PerColumn<T>, PerColumn<T>>((v): PerColumn<T> => v as PerColumn<T>);

/** Python's str() of a missing-value marker. */
const pyStr = (v: unknown): string =>
  typeof v === "string" ? v : typeof v === "number" && Number.isInteger(v) ? String(v) : typeof v === "number" ? String(v) : String(v);

/** A filling value as the JS value np.array takes (integers exact). */
const fillValue = (v: unknown): Value => (typeof v === "number" && Number.isInteger(v) ? BigInt(v) : (v as Value));

/**
 * np.genfromtxt(fname, dtype=float, comments='#', delimiter=None, skip_header=0,
 * skip_footer=0, converters=None, missing_values=None, filling_values=None, usecols=None,
 * names=None, …, autostrip=False, …, unpack=None, usemask=False, loose=True,
 * invalid_raise=True, max_rows=None, encoding=None, *, ndmin=0, like=None): a table from a
 * text file (a path, `.gz` decompressed) or a list of lines, missing and unparsable values
 * replaced by the filling values. dtype=None infers one type per column and needs them to
 * agree (a structured array is not available); `names`, `converters` and `usemask=True` raise
 * NotImplementedError.
 */
export const genfromtxt = def(
  "genfromtxt",
  "fname, dtype=<class 'float'>, comments='#', delimiter=None, skip_header=0, skip_footer=0, converters=None, missing_values=None, filling_values=None, usecols=None, names=None, excludelist=None, deletechars=\" !#$%&'()*+,-./:;<=>?@[\\\\]^{|}~\", replace_space='_', autostrip=False, case_sensitive=True, defaultfmt='f%i', unpack=None, usemask=False, loose=True, invalid_raise=True, max_rows=None, encoding=None, *, ndmin=0, like=None",
  {
    fname: source,
    dtype: arg.dtype,
    comments: arg.strOrNone,
    delimiter: delimiterArg,
    skip_header: arg.int,
    skip_footer: arg.int,
    converters: arg.any,
    missing_values: perColumn<unknown>(),
    filling_values: perColumn<unknown>(),
    usecols: arg.any,
    names: arg.any,
    excludelist: arg.any,
    deletechars: arg.any,
    replace_space: arg.any,
    autostrip: arg.bool,
    case_sensitive: arg.any,
    defaultfmt: arg.str,
    unpack: arg.boolOrNone,
    usemask: arg.bool,
    loose: arg.bool,
    invalid_raise: arg.bool,
    max_rows: arg.intOrNone,
    encoding: arg.strOrNone,
    ndmin: arg.int,
    like: arg.like,
  },
  (p): ndarray => {
    if (![0, 1, 2].includes(p.ndmin)) throw new ValueError(`Illegal value of ndmin keyword: ${p.ndmin}`);
    if (p.max_rows !== null) {
      if (p.skip_footer) throw new ValueError("The keywords 'skip_footer' and 'max_rows' can not be specified at the same time.");
      if (p.max_rows < 1) throw new ValueError("'max_rows' must be at least 1.");
    }
    if (p.converters !== null) {
      if (typeof p.converters !== "object" || Array.isArray(p.converters))
        throw new TypeError(`The input argument 'converter' should be a valid dictionary (got '<class '${pyType(p.converters)}'>' instead)`);
      if (Object.keys(p.converters).length) unsupported("genfromtxt", "converters");
    }
    if (p.names !== null) unsupported("genfromtxt", "names (structured arrays)");
    if (p.usemask) unsupported("genfromtxt", "usemask=True (masked arrays)");
    if (p.encoding === "bytes") unsupported("genfromtxt", "encoding='bytes'");
    const dtype = p.dtype === undefined ? DTYPES.float64 : p.dtype;
    const lines = typeof p.fname === "string" ? readLines(p.fname, p.encoding) : p.fname;
    const split = splitter(p.delimiter, p.comments, p.autostrip);

    // skip_header raw lines, then the first line that has values.
    let at = p.skip_header;
    let firstValues: string[] = [];
    let first = -1;
    while (at < lines.length && firstValues.length === 0) {
      first = at;
      firstValues = split(lines[at++]);
    }
    if (firstValues.length === 0) {
      first = lines.length;
      warn(
        `genfromtxt: Empty input file: "${typeof p.fname === "string" ? p.fname : `[${p.fname.map((l) => `'${l}'`).join(", ")}]`}"`,
        "UserWarning",
        true,
      );
    }

    let usecols: number[] | null = null;
    if (p.usecols !== null) {
      const list = typeof p.usecols === "string" ? p.usecols.split(",").map(strip) : Array.isArray(p.usecols) ? p.usecols : [p.usecols];
      usecols = list.map((c) => {
        // Names index the (absent) names list, as in NumPy.
        if (typeof c === "string") throw new AttributeError("'NoneType' object has no attribute 'index'");
        const k = Number(c);
        return k < 0 ? k + firstValues.length : k;
      });
    }
    const nbcols = (usecols && usecols.length ? usecols : firstValues).length;

    // Missing values: '' for every column, then the user's.
    const missing = Array.from({ length: nbcols }, () => new Set([""]));
    const mv = p.missing_values;
    const column = (key: string): number | null => {
      if (key === "null" || key === "None") return null;
      let k = Number(key);
      if (!Number.isInteger(k)) unsupported("genfromtxt", "missing_values / filling_values by column name");
      if (usecols) {
        const i = usecols.indexOf(k);
        if (i >= 0) k = i;
      }
      return k;
    };
    if (mv !== null && typeof mv === "object" && !Array.isArray(mv)) {
      for (const [key, val] of Object.entries(mv)) {
        const vals = (Array.isArray(val) ? val : [val]).map(pyStr);
        const k = column(key);
        for (const [i, m] of missing.entries()) if (k === null || i === k) for (const v of vals) m.add(v);
      }
    } else if (Array.isArray(mv)) mv.slice(0, nbcols).forEach((v, i) => missing[i].add(pyStr(v)));
    else if (typeof mv === "string") for (const m of missing) for (const v of mv.split(",")) m.add(v);
    else if (mv !== null) for (const m of missing) m.add(pyStr(mv));

    // Filling values: None (the converter's default) or the user's, per column.
    let filling: (Value | null)[] = new Array(nbcols).fill(null);
    const fv = p.filling_values;
    if (fv !== null && typeof fv === "object" && !Array.isArray(fv) && !("re" in fv)) {
      for (const [key, val] of Object.entries(fv)) {
        const k = column(key);
        if (k !== null && k < nbcols) filling[k] = fillValue(val);
      }
    } else if (Array.isArray(fv)) {
      filling = fv.length <= nbcols ? [...fv.map(fillValue), ...filling.slice(fv.length)] : fv.slice(0, nbcols).map(fillValue);
    } else if (fv !== null) filling = new Array(nbcols).fill(fillValue(fv));

    const converters = missing.map((m, i) => new Converter(m, filling[i], dtype));

    // The rows: lines with the wrong number of values are reported, blank lines skipped.
    const rows: string[][] = [];
    const invalid: [number, number][] = [];
    for (let i = 0; first + i < lines.length && first < lines.length; i++) {
      let values = i === 0 ? firstValues : split(lines[first + i]);
      const n = values.length;
      if (n === 0) continue;
      if (usecols && usecols.length) {
        if (usecols.some((c) => c >= n || c < -n)) {
          invalid.push([i + p.skip_header + 1, n]);
          continue;
        }
        values = usecols.map((c) => values[c < 0 ? c + n : c]);
      } else if (n !== nbcols) {
        invalid.push([i + p.skip_header + 1, n]);
        continue;
      }
      rows.push(values);
      if (rows.length === p.max_rows) break;
    }

    if (dtype === null)
      converters.forEach((c, i) => {
        c.upgradeFor(rows.map((r) => r[i]));
      });

    let skipFooter = p.skip_footer;
    if (invalid.length) {
      const nbrows = rows.length + invalid.length - skipFooter;
      let report = invalid;
      if (skipFooter > 0) {
        const skipped = invalid.filter(([line]) => line > nbrows + p.skip_header).length;
        report = invalid.slice(0, invalid.length - skipped);
        skipFooter -= skipped;
      }
      if (report.length) {
        const msg = ["Some errors were detected !", ...report.map(([line, n]) => `    Line #${line} (got ${n} columns instead of ${nbcols})`)].join(
          "\n",
        );
        if (p.invalid_raise) throw new ValueError(msg);
        warn(msg, "ConversionWarning", true);
      }
    }
    const kept = skipFooter > 0 ? rows.slice(0, Math.max(0, rows.length - skipFooter)) : rows;
    const data = kept.map((r) => r.map((s, i) => (p.loose ? converters[i].loose(s) : converters[i].strict(s))));

    let outType: DType;
    if (dtype !== null) outType = dtype;
    else {
      const types = new Set(converters.filter((c) => c.checked).map((c) => c.dtype));
      if (converters.some((c) => c.dtype === null)) unsupported("genfromtxt", "text columns (a structured or string result)");
      if (types.size !== 1) unsupported("genfromtxt", "columns of different types (a structured result)");
      outType = [...types][0] as DType;
    }
    let out = data.length ? (array(data as never, { dtype: outType.name }) as ndarray) : (array([], { dtype: outType.name }) as ndarray);
    // NumPy's _ensure_ndmin_ndarray.
    if (out.ndim > p.ndmin) out = squeeze(out);
    if (out.ndim < p.ndmin) out = p.ndmin === 1 ? out.reshape(-1) : atleast_2d(out).T;
    return p.unpack ? out.T : out;
  },
);
