import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { seedState } from "../../src/numpy/random/seed_sequence.js";
import { fillRandom } from "../../src/numpy/random/distributions.js";

/** np.random.default_rng through the runtime: same numbers as NumPy, serial or parallel. */
const fx = JSON.parse(readFileSync(new URL("../../../test/fixtures/random.json", import.meta.url), "utf8"));
const N: number = fx.n,
  MID: number = fx.mid_start;

type Draw = {
  args: Record<string, number | string>;
  head: (number | string)[];
  mid: (number | string)[];
  state_after: { state: string; inc: string };
};

function parseSeed(s: { seed: string | string[]; seed_is_array: boolean }) {
  return s.seed_is_array ? (s.seed as string[]).map((v) => BigInt(v)) : BigInt(s.seed as string);
}

for (const s of fx.seeds) {
  const cases: [string, (rng: np.random.Generator, d: Draw) => unknown][] = [
    ["random", (rng) => rng.random([N])],
    ["uniform", (rng, d) => rng.uniform(Number(d.args.low), Number(d.args.high), [N])],
    ["standard_normal", (rng) => rng.standard_normal([N])],
    ["normal", (rng, d) => rng.normal(Number(d.args.loc), Number(d.args.scale), [N])],
    ["int64_small", (rng, d) => rng.integers(BigInt(d.args.low), BigInt(d.args.high), [N], { endpoint: true, dtype: String(d.args.dtype) })],
    ["int64_big", (rng, d) => rng.integers(BigInt(d.args.low), BigInt(d.args.high), [N], { endpoint: true, dtype: String(d.args.dtype) })],
    ["int32", (rng, d) => rng.integers(BigInt(d.args.low), BigInt(d.args.high), [N], { endpoint: true, dtype: String(d.args.dtype) })],
  ];
  for (const [kind, draw] of cases) {
    const d: Draw | undefined = s.draws[kind];
    if (!d) continue;
    test(`default_rng(${s.label}).${kind} equals NumPy`, () => {
      const rng = np.random.default_rng(parseSeed(s));
      const a = draw(rng, d) as np.ndarray;
      const vals = a.tolist({ bigint: true }) as (number | bigint)[];
      const norm = (v: number | bigint | string) => (typeof v === "string" ? BigInt(v) : v);
      assert.deepEqual(vals.slice(0, d.head.length), d.head.map(norm));
      assert.deepEqual(vals.slice(MID, MID + d.mid.length), d.mid.map(norm));
      assert.equal(String((rng.bit_generator.state as np.random.PCG64State).state.state), d.state_after.state);
    });
  }
}

test("a large parallel draw equals one serial draw, and the stream continues correctly", () => {
  const n = 1_000_003; // big enough to be cut across workers
  const rng = np.random.default_rng(2024);
  const a = (rng.random([n]) as np.ndarray).toTypedArray() as Float64Array;
  const next = rng.random([3]) as np.ndarray;
  const st = seedState(2024);
  const serial = new Float64Array(n + 3);
  fillRandom(st, serial, 0, n + 3);
  assert.deepEqual(Array.from(a), Array.from(serial.subarray(0, n)));
  assert.deepEqual(next.tolist(), Array.from(serial.subarray(n)));
});

test("draws either side of the in-place size continue one serial stream", () => {
  const sizes = [1, 4096, 4097, 2, 4095, 5000, 3];
  const rng = np.random.default_rng(77);
  const got = sizes.flatMap((k) => Array.from((rng.random([k]) as np.ndarray).toTypedArray() as Float64Array));
  const serial = new Float64Array(got.length);
  fillRandom(seedState(77), serial, 0, serial.length);
  assert.deepEqual(got, Array.from(serial));
});

test("size omitted gives a JS number; shapes are honoured", () => {
  const rng = np.random.default_rng(1);
  assert.equal(typeof rng.random(), "number");
  assert.deepEqual((rng.normal(0, 1, [2, 3]) as np.ndarray).shape, [2, 3]);
  assert.throws(() => rng.normal(0, -1, [2]), np.ValueError);
  assert.throws(() => rng.integers(5, 5, [2]), /low >= high/);
});
