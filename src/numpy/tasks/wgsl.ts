import type { DTypeName, GpuArg } from "../../core/task_api.js";

/**
 * Shared pieces of the NumPy library's hand-written WGSL kernels (scans, sorting): types,
 * 64-bit integer arithmetic on vec2<u32>, and row addressing through a meta buffer.
 */

/** Why a dtype stays on the CPU (float16: WGSL does not fix how f32 rounds to f16). */
export function unsupported(d: DTypeName): string {
  return d === "float16" ? "float16 is not supported on webgpu (WGSL leaves f16 rounding unspecified)" : `${d} is not supported on webgpu`;
}

/** Workgroup size of the library's kernels. */
export const WG = 256;

/** WGSL element type of each GPU dtype (bool is held as u32 0/1 on the GPU). */
export const WTYPE: Partial<Record<DTypeName, string>> = { float32: "f32", int32: "i32", uint32: "u32", bool: "u32" };

/** int64/uint64 as vec2<u32> (low, high), modulo 2^64 as NumPy's integers wrap. */
export const INT64_WGSL = `
fn add64(a: vec2u, b: vec2u) -> vec2u {
  let lo = a.x + b.x;
  return vec2u(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}
// The full 64-bit product of two u32, from 16-bit halves.
fn mul32(a: u32, b: u32) -> vec2u {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2u((p00 & 0xffffu) | (mid << 16u), p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}
fn mul64(a: vec2u, b: vec2u) -> vec2u {
  let p = mul32(a.x, b.x);
  return vec2u(p.x, p.y + a.x * b.y + a.y * b.x);
}
`;

/** Workgroups for one invocation per item, WG per group, spread over x and y. */
export function groupsFor(items: number): [number, number, number] {
  const g = Math.max(1, Math.ceil(items / WG));
  return [Math.min(g, 65535), Math.ceil(g / 65535), 1];
}

/** Entry of a kernel with one invocation per item (groups from groupsFor): items from `bound` on return. */
export function flatMain(item: string, bound: string): string {
  return `@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let ${item} = gid.x + gid.y * nwg.x * ${WG}u;
  if (${item} >= ${bound}) { return; }`;
}

/**
 * Meta for kernels over the rows of two views `x` and `out` of one shape along `axis`:
 * M[0..2] = `head`, M[3], M[4] = x's offset and stride along the axis, M[5], M[6] = out's,
 * then per other dim (in order) its extent, x's stride and out's stride.
 */
export function rowsMeta(head: [number, number, number], x: GpuArg, out: GpuArg, axis: number): Uint32Array {
  const m = [...head, x.offset, x.strides[axis] ?? 0, out.offset, out.strides[axis] ?? 0];
  out.shape.forEach((e, d) => {
    if (d !== axis) m.push(e, x.strides[d], out.strides[d]);
  });
  return new Uint32Array(Int32Array.from(m).buffer);
}

/** `fn rowBase(row) -> vec2i`: x's and out's offsets of row `row` (meta of rowsMeta, `m` other dims from M[at]). */
export function rowBaseWGSL(m: number, at: number): string {
  const lines: string[] = [];
  for (let k = m - 1; k >= 0; k--) {
    const e = at + 3 * k;
    lines.push(
      `{ let i = i32(rem % M[${e}]); rem = rem / M[${e}]; bx = bx + i * bitcast<i32>(M[${e + 1}]); bo = bo + i * bitcast<i32>(M[${e + 2}]); }`,
    );
  }
  return `fn rowBase(row: u32) -> vec2i {
  var rem = row;
  var bx = bitcast<i32>(M[3]);
  var bo = bitcast<i32>(M[5]);
  ${lines.join("\n  ")}
  return vec2i(bx, bo);
}`;
}
