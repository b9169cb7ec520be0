// The 1000-day journey: loading the journey definition and computing a parent's plan for a day.
#include "kindband/journey.h"

#include <algorithm>

#include "builtin_files.h"
#include "json_parse.h"
#include "json_writer.h"

namespace kindband {

namespace {

using json = Json;

constexpr int kPregnancyDays = 280;          // due date = gestational age 40+0
constexpr int kMaxPregnancyWeek = 42;        // a pregnancy window must end by week 42 (42+6)
constexpr int kMaxPostpartumWeek = 112;      // a little past the second birthday (104)
constexpr int kMinBirthGestationDays = 140;  // 20+0: earlier is not a birth we plan for
constexpr int kMaxBirthGestationDays = 308;  // 44+0

const char* const kRoles[] = {"mother", "partner"};
const char* const kStages[] = {"pregnancy", "postpartum"};
const char* const kLanguages[] = {"nl", "en"};

template <size_t N>
bool one_of(const std::string& value, const char* const (&allowed)[N]) {
  for (const char* a : allowed) {
    if (value == a) return true;
  }
  return false;
}

// Collects errors for one file; every error carries the file name and a JSON pointer.
class Checker {
 public:
  Checker(std::string_view file, std::vector<Error>* errors) : file_(file), errors_(errors) {}

  // The languages the file's texts are in: both, unless the file names fewer (`languages`).
  void set_languages(std::vector<std::string> languages) { languages_ = std::move(languages); }
  const std::vector<std::string>& languages() const { return languages_; }

  void fail(const std::string& pointer, std::string message) {
    ok_ = false;
    if (errors_ != nullptr) errors_->push_back(Error{file_, pointer, std::move(message)});
  }
  bool ok() const { return ok_; }

  // The member `key` of `object`, or nullptr after reporting it missing / of the wrong type.
  const json* member(const json& object, const std::string& pointer, const char* key,
                     json::value_t type, bool required = true) {
    auto it = object.find(key);
    if (it == object.end()) {
      if (required) fail(pointer, std::string("missing \"") + key + "\"");
      return nullptr;
    }
    bool matches = it->type() == type || (type == json::value_t::number_integer &&
                                          it->type() == json::value_t::number_unsigned);
    if (!matches) {
      fail(pointer + "/" + key,
           std::string("expected ") + type_name(type) + ", found " + it->type_name());
      return nullptr;
    }
    return &*it;
  }

  bool string(const json& object, const std::string& pointer, const char* key, std::string* out) {
    const json* value = member(object, pointer, key, json::value_t::string);
    if (value == nullptr) return false;
    *out = value->get_ref<const std::string&>();
    if (out->empty()) fail(pointer + "/" + key, "must not be empty");
    return !out->empty();
  }

  // A text {"nl": "...", "en": "..."}: every language of the file required (our own content).
  void text(const json& object, const std::string& pointer, const char* key, Text* out) {
    const json* value = member(object, pointer, key, json::value_t::object);
    if (value == nullptr) return;
    std::string here = pointer + "/" + key;
    for (const std::string& language : languages_) {
      std::string s;
      if (string(*value, here, language.c_str(), &s)) (*out)[language] = s;
    }
    check_languages(*value, here);
  }

  // A list of non-empty strings.
  void strings(const json& object, const std::string& pointer, const char* key,
               std::vector<std::string>* out, bool allow_empty) {
    const json* value = member(object, pointer, key, json::value_t::array);
    if (value == nullptr) return;
    std::string here = pointer + "/" + key;
    if (value->empty() && !allow_empty) fail(here, "must not be empty");
    for (size_t i = 0; i < value->size(); ++i) {
      const json& entry = (*value)[i];
      std::string at = here + "/" + std::to_string(i);
      if (!entry.is_string() || entry.get_ref<const std::string&>().empty()) {
        fail(at, "expected a non-empty string");
        continue;
      }
      const std::string& s = entry.get_ref<const std::string&>();
      if (std::find(out->begin(), out->end(), s) != out->end()) {
        fail(at, "\"" + s + "\" is listed twice");
        continue;
      }
      out->push_back(s);
    }
  }

  // Per-language lists of strings {"nl": [...], "en": [...]}.
  void texts(const json& object, const std::string& pointer, const char* key,
             std::map<std::string, std::vector<std::string>>* out) {
    const json* value = member(object, pointer, key, json::value_t::object);
    if (value == nullptr) return;
    std::string here = pointer + "/" + key;
    for (const std::string& language : languages_) {
      std::vector<std::string> list;
      strings(*value, here, language.c_str(), &list, false);
      (*out)[language] = std::move(list);
    }
    check_languages(*value, here);
  }

  // The keys of a per-language object are languages of the file.
  void check_languages(const json& object, const std::string& pointer) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (!one_of(it.key(), kLanguages)) {
        fail(pointer + "/" + json_pointer_token(it.key()), "unknown language");
      } else if (std::find(languages_.begin(), languages_.end(), it.key()) == languages_.end()) {
        fail(pointer + "/" + json_pointer_token(it.key()),
             "\"" + it.key() + "\" is not one of the file's \"languages\"");
      }
    }
  }

  int week(const json& object, const std::string& pointer, const char* key) {
    const json* value = member(object, pointer, key, json::value_t::number_integer);
    if (value == nullptr) return -1;
    int64_t week = value->get<int64_t>();
    if (week < 0 || week > kMaxPostpartumWeek) {
      fail(pointer + "/" + key,
           "week " + std::to_string(week) + " is outside 0.." + std::to_string(kMaxPostpartumWeek));
      return -1;
    }
    return static_cast<int>(week);
  }

 private:
  static const char* type_name(json::value_t type) {
    switch (type) {
      case json::value_t::object:
        return "an object";
      case json::value_t::array:
        return "an array";
      case json::value_t::string:
        return "a string";
      case json::value_t::number_integer:
        return "an integer";
      default:
        return "another type";
    }
  }

  std::string file_;
  std::vector<Error>* errors_;
  bool ok_ = true;
  std::vector<std::string> languages_{std::begin(kLanguages), std::end(kLanguages)};
};

bool valid_id(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// One alternative: an instrument id or a list of ids (offered together, e.g. PHQ-9 + GAD-7).
void load_alternative(Checker* check, const json& node, const std::string& at,
                      const Library& library, JourneyMoment* moment,
                      std::vector<std::string>* out) {
  std::vector<std::pair<std::string, std::string>> ids;  // id, pointer
  if (node.is_string()) {
    ids.emplace_back(node.get_ref<const std::string&>(), at);
  } else if (node.is_array() && !node.empty()) {
    for (size_t i = 0; i < node.size(); ++i) {
      const std::string here = at + "/" + std::to_string(i);
      if (node[i].is_string()) {
        ids.emplace_back(node[i].get_ref<const std::string&>(), here);
      } else {
        check->fail(here, "expected an instrument id");
      }
    }
  } else {
    check->fail(at, "expected an instrument id or a non-empty list of them");
  }
  for (const auto& [id, pointer] : ids) {
    if (!library.knows(id)) {
      check->fail(pointer, "unknown instrument \"" + id + "\"");
    } else if (std::find(moment->instruments.begin(), moment->instruments.end(), id) !=
               moment->instruments.end()) {
      check->fail(pointer, "\"" + id + "\" is listed twice");
    } else {
      moment->instruments.push_back(id);
      out->push_back(id);
    }
  }
}

// "instruments": each entry an instrument id, or {"purpose", "alternatives": [id or [ids]...],
// "fallback_note"?}.
void load_questionnaires(Checker* check, const json& node, const std::string& at,
                         const Library& library, JourneyMoment* moment) {
  const json* list = check->member(node, at, "instruments", json::value_t::array);
  if (list == nullptr) return;
  const std::string here = at + "/instruments";
  if (list->empty()) check->fail(here, "must not be empty");
  for (size_t i = 0; i < list->size(); ++i) {
    const json& entry = (*list)[i];
    const std::string entry_at = here + "/" + std::to_string(i);
    QuestionnaireChoice choice;
    choice.library = &library;
    if (entry.is_string()) {
      choice.purpose = entry.get_ref<const std::string&>();
      choice.alternatives.emplace_back();
      load_alternative(check, entry, entry_at, library, moment, &choice.alternatives.back());
    } else if (entry.is_object()) {
      for (auto it = entry.begin(); it != entry.end(); ++it) {
        if (it.key() != "purpose" && it.key() != "alternatives" && it.key() != "fallback_note") {
          check->fail(entry_at + "/" + json_pointer_token(it.key()), "unknown key");
        }
      }
      check->string(entry, entry_at, "purpose", &choice.purpose);
      if (entry.find("fallback_note") != entry.end()) {
        check->text(entry, entry_at, "fallback_note", &choice.fallback_note);
      }
      const json* alternatives =
          check->member(entry, entry_at, "alternatives", json::value_t::array);
      if (alternatives != nullptr) {
        if (alternatives->empty()) check->fail(entry_at + "/alternatives", "must not be empty");
        for (size_t a = 0; a < alternatives->size(); ++a) {
          choice.alternatives.emplace_back();
          load_alternative(check, (*alternatives)[a],
                           entry_at + "/alternatives/" + std::to_string(a), library, moment,
                           &choice.alternatives.back());
        }
      }
    } else {
      check->fail(entry_at, "expected an instrument id or an object with alternatives");
      continue;
    }
    moment->questionnaires.push_back(std::move(choice));
  }
}

void load_moment(Checker* check, const json& node, const std::string& at, const Library& library,
                 bool for_parents, JourneyMoment* moment) {
  if (!node.is_object()) {
    check->fail(at, "expected an object");
    return;
  }
  if (check->string(node, at, "id", &moment->id) && !valid_id(moment->id)) {
    check->fail(at + "/id", "\"" + moment->id + "\" must match [a-z0-9_]+");
  }
  if (check->string(node, at, "stage", &moment->stage) && !one_of(moment->stage, kStages)) {
    check->fail(at + "/stage", "unknown stage \"" + moment->stage +
                                   "\" (expected \"pregnancy\" or \"postpartum\")");
  }
  if (const json* window = check->member(node, at, "window", json::value_t::object)) {
    std::string here = at + "/window";
    moment->start_week = check->week(*window, here, "start_week");
    moment->end_week = check->week(*window, here, "end_week");
    if (moment->start_week >= 0 && moment->end_week >= 0) {
      if (moment->end_week < moment->start_week) {
        check->fail(here, "end_week " + std::to_string(moment->end_week) +
                              " is before start_week " + std::to_string(moment->start_week));
      }
      if (moment->stage == "pregnancy" && moment->end_week > kMaxPregnancyWeek) {
        check->fail(here + "/end_week",
                    "a pregnancy window must end by week " + std::to_string(kMaxPregnancyWeek));
      }
    }
  }
  check->strings(node, at, "roles", &moment->roles, false);
  for (size_t i = 0; i < moment->roles.size(); ++i) {
    if (!one_of(moment->roles[i], kRoles)) {
      check->fail(at + "/roles/" + std::to_string(i),
                  "unknown role \"" + moment->roles[i] + "\" (expected \"mother\" or \"partner\")");
    }
  }
  load_questionnaires(check, node, at, library, moment);
  check->strings(node, at, "elements", &moment->elements, true);
  check->text(node, at, "name", &moment->name);
  check->text(node, at, "description", &moment->description);
  check->text(node, at, "programme", &moment->programme);
  // For professionals: required in the source file, left out of a file for parents (`languages`).
  for (auto [key, out] :
       {std::pair{"reasoning", &moment->reasoning}, {"source", &moment->source}}) {
    if (!for_parents || node.find(key) != node.end()) check->string(node, at, key, out);
  }
}

void load_element(Checker* check, const json& node, const std::string& at,
                  RelationshipElement* element) {
  if (!node.is_object()) {
    check->fail(at, "expected an object");
    return;
  }
  if (check->string(node, at, "id", &element->id) && !valid_id(element->id)) {
    check->fail(at + "/id", "\"" + element->id + "\" must match [a-z0-9_]+");
  }
  check->text(node, at, "title", &element->title);
  check->text(node, at, "summary", &element->summary);
  check->texts(node, at, "paragraphs", &element->paragraphs);
  check->texts(node, at, "try_this", &element->try_this);
}

void load_support(Checker* check, const json& root, AdviceByLanguage* support, Text* sharing) {
  const json* node = check->member(root, "", "support", json::value_t::object);
  if (node == nullptr) return;
  check->check_languages(*node, "/support");
  for (const std::string& language : check->languages()) {
    std::string at = "/support/" + language;
    const json* advice = check->member(*node, "/support", language.c_str(), json::value_t::object);
    if (advice == nullptr) continue;
    AdviceText& text = (*support)[language];
    check->string(*advice, at, "title", &text.title);
    check->string(*advice, at, "text", &text.text);
    check->strings(*advice, at, "steps", &text.steps, true);
    check->string(*advice, at, "sharing", &(*sharing)[language]);
  }
}

bool moment_order(const JourneyMoment& a, const JourneyMoment& b) {
  bool a_pregnant = a.stage == "pregnancy";
  bool b_pregnant = b.stage == "pregnancy";
  if (a_pregnant != b_pregnant) return a_pregnant;
  return a.start_week < b.start_week;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Floor division (C++ `/` truncates towards zero; weeks before a date must round down).
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool field_date(const std::string& text, const char* pointer, Date* date, Error* error) {
  if (parse_date(text, date)) return true;
  if (error != nullptr) {
    *error = Error{"", pointer, "\"" + text + "\" is not a date (expected YYYY-MM-DD, 1900-2199)"};
  }
  return false;
}

void set_error(Error* error, const char* pointer, std::string message) {
  if (error != nullptr) *error = Error{"", pointer, std::move(message)};
}

std::string_view text_in(const Text& text, std::string_view language) {
  auto it = text.find(std::string(language));
  return it == text.end() ? std::string_view() : std::string_view(it->second);
}

void write_strings(JsonWriter* out, const std::vector<std::string>& values) {
  out->begin_array();
  for (const std::string& value : values) out->string(value);
  out->end_array();
}

void write_texts(JsonWriter* out, const std::map<std::string, std::vector<std::string>>& texts,
                 std::string_view language) {
  auto it = texts.find(std::string(language));
  if (it == texts.end()) {
    out->begin_array();
    out->end_array();
  } else {
    write_strings(out, it->second);
  }
}

void write_date_or_null(JsonWriter* out, bool has, const Date& date) {
  if (has) {
    out->string(format_date(date));
  } else {
    out->null();
  }
}

}  // namespace

bool parse_date(std::string_view text, Date* date) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (int i = 0; i < lengths[p]; ++i) {
      char c = text[starts[p] + i];
      if (c < '0' || c > '9') return false;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  if (parts[0] < 1900 || parts[0] > 2199 || parts[1] < 1 || parts[1] > 12 || parts[2] < 1 ||
      parts[2] > days_in_month(parts[0], parts[1])) {
    return false;
  }
  date->year = parts[0];
  date->month = parts[1];
  date->day = parts[2];
  return true;
}

std::string format_date(const Date& date) {
  char buffer[11];
  int values[3] = {date.year, date.month, date.day};
  int widths[3] = {4, 2, 2};
  int pos = 0;
  for (int p = 0; p < 3; ++p) {
    if (p > 0) buffer[pos++] = '-';
    int value = values[p];
    for (int i = widths[p] - 1; i >= 0; --i) {
      buffer[pos + i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    pos += widths[p];
  }
  return std::string(buffer, 10);
}

// Howard Hinnant's days_from_civil / civil_from_days (public domain), integer-only.
int64_t days_from_date(const Date& date) {
  int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  int64_t era = floor_div(y, 400);
  int64_t year_of_era = y - era * 400;
  int64_t m = date.month;
  int64_t day_of_year = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

Date date_from_days(int64_t days) {
  days += 719468;
  int64_t era = floor_div(days, 146097);
  int64_t day_of_era = days - era * 146097;
  int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t mp = (5 * day_of_year + 2) / 153;
  Date date;
  date.day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  date.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  date.year = static_cast<int>(year_of_era + era * 400 + (date.month <= 2 ? 1 : 0));
  return date;
}

bool load_journey(std::string_view file_name, std::string_view json_text, const Library& library,
                  Journey* journey, std::vector<Error>* errors) {
  Checker check(file_name, errors);
  json root;
  ParseFailure failure;
  if (!parse_json(json_text, &root, &failure)) {
    check.fail("", failure.message);
    return false;
  }
  if (!root.is_object()) {
    check.fail("", "expected an object");
    return false;
  }
  *journey = Journey();
  journey->file_name = std::string(file_name);
  // A file for parents names its languages and may leave out what only professionals read.
  const bool for_parents = root.find("languages") != root.end();
  if (for_parents) {
    std::vector<std::string> languages;
    check.strings(root, "", "languages", &languages, false);
    for (size_t i = 0; i < languages.size(); ++i) {
      if (!one_of(languages[i], kLanguages)) {
        check.fail("/languages/" + std::to_string(i),
                   "unknown language \"" + languages[i] + "\" (expected \"nl\" or \"en\")");
      }
    }
    if (!check.ok()) return false;
    check.set_languages(std::move(languages));
  }
  journey->languages = check.languages();
  if (check.string(root, "", "id", &journey->id) && !valid_id(journey->id)) {
    check.fail("/id", "\"" + journey->id + "\" must match [a-z0-9_]+");
  }
  check.string(root, "", "version", &journey->version);
  check.text(root, "", "name", &journey->name);
  if (!for_parents || root.find("source") != root.end()) {
    check.string(root, "", "source", &journey->source);
  }

  if (const json* elements = check.member(root, "", "elements", json::value_t::array)) {
    for (size_t i = 0; i < elements->size(); ++i) {
      std::string at = "/elements/" + std::to_string(i);
      RelationshipElement element;
      load_element(&check, (*elements)[i], at, &element);
      for (const RelationshipElement& other : journey->elements) {
        if (!element.id.empty() && other.id == element.id) {
          check.fail(at + "/id", "duplicate element id \"" + element.id + "\"");
        }
      }
      journey->elements.push_back(std::move(element));
    }
  }
  auto element_exists = [journey](const std::string& id) {
    for (const RelationshipElement& element : journey->elements) {
      if (element.id == id) return true;
    }
    return false;
  };

  if (const json* moments = check.member(root, "", "moments", json::value_t::array)) {
    if (moments->empty()) check.fail("/moments", "must not be empty");
    for (size_t i = 0; i < moments->size(); ++i) {
      std::string at = "/moments/" + std::to_string(i);
      JourneyMoment moment;
      load_moment(&check, (*moments)[i], at, library, for_parents, &moment);
      for (size_t e = 0; e < moment.elements.size(); ++e) {
        if (!element_exists(moment.elements[e])) {
          check.fail(at + "/elements/" + std::to_string(e),
                     "unknown element \"" + moment.elements[e] + "\"");
        }
      }
      for (const JourneyMoment& other : journey->moments) {
        if (!moment.id.empty() && other.id == moment.id) {
          check.fail(at + "/id", "duplicate moment id \"" + moment.id + "\"");
        }
      }
      journey->moments.push_back(std::move(moment));
    }
  }

  check.strings(root, "", "element_instruments", &journey->element_instruments, true);
  for (size_t i = 0; i < journey->element_instruments.size(); ++i) {
    if (!library.knows(journey->element_instruments[i])) {
      check.fail("/element_instruments/" + std::to_string(i),
                 "unknown instrument \"" + journey->element_instruments[i] + "\"");
    }
  }
  load_support(&check, root, &journey->support, &journey->support_sharing);

  for (auto it = root.begin(); it != root.end(); ++it) {
    static const char* const kKeys[] = {"id",       "version", "languages",
                                        "name",     "source",  "moments",
                                        "elements", "support", "element_instruments"};
    if (!one_of(it.key(), kKeys)) check.fail("/" + json_pointer_token(it.key()), "unknown key");
  }
  // Stable (moments in the same place keep the file's order): an insertion sort, as
  // std::stable_sort would sort them, at a fraction of its code in the browser's engine (a few
  // dozen moments).
  std::vector<JourneyMoment>& moments = journey->moments;
  for (size_t i = 1; i < moments.size(); ++i) {
    for (size_t j = i; j > 0 && moment_order(moments[j], moments[j - 1]); --j) {
      std::swap(moments[j], moments[j - 1]);
    }
  }
  return check.ok();
}

bool builtin_journey(const Library& library, Journey* journey, std::vector<Error>* errors) {
  int count = 0;
  bool ok = true;
  for (const EmbeddedFile* file = k_builtin_journey_files; file->name != nullptr; ++file) {
    ++count;
    if (count == 1) ok = load_journey(file->name, file->content, library, journey, errors);
  }
  if (count != 1) {
    if (errors != nullptr) {
      errors->push_back(Error{"engine/journeys", "",
                              "expected exactly one journey file, found " + std::to_string(count)});
    }
    return false;
  }
  return ok;
}

bool parse_journey_input(std::string_view json_text, JourneyInput* input, Error* error) {
  json root;
  ParseFailure failure;
  if (!parse_json(json_text, &root, &failure) || !root.is_object()) {
    set_error(error, "", "expected a JSON object");
    return false;
  }
  *input = JourneyInput();
  struct Field {
    const char* key;
    std::string* value;
  };
  const Field fields[] = {{"role", &input->role},
                          {"due_date", &input->due_date},
                          {"birth_date", &input->birth_date},
                          {"today", &input->today}};
  for (auto it = root.begin(); it != root.end(); ++it) {
    const Field* field = nullptr;
    for (const Field& f : fields) {
      if (it.key() == f.key) field = &f;
    }
    std::string pointer = "/" + json_pointer_token(it.key());
    if (field == nullptr) {
      if (error != nullptr) *error = Error{"", pointer, "unknown key"};
      return false;
    }
    if (it->is_null()) continue;
    if (!it->is_string()) {
      if (error != nullptr) *error = Error{"", pointer, "expected a string or null"};
      return false;
    }
    *field->value = it->get_ref<const std::string&>();
  }
  return true;
}

bool compute_journey(const Journey& journey, const JourneyInput& input, JourneyPlan* plan,
                     Error* error) {
  *plan = JourneyPlan();
  plan->journey = &journey;
  if (!one_of(input.role, kRoles)) {
    set_error(error, "/role",
              "unknown role \"" + input.role + "\" (expected \"mother\" or \"partner\")");
    return false;
  }
  plan->role = input.role;
  if (!field_date(input.today, "/today", &plan->today, error)) return false;
  if (input.due_date.empty() && input.birth_date.empty()) {
    set_error(error, "/due_date", "give a due date or a birth date");
    return false;
  }
  if (!input.due_date.empty()) {
    if (!field_date(input.due_date, "/due_date", &plan->due_date, error)) return false;
    plan->has_due_date = true;
  }
  if (!input.birth_date.empty()) {
    if (!field_date(input.birth_date, "/birth_date", &plan->birth_date, error)) return false;
    plan->has_birth_date = true;
  }

  const int64_t today = days_from_date(plan->today);
  const int64_t due = days_from_date(plan->due_date);
  const int64_t birth = days_from_date(plan->birth_date);
  if (plan->has_birth_date && birth > today) {
    set_error(error, "/birth_date",
              "the birth date " + input.birth_date + " is after today (" + input.today + ")");
    return false;
  }
  if (plan->has_birth_date && plan->has_due_date) {
    int64_t gestation_at_birth = kPregnancyDays - (due - birth);
    if (gestation_at_birth < kMinBirthGestationDays ||
        gestation_at_birth > kMaxBirthGestationDays) {
      set_error(error, "/birth_date",
                "the birth date " + input.birth_date + " does not fit the due date " +
                    input.due_date + " (expected between 20+0 and 44+0 weeks of pregnancy)");
      return false;
    }
  }
  if (!plan->has_birth_date && kPregnancyDays - (due - today) < 0) {
    set_error(error, "/due_date",
              "the due date " + input.due_date + " is more than 40 weeks after today (" +
                  input.today + ")");
    return false;
  }

  // Day 0 of the current stage: conception-dating day (due - 280) or the (estimated) birth day.
  int64_t stage_day0 = 0;
  if (plan->has_birth_date) {
    plan->stage = "postpartum";
    stage_day0 = birth;
  } else if (today <= due) {
    plan->stage = "pregnancy";
    stage_day0 = due - kPregnancyDays;
  } else {
    plan->stage = "postpartum";
    plan->birth_estimated = true;
    stage_day0 = due;
  }
  const int64_t days_in_stage = today - stage_day0;
  plan->week = static_cast<int>(days_in_stage / 7);  // days_in_stage >= 0 here
  plan->day = static_cast<int>(days_in_stage % 7);
  plan->context.role = plan->role;
  plan->context.stage = plan->stage;
  plan->context.week = plan->week;

  // Where each stage's day 0 lies, where known: pregnancy needs the due date; postpartum uses the
  // birth date, or the due date as an estimate.
  const bool pregnancy_known = plan->has_due_date;
  const int64_t pregnancy_day0 = due - kPregnancyDays;
  const bool birth_known = plan->has_birth_date;
  const int64_t postpartum_day0 = birth_known ? birth : due;

  for (const JourneyMoment& moment : journey.moments) {
    if (std::find(moment.roles.begin(), moment.roles.end(), plan->role) == moment.roles.end()) {
      continue;
    }
    PlannedMoment planned;
    planned.moment = &moment;
    const bool pregnancy_moment = moment.stage == "pregnancy";
    if (moment.stage != plan->stage) {
      // The other stage: pregnancy moments are past once postpartum, postpartum ones upcoming.
      planned.status = pregnancy_moment ? MomentStatus::kPast : MomentStatus::kUpcoming;
    } else if (plan->week > moment.end_week) {
      planned.status = MomentStatus::kPast;
    } else if (plan->week >= moment.start_week) {
      planned.status = MomentStatus::kDue;
    } else {
      planned.status = MomentStatus::kUpcoming;
    }
    planned.has_dates = pregnancy_moment ? pregnancy_known : true;
    planned.dates_estimated = !pregnancy_moment && !birth_known;
    if (planned.has_dates) {
      int64_t day0 = pregnancy_moment ? pregnancy_day0 : postpartum_day0;
      planned.start_date = date_from_days(day0 + 7 * int64_t{moment.start_week});
      planned.end_date = date_from_days(day0 + 7 * int64_t{moment.end_week} + 6);
    }
    plan->moments.push_back(planned);
  }
  return true;
}

std::string_view status_name(MomentStatus status) {
  switch (status) {
    case MomentStatus::kPast:
      return "past";
    case MomentStatus::kDue:
      return "due";
    case MomentStatus::kUpcoming:
      return "upcoming";
  }
  return "upcoming";
}

std::string journey_plan_to_json(const JourneyPlan& plan, std::string_view language) {
  JsonWriter out;
  const Journey& journey = *plan.journey;
  out.begin_object();
  out.key("journey");
  out.string(journey.id);
  out.key("version");
  out.string(journey.version);
  out.key("language");
  out.string(language);
  out.key("name");
  out.string(text_in(journey.name, language));
  out.key("role");
  out.string(plan.role);
  out.key("today");
  out.string(format_date(plan.today));
  out.key("due_date");
  write_date_or_null(&out, plan.has_due_date, plan.due_date);
  out.key("birth_date");
  write_date_or_null(&out, plan.has_birth_date, plan.birth_date);
  out.key("birth_estimated");
  out.boolean(plan.birth_estimated);
  out.key("stage");
  out.string(plan.stage);
  out.key("week");
  out.integer(plan.week);
  out.key("day");
  out.integer(plan.day);
  out.key("context");
  out.begin_object();
  out.key("role");
  out.string(plan.context.role);
  out.key("stage");
  out.string(plan.context.stage);
  out.key("week");
  out.integer(plan.context.week);
  out.end_object();
  out.key("moments");
  out.begin_array();
  for (const PlannedMoment& planned : plan.moments) {
    const JourneyMoment& moment = *planned.moment;
    out.begin_object();
    out.key("id");
    out.string(moment.id);
    out.key("status");
    out.string(status_name(planned.status));
    out.key("stage");
    out.string(moment.stage);
    out.key("start_week");
    out.integer(moment.start_week);
    out.key("end_week");
    out.integer(moment.end_week);
    out.key("start_date");
    write_date_or_null(&out, planned.has_dates, planned.start_date);
    out.key("end_date");
    write_date_or_null(&out, planned.has_dates, planned.end_date);
    out.key("dates_estimated");
    out.boolean(planned.dates_estimated);
    out.key("name");
    out.string(text_in(moment.name, language));
    out.key("description");
    out.string(text_in(moment.description, language));
    out.key("programme");
    out.string(text_in(moment.programme, language));
    std::vector<OfferedQuestionnaire> offers;
    std::vector<std::string> offered_ids;
    for (const QuestionnaireChoice& choice : moment.questionnaires) {
      offers.push_back(offer(choice, language));
      offered_ids.insert(offered_ids.end(), offers.back().offered.begin(),
                         offers.back().offered.end());
    }
    out.key("instruments");
    write_strings(&out, offered_ids);
    out.key("questionnaires");
    out.begin_array();
    for (const OfferedQuestionnaire& offered : offers) {
      out.begin_object();
      out.key("purpose");
      out.string(offered.choice->purpose);
      out.key("offered");
      write_strings(&out, offered.offered);
      out.key("instead_of");
      write_strings(&out, offered.skipped);
      out.key("reason");
      out.string(offered.offered.empty() ? "no_wording_in_language"
                 : offered.first_choice  ? "first_choice"
                                         : "first_choice_has_no_wording_in_language");
      out.key("note");
      if (!offered.first_choice && !offered.offered.empty() &&
          !offered.choice->fallback_note.empty()) {
        out.string(text_in(offered.choice->fallback_note, language));
      } else {
        out.null();
      }
      out.end_object();
    }
    out.end_array();
    out.key("elements");
    write_strings(&out, moment.elements);
    // Not in a journey file for parents: then not in its plans either.
    if (!moment.reasoning.empty()) {
      out.key("reasoning");
      out.string(moment.reasoning);
    }
    if (!moment.source.empty()) {
      out.key("source");
      out.string(moment.source);
    }
    out.end_object();
  }
  out.end_array();
  out.end_object();
  return out.release();
}

OfferedQuestionnaire offer(const QuestionnaireChoice& choice, std::string_view language) {
  OfferedQuestionnaire result;
  result.choice = &choice;
  for (const std::vector<std::string>& alternative : choice.alternatives) {
    bool fillable = !alternative.empty() && choice.library != nullptr;
    for (const std::string& id : alternative) {
      fillable = fillable && choice.library->has_wording(id, language);
    }
    if (fillable) {
      result.offered = alternative;
      return result;
    }
    result.first_choice = false;
    result.skipped.insert(result.skipped.end(), alternative.begin(), alternative.end());
  }
  return result;
}

std::string journey_content_to_json(const Journey& journey, std::string_view language) {
  JsonWriter out;
  out.begin_object();
  out.key("journey");
  out.string(journey.id);
  out.key("language");
  out.string(language);
  out.key("elements");
  out.begin_array();
  for (const RelationshipElement& element : journey.elements) {
    out.begin_object();
    out.key("id");
    out.string(element.id);
    out.key("title");
    out.string(text_in(element.title, language));
    out.key("summary");
    out.string(text_in(element.summary, language));
    out.key("paragraphs");
    write_texts(&out, element.paragraphs, language);
    out.key("try_this");
    write_texts(&out, element.try_this, language);
    out.end_object();
  }
  out.end_array();
  out.key("element_instruments");
  write_strings(&out, journey.element_instruments);
  out.key("support");
  auto support = journey.support.find(std::string(language));
  if (support == journey.support.end()) {
    out.null();
  } else {
    out.begin_object();
    out.key("title");
    out.string(support->second.title);
    out.key("text");
    out.string(support->second.text);
    out.key("steps");
    write_strings(&out, support->second.steps);
    out.key("sharing");
    out.string(text_in(journey.support_sharing, language));
    out.end_object();
  }
  out.end_object();
  return out.release();
}

}  // namespace kindband
