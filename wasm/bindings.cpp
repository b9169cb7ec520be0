// The engine's calls (engine_calls.h) as plain C exports for wasm/kindband.mjs: no Embind, whose
// glue cost about 4 KB gzip on every page, and nothing that needs `new Function` (strict CSP).
//
// Calling convention: the caller asks kb_arguments(n) for n bytes, writes each argument there as
// UTF-8 (lengths are explicit, so an argument may hold any byte), and calls a kb_* function with a
// (pointer, length) pair per argument. A reply is one string: '+' then the engine's JSON, or '!'
// then the error message; its bytes are at the returned pointer, kb_reply_size() long, until the
// next call. Nothing here re-enters or throws.
#include <emscripten/emscripten.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine_calls.h"
#if KINDBAND_WASM_JOURNEY
#include "journey_calls.h"
#endif

namespace {

using kindband::calls::Reply;
using kindband::calls::Session;

#if !KINDBAND_WASM_BUILTIN_INSTRUMENTS
Session start_with_summaries() {
  std::vector<kindband::Error> errors;
  kindband::Library library = kindband::Library::builtin_summaries(&errors);
  return Session(std::move(library), std::move(errors));
}
#endif

// The library and the journey, set up on first use. The full build has the instrument library
// and the journey compiled in; the core and journey builds know the instruments by their summaries
// and add the definitions a page needs at run time (kb_add_instrument), so a page downloads only
// its own; the journey build adds the journey in the page's language the same way (kb_add_journey).
struct Engine {
#if KINDBAND_WASM_BUILTIN_INSTRUMENTS
  Session session;
#else
  Session session{start_with_summaries()};
#endif
#if KINDBAND_WASM_JOURNEY && KINDBAND_WASM_BUILTIN_JOURNEY
  kindband::calls::JourneyCalls journey{session.library()};
#elif KINDBAND_WASM_JOURNEY
  kindband::calls::JourneyCalls journey{session.library(),
                                        kindband::calls::JourneyCalls::WithoutBuiltin{}};
#endif
};

Engine& engine() {
  static Engine the_engine;
  return the_engine;
}
Session& session() { return engine().session; }

std::string& arguments() {
  static std::string buffer;
  return buffer;
}
std::string& reply() {
  static std::string text;
  return text;
}

const char* give(std::string text) {
  reply() = std::move(text);
  return reply().data();
}
const char* encode(const Reply& result) { return give((result.ok ? "+" : "!") + result.text); }

std::string_view text(const char* data, size_t size) { return {data, size}; }

}  // namespace

extern "C" {

// n bytes for the next call's arguments (valid until kb_arguments is called again).
EMSCRIPTEN_KEEPALIVE char* kb_arguments(size_t size) {
  // Shrink a buffer left large by a big argument (a wording pack), so memory does not stay taken.
  if (arguments().capacity() > 4 * size + 4096) std::string().swap(arguments());
  arguments().resize(size);
  return arguments().data();
}
EMSCRIPTEN_KEEPALIVE size_t kb_reply_size() { return reply().size(); }

EMSCRIPTEN_KEEPALIVE const char* kb_load_errors() { return give(session().load_errors()); }
EMSCRIPTEN_KEEPALIVE const char* kb_limits() { return give(Session::limits_json()); }
EMSCRIPTEN_KEEPALIVE const char* kb_list_instruments(const char* language, size_t language_size) {
  return encode(session().list_instruments(text(language, language_size)));
}
EMSCRIPTEN_KEEPALIVE const char* kb_get_instrument(const char* id, size_t id_size,
                                                   const char* language, size_t language_size) {
  return encode(session().get_instrument(text(id, id_size), text(language, language_size)));
}
EMSCRIPTEN_KEEPALIVE const char* kb_score(const char* id, size_t id_size, const char* answers,
                                          size_t answers_size, const char* context,
                                          size_t context_size) {
  return encode(
      session().score(text(id, id_size), text(answers, answers_size), text(context, context_size)));
}
EMSCRIPTEN_KEEPALIVE const char* kb_advise(const char* id, size_t id_size, const char* answers,
                                           size_t answers_size, const char* context,
                                           size_t context_size, const char* language,
                                           size_t language_size) {
  return encode(session().advise(text(id, id_size), text(answers, answers_size),
                                 text(context, context_size), text(language, language_size)));
}
EMSCRIPTEN_KEEPALIVE const char* kb_advise_session(const char* entries, size_t entries_size,
                                                   const char* context, size_t context_size,
                                                   const char* language, size_t language_size) {
  return encode(session().advise_session(text(entries, entries_size), text(context, context_size),
                                         text(language, language_size)));
}
EMSCRIPTEN_KEEPALIVE const char* kb_loaded_instruments() {
  return encode(session().loaded_instruments());
}
EMSCRIPTEN_KEEPALIVE const char* kb_add_instrument(const char* name, size_t name_size,
                                                   const char* definition, size_t definition_size) {
  return encode(session().add_instrument(text(name, name_size), text(definition, definition_size)));
}
EMSCRIPTEN_KEEPALIVE const char* kb_add_wording_pack(const char* pack, size_t pack_size) {
  return encode(session().add_wording_pack(text(pack, pack_size)));
}
#if KINDBAND_WASM_ADVISE_RESULT
// The full build only (the inbox loads it): the parents' downloads, the core and journey builds,
// never call it and would carry ~4 KB gzip of result reading for nothing.
EMSCRIPTEN_KEEPALIVE const char* kb_advise_result(const char* result, size_t result_size,
                                                  const char* language, size_t language_size) {
  return encode(session().advise_result(text(result, result_size), text(language, language_size)));
}
#endif
#if KINDBAND_WASM_JOURNEY
EMSCRIPTEN_KEEPALIVE const char* kb_journey_plan(const char* input, size_t input_size,
                                                 const char* language, size_t language_size) {
  return encode(engine().journey.plan(text(input, input_size), text(language, language_size)));
}
EMSCRIPTEN_KEEPALIVE const char* kb_journey_content(const char* language, size_t language_size) {
  return encode(engine().journey.content(text(language, language_size)));
}
EMSCRIPTEN_KEEPALIVE const char* kb_add_journey(const char* name, size_t name_size,
                                                const char* definition, size_t definition_size) {
  return encode(engine().journey.add(text(name, name_size), text(definition, definition_size)));
}
#endif

}  // extern "C"
