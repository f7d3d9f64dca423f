import type { BinaryFn, DTypeName, Expr, UnaryFn } from "../core/task_api.js";

/**
 * The walk every code generator shares: each distinct IR node is emitted once (fused
 * expressions are DAGs, and a value read twice is computed once), children first. A backend
 * only says how to spell each kind of node in its language.
 */
export abstract class ExprEmitter<V> {
  private readonly memo = new Map<Expr, V>();

  expr(e: Expr): V {
    let v = this.memo.get(e);
    if (v === undefined) {
      v = this.node(e);
      this.memo.set(e, v);
    }
    return v;
  }

  private node(e: Expr): V {
    switch (e.k) {
      case "load":
        return this.load(e.arg, e.dtype);
      case "const":
        return this.constant(e.value, e.dtype);
      case "scalar":
        return this.scalar(e.index, e.dtype);
      case "index":
        return this.index(e.dim, e.dtype);
      case "cast":
        return this.cast(this.expr(e.x), e.x.dtype, e.dtype);
      case "unary":
        return this.unary(e.fn, this.expr(e.x), e.x.dtype, e.dtype);
      case "binary":
        return this.binary(e.fn, this.expr(e.a), this.expr(e.b), e.a.dtype, e.dtype);
      case "where":
        return this.where(this.expr(e.c), this.expr(e.a), this.expr(e.b), e.dtype);
      default:
        throw new Error(`kernel IR: unresolved ${e.k} leaf reached code generation`);
    }
  }

  protected abstract load(arg: number, dtype: DTypeName): V;
  abstract constant(value: number | bigint | boolean | { re: number; im: number }, dtype: DTypeName): V;
  protected abstract scalar(index: number, dtype: DTypeName): V;
  protected abstract index(dim: number, dtype: DTypeName): V;
  abstract cast(x: V, from: DTypeName, to: DTypeName): V;
  abstract unary(fn: UnaryFn, x: V, from: DTypeName, to: DTypeName): V;
  abstract binary(fn: BinaryFn, a: V, b: V, from: DTypeName, to: DTypeName): V;
  protected abstract where(c: V, a: V, b: V, dtype: DTypeName): V;
}
