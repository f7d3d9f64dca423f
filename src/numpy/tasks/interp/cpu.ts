import type { TaskContext } from "../../../core/task_api.js";

/**
 * CPU variant of np.interp (the `interp` task): NumPy's own loop (arr_interp in
 * compiled_base.c), so the values, the NaN rules and the search over an unsorted xp are
 * NumPy's. Side-effect free: worker threads import it through tasks/index.ts.
 */

/** Elements a guess may be off by and still be searched near (NumPy's LIKELY_IN_CACHE_SIZE). */
const NEAR = 8;

/**
 * NumPy's binary_search_with_guess: the largest i with arr[i] <= key (-1 below arr[0], len
 * above arr[len - 1]), looking first around the previous answer, as consecutive keys of a
 * sorted x land near each other. Over an unsorted arr the path decides the answer, as in NumPy.
 */
function searchWithGuess(key: number, arr: Float64Array, at: number, len: number, guess: number): number {
  let imin = 0,
    imax = len;
  if (key > arr[at + len - 1]) return len;
  if (key < arr[at]) return -1;
  if (len <= 4) {
    let i = 1;
    while (i < len && key >= arr[at + i]) i++;
    return i - 1;
  }
  let g = guess > len - 3 ? len - 3 : guess;
  if (g < 1) g = 1;
  if (key < arr[at + g]) {
    if (key < arr[at + g - 1]) {
      imax = g - 1;
      if (g > NEAR && key >= arr[at + g - NEAR]) imin = g - NEAR;
    } else return g - 1;
  } else if (key < arr[at + g + 1]) return g;
  else if (key < arr[at + g + 2]) return g + 1;
  else {
    imin = g + 2;
    if (g < len - NEAR - 1 && key < arr[at + g + NEAR]) imax = g + NEAR;
  }
  while (imin < imax) {
    const mid = imin + ((imax - imin) >> 1);
    if (key >= arr[at + mid]) imin = mid + 1;
    else imax = mid;
  }
  return imin - 1;
}

/**
 * interp: args [x (read, float64, 1-D, cut), xp (read, float64 contiguous 1-D, whole), fp
 * (read, the same), out (write, float64 1-D, cut with x)]; scalars [left, right] (the values
 * below xp[0] and above xp[-1]).
 */
export function interp(ctx: TaskContext): void {
  const [x, xp, fp, out] = ctx.args;
  const [left, right] = ctx.scalars as [number, number];
  const dz = x.data as Float64Array,
    dx = xp.data as Float64Array,
    dy = fp.data as Float64Array,
    res = out.data as Float64Array;
  const ax = xp.offset,
    ay = fp.offset;
  const len = xp.shape[0];
  const lo = x.lo[0],
    hi = x.hi[0];
  const xs = x.strides[0],
    os = out.strides[0];
  if (len === 1) {
    const xv = dx[ax],
      fv = dy[ay];
    for (let i = lo; i < hi; i++) {
      const v = dz[x.offset + i * xs];
      res[out.offset + i * os] = v < xv ? left : v > xv ? right : fv;
    }
    return;
  }
  let j = 0;
  for (let i = lo; i < hi; i++) {
    const v = dz[x.offset + i * xs];
    const o = out.offset + i * os;
    if (v !== v) {
      res[o] = v;
      continue;
    }
    j = searchWithGuess(v, dx, ax, len, j);
    if (j === -1) res[o] = left;
    else if (j === len) res[o] = right;
    else if (j === len - 1 || dx[ax + j] === v) res[o] = dy[ay + j];
    else {
      const slope = (dy[ay + j + 1] - dy[ay + j]) / (dx[ax + j + 1] - dx[ax + j]);
      // If one direction gives NaN, try the other (NumPy's rule).
      let r = slope * (v - dx[ax + j]) + dy[ay + j];
      if (r !== r) {
        r = slope * (v - dx[ax + j + 1]) + dy[ay + j + 1];
        if (r !== r && dy[ay + j] === dy[ay + j + 1]) r = dy[ay + j];
      }
      res[o] = r;
    }
  }
}
