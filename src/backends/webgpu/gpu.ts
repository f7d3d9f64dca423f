import type { Worker } from "node:worker_threads";
import { GpuError, log } from "../../core/index.js";
import { startThread } from "../thread_options.js";
import { DONE, FAILED_SEQ, type GpuCommand, STATE, TEXT_BYTES, TID } from "./protocol.js";
import { LIVENESS_SLICE_MS, readText, waitSlice, writeText } from "../handshake.js";
import { threadEnded } from "../liveness.js";

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  maxStorageBuffersPerShaderStage: number;
  shaderF16: boolean;
}

/**
 * The main thread's handle on the GPU device thread. `post` sends a batch and returns at
 * once; `wait` blocks (Atomics.wait) until that batch is done, then reports any failure.
 */
export class GpuDevice {
  private readonly control: Int32Array;
  private readonly text: SharedArrayBuffer;
  private readonly worker: Worker;
  private seq = 0;
  readonly info: AdapterInfo;

  constructor(timeoutMs = 60000) {
    const control = new SharedArrayBuffer(16);
    this.control = new Int32Array(control);
    this.text = new SharedArrayBuffer(TEXT_BYTES);
    this.worker = startThread(new URL("./device_worker.js", import.meta.url), { workerData: { control, text: this.text } });
    this.worker.unref();
    this.worker.on("error", (e) => {
      this.death = e.message;
    });
    this.worker.on("exit", () => {
      this.exited = true;
    });
    const t0 = Date.now();
    while (Atomics.load(this.control, STATE) === 0) {
      waitSlice(this.control, STATE, 0);
      this.checkAlive();
      if (Date.now() - t0 > timeoutMs) throw new GpuError("timed out waiting for a WebGPU adapter");
    }
    if (Atomics.load(this.control, STATE) !== 1) {
      const why = readText(this.text, 0);
      void this.worker.terminate();
      throw new GpuError(`a GPU was requested (TESSERA_GPUS) but WebGPU is unavailable: ${why}`);
    }
    this.info = JSON.parse(readText(this.text, 0)) as AdapterInfo;
    log("pool", () => `GPU device ready: ${this.info.description || this.info.vendor} (${this.info.architecture})`);
  }

  /** Send a batch; returns its sequence number for `wait`. */
  post(cmds: GpuCommand[]): number {
    const seq = ++this.seq;
    if (cmds.length === 0) {
      Atomics.store(this.control, DONE, seq);
      return seq;
    }
    this.worker.postMessage({ seq, cmds });
    return seq;
  }

  /** Block until batch `seq` has finished on the GPU. */
  wait(seq: number): void {
    for (;;) {
      const done = Atomics.load(this.control, DONE);
      if (done >= seq) break;
      this.checkAlive();
      if (Atomics.load(this.control, STATE) === 2) throw new GpuError(readText(this.text, 0));
      waitSlice(this.control, DONE, done);
    }
    const failed = Atomics.load(this.control, FAILED_SEQ);
    if (failed) {
      Atomics.store(this.control, FAILED_SEQ, 0);
      throw new GpuError(readText(this.text, 0));
    }
  }

  run(cmds: GpuCommand[]): void {
    this.wait(this.post(cmds));
  }

  private exited = false;
  private death: string | null = null;
  /**
   * A device thread that ended (V8 out of memory, terminated) says nothing: the device is
   * then lost, as far as anyone can tell.
   */
  private checkAlive(): void {
    if (Atomics.load(this.control, STATE) === 2) return;
    if (!this.exited && !threadEnded(Atomics.load(this.control, TID), this.worker)) return;
    writeText(this.text, 0, `the GPU device thread died (${this.death ?? "out of memory, or terminated"})`);
    Atomics.store(this.control, STATE, 2);
  }

  /** The device is gone (driver reset, destroyed): nothing more can run on it. */
  get lost(): boolean {
    // Asked for every launch: the thread is looked for at most once per slice.
    const t = Date.now();
    if (t - this.checked >= LIVENESS_SLICE_MS) {
      this.checked = t;
      this.checkAlive();
    }
    return Atomics.load(this.control, STATE) === 2;
  }
  private checked = 0;

  shutdown(): void {
    void this.worker.terminate();
  }
}
