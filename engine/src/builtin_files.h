// The JSON files compiled into the engine (generated builtin_library.cpp, see
// cmake/embed_library.cmake).
#ifndef KINDBAND_BUILTIN_FILES_H_
#define KINDBAND_BUILTIN_FILES_H_

namespace kindband {

struct EmbeddedFile {
  const char* name;     // file name, e.g. "phq9.json"; nullptr ends a list
  const char* content;  // the file's text
};

extern const EmbeddedFile k_builtin_instrument_files[];
extern const EmbeddedFile k_builtin_wording_files[];
extern const EmbeddedFile k_builtin_journey_files[];
// The built-in instruments' summaries (InstrumentSummary) as a JSON array, made at build time by
// cmake/instrument_summaries.mjs: what an engine without the instrument files knows of them.
extern const char* const k_builtin_summaries;

}  // namespace kindband

#endif  // KINDBAND_BUILTIN_FILES_H_
