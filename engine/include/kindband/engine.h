// Kindband scoring and feedback engine: load instruments, score answers, give advice.
//
// Pure C++17: no I/O, no exceptions thrown to callers, no global state. The same code is compiled
// natively (CLI, server, tests) and to WebAssembly (browser). Instruments are data, see
// docs/instrument-format.md.
#ifndef KINDBAND_ENGINE_H_
#define KINDBAND_ENGINE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kindband {

// A per-language text: {"nl": ..., "en": ...}. A language may be absent.
using Text = std::map<std::string, std::string>;

struct Option {
  int32_t value_hundredths = 0;  // the scored value x 100 (MPAS uses 2.33)
  Text label;
};

struct Item {
  std::string id;
  Text text;
  std::vector<Option> options;  // printed order
  bool scored = true;
  bool required = true;
  // The answers may end before this item (an unscored, optional closing question such as PHQ-9's
  // "how difficult have these problems made it…"): responses without it stay valid. Only the last
  // items of an instrument may have it.
  bool may_be_left_out = false;
  // Asked only when an earlier item scored at least `ask_when_min_hundredths` (the Whooley help
  // question follows a "yes"): the widget skips it otherwise. Empty = always asked. Such an item is
  // never required; an answer given anyway is scored and checked like any other.
  std::vector<int> ask_when_any;  // indexes of earlier items
  int32_t ask_when_min_hundredths = 0;
};

// Which context a band set applies to. Empty lists / negative weeks mean "any".
struct ContextMatch {
  std::vector<std::string> roles;
  std::vector<std::string> stages;
  int week_min = -1;
  int week_max = -1;
};

struct Band {
  std::string id;
  int32_t min_hundredths = 0;  // inclusive
  int32_t max_hundredths = 0;  // inclusive
  Text label;
  bool positive = false;
};

struct BandSet {
  std::string id;
  bool has_when = false;
  ContextMatch when;
  std::string source;
  bool verified = true;
  std::vector<Band> bands;
};

struct Scale {
  std::string id;  // "total" for the total
  Text name;
  // A secondary scale (e.g. the EPDS-3A anxiety subscale) is reported as a note beside the main
  // score: its band never makes the whole result positive.
  bool secondary = false;
  std::string better;             // "higher" | "lower" | "": which direction of the score is better
  std::vector<int> item_indexes;  // indexes into Instrument::items
  std::vector<BandSet> band_sets;
  int32_t min_hundredths = 0;  // smallest possible score
  int32_t max_hundredths = 0;  // largest possible score
};

struct SafetyRule {
  std::string id;
  int item_index = -1;   // rule on one item, or
  int scale_index = -1;  // rule on a scale (index into Instrument::scales)
  // The rule fires when the value is >= min_score ("min_score" in the file), or, for a rule with
  // "max_score" (an item printed in reverse, where a low score is the worrying answer, e.g. MAAS
  // item 12), when the value is <= max_score.
  int32_t min_score_hundredths = 0;
  bool has_max_score = false;
  int32_t max_score_hundredths = 0;
  std::string source;
  bool fires(int32_t value_hundredths) const {
    return has_max_score ? value_hundredths <= max_score_hundredths
                         : value_hundredths >= min_score_hundredths;
  }
};

struct AdviceText {
  std::string title;
  std::string text;
  std::vector<std::string> steps;
  // Band advice that reassures ("few symptoms", "fill it in again later"). advise() leaves it out
  // of a result in which a safety rule fired, so reassurance never stands next to crisis help.
  bool reassuring = false;
};
using AdviceByLanguage = std::map<std::string, AdviceText>;

struct WordingInfo {
  bool validated = false;
  std::string source;
};

struct Instrument {
  std::string file_name;
  std::string id;
  std::string version;
  Text name;
  Text short_name;
  std::string authors;
  int year = 0;
  std::string citation;
  std::string licence;
  bool validated_instrument = true;
  Text period;
  std::map<std::string, WordingInfo> wording;
  std::vector<Item> items;
  std::vector<Scale> scales;  // the total first when defined, then subscales in file order
  bool has_total = false;
  std::vector<SafetyRule> safety_rules;
  std::map<std::string, AdviceByLanguage> band_advice;    // by band id
  std::map<std::string, AdviceByLanguage> safety_advice;  // by safety rule id
  std::map<std::string, AdviceByLanguage> scale_advice;   // by scale id (scales without bands)
};

// What a library knows of an instrument whose file it has not loaded: id, version, names and the
// languages it has wording in (has_wording()). The browser's engine starts with the built-in
// instruments as summaries and loads an instrument's file when a page needs it (docs/js-api.md), so
// that a page downloads only its own instruments.
struct InstrumentSummary {
  std::string id;
  std::string version;
  Text name;
  Text short_name;
  std::vector<std::string> wording_languages;  // sorted
};
InstrumentSummary summarize(const Instrument& instrument);

// One error: where (file and JSON pointer) and what. to_string() gives "file: /pointer: message".
struct Error {
  std::string file;
  std::string pointer;
  std::string message;
  std::string to_string() const;
};

// The largest week a context may have: weeks since birth reach the second birthday (104) and a
// little past it, so the journey's second-year moments can be scored in their context.
constexpr int kMaxContextWeek = 120;

struct Context {
  std::string role;   // "mother" | "partner" | ""
  std::string stage;  // "pregnancy" | "postpartum" | ""
  int week = -1;      // week of pregnancy, or weeks since birth; -1 = unknown
};

// Parses "role=partner,stage=pregnancy,week=14". Unknown keys or values are errors.
bool parse_context(std::string_view text, Context* context, Error* error);

// An answer is the chosen option's position (0-based, printed order); kMissing = not answered.
constexpr int kMissing = -1;
using Answers = std::vector<int>;

struct ScaleResult {
  int scale_index = 0;
  bool complete = false;
  int32_t score_hundredths = 0;  // only meaningful when complete
  const BandSet* band_set =
      nullptr;  // chosen for the context; null when incomplete or none matched
  const Band* band = nullptr;
};

// The outcome of scoring one response. Refers into its Instrument, which must outlive it.
struct Result {
  const Instrument* instrument = nullptr;
  Context context;
  bool complete = false;
  int answered = 0;
  int item_count = 0;  // items the answers covered: all, or fewer when trailing ones were left out
  std::vector<int> missing_required;  // item indexes
  std::vector<ScaleResult> scales;    // same order as Instrument::scales
  std::vector<int> safety_flags;      // indexes into Instrument::safety_rules, in rule order
  // The result counts as a positive screen: some complete scale makes it so (makes_positive()).
  bool positive() const;
};

// Whether a scale in this band makes the whole result positive: the band is marked positive, its
// band set is verified (an unverified cut-off is shown for information only) and the scale is not
// secondary. The one rule for Result::positive(), shared-result checks and the inbox.
bool makes_positive(const Scale& scale, const BandSet& band_set, const Band& band);

// True when every item text and option label of the instrument exists in `language` (built in or
// from a wording pack): the questionnaire can be shown in that language.
bool has_wording(const Instrument& instrument, std::string_view language);

// The fewest answers a response may have: the item count less the trailing items that may be left
// out (Item::may_be_left_out). Between this and the item count, every length is valid.
size_t fewest_answers(const Instrument& instrument);

// Scores answers. Returns false and fills error on a wrong answer count (fewer than
// fewest_answers() or more than the items) or an out-of-range answer (error.pointer is
// /answers/N). Items after the last answer count as not answered. Never clamps.
bool score_instrument(const Instrument& instrument, const Answers& answers, const Context& context,
                      Result* result, Error* error);

struct AdviceEntry {
  std::string kind;   // "safety" | "band" | "scale"
  std::string id;     // safety rule id, band id or scale id
  std::string scale;  // scale id for "band" and "scale" entries
  bool urgent = false;
  AdviceText text;
};

struct Advice {
  std::string language;
  std::vector<AdviceEntry> entries;  // safety first, then the total, then subscales
};

// Advice for a result in a language ("nl" or "en"). Returns false for an unknown language.
// Order: safety advice, then the advice of scales in a positive, verified band (makes_positive()),
// then the other scales (the total first). When a safety rule fired, band advice marked
// `reassuring` is left out for every scale of the result; when a scale is positive, reassuring
// advice from an unverified band set is left out too (it would contradict the verified one).
bool advise(const Result& result, std::string_view language, Advice* advice, Error* error);

// Advice for the results of one session (a journey moment, or several questionnaires filled in
// together), one Advice per result in the same order: what advise() gives for each, except that
// once a safety rule fired in any result of the session, reassuring band advice is left out of
// every result. `any_safety` (optional) tells whether a rule fired. The one rule for native and
// wasm callers (the widget shows results side by side: reassurance under one questionnaire must
// not stand beside the crisis help raised by another).
bool advise_session(const std::vector<const Result*>& results, std::string_view language,
                    std::vector<Advice>* advice, bool* any_safety, Error* error);

class Library;

// The advice for a result given as its JSON (to_json(const Result&), e.g. a shared result stored
// without answers): exactly what advise() gives for the Result that JSON was written from. The
// result must be one the engine wrote for an instrument in `library`, in the same version: every
// field present and no other, ids (scales, band sets, bands, items, safety rules) the instrument
// knows in the engine's order, scores and bands consistent. Otherwise, or for an unknown language,
// returns false and error names the field (error.pointer, e.g. /scales/1/band/id) and the problem.
bool advise_result_json(const Library& library, std::string_view result_json,
                        std::string_view language, Advice* advice, Error* error);

// Stable JSON (fixed key order, no whitespace) for results, advice and instrument definitions.
std::string to_json(const Result& result);
std::string to_json(const Advice& advice);
// The instrument as the widget needs it to render: items, options with labels in `language`
// (falling back to the other language is NOT done: missing wording stays missing), scales, bands.
std::string instrument_to_json(const Instrument& instrument, std::string_view language);

// A set of instruments. Loading validates; invalid files are not added.
class Library {
 public:
  Library();
  ~Library();
  Library(Library&&) noexcept;
  Library& operator=(Library&&) noexcept;

  // The instruments compiled into the engine (engine/instruments/*.json) and the wording packs in
  // engine/wording-packs/. Errors here are build errors; the tests load it and require none.
  static Library builtin(std::vector<Error>* errors);

  // The built-in instruments as summaries only (no items, scales or advice), made at build time
  // from the same files as builtin(): an engine that adds the instruments it needs with
  // add_instrument().
  static Library builtin_summaries(std::vector<Error>* errors);

  // Parses and validates an instrument definition; on success adds it. file_name appears in errors.
  bool add_instrument(std::string_view file_name, std::string_view json_text,
                      std::vector<Error>* errors);
  // Validates an instrument definition without adding it.
  static bool validate_instrument(std::string_view file_name, std::string_view json_text,
                                  std::vector<Error>* errors);
  // Applies a wording pack to the instrument it names.
  bool add_wording_pack(std::string_view file_name, std::string_view json_text,
                        std::vector<Error>* errors);

  const Instrument* find(std::string_view id) const;   // a loaded instrument, else null
  std::vector<const Instrument*> instruments() const;  // the loaded ones, sorted by id
  // Every instrument the library knows, loaded or only by summary, sorted by id.
  std::vector<InstrumentSummary> summaries() const;
  bool knows(std::string_view id) const;  // loaded or known by summary
  // Some instrument, loaded or known by summary, has a name in `language` (cheap: no summaries
  // made).
  bool named_in(std::string_view language) const;
  // has_wording() of the loaded instrument (wording packs count), else of its summary.
  bool has_wording(std::string_view id, std::string_view language) const;

 private:
  std::vector<std::unique_ptr<Instrument>> instruments_;
  std::vector<InstrumentSummary> summaries_;  // known before their files are loaded, sorted by id
};

// Formats hundredths as a JSON number: 1200 -> "12", 4567 -> "45.67", 250 -> "2.5".
std::string format_hundredths(int32_t hundredths);

}  // namespace kindband

#endif  // KINDBAND_ENGINE_H_
