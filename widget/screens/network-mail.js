// Mail when there is news (issue 23): a parent may give an e-mail address, for themselves only, on
// their own device. Offered once (the first time the network screen shows it), in plain words; after
// that a short line to turn it on, change it or stop it. The mail never says what the news is.
// The address goes only to the server (PUT /family/notifications) and is never shown to anyone else.
import { h, uid } from "../lib/dom.js";
import { button, errorText, guarded, problemLine } from "./network-parts.js";

/** GET /family/notifications: {email, page}; null when it could not be asked. */
export function loadMail(w, endpoint) {
  return w.family.call(endpoint, "GET", "family/notifications").catch(() => null);
}

/** The page the mail links back to: this page, without anything after ? or #. */
function thisPage() {
  return window.location.origin + window.location.pathname;
}

function mailErrorText(w, error) {
  if (error?.code === "invalid_email") return w.t("net_mail_invalid");
  return errorText(w, error);
}

function addressForm(w, data, { action, cancel }) {
  const id = uid("kb-mail");
  const problem = problemLine();
  const input = h("input", {
    id,
    type: "email",
    autocomplete: "email",
    spellcheck: "false",
    maxlength: 254,
    value: data.mail?.email || "",
    "aria-describedby": problem.id,
  });
  const run = async () => {
    problem.hidden = true;
    input.removeAttribute("aria-invalid");
    try {
      const email = input.value.trim();
      if (!email) throw Object.assign(new Error("empty"), { code: "invalid_email" });
      data.mail = await w.family.call(w.endpoint, "PUT", "family/notifications", {
        email,
        page: thisPage(),
      });
      data.mailEditing = false;
      w.render();
    } catch (error) {
      problem.textContent = mailErrorText(w, error);
      problem.hidden = false;
      input.setAttribute("aria-invalid", "true");
    }
  };
  return h(
    "form",
    {
      class: "kb-card",
      "data-kb": "mail-form",
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        run();
      },
    },
    h("div", { class: "kb-field" }, h("label", { for: id }, w.t("net_mail_label")), input),
    problem,
    h(
      "div",
      { class: "kb-actions" },
      h("button", { type: "submit", class: "kb-button" }, action),
      cancel,
    ),
  );
}

/** The "mail when there is news" part of the network screen. */
export function renderMail(w, data) {
  if (!data.mail) return null;
  const saved = w.family.saved;
  const email = data.mail.email;
  // Offered once: the first time this device shows the part without an address.
  const offer = !email && !saved?.mail_offered && !data.mailOfferShown;
  if (!email && !saved?.mail_offered) {
    data.mailOfferShown = true;
    w.storage.saveFamily({ ...saved, mail_offered: true });
  }
  if (offer || (data.mailEditing && !email)) {
    return h(
      "section",
      { class: "kb-consent", "data-kb": "mail-offer" },
      h("h3", {}, w.t("net_mail_offer_title")),
      h("p", {}, w.t("net_mail_offer_text")),
      h("p", {}, w.t("net_mail_private")),
      addressForm(w, data, {
        action: w.t("net_mail_yes"),
        cancel: button(
          w.t("net_mail_no"),
          () => {
            data.mailOfferShown = false;
            data.mailEditing = false;
            w.render();
          },
          "kb-secondary",
        ),
      }),
    );
  }
  const problem = problemLine();
  return h(
    "section",
    { "data-kb": "mail" },
    h("h3", {}, w.t("net_mail_title")),
    email ? h("p", {}, w.t("net_mail_on", { email })) : h("p", {}, w.t("net_mail_off")),
    data.mailEditing
      ? addressForm(w, data, {
          action: w.t("net_mail_save"),
          cancel: button(
            w.t("net_mail_cancel"),
            () => {
              data.mailEditing = false;
              w.render();
            },
            "kb-secondary",
          ),
        })
      : h(
          "div",
          { class: "kb-actions" },
          button(
            w.t(email ? "net_mail_change" : "net_mail_yes"),
            () => {
              data.mailEditing = true;
              w.render();
            },
            "kb-secondary",
          ),
          email
            ? button(
                w.t("net_mail_stop"),
                guarded(w, problem, async () => {
                  data.mail = await w.family.call(w.endpoint, "DELETE", "family/notifications");
                  w.render();
                }),
                "kb-secondary",
              )
            : null,
        ),
    problem,
  );
}
