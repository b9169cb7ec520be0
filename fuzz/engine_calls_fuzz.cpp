// libFuzzer target: the wasm glue's text entry points (wasm/engine_calls.cpp), compiled natively.
// The input is lines: the call (score, advise, advise_result, instrument, list, pack), then its
// text arguments. No call may crash, and a failure always comes with a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine_calls.h"

namespace {

// Splits at '\n' into at most `count` parts; the last part keeps the rest (with newlines).
std::vector<std::string_view> split(std::string_view text, size_t count) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < count) {
    const size_t newline = text.find('\n');
    if (newline == std::string_view::npos) break;
    parts.push_back(text.substr(0, newline));
    text.remove_prefix(newline + 1);
  }
  parts.push_back(text);
  parts.resize(count);
  return parts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static kindband::calls::Session* session = new kindband::calls::Session();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string_view> line = split(text, 5);
  kindband::calls::Reply reply;
  if (line[0] == "score") {
    reply = session->score(line[1], line[2], line[3]);
  } else if (line[0] == "advise") {
    reply = session->advise(line[1], line[2], line[3], line[4]);
  } else if (line[0] == "advise_result") {
    const std::vector<std::string_view> parts = split(text, 3);
    reply = session->advise_result(parts[2], parts[1]);  // advise_result\nlanguage\nresult json
  } else if (line[0] == "instrument") {
    reply = session->get_instrument(line[1], line[2]);
  } else if (line[0] == "list") {
    reply = session->list_instruments(line[1]);
  } else if (line[0] == "pack") {
    reply = session->add_wording_pack(
        text.substr(text.find('\n') == std::string_view::npos ? text.size() : text.find('\n') + 1));
  } else {
    return 0;
  }
  if (!reply.ok && reply.text.empty()) std::abort();
  return 0;
}
