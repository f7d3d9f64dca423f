import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { runtime } from "../core/index.js";
import type { ndarray } from "./ndarray.js";
import { array, asarray } from "./creation_from_data.js";
import { type DType, dtype as toDType } from "./dtypes.js";
import { AttributeError, ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv, unsupported } from "./param_types.js";
import { FILE, replaceFile } from "./io.js";
import { atleast_2d, squeeze } from "./array_manipulation.js";
import { warn } from "./warnings.js";
import { countConversions, percentFormat } from "./printing/percent_format.js";

/**
 * Text files: np.savetxt and np.loadtxt with NumPy's options, formats and errors. A name ending
 * in `.gz` is gzip-compressed, as NumPy does. Writing is done once per job (rank 0) and
 * replaces the file whole; reading parses on the calling thread.
 */

const fmtArg = conv<string | readonly string[], string | string[]>((v): string | string[] => {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return [...v];
  throw new ValueError(`invalid fmt: ${String(v)}`);
});

/** np.savetxt(fname, X, fmt='%.18e', delimiter=' ', newline='\n', header='', footer='', comments='# ', encoding=None). */
export const savetxt = def(
  "savetxt",
  "fname, X, fmt='%.18e', delimiter=' ', newline='\\n', header='', footer='', comments='# ', encoding=None",
  {
    fname: FILE,
    X: arg.array,
    fmt: fmtArg,
    delimiter: arg.str,
    newline: arg.str,
    header: arg.str,
    footer: arg.str,
    comments: arg.str,
    encoding: arg.strOrNone,
  },
  (p): void => {
    if (p.encoding !== null && !/^(utf-?8|latin-?1|ascii)$/i.test(p.encoding)) unsupported("savetxt", `encoding=${p.encoding}`);
    let X = asarray(p.X);
    if (X.ndim === 0 || X.ndim > 2) throw new ValueError(`Expected 1D or 2D array, got ${X.ndim}D array instead`);
    if (X.dtype.isComplex) unsupported("savetxt", "complex values");
    if (X.ndim === 1) X = X.reshape(-1, 1);
    const ncol = X.shape[1];
    let format: string;
    if (Array.isArray(p.fmt)) {
      if (p.fmt.length !== ncol) throw new AttributeError(`fmt has wrong shape.  [${p.fmt.map((f) => `'${f}'`).join(", ")}]`);
      format = p.fmt.join(p.delimiter);
    } else {
      const n = countConversions(p.fmt as string);
      if (n === 1) format = Array(ncol).fill(p.fmt).join(p.delimiter);
      else if (n !== ncol) throw new ValueError(`fmt has wrong number of % formats:  ${p.fmt}`);
      else format = p.fmt as string;
    }
    const rows = X.tolist({ bigint: true }) as (number | bigint | boolean)[][];
    let text = "";
    if (p.header) text += p.comments + p.header.replaceAll("\n", `\n${p.comments}`) + p.newline;
    for (const row of rows) text += percentFormat(format, row, X.dtype.name) + p.newline;
    if (p.footer) text += p.comments + p.footer.replaceAll("\n", `\n${p.comments}`) + p.newline;
    const bytes = p.encoding && /latin/i.test(p.encoding) ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8");
    const data = p.fname.endsWith(".gz") ? gzipSync(bytes) : bytes;
    runtime().once(() => replaceFile(p.fname, (sink) => sink.write(data)));
  },
);

/** The lines of a text file (`.gz` decompressed; UTF-8, or Latin-1 when `encoding` names it), without their ends. */
export function readLines(fname: string, encoding: string | null): string[] {
  let raw = readFileSync(fname);
  if (fname.endsWith(".gz")) raw = gunzipSync(raw);
  const text = (encoding && /latin/i.test(encoding) ? raw.toString("latin1") : raw.toString("utf8")).replace(/^\uFEFF/, "");
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A text value as NumPy's loadtxt parses it for `d` (floats as Python's float(), ints strictly). */
function parseValue(s: string, d: DType, line: number, col: number): number | bigint | boolean {
  const t = s.trim();
  const bad = () => new ValueError(`could not convert string '${t}' to ${d.name} at row ${line}, column ${col + 1}.`);
  if (d.kind === "f" || d.kind === "c") {
    if (/^[+-]?(inf(inity)?|nan)$/i.test(t)) return t.toLowerCase().includes("nan") ? Number.NaN : t.startsWith("-") ? -Infinity : Infinity;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw bad();
    return Number(t);
  }
  if (d.kind === "b") {
    if (!/^[+-]?\d+$/.test(t)) throw bad();
    return BigInt(t) !== 0n;
  }
  if (!/^[+-]?\d+$/.test(t)) throw bad();
  return BigInt(t);
}

/**
 * np.loadtxt: rows of numbers from a text file (comments, delimiter, skiprows, usecols,
 * unpack, ndmin, max_rows); one dtype for all columns.
 */
export const loadtxt = def(
  "loadtxt",
  "fname, dtype=<class 'float'>, comments='#', delimiter=None, converters=None, skiprows=0, usecols=None, unpack=False, ndmin=0, encoding=None, max_rows=None, *, quotechar=None, like=None",
  {
    fname: FILE,
    dtype: arg.dtype,
    comments: arg.any,
    delimiter: arg.strOrNone,
    converters: arg.any,
    skiprows: arg.int,
    usecols: arg.any,
    unpack: arg.bool,
    ndmin: arg.int,
    encoding: arg.strOrNone,
    max_rows: arg.intOrNone,
    quotechar: arg.strOrNone,
    like: arg.like,
  },
  (p): ndarray => {
    if (p.converters !== null) unsupported("loadtxt", "converters");
    if (p.quotechar !== null) unsupported("loadtxt", "quotechar");
    if (![0, 1, 2].includes(p.ndmin)) throw new ValueError(`Illegal value of ndmin keyword: ${p.ndmin}`);
    if (p.skiprows < 0) throw new ValueError("skiprows must be non-negative");
    const d = p.dtype === null ? toDType("float64") : toDType(p.dtype);
    if (d.isComplex) unsupported("loadtxt", "complex dtypes");
    const comments = (p.comments === null ? [] : Array.isArray(p.comments) ? p.comments : [p.comments]) as string[];
    const usecols = p.usecols === null ? null : ((Array.isArray(p.usecols) ? p.usecols : [p.usecols]) as number[]);
    const lines = readLines(p.fname, p.encoding);
    const rows: (number | bigint | boolean)[][] = [];
    let ncols = -1;
    for (let i = p.skiprows; i < lines.length; i++) {
      if (p.max_rows !== null && rows.length >= p.max_rows) break;
      let line = lines[i];
      for (const c of comments) {
        const at = line.indexOf(c);
        if (at >= 0) line = line.slice(0, at);
      }
      if (line.trim() === "") continue;
      let fields = p.delimiter === null ? line.trim().split(/\s+/) : line.split(p.delimiter);
      if (usecols) {
        fields = usecols.map((c) => {
          const k = c < 0 ? fields.length + c : c;
          if (k < 0 || k >= fields.length) throw new ValueError(`invalid column index ${c} at row ${i + 1} with ${fields.length} columns`);
          return fields[k];
        });
      }
      if (ncols < 0) ncols = fields.length;
      else if (fields.length !== ncols)
        throw new ValueError(
          `the number of columns changed from ${ncols} to ${fields.length} at row ${i + 1}; use \`usecols\` to select a subset and avoid this error`,
        );
      rows.push(fields.map((f, c) => parseValue(f, d, i, c)));
    }
    let out: ndarray;
    if (rows.length === 0) {
      warn(`loadtxt: input contained no data: "${p.fname}"`, "UserWarning");
      out = array([], { dtype: d.name }) as ndarray;
    } else out = array(rows as never, { dtype: d.name }) as ndarray;
    // NumPy's _ensure_ndmin_ndarray: squeeze beyond ndmin, then at least ndmin dims.
    if (out.ndim > p.ndmin) out = squeeze(out);
    if (out.ndim < p.ndmin) out = p.ndmin === 1 ? out.reshape(-1) : atleast_2d(out).T;
    if (p.unpack) return out.T;
    return out;
  },
);
