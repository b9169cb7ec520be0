// Helpers for the instrument tests: load the built-in library once, score answers, and read a
// result by scale id. Expected values in the tests are worked out by hand from each instrument's
// published scoring key; nothing here knows any instrument's key.
#ifndef KINDBAND_TESTS_ENGINE_TEST_SUPPORT_H_
#define KINDBAND_TESTS_ENGINE_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "kindband/engine.h"

namespace kindband_test {

struct LoadedLibrary {
  kindband::Library library;
  std::vector<kindband::Error> errors;
};

// The built-in library (engine/instruments/*.json), loaded once per test binary.
inline const LoadedLibrary& builtin() {
  static const LoadedLibrary* loaded = [] {
    auto* result = new LoadedLibrary;
    result->library = kindband::Library::builtin(&result->errors);
    return result;
  }();
  return *loaded;
}

inline std::string describe(const std::vector<kindband::Error>& errors) {
  std::string text;
  for (const auto& error : errors) text += error.to_string() + "\n";
  return text;
}

// Fails the test when the built-in library reported errors or lacks the instrument.
inline const kindband::Instrument* load(std::string_view id) {
  const LoadedLibrary& loaded = builtin();
  EXPECT_TRUE(loaded.errors.empty()) << describe(loaded.errors);
  const kindband::Instrument* instrument = loaded.library.find(id);
  EXPECT_NE(instrument, nullptr) << "instrument " << id << " is not in the built-in library";
  return instrument;
}

inline kindband::Context context(std::string role, std::string stage, int week = -1) {
  kindband::Context c;
  c.role = std::move(role);
  c.stage = std::move(stage);
  c.week = week;
  return c;
}

// A scored response, readable by scale id ("total" or a subscale id) and flag id.
class Scored {
 public:
  Scored(const kindband::Instrument& instrument, const kindband::Answers& answers,
         const kindband::Context& ctx = {}) {
    ok_ = kindband::score_instrument(instrument, answers, ctx, &result_, &error_);
  }

  bool ok() const { return ok_; }
  const kindband::Error& error() const { return error_; }
  const kindband::Result& result() const { return result_; }
  bool complete() const { return result_.complete; }
  bool positive() const { return result_.positive(); }

  const kindband::ScaleResult* scale(std::string_view id) const {
    for (const auto& scale : result_.scales) {
      if (result_.instrument->scales[scale.scale_index].id == id) return &scale;
    }
    ADD_FAILURE() << "no scale " << id << " in the result";
    return nullptr;
  }
  bool scale_complete(std::string_view id) const {
    const auto* s = scale(id);
    return s != nullptr && s->complete;
  }
  // The score in hundredths; -1 when the scale is incomplete.
  int32_t hundredths(std::string_view id) const {
    const auto* s = scale(id);
    return s != nullptr && s->complete ? s->score_hundredths : -1;
  }
  // The score in whole points (for instruments whose items score whole numbers); -1 if incomplete.
  int32_t points(std::string_view id) const {
    const int32_t h = hundredths(id);
    if (h < 0) return -1;
    EXPECT_EQ(h % 100, 0) << "score of " << id << " is not a whole number";
    return h / 100;
  }
  // The band id, or "" when the scale has no band.
  std::string band(std::string_view id) const {
    const auto* s = scale(id);
    return s != nullptr && s->band != nullptr ? s->band->id : "";
  }
  bool band_positive(std::string_view id) const {
    const auto* s = scale(id);
    return s != nullptr && s->band != nullptr && s->band->positive;
  }
  std::string band_set(std::string_view id) const {
    const auto* s = scale(id);
    return s != nullptr && s->band_set != nullptr ? s->band_set->id : "";
  }
  bool band_set_verified(std::string_view id) const {
    const auto* s = scale(id);
    return s != nullptr && s->band_set != nullptr && s->band_set->verified;
  }
  std::vector<std::string> flags() const {
    std::vector<std::string> ids;
    for (int index : result_.safety_flags)
      ids.push_back(result_.instrument->safety_rules[index].id);
    return ids;
  }
  std::vector<std::string> missing() const {
    std::vector<std::string> ids;
    for (int index : result_.missing_required) ids.push_back(result_.instrument->items[index].id);
    return ids;
  }

 private:
  bool ok_ = false;
  kindband::Result result_;
  kindband::Error error_;
};

// Advice entries as "kind:scale:id" strings, e.g. "safety::self_harm", "band:total:mild".
inline std::vector<std::string> advice_keys(const kindband::Result& result, std::string_view lang) {
  kindband::Advice advice;
  kindband::Error error;
  EXPECT_TRUE(kindband::advise(result, lang, &advice, &error)) << error.to_string();
  std::vector<std::string> keys;
  for (const auto& entry : advice.entries) {
    EXPECT_FALSE(entry.text.title.empty()) << entry.kind << " " << entry.id << " has no title";
    EXPECT_FALSE(entry.text.text.empty()) << entry.kind << " " << entry.id << " has no text";
    keys.push_back(entry.kind + ":" + entry.scale + ":" + entry.id);
  }
  return keys;
}

inline kindband::Answers repeat(int count, int position) {
  return kindband::Answers(static_cast<size_t>(count), position);
}

}  // namespace kindband_test

#endif  // KINDBAND_TESTS_ENGINE_TEST_SUPPORT_H_
