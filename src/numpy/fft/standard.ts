import { def } from "../signature.js";
import { arg } from "../param_types.js";
import type { ndarray } from "../ndarray.js";
import { asarray } from "../creation_from_data.js";
import { pyIndex, rawFft } from "./raw.js";
import { rawFftNd } from "./nd.js";

/** NumPy's standard FFTs: fft, ifft, fft2, ifft2, fftn, ifftn (complex to complex). */

/** The 1-D complex transform (n null: the input's length along `axis`). */
export function fft1(a: ndarray, n: number | null, axis: number, norm: unknown, out: ndarray | null): ndarray {
  return rawFft(a, n ?? pyIndex(a.shape, axis), axis, false, true, norm, out);
}
/** The 1-D inverse complex transform. */
export function ifft1(a: ndarray, n: number | null, axis: number, norm: unknown, out: ndarray | null): ndarray {
  return rawFft(a, n ?? pyIndex(a.shape, axis), axis, false, false, norm, out);
}

const P1 = "a, n=None, axis=-1, norm=None, out=None";
const A1 = { a: arg.array, n: arg.intOrNone, axis: arg.int, norm: arg.any, out: arg.out };
const PN = "a, s=None, axes=None, norm=None, out=None";
const P2 = "a, s=None, axes=(-2, -1), norm=None, out=None";
const AN = { a: arg.array, s: arg.any, axes: arg.any, norm: arg.any, out: arg.out };

/** np.fft.fft(a, n=None, axis=-1, norm=None, out=None): the 1-D discrete Fourier transform. */
export const fft = def("fft", P1, A1, (p): ndarray => fft1(asarray(p.a), p.n, p.axis, p.norm, p.out));
/** np.fft.ifft(a, n=None, axis=-1, norm=None, out=None): the 1-D inverse discrete Fourier transform. */
export const ifft = def("ifft", P1, A1, (p): ndarray => ifft1(asarray(p.a), p.n, p.axis, p.norm, p.out));
/** np.fft.fftn(a, s=None, axes=None, norm=None, out=None): the n-D transform over `axes` (all by default). */
export const fftn = def("fftn", PN, AN, (p): ndarray => rawFftNd(asarray(p.a), p.s, p.axes, fft1, p.norm, p.out));
/** np.fft.ifftn(a, s=None, axes=None, norm=None, out=None): the n-D inverse transform. */
export const ifftn = def("ifftn", PN, AN, (p): ndarray => rawFftNd(asarray(p.a), p.s, p.axes, ifft1, p.norm, p.out));
/** np.fft.fft2(a, s=None, axes=(-2, -1), norm=None, out=None): the 2-D transform. */
export const fft2 = def("fft2", P2, AN, (p): ndarray => rawFftNd(asarray(p.a), p.s, p.axes, fft1, p.norm, p.out));
/** np.fft.ifft2(a, s=None, axes=(-2, -1), norm=None, out=None): the 2-D inverse transform; like NumPy's, it ignores `out`. */
export const ifft2 = def("ifft2", P2, AN, (p): ndarray => rawFftNd(asarray(p.a), p.s, p.axes, ifft1, p.norm, null));
