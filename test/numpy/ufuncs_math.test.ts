/**
 * The floating-point routines and the other math and bit-wise ufuncs (exp2, the inverse
 * hyperbolic functions, signbit, copysign, nextafter, spacing, fmod, ldexp, frexp, gcd, lcm,
 * bitwise_count), np.fix, cumulative_sum / cumulative_prod and the array-API aliases:
 * every case of test/fixtures/ufuncs_math.json (generate_ufuncs_math.py, NumPy's results over
 * every dtype, special values, keywords, methods and errors) replayed with the conformance
 * rules (exact for everything but the transcendental functions). Besides: the aliases are
 * NumPy's same objects, two-output `out`, and the ndarray operator methods.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { type Case, type EncArray, groupByPrefix, runCase } from "./conformance_support.js";

const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/ufuncs_math.json", import.meta.url), "utf8")) as {
  arrays: EncArray[];
  cases: Case[];
};

const groups = groupByPrefix(fixture.cases);
for (const [group, cases] of groups) {
  describe(group, () => {
    for (const c of cases) test(c.name, () => runCase(c.expr, c.expect, fixture.arrays));
  });
}

test("the array-API names are the same ufunc objects", () => {
  const pairs: [unknown, unknown][] = [
    [np.acos, np.arccos],
    [np.asin, np.arcsin],
    [np.atan, np.arctan],
    [np.acosh, np.arccosh],
    [np.asinh, np.arcsinh],
    [np.atanh, np.arctanh],
    [np.atan2, np.arctan2],
    [np.pow, np.power],
    [np.bitwise_invert, np.invert],
    [np.bitwise_left_shift, np.left_shift],
    [np.bitwise_right_shift, np.right_shift],
  ];
  for (const [a, b] of pairs) assert.equal(a, b);
});

test("frexp writes both outputs into an out pair", () => {
  const m = np.zeros([3]),
    e = np.zeros([3], { dtype: "int32" });
  const [rm, re] = np.frexp(np.array([8, -0.375, 0]), { out: [m, e] });
  assert.equal(rm, m);
  assert.equal(re, e);
  assert.deepEqual(m.tolist(), [0.5, -0.75, 0]);
  assert.deepEqual(e.tolist(), [4, -1, 0]);
  assert.throws(
    () => np.frexp(np.array([1.5]), { out: [np.zeros([1]), np.zeros([1], { dtype: "bool" })] }),
    /Cannot cast ufunc 'frexp' output from dtype\('int32'\) to dtype\('bool'\)/,
  );
});

test("ldexp and frexp invert each other on every float64 binade", () => {
  const x = np.multiply(np.array([0.7, -0.9, 0.5, -0.5]), np.exp2(np.array([-1074, -1000, 0, 1023])));
  const [m, e] = np.frexp(x);
  assert.deepEqual(np.ldexp(m, e).tolist(), x.tolist());
});

test("ndarray operator methods: invert, left_shift / lshift, right_shift / rshift, positive / pos, divmod", () => {
  const a = np.array([5, -6, 0], { dtype: "int16" });
  assert.deepEqual(a.invert().tolist(), [-6, 5, -1]);
  assert.deepEqual(a.left_shift(2).tolist(), [20, -24, 0]);
  assert.deepEqual(a.lshift(np.array([1, 2, 3])).tolist(), [10, -24, 0]);
  assert.deepEqual(a.right_shift(1).tolist(), [2, -3, 0]);
  assert.deepEqual(a.rshift(20).tolist(), [0, -1, 0]);
  assert.equal(a.positive().dtype, np.dtype("int16"));
  assert.deepEqual(a.pos().tolist(), [5, -6, 0]);
  assert.notEqual(a.pos(), a);
  const [q, r] = a.divmod(4);
  assert.deepEqual(
    [q.tolist(), r.tolist()],
    [
      [1, -2, 0],
      [1, 2, 0],
    ],
  );
  assert.throws(() => np.array([1.5]).invert(), /ufunc 'invert' not supported/);
  assert.throws(() => np.array([true]).pos(), /did not contain a loop/);
});

test("a ufunc's plan is kept per dtype= and casting: alternating calls each get their own loop and checks", () => {
  const a = np.array([100, 100], { dtype: "int8" });
  const x = np.array([1.5]),
    y = np.array([2.25]);
  const expectCast = () =>
    assert.throws(() => np.add(x, y, { dtype: "int32" }), {
      name: "UFuncTypeError",
      message: "Cannot cast ufunc 'add' input 0 from dtype('float64') to dtype('int32') with casting rule 'same_kind'",
    });
  for (let round = 0; round < 2; round++) {
    const wide = np.add(a, a, { dtype: "int16" });
    assert.equal(wide.dtype.name, "int16");
    assert.deepEqual(wide.tolist(), [200, 200]);
    const f = np.add(a, a, { dtype: "float32" });
    assert.equal(f.dtype.name, "float32");
    assert.deepEqual(f.tolist(), [200, 200]);
    const wrapped = np.add(a, a);
    assert.equal(wrapped.dtype.name, "int8");
    assert.deepEqual(wrapped.tolist(), [-56, -56]);
    expectCast();
    const unsafe = np.add(x, y, { dtype: "int32", casting: "unsafe" });
    assert.equal(unsafe.dtype.name, "int32");
    assert.deepEqual(unsafe.tolist(), [3]);
    expectCast();
    assert.deepEqual(np.add(x, y).tolist(), [3.75]);
  }
});
