import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import * as np from "tessera";

test("views share their store: writes through a view are seen by the base", () => {
  const a = np.arange(12).reshape(3, 4);
  const v = a.get("1:, ::2");
  v.set("...", -1);
  assert.deepEqual(a.tolist(), [
    [0, 1, 2, 3],
    [-1, 5, -1, 7],
    [-1, 9, -1, 11],
  ]);
  const t = a.T;
  t.set(0, 0, 100);
  assert.equal(a.item(0), 100);
});

test("the DESIGN contract examples work", () => {
  const a = np.arange(12).reshape([3, 4]);
  const b = np.ones([3, 4], { dtype: "float32" });
  const c = np.add(a, b);
  assert.equal(c.dtype, np.float64);
  assert.deepEqual(np.sum(a, { axis: 1, keepdims: true }).tolist(), [[6], [22], [38]]);
  assert.deepEqual(a.get(0, np.newaxis, -1).tolist(), [3]);
  assert.deepEqual(a.get(np.slice(1, null, 2), "...").tolist(), [[4, 5, 6, 7]]);
  a.set("0, :", 7);
  assert.deepEqual(a.get(0).tolist(), [7, 7, 7, 7]);
  assert.deepEqual([a.shape, a.ndim, a.size, a.dtype.name], [[3, 4], 2, 12, "int64"]);
  assert.equal(Number(np.sum(a)), 88);
  assert.equal(a.sum().item(), 88);
  assert.equal(a.sum().item({ bigint: true }), 88n);
  assert.equal(b.dtype, np.dtype("f4"));
});

test("printing matches NumPy's str and repr", () => {
  assert.equal(String(np.arange(6).reshape(2, 3)), "[[0 1 2]\n [3 4 5]]");
  assert.equal(np.array_repr(np.linspace(0, 1, 5)), "array([0.  , 0.25, 0.5 , 0.75, 1.  ])");
  assert.equal(inspect(np.ones(2, { dtype: "float32" })), "array([1., 1.], dtype=float32)");
  assert.equal(String(np.arange(2000)), "[   0    1    2 ... 1997 1998 1999]");
});

test("complex and bool values read back as NumPy's", () => {
  const z = np.array([
    { re: 1, im: 2 },
    { re: 0, im: -1 },
  ]);
  assert.equal(z.dtype.name, "complex128");
  assert.deepEqual(z.mul(z).tolist(), [
    { re: -3, im: 4 },
    { re: -1, im: -0 },
  ]);
  assert.deepEqual(np.array([1, 2, 3]).gt(1).tolist(), [false, true, true]);
  assert.equal(String(np.abs(z)), "[2.23606798 1.        ]");
});

test("bad input raises NumPy's errors and leaves operands unchanged", () => {
  const a = np.arange(3),
    b = np.arange(4);
  assert.throws(
    () => np.add(a, b),
    (e: Error) => e instanceof np.ValueError && e.message === "operands could not be broadcast together with shapes (3,) (4,) ",
  );
  assert.throws(
    () => np.sum(a, { axis: 1 }),
    (e: Error) => e instanceof np.AxisError && e.message === "axis 1 is out of bounds for array of dimension 1",
  );
  assert.throws(
    () => np.zeros(3, { dtype: "flot" }),
    (e: Error) => e instanceof TypeError && e.message === "data type 'flot' not understood",
  );
  assert.throws(
    () => a.get(5),
    (e: Error) => e instanceof np.IndexError && e.message === "index 5 is out of bounds for axis 0 with size 3",
  );
  assert.throws(() => np.array([1, "a" as unknown as number], { dtype: "float64" }), /could not convert string to float: 'a'/);
  assert.throws(
    () => np.zeros(2, { dtype: "uint8" }).add(300),
    (e: Error) => e instanceof np.OverflowError,
  );
  assert.throws(() => a.set("0", b), np.ValueError);
  assert.deepEqual(a.tolist(), [0, 1, 2]);
  assert.deepEqual(b.tolist(), [0, 1, 2, 3]);
});

test("out= writes in place and checks casting", () => {
  const a = np.ones(4),
    out = np.zeros(4);
  const r = np.add(a, a, { out });
  assert.equal(r, out);
  assert.deepEqual(out.tolist(), [2, 2, 2, 2]);
  assert.throws(
    () => np.add(a, a, { out: np.zeros(4, { dtype: "int64" }) }),
    /Cannot cast ufunc 'add' output from dtype\('float64'\) to dtype\('int64'\) with casting rule 'same_kind'/,
  );
});

test("large arrays run through the worker pool and agree with small ones", () => {
  const n = 2_000_000;
  const x = np.arange(n, { dtype: "float64" });
  const y = x.mul(2).add(1);
  assert.equal(Number(y.sum()), n * n);
  assert.equal(Number(np.argmax(y.neg())), 0);
  assert.equal(Number(np.max(np.sqrt(x))), Math.sqrt(n - 1));
  const m = x.reshape(1000, 2000);
  assert.deepEqual(
    np.sum(m, { axis: 0 }).get(":3").tolist(),
    [(999000 * 1000) / 1, 999000 + 1000, 999000 + 2000].map((v, i) => 1000 * 999 * 1000 + 1000 * i + (v - v)),
  );
});

test("a synchronous loop does not pile up memory: dead arrays are reclaimed and reused", async () => {
  const { runtime } = await import("tessera/core");
  const rt = runtime();
  const n = 2_000_000; // 16 MB per float64 array
  const a = np.ones(n),
    b = np.ones(n);
  const before = rt.memoryStats.reused;
  let c = a.add(b);
  for (let i = 0; i < 120; i++) {
    c = a.add(b).mul(i);
    c.item(0);
  }
  assert.equal(c.item(5), 2 * 119);
  assert.ok(rt.liveBytes < 1.6 * 2 ** 30, `live bytes stay bounded (${rt.liveBytes})`);
  assert.ok(rt.memoryStats.reused > before, "freed buffers were reused");
});

test("a live lazy value keeps the old contents when its input is overwritten", () => {
  const u = np.arange(1_500_000, { dtype: "float64" });
  const t = u.mul(2); // lazy, reads u
  const keep = u.get(":3").add(1); // small lazy, reads u
  u.set("...", -1); // t must still see the old u
  assert.deepEqual(t.get(":3").tolist(), [0, 2, 4]);
  assert.deepEqual(keep.tolist(), [1, 2, 3]);
  assert.deepEqual(u.get(":2").tolist(), [-1, -1]);
});
