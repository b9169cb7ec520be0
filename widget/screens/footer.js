// Footer on every screen: "remove everything from this device", with an inline confirmation.
import { h } from "../lib/dom.js";

export function renderFooter(w) {
  const confirm = h(
    "div",
    { class: "kb-confirm", hidden: true, "data-kb": "remove-confirm" },
    h("p", {}, w.t("remove_all_confirm")),
    w.family.exists ? h("p", {}, w.t("remove_all_family")) : null,
    h(
      "button",
      { type: "button", class: "kb-button kb-danger", onclick: () => w.removeEverything() },
      w.t("remove_all_yes"),
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
  const opener = h(
    "button",
    {
      type: "button",
      class: "kb-button kb-link",
      "aria-expanded": "false",
      onclick: () => {
        confirm.hidden = false;
        opener.setAttribute("aria-expanded", "true");
        confirm.querySelector("button").focus();
      },
    },
    w.t("remove_all"),
  );
  return h("div", { class: "kb-footer" }, opener, confirm);
}
