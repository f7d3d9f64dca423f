// Shuffling as both of NumPy's APIs draw it for 1-d data: Fisher–Yates from the end, each
// swap partner drawn with random_interval (masked rejection).

import type { BitSource } from "./bit_source.js";
import { randomInterval } from "./bounded_masked.js";

/** The permutation of 0 … n-1 that shuffling n items makes: for i = n-1 … 1, swap i with random_interval(i). */
export function shuffledOrder(s: BitSource, n: number): Float64Array {
  const perm = new Float64Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  shuffleList(s, perm);
  return perm;
}

/** Shuffles a JS array (or typed array) in place, as NumPy shuffles a list. */
export function shuffleList(s: BitSource, x: { length: number; [i: number]: unknown }): void {
  for (let i = x.length - 1; i >= 1; i--) {
    const j = randomInterval(s, i);
    const t = x[i];
    x[i] = x[j];
    x[j] = t;
  }
}
