// Reading request bodies strictly: exactly one JSON value, nothing a lenient reader would let
// through and another reader would read differently (duplicate keys, a byte-order mark, NUL bytes,
// anything after the value).
#ifndef KINDBAND_SERVER_COMMON_STRICT_JSON_H_
#define KINDBAND_SERVER_COMMON_STRICT_JSON_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace kindband::server {

// Objects and arrays may nest this deep, no deeper (the parser and the JSON value's destructor
// must never recurse without bound on a hostile body).
constexpr int kMaxJsonDepth = 32;

// On failure returns false with what is wrong (e.g. "the key \"role\" appears twice ...").
bool parse_strict_json(std::string_view text, nlohmann::json* out, std::string* error);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_COMMON_STRICT_JSON_H_
