import { def } from "../signature.js";
import { arg } from "../param_types.js";
import type { ndarray } from "../ndarray.js";
import { asarray } from "../creation_from_data.js";
import { copyInto } from "../copy.js";
import { conjugate } from "../ufuncs.js";
import { pyIndex, swapDirection } from "./raw.js";
import { irfft1, rfft1 } from "./real.js";

/** NumPy's Hermitian FFTs: hfft (a Hermitian-symmetric signal's real spectrum) and ihfft. */

const P1 = "a, n=None, axis=-1, norm=None, out=None";
const A1 = { a: arg.array, n: arg.intOrNone, axis: arg.int, norm: arg.any, out: arg.out };

/**
 * np.fft.hfft(a, n=None, axis=-1, norm=None, out=None): irfft(conj(a)) with the opposite
 * normalisation, n real values (2·(m-1) by default). Like NumPy's, it does not write `out`.
 */
export const hfft = def("hfft", P1, A1, (p): ndarray => {
  const a = asarray(p.a);
  const n = p.n ?? (pyIndex(a.shape, p.axis) - 1) * 2;
  const norm = swapDirection(p.norm);
  return irfft1(conjugate(a) as ndarray, n, p.axis, norm, null);
});

/** np.fft.ihfft(a, n=None, axis=-1, norm=None, out=None): conj(rfft(a)) with the opposite normalisation. */
export const ihfft = def("ihfft", P1, A1, (p): ndarray => {
  const a = asarray(p.a);
  const n = p.n ?? pyIndex(a.shape, p.axis);
  const norm = swapDirection(p.norm);
  const r = conjugate(rfft1(a, n, p.axis, norm, p.out)) as ndarray;
  if (p.out === null) return r;
  copyInto(p.out, r);
  return p.out;
});
