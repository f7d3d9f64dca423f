/**
 * NumPy conformance: replays every case of test/fixtures/conformance.json (written by
 * test/fixtures/generate_conformance.py from real NumPy) against the library and compares
 * dtype, shape and values, or the error class and exact message.
 *
 * Tolerances, per result dtype (details in conformance_support.ts):
 *  - exact, bit for bit (sign of zero included, NaN matches NaN), for bool and integer
 *    results and for float results of exactly-rounded or exactly-specified operations
 *    (add/subtract/multiply/divide, real sqrt, floor_divide/remainder, comparisons,
 *    maximum/minimum/clip/where, rounding, casts, creation, indexing, shape ops);
 *  - for transcendental functions, power, arctan2/hypot, float reductions
 *    (sum/prod/mean/var/std), linspace/logspace and complex multiply/divide/abs/sqrt:
 *    |actual - expected| <= rtol*|expected| + atol with rtol = 1e-12 (float64/complex128),
 *    2e-6 (float32/complex64), 2e-3 (float16); atol = rtol for elementwise work, and
 *    rtol * max(1, max|expected|) for reductions;
 *  - NaN must match NaN and an infinity must match the same infinity in every mode.
 * Error cases assert the class (err.name, and instanceof for exported classes), the exact
 * message, and that the operands are unchanged after the error.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type Case, type EncArray, groupByPrefix, runCase } from "./conformance_support.js";
import { ON_GPU } from "./conformance_support.js";

const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/conformance.json", import.meta.url), "utf8")) as {
  numpy_version: string;
  arrays: EncArray[];
  cases: Case[];
};

test("fixture is present and non-trivial", () => {
  assert.ok(fixture.cases.length > 1000, `only ${fixture.cases.length} cases`);
});

const groups = groupByPrefix(fixture.cases);

for (const [group, cases] of groups) {
  describe(group, () => {
    for (const c of cases) {
      const gpuSkip = ON_GPU && /^unary (sin|cos|tan): float32 wide/.test(c.name) ? "WGSL does not specify sin/cos/tan beyond a few periods" : false;
      test(c.name, { skip: gpuSkip }, () => runCase(c.expr, c.expect, fixture.arrays));
    }
  });
}
