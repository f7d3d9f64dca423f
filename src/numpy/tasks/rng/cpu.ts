import type { TaskContext } from "../../../core/task_api.js";
import { STATE_WORDS, advance } from "../../random/pcg64.js";
import { fillIntegers, fillNormal, fillRandom, fillRandomFloat32, fillStandardNormal, fillUniform } from "../../random/distributions.js";
import type { IntegerArray } from "../../random/distributions.js";

/**
 * CPU variants of np.random's draws on a Generator's PCG64 state (a runtime store): the
 * bit generator and the fill kernels are numpy.random's own (random/pcg64.ts,
 * random/distributions.ts). Side-effect free: worker threads import it through tasks/index.ts.
 */

export type DrawKind = "random" | "random32" | "uniform" | "standard_normal" | "normal" | "integers";

/**
 * rng_fill: args [state, out]; scalars [kind, a, b, dtype, parallel]. `out` is 1-D and
 * contiguous. A parallel point copies the state and jumps ahead to its own first value, so
 * every cut of the launch draws exactly the numbers one serial draw would.
 */
export function rngFill(ctx: TaskContext): void {
  const [st, out] = ctx.args;
  const [kind, a, b, dtype, parallel] = ctx.scalars as [DrawKind, number | bigint, number | bigint, string, boolean];
  const shared = (st.data as Uint32Array).subarray(st.offset, st.offset + STATE_WORDS);
  const state = parallel ? shared.slice() : shared;
  const start = out.lo[0],
    count = out.hi[0] - out.lo[0];
  if (parallel && start > 0) advance(state, BigInt(start));
  const at = out.offset + start;
  switch (kind) {
    case "random":
      fillRandom(state, out.data as Float64Array, at, count);
      break;
    case "random32":
      fillRandomFloat32(state, out.data as Float32Array, at, count);
      break;
    case "uniform":
      fillUniform(state, out.data as Float64Array, at, count, a as number, b as number);
      break;
    case "standard_normal":
      fillStandardNormal(state, out.data as Float64Array, at, count);
      break;
    case "normal":
      fillNormal(state, out.data as Float64Array, at, count, a as number, b as number);
      break;
    case "integers":
      fillIntegers(state, out.data as IntegerArray, at, count, a as bigint, b as bigint, dtype);
      break;
  }
}

/**
 * rng_advance: args [state]; scalars [delta]. Moves the shared state past a parallel fill.
 * The buffered 32-bit half stays: the parallel draws (doubles) neither use nor replace it.
 */
export function rngAdvance(ctx: TaskContext): void {
  const st = ctx.args[0];
  const state = (st.data as Uint32Array).subarray(st.offset, st.offset + STATE_WORDS);
  const [has, half] = [state[8]!, state[9]!];
  advance(state, BigInt(ctx.scalars[0] as number));
  state[8] = has;
  state[9] = half;
}
