// A share is one case for the whole network (docs/care-network.md, "Case states per share"):
// new → in_progress (taken by a named professional) → contacted → closed with a reason, reassigned
// within the owning organisation. This module has the words for states, reasons and history, the
// badge lists show, and the case part of a share's page with the steps the logged-in professional
// may take. The server decides; the page offers only the steps the contract allows and says in
// plain words why a step failed (409: somebody else was quicker, or the case moved on).
import {
  $,
  ageText,
  api,
  clearFieldError,
  el,
  field,
  fill,
  form,
  formatTime,
  showFieldError,
  state,
  submitButton,
  t,
} from "./common.js";

export const CLOSE_REASONS = [
  "care_started",
  "no_care_needed",
  "referred",
  "parents_declined",
  "unreachable",
  "other",
];
const NOTE_MAX = 300;
const SIGN_AS_MAX = 60;

/** The case of a list entry, timeline entry or share read (null for a server without cases). */
export const caseOf = (entry) => entry?.case ?? entry?.share?.case ?? null;

/** The case state; without a case object, from the older status (received: new). */
export function caseState(entry) {
  const found = caseOf(entry);
  if (found?.state) return found.state;
  if (entry?.status === "withdrawn") return "closed";
  return entry?.status === "received" ? "new" : null;
}

/**
 * "Jan de Wit (jeugdverpleegkundige, JGZ Voorbeeldstad)", or "jou (…)" for the logged-in
 * professional: by the name they are shown by, never a username or an organisation's slug.
 */
export function whoText(person) {
  if (!person) return "";
  const me = state.me && person.username && person.username === state.me.username;
  const name = me ? t("you") : person.name || person.username;
  const details = [person.role, person.organisation_name].filter(Boolean);
  if (!name) return details.join(", ");
  return details.length ? `${name} (${details.join(", ")})` : name;
}

export const reasonText = (reason) => t(`reason_${reason}`);

/** The state in words with who has the case or why it closed: "In behandeling, bij jou (…)". */
export function caseText(entry) {
  const stateName = caseState(entry);
  if (!stateName) return null;
  const found = caseOf(entry);
  const words = t(`case_${stateName}`);
  if (stateName === "closed" && found?.close_reason)
    return `${words}: ${reasonText(found.close_reason)}`;
  if (found?.owner && stateName !== "new")
    return fill("caseWith", { state: words, who: whoText(found.owner) });
  return words;
}

export function caseBadge(entry) {
  const text = caseText(entry);
  if (!text) return null;
  const node = el("span", text, `badge case case-${caseState(entry)}`);
  return node;
}

/** Whether the logged-in professional's organisation owns the case (may go on with it). */
export function ownedByUs(found) {
  return Boolean(found?.owner && state.me && found.owner.organisation === state.me.organisation);
}

/**
 * Plain words for a failed case step; `now` is the case as the server has it after the failure
 * (read again), so that "somebody else took it" can say who.
 */
export function caseProblemText(error, now) {
  if (error.code === "already_taken") {
    const owner = now?.owner ? whoText(now.owner) : null;
    return owner ? fill("alreadyTakenBy", { who: owner }) : t("alreadyTaken");
  }
  if (error.code === "illegal_transition") {
    const stateName = now?.state;
    return stateName
      ? fill("illegalTransition", { state: t(`case_${stateName}`).toLowerCase() })
      : t("illegalTransitionUnknown");
  }
  if (error.code === "not_owner") return t("caseNotOurs");
  if (error.code === "not_a_colleague") return t("notAColleague");
  if (error.code === "withdrawn") return t("withdrawnShare");
  return null;
}

// A history entry's detail is "reason=care_started" (close) or "to=jan" (reassign).
function detailValue(entry, key) {
  const found = /^(\w+)=(.*)$/.exec(entry.detail ?? "");
  return found && found[1] === key ? found[2] : null;
}

function historyText(entry) {
  const who = whoText(entry);
  switch (entry.action) {
    case "take":
      return fill("historyTake", { who });
    case "contacted":
      return fill("historyContacted", { who });
    case "close": {
      const reason = detailValue(entry, "reason") ?? entry.reason;
      return fill("historyClose", { who, reason: reason ? reasonText(reason) : "" });
    }
    case "reassign": {
      const to = detailValue(entry, "to");
      return to
        ? fill("historyReassignTo", { who, to: whoText({ username: to, name: entry.to_name }) })
        : fill("historyReassign", { who });
    }
    case "withdrawn":
    case "erased":
    case "withdraw":
      return t("historyWithdrawn");
    case "returned":
      // Its owner left the family's network or the account was disabled (never a code, issue 24).
      return t("historyReturned");
    default:
      return who ? fill("historyOther", { who }) : t("historyOtherNobody");
  }
}

function takeForm(act) {
  const signAs = el("input");
  signAs.maxLength = SIGN_AS_MAX;
  signAs.autocomplete = "off";
  return form(
    "case-form take",
    () => {
      const body = { action: "take" };
      if (signAs.value.trim()) body.sign_as = signAs.value.trim();
      act(body);
    },
    field("case-sign-as", t("signAs"), signAs, t("signAsHint")),
    submitButton(t("takeCase")),
  );
}

function closeForm(act) {
  const reason = el("select");
  reason.append(el("option", t("chooseReason")));
  reason.options[0].value = "";
  for (const id of CLOSE_REASONS) {
    const option = el("option", reasonText(id));
    option.value = id;
    reason.append(option);
  }
  const note = el("textarea");
  note.maxLength = NOTE_MAX;
  note.rows = 2;
  return form(
    "case-form close",
    () => {
      clearFieldError(reason);
      clearFieldError(note);
      if (!reason.value) return showFieldError(reason, t("reasonRequired"));
      if (reason.value === "other" && !note.value.trim())
        return showFieldError(note, t("noteRequired"));
      const body = { action: "close", reason: reason.value };
      if (note.value.trim()) body.note = note.value.trim();
      return act(body);
    },
    field("case-reason", t("closeReason"), reason),
    field("case-close-note", t("closeNote"), note, t("closeNoteHint")),
    submitButton(t("closeCase")),
  );
}

// This organisation's active professionals ({username, role, me}), for choosing from a list (never
// typed): a case goes to a colleague, an agreement to one of us. Asked once per login.
let colleaguesAsked = null;
export function colleagues() {
  colleaguesAsked ??= api("/api/v1/inbox/colleagues")
    .then((answer) => answer.colleagues)
    .catch((error) => {
      colleaguesAsked = null;
      throw error;
    });
  return colleaguesAsked;
}
export function forgetColleagues() {
  colleaguesAsked = null;
}

function reassignForm(act) {
  const colleague = el("select");
  const choose = el("option", t("colleagueChoose"));
  choose.value = "";
  colleague.append(choose);
  const node = form(
    "case-form reassign",
    () => {
      clearFieldError(colleague);
      if (!colleague.value) return showFieldError(colleague, t("colleagueRequired"));
      return act({ action: "reassign", username: colleague.value });
    },
    field("case-colleague", t("reassignTo"), colleague, t("reassignHint")),
    submitButton(t("reassign"), "secondary"),
  );
  colleagues()
    .then((all) => {
      const list = all.filter((person) => !person.me);
      for (const person of list) {
        const option = el("option", `${person.name || person.username} (${person.role})`);
        option.value = person.username;
        colleague.append(option);
      }
      if (!list.length) {
        colleague.disabled = true;
        showFieldError(colleague, t("colleagueNone"));
      }
    })
    .catch(() => showFieldError(colleague, t("colleagueUnavailable")));
  return node;
}

/**
 * The case part of a share's page: the state with who and since when, the steps this
 * professional may take (act(body) posts one), and the history.
 */
export function caseSection(detail, act) {
  const found = caseOf(detail);
  const node = el("section", null, "case-part");
  node.setAttribute("aria-labelledby", "case-title");
  const heading = el("h3", t("caseTitle"));
  heading.id = "case-title";
  heading.tabIndex = -1;
  node.append(heading);
  if (!found) {
    node.append(el("p", t("caseUnknown"), "hint"));
    return node;
  }
  const line = el("p", null, "case-state");
  line.append(caseBadge(detail));
  if (found.state === "new" && detail.received_at)
    line.append(" ", el("span", fill("waiting", { age: ageText(detail.received_at) }), "age"));
  node.append(line);
  if (found.state !== "new" && found.state !== "closed") {
    node.append(
      el(
        "p",
        found.signed_as ? fill("signedAs", { name: found.signed_as }) : t("notSigned"),
        "hint",
      ),
    );
  }

  if (found.state === "closed" && found.close_note)
    node.append(el("p", `${t("closeNote")}: ${found.close_note}`, "hint"));
  const ours = ownedByUs(found);
  if (found.state === "new") {
    node.append(takeForm(act));
  } else if (found.state === "in_progress" || found.state === "contacted") {
    if (ours) {
      const steps = el("div", null, "case-steps");
      if (found.state === "in_progress") {
        const contacted = el("button", t("markContacted"));
        contacted.type = "button";
        contacted.addEventListener("click", () => act({ action: "contacted" }));
        steps.append(contacted);
        node.append(steps);
      }
      node.append(closeForm(act), reassignForm(act));
    } else {
      node.append(el("p", t("caseOtherOrganisation"), "hint"));
    }
  }

  const history = found.history ?? [];
  if (history.length) {
    node.append(el("h4", t("caseHistory")));
    const list = el("ol", null, "case-history");
    for (const entry of history) {
      const item = el("li");
      item.append(el("span", formatTime(entry.at), "when"), " ", historyText(entry));
      list.append(item);
    }
    node.append(list);
  }
  return node;
}

/** Focus the case heading after a step, so a keyboard user stays where the work is. */
export function focusCase() {
  $("case-title")?.focus();
}
