// Generator's permutations and sampling (numpy/random/_generator.pyx: shuffle, permutation,
// permuted, choice, bytes) on a PCG64 bit source. Indices are drawn on the host exactly as
// NumPy draws them; the arrays are then gathered with take.

import type { ArrayLike } from "../creation_from_data.js";
import { asarray, fromTypedArray } from "../creation_from_data.js";
import { ndarray } from "../ndarray.js";
import { take } from "../indexing_routines.js";
import { ValueError, normalizeAxis } from "../errors.js";
import { pyType } from "../param_types.js";
import { laneView } from "../../core/index.js";
import type { GenSource } from "./bit_source.js";
import { fillLemire, lemire32 } from "./bounded_lemire.js";
import { randomInterval } from "./bounded_masked.js";
import { int64FromNumbers } from "./legacy_params.js";
import { choiceProbabilities, normalizedCdf, searchRight } from "./choice_cdf.js";
import { shuffleList, shuffledOrder } from "./fisher_yates.js";

/** `random_bounded_uint64(bitgen, 0, rng, 0, use_masked=False)`: Lemire's method, one value. */
export function lemireBounded(s: GenSource, rng: number): number {
  if (rng === 0) return 0;
  if (rng === 0xffffffff) return s.next32();
  if (rng < 0xffffffff) return lemire32(s, rng);
  let r = 0;
  fillLemire(s, 64, BigInt(rng), 1, (_i, v) => {
    r = Number(v);
  });
  return r;
}

const indexArray = (v: Float64Array): ndarray => fromTypedArray(int64FromNumbers(v), [v.length], "int64");

/** Generator.shuffle(x, axis=0): in place along `axis`. */
export function shuffleInPlace(s: GenSource, x: unknown, axis: number): void {
  if (Array.isArray(x)) {
    if (axis !== 0) throw new Error("Axis argument is only supported on ndarray objects");
    shuffleList(s, x);
    return;
  }
  if (!(x instanceof ndarray)) throw new TypeError(`object of type '${pyType(x)}' has no len()`);
  if (x.ndim === 0) throw new TypeError("len() of unsized object");
  const ax = normalizeAxis(axis, x.ndim);
  if (x.size === 0) return;
  const perm = shuffledOrder(s, x.shape[ax]!);
  x.set("...", take(x, indexArray(perm), ax));
}

/** Generator.permutation(x, axis=0). */
export function permutationOf(s: GenSource, x: unknown, axis: number): ndarray {
  if ((typeof x === "number" && Number.isInteger(x)) || typeof x === "bigint") {
    const n = Number(x);
    if (n < 0) throw new ValueError("negative dimensions are not allowed");
    return indexArray(shuffledOrder(s, n));
  }
  const arr = asarray(x as ArrayLike);
  const ax = normalizeAxis(axis, arr.ndim);
  if (arr.ndim === 1 && arr.size === 0) return arr.copy();
  return take(arr, indexArray(shuffledOrder(s, arr.shape[ax]!)), ax);
}

/** Generator.permuted(x, axis=None): each slice along `axis` (or the flattened array) shuffled independently. */
export function permutedCopy(s: GenSource, x: unknown, axis: number | null): ndarray {
  const arr = asarray(x as ArrayLike);
  const shape = arr.shape;
  const data = arr.toTypedArray();
  const lanes = arr.dtype.lanes;
  const out = laneView(arr.dtype, new ArrayBuffer(Math.max(1, arr.size) * arr.dtype.itemsize), 0, arr.size) as unknown as {
    [i: number]: number | bigint;
  };
  const src = data as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < arr.size * lanes; i++) out[i] = src[i]!;
  const swap = (a: number, b: number): void => {
    for (let l = 0; l < lanes; l++) {
      const t = out[a * lanes + l]!;
      out[a * lanes + l] = out[b * lanes + l]!;
      out[b * lanes + l] = t;
    }
  };
  if (axis === null) {
    for (let i = arr.size - 1; i >= 1; i--) swap(i, randomInterval(s, i));
  } else {
    const ax = normalizeAxis(axis, arr.ndim);
    const len = shape[ax]!;
    const inner = shape.slice(ax + 1).reduce((a, b) => a * b, 1);
    const outer = shape.slice(0, ax).reduce((a, b) => a * b, 1);
    // The lanes along `axis`, in C order of the other axes (PyArray_IterAllButAxis).
    for (let o = 0; o < outer; o++)
      for (let k = 0; k < inner; k++) {
        const base = o * len * inner + k;
        for (let i = len - 1; i >= 1; i--) {
          const j = randomInterval(s, i);
          if (j !== i) swap(base + i * inner, base + j * inner);
        }
      }
  }
  return fromTypedArray(out as never, shape, arr.dtype);
}

/** `_shuffle_int`: Lemire-bounded swaps for i = n-1 … first. */
function shuffleInt(s: GenSource, n: number, first: number, data: Float64Array): void {
  for (let i = n - 1; i >= first; i--) {
    const j = lemireBounded(s, i);
    const t = data[j]!;
    data[j] = data[i]!;
    data[i] = t;
  }
}

/** Generator.choice(a, size, replace, p, axis, shuffle). */
export function choiceOf(
  s: GenSource,
  aArg: unknown,
  size: number[] | null,
  replace: boolean,
  pArg: unknown,
  axis: number,
  shuffle: boolean,
): ndarray | number {
  const a = asarray(aArg as ArrayLike);
  const n = size === null ? 1 : size.reduce((x, y) => x * y, 1);
  let pop: number;
  if (a.ndim === 0) {
    if (!(a.dtype.isInteger || a.dtype.kind === "b")) throw new ValueError(`a must be a sequence or an integer, not <class '${pyType(aArg)}'>`);
    pop = Number(a.item());
    if (pop <= 0 && n !== 0) throw new ValueError("a must be a positive integer unless no samples are taken");
  } else {
    pop = a.shape[normalizeAxis(axis, a.ndim)]!;
    if (pop === 0 && n !== 0) throw new ValueError("a cannot be empty unless no samples are taken");
  }
  const p = pArg !== null && pArg !== undefined ? choiceProbabilities(pArg, pop, "generator") : null;
  const shape = size ?? [];
  let idx: Float64Array;
  if (replace) {
    idx = new Float64Array(n);
    if (p !== null) {
      const cdf = normalizedCdf(p);
      for (let i = 0; i < n; i++) idx[i] = searchRight(cdf, s.nextDouble());
    } else {
      fillLemire(s, 64, BigInt(pop - 1), n, (i, v) => {
        idx[i] = Number(v);
      });
    }
  } else {
    if (n > pop) throw new ValueError("Cannot take a larger sample than population when replace is False");
    if (p !== null) {
      if (p.filter((x) => x > 0).length < n) throw new ValueError("Fewer non-zero entries in p than size");
      const pc = p.slice();
      idx = new Float64Array(n);
      let nUniq = 0;
      while (nUniq < n) {
        const m = n - nUniq;
        const xs = new Float64Array(m);
        for (let i = 0; i < m; i++) xs[i] = s.nextDouble();
        for (let i = 0; i < nUniq; i++) pc[idx[i]!] = 0;
        const cdf = normalizedCdf(pc);
        const seen = new Set<number>();
        for (let i = 0; i < m; i++) {
          const v = searchRight(cdf, xs[i]!);
          if (!seen.has(v)) {
            seen.add(v);
            idx[nUniq++] = v;
          }
        }
      }
    } else {
      const cutoff = shuffle ? 50 : 20;
      if (pop > 10000 && n > Math.floor(pop / cutoff)) {
        // Tail shuffle of `n` elements.
        const all = new Float64Array(pop);
        for (let i = 0; i < pop; i++) all[i] = i;
        shuffleInt(s, pop, Math.max(pop - n, 1), all);
        idx = all.slice(pop - n);
      } else {
        // Floyd's algorithm with an open-addressing set.
        idx = new Float64Array(n);
        let mask = Math.trunc(1.2 * n);
        for (const sh of [1, 2, 4, 8, 16]) mask |= mask >>> sh;
        const hash = new Float64Array(mask + 1).fill(-1);
        for (let j = pop - n; j < pop; j++) {
          const val = lemireBounded(s, j);
          let loc = val & mask;
          while (hash[loc] !== -1 && hash[loc] !== val) loc = (loc + 1) & mask;
          if (hash[loc] === -1) {
            hash[loc] = val;
            idx[j - pop + n] = val;
          } else {
            loc = j & mask;
            while (hash[loc] !== -1) loc = (loc + 1) & mask;
            hash[loc] = j;
            idx[j - pop + n] = j;
          }
        }
        if (shuffle) shuffleInt(s, n, 1, idx);
      }
    }
  }
  if (size === null) {
    if (a.ndim === 0) return idx[0]!;
    const r = take(a, idx[0]!, axis);
    return r.ndim === 0 ? (r.item() as number) : r;
  }
  const idxArr = fromTypedArray(int64FromNumbers(idx), shape, "int64");
  if (a.ndim === 0) return idxArr;
  return take(a, idxArr, axis);
}

/** Generator.bytes(length): little-endian bytes of uint32 integers. */
export function randomBytes(s: GenSource, length: number): Uint8Array {
  if (length < 0) throw new ValueError("negative dimensions are not allowed");
  const nWords = Math.floor((length - 1) / 4) + 1;
  const words = new Uint32Array(Math.max(0, nWords));
  fillLemire(s, 32, 0xffffffffn, nWords, (i, v) => {
    words[i] = Number(v);
  });
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (words[i >> 2]! >>> (8 * (i & 3))) & 0xff;
  return out;
}
