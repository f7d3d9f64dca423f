import { type DType, DTYPES, h2f, f2h } from "../core/index.js";
import type { TypedArray } from "../core/index.js";

/** A JS value of one array element: numbers, bigint for 64-bit ints, booleans, complex pairs. */
export type Scalar = number | bigint | boolean | { re: number; im: number };

/** Decode element `i` (element index into the lane array) of `dtype`. */
export function readElement(data: TypedArray, i: number, dtype: DType): Scalar {
  switch (dtype.kind) {
    case "b":
      return data[i] !== 0;
    case "c":
      return { re: data[2 * i] as number, im: data[2 * i + 1] as number };
    default:
      if (dtype.name === "float16") return h2f(data[i] as number);
      return data[i] as number | bigint;
  }
}

/** Encode a JS value into element `i`, converting as NumPy's unsafe cast would. */
export function writeElement(data: TypedArray, i: number, dtype: DType, v: Scalar): void {
  const num = (x: Scalar): number => (typeof x === "object" ? x.re : Number(x));
  switch (dtype.kind) {
    case "b":
      data[i] = (typeof v === "object" ? v.re !== 0 || v.im !== 0 : v !== 0 && v !== 0n && v !== false) ? 1 : 0;
      return;
    case "c":
      data[2 * i] = num(v);
      data[2 * i + 1] = typeof v === "object" ? v.im : 0;
      return;
    case "f":
      data[i] = dtype.name === "float16" ? f2h(num(v)) : num(v);
      return;
    default:
      if (dtype.isBig) {
        const x = typeof v === "bigint" ? v : BigInt(Math.trunc(num(v)));
        (data as BigInt64Array)[i] = dtype.name === "int64" ? BigInt.asIntN(64, x) : BigInt.asUintN(64, x);
      } else {
        data[i] = typeof v === "bigint" ? Number(BigInt.asIntN(32, v)) : Math.trunc(num(v));
      }
  }
}

/** Element offsets of a strided view in row-major (C) order. */
export function forEachOffset(shape: readonly number[], strides: readonly number[], offset: number, fn: (off: number, k: number) => void): void {
  const n = shape.length;
  const size = shape.reduce((a, b) => a * b, 1);
  if (size === 0) return;
  if (n === 0) {
    fn(offset, 0);
    return;
  }
  const idx = new Array<number>(n).fill(0);
  let off = offset;
  const last = n - 1,
    lastLen = shape[last],
    lastStride = strides[last];
  for (let k = 0; k < size; ) {
    for (let j = 0; j < lastLen; j++, k++) fn(off + j * lastStride, k);
    let d = last - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      off += strides[d];
      if (idx[d] < shape[d]) break;
      off -= strides[d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) break;
  }
}

export function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** dtype of a typed array given to np.array. */
export function typedArrayDType(x: TypedArray): DType {
  if (x instanceof Float64Array) return DTYPES.float64;
  if (x instanceof Float32Array) return DTYPES.float32;
  if (x instanceof Int32Array) return DTYPES.int32;
  if (x instanceof Uint32Array) return DTYPES.uint32;
  if (x instanceof Int16Array) return DTYPES.int16;
  if (x instanceof Uint16Array) return DTYPES.uint16;
  if (x instanceof Int8Array) return DTYPES.int8;
  if (x instanceof BigInt64Array) return DTYPES.int64;
  if (x instanceof BigUint64Array) return DTYPES.uint64;
  return DTYPES.uint8;
}
