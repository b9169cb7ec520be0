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

/** Who wrote a message: "Moeder" / "jeugdverpleegkundige, JGZ Voorbeeldstad (Jan)". */
export function authorText(message) {
  if (message.from === "parent") return fill("fromParentCapital", { parent: t(message.parent) });
  const who = [message.role, message.organisation_name ?? message.organisation]
    .filter(Boolean)
    .join(", ");
  return message.signed_as ? `${message.signed_as} (${who})` : who;
}

export function messageItem(message) {
  const item = el("li", null, `message-item from-${message.from}`);
  item.dataset.messageId = message.id;
  const head = el("p", null, "message-head");
  head.append(
    el("strong", authorText(message)),
    el("span", ` · ${formatTime(message.at)}`, "when"),
  );
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
  node.append(
    form(
      "message-form",
      () => {
        clearFieldError(text);
        if (!text.value.trim()) return showFieldError(text, t("messageRequired"));
        const body = { text: text.value.trim() };
        if (signAs.value.trim()) body.sign_as = signAs.value.trim();
        return send(body);
      },
      field("family-message-text", t("messageToFamily"), text, t("messageToFamilyHint")),
      field("family-message-sign-as", t("signAs"), signAs, t("signAsHint")),
      submitButton(t("sendMessage")),
    ),
  );
  return node;
}
