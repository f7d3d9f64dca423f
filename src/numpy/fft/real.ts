import { def } from "../signature.js";
import { arg } from "../param_types.js";
import type { ndarray } from "../ndarray.js";
import { asarray } from "../creation_from_data.js";
import { IndexError } from "../errors.js";
import { pyIndex, rawFft } from "./raw.js";
import { cookNdArgs } from "./nd.js";
import { fft1, ifft1 } from "./standard.js";

/** NumPy's real FFTs: rfft, irfft, rfft2, irfft2, rfftn, irfftn (n reals ↔ n//2+1 values). */

/** The 1-D transform of real input (n null: the input's length). */
export function rfft1(a: ndarray, n: number | null, axis: number, norm: unknown, out: ndarray | null): ndarray {
  return rawFft(a, n ?? pyIndex(a.shape, axis), axis, true, true, norm, out);
}
/** Its inverse, n real outputs (n null: 2·(m-1) for m input values). */
export function irfft1(a: ndarray, n: number | null, axis: number, norm: unknown, out: ndarray | null): ndarray {
  return rawFft(a, n ?? (pyIndex(a.shape, axis) - 1) * 2, axis, true, false, norm, out);
}

/** Python's list[-1] on an empty list. */
const last = <T>(xs: readonly T[]): T => {
  if (xs.length === 0) throw new IndexError("list index out of range");
  return xs[xs.length - 1];
};

/** NumPy's rfftn: rfft along the last axis, then fft along the others. */
function rfftnImpl(x: ndarray, s: unknown, axes: unknown, norm: unknown, out: ndarray | null): ndarray {
  const [sizes, ax] = cookNdArgs(x, s, axes);
  let a = rfft1(x, last(sizes), last(ax), norm, out);
  for (let i = ax.length - 2; i >= 0; i--) a = fft1(a, sizes[i], ax[i], norm, out);
  return a;
}
/** NumPy's irfftn: ifft along all axes but the last, then irfft along the last. */
function irfftnImpl(x: ndarray, s: unknown, axes: unknown, norm: unknown, out: ndarray | null): ndarray {
  const [sizes, ax] = cookNdArgs(x, s, axes, true);
  let a = x;
  for (let i = 0; i < ax.length - 1; i++) a = ifft1(a, sizes[i], ax[i], norm, null);
  return irfft1(a, last(sizes), last(ax), norm, out);
}

const P1 = "a, n=None, axis=-1, norm=None, out=None";
const A1 = { a: arg.array, n: arg.intOrNone, axis: arg.int, norm: arg.any, out: arg.out };
const PN = "a, s=None, axes=None, norm=None, out=None";
const P2 = "a, s=None, axes=(-2, -1), norm=None, out=None";
const AN = { a: arg.array, s: arg.any, axes: arg.any, norm: arg.any, out: arg.out };

/** np.fft.rfft(a, n=None, axis=-1, norm=None, out=None): the transform of real input, n//2+1 values. */
export const rfft = def("rfft", P1, A1, (p): ndarray => rfft1(asarray(p.a), p.n, p.axis, p.norm, p.out));
/** np.fft.irfft(a, n=None, axis=-1, norm=None, out=None): the inverse of rfft, n real values. */
export const irfft = def("irfft", P1, A1, (p): ndarray => irfft1(asarray(p.a), p.n, p.axis, p.norm, p.out));
/** np.fft.rfftn(a, s=None, axes=None, norm=None, out=None): the n-D transform of real input. */
export const rfftn = def("rfftn", PN, AN, (p): ndarray => rfftnImpl(asarray(p.a), p.s, p.axes, p.norm, p.out));
/** np.fft.irfftn(a, s=None, axes=None, norm=None, out=None): the inverse of rfftn. */
export const irfftn = def("irfftn", PN, AN, (p): ndarray => irfftnImpl(asarray(p.a), p.s, p.axes, p.norm, p.out));
/** np.fft.rfft2(a, s=None, axes=(-2, -1), norm=None, out=None): the 2-D transform of real input. */
export const rfft2 = def("rfft2", P2, AN, (p): ndarray => rfftnImpl(asarray(p.a), p.s, p.axes, p.norm, p.out));
/** np.fft.irfft2(a, s=None, axes=(-2, -1), norm=None, out=None): the inverse of rfft2; like NumPy's, it ignores `out`. */
export const irfft2 = def("irfft2", P2, AN, (p): ndarray => irfftnImpl(asarray(p.a), p.s, p.axes, p.norm, null));
