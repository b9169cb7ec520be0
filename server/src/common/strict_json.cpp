#include "strict_json.h"

#include <algorithm>
#include <set>
#include <vector>

namespace kindband::server {

using nlohmann::json;

namespace {

int json_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

bool parse_strict_json(std::string_view text, json* out, std::string* error) {
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    *error = "the body starts with a byte-order mark; send plain UTF-8 JSON";
    return false;
  }
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    *error = "the body holds a NUL byte (byte " + std::to_string(nul) + ")";
    return false;
  }
  if (json_depth(text) > kMaxJsonDepth) {
    *error = "the body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  std::vector<std::set<std::string>> objects;
  std::string duplicate;
  auto callback = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      objects.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      if (!objects.empty()) objects.pop_back();
    } else if (event == json::parse_event_t::key && !objects.empty() && duplicate.empty()) {
      const std::string& key = parsed.get_ref<const std::string&>();
      if (!objects.back().insert(key).second) duplicate = key;
    }
    return true;
  };
  try {
    *out = json::parse(text.begin(), text.end(), callback);
  } catch (const json::parse_error& e) {
    *error = "the body is not valid JSON (byte " + std::to_string(e.byte) + ")";
    return false;
  } catch (const json::exception& e) {
    *error = std::string("the body is not usable JSON: ") + e.what();
    return false;
  }
  if (!duplicate.empty()) {
    *error = "the key \"" + duplicate.substr(0, 40) + "\" appears twice in one object";
    return false;
  }
  return true;
}

}  // namespace kindband::server
