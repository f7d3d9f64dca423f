/**
 * Casts into and out of 64-bit integers in the JavaScript kernels, which small arrays run
 * on: values read or written as two 32-bit words must equal what BigInt arithmetic gives
 * (NumPy's casts: wrap to narrow integers, round once to float64, truncate floats, with
 * INT64_MIN for NaN, infinities and values out of range).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";

const VALUES = [
  0n,
  1n,
  -1n,
  2n ** 31n - 1n,
  -(2n ** 31n),
  2n ** 32n + 5n,
  -(2n ** 32n) - 5n,
  2n ** 53n + 1n,
  -(2n ** 53n) - 1n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  123456789012345n,
  -987654321098765n,
  2n ** 62n + 2n ** 10n + 1n,
];
const NARROW: [string, number, boolean][] = [
  ["int8", 8, true],
  ["uint8", 8, false],
  ["int16", 16, true],
  ["uint16", 16, false],
  ["int32", 32, true],
  ["uint32", 32, false],
];

test("int64 and uint64 cast to narrow integers and float64 as BigInt arithmetic says, contiguous and strided", () => {
  for (const [dtype, wrap] of [
    ["int64", (v: bigint) => BigInt.asIntN(64, v)],
    ["uint64", (v: bigint) => BigInt.asUintN(64, v)],
  ] as const) {
    const all = VALUES.map(wrap);
    const a = np.array(all, { dtype });
    for (const [view, vals] of [
      [a, all],
      [a.get("::-2"), all.filter((_, i) => (all.length - 1 - i) % 2 === 0).reverse()],
    ] as const) {
      assert.deepEqual(view.astype("float64").tolist(), vals.map(Number), `${dtype} -> float64`);
      for (const [to, bits, signed] of NARROW)
        assert.deepEqual(
          view.astype(to).tolist(),
          vals.map((v) => Number(signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v))),
          `${dtype} -> ${to}`,
        );
    }
  }
});

test("narrow integers and floats cast to int64 and uint64 as BigInt arithmetic says", () => {
  const ints = [0, 1, -1, 127, -128, 255, 32767, -32768, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1];
  for (const [from, bits, signed] of NARROW) {
    const vals = ints.map((v) => Number(signed ? BigInt.asIntN(bits, BigInt(v)) : BigInt.asUintN(bits, BigInt(v))));
    const a = np.array(vals, { dtype: from });
    assert.deepEqual(a.astype("int64").tolist({ bigint: true }), vals.map(BigInt), `${from} -> int64`);
    assert.deepEqual(
      a.astype("uint64").tolist({ bigint: true }),
      vals.map((v) => BigInt.asUintN(64, BigInt(v))),
      `${from} -> uint64`,
    );
  }
  const floats = [-3.7, 0.5, -0.5, 5.9, 2 ** 52 + 0.5, -(2 ** 53), 2 ** 53, 2 ** 63, -(2 ** 63), 2 ** 64, 1e300, -1e300];
  floats.push(4294967296.5, -4294967296.5, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
  const i64 = (x: number): bigint => (Number.isFinite(x) && x < 2 ** 63 && x >= -(2 ** 63) ? BigInt(Math.trunc(x)) : -(2n ** 63n));
  const u64 = (x: number): bigint => (!Number.isFinite(x) || x >= 2 ** 64 ? 2n ** 63n : BigInt.asUintN(64, i64(x)));
  const f = np.array(floats);
  assert.deepEqual(f.astype("int64").tolist({ bigint: true }), floats.map(i64), "float64 -> int64");
  assert.deepEqual(f.astype("uint64").tolist({ bigint: true }), floats.map(u64), "float64 -> uint64");
  const g = f.astype("float32");
  const f32 = floats.map(Math.fround);
  assert.deepEqual(g.get("::-1").astype("int64").tolist({ bigint: true }), f32.map(i64).reverse(), "float32 -> int64, reversed");
});
