/** Interval sets and view footprints, checked against brute-force element sets. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { intersect, normalize, subtract, union, measure, type Intervals } from "../../src/core/regions.js";
import { footprint, MAX_RUNS } from "../../src/core/regions.js";
import { Shards } from "../../src/ranks/shards.js";
import { Storage } from "../../src/core/store.js";
import { DTYPES } from "../../src/core/dtype.js";

function elements(a: Intervals): Set<number> {
  const s = new Set<number>();
  for (let i = 0; i < a.length; i += 2) for (let x = a[i]; x < a[i + 1]; x++) s.add(x);
  return s;
}
function toSet(s: Set<number>): Intervals {
  return normalize([...s].sort((x, y) => x - y).flatMap((x) => [x, x + 1]));
}

let seed = 12345;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};
const randomSet = () =>
  normalize(
    Array.from({ length: 2 * (1 + rand(6)) }, () => rand(40))
      .flatMap((x, i) => (i % 2 ? [] : [x, x + rand(8)]))
      .concat([]),
  );

test("union, intersect and subtract match element sets", () => {
  for (let k = 0; k < 500; k++) {
    const a = randomSet(),
      b = randomSet();
    const ea = elements(a),
      eb = elements(b);
    assert.deepEqual(union(a, b), toSet(new Set([...ea, ...eb])));
    assert.deepEqual(intersect(a, b), toSet(new Set([...ea].filter((x) => eb.has(x)))));
    assert.deepEqual(subtract(a, b), toSet(new Set([...ea].filter((x) => !eb.has(x)))));
    assert.equal(measure(a), ea.size);
  }
});

test("footprints of strided, transposed, broadcast and reversed blocks", () => {
  const cases: { offset: number; strides: number[]; lo: number[]; hi: number[] }[] = [
    { offset: 0, strides: [10, 1], lo: [2, 0], hi: [5, 10] }, // rows: one run
    { offset: 11, strides: [10, 1], lo: [0, 0], hi: [8, 8] }, // interior of a 10x10
    { offset: 0, strides: [1, 10], lo: [0, 3], hi: [10, 6] }, // transposed block
    { offset: 5, strides: [0, 2], lo: [0, 1], hi: [4, 7] }, // broadcast, stepped
    { offset: 99, strides: [-10, -1], lo: [1, 2], hi: [4, 9] }, // reversed
    { offset: 3, strides: [20, 5, 1], lo: [1, 0, 0], hi: [3, 4, 5] },
  ];
  for (const c of cases) {
    const want = new Set<number>();
    const walk = (d: number, at: number) => {
      if (d === c.strides.length) {
        want.add(at);
        return;
      }
      for (let i = c.lo[d]; i < c.hi[d]; i++) walk(d + 1, at + i * c.strides[d]);
    };
    walk(0, c.offset);
    const f = footprint(c.offset, c.strides, c.lo, c.hi);
    assert.equal(f.exact, true);
    assert.deepEqual(f.set, toSet(want), JSON.stringify(c));
  }
  const wide = footprint(0, [2], [0], [MAX_RUNS + 1]);
  assert.equal(wide.exact, false);
  assert.deepEqual(wide.set, [0, 2 * MAX_RUNS + 1]);
});

test("shards: writes move validity, plans fetch from the ranks that hold the data", () => {
  const st = new Storage(DTYPES.float64, 100);
  const sh = new Shards(3);
  sh.wrote(st, 0, [0, 40]);
  sh.wrote(st, 1, [40, 70]);
  sh.wrote(st, 2, [70, 100]);
  assert.deepEqual(sh.of(st), [
    [0, 40],
    [40, 70],
    [70, 100],
  ]);
  const plan = sh.plan(st, [[0, 41], [39, 71], []]);
  assert.deepEqual(
    plan.map((t) => [t.from, t.to, t.set]),
    [
      [1, 0, [40, 41]],
      [2, 1, [70, 71]],
      [0, 1, [39, 40]],
    ],
  );
  for (const t of plan) sh.received(st, t.to, t.set);
  assert.deepEqual(sh.of(st)[1], [39, 71]);
  sh.wrote(st, "all", [0, 100]);
  assert.deepEqual(sh.of(st), [
    [0, 100],
    [0, 100],
    [0, 100],
  ]);
});
