import { readFileSync, writeFileSync } from "node:fs";
import { def } from "./signature.js";
import { arg, conv, pyType, unsupported } from "./param_types.js";
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { runtime } from "../core/index.js";
import { DTYPES, DTypeName, laneView } from "../core/dtype.js";
import { ndarray } from "./ndarray.js";
import { ArrayLike, asarray, fromTypedArray } from "./creation_from_data.js";
import { transpose } from "./array_manipulation.js";
import { ValueError } from "./errors.js";

/**
 * NumPy's binary files: `.npy` (one array: a magic string, a Python-dict header with dtype,
 * order and shape, then the raw elements) and `.npz` (a zip of `.npy` files, stored or
 * deflated). Files written here load in NumPy and the other way round. In a multi-rank run,
 * rank 0 writes (after gathering the array) and every rank reads.
 */

const MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

/** NumPy's descr for each dtype, little-endian ('|' where byte order does not apply). */
const DESCR: Record<DTypeName, string> = {
  bool: "|b1", int8: "|i1", uint8: "|u1", int16: "<i2", uint16: "<u2", int32: "<i4", uint32: "<u4",
  int64: "<i8", uint64: "<u8", float16: "<f2", float32: "<f4", float64: "<f8", complex64: "<c8", complex128: "<c16",
};

/** The bytes of a `.npy` file holding `a` (C order). */
export function npyBytes(a: ndarray): Uint8Array {
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(", ")})`;
  let header = `{'descr': '${DESCR[a.dtype.name]}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Magic, version 1.0, header length: the data starts on a 64-byte boundary.
  const pad = 64 - ((MAGIC.length + 4 + header.length + 1) % 64);
  header += " ".repeat(pad % 64) + "\n";
  const data = a.toTypedArray();
  const body = new Uint8Array(data.buffer, data.byteOffset, a.size * a.dtype.itemsize);
  const out = new Uint8Array(MAGIC.length + 4 + header.length + body.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

/** An array from the bytes of a `.npy` file. */
export function fromNpy(bytes: Uint8Array): ndarray {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw new ValueError("the file is not a .npy file (bad magic string)");
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [hlen, start] = major === 1 ? [view.getUint16(8, true), 10] : [view.getUint32(8, true), 12];
  const header = new TextDecoder(major >= 3 ? "utf-8" : "latin1").decode(bytes.subarray(start, start + hlen));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1] === "True";
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) throw new ValueError(`cannot parse the .npy header: ${header.trim()}`);
  const shape = shapeText.split(",").map((x) => x.trim()).filter(Boolean).map(Number);
  const name = (Object.keys(DESCR) as DTypeName[]).find((n) => DESCR[n].slice(1) === descr.slice(1));
  if (!name || !"<>|=".includes(descr[0])) throw new ValueError(`unsupported .npy dtype '${descr}' (only numeric and bool arrays)`);
  const dt = DTYPES[name];
  const size = shape.reduce((p, x) => p * x, 1);
  const at = start + hlen;
  if (bytes.length < at + size * dt.itemsize) throw new ValueError(`the .npy file is truncated: ${size} elements of ${descr} need ${size * dt.itemsize} bytes`);
  const raw = bytes.slice(at, at + size * dt.itemsize);
  if (descr[0] === ">") {
    // Big-endian data: swap each lane.
    const w = dt.itemsize / dt.lanes;
    for (let i = 0; i < raw.length; i += w) raw.subarray(i, i + w).reverse();
  }
  const lanes = laneView(dt, raw.buffer, 0, size);
  if (!fortran) return fromTypedArray(lanes, shape, name);
  // Fortran order is the C-order array of the reversed shape, transposed.
  return transpose(fromTypedArray(lanes, [...shape].reverse(), name)).copy();
}

/** np.save: write `arr` to `file` as `.npy` (".npy" is appended when missing, as NumPy does). */
/** A file name (NumPy's os.fspath: str or a path-like). */
const FILE = conv<string, string>((v): string => {
  if (typeof v !== "string") throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyType(v)}`);
  return v;
});
/** np.load's encoding, with NumPy's own message. */
const ENCODING = conv<string, string>((v): string => {
  if (v !== "ASCII" && v !== "latin1" && v !== "bytes") throw new ValueError("encoding must be 'ASCII', 'latin1', or 'bytes'");
  return v;
});
export const save = def("save", "file, arr, allow_pickle=True", { file: FILE, arr: arg.array, allow_pickle: arg.bool }, (p): void => {
  const path = p.file.endsWith(".npy") ? p.file : `${p.file}.npy`;
  const bytes = npyBytes(asarray(p.arr));
  runtime().once(() => writeFileSync(path, bytes));
});

/**
 * np.savez / np.savez_compressed: several arrays in one `.npz` file. Positional arrays are
 * named arr_0, arr_1, …; a trailing plain object gives named ones: `savez(f, a, { b, c })`.
 */
const SAVEZ_ARGS = { file: FILE, args: arg.array, allow_pickle: arg.bool, kwds: arg.array };
export const savez = def("savez", "file, *args, allow_pickle=True, **kwds", SAVEZ_ARGS, (p): void => writeNpz(p.file, p.args, p.kwds, false));
export const savez_compressed = def("savez_compressed", "file, *args, allow_pickle=True, **kwds", SAVEZ_ARGS, (p): void => writeNpz(p.file, p.args, p.kwds, true));

function writeNpz(file: string, args: ArrayLike[], kwds: Record<string, ArrayLike>, compress: boolean): void {
  const path = file.endsWith(".npz") ? file : `${file}.npz`;
  const named = new Map<string, ndarray>();
  args.forEach((a, i) => named.set(`arr_${i}`, asarray(a)));
  for (const [k, v] of Object.entries(kwds)) {
    if (named.has(k)) throw new ValueError(`Cannot use un-named variables and keyword ${k}`);
    named.set(k, asarray(v));
  }
  const bytes = zip([...named].map(([k, v]) => ({ name: `${k}.npy`, data: npyBytes(v) })), compress);
  runtime().once(() => writeFileSync(path, bytes));
}

/**
 * np.load: an array from a `.npy` file, or from a `.npz` file an object of arrays by name
 * (NumPy's NpzFile, read eagerly).
 */
export const load = def("load", "file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding='ASCII', *, max_header_size=10000",
  { file: FILE, mmap_mode: arg.strOrNone, allow_pickle: arg.bool, fix_imports: arg.bool, encoding: ENCODING, max_header_size: arg.int },
  (p): ndarray | Record<string, ndarray> => {
    if (p.mmap_mode !== null) unsupported("load", "mmap_mode=");
    return load_(p.file);
  });
function load_(file: string): ndarray | Record<string, ndarray> {
  const bytes = new Uint8Array(readFileSync(file));
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const out: Record<string, ndarray> = {};
    for (const { name, data } of unzip(bytes)) out[name.replace(/\.npy$/, "")] = fromNpy(data);
    return out;
  }
  return fromNpy(bytes);
}

// ---- zip (the subset .npz uses: stored or deflated entries, no zip64) ----------------

function zip(entries: { name: string; data: Uint8Array }[], compress: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const body = compress ? new Uint8Array(deflateRawSync(e.data)) : e.data;
    const crc = crc32(e.data) >>> 0;
    const method = compress ? 8 : 0;
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true); lv.setUint16(4, 20, true); lv.setUint16(8, method, true);
    lv.setUint32(14, crc, true); lv.setUint32(18, body.length, true); lv.setUint32(22, e.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true); cv.setUint16(4, 20, true); cv.setUint16(6, 20, true); cv.setUint16(10, method, true);
    cv.setUint32(16, crc, true); cv.setUint32(20, body.length, true); cv.setUint32(24, e.data.length, true);
    cv.setUint16(28, name.length, true); cv.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, body);
    central.push(cd);
    offset += local.length + body.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true); ev.setUint16(8, entries.length, true); ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true); ev.setUint32(16, offset, true);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) { out.set(p, at); at += p.length; }
  return out;
}

function unzip(bytes: Uint8Array): { name: string; data: Uint8Array }[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && v.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new ValueError("the .npz file has no zip directory");
  const count = v.getUint16(end + 10, true);
  let at = v.getUint32(end + 16, true);
  const out: { name: string; data: Uint8Array }[] = [];
  for (let i = 0; i < count; i++) {
    if (v.getUint32(at, true) !== 0x02014b50) throw new ValueError("corrupt .npz directory");
    const method = v.getUint16(at + 10, true), csize = v.getUint32(at + 20, true);
    const nlen = v.getUint16(at + 28, true), xlen = v.getUint16(at + 30, true), clen = v.getUint16(at + 32, true);
    const local = v.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nlen));
    const dataAt = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    const raw = bytes.subarray(dataAt, dataAt + csize);
    if (method !== 0 && method !== 8) throw new ValueError(`unsupported zip compression method ${method} in ${name}`);
    out.push({ name, data: method === 8 ? new Uint8Array(inflateRawSync(raw)) : raw });
    at += 46 + nlen + xlen + clen;
  }
  return out;
}
