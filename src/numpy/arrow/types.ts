import * as arrow from "apache-arrow";
import { DTYPES } from "../../core/index.js";
import type { DType, DTypeName } from "../../core/index.js";

/**
 * The mapping between NumPy dtypes and Arrow types. Numeric types share their bytes
 * (Arrow's Float16 is the raw bits, as Tessera's float16 lanes are); bool is bit-packed in
 * Arrow and one byte per element here; a complex number is a FixedSizeList<2> of its float
 * parts whose child field carries COMPLEX_KEY, so Tessera reads it back as complex.
 */

/** Child-field metadata marking a FixedSizeList<2> of floats as complex numbers. */
export const COMPLEX_KEY = "tessera:complex";
/** Arrow's canonical extension type for a column of equal-shaped tensors. */
export const TENSOR_EXTENSION = "arrow.fixed_shape_tensor";
/** Schema metadata marking a file that holds one ndarray (np.load gives it back as an array). */
export const ARRAY_KEY = "tessera:array";

type Primitive = Exclude<DTypeName, "complex64" | "complex128">;

const TO_ARROW: Record<Primitive, () => arrow.DataType> = {
  bool: () => new arrow.Bool(),
  int8: () => new arrow.Int8(),
  int16: () => new arrow.Int16(),
  int32: () => new arrow.Int32(),
  int64: () => new arrow.Int64(),
  uint8: () => new arrow.Uint8(),
  uint16: () => new arrow.Uint16(),
  uint32: () => new arrow.Uint32(),
  uint64: () => new arrow.Uint64(),
  float16: () => new arrow.Float16(),
  float32: () => new arrow.Float32(),
  float64: () => new arrow.Float64(),
};

/** The Arrow type of one element of `dt`. */
export function arrowType(dt: DType): arrow.DataType {
  if (dt.kind === "c") {
    const part = dt.name === "complex64" ? new arrow.Float32() : new arrow.Float64();
    return new arrow.FixedSizeList(2, new arrow.Field("item", part, false, new Map([[COMPLEX_KEY, "true"]])));
  }
  return TO_ARROW[dt.name as Primitive]();
}

/** The dtype of an Arrow primitive type, or null when NumPy has none. */
export function primitiveDType(t: arrow.DataType): DType | null {
  if (arrow.DataType.isBool(t)) return DTYPES.bool;
  if (arrow.DataType.isInt(t)) return DTYPES[`${t.isSigned ? "" : "u"}int${t.bitWidth}` as DTypeName];
  if (arrow.DataType.isFloat(t)) return [DTYPES.float16, DTYPES.float32, DTYPES.float64][t.precision];
  return null;
}

/** A FixedSizeList<2> of floats written as complex numbers (by arrowType). */
export function complexDType(t: arrow.DataType): DType | null {
  if (!arrow.DataType.isFixedSizeList(t) || t.listSize !== 2 || t.children[0].metadata.get(COMPLEX_KEY) !== "true") return null;
  const part = primitiveDType(t.children[0].type);
  return part === DTYPES.float32 ? DTYPES.complex64 : part === DTYPES.float64 ? DTYPES.complex128 : null;
}

/** The type's name as Arrow prints it, for errors about types NumPy has no equivalent of. */
export function typeName(t: arrow.DataType): string {
  return String(t);
}
