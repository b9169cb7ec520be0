// The engine as JSON-text calls: what the JavaScript API (wasm/kindband.mjs) needs, in plain C++17.
//
// Every call takes and returns text, so the Embind layer (bindings.cpp) is a thin, CSP-safe shim
// and the same code is unit-tested natively (tests/wasm/engine_calls_test.cpp, also under
// ASan/UBSan). No call throws or aborts on bad input: it returns a Reply with ok=false and a
// message that says where and what, e.g. `phq9: /answers/3: expected an option position or null,
// found "x"`.
#ifndef KINDBAND_WASM_ENGINE_CALLS_H_
#define KINDBAND_WASM_ENGINE_CALLS_H_

#include <string>
#include <string_view>
#include <vector>

#include "kindband/engine.h"

namespace kindband::calls {

// Upper bounds on inputs, checked before any parsing. They are far above any real use (a wording
// pack is a few KB); they keep a runaway caller from growing the wasm heap or blocking the page for
// long (parsing 1 MB of JSON takes up to a few hundred ms in the browser).
constexpr size_t kMaxIdBytes = 200;             // instrument ids, languages
constexpr size_t kMaxAnswersBytes = 64 * 1024;  // the answers as JSON text
constexpr size_t kMaxContextBytes = 4 * 1024;   // the context as JSON text
constexpr size_t kMaxResultBytes = 64 * 1024;   // a result as JSON text (a share body is <= 64 KB)
constexpr size_t kMaxPackBytes = 1024 * 1024;   // one wording pack or instrument as JSON text
constexpr size_t kMaxAnswers = 2000;  // array length (the JS API checks it before encoding)
constexpr size_t kMaxSessionBytes = 256 * 1024;  // a session's instruments and answers as JSON text
constexpr size_t kMaxSessionInstruments = 16;    // questionnaires in one session

struct Reply {
  bool ok = false;
  std::string text;  // the engine's JSON when ok, else the error message
};

// Owns a library (plus instruments and wording packs added at run time) and answers calls on it.
class Session {
 public:
  Session();  // loads Library::builtin(); see load_errors()
  // Starts from `library`, e.g. Library::builtin_summaries(): the browser's core and journey
  // builds, which add the instruments a page needs with add_instrument(). `errors`: from building
  // it.
  explicit Session(Library library, std::vector<Error> errors = {});

  // Errors from loading the built-in library, one per line; empty when it loaded cleanly.
  std::string load_errors() const;

  // {"max_answers":N,"max_text_bytes":N}: lets the JS layer refuse oversized input before copying
  // it.
  static std::string limits_json();

  // [{"id","version","name","short_name"}] sorted by id; names in `language` (null when absent).
  // Every instrument the library knows: loaded, or by summary only (loaded_instruments()).
  Reply list_instruments(std::string_view language) const;
  // ["id", ...]: the instruments whose definitions are loaded (the others cannot be scored yet).
  Reply loaded_instruments() const;
  // Adds an instrument definition (docs/instrument-format.md; the files the build writes to
  // dist/instruments/<id>.json); file_name appears in errors. Fails, changing nothing, on an
  // invalid definition or an id that is already loaded.
  Reply add_instrument(std::string_view file_name, std::string_view json_text);
  // instrument_to_json() (docs/engine-json.md) for one instrument.
  Reply get_instrument(std::string_view id, std::string_view language) const;
  // answers_json: an array with one entry per item, an option position (0-based) or null = missing.
  // context_json: an object with any of role, stage (text) and week (whole number); "" or null =
  // {}.
  Reply score(std::string_view id, std::string_view answers_json,
              std::string_view context_json) const;
  // Scores as score() does, then gives the advice for that result in `language`.
  Reply advise(std::string_view id, std::string_view answers_json, std::string_view context_json,
               std::string_view language) const;
  // The advice for the questionnaires of one session (a journey moment, or several instruments
  // filled in together): session_json is [{"instrument": id, "answers": [...]}, ...], all scored
  // in one context. Gives {"safety": bool, "advice": [advice, ...]} in the same order: once a
  // safety rule fired in any of them, no reassuring advice in any (kindband::advise_session).
  Reply advise_session(std::string_view session_json, std::string_view context_json,
                       std::string_view language) const;
  // The advice for a result as the engine wrote it (docs/engine-json.md), e.g. a shared result
  // without answers: what advise() gave for the answers it came from (advise_result_json).
  Reply advise_result(std::string_view result_json, std::string_view language) const;
  // Applies a wording pack (docs/instrument-format.md); on failure nothing changes.
  Reply add_wording_pack(std::string_view json_text);

  const Library& library() const { return library_; }

 private:
  const Instrument* find(std::string_view id, Reply* reply) const;
  bool check_language(std::string_view language, Reply* reply) const;
  bool score_to(std::string_view id, std::string_view answers_json, std::string_view context_json,
                Result* result, Reply* reply) const;

  std::vector<Error> load_errors_;  // declared first: filled while library_ is built
  Library library_;
};

// Converts the JSON answers of the instrument `id` to engine answers; false + message on bad input.
bool parse_answers(std::string_view id, std::string_view answers_json, Answers* answers,
                   std::string* message);
// Converts a JSON context object to an engine Context; false + message on bad input.
bool parse_context_json(std::string_view context_json, Context* context, std::string* message);

}  // namespace kindband::calls

#endif  // KINDBAND_WASM_ENGINE_CALLS_H_
