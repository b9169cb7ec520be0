// Joins the widget's ES modules into one file, so a page fetches one script instead of a cascade of
// small modules (each a request before the engine can even start loading). Our own 100 lines, no npm
// bundler: each module becomes a function scope that returns its exports, in dependency order.
//
//   node widget/tools/bundle.mjs widget/kindband-screen.js > build/web/kindband-screen.js
//
// Supported (and all the widget uses): `import { a, b } from "./x.js";`, `import "./x.js";`,
// `export function|async function|class|const|let name`. Anything else that imports or exports is an
// error naming the file, so a new construct fails the build instead of producing a broken bundle.
// `import.meta.url` keeps meaning "this module's URL"; dynamic import() of other files is left alone.
// Indentation and comment-only lines are dropped (a multi-line template literal must not depend on
// its indentation; /* */ comments spanning lines are kept).
import fs from "node:fs";
import path from "node:path";

const entry = path.resolve(process.argv[2] || "");
if (!process.argv[2] || !fs.existsSync(entry)) {
  console.error("usage: node bundle.mjs ENTRY.js > bundle.js");
  process.exit(2);
}
const root = path.dirname(entry);
const IMPORT = /^import\s+(?:\{([^}]*)\}\s+from\s+)?["']([^"']+)["'];?[ \t]*$/gm;
const EXPORT = /^export\s+(?:async\s+function|function|class|const|let)\s+(\w+)/gm;

const modules = new Map(); // file -> {name, code, exports}
const order = [];

function variableFor(file) {
  return (
    "__kb_" +
    path
      .relative(root, file)
      .replace(/\.js$/, "")
      .replace(/[^A-Za-z0-9]/g, "_")
  );
}

function fail(file, message) {
  console.error(`bundle: ${path.relative(process.cwd(), file)}: ${message}`);
  process.exit(1);
}

function load(file, stack = []) {
  if (modules.has(file)) return;
  if (stack.includes(file)) fail(file, `import cycle: ${[...stack, file].join(" -> ")}`);
  if (!fs.existsSync(file)) fail(stack[stack.length - 1], `imports a missing file ${file}`);
  const source = fs.readFileSync(file, "utf8");
  const imports = [];
  let code = source.replace(IMPORT, (match, names, specifier) => {
    if (!specifier.startsWith("."))
      fail(file, `only relative imports can be bundled: ${specifier}`);
    const target = path.resolve(path.dirname(file), specifier);
    const bindings = (names || "")
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean);
    for (const binding of bindings) {
      if (!/^\w+$/.test(binding)) fail(file, `unsupported import binding "${binding}"`);
    }
    imports.push({ target, bindings });
    return "";
  });
  if (/^\s*import\s[^(]/m.test(code)) fail(file, "an import statement this bundler cannot read");
  const exports = [];
  code = code.replace(EXPORT, (match, name) => {
    exports.push(name);
    return match.replace(/^export\s+/, "");
  });
  if (/^\s*export\s/m.test(code))
    fail(file, "an export form this bundler cannot read (use export function/class/const)");
  const here = path.relative(root, file).split(path.sep).join("/");
  code = code.replaceAll("import.meta.url", `new URL("./${here}", import.meta.url).href`);
  for (const { target } of imports) load(target, [...stack, file]);
  const header = imports
    .filter(({ bindings }) => bindings.length)
    .map(({ target, bindings }) => `const { ${bindings.join(", ")} } = ${variableFor(target)};`)
    .join("\n");
  modules.set(file, { name: variableFor(file), code: `${header}\n${code.trim()}`, exports });
  order.push(file);
}

load(entry);
const parts = [
  `// Kindband widget, bundled by widget/tools/bundle.mjs from widget/ (${order.length} modules).` +
    " Do not edit: change the sources.",
];
for (const file of order) {
  const { name, code, exports } = modules.get(file);
  parts.push(
    `// ---- ${path.relative(root, file)}\nconst ${name} = (() => {\n${code}\nreturn { ${exports.join(", ")} };\n})();`,
  );
}
const entryExports = modules.get(entry).exports;
if (entryExports.length)
  parts.push(`export const { ${entryExports.join(", ")} } = ${variableFor(entry)};`);
// Compact: drop indentation and comment-only lines (about a fifth of the gzip size). Line breaks stay,
// so automatic semicolon insertion sees the same code; the widget's multi-line template literals are
// CSS, where indentation means nothing.
const [banner, ...rest] = parts.join("\n\n").split("\n");
const compact = rest
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("//") && !/^\/\*.*\*\/$/.test(line));
process.stdout.write([banner, ...compact].join("\n") + "\n");
