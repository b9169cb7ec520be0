// The journey: civil-date arithmetic, loading and validating journey definitions, and which moments
// are past, due or upcoming at every boundary (weeks of pregnancy, birth before or after the due
// date, the partner role).
#include "kindband/journey.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kindband {
namespace {

// ---------------------------------------------------------------------------------------------
// Dates

Date D(const char* text) {
  Date date;
  EXPECT_TRUE(parse_date(text, &date)) << text;
  return date;
}

// `text` shifted by `days` days, as "YYYY-MM-DD".
std::string Shift(const char* text, int64_t days) {
  return format_date(date_from_days(days_from_date(D(text)) + days));
}

TEST(Date, ParsesOnlyRealDatesInTheExactFormat) {
  Date date;
  EXPECT_TRUE(parse_date("2028-02-29", &date));
  EXPECT_EQ(date.year, 2028);
  EXPECT_EQ(date.month, 2);
  EXPECT_EQ(date.day, 29);
  EXPECT_TRUE(parse_date("2000-02-29", &date));   // divisible by 400: leap
  EXPECT_FALSE(parse_date("1900-02-29", &date));  // divisible by 100: not leap
  EXPECT_FALSE(parse_date("2027-02-29", &date));
  EXPECT_FALSE(parse_date("2027-04-31", &date));
  EXPECT_FALSE(parse_date("2027-13-01", &date));
  EXPECT_FALSE(parse_date("2027-00-10", &date));
  EXPECT_FALSE(parse_date("2027-01-00", &date));
  EXPECT_FALSE(parse_date("2027-4-01", &date));
  EXPECT_FALSE(parse_date("2027-04-01 ", &date));
  EXPECT_FALSE(parse_date("27-04-2027", &date));
  EXPECT_FALSE(parse_date("2027/04/01", &date));
  EXPECT_FALSE(parse_date("", &date));
  EXPECT_FALSE(parse_date("1899-12-31", &date));
  EXPECT_TRUE(parse_date("1900-01-01", &date));
  EXPECT_TRUE(parse_date("2199-12-31", &date));
  EXPECT_FALSE(parse_date("2200-01-01", &date));
}

TEST(Date, KnownDayNumbers) {
  EXPECT_EQ(days_from_date(D("1970-01-01")), 0);
  EXPECT_EQ(days_from_date(D("1969-12-31")), -1);
  EXPECT_EQ(days_from_date(D("2000-03-01")), 11017);
  EXPECT_EQ(days_from_date(D("1900-01-01")), -25567);
  EXPECT_EQ(days_from_date(D("2026-11-22")), 20779);
}

// Walks every valid date day by day with a naive calendar and checks both conversions agree.
TEST(Date, EveryDayFrom1900To2199RoundTripsAndIsConsecutive) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  Date date{1900, 1, 1};
  int64_t expected = days_from_date(date);
  int checked = 0;
  while (date.year < 2200) {
    ASSERT_EQ(days_from_date(date), expected) << format_date(date);
    Date back = date_from_days(expected);
    ASSERT_EQ(format_date(back), format_date(date));
    Date parsed;
    ASSERT_TRUE(parse_date(format_date(date), &parsed)) << format_date(date);
    bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
    int month_days = date.month == 2 && leap ? 29 : kDays[date.month - 1];
    if (++date.day > month_days) {
      date.day = 1;
      if (++date.month > 12) {
        date.month = 1;
        ++date.year;
      }
    }
    ++expected;
    ++checked;
  }
  EXPECT_EQ(checked, 109573);  // 300 years, 73 of them leap
}

// ---------------------------------------------------------------------------------------------
// A small journey with known windows, independent of the shipped content.

const char kTestJourney[] = R"({
  "id": "test_journey", "version": "1", "name": {"nl": "Test", "en": "Test"}, "source": "test",
  "moments": [
    {"id": "late", "stage": "postpartum", "window": {"start_week": 4, "end_week": 7},
     "roles": ["mother"], "instruments": ["epds", "pbq"], "elements": ["hold"],
     "name": {"nl": "Na 1 maand", "en": "After 1 month"}, "description": {"nl": "d", "en": "d"}, "programme": {"nl": "p", "en": "p"},
     "reasoning": "r", "source": "s"},
    {"id": "booking", "stage": "pregnancy", "window": {"start_week": 6, "end_week": 13},
     "roles": ["mother"], "instruments": ["whooley", "gad2"], "elements": [],
     "name": {"nl": "Begin", "en": "Booking"}, "description": {"nl": "d", "en": "d"}, "programme": {"nl": "p", "en": "p"},
     "reasoning": "r", "source": "s"},
    {"id": "third", "stage": "pregnancy", "window": {"start_week": 28, "end_week": 34},
     "roles": ["mother", "partner"], "instruments": ["maas"], "elements": [],
     "name": {"nl": "Derde", "en": "Third"}, "description": {"nl": "d", "en": "d"}, "programme": {"nl": "p", "en": "p"},
     "reasoning": "r", "source": "s"},
    {"id": "partner_pp", "stage": "postpartum", "window": {"start_week": 4, "end_week": 8},
     "roles": ["partner"], "instruments": ["epds"], "elements": [],
     "name": {"nl": "Partner", "en": "Partner"}, "description": {"nl": "d", "en": "d"}, "programme": {"nl": "p", "en": "p"},
     "reasoning": "r", "source": "s"}
  ],
  "element_instruments": ["maas"],
  "elements": [
    {"id": "hold", "title": {"nl": "Vasthouden", "en": "Holding"},
     "summary": {"nl": "s", "en": "s"}, "paragraphs": {"nl": ["p"], "en": ["p"]},
     "try_this": {"nl": ["t"], "en": ["t"]}}
  ],
  "support": {"nl": {"title": "Steun", "text": "t", "steps": [], "sharing": "delen"},
              "en": {"title": "Support", "text": "t", "steps": ["a"], "sharing": "share"}}
})";

class JourneyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Error> errors;
    library_ = Library::builtin(&errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
    ASSERT_TRUE(load_journey("test.json", kTestJourney, library_, &journey_, &errors))
        << errors[0].to_string();
  }

  // Computes the plan; fails the test on an error.
  JourneyPlan Plan(const std::string& role, const std::string& due, const std::string& birth,
                   const std::string& today) {
    JourneyPlan plan;
    Error error;
    EXPECT_TRUE(compute_journey(journey_, JourneyInput{role, due, birth, today}, &plan, &error))
        << error.pointer << ": " << error.message;
    return plan;
  }

  // Expects an input error at `pointer`.
  void ExpectInvalid(const JourneyInput& input, const std::string& pointer) {
    JourneyPlan plan;
    Error error;
    EXPECT_FALSE(compute_journey(journey_, input, &plan, &error));
    EXPECT_EQ(error.pointer, pointer) << error.message;
    EXPECT_FALSE(error.message.empty());
  }

  static const PlannedMoment& Moment(const JourneyPlan& plan, const std::string& id) {
    for (const PlannedMoment& m : plan.moments) {
      if (m.moment->id == id) return m;
    }
    ADD_FAILURE() << "no moment " << id;
    return plan.moments.front();
  }

  static std::string Status(const JourneyPlan& plan, const std::string& id) {
    return std::string(status_name(Moment(plan, id).status));
  }

  // "today" at a gestational age of `days`, for a due date of kDue.
  static std::string AtGestation(int days) { return Shift(kDue, days - 280); }

  static constexpr const char* kDue = "2027-06-15";
  Library library_;
  Journey journey_;
};

TEST_F(JourneyTest, MomentsAreOrderedPregnancyFirstThenByStartWeek) {
  std::vector<std::string> ids;
  for (const JourneyMoment& m : journey_.moments) ids.push_back(m.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"booking", "third", "late", "partner_pp"}));
}

TEST_F(JourneyTest, GestationalWeekIsCompletedWeeksSince280DaysBeforeTheDueDate) {
  JourneyPlan plan = Plan("mother", kDue, "", AtGestation(0));
  EXPECT_EQ(plan.stage, "pregnancy");
  EXPECT_EQ(plan.week, 0);
  EXPECT_EQ(plan.day, 0);
  plan = Plan("mother", kDue, "", AtGestation(83));
  EXPECT_EQ(plan.week, 11);
  EXPECT_EQ(plan.day, 6);
  plan = Plan("mother", kDue, "", AtGestation(84));
  EXPECT_EQ(plan.week, 12);
  EXPECT_EQ(plan.day, 0);
  plan = Plan("mother", kDue, "", kDue);  // on the due date itself: 40+0, still pregnant
  EXPECT_EQ(plan.stage, "pregnancy");
  EXPECT_EQ(plan.week, 40);
  EXPECT_EQ(plan.day, 0);
  EXPECT_FALSE(plan.birth_estimated);
}

TEST_F(JourneyTest, DueDateMoreThan40WeeksAhead_IsInvalid) {
  ExpectInvalid({"mother", kDue, "", AtGestation(-1)}, "/due_date");
}

TEST_F(JourneyTest, MomentIsDueFromFirstDayOfStartWeekToLastDayOfEndWeek) {
  // booking: weeks 6..13 = gestational days 42..97.
  EXPECT_EQ(Status(Plan("mother", kDue, "", AtGestation(41)), "booking"), "upcoming");
  EXPECT_EQ(Status(Plan("mother", kDue, "", AtGestation(42)), "booking"), "due");
  EXPECT_EQ(Status(Plan("mother", kDue, "", AtGestation(97)), "booking"), "due");
  EXPECT_EQ(Status(Plan("mother", kDue, "", AtGestation(98)), "booking"), "past");
  // third: weeks 28..34 = days 196..244.
  EXPECT_EQ(Status(Plan("mother", kDue, "", AtGestation(195)), "third"), "upcoming");
  EXPECT_EQ(Status(Plan("mother", kDue, "", AtGestation(196)), "third"), "due");
  EXPECT_EQ(Status(Plan("mother", kDue, "", AtGestation(244)), "third"), "due");
  EXPECT_EQ(Status(Plan("mother", kDue, "", AtGestation(245)), "third"), "past");
  // Postpartum moments stay upcoming throughout pregnancy.
  EXPECT_EQ(Status(Plan("mother", kDue, "", kDue), "late"), "upcoming");
}

TEST_F(JourneyTest, PregnancyMomentDatesComeFromTheDueDate) {
  JourneyPlan plan = Plan("mother", kDue, "", AtGestation(50));
  const PlannedMoment& booking = Moment(plan, "booking");
  ASSERT_TRUE(booking.has_dates);
  EXPECT_FALSE(booking.dates_estimated);
  EXPECT_EQ(format_date(booking.start_date), AtGestation(42));
  EXPECT_EQ(format_date(booking.end_date), AtGestation(97));
}

TEST_F(JourneyTest, AfterTheDueDateWithoutBirthDate_PostpartumIsEstimatedFromTheDueDate) {
  JourneyPlan plan = Plan("mother", kDue, "", Shift(kDue, 1));
  EXPECT_EQ(plan.stage, "postpartum");
  EXPECT_TRUE(plan.birth_estimated);
  EXPECT_EQ(plan.week, 0);
  EXPECT_EQ(plan.day, 1);
  EXPECT_EQ(Status(plan, "booking"), "past");
  EXPECT_EQ(Status(plan, "third"), "past");
  const PlannedMoment& late = Moment(plan, "late");
  EXPECT_EQ(late.status, MomentStatus::kUpcoming);
  EXPECT_TRUE(late.dates_estimated);
  EXPECT_EQ(format_date(late.start_date), Shift(kDue, 28));
  EXPECT_EQ(format_date(late.end_date), Shift(kDue, 55));
  // During pregnancy the postpartum dates are estimates from the due date too.
  JourneyPlan pregnant = Plan("mother", kDue, "", kDue);
  EXPECT_TRUE(Moment(pregnant, "late").dates_estimated);
}

TEST_F(JourneyTest, PrematureBirth_CountsPostpartumWeeksFromTheBirthDate) {
  std::string birth = Shift(kDue, -70);  // born at 30+0
  JourneyPlan plan = Plan("mother", kDue, birth, Shift(birth.c_str(), 28));
  EXPECT_EQ(plan.stage, "postpartum");
  EXPECT_FALSE(plan.birth_estimated);
  EXPECT_EQ(plan.week, 4);
  EXPECT_EQ(plan.day, 0);
  // By the due date alone this would be 34+0 and "third" due; after the birth it is past.
  EXPECT_EQ(Status(plan, "third"), "past");
  const PlannedMoment& late = Moment(plan, "late");
  EXPECT_EQ(late.status, MomentStatus::kDue);
  EXPECT_FALSE(late.dates_estimated);
  EXPECT_EQ(format_date(late.start_date), Shift(birth.c_str(), 28));
  // The day before the window starts.
  EXPECT_EQ(Status(Plan("mother", kDue, birth, Shift(birth.c_str(), 27)), "late"), "upcoming");
}

TEST_F(JourneyTest, BirthAfterTheDueDate_CountsFromTheBirthDate) {
  std::string birth = Shift(kDue, 10);  // born at 41+3
  JourneyPlan plan = Plan("mother", kDue, birth, Shift(kDue, 30));
  EXPECT_EQ(plan.week, 2);
  EXPECT_EQ(plan.day, 6);
  EXPECT_EQ(Status(plan, "late"), "upcoming");
  EXPECT_EQ(format_date(Moment(plan, "late").start_date), Shift(kDue, 38));
  // Between the due date and the birth (no birth date known yet) it counts from the due date.
  EXPECT_EQ(Status(Plan("mother", kDue, "", Shift(kDue, 30)), "late"), "due");
}

TEST_F(JourneyTest, BirthDateOnly_HasNoDatesForPregnancyMoments) {
  JourneyPlan plan = Plan("mother", "", "2027-06-01", "2027-06-01");
  EXPECT_EQ(plan.stage, "postpartum");
  EXPECT_EQ(plan.week, 0);
  EXPECT_EQ(plan.day, 0);
  EXPECT_FALSE(plan.has_due_date);
  const PlannedMoment& booking = Moment(plan, "booking");
  EXPECT_EQ(booking.status, MomentStatus::kPast);
  EXPECT_FALSE(booking.has_dates);
  EXPECT_TRUE(Moment(plan, "late").has_dates);
}

TEST_F(JourneyTest, BirthDateMustNotBeAfterToday) {
  ExpectInvalid({"mother", "", "2027-06-02", "2027-06-01"}, "/birth_date");
}

TEST_F(JourneyTest, BirthDateMustFitTheDueDateBetween20And44Weeks) {
  JourneyPlan plan;
  Error error;
  std::string today = Shift(kDue, 60);
  EXPECT_TRUE(compute_journey(journey_, {"mother", kDue, Shift(kDue, -140), today}, &plan, &error));
  EXPECT_TRUE(compute_journey(journey_, {"mother", kDue, Shift(kDue, 28), today}, &plan, &error));
  ExpectInvalid({"mother", kDue, Shift(kDue, -141), today}, "/birth_date");
  ExpectInvalid({"mother", kDue, Shift(kDue, 29), today}, "/birth_date");
}

TEST_F(JourneyTest, PartnerRole_SeesOnlyPartnerMomentsWithTheirOwnWindows) {
  std::string birth = "2027-06-01";
  JourneyPlan plan = Plan("partner", "", birth, Shift(birth.c_str(), 8 * 7 + 6));  // 8+6
  std::vector<std::string> ids;
  for (const PlannedMoment& m : plan.moments) ids.push_back(m.moment->id);
  EXPECT_EQ(ids, (std::vector<std::string>{"third", "partner_pp"}));
  EXPECT_EQ(Status(plan, "partner_pp"), "due");
  EXPECT_EQ(plan.context.role, "partner");
  EXPECT_EQ(Status(Plan("partner", "", birth, Shift(birth.c_str(), 63)), "partner_pp"), "past");
  // The mother's window of the same length ended a week earlier.
  EXPECT_EQ(Status(Plan("mother", "", birth, Shift(birth.c_str(), 8 * 7 + 6)), "late"), "past");
}

TEST_F(JourneyTest, AfterTheLastWindowEverythingIsPast) {
  JourneyPlan plan = Plan("mother", "", "2026-01-10", "2027-03-01");
  for (const PlannedMoment& m : plan.moments) {
    EXPECT_EQ(m.status, MomentStatus::kPast) << m.moment->id;
  }
}

TEST_F(JourneyTest, InvalidInputNamesTheField) {
  ExpectInvalid({"father", kDue, "", "2027-01-01"}, "/role");
  ExpectInvalid({"", kDue, "", "2027-01-01"}, "/role");
  ExpectInvalid({"mother", "", "", "2027-01-01"}, "/due_date");
  ExpectInvalid({"mother", "2027-02-30", "", "2027-01-01"}, "/due_date");
  ExpectInvalid({"mother", kDue, "2027-13-01", "2027-01-01"}, "/birth_date");
  ExpectInvalid({"mother", kDue, "", "today"}, "/today");
  ExpectInvalid({"mother", kDue, "", ""}, "/today");
}

TEST_F(JourneyTest, DatesAcrossALeapDayAreExact) {
  // Due 2028-03-10: 280 days before is 2027-06-04; week 38 starts 266 days later, 2028-02-25.
  JourneyPlan plan = Plan("mother", "2028-03-10", "", "2028-02-29");
  EXPECT_EQ(plan.week, 38);
  EXPECT_EQ(plan.day, 4);
  EXPECT_EQ(format_date(Moment(plan, "booking").start_date), "2027-07-16");  // 2027-06-04 + 42
  EXPECT_EQ(format_date(Moment(plan, "late").start_date), "2028-04-07");     // 2028-03-10 + 28
}

// The context for scoring comes out of the plan: the EPDS cut-off changes between week 13 and 14.
TEST_F(JourneyTest, PlanContextSelectsTheEpdsCutOffForTheWeek) {
  const Instrument* epds = library_.find("epds");
  ASSERT_NE(epds, nullptr);
  // Total 10: items 1, 2, 4 at the last option (3 each), item 3 at the third (1), others 0.
  Answers answers = {3, 3, 2, 3, 3, 3, 3, 3, 3, 3};
  Error error;
  Result week13, week14, partner;
  JourneyPlan plan = Plan("mother", kDue, "", AtGestation(13 * 7 + 6));
  ASSERT_EQ(plan.context.stage, "pregnancy");
  ASSERT_EQ(plan.context.week, 13);
  ASSERT_TRUE(score_instrument(*epds, answers, plan.context, &week13, &error)) << error.message;
  plan = Plan("mother", kDue, "", AtGestation(14 * 7));
  ASSERT_TRUE(score_instrument(*epds, answers, plan.context, &week14, &error)) << error.message;
  plan = Plan("partner", kDue, "", AtGestation(14 * 7));
  ASSERT_TRUE(score_instrument(*epds, answers, plan.context, &partner, &error)) << error.message;
  ASSERT_TRUE(week13.scales[0].complete);
  EXPECT_EQ(week13.scales[0].score_hundredths, 1000);
  EXPECT_FALSE(week13.positive());   // first trimester: >= 11
  EXPECT_TRUE(week14.positive());    // second and third trimester: >= 10
  EXPECT_FALSE(partner.positive());  // partners: > 10
}

TEST_F(JourneyTest, PlanJsonIsStable) {
  JourneyPlan plan = Plan("partner", "2027-06-15", "2027-06-01", "2027-07-06");
  EXPECT_EQ(
      journey_plan_to_json(plan, "en"),
      R"({"journey":"test_journey","version":"1","language":"en","name":"Test","role":"partner",)"
      R"("today":"2027-07-06","due_date":"2027-06-15","birth_date":"2027-06-01",)"
      R"("birth_estimated":false,"stage":"postpartum","week":5,"day":0,)"
      R"("context":{"role":"partner","stage":"postpartum","week":5},"moments":[)"
      R"({"id":"third","status":"past","stage":"pregnancy","start_week":28,"end_week":34,)"
      R"("start_date":"2027-03-23","end_date":"2027-05-10","dates_estimated":false,)"
      R"("name":"Third","description":"d","programme":"p","instruments":["maas"],)"
      R"("questionnaires":[{"purpose":"maas","offered":["maas"],"instead_of":[],)"
      R"("reason":"first_choice","note":null}],"elements":[],)"
      R"("reasoning":"r","source":"s"},)"
      R"({"id":"partner_pp","status":"due","stage":"postpartum","start_week":4,"end_week":8,)"
      R"("start_date":"2027-06-29","end_date":"2027-08-02","dates_estimated":false,)"
      R"("name":"Partner","description":"d","programme":"p","instruments":[],)"
      R"("questionnaires":[{"purpose":"epds","offered":[],"instead_of":["epds"],)"
      R"("reason":"no_wording_in_language","note":null}],"elements":[],)"
      R"("reasoning":"r","source":"s"}]})");
}

TEST_F(JourneyTest, ContentJsonHasElementsAndSupportInTheLanguage) {
  EXPECT_EQ(journey_content_to_json(journey_, "nl"),
            R"({"journey":"test_journey","language":"nl","elements":[{"id":"hold",)"
            R"("title":"Vasthouden","summary":"s","paragraphs":["p"],"try_this":["t"]}],)"
            R"("element_instruments":["maas"],"support":{"title":"Steun","text":"t","steps":[],)"
            R"("sharing":"delen"}})");
}

TEST_F(JourneyTest, InputJsonParsesNullAsNotGiven) {
  JourneyInput input;
  Error error;
  ASSERT_TRUE(parse_journey_input(
      R"({"role":"mother","due_date":null,"birth_date":"2027-06-01","today":"2027-06-03"})", &input,
      &error));
  EXPECT_EQ(input.role, "mother");
  EXPECT_EQ(input.due_date, "");
  EXPECT_EQ(input.birth_date, "2027-06-01");
  EXPECT_EQ(input.today, "2027-06-03");
  EXPECT_FALSE(parse_journey_input(R"({"role":"mother","due":"2027-06-01"})", &input, &error));
  EXPECT_EQ(error.pointer, "/due");
  EXPECT_FALSE(parse_journey_input(R"({"role":7})", &input, &error));
  EXPECT_EQ(error.pointer, "/role");
  EXPECT_FALSE(parse_journey_input("[", &input, &error));
}

// ---------------------------------------------------------------------------------------------
// Loading: every error names the file and a JSON pointer.

class JourneyLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Error> errors;
    library_ = Library::builtin(&errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
  }

  // Loads kTestJourney with `from` replaced by `to` (once) and returns the errors as text.
  std::vector<std::string> ErrorsAfter(const std::string& from, const std::string& to) {
    std::string text = kTestJourney;
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    Journey journey;
    std::vector<Error> errors;
    bool ok = load_journey("test.json", text, library_, &journey, &errors);
    EXPECT_EQ(ok, errors.empty());
    std::vector<std::string> out;
    for (const Error& e : errors) out.push_back(e.to_string());
    return out;
  }

  Library library_;
};

using Errors = std::vector<std::string>;

TEST_F(JourneyLoadTest, UnknownInstrumentIsAnErrorWithFileAndPointer) {
  EXPECT_EQ(ErrorsAfter(R"("instruments": ["whooley", "gad2"])",
                        R"("instruments": ["whooley", "epds2"])"),
            Errors{"test.json: /moments/1/instruments/1: unknown instrument \"epds2\""});
  EXPECT_EQ(ErrorsAfter(R"("element_instruments": ["maas"])", R"("element_instruments": ["x"])"),
            Errors{"test.json: /element_instruments/0: unknown instrument \"x\""});
}

TEST_F(JourneyLoadTest, WindowsMustBeOrderedWholeWeeksInRange) {
  EXPECT_EQ(
      ErrorsAfter(R"({"start_week": 6, "end_week": 13})", R"({"start_week": 13, "end_week": 6})"),
      Errors{"test.json: /moments/1/window: end_week 6 is before start_week 13"});
  EXPECT_EQ(
      ErrorsAfter(R"({"start_week": 6, "end_week": 13})", R"({"start_week": 6.5, "end_week": 13})"),
      Errors{"test.json: /moments/1/window/start_week: expected an integer, found number"});
  EXPECT_EQ(
      ErrorsAfter(R"({"start_week": 28, "end_week": 34})", R"({"start_week": 28, "end_week": 43})"),
      Errors{"test.json: /moments/2/window/end_week: a pregnancy window must end by week 42"});
  EXPECT_EQ(
      ErrorsAfter(R"({"start_week": 4, "end_week": 7})", R"({"start_week": -1, "end_week": 7})"),
      Errors{"test.json: /moments/0/window/start_week: week -1 is outside 0..112"});
}

TEST_F(JourneyLoadTest, StagesRolesElementsAndIdsAreChecked) {
  EXPECT_EQ(ErrorsAfter(R"("stage": "postpartum", "window": {"start_week": 4, "end_week": 7})",
                        R"("stage": "baby", "window": {"start_week": 4, "end_week": 7})"),
            Errors{"test.json: /moments/0/stage: unknown stage \"baby\" (expected \"pregnancy\" "
                   "or \"postpartum\")"});
  EXPECT_EQ(ErrorsAfter(R"("roles": ["partner"])", R"("roles": ["father"])"),
            Errors{"test.json: /moments/3/roles/0: unknown role \"father\" (expected \"mother\" "
                   "or \"partner\")"});
  EXPECT_EQ(ErrorsAfter(R"("elements": ["hold"])", R"("elements": ["hug"])"),
            Errors{"test.json: /moments/0/elements/0: unknown element \"hug\""});
  EXPECT_EQ(ErrorsAfter(R"("id": "third")", R"("id": "booking")"),
            Errors{"test.json: /moments/2/id: duplicate moment id \"booking\""});
  EXPECT_EQ(ErrorsAfter(R"("roles": ["mother", "partner"])", R"("roles": [])"),
            Errors{"test.json: /moments/2/roles: must not be empty"});
}

TEST_F(JourneyLoadTest, TextsNeedBothLanguages) {
  EXPECT_EQ(ErrorsAfter(R"("name": {"nl": "Begin", "en": "Booking"})",
                        R"("name": {"nl": "Begin", "fr": "Début"})"),
            (Errors{"test.json: /moments/1/name: missing \"en\"",
                    "test.json: /moments/1/name/fr: unknown language"}));
  EXPECT_EQ(ErrorsAfter(R"("paragraphs": {"nl": ["p"], "en": ["p"]})",
                        R"("paragraphs": {"nl": ["p"], "en": []})"),
            Errors{"test.json: /elements/0/paragraphs/en: must not be empty"});
}

TEST_F(JourneyLoadTest, MalformedJsonAndUnknownKeys) {
  EXPECT_EQ(ErrorsAfter(R"("source": "test",)", R"("source": "test")"),
            Errors{"test.json: invalid JSON at line 3, column 3: unexpected '\"'"});
  EXPECT_EQ(ErrorsAfter(R"("source": "test",)", R"("source": "test", "extra/key": 1,)"),
            Errors{"test.json: /extra~1key: unknown key"});
}

// A file for parents (`languages`): texts in those languages only, professionals' fields optional.
const char kParentsJourney[] = R"({
  "id": "test_journey", "version": "1", "languages": ["nl"], "name": {"nl": "Test"},
  "moments": [
    {"id": "booking", "stage": "pregnancy", "window": {"start_week": 6, "end_week": 13},
     "roles": ["mother"], "instruments": ["whooley", "gad2"], "elements": [],
     "name": {"nl": "Begin"}, "description": {"nl": "d"}, "programme": {"nl": "p"}}
  ],
  "element_instruments": [],
  "elements": [],
  "support": {"nl": {"title": "Steun", "text": "t", "steps": [], "sharing": "delen"}}
})";

TEST_F(JourneyLoadTest, FileForParents_HasTextsInItsLanguagesOnlyAndNoProfessionalFields) {
  Journey journey;
  std::vector<Error> errors;
  ASSERT_TRUE(load_journey("parents.nl.json", kParentsJourney, library_, &journey, &errors))
      << errors[0].to_string();
  EXPECT_EQ(journey.languages, std::vector<std::string>{"nl"});
  EXPECT_EQ(journey.moments[0].reasoning, "");
  JourneyPlan plan;
  Error error;
  ASSERT_TRUE(compute_journey(journey, {"mother", "2027-03-01", "", "2026-09-01"}, &plan, &error));
  const std::string json = journey_plan_to_json(plan, "nl");
  // A plan from it leaves the professionals' fields out instead of writing them empty.
  EXPECT_EQ(json.find("\"reasoning\""), std::string::npos) << json;
  EXPECT_EQ(json.find("\"source\""), std::string::npos) << json;
  EXPECT_NE(json.find(R"("name":"Begin","description":"d","programme":"p")"), std::string::npos);

  // Both languages are still required of a file that does not name its languages.
  Journey whole;
  errors.clear();
  EXPECT_TRUE(load_journey("test.json", kTestJourney, library_, &whole, &errors));
  EXPECT_EQ(whole.languages, (std::vector<std::string>{"nl", "en"}));
}

TEST_F(JourneyLoadTest, FileForParents_RefusesOtherLanguagesAndUnknownOnes) {
  auto errors_of = [this](const std::string& from, const std::string& to) {
    std::string text = kParentsJourney;
    text.replace(text.find(from), from.size(), to);
    Journey journey;
    std::vector<Error> errors;
    EXPECT_FALSE(load_journey("parents.nl.json", text, library_, &journey, &errors));
    std::vector<std::string> out;
    for (const Error& e : errors) out.push_back(e.to_string());
    return out;
  };
  EXPECT_EQ(errors_of(R"("name": {"nl": "Begin"})", R"("name": {"nl": "Begin", "en": "Booking"})"),
            Errors{"parents.nl.json: /moments/0/name/en: \"en\" is not one of the file's "
                   "\"languages\""});
  EXPECT_EQ(errors_of(R"("name": {"nl": "Begin"})", R"("name": {"en": "Booking"})"),
            (Errors{"parents.nl.json: /moments/0/name: missing \"nl\"",
                    "parents.nl.json: /moments/0/name/en: \"en\" is not one of the file's "
                    "\"languages\""}));
  EXPECT_EQ(errors_of(R"("languages": ["nl"])", R"("languages": ["de"])"),
            Errors{"parents.nl.json: /languages/0: unknown language \"de\" (expected \"nl\" or "
                   "\"en\")"});
  EXPECT_EQ(errors_of(R"("languages": ["nl"])", R"("languages": [])"),
            Errors{"parents.nl.json: /languages: must not be empty"});
  EXPECT_EQ(errors_of(R"("support": {"nl")", R"("support": {"en": {}, "nl")"),
            Errors{"parents.nl.json: /support/en: \"en\" is not one of the file's "
                   "\"languages\""});
}

TEST_F(JourneyLoadTest, TheSourceFileNeedsItsProfessionalFields) {
  EXPECT_EQ(ErrorsAfter(R"("reasoning": "r", "source": "s"},
    {"id": "third")",
                        R"("source": "s"},
    {"id": "third")"),
            Errors{"test.json: /moments/1: missing \"reasoning\""});
}

// ---------------------------------------------------------------------------------------------
// The shipped journey (engine/journeys/).

class BuiltinJourneyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Error> errors;
    library_ = Library::builtin(&errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
    bool ok = builtin_journey(library_, &journey_, &errors);
    for (const Error& e : errors) ADD_FAILURE() << e.to_string();
    ASSERT_TRUE(ok);
  }

  std::vector<std::string> DueInstruments(const std::string& role, const std::string& due,
                                          const std::string& birth, const std::string& today) {
    JourneyPlan plan;
    Error error;
    EXPECT_TRUE(compute_journey(journey_, {role, due, birth, today}, &plan, &error))
        << error.message;
    std::vector<std::string> out;
    for (const PlannedMoment& m : plan.moments) {
      if (m.status != MomentStatus::kDue) continue;
      out.insert(out.end(), m.moment->instruments.begin(), m.moment->instruments.end());
    }
    return out;
  }

  Library library_;
  Journey journey_;
};

using Ids = std::vector<std::string>;

TEST_F(BuiltinJourneyTest, LoadsWithSixRelationshipElementsAndSupportInBothLanguages) {
  EXPECT_EQ(journey_.elements.size(), 6u);
  EXPECT_EQ(journey_.support.size(), 2u);
  for (const JourneyMoment& m : journey_.moments) {
    EXPECT_FALSE(m.reasoning.empty()) << m.id;
    EXPECT_FALSE(m.source.empty()) << m.id;
  }
}

TEST_F(BuiltinJourneyTest, MotherGetsWhooleyAndGad2AtBookingAndMaasInTheThirdTrimester) {
  const char* due = "2027-06-15";
  Ids booking = DueInstruments("mother", due, "", Shift(due, 10 * 7 - 280));
  EXPECT_NE(std::find(booking.begin(), booking.end(), "whooley"), booking.end());
  EXPECT_NE(std::find(booking.begin(), booking.end(), "gad2"), booking.end());
  Ids third = DueInstruments("mother", due, "", Shift(due, 30 * 7 - 280));
  EXPECT_NE(std::find(third.begin(), third.end(), "maas"), third.end());
  Ids partner_third = DueInstruments("partner", due, "", Shift(due, 30 * 7 - 280));
  EXPECT_NE(std::find(partner_third.begin(), partner_third.end(), "paas"), partner_third.end());
  EXPECT_EQ(std::find(partner_third.begin(), partner_third.end(), "maas"), partner_third.end());
}

TEST_F(BuiltinJourneyTest, PostpartumEpdsAndBondingForBothRoles) {
  const char* birth = "2027-06-01";
  Ids mother = DueInstruments("mother", "", birth, Shift(birth, 5 * 7));
  for (const char* id : {"epds", "pbq"}) {
    EXPECT_NE(std::find(mother.begin(), mother.end(), id), mother.end()) << id;
  }
  // MPAS moved to six months: the 4-7 week moment no longer asks 66 items in one sitting.
  EXPECT_EQ(std::find(mother.begin(), mother.end(), "mpas"), mother.end());
  Ids partner = DueInstruments("partner", "", birth, Shift(birth, 6 * 7));
  for (const char* id : {"epds", "ppas"}) {
    EXPECT_NE(std::find(partner.begin(), partner.end(), id), partner.end()) << id;
  }
}

}  // namespace
}  // namespace kindband
