/**
 * A stencil loop (`u[1:-1, 1:-1] = f(u[:-2, 1:-1], …)`) renames its grid at every sweep: the
 * launch reads the old instance and writes a new one. The sweep's lazy intermediates read the
 * old one too, so it is freed only once a collection finds them dead. Faulting in a fresh
 * 128 MB grid costs more than a collection, so one is made before a fresh grid would be (at
 * most a quarter of the time), and the loop keeps a few grids, not one more every few sweeps.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

const np = await import("tessera");
const { runtime } = await import("tessera/core");

const sweep = (u: InstanceType<typeof np.ndarray>) =>
  u.set("1:-1, 1:-1", np.multiply(0.25, u.get(":-2, 1:-1").add(u.get("2:, 1:-1")).add(u.get("1:-1, :-2")).add(u.get("1:-1, 2:"))));

function heated(n: number) {
  const u = np.zeros([n, n]);
  u.set("0, :", 1);
  u.item(0);
  return u;
}

test("a Jacobi loop on a 128 MB grid holds a few grids, not one more every few sweeps", {
  skip: runtime().device ? "renaming is for host instances" : false,
}, () => {
  const n = 4096,
    grid = n * n * 8,
    sweeps = 60;
  const u = heated(n);
  let most = 0;
  for (let k = 0; k < sweeps; k++) {
    sweep(u);
    most = Math.max(most, runtime().liveBytes);
  }
  // Without the collection before a fresh grid: 13 grids after 30 sweeps, 23 after 60, and growing.
  assert.ok(most <= 12 * grid, `held up to ${(most / grid).toFixed(1)} grids over ${sweeps} sweeps`);
  // u[1:4, 1:4] depends on nothing farther than `sweeps` elements away: a 128² grid (run at once, no renaming) gives the same.
  const small = heated(128);
  for (let k = 0; k < sweeps; k++) sweep(small);
  assert.deepEqual(u.get("1:4, 1:4").tolist(), small.get("1:4, 1:4").tolist());
});
