// The intake conversation ("triage ouder-kindrelatie"), the parents' side (docs/care-network.md,
// "Triage at intake"): what a professional recorded together with the parents, in plain words, who
// would see it, and the parents' choice to share it with their network or keep it with that one
// organisation — changeable at any time. The words of the topics come from the conversation file
// (GET /api/v1/conversations/{id}, public), asked only when the family has a triage.
import { h, uid } from "../lib/dom.js";
import { button, day, guarded, problemLine, showNetwork, typeName } from "./network-parts.js";

/** The version of the consent text a parent agrees to when sharing a triage (tri_consent_*). */
export const TRIAGE_CONSENT_VERSION = "2026-12-triage-v1";

const conversations = new Map(); // endpoint + id -> promise of the file (public, cacheable)

/** The conversation file, or null when it did not load (the card then shows the ids' own words). */
export function loadConversation(endpoint, id) {
  const cacheKey = `${endpoint}\n${id}`;
  if (!conversations.has(cacheKey)) {
    const answer = fetch(`${endpoint}conversations/${encodeURIComponent(id)}`, {
      credentials: "omit",
      referrerPolicy: "no-referrer",
    })
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => {
        conversations.delete(cacheKey); // offline: ask again next time
        return null;
      });
    conversations.set(cacheKey, answer);
  }
  return conversations.get(cacheKey);
}

function decide(w, id, share, part = "all") {
  const body = share
    ? { decision: "share", consent_version: TRIAGE_CONSENT_VERSION }
    : { decision: "keep" };
  if (part === "alone") body.part = "alone";
  return w.family.call(w.endpoint, "POST", `family/triages/${id}/decision`, body);
}

/** A section of topics asked with the parent alone (docs/conversation-format.md). */
const isAlone = (section) => section.topics.some((topic) => topic.alone);

const text = (w, value, fallback = "") => value?.[w.state.lang] || value?.nl || fallback;

/** The parents' conversations, newest first: the ones waiting for their choice at the top. */
export function renderTriages(w, family, conversationsById) {
  const triages = family.triages || [];
  if (!triages.length) return null;
  const waiting = triages.filter((triage) => triage.sharing?.state === "awaiting_parents");
  const others = triages.filter((triage) => triage.sharing?.state !== "awaiting_parents");
  const active = (family.network || []).filter((entry) => entry.state === "active");
  const card = (triage) =>
    renderTriage(w, triage, conversationsById?.get(triage.conversation) || null, active);
  return [
    h("h3", {}, w.t("tri_title")),
    h("p", {}, w.t("tri_intro")),
    waiting.map(card),
    others.map(card),
  ];
}

/** "Aanwezig" etc. from the file; the id when the file did not load. */
function statusLabel(w, section, id) {
  const status = section?.statuses?.find((candidate) => candidate.id === id);
  return text(w, status?.label, id);
}

/** A topic's entry in a stored record, also when it was recorded under a former id. */
const entryOf = (topics, topic) =>
  topics?.[topic.id] ?? (topic.former_ids || []).map((id) => topics?.[id]).find(Boolean);

/** What was recorded, per section: the topics that came up (with the note) and the rest in a line. */
function recordedTopics(w, triage, conversation) {
  const topics = triage.record?.topics || {};
  if (!conversation) {
    // Without the conversation's file there are no words for its topics: never their codes.
    const notes = Object.values(topics)
      .filter((entry) => entry.status !== "not_discussed" && entry.note)
      .map((entry) => h("li", {}, entry.note));
    return [
      h("p", { class: "kb-hint" }, w.t("tri_topics_unavailable")),
      notes.length ? h("ul", { class: "kb-list" }, notes) : null,
    ];
  }
  return conversation.sections
    .filter((section) => !isAlone(section))
    .map((section) => {
      const discussed = section.topics.filter(
        (topic) =>
          entryOf(topics, topic) && entryOf(topics, topic).status !== section.default_status,
      );
      const rest = section.topics.filter((topic) => !discussed.includes(topic));
      return [
        h("h5", {}, text(w, section.title)),
        discussed.length
          ? h(
              "ul",
              { class: "kb-list", "data-kb": `triage-${section.id}` },
              discussed.map((topic) =>
                h(
                  "li",
                  { "data-topic": topic.id },
                  h("strong", {}, `${text(w, topic.label)}: `),
                  statusLabel(w, section, entryOf(topics, topic).status),
                  entryOf(topics, topic).note ? ` – “${entryOf(topics, topic).note}”` : null,
                ),
              ),
            )
          : null,
        rest.length
          ? h(
              "p",
              { class: "kb-hint" },
              w.t("tri_not_discussed", {
                topics: rest.map((topic) => text(w, topic.label).toLowerCase()).join(", "),
              }),
            )
          : null,
      ];
    });
}

function judgementText(w, judgement, record) {
  return h(
    "dd",
    { "data-kb": "triage-judgement" },
    text(w, judgement?.label, record.judgement?.support || "?"),
    judgement ? [". ", text(w, judgement.description)] : null,
    record.judgement?.note ? [" ", `“${record.judgement.note}”`] : null,
  );
}

/**
 * The part held with this parent alone, in plain words: folded shut (a screen can be seen by
 * others), what came up, her own choice to share it, any sharing under the Meldcode with the
 * reason, and where to get help. Null when it was not held alone.
 */
function alonePart(w, triage, conversation, judgement) {
  const alone = triage.record?.alone;
  if (!alone?.confirmed) return null;
  const org = triage.organisation_name || triage.organisation;
  const sections = (conversation?.sections || []).filter(isAlone);
  const discussed = [];
  for (const section of sections) {
    for (const topic of section.topics) {
      const entry = entryOf(alone.topics, topic);
      if (!entry || (entry.status === section.default_status && !entry.note)) continue;
      discussed.push(
        h(
          "li",
          { "data-topic": topic.id },
          h("strong", {}, `${text(w, topic.label)}: `),
          statusLabel(w, section, entry.status),
          entry.note ? ` – “${entry.note}”` : null,
        ),
      );
    }
  }
  const problem = problemLine();
  const shared = triage.alone?.sharing === "shared";
  const choice = button(
    w.t(shared ? "tri_alone_keep" : "tri_alone_share", { org }),
    guarded(w, problem, async () => {
      await decide(w, triage.id, !shared, "alone");
      showNetwork(w, w.t(shared ? "tri_alone_kept_done" : "tri_alone_shared_done", { org }));
    }),
    "kb-secondary",
  );
  choice.dataset.kb = shared ? "triage-alone-keep" : "triage-alone-share";
  return h(
    "details",
    { class: "kb-triage-alone", "data-kb": "triage-alone" },
    h("summary", {}, w.t("tri_alone_title", { org })),
    h("p", {}, w.t("tri_alone_intro", { org })),
    discussed.length
      ? h("ul", { class: "kb-list" }, discussed)
      : h("p", { class: "kb-hint" }, w.t("tri_alone_nothing")),
    triage.record?.judgement?.alone
      ? h(
          "dl",
          { class: "kb-stack" },
          h("dt", {}, w.t("tri_alone_judgement", { org })),
          judgementText(w, judgement, triage.record),
        )
      : null,
    (triage.alone?.meldcode || []).map((entry) =>
      h(
        "p",
        { class: "kb-said", "data-kb": "triage-meldcode" },
        w.t("tri_meldcode", {
          org: entry.by_organisation_name || entry.by_organisation,
          date: day(w, entry.at),
          to: entry.organisation_name || entry.organisation,
          reason: entry.reason,
        }),
      ),
    ),
    h(
      "p",
      { class: "kb-said", "data-kb": "triage-alone-state" },
      w.t(shared ? "tri_alone_state_shared" : "tri_alone_state_kept", { org }),
    ),
    problem,
    h("div", { class: "kb-actions" }, choice),
    h("p", { class: "kb-hint" }, w.t("tri_safe_help")),
  );
}

function renderTriage(w, triage, conversation, active) {
  const org = triage.organisation_name || triage.organisation;
  const record = triage.record || {};
  const state = triage.sharing?.state;
  const occasion = conversation?.occasions?.find((candidate) => candidate.id === record.occasion);
  const judgement = conversation?.judgements?.find(
    (candidate) => candidate.id === record.judgement?.support,
  );
  const titleId = uid("kb-triage");
  const problem = problemLine();
  const others = active.filter((entry) => entry.organisation !== triage.organisation);
  const share = button(
    w.t(state === "kept" ? "tri_share_after_all" : "tri_share"),
    guarded(w, problem, async () => {
      await decide(w, triage.id, true);
      showNetwork(w, w.t("tri_shared_done"));
    }),
    state === "awaiting_parents" ? "" : "kb-secondary",
  );
  share.dataset.kb = "triage-share";
  const keep = button(
    w.t(state === "shared" ? "tri_keep_after_all" : "tri_keep", { org }),
    guarded(w, problem, async () => {
      await decide(w, triage.id, false);
      showNetwork(w, w.t("tri_kept_done", { org }));
    }),
    "kb-secondary",
  );
  keep.dataset.kb = "triage-keep";
  const decidedLine =
    state === "shared" || state === "kept"
      ? h(
          "p",
          { class: "kb-said", "data-kb": "triage-state" },
          w.t(state === "shared" ? "tri_state_shared" : "tri_state_kept", {
            org,
            date: day(w, triage.sharing.decided_at),
          }),
        )
      : null;
  return h(
    "section",
    { class: "kb-card", "data-triage": triage.id, "aria-labelledby": titleId },
    h(
      "h4",
      { id: titleId },
      w.t("tri_heading", {
        occasion: text(w, occasion?.label, record.occasion || ""),
        date: day(w, triage.created_at),
      }),
    ),
    h("p", { class: "kb-org-type" }, `${org} (${typeName(w, triage.organisation_type)})`),
    h("p", {}, w.t("tri_recorded_with_you", { org })),
    recordedTopics(w, triage, conversation),
    h(
      "dl",
      { class: "kb-stack" },
      record.parents_view ? [h("dt", {}, w.t("tri_view")), h("dd", {}, record.parents_view)] : null,
      record.parents_wishes
        ? [h("dt", {}, w.t("tri_wishes")), h("dd", {}, record.parents_wishes)]
        : null,
      h("dt", {}, w.t("tri_judgement", { org })),
      record.judgement?.alone
        ? h("dd", { "data-kb": "triage-judgement" }, w.t("tri_judgement_alone"))
        : judgementText(w, judgement, record),
    ),
    alonePart(w, triage, conversation, judgement),
    decidedLine,
    state === "awaiting_parents" ? h("p", {}, h("strong", {}, w.t("tri_question"))) : null,
    h(
      "div",
      { class: "kb-consent" },
      h("p", {}, h("strong", {}, w.t("tri_if_share"))),
      h(
        "ul",
        { class: "kb-list", "data-kb": "triage-who" },
        others.map((entry) =>
          h("li", {}, `${entry.name || entry.organisation} (${typeName(w, entry.type)})`),
        ),
        h("li", {}, w.t("tri_later_members")),
      ),
      h("p", {}, w.t("tri_if_keep", { org })),
      h("p", { class: "kb-hint" }, w.t("tri_change_later")),
    ),
    problem,
    h(
      "div",
      { class: "kb-actions" },
      state === "shared" ? null : share,
      state === "kept" ? null : keep,
    ),
  );
}
