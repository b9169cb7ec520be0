// One question at a time: progress, the question as a radio group, back and next.
// Answering only records the choice (and checks safety at once); moving on is always the parent's step,
// so arrow keys in the radio group never skip a question.
import { h, uid } from "../lib/dom.js";

export function renderQuestion(w) {
  const questions = w.questions;
  const position = Math.min(w.state.position, questions.length - 1);
  const { id, itemIndex } = questions[position];
  const def = w.defs[id];
  const item = def.items[itemIndex];
  const chosen = w.state.answers[id][itemIndex];
  const last = position + 1 === questions.length;
  const headingId = uid("kb-progress");
  const errorId = uid("kb-error");
  const name = uid("kb-item");

  const error = h("p", { id: errorId, class: "kb-error", hidden: true }, w.t("choose_answer"));
  const fieldset = h(
    "fieldset",
    {},
    h("legend", {}, item.text),
    item.options.map((option, optionIndex) =>
      h(
        "label",
        { class: "kb-option" },
        h("input", {
          type: "radio",
          name,
          value: String(optionIndex),
          checked: chosen === optionIndex,
          onchange: () => {
            error.hidden = true;
            fieldset.removeAttribute("aria-describedby");
            w.answer(id, itemIndex, optionIndex);
          },
        }),
        h("span", {}, option.label),
      ),
    ),
  );

  const form = h(
    "form",
    {
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        const answered = w.state.answers[id][itemIndex] !== null;
        if (!answered && item.required) {
          error.hidden = false;
          fieldset.setAttribute("aria-describedby", errorId);
          form.querySelector("input")?.focus();
          return;
        }
        w.next();
      },
    },
    fieldset,
    item.required ? null : h("p", { class: "kb-hint" }, w.t("skip_allowed")),
    error,
    h(
      "div",
      { class: "kb-actions" },
      h(
        "button",
        { type: "button", class: "kb-button kb-secondary", onclick: () => w.back() },
        w.t("back"),
      ),
      h("button", { type: "submit", class: "kb-button" }, w.t(last ? "to_result" : "next")),
    ),
  );

  return [
    h(
      "div",
      { class: "kb-progress" },
      h(
        "h2",
        { id: headingId, tabindex: "-1", "data-focus": true },
        w.t("question_progress", { current: position + 1, total: questions.length }),
      ),
      h("progress", { max: questions.length, value: position + 1, "aria-labelledby": headingId }),
    ),
    w.ids.length > 1 ? h("p", { class: "kb-instrument" }, def.short_name) : null,
    // The stem ("how often ...") belongs to the scored items, not to an unscored closing question.
    def.period && item.scored ? h("p", { class: "kb-period" }, def.period) : null,
    form,
  ];
}
