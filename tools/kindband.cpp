// kindband: the command line for the scoring engine.
//
//   kindband list
//   kindband show ID [--lang nl|en] [--json]
//   kindband validate FILE...
//   kindband score --instrument ID [--context role=..,stage=..,week=..] --answers 0,1,,3 [--lang
//   nl|en] kindband score --instrument ID [--context ...] --csv FILE [--lang nl|en]
//   kindband journey --role mother|partner --due DATE|--birth DATE [--today DATE] [--lang nl|en]
//                    [--json]
//   kindband wording-pack template ID --lang nl|en
//   kindband fhir questionnaire ID --lang nl|en | fhir share FILE | fhir import FILE
//
// Exit codes: 0 ok, 2 usage error, 3 invalid input. Messages go to stderr; results to stdout.
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "kindband/conversation.h"
#include "kindband/engine.h"
#include "kindband/fhir.h"
#include "kindband/journey.h"

namespace {

constexpr int kOk = 0;
constexpr int kUsage = 2;
constexpr int kInvalid = 3;

const char kUsageText[] =
    "usage:\n"
    "  kindband list\n"
    "  kindband show ID [--lang nl|en] [--json]\n"
    "  kindband validate FILE...            (instruments, wording packs, journeys or "
    "conversations)\n"
    "  kindband score --instrument ID [--context role=mother|partner,stage=pregnancy|postpartum,"
    "week=N]\n"
    "                 (--answers 0,1,,3 | --csv FILE) [--lang nl|en] [--wording-pack FILE]...\n"
    "answers are option positions (0-based, printed order); an empty position is a missing "
    "answer.\n"
    "  kindband journey --role mother|partner (--due YYYY-MM-DD | --birth YYYY-MM-DD)\n"
    "                   [--today YYYY-MM-DD] [--lang nl|en] [--json]\n"
    "  kindband wording-pack template ID --lang nl|en   (a pack with every key to fill)\n"
    "  kindband fhir questionnaire ID --lang nl|en [--wording-pack FILE]...  (FHIR R4, SDC)\n"
    "  kindband fhir share SHARE.json    (a stored share as a FHIR Bundle)\n"
    "  kindband fhir import Questionnaire.json   (a draft instrument file; see kindband "
    "validate)\n"
    "exit codes: 0 ok, 2 usage error, 3 invalid input\n";

int usage_error(const std::string& message) {
  std::cerr << "kindband: " << message << "\n" << kUsageText;
  return kUsage;
}

bool read_file(const std::string& path, std::string* content) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *content = buffer.str();
  return true;
}

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void print_errors(const std::vector<kindband::Error>& errors) {
  for (const kindband::Error& e : errors) std::cerr << e.to_string() << "\n";
}

// Parses "0,1,,3" into positions; an empty field is a missing answer.
bool parse_answers(const std::string& text, kindband::Answers* answers, std::string* message) {
  answers->clear();
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string field =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t first = field.find_first_not_of(" \t\r");
    size_t last = field.find_last_not_of(" \t\r");
    field = first == std::string::npos ? "" : field.substr(first, last - first + 1);
    if (field.empty()) {
      answers->push_back(kindband::kMissing);
    } else {
      bool digits = field.size() <= 6;
      int value = 0;
      for (char c : field) {
        digits = digits && c >= '0' && c <= '9';
        if (digits) value = value * 10 + (c - '0');
      }
      if (!digits) {
        *message = "/answers/" + std::to_string(answers->size()) + ": '" + field +
                   "' is not an option position (a whole number from 0)";
        return false;
      }
      answers->push_back(value);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

struct Options {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> named;  // --name value
  std::map<std::string, bool> flags;                      // --name
};

bool parse_options(int argc, char** argv, int first, Options* out, std::string* message) {
  static const char* const kWithValue[] = {"--instrument", "--context",      "--answers", "--csv",
                                           "--lang",       "--wording-pack", "--role",    "--due",
                                           "--birth",      "--today"};
  static const char* const kFlags[] = {"--json"};
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      out->positional.push_back(arg);
      continue;
    }
    std::string value;
    size_t equals = arg.find('=');
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
      arg = arg.substr(0, equals);
    }
    bool known_value = false, known_flag = false;
    for (const char* k : kWithValue) known_value = known_value || arg == k;
    for (const char* k : kFlags) known_flag = known_flag || arg == k;
    if (known_flag) {
      out->flags[arg] = true;
    } else if (known_value) {
      if (equals == std::string::npos) {
        if (i + 1 >= argc) {
          *message = arg + " needs a value";
          return false;
        }
        value = argv[++i];
      }
      out->named[arg].push_back(value);
    } else {
      *message = "unknown option " + arg;
      return false;
    }
  }
  return true;
}

const std::string* single(const Options& options, const std::string& name) {
  auto it = options.named.find(name);
  return it == options.named.end() ? nullptr : &it->second.back();
}

int load_library(const Options& options, kindband::Library* library) {
  std::vector<kindband::Error> errors;
  *library = kindband::Library::builtin(&errors);
  if (!errors.empty()) {
    print_errors(errors);
    return kInvalid;
  }
  auto packs = options.named.find("--wording-pack");
  if (packs == options.named.end()) return kOk;
  for (const std::string& path : packs->second) {
    std::string content;
    if (!read_file(path, &content)) {
      std::cerr << path << ": cannot read file\n";
      return kInvalid;
    }
    if (!library->add_wording_pack(base_name(path), content, &errors)) {
      print_errors(errors);
      return kInvalid;
    }
  }
  return kOk;
}

std::string text_in(const kindband::Text& text, const std::string& language) {
  auto it = text.find(language);
  return it == text.end() ? std::string() : it->second;
}

int command_list(const Options& options) {
  kindband::Library library;
  if (int rc = load_library(options, &library)) return rc;
  std::string lang = single(options, "--lang") ? *single(options, "--lang") : "en";
  for (const kindband::Instrument* in : library.instruments()) {
    std::string short_name = text_in(in->short_name, lang);
    std::printf("%-30s %-10s %-8s %s\n", in->id.c_str(), in->version.c_str(),
                short_name.empty() ? "-" : short_name.c_str(), text_in(in->name, lang).c_str());
  }
  return kOk;
}

int command_show(const Options& options) {
  if (options.positional.size() != 1) return usage_error("show needs one instrument id");
  kindband::Library library;
  if (int rc = load_library(options, &library)) return rc;
  const kindband::Instrument* in = library.find(options.positional[0]);
  if (!in) {
    std::cerr << "kindband: unknown instrument '" << options.positional[0]
              << "' (see kindband list)\n";
    return kInvalid;
  }
  std::string lang = single(options, "--lang") ? *single(options, "--lang") : "en";
  if (lang != "nl" && lang != "en") return usage_error("--lang must be nl or en");
  if (options.flags.count("--json")) {
    std::cout << kindband::instrument_to_json(*in, lang) << "\n";
    return kOk;
  }
  std::cout << text_in(in->name, lang) << " (" << in->id << ", version " << in->version << ")\n"
            << "  " << in->authors << " " << in->year << ". " << in->citation << "\n"
            << "  licence: " << in->licence << "\n";
  auto wording = in->wording.find(lang);
  std::cout << "  wording (" << lang << "): "
            << (wording == in->wording.end()
                    ? std::string("none shipped (supply a wording pack)")
                    : (wording->second.validated ? "validated: " : "not validated: ") +
                          wording->second.source)
            << "\n\nItems:\n";
  for (const kindband::Item& item : in->items) {
    std::string text = text_in(item.text, lang);
    std::cout << "  " << item.id << ". " << (text.empty() ? "(no wording)" : text)
              << (item.scored ? "" : "  [not scored]") << (item.required ? "" : "  [optional]")
              << "\n";
    for (size_t o = 0; o < item.options.size(); ++o) {
      std::string label = text_in(item.options[o].label, lang);
      std::cout << "       " << o << ": " << (label.empty() ? "(no wording)" : label) << " = "
                << kindband::format_hundredths(item.options[o].value_hundredths) << "\n";
    }
  }
  std::cout << "\nScales:\n";
  for (const kindband::Scale& scale : in->scales) {
    std::cout << "  " << scale.id << " (" << kindband::format_hundredths(scale.min_hundredths)
              << "-" << kindband::format_hundredths(scale.max_hundredths) << ")\n";
    for (const kindband::BandSet& set : scale.band_sets) {
      std::cout << "    band set " << set.id << (set.verified ? "" : " [UNVERIFIED]") << ": ";
      for (const kindband::Band& band : set.bands) {
        std::cout << band.id << " " << kindband::format_hundredths(band.min_hundredths) << "-"
                  << kindband::format_hundredths(band.max_hundredths) << "  ";
      }
      std::cout << "\n      source: " << set.source << "\n";
    }
  }
  for (const kindband::SafetyRule& rule : in->safety_rules) {
    std::cout << "Safety rule " << rule.id << ": "
              << (rule.item_index >= 0
                      ? "item " + in->items[static_cast<size_t>(rule.item_index)].id
                      : "scale " + in->scales[static_cast<size_t>(rule.scale_index)].id)
              << (rule.has_max_score ? " <= " : " >= ")
              << kindband::format_hundredths(rule.has_max_score ? rule.max_score_hundredths
                                                                : rule.min_score_hundredths)
              << " (" << rule.source << ")\n";
  }
  return kOk;
}

int command_validate(const Options& options) {
  if (options.positional.empty()) return usage_error("validate needs at least one file");
  std::vector<kindband::Error> errors;
  kindband::Library library = kindband::Library::builtin(&errors);
  bool all_valid = errors.empty();
  print_errors(errors);
  for (const std::string& path : options.positional) {
    std::string content;
    if (!read_file(path, &content)) {
      std::cerr << path << ": cannot read file\n";
      all_valid = false;
      continue;
    }
    errors.clear();
    // A wording pack says so, a journey has moments, a conversation has judgements; anything
    // else is read as an instrument.
    bool is_pack = content.find("\"wording_pack\"") != std::string::npos;
    bool is_journey = !is_pack && content.find("\"moments\"") != std::string::npos;
    bool is_conversation = !is_pack && !is_journey &&
                           content.find("\"judgements\"") != std::string::npos &&
                           content.find("\"sections\"") != std::string::npos;
    kindband::Journey journey;
    kindband::conversation::Conversation conversation;
    bool valid = is_pack ? library.add_wording_pack(base_name(path), content, &errors)
                 : is_journey
                     ? kindband::load_journey(base_name(path), content, library, &journey, &errors)
                 : is_conversation
                     ? kindband::conversation::load_conversation(base_name(path), content, library,
                                                                 &conversation, &errors)
                     : kindband::Library::validate_instrument(base_name(path), content, &errors);
    print_errors(errors);
    if (valid) std::cout << path << ": ok\n";
    all_valid = all_valid && valid;
  }
  return all_valid ? kOk : kInvalid;
}

// `"result":{...}` and, when a language is given, `,"advice":{...}`.
std::string result_members(const kindband::Result& result, const std::string& lang) {
  std::string out = "\"result\":" + kindband::to_json(result);
  if (lang.empty()) return out;
  kindband::Advice advice;
  kindband::Error error;
  kindband::advise(result, lang, &advice, &error);
  return out + ",\"advice\":" + kindband::to_json(advice);
}

int command_score(const Options& options) {
  const std::string* id = single(options, "--instrument");
  const std::string* answers_text = single(options, "--answers");
  const std::string* csv = single(options, "--csv");
  if (!id) return usage_error("score needs --instrument ID");
  if ((answers_text != nullptr) == (csv != nullptr)) {
    return usage_error("score needs either --answers or --csv");
  }
  if (!options.positional.empty())
    return usage_error("unexpected argument " + options.positional[0]);
  std::string lang = single(options, "--lang") ? *single(options, "--lang") : "";
  if (!lang.empty() && lang != "nl" && lang != "en") return usage_error("--lang must be nl or en");
  kindband::Context context;
  if (const std::string* context_text = single(options, "--context")) {
    kindband::Error error;
    if (!kindband::parse_context(*context_text, &context, &error)) {
      return usage_error("--context: " + error.to_string());
    }
  }
  kindband::Library library;
  if (int rc = load_library(options, &library)) return rc;
  const kindband::Instrument* in = library.find(*id);
  if (!in) {
    std::cerr << "kindband: unknown instrument '" << *id << "' (see kindband list)\n";
    return kInvalid;
  }

  kindband::Answers answers;
  kindband::Result result;
  kindband::Error error;
  std::string message;
  if (answers_text) {
    if (!parse_answers(*answers_text, &answers, &message)) {
      std::cerr << in->id << ": " << message << "\n";
      return kInvalid;
    }
    if (!kindband::score_instrument(*in, answers, context, &result, &error)) {
      std::cerr << error.to_string() << "\n";
      return kInvalid;
    }
    // Without --lang the output is the result itself; with it, {"result":...,"advice":...}.
    std::cout << (lang.empty() ? kindband::to_json(result)
                               : "{" + result_members(result, lang) + "}")
              << "\n";
    return kOk;
  }

  // Batch: one response per line; a line may start with a response id when it has one field more
  // than the instrument has items, or than the fewest answers it takes (PHQ-9: 9, its closing
  // question may be left out). Bad lines are reported and skipped.
  std::ifstream in_file(*csv, std::ios::binary);
  if (!in_file) {
    std::cerr << *csv << ": cannot read file\n";
    return kInvalid;
  }
  std::string line;
  int line_number = 0, bad_lines = 0;
  const size_t item_count = in->items.size();
  const size_t fewest = kindband::fewest_answers(*in);
  while (std::getline(in_file, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#') continue;
    std::string response_id;
    size_t fields = 1;
    for (char c : line) fields += c == ',';
    std::string where = base_name(*csv) + ":" + std::to_string(line_number) + ": ";
    if (fields > fewest && fields <= item_count + 1) {
      size_t comma = line.find(',');
      std::string first = line.substr(0, comma);
      kindband::Answers one;
      // Up to as many fields as the items, some of which may be left out: all answers, or an id
      // and fewer answers? Only an id that is no option position tells them apart.
      const bool position = parse_answers(first, &one, &message);
      if (fields <= item_count && position) {
        std::cerr << where << "/answers: " << fields << " fields are " << fields
                  << " answers or a response id and " << fields - 1
                  << ": start the line with an id that is not a number (e.g. r1)\n";
        ++bad_lines;
        continue;
      }
      if (fields == item_count + 1 || !position) {
        response_id = first;
        line = line.substr(comma + 1);
      }
    }
    if (!parse_answers(line, &answers, &message)) {
      std::cerr << where << message << "\n";
      ++bad_lines;
      continue;
    }
    if (!kindband::score_instrument(*in, answers, context, &result, &error)) {
      std::cerr << where << error.pointer << ": " << error.message << "\n";
      ++bad_lines;
      continue;
    }
    std::string prefix = "{\"line\":" + std::to_string(line_number);
    if (!response_id.empty()) {
      prefix += ",\"id\":\"";
      for (char c : response_id) {
        if (c == '"' || c == '\\') prefix += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) prefix += c;
      }
      prefix += "\"";
    }
    std::cout << prefix << "," << result_members(result, lang) << "}\n";
  }
  if (bad_lines > 0) {
    std::cerr << base_name(*csv) << ": " << bad_lines << " invalid line(s) skipped\n";
    return kInvalid;
  }
  return kOk;
}

// Today's local date: the engine has no clock, the command line supplies it.
std::string local_today() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &local);
  return buffer;
}

int command_journey(const Options& options) {
  const std::string* role = single(options, "--role");
  const std::string* due = single(options, "--due");
  const std::string* birth = single(options, "--birth");
  if (!role) return usage_error("journey needs --role mother|partner");
  if (!due && !birth) return usage_error("journey needs --due DATE or --birth DATE");
  if (!options.positional.empty())
    return usage_error("unexpected argument " + options.positional[0]);
  std::string lang = single(options, "--lang") ? *single(options, "--lang") : "en";
  if (lang != "nl" && lang != "en") return usage_error("--lang must be nl or en");
  kindband::Library library;
  if (int rc = load_library(options, &library)) return rc;
  kindband::Journey journey;
  std::vector<kindband::Error> errors;
  if (!kindband::builtin_journey(library, &journey, &errors)) {
    print_errors(errors);
    return kInvalid;
  }
  kindband::JourneyInput input{
      *role, due ? *due : "", birth ? *birth : "",
      single(options, "--today") ? *single(options, "--today") : local_today()};
  kindband::JourneyPlan plan;
  kindband::Error error;
  if (!kindband::compute_journey(journey, input, &plan, &error)) {
    std::cerr << "journey: " << error.pointer << ": " << error.message << "\n";
    return kInvalid;
  }
  if (options.flags.count("--json")) {
    std::cout << kindband::journey_plan_to_json(plan, lang) << "\n";
    return kOk;
  }
  std::cout << text_in(journey.name, lang) << " (" << journey.id << " " << journey.version << "), "
            << plan.role << "\n"
            << kindband::format_date(plan.today) << ": " << plan.stage << " week " << plan.week
            << "+" << plan.day << (plan.birth_estimated ? " (counted from the due date)" : "")
            << "; context role=" << plan.context.role << ",stage=" << plan.context.stage
            << ",week=" << plan.context.week << "\n";
  for (const kindband::PlannedMoment& planned : plan.moments) {
    const kindband::JourneyMoment& moment = *planned.moment;
    std::string instruments;
    for (const std::string& id : moment.instruments) {
      instruments += (instruments.empty() ? "" : ", ") + id;
    }
    std::string dates = planned.has_dates ? kindband::format_date(planned.start_date) + " to " +
                                                kindband::format_date(planned.end_date) +
                                                (planned.dates_estimated ? " (estimated)" : "")
                                          : "dates unknown";
    std::printf("  %-8s %-24s %s weeks %d-%d, %s: %s\n",
                std::string(kindband::status_name(planned.status)).c_str(), moment.id.c_str(),
                moment.stage.c_str(), moment.start_week, moment.end_week, dates.c_str(),
                instruments.c_str());
  }
  return kOk;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Writes a wording pack for instrument ID in a language with every key a licensed organisation
// fills: title, period, and each item's text and option labels, all empty. The loader refuses keys
// it does not know, so the scored value of each option (printed order) goes to stderr as a guide.
// `kindband validate` names every key still empty.
int command_wording_pack(const Options& options) {
  if (options.positional.size() != 2 || options.positional[0] != "template") {
    return usage_error("wording-pack needs: template ID --lang nl|en");
  }
  const std::string* lang = single(options, "--lang");
  if (!lang || (*lang != "nl" && *lang != "en")) return usage_error("--lang must be nl or en");
  kindband::Library library;
  if (int rc = load_library(options, &library)) return rc;
  const kindband::Instrument* in = library.find(options.positional[1]);
  if (!in) {
    std::cerr << "kindband: unknown instrument '" << options.positional[1]
              << "' (see kindband list)\n";
    return kInvalid;
  }
  std::cout << "{\n  \"wording_pack\": " << json_string(in->id + "-" + *lang) << ",\n"
            << "  \"instrument\": " << json_string(in->id) << ",\n"
            << "  \"instrument_version\": " << json_string(in->version) << ",\n"
            << "  \"language\": " << json_string(*lang) << ",\n"
            << "  \"validated\": false,\n  \"source\": \"\",\n  \"licence\": \"\",\n"
            << "  \"title\": \"\",\n  \"period\": \"\",\n  \"items\": {";
  for (size_t i = 0; i < in->items.size(); ++i) {
    const kindband::Item& item = in->items[i];
    std::cout << (i ? "," : "") << "\n    " << json_string(item.id)
              << ": {\"text\": \"\", \"options\": [";
    for (size_t o = 0; o < item.options.size(); ++o) std::cout << (o ? ", " : "") << "\"\"";
    std::cout << "]}";
    std::cerr << "item " << item.id << ": " << item.options.size()
              << " options in printed order, scored";
    for (const kindband::Option& option : item.options) {
      std::cerr << " " << kindband::format_hundredths(option.value_hundredths);
    }
    std::cerr << "\n";
  }
  std::cout << "\n  }\n}\n";
  return kOk;
}

// FHIR R4 (docs/fhir.md): an instrument as a Questionnaire, a stored share as a Bundle, and a
// Questionnaire back into a draft instrument file.
int command_fhir(const Options& options) {
  const std::vector<std::string>& args = options.positional;
  if (args.size() != 2) {
    return usage_error("fhir needs: questionnaire ID --lang nl|en, share FILE or import FILE");
  }
  if (args[0] == "questionnaire") {
    const std::string* lang = single(options, "--lang");
    if (!lang || (*lang != "nl" && *lang != "en")) return usage_error("--lang must be nl or en");
    kindband::Library library;
    if (int rc = load_library(options, &library)) return rc;
    const kindband::Instrument* in = library.find(args[1]);
    if (!in) {
      std::cerr << "kindband: unknown instrument '" << args[1] << "' (see kindband list)\n";
      return kInvalid;
    }
    std::string out;
    kindband::Error error;
    if (!kindband::fhir::questionnaire_json(*in, *lang, &out, &error)) {
      std::cerr << in->id << ": " << error.message << "\n";
      return kInvalid;
    }
    std::cout << out << "\n";
    return kOk;
  }
  if (args[0] != "share" && args[0] != "import") {
    return usage_error("unknown fhir command '" + args[0] + "'");
  }
  std::string content;
  if (!read_file(args[1], &content)) {
    std::cerr << args[1] << ": cannot read file\n";
    return kInvalid;
  }
  std::string out;
  if (args[0] == "share") {
    kindband::Library library;
    if (int rc = load_library(options, &library)) return rc;
    kindband::Error error;
    if (!kindband::fhir::share_bundle_json(library, content, &out, &error)) {
      std::cerr << base_name(args[1]) << ": " << error.pointer << ": " << error.message << "\n";
      return kInvalid;
    }
    std::cout << out << "\n";
    return kOk;
  }
  std::vector<kindband::Error> errors;
  if (!kindband::fhir::import_questionnaire(base_name(args[1]), content, &out, &errors)) {
    print_errors(errors);
    return kInvalid;
  }
  std::cout << out;
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) return usage_error("missing command");
  std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsageText;
    return kOk;
  }
  Options options;
  std::string message;
  if (!parse_options(argc, argv, 2, &options, &message)) return usage_error(message);
  if (command == "list") return command_list(options);
  if (command == "show") return command_show(options);
  if (command == "validate") return command_validate(options);
  if (command == "score") return command_score(options);
  if (command == "journey") return command_journey(options);
  if (command == "wording-pack") return command_wording_pack(options);
  if (command == "fhir") return command_fhir(options);
  return usage_error("unknown command '" + command + "'");
}
