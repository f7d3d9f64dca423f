import { test } from "node:test";
import assert from "node:assert/strict";
import { runtime, ir, align, TaskError, solveTiling, tilingBlocks, balancedTiling, coalesce, Store, DTYPES } from "tessera/core";
import { variants } from "./faulty_tasks.js";

const rt = runtime();
const lib = rt.library("faulty", { module: new URL("./faulty_tasks.js", import.meta.url).href });
for (const [k, v] of Object.entries(variants)) lib.registerTask(k, v);
const BIG = 1 << 20; // large enough that the default mapper uses the worker pool

function readAll(s: Store): number[] {
  const d = rt.read(s) as Float64Array;
  return Array.from({ length: s.size }, (_, i) => d[s.offset + i * (s.strides[0] ?? 0)]);
}

test("launches are deferred until a blocking read", () => {
  // A launch this small would run at once (eager.ts; next test): defer it as a large one.
  rt.eager.maxSize = 0;
  const a = rt.attach([4], "float64", Float64Array.from([1, 2, 3, 4]));
  const b = rt.createStore([4], "float64");
  rt.submit({
    kind: "map",
    name: "double",
    inputs: [a],
    outputs: [{ store: b, expr: ir.binary("mul", ir.load(0, "float64"), ir.constant(2, "float64")) }],
    scalars: [],
  });
  assert.equal(b.storage.buffer, null, "no memory before the blocking point");
  assert.deepEqual(readAll(b), [2, 4, 6, 8]);
  rt.eager.maxSize = 4096;
});

test("a small launch with computed inputs runs at once; one reading a pending result waits in the window", {
  skip: rt.device ? "with a GPU every launch goes through the window" : false,
}, () => {
  const double = (from: Store, to: Store) =>
    rt.submit({
      kind: "map",
      name: "double",
      inputs: [from],
      outputs: [{ store: to, expr: ir.binary("mul", ir.load(0, "float64"), ir.constant(2, "float64")) }],
      scalars: [],
    });
  const a = rt.attach([4], "float64", Float64Array.from([1, 2, 3, 4]));
  const b = rt.createStore([4], "float64");
  const runs = rt.eager.runs;
  double(a, b);
  assert.equal(rt.eager.runs, runs + 1);
  assert.notEqual(b.storage.buffer, null, "computed when submitted");
  assert.deepEqual(readAll(b), [2, 4, 6, 8]);
  // A large launch is deferred; a small one reading what it writes is deferred behind it.
  const big = rt.createStore([BIG], "float64");
  const c = rt.createStore([4], "float64");
  rt.submit({ kind: "map", name: "fill", inputs: [], outputs: [{ store: big, expr: ir.constant(3, "float64") }], scalars: [] });
  double(new Store(big.storage, [4], [1], 0), c);
  assert.equal(rt.eager.runs, runs + 1, "waits for the pending fill");
  assert.deepEqual(readAll(c), [6, 6, 6, 6]);
  // Writing over an array a deferred launch still reads also waits (write after read).
  const d = rt.createStore([BIG], "float64");
  rt.submit({
    kind: "map",
    name: "sum",
    inputs: [new Store(c.storage, [BIG], [0], 0)],
    outputs: [{ store: d, expr: ir.load(0, "float64") }],
    scalars: [],
  });
  double(a, c);
  assert.equal(rt.eager.runs, runs + 1, "waits for the pending reader of c");
  assert.deepEqual(readAll(c), [2, 4, 6, 8]);
  assert.equal((rt.read(d) as Float64Array)[BIG - 1], 6, "the reader saw c before it changed");
});

test("a small reduction of every element runs at once, with the window's result", {
  skip: rt.device ? "with a GPU every launch goes through the window" : false,
}, () => {
  const a = rt.attach([10], "float64", Float64Array.from([3, -1, 4, 1, -5, 9, 2, 6, 5, 3]));
  const b = rt.attach([10], "float64", Float64Array.from([2, 7, 1, 8, 2, 8, 1, 8, 2, 8]));
  const flags = rt.attach([5], "bool", Uint8Array.from([1, 1, 0, 1, 1]));
  // Views that start part-way into their storage, and a 2-D contiguous one.
  const av = a.slice(0, 2, 9),
    bv = b.slice(0, 2, 9),
    a2 = rt.attach([2, 3], "float64", Float64Array.from([1, 2, 3, 4, 5, 6]));
  const cases: { op: "sum" | "prod" | "max" | "min" | "all" | "any"; inputs: Store[]; value: ir.Expr; acc: "float64" | "bool"; want: number }[] = [
    { op: "sum", inputs: [av], value: ir.load(0, "float64"), acc: "float64", want: 4 + 1 - 5 + 9 + 2 + 6 + 5 },
    { op: "prod", inputs: [av], value: ir.load(0, "float64"), acc: "float64", want: 4 * 1 * -5 * 9 * 2 * 6 * 5 },
    { op: "max", inputs: [av], value: ir.load(0, "float64"), acc: "float64", want: 9 },
    { op: "min", inputs: [av], value: ir.load(0, "float64"), acc: "float64", want: -5 },
    {
      op: "sum",
      inputs: [av, bv],
      value: ir.binary("mul", ir.load(0, "float64"), ir.load(1, "float64")),
      acc: "float64",
      want: 4 + 8 - 10 + 72 + 2 + 48 + 10,
    },
    { op: "sum", inputs: [a2], value: ir.load(0, "float64"), acc: "float64", want: 21 },
    { op: "all", inputs: [flags], value: ir.load(0, "bool"), acc: "bool", want: 0 },
    { op: "any", inputs: [flags], value: ir.load(0, "bool"), acc: "bool", want: 1 },
  ];
  const reduceNow = (c: (typeof cases)[number]) => {
    const out = rt.createStore([], c.acc);
    const axes = c.inputs[0].shape.map((_, d) => d);
    rt.submit({ kind: "reduce", name: c.op, op: c.op, inputs: c.inputs, value: c.value, axes, output: out, scalars: [] });
    return Number((rt.read(out) as Float64Array | Uint8Array)[out.offset]);
  };
  for (const c of cases) {
    const runs = rt.eager.runs;
    const got = reduceNow(c);
    assert.equal(rt.eager.runs, runs + 1, `${c.op} ran at once`);
    assert.equal(got, c.want, `${c.op} at once`);
    rt.eager.maxSize = 0;
    try {
      assert.equal(reduceNow(c), c.want, `${c.op} in the window`);
    } finally {
      rt.eager.maxSize = 4096;
    }
  }
  // A stepped input: reduced over its dims rather than as one run.
  const stepped = new Store(a.storage, [5], [2], 0);
  assert.equal(reduceNow({ op: "sum", inputs: [stepped], value: ir.load(0, "float64"), acc: "float64", want: 0 }), 3 + 4 - 5 + 2 + 5);
});

test("a small reduction along some axes runs at once, into any view of its output", {
  skip: rt.device ? "with a GPU every launch goes through the window" : false,
}, () => {
  // m (3x4): rows [1 2 3 4], [5 6 7 8], [9 10 11 12]; mt: its transpose (4x3), not contiguous.
  const m = rt.attach(
    [3, 4],
    "float64",
    Float64Array.from({ length: 12 }, (_, i) => i + 1),
  );
  const mt = new Store(m.storage, [4, 3], [1, 4], 0);
  const reduce = (op: "sum" | "max" | "min" | "prod", input: Store, axes: number[], out: Store) =>
    rt.submit({ kind: "reduce", name: op, op, inputs: [input], value: ir.load(0, "float64"), axes, output: out, scalars: [] });
  const cases: [op: "sum" | "max" | "min" | "prod", input: Store, axes: number[], want: number[]][] = [
    ["sum", m, [1], [10, 26, 42]],
    ["sum", m, [0], [15, 18, 21, 24]],
    ["max", mt, [1], [9, 10, 11, 12]],
    ["min", mt, [0], [1, 5, 9]],
    ["prod", m, [0, 1], [479001600]],
  ];
  for (const [op, input, axes, want] of cases) {
    for (const eager of [true, false]) {
      rt.eager.maxSize = eager ? 4096 : 0;
      try {
        // Into a fresh array, and into every other element of a wider one (a stepped view).
        const fresh = rt.createStore(want.length === 1 && axes.length === 2 ? [] : [want.length], "float64");
        const wide = rt.attach([2 * want.length], "float64", new Float64Array(2 * want.length).fill(-7));
        const into = fresh.ndim === 0 ? new Store(wide.storage, [], [], 1) : new Store(wide.storage, [want.length], [2], 1);
        const runs = rt.eager.runs;
        reduce(op, input, axes, fresh);
        reduce(op, input, axes, into);
        if (eager) assert.equal(rt.eager.runs, runs + 2, `${op} over ${axes} ran at once`);
        assert.deepEqual(fresh.ndim === 0 ? [(rt.read(fresh) as Float64Array)[fresh.offset]] : readAll(fresh), want, `${op} over ${axes}`);
        const w = Array.from(rt.read(wide) as Float64Array);
        assert.deepEqual(w.filter((_, i) => i % 2 === 1).slice(0, want.length), want, `${op} over ${axes} into a view`);
        assert.ok(
          w.filter((_, i) => i % 2 === 0).every((v) => v === -7),
          "the view's neighbours are untouched",
        );
      } finally {
        rt.eager.maxSize = 4096;
      }
    }
  }
});

test("a small arg reduction runs at once: the first of equal winners, its index over the reduced dims", {
  skip: rt.device ? "with a GPU every launch goes through the window" : false,
}, () => {
  // g (2x3x4) with ties: the first winner in row-major order over the reduced dims counts.
  const vals = [3, 9, 9, 1, 0, 2, 7, 7, 5, 4, 9, 6, 8, 8, 1, 0, 2, 2, 6, 3, 1, 4, 4, 8];
  const g = rt.attach([2, 3, 4], "float64", Float64Array.from(vals));
  const at = (i: number, j: number, k: number) => vals[i * 12 + j * 4 + k];
  const want = (op: "argmax" | "argmin", axes: number[]): number[] => {
    const kept = [0, 1, 2].filter((d) => !axes.includes(d)),
      ext = [2, 3, 4];
    const outShape = kept.map((d) => ext[d]);
    const count = outShape.reduce((a, b) => a * b, 1);
    return Array.from({ length: count }, (_, o) => {
      const fixed: number[] = [];
      let r = o;
      for (let q = kept.length - 1; q >= 0; q--) {
        fixed[kept[q]] = r % ext[kept[q]];
        r = Math.floor(r / ext[kept[q]]);
      }
      let best = -1,
        bestV = 0,
        flat = 0;
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++)
          for (let k = 0; k < 4; k++) {
            const idx = [i, j, k];
            if (kept.some((d) => idx[d] !== fixed[d])) continue;
            const v = at(i, j, k);
            if (best < 0 || (op === "argmax" ? v > bestV : v < bestV)) {
              best = flat;
              bestV = v;
            }
            flat++;
          }
      return best;
    });
  };
  for (const op of ["argmax", "argmin"] as const)
    for (const axes of [[2], [0], [1, 2], [0, 1, 2]]) {
      const kept = [2, 3, 4].filter((_, d) => !axes.includes(d));
      const value = rt.createStore(kept, "float64"),
        index = rt.createStore(kept, "int64");
      const runs = rt.eager.runs;
      rt.submit({ kind: "reduce", name: op, op, inputs: [g], value: ir.load(0, "float64"), axes, output: value, index, scalars: [] });
      assert.equal(rt.eager.runs, runs + 1, `${op} over ${axes} ran at once`);
      const got = Array.from(rt.read(index) as BigInt64Array, Number).slice(index.offset, index.offset + index.size);
      assert.deepEqual(got, want(op, axes), `${op} over ${axes}`);
    }
});

test("a small opaque task runs at once as one point on whole stores, with the window's result", {
  skip: rt.device ? "with a GPU every launch goes through the window" : false,
}, () => {
  // out[i] = 10 * src[i] + i, and what the point saw of each argument.
  const seen: { point: number; points: number; lo: number[][]; hi: number[][] }[] = [];
  lib.registerTask("scaled", {
    cpu: (ctx) => {
      const [src, out] = ctx.args;
      seen.push({ point: ctx.point, points: ctx.points, lo: ctx.args.map((a) => [...a.lo]), hi: ctx.args.map((a) => [...a.hi]) });
      for (let i = out.lo[0]; i < out.hi[0]; i++)
        (out.data as Float64Array)[out.offset + i * out.strides[0]] = 10 * (src.data as Float64Array)[src.offset + i * src.strides[0]] + i;
    },
  });
  const a = rt.attach(
    [12],
    "float64",
    Float64Array.from({ length: 12 }, (_, i) => i),
  );
  // A stepped view of a and an output sharing a small-store slab with other arrays.
  const src = a.slice(0, 1, 11, 2);
  const want = [10, 31, 52, 73, 94];
  for (const eager of [true, false]) {
    rt.eager.maxSize = eager ? 4096 : 0;
    try {
      const out = rt.createStore([5], "float64");
      const runs = rt.eager.runs;
      seen.length = 0;
      rt.submit(
        lib.launch("scaled", {
          args: [
            { store: src, privilege: "read" },
            { store: out, privilege: "write" },
          ],
          constraints: [align(src, out)],
        }),
      );
      if (eager) {
        assert.equal(rt.eager.runs, runs + 1, "ran at once");
        assert.deepEqual(seen, [{ point: 0, points: 1, lo: [[0], [0]], hi: [[5], [5]] }]);
      }
      assert.deepEqual(readAll(out), want, eager ? "at once" : "in the window");
    } finally {
      rt.eager.maxSize = 4096;
    }
  }
  // A new store written in part (an element of an empty array) runs at once too; the rest later.
  const m = rt.createStore([3], "float64");
  const runs = rt.eager.runs;
  rt.submit({ kind: "map", name: "fill", inputs: [], outputs: [{ store: m.slice(0, 1, 2), expr: ir.constant(7, "float64") }], scalars: [] });
  assert.equal(rt.eager.runs, runs + 1, "a part of a new store");
  rt.submit({ kind: "map", name: "fill", inputs: [], outputs: [{ store: m.slice(0, 0, 1), expr: ir.constant(1, "float64") }], scalars: [] });
  rt.submit({ kind: "map", name: "fill", inputs: [], outputs: [{ store: m.slice(0, 2, 3), expr: ir.constant(2, "float64") }], scalars: [] });
  assert.equal(rt.eager.runs, runs + 3);
  assert.deepEqual(readAll(m), [1, 7, 2]);
});

test("RAW/WAR/WAW dependences order launches on overlapping regions", () => {
  const n = BIG;
  const a = rt.createStore([n], "float64");
  const inc = (s: Store) =>
    rt.submit({
      kind: "map",
      name: "inc",
      inputs: [s],
      outputs: [{ store: s, expr: ir.binary("add", ir.load(0, "float64"), ir.constant(1, "float64")) }],
      scalars: [],
    });
  for (let k = 0; k < 5; k++) inc(a); // WAW + RAW chain: must run one after another
  const half = a.slice(0, 0, n / 2);
  const copy = rt.createStore([n / 2], "float64");
  rt.submit({ kind: "map", name: "copy", inputs: [half], outputs: [{ store: copy, expr: ir.load(0, "float64") }], scalars: [] });
  inc(half); // WAR against the copy: the copy must still see 5
  const d = rt.read(copy) as Float64Array;
  assert.equal(d[0], 5);
  assert.equal(d[n / 2 - 1], 5);
  const full = rt.read(a) as Float64Array;
  assert.equal(full[0], 6);
  assert.equal(full[n - 1], 5);
});

test("independent launches share a wave; dependent ones do not", () => {
  const x = rt.createStore([8], "float64"),
    y = rt.createStore([8], "float64");
  const fill = (s: Store, v: number) =>
    rt.submit({ kind: "map", name: "fill", inputs: [], outputs: [{ store: s, expr: ir.constant(v, "float64") }], scalars: [] });
  fill(x, 1);
  fill(y, 2);
  const z = rt.createStore([8], "float64");
  rt.submit({
    kind: "map",
    name: "sum",
    inputs: [x, y],
    outputs: [{ store: z, expr: ir.binary("add", ir.load(0, "float64"), ir.load(1, "float64")) }],
    scalars: [],
  });
  assert.deepEqual(readAll(z), new Array(8).fill(3));
});

test("overlapping input and output views are unaliased (NumPy semantics)", () => {
  const a = rt.attach([6], "float64", Float64Array.from([0, 1, 2, 3, 4, 5]));
  // a[1:] = a[:-1]
  rt.submit({
    kind: "map",
    name: "shift",
    inputs: [a.slice(0, 0, 5)],
    outputs: [{ store: a.slice(0, 1, 6), expr: ir.load(0, "float64") }],
    scalars: [],
  });
  assert.deepEqual(readAll(a), [0, 0, 1, 2, 3, 4]);
});

test("reductions with reduce privileges over cut reduced dims agree with a serial sum", () => {
  const n = 3 * BIG;
  const a = rt.attach(
    [n],
    "float64",
    Float64Array.from({ length: n }, (_, i) => i % 7),
  );
  const s = rt.createStore([], "float64");
  rt.submit({ kind: "reduce", name: "sum", op: "sum", inputs: [a], value: ir.load(0, "float64"), axes: [0], output: s, scalars: [] });
  let expect = 0;
  for (let i = 0; i < n; i++) expect += i % 7;
  assert.equal((rt.read(s) as Float64Array)[0], expect);
});

test("opaque tasks get their block of aligned stores", () => {
  const out = rt.createStore([BIG], "float64");
  rt.submit(lib.launch("fill", { args: [{ store: out, privilege: "write" }] }));
  const d = rt.read(out) as Float64Array;
  assert.equal(d[0], 0.5);
  assert.equal(d[BIG - 1], BIG - 0.5);
});

test("a task that throws surfaces at the next blocking point and the pool stays usable", () => {
  const out = rt.createStore([BIG], "float64");
  rt.submit(lib.launch("throws", { args: [{ store: out, privilege: "write" }] }));
  assert.throws(
    () => rt.flush(),
    (e: Error) => e instanceof TaskError && /boom in point task/.test(e.message),
  );
  const again = rt.createStore([BIG], "float64");
  rt.submit(lib.launch("fill", { args: [{ store: again, privilege: "write" }] }));
  assert.equal((rt.read(again) as Float64Array)[7], 7.5);
});

test("a worker that dies is reported, not waited on, and the pool is rebuilt", () => {
  const out = rt.createStore([BIG], "float64");
  rt.submit(lib.launch("exits", { args: [{ store: out, privilege: "write" }] }));
  const t0 = Date.now();
  assert.throws(
    () => rt.flush(),
    (e: Error) => e instanceof TaskError && /exited \(code 7\)/.test(e.message),
  );
  assert.ok(Date.now() - t0 < 5000, "no hang");
  const again = rt.createStore([BIG], "float64");
  rt.submit(lib.launch("fill", { args: [{ store: again, privilege: "write" }] }));
  assert.equal((rt.read(again) as Float64Array)[BIG - 1], BIG - 0.5);
});

test("align constraints require equal shapes", () => {
  const a = rt.createStore([4], "float64"),
    b = rt.createStore([5], "float64");
  assert.throws(() => {
    rt.submit(
      lib.launch("fill", {
        args: [
          { store: a, privilege: "write" },
          { store: b, privilege: "read" },
        ],
        constraints: [align(a, b)],
      }),
    );
    rt.flush();
  }, /align\(\) needs equal shapes/);
});

test("tilings cut the preferred dim evenly and are reused", () => {
  const t = solveTiling([10, 3], 4, [0]);
  assert.equal(t.dim, 0);
  assert.deepEqual(
    tilingBlocks(t).map((b) => [b.lo[0], b.hi[0]]),
    [
      [0, 3],
      [3, 5],
      [5, 8],
      [8, 10],
    ],
  );
  assert.equal(solveTiling([10, 3], 4, [0]), t);
  assert.equal(solveTiling([1, 100], 2, [], [1]).dim, -1);
});

test("balanced tilings give every block the same share of uneven work", () => {
  // Row r costs r + 1 (a lower triangle): even cuts would give the last block 7/16 of it.
  const prefix = (i: number) => (i * (i + 1)) / 2;
  const t = balancedTiling([100, 100], 4, 0, prefix);
  assert.equal(t.cuts.length, 5);
  const shares = t.cuts.slice(1).map((c, k) => prefix(c) - prefix(t.cuts[k]));
  const total = prefix(100);
  for (const s of shares) assert.ok(Math.abs(s - total / 4) <= 100, `share ${s} of ${total}`);
  assert.deepEqual(t.cuts, [0, 50, 71, 87, 100]);
  // Every block keeps at least one index, and one piece (or one index) is one block.
  assert.deepEqual(balancedTiling([3, 5], 3, 0, (i) => (i ? 1e9 : 0)).cuts, [0, 1, 2, 3]);
  assert.equal(balancedTiling([1, 5], 4, 0, prefix).dim, -1);
});

test("coalescing merges contiguous dims and keeps strided ones", () => {
  assert.deepEqual(coalesce([4, 5, 6], [[30, 6, 1]]), { shape: [120], strides: [[1]] });
  assert.deepEqual(coalesce([4, 5], [[10, 1]]), { shape: [4, 5], strides: [[10, 1]] });
  assert.deepEqual(
    coalesce(
      [4, 1, 5],
      [
        [5, 5, 1],
        [0, 0, 1],
      ],
    ),
    {
      shape: [4, 5],
      strides: [
        [5, 1],
        [0, 1],
      ],
    },
  );
});

test("store transforms are views on one storage", () => {
  const s = Store.create([3, 4], DTYPES.float64);
  const t = s.transpose([1, 0]);
  assert.equal(t.storage, s.storage);
  assert.deepEqual(t.strides, [1, 4]);
  const r = s.slice(1, 3, -1, -1); // [:, 3::-1]
  assert.deepEqual([r.shape[1], r.strides[1], r.offset], [4, -1, 3]);
  assert.equal(s.promote(0).broadcast([2, 1, 3, 4]).strides[0], 0);
  assert.equal(t.reshape([12]), null, "non-contiguous reshape needs a copy");
});

test("fusion: an elementwise chain with a trailing reduction is one launch, no temporaries", () => {
  rt.fusion = true;
  const n = BIG;
  const a = rt.attach(
    [n],
    "float64",
    Float64Array.from({ length: n }, (_, i) => i),
  );
  const f64 = "float64" as const;
  const step = (s: Store, fn: "add" | "mul", v: number) => {
    const out = rt.createStore([n], f64);
    rt.submit({
      kind: "map",
      name: fn,
      inputs: [s],
      outputs: [{ store: out, expr: ir.binary(fn, ir.load(0, f64), ir.scalar(0, f64)) }],
      scalars: [v],
    });
    return out;
  };
  const before = rt.stats.launches;
  const t = step(step(step(a, "mul", 2), "add", 1), "mul", 0.5); // (2i + 1) / 2
  const s = rt.createStore([], f64);
  rt.submit({ kind: "reduce", name: "sum", op: "sum", inputs: [t], value: ir.load(0, f64), axes: [0], output: s, scalars: [] });
  assert.equal((rt.read(s) as Float64Array)[0], (n * (n - 1)) / 2 + n / 2);
  assert.equal(rt.stats.launches - before, 1);
  assert.equal(t.storage.buffer, null, "the intermediate was never materialised");
  // Reading the intermediate later still gives its value.
  assert.equal((rt.read(t) as Float64Array)[3], 3.5);
});

test("fusion: a lazy value is computed before its input changes", () => {
  const a = rt.attach([4], "float64", Float64Array.from([1, 2, 3, 4]));
  const b = rt.createStore([4], "float64");
  rt.submit({
    kind: "map",
    name: "double",
    inputs: [a],
    outputs: [{ store: b, expr: ir.binary("mul", ir.load(0, "float64"), ir.constant(2, "float64")) }],
    scalars: [],
  });
  rt.submit({ kind: "map", name: "zero", inputs: [], outputs: [{ store: a, expr: ir.constant(0, "float64") }], scalars: [] });
  assert.deepEqual(readAll(b), [2, 4, 6, 8]);
  assert.deepEqual(readAll(a), [0, 0, 0, 0]);
});

test("collective tasks: one point per rank with a communicator, and data-dependent writes", () => {
  const coll = rt.library("collective-test");
  // Writes the running total of its block into `out`, at an offset it learns from the others.
  coll.registerTask("prefix", {
    cpu: (ctx) => {
      const [x, out] = ctx.args;
      const mine = (x.data as Float64Array).slice(x.offset + x.lo[0], x.offset + x.hi[0]);
      const sizes = ctx
        .comm!.allgather(new Uint8Array(Float64Array.of(mine.length).buffer))
        .map((b) => new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + 8))[0]);
      const at = sizes.slice(0, ctx.comm!.rank).reduce((a, b) => a + b, 0);
      let acc = 0;
      mine.forEach((v, i) => {
        acc += v;
        (out.data as Float64Array)[out.offset + at + i] = acc;
      });
      ctx.wrote!(1, at, at + mine.length);
    },
  });
  const x = rt.attach([6], "float64", Float64Array.from([1, 2, 3, 4, 5, 6]));
  const out = rt.createStore([6], "float64");
  rt.submit(
    coll.launch("prefix", {
      args: [
        { store: x, privilege: "read" },
        { store: out, privilege: "write" },
      ],
      collective: true,
    }),
  );
  assert.deepEqual(Array.from(rt.read(out) as Float64Array).slice(0, 6), [1, 3, 6, 10, 15, 21]);
});

test("bcast is the identity in a single process", () => {
  const rt = runtime();
  const obj = { a: [1, 2], s: "x" },
    typed = Float64Array.of(1, NaN);
  assert.equal(rt.bcast(obj), obj);
  assert.equal(rt.bcast(typed), typed);
  assert.ok(Object.is(rt.bcast(-0), -0));
  assert.equal(rt.bcast(2n ** 70n), 2n ** 70n);
});
