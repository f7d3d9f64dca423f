import * as np from "./dist/src/index.js";
import { readFileSync, writeFileSync } from "node:fs";
writeFileSync("/tmp/garbage.parquet", Buffer.concat([Buffer.from("PAR1"), Buffer.alloc(64, 7), Buffer.from("PAR1")]));
try { await np.read_parquet("/tmp/garbage.parquet"); console.log("no error") } catch (e) { console.log("ERR", e.name, e.message) }
const pbytes = readFileSync("/tmp/ok.parquet");
const scrambled = Buffer.from(pbytes);
for (let i = 8; i < 400; i++) scrambled[i] ^= 0x5a;
writeFileSync("/tmp/bad.parquet", scrambled);
try { await np.read_parquet("/tmp/bad.parquet"); console.log("no error") } catch (e) { console.log("ERR", e.name, e.message) }
