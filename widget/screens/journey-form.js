// The journey's first screen (docs/journey-format.md, `journey` attribute): the form for the parent's
// role and dates, and the list of the six relationship-element pages. It is part of the widget's
// entry script, so that a journey page draws it without waiting for anything: not for the journey
// screens (screens/journey.js, fetched at once) and not for the engine, which is fetched when the
// parent submits the form (the plan is the engine's) or at once when this device already has the
// parent's details. The journey screens reach these helpers through the element (w.journeyForm)
// instead of carrying a copy of them.
import { h, uid } from "../lib/dom.js";

const SETUP_KEY = "kindband:journey";
const ROLES = ["mother", "partner"];
// Per language the element pages' ids and titles, filled in at build time (widget/tools/inline-data.mjs,
// from the engine's journeyContent): the list on the first screen before the engine has loaded.
const JOURNEY_START = {};

// Dutch; English comes with screens/texts-en.js (addJourneyTexts).
const TEXTS = {
  nl: {
    nav: "Mijn reis",
    title: "Jouw reis: de eerste 1000 dagen",
    intro:
      "Van de zwangerschap tot de tweede verjaardag van je kind zijn er een paar vaste momenten voor een korte vragenlijst. Hier zie je wat nu aan de beurt is.",
    privacy:
      "Je datum blijft op dit apparaat. Deel je een uitslag, dan gaat alleen de week mee (bijvoorbeeld: week 26 van de zwangerschap), nooit de datum zelf.",
    role_legend: "Wie ben jij?",
    role_mother: "Ik ben zwanger, of ik ben de moeder",
    role_partner: "Ik ben de partner",
    due_label: "Uitgerekende datum",
    due_hint: "Weet je die nog niet? Vraag het je verloskundige.",
    birth_label: "Geboortedatum van je baby (als je baby al geboren is)",
    show: "Toon mijn reis",
    change: "Gegevens aanpassen",
    forget: "Vergeet mijn datum",
    forgotten: "Je datum is van dit apparaat gewist.",
    error_role: "Kies of je de moeder of de partner bent.",
    error_no_date: "Vul de uitgerekende datum of de geboortedatum in.",
    error_due: "Deze uitgerekende datum kan niet kloppen. Hij ligt hoogstens 40 weken na vandaag.",
    error_birth:
      "Deze geboortedatum kan niet kloppen. Hij ligt niet na vandaag en past bij de uitgerekende datum.",
    error_engine: "Je reis kan nu niet worden getoond. Probeer het later nog eens.",
    now_pregnant_mother: "Je bent {week} weken en {day} dagen zwanger.",
    now_pregnant_partner: "De zwangerschap is {week} weken en {day} dagen.",
    now_born: "Je baby is {week} weken en {day} dagen oud.",
    now_born_months: "Je baby is {months} maanden oud.",
    now_child_months: "Je kind is {months} maanden oud.",
    estimated:
      "De uitgerekende datum is voorbij. Is je baby geboren? Vul dan de geboortedatum in, dan kloppen de weken precies.",
    due: "Nu aan de beurt",
    upcoming: "Hierna",
    past: "Eerder",
    finished:
      "Je reis is klaar: alle momenten zijn geweest. Heb je vragen over jezelf of je kind? Het consultatiebureau helpt je verder.",
    nothing_due:
      "Er is nu geen vragenlijst aan de beurt. Hieronder zie je wanneer de volgende komt.",
    dates: "Van {start} tot {end}",
    dates_estimated: "Ongeveer van {start} tot {end}",
    questionnaires: "Vragenlijsten: {names}",
    start: "Nu invullen",
    unavailable: "Niet beschikbaar in het Nederlands: {names}",
    read_also: "Lees ook:",
    past_count: "Eerdere momenten ({count})",
    results_title: "Je uitslagen tot nu toe",
    results_hint:
      "Wil je hier je uitslagen terugzien? Kies na een vragenlijst voor 'Bewaar mijn uitslagen op dit apparaat'.",
    elements_title: "Zes dingen die helpen bij een goede band met je baby",
    elements_intro:
      "Je kunt er al in de zwangerschap over nadenken. Kies een onderwerp om er meer over te lezen.",
    try_this: "Probeer eens",
    back: "Terug",
    result_elements: "Meer lezen over de band met je baby",
  },
};

/** Adds a language's texts of these screens (screens/texts-<lang>.js, JOURNEY). */
export function addJourneyTexts(lang, texts) {
  TEXTS[lang] = { ...texts, ...TEXTS[lang] };
}

function jt(w, key, values) {
  const text = (TEXTS[w.state.lang] || TEXTS.nl)[key];
  if (text === undefined) throw new Error(`journey.js: no text "${key}"`);
  return values
    ? text.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match))
    : text;
}

/** The widget's journey state (kept on the element, never in the host page's DOM). */
function ui(w) {
  w.journeyUi ??= {
    editing: false,
    errors: {},
    notice: null,
    element: null,
    returnTo: "journey",
    content: {},
  };
  return w.journeyUi;
}

/** Today's local date as YYYY-MM-DD: the engine has no clock. */
function localToday(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// ---- the parent's details, on this device only ----

function readSetup(storage) {
  try {
    const text = storage?.getItem(SETUP_KEY);
    const setup = text ? JSON.parse(text) : null;
    return setup && ROLES.includes(setup.role) ? setup : null;
  } catch {
    return null;
  }
}

function loadSetup(w) {
  return (
    readSetup(w.storage.session) || (w.storage.keepHistory ? readSetup(w.storage.local) : null)
  );
}

function saveSetup(w, setup) {
  const text = JSON.stringify(setup);
  try {
    w.storage.session?.setItem(SETUP_KEY, text);
    // Across visits only when the parent chose to keep results on this device.
    if (w.storage.keepHistory) w.storage.local?.setItem(SETUP_KEY, text);
    else w.storage.local?.removeItem(SETUP_KEY);
  } catch {
    // Storage blocked or full: the journey still works for this page view.
  }
}

function forgetSetup(w) {
  for (const storage of [w.storage.session, w.storage.local]) {
    try {
      storage?.removeItem(SETUP_KEY);
    } catch {
      // nothing kept
    }
  }
}

// ---- engine calls ----

/** The engine's journey content in the current language (null without the engine's journey). */
function content(w) {
  const cache = ui(w).content;
  const lang = w.state.lang;
  if (!(lang in cache)) {
    try {
      cache[lang] = w.engine.journeyContent(lang);
    } catch {
      cache[lang] = null; // an engine without the journey: no element pages, no support text
    }
  }
  return cache[lang];
}

function computePlan(w, setup) {
  return w.engine.journey(
    {
      role: setup.role,
      due_date: setup.due_date || null,
      birth_date: setup.birth_date || null,
      today: localToday(),
    },
    w.state.lang,
  );
}

function fieldOf(message) {
  const pointer = String(message).split(":")[0];
  return (
    { "/role": "role", "/due_date": "due_date", "/birth_date": "birth_date" }[pointer] || "form"
  );
}

// ---- actions ----

async function submit(w, form) {
  const data = new FormData(form);
  const setup = {
    role: data.get("role") || "",
    due_date: data.get("due_date") || "",
    birth_date: data.get("birth_date") || "",
  };
  const state = ui(w);
  if (state.waiting) return; // already waiting for the engine
  state.errors = {};
  if (!ROLES.includes(setup.role)) state.errors.role = jt(w, "error_role");
  if (!setup.due_date && !setup.birth_date) state.errors.due_date = jt(w, "error_no_date");
  if (!Object.keys(state.errors).length && !w.engine) {
    // The plan is the engine's: fetched now, the first time it is needed. The form stays as it is.
    state.waiting = true;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    button.after(h("p", { role: "status", class: "kb-hint" }, w.t("loading")));
    w.requestEngine();
    await w.engineReady;
    state.waiting = false;
  }
  if (!Object.keys(state.errors).length) {
    try {
      computePlan(w, setup);
    } catch (error) {
      const field = fieldOf(error.message);
      state.errors[field] = jt(
        w,
        {
          due_date: "error_due",
          birth_date: "error_birth",
          role: "error_role",
        }[field] || "error_engine",
      );
    }
  }
  state.draft = setup;
  if (Object.keys(state.errors).length) {
    w.render();
    const first = Object.keys(state.errors)[0];
    w.shadowRoot
      .querySelector(first === "role" ? "input[name=role]" : `input[name=${first}]`)
      ?.focus();
    return;
  }
  saveSetup(w, setup);
  state.editing = false;
  state.draft = null;
  w.go("journey");
}

export function openElement(w, id, returnTo) {
  const state = ui(w);
  state.element = id;
  state.returnTo = returnTo;
  w.go("journey-element");
}

// ---- rendering ----

function renderField(w, { name, label, hint, value, error }) {
  const id = uid(`kb-${name}`);
  const hintId = hint ? uid("kb-hint") : null;
  const errorId = error ? uid("kb-error") : null;
  return h(
    "div",
    { class: "kb-field" },
    h("label", { for: id }, label),
    hint ? h("p", { id: hintId, class: "kb-hint" }, hint) : null,
    error ? h("p", { id: errorId, class: "kb-error" }, error) : null,
    h("input", {
      type: "date",
      id,
      name,
      value: value || "",
      "aria-invalid": error ? "true" : null,
      "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || null,
    }),
  );
}

function renderForm(w, setup) {
  const state = ui(w);
  const draft = state.draft || setup || {};
  const errors = state.errors;
  const roleErrorId = errors.role ? uid("kb-error") : null;
  return h(
    "form",
    {
      class: "kb-journey-form",
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        submit(w, event.target);
      },
    },
    errors.form ? h("p", { class: "kb-error", role: "alert" }, errors.form) : null,
    h(
      "fieldset",
      { "aria-describedby": roleErrorId },
      h("legend", {}, jt(w, "role_legend")),
      errors.role ? h("p", { id: roleErrorId, class: "kb-error" }, errors.role) : null,
      ROLES.map((role) => {
        const id = uid("kb-role");
        return h(
          "label",
          { class: "kb-option", for: id },
          h("input", {
            type: "radio",
            name: "role",
            id,
            value: role,
            checked: draft.role === role,
          }),
          h("span", {}, jt(w, `role_${role}`)),
        );
      }),
    ),
    renderField(w, {
      name: "due_date",
      label: jt(w, "due_label"),
      hint: jt(w, "due_hint"),
      value: draft.due_date,
      error: errors.due_date,
    }),
    renderField(w, {
      name: "birth_date",
      label: jt(w, "birth_label"),
      value: draft.birth_date,
      error: errors.birth_date,
    }),
    h(
      "div",
      { class: "kb-actions" },
      h("button", { type: "submit", class: "kb-button" }, jt(w, "show")),
    ),
  );
}

/** A list of buttons that open the six element pages; the page's back button returns to `returnTo`. */
function elementButtons(w, pages, returnTo) {
  return h(
    "ul",
    {},
    pages.elements.map((element) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "kb-button kb-link",
            onclick: () => openElement(w, element.id, returnTo),
          },
          element.title,
        ),
      ),
    ),
  );
}

/** The list of the six element pages: from the engine, or before it has loaded from JOURNEY_START. */
function renderElementList(w, returnTo) {
  const pages = w.engine ? content(w) : JOURNEY_START[w.state.lang] || null;
  if (!pages) return null;
  return h(
    "section",
    { class: "kb-journey-elements", "aria-labelledby": "kb-journey-elements" },
    h("h3", { id: "kb-journey-elements" }, jt(w, "elements_title")),
    h("p", {}, jt(w, "elements_intro")),
    elementButtons(w, pages, returnTo),
  );
}

/** The top of the journey screen: title, a notice (shown once), what this is, the privacy promise. */
function renderHead(w) {
  const state = ui(w);
  const notice = state.notice;
  state.notice = null;
  return [
    h("h2", { tabindex: "-1", "data-focus": true }, jt(w, "title")),
    notice ? h("p", { role: "status" }, notice) : null,
    h("p", {}, jt(w, "intro")),
    h("p", {}, h("strong", {}, jt(w, "privacy"))),
  ];
}

/** True when the journey screen is the form: no details on this device yet, or the parent edits them. */
export function journeyShowsForm(w) {
  return !loadSetup(w) || ui(w).editing;
}

/** The journey screen as the form, with the element list under it. */
export function renderJourneyStart(w) {
  const setup = loadSetup(w);
  if (setup) saveSetup(w, setup); // follows the parent's choice to keep results (or not) on this device
  return [...renderHead(w), renderForm(w, setup), renderElementList(w, "journey")];
}

/** What screens/journey.js uses of this file (through the element: w.journeyForm). */
export const journeyForm = {
  jt,
  ui,
  content,
  localToday,
  loadSetup,
  saveSetup,
  forgetSetup,
  computePlan,
  openElement,
  elementButtons,
  renderElementList,
  renderHead,
  renderJourneyStart,
};

const css = `
.kb-top { gap: 0.5em; align-items: center; }
.kb-journey-nav { order: -1; margin-right: auto; }
.kb-moments { list-style: none; padding: 0; margin: 0; }
.kb-moment { border-left: 4px solid var(--kindband-border, #6b7280); padding: 0.2em 0 0.2em 0.9em; margin: 0 0 1em; }
.kb-moment-due { border-left-color: var(--kindband-accent, #0b5cad); }
.kb-moment h4 { margin-top: 0.2em; }
.kb-journey-form fieldset { margin: 0.6em 0; }
.kb-field input[type="date"] { max-width: 14em; }
.kb-element h3 { margin-top: 1em; }
`;

let sheet = null;

/** Adds the journey's styles next to the widget's own (a constructable sheet: strict-CSP safe). */
export function adoptJourneyStyles(shadowRoot) {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  if (!shadowRoot.adoptedStyleSheets.includes(sheet))
    shadowRoot.adoptedStyleSheets = [...shadowRoot.adoptedStyleSheets, sheet];
}
