// Versions the files of a widget build by content (docs/widget.md, "Caching"): every URL the widget
// asks for carries its file's hash (?v=<12 hex digits of SHA-256>), which kindband-server answers with
// a year's cache lifetime; the entry script (kindband-screen.js) stays unversioned and short-lived.
//
//   node widget/tools/version-files.mjs OUT_DIR BUNDLED_ENTRY VERSIONED_ENTRY
//
// 1. kindband.mjs in OUT_DIR: its imports of the engine builds get the engine files' versions.
// 2. The versions of kindband.mjs, the engine builds, screens/*.js and journeys/*.json go into the bundled entry
//    script's `const VERSIONS = {};` (widget/lib/assets.js), written to VERSIONED_ENTRY.
// Instrument files stay unversioned (a site's preload hint names them, docs/widget.md).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const [out, bundledEntry, versionedEntry] = process.argv.slice(2);
if (!versionedEntry) {
  console.error("usage: node version-files.mjs OUT_DIR BUNDLED_ENTRY VERSIONED_ENTRY");
  process.exit(2);
}
const fail = (message) => {
  console.error(`version-files: ${message}`);
  process.exit(1);
};
const version = (file) =>
  crypto
    .createHash("sha256")
    .update(fs.readFileSync(path.join(out, file)))
    .digest("hex")
    .slice(0, 12);

// Replaces `from` in `text` exactly `count` times (a build whose text changed shape fails here).
function replaceExactly(text, from, to, what, count = 1) {
  const found = text.split(from).length - 1;
  if (found !== count) fail(`${what}: expected ${count}x ${from}, found ${found}`);
  return text.split(from).join(to);
}

const engineFiles = fs
  .readdirSync(out)
  .filter((name) => /^kindband-engine.*\.(js|wasm)$/.test(name));
const versions = {};
for (const file of engineFiles) versions[file] = version(file);

let api = fs.readFileSync(path.join(out, "kindband.mjs"), "utf8");
for (const file of engineFiles.filter((name) => name.endsWith(".js"))) {
  for (const quote of ['"', "'", "`"]) {
    const literal = `${quote}./${file}${quote}`;
    if (api.includes(literal)) {
      api = replaceExactly(
        api,
        literal,
        `${quote}./${file}?v=${versions[file]}${quote}`,
        "kindband.mjs",
      );
    }
  }
  if (!api.includes(`./${file}?v=`)) fail(`kindband.mjs does not import ./${file}`);
}
fs.writeFileSync(path.join(out, "kindband.mjs"), api);
versions["kindband.mjs"] = version("kindband.mjs");

const screens = path.join(out, "screens");
for (const file of fs.existsSync(screens) ? fs.readdirSync(screens) : []) {
  if (file.endsWith(".js")) versions[`screens/${file}`] = version(`screens/${file}`);
}
// The journey files for parents (lib/engine.js fetches the one in the page's language).
const journeys = path.join(out, "journeys");
for (const file of fs.existsSync(journeys) ? fs.readdirSync(journeys) : []) {
  if (file.endsWith(".json")) versions[`journeys/${file}`] = version(`journeys/${file}`);
}

const entry = replaceExactly(
  fs.readFileSync(bundledEntry, "utf8"),
  "const VERSIONS = {};",
  `const VERSIONS = ${JSON.stringify(versions)};`,
  bundledEntry,
);
fs.writeFileSync(versionedEntry, entry);
console.log(`versioned ${Object.keys(versions).length} files`);
