// Minifies one shipped JS file with terser (build step of wasm/CMakeLists.txt): smaller downloads for
// parents on slow connections; scripts/build-web.sh minifies the widget's bundles with it too.
// Usage: node minify.mjs INPUT OUTPUT [FIRST-LINE-COMMENT]
import fs from "node:fs";
import { minify } from "terser";

const [
  input,
  output,
  preamble = "// Kindband engine (https://kindband.nl). Source: wasm/ in the Kindband repository.",
] = process.argv.slice(2);
const result = await minify(fs.readFileSync(input, "utf8"), {
  module: true, // ES modules: top-level names may be mangled, exports are kept
  ecma: 2020,
  compress: { passes: 2 },
  mangle: true,
  format: {
    comments: false,
    preamble,
  },
});
fs.writeFileSync(output, result.code + "\n");
