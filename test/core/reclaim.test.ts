/**
 * Memory in long synchronous loops: every host allocation counts toward the forced
 * collection (tiny arrays too), and a loop of large arrays that never reads them does not
 * queue hundreds of them. No timing here (see `npm run bench -- memory` for peak RSS).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";
import { runtime } from "tessera/core";
import { canReclaim, reclaimCount } from "../../src/core/reclaim.js";

const MiB = 2 ** 20;

test("a loop of small arrays (< 64 KiB) triggers collections, and the memory it holds stays bounded", () => {
  const a = np.arange(1000, { dtype: "float64" }),
    b = np.ones(1000);
  const before = reclaimCount();
  let s = 0;
  for (let i = 0; i < 20_000; i++) s += a.add(b).item(i % 1000) as number; // 8 KB per result
  assert.equal(
    s,
    Array.from({ length: 20_000 }, (_, i) => (i % 1000) + 1).reduce((x, y) => x + y, 0),
  );
  assert.ok(canReclaim(), "synchronous collection is available in Node");
  assert.ok(reclaimCount() > before, "collections ran during the loop");
  assert.ok(runtime().liveBytes < 100 * MiB, `held ${(runtime().liveBytes / MiB).toFixed(0)} MiB after 160 MB of results`);
});

test("a loop of large arrays that are never read does not hold them all", () => {
  const n = 1 << 20; // 8 MiB each
  const rng = np.random.default_rng(3);
  const a = rng.random([n]) as np.ndarray,
    b = rng.random([n]) as np.ndarray;
  a.item(0);
  b.item(0);
  let c = a;
  let most = 0;
  for (let i = 0; i < 60; i++) {
    c = np.add(a, b);
    np.multiply(c, 1.5, { out: c });
    most = Math.max(most, runtime().liveBytes);
  }
  const want = ((a.item(5) as number) + (b.item(5) as number)) * 1.5;
  assert.equal(c.item(5), want);
  most = Math.max(most, runtime().liveBytes);
  assert.ok(most < 300 * MiB, `held up to ${(most / MiB).toFixed(0)} MiB for 480 MiB of results`);
});
