import type { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import { def } from "./signature.js";
import { arg } from "./param_types.js";
import { absolute, add, divide, exp, less_equal, multiply, sqrt, subtract, where } from "./ufuncs.js";

/**
 * Special functions: np.i0, the modified Bessel function of the first kind, order 0, by
 * NumPy's own method (Cephes' Chebyshev expansions on [0, 8] and (8, ∞), the same
 * coefficients and the same order of operations).
 */

const I0_A = [
  -4.4153416464793395e-18, 3.3307945188222384e-17, -2.431279846547955e-16, 1.715391285555133e-15, -1.1685332877993451e-14, 7.676185498604936e-14,
  -4.856446783111929e-13, 2.95505266312964e-12, -1.726826291441556e-11, 9.675809035373237e-11, -5.189795601635263e-10, 2.6598237246823866e-9,
  -1.300025009986248e-8, 6.046995022541919e-8, -2.670793853940612e-7, 1.1173875391201037e-6, -4.4167383584587505e-6, 1.6448448070728896e-5,
  -5.754195010082104e-5, 0.00018850288509584165, -0.0005763755745385824, 0.0016394756169413357, -0.004324309995050576, 0.010546460394594998,
  -0.02373741480589947, 0.04930528423967071, -0.09490109704804764, 0.17162090152220877, -0.3046826723431984, 0.6767952744094761,
];
const I0_B = [
  -7.233180487874754e-18, -4.830504485944182e-18, 4.46562142029676e-17, 3.461222867697461e-17, -2.8276239805165836e-16, -3.425485619677219e-16,
  1.7725601330565263e-15, 3.8116806693526224e-15, -9.554846698828307e-15, -4.150569347287222e-14, 1.54008621752141e-14, 3.8527783827421426e-13,
  7.180124451383666e-13, -1.7941785315068062e-12, -1.3215811840447713e-11, -3.1499165279632416e-11, 1.1889147107846439e-11, 4.94060238822497e-10,
  3.3962320257083865e-9, 2.266668990498178e-8, 2.0489185894690638e-7, 2.8913705208347567e-6, 6.889758346916825e-5, 0.0033691164782556943,
  0.8044904110141088,
];

/** Clenshaw's recurrence for a Chebyshev series at x, as NumPy's _chbevl. */
function chbevl(x: ndarray, vals: readonly number[]): ndarray {
  let b0: ndarray | number = vals[0],
    b1: ndarray | number = 0,
    b2: ndarray | number = 0;
  for (let i = 1; i < vals.length; i++) {
    b2 = b1;
    b1 = b0;
    b0 = add(subtract(multiply(x, b1), b2), vals[i]);
  }
  return multiply(0.5, subtract(b0, b2));
}

/** np.i0(x): float input keeps its dtype, integers and bools become float64; complex is a TypeError. */
export const i0 = def("i0", "x", { x: arg.array }, (p): ndarray => {
  let x = asarray(p.x);
  if (x.dtype.isComplex) throw new TypeError("i0 not supported for complex values");
  if (x.dtype.kind !== "f") x = x.astype("float64");
  x = absolute(x);
  // NumPy's piecewise(x, [x <= 8], [_i0_1, _i0_2]): each branch's values where it applies.
  const small = multiply(exp(x), chbevl(subtract(divide(x, 2.0), 2), I0_A));
  const large = divide(multiply(exp(x), chbevl(subtract(divide(32.0, x), 2.0), I0_B)), sqrt(x));
  return where(less_equal(x, 8.0), small, large) as ndarray;
});
