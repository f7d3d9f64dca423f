// The set routines on long inputs, where sorting, the running counts and the compaction run
// on every worker (the conformance fixture's cases are short): checked against plain JS.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";

const ints = (a: np.ndarray): number[] => Array.from(a.toTypedArray() as unknown as ArrayLike<number | bigint>, Number);

test("unique of long int64 arrays: values, first indices, inverse and counts", () => {
  const rng = np.random.default_rng(7);
  for (const n of [70_001, 300_007]) {
    const a = rng.integers(0, Math.floor(n / 7), n) as np.ndarray;
    const [u, idx, inv, cnt] = np.unique(a, true, true, true) as np.ndarray[];
    const vals = ints(a);
    const set = [...new Set(vals)].sort((x, y) => x - y);
    assert.deepEqual(ints(u), set);
    const first = new Map<number, number>();
    const counts = new Map<number, number>();
    vals.forEach((v, i) => {
      if (!first.has(v)) first.set(v, i);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    });
    assert.deepEqual(
      ints(idx),
      set.map((v) => first.get(v)),
    );
    const pos = new Map(set.map((v, k) => [v, k]));
    assert.deepEqual(
      ints(inv),
      vals.map((v) => pos.get(v)),
    );
    assert.deepEqual(
      ints(cnt),
      set.map((v) => counts.get(v)),
    );
  }
});

test("unique of a long float array: NaNs as one value, or each distinct with equal_nan false", () => {
  const a = np.divide(np.random.default_rng(8).integers(0, 5000, 100_003) as np.ndarray, 3);
  a.set(np.slice(0, null, 997), NaN);
  const vals = Array.from(a.toTypedArray() as Float64Array);
  const nans = vals.filter((x) => x !== x).length;
  const distinct = [...new Set(vals.filter((x) => x === x))].sort((x, y) => x - y);
  const u = np.unique(a) as np.ndarray;
  assert.deepEqual(Array.from(u.toTypedArray() as Float64Array), [...distinct, NaN]);
  assert.equal((np.unique(a, { equal_nan: false }) as np.ndarray).size, distinct.length + nans);
});

test("long intersect1d, setdiff1d, setxor1d, union1d and isin", () => {
  const rng = np.random.default_rng(9);
  const a = rng.integers(0, 60_000, 90_000) as np.ndarray,
    b = rng.integers(30_000, 90_000, 80_000) as np.ndarray;
  const A = new Set(ints(a)),
    Bs = new Set(ints(b));
  const sorted = (xs: Iterable<number>) => [...xs].sort((x, y) => x - y);
  assert.deepEqual(ints(np.intersect1d(a, b) as np.ndarray), sorted([...A].filter((v) => Bs.has(v))));
  assert.deepEqual(ints(np.setdiff1d(a, b)), sorted([...A].filter((v) => !Bs.has(v))));
  assert.deepEqual(ints(np.setxor1d(a, b)), sorted([...[...A].filter((v) => !Bs.has(v)), ...[...Bs].filter((v) => !A.has(v))]));
  assert.deepEqual(ints(np.union1d(a, b)), sorted(new Set([...A, ...Bs])));
  const got = Array.from(np.isin(a, b).toTypedArray() as Uint8Array, Boolean);
  assert.deepEqual(
    got,
    ints(a).map((v) => Bs.has(v)),
  );
});
