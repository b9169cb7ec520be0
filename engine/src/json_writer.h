// A minimal JSON text builder: stable output (the caller fixes key order), no whitespace, no
// iostreams (they double the wasm size, see TOOLCHAIN.md).
#ifndef KINDBAND_JSON_WRITER_H_
#define KINDBAND_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kindband {

class JsonWriter {
 public:
  JsonWriter() { out_.reserve(1024); }
  void begin_object() {
    separate();
    out_ += '{';
    first_ = true;
  }
  void end_object() {
    out_ += '}';
    first_ = false;
  }
  void begin_array() {
    separate();
    out_ += '[';
    first_ = true;
  }
  void end_array() {
    out_ += ']';
    first_ = false;
  }
  // Writes `"name":` inside an object; the next value call writes the value.
  void key(std::string_view name);
  void string(std::string_view value);
  void boolean(bool value);
  void null();
  void integer(int64_t value);
  void hundredths(int32_t value);  // a score, e.g. 4567 -> 45.67

  const std::string& text() const { return out_; }
  std::string release() { return std::move(out_); }

 private:
  void separate();
  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

void append_json_string(std::string* out, std::string_view value);

}  // namespace kindband

#endif  // KINDBAND_JSON_WRITER_H_
