import { test } from "node:test";
import assert from "node:assert/strict";

/**
 * The NumPy library's WebGPU variants (arg-reductions, scans, sorting, batched matmul, FFTs,
 * advanced-indexing gathers and scatters) on
 * whatever adapter is present (Mesa lavapipe in CI). Every launch WebGPU supports goes to the
 * GPU here, however small; each test checks that the result was written there (its GPU
 * instance is valid and its host copy is not, before it is read) and compares with NumPy's
 * values (hard-coded from NumPy, or NumPy's documented semantics computed in JS where the
 * arrays are large: first occurrence for arg*, sequential sums for cumsum, NaN last for sort).
 */
process.env.TESSERA_GPUS = "1";
process.env.TESSERA_GPU_MIN = "0";
const np = await import("tessera");
const { runtime, DefaultMapper } = await import("tessera/core");
type Arr = InstanceType<typeof np.ndarray>;

/** The array's values were computed on the GPU (and not yet copied back). */
function onGpu(a: Arr): void {
  runtime().flush();
  const st = a._store.storage;
  assert.ok(st.residency.validIn(runtime().device!.memory) && !st.hostValid, "the result was written on the GPU");
}

const CHUNK = 4096; // elements one workgroup reduces per pass (codegen_wgsl.ts)

// ---- argmin / argmax ---------------------------------------------------------------------

/** ((i * 7919) % 1009 - 500) / 4 as float32, with planted extremes across workgroup chunks. */
function planted(): Float32Array {
  const n = 3 * CHUNK + 17;
  const x = Float32Array.from({ length: n }, (_, i) => (((i * 7919) % 1009) - 500) / 4);
  for (const i of [5000, 9000, 12000]) x[i] = 200;
  for (const i of [8191, 4096]) x[i] = -300;
  return x;
}

test("argmax/argmin of float32 across chunks: the first occurrence wins (NumPy: 5000, 4096)", () => {
  const a = np.array(Array.from(planted()), { dtype: "float32" });
  const mx = np.argmax(a),
    mn = np.argmin(a);
  onGpu(mx);
  onGpu(mn);
  assert.equal(mx.dtype.name, "int64");
  assert.equal(Number(mx), 5000);
  assert.equal(Number(mn), 4096);
  // A fused value: argmax(-a) is argmin(a).
  assert.equal(Number(np.argmax(a.neg())), 4096);
});

test("argmax/argmin of float32: the first NaN wins; all -inf gives 0", () => {
  const x = planted();
  x[9000] = NaN;
  x[5000] = NaN;
  const a = np.array(Array.from(x), { dtype: "float32" });
  const mx = np.argmax(a);
  onGpu(mx);
  assert.equal(Number(mx), 5000);
  assert.equal(Number(np.argmin(a)), 5000);
  const z = np.full([5000], -Infinity, { dtype: "float32" });
  assert.equal(Number(np.argmax(z)), 0);
  assert.equal(Number(np.argmin(z.neg())), 0);
});

test("argmax/argmin of int32 over each axis and of a transposed, stepped view", () => {
  // NumPy: m = ((arange(300*700)*104729) % 2003 - 1000).astype(int32).reshape(300, 700)
  const m = np
    .arange(300 * 700)
    .mul(104729)
    .mod(2003)
    .sub(1000)
    .astype("int32")
    .reshape(300, 700);
  const ax0 = np.argmax(m, { axis: 0 });
  onGpu(ax0);
  assert.deepEqual(ax0.get(":5").tolist(), [4, 99, 194, 293, 3]);
  assert.deepEqual(np.argmin(m, { axis: 0 }).get("-5:").tolist(), [185, 280, 299, 298, 297]);
  assert.deepEqual(np.argmax(m, { axis: 1 }).get(":5").tolist(), [395, 499, 201, 298, 402]);
  assert.deepEqual(np.argmin(m, { axis: 1 }).get("-5:").tolist(), [211, 315, 412, 114, 218]);
  assert.equal(Number(np.argmax(m)), 1601);
  assert.equal(Number(np.argmin(m)), 0);
  assert.deepEqual(np.argmax(m.T, { axis: 0 }).get(":5").tolist(), [395, 499, 201, 298, 402]);
  const v = np.argmin(m.T.get("::2, 1:"), { axis: 1, keepdims: true });
  onGpu(v);
  assert.deepEqual(v.shape, [350, 1]);
  assert.deepEqual(v.get(":5, 0").tolist(), [296, 189, 295, 297, 102]);
});

test("argmax/argmin of uint32 compare unsigned, of bool find the first True/False", () => {
  // NumPy: u = (arange(100000, dtype=uint64) * 2654435761 % 2**32).astype(uint32)
  const u = np.array(
    Array.from({ length: 100000 }, (_, i) => Number((BigInt(i) * 2654435761n) % 2n ** 32n)),
    { dtype: "uint32" },
  );
  const mx = np.argmax(u);
  onGpu(mx);
  assert.equal(Number(mx), 50549);
  assert.equal(Number(np.argmin(u)), 0);
  const b = np.zeros([9000], { dtype: "bool" });
  b.set("7000", true);
  b.set("8000", true);
  const bm = np.argmax(b);
  onGpu(bm);
  assert.equal(Number(bm), 7000);
  assert.equal(Number(np.argmin(b.not())), 7000);
  assert.equal(Number(np.argmin(b)), 0);
});

// ---- cumsum / cumprod --------------------------------------------------------------------

/** 1100 blocks of 1024 and a bit: the block-total scan runs more than one round. */
const LONG = 1024 * 1100 + 7;

test("cumsum of float32: a long row through the blocked scan equals NumPy's sequential sums", () => {
  // Integer-valued float32 with bounded running sums: every grouping of the sum is exact,
  // so the blocked scan must equal NumPy's sequential one bit for bit.
  const x = Float32Array.from({ length: LONG }, (_, i) => (i % 7) - 3);
  const a = np.array(Array.from(x), { dtype: "float32" });
  const c = np.cumsum(a);
  onGpu(c);
  assert.equal(c.dtype.name, "float32");
  const got = c.toTypedArray() as Float32Array;
  let s = 0,
    bad = 0;
  for (let i = 0; i < LONG; i++) {
    s += x[i];
    if (got[i] !== s) bad++;
  }
  assert.equal(bad, 0);
});

test("cumsum of float32 with inexact sums: within 1e-5 of the running sum of magnitudes", () => {
  // Mean-zero fractional data along axis 0 of a transposed view (strided reads). NumPy sums
  // sequentially in float32; the blocked scan groups the sums differently, so each result is
  // compared with NumPy's (the same sequential float32 sum, computed here) within
  // 1e-5 * sum(|x[:i+1]|): both orders err by a few ulp of the partial sums.
  const rows = 3,
    n = 40000;
  const v = (r: number, i: number) => Math.fround((((i * 7919 + r * 31) % 1009) - 504) / 64 + 0.1);
  const base = np.array(
    Array.from({ length: n }, (_, i) => Array.from({ length: rows }, (_, r) => v(r, i))),
    { dtype: "float32" },
  );
  const c = np.cumsum(base, { axis: 0 });
  onGpu(c);
  const got = c.toTypedArray() as Float32Array;
  for (let r = 0; r < rows; r++) {
    let seq = 0,
      mag = 0,
      worst = 0;
    for (let i = 0; i < n; i++) {
      seq = Math.fround(seq + v(r, i));
      mag += Math.abs(v(r, i));
      worst = Math.max(worst, Math.abs(got[i * rows + r] - seq) / mag);
    }
    assert.ok(worst <= 1e-5, `row ${r}: worst relative difference ${worst}`);
  }
});

test("cumsum of int32 widens to int64 on the GPU (carries across 32 bits), with dtype int32 it wraps", () => {
  const x = Int32Array.from({ length: LONG }, (_, i) => 2147483647 - (i % 13) * 330382100);
  const a = np.array(Array.from(x), { dtype: "int32" });
  const c = np.cumsum(a);
  onGpu(c);
  assert.equal(c.dtype.name, "int64");
  const got = c.toTypedArray() as BigInt64Array;
  let s = 0n,
    bad = 0;
  for (let i = 0; i < LONG; i++) {
    s += BigInt(x[i]);
    if (got[i] !== s) bad++;
  }
  assert.equal(bad, 0);
  const w = np.cumsum(a, { dtype: "int32" });
  onGpu(w);
  const gw = w.toTypedArray() as Int32Array;
  assert.equal(gw[LONG - 1], Number(BigInt.asIntN(32, s)));
  assert.equal(gw[1000], Number(BigInt.asIntN(32, got[1000])));
});

test("cumprod of uint32 widens to uint64 (64-bit products wrap), short and long rows", () => {
  // Short rows: one invocation per row. Long rows: the blocked scan's products.
  for (const [rows, n] of [
    [500, 40],
    [2, 5000],
  ]) {
    const val = (r: number, i: number) => (((r * 2654435761 + i * 40503) % 4294967291) | 1) >>> 0;
    const a = np.array(
      Array.from({ length: rows }, (_, r) => Array.from({ length: n }, (_, i) => val(r, i))),
      { dtype: "uint32" },
    );
    const c = a.cumprod({ axis: 1 });
    onGpu(c);
    assert.equal(c.dtype.name, "uint64");
    const got = c.toTypedArray() as BigUint64Array;
    let bad = 0;
    for (let r = 0; r < rows; r++) {
      let p = 1n;
      for (let i = 0; i < n; i++) {
        p = BigInt.asUintN(64, p * BigInt(val(r, i)));
        if (got[r * n + i] !== p) bad++;
      }
    }
    assert.equal(bad, 0, `${rows}x${n}`);
  }
});

test("cumsum of bool counts in int64; values computed on the GPU feed the scan without a copy back", () => {
  const a = np.arange(300000, { dtype: "int32" });
  const mask = a.mod(3).eq(0);
  const c = np.cumsum(mask);
  onGpu(c);
  assert.deepEqual(c.get("-3:").tolist(), [100000, 100000, 100000]);
  // NumPy: np.cumsum(np.arange(300000, dtype=np.int32) % 3 == 0)[[0, 1, 3, 299997]] = [1, 1, 2, 100000]
  assert.deepEqual(
    [0, 1, 3, 299997].map((i) => Number(c.get(i))),
    [1, 1, 2, 100000],
  );
});

// ---- sort --------------------------------------------------------------------------------

/** NumPy's order for float32: ascending, NaN last (Float32Array's sort is that order, -0 before 0). */
const sortedF32 = (x: ArrayLike<number>) => Float32Array.from(x).sort();

test("sort of float32: NaN last, infinities, through global and local network passes (NumPy's values)", () => {
  // NumPy: x = ((arange(20000)*7919 % 10007 - 5000) / 8).astype(float32), x[[3,777]] = nan,
  // x[5] = -inf, x[6] = inf; np.sort(x)[[0,1,2,9999,19997,19998,19999]]
  const x = Float32Array.from({ length: 20000 }, (_, i) => (((i * 7919) % 10007) - 5000) / 8);
  x[3] = NaN;
  x[777] = NaN;
  x[5] = -Infinity;
  x[6] = Infinity;
  const s = np.sort(np.array(Array.from(x), { dtype: "float32" }));
  onGpu(s);
  assert.deepEqual(
    [0, 1, 2, 9999, 19997, 19998, 19999].map((i) => Number(s.get(i))),
    [-Infinity, -625, -625, 0.375, Infinity, NaN, NaN],
  );
  const got = s.toTypedArray() as Float32Array;
  const want = sortedF32(x);
  for (let i = 0; i < x.length; i++) assert.ok(Object.is(got[i], want[i]), `element ${i}: ${got[i]} vs ${want[i]}`);
  // -0.0 and 0.0 compare equal in NumPy; here -0.0 comes first, as on the CPU.
  assert.deepEqual(np.sort(np.array([0, -0, 0, -0, -1], { dtype: "float32" })).tolist(), [-1, -0, -0, 0, 0]);
});

test("sort of int32 rows along each axis, uint32 above 2^31, bool", () => {
  const R = 3,
    C = 5000;
  const val = (i: number) => ((i * 104729) % 20011) - 10000;
  const m = np.array(
    Array.from({ length: R }, (_, r) => Array.from({ length: C }, (_, c) => val(r * C + c))),
    { dtype: "int32" },
  );
  const s1 = np.sort(m, { axis: 1 });
  onGpu(s1);
  const g1 = s1.toTypedArray() as Int32Array;
  for (let r = 0; r < R; r++) {
    const want = Int32Array.from({ length: C }, (_, c) => val(r * C + c)).sort();
    assert.deepEqual(Array.from(g1.subarray(r * C, (r + 1) * C)), Array.from(want));
  }
  const s0 = np.sort(m.get(":, :7"), { axis: 0 }).tolist() as number[][];
  for (let c = 0; c < 7; c++)
    assert.deepEqual(
      s0.map((row) => row[c]),
      [val(c), val(C + c), val(2 * C + c)].sort((a, b) => a - b),
    );
  const u = np.array([4294967295, 3, 2147483648, 0, 2147483647], { dtype: "uint32" });
  const su = np.sort(u);
  onGpu(su);
  assert.deepEqual(su.tolist(), [0, 3, 2147483647, 2147483648, 4294967295]);
  const b = np.sort(np.array([true, false, true, false, false]));
  onGpu(b);
  assert.deepEqual(b.tolist(), [false, false, false, true, true]);
});

test("merge_runs on the GPU merges runs sorted elsewhere (a full network when its input is not sorted)", async () => {
  const { numpyLibrary } = await import("../../src/numpy/tasks/library.js");
  const n = 70001;
  // Two sorted runs, as CPU points of sort_rows leave a long row.
  const runs = Int32Array.from({ length: n }, (_, i) => (i < 35000 ? 2 * i : 2 * (i - 35000) + 1));
  const x = np.array(Array.from(runs), { dtype: "int32" });
  const out = np.empty([n], { dtype: "int32" });
  runtime().submit(
    numpyLibrary().launch("merge_runs", {
      args: [
        { store: x._store, privilege: "read" },
        { store: out._store, privilege: "write" },
      ],
      serial: true,
    }),
  );
  onGpu(out);
  const got = out.toTypedArray() as Int32Array;
  const want = Int32Array.from(runs).sort();
  let bad = 0;
  for (let i = 0; i < n; i++) if (got[i] !== want[i]) bad++;
  assert.equal(bad, 0);
});

test("ndarray.sort in place on the GPU, through a view", () => {
  const a = np.array(
    [
      [3, 1, 2],
      [6, 5, 4],
    ],
    { dtype: "float32" },
  );
  a.get(1).sort();
  assert.deepEqual(a.tolist(), [
    [3, 1, 2],
    [4, 5, 6],
  ]);
});

test("a readwrite task on the GPU first uploads the values the CPU wrote", () => {
  // The int64 → float32 copy runs on the CPU; sort_rows then sorts that store in place on the
  // GPU, which must upload it (a readwrite store is not overwritten whole).
  const s = np.sort(np.arange(5000, 0, -1).astype("float32"));
  onGpu(s);
  assert.deepEqual(s.get(":3").tolist(), [1, 2, 3]);
  assert.equal(Number(s.get(-1)), 5000);
});

// ---- batched matmul ----------------------------------------------------------------------

test("batched float32 matmul on the GPU: broadcast batch dims, transposed operands", () => {
  // Small integers: every float32 sum is exact, so the GPU must equal the exact product.
  const va = (i: number) => ((i * 7919) % 17) - 8,
    vb = (i: number) => ((i * 104729) % 13) - 6;
  const [P, Q, m, k, n] = [2, 3, 70, 50, 90];
  const A = Float32Array.from({ length: P * Q * m * k }, (_, i) => va(i));
  const B = Float32Array.from({ length: Q * k * n }, (_, i) => vb(i));
  const a = np.array(Array.from(A), { dtype: "float32" }).reshape(P, Q, m, k);
  const b = np.array(Array.from(B), { dtype: "float32" }).reshape(Q, k, n);
  const c = np.matmul(a, b);
  onGpu(c);
  assert.deepEqual(c.shape, [P, Q, m, n]);
  const got = c.toTypedArray() as Float32Array;
  let bad = 0;
  for (let p = 0; p < P; p++)
    for (let q = 0; q < Q; q++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let t = 0; t < k; t++) s += A[((p * Q + q) * m + i) * k + t] * B[(q * k + t) * n + j];
          if (got[((p * Q + q) * m + i) * n + j] !== s) bad++;
        }
  assert.equal(bad, 0);
  // (Q, n, k) transposed to (Q, k, n): strided operands per batch entry.
  const bt = np.array(Array.from(B), { dtype: "float32" }).reshape(Q, n, k).swapaxes(-1, -2);
  const ct = np.matmul(a.get(0), bt);
  onGpu(ct);
  const g2 = ct.toTypedArray() as Float32Array;
  for (const [q, i, j] of [
    [0, 0, 0],
    [1, 33, 71],
    [2, 69, 89],
  ]) {
    let s = 0;
    for (let t = 0; t < k; t++) s += A[(q * m + i) * k + t] * B[(q * n + j) * k + t];
    assert.equal(g2[(q * m + i) * n + j], s);
  }
  // NumPy: np.matmul(np.ones((4,2,3), float32), np.arange(6, dtype=float32).reshape(3,2))[3] == [[6, 9], [6, 9]]
  const d = np.matmul(np.ones([4, 2, 3], { dtype: "float32" }), np.arange(6, { dtype: "float32" }).reshape(3, 2));
  onGpu(d);
  assert.deepEqual(d.get(3).tolist(), [
    [6, 9],
    [6, 9],
  ]);
});

// ---- advanced indexing: gather and scatter ---------------------------------------------

/** Each gather (or scatter) result was written on the GPU; then its values. */
const gpuList = (r: Arr): unknown => {
  onGpu(r);
  return r.tolist();
};

test("float32 gathers on the GPU: negative indices, slices before and after, index arrays of rank 2", () => {
  // NumPy: a = (np.arange(60) * 1.5 - 20).astype(np.float32).reshape(5, 12)
  const a = np.arange(60).mul(1.5).sub(20).astype("float32").reshape(5, 12);
  const r = a.get(np.array([-1, 0, 3, -5]));
  onGpu(r);
  assert.deepEqual(r.shape, [4, 12]);
  assert.deepEqual(r.get(":", ":3").tolist(), [
    [52, 53.5, 55],
    [-20, -18.5, -17],
    [34, 35.5, 37],
    [-20, -18.5, -17],
  ]);
  assert.deepEqual(gpuList(a.get("1:4", np.array([-1, 2, -12]))), [
    [14.5, 1, -2],
    [32.5, 19, 16],
    [50.5, 37, 34],
  ]);
  assert.deepEqual(gpuList(a.get(np.array([0, -1]), "2:8:2")), [
    [-17, -14, -11],
    [55, 58, 61],
  ]);
  const r4 = a.get(
    "::-1",
    np.array([
      [0, -1],
      [5, 6],
    ]),
  );
  onGpu(r4);
  assert.deepEqual(r4.shape, [5, 2, 2]);
  assert.deepEqual(r4.get(":2").tolist(), [
    [
      [52, 68.5],
      [59.5, 61],
    ],
    [
      [34, 50.5],
      [41.5, 43],
    ],
  ]);
  // NaN, -0.0 and -inf are copied bit for bit.
  const bits = new Uint32Array([0x7fc00000, 0x80000000, 0xff800000, 0x3f800000]);
  const f = np.array(Array.from(new Float32Array(bits.buffer)), { dtype: "float32" });
  const g = f.get(np.array([3, -4, 1, -2]));
  onGpu(g);
  assert.deepEqual(Array.from(new Uint32Array((g.toTypedArray() as Float32Array).slice().buffer)), [0x3f800000, 0x7fc00000, 0x80000000, 0xff800000]);
});

test("int32 gathers on the GPU with several index arrays: adjacent, separated by a slice, mixed with slices", () => {
  // NumPy: b = (np.arange(60) * -7).astype(np.int32).reshape(3, 4, 5)
  const b = np.arange(60).mul(-7).astype("int32").reshape(3, 4, 5);
  assert.deepEqual(gpuList(b.get(np.array([0, -1, 2]), np.array([-1, 0, 1]))), [
    [-105, -112, -119, -126, -133],
    [-280, -287, -294, -301, -308],
    [-315, -322, -329, -336, -343],
  ]);
  // Advanced indices separated by a slice: the broadcast dims (2, 3) go first.
  const r = b.get(np.array([[0], [-1]]), ":", np.array([1, -2, 3]));
  onGpu(r);
  assert.deepEqual(r.shape, [2, 3, 4]);
  assert.deepEqual(r.get(":", ":", 0).tolist(), [
    [-7, -21, -21],
    [-287, -301, -301],
  ]);
  assert.deepEqual(r.get(1, 2).tolist(), [-301, -336, -371, -406]);
  assert.deepEqual(gpuList(b.get("1:", np.array([-1, 0]), np.array([2, -3]))), [
    [-259, -154],
    [-399, -294],
  ]);
  // int32 and uint32 index arrays.
  assert.deepEqual(gpuList(b.get(np.array([-1, 0], { dtype: "int32" }), "::2", np.array([4], { dtype: "uint32" }))), [
    [-308, -378],
    [-28, -98],
  ]);
});

test("uint32 and bool gathers on the GPU; int32, uint64 and mask-derived indices", () => {
  // NumPy: u = (np.arange(20, dtype=np.uint64) * 2654435761 % 2**32).astype(np.uint32)
  const u = np.array(
    Array.from({ length: 20 }, (_, i) => Number((BigInt(i) * 2654435761n) % 2n ** 32n)),
    { dtype: "uint32" },
  );
  assert.deepEqual(gpuList(u.get(np.array([-1, 3, -20, 7]))), [3189639203, 3668339987, 0, 1401181143]);
  assert.deepEqual(gpuList(u.get(np.array([-2, 5], { dtype: "int32" }))), [535203442, 387276917]);
  assert.deepEqual(gpuList(u.get(np.array([19, 0], { dtype: "uint64" }))), [3189639203, 0]);
  // NumPy: m = (np.arange(30) % 3 == 0).reshape(5, 6)
  const m = np.equal(np.arange(30).mod(3), 0).reshape(5, 6);
  assert.deepEqual(gpuList(m.get(np.array([4, -5]), np.array([-1, 0]))), [false, true]);
  assert.deepEqual(gpuList(m.get(np.array([-1, 1]), "1:4")), [
    [false, false, true],
    [false, false, true],
  ]);
  const row = [true, false, false, true, false, false];
  assert.deepEqual(gpuList(m.get(np.array([true, false, true, false, true]))), [row, row, row]);
});

test("np.take on the GPU: with axis, without (flattened), mode wrap and clip", () => {
  const a = np.arange(60).mul(1.5).sub(20).astype("float32").reshape(5, 12);
  const t1 = np.take(a, [-1, 0, 2], { axis: 1 });
  onGpu(t1);
  assert.deepEqual(t1.get(":", 0).tolist(), [-3.5, 14.5, 32.5, 50.5, 68.5]);
  assert.deepEqual(t1.get(4).tolist(), [68.5, 52, 55]);
  const t2 = np.take(a, [[1, -2]], { axis: 0 });
  onGpu(t2);
  assert.deepEqual(t2.shape, [1, 2, 12]);
  assert.deepEqual(t2.get(0, ":", -1).tolist(), [14.5, 50.5]);
  const b = np.arange(60).mul(-7).astype("int32").reshape(3, 4, 5);
  const t3 = np.take(b, [2, -1], { axis: 2 });
  onGpu(t3);
  assert.deepEqual(t3.get(":", 1).tolist(), [
    [-49, -63],
    [-189, -203],
    [-329, -343],
  ]);
  assert.deepEqual(gpuList(np.take(a, [13, -14, 59])), [-0.5, 49, 68.5]);
  assert.deepEqual(np.take(a, [13, -14], { axis: 1, mode: "wrap" }).get(2).tolist(), [17.5, 31]);
  assert.deepEqual(np.take(a, [13, -14], { axis: 0, mode: "clip" }).get(":", 0).tolist(), [52, -20]);
  // Bounds are checked before the launch, with NumPy's message.
  assert.throws(() => np.take(a, [3, 12], { axis: 1 }), /index 12 is out of bounds for axis 1 with size 12/);
  assert.throws(() => a.get(np.array([0, -6])), /index -6 is out of bounds for axis 0 with size 5/);
});

test("scatters on the GPU: with repeated indices the last value in row-major order wins", () => {
  const f = np.zeros([7], { dtype: "float32" });
  f.set(np.array([1, -1, 1, 3, -6, 6]), np.array([1.5, 2.5, 3.5, 4.5, 5.5, 6.5], { dtype: "float32" }));
  assert.deepEqual(gpuList(f), [0, 5.5, 0, 4.5, 0, 0, 6.5]);
  // NumPy: z = np.zeros(13, np.int32); z[(np.arange(20000) * 7919) % 13 - 6] = np.arange(20000, dtype=np.int32)
  const z = np.zeros([13], { dtype: "int32" });
  z.set(np.arange(20000).mul(7919).mod(13).sub(6), np.arange(20000, { dtype: "int32" }));
  assert.deepEqual(gpuList(z), [19997, 19991, 19998, 19992, 19999, 19993, 19987, 19994, 19988, 19995, 19989, 19996, 19990]);
  const g = np.arange(20).astype("uint32").reshape(4, 5);
  g.set(
    np.array([0, -1, 0]),
    "1:3",
    np.array(
      [
        [10, 11],
        [12, 13],
        [14, 15],
      ],
      { dtype: "uint32" },
    ),
  );
  assert.deepEqual(gpuList(g), [
    [0, 14, 15, 3, 4],
    [5, 6, 7, 8, 9],
    [10, 11, 12, 13, 14],
    [15, 12, 13, 18, 19],
  ]);
  const m = np.zeros([6], { dtype: "bool" });
  m.set(np.array([-1, 2, 2]), np.array([true, true, false]));
  assert.deepEqual(gpuList(m), [false, false, false, false, false, true]);
  const h = np.zeros([3, 4], { dtype: "int32" });
  h.set(
    np.array([[0], [-1]]),
    np.array([1, -1, 1]),
    np.array(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: "int32" },
    ),
  );
  assert.deepEqual(gpuList(h), [
    [0, 3, 0, 2],
    [0, 0, 0, 0],
    [0, 6, 0, 5],
  ]);
});

// ---- fft ---------------------------------------------------------------------------------

type C = { re: number; im: number };
/** NumPy's DFT of one line in float64: X_k = fct · Σ_j x_j exp(∓2πi·jk/n), x cut or zero-padded to n. */
function dft(x: readonly C[], n: number, forward: boolean, fct = 1): C[] {
  const sign = forward ? -1 : 1;
  return Array.from({ length: n }, (_, k) => {
    let re = 0,
      im = 0;
    for (let j = 0; j < Math.min(n, x.length); j++) {
      const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      re += x[j].re * Math.cos(a) - x[j].im * Math.sin(a);
      im += x[j].re * Math.sin(a) + x[j].im * Math.cos(a);
    }
    return { re: re * fct, im: im * fct };
  });
}
const cplx = (v: unknown): C => (typeof v === "object" ? (v as C) : { re: Number(v), im: 0 });
/** Every value within float32's rounding of a transform (relative to the line's size). */
function closeLines(got: C[][], want: C[][], what: string): void {
  assert.equal(got.length, want.length, what);
  got.forEach((line, r) => {
    assert.equal(line.length, want[r].length, what);
    const scale = want[r].reduce((s, v) => s + Math.hypot(v.re, v.im), 1) / want[r].length;
    line.forEach((v, k) => {
      const w = want[r][k];
      assert.ok(
        Math.hypot(v.re - w.re, v.im - w.im) <= 2e-6 * scale * Math.log2(2 * line.length),
        `${what}: [${r}][${k}] ${v.re},${v.im} vs ${w.re},${w.im}`,
      );
    });
  });
}
/** Lines of a 2-D result along `axis` as complex values. */
function lines(a: Arr, axis: number): C[][] {
  const rows = (axis === 1 ? a : a.T).tolist() as unknown[][];
  return rows.map((r) => r.map(cplx));
}

test("np.fft on the GPU for complex64 and float32 (radix-2 Stockham passes, Bluestein's for other lengths): NumPy's DFT, cut, padded, along either axis", () => {
  const R = 3,
    N = 64;
  const vals: C[][] = Array.from({ length: R }, (_, r) =>
    Array.from({ length: N }, (_, j) => ({
      re: Math.fround(Math.sin(0.37 * (r * N + j)) + ((j * 7919) % 13) / 13),
      im: Math.fround(Math.cos(0.11 * j * (r + 1))),
    })),
  );
  const x = np
    .array(vals.map((l) => l.map((v) => v.re)))
    .add(np.array(vals.map((l) => l.map((v) => v.im))).mul({ re: 0, im: 1 }))
    .astype("complex64");
  const y = np.fft.fft(x);
  onGpu(y);
  assert.equal(y.dtype.name, "complex64");
  closeLines(
    lines(y, 1),
    vals.map((l) => dft(l, N, true)),
    "fft",
  );
  // Cut to 32 points, inverse with NumPy's 1/n.
  const yi = np.fft.ifft(x, { n: 32, axis: 1 });
  onGpu(yi);
  closeLines(
    lines(yi, 1),
    vals.map((l) => dft(l, 32, false, 1 / 32)),
    "ifft n=32",
  );
  // Along axis 0: 3 points padded to 4, ortho.
  const y0 = np.fft.fft(x, { n: 4, axis: 0, norm: "ortho" });
  onGpu(y0);
  const cols = Array.from({ length: N }, (_, j) => vals.map((l) => l[j]));
  closeLines(
    lines(y0, 0),
    cols.map((c) => dft(c, 4, true, 0.5)),
    "fft axis 0",
  );
  // float32 input: complex64 output; one point is a copy.
  const re = x.real.copy();
  const yr = np.fft.fft(re, { n: 16 });
  onGpu(yr);
  closeLines(
    lines(yr, 1),
    vals.map((l) =>
      dft(
        l.map((v) => ({ re: v.re, im: 0 })),
        16,
        true,
      ),
    ),
    "fft of float32",
  );
  const y1 = np.fft.fft(x, { n: 1 });
  onGpu(y1);
  closeLines(
    lines(y1, 1),
    vals.map((l) => [l[0]]),
    "n=1",
  );
  // In place: out= the input itself.
  const z = x.copy();
  np.fft.fft(z, { out: z });
  onGpu(z);
  closeLines(
    lines(z, 1),
    vals.map((l) => dft(l, N, true)),
    "in place",
  );
  // Lengths that are not powers of two run Bluestein's algorithm (power-of-two passes of at least 2n-1).
  for (const [m, fwd] of [
    [48, true],
    [97, false],
    [5, true],
  ] as const) {
    const yb = fwd ? np.fft.fft(x, { n: m }) : np.fft.ifft(x, { n: m, norm: "forward" });
    onGpu(yb);
    closeLines(
      lines(yb, 1),
      vals.map((l) => dft(l, m, fwd)),
      `n=${m}`,
    );
  }
  const y3 = np.fft.fft(x, { axis: 0 });
  onGpu(y3);
  closeLines(
    lines(y3, 0),
    cols.map((c) => dft(c, 3, true)),
    "3 points along axis 0",
  );
  const zb = x.get(":, :45").copy();
  np.fft.ifft(zb, { out: zb });
  onGpu(zb);
  closeLines(
    lines(zb, 1),
    vals.map((l) => dft(l.slice(0, 45), 45, false, 1 / 45)),
    "45 points in place",
  );
});

test("one long complex64 transform on the GPU in four steps (both passes there, Bluestein's where a factor is not a power of two) equals the direct transform and the DFT", () => {
  // 2^16 points or more in one line run as the four-step algorithm; as a row of a batch of
  // two, the same line runs its radix-2 passes directly.
  for (const n of [1 << 16, 1 << 17, 3 << 16]) {
    const re = Array.from({ length: n }, (_, j) => Math.sin(0.001 * j * j) + ((j * 7919) % 17) / 17 - 0.5);
    const im = Array.from({ length: n }, (_, j) => Math.cos(0.37 * j));
    const x = np
      .array(re)
      .add(np.array(im).mul({ re: 0, im: 1 }))
      .astype("complex64");
    for (const forward of [true, false]) {
      const one = forward ? np.fft.fft(x) : np.fft.ifft(x, { norm: "ortho" });
      onGpu(one);
      const both = np.stack([x, x]);
      const batch = (forward ? np.fft.fft(both) : np.fft.ifft(both, { norm: "ortho" })).get(1);
      const scale = Number(np.max(np.abs(batch)).item());
      const err = Number(np.max(np.abs(one.sub(batch))).item());
      assert.ok(err <= 2e-6 * scale * Math.log2(n), `${n} ${forward}: ${err / scale} of the largest value apart`);
      // A few outputs against the DFT in float64.
      for (const k of [0, 1, 12345, n - 1]) {
        let sr = 0,
          si = 0;
        const s = forward ? -1 : 1;
        for (let j = 0; j < n; j++) {
          const a = (s * 2 * Math.PI * ((j * k) % n)) / n;
          const xr = Math.fround(re[j]),
            xi = Math.fround(im[j]);
          sr += xr * Math.cos(a) - xi * Math.sin(a);
          si += xr * Math.sin(a) + xi * Math.cos(a);
        }
        const f = forward ? 1 : 1 / Math.sqrt(n);
        const got = one.item(k) as { re: number; im: number };
        assert.ok(Math.hypot(got.re - sr * f, got.im - si * f) <= 2e-6 * scale * Math.log2(n), `${n} ${forward} [${k}]`);
      }
    }
  }
});

test("np.fft.rfft and irfft of float32 on the GPU: half spectra, padding, norms, odd lengths", () => {
  const N = 100;
  const v = Array.from({ length: N }, (_, j) => Math.fround(Math.sin(0.05 * j * j) - 0.25));
  const x = np.array(v, { dtype: "float32" });
  const h = np.fft.rfft(x, { n: 128, norm: "ortho" });
  onGpu(h);
  assert.equal(h.dtype.name, "complex64");
  const full = dft(
    v.map((re) => ({ re, im: 0 })),
    128,
    true,
    1 / Math.sqrt(128),
  );
  closeLines([(h.tolist() as unknown[]).map(cplx)], [full.slice(0, 65)], "rfft");
  // irfft of 33 values to 64 reals: the spectrum extended by conjugate symmetry, its real part.
  const spec = (h.get(":33").tolist() as unknown[]).map(cplx);
  const back = np.fft.irfft(h.get(":33"), { n: 64 });
  onGpu(back);
  assert.equal(back.dtype.name, "float32");
  const ext = Array.from({ length: 64 }, (_, k) => (k < 33 ? spec[k] : { re: spec[64 - k].re, im: -spec[64 - k].im }));
  const want = dft(ext, 64, false, 1 / 64).map((c) => ({ re: c.re, im: 0 }));
  closeLines([(back.tolist() as number[]).map(cplx)], [want], "irfft");
  // Odd lengths (Bluestein): rfft of 101 points, irfft of 50 values to 99 points.
  const h101 = np.fft.rfft(x.get(":101"), { n: 101 });
  onGpu(h101);
  const real = (n: number) => v.slice(0, n).map((re) => ({ re, im: 0 }));
  closeLines([(h101.tolist() as unknown[]).map(cplx)], [dft(real(100), 101, true).slice(0, 51)], "rfft of 101");
  const b99 = np.fft.irfft(h.get(":50"), { n: 99 });
  onGpu(b99);
  const s50 = (h.get(":50").tolist() as unknown[]).map(cplx);
  const ext99 = Array.from({ length: 99 }, (_, k) => (k < 50 ? s50[k] : { re: s50[99 - k].re, im: -s50[99 - k].im }));
  const want99 = dft(ext99, 99, false, 1 / 99).map((c) => ({ re: c.re, im: 0 }));
  closeLines([(b99.tolist() as number[]).map(cplx)], [want99], "irfft to 99");
});

test("np.eye, np.ones and np.full of float32 and int32 are computed on the GPU", () => {
  // A fresh array's values are computed where they are first used: here, in a sum on the GPU.
  const gpuSum = (a: Arr): number => {
    const s = np.sum(a, { dtype: a.dtype.name });
    onGpu(s);
    return Number(s);
  };
  const e = np.eye(600, 500, { k: -3, dtype: "float32" });
  assert.equal(gpuSum(e), 500);
  assert.deepEqual(e.get("2:5, :2").tolist(), [
    [0, 0],
    [1, 0],
    [0, 1],
  ]);
  assert.equal(gpuSum(np.ones([270000], { dtype: "float32" })), 270000);
  assert.equal(gpuSum(np.full([600, 300], 2.5, { dtype: "float32" })), 450000);
  assert.equal(gpuSum(np.full([600, 300], -7, { dtype: "int32" })), -7 * 180000);
});

test("small arrays computed at once on the CPU (slab instances) feed GPU launches with their own values", () => {
  // With the default threshold, 16-element launches run at once on the CPU and their results
  // share slabs of host memory; the 1,600,000-element launches that read them run on the GPU.
  const rt = runtime();
  const before = rt.mapper;
  rt.setMapper(new DefaultMapper(undefined, undefined, 65536));
  try {
    const w = np.arange(16, { dtype: "float32" }).add(1);
    const v = w.mul(2);
    assert.equal(v._store.storage.buffer, w._store.storage.buffer, "both small results on one slab");
    assert.ok(v._store.storage.byteOffset > 0);
    const X = np.ones([100000, 16], { dtype: "float32" });
    const s = np.sum(X.mul(v), { axis: 0, dtype: "float32" });
    onGpu(s);
    assert.deepEqual(
      s.tolist(),
      Array.from({ length: 16 }, (_, j) => 200000 * (j + 1)),
    );
    // And back: a GPU result read by a small launch on the CPU.
    assert.deepEqual(s.get(":3").add(v.get(":3")).tolist(), [200002, 400004, 600006]);
  } finally {
    rt.setMapper(before);
  }
});

// ---- linalg ------------------------------------------------------------------------------

test("np.linalg.cholesky of float32 on the GPU (blocked: diagonal blocks, panels, trailing updates): LAPACK's factor", () => {
  const n = 100;
  const rng = np.random.default_rng(7);
  const G = rng.standard_normal([n, n]) as Arr;
  // Symmetric positive definite: G·Gᵀ/n + I.
  const A64 = np.add(np.matmul(G, G.T).div(n), np.eye(n));
  const A = A64.astype("float32");
  const want = np.linalg.cholesky(A64);
  for (const upper of [false, true]) {
    const L = np.linalg.cholesky(A, { upper });
    onGpu(L);
    assert.equal(L.dtype.name, "float32");
    const ref = upper ? want.T : want;
    const err = Number(np.max(np.abs(L.astype("float64").sub(ref))).item());
    assert.ok(err < 1e-5, `upper=${upper}: ${err} from LAPACK's float64 factor`);
    // Zeros in the other triangle.
    assert.equal(Number(np.abs(upper ? np.tril(L, -1) : np.triu(L, 1)).sum()), 0);
  }
  // A strided view: the transpose of a slice of a larger array.
  const big = np.zeros([n + 3, n + 5], { dtype: "float32" });
  big.set(`1:${n + 1}, 2:${n + 2}`, A.T);
  const Ls = np.linalg.cholesky(big.get(`1:${n + 1}, 2:${n + 2}`).T);
  onGpu(Ls);
  assert.ok(Number(np.max(np.abs(Ls.astype("float64").sub(want))).item()) < 1e-5);
  // Not positive definite from the 41st leading minor on: NumPy's LinAlgError.
  const bad = A.copy();
  bad.set([40, 40], -1);
  assert.throws(() => np.linalg.cholesky(bad), { name: "LinAlgError", message: "Matrix is not positive definite" });
});

test("np.linalg.solve and inv of float32 on the GPU (blocked LU with partial pivoting): LAPACK's answers", () => {
  const n = 100;
  const rng = np.random.default_rng(11);
  const G = (rng.standard_normal([n, n]) as Arr).div(Math.sqrt(n)).add(np.eye(n).mul(3));
  // Rows reversed: small diagonal entries, so the factorization must pivot.
  const A64 = G.get("::-1");
  const A = A64.astype("float32");
  const b = (rng.standard_normal([n]) as Arr).astype("float32");
  const B = (rng.standard_normal([n, 5]) as Arr).astype("float32");
  const close = (got: Arr, want: Arr, what: string) => {
    onGpu(got);
    assert.equal(got.dtype.name, "float32");
    const err = Number(np.max(np.abs(got.astype("float64").sub(want))).item());
    const scale = Number(np.max(np.abs(want)).item());
    assert.ok(err <= 1e-5 * scale, `${what}: ${err / scale} of the largest value apart`);
  };
  close(np.linalg.solve(A, b), np.linalg.solve(A64, b.astype("float64")), "one right-hand side");
  close(np.linalg.solve(A, B), np.linalg.solve(A64, B.astype("float64")), "five right-hand sides");
  close(np.linalg.inv(A), np.linalg.inv(A64), "inv");
  // Strided views: a transposed matrix and a column of another.
  close(np.linalg.solve(A.T, B.get(":, 2")), np.linalg.solve(A64.T, B.get(":, 2").astype("float64")), "strided");
  // A zero column: an exact zero pivot, NumPy's LinAlgError.
  const S = A.copy();
  S.set(":, 7", 0);
  assert.throws(() => np.linalg.solve(S, b), { name: "LinAlgError", message: "Singular matrix" });
  assert.throws(() => np.linalg.inv(S), { name: "LinAlgError", message: "Singular matrix" });
});

test("np.linalg.qr of float32 on the GPU (Householder reflections as LAPACK's larfg makes them): LAPACK's Q and R in every mode but raw", () => {
  const rng = np.random.default_rng(5);
  for (const [m, n] of [
    [70, 40],
    [40, 70],
    [33, 33],
  ]) {
    const A64 = rng.standard_normal([m, n]) as Arr;
    const A = A64.astype("float32");
    const close = (got: Arr, want: Arr, what: string) => {
      onGpu(got);
      assert.deepEqual(got.shape, want.shape, what);
      const err = Number(np.max(np.abs(got.astype("float64").sub(want))).item());
      assert.ok(err <= 2e-5 * Math.max(1, Number(np.max(np.abs(want)).item())), `${m}x${n} ${what}: ${err} from LAPACK's`);
    };
    for (const mode of ["reduced", "complete"] as const) {
      const [Q, R] = np.linalg.qr(A, mode) as Arr[];
      const [Q64, R64] = np.linalg.qr(A64, mode) as Arr[];
      close(Q, Q64, `${mode} Q`);
      close(R, R64, `${mode} R`);
    }
    close(np.linalg.qr(A, "r") as Arr, np.linalg.qr(A64, "r") as Arr, "r");
  }
  // A strided view, and a column that is zero below the diagonal (a reflector that is I).
  const T = (rng.standard_normal([30, 20]) as Arr).astype("float32");
  T.set("1:, 0", 0);
  const [Q, R] = np.linalg.qr(T.T.T.get("::1, ::1")) as Arr[];
  onGpu(R);
  const [Q64, R64] = np.linalg.qr(T.astype("float64")) as Arr[];
  assert.ok(Number(np.max(np.abs(Q.astype("float64").sub(Q64))).item()) < 2e-5);
  assert.ok(Number(np.max(np.abs(R.astype("float64").sub(R64))).item()) < 2e-5 * Number(np.max(np.abs(R64)).item()));
});
