// Repeated calls, good and bad, must not grow the wasm heap: a leak of the inputs would show within
// a few dozen calls with inputs of a megabyte (the heap starts at 16 MB and only grows).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { distDir } from "./load.mjs";

test("RepeatedCalls_WithLargeInputs_DoNotGrowTheHeap", async () => {
  const { default: createKindbandEngine } = await import(
    pathToFileURL(path.join(distDir, "kindband-engine.js")).href
  );
  const engine = await createKindbandEngine({
    wasmBinary: fs.readFileSync(path.join(distDir, "kindband-engine.wasm")),
  });
  const megabyte = JSON.stringify({ wording_pack: "x".repeat(1_000_000) });
  const answers = JSON.stringify([0, 1, 2, 3, 0, 1, 2, 3, 1]);
  const warmUp = () => {
    assert.equal(engine.add_wording_pack(megabyte)[0], "!");
    assert.equal(engine.score("phq9", answers, '{"role":"mother"}')[0], "+");
    assert.equal(engine.score("phq9", "[0," + "1,".repeat(20000) + "1]", "")[0], "!");
    assert.equal(engine.advise("phq9", answers, "", "nl")[0], "+");
  };
  warmUp();
  const heap = engine.HEAP8.length;
  for (let i = 0; i < 60; i++) warmUp(); // 60 MB of wording packs if they leaked
  assert.equal(engine.HEAP8.length, heap);
});
