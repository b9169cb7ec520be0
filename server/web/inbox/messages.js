// Messages between the network and the family on the family page: read them (oldest first) and
// write one. The parents read it when they open the widget; no e-mail or SMS is ever sent
// (docs/care-network.md, "Messages").
import {
  clearFieldError,
  el,
  field,
  fill,
  form,
  formatTime,
  showFieldError,
  submitButton,
  t,
} from "./common.js";

const TEXT_MAX = 1000;
const SIGN_AS_MAX = 60;

const PARENTS = ["mother", "partner"];

/** Who wrote a message: "Moeder" / "jeugdverpleegkundige, JGZ Voorbeeldstad (Jan)". */
export function authorText(message) {
  if (message.from === "parent") return fill("fromParentCapital", { parent: t(message.parent) });
  const who = [message.role, message.organisation_name ?? message.organisation]
    .filter(Boolean)
    .join(", ");
  return message.signed_as ? `${message.signed_as} (${who})` : who;
}

/**
 * Who reads a message besides its writer: a parent's message to one organisation ("alleen aan
 * jullie organisatie"), a reply to one parent ("alleen aan de moeder"); null for the usual.
 */
export function audienceText(message) {
  if (message.from === "parent" && message.organisation) return t("onlyYourOrganisation");
  if (message.from !== "parent" && PARENTS.includes(message.to_parent))
    return fill("onlyToParent", { parent: t(message.to_parent) });
  return null;
}

export function messageItem(message) {
  const item = el("li", null, `message-item from-${message.from}`);
  item.dataset.messageId = message.id;
  const head = el("p", null, "message-head");
  head.append(
    el("strong", authorText(message)),
    el("span", ` · ${formatTime(message.at)}`, "when"),
  );
  const audience = audienceText(message);
  if (audience) head.append(" ", el("span", audience, "badge status message-audience"));
  const text = el("p", message.text, "message");
  item.append(head, text);
  return item;
}

export function messagesSection(node, data, send) {
  const messages = data.messages ?? [];
  if (!messages.length) node.append(el("p", t("messagesEmpty"), "hint"));
  else {
    const list = el("ol", null, "messages");
    for (const message of messages) list.append(messageItem(message));
    node.append(list);
  }
  const text = el("textarea");
  text.maxLength = TEXT_MAX;
  text.rows = 3;
  const signAs = el("input");
  signAs.maxLength = SIGN_AS_MAX;
  signAs.autocomplete = "off";
  // A reply can go to one parent only (e.g. to a parent's private message).
  const toParent = el("select");
  for (const value of ["", ...PARENTS]) {
    const option = el(
      "option",
      value ? fill("onlyToParent", { parent: t(value) }) : t("bothParents"),
    );
    option.value = value;
    toParent.append(option);
  }
  node.append(
    form(
      "message-form",
      () => {
        clearFieldError(text);
        if (!text.value.trim()) return showFieldError(text, t("messageRequired"));
        const body = { text: text.value.trim() };
        if (signAs.value.trim()) body.sign_as = signAs.value.trim();
        if (toParent.value) body.to_parent = toParent.value;
        return send(body);
      },
      field("family-message-text", t("messageToFamily"), text, t("messageToFamilyHint")),
      field("family-message-to-parent", t("messageTo"), toParent, t("messageToHint")),
      field("family-message-sign-as", t("signAs"), signAs, t("signAsHint")),
      submitButton(t("sendMessage")),
    ),
  );
  return node;
}
