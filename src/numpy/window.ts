import type { ndarray } from "./ndarray.js";
import { array } from "./creation_from_data.js";
import { arange } from "./creation_ranges.js";
import { ones } from "./creation_shape.js";
import { def } from "./signature.js";
import { conv } from "./param_types.js";
import { i0 } from "./math_special.js";
import { add, cos, divide, less_equal, multiply, power, sqrt, subtract, where } from "./ufuncs.js";

/**
 * Window functions (NumPy's reference section of that name), computed as NumPy computes them:
 * M (and beta) as float64 (`np.array([0.0, M])`), n = arange(1 - M, M, 2), and the same
 * sequence of operations, so values agree to the last bits of cos and i0.
 */

/** M as NumPy takes it: any real number (a float M gives a float arange), or a bool. */
const real = conv<number | bigint | boolean, number>((v, r): number => {
  if (typeof v === "number") return v;
  if (typeof v === "bigint" || typeof v === "boolean") return Number(v);
  throw new TypeError(`${r.fn}() argument '${r.param}' must be a real number, not ${typeof v}`);
});

/** The window for M points from the symmetric grid n = 1-M, 3-M, …, M-1. */
function symmetric(M: number, f: (n: ndarray) => ndarray): ndarray {
  if (M < 1) return array([], { dtype: "float64" }) as ndarray;
  if (M === 1) return ones(1);
  return f(arange(1 - M, M, 2, { dtype: "float64" }));
}

/** np.hanning(M): 0.5 + 0.5 cos(πn/(M-1)). */
export const hanning = def(
  "hanning",
  "M",
  { M: real },
  (p): ndarray => symmetric(p.M, (n) => add(0.5, multiply(0.5, cos(divide(multiply(Math.PI, n), p.M - 1))))),
);

/** np.hamming(M): 0.54 + 0.46 cos(πn/(M-1)). */
export const hamming = def(
  "hamming",
  "M",
  { M: real },
  (p): ndarray => symmetric(p.M, (n) => add(0.54, multiply(0.46, cos(divide(multiply(Math.PI, n), p.M - 1))))),
);

/** np.blackman(M): 0.42 + 0.5 cos(πn/(M-1)) + 0.08 cos(2πn/(M-1)). */
export const blackman = def(
  "blackman",
  "M",
  { M: real },
  (p): ndarray =>
    symmetric(p.M, (n) =>
      add(add(0.42, multiply(0.5, cos(divide(multiply(Math.PI, n), p.M - 1)))), multiply(0.08, cos(divide(multiply(2.0 * Math.PI, n), p.M - 1)))),
    ),
);

/** np.bartlett(M): the triangle 1 - |n|/(M-1). */
export const bartlett = def(
  "bartlett",
  "M",
  { M: real },
  (p): ndarray => symmetric(p.M, (n) => where(less_equal(n, 0), add(1, divide(n, p.M - 1)), subtract(1, divide(n, p.M - 1))) as ndarray),
);

/** np.kaiser(M, beta): i0(β·sqrt(1 - ((n - α)/α)²)) / i0(β), n = 0 … M-1, α = (M-1)/2. */
export const kaiser = def("kaiser", "M, beta", { M: real, beta: real }, (p): ndarray => {
  const { M, beta } = p;
  if (M === 1) return ones(1);
  const n = arange(0, M, { dtype: "float64" });
  const alpha = (M - 1) / 2.0;
  const inner = sqrt(subtract(1, power(divide(subtract(n, alpha), alpha), 2.0)));
  return divide(i0(multiply(beta, inner)), i0(beta));
});
