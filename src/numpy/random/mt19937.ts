// MT19937 (the Mersenne Twister) exactly as NumPy's numpy/random/src/mt19937: the legacy
// seeding of RandomState (init_genrand for an integer seed, init_by_array for an array of
// them), NumPy's next_uint32 / next_uint64 / next_double on it. The state is a plain object
// on the host: the twister is sequential, so every draw runs in order on the calling thread.

/** Words in the state vector. */
export const MT_N = 624;
const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The twister's state: NumPy's `mt19937_state` (key and pos). */
export interface MT19937State {
  key: Uint32Array;
  pos: number;
}

export function newMT19937State(): MT19937State {
  return { key: new Uint32Array(MT_N), pos: MT_N };
}

/** `mt19937_seed`: Knuth's generator from one 32-bit seed (RandomState(int)). */
export function mt19937Seed(st: MT19937State, seed: number): void {
  let s = seed >>> 0;
  const key = st.key;
  for (let pos = 0; pos < MT_N; pos++) {
    key[pos] = s;
    s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + pos + 1) >>> 0;
  }
  st.pos = MT_N;
}

function initGenrand(st: MT19937State, s: number): void {
  const mt = st.key;
  mt[0] = s >>> 0;
  for (let i = 1; i < MT_N; i++) mt[i] = (Math.imul(1812433253, (mt[i - 1]! ^ (mt[i - 1]! >>> 30)) >>> 0) + i) >>> 0;
  st.pos = MT_N;
}

/** `mt19937_init_by_array`: the reference seeding from an array of 32-bit words (RandomState([..])). */
export function mt19937InitByArray(st: MT19937State, initKey: ArrayLike<number>): void {
  const mt = st.key;
  const len = initKey.length;
  initGenrand(st, 19650218);
  let i = 1,
    j = 0;
  for (let k = MT_N > len ? MT_N : len; k; k--) {
    const prev = mt[i - 1]!;
    mt[i] = ((mt[i]! ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1664525)) >>> 0) + (initKey[j]! >>> 0) + j;
    i++;
    j++;
    if (i >= MT_N) {
      mt[0] = mt[MT_N - 1]!;
      i = 1;
    }
    if (j >= len) j = 0;
  }
  for (let k = MT_N - 1; k; k--) {
    const prev = mt[i - 1]!;
    mt[i] = ((mt[i]! ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1566083941)) >>> 0) - i;
    i++;
    if (i >= MT_N) {
      mt[0] = mt[MT_N - 1]!;
      i = 1;
    }
  }
  mt[0] = 0x80000000; // MSB is 1: a non-zero initial array
}

/** `mt19937_gen`: the next 624 words. */
function generate(st: MT19937State): void {
  const key = st.key;
  let i = 0;
  for (; i < MT_N - MT_M; i++) {
    const y = (key[i]! & UPPER_MASK) | (key[i + 1]! & LOWER_MASK);
    key[i] = key[i + MT_M]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  for (; i < MT_N - 1; i++) {
    const y = (key[i]! & UPPER_MASK) | (key[i + 1]! & LOWER_MASK);
    key[i] = key[i + (MT_M - MT_N)]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  const y = (key[MT_N - 1]! & UPPER_MASK) | (key[0]! & LOWER_MASK);
  key[MT_N - 1] = key[MT_M - 1]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  st.pos = 0;
}

/** `mt19937_next32`: one tempered 32-bit output. */
export function mt19937Next32(st: MT19937State): number {
  if (st.pos >= MT_N) generate(st);
  let y = st.key[st.pos++]!;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}

/** `mt19937_next_double`: 53 bits from two outputs, (a >> 5) * 2^26 + (b >> 6), over 2^53. */
export function mt19937NextDouble(st: MT19937State): number {
  const a = mt19937Next32(st) >>> 5;
  const b = mt19937Next32(st) >>> 6;
  return (a * 67108864 + b) / 9007199254740992;
}
