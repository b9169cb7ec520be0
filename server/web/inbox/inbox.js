// Kindband professional inbox: log in; "my day" first (day.js: my cases, shares nobody took yet,
// overdue agreements, new messages from parents); list the organisation's shares a page at a time
// (safety-flagged shares nobody took first, with their age, then positive screens, then newest)
// with filters and counts per state; open one (contact details first) and work its case (take,
// contacted, close with a reason, reassign: case.js), or mark it seen with a note for colleagues;
// open a family's page (family.js); invite a family.
//
// Shares are rendered with the same wasm engine the parent's widget used (/engine/kindband.mjs),
// in the language the parent used, so wording, scale names and advice match what the parent saw
// (advice from the answers, or from the result alone when only the result was shared).
// All text goes into the page with textContent (never innerHTML): share content is untrusted.
import {
  $,
  api,
  button,
  clearFieldError,
  consentText,
  contactList,
  contextText,
  el,
  fail,
  familyPageLabel,
  fill,
  formatTime,
  problemText,
  say,
  sayAgain,
  showFieldError,
  state,
  t,
  table,
} from "./common.js";
import { caseOf, caseProblemText, caseSection, focusCase, forgetColleagues } from "./case.js";
import { day, loadDay, renderDay } from "./day.js";
import { families, loadFamilies, renderFamilies } from "./families.js";
import { assign, family, loadFamily, renderFamily } from "./family.js";
import { shareItem } from "./share_item.js";
import { loadSettings, rerenderSettings } from "./settings.js";
import { organisationTriageSection } from "./triage.js";

/** The parent's receipt code: the share id's first 8 characters, "3F9A-C21B" (widget/lib/sharing.js). */
const shortCode = (shareId) => {
  const head = shareId.replace(/-/g, "").slice(0, 8).toUpperCase();
  return `${head.slice(0, 4)}-${head.slice(4)}`;
};

const PAGE_SIZE = 25;
const SECTIONS = [
  "login-section",
  "day-section",
  "inbox-section",
  "families-section",
  "settings-section",
  "detail-section",
  "family-section",
];
// The two views a professional returns to: "my day" (the landing view) and the whole inbox.
const HOMES = {
  "day-section": "",
  "inbox-section": "#inbox",
  "families-section": "#families",
  "settings-section": "#settings",
};
let home = "day-section";

/** The list as shown: the shares loaded so far, the cursor for the next page, the family filter. */
const list = { shares: [], nextCursor: null, family: null };
let current = null; // the open share's id
let currentDetail = null;
let detailFromFamily = false;
let lastOpener = null;
let invitation = null;

// When the parents removed the organisation (or erased the family) while its page was open, the
// next action redraws the page with that news instead of leaving stale data on screen.
const lostAccess = (error) => ["removed_by_parents", "family_erased"].includes(error.code);

const familyHandlers = {
  openShare: (id, opener) => openShare(id, opener, true),
  assign: async (username) => {
    try {
      await assign(username, familyHandlers);
    } catch (error) {
      familyHandlers.failed(error);
    }
  },
  failed: async (error) => {
    if (lostAccess(error)) await showFamily(family.id);
    handle(error);
  },
};

// A share in the list or in "my day": open it, or its family's page.
const listHandlers = {
  openShare: (id, opener) => openShare(id, opener, false),
  openFamily: (id) => openFamily(id),
};

async function loadEngine() {
  try {
    const { loadKindband } = await import("/engine/kindband.mjs");
    state.kb = await loadKindband();
  } catch (error) {
    state.kb = null;
    console.warn("kindband engine not available", error);
  }
}

function applyUiLanguage() {
  document.documentElement.lang = state.ui;
  for (const node of document.querySelectorAll("[data-text]")) {
    node.textContent = t(node.dataset.text);
  }
  fillInstrumentFilter();
  renderFamilyFilter();
  renderInvitation();
  if (state.me) loggedIn(state.me);
  if (state.me && $("org-triage-body").childElementCount) renderOrganisationTriage(true);
}

// The instrument filter lists the engine's instruments by their short name in the interface
// language (the id when the engine did not load).
function fillInstrumentFilter() {
  const select = $("instrument-filter");
  const chosen = select.value;
  const anyOption = select.options[0];
  select.replaceChildren(anyOption);
  let instruments = [];
  try {
    instruments = state.kb ? state.kb.listInstruments(state.ui) : [];
  } catch {
    instruments = [];
  }
  for (const instrument of instruments) {
    const option = el("option", instrument.short_name || instrument.id);
    option.value = instrument.id;
    if (instruments.filter((other) => other.short_name === instrument.short_name).length > 1)
      option.textContent = instrument.name;
    select.append(option);
  }
  select.value = chosen;
}

function show(section) {
  for (const id of SECTIONS) $(id).hidden = id !== section;
  if (section in HOMES) home = section;
  // The view buttons say which home view is open (and where "back" leads).
  $("view-day").setAttribute("aria-current", String(home === "day-section" && section === home));
  $("view-inbox").setAttribute(
    "aria-current",
    String(home === "inbox-section" && section === home),
  );
  $("view-families").setAttribute(
    "aria-current",
    String(home === "families-section" && section === home),
  );
  $("view-settings").setAttribute(
    "aria-current",
    String(home === "settings-section" && section === home),
  );
}

function visible() {
  return SECTIONS.find((id) => !$(id).hidden) ?? null;
}

function loggedIn(me) {
  state.me = me;
  $("who").textContent =
    `${t("loggedInAs")} ${me.name || me.username} (${me.role}, ${me.organisation_name ?? me.organisation})`;
  $("logout").hidden = false;
  $("views").hidden = false;
}

function loggedOut(message) {
  state.me = null;
  forgetColleagues();
  $("who").textContent = "";
  $("logout").hidden = true;
  $("views").hidden = true;
  // Nothing of the last person's work stays in the page (the next login may be someone else).
  list.shares = [];
  list.nextCursor = null;
  list.family = null;
  current = null;
  currentDetail = null;
  day.data = null;
  family.id = null;
  family.data = null;
  family.problem = null;
  families.rows = [];
  families.nextOffset = null;
  for (const id of ["share-list", "counts", "day", "detail", "family", "families-list"])
    $(id).replaceChildren();
  $("counts").hidden = true;
  renderFamilyFilter();
  show("login-section");
  say(message ?? "");
  $("username").focus();
}

// Any 401 means the session is gone (expired or logged out elsewhere).
function handle(error) {
  if (error.status === 401) {
    loggedOut(t("sessionEnded"));
  } else {
    $("error").textContent = problemText(error);
  }
}

// --- list ---------------------------------------------------------------------------------------

function listQuery(cursor) {
  const query = new URLSearchParams();
  query.set("status", $("status-filter").value);
  if ($("flag-filter").checked) query.set("flag", "1");
  if ($("positive-filter").checked) query.set("positive", "1");
  if ($("instrument-filter").value) query.set("instrument", $("instrument-filter").value);
  if (list.family) query.set("family", list.family);
  query.set("limit", String(PAGE_SIZE));
  if (cursor) query.set("cursor", cursor);
  return `/api/v1/inbox?${query}`;
}

/** Conversations without a family in Kindband (under the inbox list): built once, and per language. */
function renderOrganisationTriage(again = false) {
  const node = $("org-triage-body");
  if (node.childElementCount && !again) return;
  organisationTriageSection(node, { done: (key) => say(t(key)), failed: handle });
}

async function refresh() {
  renderOrganisationTriage();
  say(t("loading"));
  try {
    const data = await api(listQuery(null));
    list.shares = data.shares ?? [];
    list.nextCursor = data.next_cursor ?? null;
    renderCounts(data.counts);
    renderList();
    say(t("loaded"));
  } catch (error) {
    handle(error);
  }
}

async function loadMore() {
  if (!list.nextCursor) return;
  say(t("loading"));
  try {
    const data = await api(listQuery(list.nextCursor));
    const first = list.shares.length;
    const known = new Set(list.shares.map((share) => share.share_id));
    list.shares.push(...(data.shares ?? []).filter((share) => !known.has(share.share_id)));
    list.nextCursor = data.next_cursor ?? null;
    if (data.counts) renderCounts(data.counts);
    renderList();
    say(t("loaded"));
    // Keyboard users continue at the first newly loaded share.
    const next = $("share-list").children[first]?.querySelector("button");
    (next ?? $("share-list").lastElementChild?.querySelector("button"))?.focus();
  } catch (error) {
    handle(error);
  }
}

// Each count is also a shortcut: it sets the filters that list exactly those shares.
const COUNTS = [
  // Safety shares nobody took (rank 3, also after "seen"): all flagged shares, untaken first.
  ["flagged_new", "countFlaggedNew", { status: "all", flag: true }],
  ["received", "countReceived", { status: "received", flag: false }],
  ["seen", "countSeen", { status: "seen", flag: false }],
  ["withdrawn", "countWithdrawn", { status: "withdrawn", flag: false }],
  ["all", "countAll", { status: "all", flag: false }],
];

function renderCounts(counts) {
  const box = $("counts");
  box.replaceChildren();
  box.hidden = !counts;
  if (!counts) return;
  for (const [key, label, filters] of COUNTS) {
    if (typeof counts[key] !== "number") continue;
    const item = el("li", null, key === "flagged_new" && counts[key] > 0 ? "urgent" : "");
    item.dataset.count = key;
    const shortcut = button(null, () => {
      $("status-filter").value = filters.status;
      $("flag-filter").checked = filters.flag;
      $("positive-filter").checked = false;
      $("instrument-filter").value = "";
      refresh();
    });
    shortcut.append(el("span", counts[key], "count-number"), " ", el("span", t(label)));
    item.append(shortcut);
    box.append(item);
  }
}

function renderFamilyFilter() {
  $("family-filter").hidden = !list.family;
  $("family-filter-text").textContent = list.family
    ? fill("filterFamily", { family: list.family.slice(0, 8) })
    : "";
}

function renderList() {
  const box = $("share-list");
  box.replaceChildren();
  $("empty").hidden = list.shares.length > 0;
  for (const entry of list.shares) box.append(shareItem(entry, listHandlers));
  $("more").hidden = !list.nextCursor;
  $("shown").textContent = list.shares.length ? fill("shown", { n: list.shares.length }) : "";
}

// --- invitation -----------------------------------------------------------------------------------

async function invite() {
  say(t("loading"));
  try {
    invitation = await api("/api/v1/inbox/invitations", { method: "POST", body: {} });
    renderInvitation();
    $("invitation").hidden = false;
    say(t("inviteCreated"));
    $("invitation-title").focus();
  } catch (error) {
    handle(error);
  }
}

function renderInvitation() {
  if (!invitation) return;
  $("invitation-code").textContent = invitation.code;
  // Without a widget page for the organisation there is no link, only the code.
  for (const id of ["invitation-link-term", "invitation-link-value", "copy-link"]) {
    $(id).hidden = !invitation.link;
  }
  $("invitation-link").textContent = invitation.link ?? "";
  if (invitation.link) $("invitation-link").href = invitation.link;
  else $("invitation-link").removeAttribute("href");
  $("invitation-expires").textContent = invitation.expires_at
    ? fill("inviteExpires", { time: formatTime(invitation.expires_at) })
    : "";
  // The link as a QR code (the server's matrix, drawn here as SVG: no markup from the server).
  const qr = invitation.link ? invitation.qr : null;
  $("invitation-qr-figure").hidden = !qr;
  $("invitation-qr").replaceChildren(...(qr ? [qrSvg(qr)] : []));
}

/** A QR matrix ({size, rows of "0"/"1"}) as an SVG with a quiet zone of 4 modules. */
function qrSvg({ size, rows }) {
  const ns = "http://www.w3.org/2000/svg";
  const full = size + 8;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${full} ${full}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("inviteQrLabel"));
  svg.setAttribute("shape-rendering", "crispEdges");
  const background = document.createElementNS(ns, "rect");
  background.setAttribute("width", String(full));
  background.setAttribute("height", String(full));
  background.setAttribute("fill", "#fff");
  let d = "";
  rows.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) if (row[x] === "1") d += `M${x + 4} ${y + 4}h1v1h-1z`;
  });
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.append(background, path);
  return svg;
}

// The invitation by e-mail (issue 24): the server sends the link; the address is not kept.
async function mailInvitation() {
  const field = $("invitation-email");
  clearFieldError(field);
  const email = field.value.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    return showFieldError(field, t("inviteEmailWrong"));
  say(t("loading"));
  try {
    await api("/api/v1/inbox/invitations/email", {
      method: "POST",
      body: { code: invitation.code, email },
    });
    field.value = "";
    say(fill("inviteSent", { email }));
  } catch (error) {
    say("");
    if (error.code === "invalid_email") return showFieldError(field, t("inviteEmailWrong"));
    if (error.code === "invalid_code") return showFieldError(field, t("inviteUsed"));
    handle(error);
  }
  return true;
}

async function copyLink() {
  try {
    await navigator.clipboard.writeText(invitation.link);
    say(t("copied"));
  } catch (error) {
    fail(error);
  }
}

// --- family page ----------------------------------------------------------------------------------

const familyInHash = () => /^#family=([0-9a-fA-F-]{1,64})$/.exec(location.hash)?.[1] ?? null;

/** Opens a family's page; its address (#family=ID) can be bookmarked and the back button works. */
async function openFamily(id) {
  if (familyInHash() !== id) history.pushState(null, "", `#family=${id}`);
  await showFamily(id);
}

async function showFamily(id) {
  say(t("loading"));
  try {
    await loadFamily(id, familyHandlers);
    show("family-section");
    $("close-family").dataset.text = home === "day-section" ? "backToDay" : "back";
    $("close-family").textContent = t($("close-family").dataset.text);
    say(family.problem ? "" : t("familyLoaded"));
    $("family-section").focus();
  } catch (error) {
    handle(error);
  }
}

function closeFamily() {
  goHome(home);
}

// --- my day and the whole inbox -------------------------------------------------------------------

async function refreshDay() {
  say(t("loading"));
  try {
    await loadDay(listHandlers);
    say(t("dayLoaded"));
  } catch (error) {
    handle(error);
  }
}

/** Shows "my day" or the inbox (its address: none or #inbox) and loads it afresh. */
async function goHome(section, { push = true, focus = true } = {}) {
  const hash = HOMES[section];
  if (push && location.hash !== hash)
    history.pushState(null, "", `${location.pathname}${location.search}${hash}`);
  show(section);
  if (section === "day-section") await refreshDay();
  else if (section === "families-section") await refreshFamilies();
  else if (section === "settings-section") await loadSettings().catch(handle);
  else await refresh();
  const titles = {
    "day-section": "day-title",
    "inbox-section": "inbox-title",
    "families-section": "families-title",
    "settings-section": "settings-title",
  };
  if (focus) $(titles[section]).focus();
}

async function refreshFamilies({ more = false } = {}) {
  say(t("loading"));
  try {
    families.search = $("families-search").value.trim();
    families.needsAction = $("families-needs").checked;
    families.caseState = $("families-state").value;
    families.from = $("families-from").value;
    families.to = $("families-to").value;
    await loadFamilies(listHandlers, { more });
    say(t("familiesLoaded"));
  } catch (error) {
    handle(error);
  }
}

// The address decides between the family page, the inbox and my day (back/forward, a bookmark).
async function route() {
  const id = familyInHash();
  if (id) await showFamily(id);
  else {
    const section =
      Object.keys(HOMES).find((key) => HOMES[key] && HOMES[key] === location.hash) ?? "day-section";
    await goHome(section, { push: false });
  }
}

// --- detail -------------------------------------------------------------------------------------

async function openShare(id, opener, fromFamily) {
  say(t("loading"));
  try {
    const detail = await api(`/api/v1/inbox/shares/${encodeURIComponent(id)}`);
    current = id;
    $("detail-section").dataset.shareId = id;
    currentDetail = detail;
    lastOpener = opener;
    detailFromFamily = fromFamily;
    $("close-detail").dataset.text = fromFamily
      ? "backToFamily"
      : home === "day-section"
        ? "backToDay"
        : "back";
    $("close-detail").textContent = t($("close-detail").dataset.text);
    renderDetail(detail);
    show("detail-section");
    $("note").value = detail.note ?? "";
    say("");
    $("detail-section").focus();
  } catch (error) {
    if (fromFamily && lostAccess(error)) await showFamily(family.id);
    handle(error);
  }
}

/**
 * One step of the open share's case. On success the case part is drawn anew and keeps the focus.
 * On a conflict (somebody else took it a moment ago, or the case moved on) the share is read again,
 * so the page shows the case as it is now, and the error says what happened in plain words.
 */
async function caseStep(body) {
  const id = current;
  say(t("saving"));
  try {
    const updated = await api(`/api/v1/inbox/shares/${encodeURIComponent(id)}/case`, {
      method: "POST",
      body,
    });
    if (current !== id) return;
    currentDetail.case = updated?.case ?? updated;
    renderDetail(currentDetail);
    say(t(`caseDone_${body.action}`));
    focusCase();
  } catch (error) {
    if (error.status === 401) return handle(error);
    // A colleague's name that does not exist: keep what was typed and point at it.
    if (error.code === "not_a_colleague" && $("case-colleague")) {
      say("");
      return showFieldError($("case-colleague"), caseProblemText(error, null));
    }
    let now = null;
    try {
      const again = await api(`/api/v1/inbox/shares/${encodeURIComponent(id)}`);
      if (current === id) {
        currentDetail = again;
        renderDetail(again);
        now = caseOf(again);
      }
    } catch (readError) {
      if (lostAccess(readError) && detailFromFamily) await showFamily(family.id);
      return handle(readError);
    }
    $("error").textContent = caseProblemText(error, now) ?? problemText(error);
    focusCase();
  }
  return undefined;
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => deepEqual(a[key], b[key]));
}

function instrumentFor(share) {
  if (!state.kb) return null;
  try {
    return state.kb.getInstrument(share.instrument.id, share.language);
  } catch {
    return null;
  }
}

function renderDetail(detail) {
  const share = detail.share;
  const instrument = instrumentFor(share);
  const box = $("detail");
  box.replaceChildren();
  $("detail-title").textContent = instrument
    ? `${instrument.short_name} – ${instrument.name}`
    : share.instrument.id;
  if (!state.kb) box.append(el("p", t("engineMissing"), "error"));

  // Contact details first: a professional who reads a safety flag calls straight away.
  const contact = contactList(share.contact);
  if (contact) {
    const part = el("section", null, "contact-first");
    part.setAttribute("aria-labelledby", "detail-contact-title");
    const heading = el("h3", t("contactTitle"));
    heading.id = "detail-contact-title";
    part.append(heading, contact);
    box.append(part);
  }
  const familyId = detail.family_id ?? share.family_id;
  if (familyId && !detailFromFamily) {
    const familyButton = button(t("familyPage"), () => openFamily(familyId), "secondary");
    familyButton.setAttribute(
      "aria-label",
      familyPageLabel(familyId, detail.family_name ?? share.family_name),
    );
    const line = el("p");
    line.append(familyButton);
    box.append(line);
  }
  box.append(caseSection(detail, caseStep));

  const facts = el("p");
  const parent = share.context?.role ? "" : detail.parent ? `${t(detail.parent)} · ` : "";
  facts.append(
    `${parent}${t("receivedAt")}: ${formatTime(detail.received_at)} · ${t("context")}: ${contextText(share.context)}`,
    // The short code on the parent's receipt (the share id's first 8 characters), to match a call.
    ` · ${t("shareCode")}: `,
    el("span", shortCode(detail.share_id), "share-code"),
  );
  // "New" is the case's to say (above); "seen" stays a note next to it.
  if (detail.status !== "received" || !caseOf(detail)) {
    let statusText = t(detail.status);
    if (detail.seen_by_role) statusText += ` (${t("seenBy")} ${detail.seen_by_role})`;
    facts.append(" · ", el("span", statusText, "badge status"));
  }
  box.append(facts);

  const result = share.result;
  // Safety flags first: which question triggered them, in the parent's wording.
  for (const flag of result.flags ?? []) {
    const rule = instrument?.safety_rules?.find((r) => r.id === flag);
    const item = rule?.item ? instrument.items.find((i) => i.id === rule.item) : null;
    const text = item ? `${t("item")} ${item.id}: ${item.text ?? t("noWording")}` : flag;
    const p = el("p", null, "advice urgent");
    p.append(el("strong", `${t("safety")}: `), text);
    // How the parent answered it: the option they chose, or that answers were not shared.
    if (item) {
      const position = share.answers?.[instrument.items.indexOf(item)];
      const label = Number.isInteger(position) ? item.options[position]?.label : null;
      p.append(
        el("br"),
        share.answers ? `${t("parentAnswered")}: ${label ?? t("noWording")}` : t("answerNotShared"),
      );
    }
    box.append(p);
  }

  // The engine gives the advice the parent saw: from the answers when they were shared, else from
  // the shared result itself (the same advice). Its band titles name the bands.
  let advice = null;
  if (state.kb) {
    try {
      advice = share.answers
        ? state.kb.advise(share.instrument.id, share.answers, share.context, share.language)
        : state.kb.adviseResult(result, share.language);
    } catch (error) {
      box.append(el("p", error.message, "error"));
    }
  }
  const bandTitle = (scale) =>
    advice?.entries.find((e) => e.kind === "band" && e.scale === scale.id && e.id === scale.band.id)
      ?.title;

  box.append(el("h3", t("scores")));
  const scaleRows = (result.scales ?? []).map((scale) => {
    const definition = instrument?.scales?.find((s) => s.id === scale.id);
    const name = definition?.name ?? scale.id;
    const score =
      scale.score === null ? t("incomplete") : `${scale.score} (${scale.min}–${scale.max})`;
    // The band in words (the advice's title), its code only when the engine has no words for it.
    const band = scale.band
      ? [bandTitle(scale) ?? scale.band.id, scale.band.positive ? t("positive") : null]
          .filter(Boolean)
          .join(" – ")
      : "";
    return [name, score, band];
  });
  box.append(table([t("scale"), t("score"), t("band")], scaleRows));

  if (share.answers && state.kb) {
    try {
      const rescored = state.kb.score(share.instrument.id, share.answers, share.context);
      if (!deepEqual(rescored, result)) box.append(el("p", t("mismatch"), "error"));
    } catch (error) {
      box.append(el("p", error.message, "error"));
    }
  } else if (!share.answers) {
    box.append(el("p", t("resultOnly"), "hint"));
  }
  if (advice) {
    box.append(el("h3", t("adviceTitle")));
    for (const entry of advice.entries) {
      const section = el("div", null, entry.urgent ? "advice urgent" : "advice");
      section.lang = advice.language;
      section.append(el("h4", entry.title), el("p", entry.text));
      if (entry.steps?.length) {
        const steps = el("ul");
        for (const step of entry.steps) steps.append(el("li", step));
        section.append(steps);
      }
      box.append(section);
    }
  }

  if (share.answers) {
    box.append(el("h3", t("answersTitle")));
    const rows = share.answers.map((answer, index) => {
      const item = instrument?.items?.[index];
      const question = item ? `${item.id}. ${item.text ?? t("noWording")}` : String(index + 1);
      if (answer === null) return [question, t("notAnswered")];
      // Two columns (the value after the label) so that the table fits a phone. An unscored item
      // (PHQ-9's closing question) shows no value: it adds nothing to a score.
      const option = item?.options?.[answer];
      if (!option) return [question, `#${answer}`];
      return [question, item.scored ? `${option.label} (${option.value})` : option.label];
    });
    const answers = table([t("item"), t("answerValue")], rows);
    answers.lang = share.language;
    box.append(answers);
  }

  if (share.message) {
    box.append(el("h3", t("messageTitle")));
    const message = el("p", share.message, "message");
    message.lang = share.language;
    box.append(message);
  }
  const meta = el(
    "p",
    `${t("consent")}: ${consentText(share.consent_version)} · ${t("sharedAt")}: ${formatTime(share.created_at)}`,
    "hint",
  );
  box.append(meta);
  if (detail.note) box.append(el("p", `${t("noteTitle")}: ${detail.note}`, "hint"));
}

async function closeDetail() {
  const openedShareId = current;
  current = null;
  currentDetail = null;
  if (detailFromFamily && family.id) {
    await showFamily(family.id);
  } else {
    await goHome(home, { push: false, focus: false });
  }
  if (lastOpener?.isConnected) {
    lastOpener.focus();
  } else {
    // The list, my day or the family page was drawn anew: focus the same share's button there.
    const where = detailFromFamily ? "#family .timeline li" : `#${home} li[data-share-id]`;
    const again = [...document.querySelectorAll(where)].find(
      (item) => item.dataset.shareId === openedShareId,
    );
    const fallback = detailFromFamily
      ? $("family-section")
      : $(home === "day-section" ? "day-title" : "inbox-title");
    (again?.querySelector("button") ?? fallback).focus();
  }
}

// --- wiring -------------------------------------------------------------------------------------

function rerender() {
  switch (visible()) {
    case "inbox-section":
      refresh();
      break;
    case "day-section":
      if (day.data) renderDay(listHandlers);
      break;
    case "detail-section":
      if (currentDetail) renderDetail(currentDetail);
      break;
    case "family-section":
      if (family.id) renderFamily(familyHandlers);
      break;
    case "families-section":
      renderFamilies(listHandlers);
      break;
    case "settings-section":
      rerenderSettings();
      break;
    default:
      break;
  }
}

async function start() {
  state.ui = localStorage.getItem("kindband-inbox-language") === "en" ? "en" : "nl";
  $("ui-language").value = state.ui;
  applyUiLanguage();
  $("ui-language").addEventListener("change", () => {
    const previous = state.ui;
    state.ui = $("ui-language").value;
    localStorage.setItem("kindband-inbox-language", state.ui);
    applyUiLanguage();
    sayAgain(previous);
    rerender();
  });

  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const me = await api("/api/v1/login", {
        method: "POST",
        body: { username: $("username").value, password: $("password").value },
      });
      $("password").value = "";
      loggedIn(me);
      await route();
    } catch (error) {
      // In the page's language, never the server's English (issue 14).
      const words = {
        login_failed: "loginFailed",
        locked: "loginLocked",
        invalid_login: "loginMissing",
      };
      fail(new Error(t(words[error.code] ?? "loginUnavailable")));
    }
  });
  $("logout").addEventListener("click", async () => {
    try {
      await api("/api/v1/logout", { method: "POST", body: {} });
    } catch {
      // logged out either way
    }
    loggedOut(t("loggedOut"));
  });
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    refresh();
  });
  for (const id of ["status-filter", "instrument-filter", "flag-filter", "positive-filter"]) {
    $(id).addEventListener("change", refresh);
  }
  $("clear-family").addEventListener("click", () => {
    list.family = null;
    renderFamilyFilter();
    refresh();
    $("status-filter").focus();
  });
  $("refresh").addEventListener("click", refresh);
  $("day-refresh").addEventListener("click", refreshDay);
  $("view-day").addEventListener("click", () => goHome("day-section"));
  $("view-inbox").addEventListener("click", () => goHome("inbox-section"));
  $("view-families").addEventListener("click", () => goHome("families-section"));
  $("view-settings").addEventListener("click", () => goHome("settings-section"));
  // Searching as one types: the list follows the last thing typed.
  let typing = null;
  $("families-search").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => refreshFamilies(), 250);
  });
  $("families-form").addEventListener("submit", (event) => {
    event.preventDefault();
    refreshFamilies();
  });
  for (const id of ["families-needs", "families-state", "families-from", "families-to"])
    $(id).addEventListener("change", () => refreshFamilies());
  $("families-more").addEventListener("click", () => refreshFamilies({ more: true }));
  $("more").addEventListener("click", loadMore);
  $("invite").addEventListener("click", invite);
  $("copy-link").addEventListener("click", copyLink);
  // Printed for the consultation room: only the invitation (code, link, QR code) on the paper.
  $("print-invitation").addEventListener("click", () => {
    document.body.classList.add("print-invitation");
    window.print();
    document.body.classList.remove("print-invitation");
  });
  $("invitation-mail").addEventListener("submit", (event) => {
    event.preventDefault();
    mailInvitation();
  });
  $("close-invitation").addEventListener("click", () => {
    $("invitation").hidden = true;
    $("invite").focus();
  });
  $("close-detail").addEventListener("click", closeDetail);
  $("close-family").addEventListener("click", closeFamily);
  $("family-inbox").addEventListener("click", () => {
    list.family = family.id;
    renderFamilyFilter();
    goHome("inbox-section");
  });
  window.addEventListener("popstate", () => {
    if (state.me) route();
  });
  $("seen-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!current) return;
    try {
      await api(`/api/v1/inbox/shares/${encodeURIComponent(current)}/seen`, {
        method: "POST",
        body: { note: $("note").value },
      });
      say(t("markedSeen"));
      await closeDetail();
    } catch (error) {
      handle(error);
    }
  });

  const engine = loadEngine();
  try {
    const me = await api("/api/v1/me");
    await engine;
    fillInstrumentFilter();
    loggedIn(me);
    await route();
  } catch (error) {
    await engine;
    fillInstrumentFilter();
    if (error.status === 401) loggedOut();
    else fail(error);
  }
}

start();
