/**
 * Apache Thrift's compact protocol, read only: how Parquet encodes its footer and its page
 * headers. A struct comes back as its fields by id (`Struct`), lists as arrays, binary as
 * bytes; integers as numbers (Parquet's offsets and counts are below 2^53). Reading past the
 * end of the bytes throws a RangeError, so a caller can fetch more and try again.
 */

export type ThriftValue = number | boolean | Uint8Array | ThriftValue[] | Struct;
export type Struct = Map<number, ThriftValue>;

const STOP = 0,
  TRUE = 1,
  FALSE = 2,
  BYTE = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  DOUBLE = 7,
  BINARY = 8,
  LIST = 9,
  SET = 10,
  MAP = 11,
  STRUCT = 12;

/** A cursor over bytes. */
export class ThriftReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {}

  private byte(): number {
    if (this.pos >= this.bytes.length) throw new RangeError("thrift: read past the end");
    return this.bytes[this.pos++];
  }

  /** An unsigned LEB128 varint (as a double past 32 bits). */
  varint(): number {
    let v = 0,
      scale = 1;
    for (;;) {
      const b = this.byte();
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
      if (scale > 2 ** 63) throw new RangeError("thrift: varint too long");
    }
  }

  /** A zigzag-encoded signed varint. */
  zigzag(): number {
    const u = this.varint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  private take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new RangeError("thrift: read past the end");
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private value(type: number): ThriftValue {
    switch (type) {
      case TRUE:
        return true;
      case FALSE:
        return false;
      case BYTE:
        return (this.byte() << 24) >> 24;
      case I16:
      case I32:
      case I64:
        return this.zigzag();
      case DOUBLE: {
        const b = this.take(8);
        return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
      }
      case BINARY:
        return this.take(this.varint());
      case LIST:
      case SET: {
        const head = this.byte();
        const size = head >> 4 === 15 ? this.varint() : head >> 4;
        const elem = head & 15;
        // A bool element is one byte (1 true, 2 false), not a type code.
        return Array.from({ length: size }, () => (elem === TRUE || elem === FALSE ? this.byte() === TRUE : this.value(elem)));
      }
      case MAP: {
        const size = this.varint();
        const kinds = size > 0 ? this.byte() : 0;
        const out: ThriftValue[] = [];
        for (let i = 0; i < size; i++) out.push([this.value(kinds >> 4), this.value(kinds & 15)]);
        return out;
      }
      case STRUCT:
        return this.struct();
      default:
        throw new RangeError(`thrift: unknown type ${type}`);
    }
  }

  /** A struct: each field's id is a delta from the previous one, or a zigzag i16 after a zero delta. */
  struct(): Struct {
    const fields: Struct = new Map();
    let id = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 15;
      if (type === STOP) return fields;
      id = head >> 4 === 0 ? this.zigzag() : id + (head >> 4);
      fields.set(id, this.value(type));
    }
  }
}

/** Field `id` of a struct as a number (`fallback` when absent or of another type). */
export function num(s: Struct | undefined, id: number, fallback = Number.NaN): number {
  const v = s instanceof Map ? s.get(id) : undefined;
  return typeof v === "number" ? v : fallback;
}

/** Field `id` of a struct as a struct (undefined when absent or of another type: damaged bytes). */
export function struct(s: Struct | undefined, id: number): Struct | undefined {
  const v = s instanceof Map ? s.get(id) : undefined;
  return v instanceof Map ? v : undefined;
}

/** Field `id` of a struct as a list (empty when absent or of another type). */
export function list(s: Struct | undefined, id: number): ThriftValue[] {
  const v = s instanceof Map ? s.get(id) : undefined;
  return Array.isArray(v) ? v : [];
}
