#include "journey_calls.h"

namespace kindband::calls {

JourneyCalls::JourneyCalls(const Library& library) {
  loaded_ = builtin_journey(library, &journey_, &load_errors_);
}

std::string JourneyCalls::load_errors() const {
  std::string out;
  for (const Error& error : load_errors_) out += error.to_string() + "\n";
  return out;
}

bool JourneyCalls::check(std::string_view language, Reply* reply) const {
  if (!loaded_) {
    *reply = Reply{false, "the built-in journey has errors:\n" + load_errors()};
    return false;
  }
  if (language != "nl" && language != "en") {
    *reply = Reply{false, "/language: expected \"nl\" or \"en\""};
    return false;
  }
  return true;
}

Reply JourneyCalls::plan(std::string_view input_json, std::string_view language) const {
  Reply reply;
  if (!check(language, &reply)) return reply;
  if (input_json.size() > kMaxJourneyInputBytes) {
    return Reply{false, "/: too long (" + std::to_string(input_json.size()) + " bytes, at most " +
                            std::to_string(kMaxJourneyInputBytes) + ")"};
  }
  JourneyInput input;
  JourneyPlan plan;
  Error error;
  if (!parse_journey_input(input_json, &input, &error) ||
      !compute_journey(journey_, input, &plan, &error)) {
    return Reply{false, (error.pointer.empty() ? "/" : error.pointer) + ": " + error.message};
  }
  return Reply{true, journey_plan_to_json(plan, language)};
}

Reply JourneyCalls::content(std::string_view language) const {
  Reply reply;
  if (!check(language, &reply)) return reply;
  return Reply{true, journey_content_to_json(journey_, language)};
}

}  // namespace kindband::calls
