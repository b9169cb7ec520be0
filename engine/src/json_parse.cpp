#include "json_parse.h"

namespace kindband {

namespace {

// nlohmann's DOM builder, but a syntax error is recorded instead of thrown. sax_parse dispatches on
// the static type, so hiding parse_error here is enough.
class RecordingDomParser : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  explicit RecordingDomParser(Json& root) : json_sax_dom_parser(root, false) {}

  template <class Exception>
  bool parse_error(std::size_t position, const std::string&, const Exception&) {
    failed = true;
    byte_position = position;
    return false;
  }

  bool failed = false;
  std::size_t byte_position = 0;
};

}  // namespace

bool parse_json(std::string_view text, Json* out, ParseFailure* failure) {
  Json root;
  RecordingDomParser parser(root);
  bool ok = Json::sax_parse(text.begin(), text.end(), &parser) && !parser.failed;
  if (ok) {
    *out = std::move(root);
    return true;
  }
  // position counts characters read, 1-based; translate to line and column of the offending byte.
  std::size_t end = parser.byte_position == 0 ? 0 : parser.byte_position - 1;
  if (end > text.size()) end = text.size();
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  failure->message = "invalid JSON at line " + std::to_string(line) + ", column " +
                     std::to_string(column) +
                     (end >= text.size() ? ": unexpected end of input"
                                         : ": unexpected '" + std::string(1, text[end]) + "'");
  return false;
}

}  // namespace kindband
