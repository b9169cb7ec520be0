// Scores 1,000,000 generated PHQ-9 and PBQ responses in batch on one core and prints responses per
// second. Baseline in the same run: a hand-written PHQ-9 sum with its band lookup (the least work
// any scorer must do), so the figure is comparable across machines as a ratio.
//
//   kindband_engine_bench [responses]     (default 1000000)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kindband/engine.h"

namespace {

// Deterministic answers: xorshift, ~5% missing.
std::vector<kindband::Answers> generate(const kindband::Instrument& in, size_t count,
                                        uint64_t seed) {
  std::vector<kindband::Answers> out(count);
  uint64_t x = seed;
  for (auto& answers : out) {
    answers.resize(in.items.size());
    for (size_t i = 0; i < answers.size(); ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      answers[i] = (x % 20 == 0) ? kindband::kMissing
                                 : static_cast<int>((x >> 8) % in.items[i].options.size());
    }
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Figures {
  double per_second;
  uint64_t checksum;  // keeps the optimiser honest and is printed
};

Figures bench_engine(const kindband::Instrument& in,
                     const std::vector<kindband::Answers>& responses, bool with_json) {
  kindband::Result result;
  kindband::Error error;
  kindband::Context context;
  uint64_t checksum = 0;
  auto start = std::chrono::steady_clock::now();
  for (const auto& answers : responses) {
    if (!kindband::score_instrument(in, answers, context, &result, &error)) std::abort();
    checksum +=
        static_cast<uint64_t>(result.scales[0].score_hundredths) + result.safety_flags.size();
    if (with_json) checksum += kindband::to_json(result).size();
  }
  return {static_cast<double>(responses.size()) / seconds_since(start), checksum};
}

// The least any PHQ-9 scorer does: check, sum, pick a band, check item 9.
Figures bench_baseline(const std::vector<kindband::Answers>& responses) {
  static const int kBandMax[] = {4, 9, 14, 19, 27};
  uint64_t checksum = 0;
  auto start = std::chrono::steady_clock::now();
  for (const auto& answers : responses) {
    int total = 0;
    bool complete = true;
    for (int a : answers) {
      if (a < -1 || a > 3) std::abort();
      if (a < 0)
        complete = false;
      else
        total += a;
    }
    int band = 0;
    if (complete)
      while (total > kBandMax[band]) ++band;
    checksum += static_cast<uint64_t>(total * 100) + static_cast<uint64_t>(band) + (answers[8] > 0);
  }
  return {static_cast<double>(responses.size()) / seconds_since(start), checksum};
}

}  // namespace

int main(int argc, char** argv) {
  size_t count = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000000;
  std::vector<kindband::Error> errors;
  kindband::Library library = kindband::Library::builtin(&errors);
  const kindband::Instrument* phq9 = library.find("phq9");
  const kindband::Instrument* pbq = library.find("pbq");
  if (!errors.empty() || !phq9 || !pbq) {
    std::fprintf(stderr, "instrument library did not load\n");
    return 1;
  }
  auto phq9_responses = generate(*phq9, count, 0x9E3779B97F4A7C15ull);
  auto pbq_responses = generate(*pbq, count, 0xD1B54A32D192ED03ull);

  std::printf("kindband engine benchmark: %zu generated responses each, one core\n", count);
  bench_baseline(phq9_responses);  // warm-up
  Figures baseline = bench_baseline(phq9_responses);
  Figures phq9_score = bench_engine(*phq9, phq9_responses, false);
  Figures phq9_json = bench_engine(*phq9, phq9_responses, true);
  Figures pbq_score = bench_engine(*pbq, pbq_responses, false);
  Figures pbq_json = bench_engine(*pbq, pbq_responses, true);
  auto row = [&](const char* name, const Figures& f) {
    std::printf(
        "  %-32s %12.0f responses/s  %8.1f ns each  %6.2fx baseline time  (checksum %llu)\n", name,
        f.per_second, 1e9 / f.per_second, baseline.per_second / f.per_second,
        static_cast<unsigned long long>(f.checksum));
  };
  row("baseline: hand-written PHQ-9 sum", baseline);
  row("PHQ-9 score", phq9_score);
  row("PHQ-9 score + result JSON", phq9_json);
  row("PBQ score (25 items, 5 scales)", pbq_score);
  row("PBQ score + result JSON", pbq_json);
  std::printf("target: >= 1,000,000 PHQ-9 scorings/s per core: %s\n",
              phq9_score.per_second >= 1e6 ? "met" : "NOT met");
  return 0;
}
