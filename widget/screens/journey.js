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
// The first screen, the form with the element list, is screens/journey-form.js (in the entry script).
import { h } from "../lib/dom.js";

// The first screen's helpers (screens/journey-form.js, part of the entry script), through the element.
const jt = (w, key, values) => w.journeyForm.jt(w, key, values);
const ui = (w) => w.journeyForm.ui(w);
const content = (w) => w.journeyForm.content(w);
const loadSetup = (w) => w.journeyForm.loadSetup(w);
const forgetSetup = (w) => w.journeyForm.forgetSetup(w);
const computePlan = (w, setup) => w.journeyForm.computePlan(w, setup);
const openElement = (w, id, returnTo) => w.journeyForm.openElement(w, id, returnTo);
const elementButtons = (w, pages, returnTo) => w.journeyForm.elementButtons(w, pages, returnTo);
const renderElementList = (w, returnTo) => w.journeyForm.renderElementList(w, returnTo);

export function journeyEnabled(w) {
  return w.hasAttribute("journey");
}

/**
 * How old the child is, as the JGZ says it: weeks and days for the first 3 months, then whole
 * calendar months ("14 maanden"), a baby until the first birthday and a child after it.
 */
function bornText(w, plan) {
  const days = plan.week * 7 + plan.day;
  if (plan.week < 13) return jt(w, "now_born", { week: plan.week, day: plan.day });
  const today = new Date();
  const birth = new Date(today.getFullYear(), today.getMonth(), today.getDate() - days);
  const months =
    (today.getFullYear() - birth.getFullYear()) * 12 +
    today.getMonth() -
    birth.getMonth() -
    (today.getDate() < birth.getDate() ? 1 : 0);
  return jt(w, months < 12 ? "now_born_months" : "now_child_months", { months });
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

// ---- engine calls ----

function instrumentNames(w) {
  return Object.fromEntries(
    w.engine.listInstruments(w.state.lang).map((entry) => [entry.id, entry]),
  );
}

/**
 * The questionnaires of a moment that cannot be shown in the current language: the plan offers only
 * instruments with wording in it (EPDS needs a wording pack), and names those it had to pass over.
 */
function unavailable(moment) {
  return (moment.questionnaires || [])
    .filter((choice) => choice.offered.length === 0)
    .flatMap((choice) => choice.instead_of);
}

// ---- actions ----

function startMoment(w, plan, moment) {
  const instruments = moment.instruments;
  // The engine knows the instruments by name; their definitions come with their files (public,
  // nothing about the parent is sent), added before the first question.
  w.addInstruments(instruments).then(
    () => {
      w.journeyPick = {
        moment: moment.id,
        instruments,
        context: { ...plan.context },
        setup: loadSetup(w), // to find the moment's notes again in another language
      };
      w.setup();
      w.go(w.state.screen);
    },
    (error) => w.fail(w.t("load_failed"), error),
  );
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

function renderMoment(w, plan, moment, names, elementTitles) {
  const lang = w.state.lang;
  const shown = moment.instruments;
  const missing = unavailable(moment);
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

function renderTrends(w, plan, names) {
  const ids = [
    ...new Set(plan.moments.filter((m) => m.status !== "upcoming").flatMap((m) => m.instruments)),
  ];
  const trends = ids
    .map((id) => {
      if (!w.storage.history(id).length || !names[id]) return null;
      const def = names[id]; // its short name is all a trend needs
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

/** The journey screen with the plan: what is due now, coming up and past (the form: journey-form.js). */
export function renderJourney(w) {
  const state = ui(w);
  const setup = loadSetup(w);
  w.journeyForm.saveSetup(w, setup); // follows the parent's choice to keep results (or not) on this device
  const head = w.journeyForm.renderHead(w);
  let plan;
  try {
    plan = computePlan(w, setup);
  } catch {
    // Saved details that no longer fit (e.g. the due date is now far in the past): ask again.
    state.editing = true;
    return w.journeyForm.renderJourneyStart(w);
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
      : bornText(w, plan);
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
    renderTrends(w, plan, names),
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
