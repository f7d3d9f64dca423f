import { DTYPES, type DType } from "../core/index.js";
import type { DTypeName } from "../core/index.js";
import { dtype as toDType } from "./dtypes.js";
import { OverflowError, ValueError } from "./errors.js";

/**
 * NumPy's `.npy` format (numpy.lib.format): the magic string, the version, the header length
 * and the header, a Python literal dict `{'descr': '<f8', 'fortran_order': False, 'shape':
 * (3, 4), }` padded with spaces and ended by a newline, then the raw elements. The header is
 * read by a small parser of Python literals (what ast.literal_eval accepts that a header can
 * hold), never by pattern matching, and checked as NumPy checks it, with NumPy's messages.
 */

export const MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

/** NumPy's descr for each dtype, little-endian ('|' where byte order does not apply). */
export const DESCR: Record<DTypeName, string> = {
  bool: "|b1",
  int8: "|i1",
  uint8: "|u1",
  int16: "<i2",
  uint16: "<u2",
  int32: "<i4",
  uint32: "<u4",
  int64: "<i8",
  uint64: "<u8",
  float16: "<f2",
  float32: "<f4",
  float64: "<f8",
  complex64: "<c8",
  complex128: "<c16",
};

/** numpy.lib.format._check_version. */
export function checkVersion(major: number, minor: number): void {
  if ((major === 1 || major === 2 || major === 3) && minor === 0) return;
  throw new ValueError(`we only support format version (1,0), (2,0), and (3,0), not (${major}, ${minor})`);
}

/**
 * The header of an array (NumPy's _wrap_header_guess_version): version 1.0 unless the header
 * does not fit its 16-bit length, padded so that the data starts on a 64-byte boundary.
 */
export function npyHeader(shape: readonly number[], dt: DType, fortran: boolean): Uint8Array {
  const text = `{'descr': '${DESCR[dt.name]}', 'fortran_order': ${fortran ? "True" : "False"}, 'shape': ${pyTupleRepr(shape.map(String))}, }`;
  for (const [major, pre] of [
    [1, 10],
    [2, 12],
  ] as const) {
    const pad = (64 - ((pre + text.length + 1) % 64)) % 64;
    const len = text.length + pad + 1;
    if (major === 1 && len >= 1 << 16) continue;
    const out = new Uint8Array(pre + len);
    out.set(MAGIC, 0);
    out[6] = major;
    const v = new DataView(out.buffer);
    if (major === 1) v.setUint16(8, len, true);
    else v.setUint32(8, len, true);
    for (let i = 0; i < text.length; i++) out[pre + i] = text.charCodeAt(i);
    out.fill(0x20, pre + text.length, out.length - 1);
    out[out.length - 1] = 0x0a;
    return out;
  }
  throw new ValueError("Header length is too big for version=(2, 0)");
}

// ---- Python literals -----------------------------------------------------------------

/** A value of a Python literal (what ast.literal_eval returns, as far as a header needs). */
export type PyValue =
  | { t: "str"; v: string }
  | { t: "bytes"; v: string }
  | { t: "int"; v: bigint }
  | { t: "float"; v: number }
  | { t: "complex"; re: number; im: number }
  | { t: "bool"; v: boolean }
  | { t: "none" }
  | { t: "tuple" | "list" | "set"; items: PyValue[] }
  | { t: "dict"; keys: PyValue[]; values: PyValue[] };

class LiteralError extends Error {}

/**
 * Parse `text` as ast.literal_eval does for the literals a header may hold: str (with
 * Python's escapes), bytes, int (with `_`, 0x/0o/0b, and Python 2's `L` suffix when
 * `longSuffix`), float, complex, True/False/None, tuples, lists, sets and dicts (a repeated key
 * keeps its first place and its last value, as in Python), unary signs on numbers, comments and
 * whitespace. Anything else (names, calls, operators) is not a literal: a LiteralError.
 */
export function parsePyLiteral(text: string, longSuffix = false): PyValue {
  let i = 0;
  const fail = (why: string): never => {
    throw new LiteralError(why);
  };
  const space = (): void => {
    for (;;) {
      const c = text[i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f") i++;
      else if (c === "\\" && text[i + 1] === "\n") i += 2;
      else if (c === "#") {
        while (i < text.length && text[i] !== "\n") i++;
      } else return;
    }
  };
  const value = (depth: number): PyValue => {
    if (depth > 100) fail("too deeply nested");
    space();
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") return container(c, depth);
    if (c === "'" || c === '"') return { t: "str", v: str() };
    if (c === "-" || c === "+") {
      i++;
      space();
      const n = number();
      if (n.t === "str" || n.t === "bytes") fail("sign before a string");
      return c === "+" ? n : negate(n);
    }
    if (c !== undefined && /[0-9.]/.test(c)) return number();
    const word = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 64))?.[0];
    if (word === "True" || word === "False") {
      i += word.length;
      return { t: "bool", v: word === "True" };
    }
    if (word === "None") {
      i += 4;
      return { t: "none" };
    }
    if (word && /^[uUbB]$/.test(word) && (text[i + 1] === "'" || text[i + 1] === '"')) {
      i++;
      const s = str();
      return word.toLowerCase() === "b" ? (/^[\x00-\x7f]*$/.test(s) ? { t: "bytes", v: s } : fail("non-ASCII bytes")) : { t: "str", v: s };
    }
    return fail(`unexpected ${c === undefined ? "end" : JSON.stringify(c)}`);
  };
  const negate = (n: PyValue): PyValue =>
    n.t === "int"
      ? { t: "int", v: -n.v }
      : n.t === "float"
        ? { t: "float", v: -n.v }
        : n.t === "complex"
          ? { t: "complex", re: -n.re, im: -n.im }
          : fail("sign");
  const number = (): PyValue => {
    const m =
      /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?(?:\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?)([jJ]|[lL])?/.exec(
        text.slice(i),
      );
    const body = m ? m[0].replace(/[jJlL]$/, "") : "";
    if (!m || body === "" || body === ".") return fail("bad number");
    i += m[0].length;
    if (/[\w.]/.test(text[i] ?? "")) fail("bad number");
    const plain = body.replace(/_/g, "");
    const isInt = /^(0[xXoObB].*|\d+)$/.test(plain);
    if (m[1] === "j" || m[1] === "J") return { t: "complex", re: 0, im: Number(plain) };
    if (isInt) {
      if (/^0\d*[1-9]/.test(plain) && !/^0[xXoObB]/.test(plain)) fail("leading zeros in an integer");
      if ((m[1] === "l" || m[1] === "L") && !longSuffix) fail("L suffix");
      return { t: "int", v: BigInt(plain) };
    }
    if (m[1]) fail("L suffix on a float");
    return { t: "float", v: Number(plain) };
  };
  const str = (): string => {
    const q = text[i++];
    let out = "";
    for (;;) {
      const c = text[i++];
      if (c === undefined || c === "\n") fail("unterminated string");
      if (c === q) return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = text[i++];
      const hex = (n: number): string => {
        const h = text.slice(i, i + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) fail("bad escape");
        i += n;
        const cp = parseInt(h, 16);
        return cp > 0x10ffff ? fail("bad escape") : String.fromCodePoint(cp);
      };
      switch (e) {
        case "\n":
          break;
        case "\\":
        case "'":
        case '"':
          out += e;
          break;
        case "a":
          out += "\x07";
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "v":
          out += "\v";
          break;
        case "x":
          out += hex(2);
          break;
        case "u":
          out += hex(4);
          break;
        case "U":
          out += hex(8);
          break;
        default:
          if (e !== undefined && /[0-7]/.test(e)) {
            const o = /^[0-7]{1,3}/.exec(text.slice(i - 1))![0];
            i += o.length - 1;
            out += String.fromCodePoint(parseInt(o, 8));
          } else if (e === undefined) fail("unterminated string");
          else out += `\\${e}`;
      }
    }
  };
  const container = (open: string, depth: number): PyValue => {
    const close = open === "(" ? ")" : open === "[" ? "]" : "}";
    i++;
    const items: PyValue[] = [],
      values: PyValue[] = [];
    let isDict: boolean | null = open === "{" ? null : false,
      comma = false;
    for (;;) {
      space();
      if (text[i] === close) {
        i++;
        break;
      }
      if (items.length && !comma) fail(`expected ',' or '${close}'`);
      items.push(value(depth + 1));
      space();
      if (open === "{") {
        const colon = text[i] === ":";
        if (isDict === null) isDict = colon;
        else if (isDict !== colon) fail("mixed dict and set");
        if (colon) {
          i++;
          values.push(value(depth + 1));
          space();
        }
      }
      comma = text[i] === ",";
      if (comma) i++;
    }
    if (open === "(") return items.length === 1 && !comma ? items[0] : { t: "tuple", items };
    if (open === "[") return { t: "list", items };
    if (isDict === false) return { t: "set", items };
    // A dict: a repeated key keeps its first position and takes the last value.
    const keys: PyValue[] = [],
      vals: PyValue[] = [],
      at = new Map<string, number>();
    items.forEach((k, n) => {
      if (["list", "dict", "set"].includes(k.t)) fail("unhashable key");
      const id = hashKey(k),
        seen = at.get(id);
      if (seen === undefined) {
        at.set(id, keys.length);
        keys.push(k);
        vals.push(values[n]);
      } else vals[seen] = values[n];
    });
    return { t: "dict", keys, values: vals };
  };
  const v = value(0);
  space();
  if (i < text.length) fail("text after the value");
  return v;
}

/** Python's equality for dict keys: 1 == 1.0 == True. */
function hashKey(k: PyValue): string {
  switch (k.t) {
    case "int":
      return `n${k.v}`;
    case "bool":
      return `n${k.v ? 1 : 0}`;
    case "float":
      return Number.isInteger(k.v) ? `n${BigInt(k.v)}` : `f${k.v}`;
    case "complex":
      return k.im === 0 ? hashKey({ t: "float", v: k.re }) : `c${k.re},${k.im}`;
    case "tuple":
      return `(${k.items.map(hashKey).join(",")})`;
    default:
      return `${k.t}:${pyValueRepr(k)}`;
  }
}

// ---- Python's repr, for NumPy's messages ----------------------------------------------

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's repr of a str. */
export function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c < 0x7f || (ch !== " " && !NOT_PRINTABLE.test(ch))) out += ch;
    else if (c <= 0xff) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c <= 0xffff) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += `\\U${c.toString(16).padStart(8, "0")}`;
  }
  return out + q;
}

/** Python's repr of bytes (given as a latin-1 string or bytes). */
export function pyBytesRepr(b: string | Uint8Array): string {
  const s = typeof b === "string" ? b : String.fromCharCode(...b);
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = `b${q}`;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === q || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + q;
}

/** Python's repr of a float. */
export function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e16 || a < 1e-4)) return v.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  const s = String(v);
  return /[.e]/.test(s) ? s : `${Object.is(v, -0) ? "-0" : s}.0`;
}

const pyTupleRepr = (items: string[]): string => (items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`);

/** Python's repr of a literal value. */
export function pyValueRepr(x: PyValue): string {
  switch (x.t) {
    case "str":
      return pyStrRepr(x.v);
    case "bytes":
      return pyBytesRepr(x.v);
    case "int":
      return String(x.v);
    case "float":
      return pyFloatRepr(x.v);
    case "complex":
      return x.re === 0 && !Object.is(x.re, -0)
        ? `${pyFloatRepr(x.im).replace(/\.0$/, "")}j`
        : `(${pyFloatRepr(x.re).replace(/\.0$/, "")}${x.im < 0 || Object.is(x.im, -0) ? "-" : "+"}${pyFloatRepr(Math.abs(x.im)).replace(/\.0$/, "")}j)`;
    case "bool":
      return x.v ? "True" : "False";
    case "none":
      return "None";
    case "tuple":
      return pyTupleRepr(x.items.map(pyValueRepr));
    case "list":
      return `[${x.items.map(pyValueRepr).join(", ")}]`;
    case "set":
      return x.items.length ? `{${x.items.map(pyValueRepr).join(", ")}}` : "set()";
    case "dict":
      return `{${x.keys.map((k, n) => `${pyValueRepr(k)}: ${pyValueRepr(x.values[n])}`).join(", ")}}`;
  }
}

// ---- the header ----------------------------------------------------------------------

/** A checked header: the shape as Python ints (bools stay bools, as NumPy keeps them). */
export interface NpyHeader {
  dims: (bigint | boolean)[];
  fortran: boolean;
  dtype: DType;
  bigEndian: boolean;
  /** descr names an object array (pickled data). */
  object: boolean;
}

const EXPECTED_KEYS = ["descr", "fortran_order", "shape"];

/**
 * Check a decoded header as numpy.lib.format._read_array_header does, with its messages; the
 * header must also end with the newline the format prescribes (every NumPy writer has put it
 * there): without it, a header length that is too small passes data bytes off as padding.
 */
export function parseHeader(header: string, version: number): NpyHeader {
  let d: PyValue;
  try {
    d = parsePyLiteral(header, version <= 2);
  } catch (e) {
    if (e instanceof LiteralError) throw new ValueError(`Cannot parse header: ${pyStrRepr(header)}`);
    throw e;
  }
  if (d.t !== "dict") throw new ValueError(`Header is not a dictionary: ${pyValueRepr(d)}`);
  const names = d.keys.map((k) => (k.t === "str" ? k.v : null));
  if (names.length !== 3 || !EXPECTED_KEYS.every((k) => names.includes(k))) {
    const reprs = d.keys.map(pyValueRepr).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    throw new ValueError(`Header does not contain the correct keys: [${reprs.join(", ")}]`);
  }
  const get = (k: string): PyValue => d.values[names.indexOf(k)];
  const shape = get("shape"),
    fortran = get("fortran_order"),
    descr = get("descr");
  if (shape.t !== "tuple" || !shape.items.every((x) => x.t === "int" || x.t === "bool"))
    throw new ValueError(`shape is not valid: ${pyValueRepr(shape)}`);
  if (fortran.t !== "bool") throw new ValueError(`fortran_order is not a valid bool: ${pyValueRepr(fortran)}`);
  const { dtype, bigEndian, object } = descrToDType(descr);
  if (!header.endsWith("\n")) throw new ValueError(`the .npy header does not end with a newline, so its length is wrong: ${pyStrRepr(header)}`);
  return { dims: shape.items.map((x) => (x as { v: bigint | boolean }).v), fortran: fortran.v, dtype, bigEndian, object };
}

/**
 * A descr as numpy.dtype reads it: a type string, with a byte order only before a type code
 * ('<f8', '>i4', '|b1', '=d'; a name such as 'float64' takes none). Object arrays are
 * flagged; NumPy dtypes Tessera has no counterpart for (strings, structured, datetimes)
 * raise TypeError.
 */
function descrToDType(descr: PyValue): { dtype: DType; bigEndian: boolean; object: boolean } {
  const invalid = () => new ValueError(`descr is not a valid dtype descriptor: ${pyValueRepr(descr)}`);
  if (descr.t === "list" || descr.t === "tuple")
    throw new TypeError(`data type ${pyValueRepr(descr)} is not supported by tessera (structured and subarray dtypes)`);
  if (descr.t !== "str") throw invalid();
  const m = /^([<>=|]?)(.*)$/s.exec(descr.v)!;
  const [order, body] = [m[1], m[2]];
  if (/^O\d*$/.test(body) || (!order && body === "object")) return { dtype: DTYPES.uint8, bigEndian: false, object: true };
  if (order && !/^[A-Za-z?]\d*$/.test(body) && !/^[Mm]8\[\w+\]$/.test(body)) throw invalid();
  let dtype: DType;
  try {
    dtype = toDType(body);
  } catch (e) {
    if (e instanceof TypeError && /not supported by tessera/.test(e.message))
      throw new TypeError(`data type ${pyStrRepr(descr.v)} is not supported by tessera`);
    throw invalid();
  }
  return { dtype, bigEndian: order === ">" && dtype.itemsize / dtype.lanes > 1, object: false };
}

/** Python's repr of a shape tuple. */
export function shapeRepr(dims: readonly (bigint | boolean | number)[]): string {
  return pyTupleRepr(dims.map((x) => (typeof x === "boolean" ? (x ? "True" : "False") : String(x))));
}

/** The element count NumPy computes (np.multiply.reduce in int64: it wraps around). */
export function elementCount(dims: readonly (bigint | boolean)[]): bigint {
  let n = 1n;
  for (const x of dims) {
    const v = typeof x === "boolean" ? BigInt(x) : x;
    if (v > 2n ** 63n - 1n || v < -(2n ** 63n)) throw new OverflowError("Python int too large to convert to C long");
    n = BigInt.asIntN(64, n * v);
  }
  return n;
}

/**
 * After the data is read: NumPy's reshape of `count` elements into `dims` (bools are not
 * accepted there, negative and wrapped-around dimensions fail). The shape as numbers.
 */
export function checkReshape(dims: readonly (bigint | boolean)[], count: bigint): number[] {
  if (dims.some((x) => typeof x === "boolean")) throw new TypeError("an integer is required");
  const ds = dims as bigint[];
  if (ds.filter((x) => x < 0n).length > 1) throw new ValueError("can only specify one unknown dimension");
  if (ds.some((x) => x < 0n) || ds.reduce((p, x) => p * x, 1n) !== count)
    throw new ValueError(`cannot reshape array of size ${count} into shape (${ds.join(",")}${ds.length === 1 ? "," : ""})`);
  return ds.map(Number);
}
