import type { GpuArg, GpuDispatchSpec, WebgpuVariant } from "../../../core/task_api.js";
import { flatMain, groupsFor, rowBaseWGSL, rowsMeta } from "../wgsl.js";
import type { FftKind } from "./cpu.js";

/**
 * WebGPU variant of the `fft` task (tasks/fft/cpu.ts) for float32 data: every line along
 * `axis` transformed by radix-2 Stockham passes, one dispatch per pass over all lines at
 * once, ping-ponging between two scratch buffers (Stockham's autosort: no bit reversal, each
 * pass reads and writes whole lines in order, as a GPU's memory wants). The first pass reads
 * the input where it lies (cut or zero-padded to the transform's length, real input as
 * complex, an irfft's half spectrum extended by its conjugate symmetry); the last writes the
 * output where it lies, scaled by the norm's factor (an rfft keeps n//2+1 values, an irfft
 * the real parts). Twiddles are computed in float64 on the host and passed rounded to
 * float32, as WGSL's sin/cos are only accurate to about 2^-11; so are a four-step
 * transform's (its first pass multiplies each output by its own twiddle, four_step.ts).
 * Power-of-two lengths only.
 */

/** Longest line on the GPU: its twiddles travel in the meta buffer. */
const MAX_N = 1 << 22;

/** Bytes of each scratch buffer at most: WebGPU's default maxStorageBufferBindingSize. */
const MAX_SCRATCH = 2 ** 27;

const isPow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** The task's arguments and scalars, as the CPU variant reads them. */
function parts(args: readonly GpuArg[], scalars: readonly unknown[]) {
  const [x, out] = args.length === 1 ? [args[0], args[0]] : args;
  const [kind, forward, n, axis, fct, N] = scalars as [FftKind, boolean, number, number, number, number];
  return { x, out, kind, forward, n, axis, fct, N, inPlace: args.length === 1 };
}

/** WGSL declarations: x, out (one binding when in place), two scratch lines buffers, meta. */
function bindings(kind: FftKind, inPlace: boolean, xComplex: boolean): string {
  const xt = xComplex ? "vec2f" : "f32";
  const ot = kind === "c2r" ? "f32" : "vec2f";
  const b = inPlace
    ? [`@group(0) @binding(0) var<storage, read_write> X: array<${xt}>;`]
    : [`@group(0) @binding(0) var<storage, read> X: array<${xt}>;`, `@group(0) @binding(1) var<storage, read_write> O: array<${ot}>;`];
  const s = b.length;
  b.push(
    `@group(0) @binding(${s}) var<storage, read_write> S0: array<vec2f>;`,
    `@group(0) @binding(${s + 1}) var<storage, read_write> S1: array<vec2f>;`,
    `@group(0) @binding(${s + 2}) var<storage, read> M: array<u32>;`,
  );
  return b.join("\n");
}

/** Where a pass reads its line from and writes it to. */
type End = "x" | "s0" | "s1" | "o";

/**
 * One pass's kernel: `ns` is the length of the sub-transforms already combined (0: the copy
 * pass of a 1-point transform). Meta (rowsMeta): M[0] = n, M[1] = input values read, M[2] =
 * output values written, x's and out's offsets and strides, the other dims, then the norm's
 * factor and the n/2 twiddles at `tw`.
 */
function passSource(kind: FftKind, inPlace: boolean, xComplex: boolean, other: number, ns: number, from: End, to: End, fourStep: boolean): string {
  const lines = 7 + 3 * other,
    tw = lines + 2;
  const outName = inPlace ? "X" : "O";
  const xAt = "bx + i32(j) * bitcast<i32>(M[4])";
  const xVal = xComplex ? `X[${xAt}]` : `vec2f(X[${xAt}], 0.0)`;
  // The input's value j of the line whose x offset is bx (zero beyond what is read).
  const loadX =
    kind === "c2r"
      ? `fn loadX(bx: i32, j0: u32) -> vec2f {
  let n = M[0]; let count = M[1];
  if (j0 < count) { let j = j0; return ${xVal}; }
  if (j0 > n / 2u && n - j0 < count) { let j = n - j0; let v = ${xVal}; return vec2f(v.x, -v.y); }
  return vec2f(0.0, 0.0);
}`
      : `fn loadX(bx: i32, j: u32) -> vec2f {
  if (j < M[1]) { return ${xVal}; }
  return vec2f(0.0, 0.0);
}`;
  const oAt = "bo + i32(k) * bitcast<i32>(M[6])";
  // A four-step transform's first pass: output k of the line at g along the last other dim
  // times w^(g·k mod N), w = exp(∓2πi/N), as the product of two table entries (four_step.ts).
  const twiddle = fourStep
    ? `let T = ${tw} + M[0];
    let N = M[T]; let L = M[T + 1u];
    let e = (line % M[${lines - 3}]) * k % N;
    let lo = T + 2u + 2u * (e % L); let hi = T + 2u + 2u * (L + e / L);
    let a = vec2f(bitcast<f32>(M[hi]), bitcast<f32>(M[hi + 1u])); let b = vec2f(bitcast<f32>(M[lo]), bitcast<f32>(M[lo + 1u]));
    let w = vec2f(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
    let r = vec2f(v.x * w.x - v.y * w.y, v.x * w.y + v.y * w.x);`
    : "let r = v;";
  const storeO = `fn storeO(bo: i32, line: u32, k: u32, v: vec2f) {
  if (k < M[2]) {
    ${twiddle}
    ${outName}[${oAt}] = ${kind === "c2r" ? "r.x" : "r"} * bitcast<f32>(M[${tw - 1}]);
  }
}`;
  const load = (j: string) => (from === "x" ? `loadX(base.x, ${j})` : `${from.toUpperCase()}[line * n + ${j}]`);
  const store = (k: string, v: string) => (to === "o" ? `storeO(base.y, line, ${k}, ${v});` : `${to.toUpperCase()}[line * n + ${k}] = ${v};`);
  const body =
    ns === 0
      ? `let line = t;
  let base = rowBase(line);
  ${store("0u", load("0u"))}`
      : `let half = n / 2u;
  let line = t / half; let j = t % half;
  let base = rowBase(line);
  let k = j % ${ns}u;
  let v0 = ${load("j")};
  let v1 = ${load("j + half")};
  let w = vec2f(bitcast<f32>(M[${tw} + 2u * k * (n / ${2 * ns}u)]), bitcast<f32>(M[${tw} + 2u * k * (n / ${2 * ns}u) + 1u]));
  let p = vec2f(v1.x * w.x - v1.y * w.y, v1.x * w.y + v1.y * w.x);
  let d = (j / ${ns}u) * ${2 * ns}u + k;
  ${store("d", "v0 + p")}
  ${store(`d + ${ns}u`, "v0 - p")}`;
  return `${bindings(kind, inPlace, xComplex)}
${rowBaseWGSL(other, 7)}
${loadX}
${storeO}
${flatMain("t", `M[${lines}] * max(1u, M[0] / 2u)`)}
  let n = M[0];
  ${body}
}
`;
}

/** The dtypes each kind reads and writes on the GPU. */
const DTYPES: Record<FftKind, { x: readonly string[]; out: string }> = {
  c2c: { x: ["float32", "complex64"], out: "complex64" },
  r2c: { x: ["float32"], out: "complex64" },
  c2r: { x: ["complex64"], out: "float32" },
};

export const fftWebgpu: WebgpuVariant = {
  blocker(args, scalars) {
    const { x, out, kind, n, N, axis } = parts(args, scalars);
    const d = DTYPES[kind];
    if (!d.x.includes(x.dtype) || out.dtype !== d.out) return "fft runs on webgpu for float32 and complex64 only";
    if (args.length === 2 && x.storage === out.storage) return "the input and output of an fft share a buffer";
    const lines = out.shape.reduce((p, e, d) => (d === axis ? p : p * e), 1);
    if (lines * n * 8 > MAX_SCRATCH) return `scratch lines of ${lines * n * 8} bytes exceed WebGPU's default binding limit`;
    if (N > 2 ** 31) return `a four-step transform of ${N} points`;
    if (!isPow2(n) || n > MAX_N) return `a transform of ${n} points (webgpu: powers of two up to ${MAX_N})`;
    return null;
  },
  dispatch(args, scalars): GpuDispatchSpec {
    const { x, out, kind, forward, n, axis, fct, N, inPlace } = parts(args, scalars);
    const need = kind === "c2r" ? Math.floor(n / 2) + 1 : n;
    const count = Math.min(x.shape[axis], need);
    const other = out.shape.length - 1;
    const lines = out.shape.reduce((p, e, d) => (d === axis ? p : p * e), 1);
    const head = rowsMeta([n, count, out.shape[axis]], x, out, axis);
    // Then the line count (the kernels' bound), the norm's factor, w^k = exp(∓2πi·k/n) for
    // k < n/2 and, for a four-step pass, N, L and the two tables of its twiddles.
    const L = N > 0 ? Math.ceil(Math.sqrt(N)) : 0;
    const H = N > 0 ? Math.ceil(N / L) : 0;
    const tw = head.length + 2;
    const meta = new Uint32Array(tw + n + (N > 0 ? 2 + 2 * (L + H) : 0));
    meta.set(head);
    meta[head.length] = lines;
    const f = new Float32Array(meta.buffer);
    f[tw - 1] = fct;
    const sign = forward ? -1 : 1;
    const root = (at: number, e: number, m: number) => {
      const a = (2 * Math.PI * e) / m;
      f[at] = Math.cos(a);
      f[at + 1] = sign * Math.sin(a);
    };
    for (let k = 0; k < n / 2; k++) root(tw + 2 * k, k, n);
    if (N > 0) {
      const T = tw + n;
      meta[T] = N;
      meta[T + 1] = L;
      for (let e = 0; e < L; e++) root(T + 2 + 2 * e, e, N);
      for (let e = 0; e < H; e++) root(T + 2 + 2 * (L + e), e * L, N);
    }
    const xComplex = x.dtype === "complex64";
    const passes: { key: string; source: string; groups: [number, number, number] }[] = [];
    const tag = `fft/${kind}/${inPlace ? "inplace" : "apart"}/${x.dtype}/${other}${N > 0 ? "/twiddled" : ""}`;
    if (n === 1)
      passes.push({ key: `${tag}/copy`, source: passSource(kind, inPlace, xComplex, other, 0, "x", "o", N > 0), groups: groupsFor(lines) });
    for (let ns = 1, p = 0; ns < n; ns *= 2, p++) {
      const from: End = p === 0 ? "x" : p % 2 === 1 ? "s0" : "s1";
      const to: End = 2 * ns === n ? "o" : p % 2 === 0 ? "s0" : "s1";
      passes.push({
        key: `${tag}/${ns}/${from}/${to}`,
        source: passSource(kind, inPlace, xComplex, other, ns, from, to, N > 0),
        groups: groupsFor((lines * n) / 2),
      });
    }
    const scratch = lines * n * 8;
    const [first, ...then] = passes;
    return { ...first, meta, writable: inPlace ? [0, 1, 2] : [1, 2, 3], scratch: [scratch, scratch], then };
  },
};
