// Parsing JSON text without exceptions (the wasm build has none), with errors that say where.
#ifndef KINDBAND_JSON_PARSE_H_
#define KINDBAND_JSON_PARSE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace kindband {

using Json = nlohmann::json;

struct ParseFailure {
  std::string message;  // e.g. "invalid JSON at line 3, column 14: unexpected '}'"
};

// Parses `text` into `out`. Returns false with a line/column message on malformed JSON.
bool parse_json(std::string_view text, Json* out, ParseFailure* failure);

}  // namespace kindband

#endif  // KINDBAND_JSON_PARSE_H_
