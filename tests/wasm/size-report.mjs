// Prints what the browser downloads for the engine (raw, gzip -9, brotli) against the 80 KB gzip
// budget, what the .wasm is made of (code vs data = the embedded instrument library and journey), and
// whether iostreams or C++ exception machinery were linked in. Run by scripts/size-report.sh.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { distDir } from "./load.mjs";

const budget = 80 * 1024;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const gzip = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) =>
  zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(9);

// Three builds: core (what a page that only screens loads), journey (a journey page: + the 1000-day
// journey) and full (the inbox: + adviseResult).
for (const [label, glue] of [
  ["core", "kindband-engine-core"],
  ["journey", "kindband-engine-journey"],
  ["full", "kindband-engine"],
]) {
  console.log(
    `${`engine download, ${label} (${path.relative(root, distDir)})`.padEnd(38)} raw      gzip    brotli`,
  );
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const name of ["kindband.mjs", `${glue}.js`, `${glue}.wasm`]) {
    const bytes = fs.readFileSync(path.join(distDir, name));
    const row = { raw: bytes.length, gzip: gzip(bytes), brotli: brotli(bytes) };
    for (const key of Object.keys(total)) total[key] += row[key];
    console.log(`  ${name.padEnd(30)} ${kb(row.raw)} ${kb(row.gzip)} ${kb(row.brotli)}`);
  }
  console.log(`  ${"total".padEnd(30)} ${kb(total.raw)} ${kb(total.gzip)} ${kb(total.brotli)}`);
  const verdict =
    total.gzip <= budget ? "within" : `OVER by ${((total.gzip - budget) / 1024).toFixed(1)} KB`;
  console.log(`  budget: ${kb(budget).trim()} gzip for .js + .wasm + library -> ${verdict}\n`);
}

// Sections of the .wasm: code (10) and data (11, mostly the embedded JSON).
const wasm = fs.readFileSync(path.join(distDir, "kindband-engine.wasm"));
function leb(at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = wasm[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}
console.log("inside kindband-engine.wasm              raw      gzip");
for (let at = 8; at < wasm.length;) {
  const id = wasm[at];
  const [size, start] = leb(at + 1);
  const name = { 10: "code (engine, libc++, embind)", 11: "data (library JSON, strings)" }[id];
  if (name)
    console.log(`  ${name.padEnd(32)} ${kb(size)} ${kb(gzip(wasm.subarray(start, start + size)))}`);
  at = start + size;
}
const content = ["engine/instruments", "engine/journeys", "engine/wording-packs"].map((dir) => {
  const files = fs.existsSync(path.join(root, dir))
    ? fs
        .readdirSync(path.join(root, dir))
        .filter((f) => f.endsWith(".json"))
        .sort()
    : [];
  // As embedded: without line breaks and indentation (cmake/embed_library.cmake).
  const text = files
    .map((f) => fs.readFileSync(path.join(root, dir, f), "utf8").replace(/\n[ \t]*/g, ""))
    .join("");
  return { dir, files: files.length, bytes: Buffer.from(text) };
});
for (const { dir, files, bytes } of content) {
  console.log(`  ${`${dir} (${files} files)`.padEnd(32)} ${kb(bytes.length)} ${kb(gzip(bytes))}`);
}

const symbols = path.join(path.dirname(distDir), "wasm/linked/kindband-engine.js.symbols");
if (fs.existsSync(symbols)) {
  const unwanted = fs
    .readFileSync(symbols, "utf8")
    .split("\n")
    .filter((line) =>
      /ostream|istream|ios_base|basic_ios|locale|__cxa_throw|__cxa_allocate_exception/.test(line),
    );
  console.log(
    `iostreams / exception machinery in the wasm: ${unwanted.length === 0 ? "none" : unwanted.join(", ")}`,
  );
}
