// Repeated calls, good and bad, must not grow the wasm heap: a leak of the inputs would show within
// a few dozen calls with inputs of a megabyte (the heap starts at 16 MB and only grows).
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadForNode } from "./load.mjs";

test("RepeatedCalls_WithLargeInputs_DoNotGrowTheHeap", async () => {
  // The module's memory, seen as it is instantiated (the API does not expose it).
  let memory = null;
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async (...args) => {
    const result = await instantiate.apply(WebAssembly, args);
    memory ??= Object.values((result.instance ?? result).exports).find(
      (value) => value instanceof WebAssembly.Memory,
    );
    return result;
  };
  let kb;
  try {
    kb = await loadForNode("full");
  } finally {
    WebAssembly.instantiate = instantiate;
  }
  assert.ok(memory instanceof WebAssembly.Memory, "the module's memory was seen");
  const megabyte = { wording_pack: "x".repeat(1_000_000) };
  const answers = [0, 1, 2, 3, 0, 1, 2, 3, 1];
  const warmUp = () => {
    assert.throws(() => kb.addWordingPack(megabyte));
    assert.ok(kb.score("phq9", answers, { role: "mother" }).scales.length > 0);
    assert.throws(() => kb.score("phq9", [0, ...Array(20000).fill(1), 1]));
    assert.ok(kb.advise("phq9", answers, undefined, "nl").entries.length > 0);
  };
  warmUp();
  const heap = memory.buffer.byteLength;
  for (let i = 0; i < 60; i++) warmUp(); // 60 MB of wording packs if they leaked
  assert.equal(memory.buffer.byteLength, heap);
});
