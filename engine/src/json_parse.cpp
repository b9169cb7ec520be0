#include "json_parse.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace kindband {

namespace {

constexpr int kMaxDepth = 512;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string describe_byte(unsigned char c) {
  static const char kHex[] = "0123456789abcdef";
  if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
  return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 0xf];
}

void append_utf8(std::string* out, uint32_t code_point) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

}  // namespace

// Recursive descent over the text; the first error stops it and records where.
class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  bool parse(Json* out, ParseFailure* failure) {
    skip_whitespace();
    bool ok = parse_value(out, 0);
    if (ok) {
      skip_whitespace();
      if (pos_ != text_.size()) ok = unexpected();
    }
    if (!ok) failure->message = describe_error();
    return ok;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  void skip_whitespace() {
    while (!at_end() && (peek() == ' ' || peek() == '\n' || peek() == '\r' || peek() == '\t'))
      ++pos_;
  }

  bool fail(size_t at, std::string what) {
    error_at_ = at;
    error_ = std::move(what);
    return false;
  }

  bool unexpected() {
    if (at_end()) return fail(pos_, "unexpected end of input");
    return fail(pos_, "unexpected " + describe_byte(static_cast<unsigned char>(peek())));
  }

  std::string describe_error() const {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < error_at_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
           ": " + error_;
  }

  bool literal(std::string_view word) {
    if (text_.compare(pos_, word.size(), word) != 0) {
      // Point at the first character that differs.
      size_t i = 0;
      while (pos_ + i < text_.size() && i < word.size() && text_[pos_ + i] == word[i]) ++i;
      pos_ += i;
      return unexpected();
    }
    pos_ += word.size();
    return true;
  }

  bool parse_value(Json* out, int depth) {
    if (at_end()) return unexpected();
    switch (peek()) {
      case '{':
        return parse_object(out, depth + 1);
      case '[':
        return parse_array(out, depth + 1);
      case '"':
        out->type_ = Json::value_t::string;
        return parse_string(&out->string_);
      case 't':
        out->type_ = Json::value_t::boolean;
        out->boolean_ = true;
        return literal("true");
      case 'f':
        out->type_ = Json::value_t::boolean;
        out->boolean_ = false;
        return literal("false");
      case 'n':
        out->type_ = Json::value_t::null;
        return literal("null");
      default:
        if (peek() == '-' || is_digit(peek())) return parse_number(out);
        return unexpected();
    }
  }

  bool parse_object(Json* out, int depth) {
    if (depth > kMaxDepth) return fail(pos_, "nested deeper than 512 levels");
    ++pos_;  // '{'
    out->type_ = Json::value_t::object;
    std::vector<Json::Member> members;
    skip_whitespace();
    if (!at_end() && peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_whitespace();
      if (at_end() || peek() != '"') return unexpected();
      members.emplace_back();
      if (!parse_string(&members.back().first)) return false;
      skip_whitespace();
      if (at_end() || peek() != ':') return unexpected();
      ++pos_;
      skip_whitespace();
      if (!parse_value(&members.back().second, depth)) return false;
      skip_whitespace();
      if (at_end()) return unexpected();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') return unexpected();
      ++pos_;
      break;
    }
    // Sorted by key, the last of duplicate keys wins (as nlohmann::json did).
    std::vector<uint32_t> order(members.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      int c = members[a].first.compare(members[b].first);
      return c != 0 ? c < 0 : a < b;
    });
    out->members_.reserve(members.size());
    for (size_t i = 0; i < order.size(); ++i) {
      bool last_of_key =
          i + 1 == order.size() || members[order[i + 1]].first != members[order[i]].first;
      if (last_of_key) out->members_.push_back(std::move(members[order[i]]));
    }
    return true;
  }

  bool parse_array(Json* out, int depth) {
    if (depth > kMaxDepth) return fail(pos_, "nested deeper than 512 levels");
    ++pos_;  // '['
    out->type_ = Json::value_t::array;
    skip_whitespace();
    if (!at_end() && peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_whitespace();
      out->elements_.emplace_back();
      if (!parse_value(&out->elements_.back(), depth)) return false;
      skip_whitespace();
      if (at_end()) return unexpected();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != ']') return unexpected();
      ++pos_;
      return true;
    }
  }

  bool parse_hex4(uint32_t* value) {
    *value = 0;
    for (int i = 0; i < 4; ++i) {
      if (at_end()) return unexpected();
      char c = peek();
      uint32_t digit;
      if (c >= '0' && c <= '9') {
        digit = static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return unexpected();
      }
      *value = *value * 16 + digit;
      ++pos_;
    }
    return true;
  }

  // Length of the valid UTF-8 sequence starting at pos_, or 0.
  size_t utf8_length() const {
    auto byte = [&](size_t i) {
      return pos_ + i < text_.size() ? static_cast<unsigned char>(text_[pos_ + i]) : 0u;
    };
    auto continuation = [&](size_t i, unsigned lo, unsigned hi) {
      unsigned b = byte(i);
      return b >= lo && b <= hi;
    };
    unsigned c = byte(0);
    if (c >= 0xC2 && c <= 0xDF) return continuation(1, 0x80, 0xBF) ? 2 : 0;
    if (c == 0xE0) return continuation(1, 0xA0, 0xBF) && continuation(2, 0x80, 0xBF) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      return continuation(1, 0x80, 0xBF) && continuation(2, 0x80, 0xBF) ? 3 : 0;
    }
    if (c == 0xED) return continuation(1, 0x80, 0x9F) && continuation(2, 0x80, 0xBF) ? 3 : 0;
    if (c == 0xF0) {
      return continuation(1, 0x90, 0xBF) && continuation(2, 0x80, 0xBF) &&
                     continuation(3, 0x80, 0xBF)
                 ? 4
                 : 0;
    }
    if (c >= 0xF1 && c <= 0xF3) {
      return continuation(1, 0x80, 0xBF) && continuation(2, 0x80, 0xBF) &&
                     continuation(3, 0x80, 0xBF)
                 ? 4
                 : 0;
    }
    if (c == 0xF4) {
      return continuation(1, 0x80, 0x8F) && continuation(2, 0x80, 0xBF) &&
                     continuation(3, 0x80, 0xBF)
                 ? 4
                 : 0;
    }
    return 0;
  }

  bool parse_string(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (at_end()) return unexpected();
      unsigned char c = static_cast<unsigned char>(peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail(pos_, "control character " + describe_byte(c) + " in a string");
      if (c == '\\') {
        ++pos_;
        if (at_end()) return unexpected();
        char escape = peek();
        ++pos_;
        switch (escape) {
          case '"':
            out->push_back('"');
            break;
          case '\\':
            out->push_back('\\');
            break;
          case '/':
            out->push_back('/');
            break;
          case 'b':
            out->push_back('\b');
            break;
          case 'f':
            out->push_back('\f');
            break;
          case 'n':
            out->push_back('\n');
            break;
          case 'r':
            out->push_back('\r');
            break;
          case 't':
            out->push_back('\t');
            break;
          case 'u': {
            size_t start = pos_ - 2;
            uint32_t code_point;
            if (!parse_hex4(&code_point)) return false;
            if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
              return fail(start, "lone low surrogate \\u in a string");
            }
            if (code_point >= 0xD800 && code_point <= 0xDBFF) {
              uint32_t low;
              if (text_.compare(pos_, 2, "\\u") != 0) {
                return fail(start, "high surrogate \\u not followed by a low surrogate");
              }
              pos_ += 2;
              if (!parse_hex4(&low)) return false;
              if (low < 0xDC00 || low > 0xDFFF) {
                return fail(start, "high surrogate \\u not followed by a low surrogate");
              }
              code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
            }
            append_utf8(out, code_point);
            break;
          }
          default:
            --pos_;
            return fail(pos_, "invalid escape \\" + std::string(1, escape) + " in a string");
        }
        continue;
      }
      if (c < 0x80) {
        out->push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      size_t length = utf8_length();
      if (length == 0) return fail(pos_, "invalid UTF-8 " + describe_byte(c) + " in a string");
      out->append(text_.substr(pos_, length));
      pos_ += length;
    }
  }

  bool parse_number(Json* out) {
    size_t start = pos_;
    bool negative = peek() == '-';
    if (negative) ++pos_;
    if (at_end() || !is_digit(peek())) return unexpected();
    if (peek() == '0') {
      ++pos_;
    } else {
      while (!at_end() && is_digit(peek())) ++pos_;
    }
    size_t integer_end = pos_;
    bool is_float = false;
    if (!at_end() && peek() == '.') {
      is_float = true;
      ++pos_;
      if (at_end() || !is_digit(peek())) return unexpected();
      while (!at_end() && is_digit(peek())) ++pos_;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      is_float = true;
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (at_end() || !is_digit(peek())) return unexpected();
      while (!at_end() && is_digit(peek())) ++pos_;
    }
    if (!is_float) {
      uint64_t magnitude = 0;
      bool overflow = false;
      for (size_t i = start + (negative ? 1 : 0); i < integer_end; ++i) {
        uint64_t digit = static_cast<uint64_t>(text_[i] - '0');
        if (magnitude > (UINT64_MAX - digit) / 10) overflow = true;
        magnitude = magnitude * 10 + digit;
      }
      if (!overflow && !negative) {
        out->type_ = Json::value_t::number_unsigned;
        out->unsigned_ = magnitude;
        return true;
      }
      if (!overflow && magnitude <= static_cast<uint64_t>(INT64_MAX) + 1) {
        out->type_ = Json::value_t::number_integer;
        out->integer_ = magnitude == static_cast<uint64_t>(INT64_MAX) + 1
                            ? INT64_MIN
                            : -static_cast<int64_t>(magnitude);
        return true;
      }
    }
    std::string token(text_.substr(start, pos_ - start));
    const double value = std::strtod(token.c_str(), nullptr);
    // Beyond the range of a double: refused, as nlohmann::json (the server's reader) does, rather
    // than read as infinity. Tiny numbers become 0 or a denormal there too.
    if (value > std::numeric_limits<double>::max() || value < -std::numeric_limits<double>::max()) {
      constexpr size_t kShown = 40;
      return fail(start, "number out of range: " + token.substr(0, kShown) +
                             (token.size() > kShown ? "..." : ""));
    }
    out->type_ = Json::value_t::number_float;
    out->float_ = value;
    out->string_ = std::move(token);  // as written, for error messages (number_text())
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t error_at_ = 0;
  std::string error_;
};

const char* Json::type_name() const {
  switch (type_) {
    case value_t::null:
      return "null";
    case value_t::object:
      return "object";
    case value_t::array:
      return "array";
    case value_t::string:
      return "string";
    case value_t::boolean:
      return "boolean";
    default:
      return "number";
  }
}

Json::const_iterator Json::find(std::string_view key) const {
  if (type_ != value_t::object) return end();
  auto it = std::lower_bound(members_.begin(), members_.end(), key,
                             [](const Member& m, std::string_view k) { return m.first < k; });
  if (it == members_.end() || it->first != key) return end();
  return const_iterator(this, static_cast<size_t>(it - members_.begin()));
}

template <>
bool Json::get<bool>() const {
  return boolean_;
}

template <>
int64_t Json::get<int64_t>() const {
  switch (type_) {
    case value_t::number_unsigned:
      return static_cast<int64_t>(unsigned_);
    case value_t::number_float:
      // Clamped: converting an out-of-range double is undefined behaviour.
      if (!(float_ > -9.2e18)) return INT64_MIN;
      if (!(float_ < 9.2e18)) return INT64_MAX;
      return static_cast<int64_t>(float_);
    default:
      return integer_;
  }
}

template <>
uint64_t Json::get<uint64_t>() const {
  switch (type_) {
    case value_t::number_integer:
      return static_cast<uint64_t>(integer_);
    case value_t::number_float:
      if (!(float_ > 0)) return 0;
      if (!(float_ < 1.8e19)) return UINT64_MAX;
      return static_cast<uint64_t>(float_);
    default:
      return unsigned_;
  }
}

template <>
double Json::get<double>() const {
  switch (type_) {
    case value_t::number_integer:
      return static_cast<double>(integer_);
    case value_t::number_unsigned:
      return static_cast<double>(unsigned_);
    default:
      return float_;
  }
}

template <>
std::string Json::get<std::string>() const {
  return string_;
}

std::string json_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

bool parse_json(std::string_view text, Json* out, ParseFailure* failure) {
  Json root;
  JsonParser parser(text);
  if (!parser.parse(&root, failure)) return false;
  *out = std::move(root);
  return true;
}

}  // namespace kindband
