// The ways on from the result and the receipt (everything shared from this device, the family's
// care network), and the line that explains a word a parent may not know. Shared by the start,
// result and receipt screens (issue 24).
import { h } from "../lib/dom.js";

// The words are looked for here; their explanations come in a small file of their own
// (screens/glossary.js), fetched only when a screen shows one of them.
const HARD_WORDS = /Patient Health Questionnaire|POP-poli|infant mental health/i;

/** A line for each word in `texts` a parent may not know (POP-poli, infant mental health, PHQ). */
export function renderGlossary(w, texts) {
  const all = texts.filter(Boolean).join("\n");
  if (!HARD_WORDS.test(all)) return null;
  const box = h("div", { "data-kb": "glossary" });
  w.screenModule("glossary.js").then(
    (module) =>
      box.replaceChildren(
        ...module.explain(w.state.lang, all).map((line) => h("p", { class: "kb-hint" }, line)),
      ),
    () => {}, // offline: the words stay as they are
  );
  return box;
}

/**
 * The ways on from the result and the receipt: everything shared from this device, and the
 * family's care network (one tap, not through "start again").
 */
export function renderWayBack(w, allShares = true) {
  const count = w.shares.list().length;
  const link = (label, onclick, data) =>
    h("button", { type: "button", class: "kb-button kb-link", onclick, "data-kb": data }, label);
  const links = [
    allShares && count
      ? link(w.t("my_shares", { count }), () => w.go("receipts", { receiptIds: null }), "to-shares")
      : null,
    w.endpoint ? link(w.t("network_button"), () => w.openNetwork(), "to-network") : null,
  ].filter(Boolean);
  return links.length ? h("div", { class: "kb-actions" }, links) : null;
}
