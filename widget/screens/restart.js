// "Start again" asks first: it removes the answers and the result from this device (issue 14).
// askFirst() is the same question box for any button whose step cannot be taken back.
import { h } from "../lib/dom.js";

/**
 * A button that opens a box with `text`, the button `yes` (runs `onYes`) and Cancel (puts the
 * focus back). `kind` is the opener's class, `yesKind` the yes button's, `data` the box's data-kb.
 */
export function askFirst(w, { label, text, yes, onYes, kind, yesKind, data }) {
  const opener = h(
    "button",
    {
      type: "button",
      class: `kb-button ${kind}`,
      "aria-expanded": "false",
      onclick: () => {
        confirm.hidden = false;
        opener.setAttribute("aria-expanded", "true");
        confirm.querySelector("button").focus();
      },
    },
    label,
  );
  const confirm = h(
    "div",
    { class: "kb-confirm", hidden: true, "data-kb": data },
    h("p", {}, text),
    h("button", { type: "button", class: `kb-button ${yesKind}`, onclick: onYes }, yes),
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

export function renderRestart(w) {
  return askFirst(w, {
    label: w.t("restart_button"),
    text: w.t("restart_confirm"),
    yes: w.t("restart_yes"),
    onYes: () => w.start(true),
    kind: "kb-secondary",
    yesKind: "kb-danger",
    data: "restart-confirm",
  });
}
