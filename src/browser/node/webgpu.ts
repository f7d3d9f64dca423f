/**
 * The `webgpu` package (Dawn for Node) in the browser bundle: the browser's own
 * `navigator.gpu`, whose interface globals (GPUBufferUsage …) already exist.
 */
export function create(): GPU {
  const gpu = (globalThis as unknown as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) throw new Error("this browser has no WebGPU (navigator.gpu)");
  return gpu;
}
export const globals = {};
