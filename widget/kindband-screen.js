// <kindband-screen>: the embeddable Kindband screening widget (docs/widget.md).
//
//   <script type="module" src="/kindband/kindband-screen.js"></script>
//   <kindband-screen instruments="phq9" lang="nl" org="demo-vsv" server="/"></kindband-screen>
//
// Attributes and DOM events are the API. Answers stay in this browser (sessionStorage) until the
// parent confirms a share; events sent to the host page never carry answers or scores.
// The element keeps the state and the flow; each screen is a module in screens/ that renders it.

// instruments.js first: when it runs it asks for this page's instrument files, before anything else.
import { fetchInstrument, firstScreens, isAsked } from "./lib/instruments.js";
import {
  addInstruments,
  addJourney,
  engineMayStart,
  fetchJourney,
  loadEngine,
  pageEngineBuild,
} from "./lib/engine.js";
import { addLanguage, addTexts, hasLanguage, t, pickLanguage } from "./lib/i18n.js";
import { h } from "./lib/dom.js";
import { adoptStyles } from "./lib/styles.js";
import { assetUrl } from "./lib/assets.js";
import { DeviceStorage } from "./lib/storage.js";
import { ShareQueue, apiBase, buildPayload, checkEmbedding } from "./lib/sharing.js";
import { FamilyDevice, callApi, fetchDirectory, invitationFromLocation } from "./lib/family.js";
import { placeHelp } from "./screens/help.js";
import { renderStart } from "./screens/start.js";
import { renderQuestion } from "./screens/question.js";
import { renderFooter } from "./screens/footer.js";
import {
  adoptJourneyStyles,
  addJourneyTexts,
  journeyForm,
  journeyShowsForm,
  renderJourneyStart,
} from "./screens/journey-form.js";

// The engine for this page: fetched once the first screen is on screen (lib/engine.js); on a journey
// page when the parent needs it (screens/journey-form.js).
if (pageEngineBuild() !== "journey") loadEngine().catch(() => {});

const storage = new DeviceStorage();
let familyDevice = null;
function family() {
  familyDevice ??= new FamilyDevice(storage);
  return familyDevice;
}
let shareQueue = null;
function shares() {
  shareQueue ??= new ShareQueue(storage, { familyKey: (id) => family().keyFor(id) });
  return shareQueue;
}

// The care-network screens (screens/network.js) and the family calls only they make
// (screens/family-calls.js) are separate files, fetched only when a parent opens one of those
// screens: most parents never do, and the page's download stays small.
let networkScreens = null;
function loadNetworkScreens() {
  networkScreens ??= Promise.all([
    import(assetUrl("screens/network.js")),
    import(assetUrl("screens/family-calls.js")),
  ]).then(([module, calls]) => {
    calls.addFamilyCalls(FamilyDevice, callApi);
    addTexts(module.NETWORK_TEXTS);
    return module;
  });
  return networkScreens;
}
const NETWORK_SCREENS = new Set(["network", "invite", "access-log"]);

// The entry script carries the widget's texts in Dutch; another language's (screens/texts-en.js) is
// fetched when a page is in it or the parent switches to it. A failed fetch (offline) is tried again
// the next time.
const languages = {};
const languageAttempts = {};
function loadLanguage(lang) {
  if (hasLanguage(lang)) return Promise.resolve();
  if (!languages[lang]) {
    // The browser remembers a module that failed to load by its URL: a new attempt needs a new URL.
    const url = new URL(assetUrl(`screens/texts-${lang}.js`));
    languageAttempts[lang] = (languageAttempts[lang] ?? 0) + 1;
    if (languageAttempts[lang] > 1) url.searchParams.set("attempt", languageAttempts[lang]);
    languages[lang] = import(url.href).then(
      (module) => {
        addLanguage(lang, module.WIDGET);
        addJourneyTexts(lang, module.JOURNEY);
      },
      (error) => {
        delete languages[lang];
        throw error;
      },
    );
  }
  return languages[lang];
}

// The journey screens (screens/journey.js) are a separate file too, fetched at once on a page whose
// engine has the journey (an element with the `journey` attribute), never on a page that only screens.
// The journey's first screen, the form, is in this script (screens/journey-form.js).
let journeyScreens = null;
function loadJourneyScreens() {
  journeyScreens ??= import(assetUrl("screens/journey.js"));
  return journeyScreens;
}

// The result and the screens after it (screens/outcome.js: result, sharing, receipts, history) are a
// separate file too: no first screen needs them, so a page load does not fetch them. Asked for when
// the parent reaches the last question (so it is here when they ask for the result), or when one of
// its screens is opened first. Fetching code sends nothing about the parent.
let outcomeScreens = null;
function loadOutcomeScreens() {
  outcomeScreens ??= import(assetUrl("screens/outcome.js")).then((module) => module.OUTCOME);
  return outcomeScreens;
}
const OUTCOME_SCREENS = new Set(["result", "share", "preview", "nothing", "receipts", "history"]);

// Wording packs (docs/instrument-format.md) the page asked for, applied once per page: url -> promise.
// The instrument a pack is for is added to the engine first (its definition is not compiled in).
const appliedPacks = new Map();
function applyWordingPacks(engine, urls, lang) {
  return Promise.all(
    urls.map((url) => {
      if (!appliedPacks.has(url)) {
        const applied = fetch(url)
          .then((response) => {
            if (!response.ok) throw new Error(`HTTP ${response.status}`);
            return response.text();
          })
          .then(async (text) => {
            let instrument = null;
            try {
              instrument = JSON.parse(text)?.instrument;
            } catch {
              // not JSON: the engine says where and what
            }
            if (typeof instrument === "string") await addInstruments(engine, [instrument], lang);
            engine.addWordingPack(text);
          })
          .catch((error) => {
            throw new Error(`${url}: ${error.message}`);
          });
        appliedPacks.set(url, applied);
      }
      return appliedPacks.get(url);
    }),
  );
}

const CONTEXT_ROLES = ["mother", "partner"];
const CONTEXT_STAGES = ["pregnancy", "postpartum"];
// Screens a reload may return to; the others fall back to the result or the start.
const RESUMABLE = new Set(["question", "result", "share"]);
const LOADING_SHOWN_AFTER_MS = 250;
// Screens that need the engine (scores, advice); the start and the questions do not.
const NEEDS_ENGINE = new Set(["result", "share", "preview"]);

export class KindbandScreen extends HTMLElement {
  static get observedAttributes() {
    return ["lang", "instruments", "parent-role", "stage", "week", "org", "server", "journey"];
  }

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    adoptStyles(this.shadowRoot);
    this.engine = null;
    // Resolved by engineLoaded(): the engine, with any wording packs applied, is ready for use.
    this.engineReady = new Promise((resolve) => {
      this.resolveEngineReady = resolve;
    });
    this.state = {
      screen: "loading",
      lang: pickLanguage(this.getAttribute("lang")),
    };
    this.moveFocus = false;
    this.onShareChange = () => {
      if (this.state.screen === "receipts") this.render();
    };
    // A family kept (or forgotten) in another tab of this site (issue 24): the start screen and the
    // network show it at once, so that this tab never offers to start a second family.
    this.onStorage = (event) => {
      if (event.storageArea !== window.localStorage) return;
      if (event.key !== null && !String(event.key).startsWith("kindband:")) return;
      if (!["start", "network"].includes(this.state.screen)) return;
      this.networkData = null;
      this.render();
    };
  }

  connectedCallback() {
    this.connected = true;
    // An element made from script (document.createElement) got its attributes after the
    // constructor ran: before its first screen, the language is the one it has now.
    if (this.state.screen === "loading") this.state.lang = pickLanguage(this.getAttribute("lang"));
    // An invitation link (#kindband-invite=CODE): offered once the first screen is set up. Nothing
    // is asked of the server until the parent chooses to look at it.
    this.invitation ??= this.endpoint ? invitationFromLocation(window.location) : null;
    shares().addEventListener("change", this.onShareChange);
    window.addEventListener("storage", this.onStorage);
    // "Loading" is drawn only when the first screen is slow to come: drawing it at once would cost
    // the first screen a layout of its own on a fast connection.
    setTimeout(() => this.state.screen === "loading" && this.render(), LOADING_SHOWN_AFTER_MS);
    if (!hasLanguage(this.state.lang)) {
      // A page in English: its texts first (fetched beside the instruments' files).
      loadLanguage(this.state.lang).then(
        () => this.connected && this.begin(),
        (error) => this.fail(this.t("load_failed"), error),
      );
      return;
    }
    this.begin();
  }

  /** Sets up the first screen (connectedCallback, once the page's language's texts are here). */
  begin() {
    // The start screen and the first question are drawn at once from this script's own copy of them
    // (lib/instruments.js, firstScreens); the instruments' rendering files (small, asked for when this
    // script ran) bring the other questions, and the engine is fetched once the first screen is on
    // screen and from then on is the source of truth. Progress to resume needs every question: then
    // the files are waited for.
    const { lang } = this.state;
    const ids = this.ids;
    // With wording packs the built-in rendering files lack that wording, and a journey's first screen
    // is its form: then there are no files to wait for.
    const instrumentFiles = this.wordingPacks.length
      ? []
      : ids.map((id) => fetchInstrument(id, lang));
    const previews = instrumentFiles.length ? ids.map((id) => firstScreens(id, lang)) : [];
    if (previews.length && previews.every(Boolean) && !storage.loadProgress(this.progressKey)) {
      this.defs = Object.fromEntries(ids.map((id, index) => [id, previews[index]]));
      this.setup();
      this.emit("kindband-ready", { instruments: ids });
      requestAnimationFrame(() => setTimeout(engineMayStart, 0)); // once it has been drawn
    }
    const journey = this.hasAttribute("journey");
    if (journey && !this.wordingPacks.length && journeyShowsForm(this)) {
      this.setup(); // the form, without the engine: fetched when the parent submits it
      this.emit("kindband-ready", { instruments: [] });
    }
    if (!instrumentFiles.length) engineMayStart();
    Promise.all(instrumentFiles)
      .then((defs) => {
        if (
          !defs.length ||
          this.engine ||
          !this.connected ||
          this.state.lang !== lang ||
          defs.some((def) => !def)
        ) {
          return; // the engine came first, or an id is unknown: the engine will say so
        }
        const whole = Object.fromEntries(ids.map((id, index) => [id, defs[index]]));
        if (this.defs && this.ids.join() === ids.join()) {
          this.defs = whole; // the first screens are on screen: now every question is here
          if (this.waiting) {
            this.moveFocus = true; // the parent pressed "Next" and waited: focus to the question
            this.render();
          }
          return;
        }
        this.defs = whole;
        this.setup();
        this.emit("kindband-ready", { instruments: ids });
      })
      .finally(() => requestAnimationFrame(() => setTimeout(engineMayStart, 0)));
    if (journey) this.loadJourney();
    if (!journey || this.wordingPacks.length || !journeyShowsForm(this)) this.requestEngine();
    shares().flush();
  }

  /** Fetches the engine (once) and sets it up with the page's wording packs. */
  requestEngine() {
    if (this.engineRequested) return;
    this.engineRequested = true;
    const journey = this.hasAttribute("journey");
    const build = journey ? "journey" : pageEngineBuild();
    const lang = this.state.lang;
    if (journey) fetchJourney(lang).catch(() => {}); // beside the wasm, not after it
    loadEngine(build)
      .then((engine) =>
        Promise.all([
          addInstruments(engine, this.ids, lang),
          // The journey in the page's language (and in the one the parent switched to meanwhile).
          journey ? addJourney(engine, lang) : null,
          journey && this.state.lang !== lang ? addJourney(engine, this.state.lang) : null,
        ]).then(() => engine),
      )
      .then(
        (engine) =>
          applyWordingPacks(engine, this.wordingPacks, lang).then(
            () => this.engineLoaded(engine),
            (error) => this.fail(t(this.state.lang, "wording_failed"), error),
          ),
        (error) => this.fail(t(this.state.lang, "load_failed"), error),
      );
  }

  /** Adds the instruments `ids` to the engine (once it is loaded) when it lacks them. */
  addInstruments(ids) {
    return addInstruments(this.engine, ids, this.state.lang);
  }

  engineLoaded(engine) {
    this.engine = engine;
    this.resolveEngineReady();
    if (this.hasAttribute("journey") && !this.journeyPick && this.state.screen !== "loading") {
      // The journey's first screen was drawn without the engine (the form may hold what the parent
      // typed): only a screen that waits for the engine is drawn again.
      if (this.waiting) {
        this.moveFocus = true;
        this.render();
      }
      return;
    }
    const sameSet =
      this.state.answers && Object.keys(this.state.answers).join() === this.ids.join();
    if (!sameSet) {
      this.setup();
      if (this.state.screen !== "error") this.emit("kindband-ready", { instruments: this.ids });
      return;
    }
    // The parent may already be answering: take the engine's definitions, check the safety rules on
    // what is answered so far, and redraw only a screen that was waiting for the engine (redrawing
    // the question would take the keyboard focus away).
    this.loadDefinitions();
    if (this.safetyFlags().length && !this.state.help) {
      this.helpArrived = true; // screens/help.js brings it into view
      this.state = { ...this.state, help: true };
      this.save();
    }
    if (NEEDS_ENGINE.has(this.state.screen) || this.waiting) {
      this.moveFocus = true;
      this.render();
    } else {
      this.renderHelpBox();
    }
  }

  disconnectedCallback() {
    this.connected = false;
    shares().removeEventListener("change", this.onShareChange);
    window.removeEventListener("storage", this.onStorage);
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.connected) return; // connectedCallback reads them first
    if (name === "lang") return this.setLanguage(pickLanguage(newValue));
    if (name === "journey" && newValue !== null) {
      this.loadJourney();
      this.requestEngine();
    }
    if (!this.engine) return; // the engine's arrival sets everything up with the new values
    if (name !== "instruments") return this.render();
    const ids = this.ids;
    const loaded = new Set(this.engine.loadedInstruments());
    if (ids.every((id) => loaded.has(id))) return this.setup();
    // The engine lacks a new instrument's definition: "loading" (not the old questionnaire, which
    // could still be answered) until its file has come; setup() then starts (or resumes) the new set.
    this.state = { screen: "loading", lang: this.state.lang };
    this.render();
    this.addInstruments(ids).then(
      () => this.ids.join() === ids.join() && this.setup(),
      (error) => this.fail(this.t("load_failed"), error),
    );
  }

  // ---- configuration from attributes ----

  get ids() {
    if (this.journeyPick) return this.journeyPick.instruments; // a moment started from the journey
    return (this.getAttribute("instruments") || "").split(/[\s,]+/).filter(Boolean);
  }

  get context() {
    if (this.journeyPick) return { ...this.journeyPick.context }; // from the journey plan
    const context = {};
    const role = this.getAttribute("parent-role"); // not "role": that is an ARIA attribute
    const stage = this.getAttribute("stage");
    const week = Number.parseInt(this.getAttribute("week") ?? "", 10);
    if (CONTEXT_ROLES.includes(role)) context.role = role;
    if (CONTEXT_STAGES.includes(stage)) context.stage = stage;
    if (Number.isInteger(week) && week >= 0) context.week = week;
    return context;
  }

  /** URLs of wording packs to add to the engine (attribute `wording-packs`, separated by spaces). */
  get wordingPacks() {
    return (this.getAttribute("wording-packs") || "")
      .split(/\s+/)
      .filter(Boolean)
      .map((url) => new URL(url, document.baseURI).href);
  }

  get organisation() {
    return this.getAttribute("org") || null;
  }

  get endpoint() {
    if (!this.organisation) return null;
    try {
      return apiBase(this.getAttribute("server"), document.baseURI);
    } catch {
      return null;
    }
  }

  get progressKey() {
    return this.ids.join(",");
  }

  // ---- helpers for screens ----

  t(key, values) {
    return t(this.state.lang, key, values);
  }

  /** The text with its {placeholders} left in, for fill(). */
  rawText(key) {
    return t(this.state.lang, key);
  }

  get storage() {
    return storage;
  }

  get shares() {
    return shares();
  }

  get family() {
    return family();
  }

  /**
   * What the share screen offers, loaded when it opens: the page's directory entry (is `org` a
   * coalition?), with a family on this device the family's network, and whether this page may share
   * with `org` at all (the server's embedding check). {status, directory, family, embed}.
   */
  shareTargets() {
    if (this.shareTargetsLoaded) return this.shareTargetsLoaded;
    const targets = {
      status: "loading",
      directory: null,
      family: null,
      familyError: null,
      embed: null,
    };
    this.shareTargetsLoaded = targets;
    const endpoint = this.endpoint;
    Promise.all([
      fetchDirectory(endpoint, this.organisation),
      family().exists
        ? family()
            .load(endpoint)
            .catch((error) => {
              targets.familyError = error;
              return null;
            })
        : null,
      checkEmbedding(endpoint, this.organisation),
    ]).then(([directory, view, embed]) => {
      Object.assign(targets, { status: "ready", directory, family: view, embed });
      // A web editor's mistake (site not allowed, wrong org) reaches the host page with its code.
      if (embed && !embed.allowed)
        this.emit("kindband-error", { code: embed.reason, message: embed.message });
      if (this.state.screen === "share" && this.shareTargetsLoaded === targets) this.render();
    });
    return targets;
  }

  /**
   * The trend of an instrument's kept results (screens/history.js), for the journey screens: a
   * separate file that would otherwise carry its own copy of history.js and the widget's texts.
   */
  trend(id, def) {
    if (this.outcome) return this.outcome.renderTrend(this, id, def);
    this.loadOutcome(true); // drawn again once it is here
    return null;
  }

  /**
   * Fetches the result and sharing screens (screens/outcome.js, once); draws again when a screen
   * waits for them, or with `redraw` (a screen that drew without them, e.g. the journey's trends).
   */
  loadOutcome(redraw = false) {
    this.outcomeRedraw ||= redraw;
    if (this.outcomeRequested) return;
    this.outcomeRequested = true;
    loadOutcomeScreens().then(
      (outcome) => {
        this.outcome = outcome;
        if (this.waiting) this.moveFocus = true;
        if (this.waiting || this.outcomeRedraw) this.render();
      },
      (error) => this.fail(this.t("load_failed"), error),
    );
  }

  /** Opens a care-network screen; `back` is the screen its back button returns to. */
  openNetwork(screen = "network", changes = {}) {
    const back = NETWORK_SCREENS.has(this.state.screen)
      ? this.state.networkBack
      : this.state.screen;
    this.networkData = null;
    this.go(screen, { networkBack: back || "start", shownCode: null, ...changes });
  }

  /** The journey's first-screen helpers (screens/journey-form.js), for screens/journey.js. */
  get journeyForm() {
    return journeyForm;
  }

  /** True while the question on screen is one whose instrument file has not arrived yet. */
  currentQuestionPending() {
    const questions = this.questions;
    const { id, itemIndex } = questions[Math.min(this.state.position, questions.length - 1)];
    return Boolean(this.defs[id].items[itemIndex].pending);
  }

  /**
   * The flat list of questions over all instruments: [{id, itemIndex}], leaving out items not asked
   * after the answers so far (isAsked: the Whooley help question follows a "yes").
   */
  get questions() {
    return this.ids.flatMap((id) =>
      this.defs[id].items
        .map((item, itemIndex) => ({ id, itemIndex, item }))
        .filter(({ item }) => isAsked(this.defs[id], item, this.state.answers[id]))
        .map(({ itemIndex }) => ({ id, itemIndex })),
    );
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  fail(message, error) {
    this.state = { ...this.state, screen: "error", error: message };
    this.emit("kindband-error", {
      message: String(error?.message || error || message),
    });
    this.render();
  }

  // ---- flow ----

  /** Sets up the instruments' state (resuming saved answers) and shows it, unless `render` is false. */
  setup({ render = true } = {}) {
    if (this.hasAttribute("journey") && !this.journeyPick) {
      this.state = { screen: "journey", lang: this.state.lang };
      return this.render();
    }
    const ids = this.ids;
    if (!ids.length) return this.fail(this.t("unknown_instrument", { id: "(none)" }));
    if (this.engine) {
      const known = new Set(this.engine.listInstruments(this.state.lang).map((entry) => entry.id));
      const unknown = ids.find((id) => !known.has(id));
      if (unknown) return this.fail(this.t("unknown_instrument", { id: unknown }));
      this.loadDefinitions();
    }
    const saved = storage.loadProgress(this.progressKey);
    const invited = this.invitation && !this.invitationOffered;
    this.invitationOffered ||= Boolean(invited);
    const fresh = {
      screen: "start",
      lang: this.state.lang,
      answers: Object.fromEntries(ids.map((id) => [id, this.defs[id].items.map(() => null)])),
      position: 0,
      help: false,
      completion: null,
      draft: { shared: "nothing", contact: {}, message: "" },
    };
    if (saved && this.sameVersions(saved.versions) && this.answersFit(saved.answers)) {
      this.state = {
        ...fresh,
        ...saved,
        answers: this.padAnswers(saved.answers),
        screen: RESUMABLE.has(saved.screen) ? saved.screen : "start",
      };
      if (saved.lang !== fresh.lang) this.loadDefinitions();
      if (!this.engine) this.state.lang = fresh.lang; // the rendering files are in this language
    } else {
      this.state = fresh;
    }
    if (invited)
      this.state = { ...this.state, screen: "invite", networkBack: "start", code: this.invitation };
    if (render) this.render();
  }

  /** The definitions in the current language from the engine (no-op before it has loaded). */
  loadDefinitions() {
    if (!this.engine) return;
    this.defs = Object.fromEntries(
      this.ids.map((id) => [id, this.engine.getInstrument(id, this.state.lang)]),
    );
  }

  sameVersions(versions) {
    return versions && this.ids.every((id) => versions[id] === this.defs[id].version);
  }

  /**
   * Saved answers fit when each instrument has one per item; a list saved before trailing optional,
   * unscored items were added (PHQ-9's closing question) fits too, and is padded by padAnswers().
   */
  answersFit(answers) {
    return (
      answers &&
      this.ids.every((id) => {
        const items = this.defs[id].items;
        const saved = answers[id];
        return (
          Array.isArray(saved) &&
          saved.length <= items.length &&
          items.slice(saved.length).every((item) => !item.required && !item.scored)
        );
      })
    );
  }

  padAnswers(answers) {
    return Object.fromEntries(
      Object.entries(answers).map(([id, list]) => [
        id,
        this.defs[id]
          ? [...list, ...Array(this.defs[id].items.length - list.length).fill(null)]
          : list,
      ]),
    );
  }

  /** Instruments whose wording is missing in the current language (e.g. EPDS without a wording pack). */
  unavailable() {
    return this.ids.filter((id) => {
      const def = this.defs[id];
      return (
        def.name === null ||
        def.items.some(
          (item) => item.text === null || item.options.some((option) => option.label === null),
        )
      );
    });
  }

  save() {
    const { screen, lang, answers, position, help, completion, draft } = this.state;
    if (!answers) return;
    const untouched = Object.values(answers).every((list) =>
      list.every((answer) => answer === null),
    );
    if (untouched && screen === "start") return storage.clearProgress(this.progressKey); // nothing to keep
    const versions = Object.fromEntries(this.ids.map((id) => [id, this.defs[id].version]));
    // Contact details and the message are not kept: they are only typed for one share.
    storage.saveProgress(this.progressKey, {
      screen,
      lang,
      answers,
      position,
      help,
      completion,
      versions,
      draft: { shared: draft.shared },
    });
  }

  go(screen, changes = {}) {
    // The share screen asks again for the network each time it is opened (not back from the preview).
    if (screen === "share" && this.state.screen !== "preview") this.shareTargetsLoaded = null;
    this.languageFailed = false;
    this.state = { ...this.state, notice: null, ...changes, screen };
    this.moveFocus = true;
    this.save();
    this.render();
    this.emit("kindband-screen", {
      screen,
      ...(screen === "question"
        ? { question: this.state.position + 1, total: this.questions.length }
        : {}),
    });
  }

  async setLanguage(lang) {
    if (lang === this.state.lang) return;
    this.languageFailed = false;
    if (!hasLanguage(lang) || (this.engine && this.hasAttribute("journey"))) {
      // The widget's texts in that language (screens/texts-en.js), and the journey build plans in
      // a language once its journey file is added: both fetched now.
      try {
        await Promise.all([
          loadLanguage(lang),
          this.engine && this.hasAttribute("journey") ? addJourney(this.engine, lang) : null,
        ]);
      } catch {
        this.languageFailed = true; // e.g. offline: say so, and stay in this language
        this.moveFocus = false;
        this.render();
        this.shadowRoot.querySelector(".kb-lang")?.focus();
        return;
      }
      if (lang === this.state.lang) return;
    }
    if (!this.engine && this.defs) {
      // Before the engine: the rendering files in the other language.
      const defs = await Promise.all(this.ids.map((id) => fetchInstrument(id, lang)));
      if (this.engine) return this.setLanguage(lang);
      if (defs.some((def) => !def)) return;
      this.defs = Object.fromEntries(this.ids.map((id, index) => [id, defs[index]]));
    }
    // A status line about what was just done was said in the other language: it is not carried over.
    this.state = { ...this.state, lang, notice: null };
    if (this.state.answers) {
      this.loadDefinitions();
      this.save();
    }
    this.moveFocus = false;
    this.render();
    this.shadowRoot.querySelector(".kb-lang")?.focus();
  }

  start(fromScratch) {
    if (fromScratch) {
      storage.clearProgress(this.progressKey);
      this.setup({ render: false }); // go() draws the question
    }
    this.go("question", { position: fromScratch ? 0 : this.state.position });
  }

  /** Records an answer (option position or null) and checks the safety rules at once. */
  answer(id, itemIndex, position) {
    const answers = {
      ...this.state.answers,
      [id]: [...this.state.answers[id]],
    };
    answers[id][itemIndex] = position;
    // A question no longer asked after this answer (a "yes" changed to "no") loses its answer.
    this.defs[id].items.forEach((item, index) => {
      if (!isAsked(this.defs[id], item, answers[id])) answers[id][index] = null;
    });
    // Before the engine has loaded (a fraction of a second), engineLoaded() does this check.
    const flagged = Boolean(this.engine) && this.safetyFlags(answers).length > 0;
    if (flagged && !this.state.help) this.helpArrived = true; // screens/help.js brings it into view
    this.state = { ...this.state, answers, help: this.state.help || flagged };
    this.save();
    this.renderHelpBox();
  }

  /** Safety rules triggered by the answers so far (the engine scores partial answers too). */
  safetyFlags(answers = this.state.answers) {
    return this.ids.flatMap((id) => this.engine.score(id, answers[id], this.context).flags);
  }

  /** The engine's urgent safety advice for what is answered so far. */
  safetyAdvice() {
    return this.ids.flatMap((id) =>
      this.engine
        .advise(id, this.state.answers[id], this.context, this.state.lang)
        .entries.filter((entry) => entry.kind === "safety"),
    );
  }

  next() {
    if (this.state.position + 1 < this.questions.length) {
      this.go("question", { position: this.state.position + 1 });
    } else {
      this.finish();
    }
  }

  back() {
    if (this.state.position > 0) this.go("question", { position: this.state.position - 1 });
    else this.go("start");
  }

  finish() {
    if (!this.engine) {
      this.go("result"); // shows "loading" until the engine is there, then the result
      this.engineReady.then(() => this.finish());
      return;
    }
    this.state = {
      ...this.state,
      completion: this.state.completion || crypto.randomUUID(),
    };
    if (storage.keepHistory) this.recordHistory(); // before rendering, so the trend includes it
    this.go("result");
    this.ids.forEach((id) => this.emit("kindband-complete", { instrument: id }));
  }

  /**
   * The session's results with their advice. The questionnaires of one session are advised together
   * (the engine's adviseSession): once a safety rule fired in any of them, no card reassures.
   */
  results() {
    const session = this.engine.adviseSession(
      this.ids.map((id) => ({ instrument: id, answers: this.state.answers[id] })),
      this.context,
      this.state.lang,
    );
    return this.ids.map((id, index) => ({
      id,
      def: this.defs[id],
      result: this.engine.score(id, this.state.answers[id], this.context),
      advice: session.advice[index],
    }));
  }

  setKeepHistory(keep) {
    storage.keepHistory = keep;
    if (keep) this.recordHistory();
  }

  recordHistory() {
    for (const { id, def, result } of this.results()) {
      storage.addHistory({
        completion: `${this.state.completion}:${id}`,
        instrument: id,
        version: def.version,
        date: new Date().toISOString(),
        scales: result.scales.map((scale) => ({
          id: scale.id,
          score: scale.score,
          min: scale.min,
          max: scale.max,
          band: scale.band ? scale.band.id : null,
        })),
        positive: result.positive,
      });
    }
  }

  /** The payloads a share would send: one per questionnaire (docs/share-api.md). */
  preparePayloads(draft) {
    return this.results().map(({ id, def, result }) =>
      buildPayload({
        ...this.outcome.routeOf(this, draft),
        instrument: def,
        context: this.context,
        language: this.state.lang,
        shared: draft.shared,
        result,
        answers: this.state.answers[id],
        contact: draft.contact,
        message: draft.message,
      }),
    );
  }

  confirmShare() {
    const endpoint = this.endpoint;
    const records = this.state.payloads.map((payload) =>
      shares().enqueue(endpoint, payload, {
        instrument_name: this.defs[payload.instrument.id].short_name,
        completion: this.state.completion, // this result: shared again only after asking
        recipient_names: this.outcome.recipientNames(this, payload),
        response_times: this.outcome.responseTimes(this, payload),
      }),
    );
    const ids = records.map((record) => record.share_id);
    records.forEach((record) =>
      this.emit("kindband-share", {
        share_id: record.share_id,
        state: record.state,
      }),
    );
    this.go("receipts", {
      payloads: null,
      receiptIds: ids,
      draft: { ...this.state.draft, contact: {}, message: "" },
    });
  }

  /** This result's shares from this device that still stand (not withdrawn, not refused). */
  sharedBefore() {
    const { completion } = this.state;
    if (!completion) return [];
    return shares()
      .list()
      .filter(
        (record) => record.completion === completion && !/withdrawn|failed/.test(record.state),
      );
  }

  removeEverything() {
    storage.clearAll();
    shares().clearMemory();
    family().forget();
    this.emit("kindband-cleared", {});
    this.setup();
    this.go("start", { notice: this.t("removed") });
  }

  // ---- rendering ----

  render() {
    if (!this.connected) return;
    const { lang, screen } = this.state;
    const body = this.renderScreen(screen);
    const focusKey = this.moveFocus ? null : focusKeyOf(this.shadowRoot.activeElement);
    const root = h(
      "section",
      { class: "kb", lang, "aria-label": "Kindband" },
      h(
        "div",
        { class: "kb-top" },
        h(
          "button",
          {
            type: "button",
            class: "kb-lang",
            lang: lang === "nl" ? "en" : "nl",
            "aria-label": this.t("switch_language_label"),
            onclick: () => this.setLanguage(lang === "nl" ? "en" : "nl"),
          },
          this.t("switch_language"),
        ),
        this.languageFailed
          ? h("p", { class: "kb-lang-failed", role: "status" }, this.t("language_failed"))
          : null,
        this.journeyScreens?.renderJourneyNav(this),
      ),
      // A live region that exists before help appears in it, so screen readers announce it once.
      h("div", { class: "kb-help-slot", "aria-live": "polite" }),
      h(
        "div",
        { class: "kb-screen" },
        body,
        this.engine ? this.journeyScreens?.renderResultExtras(this) : null,
      ),
      this.state.answers ? renderFooter(this) : null,
    );
    this.shadowRoot.replaceChildren(root);
    const helpTookFocus = this.renderHelpBox();
    if (focusKey) restoreFocus(this.shadowRoot, focusKey); // a redraw in place keeps the focus
    if (this.moveFocus) {
      this.moveFocus = false;
      if (!helpTookFocus) this.bringIntoView(this.shadowRoot.querySelector("[data-focus]"));
    }
  }

  /**
   * A new screen's heading (or the element that takes the focus) to the top of the window when the
   * screen would not fit below where it is (on a phone the page stays scrolled where the last screen
   * was: answers at the bottom edge, "Next" below the fold), then the focus to it. The screen's
   * heading (or the help bar above it) goes to the top when the target is still in view below it.
   */
  bringIntoView(target) {
    if (!target) return;
    const screen = this.shadowRoot.querySelector(".kb-screen");
    const top = target.getBoundingClientRect().top;
    if (top < 0 || (screen.getBoundingClientRect().bottom > window.innerHeight && top > 8)) {
      const help = this.shadowRoot.querySelector(".kb-help-slot");
      (help?.firstChild ? help : screen.querySelector("h2") || target).scrollIntoView({
        block: "start",
      });
      if (target.getBoundingClientRect().bottom > window.innerHeight)
        target.scrollIntoView({ block: "start" });
    }
    target.focus({ preventScroll: true });
  }

  /** "Loading", for a screen that waits for the engine, the journey screens or the questions. */
  renderWaiting() {
    this.waiting = true;
    return h("p", { role: "status" }, this.t("loading"));
  }

  renderScreen(screen) {
    this.waiting = false;
    if (NEEDS_ENGINE.has(screen) && !this.engine) return this.renderWaiting();
    if (OUTCOME_SCREENS.has(screen)) {
      if (!this.outcome) {
        this.loadOutcome();
        return this.renderWaiting();
      }
      return this.outcome.screens[screen](this);
    }
    switch (screen) {
      case "loading":
        return this.renderWaiting();
      case "error":
        return h("p", { role: "alert", class: "kb-error" }, this.state.error);
      case "start":
        return renderStart(this);
      case "question":
        // The result's screens on their way while the parent answers the last question.
        if (this.state.position + 1 >= this.questions.length) this.loadOutcome();
        // Before the instruments' files, only the first question is here (lib/instruments.js).
        return this.currentQuestionPending() ? this.renderWaiting() : renderQuestion(this);
      case "journey":
      case "journey-element":
        if (screen === "journey" && journeyShowsForm(this)) return renderJourneyStart(this);
        if (!this.journeyScreens || !this.engine) {
          this.requestEngine();
          return this.renderWaiting();
        }
        return screen === "journey"
          ? this.journeyScreens.renderJourney(this)
          : this.journeyScreens.renderElement(this);
      case "network":
      case "invite":
      case "access-log":
        return this.renderNetworkScreen(screen);
      default:
        throw new Error(`kindband-screen: unknown screen "${screen}"`);
    }
  }

  /** The care-network screens' module, loaded once (also used by the receipts and start screens). */
  networkModule() {
    return loadNetworkScreens().then((module) => (this.networkScreens = module));
  }

  /** A screen file fetched only when needed (e.g. "receipt-file.js"), next to this script. */
  screenModule(file) {
    return import(assetUrl(`screens/${file}`));
  }

  /** Fetches the journey screens (once) and redraws with them and their styles. */
  loadJourney() {
    if (this.journeyRequested) return;
    this.journeyRequested = true;
    adoptJourneyStyles(this.shadowRoot);
    loadJourneyScreens().then(
      (module) => {
        this.journeyScreens = module;
        if (this.waiting) {
          this.moveFocus = true; // not the form: it may hold what the parent typed
          this.render();
        }
      },
      (error) => this.fail(this.t("load_failed"), error),
    );
  }

  renderNetworkScreen(screen) {
    if (this.networkScreens) return this.networkScreens.renderNetworkScreen(this, screen);
    loadNetworkScreens().then(
      (module) => {
        this.networkScreens = module;
        this.moveFocus = true;
        this.render();
      },
      (error) => this.fail(this.t("network_load_failed"), error),
    );
    return h("p", { role: "status" }, this.t("network_loading"));
  }

  /**
   * The help box sits above every screen once a safety rule has triggered, up to the result
   * (screens/help.js). True when it took the focus because it has just appeared.
   */
  renderHelpBox() {
    const slot = this.shadowRoot.querySelector(".kb-help-slot");
    if (!slot) return false;
    const show = this.engine && this.state.help && this.state.screen !== "start";
    if (!show) {
      slot.replaceChildren();
      return false;
    }
    return placeHelp(this, slot, this.safetyAdvice());
  }
}

// Identifies a focused control across a redraw: its card (share), tag and text or id.
function focusKeyOf(element) {
  if (!element) return null;
  return {
    card: element.closest("[data-share]")?.dataset.share || "",
    tag: element.tagName,
    id: element.id,
    text: element.textContent,
  };
}

function restoreFocus(root, key) {
  const candidates = [...root.querySelectorAll(key.tag)].filter(
    (element) =>
      (element.closest("[data-share]")?.dataset.share || "") === key.card &&
      (key.id ? element.id === key.id : element.textContent === key.text),
  );
  candidates[0]?.focus();
}

if (!customElements.get("kindband-screen"))
  customElements.define("kindband-screen", KindbandScreen);
