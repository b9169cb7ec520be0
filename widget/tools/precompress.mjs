// Writes <file>.br and <file>.gz next to each file of a widget build, which kindband-server
// (server/src/http/static_files.h) and nginx (gzip_static/brotli_static, examples/nginx/kindband.conf)
// send to browsers that accept them instead of compressing on every request or, for the .wasm, not at
// all. Brotli at quality 11. Gzip with zopfli (Debian package `zopfli`, scripts/install-deps.sh) when
// its binary is on the PATH: ordinary gzip that every browser and proxy reads, 3-6% smaller than zlib's
// level 9 (the core engine's wasm 70.6 -> 66.6 KB), for a few seconds of build; else zlib level 9.
// Prints which gzip it used. A compressed file that would not be smaller is not written.
//
//   node widget/tools/precompress.mjs OUT_DIR        (KINDBAND_ZOPFLI=0: zlib even with zopfli there)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const out = process.argv[2];
if (!out) {
  console.error("usage: node precompress.mjs OUT_DIR");
  process.exit(2);
}
const TEXT = new Set([".js", ".mjs", ".json", ".html", ".css", ".svg"]);

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

function hasZopfli() {
  if (process.env.KINDBAND_ZOPFLI === "0") return false;
  try {
    execFileSync("zopfli", ["-h"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // zopfli -h exits non-zero on some versions: only a missing binary counts as missing.
    return error.code !== "ENOENT";
  }
}
const zopfli = hasZopfli();
const gzipName = zopfli
  ? "zopfli"
  : process.env.KINDBAND_ZOPFLI === "0"
    ? "zlib level 9 (KINDBAND_ZOPFLI=0)"
    : "zlib level 9: no zopfli on the PATH";
const gzip = zopfli
  ? (file) => execFileSync("zopfli", ["-c", file], { maxBuffer: 64 << 20 })
  : (file, data) => zlib.gzipSync(data, { level: 9 });

let written = 0;
for (const file of files(out)) {
  if (/\.(gz|br)$/.test(file)) continue;
  const data = fs.readFileSync(file);
  const compressed = {
    gz: gzip(file, data),
    br: zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [zlib.constants.BROTLI_PARAM_MODE]: TEXT.has(path.extname(file))
          ? zlib.constants.BROTLI_MODE_TEXT
          : zlib.constants.BROTLI_MODE_GENERIC,
      },
    }),
  };
  // The .gz must be exactly the file (zopfli is a separate program): a wrong one is a broken page.
  if (!zlib.gunzipSync(compressed.gz).equals(data)) {
    console.error(`precompress: ${file}: the gzip output does not decompress to the file`);
    process.exit(1);
  }
  for (const [suffix, bytes] of Object.entries(compressed)) {
    if (bytes.length >= data.length) continue;
    fs.writeFileSync(`${file}.${suffix}`, bytes);
    written += 1;
  }
}
console.log(`precompressed: ${written} files (gzip: ${gzipName}; brotli: quality 11)`);
