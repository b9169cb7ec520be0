// The 1000-day journey (docs/journey-format.md), enabled by the `journey` attribute:
//
//   <kindband-screen journey lang="nl" org="demo-vsv"></kindband-screen>
//
// The parent enters their role and a due date and/or birth date; the engine (kb.journey) says which
// moments are due now, coming up or past, and the context (role, stage, week) to score with. A due
// moment starts its questionnaires in the normal flow. The dates stay on this device: in this tab
// (sessionStorage), and in localStorage only when the parent opted in to keeping results. A share
// carries the context (week), never the dates. Also here: the six relationship-element pages and
// the extra-support text shown under results (kb.journeyContent), with or without the attribute.
import { h, uid } from "../lib/dom.js";

const SETUP_KEY = "kindband:journey";
const ROLES = ["mother", "partner"];

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
  en: {
    nav: "My journey",
    title: "Your journey: the first 1000 days",
    intro:
      "From pregnancy to your child's second birthday there are a few set moments for a short questionnaire. Here you see what is due now.",
    privacy:
      "Your date stays on this device. If you share a result, only the week goes with it (for example: week 26 of pregnancy), never the date itself.",
    role_legend: "Who are you?",
    role_mother: "I am pregnant, or I am the mother",
    role_partner: "I am the partner",
    due_label: "Due date",
    due_hint: "Don't know it yet? Ask your midwife.",
    birth_label: "Your baby's date of birth (if your baby has been born)",
    show: "Show my journey",
    change: "Change my details",
    forget: "Forget my date",
    forgotten: "Your date has been removed from this device.",
    error_role: "Choose whether you are the mother or the partner.",
    error_no_date: "Enter the due date or the date of birth.",
    error_due: "This due date cannot be right. It is at most 40 weeks after today.",
    error_birth: "This date of birth cannot be right. It is not after today and fits the due date.",
    error_engine: "Your journey cannot be shown right now. Please try again later.",
    now_pregnant_mother: "You are {week} weeks and {day} days pregnant.",
    now_pregnant_partner: "The pregnancy is at {week} weeks and {day} days.",
    now_born: "Your baby is {week} weeks and {day} days old.",
    estimated:
      "The due date has passed. Has your baby been born? Then enter the date of birth, so that the weeks are exact.",
    due: "Due now",
    upcoming: "Coming up",
    past: "Earlier",
    nothing_due: "No questionnaire is due right now. Below you see when the next one comes.",
    finished:
      "Your journey is complete: all moments have passed. Questions about you or your child? The consultatiebureau is there for you.",
    dates: "From {start} to {end}",
    dates_estimated: "Around {start} to {end}",
    questionnaires: "Questionnaires: {names}",
    start: "Fill in now",
    unavailable: "Not available in English: {names}",
    read_also: "Read also:",
    past_count: "Earlier moments ({count})",
    results_title: "Your results so far",
    results_hint:
      "Want to see your results here? After a questionnaire, choose 'Keep my results on this device'.",
    elements_title: "Six things that help build a good bond with your baby",
    elements_intro:
      "You can think about them already during pregnancy. Choose a topic to read more.",
    try_this: "Things to try",
    back: "Back",
    result_elements: "Read more about the bond with your baby",
  },
};

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

export function journeyEnabled(w) {
  return w.hasAttribute("journey");
}

/** Today's local date as YYYY-MM-DD: the engine has no clock. */
export function localToday(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** "2027-03-01" -> "1 maart 2027", as a local calendar date (no time-zone shift). */
function formatDay(lang, iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(year, month - 1, day).toLocaleDateString(lang === "en" ? "en-GB" : "nl-NL", {
    day: "numeric",
    month: "long",
    year: "numeric",
  });
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

function instrumentNames(w) {
  return Object.fromEntries(
    w.engine.listInstruments(w.state.lang).map((entry) => [entry.id, entry]),
  );
}

/** True when the instrument can be shown in the current language (EPDS needs a wording pack). */
function available(w, id) {
  const def = w.engine.getInstrument(id, w.state.lang);
  return !(
    def.name === null ||
    def.items.some(
      (item) => item.text === null || item.options.some((option) => option.label === null),
    )
  );
}

// ---- actions ----

function submit(w, form) {
  const data = new FormData(form);
  const setup = {
    role: data.get("role") || "",
    due_date: data.get("due_date") || "",
    birth_date: data.get("birth_date") || "",
  };
  const state = ui(w);
  state.errors = {};
  if (!ROLES.includes(setup.role)) state.errors.role = jt(w, "error_role");
  if (!setup.due_date && !setup.birth_date) state.errors.due_date = jt(w, "error_no_date");
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

function startMoment(w, plan, moment) {
  const instruments = moment.instruments.filter((id) => available(w, id));
  w.journeyPick = {
    moment: moment.id,
    instruments,
    context: { ...plan.context },
    setup: loadSetup(w), // to find the moment's notes again in another language
  };
  w.setup();
  w.go(w.state.screen);
}

export function openElement(w, id, returnTo) {
  const state = ui(w);
  state.element = id;
  state.returnTo = returnTo;
  w.go("journey-element");
}

// ---- rendering ----

/** The "My journey" button in the top bar, on every other screen. */
export function renderJourneyNav(w) {
  if (!journeyEnabled(w) || !w.engine || w.state.screen === "journey") return null;
  return h(
    "button",
    {
      type: "button",
      class: "kb-button kb-link kb-journey-nav",
      onclick: () => w.go("journey"),
    },
    jt(w, "nav"),
  );
}

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

function renderMoment(w, plan, moment, names, elementTitles) {
  const lang = w.state.lang;
  const shown = moment.instruments.filter((id) => available(w, id));
  const missing = moment.instruments.filter((id) => !shown.includes(id));
  // Abbreviations in words: "Maternal Antenatal Attachment Scale (MAAS)".
  const label = (id) => {
    const entry = names[id];
    if (!entry) return id;
    if (!entry.short_name || !entry.name || entry.name.includes(entry.short_name))
      return entry.name || entry.short_name;
    return `${entry.name} (${entry.short_name})`;
  };
  return h(
    "li",
    { class: `kb-moment kb-moment-${moment.status}`, "data-moment": moment.id },
    h("h4", {}, moment.name),
    h("p", {}, moment.description),
    moment.programme
      ? h("p", { class: "kb-hint", "data-kb": "programme" }, moment.programme)
      : null,
    moment.start_date
      ? h(
          "p",
          { class: "kb-hint" },
          jt(w, moment.dates_estimated ? "dates_estimated" : "dates", {
            start: formatDay(lang, moment.start_date),
            end: formatDay(lang, moment.end_date),
          }),
        )
      : null,
    h(
      "p",
      {},
      jt(w, "questionnaires", {
        names: moment.instruments.map(label).join(", "),
      }),
    ),
    moment.status !== "past"
      ? (moment.questionnaires || [])
          .filter((choice) => choice.note)
          .map((choice) =>
            h("p", { class: "kb-hint", "data-fallback": choice.purpose }, choice.note),
          )
      : null,
    missing.length && moment.status === "due"
      ? h("p", { class: "kb-hint" }, jt(w, "unavailable", { names: missing.map(label).join(", ") }))
      : null,
    moment.status === "due" && shown.length
      ? h(
          "div",
          { class: "kb-actions" },
          h(
            "button",
            {
              type: "button",
              class: "kb-button",
              onclick: () => startMoment(w, plan, moment),
            },
            jt(w, "start"),
          ),
        )
      : null,
    moment.elements.length && moment.status !== "past"
      ? h(
          "p",
          {},
          jt(w, "read_also"),
          " ",
          moment.elements.map((id) =>
            h(
              "button",
              {
                type: "button",
                class: "kb-button kb-link",
                onclick: () => openElement(w, id, "journey"),
              },
              elementTitles[id] || id,
            ),
          ),
        )
      : null,
  );
}

function renderTrends(w, plan) {
  const ids = [
    ...new Set(plan.moments.filter((m) => m.status !== "upcoming").flatMap((m) => m.instruments)),
  ];
  const trends = ids
    .map((id) => {
      if (!w.storage.history(id).length) return null;
      const def = w.engine.getInstrument(id, w.state.lang);
      const trend = w.trend(id, def);
      return trend ? [h("h4", {}, def.short_name || id), trend] : null;
    })
    .filter(Boolean);
  return h(
    "section",
    { class: "kb-journey-results", "aria-labelledby": "kb-journey-results" },
    h("h3", { id: "kb-journey-results" }, jt(w, "results_title")),
    trends.length ? trends : h("p", { class: "kb-hint" }, jt(w, "results_hint")),
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

function renderElementList(w, returnTo) {
  const pages = content(w);
  if (!pages) return null;
  return h(
    "section",
    { class: "kb-journey-elements", "aria-labelledby": "kb-journey-elements" },
    h("h3", { id: "kb-journey-elements" }, jt(w, "elements_title")),
    h("p", {}, jt(w, "elements_intro")),
    elementButtons(w, pages, returnTo),
  );
}

/** The journey screen: the form, or the plan with what is due now, coming up and past. */
export function renderJourney(w) {
  if (!w.engine) return h("p", { role: "status" }, w.t("loading"));
  const state = ui(w);
  const setup = loadSetup(w);
  if (setup) saveSetup(w, setup); // follows the parent's choice to keep results (or not) on this device
  const notice = state.notice;
  state.notice = null;
  const head = [
    h("h2", { tabindex: "-1", "data-focus": true }, jt(w, "title")),
    notice ? h("p", { role: "status" }, notice) : null,
    h("p", {}, jt(w, "intro")),
    h("p", {}, h("strong", {}, jt(w, "privacy"))),
  ];
  if (!setup || state.editing)
    return [...head, renderForm(w, setup), renderElementList(w, "journey")];

  let plan;
  try {
    plan = computePlan(w, setup);
  } catch {
    // Saved details that no longer fit (e.g. the due date is now far in the past): ask again.
    state.editing = true;
    return [...head, renderForm(w, setup)];
  }
  const names = instrumentNames(w);
  const elementTitles = Object.fromEntries(
    (content(w)?.elements || []).map((e) => [e.id, e.title]),
  );
  const group = (status) => plan.moments.filter((moment) => moment.status === status);
  const list = (moments) =>
    h(
      "ul",
      { class: "kb-moments" },
      moments.map((m) => renderMoment(w, plan, m, names, elementTitles)),
    );
  const now =
    plan.stage === "pregnancy"
      ? jt(w, plan.role === "mother" ? "now_pregnant_mother" : "now_pregnant_partner", {
          week: plan.week,
          day: plan.day,
        })
      : jt(w, "now_born", { week: plan.week, day: plan.day });
  const due = group("due");
  const upcoming = group("upcoming");
  const past = group("past");
  return [
    ...head,
    h("p", { class: "kb-score kb-journey-now" }, now),
    plan.birth_estimated ? h("p", { class: "kb-hint" }, jt(w, "estimated")) : null,
    h(
      "div",
      { class: "kb-actions" },
      h(
        "button",
        {
          type: "button",
          class: "kb-button kb-secondary",
          onclick: () => {
            state.editing = true;
            w.go("journey");
          },
        },
        jt(w, "change"),
      ),
      h(
        "button",
        {
          type: "button",
          class: "kb-button kb-link",
          onclick: () => {
            forgetSetup(w);
            w.journeyPick = null;
            state.notice = jt(w, "forgotten");
            w.go("journey");
          },
        },
        jt(w, "forget"),
      ),
    ),
    h(
      "section",
      { class: "kb-journey-due", "aria-labelledby": "kb-journey-due" },
      h("h3", { id: "kb-journey-due" }, jt(w, "due")),
      due.length ? list(due) : h("p", {}, jt(w, upcoming.length ? "nothing_due" : "finished")),
    ),
    upcoming.length
      ? h(
          "section",
          {
            class: "kb-journey-upcoming",
            "aria-labelledby": "kb-journey-upcoming",
          },
          h("h3", { id: "kb-journey-upcoming" }, jt(w, "upcoming")),
          list(upcoming),
        )
      : null,
    past.length
      ? h(
          "section",
          { class: "kb-journey-past", "aria-labelledby": "kb-journey-past" },
          h("h3", { id: "kb-journey-past" }, jt(w, "past")),
          h(
            "details",
            {},
            h("summary", {}, jt(w, "past_count", { count: past.length })),
            list(past),
          ),
        )
      : null,
    renderTrends(w, plan),
    renderElementList(w, "journey"),
  ];
}

/** One of the six relationship elements as a short page. */
export function renderElement(w) {
  if (!w.engine) return h("p", { role: "status" }, w.t("loading"));
  const state = ui(w);
  const element = content(w)?.elements.find((candidate) => candidate.id === state.element);
  const back = h(
    "div",
    { class: "kb-actions" },
    h(
      "button",
      {
        type: "button",
        class: "kb-button kb-secondary",
        onclick: () => w.go(state.returnTo || "journey"),
      },
      jt(w, "back"),
    ),
  );
  if (!element) return [h("p", { role: "alert", class: "kb-error" }, jt(w, "error_engine")), back];
  return h(
    "article",
    { class: "kb-element", "data-element": element.id },
    h("h2", { tabindex: "-1", "data-focus": true }, element.title),
    h("p", { class: "kb-score" }, element.summary),
    element.paragraphs.map((text) => h("p", {}, text)),
    h("h3", {}, jt(w, "try_this")),
    h(
      "ul",
      {},
      element.try_this.map((text) => h("li", {}, text)),
    ),
    back,
  );
}

/**
 * Why the moment offered these questionnaires instead of the preferred ones (e.g. PHQ-9 + GAD-7
 * instead of the EPDS, with the perinatal note), in the current language: the plan's notes of the
 * alternatives that were filled in.
 */
function pickNotes(w) {
  const pick = w.journeyPick;
  if (!pick?.setup) return [];
  const cache = (pick.notes ??= {});
  const lang = w.state.lang;
  if (!(lang in cache)) {
    let moment = null;
    try {
      moment = computePlan(w, pick.setup).moments.find((m) => m.id === pick.moment);
    } catch {
      // no plan: no notes
    }
    cache[lang] = (moment?.questionnaires || []).filter(
      (choice) => choice.note && choice.offered.some((id) => pick.instruments.includes(id)),
    );
  }
  return cache[lang];
}

/** At the top of a result started from the journey: why these questionnaires were offered. */
export function renderResultNotes(w) {
  return pickNotes(w).map((choice) =>
    h("p", { class: "kb-hint", "data-fallback": choice.purpose }, choice.note),
  );
}

/**
 * Under every result: the six element pages (how the bond with the child grows, whatever was
 * asked), and what the local care network offers and how sharing works when a screen is positive,
 * a safety rule fired or a band is above a cut-off that is not a screen (support indicators).
 */
export function renderResultExtras(w) {
  const pages = content(w);
  if (!pages || w.state.screen !== "result") return null;
  const results = w.results();
  const linked = pages.elements.length > 0;
  // Also beside a band above a cut-off that is not a verified screen (the support indicators):
  // what to discuss, and where.
  const support = results.some(
    ({ result }) =>
      result.positive ||
      result.flags.length > 0 ||
      result.scales.some((scale) => scale.band?.positive),
  );
  if (!linked && !support) return null;
  return [
    support && pages.support
      ? h(
          "section",
          {
            class: "kb-card kb-support",
            "data-kb": "support",
            "aria-labelledby": "kb-support-title",
          },
          h("h3", { id: "kb-support-title" }, pages.support.title),
          h("p", {}, pages.support.text),
          h(
            "ul",
            {},
            pages.support.steps.map((step) => h("li", {}, step)),
          ),
          // How sharing works, only where this site offers sharing.
          w.endpoint && pages.support.sharing ? h("p", {}, pages.support.sharing) : null,
        )
      : null,
    linked
      ? h(
          "section",
          {
            class: "kb-card kb-result-elements",
            "aria-labelledby": "kb-result-elements",
          },
          h("h3", { id: "kb-result-elements" }, jt(w, "result_elements")),
          elementButtons(w, pages, "result"),
        )
      : null,
  ];
}

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
  shadowRoot.adoptedStyleSheets = [...shadowRoot.adoptedStyleSheets, sheet];
}
