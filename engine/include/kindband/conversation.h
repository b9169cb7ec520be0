// Structured conversations a professional holds with the parents (docs/conversation-format.md):
// the intake triage of the parent-child relationship ("triage ouder-kindrelatie") with the
// indicators for extra support ("signalering") and the six elements of a good relationship.
//
// Content is data like the instruments (engine/conversations/*.json, compiled in). A conversation
// is a record of professional judgement, never a score: no totals, no cut-offs. Pure like the
// engine (no I/O), a library of its own (kindband_conversation): the command line and the server
// link it, the browser gets the file from the server.
#ifndef KINDBAND_CONVERSATION_H_
#define KINDBAND_CONVERSATION_H_

#include <string>
#include <string_view>
#include <vector>

#include "kindband/engine.h"

namespace kindband::conversation {

// A text in every language a conversation file must carry.
struct Text {
  std::string nl;
  std::string en;
};

// One way a topic can have come up, e.g. "present", "not_present", "not_discussed".
struct Status {
  std::string id;
  Text label;
};

// A questionnaire item that asks the same indicator (e.g. support_indicators item "2").
struct QuestionnaireLink {
  std::string instrument;  // an instrument id of the built-in library
  std::string item;        // that instrument's item id
};

// One indicator or element: what it is and a short prompt to open the conversation with.
struct Topic {
  std::string id;
  Text label;
  Text prompt;
  std::vector<QuestionnaireLink> questionnaires;  // may be empty
  // Asked only with the mother alone (violence or fear at home, the Meldcode): recorded only when
  // the professional confirms she was alone, never shown to the other parent
  // (docs/care-network.md).
  bool alone = false;
  // The relationship element this topic is, by its id in the journey (its page), or "".
  std::string element;
  // Ids this topic had before (records made then still name it so): check_record and the readers
  // of stored records (widget, inbox) take an entry under a former id as this topic's.
  std::vector<std::string> former_ids;
};

// A part of the conversation (the indicators; the six elements), with its own status words.
struct Section {
  std::string id;
  Text title;
  Text intro;
  std::vector<Status> statuses;
  std::string default_status;  // the status of a topic the record leaves out ("not_discussed")
  std::vector<Topic> topics;
};

// A professional judgement of the support the family wants and needs.
struct Judgement {
  std::string id;
  Text label;
  Text description;
  // What the network can start from this judgement in one step: "" (nothing), "agreement" or
  // "referral"; for a referral, the organisation types it usually goes to (e.g. "imh").
  // "meldcode" for a judgement of the part held alone: the professional follows the Meldcode.
  std::string leads_to;
  std::vector<std::string> suggested_types;
  // A judgement about the part held alone (e.g. "acute_safety"): seen only by who sees that part.
  bool alone = false;
};

// When the conversation is held, e.g. "intake", "third_trimester", "after_birth".
struct Occasion {
  std::string id;
  Text label;
};

struct Conversation {
  std::string id;
  std::string version;
  Text name;
  std::string source;  // where the structure comes from, and that the wording is our own
  std::string licence;
  std::vector<Section> sections;
  Text parents_view_label;
  Text parents_view_prompt;
  std::vector<Judgement> judgements;
  std::vector<Occasion> occasions;
  std::string json;  // the file itself, minified, as the server hands it out
};

// Reads and checks a conversation file: every text in nl and en, ids unique and of [a-z0-9_],
// each section's default status one of its statuses, questionnaire links naming an instrument
// and item of `library`, leads_to one of "", "agreement", "referral" and "meldcode" (the last only
// for a judgement marked alone). Fills errors (file, JSON pointer, what) and returns false when
// anything is wrong.
bool load_conversation(std::string_view file_name, std::string_view json_text,
                       const Library& library, Conversation* out, std::vector<Error>* errors);

// The conversations compiled in (engine/conversations/*.json), checked against `library`; errors
// reports a built-in file that does not load (a build defect, tested).
std::vector<Conversation> builtin_conversations(const Library& library, std::vector<Error>* errors);
// The built-in conversation with this id, or nullptr.
const Conversation* find_conversation(const std::vector<Conversation>& conversations,
                                      std::string_view id);

// The last week a moment of stage may name: 42 in pregnancy, 104 after the birth (to the second
// birthday: the first 1000 days); -1 for any other stage. Agreements use the same moments.
int max_moment_week(std::string_view stage);

// Checks a record of this conversation (docs/care-network.md, "Triage at intake") and writes it
// in canonical form: every topic of every section present, a left-out topic with the section's
// default status, notes trimmed. The record:
//   {"occasion": id, "moment": {"stage": "pregnancy"|"postpartum", "week": 0-42 | 0-104} | null,
//    "topics": {"<topic id>": {"status": id, "note": text (optional, <= 300 characters)}},
//    "alone": {"confirmed": bool, "topics": {"<alone topic id>": {...}}} (optional),
//    "parents_view": text (optional, <= 1000), "parents_wishes": text (optional, <= 1000),
//    "judgement": {"support": judgement id, "note": text (optional, <= 500)}}
// Topics marked alone are recorded only under "alone", and only with "confirmed": true (the
// professional spoke with the parent alone) unless every one is left at its default status without
// a note. The canonical form has "alone" whenever the conversation has such topics, and a
// judgement marked alone carries "alone": true (shown only to who may see the part held alone).
// Unknown keys, unknown topic or status ids, wrong types, control characters other than newlines
// in texts are refused. Returns "" or where and what is wrong ("/topics/addiction/status: ...").
std::string check_record(const Conversation& conversation, std::string_view record_json,
                         std::string* canonical_json);

}  // namespace kindband::conversation

#endif  // KINDBAND_CONVERSATION_H_
