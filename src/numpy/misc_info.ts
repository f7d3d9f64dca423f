/**
 * np.info(object=None, maxwidth=76, output=None, toplevel='numpy'): help on an array (its
 * layout, in NumPy's words), a function, ufunc or method (its NumPy signature and the
 * reference page that documents it), a class (its methods), or a name looked up in np and its
 * submodules, printed as NumPy prints it.
 */
import * as np from "./index.js";
import { ndarray } from "./ndarray.js";
import { AttributeError, ModuleNotFoundError } from "./errors.js";
import { arg, conv, pyType } from "./param_types.js";
import { Signature, def } from "./signature.js";

/** Where the text goes: anything with `write(text)` (a Node stream), or the console. */
export interface InfoOutput {
  write(text: string): unknown;
}

// NumPy prints to `output` with print(file=output): anything without `write` fails there.
const outputArg = conv<InfoOutput | null>((v): InfoOutput | null => {
  if (v === null || (typeof v === "object" && typeof (v as InfoOutput).write === "function")) return v as InfoOutput | null;
  throw new AttributeError(`'${pyType(v)}' object has no attribute 'write'`);
});

/** The namespaces a name is looked for in, as NumPy's own list for toplevel='numpy'. */
function namespaces(toplevel: string): [string, Record<string, unknown>][] {
  const all: [string, Record<string, unknown>][] = [
    ["numpy", np as unknown as Record<string, unknown>],
    ["numpy.linalg", np.linalg as unknown as Record<string, unknown>],
    ["numpy.fft", np.fft as unknown as Record<string, unknown>],
    ["numpy.random", np.random as unknown as Record<string, unknown>],
  ];
  const from = all.filter(([name]) => name === toplevel || name.startsWith(`${toplevel}.`));
  if (from.length === 0) throw new ModuleNotFoundError(`No module named '${toplevel}'`);
  return from;
}

const py = (b: boolean): string => (b ? "True" : "False");
const tuple = (xs: readonly number[]): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(", ")})`);

/** NumPy's _info: the array's class, shape, strides and layout. */
function arrayInfo(a: ndarray): string[] {
  const st = a._store;
  return [
    "class:  ndarray",
    `shape:  ${tuple(a.shape)}`,
    `strides:  ${tuple(a.strides)}`,
    `itemsize:  ${a.itemsize}`,
    "aligned:  True",
    `contiguous:  ${py(a.flags.c_contiguous)}`,
    `fortran:  ${py(a.flags.f_contiguous)}`,
    // Host memory is a SharedArrayBuffer, not an address: its storage and the view's place in it.
    `data pointer: storage ${st.storage.id} + ${(st.offset * a.itemsize) | 0} bytes`,
    "byteorder:  little",
    "byteswap:  False",
    `type: ${a.dtype.name}`,
  ];
}

/** NumPy's _split_line: the signature cut at ", " to fit `width`, continued under the "(". */
function splitLine(name: string, args: string, width: number): string {
  if (name.length + args.length <= width) return name + args;
  const first = name.length;
  let k = first,
    out = name;
  for (const a of args.split(", ")) {
    const sep = k === first ? "" : ", ";
    k += a.length + sep.length;
    if (k > width) {
      k = first + 1 + a.length;
      out += `,\n${" ".repeat(first + 2)}${a}`;
    } else out += sep + a;
  }
  return out;
}

/** The qualified name of a function of np or a submodule (by identity), or its own name. */
function qualified(f: unknown, name: string): string {
  for (const [mod, ns] of namespaces("numpy")) if (ns[name] === f) return `${mod}.${name}`;
  if ((ndarray.prototype as unknown as Record<string, unknown>)[name] === f) return `numpy.ndarray.${name}`;
  return `numpy.${name}`;
}

const REFERENCE = "https://numpy.org/doc/stable/reference/generated/";

function functionInfo(f: { signature: Signature }, maxwidth: number): string[] {
  const sig = f.signature;
  const name = qualified(f, sig.name);
  return [
    ` ${splitLine(sig.name, `(${sig.text})`, maxwidth)}`,
    "",
    `Tessera's ${name}: NumPy's parameters, results, dtypes and errors.`,
    `Documented at ${REFERENCE}${name}.html`,
  ];
}

/** "  name  --  name(params)" for each public function among `members`, as NumPy lists methods. */
function listing(members: Iterable<[string, unknown]>, maxwidth: number): string[] {
  const lines = new Map<string, string>();
  for (const [key, value] of members) {
    if (key.startsWith("_") || key === "constructor" || typeof value !== "function" || lines.has(key)) continue;
    const s = (value as { signature?: unknown }).signature;
    lines.set(key, `  ${key}  --  ${s instanceof Signature ? splitLine(key, `(${s.text})`, maxwidth - 6 - key.length) : `${key}()`}`);
  }
  return [...lines.keys()].sort().map((k) => lines.get(k)!);
}

function classInfo(c: { name: string; prototype: object }, maxwidth: number): string[] {
  const members: [string, unknown][] = [];
  for (let p: object | null = c.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const key of Object.getOwnPropertyNames(p)) members.push([key, Object.getOwnPropertyDescriptor(p, key)?.value]);
  const methods = listing(members, maxwidth);
  return [` ${c.name}()`, "", ...(methods.length ? ["", "Methods:", "", ...methods] : [])];
}

/** A module (np.linalg, np.fft, …): its name and its functions. */
function moduleInfo(ns: Record<string, unknown>, maxwidth: number): string[] {
  const name = namespaces("numpy").find(([, m]) => m === ns)?.[0] ?? "module";
  return [`Tessera's ${name}.`, "", "Functions:", "", ...listing(Object.entries(ns), maxwidth)];
}

function describe(object: unknown, maxwidth: number, toplevel: string): string[] {
  if (object === null || object === undefined) return describe(info, maxwidth, toplevel);
  if (object instanceof ndarray) return arrayInfo(object);
  if (typeof object === "string") {
    const lines: string[] = [];
    const seen: unknown[] = [];
    let found = 0;
    for (const [mod, ns] of namespaces(toplevel)) {
      if (!Object.hasOwn(ns, object)) continue;
      const obj = ns[object];
      found++;
      if (seen.includes(obj)) lines.push("", `     *** Repeat reference found in ${mod} *** `);
      else {
        seen.push(obj);
        lines.push(`     *** Found in ${mod} ***`, ...describe(obj, maxwidth, toplevel), "-".repeat(maxwidth));
      }
    }
    if (found === 0) return [`Help for ${object} not found.`];
    return [...lines, "", `     *** Total of ${found} references found. ***`];
  }
  if (typeof object === "function") {
    const s = (object as { signature?: unknown }).signature;
    if (s instanceof Signature) return functionInfo(object as unknown as { signature: Signature }, maxwidth);
    if (/^class\b/.test(Function.prototype.toString.call(object))) return classInfo(object as { name: string; prototype: object }, maxwidth);
    return [` ${object.name}(...)`];
  }
  if (typeof object === "object" && (object as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === "Module")
    return moduleInfo(object as Record<string, unknown>, maxwidth);
  return [typeof object === "object" ? Object.prototype.toString.call(object) : String(object)];
}

/** np.info: printed to `output` (anything with `write`), or to the console. */
export const info = def(
  "info",
  "object=None, maxwidth=76, output=None, toplevel='numpy'",
  // NumPy only compares maxwidth with lengths: any real number is a width.
  { object: arg.any, maxwidth: arg.float, output: outputArg, toplevel: arg.str },
  (p): void => {
    const text = describe(p.object, p.maxwidth, p.toplevel).join("\n");
    if (p.output) p.output.write(`${text}\n`);
    else console.log(text);
  },
);
