// Sharing: the parent chooses what (nothing / result and advice / result and answers), may add contact
// details and a message, sees exactly what will be sent, and confirms. Nothing leaves the device before
// the confirm button.
import { h, uid } from "../lib/dom.js";
import { scaleLines } from "./result.js";
import {
  recipientNames,
  renderRecipients,
  responseTimes,
  routeProblem,
  shareOptions,
} from "./recipients.js";

const CHOICES = [
  ["nothing", "share_nothing"],
  ["result", "share_result"],
  ["result_and_answers", "share_answers"],
];
const CONTACT_FIELDS = [
  ["name", "contact_name", "text", "name"],
  ["phone", "contact_phone", "tel", "tel"],
  ["email", "contact_email", "email", "email"],
];

export function organisationName(w) {
  return w.getAttribute("org-name") || w.organisation;
}

/**
 * When someone looks at a share and that sharing is not for emergencies: before sending (preview)
 * and on the receipt. `times`: [{name, text}] (responseTimes in recipients.js).
 */
export function renderResponseNote(w, times) {
  return h(
    "div",
    { class: "kb-note", "data-kb": "response-time" },
    h("h3", {}, w.t("response_title")),
    (times || []).map(({ name, text }) =>
      h(
        "p",
        {},
        text ? w.t("response_line", { org: name, text }) : w.t("response_unknown", { org: name }),
      ),
    ),
    h("p", {}, h("strong", {}, w.t("not_emergency"))),
  );
}

function renderNotSetUp(w) {
  return [
    h("h2", { tabindex: "-1", "data-focus": true }, w.t("share_not_set_up_title")),
    h("p", { role: "alert" }, w.t("share_not_set_up")),
    h(
      "div",
      { class: "kb-actions" },
      h(
        "button",
        { type: "button", class: "kb-button", onclick: () => w.go("result") },
        w.t("back_to_result"),
      ),
    ),
  ];
}

// A way to reach the parent: a phone number or an e-mail address (a name alone is not one).
const reachable = (contact) => Boolean(contact?.phone?.trim() || contact?.email?.trim());

export function renderShare(w) {
  const draft = w.state.draft;
  draft.contact ??= {};
  // The family's network and the page's directory entry, asked for when this screen opens.
  const targets = w.shareTargets();
  if (targets.status === "loading")
    return [
      h("h2", { tabindex: "-1", "data-focus": true }, w.t("share_title")),
      h("p", { role: "status" }, w.t("network_loading")),
    ];
  if (targets.embed && !targets.embed.allowed) return renderNotSetUp(w);
  const problem = h("p", { class: "kb-error", role: "alert", hidden: true });
  const recipients = renderRecipients(w, draft, () => {
    problem.hidden = true;
  });
  const recipientsBox = h("div", { hidden: draft.shared === "nothing" }, recipients);
  const options = shareOptions(w);
  const groupName = uid("kb-share-what");
  const details = h(
    "div",
    { hidden: draft.shared === "nothing" },
    h(
      "fieldset",
      { class: "kb-card" },
      h("legend", {}, w.t("share_contact")),
      CONTACT_FIELDS.map(([key, label, type, autocomplete]) => {
        const id = `kb-contact-${key}`;
        return h(
          "div",
          { class: "kb-field" },
          h("label", { for: id }, w.t(label)),
          h("input", {
            id,
            type,
            autocomplete,
            maxlength: 200,
            value: draft.contact[key] || "",
            oninput: (event) => {
              draft.contact[key] = event.target.value;
            },
          }),
        );
      }),
    ),
    h(
      "div",
      { class: "kb-field" },
      h("label", { for: "kb-message" }, w.t("share_message")),
      h("textarea", {
        id: "kb-message",
        rows: 4,
        maxlength: 2000,
        value: draft.message || "",
        oninput: (event) => {
          draft.message = event.target.value;
        },
      }),
    ),
  );
  const submit = h("button", { type: "submit", class: "kb-button" }, submitLabel(w, draft.shared));
  const toPreview = () => w.go("preview", { payloads: w.preparePayloads(draft) });
  // A share after the safety help, with no way to reach the parent: asked once (issue 14).
  const contactAsk = h(
    "div",
    { class: "kb-confirm", hidden: true, "data-kb": "contact-ask" },
    h("p", { id: "kb-contact-ask" }, w.t("contact_ask")),
    h(
      "button",
      {
        type: "button",
        class: "kb-button",
        onclick: () => {
          contactAsk.hidden = true;
          w.shadowRoot.getElementById("kb-contact-phone")?.focus();
        },
      },
      w.t("contact_ask_yes"),
    ),
    h(
      "button",
      { type: "button", class: "kb-button kb-secondary", onclick: toPreview },
      w.t("contact_ask_no"),
    ),
  );
  return [
    h("h2", { tabindex: "-1", "data-focus": true }, w.t("share_title")),
    h(
      "p",
      {},
      options.members.length
        ? w.t("share_intro_network")
        : options.coalitionName
          ? w.t("share_intro_coalition", { coalition: options.coalitionName })
          : w.t("share_intro", { org: organisationName(w) }),
    ),
    h(
      "form",
      {
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          if (draft.shared === "nothing") return w.go("nothing");
          const why = routeProblem(draft);
          if (why) {
            problem.textContent = w.t(why);
            problem.hidden = false;
            return;
          }
          if (w.state.help && !reachable(draft.contact) && !draft.askedContact) {
            draft.askedContact = true;
            contactAsk.hidden = false;
            contactAsk.querySelector("button").focus();
            return;
          }
          toPreview();
        },
      },
      h(
        "fieldset",
        {},
        h("legend", {}, w.t("share_what")),
        CHOICES.map(([value, label]) =>
          h(
            "label",
            { class: "kb-option" },
            h("input", {
              type: "radio",
              name: groupName,
              value,
              checked: draft.shared === value,
              onchange: () => {
                draft.shared = value;
                details.hidden = value === "nothing";
                recipientsBox.hidden = value === "nothing";
                submit.textContent = submitLabel(w, value);
                w.save();
              },
            }),
            h("span", {}, w.t(label)),
          ),
        ),
      ),
      recipientsBox,
      details,
      problem,
      contactAsk,
      h(
        "div",
        { class: "kb-actions" },
        submit,
        h(
          "button",
          { type: "button", class: "kb-button kb-secondary", onclick: () => w.go("result") },
          w.t("back_to_result"),
        ),
      ),
    ),
  ];
}

function submitLabel(w, shared) {
  return w.t(shared === "nothing" ? "share_nothing_button" : "share_preview_button");
}

/**
 * The advice shown with this share in the preview: the engine's advice for exactly what is sent,
 * advised together with the other questionnaires of the session (adviseSession), so that a calm
 * questionnaire never reassures beside another one's safety help; band words first.
 */
function adviceFor(w, payload) {
  const { id } = payload.instrument;
  const advice = w.results().find((entry) => entry.id === id).advice;
  return [...advice.entries].sort(
    (a, b) => (a.kind === "band" ? 0 : 1) - (b.kind === "band" ? 0 : 1),
  );
}

export function renderPreview(w) {
  const payloads = w.state.payloads || [];
  const first = payloads[0];
  if (!first) return renderShare(w);
  const what = first.shared === "result_and_answers" ? "share_answers" : "share_result";
  const contact = first.contact
    ? CONTACT_FIELDS.filter(([key]) => first.contact[key]).map(
        ([key, label]) => `${w.t(label)}: ${first.contact[key]}`,
      )
    : [];
  return [
    h("h2", { tabindex: "-1", "data-focus": true }, w.t("preview_title")),
    h(
      "dl",
      {},
      h("dt", {}, w.t("preview_to")),
      h("dd", {}, recipientNames(w, first)),
      first.later_members ? h("dd", {}, w.t("share_later_members")) : null,
      first.show_to_family ? h("dd", {}, w.t("share_show_family")) : null,
      h("dt", {}, w.t("preview_what")),
      h("dd", {}, w.t(what)),
      payloads.map((payload) => {
        const def = w.defs[payload.instrument.id];
        return [
          h("dt", {}, w.t("preview_questionnaire")),
          h("dd", {}, def.short_name),
          h("dt", {}, w.t("preview_score")),
          h(
            "dd",
            {},
            scaleLines(w, def, payload.result).map((line) => h("div", {}, line)),
          ),
          adviceFor(w, payload).length
            ? [
                h("dt", {}, w.t("preview_advice")),
                h(
                  "dd",
                  { "data-kb": "preview-advice" },
                  adviceFor(w, payload).map((entry) => [
                    h("p", {}, h("strong", {}, entry.title)),
                    h("p", {}, entry.text),
                  ]),
                ),
              ]
            : null,
          payload.answers
            ? [
                h("dt", {}, w.t("preview_answers")),
                h(
                  "dd",
                  {},
                  h(
                    "ol",
                    {},
                    def.items.map((item, index) => {
                      const answer = payload.answers[index];
                      return h(
                        "li",
                        {},
                        `${item.text} — ${answer === null ? w.t("answer_missing") : item.options[answer].label}`,
                      );
                    }),
                  ),
                ),
              ]
            : null,
        ];
      }),
      h("dt", {}, w.t("preview_contact")),
      h("dd", {}, contact.length ? contact.map((line) => h("div", {}, line)) : w.t("preview_none")),
      h("dt", {}, w.t("preview_message")),
      h("dd", {}, first.message || w.t("preview_none")),
    ),
    renderResponseNote(w, responseTimes(w, first)),
    h(
      "details",
      {},
      h("summary", {}, w.t("preview_technical")),
      h(
        "pre",
        { "data-kb": "payload" },
        JSON.stringify(payloads.length === 1 ? first : payloads, null, 2),
      ),
    ),
    h(
      "div",
      { class: "kb-actions" },
      h(
        "button",
        { type: "button", class: "kb-button", onclick: () => w.confirmShare() },
        w.t("preview_confirm"),
      ),
      h(
        "button",
        { type: "button", class: "kb-button kb-secondary", onclick: () => w.go("share") },
        w.t("preview_back"),
      ),
    ),
  ];
}

export function renderNothingShared(w) {
  return [
    h("h2", { tabindex: "-1", "data-focus": true }, w.t("nothing_shared")),
    h(
      "div",
      { class: "kb-actions" },
      h(
        "button",
        { type: "button", class: "kb-button", onclick: () => w.go("result") },
        w.t("back_to_result"),
      ),
    ),
  ];
}
