import type { GpuArg, GpuDispatchSpec, WebgpuVariant } from "../../../core/task_api.js";
import { flatMain, groupsFor, rowBaseWGSL, rowsMeta } from "../wgsl.js";
import { CooleyTukey, chirpTables, unitRoot } from "./complex_plan.js";
import type { FftKind } from "./cpu.js";
import { twiddles } from "./four_step.js";

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
 * A length that is not a power of two runs Bluestein's algorithm on such passes, as
 * complex_plan.ts does on the CPU: the chirped line zero-padded to m ≥ 2n-1, a forward
 * transform, the product with the chirp's spectrum, an inverse transform, the chirp again.
 */

/** Longest line on the GPU: its twiddles travel in the meta buffer. */
const MAX_N = 1 << 22;

/** Bytes of each scratch buffer at most: WebGPU's default maxStorageBufferBindingSize. */
const MAX_SCRATCH = 2 ** 27;

const isPow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;
/** Bluestein's transform length for n points: the power of two at least 2n-1. */
const blueLength = (n: number) => 2 ** Math.ceil(Math.log2(2 * n - 1));
/** Length of the power-of-two transforms one of n points runs as. */
const passLength = (n: number) => (isPow2(n) ? n : blueLength(n));

/** Meta index of the line count: after rowsMeta's 7 entries and 3 per dim besides the axis. */
const countAt = (other: number) => 7 + 3 * other;
/** How many lines along `axis` a launch transforms. */
const lineCount = (out: GpuArg, axis: number) => out.shape.reduce((p, e, d) => (d === axis ? p : p * e), 1);

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

/** What every pass of one launch shares. */
interface Layout {
  kind: FftKind;
  inPlace: boolean;
  xComplex: boolean;
  /** Dims besides the axis. */
  other: number;
  /** A four-step transform's first pass (outputs twiddled). */
  fourStep: boolean;
  /** Bluestein's algorithm (a length that is not a power of two). */
  blue: boolean;
  /** Length of the power-of-two transforms the passes compute (n, or Bluestein's m ≥ 2n-1). */
  P: number;
}

/**
 * Meta (rowsMeta): M[0] = n, M[1] = input values read, M[2] = output values written, x's and
 * out's offsets and strides along the axis, the other dims (extent, strides), then the line
 * count, the norm's factor, P/2 twiddles exp(-2πi·k/P) at TW; for Bluestein the chirp (n
 * values, its direction's sign applied) at CH and the transform of its extension (P values,
 * divided by P) at BT; for a four-step pass N, L and two tables after those.
 */
function common(l: Layout): string {
  const { kind, inPlace, xComplex, other, fourStep, blue, P } = l;
  const lines = countAt(other);
  const outName = inPlace ? "X" : "O";
  const xAt = "bx + i32(j) * bitcast<i32>(M[4])";
  const xVal = xComplex ? `X[${xAt}]` : `vec2f(X[${xAt}], 0.0)`;
  const cx = (p: string) => `vec2f(bitcast<f32>(M[${p}]), bitcast<f32>(M[${p} + 1u]))`;
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
  // A four-step transform's first pass: output k of the line at g along the last other dim
  // times w^(g·k mod N), w = exp(∓2πi/N), as the product of two table entries (four_step.ts).
  const twiddle = fourStep
    ? `let T = T4;
    let N = M[T]; let L = M[T + 1u];
    let e = (line % M[${lines - 3}]) * k % N;
    r = cmul(r, cmul(${cx("T + 2u + 2u * (L + e / L)")}, ${cx("T + 2u + 2u * (e % L)")}));`
    : "";
  return `${bindings(kind, inPlace, xComplex)}
const TW = ${lines + 2}u;
const P = ${P}u;
fn CH() -> u32 { return TW + P; }
fn BT() -> u32 { return CH() + 2u * M[0]; }
fn cmul(a: vec2f, b: vec2f) -> vec2f { return vec2f(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
fn chirp(j: u32) -> vec2f { let p = CH() + 2u * j; return ${cx("p")}; }
fn spectrum(j: u32) -> vec2f { let p = BT() + 2u * j; return ${cx("p")}; }
${rowBaseWGSL(other, 7)}
${loadX}
fn storeO(bo: i32, line: u32, k: u32, v: vec2f) {
  if (k < M[2]) {
    let T4 = ${blue ? "BT() + 2u * P" : "TW + P"};
    var r = ${blue ? "cmul(v, chirp(k))" : "v"};
    ${twiddle}
    ${outName}[bo + i32(k) * bitcast<i32>(M[6])] = ${kind === "c2r" ? "r.x" : "r"} * bitcast<f32>(M[${lines + 1}]);
  }
}`;
}

/**
 * One radix-2 Stockham pass: `ns` is the length of the sub-transforms already combined (0:
 * the copy pass of a 1-point transform), `sign` 1 for the forward transform (-1 conjugates
 * the twiddles), `mulB`: the values read are first multiplied by Bluestein's spectrum.
 */
function passSource(l: Layout, ns: number, from: End, to: End, sign: number, mulB: boolean): string {
  const read = (j: string) => (from === "x" ? `loadX(base.x, ${j})` : `${from.toUpperCase()}[line * P + ${j}]`);
  const load = (j: string) => (mulB ? `cmul(${read(j)}, spectrum(${j}))` : read(j));
  const store = (k: string, v: string) => (to === "o" ? `storeO(base.y, line, ${k}, ${v});` : `${to.toUpperCase()}[line * P + ${k}] = ${v};`);
  const body =
    ns === 0
      ? `let line = t;
  let base = rowBase(line);
  ${store("0u", load("0u"))}`
      : `let half = P / 2u;
  let line = t / half; let j = t % half;
  let base = rowBase(line);
  let k = j % ${ns}u;
  let v0 = ${load("j")};
  let v1 = ${load("j + half")};
  let q = TW + 2u * k * (P / ${2 * ns}u);
  let p = cmul(v1, vec2f(bitcast<f32>(M[q]), ${sign === 1 ? "" : "-"}bitcast<f32>(M[q + 1u])));
  let d = (j / ${ns}u) * ${2 * ns}u + k;
  ${store("d", "v0 + p")}
  ${store(`d + ${ns}u`, "v0 - p")}`;
  return `${common(l)}
${flatMain("t", `M[${countAt(l.other)}] * max(1u, P / 2u)`)}
  ${body}
}
`;
}

/** Bluestein's first pass: each line's n values times the chirp, zero-padded to P, into S0. */
function chirpSource(l: Layout): string {
  return `${common(l)}
${flatMain("t", `M[${countAt(l.other)}] * P`)}
  let line = t / P; let j = t % P;
  let base = rowBase(line);
  var v = vec2f(0.0, 0.0);
  if (j < M[0]) { v = cmul(loadX(base.x, j), chirp(j)); }
  S0[line * P + j] = v;
}
`;
}

/** Bluestein's chirp and its spectrum for n points in transforms of blueLength(n) (complex_plan.ts's, cached). */
const chirps = new Map<number, { bk: Float64Array; bkf: Float64Array }>();
function bluestein(n: number): { bk: Float64Array; bkf: Float64Array } {
  let t = chirps.get(n);
  if (!t) {
    if (chirps.size >= 8) chirps.clear();
    chirps.set(n, (t = chirpTables(n, new CooleyTukey(blueLength(n)))));
  }
  return t;
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
    const P = passLength(n);
    if (P > MAX_N) return `a transform of ${n} points (webgpu: up to ${MAX_N} in the power-of-two passes)`;
    const lines = lineCount(out, axis);
    if (lines * P * 8 > MAX_SCRATCH) return `scratch lines of ${lines * P * 8} bytes exceed WebGPU's default binding limit`;
    if (N > 2 ** 31) return `a four-step transform of ${N} points`;
    return null;
  },
  dispatch(args, scalars): GpuDispatchSpec {
    const { x, out, kind, forward, n, axis, fct, N, inPlace } = parts(args, scalars);
    const need = kind === "c2r" ? Math.floor(n / 2) + 1 : n;
    const count = Math.min(x.shape[axis], need);
    const other = out.shape.length - 1;
    const lines = lineCount(out, axis);
    const blue = !isPow2(n);
    const P = passLength(n);
    const head = rowsMeta([n, count, out.shape[axis]], x, out, axis);
    // The rest of the meta: see common(). A four-step pass's tables are four_step.ts's.
    const steps = N > 0 ? twiddles(N) : null;
    const TW = head.length + 2,
      CH = TW + P,
      BT = CH + 2 * n,
      T4 = blue ? BT + 2 * P : TW + P;
    const meta = new Uint32Array(T4 + (steps ? 2 + steps.table.length : 0));
    meta.set(head);
    meta[head.length] = lines;
    const f = new Float32Array(meta.buffer);
    f[TW - 1] = fct;
    // The direction's sign: exp(∓2πi…) for forward and inverse transforms.
    const s = forward ? -1 : 1;
    for (let k = 0; k < P / 2; k++) {
      const [c, si] = unitRoot(k, P);
      f[TW + 2 * k] = c;
      f[TW + 2 * k + 1] = -si;
    }
    if (blue) {
      // As complex_plan.ts's Bluestein: x·conj(b) forward (x·b inverse), convolved with b
      // (conj(b)) through the spectrum, times conj(b) (b) again.
      const { bk, bkf } = bluestein(n);
      for (let j = 0; j < n; j++) {
        f[CH + 2 * j] = bk[2 * j];
        f[CH + 2 * j + 1] = s * bk[2 * j + 1];
      }
      for (let j = 0; j < P; j++) {
        f[BT + 2 * j] = bkf[2 * j];
        f[BT + 2 * j + 1] = -s * bkf[2 * j + 1];
      }
    }
    if (steps) {
      meta[T4] = N;
      meta[T4 + 1] = steps.L;
      for (let i = 0; i < steps.table.length; i += 2) {
        f[T4 + 2 + i] = steps.table[i];
        f[T4 + 3 + i] = s * steps.table[i + 1];
      }
    }
    const layout: Layout = { kind, inPlace, xComplex: x.dtype === "complex64", other, fourStep: N > 0, blue, P };
    const tag = `fft/${kind}/${inPlace ? "inplace" : "apart"}/${x.dtype}/${other}/${P}${blue ? "/blue" : ""}${N > 0 ? "/twiddled" : ""}`;
    const passes: { key: string; source: string; groups: [number, number, number] }[] = [];
    const pass = (ns: number, from: End, to: End, sign: number, mulB = false) =>
      passes.push({
        key: `${tag}/${ns}/${from}/${to}/${sign}${mulB ? "/b" : ""}`,
        source: passSource(layout, ns, from, to, sign, mulB),
        groups: groupsFor(ns === 0 ? lines : (lines * P) / 2),
      });
    const log2P = Math.log2(P);
    if (n === 1) pass(0, "x", "o", 1);
    else if (!blue)
      for (let p = 0; p < log2P; p++) pass(2 ** p, p === 0 ? "x" : p % 2 === 1 ? "s0" : "s1", p === log2P - 1 ? "o" : p % 2 === 0 ? "s0" : "s1", -s);
    else {
      // The chirped lines into S0, a forward transform, the spectrum's product and an inverse one, ping-ponging.
      passes.push({ key: `${tag}/chirp`, source: chirpSource(layout), groups: groupsFor(lines * P) });
      for (let p = 0; p < 2 * log2P; p++) {
        const inverse = p >= log2P;
        pass(2 ** (p % log2P), p % 2 === 0 ? "s0" : "s1", p === 2 * log2P - 1 ? "o" : p % 2 === 0 ? "s1" : "s0", inverse ? -1 : 1, p === log2P);
      }
    }
    const scratch = lines * P * 8;
    const [first, ...then] = passes;
    return { ...first, meta, writable: inPlace ? [0, 1, 2] : [1, 2, 3], scratch: [scratch, scratch], then };
  },
};
