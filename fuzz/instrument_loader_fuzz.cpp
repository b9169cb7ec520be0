// libFuzzer target: loading instrument definitions and wording packs (engine/src/library.cpp). The
// first byte chooses: 'w' applies the rest as a wording pack to the built-in library, anything else
// loads the rest as an instrument into an empty library and, when it loads, scores it (three answer
// patterns), checks each complete score against its scale's range and writes its JSON in both
// languages.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "kindband/engine.h"

namespace {

// Every answer the first option; every answer missing; required items answered, optional missing.
void exercise(const kindband::Instrument& instrument) {
  for (int pattern = 0; pattern < 3; ++pattern) {
    kindband::Answers answers;
    for (const kindband::Item& item : instrument.items) {
      const bool answered = pattern == 0 || (pattern == 2 && item.required);
      answers.push_back(answered ? 0 : kindband::kMissing);
    }
    kindband::Result result;
    kindband::Error error;
    if (!kindband::score_instrument(instrument, answers, {}, &result, &error)) std::abort();
    for (const auto& scale : result.scales) {
      const kindband::Scale& defined = instrument.scales[static_cast<size_t>(scale.scale_index)];
      if (scale.complete && (scale.score_hundredths < defined.min_hundredths ||
                             scale.score_hundredths > defined.max_hundredths)) {
        std::abort();  // a complete score outside the scale's own range
      }
    }
    kindband::Advice advice;
    for (const char* language : {"nl", "en"}) {
      if (!kindband::advise(result, language, &advice, &error)) std::abort();
      (void)kindband::to_json(advice);
      (void)kindband::instrument_to_json(instrument, language);
    }
    (void)kindband::to_json(result);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<kindband::Error> errors;
  if (data[0] == 'w') {
    // Built once: a successful pack only replaces wording, which later runs may replace again.
    static kindband::Library* library = [] {
      std::vector<kindband::Error> ignored;
      return new kindband::Library(kindband::Library::builtin(&ignored));
    }();
    const bool added = library->add_wording_pack("pack.json", text, &errors);
    if (added != errors.empty()) std::abort();  // refused exactly when it says why
    return 0;
  }
  kindband::Library library;
  const bool added = library.add_instrument("fuzz.json", text, &errors);
  if (added != errors.empty()) std::abort();
  if (added) exercise(*library.instruments().front());
  return 0;
}
