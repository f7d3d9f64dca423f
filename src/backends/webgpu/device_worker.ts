import { parentPort, workerData } from "node:worker_threads";
import { DONE, FAILED_SEQ, type GpuCommand, type GpuDispatch, type GpuInit, STATE, TID } from "./protocol.js";
import { signal, writeText } from "../handshake.js";
import { osThreadId } from "../liveness.js";

/**
 * The GPU device thread: owns the WebGPU adapter and device, GPU buffers (one per storage
 * id, mirroring the storage's element layout; bool as u32) and a pipeline cache.
 */
const init = workerData as GpuInit;
const control = new Int32Array(init.control);
// So that the main thread, blocked waiting, can see this thread end however it ends.
Atomics.store(control, TID, osThreadId());
const buffers = new Map<number, GPUBuffer>();
const pipelines = new Map<string, GPUComputePipeline>();
let device: GPUDevice;
// The GPU instance and adapter must stay reachable: if the instance is garbage collected,
// Dawn tears down under the live device and the process aborts.
let instance: GPU | null = null;
const reachable: { adapter: GPUAdapter | null } = { adapter: null };

async function start(): Promise<void> {
  try {
    const { create, globals } = await import("webgpu");
    Object.assign(globalThis, globals);
    instance = create([]);
    const adapter = await instance.requestAdapter({ powerPreference: "high-performance" });
    reachable.adapter = adapter;
    if (!adapter) throw new Error("no WebGPU adapter found (is a Vulkan driver such as Mesa lavapipe installed?)");
    const limits = adapter.limits;
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
      },
    });
    device.lost.then((info) => {
      writeText(init.text, 0, `GPU device lost: ${info.message || info.reason}`);
      signal(control, STATE, 2);
    });
    const info = adapter.info;
    writeText(
      init.text,
      0,
      JSON.stringify({
        vendor: info.vendor,
        architecture: info.architecture,
        device: info.device,
        description: info.description,
        maxBufferSize: limits.maxBufferSize,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
        shaderF16: adapter.features.has("shader-f16"),
      }),
    );
    signal(control, STATE, 1);
  } catch (e) {
    writeText(init.text, 0, (e as Error).message ?? String(e));
    signal(control, STATE, 2);
  }
}

/**
 * Pipelines use explicit layouts: "auto" would drop bindings a kernel happens not to read
 * (e.g. isnan of an int array), and the bind group would no longer match.
 */
function pipeline(key: string, source: string, present: boolean[], writable: number | number[]): GPUComputePipeline {
  let p = pipelines.get(key);
  if (!p) {
    const module = device.createShaderModule({ code: source });
    const count = present.length;
    const entries: GPUBindGroupLayoutEntry[] = Array.from({ length: count + 1 }, (_, i) => i)
      .filter((i) => i === count || present[i])
      .map((i) => {
        const rw = i < count && (Array.isArray(writable) ? writable.includes(i) : i < writable);
        return { binding: i, visibility: GPUShaderStage.COMPUTE, buffer: { type: rw ? ("storage" as const) : ("read-only-storage" as const) } };
      });
    const layout = device.createPipelineLayout({ bindGroupLayouts: [device.createBindGroupLayout({ entries })] });
    p = device.createComputePipeline({ layout, compute: { module, entryPoint: "main" } });
    pipelines.set(key, p);
  }
  return p;
}

function buffer(id: number): GPUBuffer {
  const b = buffers.get(id);
  if (!b) throw new Error(`GPU buffer for storage ${id} is missing`);
  return b;
}

function metaBuffer(meta: Uint32Array, temps: GPUBuffer[]): GPUBuffer {
  const b = device.createBuffer({ size: Math.max(16, meta.byteLength), usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
  new Uint32Array(b.getMappedRange()).set(meta);
  b.unmap();
  temps.push(b);
  return b;
}

function encodeDispatch(enc: GPUCommandEncoder, c: GpuDispatch, temps: GPUBuffer[]): void {
  const meta = metaBuffer(c.meta, temps);
  // -2: an accessor that reads another's binding (no binding of its own); -1: scratch.
  const bufs = c.ids.map((id) => (id < 0 ? null : buffer(id)));
  const scratch = new Set<number>();
  for (const s of c.scratch ?? []) {
    const b = device.createBuffer({ size: Math.max(16, Math.ceil(s.bytes / 4) * 4), usage: GPUBufferUsage.STORAGE });
    temps.push(b);
    bufs[s.index] = b;
    scratch.add(s.index);
  }
  const run = (key: string, source: string, groups: [number, number, number], count: number, m: GPUBuffer) => {
    const present = c.ids.slice(0, count).map((id, i) => id !== -2 || scratch.has(i));
    const p = pipeline(key, source, present, c.writable);
    const entries: GPUBindGroupEntry[] = bufs.slice(0, count).flatMap((b, i) => (present[i] ? [{ binding: i, resource: { buffer: b! } }] : []));
    entries.push({ binding: count, resource: { buffer: m } });
    const pass = enc.beginComputePass();
    pass.setPipeline(p);
    pass.setBindGroup(0, device.createBindGroup({ layout: p.getBindGroupLayout(0), entries }));
    pass.dispatchWorkgroups(...groups);
    pass.end();
  };
  run(c.key, c.source, c.groups, bufs.length, meta);
  for (const t of c.then ?? []) run(t.key, t.source, t.groups, t.count ?? bufs.length, t.meta ? metaBuffer(t.meta, temps) : meta);
}

/**
 * Encode and submit one batch; resolves once it is submitted, with a promise of its
 * completion. The next batch can then be encoded while the GPU still runs this one.
 */
async function runBatch(seq: number, cmds: GpuCommand[]): Promise<{ done: Promise<void> }> {
  device.pushErrorScope("validation");
  device.pushErrorScope("out-of-memory");
  const temps: GPUBuffer[] = [];
  let enc = device.createCommandEncoder();
  const flushEncoder = () => {
    device.queue.submit([enc.finish()]);
    enc = device.createCommandEncoder();
  };
  for (const c of cmds) {
    switch (c.op) {
      case "alloc":
        buffers.set(
          c.id,
          device.createBuffer({
            size: Math.max(16, Math.ceil(c.bytes / 4) * 4),
            usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
          }),
        );
        break;
      case "free":
        buffers.get(c.id)?.destroy();
        buffers.delete(c.id);
        break;
      case "upload": {
        flushEncoder();
        const src = new Uint8Array(c.sab, c.start * c.itemsize, c.count * c.itemsize);
        const data = c.bool ? Uint32Array.from(src) : src;
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        const padded =
          bytes.byteLength % 4
            ? (() => {
                const p = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
                p.set(bytes);
                return p;
              })()
            : bytes.slice();
        device.queue.writeBuffer(buffer(c.id), c.start * (c.bool ? 4 : c.itemsize), padded);
        break;
      }
      case "download": {
        const width = c.bool ? 4 : c.itemsize;
        const bytes = Math.ceil((c.count * width) / 4) * 4;
        const staging = device.createBuffer({ size: Math.max(16, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        enc.copyBufferToBuffer(buffer(c.id), c.start * width, staging, 0, bytes);
        flushEncoder();
        await staging.mapAsync(GPUMapMode.READ);
        const got = new Uint8Array(staging.getMappedRange(0, bytes));
        const dst = new Uint8Array(c.sab, c.start * c.itemsize, c.count * c.itemsize);
        if (c.bool) dst.set(new Uint32Array(got.buffer, got.byteOffset, c.count));
        else dst.set(got.subarray(0, c.count * c.itemsize));
        staging.unmap();
        staging.destroy();
        break;
      }
      case "dispatch":
        encodeDispatch(enc, c, temps);
        break;
      case "lose":
        device.destroy();
        await new Promise((r) => setTimeout(r, 10));
        throw new Error("GPU device lost: destroyed");
    }
  }
  device.queue.submit([enc.finish()]);
  // Pop this batch's error scopes now (scopes nest), but wait for them with the work.
  const oomScope = device.popErrorScope();
  const invalidScope = device.popErrorScope();
  void seq;
  // Wrapped in an object: an async function returning a bare promise would wait for it.
  return {
    done: (async () => {
      await device.queue.onSubmittedWorkDone();
      for (const t of temps) t.destroy();
      const oom = await oomScope;
      const invalid = await invalidScope;
      const err = invalid ?? oom;
      if (err) throw new Error(`${oom ? "GPU out of memory" : "GPU validation error"}: ${err.message}`);
    })(),
  };
}

const ready = start();
let chain = Promise.resolve();
parentPort!.on("message", (msg: { seq: number; cmds: GpuCommand[] }) => {
  const fail = (e: unknown) => {
    writeText(init.text, 0, (e as Error).message ?? String(e));
    Atomics.store(control, FAILED_SEQ, msg.seq);
  };
  chain = chain.then(async () => {
    await ready;
    let completion: Promise<void>;
    try {
      completion = (await runBatch(msg.seq, msg.cmds)).done;
    } catch (e) {
      fail(e);
      signal(control, DONE, msg.seq);
      return;
    }
    // Completions arrive in queue order, so DONE only ever moves forward.
    completion.then(
      () => signal(control, DONE, msg.seq),
      (e) => {
        fail(e);
        signal(control, DONE, msg.seq);
      },
    );
  });
});
