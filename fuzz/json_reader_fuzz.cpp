// libFuzzer target: the engine's JSON reader (engine/src/json_parse.cpp). Any bytes: parse them,
// and when they parse, walk the whole tree through the read API the engine uses. Crashes, hangs,
// leaks and undefined behaviour (ASan+UBSan) are the findings; a reader that accepts a number it
// cannot hold (infinity) is one too.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "json_parse.h"

namespace {

size_t walk(const kindband::Json& value, int depth) {
  size_t nodes = 1;
  if (value.is_number()) {
    if (!std::isfinite(value.get<double>())) std::abort();  // refused by the reader since issue 12
    (void)value.get<int64_t>();
    (void)value.get<uint64_t>();
  }
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (value.find(it.key()) == value.end()) std::abort();  // every key can be found
      nodes += walk(it.value(), depth + 1);
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) nodes += walk(value[i], depth + 1);
  }
  return nodes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kindband::Json root;
  kindband::ParseFailure failure;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (kindband::parse_json(text, &root, &failure)) {
    walk(root, 0);
  } else if (failure.message.rfind("invalid JSON at line ", 0) != 0) {
    std::abort();  // every failure says where
  }
  return 0;
}
