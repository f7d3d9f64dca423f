import { readFileSync } from "node:fs";
import { DTYPES } from "../core/index.js";
import type { DType } from "../core/index.js";
import type { ndarray } from "./ndarray.js";
import { array, frombuffer } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { FileNotFoundError, ValueError, fileError } from "./errors.js";
import { binding, def } from "./signature.js";
import { arg, conv, pyType, unsupported } from "./param_types.js";
import { FILE } from "./io.js";

/**
 * Raw files and strings: np.fromfile (binary, or text with `sep`) and np.fromstring (text with
 * `sep`; its binary mode is removed in NumPy 2). Text is read by NumPy's own loop: a value by
 * the C parser of the dtype (strtod for floats and bools, strtoll / strtoull for integers, a
 * real or `a+bj` for complex), then the separator, in which whitespace matches any run of
 * whitespace and whitespace may precede it. Parsing runs on the calling thread.
 */

export { FileNotFoundError };

const isSpace = (c: string): boolean => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\v" || c === "\f";

/** NumPy's swab_separator: whitespace runs become one wildcard blank, and one leads the separator. */
function cleanSeparator(sep: string): string {
  let out = sep !== "" && !isSpace(sep[0]) ? " " : "";
  let skip = false;
  for (const c of sep) {
    if (isSpace(c)) {
      if (!skip) out += " ";
      skip = true;
    } else {
      out += c;
      skip = false;
    }
  }
  return out;
}

/** NumPy's fromstr_skip_separator: [0 matched | -1 end of text | -2 no match, the new position]. */
function skipSeparator(s: string, pos: number, sep: string): [number, number] {
  const start = pos;
  let k = 0;
  for (;;) {
    if (pos >= s.length) return [-1, pos];
    const c = s[pos];
    if (k === sep.length) return [pos !== start ? 0 : -2, pos];
    if (sep[k] === " ") {
      if (!isSpace(c)) {
        k++;
        continue;
      }
    } else if (sep[k] !== c) return [-2, pos];
    else k++;
    pos++;
  }
}

const FLOAT_RE = /[+-]?(?:inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/iy;

/** strtod at `pos` (leading whitespace skipped): [value, end], end === pos when nothing is read. */
function readFloat(s: string, pos: number): [number, number] {
  let p = pos;
  while (p < s.length && isSpace(s[p])) p++;
  FLOAT_RE.lastIndex = p;
  const m = FLOAT_RE.exec(s);
  if (!m) return [0, pos];
  const t = m[0].toLowerCase();
  const sign = t.startsWith("-") ? -1 : 1;
  const v = t.includes("inf") ? sign * Infinity : t.includes("nan") ? Number.NaN : Number(m[0]);
  return [v, p + m[0].length];
}

/** One value of dtype `d` at `pos`, as NumPy's `fromstr` of that dtype reads it: [value, end]. */
function readValue(s: string, pos: number, d: DType): [unknown, number] {
  if (d.isInteger) {
    let p = pos;
    while (p < s.length && isSpace(s[p])) p++;
    const re = d.kind === "u" ? /\+?\d+/y : /[+-]?\d+/y;
    re.lastIndex = p;
    const m = re.exec(s);
    if (!m) return [0, pos];
    const big = BigInt(m[0]);
    // C's conversion to the element type wraps.
    const v = d.kind === "u" ? BigInt.asUintN(d.itemsize * 8, big) : BigInt.asIntN(d.itemsize * 8, big);
    return [d.itemsize === 8 ? v : Number(v), p + m[0].length];
  }
  const [x, end] = readFloat(s, pos);
  if (end === pos) return [0, pos];
  if (d.kind === "b") return [x !== 0, end];
  if (!d.isComplex) return [x, end];
  // Complex: a real part, then `j` (it was the imaginary part) or a signed imaginary part ending in `j`.
  if (s[end] === "j") return [{ re: 0, im: x }, end + 1];
  if (s[end] === "+" || s[end] === "-") {
    const [y, e2] = readFloat(s, end);
    if (e2 > end && s[e2] === "j") return [{ re: x, im: y }, e2 + 1];
  }
  return [{ re: x, im: 0 }, end];
}

/** NumPy's array_from_text over a whole string. */
function fromText(s: string, d: DType, count: number, sep: string): ndarray {
  const clean = cleanSeparator(sep);
  const values: unknown[] = [];
  let pos = 0,
    flag = 0;
  for (let i = 0; count < 0 || i < count; i++) {
    const [v, end] = readValue(s, pos, d);
    if (end === pos) {
      // Nothing read: the end of the text (after any whitespace) or unmatched data.
      let q = pos;
      while (q < s.length && isSpace(s[q])) q++;
      flag = q >= s.length ? -1 : -2;
      break;
    }
    values.push(v);
    pos = end;
    const [r, next] = skipSeparator(s, pos, clean);
    pos = next;
    if (r < 0) {
      // Having read as many as requested, the separator is optional.
      flag = count === i + 1 ? -1 : r;
      break;
    }
  }
  if (flag === -2) throw new ValueError("string or file could not be read to its end due to unmatched data");
  return array(values as ArrayLike, { dtype: d });
}

/** A dtype NumPy's text reader has a parser for (all of Tessera's numeric types and bool). */
const textType = (d: DType | null): DType => d ?? DTYPES.float64;

/** A `string` argument: str (or bytes, read as Latin-1). */
const STRING = conv<string | Uint8Array, string>((v): string => {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString("latin1");
  throw new TypeError(`a bytes-like object is required, not '${pyType(v)}'`);
});

/**
 * np.fromstring(string, dtype=float, count=-1, *, sep, like=None): a 1-D array of the numbers
 * in `string`, separated by `sep` (whitespace in it matches any whitespace). NumPy 2 removed the
 * binary mode (`sep=''`): use np.frombuffer.
 */
export const fromstring = binding(
  def(
    "fromstring",
    "string, dtype=<class 'float'>, count=-1, *, sep='', like=None",
    { string: STRING, dtype: arg.dtype, count: arg.int, sep: arg.str, like: arg.like },
    (p): ndarray => {
      if (p.sep === "") throw new ValueError("The binary mode of fromstring is removed, use frombuffer instead");
      return fromText(p.string, textType(p.dtype), p.count, p.sep);
    },
  ),
  { style: "capi" },
);

/** The bytes of a file, with Python's FileNotFoundError for a missing one. */
function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw fileError(file, e);
  }
}

/**
 * np.fromfile(file, dtype=float, count=-1, sep='', offset=0, *, like=None): a 1-D array from
 * a file: its raw bytes (`sep=''`; little-endian, from byte `offset`, `count` items or all
 * whole items) or its text (`sep` between the numbers, as np.fromstring reads them).
 */
export const fromfile = binding(
  def(
    "fromfile",
    "file, dtype=None, count=-1, sep='', offset=0, *, like=None",
    { file: FILE, dtype: arg.dtype, count: arg.int, sep: arg.str, offset: arg.int, like: arg.like },
    (p): ndarray => {
      const d = textType(p.dtype);
      if (p.sep !== "") {
        if (p.offset !== 0) throw new TypeError("'offset' argument only permitted for binary files");
        return fromText(readBytes(p.file).toString("latin1"), d, p.count, p.sep);
      }
      if (p.offset < 0) unsupported("fromfile", "a negative offset");
      const bytes = readBytes(p.file);
      const avail = Math.floor((bytes.length - p.offset) / d.itemsize);
      if (avail < 0) throw new ValueError("negative dimensions are not allowed");
      const n = p.count < 0 ? avail : Math.min(p.count, avail);
      return frombuffer(bytes, d, n, p.offset);
    },
  ),
  { style: "capi" },
);
