/**
 * Fusion and constraint solving as units: no runtime, no worker pool, no device. Fusion is
 * driven through its host interface (the launches it records are collected here), and task
 * partitions are solved from stores and constraints alone.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DTYPES, Store, align, alignDims, broadcast, ir, type Launch, type MapLaunch } from "tessera/core";
import { Fusion } from "../../src/core/fusion.js";
import { solveTaskPartition } from "../../src/core/partition.js";

const f64 = DTYPES.float64;
const L = (i: number) => ir.load(i, "float64");

function fusion(maxArgs = 61): { fusion: Fusion; recorded: Launch[] } {
  const recorded: Launch[] = [];
  const stats = { launches: 0, materialized: 0 };
  const f = new Fusion({
    record: (l) => {
      recorded.push(l);
      for (const s of l.kind === "task" ? l.args.map((a) => a.store) : [...l.inputs]) s.storage.touched = true;
    },
    createStore: (shape, dtype) => Store.create(shape, dtype),
    maxKernelArgs: () => maxArgs,
    replicated: false,
    stats,
  });
  return { fusion: f, recorded };
}

const map = (name: string, out: Store, inputs: Store[], expr: ir.Expr): MapLaunch => ({
  kind: "map",
  name,
  inputs,
  outputs: [{ store: out, expr }],
  scalars: [],
});

test("a chain of elementwise launches into fresh stores records nothing until read, then one fused kernel", () => {
  const { fusion: f, recorded } = fusion();
  const a = Store.create([8], f64);
  a.storage.touched = true; // an input with contents
  const b = Store.create([8], f64),
    c = Store.create([8], f64),
    d = Store.create([8], f64);
  f.submit(map("exp", b, [a], ir.unary("exp", L(0))));
  f.submit(map("add", c, [b, a], ir.binary("add", L(0), L(1))));
  f.submit(map("mul", d, [c, c], ir.binary("mul", L(0), L(1))));
  assert.equal(recorded.length, 0, "all three are lazy");
  f.materialize(d.storage);
  assert.equal(recorded.length, 1);
  const l = recorded[0] as MapLaunch;
  assert.equal(l.inputs.length, 1, "the fused kernel reads only a");
  assert.ok(l.inputs[0].sameView(a));
  assert.equal(ir.signature(l.outputs[0].expr).includes("exp"), true);
});

test("a fused kernel never takes more arrays than the processors allow: the widest lazy input is computed first", () => {
  const { fusion: f, recorded } = fusion(4);
  const ins = Array.from({ length: 4 }, () => {
    const s = Store.create([8], f64);
    s.storage.touched = true;
    return s;
  });
  const x = Store.create([8], f64),
    y = Store.create([8], f64);
  f.submit(map("sum3", x, ins.slice(0, 3), ir.binary("add", ir.binary("add", L(0), L(1)), L(2))));
  f.submit(map("plus", y, [x, ins[3]], ir.binary("add", L(0), L(1))));
  f.materialize(y.storage);
  assert.equal(recorded.length, 2, "x was materialised on its own");
  for (const l of recorded as MapLaunch[]) assert.ok(l.inputs.length + l.outputs.length <= 4);
});

test("overwriting an input that a live lazy value reads keeps its old contents in a snapshot", () => {
  const { fusion: f, recorded } = fusion();
  const a = Store.create([8], f64);
  a.storage.touched = true;
  const b = Store.create([8], f64);
  f.submit(map("neg", b, [a], ir.unary("neg", L(0))));
  f.beforeWrite(a);
  assert.equal(recorded.length, 1);
  assert.equal((recorded[0] as MapLaunch).name, "snapshot");
  f.materialize(b.storage);
  const read = (recorded[1] as MapLaunch).inputs[0];
  assert.notEqual(read.storage, a.storage, "b reads the snapshot, not a's new contents");
});

test("constraint solving: aligned stores are cut with the anchor, alignDims follows paired dims, broadcast forbids cuts", () => {
  const A = Store.create([6, 4], f64),
    B = Store.create([4, 5], f64),
    C = Store.create([6, 5], f64);
  // matmul-like: C is written, A follows C's rows, B is seen whole
  const p = solveTaskPartition("t", [A, B, C], [C], [alignDims(A, C, [[0, 0]]), broadcast(B)]);
  assert.equal(p.anchor, C);
  assert.deepEqual(p.forbidden, []);
  assert.deepEqual(p.block(C, [2, 0], [4, 5]), { lo: [2, 0], hi: [4, 5] });
  assert.deepEqual(p.block(A, [2, 0], [4, 5]), { lo: [2, 0], hi: [4, 4] });
  assert.deepEqual(p.block(B, [2, 0], [4, 5]), { lo: [0, 0], hi: [4, 5] });
  const D = Store.create([6, 5], f64);
  const q = solveTaskPartition("t", [C, D], [C], [align(C, D), broadcast(D, [1])]);
  assert.deepEqual(q.block(D, [0, 0], [3, 5]), { lo: [0, 0], hi: [3, 5] });
  assert.deepEqual(q.forbidden, [1]);
  assert.throws(() => solveTaskPartition("t", [C, A], [C], [align(C, A)]), /align\(\) needs equal shapes/);
  // One store as both operands of a product (a @ a): its rows and its columns, so all of it.
  const S = Store.create([4, 4], f64),
    P = Store.create([4, 4], f64);
  const r = solveTaskPartition("t", [S, S, P], [P], [alignDims(S, P, [[0, 0]]), alignDims(S, P, [[1, 1]])]);
  assert.deepEqual(r.block(S, [2, 2], [4, 4]), { lo: [0, 0], hi: [4, 4] });
  const same = solveTaskPartition("t", [S, S, P], [P], [alignDims(S, P, [[0, 0]]), alignDims(S, P, [[0, 0]])]);
  assert.deepEqual(same.block(S, [2, 2], [4, 4]), { lo: [2, 0], hi: [4, 4] });
});
