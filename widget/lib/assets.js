// The widget's other files lie next to its script. In a build (scripts/build-web.sh) each URL carries
// its file's content hash (?v=...), so the server can let browsers keep the file for a year and a new
// build is fetched at once; only the entry script itself is asked for again after a few minutes.
const ROOT = new URL("../", import.meta.url);
// File -> version, filled in by widget/tools/version-files.mjs; empty when the modules run unbundled.
const VERSIONS = {};

/** The absolute URL of a file of build/web, e.g. assetUrl("kindband.mjs"). */
export function assetUrl(file) {
  const url = new URL(file, ROOT);
  if (Object.hasOwn(VERSIONS, file)) url.searchParams.set("v", VERSIONS[file]);
  return url.href;
}
