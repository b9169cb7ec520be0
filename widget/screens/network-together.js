// Working together around the family, the parents' side (docs/care-network.md, issue 10): what
// happens with a share (its case, in plain words, never a name unless the professional signed),
// referral proposals to accept or decline, the care agreements that concern the family with
// "this does not suit us", and messages to and from the network. Part of the lazily loaded
// care-network screens; the server is asked only through w.family, with the family key.
import { h, uid } from "../lib/dom.js";
import { newRequestKey } from "../lib/family.js";
import { TEXTS } from "./network-texts.js";
import {
  button,
  confirmation,
  day,
  errorText,
  guarded,
  instrumentName,
  monthsAfterBirth,
  problemLine,
  roleName,
  showNetwork,
  typeName,
  when,
} from "./network-parts.js";

/** The version of the consent text a parent agrees to when accepting a referral (net_ref_*). */
export const REFERRAL_CONSENT_VERSION = "2026-11-referral-v1";
const MESSAGE_MAX_CHARS = 1000;
const COMMENT_MAX_CHARS = 500;

// ---- calls (with the family key, through w.family) ----

function answerAgreement(w, id, suits, comment) {
  const body = { suits };
  if (!suits && comment) body.comment = comment;
  return w.family.call(w.endpoint, "POST", `family/agreements/${id}/response`, body);
}

function decideReferral(w, id, accept, addShares = []) {
  const body = accept
    ? { decision: "accept", consent_version: REFERRAL_CONSENT_VERSION }
    : { decision: "decline" };
  if (accept && addShares.length) body.add_shares = addShares;
  return w.family.call(w.endpoint, "POST", `family/referrals/${id}`, body);
}

/** A message to the network (or to one organisation), private from the other parent by default. */
function sendMessage(w, text, organisation, showToFamily) {
  const body = { text };
  if (organisation) body.organisation = organisation;
  if (showToFamily) body.show_to_family = true;
  // One key per message the parent sends: a retry after a lost answer stores it once.
  return w.family.call(w.endpoint, "POST", "family/messages", body, {
    requestKey: newRequestKey(),
  });
}

// ---- words ----

const has = (key) => Object.hasOwn(TEXTS.nl, key);
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** A professional's role ("jeugdverpleegkundige") in the parent's language, lower case. */
export function professionalRole(w, role) {
  const known = String(role || "")
    .trim()
    .toLowerCase()
    .replace(/[^a-z]/g, "_");
  if (known && has(`pro_${known}`)) return w.t(`pro_${known}`);
  return role ? w.t("pro_other", { role }) : w.t("pro_unknown");
}

/** The kind of organisation, as in "van de JGZ"; the organisation's name when its kind is unknown. */
function organisationKind(w, type, name) {
  if (type && has(`kind_${type}`)) return w.t(`kind_${type}`);
  return name || w.t("kind_unknown");
}

/** Who has the case: "een jeugdverpleegkundige", or "Jan (jeugdverpleegkundige)" when signed. */
function caseWho(w, shareCase) {
  const role = professionalRole(w, shareCase.role);
  return shareCase.signed_as
    ? w.t("case_who_signed", { name: shareCase.signed_as, role })
    : w.t("case_who", { role });
}

/**
 * What is happening with a share, in plain words, from its case ({state, role, organisation_type,
 * organisation_name, signed_as, close_reason}). `seenLine` is the receipt's "seen by" words, kept
 * in front while nobody has taken the case.
 */
export function caseWords(w, shareCase, seenLine = null) {
  if (!shareCase) return null;
  const values = {
    who: caseWho(w, shareCase),
    org: organisationKind(w, shareCase.organisation_type, shareCase.organisation_name),
  };
  switch (shareCase.state) {
    case "new":
      return seenLine ? `${seenLine} ${w.t("case_new_seen")}` : w.t("case_new");
    case "in_progress":
      return capital(w.t("case_in_progress", values));
    case "contacted":
      return capital(w.t("case_contacted", values));
    case "closed": {
      const reason = has(`case_closed_${shareCase.close_reason}`)
        ? shareCase.close_reason
        : "other";
      return capital(w.t(`case_closed_${reason}`, values));
    }
    default:
      return null;
  }
}

/** "rond week 30 van de zwangerschap", "op 12 maart 2027", or "nog niet bekend". */
function dueWords(w, agreement) {
  const moment = agreement.due_moment;
  if (moment && Number.isInteger(moment.week)) {
    if (moment.stage === "pregnancy") return w.t("agr_due_pregnancy", { week: moment.week });
    if (moment.stage === "postpartum") {
      return moment.week < 13
        ? w.t("agr_due_postpartum", { week: moment.week })
        : w.t("agr_due_postpartum_months", { months: monthsAfterBirth(moment.week) });
    }
  }
  if (agreement.due_date) {
    // A date without a time: read it at noon UTC so that no time zone moves it to another day.
    const date = new Date(`${agreement.due_date}T12:00:00Z`);
    if (!Number.isNaN(date.getTime()))
      return w.t("agr_due_date", {
        date: date.toLocaleDateString(w.state.lang === "en" ? "en-GB" : "nl-NL", {
          day: "numeric",
          month: "long",
          year: "numeric",
          timeZone: "UTC",
        }),
      });
  }
  return w.t("agr_due_none");
}

/** Who wrote a message: "Jij", "De partner", "Jeugdverpleegkundige van JGZ Voorbeeldstad". */
function messageFrom(w, message, me) {
  if (message.from === "parent")
    return message.parent === me?.role ? w.t("msg_from_me") : capital(roleName(w, message.parent));
  const values = {
    role: professionalRole(w, message.role),
    org: message.organisation_name || message.organisation || "?",
  };
  return message.signed_as
    ? w.t("msg_from_signed", { ...values, name: message.signed_as })
    : capital(w.t("msg_from_professional", values));
}

// ---- the family's news (start screen) ----

/** Open proposals and messages from the network this device has not shown yet; null before a load. */
export function familyNews(w) {
  const view = w.family.view;
  if (!view) return null;
  const seen = Number(w.family.saved?.seen_message_id) || 0;
  return {
    proposals: (view.proposals || []).filter((proposal) => proposal.state === "proposed").length,
    triages: (view.triages || []).filter((triage) => triage.sharing?.state === "awaiting_parents")
      .length,
    messages: (view.messages || []).filter(
      (message) => message.from !== "parent" && message.id > seen,
    ).length,
    // The other parent asked to remove the family (issue 21): this parent should know at once.
    eraseRequest: Boolean(view.erase_request && view.erase_request.by !== view.me?.role),
  };
}

/** Remembers (with the family, so only as long as the family is kept) the newest message shown. */
export function markMessagesSeen(w, messages) {
  const family = w.family.saved;
  const newest = Math.max(0, ...(messages || []).map((message) => message.id));
  if (family && newest > (Number(family.seen_message_id) || 0))
    w.storage.saveFamily({ ...family, seen_message_id: newest });
}

/** The start screen's notice when the family has news; null when there is none (or not asked). */
export function renderNews(w) {
  const news = familyNews(w);
  if (!news || (!news.proposals && !news.triages && !news.messages && !news.eraseRequest))
    return null;
  const parts = [
    news.proposals
      ? w.t(news.proposals === 1 ? "news_proposal" : "news_proposals", { count: news.proposals })
      : null,
    news.triages
      ? w.t(news.triages === 1 ? "news_triage" : "news_triages", { count: news.triages })
      : null,
    news.eraseRequest ? w.t("news_erase_request") : null,
    news.messages
      ? w.t(news.messages === 1 ? "news_message" : "news_messages", { count: news.messages })
      : null,
  ].filter(Boolean);
  const id = uid("kb-news");
  return h(
    "div",
    { class: "kb-news", "data-kb": "news", tabindex: "-1", role: "region", "aria-labelledby": id },
    h("p", { id }, h("strong", {}, w.t("news_title")), " ", parts.join(", "), "."),
    h(
      "div",
      { class: "kb-actions" },
      button(w.t("news_open"), () => w.openNetwork()),
    ),
  );
}

/** "Check for news": asks the server for the family (the parent pressed the button), then says so. */
export async function checkNews(w) {
  let notice = null;
  try {
    await w.family.load(w.endpoint);
    const news = familyNews(w);
    if (!news.proposals && !news.triages && !news.messages && !news.eraseRequest)
      notice = w.t("news_none");
  } catch (error) {
    notice = error?.status === 401 ? w.t("net_family_gone") : errorText(w, error);
  }
  if (w.state.screen !== "start") return;
  w.go("start", { notice });
  w.shadowRoot.querySelector("[data-kb=news]")?.focus();
}

// ---- referral proposals ----

/**
 * Open proposals first (they wait for an answer), with the reason and what saying yes means:
 * exactly which of my shares the organisation would see (`previews`: id -> GET /referrals/{id}).
 */
export function renderProposals(w, family, previews) {
  const proposals = family.proposals || [];
  const open = proposals.filter((proposal) => proposal.state === "proposed");
  const decided = proposals.filter((proposal) => proposal.state !== "proposed");
  if (!proposals.length) return null;
  return [
    open.length
      ? [
          h("h3", {}, w.t("net_ref_title")),
          open.map((proposal) => renderProposal(w, proposal, family, previews?.get(proposal.id))),
        ]
      : null,
    decided.length
      ? [
          h("h3", {}, w.t("net_ref_earlier")),
          h(
            "ul",
            { class: "kb-list", "data-kb": "decided-proposals" },
            decided.map((proposal) =>
              h(
                "li",
                {},
                w.t(
                  proposal.state === "accepted" ? "net_ref_accepted_line" : "net_ref_declined_line",
                  {
                    org: proposal.name,
                    role: roleName(w, proposal.decided_by),
                    date: day(w, proposal.decided_at),
                  },
                ),
              ),
            ),
          ),
        ]
      : null,
  ];
}

/**
 * What the organisation gets on "ja": my shares that allowed organisations added later (by
 * instrument and date), how many of the other parent's, and my other shares to tick as well.
 */
function wouldSee(w, proposal, family, preview, org) {
  const seen = preview?.would_see;
  if (!seen) return { element: null, ticked: () => [] };
  const mine = seen.my_shares || [];
  const ids = new Set(mine.map((share) => share.share_id));
  const line = (share) =>
    w.t("net_ref_share_line", {
      instrument: instrumentName(w, { share_id: share.share_id, instrument: share.instrument }),
      date: day(w, share.received_at),
    });
  const more = (family.shares || []).filter(
    (share) =>
      (share.mine ?? share.parent === family.me?.role) &&
      !ids.has(share.share_id) &&
      share.status !== "withdrawn",
  );
  const boxes = more.map((share) => ({
    id: share.share_id,
    input: h("input", { type: "checkbox", value: share.share_id }),
    label: line({ ...share, received_at: share.received_at }),
  }));
  const others = seen.other_parent_shares || 0;
  return {
    ticked: () => boxes.filter((box) => box.input.checked).map((box) => box.id),
    element: h(
      "div",
      { "data-kb": "would-see" },
      h("p", {}, h("strong", {}, w.t("net_ref_sees_mine", { org }))),
      mine.length
        ? h(
            "ul",
            { class: "kb-list" },
            mine.map((share) => h("li", {}, line(share))),
          )
        : h("p", {}, w.t("net_ref_sees_mine_none")),
      // Only with two parents: "0 of the other parent's" means nothing to a parent on their own.
      (family.parents || []).length > 1
        ? h(
            "p",
            {},
            others === 1
              ? w.t("net_ref_sees_other_one")
              : w.t("net_ref_sees_other", { count: others }),
          )
        : null,
      boxes.length
        ? h(
            "fieldset",
            {},
            h("legend", {}, w.t("net_ref_add_shares", { org })),
            boxes.map((box) =>
              h("label", { class: "kb-option" }, box.input, h("span", {}, box.label)),
            ),
          )
        : null,
    ),
  };
}

function renderProposal(w, proposal, family, preview) {
  const org = proposal.name || proposal.organisation;
  const by = proposal.proposed_by || {};
  const problem = problemLine();
  const titleId = uid("kb-proposal");
  const sees = wouldSee(w, proposal, family, preview, org);
  const decline = confirmation(w, {
    text: w.t("net_ref_decline_confirm", { org }),
    yes: w.t("net_ref_decline_yes"),
    onYes: async () => {
      await decideReferral(w, proposal.id, false);
      showNetwork(w, w.t("net_ref_declined", { org }));
    },
  });
  return h(
    "section",
    { class: "kb-card kb-proposal", "data-proposal": proposal.id, "aria-labelledby": titleId },
    h("h4", { id: titleId }, w.t("net_ref_heading", { org })),
    h("p", { class: "kb-org-type" }, typeName(w, proposal.type)),
    h(
      "p",
      {},
      w.t("net_ref_by", {
        proposer: by.organisation_name || by.organisation || "?",
        role: professionalRole(w, by.role),
        org,
      }),
    ),
    h("p", {}, h("strong", {}, w.t("net_ref_reason"))),
    h("blockquote", { class: "kb-quote", "data-kb": "reason" }, proposal.reason),
    h(
      "div",
      { class: "kb-consent" },
      h("p", {}, h("strong", {}, w.t("net_ref_if_yes"))),
      h(
        "ul",
        { class: "kb-list" },
        h("li", {}, w.t("inv_point_member", { org })),
        h("li", {}, w.t("inv_point_sees", { org })),
        h("li", {}, w.t("inv_point_remove", { org })),
      ),
      sees.element,
    ),
    problem,
    h(
      "div",
      { class: "kb-actions" },
      button(
        w.t("net_ref_accept", { org }),
        guarded(w, problem, async () => {
          await decideReferral(w, proposal.id, true, sees.ticked());
          showNetwork(w, w.t("net_added", { org }));
        }),
      ),
      decline.open(w.t("net_ref_decline"), "kb-secondary", {
        "aria-label": w.t("net_ref_decline_label", { org }),
      }),
    ),
    decline.box,
  );
}

// ---- care agreements ----

export function renderAgreements(w, family) {
  const agreements = family.agreements || [];
  return [
    h("h3", {}, w.t("agr_title")),
    agreements.length
      ? [h("p", {}, w.t("agr_intro")), agreements.map((agreement) => renderAgreement(w, agreement))]
      : h("p", {}, w.t("agr_none")),
  ];
}

function renderAgreement(w, agreement) {
  const owner = agreement.owner_name || agreement.owner_organisation || "?";
  const who = agreement.owner_role
    ? w.t("agr_who_role", { org: owner, role: professionalRole(w, agreement.owner_role) })
    : owner;
  const status = ["open", "done", "cancelled"].includes(agreement.status)
    ? agreement.status
    : "open";
  const said = agreement.parents_say;
  const titleId = uid("kb-agreement");
  return h(
    "section",
    { class: "kb-card", "data-agreement": agreement.id, "aria-labelledby": titleId },
    h("h4", { id: titleId }, agreement.what),
    h(
      "dl",
      { class: "kb-facts" },
      h("dt", {}, w.t("agr_who")),
      h("dd", {}, who),
      h("dt", {}, w.t("agr_when")),
      h("dd", {}, dueWords(w, agreement)),
      h("dt", {}, w.t("agr_status")),
      h("dd", {}, w.t(`agr_status_${status}`)),
    ),
    // The parents' own comment is in `parents_say` (below); here what the professionals wrote.
    (agreement.comments || [])
      .filter((comment) => comment.by !== "parent")
      .map((comment) =>
        h(
          "p",
          { class: "kb-comment" },
          w.t("agr_comment", {
            org: comment.organisation_name || comment.organisation || "?",
            role: professionalRole(w, comment.role),
            text: comment.text,
          }),
        ),
      ),
    said
      ? h(
          "p",
          { class: "kb-said", "data-kb": "parents-say" },
          said.suits
            ? w.t("agr_said_suits", { role: roleName(w, said.by), date: day(w, said.at) })
            : w.t(said.comment ? "agr_said_not_comment" : "agr_said_not", {
                role: roleName(w, said.by),
                date: day(w, said.at),
                comment: said.comment || "",
              }),
        )
      : null,
    status === "open" ? renderAgreementAnswer(w, agreement, owner) : null,
  );
}

/** "Dit past niet bij ons": a small form with an optional comment; "it suits us after all" undoes it. */
function renderAgreementAnswer(w, agreement, owner) {
  const problem = problemLine();
  const fieldId = uid("kb-agr-comment");
  const hintId = uid("kb-agr-hint");
  const said = agreement.parents_say;
  const comment = h("textarea", {
    id: fieldId,
    rows: 3,
    maxlength: COMMENT_MAX_CHARS,
    "aria-describedby": hintId,
  });
  let opener = null;
  const form = h(
    "form",
    {
      class: "kb-confirm",
      hidden: true,
      novalidate: true,
      onsubmit: guarded(w, problem, async () => {
        await answerAgreement(w, agreement.id, false, comment.value.trim());
        showNetwork(w, w.t("agr_sent_not"));
      }),
    },
    h(
      "div",
      { class: "kb-field" },
      h("label", { for: fieldId }, w.t("agr_comment_label")),
      h(
        "p",
        { id: hintId, class: "kb-hint" },
        w.t("agr_comment_hint", { max: COMMENT_MAX_CHARS, org: owner }),
      ),
      comment,
    ),
    problem,
    h(
      "div",
      { class: "kb-actions" },
      h("button", { type: "submit", class: "kb-button" }, w.t("agr_send_not")),
      button(
        w.t("cancel"),
        () => {
          form.hidden = true;
          opener.setAttribute("aria-expanded", "false");
          opener.focus();
        },
        "kb-secondary",
      ),
    ),
  );
  opener = h(
    "button",
    {
      type: "button",
      class: "kb-button kb-secondary",
      "aria-expanded": "false",
      "aria-label": w.t("agr_not_label", { what: agreement.what }),
      onclick: () => {
        form.hidden = false;
        opener.setAttribute("aria-expanded", "true");
        comment.focus();
      },
    },
    w.t("agr_not"),
  );
  const suitsProblem = problemLine();
  return [
    h(
      "div",
      { class: "kb-actions" },
      opener,
      said && !said.suits
        ? button(
            w.t("agr_suits_after_all"),
            guarded(w, suitsProblem, async () => {
              await answerAgreement(w, agreement.id, true);
              showNetwork(w, w.t("agr_sent_suits"));
            }),
            "kb-secondary",
          )
        : null,
    ),
    suitsProblem,
    form,
  ];
}

// ---- messages ----

/** "alleen aan de JGZ" / "alleen voor jou" / "ook voor de andere ouder": who else reads a message. */
function messageAudience(w, message, me) {
  if (message.from !== "parent") return message.to_parent ? w.t("msg_only_you") : null;
  const parts = [];
  if (message.organisation)
    parts.push(w.t("msg_only_org", { org: message.organisation_name || message.organisation }));
  if (message.parent === me?.role && message.show_to_family) parts.push(w.t("msg_also_family"));
  return parts.length ? parts.join(", ") : null;
}

/**
 * The family's messages, oldest first; the ones this device had not shown before are marked new.
 * A new message goes to every organisation there for me (`members`) or to one of them, and stays
 * private from the other parent unless I tick it.
 */
export function renderMessages(w, family, seenBefore, members = []) {
  const messages = family.messages || [];
  const me = family.me;
  const problem = problemLine();
  const fieldId = uid("kb-message");
  const hintId = uid("kb-message-hint");
  const text = h("textarea", {
    id: fieldId,
    rows: 4,
    maxlength: MESSAGE_MAX_CHARS,
    "aria-describedby": `${hintId} ${problem.id}`,
  });
  const toId = uid("kb-message-to");
  const to = h(
    "select",
    { id: toId },
    h("option", { value: "" }, w.t("msg_to_all")),
    members.map((entry) => h("option", { value: entry.organisation }, entry.name)),
  );
  const showFamily = h("input", { type: "checkbox" });
  const send = guarded(w, problem, async () => {
    await sendMessage(w, text.value.trim(), to.value || null, showFamily.checked);
    showNetwork(w, w.t("msg_sent"));
  });
  return [
    h("h3", {}, w.t("msg_title")),
    messages.length
      ? h(
          "ol",
          { class: "kb-messages", "data-kb": "messages" },
          messages.map((message) => {
            const fresh = message.from !== "parent" && message.id > seenBefore;
            return h(
              "li",
              { class: fresh ? "kb-message kb-new" : "kb-message", "data-message": message.id },
              h(
                "p",
                { class: "kb-message-from" },
                fresh ? [h("span", { class: "kb-badge" }, w.t("msg_new")), " "] : null,
                h("strong", {}, messageFrom(w, message, me)),
                ", ",
                when(w, message.at),
                messageAudience(w, message, me)
                  ? h(
                      "span",
                      { "data-kb": "message-audience" },
                      ` (${messageAudience(w, message, me)})`,
                    )
                  : null,
              ),
              h("p", { class: "kb-message-text" }, message.text),
            );
          }),
        )
      : h("p", {}, w.t("msg_none")),
    h(
      "form",
      {
        class: "kb-card",
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          if (text.value.trim()) {
            text.removeAttribute("aria-invalid");
            return send(event);
          }
          problem.textContent = w.t("msg_empty");
          problem.hidden = false;
          text.setAttribute("aria-invalid", "true");
          text.focus();
        },
      },
      h(
        "div",
        { class: "kb-field" },
        h("label", { for: fieldId }, w.t("msg_label")),
        h("p", { id: hintId, class: "kb-hint" }, w.t("msg_hint", { max: MESSAGE_MAX_CHARS })),
        text,
      ),
      members.length > 1
        ? h("div", { class: "kb-field" }, h("label", { for: toId }, w.t("msg_to")), to)
        : null,
      h("label", { class: "kb-option" }, showFamily, h("span", {}, w.t("msg_show_family"))),
      problem,
      h(
        "div",
        { class: "kb-actions" },
        h("button", { type: "submit", class: "kb-button" }, w.t("msg_send")),
      ),
    ),
  ];
}
