/**
 * Memory in long synchronous loops: every host allocation counts toward the forced
 * collection, tiny arrays too. No timing here (see `npm run bench -- memory` for peak RSS);
 * large arrays never read: reclaim_window.test.ts.
 *
 * The collection step is set to 16 MiB (TESSERA_RECLAIM_BYTES), so that the bound below is
 * the rule's hard one: a collection is forced once held memory has grown by two steps,
 * whatever the time. (Below two steps, collections are paced by what they cost, which
 * depends on the machine's load.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";

const MiB = 2 ** 20;
const STEP = 16 * MiB;
process.env.TESSERA_RECLAIM_BYTES = String(STEP);
const np = await import("tessera");
const { runtime } = await import("tessera/core");
const { canReclaim, reclaimCount } = await import("../../src/core/reclaim.js");

test("a loop of small arrays (< 64 KiB) triggers collections, and the memory it holds stays bounded", () => {
  // Deferred launches, whose results the host memory tracks (small ones run at once get
  // memory that only the JS collector tracks: the next test).
  runtime().eager.maxSize = 0;
  const a = np.arange(1000, { dtype: "float64" }),
    b = np.ones(1000);
  const before = reclaimCount();
  let s = 0,
    most = 0;
  for (let i = 0; i < 20_000; i++) {
    s += a.add(b).item(i % 1000) as number; // 8 KB per result
    if (i % 64 === 0) most = Math.max(most, runtime().liveBytes);
  }
  assert.equal(
    s,
    Array.from({ length: 20_000 }, (_, i) => (i % 1000) + 1).reduce((x, y) => x + y, 0),
  );
  assert.ok(canReclaim(), "synchronous collection is available in Node");
  assert.ok(reclaimCount() > before, "collections ran during the loop");
  // Two steps of growth, and what was live at the last collection (a few MiB at most).
  assert.ok(most <= 2 * STEP + 8 * MiB, `held up to ${(most / MiB).toFixed(0)} MiB while making 160 MB of results`);
  runtime().eager.maxSize = 4096;
});

test("small results run at once are left to the JS collector: a long loop of them stays bounded", {
  skip: runtime().device ? "with a GPU every launch goes through the window" : false,
}, () => {
  const a = np.arange(1000, { dtype: "float64" }),
    b = np.ones(1000);
  const runs = runtime().eager.runs;
  const rss0 = process.memoryUsage.rss();
  let s = 0,
    most = 0;
  for (let i = 0; i < 100_000; i++) {
    s += a.add(b).item(i % 1000) as number; // 8 KB per result, 800 MB in all
    if (i % 1024 === 0) most = Math.max(most, process.memoryUsage.rss() - rss0);
  }
  assert.equal(s, 100 * Array.from({ length: 1000 }, (_, i) => i + 1).reduce((x, y) => x + y, 0));
  assert.equal(runtime().eager.runs - runs, 100_000, "every add ran at once");
  assert.ok(most <= 256 * MiB, `resident memory grew by ${(most / MiB).toFixed(0)} MiB while making 800 MB of results`);
});
