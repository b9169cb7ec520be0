// One share in a list (the inbox, my day): safety flag, and for a safety share nobody has taken
// yet its age; positive or not, the questionnaire, the moment, the case state with who has it, and
// a way to the family's page. Opening it and opening the family are the caller's (handlers).
import {
  ageText,
  button,
  contextText,
  el,
  familyLabel,
  familyPageLabel,
  fill,
  formatTime,
  shortName,
  t,
} from "./common.js";
import { caseBadge, caseState } from "./case.js";

/** A safety-flagged share that nobody has taken: on top of every recipient's inbox (rank 3). */
export function untakenSafety(entry) {
  if (entry.rank === 3) return true;
  return (entry.summary?.flags?.length ?? 0) > 0 && caseState(entry) === "new";
}

export function shareItem(entry, handlers) {
  const summary = entry.summary;
  const flags = summary?.flags?.length ?? 0;
  const urgent = untakenSafety(entry);
  const item = el("li", null, urgent ? "urgent" : "");
  item.dataset.shareId = entry.share_id;
  const open = el("button");
  open.type = "button";
  open.className = "share-open";
  if (summary) {
    if (flags > 0) open.append(el("span", `${t("safety")} (${flags})`, "badge safety"));
    // A safety share nobody took shows how long it has been waiting.
    if (urgent)
      open.append(el("span", fill("receivedAgo", { age: ageText(entry.received_at) }), "age"));
    open.append(
      el(
        "span",
        summary.positive ? t("positive") : t("negative"),
        summary.positive ? "badge positive" : "badge neutral",
      ),
    );
    open.append(el("strong", shortName(summary.instrument.id)));
    open.append(el("span", contextText(summary.context)));
  }
  const badge = caseBadge(entry);
  if (badge && entry.status !== "withdrawn") open.append(badge);
  // "Seen" is a note for colleagues next to the case; withdrawn says why the case closed.
  if (entry.status !== "received" || !badge) {
    let statusText = t(entry.status);
    if (entry.status === "seen" && entry.seen_by_role)
      statusText += ` (${t("seenBy")} ${entry.seen_by_role})`;
    open.append(el("span", statusText, "badge status"));
  }
  open.append(el("span", `${t("receivedAt")}: ${formatTime(entry.received_at)}`));
  if (entry.status === "withdrawn") {
    open.disabled = true;
  } else {
    open.addEventListener("click", () => handlers.openShare(entry.share_id, open));
  }
  item.append(open);
  if (entry.family_id) {
    const familyButton = button(familyLabel(entry.family_id, entry.family_name), () =>
      handlers.openFamily(entry.family_id),
    );
    familyButton.className = "family-link";
    familyButton.setAttribute("aria-label", familyPageLabel(entry.family_id, entry.family_name));
    item.append(familyButton);
  }
  return item;
}
