/**
 * ndarray's methods on raw memory: tobytes, tofile, byteswap. Elements are little-endian in C
 * (or Fortran) order, as NumPy lays them out on this machine.
 */
import { runtime } from "../core/index.js";
import type { ndarray } from "./ndarray.js";
import { replaceFile } from "./io.js";
import { copyInto } from "./copy.js";
import { fromTypedArray } from "./creation_from_data.js";
import { percentFormat } from "./printing/percent_format.js";
import { contiguous } from "./ndarray_flags.js";

/** The elements' bytes in C order, or in Fortran order for `fortran`. */
export function bytesOf(a: ndarray, fortran: boolean): Uint8Array {
  const t = (fortran && a.ndim > 1 ? a.T : a).toTypedArray();
  return new Uint8Array(t.buffer, t.byteOffset, a.size * a.itemsize).slice();
}

/** ndarray.tobytes's order: 'A' is Fortran order for an array laid out so (and not in C order); 'K' is C order, as in NumPy. */
export function tobytes(a: ndarray, order: "C" | "F" | "A" | "K"): Uint8Array {
  const fortran = order === "F" || (order === "A" && contiguous(a, true) && !contiguous(a, false));
  return bytesOf(a, fortran);
}

/** ndarray.tofile: binary (sep '') or text (each element `format % item`, joined by `sep`) into the file at `path`. */
export function tofile(a: ndarray, path: string, sep: string, format: string): void {
  let data: Uint8Array;
  if (sep === "") data = bytesOf(a, false);
  else {
    const values = a.flatValues();
    data = Buffer.from(values.map((v) => percentFormat(format, [v as never], a.dtype.name)).join(sep), "utf8");
  }
  runtime().once(() => replaceFile(path, (sink) => sink.write(data)));
}

/** ndarray.byteswap: every element's bytes reversed (each part of a complex number on its own); in place or a new array. */
export function byteswap(a: ndarray, inplace: boolean): ndarray {
  const lanes = a.dtype.lanes;
  const width = a.itemsize / lanes;
  const t = a.toTypedArray();
  const b = new Uint8Array(t.buffer, t.byteOffset, a.size * a.itemsize);
  if (width > 1)
    for (let i = 0; i < b.length; i += width)
      for (let lo = i, hi = i + width - 1; lo < hi; lo++, hi--) {
        const x = b[lo];
        b[lo] = b[hi];
        b[hi] = x;
      }
  const swapped = fromTypedArray(t, a.shape, a.dtype);
  if (!inplace) return swapped;
  copyInto(a, swapped);
  return a;
}
