/** NumPy's constants (np.pi, np.e, np.inf, np.nan, np.euler_gamma); np.newaxis is in indexing.ts. */

/** np.pi: the ratio of a circle's circumference to its diameter. */
export const pi = Math.PI;
/** np.e: Euler's number, the base of natural logarithms. */
export const e = Math.E;
/** np.inf: positive infinity. */
export const inf = Number.POSITIVE_INFINITY;
/** np.nan: a quiet not-a-number. */
export const nan = Number.NaN;
/** np.euler_gamma: the Euler–Mascheroni constant. */
export const euler_gamma = 0.5772156649015329;
