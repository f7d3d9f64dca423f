/**
 * The shared-memory handshake between the main thread and the threads it drives (CPU
 * workers, the GPU device thread): a control array of Int32 words that the thread sets and
 * notifies, the main thread waiting on it in slices so that a thread that died (and so will
 * never notify) is noticed, and text (errors, adapter info) passed as length-prefixed UTF-8.
 */

/** How long a blocked main thread waits before looking whether the thread it waits for still lives. */
export const LIVENESS_SLICE_MS = 100;

/** Set `control[index]` to `value` and wake the thread waiting on it. */
export function signal(control: Int32Array, index: number, value: number): void {
  Atomics.store(control, index, value);
  Atomics.notify(control, index);
}

/** Wait while `control[index]` is `seen`, for one slice at most; true when the slice passed with no change. */
export function waitSlice(control: Int32Array, index: number, seen: number): boolean {
  return Atomics.wait(control, index, seen, LIVENESS_SLICE_MS) === "timed-out";
}

/** Write `text` into slot `index` (of `size` bytes: a length, then UTF-8, cut to fit) of `area`. */
export function writeText(area: SharedArrayBuffer, index: number, text: string, size = area.byteLength): void {
  const bytes = new TextEncoder().encode(text).subarray(0, size - 4);
  new DataView(area, index * size, 4).setUint32(0, bytes.length, true);
  new Uint8Array(area, index * size + 4, bytes.length).set(bytes);
}

export function readText(area: SharedArrayBuffer, index: number, size = area.byteLength): string {
  const n = new DataView(area, index * size, 4).getUint32(0, true);
  return new TextDecoder().decode(new Uint8Array(area, index * size + 4, n).slice());
}
