// "My day" (GET /api/v1/inbox/day), the landing view after login: my cases, shares nobody has taken
// yet (received by my organisation; of those, the ones also sent to other organisations in the
// family's network), overdue agreements and new messages from parents, each with a way to the share
// or the family's page.
import {
  $,
  api,
  button,
  el,
  familyLabel,
  familyPageLabel,
  fill,
  formatDay,
  formatTime,
  t,
} from "./common.js";
import { agreementBadges, dueText, ownerText } from "./agreements.js";
import { audienceText, authorText } from "./messages.js";
import { shareItem } from "./share_item.js";

/** My day as last loaded (re-rendered on a language change). */
export const day = { data: null };

export async function loadDay(handlers) {
  day.data = await api("/api/v1/inbox/day");
  renderDay(handlers);
}

function part(titleKey, id, count) {
  const node = el("section", null, "day-part");
  node.setAttribute("aria-labelledby", id);
  const heading = el("h3");
  heading.id = id;
  heading.append(t(titleKey), " ", el("span", `(${count})`, "day-count"));
  node.append(heading);
  return node;
}

function shares(node, entries, emptyKey, handlers) {
  if (!entries.length) {
    node.append(el("p", t(emptyKey), "hint"));
    return;
  }
  const list = el("ul", null, "share-list");
  for (const entry of entries) list.append(shareItem(entry, handlers));
  node.append(list);
}

function familyButton(familyId, handlers, name) {
  const node = button(
    familyLabel(familyId, name),
    () => handlers.openFamily(familyId),
    "family-link",
  );
  node.setAttribute("aria-label", familyPageLabel(familyId, name));
  return node;
}

export function renderDay(handlers) {
  const box = $("day");
  box.replaceChildren();
  const data = day.data;
  if (!data) return;
  const mine = data.my_cases ?? [];
  const ours = data.not_taken?.organisation ?? [];
  const network = data.not_taken?.network ?? [];
  const overdue = data.overdue_agreements ?? [];
  const messages = data.new_messages ?? [];

  const myCases = part("myCases", "day-mine-title", mine.length);
  myCases.dataset.part = "my-cases";
  shares(myCases, mine, "myCasesEmpty", handlers);

  const notTaken = part("notTaken", "day-not-taken-title", ours.length);
  notTaken.dataset.part = "not-taken";
  notTaken.append(el("p", t("notTakenHint"), "hint"));
  shares(notTaken, ours, "notTakenEmpty", handlers);
  // Shares also sent to other members of the family's network: marked where they are listed (each
  // share once), so that the network agrees who takes it.
  if (network.length) {
    notTaken.insertBefore(
      el(
        "p",
        `${fill("notTakenNetwork", { n: network.length })}. ${t("notTakenNetworkHint")}`,
        "hint",
      ),
      notTaken.querySelector(".share-list"),
    );
    const others = new Map(network.map((entry) => [entry.share_id, entry.other_recipients]));
    for (const item of notTaken.querySelectorAll(".share-list > li")) {
      if (!others.has(item.dataset.shareId)) continue;
      item.dataset.network = "true";
      item.append(
        el(
          "p",
          fill("notTakenAlsoOthers", { n: others.get(item.dataset.shareId) }),
          "also-network",
        ),
      );
    }
  }

  const late = part("overdueAgreements", "day-overdue-title", overdue.length);
  late.dataset.part = "overdue";
  if (!overdue.length) late.append(el("p", t("overdueEmpty"), "hint"));
  else {
    const list = el("ul", null, "day-list");
    for (const { family_id: familyId, family_name: familyName, agreement } of overdue) {
      const item = el("li", null, "agreement overdue");
      item.dataset.agreementId = agreement.id;
      item.append(el("p", null, "day-item-head"));
      item.firstChild.append(el("strong", agreement.what), " ", ...agreementBadges(agreement));
      item.append(el("p", `${dueText(agreement)} · ${ownerText(agreement)}`));
      item.append(familyButton(familyId, handlers, familyName));
      list.append(item);
    }
    late.append(list);
  }

  const news = part("newMessages", "day-messages-title", messages.length);
  news.dataset.part = "messages";
  if (!messages.length) news.append(el("p", t("newMessagesEmpty"), "hint"));
  else {
    const list = el("ul", null, "day-list");
    for (const { family_id: familyId, family_name: familyName, message } of messages) {
      const item = el("li", null, "message-item from-parent");
      item.dataset.messageId = message.id;
      const head = el("p", null, "message-head");
      head.append(
        el("strong", authorText(message)),
        el("span", ` · ${formatTime(message.at)}`, "when"),
      );
      const audience = audienceText(message);
      if (audience) head.append(" ", el("span", audience, "badge status message-audience"));
      item.append(
        head,
        el("p", message.text, "message"),
        familyButton(familyId, handlers, familyName),
      );
      list.append(item);
    }
    news.append(list);
  }
  // New for us: accepted referrals, intake conversations shared with us, agreements due soon.
  const fresh = data.new_for_us ?? [];
  const newForUs = part("newForUs", "day-new-title", fresh.length);
  newForUs.dataset.part = "new-for-us";
  if (!fresh.length) newForUs.append(el("p", t("newForUsEmpty"), "hint"));
  else {
    const list = el("ul", null, "day-list");
    for (const entry of fresh) {
      const item = el("li", null, "new-for-us");
      item.dataset.kind = entry.kind;
      const text =
        entry.kind === "agreement_due"
          ? fill("newAgreementDue", { date: formatDay(entry.due_date), what: entry.what })
          : fill(entry.kind === "referral_accepted" ? "newReferralAccepted" : "newIntakeShared", {
              org: entry.by_organisation,
            });
      item.append(el("p", text), familyButton(entry.family_id, handlers, entry.family_name));
      list.append(item);
    }
    newForUs.append(list);
  }
  box.append(newForUs, myCases, notTaken, late, news);
  const ended = endedByParents(data.ended_by_parents ?? []);
  if (ended) box.append(ended);
}

/**
 * Cases and agreements of my organisation that ended because the parents removed us or erased
 * their family (last 14 days): only what and when, never content.
 */
function endedByParents(entries) {
  if (!entries.length) return null;
  const node = part("endedByParents", "day-ended-title", entries.length);
  node.dataset.part = "ended-by-parents";
  node.append(el("p", t("endedByParentsHint"), "hint"));
  const list = el("ul", null, "day-list");
  for (const entry of entries) {
    const item = el("li", null, "ended-by-parents");
    item.append(
      el("strong", t(entry.kind === "agreement" ? "endedAgreement" : "endedCase")),
      " ",
      t(entry.reason === "erased" ? "endedErased" : "endedRemoved"),
      el("span", ` · ${formatTime(entry.at)}`, "when"),
    );
    list.append(item);
  }
  node.append(list);
  return node;
}
