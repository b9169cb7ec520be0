// Prints journey cases with the native engine's answer, for tests/journey/parity/journey_parity.mjs
// to replay in wasm: the same bytes are required, including every error message.
//
// Usage: kindband_journey_parity_cases [JOURNEYS_DIR]
// Without an argument, the plans come from the built-in journey (what the full build has compiled
// in); with JOURNEYS_DIR (the wasm build's dist/journeys), from the journey files for parents in
// it, <id>.nl.json for the Dutch cases and <id>.en.json for the English ones (what a journey page
// adds). Output: per case two lines: the input JSON and language as
// {"input":{...},"language":"nl"}, then the plan JSON or "error: <pointer>: <message>".
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "kindband/journey.h"

namespace {

using kindband::Date;

std::string shift(const Date& date, int64_t days) {
  return kindband::format_date(kindband::date_from_days(kindband::days_from_date(date) + days));
}

std::string quoted_or_null(const std::string& value) {
  return value.empty() ? "null" : "\"" + value + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<kindband::Error> errors;
  kindband::Library library = kindband::Library::builtin(&errors);
  std::map<std::string, kindband::Journey> journeys;  // by language
  for (const char* language : {"nl", "en"}) {
    kindband::Journey& journey = journeys[language];
    bool ok = errors.empty();
    if (ok && argc > 1) {
      const std::string file = std::string(argv[1]) + "/first_1000_days." + language + ".json";
      std::ifstream in(file, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      ok = in && kindband::load_journey(file, text.str(), library, &journey, &errors);
      if (!in) std::fprintf(stderr, "%s: cannot be read\n", file.c_str());
    } else if (ok) {
      ok = kindband::builtin_journey(library, &journey, &errors);
    }
    if (!ok) {
      for (const kindband::Error& e : errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
      return 1;
    }
  }
  // Due dates around leap days and year ends; each case varies today and the birth date.
  const char* const due_dates[] = {"2027-06-15", "2028-03-10", "2027-01-02", "2099-12-31"};
  const int birth_offsets[] = {-141, -140, -70, -1, 0, 1, 10, 28, 29};
  int cases = 0;
  std::chrono::steady_clock::duration engine_time{};
  for (const char* due_text : due_dates) {
    Date due;
    kindband::parse_date(due_text, &due);
    for (int today = -290; today <= 400; today += 1) {
      for (const char* role : {"mother", "partner"}) {
        std::vector<kindband::JourneyInput> inputs = {
            {role, due_text, "", shift(due, today)},
            {role, "", shift(due, -today / 2), shift(due, today)},
        };
        if (today % 7 == 0) {
          for (int offset : birth_offsets) {
            inputs.push_back({role, due_text, shift(due, offset), shift(due, today)});
          }
        }
        for (const kindband::JourneyInput& input : inputs) {
          const char* language = cases % 2 == 0 ? "nl" : "en";
          ++cases;
          std::printf(
              "{\"input\":{\"role\":\"%s\",\"due_date\":%s,\"birth_date\":%s,\"today\":\"%s\"},"
              "\"language\":\"%s\"}\n",
              input.role.c_str(), quoted_or_null(input.due_date).c_str(),
              quoted_or_null(input.birth_date).c_str(), input.today.c_str(), language);
          const kindband::Journey& journey = journeys[language];
          kindband::JourneyPlan plan;
          kindband::Error error;
          auto start = std::chrono::steady_clock::now();
          bool ok = kindband::compute_journey(journey, input, &plan, &error);
          std::string json = ok ? kindband::journey_plan_to_json(plan, language) : "";
          engine_time += std::chrono::steady_clock::now() - start;
          if (ok) {
            std::printf("%s\n", json.c_str());
          } else {
            std::printf("error: %s: %s\n", error.pointer.c_str(), error.message.c_str());
          }
        }
      }
    }
  }
  // The native baseline for the wasm timing in journey_parity.mjs (compute + JSON, no I/O).
  double micros = std::chrono::duration<double, std::micro>(engine_time).count() / cases;
  std::fprintf(stderr, "{\"cases\":%d,\"native_us_per_call\":%.2f}\n", cases, micros);
  return 0;
}
