/**
 * A static file server for the browser build, with the two headers that make a page
 * cross-origin isolated (SharedArrayBuffer, which Tessera's memory is, exists only there):
 *
 *   npm run build && node dist/examples/browser/serve.js [port]
 *   then open http://localhost:8080/examples/browser/
 *
 * It serves the repository (dist/browser and examples/browser). POSTs to /report/<name> are
 * handed to `onReport` (the browser test collects the demo's results that way).
 */
import http from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json", ".json": "application/json", ".css": "text/css", ".wasm": "application/wasm",
};
const ISOLATION = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp", "Cross-Origin-Resource-Policy": "same-origin" };

/** Start serving `root` on 127.0.0.1:`port` (0: any free port); resolves once listening. */
export function serve(root: string, port = 0, onReport?: (name: string, body: string) => void): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "POST" && url.pathname.startsWith("/report/")) {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (d: string) => { body += d; });
      req.on("end", () => { res.writeHead(204, ISOLATION).end(); onReport?.(url.pathname.slice("/report/".length), body); });
      return;
    }
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root + path.sep) && file !== root) { res.writeHead(403).end(); return; }
    if (url.pathname.endsWith("/")) file = path.join(file, "index.html");
    readFile(file).then(
      (data) => res.writeHead(200, { ...ISOLATION, "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" }).end(data),
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
