// The calm help box shown as soon as a safety rule triggers (e.g. PHQ-9 item 9 above 0). It stays above
// every following screen, including the result. The engine's safety advice (instrument data) comes first;
// the crisis numbers are always added.
import { fill, h, uid } from "../lib/dom.js";

export function renderHelp(w, adviceEntries) {
  const titleId = uid("kb-help-title");
  const call113 = h("a", { href: "tel:113" }, "113");
  const callFree = h("a", { href: "tel:08000113" }, "0800-0113");
  const call112 = h("a", { href: "tel:112" }, "112");
  // The numbers are always there, as links; in full sentences only when the instrument's own safety
  // advice (which names them too) is missing, so the box does not say everything twice.
  const contacts = adviceEntries.length
    ? h(
        "p",
        { class: "kb-help-call" },
        fill(w.rawText("help_call"), { short: call113, free: callFree, emergency: call112 }),
      )
    : h(
        "ul",
        {},
        h("li", {}, fill(w.rawText("help_113"), { short: call113, free: callFree })),
        h("li", {}, w.t("help_gp")),
        h("li", {}, fill(w.rawText("help_112"), { number: call112 })),
      );
  return h(
    "div",
    { class: "kb-help", role: "region", "aria-labelledby": titleId, "data-kb": "help" },
    h("h2", { id: titleId }, w.t("help_title")),
    adviceEntries.length
      ? adviceEntries.map((entry) =>
          h(
            "div",
            { class: "kb-help-advice" },
            h("h3", {}, entry.title),
            h("p", {}, entry.text),
            entry.steps.length
              ? h(
                  "ul",
                  {},
                  entry.steps.map((step) => h("li", {}, step)),
                )
              : null,
          ),
        )
      : h("p", {}, w.t("help_intro")),
    contacts,
  );
}
