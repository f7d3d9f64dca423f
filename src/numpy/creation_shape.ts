import { runtime } from "../core/runtime.js";

import { binary, cast, constant, index, where } from "../core/kernel_ir.js";
import { ndarray } from "./ndarray.js";
import { ArrayLike, asarray } from "./creation_from_data.js";
import { DTypeLike, WeakScalar, dtype as toDType, scalarDType } from "./dtypes.js";
import { ValueError } from "./errors.js";

export type ShapeLike = number | readonly number[];

export function toShape(shape: ShapeLike): number[] {
  const s = typeof shape === "number" ? [shape] : [...shape];
  for (const n of s) {
    if (!Number.isInteger(n)) throw new TypeError(`'${typeof n === "number" ? "float" : typeof n}' object cannot be interpreted as an integer`);
    if (n < 0) throw new ValueError("negative dimensions are not allowed");
  }
  return s;
}

/** np.empty: memory is zero-filled on allocation, so this equals zeros but is free to make. */
export function empty(shape: ShapeLike, opts: { dtype?: DTypeLike } = {}): ndarray {
  return new ndarray(runtime().createStore(toShape(shape), toDType(opts.dtype ?? "float64")));
}
/** np.zeros: fresh instances start zeroed, so no task runs. */
export function zeros(shape: ShapeLike, opts: { dtype?: DTypeLike } = {}): ndarray { return empty(shape, opts); }
/** np.ones. */
export function ones(shape: ShapeLike, opts: { dtype?: DTypeLike } = {}): ndarray { return full(shape, 1, { dtype: opts.dtype ?? "float64" }); }
/** np.full(shape, fill_value, {dtype}); dtype defaults to the value's own. */
export function full(shape: ShapeLike, fillValue: WeakScalar | ndarray, opts: { dtype?: DTypeLike } = {}): ndarray {
  const dt = opts.dtype !== undefined ? toDType(opts.dtype) : fillValue instanceof ndarray ? fillValue.dtype : scalarDType(fillValue);
  const a = empty(shape, { dtype: dt });
  if (a.size) a.set("...", fillValue);
  return a;
}

type LikeOpts = { dtype?: DTypeLike; shape?: ShapeLike };
const likeShape = (a: ndarray, o: LikeOpts) => (o.shape !== undefined ? o.shape : a.shape);
export function empty_like(a: ArrayLike, opts: LikeOpts = {}): ndarray { const x = asarray(a); return empty(likeShape(x, opts), { dtype: opts.dtype ?? x.dtype }); }
export function zeros_like(a: ArrayLike, opts: LikeOpts = {}): ndarray { return empty_like(a, opts); }
export function ones_like(a: ArrayLike, opts: LikeOpts = {}): ndarray { const x = asarray(a); return ones(likeShape(x, opts), { dtype: opts.dtype ?? x.dtype }); }
export function full_like(a: ArrayLike, fillValue: WeakScalar, opts: LikeOpts = {}): ndarray { const x = asarray(a); return full(likeShape(x, opts), fillValue, { dtype: opts.dtype ?? x.dtype }); }

/** np.eye(N, M, {k, dtype}): ones on the k-th diagonal, computed from indices in one task. */
export function eye(N: number, M: number | null | { k?: number; dtype?: DTypeLike } = null, opts: { k?: number; dtype?: DTypeLike } = {}): ndarray {
  // Keywords may follow N directly: eye(3, { dtype: "int32" }).
  if (M !== null && typeof M === "object") { opts = M; M = null; }
  const dt = toDType(opts.dtype ?? "float64");
  const shape = toShape([N, M ?? N]);
  const out = runtime().createStore(shape, dt);
  const diag = binary("eq", binary("sub", index(1, "float64"), index(0, "float64")), constant(opts.k ?? 0, "float64"));
  const expr = cast(where(diag, constant(1, "float64"), constant(0, "float64")), dt.name);
  runtime().submit({ kind: "map", name: "eye", inputs: [], outputs: [{ store: out, expr }], scalars: [] });
  return new ndarray(out);
}
/** np.identity(n, {dtype}). */
export function identity(n: number, opts: { dtype?: DTypeLike } = {}): ndarray { return eye(n, null, opts); }

