#include "json_writer.h"

#include "kindband/engine.h"

namespace kindband {

namespace {

void append_integer(std::string* out, int64_t value) {
  char buffer[24];
  int length = 0;
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  do {
    buffer[length++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (value < 0) buffer[length++] = '-';
  while (length > 0) out->push_back(buffer[--length]);
}

}  // namespace

void append_json_string(std::string* out, std::string_view value) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (u < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xf]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

namespace {

void append_hundredths(std::string* out, int32_t hundredths) {
  int64_t value = hundredths;
  if (value < 0) {
    out->push_back('-');
    value = -value;
  }
  append_integer(out, value / 100);
  int64_t fraction = value % 100;
  if (fraction != 0) {
    out->push_back('.');
    out->push_back(static_cast<char>('0' + fraction / 10));
    if (fraction % 10 != 0) out->push_back(static_cast<char>('0' + fraction % 10));
  }
}

}  // namespace

std::string format_hundredths(int32_t hundredths) {
  std::string out;
  append_hundredths(&out, hundredths);
  return out;
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_) out_.push_back(',');
  first_ = false;
}

void JsonWriter::key(std::string_view name) {
  separate();
  append_json_string(&out_, name);
  out_.push_back(':');
  after_key_ = true;
}

void JsonWriter::string(std::string_view value) {
  separate();
  append_json_string(&out_, value);
}

void JsonWriter::boolean(bool value) {
  separate();
  out_.append(value ? "true" : "false");
}

void JsonWriter::null() {
  separate();
  out_.append("null");
}

void JsonWriter::integer(int64_t value) {
  separate();
  append_integer(&out_, value);
}

void JsonWriter::hundredths(int32_t value) {
  separate();
  append_hundredths(&out_, value);
}

}  // namespace kindband
