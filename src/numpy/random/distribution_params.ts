// The distribution methods that are NumPy's cont/disc over checked parameters, declared once
// for Generator and RandomState: each one's parameter list and each parameter's constraint
// (as _generator.pyx and mtrand.pyx pass them to cont/disc). Each API gives its own draw.

import type { ndarray } from "../ndarray.js";
import { arg, conv } from "../param_types.js";
import type { BoundOf, Conv } from "../signature.js";
import { type Cons, type ParamSpec, drawEach } from "./legacy_params.js";

/** `size=`: None, an int or a shape. */
export const sizeArg = conv<number | readonly number[] | null, number[] | null>((v, r): number[] | null => (v === null ? null : arg.shape(v, r)));

/** Each distribution's NumPy parameter list, and its parameters' constraints in order. */
export const DIST_PARAMS = {
  normal: [
    "loc=0.0, scale=1.0, size=None",
    [
      ["loc", "none"],
      ["scale", "nonneg"],
    ],
  ],
  exponential: ["scale=1.0, size=None", [["scale", "nonneg"]]],
  standard_exponential: ["size=None", []],
  standard_gamma: ["shape, size=None", [["shape", "nonneg"]]],
  gamma: [
    "shape, scale=1.0, size=None",
    [
      ["shape", "nonneg"],
      ["scale", "nonneg"],
    ],
  ],
  beta: [
    "a, b, size=None",
    [
      ["a", "pos"],
      ["b", "pos"],
    ],
  ],
  chisquare: ["df, size=None", [["df", "pos"]]],
  f: [
    "dfnum, dfden, size=None",
    [
      ["dfnum", "pos"],
      ["dfden", "pos"],
    ],
  ],
  noncentral_chisquare: [
    "df, nonc, size=None",
    [
      ["df", "pos"],
      ["nonc", "nonneg"],
    ],
  ],
  noncentral_f: [
    "dfnum, dfden, nonc, size=None",
    [
      ["dfnum", "pos"],
      ["dfden", "pos"],
      ["nonc", "nonneg"],
    ],
  ],
  standard_cauchy: ["size=None", []],
  standard_t: ["df, size=None", [["df", "pos"]]],
  pareto: ["a, size=None", [["a", "pos"]]],
  weibull: ["a, size=None", [["a", "nonneg"]]],
  power: ["a, size=None", [["a", "pos"]]],
  laplace: [
    "loc=0.0, scale=1.0, size=None",
    [
      ["loc", "none"],
      ["scale", "nonneg"],
    ],
  ],
  gumbel: [
    "loc=0.0, scale=1.0, size=None",
    [
      ["loc", "none"],
      ["scale", "nonneg"],
    ],
  ],
  logistic: [
    "loc=0.0, scale=1.0, size=None",
    [
      ["loc", "none"],
      ["scale", "nonneg"],
    ],
  ],
  lognormal: [
    "mean=0.0, sigma=1.0, size=None",
    [
      ["mean", "none"],
      ["sigma", "nonneg"],
    ],
  ],
  rayleigh: ["scale=1.0, size=None", [["scale", "nonneg"]]],
  wald: [
    "mean, scale, size=None",
    [
      ["mean", "pos"],
      ["scale", "pos"],
    ],
  ],
  vonmises: [
    "mu, kappa, size=None",
    [
      ["mu", "none"],
      ["kappa", "nonneg"],
    ],
  ],
  poisson: ["lam=1.0, size=None", [["lam", "legacyPoisson"]]],
  geometric: ["p, size=None", [["p", "boundedGt01"]]],
  logseries: ["p, size=None", [["p", "boundedLt01"]]],
  zipf: ["a, size=None", [["a", "gt1"]]],
} as const satisfies Record<string, readonly [string, readonly (readonly [string, Cons])[]]>;

export type DistName = keyof typeof DIST_PARAMS;
type Params<K extends DistName> = (typeof DIST_PARAMS)[K][0];
type Convs = { size: typeof sizeArg } & Record<string, Conv<unknown, unknown>>;
/** A distribution method's declaration: NumPy's parameter list, converters, and a body given `self`. */
export interface DistSpec<K extends DistName, Self> {
  params: Params<K>;
  convs: Convs;
  body: (self: Self, p: BoundOf<Params<K>, Convs>) => ndarray | number;
}

/**
 * The declaration of distribution `name`: its parameters checked and broadcast as NumPy's
 * cont/disc do, `draw(s, a, b, c)` per output element on the source `withSource` gives.
 */
export function distSpec<const K extends DistName, Self, Src>(
  name: K,
  withSource: (self: Self, fn: (s: Src) => ndarray | number) => ndarray | number,
  draw: (s: Src, a: number, b: number, c: number) => number,
  dtype: "float64" | "int64" = "float64",
): DistSpec<K, Self> {
  const [params, cons] = DIST_PARAMS[name] as readonly [Params<K>, readonly (readonly [string, Cons])[]];
  const convs = { size: sizeArg } as Convs;
  for (const [n] of cons) convs[n] = arg.any;
  return {
    params,
    convs,
    body: (self, p) => {
      const q = p as unknown as Record<string, unknown>;
      const specs = cons.map(([n, c]): ParamSpec => [q[n], n, c]);
      return withSource(self, (s) => drawEach(q.size as number[] | null, specs, (a, b, c) => draw(s, a, b, c), dtype));
    },
  };
}
