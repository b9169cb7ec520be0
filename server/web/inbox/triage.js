// Triage at intake on the family page (docs/care-network.md, "Triage at intake"): the latest
// structured conversation on the parent-child relationship (indicators and the six elements, the
// parents' own view, the professional judgement), whether the parents shared it, how it changed
// over the repeated conversations, the referral or agreement its judgement leads to in one step,
// and the form to record a conversation with the parents — built from the conversation file
// (GET /api/v1/conversations/{id}), never from words of its own.
import {
  api,
  clearFieldError,
  el,
  field,
  fill,
  form,
  formatTime,
  MAX_WEEK,
  momentText,
  organisationType,
  showFieldError,
  state,
  submitButton,
  t,
  weekOf,
} from "./common.js";

const CONVERSATION = "triage_parent_child";
const NOTE_MAX = 300;
const VIEW_MAX = 1000;
const JUDGEMENT_NOTE_MAX = 500;
const REASON_MAX = 500;
const WHAT_MAX = 300;

let conversationFile = null;

/** The triage conversation file (public), loaded once per page; throws when it cannot load. */
export async function loadConversation() {
  conversationFile ??= await api(`/api/v1/conversations/${CONVERSATION}`);
  return conversationFile;
}

const words = (value, fallback = "") => value?.[state.ui] || value?.nl || fallback;

function findById(list, id) {
  return (list ?? []).find((entry) => entry.id === id) ?? null;
}

/** "Wacht op de ouders" etc.; the recording organisation's name where it matters. */
function sharingBadge(triage) {
  const sharing = triage.sharing?.state ?? "awaiting_parents";
  return el(
    "span",
    fill(`triageSharing_${sharing}`, { org: triage.organisation_name || triage.organisation }),
    `badge triage-${sharing}`,
  );
}

function titleOf(triage, conversation) {
  const record = triage.record ?? {};
  const occasion = words(
    findById(conversation?.occasions, record.occasion)?.label,
    record.occasion,
  );
  const moment = record.moment ? `, ${momentText(record.moment.stage, record.moment.week)}` : "";
  return `${occasion}${moment} · ${formatTime(triage.created_at)}`;
}

/** A section of topics asked with the parent alone (docs/conversation-format.md). */
const isAlone = (section) => section.topics.some((topic) => topic.alone);

/** "de moeder" / "de partner". */
const parentWord = (role) => t(role === "partner" ? "triageParent_partner" : "triageParent_mother");

function statusText(section, id) {
  return words(findById(section?.statuses, id)?.label, id);
}

/** A topic's entry in a stored record, also when it was recorded under a former id. */
const entryOf = (topics, topic) =>
  topics?.[topic.id] ?? (topic.former_ids || []).map((id) => topics?.[id]).find(Boolean);

/** One section of the record as a list: every topic with its status and note. */
function sectionList(section, topics) {
  const list = el("ul", null, "triage-topics");
  list.dataset.section = section.id;
  for (const topic of section.topics) {
    const entry = entryOf(topics, topic) ?? { status: section.default_status, note: "" };
    const item = el("li", null, entry.status === section.default_status ? "not-discussed" : "");
    item.dataset.topic = topic.id;
    item.append(
      el("strong", words(topic.label)),
      " ",
      el("span", statusText(section, entry.status), `badge triage-status status-${entry.status}`),
    );
    if (entry.note) item.append(el("p", entry.note, "triage-note"));
    list.append(item);
  }
  return list;
}

function followUpText(entry, data) {
  if (entry.kind === "referral") {
    const proposal = (data.proposals ?? []).find((candidate) => candidate.id === entry.id);
    return fill("triageFollowReferral", {
      org: proposal?.name || entry.organisation || "?",
      state: proposal ? t(`proposal_${proposal.state}`) : "",
    });
  }
  const agreement = (data.agreements ?? []).find((candidate) => candidate.id === entry.id);
  return fill("triageFollowAgreement", { what: agreement?.what ?? `#${entry.id}` });
}

/** The whole record of one triage (the latest in full; earlier ones in a details box). */
export function triageRecord(triage, conversation, data, headingTag) {
  const node = el("article", null, "triage");
  node.dataset.triageId = triage.id;
  const heading = el(headingTag, titleOf(triage, conversation));
  heading.id = `triage-${triage.id}-title`;
  heading.tabIndex = -1;
  node.setAttribute("aria-labelledby", heading.id);
  node.append(heading);
  const badges = el("p", null, "badges");
  badges.append(sharingBadge(triage));
  node.append(badges);
  const by = triage.recorded_by ?? {};
  node.append(
    el(
      "p",
      fill("triageRecordedBy", {
        who: [by.role, by.name || by.username].filter(Boolean).join(" "),
        org: `${triage.organisation_name || triage.organisation} (${organisationType(triage.organisation_type)})`,
      }),
      "hint",
    ),
  );
  const record = triage.record ?? {};
  for (const section of conversation?.sections ?? []) {
    node.append(el(headingTag === "h4" ? "h5" : "h6", words(section.title)));
    if (!isAlone(section)) {
      node.append(sectionList(section, record.topics));
      continue;
    }
    // The part held with the parent alone: only where this organisation may see it.
    const part = el("div", null, "triage-alone");
    part.dataset.kb = "triage-alone";
    if (!record.alone) part.append(el("p", t("triageAloneNotShared"), "notice"));
    else if (!record.alone.confirmed)
      part.append(
        el("p", fill("triageAloneNotHeld", { parent: parentWord(triage.parent) }), "hint"),
      );
    else {
      part.append(
        el("p", fill("triageAloneHeld", { parent: parentWord(triage.parent) }), "hint"),
        sectionList(section, record.alone.topics),
      );
      if (triage.alone?.sharing === "shared") {
        const who = { parent: parentWord(triage.parent) };
        part.append(el("p", fill("triageAloneSharedByParent", who), "badge"));
      }
      for (const entry of triage.alone?.meldcode ?? []) {
        const line = el(
          "p",
          fill("triageMeldcodeLine", {
            org: entry.organisation_name || entry.organisation,
            by: entry.by_organisation_name || entry.by_organisation,
            when: formatTime(entry.at),
          }),
          "triage-meldcode",
        );
        line.append(el("span", ` \u201c${entry.reason}\u201d`));
        part.append(line);
      }
    }
    node.append(part);
  }
  const facts = el("dl", null, "facts triage-facts");
  const judgement = findById(conversation?.judgements, record.judgement?.support);
  facts.append(
    el("dt", t("triageParentsView")),
    el("dd", record.parents_view || t("triageNothingWritten")),
    el("dt", t("triageParentsWishes")),
    el("dd", record.parents_wishes || t("triageNothingWritten")),
    el("dt", t("triageJudgement")),
  );
  const judged = el("dd", null, "triage-judgement");
  if (record.judgement?.alone && !record.judgement.support)
    judged.append(el("em", t("triageJudgementWithheld")));
  else judged.append(el("strong", words(judgement?.label, record.judgement?.support ?? "?")));
  if (record.judgement?.note) judged.append(el("p", record.judgement.note, "triage-note"));
  facts.append(judged);
  node.append(facts);
  if (triage.follow_up?.length) {
    node.append(el("p", t("triageFollowUp"), "triage-follow-title"));
    const list = el("ul", null, "triage-follow");
    for (const entry of triage.follow_up) list.append(el("li", followUpText(entry, data)));
    node.append(list);
  }
  return node;
}

/**
 * How the repeated conversations changed: oldest first, the judgement and every topic whose status
 * was not the same each time. Null for a single triage.
 */
function changesTable(triages, conversation) {
  if (triages.length < 2 || !conversation) return null;
  const ordered = [...triages].reverse();
  const table = el("table", null, "triage-changes");
  const caption = el("caption", t("triageChangesTitle"));
  table.append(caption);
  const head = el("tr");
  head.append(el("th", t("triageTopic")));
  for (const triage of ordered) {
    const cell = el("th", titleOf(triage, conversation));
    cell.scope = "col";
    head.append(cell);
  }
  const thead = el("thead");
  thead.append(head);
  const body = el("tbody");
  const row = (label, values) => {
    const line = el("tr");
    const name = el("th", label);
    name.scope = "row";
    line.append(name, ...values.map((value) => el("td", value)));
    body.append(line);
  };
  row(
    t("triageJudgement"),
    ordered.map((triage) =>
      words(
        findById(conversation.judgements, triage.record?.judgement?.support)?.label,
        triage.record?.judgement?.support,
      ),
    ),
  );
  let changed = 0;
  for (const section of conversation.sections) {
    for (const topic of section.topics) {
      const statuses = ordered.map(
        (triage) => entryOf(triage.record?.topics, topic)?.status ?? section.default_status,
      );
      if (new Set(statuses).size < 2) continue;
      changed += 1;
      row(
        words(topic.label),
        statuses.map((status) => statusText(section, status)),
      );
    }
  }
  table.append(thead, body);
  const wrap = el("div", null, "table-wrap");
  wrap.append(table);
  if (!changed) wrap.append(el("p", t("triageNoTopicChanged"), "hint"));
  return wrap;
}

function radioGroup(name, legendText, options, checked, hintText) {
  const set = el("fieldset", null, "radio-group");
  set.append(el("legend", legendText));
  if (hintText) set.append(el("p", hintText, "hint"));
  const inputs = [];
  for (const option of options) {
    const id = `${name}-${option.id}`;
    const line = el("div", null, "field check");
    const input = el("input");
    input.type = "radio";
    input.name = name;
    input.value = option.id;
    input.id = id;
    input.checked = option.id === checked;
    const label = el("label", option.label);
    label.htmlFor = id;
    line.append(input, label);
    if (option.description) {
      const hint = el("p", option.description, "hint radio-hint");
      hint.id = `${id}-hint`;
      input.setAttribute("aria-describedby", hint.id);
      line.append(hint);
    }
    inputs.push(input);
    set.append(line);
  }
  return { node: set, value: () => inputs.find((input) => input.checked)?.value ?? null, inputs };
}

function textArea(max, rows, value = "") {
  const node = el("textarea");
  node.maxLength = max;
  node.rows = rows;
  node.value = value;
  return node;
}

/** The record form, new (triage null) or to correct the organisation's own triage. */
function recordForm(prefix, conversation, triage, submit, extra = null) {
  const record = triage?.record ?? {};
  const nodes = [...(extra?.nodes ?? [])];
  const occasion = el("select");
  for (const entry of conversation.occasions) {
    const option = el("option", words(entry.label));
    option.value = entry.id;
    occasion.append(option);
  }
  occasion.value = record.occasion ?? conversation.occasions[0]?.id ?? "";
  nodes.push(field(`${prefix}-occasion`, t("triageOccasion"), occasion));

  const stage = el("select");
  for (const kind of ["none", "pregnancy", "postpartum"]) {
    const option = el("option", t(`triageMoment_${kind}`));
    option.value = kind;
    stage.append(option);
  }
  stage.value = record.moment?.stage ?? "none";
  const week = el("input");
  week.type = "number";
  week.min = "0";
  week.max = String(MAX_WEEK.postpartum);
  week.inputMode = "numeric";
  week.value = record.moment?.week ?? "";
  const weekField = field(`${prefix}-week`, t("dueWeek"), week);
  const showWeek = () => {
    weekField.hidden = stage.value === "none";
  };
  stage.addEventListener("change", showWeek);
  showWeek();
  nodes.push(field(`${prefix}-stage`, t("triageMoment"), stage), weekField);

  // The parent the conversation is with: it is theirs (on the family page; not without a family).
  let parent = null;
  if (!extra) {
    parent = el("select");
    for (const role of ["mother", "partner"]) {
      const option = el("option", t(`triageWith_${role}`));
      option.value = role;
      parent.append(option);
    }
    parent.value = triage?.parent ?? "mother";
    nodes.push(field(`${prefix}-parent`, t("triageWithParent"), parent, t("triageWithParentHint")));
  }

  const topicControls = [];
  let aloneBox = null;
  for (const section of conversation.sections) {
    const set = el("fieldset", null, "triage-section");
    set.append(el("legend", words(section.title)));
    if (section.intro) set.append(el("p", words(section.intro), "hint"));
    // The part held alone: shown apart, its topics only after "Ik sprak de moeder alleen".
    let target = set;
    if (isAlone(section)) {
      set.classList.add("triage-alone");
      const line = el("div", null, "field check");
      aloneBox = el("input");
      aloneBox.type = "checkbox";
      aloneBox.id = `${prefix}-alone-confirmed`;
      aloneBox.checked = record.alone?.confirmed === true;
      const label = el("label");
      label.htmlFor = aloneBox.id;
      const sayParent = () => {
        label.textContent = fill("triageAloneConfirm", {
          parent: parentWord(parent?.value ?? triage?.parent),
        });
      };
      sayParent();
      parent?.addEventListener("change", sayParent);
      line.append(aloneBox, label);
      const topicsBox = el("div", null, "triage-alone-topics");
      const showTopics = () => {
        topicsBox.hidden = !aloneBox.checked;
      };
      aloneBox.addEventListener("change", showTopics);
      showTopics();
      set.append(line, topicsBox);
      target = topicsBox;
    }
    for (const topic of section.topics) {
      const given = entryOf(topic.alone ? record.alone?.topics : record.topics, topic);
      const group = radioGroup(
        `${prefix}-${topic.id}`,
        words(topic.label),
        section.statuses.map((status) => ({ id: status.id, label: words(status.label) })),
        given?.status ?? section.default_status,
        words(topic.prompt),
      );
      group.node.classList.add("triage-topic");
      group.node.dataset.topic = topic.id;
      const note = el("input");
      note.maxLength = NOTE_MAX;
      note.value = given?.note ?? "";
      group.node.append(field(`${prefix}-${topic.id}-note`, t("triageNote"), note));
      topicControls.push({ topic, section, group, note });
      target.append(group.node);
    }
    nodes.push(set);
  }

  const view = textArea(VIEW_MAX, 3, record.parents_view ?? "");
  const wishes = textArea(VIEW_MAX, 3, record.parents_wishes ?? "");
  nodes.push(
    field(
      `${prefix}-view`,
      t("triageParentsView"),
      view,
      words(conversation.parents_view_prompt, t("triageParentsViewHint")),
    ),
    field(`${prefix}-wishes`, t("triageParentsWishes"), wishes),
  );
  const judgement = radioGroup(
    `${prefix}-judgement`,
    t("triageJudgement"),
    conversation.judgements.map((entry) => ({
      id: entry.id,
      label: words(entry.label),
      description: words(entry.description),
    })),
    record.judgement?.support ?? null,
    t("triageJudgementHint"),
  );
  const judgementNote = textArea(JUDGEMENT_NOTE_MAX, 2, record.judgement?.note ?? "");
  nodes.push(
    judgement.node,
    field(`${prefix}-judgement-note`, t("triageJudgementNote"), judgementNote),
  );
  nodes.push(el("p", t("triageWithParents"), "hint"));

  return form(
    "triage-form",
    () => {
      clearFieldError(week);
      clearFieldError(judgement.inputs[0]);
      const before = extra ? extra.read() : {};
      if (!before) return;
      const body = { ...before, occasion: occasion.value, topics: {} };
      if (parent) body.parent = parent.value;
      const aloneConfirmed = aloneBox?.checked === true;
      if (aloneConfirmed) body.alone = { confirmed: true, topics: {} };
      if (stage.value !== "none") {
        const number = weekOf(stage.value, week.value);
        if (number === null)
          return showFieldError(week, fill("weekRequired", { max: MAX_WEEK[stage.value] }));
        body.moment = { stage: stage.value, week: number };
      }
      for (const { topic, group, note } of topicControls) {
        const entry = { status: group.value() };
        if (note.value.trim()) entry.note = note.value.trim();
        // Without the confirmation nothing of the part held alone is sent.
        if (topic.alone) {
          if (aloneConfirmed) body.alone.topics[topic.id] = entry;
        } else body.topics[topic.id] = entry;
      }
      if (view.value.trim()) body.parents_view = view.value.trim();
      if (wishes.value.trim()) body.parents_wishes = wishes.value.trim();
      if (!judgement.value())
        return showFieldError(judgement.inputs[0], t("triageJudgementRequired"));
      body.judgement = { support: judgement.value() };
      if (judgementNote.value.trim()) body.judgement.note = judgementNote.value.trim();
      return submit(body);
    },
    ...nodes,
    submitButton(triage ? t("save") : t("triageSave")),
  );
}

function details(summaryText, content, className) {
  const node = el("details", null, className);
  node.append(el("summary", summaryText), content);
  return node;
}

/**
 * The step the judgement leads to, in one form: a referral proposal to an organisation of the
 * coalition (the suggested types first) or a care agreement owned by this organisation, each
 * with the triage's id. Null when the judgement leads to nothing or nothing can be proposed.
 */
function followUpForm(triage, conversation, data, directory, api) {
  const judgement = findById(conversation?.judgements, triage.record?.judgement?.support);
  if (!judgement?.leads_to || judgement.leads_to === "meldcode" || !state.me) return null;
  const label = words(judgement.label);
  // What the network will read: the judgement's note only when the parents shared the conversation.
  const shared = triage.sharing?.state === "shared";
  const note = shared ? (triage.record?.judgement?.note ?? "") : "";
  const privateHint = shared ? null : el("p", t("triageNotSharedHint"), "hint");
  if (judgement.leads_to === "agreement") {
    const ours = (data.network ?? []).find((member) => member.me && member.state !== "removed");
    if (!ours) return null;
    const what = el("input");
    what.maxLength = WHAT_MAX;
    what.value = (note || label).slice(0, WHAT_MAX);
    const made = form(
      "triage-follow-form",
      () => {
        clearFieldError(what);
        if (!what.value.trim()) return showFieldError(what, t("whatRequired"));
        return api.agree({
          what: what.value.trim(),
          owner_organisation: ours.organisation,
          triage_id: triage.id,
        });
      },
      privateHint,
      field(`triage-${triage.id}-what`, t("agreementWhat"), what, t("agreementWhatHint")),
      submitButton(t("triageMakeAgreement")),
    );
    return details(fill("triageLeadsToAgreement", { judgement: label }), made, "triage-follow-up");
  }
  const members = new Set(
    (data.network ?? []).filter((m) => m.state !== "removed").map((m) => m.organisation),
  );
  const waiting = new Set(
    (data.proposals ?? []).filter((p) => p.state === "proposed").map((p) => p.organisation),
  );
  const suggested = judgement.suggested_types ?? [];
  const candidates = (directory?.organisations ?? [])
    .filter((org) => !members.has(org.slug) && !waiting.has(org.slug))
    .sort(
      (a, b) =>
        Number(!suggested.includes(a.type)) - Number(!suggested.includes(b.type)) ||
        a.name.localeCompare(b.name),
    );
  if (!candidates.length) return el("p", t("nobodyToPropose"), "hint");
  const organisation = el("select");
  for (const candidate of candidates) {
    const option = el("option", `${candidate.name} (${organisationType(candidate.type)})`);
    option.value = candidate.slug;
    organisation.append(option);
  }
  const reason = textArea(REASON_MAX, 3, note.slice(0, REASON_MAX));
  const made = form(
    "triage-follow-form",
    () => {
      clearFieldError(reason);
      if (!reason.value.trim()) return showFieldError(reason, t("reasonForParentsRequired"));
      return api.refer({
        organisation: organisation.value,
        reason: reason.value.trim(),
        triage_id: triage.id,
      });
    },
    privateHint,
    field(`triage-${triage.id}-organisation`, t("proposeOrganisation"), organisation),
    field(`triage-${triage.id}-reason`, t("reasonForParents"), reason, t("reasonForParentsHint")),
    submitButton(t("triageMakeReferral")),
  );
  return details(fill("triageLeadsToReferral", { judgement: label }), made, "triage-follow-up");
}

/**
 * The Meldcode action on a triage this organisation recorded with a part held alone: share that
 * part with named organisations of the network that are there for that parent, with the reason.
 * Null when there is nothing to share or nobody to share it with.
 */
function meldcodeForm(triage, data, api) {
  const ours = (data.network ?? []).find((member) => member.me)?.organisation;
  if (!state.me || triage.organisation !== ours || !triage.record?.alone?.confirmed) return null;
  const already = new Set((triage.alone?.meldcode ?? []).map((entry) => entry.organisation));
  const candidates = (data.network ?? []).filter(
    (member) =>
      member.state === "active" &&
      !member.me &&
      !already.has(member.organisation) &&
      (member.for ?? []).includes(triage.parent),
  );
  if (!candidates.length) return null;
  const set = el("fieldset", null, "radio-group");
  set.append(el("legend", t("triageMeldcodeWith")));
  const boxes = candidates.map((member) => {
    const line = el("div", null, "field check");
    const box = el("input");
    box.type = "checkbox";
    box.value = member.organisation;
    box.id = `triage-${triage.id}-meldcode-${member.organisation}`;
    const name = `${member.name || member.organisation} (${organisationType(member.type)})`;
    const label = el("label", name);
    label.htmlFor = box.id;
    line.append(box, label);
    set.append(line);
    return box;
  });
  const reason = textArea(REASON_MAX, 3);
  const made = form(
    "triage-meldcode-form",
    () => {
      clearFieldError(boxes[0]);
      clearFieldError(reason);
      const organisations = boxes.filter((box) => box.checked).map((box) => box.value);
      if (!organisations.length) return showFieldError(boxes[0], t("triageMeldcodeWhoRequired"));
      if (!reason.value.trim()) return showFieldError(reason, t("triageMeldcodeReasonRequired"));
      return api.meldcode(triage.id, { reason: reason.value.trim(), organisations });
    },
    el("p", fill("triageMeldcodeHint", { parent: parentWord(triage.parent) }), "hint"),
    set,
    field(`triage-${triage.id}-meldcode-reason`, t("triageMeldcodeReason"), reason),
    submitButton(t("triageMeldcodeShare")),
  );
  return details(t("triageMeldcodeTitle"), made, "triage-meldcode-action");
}

/**
 * The triage part of the family page. conversation: the conversation file (null when it did not
 * load); directory: the coalition's public directory (or null). api: {record(body),
 * change(id, body), refer(body), agree(body), meldcode(id, body)} — the family page posts,
 * reloads and says so.
 */
export function triageSection(node, data, conversation, directory, api) {
  node.append(el("p", t("triageHint"), "hint"));
  if (!conversation) {
    node.append(el("p", t("triageFileMissing"), "notice"));
    return node;
  }
  const triages = data.triages ?? [];
  if (!triages.length) node.append(el("p", t("triageEmpty"), "hint"));
  else {
    const latest = triages[0];
    node.append(triageRecord(latest, conversation, data, "h4"));
    const next = followUpForm(latest, conversation, data, directory, api);
    if (next) node.append(next);
    const meldcode = meldcodeForm(latest, data, api);
    if (meldcode) node.append(meldcode);
    const ours = (data.network ?? []).find((member) => member.me)?.organisation;
    if (latest.organisation === ours && latest.sharing?.state === "awaiting_parents" && state.me) {
      node.append(
        details(
          t("triageCorrect"),
          recordForm(`triage-${latest.id}-edit`, conversation, latest, (body) =>
            api.change(latest.id, body),
          ),
          "triage-edit",
        ),
      );
    }
    const changes = changesTable(triages, conversation);
    if (changes) node.append(changes);
    if (triages.length > 1) {
      const earlier = el("div");
      for (const triage of triages.slice(1))
        earlier.append(triageRecord(triage, conversation, data, "h5"));
      node.append(
        details(fill("triageEarlier", { count: triages.length - 1 }), earlier, "triage-earlier"),
      );
    }
  }
  if (state.me) {
    node.append(
      details(
        t("triageNew"),
        recordForm("triage-new", conversation, null, (body) => api.record(body)),
        "triage-new",
      ),
    );
  }
  return node;
}

const REFERENCE_MAX = 40;

/** The organisation's own file number (never a name): 1-40 characters. */
function referenceInput(value = "") {
  const input = el("input");
  input.maxLength = REFERENCE_MAX;
  input.autocomplete = "off";
  input.spellcheck = false;
  input.value = value;
  return input;
}

/**
 * Conversations with parents who have no family in Kindband (yet): recorded under the
 * organisation's own reference, seen by this organisation only; looked up by that reference.
 * done(key) says what happened (the page's status line); failed(error) shows a failure.
 */
export async function organisationTriageSection(node, { done, failed }) {
  node.replaceChildren(el("p", t("orgTriageHint"), "hint"));
  let conversation;
  try {
    conversation = await loadConversation();
  } catch {
    node.append(el("p", t("triageFileMissing"), "notice"));
    return;
  }
  const results = el("div", null, "org-triage-results");
  results.setAttribute("aria-live", "polite");
  const show = async (reference) => {
    const answer = await api(`/api/v1/inbox/triages?reference=${encodeURIComponent(reference)}`);
    const triages = answer?.triages ?? [];
    results.replaceChildren();
    if (!triages.length) {
      results.append(el("p", fill("orgTriageNone", { reference }), "hint"));
      return;
    }
    const heading = el("h4", fill("orgTriageFor", { reference, count: triages.length }));
    heading.id = "org-triage-results-title";
    heading.tabIndex = -1;
    results.append(heading);
    const changes = changesTable(triages, conversation);
    if (changes) results.append(changes);
    for (const triage of triages) results.append(triageRecord(triage, conversation, {}, "h5"));
    heading.focus();
  };

  const lookup = referenceInput();
  node.append(
    form(
      "org-triage-lookup",
      async () => {
        clearFieldError(lookup);
        if (!lookup.value.trim()) return showFieldError(lookup, t("referenceRequired"));
        try {
          await show(lookup.value.trim());
        } catch (error) {
          failed(error);
        }
      },
      field("org-triage-lookup-reference", t("reference"), lookup, t("referenceHint")),
      submitButton(t("orgTriageShow"), "secondary"),
    ),
  );

  const reference = referenceInput();
  const referenceField = field(
    "org-triage-reference",
    t("reference"),
    reference,
    t("referenceHint"),
  );
  const extra = {
    nodes: [referenceField],
    read: () => {
      clearFieldError(reference);
      if (!reference.value.trim()) return showFieldError(reference, t("referenceRequired"));
      return { reference: reference.value.trim() };
    },
  };
  const record = recordForm(
    "org-triage-new",
    conversation,
    null,
    async (body) => {
      try {
        await api("/api/v1/inbox/triages", { method: "POST", body });
      } catch (error) {
        failed(error);
        return;
      }
      done("orgTriageRecorded");
      record.reset();
      lookup.value = body.reference;
      record.closest("details").open = false;
      try {
        await show(body.reference);
      } catch (error) {
        failed(error);
      }
    },
    extra,
  );
  node.append(details(t("orgTriageNew"), record, "org-triage-new"), results);
}
