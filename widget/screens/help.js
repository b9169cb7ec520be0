// The calm help box shown as soon as a safety rule triggers (e.g. PHQ-9 item 9 above 0). It stays above
// every following screen, including the result. The engine's safety advice (instrument data) comes first;
// the crisis numbers are always there, as links big enough to tap.
//
// When it first appears it is scrolled into view and takes the focus (on a phone or at 200% zoom it would
// otherwise appear out of sight), with a button straight back to the question. On later screens it is a
// compact bar with the numbers that the parent can expand; on the result it is open.
// Kept in the eagerly loaded widget on purpose: help must never wait for a download.
import { h, uid } from "../lib/dom.js";

function numbers(w) {
  const call = (href, key, number) => h("a", { href, class: "kb-call" }, w.t(key, { number }));
  return [
    h("p", { class: "kb-help-lead" }, w.t("help_bar")),
    h(
      "p",
      { class: "kb-help-calls" },
      call("tel:113", "help_call", "113"),
      call("tel:08000113", "help_call_free", "0800-0113"),
      call("tel:112", "help_call", "112"),
    ),
  ];
}

function details(w, adviceEntries, id) {
  return h(
    "div",
    { id, class: "kb-help-details" },
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
      : [
          h("p", {}, w.t("help_intro")),
          h("p", {}, w.t("help_113", { short: "113", free: "0800-0113" })),
        ],
    h("p", {}, w.t("help_gp")),
  );
}

/**
 * The box: `open` shows the advice, `fresh` (just appeared on a question) adds the way back to the
 * question. `onToggle(open)` and `onBack()` are the element's.
 */
export function renderHelp(w, adviceEntries, { open, fresh, onToggle, onBack }) {
  const titleId = uid("kb-help-title");
  const detailsId = uid("kb-help-details");
  const more = details(w, adviceEntries, detailsId);
  more.hidden = !open;
  return h(
    "div",
    {
      class: open ? "kb-help" : "kb-help kb-help-compact",
      role: "region",
      "aria-labelledby": titleId,
      "data-kb": "help",
    },
    h("h2", { id: titleId, tabindex: "-1" }, w.t("help_title")),
    numbers(w),
    h(
      "div",
      { class: "kb-help-actions" },
      fresh
        ? h("button", { type: "button", class: "kb-button", onclick: onBack }, w.t("help_back"))
        : null,
      h(
        "button",
        {
          type: "button",
          class: "kb-button kb-link",
          "aria-expanded": String(open),
          "aria-controls": detailsId,
          onclick: () => onToggle(!open),
        },
        w.t(open ? "help_less" : "help_more"),
      ),
    ),
    more,
  );
}

/**
 * Draws the help into its slot. Returns true when it took the focus (it has just appeared).
 * `w.helpArrived` is set by the element when an answer (or the engine's late check) first raises the
 * help; the screen it appeared on keeps it open until the parent moves on or goes back to the question.
 */
export function placeHelp(w, slot, adviceEntries) {
  const { screen, position } = w.state;
  const here = `${screen}:${screen === "question" ? position : ""}`;
  const arrived = Boolean(w.helpArrived);
  if (arrived) {
    w.helpArrived = false;
    w.helpFreshOn = here;
    w.helpOpen = false;
  }
  const fresh = w.helpFreshOn === here && screen === "question";
  const open = fresh || w.helpOpen || screen === "result";
  const key = [w.state.lang, here, open, fresh, ...adviceEntries.map((entry) => entry.id)].join();
  if (!arrived && slot.dataset.key === key && slot.firstChild) return false; // unchanged
  slot.dataset.key = key;
  const redraw = (focusSelector) => {
    slot.dataset.key = "";
    placeHelp(w, slot, adviceEntries);
    slot.querySelector(focusSelector)?.focus();
  };
  const box = renderHelp(w, adviceEntries, {
    open,
    fresh,
    onToggle: (wanted) => {
      w.helpOpen = wanted;
      if (!wanted) w.helpFreshOn = null;
      redraw("[aria-expanded]");
    },
    onBack: () => {
      w.helpFreshOn = null;
      redraw("none");
      const question = w.shadowRoot.querySelector(".kb-screen fieldset");
      const target = question?.querySelector("input:checked") || question?.querySelector("input");
      target?.scrollIntoView({ block: "center" });
      target?.focus({ preventScroll: true });
    },
  });
  slot.replaceChildren(box);
  if (!arrived) return false;
  const heading = box.querySelector("h2");
  const bringIntoView = () => {
    box.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  };
  bringIntoView();
  // WebKit focuses a clicked answer's radio after its change event, which took the focus back:
  // once that has happened, bring the help in again (unless the parent has moved on already).
  setTimeout(() => {
    const active = w.shadowRoot.activeElement;
    if (heading.isConnected && (!active || active.matches(".kb-screen fieldset input")))
      bringIntoView();
  }, 0);
  return true;
}
