// Puts build-time data into a bundled script: each NAME=FILE replaces the one `const NAME = {};` in
// the script with `const NAME = <FILE's JSON>;` (e.g. the instruments' first screens, made by
// export-instruments.mjs). A script without exactly one such line fails the build.
//
//   node widget/tools/inline-data.mjs SCRIPT NAME=FILE.json [NAME=FILE.json ...]
import fs from "node:fs";

const [script, ...pairs] = process.argv.slice(2);
if (!script || !pairs.length) {
  console.error("usage: node inline-data.mjs SCRIPT NAME=FILE.json [NAME=FILE.json ...]");
  process.exit(2);
}
let text = fs.readFileSync(script, "utf8");
for (const pair of pairs) {
  const [name, file] = pair.split("=");
  const line = `const ${name} = {};`;
  const found = text.split(line).length - 1;
  if (found !== 1) {
    console.error(`inline-data: ${script}: expected 1x ${line}, found ${found}`);
    process.exit(1);
  }
  const data = JSON.stringify(JSON.parse(fs.readFileSync(file, "utf8")));
  text = text.replace(line, () => `const ${name} = ${data};`);
}
fs.writeFileSync(script, text);
