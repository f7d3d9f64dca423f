/**
 * NumPy's ndarray.flags: the memory layout of an array as NumPy reports it. The object is
 * read only here: every array is aligned and writeable (writes are not refused), none is a
 * write-back copy; OWNDATA is true for the array that first wrapped its memory.
 */
import type { ndarray } from "./ndarray.js";
import { AttributeError, KeyError, ValueError } from "./errors.js";
import { unsupported } from "./param_types.js";

/** Whether the elements are laid out in C order (or Fortran order), as NumPy's flags say. */
export function contiguous(a: ndarray, fortran: boolean): boolean {
  const s = a._store;
  const dims = s.shape.map((n, i) => [n, s.strides[i]] as const).filter(([n]) => n !== 1);
  if (dims.some(([n]) => n === 0)) return true;
  if (fortran) dims.reverse();
  let expect = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    if (dims[i][1] !== expect) return false;
    expect *= dims[i][0];
  }
  return true;
}

const NAMES = ["C_CONTIGUOUS", "F_CONTIGUOUS", "OWNDATA", "WRITEABLE", "ALIGNED", "WRITEBACKIFCOPY"] as const;
/** The keys NumPy's flags[...] takes, by the flag (or combination) they name. */
const KEYS: Record<string, string> = {
  C: "c_contiguous",
  CONTIGUOUS: "c_contiguous",
  C_CONTIGUOUS: "c_contiguous",
  F: "f_contiguous",
  FORTRAN: "f_contiguous",
  F_CONTIGUOUS: "f_contiguous",
  O: "owndata",
  OWNDATA: "owndata",
  W: "writeable",
  WRITEABLE: "writeable",
  A: "aligned",
  ALIGNED: "aligned",
  X: "writebackifcopy",
  WRITEBACKIFCOPY: "writebackifcopy",
  B: "behaved",
  BEHAVED: "behaved",
  CA: "carray",
  CARRAY: "carray",
  FA: "farray",
  FARRAY: "farray",
  FNC: "fnc",
  FORC: "forc",
};

/** NumPy's flagsobj: `a.flags.c_contiguous`, `a.flags.get("C")` (NumPy's `a.flags['C']`), and its repr as `String()`. */
export class ArrayFlags {
  constructor(private readonly a: ndarray) {}
  get c_contiguous(): boolean {
    return contiguous(this.a, false);
  }
  get f_contiguous(): boolean {
    return contiguous(this.a, true);
  }
  get owndata(): boolean {
    return this.a.base === null;
  }
  get writeable(): boolean {
    return true;
  }
  /** Read-only arrays are not available: setting false raises NotImplementedError (true is what every array is). */
  set writeable(v: boolean) {
    if (!v) unsupported("flags", "writeable=False (read-only arrays)");
  }
  get aligned(): boolean {
    return true;
  }
  set aligned(v: boolean) {
    if (!v) unsupported("flags", "aligned=False");
  }
  get writebackifcopy(): boolean {
    return false;
  }
  set writebackifcopy(v: boolean) {
    if (v) throw new ValueError("cannot set WRITEBACKIFCOPY flag to True");
  }
  get behaved(): boolean {
    return this.aligned && this.writeable;
  }
  get carray(): boolean {
    return this.behaved && this.c_contiguous;
  }
  /** NumPy's test: any of aligned, writeable, F-contiguous, and not C-contiguous. */
  get farray(): boolean {
    return (this.aligned || this.writeable || this.f_contiguous) && !this.c_contiguous;
  }
  get fnc(): boolean {
    return this.f_contiguous && !this.c_contiguous;
  }
  get forc(): boolean {
    return this.f_contiguous || this.c_contiguous;
  }
  /** flags[key]: a flag by its name or letter ("C", "F_CONTIGUOUS", "W", "FNC", …). */
  get(key: string): boolean {
    const k = KEYS[key];
    if (k === undefined) throw new KeyError("'Unknown flag'");
    return (this as unknown as Record<string, boolean>)[k];
  }
  toString(): string {
    return `${NAMES.map((n) => `  ${n} : ${(this as unknown as Record<string, boolean>)[n.toLowerCase()] ? "True" : "False"}`).join("\n")}\n`;
  }
}
// NumPy's read-only flags, as the AttributeError it raises on assignment.
for (const name of ["c_contiguous", "f_contiguous", "owndata", "behaved", "carray", "farray", "fnc", "forc"]) {
  const d = Object.getOwnPropertyDescriptor(ArrayFlags.prototype, name)!;
  Object.defineProperty(ArrayFlags.prototype, name, {
    ...d,
    set(): void {
      throw new AttributeError(`attribute '${name}' of 'numpy._core.multiarray.flagsobj' objects is not writable`);
    },
  });
}
