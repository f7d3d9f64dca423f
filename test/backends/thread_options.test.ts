/**
 * Programs started with Node options that Node allows only for a whole process
 * (`node --expose-gc app.js`) still get their worker threads: those options are left out
 * for the threads instead of making every parallel launch fail.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

test("node --expose-gc: work still runs on the CPU workers", () => {
  const entry = new URL("../../src/index.js", import.meta.url).href;
  const code = `import * as np from ${JSON.stringify(entry)};
    const a = np.arange(1 << 20, { dtype: "float64" });
    console.log(np.sum(a.multiply(2)).item());
    process.exit(0);`;
  const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", code], {
    encoding: "utf8",
    timeout: 60000,
    env: { ...process.env, TESSERA_CPUS: "2", TESSERA_INLINE_WORK: "0", TESSERA_MIN_PIECE_WORK: "1", TESSERA_LOG: "pool" },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), String((2 ** 20 - 1) * 2 ** 20));
  assert.match(r.stderr, /threads start without --expose-gc/);
});
