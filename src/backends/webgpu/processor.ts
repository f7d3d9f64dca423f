import type { DTypeName, DeviceLaunch, DeviceProcessor, KernelQuery, ProcessorContext, Storage, Store } from "../../core/index.js";
import { gpuBlocker, gpuDispatch } from "./dispatch.js";
import { type AdapterInfo, GpuDevice } from "./gpu.js";
import { GpuMemory, gpuBytes } from "./memory.js";
import type { GpuCommand } from "./protocol.js";

/**
 * WebGPU as a device processor: map/reduce kernels compiled to WGSL and tasks' WebGPU
 * variants, run by the device thread (gpu.ts) on instances its memory manager keeps
 * (memory.ts). Batches are posted without waiting; `finish` waits for them.
 */
export class WebgpuProcessor implements DeviceProcessor {
  readonly kind = "webgpu" as const;
  readonly gpu: GpuDevice;
  readonly mem: GpuMemory;
  readonly info: AdapterInfo;
  readonly description: string;
  /** Last batch posted without waiting for it. */
  private inFlight = 0;

  constructor(
    ctx: ProcessorContext,
    readonly memory: number,
  ) {
    // Asking for a GPU that is not there is an error, never a silent CPU run.
    this.gpu = new GpuDevice();
    this.info = this.gpu.info;
    this.description = [this.info.vendor, this.info.architecture, this.info.description].filter(Boolean).join(" ");
    this.mem = new GpuMemory(this.gpu, memory, ctx.host, ctx.hostById);
  }

  get lost(): boolean {
    if (!this.gpu.lost) return false;
    this.mem.forgetLost();
    return true;
  }

  maxKernelArgs(kind: "map" | "reduce"): number {
    // One storage buffer per array plus the meta buffer (and a reduction's partials).
    return this.info.maxStorageBuffersPerShaderStage - (kind === "map" ? 1 : 2);
  }

  kernelBlocker(q: KernelQuery): string | null {
    return (
      gpuBlocker([...q.exprs], q.dtypes as DTypeName[], q.op === undefined ? 1 : 2, this.info.maxStorageBuffersPerShaderStage, q.op, q.readsOwn) ??
      this.sizeBlocker(q.stores)
    );
  }

  sizeBlocker(stores: readonly Store[]): string | null {
    const max = this.info.maxStorageBufferBindingSize;
    const big = stores.find((s) => gpuBytes(s.storage) > max);
    return big ? `a ${gpuBytes(big.storage)}-byte store exceeds the adapter's ${max}-byte binding limit` : null;
  }

  start(hostNeeded: readonly Storage[], launches: readonly DeviceLaunch[]): void {
    this.call(() => {
      if (hostNeeded.length) this.mem.toHost(hostNeeded);
      const inUse = new Set<number>();
      for (const l of launches) for (const a of l.accesses) inUse.add(a.store.storage.id);
      const cmds: GpuCommand[] = [];
      for (const l of launches) {
        for (const a of l.accesses) this.mem.toGpu(a.store, a.overwrite, cmds, inUse);
        cmds.push(gpuDispatch(l.task));
      }
      this.inFlight = this.gpu.post([...this.mem.takePending(), ...cmds]);
    });
  }

  finish(): void {
    if (!this.inFlight || this.lost) return;
    const seq = this.inFlight;
    this.inFlight = 0;
    this.call(() => this.gpu.wait(seq));
  }

  toHost(storages: readonly Storage[]): void {
    this.mem.toHost(storages);
  }

  release(id: number): void {
    this.mem.release(id);
  }

  /** Run a device step; if the device is lost meanwhile, forget its instances. */
  private call<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (this.gpu.lost) this.mem.forgetLost();
      throw e;
    }
  }
}
