// The 1000-day journey: which questionnaires are due when, for the mother and for the partner, from
// early pregnancy to the child's second birthday, plus the parent–child relationship content.
//
// The journey is data (engine/journeys/*.json, see docs/journey-format.md). The engine computes
// from a due date or a birth date and today's date which moments are past, due or upcoming. Pure
// C++17 like engine.h: no I/O, no clock (the caller passes today), no exceptions; dates are civil
// dates computed with integer arithmetic, so native and wasm agree to the day.
#ifndef KINDBAND_JOURNEY_H_
#define KINDBAND_JOURNEY_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kindband/engine.h"

namespace kindband {

// A calendar date (proleptic Gregorian). Valid years are 1900..2199.
struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
};

// Parses exactly "YYYY-MM-DD" (a real date: 2027-02-29 is rejected, 2028-02-29 accepted).
bool parse_date(std::string_view text, Date* date);
std::string format_date(const Date& date);
// Days since 1970-01-01 (negative before). Exact for every valid date.
int64_t days_from_date(const Date& date);
Date date_from_days(int64_t days);

// One questionnaire of a moment: alternatives of the same purpose, in order of preference. The
// first alternative whose instruments all have wording in the parent's language
// (Library::has_wording(): built in or from a wording pack) is offered, e.g. EPDS, else PHQ-9 +
// GAD-7. Instruments are named by id: the journey needs no instrument's items (an engine that knows
// the instruments by their summaries plans the journey as one that has loaded them).
struct QuestionnaireChoice {
  std::string purpose;  // e.g. "mood", "bonding"; for a plain instrument entry its id
  std::vector<std::vector<std::string>> alternatives;  // each one or more instrument ids
  Text fallback_note;  // optional: shown when an alternative other than the first is offered
  const Library* library = nullptr;  // the library the journey was loaded against
};

// What a QuestionnaireChoice offers in a language: `offered` is empty when no alternative has
// wording in that language; `skipped` are the instruments of the alternatives passed over.
struct OfferedQuestionnaire {
  const QuestionnaireChoice* choice = nullptr;
  std::vector<std::string> offered;  // instrument ids
  std::vector<std::string> skipped;
  bool first_choice = true;
};
OfferedQuestionnaire offer(const QuestionnaireChoice& choice, std::string_view language);

// One moment of the journey: a window of weeks in one stage, for some roles, naming instruments.
struct JourneyMoment {
  std::string id;
  std::string stage;   // "pregnancy" | "postpartum"
  int start_week = 0;  // inclusive, in completed weeks (pregnancy: gestational age; postpartum:
  int end_week = 0;    // weeks since birth). Week w runs from day 7w to day 7w+6.
  std::vector<std::string> roles;                   // "mother" and/or "partner"
  std::vector<QuestionnaireChoice> questionnaires;  // in suggested order
  std::vector<std::string> instruments;  // every instrument id named, alternatives included
  std::vector<std::string> elements;     // relationship element ids to read at this moment
  Text name;
  Text description;  // parent-facing: what and why, short
  Text programme;    // parent-facing: which programme the moment follows (e.g. the JGZ visit)
  // For professionals (empty when loaded from a journey file for parents):
  std::string reasoning;  // why these instruments at this time
  std::string source;     // guideline or study behind the moment
};

// One of the six elements of a good parent–child relationship, as a short information page.
struct RelationshipElement {
  std::string id;
  Text title;
  Text summary;
  std::map<std::string, std::vector<std::string>> paragraphs;  // by language
  std::map<std::string, std::vector<std::string>> try_this;    // by language: small things to try
};

struct Journey {
  std::string file_name;
  std::string id;
  std::string version;
  std::vector<std::string>
      languages;  // the languages of its texts: both, or those of a file for parents
  Text name;
  std::string source;
  std::vector<JourneyMoment> moments;  // sorted: pregnancy before postpartum, then by start week
  std::vector<RelationshipElement> elements;
  std::vector<std::string> element_instruments;  // whose feedback links to the elements
  AdviceByLanguage support;                      // what the local care network offers, with steps
  Text support_sharing;  // how sharing a result with it works (for sites that offer sharing)
};

// Parses and validates a journey definition. A file for parents (docs/journey-format.md: with
// `languages`, e.g. the browser's journeys/<id>.<lang>.json) has texts in those languages only and
// may leave out the professionals' `source` and `reasoning`. Every instrument named must be known
// to `library` (loaded or by summary, Library::knows), and the journey asks it which have wording:
// `library` must outlive the journey (wording packs and instruments added to it later count when
// the plan is written); errors name the file and a JSON pointer, e.g. `journey.json:
// /moments/3/instruments/1: unknown instrument "epds2"`. Returns false (and leaves `journey`
// unspecified) when there are errors.
bool load_journey(std::string_view file_name, std::string_view json_text, const Library& library,
                  Journey* journey, std::vector<Error>* errors);

// The journey compiled into the engine (engine/journeys/, exactly one file), validated against
// `library`. Errors here are build errors; the tests load it and require none.
bool builtin_journey(const Library& library, Journey* journey, std::vector<Error>* errors);

// What the parent tells us. Dates are "YYYY-MM-DD"; an empty string means "not given".
struct JourneyInput {
  std::string role;        // "mother" | "partner"
  std::string due_date;    // due date (40+0 weeks)
  std::string birth_date;  // the child's birth date, once born
  std::string today;       // the caller's local date (the engine has no clock)
};

// Parses {"role":"mother","due_date":"2027-03-01","birth_date":null,"today":"2026-11-22"}
// (null or absent = not given). Errors point at the key.
bool parse_journey_input(std::string_view json_text, JourneyInput* input, Error* error);

enum class MomentStatus { kPast, kDue, kUpcoming };

struct PlannedMoment {
  const JourneyMoment* moment = nullptr;
  MomentStatus status = MomentStatus::kUpcoming;
  bool has_dates = false;        // false for pregnancy moments when only a birth date is known
  bool dates_estimated = false;  // postpartum dates computed from the due date (not yet born)
  Date start_date;               // first day of start_week
  Date end_date;                 // last day of end_week
};

// The journey for one parent on one day. Refers into its Journey, which must outlive it.
//
// Stage and week: with a birth date on or before today, the stage is postpartum and the week is the
// completed weeks since birth (day of birth = week 0). Otherwise, from the due date: gestational
// age in days = 280 - (due - today); up to and including the due date the stage is pregnancy and
// the week is gestational age / 7 (completed weeks, 0..40); after the due date with no birth date
// the stage is postpartum counted from the due date and `birth_estimated` is true (the parent
// should enter the birth date).
//
// A moment is due when the current stage equals its stage and start_week <= week <= end_week; past
// when its window lies before today (every pregnancy moment is past once postpartum); upcoming
// otherwise.
struct JourneyPlan {
  const Journey* journey = nullptr;
  std::string role;
  Date today;
  bool has_due_date = false;
  Date due_date;
  bool has_birth_date = false;
  Date birth_date;
  bool birth_estimated = false;
  std::string stage;
  int week = 0;
  int day = 0;                         // days into the current week, 0..6 (pregnancy: "26+3")
  Context context;                     // what score() needs for a questionnaire filled in today
  std::vector<PlannedMoment> moments;  // the role's moments, in journey order
};

// Computes the plan. Returns false with error.pointer = /role, /due_date, /birth_date or /today on
// invalid input: an unknown role, a malformed date, neither date given, a due date more than 280
// days after today, a birth date after today, or a birth date given with a due date that is not
// between 20+0 and 44+0 weeks of pregnancy.
bool compute_journey(const Journey& journey, const JourneyInput& input, JourneyPlan* plan,
                     Error* error);

std::string_view status_name(MomentStatus status);  // "past" | "due" | "upcoming"

// Stable JSON (fixed key order, no whitespace), texts in `language` ("nl" | "en"); see
// docs/journey-format.md.
std::string journey_plan_to_json(const JourneyPlan& plan, std::string_view language);
// The six relationship elements, the support text and the instruments that link to the elements.
std::string journey_content_to_json(const Journey& journey, std::string_view language);

}  // namespace kindband

#endif  // KINDBAND_JOURNEY_H_
