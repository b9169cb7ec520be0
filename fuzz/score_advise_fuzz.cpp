// libFuzzer target: the score and advise entry points on the built-in instruments. Bytes become an
// instrument, a context and answers (in range, missing, or out of range); the engine must refuse
// exactly the out-of-range answers, keep every complete score within its scale's range, and give
// the same advice for the result as for the result's JSON read back (advise_result_json, the
// server's path for shared results) in both languages.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "kindband/engine.h"

namespace {

const kindband::Library& library() {
  static const kindband::Library* loaded = [] {
    std::vector<kindband::Error> errors;
    auto* built = new kindband::Library(kindband::Library::builtin(&errors));
    if (!errors.empty()) std::abort();
    return built;
  }();
  return *loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const std::vector<const kindband::Instrument*> instruments = library().instruments();
  const kindband::Instrument& instrument = *instruments[data[0] % instruments.size()];
  kindband::Context context;
  const char* const roles[] = {"", "mother", "partner", "mother"};
  const char* const stages[] = {"", "pregnancy", "postpartum", "pregnancy"};
  context.role = roles[data[1] & 3];
  context.stage = stages[(data[1] >> 2) & 3];
  context.week = data[2] <= 60 ? data[2] : -1;

  // One byte per item: below 0xf0 an option position or missing, from 0xf0 out of range.
  kindband::Answers answers;
  bool in_range = true;
  for (size_t i = 0; i < instrument.items.size(); ++i) {
    const uint8_t byte = 3 + i < size ? data[3 + i] : 0;
    const int options = static_cast<int>(instrument.items[i].options.size());
    if (byte >= 0xf0) {
      answers.push_back(options + (byte - 0xf0));
      in_range = false;
    } else {
      const int choice = byte % (options + 1);
      answers.push_back(choice == options ? kindband::kMissing : choice);
    }
  }
  kindband::Result result;
  kindband::Error error;
  const bool scored = kindband::score_instrument(instrument, answers, context, &result, &error);
  if (scored != in_range) std::abort();
  if (!scored) return 0;
  for (const auto& scale : result.scales) {
    const kindband::Scale& defined = instrument.scales[static_cast<size_t>(scale.scale_index)];
    if (scale.complete && (scale.score_hundredths < defined.min_hundredths ||
                           scale.score_hundredths > defined.max_hundredths)) {
      std::abort();
    }
  }
  const std::string result_json = kindband::to_json(result);
  for (const char* language : {"nl", "en"}) {
    kindband::Advice advice;
    kindband::Advice read_back;
    if (!kindband::advise(result, language, &advice, &error)) std::abort();
    if (!kindband::advise_result_json(library(), result_json, language, &read_back, &error)) {
      std::abort();  // the engine refused its own result
    }
    if (kindband::to_json(advice) != kindband::to_json(read_back)) std::abort();
  }
  return 0;
}
