// The 1000-day journey as JSON-text calls for the JavaScript API (wasm/kindband.mjs), like
// engine_calls.h: text in, a Reply out, nothing throws. Unit-tested natively in tests/journey.
#ifndef KINDBAND_WASM_JOURNEY_CALLS_H_
#define KINDBAND_WASM_JOURNEY_CALLS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine_calls.h"
#include "kindband/journey.h"

namespace kindband::calls {

constexpr size_t kMaxJourneyInputBytes = 4 * 1024;

class JourneyCalls {
 public:
  // Loads the built-in journey (both languages; the full build), validated against `library`,
  // which must outlive this.
  explicit JourneyCalls(const Library& library);
  // No journey until add() brings one: the journey build, where a page adds the file in its
  // language (journeys/<id>.<lang>.json). A separate constructor, so that the built-in journey is
  // not linked in.
  struct WithoutBuiltin {};
  JourneyCalls(const Library& library, WithoutBuiltin) : library_(library) {}

  // Errors from loading the built-in journey, one per line; empty when it loaded cleanly.
  std::string load_errors() const;

  // Adds a journey file (docs/journey-format.md), usually one for parents in one language; its
  // languages are planned from it from then on. `file_name` starts its error messages
  // ("first_1000_days.nl.json: /moments/3: ..."). Fails, changing nothing, on an invalid file, on
  // a language that already has a journey, or on a journey other than the one already there
  // (another id or version).
  Reply add(std::string_view file_name, std::string_view json_text);

  // input_json: {"role":"mother"|"partner","due_date":"YYYY-MM-DD"|null,
  // "birth_date":"YYYY-MM-DD"|null,"today":"YYYY-MM-DD"} -> the plan JSON (docs/journey-format.md).
  // Errors read "/due_date: ...".
  Reply plan(std::string_view input_json, std::string_view language) const;
  // The six relationship elements, support text and linked instruments in `language`.
  Reply content(std::string_view language) const;

 private:
  // The journey with texts in `language`, or nullptr with the reason in `reply`.
  const Journey* find(std::string_view language, Reply* reply) const;

  const Library& library_;
  std::vector<Error> load_errors_;
  // Each loaded once and never moved: plans and offers point into them.
  std::vector<std::unique_ptr<Journey>> journeys_;
};

}  // namespace kindband::calls

#endif  // KINDBAND_WASM_JOURNEY_CALLS_H_
