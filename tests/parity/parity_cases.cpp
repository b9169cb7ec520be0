// Prints deterministic pseudo-random answer sets for every built-in instrument, each followed by
// the native engine's result and advice JSON, for tests/wasm/parity.mjs to replay in wasm.
//
// Usage: kindband_parity_cases [cases_per_instrument=10000] [seed=1]
//        kindband_parity_cases --bench [calls=20000]   (latency baseline for size-report.sh)
// Output: one header line {"languages":[...],"instruments":[...],"contexts":{"<id>":count,...},
// "cases_per_instrument":N}, then per case six lines: the case {"instrument","answers","context"},
// the result JSON, the advice JSON in each language, and the session advice of this case together
// with the one before it in each language (or "error: <message>" where the engine refused).
// Contexts cycle through every role, stage and week boundary of the instrument's band sets.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "engine_calls.h"
#include "kindband/engine.h"

namespace {

using kindband::Answers;
using kindband::Context;
using kindband::Instrument;

// splitmix64: tiny, deterministic on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int bound) { return static_cast<int>(next() % static_cast<uint64_t>(bound)); }
  bool chance(int percent) { return below(100) < percent; }

 private:
  uint64_t state_;
};

// FNV-1a: a per-instrument seed that is the same on every platform (std::hash is not).
uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

struct CaseContext {
  Context context;
  std::string json;  // the same context as the JS API receives it
};

// Every context the band sets distinguish: no context, each role and stage (and neither), and the
// weeks at and around each band set's week limits. Only contexts the engine accepts are kept.
std::vector<CaseContext> contexts_for(const Instrument& instrument) {
  std::set<int> weeks = {-1};
  for (const kindband::Scale& scale : instrument.scales) {
    for (const kindband::BandSet& set : scale.band_sets) {
      if (!set.has_when) continue;
      for (int limit : {set.when.week_min, set.when.week_max}) {
        if (limit < 0) continue;
        for (int week : {limit - 1, limit, limit + 1}) {
          if (week >= 0) weeks.insert(week);
        }
      }
    }
  }
  std::vector<CaseContext> contexts;
  for (const char* role : {"", "mother", "partner"}) {
    for (const char* stage : {"", "pregnancy", "postpartum"}) {
      for (int week : weeks) {
        std::string text;
        std::string json;
        auto add = [&](const std::string& key, const std::string& value, bool quoted) {
          text += (text.empty() ? "" : ",") + key + "=" + value;
          json += (json.empty() ? "" : ",") + ("\"" + key + "\":") +
                  (quoted ? "\"" + value + "\"" : value);
        };
        if (*role) add("role", role, true);
        if (*stage) add("stage", stage, true);
        if (week >= 0) add("week", std::to_string(week), false);
        CaseContext candidate;
        kindband::Error error;
        if (!kindband::parse_context(text, &candidate.context, &error)) continue;
        candidate.json = "{" + json + "}";
        contexts.push_back(candidate);
      }
    }
  }
  return contexts;
}

// Answer sets of several shapes, so that every band and rule is reached, with missing answers.
Answers answers_for(const Instrument& instrument, int index, Random* random) {
  const size_t count = instrument.items.size();
  Answers answers(count, kindband::kMissing);
  const int shape = index < 3 ? -1 - index : index % 5;
  int max_options = 1;
  for (const auto& item : instrument.items) {
    max_options = std::max(max_options, static_cast<int>(item.options.size()));
  }
  const int level = random->below(max_options);
  for (size_t i = 0; i < count; ++i) {
    const int options = static_cast<int>(instrument.items[i].options.size());
    int answer = random->below(options);
    switch (shape) {
      case -1:  // all missing
        answer = kindband::kMissing;
        break;
      case -2:  // all first options
        answer = 0;
        break;
      case -3:  // all last options
        answer = options - 1;
        break;
      case 1:  // some missing
        if (random->chance(20)) answer = kindband::kMissing;
        break;
      case 2:  // around one level, as real answers tend to be
        answer = std::clamp(level + random->below(3) - 1, 0, options - 1);
        if (random->chance(5)) answer = kindband::kMissing;
        break;
      case 3:  // mostly missing
        if (random->chance(60)) answer = kindband::kMissing;
        break;
      case 4:  // extremes
        answer = random->chance(50) ? 0 : options - 1;
        if (random->chance(10)) answer = kindband::kMissing;
        break;
      default:  // uniform, complete
        break;
    }
    answers[i] = answer;
  }
  // Every third case leaves out the trailing items that may be (PHQ-9 with 9 of its 10 answers).
  if (index % 3 == 1) answers.resize(kindband::fewest_answers(instrument));
  return answers;
}

std::string answers_json(const Answers& answers) {
  std::string json = "[";
  for (size_t i = 0; i < answers.size(); ++i) {
    if (i > 0) json += ',';
    json += answers[i] == kindband::kMissing ? "null" : std::to_string(answers[i]);
  }
  return json + "]";
}

std::vector<std::string> languages_of(const kindband::Library& library) {
  std::set<std::string> languages;
  for (const Instrument* instrument : library.instruments()) {
    for (const auto& entry : instrument->name) languages.insert(entry.first);
  }
  return {languages.begin(), languages.end()};
}

void print_line(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

int print_cases(const kindband::Library& library, int per_instrument, uint64_t seed) {
  const std::vector<std::string> languages = languages_of(library);
  std::string header = "{\"languages\":[";
  for (size_t i = 0; i < languages.size(); ++i) {
    header += (i ? ",\"" : "\"") + languages[i] + "\"";
  }
  header += "],\"instruments\":[";
  bool first = true;
  for (const Instrument* instrument : library.instruments()) {
    header += (first ? "\"" : ",\"") + instrument->id + "\"";
    first = false;
  }
  header += "],\"contexts\":{";
  first = true;
  for (const Instrument* instrument : library.instruments()) {
    header += (first ? "\"" : ",\"") + instrument->id +
              "\":" + std::to_string(contexts_for(*instrument).size());
    first = false;
  }
  print_line(header + "},\"cases_per_instrument\":" + std::to_string(per_instrument) + "}");

  // The session advice (several questionnaires advised together) of each case with the case before
  // it, through the same JSON-text call the wasm makes.
  const kindband::calls::Session session;
  std::string previous_entry;
  for (const Instrument* instrument : library.instruments()) {
    Random random(seed ^ fnv1a(instrument->id));
    const std::vector<CaseContext> contexts = contexts_for(*instrument);
    for (int index = 0; index < per_instrument; ++index) {
      const CaseContext& context = contexts[(index / 5) % contexts.size()];
      const Answers answers = answers_for(*instrument, index, &random);
      const std::string entry =
          "{\"instrument\":\"" + instrument->id + "\",\"answers\":" + answers_json(answers) + "}";
      print_line(entry.substr(0, entry.size() - 1) + ",\"context\":" + context.json + "}");
      kindband::Result result;
      kindband::Error error;
      if (!kindband::score_instrument(*instrument, answers, context.context, &result, &error)) {
        for (size_t line = 0; line <= languages.size(); ++line) {
          print_line("error: " + error.to_string());
        }
      } else {
        print_line(kindband::to_json(result));
        for (const std::string& language : languages) {
          kindband::Advice advice;
          if (kindband::advise(result, language, &advice, &error)) {
            print_line(kindband::to_json(advice));
          } else {
            print_line("error: " + error.to_string());
          }
        }
      }
      const std::string entries =
          "[" + (previous_entry.empty() ? "" : previous_entry + ",") + entry + "]";
      for (const std::string& language : languages) {
        const kindband::calls::Reply reply =
            session.advise_session(entries, context.json, language);
        print_line(reply.ok ? reply.text : "error: " + reply.text);
      }
      previous_entry = entry;
    }
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}

// Median time per call, per instrument, in batches of 100 calls (the batching of the browser
// measurement in tests/wasm/browser.mjs): the engine alone (score_instrument + to_json), and the
// JSON-text call the wasm module makes (answers and context parsed from JSON, as kb.scoreText
// does).
int bench(const kindband::Library& library, int calls) {
  constexpr int kBatch = 100;
  const kindband::calls::Session session;
  size_t bytes = 0;
  auto median_of_batches = [&](auto&& call) {
    std::vector<double> per_call;
    for (int batch = 0; batch < calls / kBatch; ++batch) {
      const auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < kBatch; ++i) bytes += call(i);
      const std::chrono::duration<double, std::micro> took =
          std::chrono::steady_clock::now() - start;
      per_call.push_back(took.count() / kBatch);
    }
    std::sort(per_call.begin(), per_call.end());
    return per_call[per_call.size() / 2];
  };
  for (const Instrument* instrument : library.instruments()) {
    Random random(7);
    std::vector<Answers> sets;
    std::vector<std::string> texts;
    for (int i = 0; i < kBatch; ++i) {
      sets.push_back(answers_for(*instrument, i + 3, &random));
      texts.push_back(answers_json(sets.back()));
    }
    const CaseContext context = contexts_for(*instrument).back();
    const double engine = median_of_batches([&](int i) {
      kindband::Result result;
      kindband::Error error;
      kindband::score_instrument(*instrument, sets[i], context.context, &result, &error);
      return kindband::to_json(result).size();
    });
    const double json_call = median_of_batches(
        [&](int i) { return session.score(instrument->id, texts[i], context.json).text.size(); });
    std::printf("{\"instrument\":\"%s\",\"median_us\":%.2f,\"json_call_median_us\":%.2f}\n",
                instrument->id.c_str(), engine, json_call);
  }
  return bytes > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<kindband::Error> errors;
  const kindband::Library library = kindband::Library::builtin(&errors);
  for (const kindband::Error& error : errors) {
    std::fprintf(stderr, "built-in library: %s\n", error.to_string().c_str());
  }
  if (!errors.empty()) return 1;
  if (argc > 1 && std::string(argv[1]) == "--bench") {
    return bench(library, argc > 2 ? std::atoi(argv[2]) : 20000);
  }
  const int per_instrument = argc > 1 ? std::atoi(argv[1]) : 10000;
  const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  if (per_instrument <= 0) {
    std::fprintf(stderr, "usage: kindband_parity_cases [cases_per_instrument] [seed]\n");
    return 2;
  }
  return print_cases(library, per_instrument, seed);
}
