// "Start again" asks first: it removes the answers and the result from this device (issue 14).
import { h } from "../lib/dom.js";

export function renderRestart(w) {
  const opener = h(
    "button",
    {
      type: "button",
      class: "kb-button kb-secondary",
      "aria-expanded": "false",
      onclick: () => {
        confirm.hidden = false;
        opener.setAttribute("aria-expanded", "true");
        confirm.querySelector("button").focus();
      },
    },
    w.t("restart_button"),
  );
  const confirm = h(
    "div",
    { class: "kb-confirm", hidden: true, "data-kb": "restart-confirm" },
    h("p", {}, w.t("restart_confirm")),
    h(
      "button",
      { type: "button", class: "kb-button kb-danger", onclick: () => w.start(true) },
      w.t("restart_yes"),
    ),
    h(
      "button",
      {
        type: "button",
        class: "kb-button kb-secondary",
        onclick: () => {
          confirm.hidden = true;
          opener.setAttribute("aria-expanded", "false");
          opener.focus();
        },
      },
      w.t("cancel"),
    ),
  );
  return [opener, confirm];
}
