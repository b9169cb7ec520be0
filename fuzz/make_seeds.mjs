// Writes the seed corpus of each fuzz target (fuzz/*_fuzz.cpp) from the real files: every built-in
// instrument, the journey, a wording pack for every instrument (made from its own items), and
// answers and contexts that reach every band set. Usage: node fuzz/make_seeds.mjs OUT_DIR
import fs from "node:fs";
import path from "node:path";

const root = path.join(path.dirname(new URL(import.meta.url).pathname), "..");
const out = process.argv[2];
const dir = (name) => {
  const d = path.join(out, name);
  fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(d, { recursive: true });
  return d;
};
const seeds = Object.fromEntries(
  ["json_reader", "instrument_loader", "score_advise", "engine_calls"].map((t) => [t, dir(t)]),
);
let count = 0;
const write = (target, name, content) => {
  fs.writeFileSync(path.join(seeds[target], name), content);
  count++;
};

const instrumentDir = path.join(root, "engine/instruments");
const files = fs.readdirSync(instrumentDir).filter((name) => name.endsWith(".json"));
const instruments = files.map((name) => {
  const text = fs.readFileSync(path.join(instrumentDir, name), "utf8");
  return { name, text, json: JSON.parse(text) };
});
// Library::instruments() is sorted by id: the score target picks instruments by that index.
const byId = [...instruments].sort((a, b) => (a.json.id < b.json.id ? -1 : 1));

for (const { name, text, json } of instruments) {
  write("json_reader", name, text);
  write("instrument_loader", `i-${name}`, "i" + text);
  const options = (item) =>
    typeof item.options === "string" ? json.option_sets[item.options] : item.options;
  const pack = {
    wording_pack: `seed-${json.id}`,
    instrument: json.id,
    instrument_version: json.version,
    language: "en",
    validated: false,
    source: "fuzz seed",
    licence: "fuzz seed",
    title: "Seed",
    period: "Seed",
    items: Object.fromEntries(
      json.items.map((item) => [
        item.id,
        { text: `Item ${item.id}`, options: options(item).map((_, i) => `Option ${i}`) },
      ]),
    ),
  };
  write("instrument_loader", `w-${json.id}.json`, "w" + JSON.stringify(pack, null, 1));
  const items = json.items.length;
  for (const [c, context] of [
    ["none", "{}"],
    ["mother-pregnancy-12", '{"role":"mother","stage":"pregnancy","week":12}'],
    ["partner-postpartum-6", '{"role":"partner","stage":"postpartum","week":6}'],
  ]) {
    const answers = JSON.stringify(json.items.map((item, i) => (i === 1 ? null : 1)));
    write("engine_calls", `score-${json.id}-${c}`, `score\n${json.id}\n${answers}\n${context}\n`);
    write(
      "engine_calls",
      `advise-${json.id}-${c}`,
      `advise\n${json.id}\n${answers}\n${context}\nnl`,
    );
  }
  write("engine_calls", `instrument-${json.id}`, `instrument\n${json.id}\nen`);
  const index = byId.findIndex((each) => each.json.id === json.id);
  // instrument, context (role | stage << 2), week, one byte per item.
  for (const [role, stage, week] of [
    [0, 0, 255],
    [1, 1, 10],
    [1, 1, 20],
    [1, 2, 6],
    [2, 1, 30],
    [2, 2, 40],
  ]) {
    for (const fill of [0, 1, 2, 3, 0xf0]) {
      const bytes = Buffer.alloc(3 + items, fill);
      bytes[0] = index;
      bytes[1] = role | (stage << 2);
      bytes[2] = week;
      write("score_advise", `${json.id}-${role}-${stage}-${week}-${fill}`, bytes);
    }
  }
}
const journeyDir = path.join(root, "engine/journeys");
for (const name of fs.readdirSync(journeyDir).filter((n) => n.endsWith(".json"))) {
  write("json_reader", `journey-${name}`, fs.readFileSync(path.join(journeyDir, name)));
}
// The edges issue 12 found, so that each run starts from them.
for (const [name, text] of Object.entries({
  "big-number": "[1e999, -1e999, 1e308, 4.9e-324, -9.2e-325, 18446744073709551616]",
  "whole-floats": '{"a": 1.0, "b": 1e0, "c": -0.0}',
  escapes: '["\\ud83d\\ude00", "\\u0000", "tab\\t"]',
})) {
  write("json_reader", name, text);
}
// Instruments at the loader's edges: an optional scored item without a 0 option (a complete score
// below the scale's range before issue 12), and option values adding up past int32.
const small = (items) =>
  "i" +
  JSON.stringify({
    id: "edge",
    version: "1",
    name: { en: "Edge" },
    authors: "a",
    year: 2020,
    citation: "c",
    licence: "l",
    wording: { en: { validated: false, source: "s" } },
    items,
    total: {},
  });
write(
  "instrument_loader",
  "i-optional-item",
  small([
    { id: "a", options: [{ value: 0 }, { value: 3 }] },
    { id: "b", options: [{ value: 1 }, { value: 2 }], required: false },
  ]),
);
write(
  "instrument_loader",
  "i-large-values",
  small(
    Array.from({ length: 22 }, (_, i) => ({
      id: `i${i}`,
      options: [{ value: 0 }, { value: 999999 }],
    })),
  ),
);
write(
  "engine_calls",
  "answers-edges",
  'score\nphq9\n[1.0,1e999,-0,4294967296]\n{"week":"2147483648"}\n',
);
write("engine_calls", "week-digits", 'score\nphq9\n[0]\n{"week":"2147483648"}\n');
write("engine_calls", "list", "list\nnl");
write("engine_calls", "advise-result", 'advise_result\nen\n{"instrument":"phq9"}');
console.log(`fuzz seeds: ${count} files in ${out}`);
