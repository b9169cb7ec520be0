// Result: what the score means in plain words (the engine's advice, no diagnosis language), concrete
// next steps, the opt-in history, and the way to sharing.
import { h, uid } from "../lib/dom.js";
import { formatDate, formatNumber } from "../lib/format.js";
import { renderTrend } from "./history.js";
import { askFirst, renderRestart } from "./restart.js";
import { renderGlossary, renderWayBack } from "./ways.js";

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
  const shared = w.sharedBefore();
  const results = w.results();
  const keepId = "kb-keep-history";
  const hintId = uid("kb-keep-hint");
  return [
    h("h2", { tabindex: "-1", "data-focus": true }, w.t("result_title")),
    // From the journey: why these questionnaires (e.g. PHQ-9 + GAD-7 instead of the EPDS).
    w.journeyPick ? w.journeyScreens?.renderResultNotes(w) : null,
    results.map((entry) => renderOne(w, entry)),
    renderGlossary(
      w,
      results.flatMap(({ def, advice }) => [
        def.name,
        ...advice.entries.flatMap((entry) => [entry.title, entry.text, ...entry.steps]),
      ]),
    ),
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
    shared.length
      ? h(
          "p",
          { class: "kb-note", "data-kb": "shared-before" },
          w.t("result_shared_before", { date: formatDate(w.state.lang, shared[0].created_at) }),
        )
      : null,
    h(
      "div",
      { class: "kb-actions" },
      !w.endpoint
        ? h("p", { class: "kb-hint" }, w.t("share_not_configured"))
        : shared.length
          ? // Shared already: a second share goes only after the parent said so (no duplicate by accident).
            askFirst(w, {
              label: w.t("share_again_button"),
              text: w.t("share_again_confirm"),
              yes: w.t("share_again_yes"),
              onYes: () => w.go("share"),
              kind: "kb-secondary",
              yesKind: "",
              data: "share-again",
            })
          : h(
              "button",
              { type: "button", class: "kb-button", onclick: () => w.go("share") },
              w.t("share_button"),
            ),
      renderRestart(w),
    ),
    renderWayBack(w),
  ];
}
