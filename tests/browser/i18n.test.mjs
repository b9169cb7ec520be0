// The widget's own texts: Dutch and English have the same keys and the same {placeholders}, so a
// switch of language can never hit a missing text. Runs in Node (i18n.js has no DOM code).
import { test } from "node:test";
import assert from "node:assert/strict";
import { addLanguage, hasLanguage, t, textKeys } from "../../widget/lib/i18n.js";
import { TEXTS as NETWORK_TEXTS } from "../../widget/screens/network-texts.js";
import { WIDGET as ENGLISH } from "../../widget/screens/texts-en.js";

// The entry script carries Dutch and the few English texts shown while the rest is fetched.
const entryEnglish = [...textKeys("en")];
assert.equal(hasLanguage("en"), false);
addLanguage("en", ENGLISH);

test("the entry's English texts are the few shown while screens/texts-en.js comes; none twice", () => {
  assert.deepEqual(entryEnglish.sort(), [
    "language_failed",
    "language_name",
    "load_failed",
    "loading",
    "switch_language",
    "switch_language_label",
  ]);
  for (const key of entryEnglish) assert.equal(key in ENGLISH, false, `${key} is in both`);
  assert.equal(hasLanguage("en"), true);
});

test("Dutch and English have the same texts with the same placeholders", () => {
  assert.deepEqual([...textKeys("en")].sort(), [...textKeys("nl")].sort());
  const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of textKeys("nl")) {
    assert.deepEqual(placeholders(t("en", key)), placeholders(t("nl", key)), key);
  }
});

test("an unknown text key is an error, not an empty string", () => {
  assert.throws(() => t("nl", "no_such_text"), /no text "no_such_text"/);
});

test("the care-network screens' texts: same keys and placeholders, none clashing with the widget's", () => {
  const { nl, en } = NETWORK_TEXTS;
  assert.deepEqual(Object.keys(en).sort(), Object.keys(nl).sort());
  const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(nl)) {
    assert.deepEqual(placeholders(en[key]), placeholders(nl[key]), key);
    assert.equal(textKeys("nl").includes(key), false, `${key} is also a widget text`);
  }
});
