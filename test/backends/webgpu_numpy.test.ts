import { test } from "node:test";
import assert from "node:assert/strict";

/**
 * The NumPy library's WebGPU variants (arg-reductions, scans, sorting, batched matmul) on
 * whatever adapter is present (Mesa lavapipe in CI). Every launch WebGPU supports goes to the
 * GPU here, however small; each test checks that the result was written there (its GPU
 * instance is valid and its host copy is not, before it is read) and compares with NumPy's
 * values (hard-coded from NumPy, or NumPy's documented semantics computed in JS where the
 * arrays are large: first occurrence for arg*, sequential sums for cumsum, NaN last for sort).
 */
process.env.TESSERA_GPUS = "1";
process.env.TESSERA_GPU_MIN = "0";
const np = await import("tessera");
const { runtime } = await import("tessera/core");
type Arr = InstanceType<typeof np.ndarray>;

/** The array's values were computed on the GPU (and not yet copied back). */
function onGpu(a: Arr): void {
  runtime().flush();
  const st = a._store.storage;
  assert.ok(st.gpuValid && !st.hostValid, "the result was written on the GPU");
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
  const mx = np.argmax(a), mn = np.argmin(a);
  onGpu(mx); onGpu(mn);
  assert.equal(mx.dtype.name, "int64");
  assert.equal(Number(mx), 5000);
  assert.equal(Number(mn), 4096);
  // A fused value: argmax(-a) is argmin(a).
  assert.equal(Number(np.argmax(a.neg())), 4096);
});

test("argmax/argmin of float32: the first NaN wins; all -inf gives 0", () => {
  const x = planted();
  x[9000] = NaN; x[5000] = NaN;
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
  const m = np.arange(300 * 700).mul(104729).mod(2003).sub(1000).astype("int32").reshape(300, 700);
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
  const u = np.array(Array.from({ length: 100000 }, (_, i) => Number((BigInt(i) * 2654435761n) % 2n ** 32n)), { dtype: "uint32" });
  const mx = np.argmax(u);
  onGpu(mx);
  assert.equal(Number(mx), 50549);
  assert.equal(Number(np.argmin(u)), 0);
  const b = np.zeros([9000], { dtype: "bool" });
  b.set("7000", true); b.set("8000", true);
  const bm = np.argmax(b);
  onGpu(bm);
  assert.equal(Number(bm), 7000);
  assert.equal(Number(np.argmin(b.not())), 7000);
  assert.equal(Number(np.argmin(b)), 0);
});
