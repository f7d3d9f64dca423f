/**
 * Shared-memory layout between the main thread and CPU workers. The main thread blocks in
 * Atomics.wait on DONE, so results and failures travel through shared memory, not messages.
 */
export const DONE = 0;
/** Per-worker status word at STATUS + worker index. */
export const STATUS = 1;
export const OK = 0, FAILED = 1, DEAD = 2;
export const ERROR_BYTES = 16 * 1024;
/** Per-worker profile slots: [start, end] wall-clock ms per task of the current batch. */
export const PROFILE_SLOTS = 4096;

export interface WorkerInit {
  index: number;
  control: SharedArrayBuffer;
  errors: SharedArrayBuffer;
  profile: SharedArrayBuffer;
}

export interface Batch {
  buffers: [number, SharedArrayBuffer][];
  release: number[];
  libraries: [string, string][];
  tasks: import("./point_task.js").PointTask[];
}

export function writeError(errors: SharedArrayBuffer, index: number, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, ERROR_BYTES - 4);
  const view = new DataView(errors, index * ERROR_BYTES, ERROR_BYTES);
  view.setUint32(0, bytes.length, true);
  new Uint8Array(errors, index * ERROR_BYTES + 4, bytes.length).set(bytes);
}

export function readError(errors: SharedArrayBuffer, index: number): string {
  const n = new DataView(errors, index * ERROR_BYTES, 4).getUint32(0, true);
  return new TextDecoder().decode(new Uint8Array(errors, index * ERROR_BYTES + 4, n).slice());
}
