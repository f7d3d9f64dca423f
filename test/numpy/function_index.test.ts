/**
 * docs/numpy-index.md (every NumPy reference name: supported, partial or not supported) is
 * what `npm run coverage -- --doc` generates from the library as built.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

test("docs/numpy-index.md is up to date (npm run coverage -- --doc)", () => {
  const script = new URL("../../../scripts/coverage.mjs", import.meta.url);
  const generated = execFileSync(process.execPath, [script.pathname, "--doc-stdout"], { encoding: "utf8" });
  const committed = readFileSync(new URL("../../../docs/numpy-index.md", import.meta.url), "utf8");
  assert.equal(committed, generated);
  // Every section of NumPy's reference is there, with its count.
  assert.match(committed, /^## Miscellaneous routines \(\d+ of 9\)$/m);
});
