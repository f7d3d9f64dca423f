import type { Storage } from "../core/index.js";
import type { Mpi } from "./mpi.js";
import type { Transfer } from "./shards.js";

const TAG = 7;

/**
 * Carry out this rank's part of a transfer plan: one message per (sender, receiver) pair,
 * holding every range of every storage that pair moves, in plan order. A message within one
 * storage is sent from, or received into, the storage's own memory (Mpi.postRanges); one
 * spanning storages is packed. All sends and receives are posted at once, then awaited
 * together.
 */
export function exchange(mpi: Mpi, plan: readonly Transfer[], bufferOf: (st: Storage) => SharedArrayBuffer): { sent: number; received: number } {
  const me = mpi.rank;
  const byPeer = new Map<string, Transfer[]>();
  for (const t of plan) {
    if (t.from !== me && t.to !== me) continue;
    const key = `${t.from}>${t.to}`;
    let list = byPeer.get(key);
    if (!list) {
      list = [];
      byPeer.set(key, list);
    }
    list.push(t);
  }
  const reqs = mpi.requests();
  const unpack: { ts: Transfer[]; buf: Uint8Array }[] = [];
  let sent = 0,
    received = 0;
  for (const ts of byPeer.values()) {
    const sending = ts[0].from === me,
      peer = sending ? ts[0].to : ts[0].from;
    const bytes = ts.reduce((n, t) => n + t.count * t.storage.dtype.itemsize, 0);
    if (sending) sent += bytes;
    else received += bytes;
    if (ts.every((t) => t.storage === ts[0].storage)) {
      // Ranges of one storage: sent from, or received into, its own memory.
      const w = ts[0].storage.dtype.itemsize;
      const ranges: number[] = [];
      for (const t of ts) for (let i = 0; i < t.set.length; i += 2) ranges.push(t.set[i] * w, (t.set[i + 1] - t.set[i]) * w);
      mpi.postRanges(reqs, new Uint8Array(bufferOf(ts[0].storage)), ranges, peer, TAG, sending);
      continue;
    }
    const buf = new Uint8Array(bytes);
    if (sending) {
      copyRanges(ts, buf, bufferOf, true);
      mpi.isend(reqs, buf, peer, TAG);
    } else {
      unpack.push({ ts, buf });
      mpi.irecv(reqs, buf, peer, TAG);
    }
  }
  mpi.waitAll(reqs);
  for (const { ts, buf } of unpack) copyRanges(ts, buf, bufferOf, false);
  return { sent, received };
}

/** Between a packed message and the storages' memory, range after range. */
function copyRanges(ts: readonly Transfer[], msg: Uint8Array, bufferOf: (st: Storage) => SharedArrayBuffer, pack: boolean): void {
  let at = 0;
  for (const t of ts) {
    const w = t.storage.dtype.itemsize;
    const mem = new Uint8Array(bufferOf(t.storage));
    for (let i = 0; i < t.set.length; i += 2) {
      const lo = t.set[i] * w,
        n = (t.set[i + 1] - t.set[i]) * w;
      if (pack) msg.set(mem.subarray(lo, lo + n), at);
      else mem.set(msg.subarray(at, at + n), lo);
      at += n;
    }
  }
}
