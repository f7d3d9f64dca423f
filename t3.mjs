import * as np from "./dist/src/index.js";
const a = np.load("/tmp/pq/a.npy");
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  const b = np.load("/tmp/pq/a.npy"); b.sum().item();
  const tl = performance.now() - t;
  t = performance.now();
  const u = await np.read_parquet("/tmp/pq/u.parquet");
  const tu = performance.now() - t;
  t = performance.now();
  const s = await np.read_parquet("/tmp/pq/s.parquet");
  const ts = performance.now() - t;
  t = performance.now();
  const v = b.to_arrow(); const c = np.from_arrow(v);
  const tz = performance.now() - t;
  console.log("npy", tl.toFixed(0), "parquet u", tu.toFixed(0), "s", ts.toFixed(0), "to/from arrow", tz.toFixed(2), Object.keys(u), u.d.shape, Number(u.d.sum().item()).toFixed(1));
}
