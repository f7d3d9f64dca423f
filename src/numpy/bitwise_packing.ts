/**
 * NumPy's "Bit-wise operations > Bit packing": packbits and unpackbits, composed from
 * comparisons, shifts and a sum over groups of eight (no task of their own).
 */
import { DTYPES } from "../core/index.js";
import type { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { binding, def } from "./signature.js";
import { arg, conv, pyType } from "./param_types.js";
import { bitwise_and, multiply, not_equal, right_shift } from "./ufuncs.js";
import { moveaxis, ravel, reshape } from "./array_manipulation.js";
import { concatenate } from "./array_joining.js";
import { zeros } from "./creation_shape.js";
import { sum } from "./math_sum_prod_diff.js";

/** The bit order as NumPy's C parser takes it: a str (its error names the C function and argument). */
const bitorderArg = (fn: string, argNo: number) =>
  conv<"big" | "little" | string, string>((v): string => {
    if (typeof v !== "string") throw new TypeError(`${fn}() argument ${argNo} must be str, not ${v === null ? "None" : pyType(v)}`);
    return v;
  });

/** The array and the axis the bits run along: flattened for axis=None, a 0-d array as 1-d. */
function alongAxis(a: ndarray, axis: number | null): [ndarray, number] {
  if (axis === null) return [ravel(a), 0];
  const x = a.ndim === 0 ? reshape(a, [1]) : a;
  return [x, normalizeAxis(axis, x.ndim)];
}

const weights = (little: boolean): ndarray => asarray(little ? [1, 2, 4, 8, 16, 32, 64, 128] : [128, 64, 32, 16, 8, 4, 2, 1], { dtype: "uint8" });

/** np.packbits(a, /, axis=None, bitorder='big'): each group of 8 elements (nonzero = 1) as the bits of one uint8, the last group zero-padded. */
export const packbits = binding(
  def("packbits", "a, /, axis=None, bitorder='big'", { a: arg.array, axis: arg.intOrNone, bitorder: bitorderArg("pack", 3) }, (p): ndarray => {
    const a0 = asarray(p.a);
    if (!(a0.dtype.isInteger || a0.dtype === DTYPES.bool)) throw new TypeError("Expected an input array of integer or boolean data type");
    if (p.bitorder !== "big" && p.bitorder !== "little") throw new ValueError("'order' must be either 'little' or 'big'");
    const [a, axis] = alongAxis(a0, p.axis);
    let bits = moveaxis(not_equal(a, 0), axis, -1).astype("uint8");
    const n = bits.shape[bits.ndim - 1];
    const k = Math.ceil(n / 8);
    if (k * 8 > n) bits = concatenate([bits, zeros([...bits.shape.slice(0, -1), k * 8 - n], "uint8")], -1);
    const groups = reshape(bits, [...bits.shape.slice(0, -1), k, 8]);
    const packed = sum(multiply(groups, weights(p.bitorder === "little")), -1, "uint8");
    return moveaxis(packed, -1, axis);
  }),
  { style: "capi" },
);

/** np.unpackbits(a, /, axis=None, count=None, bitorder='big'): the bits of each uint8 as 8 elements; `count` keeps that many (negative: drops them from the end; more: pads zeros). */
export const unpackbits = binding(
  def(
    "unpackbits",
    "a, /, axis=None, count=None, bitorder='big'",
    { a: arg.array, axis: arg.intOrNone, count: arg.intOrNone, bitorder: bitorderArg("unpack", 4) },
    (p): ndarray => {
      const a0 = asarray(p.a);
      if (a0.dtype !== DTYPES.uint8) throw new TypeError("Expected an input array of unsigned byte data type");
      // NumPy's C code reads only the first letter.
      if (!p.bitorder.startsWith("l") && !p.bitorder.startsWith("b")) throw new ValueError("'order' must begin with 'l' or 'b'");
      const little = p.bitorder.startsWith("l");
      const [a, axis] = alongAxis(a0, p.axis);
      const m = moveaxis(a, axis, -1);
      const shifts = asarray(little ? [0, 1, 2, 3, 4, 5, 6, 7] : [7, 6, 5, 4, 3, 2, 1, 0], { dtype: "uint8" });
      const n = m.shape[m.ndim - 1] * 8;
      let bits = reshape(bitwise_and(right_shift(m.get("...", null), shifts), 1), [...m.shape.slice(0, -1), n]);
      if (p.count !== null) {
        if (p.count < 0 && -p.count > n) throw new ValueError("-count larger than number of elements");
        const keep = p.count < 0 ? n + p.count : p.count;
        if (keep <= n) bits = bits.get("...", `:${keep}`);
        else bits = concatenate([bits, zeros([...bits.shape.slice(0, -1), keep - n], "uint8")], -1);
      }
      return moveaxis(bits, -1, axis);
    },
  ),
  { style: "capi" },
);
