/** `node:os` in the browser bundle: what the machine description needs. */
const nav = (globalThis as unknown as { navigator?: { hardwareConcurrency?: number; deviceMemory?: number } }).navigator;

export default {
  availableParallelism: (): number => Math.max(1, nav?.hardwareConcurrency ?? 1),
  /** navigator.deviceMemory (GiB, rounded, Chromium only) or a guess of 4 GiB. */
  totalmem: (): number => (nav?.deviceMemory ?? 4) * 2 ** 30,
  homedir: (): string => "/",
};
