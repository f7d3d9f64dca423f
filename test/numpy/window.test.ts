/**
 * Window functions and np.i0 against NumPy (test/fixtures/window.json, written by
 * generate_window.py): dtype and shape exactly, values to 4 ulp of max(|value|, 1) in
 * their dtype (cos, exp and sqrt may differ from the C library's in the last bit, and the
 * windows sum terms of size up to 1).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { parseFloatText } from "./conformance_support.js";

interface Case {
  fn: "hanning" | "hamming" | "blackman" | "bartlett" | "kaiser" | "i0";
  args: (number | boolean | Record<string, number[]>)[];
  want: { dtype: string; shape: number[]; data: string[] };
}
const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/window.json", import.meta.url), "utf8")) as { cases: Case[] };

for (const c of fixture.cases) {
  test(`np.${c.fn}(${JSON.stringify(c.args)})`, () => {
    const args = c.args.map((a) => (typeof a === "object" ? np.array(Object.values(a)[0], { dtype: Object.keys(a)[0] as "float64" }) : a));
    const r = (np[c.fn] as unknown as (...a: unknown[]) => InstanceType<typeof np.ndarray>)(...args);
    assert.equal(r.dtype.name, c.want.dtype);
    assert.deepEqual(r.shape, c.want.shape);
    const got = r.ndim === 0 ? [r.item() as number] : (r.flatten().tolist() as number[]);
    const eps = c.want.dtype === "float32" ? 2 ** -23 : 2 ** -52;
    c.want.data.map(parseFloatText).forEach((w, i) => {
      // Terms of size up to 1 are summed, so the error is measured against max(|value|, 1).
      const tol = 4 * eps * Math.max(Math.abs(w), 1);
      assert.ok(Math.abs(got[i] - w) <= tol || (Number.isNaN(w) && Number.isNaN(got[i])), `[${i}]: ${got[i]} vs NumPy ${w}`);
    });
  });
}

test("np.i0 of complex input is NumPy's TypeError", () => {
  assert.throws(() => np.i0(np.array([1, 2], { dtype: "complex128" })), { name: "TypeError", message: "i0 not supported for complex values" });
});
