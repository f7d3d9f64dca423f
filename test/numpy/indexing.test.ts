import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";

/**
 * Advanced indexing beyond what the NumPy fixture expresses: arrays large enough to be cut
 * across workers (checked against plain loops), aliasing between the target, its index
 * arrays and the values, ordering of deferred reads and writes, JS index forms, and argsort
 * on parallel rows and on one long row.
 */

const rng = () => np.random.default_rng(7);
const floats = (a: np.ndarray) => Array.from(a.toTypedArray() as Float64Array);
const ints = (a: np.ndarray) => Array.from(a.toTypedArray() as BigInt64Array, Number);

test("DESIGN §4: a.get(np.array([0, 2])), a.get(a.gt(5)), a.set(a.lt(0), 0)", () => {
  const a = np.arange(12).reshape(3, 4).sub(3);
  assert.deepEqual(a.get(np.array([0, 2])).tolist(), [
    [-3, -2, -1, 0],
    [5, 6, 7, 8],
  ]);
  assert.deepEqual(a.get(a.gt(5)).tolist(), [6, 7, 8]);
  a.set(a.lt(0), 0);
  assert.deepEqual(a.tolist(), [
    [0, 0, 0, 0],
    [1, 2, 3, 4],
    [5, 6, 7, 8],
  ]);
});

test("a large gather (cut across workers) equals a plain loop, negative indices included", () => {
  const n = 300_000;
  const a = np.arange(n).mul(1.5);
  const idx = rng().integers(-n, n, [120_000]) as np.ndarray;
  const got = floats(a.get(idx));
  const want = ints(idx).map((i) => (i < 0 ? i + n : i) * 1.5);
  assert.deepEqual(got, want);
});

test("2-D gathers: rows, columns and a broadcast pair of index arrays", () => {
  const a = np.arange(500 * 400).reshape(500, 400);
  const r = np.array([499, 0, 250, -1]),
    c = np.array([[3], [399], [-400]]);
  const flat = ints(a.flatten());
  assert.deepEqual(
    ints(a.get(r, c)),
    [3, 399, -400].flatMap((j) => [499, 0, 250, 499].map((i) => flat[i * 400 + (j < 0 ? j + 400 : j)])),
  );
  const cols = a.get(":", [5, 7]);
  assert.deepEqual(cols.shape, [500, 2]);
  assert.deepEqual(ints(cols).slice(0, 4), [5, 7, 405, 407]);
  const rows = a.get(rng().integers(0, 500, [1000]) as np.ndarray);
  assert.deepEqual(rows.shape, [1000, 400]);
});

test("whole rows of a 2-D array by mask, int32 and int64 indices (negative, reversed rows), every item size", () => {
  const [n, d] = [6000, 7];
  const x = rng().standard_normal([n, d]) as np.ndarray;
  const host = floats(x);
  const rowOf = (i: number) => host.slice(i * d, (i + 1) * d);
  const mask = (rng().random([n]) as np.ndarray).lt(0.3);
  const keep = Array.from(mask.toTypedArray() as Uint8Array, Boolean);
  assert.deepEqual(
    floats(x.get(mask)),
    keep.flatMap((k, i) => (k ? rowOf(i) : [])),
  );
  const idx = (rng().integers(-n, n, [4000]) as np.ndarray).astype("int32");
  const wrapped = ints(idx.astype("int64")).map((i) => (i < 0 ? i + n : i));
  assert.deepEqual(floats(x.get(idx)), wrapped.flatMap(rowOf));
  // Rows of a reversed view: a negative row step on the indexed side.
  assert.deepEqual(
    floats(x.get("::-1").get(idx.astype("int64"))),
    wrapped.flatMap((i) => rowOf(n - 1 - i)),
  );
  // One byte to sixteen bytes per element: the rows are copied as raw bytes.
  for (const dtype of ["bool", "int8", "int16", "float32", "complex128"] as const) {
    const y = x.mul(3).astype(dtype);
    assert.deepEqual(y.get(idx).tolist(), y.get(wrapped).tolist(), dtype);
    const want = (y.tolist() as unknown[][]).filter((_, i) => keep[i]);
    assert.deepEqual(y.get(mask).tolist(), want, dtype);
  }
});

test("nonzero of 1-D masks (large, and small ones counted in place), contiguous and stepped backwards, and of int8 values", () => {
  const where = (xs: number[]) => xs.flatMap((v, i) => (v ? [i] : []));
  for (const n of [50_000, 4096, 100, 1]) {
    const m = (rng().random([n]) as np.ndarray).lt(0.4);
    const host = Array.from(m.toTypedArray() as Uint8Array);
    assert.deepEqual(ints(np.nonzero(m)[0]), where(host), `${n}`);
    const back = host.filter((_, i) => (host.length - 1 - i) % 3 === 0).reverse();
    assert.deepEqual(ints(np.nonzero(m.get("::-3"))[0]), where(back), `${n} stepped`);
  }
  const m2 = np.array([
    [true, false, true],
    [false, false, true],
  ]);
  assert.deepEqual(np.nonzero(m2).map(ints), [
    [0, 0, 1],
    [0, 2, 2],
  ]);
  const v = (rng().integers(-2, 3, [30_000]) as np.ndarray).astype("int8");
  assert.deepEqual(ints(np.nonzero(v)[0]), where(ints(v.astype("int64"))));
});

test("elements of a 1-D array by int32 and int64 indices (negative, stepped views), every item size", () => {
  const n = 9000;
  const x = rng().standard_normal([n]) as np.ndarray;
  const idx = (rng().integers(-n, n, [5000]) as np.ndarray).astype("int32");
  const wrapped = ints(idx.astype("int64")).map((i) => (i < 0 ? i + n : i));
  const host = floats(x);
  assert.deepEqual(
    floats(x.get(idx)),
    wrapped.map((i) => host[i]),
  );
  // A reversed view of every other element: a negative element step on the indexed side.
  const half = x.get("::-2");
  const hidx = np.remainder(idx.astype("int64"), half.shape[0]);
  assert.deepEqual(
    floats(half.get(hidx)),
    ints(hidx).map((i) => host[n - 1 - 2 * i]),
  );
  for (const dtype of ["bool", "int8", "int16", "float32", "int64", "complex128"] as const) {
    const y = x.mul(1000).astype(dtype);
    assert.deepEqual(y.get(idx).tolist(), y.get(wrapped).tolist(), dtype);
    // Into a stepped output: every third element of a longer array.
    const out = np.zeros([3 * 5000], { dtype });
    out.set("::3", y.get(idx.astype("int64")));
    assert.deepEqual(out.get("::3").tolist(), y.get(wrapped).tolist(), `${dtype} stepped`);
  }
});

test("whole rows scattered with repeated indices: the last row wins", () => {
  const [n, d] = [3000, 5];
  const a = np.zeros([n, d]);
  const idx = rng().integers(0, n, [5000]) as np.ndarray;
  const vals = np
    .arange(5000 * d)
    .reshape(5000, d)
    .mul(1.0);
  a.set(idx, vals);
  const want = new Array<number>(n * d).fill(0);
  ints(idx).forEach((i, k) => {
    for (let j = 0; j < d; j++) want[i * d + j] = k * d + j;
  });
  assert.deepEqual(floats(a), want);
});

test("a large scatter with repeated indices: the last value wins, as a serial loop", () => {
  const n = 100_000;
  const a = np.zeros([n]);
  const idx = rng().integers(0, n, [150_000]) as np.ndarray;
  const vals = np.arange(150_000).mul(1.0);
  a.set(idx, vals);
  const want = new Array<number>(n).fill(0);
  ints(idx).forEach((i, k) => {
    want[i] = k;
  });
  assert.deepEqual(floats(a), want);
});

test("large masks: read, fill with a scalar, assign one value per true element", () => {
  const x = rng().standard_normal([200_000]) as np.ndarray;
  const host = floats(x);
  assert.deepEqual(
    floats(x.get(x.gt(0.5))),
    host.filter((v) => v > 0.5),
  );
  const y = x.copy();
  y.set(y.lt(0), 0);
  assert.deepEqual(
    floats(y),
    host.map((v) => (v < 0 ? 0 : v)),
  );
  const m = x.gt(1);
  const count = Number(np.count_nonzero(m));
  const z = x.copy();
  z.set(m, np.arange(count).mul(1.0));
  let k = 0;
  assert.deepEqual(
    floats(z),
    host.map((v) => (v > 1 ? k++ : v)),
  );
});

test("a 2-D mask over the leading dims of a 3-D array, and nonzero of it", () => {
  const a = np.arange(4 * 5 * 6).reshape(4, 5, 6);
  const m = np.arange(20).reshape(4, 5).mod(3).eq(0);
  const got = a.get(m);
  assert.deepEqual(got.shape, [7, 6]);
  const [i, j] = np.nonzero(m);
  assert.deepEqual(got.tolist(), a.get(i, j).tolist());
  a.set(m, -1);
  assert.equal(Number(np.count_nonzero(a.eq(-1))), 42);
});

test("index arrays that alias the target are read before it is written", () => {
  const a = np.array([2, 1, 0, 5]);
  a.set(a.get(np.slice(0, 3)), 9); // NumPy: a[a[:3]] = 9
  assert.deepEqual(a.tolist(), [9, 9, 9, 5]);
  const b = np.arange(6);
  b.set([1, 2, 3], b.get(np.slice(0, 3))); // values alias the target
  assert.deepEqual(b.tolist(), [0, 0, 1, 2, 4, 5]);
});

test("deferred work keeps program order: a gather before a scatter sees the old values", () => {
  const a = np.arange(5);
  const before = a.get([0, 4]);
  a.set([0, 4], 100);
  const after = a.get([0, 4]);
  assert.deepEqual(before.tolist(), [0, 4]);
  assert.deepEqual(after.tolist(), [100, 100]);
});

test("JS index forms: nested arrays, typed arrays, bigint, booleans, 0-d arrays", () => {
  const a = np.arange(12).reshape(3, 4);
  assert.deepEqual(
    a
      .get(
        [
          [0, 2],
          [1, 1],
        ],
        3,
      )
      .tolist(),
    [
      [3, 11],
      [7, 7],
    ],
  );
  assert.deepEqual(a.get(new Int32Array([2, 0])).tolist(), [
    [8, 9, 10, 11],
    [0, 1, 2, 3],
  ]);
  assert.deepEqual(a.get(1n, [3n, 0n]).tolist(), [7, 4]);
  assert.deepEqual(a.get([true, false, true], -1).tolist(), [3, 11]);
  assert.deepEqual(a.get(true).shape, [1, 3, 4]);
  assert.deepEqual(a.get(np.array(2), np.array([1])).tolist(), [9]);
  assert.throws(() => a.get(np.array([0.5])), { name: "IndexError", message: "arrays used as indices must be of integer (or boolean) type" });
});

test("advanced indexing returns copies, basic indexing views", () => {
  const a = np.arange(6);
  const copy = a.get([1, 2]);
  const view = a.get("1:3");
  a.set(1, 50);
  assert.deepEqual(copy.tolist(), [1, 2]);
  assert.deepEqual(view.tolist(), [50, 2]);
});

test("nonzero's arrays are columns of one table (as in NumPy); argwhere is that table", () => {
  const m = np.array([
    [0, 3],
    [4, 0],
    [5, 6],
  ]);
  const cols = m.nonzero();
  assert.equal(cols.length, 2);
  assert.deepEqual(
    cols.map((c) => c.tolist()),
    [
      [0, 1, 2, 2],
      [1, 0, 0, 1],
    ],
  );
  assert.deepEqual(np.argwhere(m).tolist(), [
    [0, 1],
    [1, 0],
    [2, 0],
    [2, 1],
  ]);
  assert.deepEqual(np.flatnonzero(m).tolist(), [1, 2, 4, 5]);
});

test("methods: take, put, compress, argsort, nonzero", () => {
  const a = np.arange(10).mul(2);
  assert.deepEqual(a.take([3, -1]).tolist(), [6, 18]);
  assert.deepEqual(a.compress([false, true, true]).tolist(), [2, 4]);
  a.put([0, 1], [-1, -2]);
  assert.deepEqual(a.get(np.slice(0, 3)).tolist(), [-1, -2, 4]);
  assert.deepEqual(np.array([3, 1, 2]).argsort().tolist(), [1, 2, 0]);
  assert.deepEqual(np.arange(6).reshape(2, 3).take([2, 0], { axis: 1 }).tolist(), [
    [2, 0],
    [5, 3],
  ]);
  assert.deepEqual(np.arange(7).take([9, -9], { mode: "wrap" }).tolist(), [2, 5]);
});

test("put and place on a strided view write through to the base array", () => {
  const base = np.zeros([4, 6], { dtype: "int32" });
  const view = base.get("::2, ::-2");
  np.put(view, [0, 5], [7, 8]);
  const rows = base.tolist() as number[][];
  assert.deepEqual(rows[0], [0, 0, 0, 0, 0, 7]);
  assert.deepEqual(rows[2], [0, 8, 0, 0, 0, 0]);
  np.place(view, view.eq(0), [1]);
  assert.equal(Number(np.count_nonzero(base)), 6);
});

test("argsort: many rows in parallel, and a long row; stable order for ties", () => {
  const a = rng().integers(0, 20, [400, 300]) as np.ndarray;
  const order = np.argsort(a, { kind: "stable" });
  const vals = a.tolist() as number[][];
  const ord = order.tolist() as number[][];
  for (let r = 0; r < 400; r += 37) {
    const want = Array.from({ length: 300 }, (_, i) => i).sort((i, j) => vals[r][i] - vals[r][j] || i - j);
    assert.deepEqual(ord[r], want);
  }
  const cols = np.argsort(a, { axis: 0, kind: "stable" }).tolist() as number[][];
  const col7 = Array.from({ length: 400 }, (_, i) => i).sort((i, j) => vals[i][7] - vals[j][7] || i - j);
  assert.deepEqual(
    cols.map((row) => row[7]),
    col7,
  );
  const x = rng().standard_normal([250_000]) as np.ndarray;
  x.set(5, NaN);
  const sorted = x.get(np.argsort(x));
  assert.deepEqual(floats(sorted).slice(0, -1), floats(np.sort(x)).slice(0, -1));
  assert.ok(Number.isNaN(sorted.item(250_000 - 1) as number));
});

test("argsort of a long row with ties (radix path) is stable; -0 ties with 0; NaN last", () => {
  const n = 100_000;
  const a = (rng().integers(0, 10, [n]) as np.ndarray).astype("float64");
  a.set([3, 4, 5], [-0, 0, NaN]);
  const vals = floats(a);
  const order = ints(np.argsort(a, { kind: "stable" }));
  const key = (v: number) => (Number.isNaN(v) ? Infinity : v);
  const want = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => (Number.isNaN(vals[i]) ? 1 : 0) - (Number.isNaN(vals[j]) ? 1 : 0) || key(vals[i]) - key(vals[j]) || i - j,
  );
  assert.deepEqual(order, want);
  const big = np.array([2n ** 62n + 1n, 2n ** 62n, -(2n ** 62n), 5n]);
  assert.deepEqual(big.argsort().tolist(), [2, 3, 1, 0]);
});

test("index arrays of every integer dtype are bounds-checked exactly, at both ends and at the dtype's extremes", () => {
  const a = np.arange(10);
  const inBounds: [string, (number | bigint)[]][] = [
    ["int8", [-10, 9, 0]],
    ["uint8", [9, 0]],
    ["int32", [-10, 9]],
    ["uint64", [9n, 0n]],
    ["int64", [-10n, 9n]],
  ];
  for (const [dtype, values] of inBounds) {
    const ix = np.array(values, { dtype });
    assert.deepEqual(
      a.get(ix).tolist(),
      values.map((v) => (Number(v) + 10) % 10),
      dtype,
    );
  }
  const outOf: [string, bigint, string][] = [
    ["int8", -11n, "-11"],
    ["int8", 10n, "10"],
    ["int64", -(2n ** 63n), "-9223372036854775808"],
    ["int64", 2n ** 63n - 1n, "9223372036854775807"],
    ["int64", 2n ** 53n + 1n, "9007199254740993"],
    // A low word in bounds under a high word that is not.
    ["int64", 2n ** 32n + 3n, "4294967299"],
    ["int64", -(2n ** 32n) + 3n, "-4294967293"],
    ["uint64", 2n ** 32n + 3n, "4294967299"],
    ["uint32", 10n, "10"],
    ["int32", -11n, "-11"],
  ];
  for (const [dtype, v, shown] of outOf)
    assert.throws(
      () => a.get(np.array([0n, v], { dtype })),
      { name: "IndexError", message: `index ${shown} is out of bounds for axis 0 with size 10` },
      `${dtype} ${v}`,
    );
  // A long index array (checked by a launch) and one small enough to be checked in place.
  for (const n of [5000, 100]) {
    const ix = np.subtract(np.remainder(np.arange(n), 20), 10);
    assert.equal(Number(a.get(ix).sum()), (n / 20) * 90, `${n} in bounds`);
    ix.set(n - 2, -11);
    assert.throws(() => a.get(ix), { name: "IndexError", message: "index -11 is out of bounds for axis 0 with size 10" }, `${n}`);
  }
});
