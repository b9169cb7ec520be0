// Result: what the score means in plain words (the engine's advice, no diagnosis language), concrete
// next steps, the opt-in history, and the way to sharing.
import { h, uid } from "../lib/dom.js";
import { formatNumber } from "../lib/i18n.js";
import { renderTrend } from "./history.js";
import { renderRestart } from "./restart.js";

export function scaleLines(w, def, result) {
  return result.scales.map((scale) => {
    const values = {
      score: scale.score === null ? "–" : formatNumber(w.state.lang, scale.score),
      min: formatNumber(w.state.lang, scale.min),
      max: formatNumber(w.state.lang, scale.max),
      name: def.scales.find((candidate) => candidate.id === scale.id)?.name || scale.id,
    };
    return scale.id === "total" ? w.t("result_score", values) : w.t("result_scale_score", values);
  });
}

function renderOne(w, { id, def, result, advice }) {
  const entries = advice.entries.filter((entry) => entry.kind !== "safety");
  return h(
    "div",
    { class: "kb-card", "data-instrument": id },
    h("h3", {}, def.short_name),
    // A validated questionnaire in a translation of our own (Dutch PHQ-9, GAD-7): said on the result.
    def.validated_instrument && def.wording && !def.wording.validated
      ? h(
          "p",
          { class: "kb-hint", "data-kb": "wording-not-validated" },
          w.t("result_wording_not_validated"),
        )
      : null,
    result.complete || result.scales.some((scale) => scale.score !== null)
      ? scaleLines(w, def, result).map((line) => h("p", { class: "kb-score" }, line))
      : h("p", {}, w.t("result_incomplete")),
    entries.length
      ? entries.map((entry) => [
          h("h4", {}, entry.title),
          h("p", {}, entry.text),
          entry.steps.length
            ? [
                h("p", {}, h("strong", {}, w.t("result_next_steps"))),
                h(
                  "ul",
                  {},
                  entry.steps.map((step) => h("li", {}, step)),
                ),
              ]
            : null,
        ])
      : h("p", {}, w.t("result_no_advice")),
    w.storage.keepHistory ? renderTrend(w, id, def) : null,
  );
}

export function renderResult(w) {
  const keepId = "kb-keep-history";
  const hintId = uid("kb-keep-hint");
  return [
    h("h2", { tabindex: "-1", "data-focus": true }, w.t("result_title")),
    // From the journey: why these questionnaires (e.g. PHQ-9 + GAD-7 instead of the EPDS).
    w.journeyPick ? w.journeyScreens?.renderResultNotes(w) : null,
    w.results().map((entry) => renderOne(w, entry)),
    h("p", { class: "kb-hint" }, w.t("result_disclaimer")),
    w.storage.local
      ? h(
          "div",
          { class: "kb-keep" },
          h(
            "label",
            { class: "kb-option", for: keepId },
            h("input", {
              type: "checkbox",
              id: keepId,
              checked: w.storage.keepHistory,
              "aria-describedby": hintId,
              onchange: (event) => {
                w.setKeepHistory(event.target.checked);
                w.render();
                w.shadowRoot.getElementById(keepId)?.focus();
              },
            }),
            h("span", {}, w.t("keep_history")),
          ),
          h("p", { id: hintId, class: "kb-hint" }, w.t("keep_history_hint")),
        )
      : null,
    h(
      "div",
      { class: "kb-actions" },
      w.endpoint
        ? h(
            "button",
            { type: "button", class: "kb-button", onclick: () => w.go("share") },
            w.t("share_button"),
          )
        : h("p", { class: "kb-hint" }, w.t("share_not_configured")),
      renderRestart(w),
    ),
  ];
}
