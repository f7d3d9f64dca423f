/**
 * Programs that test/ranks/ranks.test.ts runs under mpirun with 1, 2 and 4 ranks. Each prints
 * one JSON line of results (rank 0 only, as every program's output), which must be the same
 * for every rank count. TESSERA_DIST_PROGRAM names the program; without it this file does
 * nothing (so the plain test runner may load it).
 */
import * as np from "tessera";
import { runtime } from "tessera/core";
import type { ControlReplication } from "../../src/ranks/replication.js";

type Program = () => unknown;

const values = (a: np.ndarray): unknown => a.tolist();

const programs: Record<string, Program> = {
  /** Jacobi sweeps written with slices: halo rows cross shard boundaries every sweep. */
  stencil() {
    const n = 66;
    const u = np.zeros([n, n]);
    u.set("0, :", 1);
    u.set(":, 0", np.linspace(1, 0, n));
    for (let k = 0; k < 8; k++) {
      u.set("1:-1, 1:-1", u.get(":-2, 1:-1").add(u.get("2:, 1:-1")).add(u.get("1:-1, :-2")).add(u.get("1:-1, 2:")).mul(0.25));
    }
    // A 1-D three-point stencil in place, stepped slices included.
    const v = np.arange(40, { dtype: "float64" });
    v.set("1:-1", v.get(":-2").add(v.get("2:")).sub(v.get("1:-1")));
    v.set("::3", v.get("::3").mul(-1));
    return { u: values(u), v: values(v) };
  },

  /** Reductions over each axis, all axes, arg-reductions and statistics. */
  reductions() {
    const a = np
      .arange(4 * 6 * 5, { dtype: "float64" })
      .reshape(4, 6, 5)
      .mul(1.5)
      .sub(100);
    const out: Record<string, unknown> = {};
    for (const axis of [0, 1, 2, null] as const) {
      const opts = axis === null ? {} : { axis };
      out[`sum${axis}`] = values(np.sum(a, opts));
      out[`max${axis}`] = values(np.max(a, opts));
      out[`min${axis}`] = values(np.min(a, opts));
      out[`argmax${axis}`] = values(np.argmax(a, opts));
      out[`mean${axis}`] = values(np.mean(a, opts));
      out[`std${axis}`] = values(np.std(a, opts));
    }
    out.anyNeg = values(np.any(a.lt(0), { axis: 1 }));
    return out;
  },

  /** Transposes, moved axes and reshapes of transposed data (all-to-all movement). */
  transpose() {
    const a = np.arange(7 * 9, { dtype: "int64" }).reshape(7, 9);
    const t = a.T.copy();
    const b = np.arange(3 * 4 * 5).reshape(3, 4, 5);
    const m = np.moveaxis(b, 0, -1).copy().reshape(20, 3);
    return { t: values(t), tt: values(t.T.add(a)), m: values(m), flat: values(a.T.flatten()) };
  },

  /** Matrix products whose operands and result are cut over ranks. */
  matmul() {
    const a = np
      .arange(30 * 20, { dtype: "float64" })
      .reshape(30, 20)
      .mul(0.01);
    const b = np
      .arange(20 * 25, { dtype: "float64" })
      .reshape(20, 25)
      .sub(200)
      .mul(0.02);
    const v = np.linspace(-1, 1, 20);
    return { ab: values(np.matmul(a, b)), av: values(np.matmul(a, v)), gram: values(np.matmul(a.T, a)) };
  },

  /** Sorting a vector and the rows of a matrix. */
  sort() {
    const rng = np.random.default_rng(11);
    const x = rng.random(5000);
    const s = np.sort(x);
    const m = np.sort(rng.random([40, 30]), { axis: 0 });
    return { head: values(s.get(":20")), ordered: Number(np.sum(s.get("1:").lt(s.get(":-1")))), m: values(m.get("::7")) };
  },

  /** Random streams do not depend on how many ranks draw them. */
  random() {
    const rng = np.random.default_rng(2024);
    const u = rng.random(3000) as np.ndarray;
    const n = rng.normal(1, 2, [500]) as np.ndarray;
    return { u: values(u.get("::97")), n: values(n.get("::37")), sumU: Number(np.sum(u)) };
  },

  /** Advanced indexing across shard boundaries: gathers, masks, scatters, argsort. */
  fancy() {
    const a = np
      .arange(40 * 50, { dtype: "float64" })
      .reshape(40, 50)
      .mul(1.5);
    const rows = a.get(np.array([3, 39, 0, 17, 39]));
    const picks = a.get(np.array([0, 20, 39]), np.array([49, 0, 25]));
    const big = a.get(a.gt(2900));
    const b = a.copy();
    b.set(np.array([1, 38, 20]), -1);
    b.set(b.lt(30), 0);
    const order = np.argsort(a.get(":, 7").mul(-1));
    return {
      rows: values(rows.get(":, ::9")),
      picks: values(picks),
      big: values(big),
      b: Number(np.sum(b)),
      bRow: values(b.get(38, ":5")),
      order: values(order),
    };
  },

  /** A sharded array saved (rank 0 writes, after gathering) and loaded by every rank. */
  saveLoad() {
    const dir = process.env.TESSERA_DIST_TMP;
    if (!dir) throw new Error("TESSERA_DIST_TMP is not set");
    const a = np.arange(2000, { dtype: "float64" }).reshape(40, 50).mul(0.5);
    const b = a.T.copy();
    np.save(`${dir}/b.npy`, b);
    np.savez(`${dir}/z.npz`, { a, s: np.sum(a, { axis: 0 }) });
    // Views: a transpose (written in Fortran order) and a strided one (gathered), compressed.
    np.savez_compressed(`${dir}/v.npz`, { t: a.T, v: a.get("1::3, ::-7") });
    const back = np.load(`${dir}/b.npy`) as np.ndarray;
    const z = np.load(`${dir}/z.npz`) as Record<string, np.ndarray>;
    const v = np.load(`${dir}/v.npz`) as Record<string, np.ndarray>;
    return {
      diffB: Number(np.sum(back.ne(b))),
      diffA: Number(np.sum(z.a.ne(a))),
      s: values(z.s),
      corner: values(back.get(":3, :3")),
      diffT: Number(np.sum(v.t.ne(b))),
      view: values(v.v.get(":2")),
    };
  },

  /** The MPI binding's collectives and point-to-point calls, checked on every rank. */
  collectives() {
    const dist = runtime().dist;
    if (!dist) return { ranks: 1 };
    const mpi = (dist as ControlReplication).mpi,
      R = mpi.size,
      me = mpi.rank;
    const check = (ok: boolean, what: string) => {
      if (!ok) throw new Error(`rank ${me}: ${what}`);
    };
    const sum = mpi.allreduce(Float64Array.of(me + 1, -me), "sum");
    check(sum[0] === (R * (R + 1)) / 2 && sum[1] === -(R * (R - 1)) / 2, "allreduce sum");
    check(mpi.allreduce(Float64Array.of(me), "max")[0] === R - 1 && mpi.allreduce(Float64Array.of(me), "min")[0] === 0, "allreduce min/max");
    const typed = new Float32Array(3).fill(me + 0.5),
      out = new Float32Array(3);
    mpi.allreduceTyped(new Uint8Array(typed.buffer), new Uint8Array(out.buffer), 3, "float", "prod");
    check(out[2] === Array.from({ length: R }, (_, r) => r + 0.5).reduce((a, b) => a * b, 1), "typed prod");
    const all = mpi.allgather(Uint8Array.of(me, 7));
    check(all.length === 2 * R && all.every((b, i) => b === (i % 2 ? 7 : i / 2)), "allgather");
    const v = mpi.allgatherv(new Uint8Array(me + 1).fill(me));
    check(v.length === R && v.every((b, r) => b.length === r + 1 && b.every((x) => x === r)), "allgatherv");
    const g = mpi.gatherv(new Uint8Array(me).fill(9), 0);
    check(me === 0 ? g!.every((b, r) => b.length === r) : g === null, "gatherv");
    const a2a = mpi.alltoall(Uint8Array.from({ length: R }, (_, r) => me * 10 + r));
    check(
      Array.from(a2a).every((x, r) => x === r * 10 + me),
      "alltoall",
    );
    const v2 = mpi.alltoallv(Array.from({ length: R }, (_, r) => new Uint8Array(r + me).fill(me)));
    check(
      v2.every((b, r) => b.length === me + r && b.every((x) => x === r)),
      "alltoallv",
    );
    const bc = new Uint8Array(4);
    if (me === R - 1) bc.set([1, 2, 3, 4]);
    mpi.bcast(bc, R - 1);
    check(bc.join() === "1,2,3,4", "bcast");
    mpi.barrier();
    // A ring: each rank sends a 3 MiB message to the next and receives from the previous.
    const n = 3 << 20,
      send = new Uint8Array(n).fill(me + 1),
      recv = new Uint8Array(n);
    const reqs = mpi.requests();
    mpi.irecv(reqs, recv, (me + R - 1) % R, 3);
    mpi.isend(reqs, send, (me + 1) % R, 3);
    mpi.waitAll(reqs);
    check(recv[0] === ((me + R - 1) % R) + 1 && recv[n - 1] === recv[0], "isend/irecv ring");
    return { ranks: R, ok: true };
  },

  /** Printing happens once, on rank 0. */
  print() {
    console.log(String(np.arange(6).reshape(2, 3)));
    return { printed: true };
  },

  /** A data error inside one rank's points reaches every rank, where it can be caught. */
  taskError() {
    const e = np.arange(-3, 61, { dtype: "int64" });
    try {
      np.power(np.full([64], 2, { dtype: "int64" }), e).tolist();
      return { caught: null };
    } catch (err) {
      return { caught: (err as Error).name, message: (err as Error).message };
    }
  },

  /** An uncaught exception on one rank ends the job with that rank's error. */
  fail() {
    const a = np.arange(100).sum().item();
    if (runtime().machine.rank === runtime().machine.ranks - 1) throw new Error(`planned failure (sum ${a})`);
    return np.arange(10).sum().item();
  },

  /** A rank-dependent branch is reported, not hung on. */
  diverge() {
    const a = np.arange(1000, { dtype: "float64" });
    const b = runtime().machine.rank === 0 ? a.add(1) : a.mul(2);
    return Number(np.sum(b));
  },

  /**
   * Values every rank computes alike (from shared results, NaN and -0 included) pass the
   * control check: only their bits are compared, and these bits agree.
   */
  identical() {
    const a = np.linspace(0, 1, 1001).mul(Math.PI);
    const s = Number(np.sum(a)),
      m = Number(np.mean(a)),
      sd = Number(np.std(a));
    const x = np.arange(64, { dtype: "float64" });
    const c = np.empty([64]);
    np.add(x, s / 7, { out: c });
    const back = np.array(c.tolist() as number[]);
    const f = np
      .full([64], m)
      .add(np.full([64], -0))
      .mul(sd);
    const nan = np.multiply(x, NaN);
    const typed = np.float64(s).add(np.float32(m));
    // An unseeded generator draws rank 0's entropy on every rank.
    const u = np.random.default_rng().random(100) as np.ndarray;
    return {
      s,
      c: Number(np.sum(back)),
      f: values(f.get(":4")),
      nan: Number(np.sum(np.isnan(nan))),
      typed: Number(typed),
      uOk: Number(np.sum(u.ge(0).and(u.lt(1)))),
    };
  },

  /** runtime().bcast: rank 0's value on every rank (identity on one rank). */
  bcast() {
    const rt = runtime();
    const rank = rt.machine.rank;
    const x = rt.bcast(rank === 0 ? 0.25 : Math.random());
    const nan = rt.bcast(rank === 0 ? NaN : 1);
    const negz = rt.bcast(rank === 0 ? -0 : 1);
    const big = rt.bcast(rank === 0 ? 2n ** 70n : 0n);
    const obj = rt.bcast(rank === 0 ? { a: [1, 2, { b: "x" }], c: null } : { other: true });
    const typed = rt.bcast(rank === 0 ? Float32Array.of(1.5, -2, 3) : new Float32Array(7));
    const ints = rt.bcast(rank === 0 ? BigInt64Array.of(-5n, 2n ** 62n) : new BigInt64Array(1));
    const nothing = rt.bcast(rank === 0 ? undefined : 1);
    // Per-rank sources, shared, may then reach arrays.
    const noise = rt.bcast(Math.random());
    const clock = rt.bcast(Date.now());
    const f = np.full([64], noise).add(clock);
    return {
      x,
      nan: Number.isNaN(nan),
      negz: Object.is(negz, -0),
      big: String(big),
      obj,
      typed: Array.from(typed),
      typedType: typed.constructor.name,
      ints: Array.from(ints, String),
      nothing: nothing === undefined,
      same: Number(np.sum(f.ne(noise + clock))),
    };
  },

  /** A value that differs between ranks (TESSERA_DIST_CASE says which) is reported. */
  valueDiverge() {
    const rank = runtime().machine.rank;
    const x = np.arange(1000, { dtype: "float64" });
    const c = np.empty([1000]);
    switch (process.env.TESSERA_DIST_CASE) {
      case "rank":
        np.add(x, rank, { out: c });
        break;
      case "random":
        c.set("...", np.full([1000], Math.random()));
        break;
      case "list":
        c.set(":3", np.array([1, 2, rank]));
        c.set("3:", 0);
        break;
      case "negzero":
        np.multiply(x, rank === 0 ? 0 : -0, { out: c });
        break;
      case "nan": {
        const nan = new Float64Array(new BigUint64Array([0x7ff8000000000000n + BigInt(rank)]).buffer)[0];
        np.add(x, nan, { out: c });
        break;
      }
      default:
        throw new Error("TESSERA_DIST_CASE?");
    }
    return Number(np.sum(c));
  },

  /** One rank ends its program early (exit status 0) while the others go on. */
  early() {
    np.arange(100).sum().item();
    if (runtime().machine.rank === 1) {
      process.exitCode = 0;
      return { early: true };
    }
    const a = np.arange(100000, { dtype: "float64" });
    return Number(np.sum(a.mul(2)));
  },

  /** Prints, then idles for a minute (the launcher's signal test ends it). */
  sleep() {
    np.arange(100).sum().item();
    setTimeout(() => {}, 60_000);
    return { ready: true };
  },

  /** A rank that dies (killed) ends the job. */
  crash() {
    np.arange(100).sum().item();
    if (runtime().machine.rank === 1) process.kill(process.pid, "SIGKILL");
    return np.arange(1000).add(1).sum().item();
  },
};

const name = process.env.TESSERA_DIST_PROGRAM;
if (name) {
  const program = programs[name];
  if (!program) throw new Error(`no program ${name}`);
  console.log(JSON.stringify(program()));
}
