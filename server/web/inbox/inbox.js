// Kindband professional inbox: log in, list the organisation's shares (safety flags first, then
// positive screens, then newest), open one, mark it as seen with a note for colleagues.
//
// Shares are rendered with the same wasm engine the parent's widget used (/engine/kindband.mjs),
// in the language the parent used, so wording, scale names and advice match what the parent saw
// (advice from the answers, or from the result alone when only the result was shared).
// All text goes into the page with textContent (never innerHTML): share content is untrusted.

const TEXT = {
  nl: {
    language: "Taal",
    logout: "Uitloggen",
    loginTitle: "Inloggen",
    username: "Gebruikersnaam",
    password: "Wachtwoord",
    login: "Inloggen",
    inboxTitle: "Gedeelde uitkomsten",
    filter: "Toon",
    filterAll: "Alles",
    filterReceived: "Nieuw",
    filterSeen: "Gezien",
    filterWithdrawn: "Ingetrokken",
    refresh: "Vernieuwen",
    orderHint: "Volgorde: veiligheidssignalen eerst, dan positieve screenings, dan de nieuwste.",
    empty: "Geen gedeelde uitkomsten.",
    note: "Notitie voor collega's (optioneel)",
    markSeen: "Markeer als gezien",
    back: "Terug naar de lijst",
    loggedInAs: "Ingelogd als",
    safety: "Veiligheidssignaal",
    safetyCount: "veiligheidssignaal",
    positive: "Positieve screening",
    negative: "Geen positieve screening",
    received: "nieuw",
    seen: "gezien",
    withdrawn: "ingetrokken door ouder",
    seenBy: "gezien door",
    receivedAt: "Ontvangen",
    context: "Situatie",
    mother: "moeder",
    partner: "partner",
    pregnancy: "zwangerschap",
    postpartum: "na de geboorte",
    week: "week",
    scores: "Scores",
    scale: "Schaal",
    score: "Score",
    band: "Uitkomst",
    incomplete: "onvolledig",
    adviceTitle: "Advies dat de ouder zag",
    answersTitle: "Antwoorden",
    item: "Vraag",
    answer: "Antwoord",
    value: "Waarde",
    notAnswered: "niet beantwoord",
    noWording: "(tekst niet beschikbaar in deze taal: licentie)",
    resultOnly: "De ouder deelde alleen de uitkomst, niet de antwoorden.",
    messageTitle: "Bericht van de ouder",
    contactTitle: "Contactgegevens",
    name: "Naam",
    phone: "Telefoon",
    email: "E-mail",
    consent: "Toestemmingstekst",
    sharedAt: "Gedeeld op",
    noteTitle: "Notitie",
    engineMissing: "De rekenmodule kon niet laden: ruwe gegevens getoond.",
    mismatch: "Let op: de opgeslagen uitkomst verschilt van de herberekening door deze versie.",
    loading: "Laden…",
    loaded: "Lijst bijgewerkt",
    markedSeen: "Gemarkeerd als gezien",
    loggedOut: "Uitgelogd",
    sessionEnded: "Je sessie is verlopen. Log opnieuw in.",
    open: "Openen",
  },
  en: {
    language: "Language",
    logout: "Log out",
    loginTitle: "Log in",
    username: "Username",
    password: "Password",
    login: "Log in",
    inboxTitle: "Shared results",
    filter: "Show",
    filterAll: "All",
    filterReceived: "New",
    filterSeen: "Seen",
    filterWithdrawn: "Withdrawn",
    refresh: "Refresh",
    orderHint: "Order: safety flags first, then positive screens, then newest.",
    empty: "No shared results.",
    note: "Note for colleagues (optional)",
    markSeen: "Mark as seen",
    back: "Back to the list",
    loggedInAs: "Logged in as",
    safety: "Safety flag",
    safetyCount: "safety flag",
    positive: "Positive screen",
    negative: "No positive screen",
    received: "new",
    seen: "seen",
    withdrawn: "withdrawn by parent",
    seenBy: "seen by",
    receivedAt: "Received",
    context: "Situation",
    mother: "mother",
    partner: "partner",
    pregnancy: "pregnancy",
    postpartum: "after birth",
    week: "week",
    scores: "Scores",
    scale: "Scale",
    score: "Score",
    band: "Outcome",
    incomplete: "incomplete",
    adviceTitle: "Advice the parent saw",
    answersTitle: "Answers",
    item: "Question",
    answer: "Answer",
    value: "Value",
    notAnswered: "not answered",
    noWording: "(wording not available in this language: licence)",
    resultOnly: "The parent shared the result only, not the answers.",
    messageTitle: "Message from the parent",
    contactTitle: "Contact details",
    name: "Name",
    phone: "Phone",
    email: "Email",
    consent: "Consent text",
    sharedAt: "Shared at",
    noteTitle: "Note",
    engineMissing: "The scoring engine could not load: showing raw data.",
    mismatch: "Note: the stored result differs from this version's rescoring.",
    loading: "Loading…",
    loaded: "List updated",
    markedSeen: "Marked as seen",
    loggedOut: "Logged out",
    sessionEnded: "Your session has ended. Please log in again.",
    open: "Open",
  },
};

const $ = (id) => document.getElementById(id);
let ui = "nl";
let kb = null;
let current = null; // the open share's id
let lastOpener = null;

const t = (key) => TEXT[ui][key] ?? key;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function say(message) {
  $("status").textContent = message;
  $("error").textContent = "";
}

function fail(error) {
  $("error").textContent = error.message || String(error);
}

async function api(path, { method = "GET", body } = {}) {
  const init = { method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = new Error(data?.message || `HTTP ${response.status}`);
    error.status = response.status;
    error.code = data?.error;
    throw error;
  }
  return data;
}

async function loadEngine() {
  try {
    const { loadKindband } = await import("/engine/kindband.mjs");
    kb = await loadKindband();
  } catch (error) {
    kb = null;
    console.warn("kindband engine not available", error);
  }
}

function applyUiLanguage() {
  document.documentElement.lang = ui;
  for (const node of document.querySelectorAll("[data-text]")) {
    node.textContent = t(node.dataset.text);
  }
}

function show(section) {
  for (const id of ["login-section", "inbox-section", "detail-section"]) {
    $(id).hidden = id !== section;
  }
}

function loggedIn(me) {
  $("who").textContent = `${t("loggedInAs")} ${me.username} (${me.role}, ${me.organisation})`;
  $("logout").hidden = false;
}

function loggedOut(message) {
  $("who").textContent = "";
  $("logout").hidden = true;
  show("login-section");
  say(message ?? "");
  $("username").focus();
}

// Any 401 means the session is gone (expired or logged out elsewhere).
function handle(error) {
  if (error.status === 401) {
    loggedOut(t("sessionEnded"));
  } else {
    fail(error);
  }
}

function instrumentFor(share) {
  if (!kb) return null;
  try {
    return kb.getInstrument(share.instrument.id, share.language);
  } catch {
    return null;
  }
}

function shortName(id, language) {
  if (!kb) return id;
  try {
    return kb.getInstrument(id, language).short_name || id;
  } catch {
    return id;
  }
}

function contextText(context) {
  const parts = [];
  if (context?.role) parts.push(t(context.role));
  if (context?.stage) parts.push(t(context.stage));
  if (context?.week !== undefined) parts.push(`${t("week")} ${context.week}`);
  return parts.join(", ");
}

function formatTime(text) {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString(ui === "nl" ? "nl-NL" : "en-GB");
}

// --- list ---------------------------------------------------------------------------------------

async function refresh() {
  say(t("loading"));
  try {
    const filter = $("status-filter").value;
    const data = await api(`/api/v1/inbox?status=${encodeURIComponent(filter)}`);
    renderList(data.shares);
    say(t("loaded"));
  } catch (error) {
    handle(error);
  }
}

function renderList(shares) {
  const list = $("share-list");
  list.replaceChildren();
  $("empty").hidden = shares.length > 0;
  for (const entry of shares) {
    const item = el("li");
    const button = el("button");
    button.type = "button";
    const summary = entry.summary;
    if (summary) {
      const flags = summary.flags?.length ?? 0;
      if (flags > 0) button.append(el("span", `${t("safety")} (${flags})`, "badge safety"));
      button.append(
        el(
          "span",
          summary.positive ? t("positive") : t("negative"),
          summary.positive ? "badge positive" : "badge neutral",
        ),
      );
      button.append(el("strong", shortName(summary.instrument.id, ui)));
      button.append(el("span", contextText(summary.context)));
    }
    let statusText = t(entry.status);
    if (entry.status === "seen" && entry.seen_by_role)
      statusText += ` (${t("seenBy")} ${entry.seen_by_role})`;
    button.append(el("span", statusText, "badge status"));
    button.append(el("span", `${t("receivedAt")}: ${formatTime(entry.received_at)}`));
    if (entry.status === "withdrawn") {
      button.disabled = true;
    } else {
      button.addEventListener("click", () => openShare(entry.share_id, button));
    }
    item.append(button);
    list.append(item);
  }
}

// --- detail -------------------------------------------------------------------------------------

async function openShare(id, opener) {
  say(t("loading"));
  try {
    const detail = await api(`/api/v1/inbox/shares/${encodeURIComponent(id)}`);
    current = id;
    lastOpener = opener;
    renderDetail(detail);
    show("detail-section");
    $("note").value = detail.note ?? "";
    say("");
    $("detail-section").focus();
  } catch (error) {
    handle(error);
  }
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => deepEqual(a[key], b[key]));
}

function table(headers, rows) {
  const node = el("table");
  const head = el("tr");
  for (const header of headers) {
    const th = el("th", header);
    th.scope = "col";
    head.append(th);
  }
  const thead = el("thead");
  thead.append(head);
  const tbody = el("tbody");
  for (const row of rows) {
    const tr = el("tr");
    for (const cell of row) tr.append(el("td", cell));
    tbody.append(tr);
  }
  node.append(thead, tbody);
  return node;
}

function renderDetail(detail) {
  const share = detail.share;
  const instrument = instrumentFor(share);
  const box = $("detail");
  box.replaceChildren();
  $("detail-title").textContent = instrument
    ? `${instrument.short_name} – ${instrument.name}`
    : share.instrument.id;
  if (!kb) box.append(el("p", t("engineMissing"), "error"));

  const facts = el("p");
  facts.append(
    `${t("receivedAt")}: ${formatTime(detail.received_at)} · ${t("context")}: ${contextText(share.context)} · `,
  );
  let statusText = t(detail.status);
  if (detail.seen_by_role) statusText += ` (${t("seenBy")} ${detail.seen_by_role})`;
  facts.append(el("span", statusText, "badge status"));
  box.append(facts);

  const result = share.result;
  // Safety flags first: which question triggered them, in the parent's wording.
  for (const flag of result.flags ?? []) {
    const rule = instrument?.safety_rules?.find((r) => r.id === flag);
    const item = rule?.item ? instrument.items.find((i) => i.id === rule.item) : null;
    const text = item ? `${t("item")} ${item.id}: ${item.text ?? t("noWording")}` : flag;
    const p = el("p", null, "advice urgent");
    p.append(el("strong", `${t("safety")}: `), text);
    box.append(p);
  }

  // The engine gives the advice the parent saw: from the answers when they were shared, else from
  // the shared result itself (the same advice). Its band titles name the bands.
  let advice = null;
  if (kb) {
    try {
      advice = share.answers
        ? kb.advise(share.instrument.id, share.answers, share.context, share.language)
        : kb.adviseResult(result, share.language);
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
    const band = scale.band
      ? [scale.band.id, bandTitle(scale), scale.band.positive ? t("positive") : null]
          .filter(Boolean)
          .join(" – ")
      : "";
    return [name, score, band];
  });
  box.append(table([t("scale"), t("score"), t("band")], scaleRows));

  if (share.answers && kb) {
    try {
      const rescored = kb.score(share.instrument.id, share.answers, share.context);
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
      if (answer === null) return [question, t("notAnswered"), ""];
      const option = item?.options?.[answer];
      return [question, option?.label ?? `#${answer}`, option ? String(option.value) : ""];
    });
    const answers = table([t("item"), t("answer"), t("value")], rows);
    answers.lang = share.language;
    box.append(answers);
  }

  if (share.message) {
    box.append(el("h3", t("messageTitle")));
    const message = el("p", share.message, "message");
    message.lang = share.language;
    box.append(message);
  }
  if (share.contact && Object.keys(share.contact).length) {
    box.append(el("h3", t("contactTitle")));
    const list = el("dl");
    for (const key of ["name", "phone", "email"]) {
      if (!share.contact[key]) continue;
      list.append(el("dt", t(key)), el("dd", share.contact[key]));
    }
    box.append(list);
  }
  const meta = el(
    "p",
    `${t("consent")}: ${share.consent_version} · ${t("sharedAt")}: ${formatTime(share.created_at)}`,
    "hint",
  );
  box.append(meta);
  if (detail.note) box.append(el("p", `${t("noteTitle")}: ${detail.note}`, "hint"));
}

function closeDetail() {
  current = null;
  show("inbox-section");
  refresh();
  if (lastOpener?.isConnected) lastOpener.focus();
}

// --- wiring -------------------------------------------------------------------------------------

async function start() {
  ui = localStorage.getItem("kindband-inbox-language") === "en" ? "en" : "nl";
  $("ui-language").value = ui;
  applyUiLanguage();
  $("ui-language").addEventListener("change", () => {
    ui = $("ui-language").value;
    localStorage.setItem("kindband-inbox-language", ui);
    applyUiLanguage();
    if (!$("inbox-section").hidden) refresh();
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
      show("inbox-section");
      await refresh();
      $("inbox-title").focus?.();
    } catch (error) {
      fail(error);
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
  $("status-filter").addEventListener("change", refresh);
  $("refresh").addEventListener("click", refresh);
  $("close-detail").addEventListener("click", closeDetail);
  $("seen-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!current) return;
    try {
      await api(`/api/v1/inbox/shares/${encodeURIComponent(current)}/seen`, {
        method: "POST",
        body: { note: $("note").value },
      });
      say(t("markedSeen"));
      closeDetail();
    } catch (error) {
      handle(error);
    }
  });

  const engine = loadEngine();
  try {
    const me = await api("/api/v1/me");
    await engine;
    loggedIn(me);
    show("inbox-section");
    await refresh();
  } catch (error) {
    await engine;
    if (error.status === 401) loggedOut();
    else fail(error);
  }
}

start();
