// The example server serves only the browser build and the example, to local clients.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { repoRoot, serve } from "../../examples/browser/serve.js";

let server: http.Server;
let port = 0;
before(async () => {
  server = await serve(repoRoot, 0);
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

/** A raw request (the path is sent as written, the Host header as given). */
function get(pathname: string, host = `localhost:${port}`, method = "GET"): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: pathname, method, headers: { host } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end();
  });
}

test("serves the example and the browser build", async () => {
  assert.equal(await get("/examples/browser/"), 200);
  assert.equal(await get("/examples/browser/index.html", `127.0.0.1:${port}`), 200);
});

test("a bad escape is a 400 and the server keeps serving", async () => {
  assert.equal(await get("/%E0%A4%A"), 400);
  assert.equal(await get("/examples/browser/"), 200);
});

test("nothing outside the browser build and the example", async () => {
  for (const p of [
    "/.git/config",
    "/package.json",
    "/src/numpy/index.ts",
    "/examples/browser/../../package.json",
    "/examples/browser/%2e%2e/%2e%2e/package.json",
    "/dist/src/numpy/index.js",
    "/",
  ]) {
    assert.equal(await get(p), 404, p);
  }
});

test("only local Host headers (no DNS rebinding)", async () => {
  assert.equal(await get("/examples/browser/", "evil.example.com"), 421);
  assert.equal(await get("/examples/browser/", `attacker.test:${port}`), 421);
  assert.equal(await get("/examples/browser/", `[::1]:${port}`), 200);
  assert.equal(await get("/examples/browser/", "localhost", "DELETE"), 405);
});
