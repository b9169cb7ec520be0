#include "engine_calls.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <set>

// The engine's own JSON reader and writer (engine/src): one JSON code path for native and wasm,
// and no nlohmann serializer in the wasm (size).
#include "json_parse.h"
#include "json_writer.h"

namespace kindband::calls {
namespace {

// JSON-quotes (at most the start of) a caller's text for an error message, cut at a character
// boundary so that the message stays valid UTF-8.
std::string quote(std::string_view text) {
  constexpr size_t kShown = 60;
  size_t shown = std::min(text.size(), kShown);
  while (shown < text.size() && shown > 0 &&
         (static_cast<unsigned char>(text[shown]) & 0xc0) == 0x80) {
    --shown;
  }
  std::string out;
  append_json_string(&out, text.substr(0, shown));
  if (shown < text.size()) out.insert(out.size() - 1, "...");
  return out;
}

// A double as printf's "%g" writes it (6 significant digits, exponent form below 1e-4 and from
// 1e6), without printf: its formatter alone is ~5 KB of the wasm download. Only used in error
// messages, for whole numbers written with more digits than 64 bits hold (describe()): finite and
// at least 1.8e19 (the JSON reader refuses numbers beyond the range of a double).
std::string format_general(double value) {
  if (value != value) return "nan";
  std::string out;
  if (value < 0) {
    out.push_back('-');
    value = -value;
  }
  if (value > 1.7e308) return out + "inf";
  if (value == 0) return out + "0";
  int exponent = static_cast<int>(std::floor(std::log10(value)));
  long long digits = std::llround(value / std::pow(10.0, exponent - 5));
  if (digits >= 1000000) {  // rounding carried into a 7th digit
    digits /= 10;
    ++exponent;
  } else if (digits < 100000) {  // log10 rounded up just below a power of ten
    digits = std::llround(value / std::pow(10.0, exponent - 6));
    --exponent;
  }
  std::string mantissa = std::to_string(digits);  // six digits
  bool scientific = exponent < -4 || exponent >= 6;
  int point = scientific ? 1 : exponent + 1;  // digits before the decimal point
  std::string number;
  if (point <= 0) {
    number = "0." + std::string(static_cast<size_t>(-point), '0') + mantissa;
  } else {
    number = mantissa.substr(0, static_cast<size_t>(point)) + "." +
             mantissa.substr(static_cast<size_t>(point));
  }
  while (number.back() == '0') number.pop_back();
  if (number.back() == '.') number.pop_back();
  out += number;
  if (scientific) {
    int magnitude = exponent < 0 ? -exponent : exponent;
    out += exponent < 0 ? "e-" : "e+";
    if (magnitude < 10) out.push_back('0');
    out += std::to_string(magnitude);
  }
  return out;
}

// Names a JSON value in an error message: `"x"`, `1.5`, `-1`, `true`, `an object`.
std::string describe(const Json& value) {
  if (value.is_string()) return quote(value.get_ref<const std::string&>());
  if (value.is_number_unsigned()) return std::to_string(value.get<uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_number_float()) {
    // As written (1.0, 1e300, -9.2e-325), cut like a string; only a plain integer beyond 64 bits
    // in the short form (100000000000000000000 -> 1e+20, what JavaScript's 1e20 is sent as).
    const std::string& written = value.number_text();
    if (written.find_first_of(".eE") != std::string::npos) {
      const std::string quoted = quote(written);
      return quoted.substr(1, quoted.size() - 2);
    }
    return format_general(value.get<double>());
  }
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_null()) return "null";
  return value.is_object() ? "an object" : "an array";
}

std::string too_long(std::string_view what, size_t size, size_t limit) {
  return std::string(what) + ": too long (" + std::to_string(size) + " bytes, at most " +
         std::to_string(limit) + ")";
}

Reply ok(std::string text) { return Reply{true, std::move(text)}; }
Reply failure(std::string message) { return Reply{false, std::move(message)}; }

// Writes `text` in `language` as a JSON string, or null when absent.
void write_text(JsonWriter* writer, const Text& text, std::string_view language) {
  auto found = text.find(std::string(language));
  if (found == text.end()) {
    writer->null();
  } else {
    writer->string(found->second);
  }
}

// As parse_answers, for answers already parsed (part of a larger JSON text, e.g. a session).
bool answers_from_json(std::string_view id, const Json& parsed, Answers* answers,
                       std::string* message);

}  // namespace

bool parse_answers(std::string_view id, std::string_view answers_json, Answers* answers,
                   std::string* message) {
  const std::string where = std::string(id) + ": /answers";
  if (answers_json.size() > kMaxAnswersBytes) {
    *message = too_long(where, answers_json.size(), kMaxAnswersBytes);
    return false;
  }
  Json parsed;
  ParseFailure failure;
  if (!parse_json(answers_json, &parsed, &failure)) {
    *message = where + ": " + failure.message;
    return false;
  }
  return answers_from_json(id, parsed, answers, message);
}

namespace {

bool answers_from_json(std::string_view id, const Json& parsed, Answers* answers,
                       std::string* message) {
  const std::string where = std::string(id) + ": /answers";
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
    const Json& value = parsed[i];
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
    } else if (value.is_number_float() && value.get<double>() > std::numeric_limits<int>::max() &&
               value.get<double>() == std::floor(value.get<double>())) {
      // A whole number too large for any option (100000000000000000000, 1e300). Smaller ones
      // written with a fraction or exponent (1.0, 1e0) are not option positions.
      *message = at + "answer " + describe(value) + " is out of range";
      return false;
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

}  // namespace

bool parse_context_json(std::string_view context_json, Context* context, std::string* message) {
  if (context_json.size() > kMaxContextBytes) {
    *message = too_long("/context", context_json.size(), kMaxContextBytes);
    return false;
  }
  *context = Context{};
  if (context_json.empty()) return true;
  Json parsed;
  ParseFailure failure;
  if (!parse_json(context_json, &parsed, &failure)) {
    *message = "/context: " + failure.message;
    return false;
  }
  if (parsed.is_null()) return true;
  if (!parsed.is_object()) {
    *message = "/context: expected an object like {\"role\":\"mother\"}, found " + describe(parsed);
    return false;
  }
  // The engine owns the rules for keys and values (parse_context); we only translate the object to
  // its "key=value,..." form, refusing the separators so that one value cannot smuggle in another.
  std::string text;
  for (const auto& [key, value] : parsed.items()) {
    const std::string where = "/context/" + key + ": ";
    std::string value_text;
    if (value.is_null()) continue;  // unset
    if (value.is_string()) {
      value_text = value.get<std::string>();
    } else if (value.is_number_integer()) {
      value_text = describe(value);
    } else {
      *message = where + "expected text or a whole number, found " + describe(value);
      return false;
    }
    if (key.find_first_of(",=") != std::string::npos) {
      *message = "/context: unknown key " + quote(key);
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
    *message = error.pointer + ": " + error.message;
    return false;
  }
  return true;
}

Session::Session() : library_(Library::builtin(&load_errors_)) {}

Session::Session(Library library, std::vector<Error> errors)
    : load_errors_(std::move(errors)), library_(std::move(library)) {}

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
  if (instrument == nullptr && id.size() <= kMaxIdBytes && library_.knows(id)) {
    *reply = failure("instrument " + quote(id) +
                     " is not loaded: add its file first (addInstrument, docs/js-api.md)");
  } else if (instrument == nullptr) {
    std::string known;
    for (const InstrumentSummary& each : library_.summaries()) {
      known += (known.empty() ? "" : ", ") + each.id;
    }
    *reply = failure("unknown instrument " + quote(id) + " (available: " + known + ")");
  }
  return instrument;
}

// A language is known when some instrument is named in it: the languages are data, not code.
bool Session::check_language(std::string_view language, Reply* reply) const {
  // Every call checks its language: the quick answer first, the list only for the error.
  if (library_.named_in(language.substr(0, kMaxIdBytes))) return true;
  std::set<std::string> known;
  for (const InstrumentSummary& instrument : library_.summaries()) {
    for (const auto& entry : instrument.name) known.insert(entry.first);
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
  JsonWriter writer;
  writer.begin_array();
  for (const InstrumentSummary& instrument : library_.summaries()) {
    writer.begin_object();
    writer.key("id");
    writer.string(instrument.id);
    writer.key("version");
    writer.string(instrument.version);
    writer.key("name");
    write_text(&writer, instrument.name, language);
    writer.key("short_name");
    write_text(&writer, instrument.short_name, language);
    writer.end_object();
  }
  writer.end_array();
  return ok(writer.release());
}

Reply Session::loaded_instruments() const {
  JsonWriter writer;
  writer.begin_array();
  for (const Instrument* instrument : library_.instruments()) writer.string(instrument->id);
  writer.end_array();
  return ok(writer.release());
}

Reply Session::add_instrument(std::string_view file_name, std::string_view json_text) {
  const std::string name(file_name.substr(0, kMaxIdBytes));
  if (json_text.size() > kMaxPackBytes)
    return failure(too_long(name, json_text.size(), kMaxPackBytes));
  std::vector<Error> errors;
  if (library_.add_instrument(name, json_text, &errors)) return ok("");
  std::string message;
  for (const Error& error : errors) {
    if (!message.empty()) message += '\n';
    message += error.to_string();
  }
  return failure(message.empty() ? name + ": rejected" : message);
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

Reply Session::advise_session(std::string_view session_json, std::string_view context_json,
                              std::string_view language) const {
  if (session_json.size() > kMaxSessionBytes) {
    return failure(too_long("session", session_json.size(), kMaxSessionBytes));
  }
  Reply reply;
  if (!check_language(language, &reply)) return reply;
  Json parsed;
  ParseFailure parse_failure;
  if (!parse_json(session_json, &parsed, &parse_failure)) {
    return failure("session: " + parse_failure.message);
  }
  if (!parsed.is_array() || parsed.empty() || parsed.size() > kMaxSessionInstruments) {
    return failure("session: expected an array of 1 to " + std::to_string(kMaxSessionInstruments) +
                   " {\"instrument\", \"answers\"} objects, found " + describe(parsed));
  }
  Context context;
  std::string message;
  if (!parse_context_json(context_json, &context, &message)) return failure(message);
  std::vector<Result> results(parsed.size());
  for (size_t i = 0; i < parsed.size(); ++i) {
    const std::string at = "session: /" + std::to_string(i);
    const Json& entry = parsed[i];
    if (!entry.is_object() || entry.size() != 2) {
      return failure(at + ": expected {\"instrument\", \"answers\"}, found " + describe(entry));
    }
    auto id = entry.find("instrument");
    auto answers_json = entry.find("answers");
    if (id == entry.end() || !id->is_string() || answers_json == entry.end()) {
      return failure(at + ": expected {\"instrument\", \"answers\"}");
    }
    const std::string& id_text = id->get_ref<const std::string&>();
    const Instrument* instrument = find(id_text, &reply);
    if (instrument == nullptr) return failure(at + "/instrument: " + reply.text);
    Answers answers;
    if (!answers_from_json(id_text, *answers_json, &answers, &message)) return failure(message);
    Error error;
    if (!score_instrument(*instrument, answers, context, &results[i], &error)) {
      return failure(error.to_string());
    }
  }
  std::vector<const Result*> pointers;
  for (const Result& result : results) pointers.push_back(&result);
  std::vector<Advice> advice;
  bool any_safety = false;
  Error error;
  if (!kindband::advise_session(pointers, language, &advice, &any_safety, &error)) {
    return failure(error.to_string());
  }
  std::string text =
      std::string("{\"safety\":") + (any_safety ? "true" : "false") + ",\"advice\":[";
  for (size_t i = 0; i < advice.size(); ++i) {
    if (i > 0) text += ',';
    text += to_json(advice[i]);
  }
  return ok(text + "]}");
}

Reply Session::advise_result(std::string_view result_json, std::string_view language) const {
  if (result_json.size() > kMaxResultBytes) {
    return failure(too_long("result", result_json.size(), kMaxResultBytes));
  }
  Reply reply;
  if (!check_language(language, &reply)) return reply;
  Advice advice;
  Error error;
  if (!advise_result_json(library_, result_json, language, &advice, &error)) {
    // The pointer is inside the result: say so, e.g. "phq9: /result/scales/0/band/id: ...".
    error.pointer = "/result" + error.pointer;
    return failure(error.to_string());
  }
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
