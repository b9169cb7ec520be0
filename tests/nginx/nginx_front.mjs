// Debian's nginx with the shipped examples/nginx/kindband.conf in front of a running kindband-server,
// as its own process in a test folder: only the ports, the certificate (made now with openssl, for
// 127.0.0.1 and localhost) and the log path replaced, each replacement checked to have happened.
// Used by tests/nginx/nginx.test.mjs and by the widget report (tests/browser/report.mjs), which
// measures what a browser receives through it.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import net from "node:net";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const NGINX_BINARY = process.env.KINDBAND_NGINX || "/usr/sbin/nginx";

function run(command, args, input) {
  const result = spawnSync(command, args, { input, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")}: ${result.stderr || result.error}`);
  }
  return result.stdout;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The upstream block of examples/nginx/kindband-instances.conf (several instances), its ports
// replaced by upstreamPorts in order; each replacement must apply.
function instancesUpstream(upstreamPorts) {
  let text = fs.readFileSync(path.join(root, "examples/nginx/kindband-instances.conf"), "utf8");
  const block = text.match(/\nupstream kindband \{[^}]*\}\n/);
  if (!block) throw new Error("examples/nginx/kindband-instances.conf has no upstream kindband block");
  text = block[0];
  const shipped = [...text.matchAll(/server 127\.0\.0\.1:(\d+)/g)].map((m) => m[1]);
  if (shipped.length !== upstreamPorts.length)
    throw new Error(
      `examples/nginx/kindband-instances.conf names ${shipped.length} instances, the test starts ${upstreamPorts.length}`,
    );
  shipped.forEach((port, i) => {
    text = text.replace(`server 127.0.0.1:${port} `, `server 127.0.0.1:${upstreamPorts[i]} `);
  });
  return text;
}

// The shipped site file with only what a test machine must change; each change must apply. With
// upstreamPorts, its upstream block is the one of kindband-instances.conf.
function siteConfig({ dir, upstreamPort, upstreamPorts, httpsPort, httpPort }) {
  let text = fs.readFileSync(path.join(root, "examples/nginx/kindband.conf"), "utf8");
  const upstream = upstreamPorts
    ? [/\nupstream kindband \{[^}]*\}\n/, instancesUpstream(upstreamPorts)]
    : [/server 127\.0\.0\.1:8080;/, `server 127.0.0.1:${upstreamPort};`];
  const replacements = [
    upstream,
    [/listen 443 ssl http2;/, `listen 127.0.0.1:${httpsPort} ssl http2;`],
    [/\n\s*listen \[::\]:443 ssl http2;/, ""],
    [/listen 80;/, `listen 127.0.0.1:${httpPort};`],
    [/\n\s*listen \[::\]:80;/, ""],
    [/ssl_certificate\s+\S+;/, `ssl_certificate ${dir}/cert.pem;`],
    [/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${dir}/key.pem;`],
    [/access_log \S+ combined;/, `access_log ${dir}/logs/access.log kindband_test;`],
  ];
  for (const [pattern, replacement] of replacements) {
    if (!pattern.test(text))
      throw new Error(`examples/nginx/kindband.conf no longer has ${pattern}`);
    text = text.replace(pattern, replacement);
  }
  return text;
}

/**
 * Starts nginx in `dir` (an empty test folder) in front of kindband-server on `upstreamPort` (or
 * of several instances on `upstreamPorts`, with examples/nginx/kindband-instances.conf);
 * resolves when /healthz answers through it: {process, httpsPort, httpPort, ca, origin}.
 * The access log is dir/logs/access.log ("$status $request_method $request_uri upstream=...").
 */
export async function startNginx({ dir, upstreamPort, upstreamPorts }) {
  if (!fs.existsSync(NGINX_BINARY))
    throw new Error(`${NGINX_BINARY} missing: run scripts/install-deps.sh (Debian package nginx)`);
  for (const sub of ["logs", "tmp"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout",
    path.join(dir, "key.pem"),
    "-out",
    path.join(dir, "cert.pem"),
  ]);
  const ca = fs.readFileSync(path.join(dir, "cert.pem"));
  const httpsPort = await freePort();
  const httpPort = await freePort();
  fs.writeFileSync(
    path.join(dir, "kindband.conf"),
    siteConfig({ dir, upstreamPort, upstreamPorts, httpsPort, httpPort }),
  );
  // The main file Debian's /etc/nginx/nginx.conf would be, with every path inside the test folder.
  const asRoot = process.getuid && process.getuid() === 0;
  fs.writeFileSync(
    path.join(dir, "nginx.conf"),
    `${asRoot ? "user root;\n" : ""}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path ${dir}/tmp/body;
    proxy_temp_path ${dir}/tmp/proxy;
    fastcgi_temp_path ${dir}/tmp/fastcgi;
    uwsgi_temp_path ${dir}/tmp/uwsgi;
    scgi_temp_path ${dir}/tmp/scgi;
    log_format kindband_test '$status $request_method $request_uri upstream=$upstream_addr';
    include ${dir}/kindband.conf;
}
`,
  );
  run(NGINX_BINARY, ["-t", "-q", "-c", path.join(dir, "nginx.conf"), "-p", dir]);
  const child = spawn(
    NGINX_BINARY,
    ["-c", path.join(dir, "nginx.conf"), "-p", dir, "-g", "daemon off;"],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  const healthy = () =>
    new Promise((resolve) => {
      const req = https.get(
        {
          host: "127.0.0.1",
          port: httpsPort,
          path: "/healthz",
          ca,
          servername: "localhost",
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        },
      );
      req.on("error", () => resolve(false));
    });
  const deadline = Date.now() + 60000; // a ceiling for a busy machine
  while (!(await healthy())) {
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("nginx did not come up in 60 s");
    }
    await sleep(50);
  }
  return { process: child, httpsPort, httpPort, ca, origin: `https://127.0.0.1:${httpsPort}` };
}

/** SIGTERM, then SIGKILL after 5 s. */
export async function stop(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null) child.kill("SIGKILL");
}
