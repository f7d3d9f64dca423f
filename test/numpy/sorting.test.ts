import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";

/** np.sort: NumPy's order (NaN last, complex lexicographic), every axis, serial and parallel paths. */

const nanLast = (a: number, b: number) => (a !== a ? (b !== b ? 0 : 1) : b !== b ? -1 : a - b);

test("1-D floats: ascending, NaN last", () => {
  const s = np.sort(np.array([3, 1, NaN, -2, 0.5, -Infinity, 5, NaN]));
  assert.deepEqual(s.tolist(), [-Infinity, -2, 0.5, 1, 3, 5, NaN, NaN]);
});

test("every axis of a 3-D array, and axis=null", () => {
  const a = np.random.default_rng(5).integers(0, 50, [3, 4, 5]) as np.ndarray;
  const vals = a.tolist() as number[][][];
  for (const axis of [0, 1, 2, -1]) {
    const got = np.sort(a, { axis }).tolist() as number[][][];
    const ax = (axis + 3) % 3;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++)
        for (let k = 0; k < 5; k++) {
          const line: number[] = [];
          const n = [3, 4, 5][ax];
          for (let t = 0; t < n; t++) line.push(ax === 0 ? vals[t][j][k] : ax === 1 ? vals[i][t][k] : vals[i][j][t]);
          line.sort((x, y) => x - y);
          const pos = ax === 0 ? i : ax === 1 ? j : k;
          assert.equal(got[i][j][k], line[pos]);
        }
  }
  const flat = (a.tolist() as number[][][]).flat(2).sort((x, y) => x - y);
  assert.deepEqual(np.sort(a, { axis: null }).tolist(), flat);
});

test("dtypes: int64, uint8, bool, float32, float16, complex", () => {
  assert.deepEqual(np.sort(np.array([3n, -9n, 2n ** 62n, 0n])).tolist({ bigint: true }), [-9n, 0n, 3n, 2n ** 62n]);
  assert.deepEqual(np.sort(np.array([200, 3, 255], { dtype: "uint8" })).tolist(), [3, 200, 255]);
  assert.deepEqual(np.sort(np.array([true, false, true])).tolist(), [false, true, true]);
  assert.deepEqual(np.sort(np.array([1.5, -0.25, 3], { dtype: "float32" })).tolist(), [-0.25, 1.5, 3]);
  assert.deepEqual(np.sort(np.array([1.5, NaN, -0.25, 3], { dtype: "float16" })).tolist(), [-0.25, 1.5, 3, NaN]);
  const z = np.sort(
    np.array([
      { re: 1, im: 2 },
      { re: 1, im: -1 },
      { re: 0, im: 5 },
      { re: NaN, im: 0 },
    ]),
  );
  assert.deepEqual(z.tolist(), [
    { re: 0, im: 5 },
    { re: 1, im: -1 },
    { re: 1, im: 2 },
    { re: NaN, im: 0 },
  ]);
});

test("a long row is sorted in parallel blocks and merged into the same order", () => {
  const n = 1_000_003;
  const a = np.random.default_rng(11).standard_normal([n]) as np.ndarray;
  a.set(17, NaN);
  const ref = Array.from(a.toTypedArray() as Float64Array).sort(nanLast);
  const got = np.sort(a).toTypedArray() as Float64Array;
  assert.equal(got.length, n);
  for (let i = 0; i < n; i += 9973) assert.ok(Object.is(got[i], ref[i]), `element ${i}`);
  assert.ok(Number.isNaN(got[n - 1]));
  assert.equal(a.item(17), NaN, "np.sort leaves its input alone");
});

test("long rows of every real dtype, with ties, NaN and a tail run, equal a full sort", () => {
  // Sizes that do not divide into equal runs; the number of runs follows TESSERA_CPUS.
  for (const [dtype, n] of [
    ["float64", 200_003],
    ["float32", 131_071],
    ["int64", 150_001],
    ["uint8", 140_000],
    ["int16", 99_999],
    ["bool", 70_001],
  ] as const) {
    const raw = np.random.default_rng(3).integers(-500, 500, [n]) as np.ndarray;
    const a = dtype === "bool" ? raw.gt(0) : dtype.startsWith("float") ? np.divide(raw, 7).astype(dtype) : raw.astype(dtype);
    if (dtype === "float64") a.set(np.slice(0, null, 1001), NaN);
    const ref = Array.from(a.toTypedArray() as unknown as ArrayLike<number | bigint>).sort((x, y) =>
      typeof x === "bigint" ? (x < (y as bigint) ? -1 : x > (y as bigint) ? 1 : 0) : nanLast(x, y as number),
    );
    const got = Array.from(np.sort(a).toTypedArray() as unknown as ArrayLike<number | bigint>);
    assert.equal(got.length, n, dtype);
    const bad = got.findIndex((v, i) => !Object.is(v, ref[i]) && !(v === 0 && ref[i] === 0));
    assert.equal(bad, -1, `${dtype}: element ${bad} is ${got[bad]}, expected ${ref[bad]}`);
  }
});

test("argsort of long rows of every real dtype is the stable order, ties and NaN included", () => {
  for (const [dtype, n] of [
    ["float64", 200_003],
    ["int64", 150_001],
    ["uint8", 140_000],
    ["bool", 70_001],
  ] as const) {
    const raw = np.random.default_rng(4).integers(-300, 300, [n]) as np.ndarray;
    const a = dtype === "bool" ? raw.gt(0) : dtype === "float64" ? np.divide(raw, 7) : raw.astype(dtype);
    if (dtype === "float64") a.set(np.slice(5, null, 1001), NaN);
    const v = Array.from(a.toTypedArray() as unknown as ArrayLike<number | bigint>, Number);
    const ref = v.map((_, i) => i).sort((i, j) => nanLast(v[i], v[j]) || i - j);
    const got = Array.from(np.argsort(a).toTypedArray() as BigInt64Array, Number);
    const bad = got.findIndex((p, i) => p !== ref[i]);
    assert.equal(bad, -1, `${dtype}: position ${bad} is ${got[bad]}, expected ${ref[bad]}`);
  }
});

test("ndarray.sort sorts in place, through views too", () => {
  const a = np.array([
    [3, 1, 2],
    [6, 5, 4],
  ]);
  a.get(1).sort();
  assert.deepEqual(a.tolist(), [
    [3, 1, 2],
    [4, 5, 6],
  ]);
  a.sort({ axis: 0 });
  assert.deepEqual(a.tolist(), [
    [3, 1, 2],
    [4, 5, 6],
  ]);
});
