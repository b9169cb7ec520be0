// Kindband engine in the browser: the JavaScript API over the wasm module's C calls (docs/js-api.md).
//
//   import { loadKindband } from './kindband.mjs';
//   const kb = await loadKindband();          // Node: loadKindband({ wasmBinary })
//   kb.score('phq9', [0, 1, null, 3, 0, 0, 0, 0, 0], { role: 'mother', stage: 'pregnancy' });
//
// Plain JS objects in and out; bad calls throw an Error with the engine's message, and the module
// keeps working after them. The instrument library and the journey are compiled into
// kindband-engine.wasm; the core and journey builds know the instruments only by name and take each
// definition a page needs with addInstrument() (the files in instruments/<id>.json next to them),
// and the journey build the journey in a page's language with addJourney() (journeys/<id>.<lang>.json).
// Works under a CSP of
// `script-src 'self' 'wasm-unsafe-eval'` (no 'unsafe-eval').
let sharedLoad = null;

// The three builds of the engine: "full" (kindband-engine.{js,wasm}), "journey"
// (kindband-engine-journey.{js,wasm}: all but adviseResult) and "core" (kindband-engine-core.{js,wasm}:
// also without the journey).
const engineModules = {
  full: () => import("./kindband-engine.js"),
  journey: () => import("./kindband-engine-journey.js"),
  core: () => import("./kindband-engine-core.js"),
};

// Loads the engine. Without options the full module is loaded once and shared by all callers.
// Options: engine ("full", the default; "journey": without adviseResult(); "core": also without
// journey(), journeyContent()),
// wasmBinary (bytes of the matching .wasm: needed in Node), locateFile (Emscripten's hook for
// serving the .wasm from another path).
export function loadKindband(options = undefined) {
  if (options !== undefined) return load(options);
  sharedLoad ??= load({}).catch((error) => {
    sharedLoad = null; // let a later call retry, e.g. after a network error
    throw error;
  });
  return sharedLoad;
}

async function load({ engine: build = "full", wasmBinary, locateFile } = {}) {
  if (!Object.hasOwn(engineModules, build)) {
    throw new Error(
      `kindband: unknown engine build ${JSON.stringify(build)} (full, journey or core)`,
    );
  }
  const { default: createKindbandEngine } = await engineModules[build]();
  const moduleOptions = {};
  if (wasmBinary !== undefined) moduleOptions.wasmBinary = wasmBinary;
  if (locateFile !== undefined) moduleOptions.locateFile = locateFile;
  const engine = new EngineCalls(await createKindbandEngine(moduleOptions));
  const errors = engine.call("load_errors");
  if (errors) throw new Error(`kindband: the built-in instrument library has errors:\n${errors}`);
  return new Kindband(engine);
}

class Kindband {
  #engine;
  #limits;

  constructor(engine) {
    this.#engine = engine;
    this.#limits = JSON.parse(engine.call("limits"));
  }

  // [{id, version, name, short_name}] sorted by id, names in `language` ('nl' or 'en').
  listInstruments(language) {
    return JSON.parse(this.#call("list_instruments", this.#text(language, "language")));
  }

  // The instrument for rendering: items, options, scales (docs/engine-json.md).
  getInstrument(id, language) {
    return JSON.parse(
      this.#call(
        "get_instrument",
        this.#text(id, "instrument id"),
        this.#text(language, "language"),
      ),
    );
  }

  // Scores answers (one per item: the chosen option's position, or null/undefined when missing) in
  // a context {role, stage, week}. Returns the result object (docs/engine-json.md).
  score(id, answers, context) {
    return JSON.parse(this.scoreText(id, answers, context));
  }

  // As score(), but the engine's stable JSON text: byte for byte what the native build gives.
  scoreText(id, answers, context) {
    const instrument = this.#text(id, "instrument id");
    return this.#call(
      "score",
      instrument,
      this.#answers(instrument, answers),
      this.#context(context),
    );
  }

  // The advice for these answers in `language`: {language, entries: [...]} (docs/engine-json.md).
  advise(id, answers, context, language) {
    return JSON.parse(this.adviseText(id, answers, context, language));
  }

  // As advise(), but the engine's stable JSON text.
  adviseText(id, answers, context, language) {
    const instrument = this.#text(id, "instrument id");
    return this.#call(
      "advise",
      instrument,
      this.#answers(instrument, answers),
      this.#context(context),
      this.#text(language, "language"),
    );
  }

  // The advice for the questionnaires of one session (a journey moment, or several filled in
  // together), scored in one context: entries [{instrument, answers}], gives {safety, advice: [...]}
  // with one advice object per entry. Once a safety rule fired in any of them, no reassuring advice
  // is given in any (docs/engine-json.md).
  adviseSession(entries, context, language) {
    return JSON.parse(this.adviseSessionText(entries, context, language));
  }

  // As adviseSession(), but the engine's stable JSON text.
  adviseSessionText(entries, context, language) {
    if (!Array.isArray(entries)) {
      throw new Error(
        `session: expected an array of {instrument, answers}, found ${describe(entries)}`,
      );
    }
    const parts = entries.map((entry, index) => {
      const instrument = this.#text(entry?.instrument, `session: /${index}/instrument`);
      return `{"instrument":${JSON.stringify(instrument)},"answers":${this.#answers(instrument, entry.answers)}}`;
    });
    return this.#call(
      "advise_session",
      this.#text(`[${parts.join(",")}]`, "session"),
      this.#context(context),
      this.#text(language, "language"),
    );
  }

  // The advice for a result as score() returned it (object or the engine's JSON text), e.g. a
  // shared result stored without answers: the same advice advise() gave for the answers. Throws when
  // the result is not one this engine could have given (unknown instrument or version, scale, band,
  // safety rule; inconsistent fields), naming the field, e.g. "phq9: /result/scales/0/band/id: ...".
  // Full build only (the core build leaves it out).
  adviseResult(result, language) {
    return JSON.parse(this.adviseResultText(result, language));
  }

  // As adviseResult(), but the engine's stable JSON text.
  adviseResultText(result, language) {
    const text = typeof result === "string" ? result : encode(result ?? null, "/result");
    return this.#call(
      "advise_result",
      this.#text(text, "/result"),
      this.#text(language, "language"),
    );
  }

  // Adds an instrument definition (JSON text or object, docs/instrument-format.md; the build's
  // instruments/<id>.json) for the rest of this session: the core and journey builds need the
  // definition of each instrument they score, render or take a wording pack for. Throws, changing
  // nothing, when the definition is invalid or its instrument is already loaded.
  // `name` (e.g. the file's URL) starts its error messages, "phq9.json: /items/3: ...".
  addInstrument(definition, name = undefined) {
    const text =
      typeof definition === "string" ? definition : encode(definition, "instrument definition");
    const named =
      name ?? `${typeof definition?.id === "string" ? definition.id : "instrument"}.json`;
    this.#call(
      "add_instrument",
      this.#text(String(named), "instrument name"),
      this.#text(text, "instrument definition"),
    );
  }

  // The ids of the instruments whose definitions are loaded (listInstruments() names them all).
  loadedInstruments() {
    return JSON.parse(this.#call("loaded_instruments"));
  }

  // Adds a wording pack (JSON text or object, docs/instrument-format.md) for the rest of this
  // session. Throws, changing nothing, when the pack is invalid.
  addWordingPack(pack) {
    const text = typeof pack === "string" ? pack : encode(pack, "wording pack");
    this.#call("add_wording_pack", this.#text(text, "wording pack"));
  }

  // The parent's 1000-day journey plan for input {role, due_date, birth_date, today} (dates as
  // "YYYY-MM-DD"), texts in `language` (docs/journey-format.md).
  journey(input, language) {
    return JSON.parse(this.journeyText(input, language));
  }

  // As journey(), but the engine's stable JSON text.
  journeyText(input, language) {
    const text = typeof input === "string" ? input : encode(input ?? null, "journey input");
    return this.#call(
      "journey_plan",
      this.#text(text, "journey input"),
      this.#text(language, "language"),
    );
  }

  // The journey's relationship elements, support texts and linked instruments in `language`.
  journeyContent(language) {
    return JSON.parse(this.#call("journey_content", this.#text(language, "language")));
  }

  // Adds a journey file (JSON text or object, docs/journey-format.md; the build's
  // journeys/<id>.<lang>.json: the journey for parents in one language) for the rest of this
  // session: the journey build has no journey compiled in, and plans in a language once its file
  // is added. Throws, changing nothing, when the file is invalid, its language already has a
  // journey, or it is another journey than the one added before. `name` (e.g. the file's URL)
  // starts its error messages.
  addJourney(definition, name = undefined) {
    const text =
      typeof definition === "string" ? definition : encode(definition, "journey definition");
    const named = name ?? `${typeof definition?.id === "string" ? definition.id : "journey"}.json`;
    this.#call(
      "add_journey",
      this.#text(String(named), "journey name"),
      this.#text(text, "journey definition"),
    );
  }

  // Calls an engine function; a reply is '+' and JSON, or '!' and an error message.
  #call(name, ...args) {
    if (!this.#engine.has(name)) {
      throw new Error(`kindband: this engine build has no ${name} (built without it)`);
    }
    let reply;
    try {
      reply = this.#engine.call(name, ...args);
    } catch (error) {
      // Only a broken module gets here (bad input is answered with '!'): say so plainly.
      throw new Error(`kindband: the engine failed in ${name}: ${error?.message ?? error}`);
    }
    if (reply[0] === "+") return reply.slice(1);
    throw new Error(reply.slice(1));
  }

  #text(value, what) {
    if (typeof value !== "string")
      throw new Error(`${what}: expected text, found ${describe(value)}`);
    if (value.length > this.#limits.max_text_bytes) {
      throw new Error(`${what}: too long (${value.length} characters)`);
    }
    return value;
  }

  #answers(id, answers) {
    if (ArrayBuffer.isView(answers)) answers = Array.from(answers);
    if (Array.isArray(answers) && answers.length > this.#limits.max_answers) {
      throw new Error(
        `${id}: /answers: ${answers.length} answers is too many (at most ${this.#limits.max_answers})`,
      );
    }
    return this.#text(encode(answers ?? null, `${id}: /answers`), `${id}: /answers`);
  }

  #context(context) {
    return context === undefined || context === null
      ? ""
      : this.#text(encode(context, "context"), "context");
  }
}

// The module's C calls (wasm/bindings.cpp) on strings: each argument is written as UTF-8 into the
// buffer kb_arguments gives and passed as (pointer, length); the reply is read from the returned
// pointer, kb_reply_size() bytes. Memory may grow during a call, so the heap view is taken after it.
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();
class EngineCalls {
  #module;

  constructor(module) {
    this.#module = module;
  }

  has(name) {
    return typeof this.#module[`_kb_${name}`] === "function";
  }

  call(name, ...args) {
    const bytes = args.map((text) => utf8Encoder.encode(text));
    let pointer = this.#module._kb_arguments(bytes.reduce((total, b) => total + b.length, 0));
    const pairs = [];
    for (const b of bytes) {
      this.#module.HEAPU8.set(b, pointer);
      pairs.push(pointer, b.length);
      pointer += b.length;
    }
    const reply = this.#module[`_kb_${name}`](...pairs);
    const size = this.#module._kb_reply_size();
    return utf8Decoder.decode(this.#module.HEAPU8.subarray(reply, reply + size));
  }
}

// JSON text for the engine. Values JSON would silently turn into null (NaN, Infinity, functions) or
// cannot encode (BigInt) become strings, so that the engine reports them instead of losing them.
function encode(value, what) {
  try {
    return JSON.stringify(value, (key, item) => {
      if (typeof item === "number" && !Number.isFinite(item)) return String(item);
      if (typeof item === "bigint") return `${item}n`;
      if (typeof item === "function" || typeof item === "symbol") return `[${typeof item}]`;
      return item;
    });
  } catch (error) {
    throw new Error(`${what}: cannot be read (${error.message})`);
  }
}

function describe(value) {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 60));
  if (value === null || ["undefined", "number", "boolean", "bigint"].includes(typeof value)) {
    return String(value);
  }
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
