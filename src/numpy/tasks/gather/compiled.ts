import { type NativeFn, type PhysicalStore, compiledLibrary } from "../../../core/task_api.js";

/**
 * The compiled loops of advanced indexing (include/tessera/gather.h): the row copy of gather
 * and scatter, for one index array selecting whole rows along the first dim with the kept dim
 * contiguous on both sides (`X[mask]`, `X[perm]`, `X[idx] = Y` for a 2-D X) or single elements
 * of a 1-D array (`a[idx]`, `a[idx] = v`, rows of one element), and nonzero of a
 * 1-D array of bytes (a boolean mask). Each returns false where nothing compiles or the
 * layout is another, and the task keeps its JavaScript loop.
 */

const ROWS = "int gather_rows(const int64_t *m, void *dense, void *indexed, const void *idx)";
const NONZERO = "int64_t nonzero_bytes(const int64_t *m, const void *x, void *out)";
const SOURCE = `${ROWS} {
  tgather_rows(m[0], m[1], (char *)dense + m[2], m[3], (char *)indexed + m[4], m[5], (const char *)idx + m[6], (int)m[7], m[8], m[9], (int)m[10]);
  return 0;
}
${NONZERO} {
  return tnonzero_bytes(m[0], (const uint8_t *)x + m[1], m[2], (int64_t *)out + m[3], m[4]);
}
`;

/**
 * Below this many elements a JavaScript loop costs less than the call (measured for a 1-D
 * float64 gather by int64 indices: 300 elements 7.3 µs in the JavaScript loop, 5.8 in C).
 */
const MIN_ELEMENTS = 256;

let loops: { rows: NativeFn; nonzero: NativeFn } | null | undefined;

function compiled(): typeof loops {
  if (loops === undefined) {
    const lib = compiledLibrary("tessera/gather.h", SOURCE, ROWS);
    loops = lib ? { rows: lib.func(ROWS), nonzero: lib.func(NONZERO) } : null;
  }
  return loops;
}

/**
 * Copy the block [lo, hi) of the dense side row by row in C when the layout allows (see
 * above); returns false to leave it to the general loop.
 */
export function copyRows(
  indexed: PhysicalStore,
  dense: PhysicalStore,
  idx: readonly PhysicalStore[],
  lo: readonly number[],
  hi: readonly number[],
  itemsize: number,
  toIndexed: boolean,
): boolean {
  if (idx.length !== 1 || dense.shape.length !== indexed.shape.length || dense.shape.length < 1 || dense.shape.length > 2) return false;
  const ix = idx[0];
  const wide = ix.dtype === "int64";
  if (!wide && ix.dtype !== "int32") return false;
  // 1-D (a[idx]): rows of one element, any strides; 2-D: whole contiguous rows.
  const flat = dense.shape.length === 1;
  if (!flat && (ix.strides[1] !== 0 || dense.strides[1] !== 1 || indexed.strides[1] !== 1)) return false;
  const n = flat ? 1 : hi[1] - lo[1],
    first = flat ? 0 : lo[1],
    count = hi[0] - lo[0];
  if (n * count < MIN_ELEMENTS) return false;
  const run = compiled()?.rows;
  if (!run) return false;
  const m = BigInt64Array.of(
    BigInt(count),
    BigInt(n * itemsize),
    BigInt((dense.offset + lo[0] * dense.strides[0] + first) * itemsize),
    BigInt(dense.strides[0] * itemsize),
    BigInt((indexed.offset + first) * itemsize),
    BigInt(indexed.strides[0] * itemsize),
    BigInt((ix.offset + lo[0] * ix.strides[0]) * (wide ? 8 : 4)),
    wide ? 1n : 0n,
    BigInt(ix.strides[0]),
    BigInt(indexed.shape[0]),
    toIndexed ? 1n : 0n,
  );
  run(m, dense.data, indexed.data, ix.data);
  return true;
}

/** nonzero of a 1-D array of bytes into `out` (count, 1) int64 (see above). */
export function nonzeroBytes(x: PhysicalStore, out: PhysicalStore, size: number): boolean {
  if (size < MIN_ELEMENTS) return false;
  const run = compiled()?.nonzero;
  if (!run) return false;
  run(BigInt64Array.of(BigInt(size), BigInt(x.offset), BigInt(x.strides[0]), BigInt(out.offset), BigInt(out.strides[0] ?? 0)), x.data, out.data);
  return true;
}
