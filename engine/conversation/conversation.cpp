// Loading and checking conversation files and records (kindband/conversation.h,
// docs/conversation-format.md).
#include "kindband/conversation.h"

#include <nlohmann/json.hpp>
#include <set>

#include "conversation_files.h"  // generated: kConversationFiles (engine/CMakeLists.txt)

namespace kindband::conversation {

using nlohmann::json;

int max_moment_week(std::string_view stage) {
  return stage == "pregnancy" ? 42 : stage == "postpartum" ? 104 : -1;
}

namespace {

// The kinds of organisation in a care network (docs/care-network.md) a referral may suggest.
constexpr const char* kOrganisationTypes[] = {"verloskunde", "kraamzorg", "jgz", "huisarts",
                                              "wijkteam",    "imh",       "ggz", "ziekenhuis"};
constexpr size_t kMaxNoteChars = 300;
constexpr size_t kMaxViewChars = 1000;
constexpr size_t kMaxJudgementNoteChars = 500;

// Collects errors at JSON pointers of one file.
class Reader {
 public:
  Reader(std::string_view file, std::vector<Error>* errors) : file_(file), errors_(errors) {}

  void error(const std::string& pointer, const std::string& message) {
    errors_->push_back(Error{file_, pointer, message});
  }
  bool ok() const { return errors_->size() == start_; }

  // Every key of `value` is one of `keys` (else an error per unknown key).
  void known_keys(const json& value, const std::string& pointer,
                  std::initializer_list<const char*> keys) {
    for (const auto& [key, member] : value.items()) {
      bool known = false;
      for (const char* allowed : keys) known = known || key == allowed;
      if (!known) error(pointer + "/" + key, "unknown key (a typo?)");
    }
  }
  const json* member(const json& value, const std::string& pointer, const char* key) {
    if (!value.is_object() || !value.contains(key)) {
      error(pointer + "/" + key, "missing");
      return nullptr;
    }
    return &value[key];
  }
  std::string text(const json& value, const std::string& pointer, const char* key) {
    const json* found = member(value, pointer, key);
    if (!found) return "";
    if (!found->is_string() || found->get_ref<const std::string&>().empty()) {
      error(pointer + "/" + key, "expected non-empty text");
      return "";
    }
    return found->get<std::string>();
  }
  std::string id(const json& value, const std::string& pointer, const char* key) {
    std::string text_value = text(value, pointer, key);
    if (!text_value.empty() && text_value.find_first_not_of(
                                   "abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
      error(pointer + "/" + key, "'" + text_value + "': ids use a-z, 0-9 and _ only");
    }
    return text_value;
  }
  Text both(const json& value, const std::string& pointer, const char* key) {
    const json* found = member(value, pointer, key);
    if (!found) return {};
    if (!found->is_object()) {
      error(pointer + "/" + key, "expected {\"nl\": ..., \"en\": ...}");
      return {};
    }
    known_keys(*found, pointer + "/" + key, {"nl", "en"});
    return Text{text(*found, pointer + "/" + key, "nl"), text(*found, pointer + "/" + key, "en")};
  }
  // An array member; errors when missing, not an array, or (unless allow_empty) empty.
  const json* list(const json& value, const std::string& pointer, const char* key,
                   bool allow_empty = false) {
    const json* found = member(value, pointer, key);
    if (!found) return nullptr;
    if (!found->is_array() || (!allow_empty && found->empty())) {
      error(pointer + "/" + key, allow_empty ? "expected a list" : "expected a non-empty list");
      return nullptr;
    }
    return found;
  }
  // An optional true/false member, false when absent.
  bool flag(const json& value, const std::string& pointer, const char* key) {
    if (!value.contains(key)) return false;
    if (!value[key].is_boolean()) {
      error(pointer + "/" + key, "expected true or false");
      return false;
    }
    return value[key].get<bool>();
  }
  // Records an id and reports a second use of it in the same set.
  void unique(std::set<std::string>* seen, const std::string& id, const std::string& pointer) {
    if (!id.empty() && !seen->insert(id).second) error(pointer, "'" + id + "' is used twice");
  }

 private:
  std::string file_;
  std::vector<Error>* errors_;
  size_t start_ = errors_->size();
};

size_t code_points(const std::string& text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

// "" when value is text of at most max_chars characters without control characters other than
// newlines; else what is wrong, prefixed by where.
std::string check_text(const json& value, const std::string& pointer, size_t max_chars) {
  if (!value.is_string()) return pointer + ": expected text";
  const std::string& text = value.get_ref<const std::string&>();
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) {
      return pointer + ": control characters are not allowed (only newlines)";
    }
  }
  if (code_points(text) > max_chars) {
    return pointer + ": at most " + std::to_string(max_chars) + " characters, got " +
           std::to_string(code_points(text));
  }
  return "";
}

std::string trimmed(const std::string& text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  size_t end = text.find_last_not_of(" \t\r\n");
  return start == std::string::npos ? "" : text.substr(start, end - start + 1);
}

template <typename T>
std::string id_list(const std::vector<T>& entries) {
  std::string out;
  for (const T& entry : entries) out += (out.empty() ? "" : ", ") + entry.id;
  return out;
}

}  // namespace

bool load_conversation(std::string_view file_name, std::string_view json_text,
                       const Library& library, Conversation* out, std::vector<Error>* errors) {
  Reader reader(file_name, errors);
  json doc = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    reader.error("", "not a JSON object");
    return false;
  }
  reader.known_keys(doc, "",
                    {"id", "version", "name", "source", "licence", "wording", "notes", "sections",
                     "parents_view_label", "parents_view_prompt", "judgements", "occasions"});
  Conversation conversation;
  conversation.id = reader.id(doc, "", "id");
  conversation.version = reader.text(doc, "", "version");
  conversation.name = reader.both(doc, "", "name");
  conversation.source = reader.text(doc, "", "source");
  conversation.licence = reader.text(doc, "", "licence");
  if (const json* wording = reader.member(doc, "", "wording")) {
    // Like the instruments: per language whether the wording is validated, and its source.
    for (const char* language : {"nl", "en"}) {
      const std::string pointer = std::string("/wording/") + language;
      const json* entry = reader.member(*wording, "/wording", language);
      if (!entry) continue;
      reader.known_keys(*entry, pointer, {"validated", "source"});
      if (!entry->contains("validated") || !(*entry)["validated"].is_boolean()) {
        reader.error(pointer + "/validated", "expected true or false");
      }
      reader.text(*entry, pointer, "source");
    }
  }
  if (doc.contains("notes")) {
    const json& notes = doc["notes"];
    if (!notes.is_array()) reader.error("/notes", "expected a list of texts");
    for (size_t i = 0; notes.is_array() && i < notes.size(); ++i) {
      if (!notes[i].is_string()) reader.error("/notes/" + std::to_string(i), "expected text");
    }
  }
  std::set<std::string> topic_ids, section_ids;
  if (const json* sections = reader.list(doc, "", "sections")) {
    for (size_t s = 0; s < sections->size(); ++s) {
      const json& value = (*sections)[s];
      const std::string pointer = "/sections/" + std::to_string(s);
      reader.known_keys(value, pointer,
                        {"id", "title", "intro", "statuses", "default_status", "topics"});
      Section section;
      section.id = reader.id(value, pointer, "id");
      reader.unique(&section_ids, section.id, pointer + "/id");
      section.title = reader.both(value, pointer, "title");
      section.intro = reader.both(value, pointer, "intro");
      std::set<std::string> status_ids;
      if (const json* statuses = reader.list(value, pointer, "statuses")) {
        for (size_t i = 0; i < statuses->size(); ++i) {
          const std::string at = pointer + "/statuses/" + std::to_string(i);
          reader.known_keys((*statuses)[i], at, {"id", "label"});
          Status status{reader.id((*statuses)[i], at, "id"),
                        reader.both((*statuses)[i], at, "label")};
          reader.unique(&status_ids, status.id, at + "/id");
          section.statuses.push_back(std::move(status));
        }
      }
      section.default_status = reader.id(value, pointer, "default_status");
      if (!section.default_status.empty() && !status_ids.empty() &&
          !status_ids.count(section.default_status)) {
        reader.error(pointer + "/default_status", "'" + section.default_status +
                                                      "' is not one of the statuses (" +
                                                      id_list(section.statuses) + ")");
      }
      if (const json* topics = reader.list(value, pointer, "topics")) {
        for (size_t i = 0; i < topics->size(); ++i) {
          const json& item = (*topics)[i];
          const std::string at = pointer + "/topics/" + std::to_string(i);
          reader.known_keys(
              item, at,
              {"id", "label", "prompt", "questionnaires", "alone", "element", "former_ids"});
          Topic topic;
          topic.id = reader.id(item, at, "id");
          // Topic ids are unique across sections: a record names them without their section.
          reader.unique(&topic_ids, topic.id, at + "/id");
          topic.label = reader.both(item, at, "label");
          topic.prompt = reader.both(item, at, "prompt");
          topic.alone = reader.flag(item, at, "alone");
          if (item.contains("element")) topic.element = reader.id(item, at, "element");
          if (const json* former = item.contains("former_ids")
                                       ? reader.list(item, at, "former_ids", true)
                                       : nullptr) {
            for (size_t k = 0; k < former->size(); ++k) {
              const std::string former_at = at + "/former_ids/" + std::to_string(k);
              if (!(*former)[k].is_string()) {
                reader.error(former_at, "expected a former topic id");
                continue;
              }
              topic.former_ids.push_back((*former)[k].get<std::string>());
              reader.unique(&topic_ids, topic.former_ids.back(), former_at);
            }
          }
          if (item.contains("questionnaires")) {
            const json* links = reader.list(item, at, "questionnaires", true);
            for (size_t k = 0; links && k < links->size(); ++k) {
              const std::string link_at = at + "/questionnaires/" + std::to_string(k);
              reader.known_keys((*links)[k], link_at, {"instrument", "item"});
              QuestionnaireLink link{reader.text((*links)[k], link_at, "instrument"),
                                     reader.text((*links)[k], link_at, "item")};
              const Instrument* instrument = library.find(link.instrument);
              if (!link.instrument.empty() && !instrument) {
                reader.error(link_at + "/instrument",
                             "'" + link.instrument + "' is not an instrument of the library");
              } else if (instrument && !link.item.empty()) {
                bool found = false;
                for (const Item& candidate : instrument->items) found |= candidate.id == link.item;
                if (!found) {
                  reader.error(link_at + "/item",
                               "'" + link.item + "' is not an item of " + link.instrument);
                }
              }
              topic.questionnaires.push_back(std::move(link));
            }
          }
          section.topics.push_back(std::move(topic));
        }
      }
      conversation.sections.push_back(std::move(section));
    }
  }
  conversation.parents_view_label = reader.both(doc, "", "parents_view_label");
  conversation.parents_view_prompt = reader.both(doc, "", "parents_view_prompt");
  std::set<std::string> judgement_ids;
  if (const json* judgements = reader.list(doc, "", "judgements")) {
    for (size_t i = 0; i < judgements->size(); ++i) {
      const json& value = (*judgements)[i];
      const std::string at = "/judgements/" + std::to_string(i);
      reader.known_keys(value, at,
                        {"id", "label", "description", "leads_to", "suggested_types", "alone"});
      Judgement judgement;
      judgement.id = reader.id(value, at, "id");
      reader.unique(&judgement_ids, judgement.id, at + "/id");
      judgement.label = reader.both(value, at, "label");
      judgement.description = reader.both(value, at, "description");
      judgement.alone = reader.flag(value, at, "alone");
      const json* leads_to = reader.member(value, at, "leads_to");
      if (leads_to &&
          (!leads_to->is_string() || (*leads_to != "" && *leads_to != "agreement" &&
                                      *leads_to != "referral" && *leads_to != "meldcode"))) {
        reader.error(at + "/leads_to",
                     "expected \"\", \"agreement\", \"referral\" or \"meldcode\"");
      } else if (leads_to) {
        judgement.leads_to = leads_to->get<std::string>();
        if (judgement.leads_to == "meldcode" && !judgement.alone) {
          reader.error(at + "/leads_to",
                       "only a judgement marked alone (\"alone\": true) leads to the Meldcode");
        }
      }
      if (const json* types = reader.list(value, at, "suggested_types", true)) {
        for (size_t k = 0; k < types->size(); ++k) {
          const json& type = (*types)[k];
          bool known = false;
          for (const char* allowed : kOrganisationTypes) known |= type == allowed;
          if (!known) {
            reader.error(at + "/suggested_types/" + std::to_string(k),
                         "not a kind of organisation (verloskunde, kraamzorg, jgz, huisarts, "
                         "wijkteam, imh, ggz, ziekenhuis)");
          } else {
            judgement.suggested_types.push_back(type.get<std::string>());
          }
        }
        if (!judgement.suggested_types.empty() && judgement.leads_to != "referral") {
          reader.error(at + "/suggested_types",
                       "only a judgement that leads to a referral "
                       "suggests kinds of organisation");
        }
      }
      conversation.judgements.push_back(std::move(judgement));
    }
  }
  std::set<std::string> occasion_ids;
  if (const json* occasions = reader.list(doc, "", "occasions")) {
    for (size_t i = 0; i < occasions->size(); ++i) {
      const std::string at = "/occasions/" + std::to_string(i);
      reader.known_keys((*occasions)[i], at, {"id", "label"});
      Occasion occasion{reader.id((*occasions)[i], at, "id"),
                        reader.both((*occasions)[i], at, "label")};
      reader.unique(&occasion_ids, occasion.id, at + "/id");
      conversation.occasions.push_back(std::move(occasion));
    }
  }
  if (!reader.ok()) return false;
  conversation.json = doc.dump();
  *out = std::move(conversation);
  return true;
}

std::vector<Conversation> builtin_conversations(const Library& library,
                                                std::vector<Error>* errors) {
  std::vector<Conversation> conversations;
  for (const auto& [file_name, text] : kConversationFiles) {
    Conversation conversation;
    if (load_conversation(file_name, text, library, &conversation, errors)) {
      conversations.push_back(std::move(conversation));
    }
  }
  return conversations;
}

const Conversation* find_conversation(const std::vector<Conversation>& conversations,
                                      std::string_view id) {
  for (const Conversation& conversation : conversations) {
    if (conversation.id == id) return &conversation;
  }
  return nullptr;
}

std::string check_record(const Conversation& conversation, std::string_view record_json,
                         std::string* canonical_json) {
  json record = json::parse(record_json.begin(), record_json.end(), nullptr, false);
  if (record.is_discarded() || !record.is_object()) return "/: expected a JSON object";
  for (const auto& [key, value] : record.items()) {
    if (key != "occasion" && key != "moment" && key != "topics" && key != "alone" &&
        key != "parents_view" && key != "parents_wishes" && key != "judgement") {
      return "/" + key.substr(0, 40) + ": not a field of a record";
    }
  }
  json out = json::object();
  // When.
  if (!record.contains("occasion") || !record["occasion"].is_string()) {
    return "/occasion: required, one of " + id_list(conversation.occasions);
  }
  bool occasion_known = false;
  for (const Occasion& occasion : conversation.occasions) {
    occasion_known |= record["occasion"] == occasion.id;
  }
  if (!occasion_known) {
    return "/occasion: '" + record["occasion"].get<std::string>().substr(0, 40) +
           "' is not one of " + id_list(conversation.occasions);
  }
  out["occasion"] = record["occasion"];
  out["moment"] = nullptr;
  if (record.contains("moment") && !record["moment"].is_null()) {
    const json& moment = record["moment"];
    if (!moment.is_object() || moment.size() != 2 || !moment.contains("stage") ||
        !moment.contains("week") || !moment["stage"].is_string() ||
        max_moment_week(moment["stage"].get<std::string>()) < 0 ||
        !moment["week"].is_number_integer() || moment["week"].get<int64_t>() < 0 ||
        moment["week"].get<int64_t>() > max_moment_week(moment["stage"].get<std::string>())) {
      return "/moment: {\"stage\": \"pregnancy\" (week 0-42) or \"postpartum\" (week 0-104)}, "
             "or null";
    }
    out["moment"] = {{"stage", moment["stage"]}, {"week", moment["week"]}};
  }
  // What was discussed: every topic, the left-out ones with their section's default status. The
  // topics asked alone come under "alone", with the professional's confirmation.
  json given = record.value("topics", json::object());
  if (!given.is_object()) return "/topics: expected {\"<topic id>\": {\"status\", \"note\"?}}";
  json alone_given = record.value("alone", json::object());
  if (!alone_given.is_object()) return "/alone: expected {\"confirmed\": true, \"topics\": {...}}";
  for (const auto& [key, value] : alone_given.items()) {
    if (key != "confirmed" && key != "topics") {
      return "/alone/" + key.substr(0, 40) + ": not a field of the part held alone";
    }
  }
  const json confirmed = alone_given.value("confirmed", json(false));
  if (!confirmed.is_boolean()) {
    return "/alone/confirmed: true when you spoke with the parent alone, else false";
  }
  json alone_topics_given = alone_given.value("topics", json::object());
  if (!alone_topics_given.is_object()) {
    return "/alone/topics: expected {\"<topic id>\": {\"status\", \"note\"?}}";
  }
  // A record made before a topic was renamed names it by a former id: read it as the topic's.
  for (const Section& section : conversation.sections) {
    for (const Topic& topic : section.topics) {
      json& in = topic.alone ? alone_topics_given : given;
      for (const std::string& former : topic.former_ids) {
        if (in.contains(former) && !in.contains(topic.id)) in[topic.id] = in[former];
        in.erase(former);
      }
    }
  }
  json topics = json::object(), alone_topics = json::object();
  std::string first_alone_recorded;
  for (const Section& section : conversation.sections) {
    for (const Topic& topic : section.topics) {
      json entry = {{"status", section.default_status}, {"note", ""}};
      const json& from = topic.alone ? alone_topics_given : given;
      if (from.contains(topic.id)) {
        const json& value = from[topic.id];
        const std::string at = (topic.alone ? "/alone/topics/" : "/topics/") + topic.id;
        if (!value.is_object()) return at + ": expected {\"status\", \"note\"?}";
        for (const auto& [key, member] : value.items()) {
          if (key != "status" && key != "note") {
            return at + "/" + key.substr(0, 40) + ": not a field of a topic";
          }
        }
        bool status_known = false;
        for (const Status& status : section.statuses) {
          status_known |= value.value("status", json()) == status.id;
        }
        if (!status_known) {
          const json status = value.value("status", json());
          return at + "/status: " +
                 (status.is_string() ? "'" + status.get<std::string>().substr(0, 40) + "'"
                                     : std::string("missing")) +
                 " is not one of " + id_list(section.statuses);
        }
        entry["status"] = value["status"];
        if (value.contains("note")) {
          std::string problem = check_text(value["note"], at + "/note", kMaxNoteChars);
          if (!problem.empty()) return problem;
          entry["note"] = trimmed(value["note"].get<std::string>());
        }
      }
      if (topic.alone) {
        if (first_alone_recorded.empty() &&
            (entry["status"] != section.default_status || entry["note"] != "")) {
          first_alone_recorded = topic.id;
        }
        alone_topics[topic.id] = std::move(entry);
      } else {
        topics[topic.id] = std::move(entry);
      }
    }
  }
  for (const auto& [key, value] : given.items()) {
    if (alone_topics.contains(key)) {
      return "/topics/" + key + ": asked with the parent alone; record it under /alone/topics " +
             "(with /alone/confirmed true)";
    }
    if (!topics.contains(key)) {
      return "/topics/" + key.substr(0, 40) + ": not a topic of " + conversation.id;
    }
  }
  for (const auto& [key, value] : alone_topics_given.items()) {
    if (!alone_topics.contains(key)) {
      return "/alone/topics/" + key.substr(0, 40) + ": not a topic asked alone in " +
             conversation.id;
    }
  }
  if (!first_alone_recorded.empty() && confirmed != true) {
    return "/alone/confirmed: '" + first_alone_recorded +
           "' is asked with the parent alone; it is recorded only when you confirm you spoke "
           "with her or him alone (true)";
  }
  out["topics"] = std::move(topics);
  if (!alone_topics.empty()) {
    out["alone"] = {{"confirmed", confirmed.get<bool>()}, {"topics", std::move(alone_topics)}};
  }
  // The parents' own words.
  for (const char* key : {"parents_view", "parents_wishes"}) {
    out[key] = "";
    if (record.contains(key)) {
      std::string problem = check_text(record[key], std::string("/") + key, kMaxViewChars);
      if (!problem.empty()) return problem;
      out[key] = trimmed(record[key].get<std::string>());
    }
  }
  // The professional judgement.
  if (!record.contains("judgement") || !record["judgement"].is_object()) {
    return "/judgement: required, {\"support\": one of " + id_list(conversation.judgements) +
           ", \"note\"?}";
  }
  const json& judgement = record["judgement"];
  for (const auto& [key, value] : judgement.items()) {
    if (key != "support" && key != "note") {
      return "/judgement/" + key.substr(0, 40) + ": not a field of a judgement";
    }
  }
  const Judgement* chosen = nullptr;
  for (const Judgement& known : conversation.judgements) {
    if (judgement.value("support", json()) == known.id) chosen = &known;
  }
  if (!chosen) return "/judgement/support: expected one of " + id_list(conversation.judgements);
  json judged = {{"support", judgement["support"]}, {"note", ""}};
  if (chosen->alone) judged["alone"] = true;
  if (judgement.contains("note")) {
    std::string problem = check_text(judgement["note"], "/judgement/note", kMaxJudgementNoteChars);
    if (!problem.empty()) return problem;
    judged["note"] = trimmed(judgement["note"].get<std::string>());
  }
  out["judgement"] = std::move(judged);
  *canonical_json = out.dump();
  return "";
}

}  // namespace kindband::conversation
