#include "journey_calls.h"

#include <algorithm>

namespace kindband::calls {

namespace {

bool has_language(const Journey& journey, std::string_view language) {
  return std::find(journey.languages.begin(), journey.languages.end(), language) !=
         journey.languages.end();
}

}  // namespace

JourneyCalls::JourneyCalls(const Library& library) : library_(library) {
  auto journey = std::make_unique<Journey>();
  if (builtin_journey(library, journey.get(), &load_errors_))
    journeys_.push_back(std::move(journey));
  if (journeys_.empty() && load_errors_.empty()) {
    load_errors_.push_back(Error{"engine/journeys", "", "the built-in journey did not load"});
  }
}

std::string JourneyCalls::load_errors() const {
  std::string out;
  for (const Error& error : load_errors_) out += error.to_string() + "\n";
  return out;
}

Reply JourneyCalls::add(std::string_view file_name, std::string_view json_text) {
  const std::string name(file_name.substr(0, kMaxIdBytes));
  if (json_text.size() > kMaxPackBytes) {
    return Reply{false, name + ": too long (" + std::to_string(json_text.size()) +
                            " bytes, at most " + std::to_string(kMaxPackBytes) + ")"};
  }
  auto journey = std::make_unique<Journey>();
  std::vector<Error> errors;
  if (!load_journey(name, json_text, library_, journey.get(), &errors)) {
    std::string message;
    for (const Error& error : errors) {
      if (!message.empty()) message += '\n';
      message += error.to_string();
    }
    return Reply{false, message.empty() ? name + ": rejected" : message};
  }
  for (const auto& loaded : journeys_) {
    if (loaded->id != journey->id || loaded->version != journey->version) {
      return Reply{false, name + ": /id: journey \"" + journey->id + "\" " + journey->version +
                              " is not the one already added (\"" + loaded->id + "\" " +
                              loaded->version + ")"};
    }
    for (const std::string& language : journey->languages) {
      if (has_language(*loaded, language)) {
        return Reply{false, name + ": /languages: the journey in \"" + language +
                                "\" has already been added"};
      }
    }
  }
  journeys_.push_back(std::move(journey));
  return Reply{true, ""};
}

const Journey* JourneyCalls::find(std::string_view language, Reply* reply) const {
  if (!load_errors_.empty()) {
    *reply = Reply{false, "the built-in journey has errors:\n" + load_errors()};
    return nullptr;
  }
  if (language != "nl" && language != "en") {
    *reply = Reply{false, "/language: expected \"nl\" or \"en\""};
    return nullptr;
  }
  for (const auto& journey : journeys_) {
    if (has_language(*journey, language)) return journey.get();
  }
  *reply = Reply{false, "/language: no journey in \"" + std::string(language) +
                            "\" has been added (addJourney)"};
  return nullptr;
}

Reply JourneyCalls::plan(std::string_view input_json, std::string_view language) const {
  Reply reply;
  const Journey* journey = find(language, &reply);
  if (journey == nullptr) return reply;
  if (input_json.size() > kMaxJourneyInputBytes) {
    return Reply{false, "/: too long (" + std::to_string(input_json.size()) + " bytes, at most " +
                            std::to_string(kMaxJourneyInputBytes) + ")"};
  }
  JourneyInput input;
  JourneyPlan plan;
  Error error;
  if (!parse_journey_input(input_json, &input, &error) ||
      !compute_journey(*journey, input, &plan, &error)) {
    return Reply{false, (error.pointer.empty() ? "/" : error.pointer) + ": " + error.message};
  }
  return Reply{true, journey_plan_to_json(plan, language)};
}

Reply JourneyCalls::content(std::string_view language) const {
  Reply reply;
  const Journey* journey = find(language, &reply);
  if (journey == nullptr) return reply;
  return Reply{true, journey_content_to_json(*journey, language)};
}

}  // namespace kindband::calls
