/**
 * Main thread ↔ GPU device thread. The device thread owns the WebGPU device (Node's WebGPU
 * has no synchronous read-back); the main thread posts command batches and blocks in
 * Atomics.wait on DONE, so completion and failures come back through shared memory.
 */
export const STATE = 0; // 0 starting, 1 ready, 2 failed
export const DONE = 1; // last finished batch sequence number
export const FAILED_SEQ = 2; // sequence number of a failed batch, 0 if none
export const TID = 3; // the device thread's OS thread id (see liveness.ts)
export const TEXT_BYTES = 64 * 1024;

export type GpuCommand =
  | { op: "alloc"; id: number; bytes: number }
  | { op: "free"; id: number }
  /** Host → GPU: `count` elements from `sab` at element `start`; bool widens u8 → u32. */
  | { op: "upload"; id: number; sab: SharedArrayBuffer; start: number; count: number; itemsize: number; bool: boolean }
  /** GPU → host, the inverse of upload. */
  | { op: "download"; id: number; sab: SharedArrayBuffer; start: number; count: number; itemsize: number; bool: boolean }
  | GpuControl
  | GpuDispatch;

/**
 * One kernel launch, possibly of several passes. `ids` are the storages bound in order (-2:
 * an accessor that reads another's binding, -1: a scratch buffer); the meta buffer comes
 * after them. Scratch buffers are zero-filled and live for the launch only. Each pass in
 * `then` runs after the previous one with the first `count` bindings (default all) and its
 * own meta when it has one.
 */
export interface GpuDispatch {
  op: "dispatch";
  key: string;
  source: string;
  ids: number[];
  writable: number | number[];
  meta: Uint32Array;
  groups: [number, number, number];
  scratch?: { index: number; bytes: number }[];
  then?: GpuPass[];
}
export interface GpuPass {
  key: string;
  source: string;
  groups: [number, number, number];
  count?: number;
  meta?: Uint32Array;
}

export type GpuControl =
  /** Destroy the device, as a driver reset would: for testing recovery from device loss. */
  { op: "lose" };

export interface GpuInit {
  control: SharedArrayBuffer;
  text: SharedArrayBuffer;
}
