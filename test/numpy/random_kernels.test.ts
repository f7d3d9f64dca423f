// Bit-exact checks of the PCG64 / SeedSequence / distribution kernels against
// NumPy reference output (test/fixtures/random.json, written by
// test/fixtures/generate_random.py).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";

import "../../src/platform.js"; // the processors, for the runtime that shares fresh entropy across ranks
import { SeedSequence } from "../../src/numpy/random/seed_sequence.js";
import { advance, getState, nextUint64, nextUint32, nextDouble, STATE_WORDS } from "../../src/numpy/random/pcg64.js";
import { seedState } from "../../src/numpy/random/seed_sequence.js";
import {
  fillRandom,
  fillRandomFloat32,
  fillUniform,
  fillStandardNormal,
  fillNormal,
  fillIntegers,
  drawsPerValue,
  type IntegerArray,
  type IntegerDType,
} from "../../src/numpy/random/distributions.js";

interface StateJson {
  state: string;
  inc: string;
  has_uint32: number;
  uinteger: number;
}
interface DrawJson {
  args: Record<string, string | number>;
  head: (number | string)[];
  mid: (number | string)[];
  state_after: StateJson;
}
interface SeedJson {
  label: string;
  seed: string | string[];
  seed_is_array: boolean;
  pool: number[];
  generate_state_u32: number[];
  generate_state_u64: string[];
  initial_state: StateJson;
  draws: Record<string, DrawJson>;
}
interface Fixture {
  numpy_version: string;
  n: number;
  mid_start: number;
  seeds: SeedJson[];
  advance: { seed: string; delta: string; state_after_advance: StateJson; random: number[] }[];
  sequence: {
    seed: string;
    steps: { op: string; n: number; head: (number | string)[]; tail: (number | string)[]; state_after: StateJson }[];
  };
  hashes: { kind: string; seed: string; n: number; sha256: string; state_after: StateJson }[];
}

const fixture: Fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/random.json", import.meta.url), "utf8"));

function seedOf(s: SeedJson): bigint | bigint[] {
  return Array.isArray(s.seed) ? s.seed.map((v) => BigInt(v)) : BigInt(s.seed);
}

function assertState(state: Uint32Array, want: StateJson, what: string): void {
  const got = getState(state);
  assert.deepEqual(
    { state: got.state.toString(), inc: got.inc.toString(), has_uint32: got.has_uint32, uinteger: got.uinteger },
    want,
    `${what}: PCG64 state`,
  );
}

const INT_ARRAYS: Record<IntegerDType, new (n: number) => IntegerArray> = {
  int64: BigInt64Array,
  uint64: BigUint64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

/** Runs one named draw from the fixture; returns values as JSON-comparable items. */
function draw(state: Uint32Array, name: string, args: Record<string, string | number>, n: number): (number | string)[] {
  if (name === "random") {
    const out = new Float64Array(n);
    fillRandom(state, out, 0, n);
    return Array.from(out);
  }
  if (name === "random_f32") {
    const out = new Float32Array(n);
    fillRandomFloat32(state, out, 0, n);
    return Array.from(out);
  }
  if (name === "uniform") {
    const out = new Float64Array(n);
    fillUniform(state, out, 0, n, Number(args.low), Number(args.high));
    return Array.from(out);
  }
  if (name === "standard_normal") {
    const out = new Float64Array(n);
    fillStandardNormal(state, out, 0, n);
    return Array.from(out);
  }
  if (name === "normal") {
    const out = new Float64Array(n);
    fillNormal(state, out, 0, n, Number(args.loc), Number(args.scale));
    return Array.from(out);
  }
  const dtype = args.dtype as IntegerDType;
  const out = new INT_ARRAYS[dtype](n);
  fillIntegers(state, out, 0, n, BigInt(args.low!), BigInt(args.high!), dtype);
  return Array.from(out as ArrayLike<number | bigint>, (v) => (typeof v === "bigint" ? v.toString() : v));
}

test("fixture comes from NumPy 2.x", () => {
  assert.match(fixture.numpy_version, /^2\./);
});

for (const s of fixture.seeds) {
  test(`SeedSequence(${s.label}) pool and generate_state`, () => {
    const ss = new SeedSequence(seedOf(s));
    assert.deepEqual(Array.from(ss.pool), s.pool);
    assert.deepEqual(Array.from(ss.generateState(8, "uint32")), s.generate_state_u32);
    assert.deepEqual(Array.from(ss.generateState(4, "uint64"), String), s.generate_state_u64);
  });

  test(`default_rng(${s.label}) initial PCG64 state`, () => {
    assertState(seedState(seedOf(s)), s.initial_state, s.label);
  });

  for (const [name, d] of Object.entries(s.draws)) {
    test(`default_rng(${s.label}).${name}`, () => {
      const state = seedState(seedOf(s));
      const vals = draw(state, name, d.args, fixture.n);
      assert.deepEqual(vals.slice(0, d.head.length), d.head, "head");
      assert.deepEqual(vals.slice(fixture.mid_start, fixture.mid_start + d.mid.length), d.mid, "mid");
      assertState(state, d.state_after, name);
    });
  }
}

test("seeds given as number, bigint and arrays agree", () => {
  assert.deepEqual(seedState(42), seedState(42n));
  assert.deepEqual(seedState([1, 2, 3]), seedState([1n, 2n, 3n]));
  assert.deepEqual(seedState(new Uint32Array([1, 2, 3])), seedState([1, 2, 3]));
  // Trailing zero words within the 4-word pool are indistinguishable (as in NumPy).
  assert.deepEqual(seedState(0), seedState([0, 0]));
  assert.deepEqual(Array.from(new SeedSequence([0, 0, 0, 0, 0]).pool), [2415978763, 195748244, 4024957757, 2824017155]);
  assert.throws(() => seedState(-1));
  assert.throws(() => seedState(1.5));
});

for (const c of fixture.advance) {
  test(`advance(${c.delta}) from seed ${c.seed}`, () => {
    const state = seedState(BigInt(c.seed));
    const ints = new BigInt64Array(3);
    fillIntegers(state, ints, 0, 3, 0n, 9n, "int64");
    advance(state, BigInt(c.delta));
    assertState(state, c.state_after_advance, "after advance");
    const out = new Float64Array(c.random.length);
    fillRandom(state, out, 0, out.length);
    assert.deepEqual(Array.from(out), c.random);
  });
}

test("interleaved calls share the buffered 32-bit half like NumPy", () => {
  const state = seedState(BigInt(fixture.sequence.seed));
  const ops: Record<string, () => (number | string)[]> = {
    integers_0_10_3: () => draw(state, "int", { low: 0, high: 9, dtype: "int64" }, 3),
    random_5: () => draw(state, "random", {}, 5),
    integers_0_10_1: () => draw(state, "int", { low: 0, high: 9, dtype: "int64" }, 1),
    uint8_0_200_5: () => draw(state, "int", { low: 0, high: 199, dtype: "uint8" }, 5),
    random_f32_3: () => draw(state, "random_f32", {}, 3),
    standard_normal_4: () => draw(state, "standard_normal", {}, 4),
    int16_5: () => draw(state, "int", { low: -300, high: 300, dtype: "int16" }, 5),
    bool_40: () => draw(state, "int", { low: 0, high: 1, dtype: "bool" }, 40),
    integers_big_3: () => draw(state, "int", { low: 0, high: 2 ** 40 - 1, dtype: "int64" }, 3),
    integers_0_1000_1001: () => draw(state, "int", { low: 0, high: 999, dtype: "int64" }, 1001),
    random_f32_777: () => draw(state, "random_f32", {}, 777),
    uint32_full_513: () => draw(state, "int", { low: 0, high: 2 ** 32 - 1, dtype: "uint32" }, 513),
    standard_normal_1001: () => draw(state, "standard_normal", {}, 1001),
    int32_3: () => draw(state, "int", { low: -1000, high: 999, dtype: "int32" }, 3),
    uniform_7: () => draw(state, "uniform", { low: -1, high: 1 }, 7),
    int64_full_3: () =>
      draw(
        state,
        "int",
        {
          low: (-(2n ** 63n)).toString(),
          high: (2n ** 63n - 1n).toString(),
          dtype: "int64",
        },
        3,
      ),
  };
  for (const step of fixture.sequence.steps) {
    const op = ops[step.op];
    assert.ok(op, `unknown op ${step.op}`);
    const vals = op();
    assert.equal(vals.length, step.n, step.op);
    assert.deepEqual(vals.slice(0, step.head.length), step.head, `${step.op} head`);
    if (step.tail.length > 0) assert.deepEqual(vals.slice(-step.tail.length), step.tail, `${step.op} tail`);
    assertState(state, step.state_after, step.op);
  }
});

const HASH_DRAWS: Record<string, [string, Record<string, string | number>]> = {
  random: ["random", {}],
  uniform: ["uniform", { low: -2.5, high: 7.0 }],
  standard_normal: ["standard_normal", {}],
  normal: ["normal", { loc: 3.0, scale: 2.5 }],
  int64_small: ["int", { low: 0, high: 99, dtype: "int64" }],
  int64_big: ["int", { low: -(2 ** 40), high: 2 ** 50 - 1, dtype: "int64" }],
  int64_wide: ["int", { low: (-(2n ** 62n)).toString(), high: (2n ** 62n + 12344n).toString(), dtype: "int64" }],
  uint8: ["int", { low: 0, high: 199, dtype: "uint8" }],
};

for (const h of fixture.hashes) {
  test(`1M-draw SHA-256 of ${h.kind} matches NumPy`, () => {
    const spec = HASH_DRAWS[h.kind];
    assert.ok(spec, `unknown hash kind ${h.kind}`);
    const [name, args] = spec;
    const state = seedState(BigInt(h.seed));
    let bytes: Uint8Array;
    if (name === "int") {
      const dtype = args.dtype as IntegerDType;
      const out = new INT_ARRAYS[dtype](h.n);
      fillIntegers(state, out, 0, h.n, BigInt(args.low!), BigInt(args.high!), dtype);
      bytes = new Uint8Array(out.buffer);
    } else {
      const out = new Float64Array(h.n);
      if (name === "random") fillRandom(state, out, 0, h.n);
      else if (name === "uniform") fillUniform(state, out, 0, h.n, Number(args.low), Number(args.high));
      else if (name === "standard_normal") fillStandardNormal(state, out, 0, h.n);
      else fillNormal(state, out, 0, h.n, Number(args.loc), Number(args.scale));
      bytes = new Uint8Array(out.buffer);
    }
    assert.equal(createHash("sha256").update(bytes).digest("hex"), h.sha256);
    assertState(state, h.state_after, h.kind);
  });
}

test("parallel fill: partitions started via advance(start) equal a serial fill", () => {
  assert.equal(drawsPerValue("random"), 1);
  assert.equal(drawsPerValue("uniform"), 1);
  assert.equal(drawsPerValue("standard_normal"), null);
  assert.equal(drawsPerValue("integers"), null);

  const n = 10000;
  const bounds = [0, 2500, 5001, 7777, n];
  for (const kind of ["random", "uniform"] as const) {
    const base = seedState(12345);
    const serialState = base.slice();
    const serial = new Float64Array(n);
    if (kind === "random") fillRandom(serialState, serial, 0, n);
    else fillUniform(serialState, serial, 0, n, -1, 3);

    const shared = new Float64Array(new SharedArrayBuffer(n * 8));
    let lastState: Uint32Array | null = null;
    for (let p = 0; p < bounds.length - 1; p++) {
      const start = bounds[p]!;
      const count = bounds[p + 1]! - start;
      const st = new Uint32Array(new SharedArrayBuffer(STATE_WORDS * 4));
      st.set(base);
      advance(st, BigInt(start * drawsPerValue(kind)!));
      if (kind === "random") fillRandom(st, shared, start, count);
      else fillUniform(st, shared, start, count, -1, 3);
      lastState = st;
    }
    assert.deepEqual(Array.from(shared), Array.from(serial), kind);
    assert.deepEqual(getState(lastState!), getState(serialState), `${kind}: final state`);
  }
});

test("nextUint64 / nextUint32 / nextDouble agree with each other", () => {
  const a = seedState(99);
  const b = a.slice();
  const w = new Uint32Array(2);
  nextUint64(a, w);
  assert.equal(nextUint32(b), w[0]);
  assert.equal(nextUint32(b), w[1]);
  const d = nextDouble(a);
  nextUint64(b, w);
  assert.equal(d, (w[1]! * 2 ** 21 + (w[0]! >>> 11)) / 2 ** 53);
});

test("unseeded default_rng draws fresh entropy", () => {
  const a = seedState();
  const b = seedState();
  assert.equal(a.length, STATE_WORDS);
  assert.equal(a[4]! & 1, 1, "increment is odd");
  assert.notDeepEqual(a, b);
  const ss = new SeedSequence();
  assert.equal(typeof ss.entropy, "bigint");
  assert.deepEqual(seedState(new SeedSequence(ss.entropy)), seedState(ss));
});

test("argument validation mirrors NumPy", () => {
  const st = seedState(1);
  const f = new Float64Array(4);
  assert.throws(() => fillUniform(st, f, 0, 4, 1, 0), /high - low < 0/);
  assert.throws(() => fillUniform(st, f, 0, 4, -Number.MAX_VALUE, Number.MAX_VALUE), /exceeds/);
  assert.throws(() => fillNormal(st, f, 0, 4, 0, -1), /scale < 0/);
  assert.throws(() => fillRandom(st, f, 2, 3), RangeError);
  const i8 = new Int8Array(4);
  assert.throws(() => fillIntegers(st, i8, 0, 4, -129n, 0n, "int8"), /low is out of bounds/);
  assert.throws(() => fillIntegers(st, i8, 0, 4, 0n, 128n, "int8"), /high is out of bounds/);
  assert.throws(() => fillIntegers(st, i8, 0, 4, 0n, 1n, "int64"), TypeError);
});
