import { test } from "node:test";
import assert from "node:assert/strict";
import { GpuError, Runtime, detectMachine, ir, type Store } from "tessera/core";
import { WebgpuProcessor } from "../../src/backends/webgpu/processor.js";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The WebGPU backend on whatever adapter is present (Mesa lavapipe in CI): placement,
 * coherence between host and GPU instances, eviction, and failures. A missing adapter is a
 * failure here, not a skip.
 */
const rt = new Runtime({ ...detectMachine(), gpus: 1 });
const gpu = () => rt.device as WebgpuProcessor;
// Launch by launch, so each test sees exactly which instances each step touches.
rt.fusion = false;
const f32 = "float32" as const;
const N = 1 << 17;

function fill(n: number, f: (i: number) => number): Store {
  return rt.attach(
    [n],
    f32,
    Float32Array.from({ length: n }, (_, i) => f(i)),
  );
}
function map(out: Store, inputs: Store[], expr: ir.Expr): void {
  rt.submit({ kind: "map", name: "t", inputs, outputs: [{ store: out, expr }], scalars: [] });
}
const L = (i: number) => ir.load(i, f32);

test("an adapter is available and reported", () => {
  assert.ok(rt.device instanceof WebgpuProcessor, "TESSERA_GPUS-style runtime has a GPU");
  assert.ok(gpu().info.maxStorageBuffersPerShaderStage >= 8);
});

test("elementwise and reductions on the GPU equal the CPU results", () => {
  const a = fill(N, (i) => (i % 97) / 7),
    b = fill(N, (i) => (i % 13) - 6);
  const c = rt.createStore([N], f32);
  map(c, [a, b], ir.binary("add", ir.binary("mul", L(0), L(1)), ir.unary("sqrt", L(0))));
  const s = rt.createStore([], f32);
  rt.submit({ kind: "reduce", name: "max", op: "max", inputs: [c], value: L(0), axes: [0], output: s, scalars: [] });
  const got = rt.read(c) as Float32Array;
  assert.equal(c.storage.residency.allocatedIn(gpu().memory), true, "computed on the GPU");
  let mx = -Infinity;
  for (let i = 0; i < N; i++) {
    const want = Math.fround(Math.fround(((i % 97) / 7) * ((i % 13) - 6)) + Math.fround(Math.sqrt(Math.fround((i % 97) / 7))));
    assert.ok(Math.abs(got[i] - want) <= 1e-5 * Math.max(1, Math.abs(want)), `element ${i}: ${got[i]} vs ${want}`);
    mx = Math.max(mx, got[i]);
  }
  assert.equal((rt.read(s) as Float32Array)[0], mx);
});

test("values stay on the GPU between launches and come back only when read", () => {
  const a = fill(N, (i) => i);
  const b = rt.createStore([N], f32),
    c = rt.createStore([N], f32);
  map(b, [a], ir.binary("mul", L(0), ir.constant(2, f32)));
  rt.flush();
  assert.equal(b.storage.hostValid, false, "b lives on the GPU only");
  map(c, [b], ir.binary("add", L(0), ir.constant(1, f32)));
  rt.flush();
  assert.equal(b.storage.hostValid, false, "reading b on the GPU did not copy it back");
  assert.equal((rt.read(c) as Float32Array)[10], 21);
  assert.equal(c.storage.hostValid, true);
});

test("a CPU write invalidates the GPU copy, and the GPU sees the new values", () => {
  const a = fill(N, () => 1);
  const b = rt.createStore([N], f32);
  map(b, [a], ir.binary("mul", L(0), ir.constant(3, f32)));
  rt.flush();
  // A small launch runs on the CPU: it must read b's GPU values and invalidate them.
  map(b.slice(0, 0, 4), [b.slice(0, 0, 4)], ir.binary("add", L(0), ir.constant(1, f32)));
  const c = rt.createStore([N], f32);
  map(c, [b], ir.binary("mul", L(0), ir.constant(10, f32)));
  const d = rt.read(c) as Float32Array;
  assert.deepEqual([d[0], d[3], d[4], d[N - 1]], [40, 40, 30, 30]);
});

test("over the memory budget, least recently used instances are evicted without losing data", () => {
  const saved = gpu().mem.budget;
  gpu().mem.budget = 3 * N * 4;
  try {
    const outs: Store[] = [];
    for (let k = 0; k < 6; k++) {
      const a = fill(N, (i) => i + k);
      const o = rt.createStore([N], f32);
      map(o, [a], ir.binary("add", L(0), ir.constant(0.5, f32)));
      rt.flush();
      outs.push(o);
    }
    outs.forEach((o, k) => assert.equal((rt.read(o) as Float32Array)[7], 7 + k + 0.5));
  } finally {
    gpu().mem.budget = saved;
  }
});

test("a shader that fails to compile is a clear error, and the runtime goes on", () => {
  const a = fill(N, (i) => i);
  assert.throws(
    () =>
      gpu().gpu.run([
        { op: "dispatch", key: "broken", source: "this is not WGSL", ids: [], writable: 0, meta: new Uint32Array(4), groups: [1, 1, 1] },
      ]),
    (e: Error) => e instanceof GpuError && /WGSL|validation/i.test(e.message),
  );
  const b = rt.createStore([N], f32);
  map(b, [a], ir.binary("add", L(0), ir.constant(1, f32)));
  assert.equal((rt.read(b) as Float32Array)[5], 6);
});

test("GPU out of memory is a clear error, and the data stays readable", () => {
  const a = fill(N, (i) => i);
  const b = rt.createStore([N], f32);
  map(b, [a], ir.binary("mul", L(0), ir.constant(2, f32)));
  rt.flush();
  const huge = Math.min(gpu().info.maxBufferSize * 4, 2 ** 52);
  assert.throws(() => gpu().gpu.run([{ op: "alloc", id: -42, bytes: huge }]), GpuError);
  assert.equal((rt.read(b) as Float32Array)[9], 18);
});

test("device loss: host copies stay readable, GPU-only values are reported, work moves to the CPU", () => {
  const a = fill(N, (i) => i);
  const onHost = rt.createStore([N], f32),
    onGpu = rt.createStore([N], f32);
  map(onHost, [a], ir.binary("add", L(0), ir.constant(1, f32)));
  map(onGpu, [a], ir.binary("add", L(0), ir.constant(2, f32)));
  assert.equal((rt.read(onHost) as Float32Array)[3], 4); // brought to the host
  assert.equal(onGpu.storage.hostValid, false);
  assert.throws(() => gpu().gpu.run([{ op: "lose" }]), GpuError);
  assert.ok(gpu().lost);
  assert.equal((rt.read(onHost) as Float32Array)[3], 4);
  assert.throws(
    () => rt.read(onGpu),
    (e: Error) => e instanceof GpuError && /only on the GPU/.test(e.message),
  );
  const c = rt.createStore([N], f32);
  map(c, [onHost], ir.binary("mul", L(0), ir.constant(2, f32)));
  assert.equal((rt.read(c) as Float32Array)[3], 8);
  assert.equal(c.storage.residency.allocatedIn(gpu().memory), false, "ran on the CPU");
});

test("a device thread that dies without a word (terminated) is found at the next wait: the device is lost, nothing hangs", () => {
  // In a process of its own, with a timeout: a regression hangs there, not here.
  const child = fileURLToPath(new URL("../core/worker_death_child.js", import.meta.url));
  const r = spawnSync(process.execPath, [child, "gpu"], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.signal, null, `hung (killed by ${r.signal})\n${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.equal(got.error?.name, "GpuError", JSON.stringify(got));
  assert.match(got.error.message, /GPU device thread died/);
  assert.ok(got.detectMs < 1000, `found after ${got.detectMs} ms`);
  assert.ok(got.onGpuThere && got.lost && got.hostOk && got.cpuOk, JSON.stringify(got));
  assert.match(got.gpuOnly, /only on the GPU/);
});

test("a CPU launch and a GPU launch writing disjoint halves of one storage in one wave both land", () => {
  const half = N / 2;
  const out = rt.createStore([N], f32);
  // int8 input: the cast runs on the CPU; the float32 half runs on the GPU.
  const i8 = rt.attach(
    [half],
    "int8",
    Int8Array.from({ length: half }, (_, i) => (i % 100) - 50),
  );
  const g = fill(half, (i) => i + 0.5);
  map(out.slice(0, 0, half), [i8], ir.cast(ir.load(0, "int8"), f32));
  map(out.slice(0, half, N), [g], ir.binary("mul", L(0), ir.constant(2, f32)));
  const got = rt.read(out) as Float32Array;
  for (const i of [0, 1, 99, half - 1]) assert.equal(got[i], (i % 100) - 50, `CPU half [${i}]`);
  for (const i of [0, 1, half - 1]) assert.equal(got[half + i], (i + 0.5) * 2, `GPU half [${i}]`);
});
