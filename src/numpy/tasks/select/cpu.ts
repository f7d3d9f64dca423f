import type { TaskContext } from "../../../core/task_api.js";
import { sortRange } from "../sort/cpu.js";

/**
 * CPU variants for selection (np.partition, np.median, np.percentile …): the k-th smallest
 * elements without sorting. Side-effect free: worker threads import it through tasks/index.ts.
 *
 * - select_rows: a multi-kth introselect of every row in place (rows cut among the points).
 * - select_sample / select_gather: one long row viewed as (pieces, c) rows, one piece per
 *   point. select_sample draws a pseudo-random sample of each piece; select_gather counts the
 *   elements of its piece within narrow brackets (chosen from the sample) and copies out
 *   those strictly inside, so the caller finds the k-th elements among those few candidates.
 * - partition_blocks / partition_join: a long row's single-kth partition (each piece around
 *   one value in parallel, then the whole row once over the runs that leaves).
 * - partition_fill: writes its block of the partitioned row, each element in the bucket of
 *   the pivots its value falls in (or its position, for argpartition).
 *
 * NaN sorts last, as in NumPy.
 */

/** Element types the numeric paths take (exact as float64; int64, float16, complex sort instead). */
export const SELECT_DTYPES: ReadonlySet<string> = new Set(["bool", "int8", "int16", "int32", "uint8", "uint16", "uint32", "float32", "float64"]);

type Num = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/** Swap-based partition of d[lo..hi] (inclusive) around the median of three; returns the final pivot index. */
function partitionRange(d: Num, lo: number, hi: number): number {
  const mid = lo + ((hi - lo) >> 1);
  // Median of three into d[lo], then Lomuto-free Hoare-style scan with the pivot at lo.
  let a = d[lo],
    b = d[mid],
    c = d[hi];
  if (b < a) [a, b] = [b, a];
  if (c < b) {
    [b, c] = [c, b];
    if (b < a) [a, b] = [b, a];
  }
  d[lo] = a;
  d[mid] = d[lo + 1];
  d[lo + 1] = b;
  d[hi] = c;
  const p = b;
  let i = lo + 1,
    j = hi;
  for (;;) {
    do i++;
    while (d[i] < p);
    do j--;
    while (d[j] > p);
    if (j < i) break;
    const t = d[i];
    d[i] = d[j];
    d[j] = t;
  }
  d[lo + 1] = d[j];
  d[j] = p;
  return j;
}

/**
 * Place the elements of sorted positions `ks` (ascending, relative to `start`) of d[start,
 * start + n) there, smaller ones before and larger ones after each (no NaN in the range).
 * Quickselect with median-of-three pivots; a range that does not shrink fast enough is
 * sorted outright (introselect's guarantee).
 */
export function selectRange(d: Num, start: number, n: number, ks: readonly number[]): void {
  const stack: number[] = [start, start + n - 1, 0, ks.length, 0];
  while (stack.length) {
    const budget = stack.pop() as number,
      k1 = stack.pop() as number,
      k0 = stack.pop() as number,
      hi0 = stack.pop() as number,
      lo0 = stack.pop() as number;
    let lo = lo0,
      hi = hi0,
      kl = k0,
      kh = k1,
      depth = budget;
    while (kl < kh && hi > lo) {
      if (hi - lo < 16 || depth > 2 * Math.log2(n) + 8) {
        d.subarray(lo, hi + 1).sort();
        break;
      }
      depth++;
      const p = partitionRange(d, lo, hi);
      // The kth below p go left, above p right; one at p is done.
      let split = kl;
      while (split < kh && start + ks[split] < p) split++;
      let right = split;
      if (right < kh && start + ks[right] === p) right++;
      if (split - kl > 0 && right < kh) {
        stack.push(p + 1, hi, right, kh, depth);
        hi = p - 1;
        kh = split;
      } else if (split - kl > 0) {
        hi = p - 1;
        kh = split;
      } else {
        lo = p + 1;
        kl = right;
      }
    }
  }
}

/** Move the NaN of d[start, start+n) to its end; returns how many are not NaN. */
function nanLast(d: Num, start: number, n: number): number {
  let w = start;
  const end = start + n;
  for (let i = start; i < end; i++) {
    const v = d[i];
    if (v === v) {
      if (w !== i) {
        d[i] = d[w];
        d[w] = v;
      }
      w++;
    }
  }
  return w - start;
}

/**
 * select_rows: args [x (readwrite, contiguous rows × n)]; scalars [kth (ascending, distinct,
 * in [0, n))]. Each point partitions its rows in place so that every kth position holds the
 * element a sort would put there. Types without a numeric order here are sorted instead.
 */
export function selectRows(ctx: TaskContext): void {
  const x = ctx.args[0];
  const ks = ctx.scalars[0] as number[];
  const n = x.shape[x.shape.length - 1];
  for (let r = x.lo[0]; r < x.hi[0]; r++) {
    const start = x.offset + r * n;
    if (!SELECT_DTYPES.has(x.dtype)) {
      sortRange(x, start, start + n);
      continue;
    }
    const d = x.data as Num;
    const valid = x.dtype.startsWith("float") ? nanLast(d, start, n) : n;
    let m = 0;
    while (m < ks.length && ks[m] < valid) m++;
    if (m > 0 && valid > 1) selectRange(d, start, valid, m === ks.length ? ks : ks.slice(0, m));
  }
}

/** A small deterministic generator (xorshift32) for sample positions. */
function xorshift(seed: number): () => number {
  let s = (seed * 2654435761 + 0x9e3779b9) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/**
 * select_sample: args [x (read, pieces × c), out (write, float64 pieces × s)]: row r of out
 * holds s elements of row r of x at pseudo-random positions (the same on every run).
 */
export function selectSample(ctx: TaskContext): void {
  const [x, out] = ctx.args;
  const c = x.shape[1],
    s = out.shape[1];
  const d = x.data as Num,
    o = out.data as Float64Array;
  for (let r = out.lo[0]; r < out.hi[0]; r++) {
    const next = xorshift(r + 1);
    const base = x.offset + r * x.strides[0],
      ob = out.offset + r * out.strides[0];
    for (let i = 0; i < s; i++) o[ob + i] = d[base + (next() % c)];
  }
}

/**
 * The region of value v among boundaries b (ascending, distinct, no NaN): 2i+1 when v equals
 * b[i], 2i when it lies strictly between b[i-1] and b[i] (0 below b[0], 2B above the last);
 * 2B+1 for NaN.
 */
export function regionOf(b: readonly number[], v: number): number {
  const B = b.length;
  if (v !== v) return 2 * B + 1;
  let lo = 0,
    hi = B;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (b[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo < B && b[lo] === v ? 2 * lo + 1 : 2 * lo;
}

/** Whether typed arrays are little-endian here (the float keys read the high word). */
const LITTLE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * A float's 31-bit ordered key: its high 32 bits mapped so that unsigned order is the value's
 * order (not strict: values sharing the high bits share a key), then halved so that the
 * difference of two keys is a signed 32-bit integer. Comparing keys costs no unpredictable
 * branch: `(k - kb) >>> 31` is 1 when k < kb.
 */
const keyOfWord = (h: number): number => (h ^ ((h >> 31) | 0x80000000)) >>> 1;

/**
 * Regions (regionOf) of float elements, fast: a key comparison with each boundary counts the
 * boundaries below an element without branching on the data; only an element whose key falls
 * in a window (a boundary's own key, ±0, a captured region) or at the ends (±Inf, NaN) is
 * classified by value.
 */
interface FloatClassifier {
  words: Int32Array;
  step: number;
  hi: number;
  negInf: number;
  posInf: number;
  kl: Int32Array;
  wlo: Int32Array;
  wsp: Int32Array;
}
function floatClassifier(d: Num, dtype: string, b: readonly number[], capture: readonly number[]): FloatClassifier | null {
  if (!LITTLE || (dtype !== "float64" && dtype !== "float32")) return null;
  const f64 = dtype === "float64";
  const words = new Int32Array(d.buffer, d.byteOffset, (d.byteLength / 4) | 0);
  const step = f64 ? 2 : 1,
    hi = f64 ? 1 : 0;
  const one = f64 ? new Float64Array(1) : new Float32Array(1);
  const w1 = new Int32Array(one.buffer);
  const key = (v: number): number => {
    one[0] = v;
    return keyOfWord(w1[hi]);
  };
  // The keys of -0 and +0 differ though the values are equal: a window at 0 spans both.
  const keyLow = (v: number): number => (v === 0 ? key(-0) : key(v));
  const keyHigh = (v: number): number => (v === 0 ? key(0) : key(v));
  const wl: number[] = [],
    ws: number[] = [];
  b.forEach((v, i) => {
    if (capture.includes(2 * i + 2) && i + 1 < b.length) return;
    wl.push(keyLow(v));
    ws.push(keyHigh(v) - keyLow(v));
  });
  for (const reg of capture) {
    const i = reg / 2;
    wl.push(keyLow(b[i - 1]));
    ws.push(keyHigh(b[i]) - keyLow(b[i - 1]));
  }
  return {
    words,
    step,
    hi,
    negInf: key(Number.NEGATIVE_INFINITY),
    posInf: key(Number.POSITIVE_INFINITY),
    kl: Int32Array.from(b, keyLow),
    wlo: Int32Array.from(wl),
    wsp: Int32Array.from(ws),
  };
}

/** Regions of elements [start, start + len) of d (contiguous) into regs[0, len). */
function classify(d: Num, start: number, len: number, b: readonly number[], f: FloatClassifier | null, regs: Int32Array): void {
  if (f === null) {
    for (let i = 0; i < len; i++) regs[i] = regionOf(b, d[start + i]);
    return;
  }
  const { words, step, hi, negInf, posInf, kl, wlo, wsp } = f;
  const B = kl.length,
    W = wlo.length;
  for (let i = 0; i < len; i++) {
    const k = keyOfWord(words[(start + i) * step + hi]);
    let exact = k <= negInf || k >= posInf ? 1 : 0;
    for (let w = 0; w < W; w++) exact |= (k - wlo[w]) >>> 0 <= wsp[w] ? 1 : 0;
    let above = 0;
    for (let j = 0; j < B; j++) above += (k - kl[j]) >>> 31;
    regs[i] = 2 * (B - above);
    if (exact) regs[i] = regionOf(b, d[start + i]);
  }
}

/** Elements classified per block (the region buffer stays in cache). */
const BLOCK = 4096;

/**
 * select_gather: args [x (read, pieces × c), out (write, float64 pieces × w)]; scalars
 * [ranges (lo0, hi0, lo1, hi1, …, ascending and disjoint), cap]. Row r of out: the count of
 * NaN, then for each range the counts of row r's elements strictly inside it, equal to lo and
 * equal to hi, then for each range `cap` slots holding the first `cap` elements inside it.
 * Floats are tested on their keys first: one pass, whose branches the data rarely takes.
 */
export function selectGather(ctx: TaskContext): void {
  const [x, out] = ctx.args;
  const [ranges, cap] = ctx.scalars as [number[], number];
  const c = x.shape[1];
  const J = ranges.length / 2;
  const d = x.data as Num,
    o = out.data as Float64Array;
  const f = floatClassifier(
    d,
    x.dtype,
    ranges,
    Array.from({ length: J }, (_, j) => 4 * j + 2),
  );
  const inside = new Float64Array(J),
    eqLo = new Float64Array(J),
    eqHi = new Float64Array(J);
  // Windows: keys for floats, values (mid ± half, exact for integers) otherwise.
  const wl = f ? f.wlo.subarray(f.wlo.length - J) : null,
    ws = f ? f.wsp.subarray(f.wsp.length - J) : null;
  const mid = Float64Array.from({ length: J }, (_, j) => (ranges[2 * j] + ranges[2 * j + 1]) / 2),
    half = Float64Array.from({ length: J }, (_, j) => (ranges[2 * j + 1] - ranges[2 * j]) / 2);
  for (let r = out.lo[0]; r < out.hi[0]; r++) {
    const base = x.offset + r * x.strides[0],
      ob = out.offset + r * out.strides[0];
    inside.fill(0);
    eqLo.fill(0);
    eqHi.fill(0);
    let nan = 0;
    // An element in window j: counted, and kept when strictly inside.
    const take = (j: number, v: number): void => {
      const lo = ranges[2 * j],
        hi = ranges[2 * j + 1];
      if (v > lo && v < hi) {
        if (inside[j] < cap) o[ob + 1 + 3 * J + j * cap + inside[j]] = v;
        inside[j]++;
      } else if (v === lo) eqLo[j]++;
      else if (v === hi) eqHi[j]++;
      else if (v !== v) nan++; // a NaN sharing the key of a bracket at ±Inf
    };
    if (f !== null && wl !== null && ws !== null) {
      const { words, step, hi: h } = f;
      const ni = f.negInf + 1,
        pi = f.posInf - 1;
      if (J === 1) {
        // One bracket (a median): a single window test per element.
        const w0 = wl[0],
          s0 = ws[0];
        for (let i = base, e = base + c; i < e; i++) {
          const k = keyOfWord(words[i * step + h]);
          const dk = k - w0;
          if ((dk | (s0 - dk)) >= 0) take(0, d[i]);
          else if (((k - ni) | (pi - k)) < 0 && d[i] !== d[i]) nan++;
        }
      } else {
        for (let i = base, e = base + c; i < e; i++) {
          const k = keyOfWord(words[i * step + h]);
          // The sign bit of `all` stays set unless some window holds k: no branch per window.
          let all = -1;
          for (let j = 0; j < J; j++) {
            const dk = k - wl[j];
            all &= dk | (ws[j] - dk);
          }
          if (all >= 0) {
            for (let j = 0; j < J; j++) {
              const dk = k - wl[j];
              if ((dk | (ws[j] - dk)) >= 0) take(j, d[i]);
            }
          } else if (((k - ni) | (pi - k)) < 0 && d[i] !== d[i]) nan++;
        }
      }
    } else {
      for (let i = base, e = base + c; i < e; i++) {
        const v = d[i];
        for (let j = 0; j < J; j++) if (Math.abs(v - mid[j]) <= half[j]) take(j, v);
      }
    }
    o[ob] = nan;
    for (let j = 0; j < J; j++) {
      o[ob + 1 + 3 * j] = inside[j];
      o[ob + 2 + 3 * j] = eqLo[j];
      o[ob + 3 + 3 * j] = eqHi[j];
    }
  }
}

/**
 * partition_fill: args [x (read, 1-D, seen whole), out (write, 1-D, cut)]; scalars [b
 * (pivots), starts (where each region of regionOf begins in out), index (write positions as
 * int64, for argpartition)]. Each point scans x in order and writes the elements whose place
 * (their region's start plus how many of that region came before) lies in its block; the
 * write goes to slot 0 of a scratch row when it does not, so no branch depends on the data.
 */
export function partitionFill(ctx: TaskContext): void {
  const [x, out] = ctx.args;
  const [b, starts, index] = ctx.scalars as [number[], number[], boolean];
  const n = x.shape[0];
  const lo = out.lo[0],
    len = out.hi[0] - lo;
  if (len <= 0) return;
  const d = x.data as Num,
    xo = x.offset;
  const next = Int32Array.from(starts, (s) => s - lo);
  // The row is read contiguously (a strided one is copied first by the caller).
  const fast = floatClassifier(d, x.dtype, b, []);
  const scratch = new Float64Array(len + 1);
  if (fast !== null && b.length === 1) {
    // One pivot: the region is 0 or 2 by the key's sign against it, unless the key is the
    // pivot's own (or ±Inf, NaN).
    const { words, step, hi } = fast;
    const kp = fast.kl[0],
      wl = fast.wlo[0],
      ws = fast.wsp[0],
      ni = fast.negInf + 1,
      pi = fast.posInf - 1;
    for (let i = 0; i < n; i++) {
      const k = keyOfWord(words[(xo + i) * step + hi]);
      const dw = k - wl;
      const ex = (((k - ni) | (pi - k)) >> 31) | ~((dw | (ws - dw)) >> 31);
      const reg = ex === 0 ? 2 - 2 * ((k - kp) >>> 31) : regionOf(b, d[xo + i]);
      const t = next[reg]++;
      const inside = ~((t | (len - 1 - t)) >> 31);
      scratch[(t + 1) & inside] = index ? i : d[xo + i];
    }
  } else {
    const regs = new Int32Array(BLOCK);
    for (let s0 = 0; s0 < n; s0 += BLOCK) {
      const m = Math.min(BLOCK, n - s0);
      classify(d, xo + s0, m, b, fast, regs);
      for (let i = 0; i < m; i++) {
        const t = next[regs[i]]++;
        const inside = ~((t | (len - 1 - t)) >> 31);
        scratch[(t + 1) & inside] = index ? s0 + i : d[xo + s0 + i];
      }
    }
  }
  const oo = out.offset + lo * out.strides[0],
    os = out.strides[0];
  if (index) {
    const words = new Int32Array(out.data.buffer, out.data.byteOffset, out.data.byteLength / 4);
    for (let p = 0; p < len; p++) {
      words[2 * (oo + p * os)] = scratch[p + 1];
      words[2 * (oo + p * os) + 1] = 0;
    }
  } else {
    const o = out.data as Num;
    for (let p = 0; p < len; p++) o[oo + p * os] = scratch[p + 1];
  }
}

/**
 * Three-way partition of d[lo, hi) around v in place (Dijkstra's flag): smaller first, then
 * equal, then greater and NaN; with a NaN pivot, every number first and NaN after. Returns the
 * counts [smaller, equal].
 */
function threeWay(d: Num, lo: number, hi: number, v: number): [number, number] {
  let lt = lo,
    i = lo,
    gt = hi - 1;
  const nanPivot = v !== v;
  while (i <= gt) {
    const e = d[i];
    const less = nanPivot ? e === e : e < v;
    if (less) {
      d[i] = d[lt];
      d[lt++] = e;
      i++;
    } else if (nanPivot ? false : !(e === v)) {
      d[i] = d[gt];
      d[gt--] = e;
    } else i++;
  }
  return [lt - lo, i - lt];
}

/**
 * partition_blocks: args [x (readwrite, pieces × c)]; scalars [v]: each piece partitioned in
 * place around v (smaller, equal, greater and NaN), so that partition_join then finds runs.
 */
export function partitionBlocks(ctx: TaskContext): void {
  const x = ctx.args[0];
  const v = ctx.scalars[0] as number;
  const c = x.shape[1];
  const d = x.data as Num;
  // Floats: a branchless two-way pass on the keys (an element sharing the pivot's key may land
  // on either side: partition_join places it exactly).
  const f = v === v ? floatClassifier(d, x.dtype, [v], []) : null;
  for (let r = x.lo[0]; r < x.hi[0]; r++) {
    const base = x.offset + r * x.strides[0];
    if (f === null) {
      threeWay(d, base, base + c, v);
      continue;
    }
    const { words, step, hi } = f;
    const kv = f.kl[0];
    let lt = base;
    for (let i = base, e = base + c; i < e; i++) {
      const below = (keyOfWord(words[i * step + hi]) - kv) >>> 31;
      const t = d[i];
      d[i] = d[lt];
      d[lt] = t;
      lt += below;
    }
  }
}

/** Hoare's two-way partition of d[lo, hi): elements less than v first; returns where the others begin. */
function twoWayLess(d: Num, lo: number, hi: number, v: number): number {
  let i = lo,
    j = hi - 1;
  for (;;) {
    while (i <= j && d[i] < v) i++;
    while (i < j && !(d[j] < v)) j--;
    if (i >= j) return i;
    const t = d[i];
    d[i] = d[j];
    d[j] = t;
    i++;
    j--;
  }
}

/** Hoare's two-way partition of d[lo, hi): elements up to v first; returns where the others begin. */
function twoWayAtMost(d: Num, lo: number, hi: number, v: number): number {
  let i = lo,
    j = hi - 1;
  for (;;) {
    while (i <= j && d[i] <= v) i++;
    while (i < j && !(d[j] <= v)) j--;
    if (i >= j) return i;
    const t = d[i];
    d[i] = d[j];
    d[j] = t;
    i++;
    j--;
  }
}

/**
 * partition_join (serial): args [x (readwrite, 1-D)]; scalars [lo, hi, k] (lo <= hi, no NaN):
 * the row partitioned into the elements below lo, those in [lo, hi], and the greater ones
 * and NaN, then the k-th put in place within its part by an introselect (NaN last). After
 * partition_blocks (around lo) the elements come in long runs, so the scans are well
 * predicted and only misplaced elements move; with lo and hi bracketing the k-th closely,
 * the part searched last is small.
 */
export function partitionJoin(ctx: TaskContext): void {
  const x = ctx.args[0];
  const [lo, hi, k] = ctx.scalars as [number, number, number];
  const d = x.data as Num,
    start = x.offset,
    end = x.offset + x.shape[0];
  const a = twoWayLess(d, start, end, lo);
  const b = twoWayAtMost(d, a, end, hi);
  const at = start + k;
  // The part holding k: below lo, within [lo, hi] (no NaN in either), or above (NaN last).
  let from = a,
    to = b;
  if (at < a) {
    from = start;
    to = a;
  } else if (at >= b) {
    from = b;
    to = from + nanLast(d, b, end - b);
  }
  if (at < to && to - from > 1) selectRange(d, from, to - from, [at - from]);
}
