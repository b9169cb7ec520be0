// Writes <file>.br and <file>.gz next to each file of a widget build (brotli at quality 11, gzip at
// level 9), which kindband-server sends to browsers that accept them (server/src/http/static_files.h)
// instead of compressing on every request or, for the .wasm, not at all. A compressed file that would
// not be smaller is not written.
//
//   node widget/tools/precompress.mjs OUT_DIR
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

let written = 0;
for (const file of files(out)) {
  if (/\.(gz|br)$/.test(file)) continue;
  const data = fs.readFileSync(file);
  const compressed = {
    gz: zlib.gzipSync(data, { level: 9 }),
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
  for (const [suffix, bytes] of Object.entries(compressed)) {
    if (bytes.length >= data.length) continue;
    fs.writeFileSync(`${file}.${suffix}`, bytes);
    written += 1;
  }
}
console.log(`precompressed: ${written} files`);
