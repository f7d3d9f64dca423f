/**
 * Element types of the core's columnar data model. Each maps onto one typed-array
 * element (Arrow's fixed-width primitive layout); complex types are two lanes.
 * float16 is stored as raw IEEE half bits (Uint16) because Node 20 has no Float16Array.
 */
export type DTypeName =
  | "bool"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float16"
  | "float32"
  | "float64"
  | "complex64"
  | "complex128";

/** b: bool, i: signed int, u: unsigned int, f: float, c: complex (NumPy's kind codes). */
export type DTypeKind = "b" | "i" | "u" | "f" | "c";

export type TypedArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

export type TypedArrayConstructor = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): TypedArray; BYTES_PER_ELEMENT: number };

/**
 * A dtype. The fourteen instances (DTYPES) are also functions: the array library installs a
 * scalar constructor (`setScalarConstructor`) so that `np.float64(2)` makes a typed scalar
 * while `a.dtype === np.float64` keeps holding, since the dtype and the scalar type are one
 * object. There are no other instances; compare dtypes by identity.
 */
export class DType {
  declare readonly name: DTypeName;
  declare readonly kind: DTypeKind;
  /** Bytes per element (both lanes for complex). */
  declare readonly itemsize: number;
  /** Typed array holding one lane. */
  declare readonly laneArray: TypedArrayConstructor;
  /** Lanes per element: 2 for complex, else 1. */
  declare readonly lanes: number;
  private constructor() {}
  get isInteger(): boolean {
    return this.kind === "i" || this.kind === "u";
  }
  get isFloat(): boolean {
    return this.kind === "f";
  }
  get isComplex(): boolean {
    return this.kind === "c";
  }
  /** Values cross into JS as BigInt for 64-bit integers. */
  get isBig(): boolean {
    return this.name === "int64" || this.name === "uint64";
  }
  toString(): string {
    return this.name;
  }
  toJSON(): string {
    return this.name;
  }
  /** NumPy's repr: dtype('float64'). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `dtype('${this.name}')`;
  }
}
// Dtypes are functions: keep Function.prototype's call/apply/bind below DType's own members.
Object.setPrototypeOf(DType.prototype, Function.prototype);

type ScalarConstructor = (dtype: DType, args: unknown[]) => unknown;
let scalarConstructor: ScalarConstructor | null = null;
/** Install what calling a dtype does (the array library makes a typed scalar). */
export function setScalarConstructor(fn: ScalarConstructor): void {
  scalarConstructor = fn;
}

const D = (name: DTypeName, kind: DTypeKind, itemsize: number, laneArray: TypedArrayConstructor, lanes = 1): DType => {
  const self = ((...args: unknown[]) => {
    if (!scalarConstructor) throw new TypeError(`cannot create '${name}' scalars without the array library`);
    return scalarConstructor(self, args);
  }) as unknown as DType;
  Object.setPrototypeOf(self, DType.prototype);
  const ro = (value: unknown) => ({ value, enumerable: true, writable: false, configurable: false });
  Object.defineProperties(self, { name: ro(name), kind: ro(kind), itemsize: ro(itemsize), laneArray: ro(laneArray), lanes: ro(lanes) });
  return Object.freeze(self);
};

export const DTYPES: Readonly<Record<DTypeName, DType>> = {
  bool: D("bool", "b", 1, Uint8Array),
  int8: D("int8", "i", 1, Int8Array),
  int16: D("int16", "i", 2, Int16Array),
  int32: D("int32", "i", 4, Int32Array),
  int64: D("int64", "i", 8, BigInt64Array),
  uint8: D("uint8", "u", 1, Uint8Array),
  uint16: D("uint16", "u", 2, Uint16Array),
  uint32: D("uint32", "u", 4, Uint32Array),
  uint64: D("uint64", "u", 8, BigUint64Array),
  float16: D("float16", "f", 2, Uint16Array),
  float32: D("float32", "f", 4, Float32Array),
  float64: D("float64", "f", 8, Float64Array),
  complex64: D("complex64", "c", 8, Float32Array, 2),
  complex128: D("complex128", "c", 16, Float64Array, 2),
};

export function isDTypeName(s: string): s is DTypeName {
  return Object.prototype.hasOwnProperty.call(DTYPES, s);
}

/** A typed array over `count` elements of `dtype` in `buffer` starting at element `start`. */
export function laneView(dtype: DType, buffer: ArrayBufferLike, start = 0, count?: number): TypedArray {
  const n = count ?? Math.floor(buffer.byteLength / dtype.itemsize) - start;
  return new dtype.laneArray(buffer, start * dtype.itemsize, n * dtype.lanes);
}
