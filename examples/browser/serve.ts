/**
 * A static file server for the browser build, with the two headers that make a page
 * cross-origin isolated (SharedArrayBuffer, which Tessera's memory is, exists only there):
 *
 *   npm run build && node dist/examples/browser/serve.js [port]
 *   then open http://localhost:8080/examples/browser/
 *
 * It serves only the browser build (dist/browser/) and this example (examples/browser/), to
 * local clients: requests whose Host is not localhost are refused (a web page elsewhere cannot
 * reach it through DNS rebinding), bad URL escapes get 400. POSTs to /report/<name> (at most
 * 1 MiB) are handed to `onReport` (the browser test collects the demo's results that way).
 */
import http from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".css": "text/css",
  ".wasm": "application/wasm",
};
const ISOLATION = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** The folders served, relative to the root. */
const SERVED = ["dist/browser", "examples/browser"];
const MAX_REPORT = 1 << 20;
/** Host headers a local browser sends: localhost, 127.0.0.1 or [::1], with any port. */
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/** Start serving `root`'s browser build and example on 127.0.0.1:`port` (0: any free port); resolves once listening. */
export function serve(root: string, port = 0, onReport?: (name: string, body: string) => void): Promise<http.Server> {
  const allowed = SERVED.map((d) => path.join(root, d) + path.sep);
  const server = http.createServer((req, res) => {
    if (!LOCAL_HOST.test(req.headers.host ?? "")) {
      res.writeHead(421).end("misdirected request");
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    if (req.method === "POST" && pathname.startsWith("/report/")) {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (d: string) => {
        body += d;
        if (body.length > MAX_REPORT) {
          res.writeHead(413).end();
          req.destroy();
        }
      });
      req.on("end", () => {
        res.writeHead(204, ISOLATION).end();
        onReport?.(pathname.slice("/report/".length), body);
      });
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    let file = path.join(root, pathname);
    if (pathname.endsWith("/")) file = path.join(file, "index.html");
    if (file.includes("\0") || !allowed.some((d) => file.startsWith(d))) {
      res.writeHead(404, ISOLATION).end("not found");
      return;
    }
    readFile(file).then(
      (data) =>
        res
          .writeHead(200, { ...ISOLATION, "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" })
          .end(data),
      () => res.writeHead(404, ISOLATION).end("not found"),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await serve(repoRoot, Number(process.argv[2] ?? 8080));
  const { port } = server.address() as AddressInfo;
  console.log(`serving ${repoRoot} with COOP/COEP at http://localhost:${port}/examples/browser/ (Ctrl-C stops)`);
}
