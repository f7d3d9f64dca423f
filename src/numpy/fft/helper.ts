import { DTYPES } from "../../core/index.js";
import { def } from "../signature.js";
import { arg, toIndex, unsupported } from "../param_types.js";
import { ndarray } from "../ndarray.js";
import { asarray, fromTypedArray } from "../creation_from_data.js";
import { newStore } from "../alloc.js";
import { copyInto } from "../copy.js";
import { Slice } from "../indexing.js";
import { AxisError, ValueError, ZeroDivisionError } from "../errors.js";
import { pyIndex } from "./raw.js";

/** NumPy's FFT helper routines: fftshift, ifftshift, fftfreq, rfftfreq. */

/** np.roll(x, shifts, axes) for the shifts fftshift computes: one two-slice copy per shifted axis. */
function roll(x: ndarray, shifts: readonly number[], axes: readonly number[]): ndarray {
  const total = new Array<number>(x.ndim).fill(0);
  axes.forEach((ax, i) => {
    if (ax < -x.ndim || ax >= x.ndim) throw new AxisError(ax, x.ndim);
    total[ax < 0 ? ax + x.ndim : ax] += shifts[i];
  });
  let a = x;
  let copied = false;
  total.forEach((sh, d) => {
    const n = a.shape[d];
    const k = n === 0 ? 0 : ((sh % n) + n) % n;
    if (k === 0) return;
    const r = new ndarray(newStore(a.shape, a.dtype));
    const at = (s: Slice) => a.shape.map((_, e) => (e === d ? s : new Slice()));
    // r[..., k:] = a[..., :n-k]; r[..., :k] = a[..., n-k:]
    r.set(...at(new Slice(k, null)), a.get(...at(new Slice(null, n - k))));
    r.set(...at(new Slice(null, k)), a.get(...at(new Slice(n - k, null))));
    a = r;
    copied = true;
  });
  if (copied) return a;
  const r = new ndarray(newStore(x.shape, x.dtype));
  copyInto(r, x);
  return r;
}

/** The shifts of fftshift (sign 1) or ifftshift (sign -1) for `axes` (all when null). */
function shiftAll(x: ndarray, axes: number | number[] | null, sign: number): ndarray {
  const ax = axes === null ? x.shape.map((_, d) => d) : Array.isArray(axes) ? axes : [axes];
  // np.roll unpacks broadcast(shift, axis), which is empty without axes.
  if (ax.length === 0) throw new ValueError("not enough values to unpack (expected 2, got 0)");
  const shifts = ax.map((a) => sign * Math.floor(pyIndex(x.shape, a) / 2));
  return roll(x, shifts, ax);
}

const PS = "x, axes=None";
const AS = { x: arg.array, axes: arg.axes };

/** np.fft.fftshift(x, axes=None): move the zero-frequency term to the centre (along `axes`, all by default). */
export const fftshift = def("fftshift", PS, AS, (p): ndarray => shiftAll(asarray(p.x), p.axes, 1));
/** np.fft.ifftshift(x, axes=None): the inverse of fftshift. */
export const ifftshift = def("ifftshift", PS, AS, (p): ndarray => shiftAll(asarray(p.x), p.axes, -1));

/** n as NumPy's helpers take it: a Python or NumPy integer, else "n should be an integer". */
function count(n: unknown): number {
  if (typeof n === "number" && Number.isInteger(n)) return n;
  if (typeof n === "bigint" || typeof n === "boolean") return Number(n);
  if (n instanceof ndarray && n.ndim === 0 && (n.dtype.isInteger || n.dtype.kind === "b")) return toIndex(n);
  throw new ValueError("n should be an integer");
}

/** 1.0 / (n·d), Python's float division (a zero divisor is ZeroDivisionError). */
function spacing(n: number, d: number): number {
  if (n * d === 0) throw new ZeroDivisionError("float division by zero");
  return 1 / (n * d);
}

/** k·val for the integers k, as NumPy's int64 array times a float. */
function freqs(ks: readonly number[], val: number): ndarray {
  const out = new Float64Array(ks.length);
  ks.forEach((k, i) => {
    out[i] = k * val;
  });
  return fromTypedArray(out, [ks.length], DTYPES.float64);
}

const PF = "n, d=1.0, device=None";
const AF = { n: arg.any, d: arg.any, device: arg.device };

/** d as a real number; an array spacing (NumPy broadcasts it) is not supported. */
function realSpacing(d: unknown): number {
  if (typeof d === "number") return d;
  if (typeof d === "bigint" || typeof d === "boolean") return Number(d);
  if (d instanceof ndarray && d.ndim === 0 && d.dtype.name !== "float16" && d.dtype.name !== "float32" && !d.dtype.isComplex) return Number(d.item());
  return unsupported("fftfreq", "d other than a real number or float64 scalar");
}

/** np.fft.fftfreq(n, d=1.0, device=None): the sample frequencies of an n-point fft, [0, 1, ..., -1]/(d·n). */
export const fftfreq = def("fftfreq", PF, AF, (p): ndarray => {
  const n = count(p.n);
  const val = spacing(n, realSpacing(p.d));
  if (n < 0) throw new ValueError("negative dimensions are not allowed");
  const pos = Math.floor((n - 1) / 2) + 1;
  return freqs(
    Array.from({ length: n }, (_, i) => (i < pos ? i : i - n)),
    val,
  );
});

/** np.fft.rfftfreq(n, d=1.0, device=None): the sample frequencies of an n-point rfft, [0, 1, ..., n//2]/(d·n). */
export const rfftfreq = def("rfftfreq", PF, AF, (p): ndarray => {
  const n = count(p.n);
  const val = spacing(n, realSpacing(p.d));
  const m = Math.floor(n / 2) + 1;
  return freqs(
    Array.from({ length: Math.max(0, m) }, (_, i) => i),
    val,
  );
});
