// A small static file server for the browser tests and the widget report: serves folders under URL
// prefixes with the strict CSP header, and can pass /api/ on to a real kindband-server (like the
// nginx reverse proxy in production). Only binds to loopback.
//
//   node static-server.mjs [--port N] [--api http://127.0.0.1:PORT] /=examples/site /kindband/=build/web
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** Starts the server; resolves to {url, close()}. mounts: [[prefix, dir]], longest prefix wins. */
export function startStaticServer({ mounts, api = null, csp = STRICT_CSP, port = 0 }) {
  const sorted = [...mounts].sort((a, b) => b[0].length - a[0].length);
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, "http://localhost");
    if (api && url.pathname.startsWith("/api/")) return proxy(api, request, response);
    const mount = sorted.find(([prefix]) => url.pathname.startsWith(prefix));
    if (!mount || !["GET", "HEAD"].includes(request.method))
      return send(response, 404, "not found");
    const relative = decodeURIComponent(url.pathname.slice(mount[0].length)) || "index.html";
    const file = path.resolve(
      mount[1],
      relative.endsWith("/") ? relative + "index.html" : relative,
    );
    if (!file.startsWith(path.resolve(mount[1]) + path.sep))
      return send(response, 403, "forbidden");
    fs.readFile(file, (error, data) => {
      if (error) return send(response, 404, "not found");
      response.writeHead(200, {
        "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
        "Content-Security-Policy": csp,
        "Cache-Control": "no-cache",
      });
      response.end(data);
    });
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      resolve({ url, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

function send(response, status, text) {
  response.writeHead(status, { "Content-Type": "text/plain" });
  response.end(text);
}

function proxy(api, request, response) {
  const target = new URL(request.url, api);
  const upstream = http.request(
    target,
    { method: request.method, headers: { ...request.headers, host: target.host } },
    (reply) => {
      response.writeHead(reply.statusCode, reply.headers);
      reply.pipe(response);
    },
  );
  upstream.on("error", () => send(response, 502, "upstream unavailable"));
  request.pipe(upstream);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  let port = 8090;
  let api = null;
  const mounts = [];
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === "--port") port = Number(args[++i]);
    else if (args[i] === "--api") api = args[++i];
    else mounts.push(args[i].split("="));
  }
  const { url } = await startStaticServer({ mounts, api, port });
  console.log(`serving on ${url}`);
}
