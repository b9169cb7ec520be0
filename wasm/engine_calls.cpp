#include "engine_calls.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>

#include "nlohmann/json.hpp"

namespace kindband::calls {
namespace {

using nlohmann::json;

// JSON-quotes (at most the start of) a caller's text for an error message. Invalid UTF-8 (a lone
// surrogate from JS arrives as such) is replaced rather than thrown on: the wasm cannot catch.
std::string quote(std::string_view text) {
  constexpr size_t kShown = 60;
  std::string shown(text.substr(0, kShown));
  if (text.size() > kShown) shown += "...";
  return json(shown).dump(-1, ' ', false, json::error_handler_t::replace);
}

// Names a JSON value in an error message: `"x"`, `1.5`, `true`, `an object`.
std::string describe(const json& value) {
  if (value.is_string()) return quote(value.get_ref<const std::string&>());
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string too_long(std::string_view what, size_t size, size_t limit) {
  return std::string(what) + ": too long (" + std::to_string(size) + " bytes, at most " +
         std::to_string(limit) + ")";
}

Reply ok(std::string text) { return Reply{true, std::move(text)}; }
Reply failure(std::string message) { return Reply{false, std::move(message)}; }

// The text of `text` in `language`, as a JSON string or null.
std::string text_json(const Text& text, std::string_view language) {
  auto found = text.find(std::string(language));
  if (found == text.end()) return "null";
  return json(found->second).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

bool parse_answers(std::string_view id, std::string_view answers_json, Answers* answers,
                   std::string* message) {
  const std::string where = std::string(id) + ": /answers";
  if (answers_json.size() > kMaxAnswersBytes) {
    *message = too_long(where, answers_json.size(), kMaxAnswersBytes);
    return false;
  }
  const json parsed = json::parse(answers_json, nullptr, false);
  if (parsed.is_discarded()) {
    *message = where + ": not valid JSON";
    return false;
  }
  if (!parsed.is_array()) {
    *message = where + ": expected an array of option positions, found " + describe(parsed);
    return false;
  }
  if (parsed.size() > kMaxAnswers) {
    *message = where + ": " + std::to_string(parsed.size()) + " answers is too many (at most " +
               std::to_string(kMaxAnswers) + ")";
    return false;
  }
  answers->clear();
  answers->reserve(parsed.size());
  for (size_t i = 0; i < parsed.size(); ++i) {
    const json& value = parsed[i];
    const std::string at = where + "/" + std::to_string(i) + ": ";
    if (value.is_null()) {
      answers->push_back(kMissing);
    } else if (value.is_number_unsigned()) {
      const auto position = value.get<uint64_t>();
      if (position > static_cast<uint64_t>(std::numeric_limits<int>::max())) {
        *message = at + "answer " + describe(value) + " is out of range";
        return false;
      }
      answers->push_back(static_cast<int>(position));
    } else if (value.is_number_integer()) {  // signed and not unsigned: negative
      *message = at + "expected an option position (0 or more) or null, found " + describe(value);
      return false;
    } else {
      *message =
          at + "expected an option position (a whole number) or null, found " + describe(value);
      return false;
    }
  }
  return true;
}

bool parse_context_json(std::string_view context_json, Context* context, std::string* message) {
  if (context_json.size() > kMaxContextBytes) {
    *message = too_long("context", context_json.size(), kMaxContextBytes);
    return false;
  }
  *context = Context{};
  if (context_json.empty()) return true;
  const json parsed = json::parse(context_json, nullptr, false);
  if (parsed.is_discarded()) {
    *message = "context: not valid JSON";
    return false;
  }
  if (parsed.is_null()) return true;
  if (!parsed.is_object()) {
    *message = "context: expected an object like {\"role\":\"mother\"}, found " + describe(parsed);
    return false;
  }
  // The engine owns the rules for keys and values (parse_context); we only translate the object to
  // its "key=value,..." form, refusing the separators so that one value cannot smuggle in another.
  std::string text;
  for (const auto& [key, value] : parsed.items()) {
    const std::string where = "context: /" + key + ": ";
    std::string value_text;
    if (value.is_null()) continue;  // unset
    if (value.is_string()) {
      value_text = value.get<std::string>();
    } else if (value.is_number_integer()) {
      value_text = value.dump();
    } else {
      *message = where + "expected text or a whole number, found " + describe(value);
      return false;
    }
    if (key.find_first_of(",=") != std::string::npos) {
      *message = "context: unknown key " + quote(key);
      return false;
    }
    if (value_text.find_first_of(",=") != std::string::npos) {
      *message = where + "invalid value " + quote(value_text);
      return false;
    }
    if (!text.empty()) text += ',';
    text += key + "=" + value_text;
  }
  Error error;
  if (!parse_context(text, context, &error)) {
    *message = "context: " + error.message;
    return false;
  }
  return true;
}

Session::Session() : library_(Library::builtin(&load_errors_)) {}

std::string Session::load_errors() const {
  std::string text;
  for (const Error& error : load_errors_) {
    if (!text.empty()) text += '\n';
    text += error.to_string();
  }
  return text;
}

std::string Session::limits_json() {
  return "{\"max_answers\":" + std::to_string(kMaxAnswers) +
         ",\"max_text_bytes\":" + std::to_string(kMaxPackBytes) + "}";
}

const Instrument* Session::find(std::string_view id, Reply* reply) const {
  const Instrument* instrument = id.size() <= kMaxIdBytes ? library_.find(id) : nullptr;
  if (instrument == nullptr) {
    std::string known;
    for (const Instrument* each : library_.instruments()) {
      known += (known.empty() ? "" : ", ") + each->id;
    }
    *reply = failure("unknown instrument " + quote(id) + " (available: " + known + ")");
  }
  return instrument;
}

// A language is known when some instrument is named in it: the languages are data, not code.
bool Session::check_language(std::string_view language, Reply* reply) const {
  std::set<std::string> known;
  for (const Instrument* instrument : library_.instruments()) {
    for (const auto& entry : instrument->name) known.insert(entry.first);
  }
  if (known.count(std::string(language.substr(0, kMaxIdBytes))) != 0) return true;
  std::string list;
  for (const std::string& each : known) list += (list.empty() ? "" : ", ") + each;
  *reply = failure("unknown language " + quote(language) + " (available: " + list + ")");
  return false;
}

Reply Session::list_instruments(std::string_view language) const {
  Reply reply;
  if (!check_language(language, &reply)) return reply;
  std::string text = "[";
  for (const Instrument* instrument : library_.instruments()) {
    if (text.size() > 1) text += ',';
    text += "{\"id\":" + json(instrument->id).dump() +
            ",\"version\":" + json(instrument->version).dump() +
            ",\"name\":" + text_json(instrument->name, language) +
            ",\"short_name\":" + text_json(instrument->short_name, language) + "}";
  }
  return ok(text + "]");
}

Reply Session::get_instrument(std::string_view id, std::string_view language) const {
  Reply reply;
  const Instrument* instrument = find(id, &reply);
  if (instrument == nullptr || !check_language(language, &reply)) return reply;
  return ok(instrument_to_json(*instrument, language));
}

bool Session::score_to(std::string_view id, std::string_view answers_json,
                       std::string_view context_json, Result* result, Reply* reply) const {
  const Instrument* instrument = find(id, reply);
  if (instrument == nullptr) return false;
  Answers answers;
  Context context;
  std::string message;
  if (!parse_answers(id, answers_json, &answers, &message) ||
      !parse_context_json(context_json, &context, &message)) {
    *reply = failure(message);
    return false;
  }
  Error error;
  if (!score_instrument(*instrument, answers, context, result, &error)) {
    *reply = failure(error.to_string());
    return false;
  }
  return true;
}

Reply Session::score(std::string_view id, std::string_view answers_json,
                     std::string_view context_json) const {
  Reply reply;
  Result result;
  if (!score_to(id, answers_json, context_json, &result, &reply)) return reply;
  return ok(to_json(result));
}

Reply Session::advise(std::string_view id, std::string_view answers_json,
                      std::string_view context_json, std::string_view language) const {
  Reply reply;
  Result result;
  if (!score_to(id, answers_json, context_json, &result, &reply) ||
      !check_language(language, &reply)) {
    return reply;
  }
  Advice advice;
  Error error;
  if (!kindband::advise(result, language, &advice, &error)) return failure(error.to_string());
  return ok(to_json(advice));
}

Reply Session::add_wording_pack(std::string_view json_text) {
  if (json_text.size() > kMaxPackBytes) {
    return failure(too_long("wording pack", json_text.size(), kMaxPackBytes));
  }
  std::vector<Error> errors;
  if (library_.add_wording_pack("wording pack", json_text, &errors)) return ok("");
  std::string message;
  for (const Error& error : errors) {
    if (!message.empty()) message += '\n';
    message += error.to_string();
  }
  return failure(message.empty() ? "wording pack: rejected" : message);
}

}  // namespace kindband::calls
