// Scoring answers against an instrument, and choosing advice for a result.
#include <string>
#include <vector>

#include "kindband/engine.h"

namespace kindband {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  for (const std::string& entry : list) {
    if (entry == value) return true;
  }
  return false;
}

bool context_matches(const BandSet& set, const Context& context) {
  if (!set.has_when) return true;
  const ContextMatch& when = set.when;
  if (!when.roles.empty() && !contains(when.roles, context.role)) return false;
  if (!when.stages.empty() && !contains(when.stages, context.stage)) return false;
  if (when.week_min >= 0 || when.week_max >= 0) {
    if (context.week < 0) return false;
    if (when.week_min >= 0 && context.week < when.week_min) return false;
    if (when.week_max >= 0 && context.week > when.week_max) return false;
  }
  return true;
}

const AdviceText* find_advice(const std::map<std::string, AdviceByLanguage>& advice,
                              const std::string& id, const std::string& language) {
  auto by_id = advice.find(id);
  if (by_id == advice.end()) return nullptr;
  auto text = by_id->second.find(language);
  return text == by_id->second.end() ? nullptr : &text->second;
}

}  // namespace

bool parse_context(std::string_view text, Context* context, Error* error) {
  Context parsed;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    std::string_view pair =
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    start = comma == std::string_view::npos ? text.size() : comma + 1;
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    std::string key(pair.substr(0, equals));
    std::string value(equals == std::string_view::npos ? "" : pair.substr(equals + 1));
    auto fail = [&](const std::string& message) {
      *error = Error{"", "/context/" + key, message};
      return false;
    };
    if (equals == std::string_view::npos) {
      *error = Error{"", "/context", "expected key=value, found '" + key + "'"};
      return false;
    }
    if (key == "role") {
      if (value != "mother" && value != "partner") return fail("role must be mother or partner");
      parsed.role = value;
    } else if (key == "stage") {
      if (value != "pregnancy" && value != "postpartum") {
        return fail("stage must be pregnancy or postpartum");
      }
      parsed.stage = value;
    } else if (key == "week") {
      // At most three digits are read: more could overflow the int before the range check.
      int week = 0;
      bool digits = !value.empty() && value.size() <= 3;
      for (size_t i = 0; digits && i < value.size(); ++i) {
        digits = value[i] >= '0' && value[i] <= '9';
        week = week * 10 + (value[i] - '0');
      }
      if (!digits || week > kMaxContextWeek) {
        return fail("week must be a whole number from 0 to " + std::to_string(kMaxContextWeek));
      }
      parsed.week = week;
    } else {
      return fail("unknown context key '" + key + "' (expected role, stage or week)");
    }
  }
  *context = std::move(parsed);
  return true;
}

size_t fewest_answers(const Instrument& instrument) {
  size_t fewest = instrument.items.size();
  while (fewest > 0 && instrument.items[fewest - 1].may_be_left_out) --fewest;
  return fewest;
}

bool score_instrument(const Instrument& instrument, const Answers& answers, const Context& context,
                      Result* result, Error* error) {
  const size_t item_count = instrument.items.size();
  const size_t fewest = fewest_answers(instrument);
  if (answers.size() < fewest || answers.size() > item_count) {
    std::string expected = std::to_string(fewest);
    if (fewest + 1 == item_count) expected += " or " + std::to_string(item_count);
    if (fewest + 1 < item_count) expected += " to " + std::to_string(item_count);
    *error = Error{instrument.id, "/answers",
                   "expected " + expected + " answers, found " + std::to_string(answers.size())};
    return false;
  }
  for (size_t i = 0; i < answers.size(); ++i) {
    int answer = answers[i];
    int options = static_cast<int>(instrument.items[i].options.size());
    if (answer != kMissing && (answer < 0 || answer >= options)) {
      *error = Error{instrument.id, "/answers/" + std::to_string(i),
                     "answer " + std::to_string(answer) + " is out of range for item '" +
                         instrument.items[i].id + "' (0 to " + std::to_string(options - 1) +
                         ", or empty when not answered)"};
      return false;
    }
  }
  // Items the answers left out (only trailing ones that may be, see above) count as not answered.
  auto answer_at = [&](int index) {
    return static_cast<size_t>(index) < answers.size() ? answers[static_cast<size_t>(index)]
                                                       : kMissing;
  };

  result->instrument = &instrument;
  result->context = context;
  result->answered = 0;
  result->item_count = static_cast<int>(answers.size());
  result->missing_required.clear();
  for (size_t i = 0; i < answers.size(); ++i) {
    if (answers[i] != kMissing) {
      ++result->answered;
    } else if (instrument.items[i].required) {
      result->missing_required.push_back(static_cast<int>(i));
    }
  }
  result->complete = result->missing_required.empty();

  // Sum of the answered items per scale; a scale is complete when no required item of it is
  // missing.
  result->scales.resize(instrument.scales.size());
  for (size_t s = 0; s < instrument.scales.size(); ++s) {
    const Scale& scale = instrument.scales[s];
    ScaleResult& out = result->scales[s];
    out.scale_index = static_cast<int>(s);
    out.score_hundredths = 0;
    out.complete = true;
    out.band_set = nullptr;
    out.band = nullptr;
    for (int index : scale.item_indexes) {
      int answer = answer_at(index);
      const Item& item = instrument.items[static_cast<size_t>(index)];
      if (answer == kMissing) {
        if (item.required) out.complete = false;
      } else {
        out.score_hundredths += item.options[static_cast<size_t>(answer)].value_hundredths;
      }
    }
    if (!out.complete) continue;
    for (const BandSet& set : scale.band_sets) {
      if (!context_matches(set, context)) continue;
      out.band_set = &set;
      for (const Band& band : set.bands) {
        if (out.score_hundredths >= band.min_hundredths &&
            out.score_hundredths <= band.max_hundredths) {
          out.band = &band;
          break;
        }
      }
      break;
    }
  }

  // Safety rules fire on what is answered, also before the questionnaire is complete.
  result->safety_flags.clear();
  for (size_t r = 0; r < instrument.safety_rules.size(); ++r) {
    const SafetyRule& rule = instrument.safety_rules[r];
    int32_t value = 0;
    bool answered = false;
    if (rule.item_index >= 0) {
      int answer = answer_at(rule.item_index);
      if (answer != kMissing) {
        answered = true;
        value = instrument.items[static_cast<size_t>(rule.item_index)]
                    .options[static_cast<size_t>(answer)]
                    .value_hundredths;
      }
    } else {
      for (int index : instrument.scales[static_cast<size_t>(rule.scale_index)].item_indexes) {
        int answer = answer_at(index);
        if (answer == kMissing) continue;
        answered = true;
        value += instrument.items[static_cast<size_t>(index)]
                     .options[static_cast<size_t>(answer)]
                     .value_hundredths;
      }
    }
    if (answered && rule.fires(value)) {
      result->safety_flags.push_back(static_cast<int>(r));
    }
  }
  return true;
}

bool makes_positive(const Scale& scale, const BandSet& band_set, const Band& band) {
  return band.positive && band_set.verified && !scale.secondary;
}

bool Result::positive() const {
  for (const ScaleResult& scale : scales) {
    if (scale.band && makes_positive(instrument->scales[static_cast<size_t>(scale.scale_index)],
                                     *scale.band_set, *scale.band)) {
      return true;
    }
  }
  return false;
}

bool has_wording(const Instrument& instrument, std::string_view language) {
  const std::string lang(language);
  for (const Item& item : instrument.items) {
    if (!item.text.count(lang)) return false;
    for (const Option& option : item.options) {
      if (!option.label.count(lang)) return false;
    }
  }
  return !instrument.items.empty();
}

namespace {

bool known_language(const std::string& language) { return language == "nl" || language == "en"; }

// advise() for one result; `session_safety` is true when a safety rule fired in any result of the
// session this result belongs to (then no reassuring text is given anywhere).
void advise_one(const Result& result, const std::string& lang, bool session_safety,
                Advice* advice) {
  const Instrument& instrument = *result.instrument;
  advice->language = lang;
  advice->entries.clear();
  for (int flag : result.safety_flags) {
    const SafetyRule& rule = instrument.safety_rules[static_cast<size_t>(flag)];
    if (const AdviceText* text = find_advice(instrument.safety_advice, rule.id, lang)) {
      advice->entries.push_back(AdviceEntry{"safety", rule.id, "", true, *text});
    }
  }
  const bool safety_fired = session_safety || !result.safety_flags.empty();
  const bool positive = result.positive();
  // Two passes: first the scales in a positive, verified band (e.g. PBQ scale 2 before the
  // unverified total), so a parent reads first what the verified cut-off says; then the others.
  for (int pass = 0; pass < 2; ++pass) {
    for (const ScaleResult& scale_result : result.scales) {
      if (!scale_result.complete) continue;
      const Scale& scale = instrument.scales[static_cast<size_t>(scale_result.scale_index)];
      const bool leads =
          scale_result.band && makes_positive(scale, *scale_result.band_set, *scale_result.band);
      if (leads != (pass == 0)) continue;
      if (scale_result.band) {
        const AdviceText* text =
            find_advice(instrument.band_advice, scale.id + "." + scale_result.band->id, lang);
        if (!text) text = find_advice(instrument.band_advice, scale_result.band->id, lang);
        if (!text || (text->reassuring &&
                      (safety_fired || (positive && !scale_result.band_set->verified)))) {
          continue;
        }
        advice->entries.push_back(
            AdviceEntry{"band", scale_result.band->id, scale.id, false, *text});
      } else if (const AdviceText* text = find_advice(instrument.scale_advice, scale.id, lang)) {
        advice->entries.push_back(AdviceEntry{"scale", scale.id, scale.id, false, *text});
      }
    }
  }
}

}  // namespace

bool advise(const Result& result, std::string_view language, Advice* advice, Error* error) {
  const std::string lang(language);
  if (!known_language(lang)) {
    *error = Error{result.instrument->id, "/language",
                   "unknown language '" + lang + "' (expected nl or en)"};
    return false;
  }
  advise_one(result, lang, false, advice);
  return true;
}

bool advise_session(const std::vector<const Result*>& results, std::string_view language,
                    std::vector<Advice>* advice, bool* any_safety, Error* error) {
  const std::string lang(language);
  if (!known_language(lang)) {
    *error = Error{"", "/language", "unknown language '" + lang + "' (expected nl or en)"};
    return false;
  }
  bool safety = false;
  for (const Result* result : results) safety = safety || !result->safety_flags.empty();
  advice->assign(results.size(), Advice{});
  for (size_t i = 0; i < results.size(); ++i) {
    advise_one(*results[i], lang, safety, &(*advice)[i]);
  }
  if (any_safety != nullptr) *any_safety = safety;
  return true;
}

}  // namespace kindband
