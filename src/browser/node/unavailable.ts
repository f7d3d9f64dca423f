/**
 * `node:fs`, `node:fs/promises`, `node:child_process`, `node:crypto`, `node:module`, `node:v8`, `node:vm` and
 * `node:zlib` in the browser bundle: every function throws, and the callers already treat that
 * as "not here": no C compiler or koffi (JS kernels), no OpenBLAS (JS gemm), no MPI, no
 * synchronous garbage collection (arrays are reclaimed between jobs), no profile file, no
 * np.save/np.load (files).
 */
function unavailable(): never {
  throw new Error("not available in a browser");
}

export const execFileSync = unavailable,
  spawnSync = unavailable;
export const createHash = unavailable;
export const existsSync = unavailable,
  mkdirSync = unavailable,
  renameSync = unavailable;
export const readFileSync = unavailable,
  writeFileSync = unavailable,
  readlinkSync = unavailable;
export const openSync = unavailable,
  closeSync = unavailable,
  lstatSync = unavailable,
  readdirSync = unavailable;
export const mkdtempSync = unavailable,
  realpathSync = unavailable,
  rmSync = unavailable,
  unlinkSync = unavailable;
export const utimesSync = unavailable,
  chmodSync = unavailable,
  readSync = unavailable,
  writeSync = unavailable;
export const fstatSync = unavailable,
  statSync = unavailable,
  fchmodSync = unavailable,
  open = unavailable;
export const constants: Record<string, number> = {};
export const crc32 = unavailable,
  deflateRawSync = unavailable,
  inflateRawSync = unavailable,
  gzipSync = unavailable,
  gunzipSync = unavailable;
export const createRequire = (): (() => never) => unavailable;
export default new Proxy({}, { get: () => unavailable });
