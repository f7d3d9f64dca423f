/**
 * Exact float semantics against NumPy (test/fixtures/float_semantics.json, written by
 * test/fixtures/generate_float_semantics.py), on whatever kernel path this run uses
 * (TESSERA_KERNELS=js / c, TESSERA_GPUS=1; kernel_paths.test.ts runs both CPU paths
 * explicitly):
 *
 *  - bit for bit: fused elementwise chains (a*b+c and the like: no fused multiply-add),
 *    casts of 64-bit integers to float32 (rounded once), and cumsum / cumprod of 40+
 *    elements in float32, float64, complex64 and complex128 (every step rounded in the
 *    working dtype, as NumPy's accumulate);
 *  - transcendental functions within their ulp bound of NumPy (ULP_BOUND, docs/numpy.md).
 *
 * On the GPU, float32 work follows WGSL's accuracy rules instead (see conformance_support.ts),
 * so there the cases use the conformance tolerances and the ulp bounds are not checked.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ON_GPU, runCase } from "./conformance_support.js";
import { ULP_BOUND, floatFixture, maxUlp, ulpCompute, ulpExpected, ulpInputs } from "./float_support.js";

const fx = floatFixture();

describe("NumPy's float results, bit for bit", () => {
  for (const c of fx.cases) test(c.name, () => runCase(c.expr, c.expect, fx.arrays));
});

describe("transcendental functions within their ulp bound of NumPy", { skip: ON_GPU && "WGSL's float32 accuracy rules apply on the GPU" }, () => {
  for (const e of fx.ulp) {
    test(`${e.fn} ${e.dtype} (${e.n} values, bound ${ULP_BOUND[e.fn][e.dtype]} ulp)`, () => {
      const inputs = ulpInputs(e);
      const m = maxUlp(ulpCompute(e, inputs), ulpExpected(e), e.dtype);
      assert.ok(m.ulp <= ULP_BOUND[e.fn][e.dtype], `${m.ulp} ulp from NumPy at (${inputs.map((a) => a[m.at]).join(", ")})`);
    });
  }
});
