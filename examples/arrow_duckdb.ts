/**
 * DuckDB and Tessera on the same columns. DuckDB generates a table of taxi trips and runs a
 * SQL query over it, writing the result as Parquet (its Arrow-based writer); Tessera reads
 * that file as Arrow record batches straight into its stores (decoded on every core), computes
 * per-trip speeds and fares with NumPy code, and writes its result back to Parquet, which
 * DuckDB queries again to check it.
 *
 *   node dist/examples/arrow_duckdb.js            # 5M trips
 *   node dist/examples/arrow_duckdb.js 20000000
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import * as np from "tessera";
import { runtime } from "tessera/core";

const N = Number(process.argv[2] ?? 5_000_000);
const dir = mkdtempSync(join(tmpdir(), "tessera-duckdb-"));
const trips = join(dir, "trips.parquet");
const longTrips = join(dir, "long_trips.parquet");
const result = join(dir, "speeds.parquet");

const db = await DuckDBInstance.create(":memory:");
const sql = await db.connect();
let t0 = performance.now();
await sql.run(`
  COPY (SELECT i AS id,
               0.5 + 30 * random() AS km,
               2 + 90 * random() AS minutes,
               3 + 80 * random() AS fare
        FROM range(${N}) t(i))
  TO '${trips}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)`);
await sql.run(`COPY (SELECT km, minutes, fare FROM '${trips}' WHERE minutes > 5) TO '${longTrips}' (FORMAT parquet, ROW_GROUP_SIZE 500000)`);
console.log(`DuckDB: generated ${N.toLocaleString()} trips and selected the long ones in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

t0 = performance.now();
const { km, minutes, fare } = (await np.read_parquet(longTrips)) as Record<string, np.ndarray>;
const tRead = performance.now() - t0;
t0 = performance.now();
const speed = km.div(minutes.div(60)); // km/h
const perKm = fare.div(km);
const fast = speed.gt(np.percentile(speed, 90));
const stats = {
  trips: km.shape[0],
  meanSpeed: Number(np.mean(speed)),
  p90Speed: Number(np.percentile(speed, 90)),
  medianFarePerKm: Number(np.median(perKm)),
  fastShare: Number(np.mean(fast)),
};
const tCompute = performance.now() - t0;
np.save_parquet(result, { speed, fare_per_km: perKm });
const { cpus } = runtime().machine;
console.log(
  `Tessera (${cpus} CPU workers): read ${stats.trips.toLocaleString()} rows from Parquet in ${tRead.toFixed(0)} ms, computed in ${tCompute.toFixed(0)} ms`,
);
console.log(
  `  mean speed ${stats.meanSpeed.toFixed(3)} km/h, 90th percentile ${stats.p90Speed.toFixed(3)} km/h, median fare ${stats.medianFarePerKm.toFixed(4)} per km`,
);

const check = await sql.runAndReadAll(`SELECT count(*), avg(speed), median(fare_per_km) FROM '${result}'`);
const [count, avg, med] = check.getRows()[0] as [bigint, number, number];
const agree =
  Number(count) === stats.trips && Math.abs(avg - stats.meanSpeed) < 1e-9 * stats.meanSpeed && Math.abs(med - stats.medianFarePerKm) < 1e-9 * med;
console.log(
  `DuckDB reads Tessera's result: ${count.toLocaleString()} rows, avg speed ${avg.toFixed(3)}, median fare ${med.toFixed(4)} per km — ${agree ? "agrees" : "DISAGREES"}`,
);
rmSync(dir, { recursive: true, force: true });
process.exitCode = agree ? 0 : 1;
