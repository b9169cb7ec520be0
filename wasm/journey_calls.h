// The 1000-day journey as JSON-text calls for the JavaScript API (wasm/kindband.mjs), like
// engine_calls.h: text in, a Reply out, nothing throws. Unit-tested natively in tests/journey.
#ifndef KINDBAND_WASM_JOURNEY_CALLS_H_
#define KINDBAND_WASM_JOURNEY_CALLS_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine_calls.h"
#include "kindband/journey.h"

namespace kindband::calls {

constexpr size_t kMaxJourneyInputBytes = 4 * 1024;

class JourneyCalls {
 public:
  // Loads the built-in journey, validated against `library` (which must outlive this).
  explicit JourneyCalls(const Library& library);

  // Errors from loading the built-in journey, one per line; empty when it loaded cleanly.
  std::string load_errors() const;

  // input_json: {"role":"mother"|"partner","due_date":"YYYY-MM-DD"|null,
  // "birth_date":"YYYY-MM-DD"|null,"today":"YYYY-MM-DD"} -> the plan JSON (docs/journey-format.md).
  // Errors read "/due_date: ...".
  Reply plan(std::string_view input_json, std::string_view language) const;
  // The six relationship elements, support text and linked instruments in `language`.
  Reply content(std::string_view language) const;

 private:
  bool check(std::string_view language, Reply* reply) const;

  std::vector<Error> load_errors_;
  Journey journey_;
  bool loaded_ = false;
};

}  // namespace kindband::calls

#endif  // KINDBAND_WASM_JOURNEY_CALLS_H_
