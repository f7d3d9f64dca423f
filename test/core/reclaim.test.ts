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
});
