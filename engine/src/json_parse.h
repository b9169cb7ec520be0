// A small read-only JSON document and parser for the engine: no exceptions, no iostreams, no
// printf, errors that say where. The engine used nlohmann::json before; this keeps the part of its
// interface the engine needs and is a third of its size in the wasm download.
#ifndef KINDBAND_JSON_PARSE_H_
#define KINDBAND_JSON_PARSE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kindband {

class Json {
 public:
  // Non-negative integers are number_unsigned, negative ones number_integer; both are
  // is_number_integer(). Integers beyond 64 bits and numbers with a fraction or exponent are
  // number_float.
  enum class value_t : uint8_t {
    null,
    object,
    array,
    string,
    boolean,
    number_integer,
    number_unsigned,
    number_float
  };
  using Member = std::pair<std::string, Json>;

  // Iterates an object's members (key() and value) or an array's elements (value only).
  class const_iterator {
   public:
    const_iterator(const Json* owner, size_t index) : owner_(owner), index_(index) {}
    const std::string& key() const { return owner_->members_[index_].first; }
    const Json& value() const {
      return owner_->type_ == value_t::object ? owner_->members_[index_].second
                                              : owner_->elements_[index_];
    }
    const Json& operator*() const { return value(); }
    const Json* operator->() const { return &value(); }
    const_iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator==(const const_iterator& other) const { return index_ == other.index_; }
    bool operator!=(const const_iterator& other) const { return index_ != other.index_; }

   private:
    const Json* owner_;
    size_t index_;
  };

  value_t type() const { return type_; }
  // "object", "array", "string", "number", "boolean" or "null", for error messages.
  const char* type_name() const;
  bool is_null() const { return type_ == value_t::null; }
  bool is_object() const { return type_ == value_t::object; }
  bool is_array() const { return type_ == value_t::array; }
  bool is_string() const { return type_ == value_t::string; }
  bool is_boolean() const { return type_ == value_t::boolean; }
  bool is_number() const { return is_number_integer() || is_number_float(); }
  bool is_number_integer() const {
    return type_ == value_t::number_integer || type_ == value_t::number_unsigned;
  }
  bool is_number_unsigned() const { return type_ == value_t::number_unsigned; }
  bool is_number_float() const { return type_ == value_t::number_float; }

  // Members of an object or elements of an array; 0 for anything else.
  size_t size() const {
    return type_ == value_t::object  ? members_.size()
           : type_ == value_t::array ? elements_.size()
                                     : 0;
  }
  bool empty() const { return size() == 0; }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size()); }
  // The member named `key` of an object (members are sorted by key; the last of duplicates wins),
  // or end().
  const_iterator find(std::string_view key) const;
  // The object's members as (key, value) pairs, sorted by key.
  const std::vector<Member>& items() const { return members_; }
  // Element `index` of an array; the caller checks is_array() and size().
  const Json& operator[](size_t index) const { return elements_[index]; }

  // The value as T: bool, int64_t, uint64_t, double or std::string. The caller checks the type
  // first (is_boolean(), is_number(), ...); a number converts between the numeric types.
  template <class T>
  T get() const;
  // The string itself (the caller checks is_string()).
  template <class T>
  const std::string& get_ref() const {
    return string_;
  }
  // A number_float as written in the text (e.g. "1.0", "1e300"), for error messages that name
  // what the caller wrote; empty for other types.
  const std::string& number_text() const { return string_; }

 private:
  friend class JsonParser;
  value_t type_ = value_t::null;
  bool boolean_ = false;
  int64_t integer_ = 0;
  uint64_t unsigned_ = 0;
  double float_ = 0;
  std::string string_;
  std::vector<Json> elements_;
  std::vector<Member> members_;
};

template <>
bool Json::get<bool>() const;
template <>
int64_t Json::get<int64_t>() const;
template <>
uint64_t Json::get<uint64_t>() const;
template <>
double Json::get<double>() const;
template <>
std::string Json::get<std::string>() const;

struct ParseFailure {
  std::string message;  // e.g. "invalid JSON at line 3, column 14: unexpected '}'"
};

// A key as one JSON pointer token (RFC 6901: "~" -> "~0", "/" -> "~1"), for error messages.
std::string json_pointer_token(std::string_view key);

// Parses `text` into `out`. Returns false with a line/column message on malformed JSON, invalid
// UTF-8, a number beyond the range of a double, or nesting deeper than 512 levels.
bool parse_json(std::string_view text, Json* out, ParseFailure* failure);

}  // namespace kindband

#endif  // KINDBAND_JSON_PARSE_H_
