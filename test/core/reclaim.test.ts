/**
 * Memory in long synchronous loops: every host allocation counts toward the forced
 * collection (tiny arrays too). No timing here (see `npm run bench -- memory` for peak RSS);
 * large arrays never read: reclaim_window.test.ts.
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
