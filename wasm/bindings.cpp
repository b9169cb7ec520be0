// Embind glue: exposes engine_calls.h to JavaScript as free functions on strings.
//
// Kept to strings in and out so that it works with -sDYNAMIC_EXECUTION=0 (no `new Function`, strict
// CSP) and nothing here can re-enter. A reply is one string: '+' then the engine's JSON, or '!'
// then the error message; wasm/kindband.mjs turns the latter into a thrown Error.
#include <emscripten/bind.h>

#include <string>

#include "engine_calls.h"
#if KINDBAND_WASM_JOURNEY
#include "journey_calls.h"
#endif

namespace {

using kindband::calls::Reply;
using kindband::calls::Session;

// The built-in library and journey, loaded on first use.
struct Engine {
  Session session;
#if KINDBAND_WASM_JOURNEY
  kindband::calls::JourneyCalls journey{session.library()};
#endif
};

Engine& engine() {
  static Engine the_engine;
  return the_engine;
}
Session& session() { return engine().session; }

std::string encode(const Reply& reply) { return (reply.ok ? "+" : "!") + reply.text; }

std::string load_errors() { return session().load_errors(); }
std::string limits() { return Session::limits_json(); }
std::string list_instruments(const std::string& language) {
  return encode(session().list_instruments(language));
}
std::string get_instrument(const std::string& id, const std::string& language) {
  return encode(session().get_instrument(id, language));
}
std::string score(const std::string& id, const std::string& answers, const std::string& context) {
  return encode(session().score(id, answers, context));
}
std::string advise(const std::string& id, const std::string& answers, const std::string& context,
                   const std::string& language) {
  return encode(session().advise(id, answers, context, language));
}
std::string add_wording_pack(const std::string& json_text) {
  return encode(session().add_wording_pack(json_text));
}
#if KINDBAND_WASM_ADVISE_RESULT
// The full build only (the inbox loads it): the parents' downloads, the core and journey builds,
// never call it and would carry ~4 KB gzip of result reading for nothing.
std::string advise_result(const std::string& result, const std::string& language) {
  return encode(session().advise_result(result, language));
}
#endif
#if KINDBAND_WASM_JOURNEY
std::string journey_plan(const std::string& input, const std::string& language) {
  return encode(engine().journey.plan(input, language));
}
std::string journey_content(const std::string& language) {
  return encode(engine().journey.content(language));
}
#endif

}  // namespace

EMSCRIPTEN_BINDINGS(kindband) {
  emscripten::function("load_errors", &load_errors);
  emscripten::function("limits", &limits);
  emscripten::function("list_instruments", &list_instruments);
  emscripten::function("get_instrument", &get_instrument);
  emscripten::function("score", &score);
  emscripten::function("advise", &advise);
  emscripten::function("add_wording_pack", &add_wording_pack);
#if KINDBAND_WASM_ADVISE_RESULT
  emscripten::function("advise_result", &advise_result);
#endif
#if KINDBAND_WASM_JOURNEY
  emscripten::function("journey_plan", &journey_plan);
  emscripten::function("journey_content", &journey_content);
#endif
}
