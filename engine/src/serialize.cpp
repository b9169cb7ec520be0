// Stable JSON for results, advice and instruments (docs/engine-json.md). Key order is fixed here,
// so native and wasm output is byte-identical.
#include "json_writer.h"
#include "kindband/engine.h"

namespace kindband {

namespace {

void write_text(JsonWriter& w, const Text& text, const std::string& language) {
  auto it = text.find(language);
  if (it == text.end()) {
    w.null();
  } else {
    w.string(it->second);
  }
}

void write_context(JsonWriter& w, const Context& context) {
  w.begin_object();
  if (!context.role.empty()) {
    w.key("role");
    w.string(context.role);
  }
  if (!context.stage.empty()) {
    w.key("stage");
    w.string(context.stage);
  }
  if (context.week >= 0) {
    w.key("week");
    w.integer(context.week);
  }
  w.end_object();
}

}  // namespace

std::string to_json(const Result& result) {
  const Instrument& instrument = *result.instrument;
  JsonWriter w;
  w.begin_object();
  w.key("instrument");
  w.string(instrument.id);
  w.key("version");
  w.string(instrument.version);
  w.key("context");
  write_context(w, result.context);
  w.key("complete");
  w.boolean(result.complete);
  w.key("answered");
  w.integer(result.answered);
  w.key("item_count");
  w.integer(result.item_count);
  w.key("missing");
  w.begin_array();
  for (int index : result.missing_required)
    w.string(instrument.items[static_cast<size_t>(index)].id);
  w.end_array();
  w.key("scales");
  w.begin_array();
  for (const ScaleResult& s : result.scales) {
    const Scale& scale = instrument.scales[static_cast<size_t>(s.scale_index)];
    w.begin_object();
    w.key("id");
    w.string(scale.id);
    w.key("complete");
    w.boolean(s.complete);
    w.key("score");
    if (s.complete) {
      w.hundredths(s.score_hundredths);
    } else {
      w.null();
    }
    w.key("min");
    w.hundredths(scale.min_hundredths);
    w.key("max");
    w.hundredths(scale.max_hundredths);
    if (s.band) {
      w.key("band");
      w.begin_object();
      w.key("id");
      w.string(s.band->id);
      w.key("set");
      w.string(s.band_set->id);
      w.key("source");
      w.string(s.band_set->source);
      w.key("verified");
      w.boolean(s.band_set->verified);
      w.key("positive");
      w.boolean(s.band->positive);
      w.end_object();
    }
    w.end_object();
  }
  w.end_array();
  w.key("flags");
  w.begin_array();
  for (int flag : result.safety_flags)
    w.string(instrument.safety_rules[static_cast<size_t>(flag)].id);
  w.end_array();
  w.key("positive");
  w.boolean(result.positive());
  w.end_object();
  return w.release();
}

std::string to_json(const Advice& advice) {
  JsonWriter w;
  w.begin_object();
  w.key("language");
  w.string(advice.language);
  w.key("entries");
  w.begin_array();
  for (const AdviceEntry& entry : advice.entries) {
    w.begin_object();
    w.key("kind");
    w.string(entry.kind);
    if (!entry.scale.empty()) {
      w.key("scale");
      w.string(entry.scale);
    }
    w.key("id");
    w.string(entry.id);
    w.key("urgent");
    w.boolean(entry.urgent);
    w.key("title");
    w.string(entry.text.title);
    w.key("text");
    w.string(entry.text.text);
    w.key("steps");
    w.begin_array();
    for (const std::string& step : entry.text.steps) w.string(step);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.release();
}

std::string instrument_to_json(const Instrument& instrument, std::string_view language) {
  const std::string lang(language);
  JsonWriter w;
  w.begin_object();
  w.key("id");
  w.string(instrument.id);
  w.key("version");
  w.string(instrument.version);
  w.key("language");
  w.string(lang);
  w.key("name");
  write_text(w, instrument.name, lang);
  w.key("short_name");
  write_text(w, instrument.short_name, lang);
  w.key("authors");
  w.string(instrument.authors);
  w.key("year");
  w.integer(instrument.year);
  w.key("citation");
  w.string(instrument.citation);
  w.key("licence");
  w.string(instrument.licence);
  w.key("validated_instrument");
  w.boolean(instrument.validated_instrument);
  w.key("wording");
  auto wording = instrument.wording.find(lang);
  if (wording == instrument.wording.end()) {
    w.null();
  } else {
    w.begin_object();
    w.key("validated");
    w.boolean(wording->second.validated);
    w.key("source");
    w.string(wording->second.source);
    w.end_object();
  }
  w.key("period");
  write_text(w, instrument.period, lang);
  w.key("items");
  w.begin_array();
  for (const Item& item : instrument.items) {
    w.begin_object();
    w.key("id");
    w.string(item.id);
    w.key("text");
    write_text(w, item.text, lang);
    w.key("required");
    w.boolean(item.required);
    w.key("scored");
    w.boolean(item.scored);
    if (!item.ask_when_any.empty()) {
      w.key("ask_when_any");
      w.begin_object();
      w.key("items");
      w.begin_array();
      for (int index : item.ask_when_any) w.string(instrument.items[static_cast<size_t>(index)].id);
      w.end_array();
      w.key("min_score");
      w.hundredths(item.ask_when_min_hundredths);
      w.end_object();
    }
    w.key("options");
    w.begin_array();
    for (const Option& option : item.options) {
      w.begin_object();
      w.key("label");
      write_text(w, option.label, lang);
      w.key("value");
      w.hundredths(option.value_hundredths);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("scales");
  w.begin_array();
  for (const Scale& scale : instrument.scales) {
    w.begin_object();
    w.key("id");
    w.string(scale.id);
    w.key("name");
    write_text(w, scale.name, lang);
    w.key("min");
    w.hundredths(scale.min_hundredths);
    w.key("max");
    w.hundredths(scale.max_hundredths);
    w.key("better");
    if (scale.better.empty()) {
      w.null();
    } else {
      w.string(scale.better);
    }
    w.key("secondary");
    w.boolean(scale.secondary);
    w.end_object();
  }
  w.end_array();
  w.key("safety_rules");
  w.begin_array();
  for (const SafetyRule& rule : instrument.safety_rules) {
    w.begin_object();
    w.key("id");
    w.string(rule.id);
    if (rule.item_index >= 0) {
      w.key("item");
      w.string(instrument.items[static_cast<size_t>(rule.item_index)].id);
    } else {
      w.key("scale");
      w.string(instrument.scales[static_cast<size_t>(rule.scale_index)].id);
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.release();
}

}  // namespace kindband
