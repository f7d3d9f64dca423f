import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";

/**
 * Joining, splitting and creation routines beyond what the NumPy fixtures express: arrays
 * large enough to be cut across workers (checked against plain loops), writes into `out`
 * and into views, JavaScript inputs (ArrayBuffers, Buffers, generators, functions),
 * iteration, and the constants.
 */

const floats = (a: np.ndarray) => Array.from(a.toTypedArray() as Float64Array);

test("a large concatenate (each piece cut across workers) equals a plain loop", () => {
  const n = 250_000;
  const parts = [0, 1, 2, 3].map((k) => np.arange(n).mul(k + 1));
  const got = floats(np.concatenate(parts).astype("float64"));
  const want: number[] = [];
  for (let k = 0; k < 4; k++) for (let i = 0; i < n; i++) want.push(i * (k + 1));
  assert.deepEqual(got, want);
});

test("concatenate along a middle axis of large 3-D pieces, and into a strided out=", () => {
  const a = np.arange(2 * 50_000 * 3).reshape(2, 50_000, 3);
  const b = np
    .arange(2 * 50_000 * 2)
    .reshape(2, 50_000, 2)
    .neg();
  const r = np.concatenate([a, b], 2);
  assert.deepEqual(r.shape, [2, 50_000, 5]);
  const v = r.toTypedArray() as BigInt64Array;
  for (const [i, j] of [
    [0, 0],
    [1, 49_999],
    [1, 12_345],
  ]) {
    const row = Array.from(v.subarray((i * 50_000 + j) * 5, (i * 50_000 + j + 1) * 5), Number);
    const base = (i * 50_000 + j) * 3,
      nb = (i * 50_000 + j) * 2;
    assert.deepEqual(row, [base, base + 1, base + 2, 0 - nb, -nb - 1]);
  }
  const out = np.zeros([10, 4]);
  const view = out.get("::2");
  const res = np.concatenate([np.ones([2, 4]), np.full([3, 4], 2)], 0, view);
  assert.equal(res, view);
  assert.deepEqual(out.sum(1).tolist(), [4, 0, 4, 0, 8, 0, 8, 0, 8, 0]);
});

test("concatenate reads its inputs before a later write to them", () => {
  const a = np.arange(4);
  const r = np.concatenate([a, a]);
  a.set("...", 9);
  assert.deepEqual(r.tolist(), [0, 1, 2, 3, 0, 1, 2, 3]);
});

test("split pieces are views: writing to one writes to the original", () => {
  const a = np.arange(6);
  const [x, y] = np.split(a, 2);
  y.set(0, 100);
  assert.deepEqual(a.tolist(), [0, 1, 2, 100, 4, 5]);
  assert.deepEqual(x.tolist(), [0, 1, 2]);
});

test("large tile, repeat and roll equal plain loops", () => {
  const n = 100_000;
  const a = np.arange(n);
  const t = Array.from(np.tile(a, 3).toTypedArray() as BigInt64Array, Number);
  assert.equal(t.length, 3 * n);
  assert.ok(t.every((v, i) => v === i % n));
  const r = Array.from(np.repeat(a, 2).toTypedArray() as BigInt64Array, Number);
  assert.ok(r.every((v, i) => v === Math.floor(i / 2)));
  const s = Array.from(np.roll(a, 12_345).toTypedArray() as BigInt64Array, Number);
  assert.ok(s.every((v, i) => v === (((i - 12_345) % n) + n) % n));
});

test("iteration runs over the first axis; a 0-d array cannot be iterated", () => {
  const a = np.arange(6).reshape(3, 2);
  assert.deepEqual(
    [...a].map((r) => r.tolist()),
    [
      [0, 1],
      [2, 3],
      [4, 5],
    ],
  );
  assert.deepEqual(
    [...np.array([1.5, 2.5])].map((x) => [x.ndim, x.item()]),
    [
      [0, 1.5],
      [0, 2.5],
    ],
  );
  assert.deepEqual([...np.zeros([0, 3])], []);
  assert.throws(
    () => [...np.array(5)],
    (e: Error) => e instanceof TypeError && e.message === "iteration over a 0-d array",
  );
});

test("frombuffer reads ArrayBuffers, typed arrays (from their byte offset) and Buffers", () => {
  const f = new Float64Array([1.5, -2, 3]);
  assert.deepEqual(np.frombuffer(f.buffer).tolist(), [1.5, -2, 3]);
  assert.deepEqual(np.frombuffer(f.subarray(1)).tolist(), [-2, 3]);
  const bytes = Buffer.from([1, 0, 2, 0, 255, 255]);
  const r = np.frombuffer(bytes, "int16");
  assert.equal(r.dtype.name, "int16");
  assert.deepEqual(r.tolist(), [1, 2, -1]);
  assert.deepEqual(np.frombuffer(bytes, "uint8", 2, 4).tolist(), [255, 255]);
  // A copy: changing the buffer later does not change the array.
  const copy = np.frombuffer(f.buffer);
  f[0] = 99;
  assert.equal(copy.item(0), 1.5);
});

test("fromiter consumes JS iterables lazily, up to count", () => {
  function* naturals() {
    for (let i = 0; ; i++) yield i * 0.5;
  }
  const a = np.fromiter(naturals(), "float32", 4);
  assert.equal(a.dtype.name, "float32");
  assert.deepEqual(a.tolist(), [0, 0.5, 1, 1.5]);
  assert.deepEqual(np.fromiter(new Set([3, 1, 2]), "int8").tolist(), [3, 1, 2]);
});

test("fromfunction calls the function once with np.indices' arrays (and keywords)", () => {
  let calls = 0;
  const r = np.fromfunction(
    (i: np.ndarray, j: np.ndarray, kw?: { scale: number }) => {
      calls++;
      return np.add(np.multiply(i, kw?.scale ?? 1), j);
    },
    [2, 3],
    { dtype: "int32", scale: 10 },
  ) as np.ndarray;
  assert.equal(calls, 1);
  const [i, j] = np.indices([2, 3], "int32") as np.ndarray;
  assert.deepEqual(r.tolist(), np.add(np.multiply(i, 10), j).tolist());
  assert.equal(r.dtype.name, "int32");
});

test("the constants are NumPy's doubles", () => {
  assert.equal(np.pi, Math.PI);
  assert.equal(np.e, Math.E);
  assert.equal(np.inf, Infinity);
  assert.ok(Number.isNaN(np.nan));
  assert.equal(np.euler_gamma, 0.5772156649015329);
  assert.equal(np.newaxis, null);
});

test("isscalar: JS scalars and complex values are scalars; arrays and lists are not", () => {
  for (const v of [1, 1.5, 2n, true, "a", { re: 1, im: 2 }]) assert.equal(np.isscalar(v), true, String(v));
  for (const v of [[1], np.array(1), np.array([1, 2]), null]) assert.equal(np.isscalar(v), false, String(v));
});

test("pad with a function as the mode: called on every vector along each axis, writing in place", () => {
  const a = np.arange(6).reshape(2, 3);
  const seen: [number[], number][] = [];
  const r = np.pad(
    a,
    2,
    (vector: np.ndarray, width: [number, number], iaxis: number, kwargs: Record<string, unknown>) => {
      seen.push([width, iaxis]);
      const v = (kwargs.padder as number | undefined) ?? 10;
      vector.set(np.slice(null, width[0]), v);
      vector.set(np.slice(-width[1], null), v);
    },
    { padder: 7 },
  );
  assert.deepEqual(r.tolist(), np.pad(a, 2, "constant", { constant_values: 7 }).tolist());
  // 7 vectors along axis 0 (one per column of the padded array), then 6 along axis 1.
  assert.equal(seen.length, 13);
  assert.deepEqual(seen[0], [[2, 2], 0]);
  assert.deepEqual(seen[12], [[2, 2], 1]);
});
