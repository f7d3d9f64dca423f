import { type NativeFn, type PhysicalStore, compiledLibrary } from "../../../core/task_api.js";
import { Bluestein, type ComplexPlan, type CooleyTukey } from "./complex_plan.js";
import type { RealPlan } from "./real_plan.js";

/**
 * The compiled variant of the fft task's line loop: include/tessera/fft.h, given the plans
 * that complex_plan.ts and real_plan.ts build, packed as its descriptor and table. The
 * tables are the JavaScript plans' own, and the C sums run in the same order, so the results
 * are the same bits on either path. Null where nothing compiles (the browser, no compiler).
 */

/** A plan as tessera/fft.h reads it: the int32 descriptor and the doubles it points into. */
export interface PackedPlan {
  desc: Int32Array;
  tab: Float64Array;
}

class Packer {
  readonly desc: number[] = [];
  private readonly parts: Float64Array[] = [];
  private lanes = 0;
  /** The offset `a` will have in the table. */
  table(a: Float64Array): number {
    this.parts.push(a);
    this.lanes += a.length;
    return this.lanes - a.length;
  }
  complex(p: ComplexPlan): void {
    if (p instanceof Bluestein) {
      this.desc.push(1, p.n, p.n2, this.table(p.bk), this.table(p.bkf));
      this.complex(p.plan);
      return;
    }
    const ct = p as CooleyTukey;
    this.desc.push(0, ct.n, ct.passes.length);
    for (const q of ct.passes) this.desc.push(q.ip, q.l1, q.ido, this.table(q.tw), this.table(q.twf), q.roots ? this.table(q.roots) : -1);
  }
  done(): PackedPlan {
    const tab = new Float64Array(this.lanes);
    let o = 0;
    for (const a of this.parts) {
      tab.set(a, o);
      o += a.length;
    }
    return { desc: Int32Array.from(this.desc), tab };
  }
}

const packedPlans = new WeakMap<ComplexPlan | RealPlan, PackedPlan>();

/** The packed form of a complex or real plan (once per plan). */
export function packed(plan: ComplexPlan | RealPlan, real: boolean): PackedPlan {
  let p = packedPlans.get(plan);
  if (!p) {
    const k = new Packer();
    if (real) {
      const r = plan as RealPlan;
      k.desc.push(2, r.n, k.table(r.tw));
      k.complex(r.cplan);
    } else k.complex(plan as ComplexPlan);
    p = k.done();
    packedPlans.set(plan, p);
  }
  return p;
}

const ENTRY = "int fft_lines(const int64_t *m, const int32_t *d, const double *tab, void *x, void *out, double fct, const double *twid)";
const SOURCE = `${ENTRY} { return tfft_lines(m, d, tab, x, out, fct, twid); }\n`;

let lines: NativeFn | null | undefined;

/** fft.h's line loop, or null where it is not compiled. */
export function compiledLines(): NativeFn | null {
  if (lines === undefined) {
    const lib = compiledLibrary("tessera/fft.h", SOURCE, ENTRY);
    lines = lib ? lib.func(ENTRY) : null;
  }
  return lines;
}

/** tessera/fft.h's element type of a store, or -1 where it has none (the JS loop runs). */
export function elementType(s: PhysicalStore): number {
  return ["float64", "float32", "complex128", "complex64"].indexOf(s.dtype);
}
