/**
 * A running 64-bit hash of a rank's control stream: launch labels, scalar values (by their
 * bits: -0, NaN payloads and int64 values beyond 2^53 all count) and the bytes of attached
 * host arrays. Two 32-bit lanes with murmur3's mixing step; words go to the lanes in turn,
 * so a changed word always changes the hash and long arrays cost about one mixing step per
 * 64 bits. It detects differences between ranks; it is not a cryptographic hash.
 */
export class ControlHash {
  a = 0x811c9dc5 | 0;
  b = 0x9747b28c | 0;
  private readonly f64 = new Float64Array(1);
  private readonly u32 = new Uint32Array(this.f64.buffer);

  /** One 32-bit word, into lane a. */
  word(w: number): void {
    this.a = mixA(this.a, w);
  }

  /** Two 32-bit words, one per lane. */
  pair(lo: number, hi: number): void {
    this.a = mixA(this.a, lo);
    this.b = mixB(this.b, hi);
  }

  /** A JS number by its float64 bits. */
  number(x: number): void {
    this.f64[0] = x;
    this.pair(this.u32[0], this.u32[1]);
  }

  string(s: string): void {
    let a = this.a,
      b = this.b;
    const n = s.length;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      a = mixA(a, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
      b = mixB(b, s.charCodeAt(i + 2) | (s.charCodeAt(i + 3) << 16));
    }
    for (; i < n; i++) a = mixA(a, s.charCodeAt(i));
    this.a = mixA(a, n);
    this.b = b;
  }

  /** Raw bytes (every byte counts), and their length. */
  bytes(data: Uint8Array): void {
    const n = data.byteLength;
    let words: Uint32Array;
    const whole = n >>> 2;
    if (data.byteOffset % 4 === 0) words = new Uint32Array(data.buffer, data.byteOffset, whole);
    else words = new Uint32Array(data.slice(0, whole * 4).buffer);
    let a = this.a,
      b = this.b,
      i = 0;
    for (; i + 1 < whole; i += 2) {
      a = mixA(a, words[i]);
      b = mixB(b, words[i + 1]);
    }
    if (i < whole) a = mixA(a, words[i]);
    let tail = 0;
    for (let j = whole * 4; j < n; j++) tail = (tail << 8) | data[j];
    this.a = mixA(a, tail);
    this.b = mixB(b, n);
  }

  /**
   * A launch's scalar values: numbers, bigints, booleans, strings, null/undefined, typed
   * arrays, and arrays and plain objects of these (complex scalars are `{re, im}`), each
   * tagged with its type. Other values (functions, class instances) count by their kind only.
   */
  value(v: unknown, depth = 0): void {
    switch (typeof v) {
      case "number":
        this.word(1);
        this.number(v);
        return;
      case "bigint":
        this.word(2);
        this.pair(Number(BigInt.asUintN(32, v)), Number(BigInt.asUintN(32, v >> 32n)));
        if (v >= 2n ** 63n || v < -(2n ** 63n)) this.string(v.toString(16));
        return;
      case "boolean":
        this.word(v ? 4 : 3);
        return;
      case "string":
        this.word(5);
        this.string(v);
        return;
      case "undefined":
        this.word(6);
        return;
      case "function":
        this.word(7);
        return;
      case "symbol":
        this.word(8);
        return;
    }
    if (v === null) {
      this.word(9);
      return;
    }
    if (ArrayBuffer.isView(v)) {
      this.word(10);
      this.bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return;
    }
    if (depth > 8) {
      this.word(11);
      return;
    }
    if (Array.isArray(v)) {
      this.word(12);
      this.word(v.length);
      for (const x of v) this.value(x, depth + 1);
      return;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      this.word(13);
      return;
    }
    this.word(14);
    for (const k in v as object) {
      this.string(k);
      this.value((v as Record<string, unknown>)[k], depth + 1);
    }
  }
}

function mixA(h: number, w: number): number {
  let k = Math.imul(w, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function mixB(h: number, w: number): number {
  let k = Math.imul(w, 0x85ebca6b);
  k = (k << 16) | (k >>> 16);
  h ^= Math.imul(k, 0xc2b2ae35);
  h = (h << 17) | (h >>> 15);
  return (Math.imul(h, 9) + 0x52dce729) | 0;
}
