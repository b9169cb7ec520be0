#include "decimal.h"

#include <cstdint>

namespace kindband {
namespace {

constexpr double kExactPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr uint64_t kMaxExactInteger = uint64_t{1} << 53;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// value * 10^exponent for exponents beyond the exact range: a few roundings, hence a few ulp.
double scale(double value, int exponent) {
  static const double kBinaryPowers[] = {1e1, 1e2, 1e4, 1e8, 1e16, 1e32, 1e64, 1e128, 1e256};
  const bool divide = exponent < 0;
  unsigned magnitude = divide ? 0u - static_cast<unsigned>(exponent) : exponent;
  for (int bit = 0; magnitude != 0 && bit < 9; ++bit, magnitude >>= 1) {
    if (magnitude & 1) value = divide ? value / kBinaryPowers[bit] : value * kBinaryPowers[bit];
  }
  // Anything left is beyond 10^511: the result is 0 or infinity.
  if (magnitude != 0) value = divide ? value * 0.0 : value * 1e308 * 1e308;
  return value;
}

}  // namespace

double decimal_to_double(const char* text, char** end) {
  const char* at = text;
  while (*at == ' ' || (*at >= '\t' && *at <= '\r')) ++at;
  const bool negative = *at == '-';
  if (*at == '-' || *at == '+') ++at;

  uint64_t mantissa = 0;
  int significant = 0;  // digits in mantissa, leading zeros not counted
  int exponent = 0;     // decimal exponent to apply to mantissa
  bool exact = true;    // false once a nonzero digit did not fit in mantissa
  int digits = 0;
  auto take = [&](char c, bool fraction) {
    ++digits;
    if (significant < 19) {
      mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
      if (mantissa != 0) ++significant;
      if (fraction) --exponent;
    } else {
      if (c != '0') exact = false;
      if (!fraction) ++exponent;
    }
  };
  while (is_digit(*at)) take(*at++, false);
  if (*at == '.') {
    const char* dot = at++;
    const int before = digits;
    while (is_digit(*at)) take(*at++, true);
    if (digits == before && before == 0) at = dot;  // "." alone is not a number
  }
  if (digits == 0) {
    if (end != nullptr) *end = const_cast<char*>(text);
    return 0;
  }
  if (*at == 'e' || *at == 'E') {
    const char* mark = at++;
    const bool negative_exponent = *at == '-';
    if (*at == '-' || *at == '+') ++at;
    if (is_digit(*at)) {
      int written = 0;
      while (is_digit(*at)) {
        if (written < 100000) written = written * 10 + (*at - '0');
        ++at;
      }
      exponent += negative_exponent ? -written : written;
    } else {
      at = mark;  // "1e" is the number 1 followed by "e"
    }
  }
  if (end != nullptr) *end = const_cast<char*>(at);

  double value;
  if (mantissa == 0) {
    value = 0;
  } else if (exact && mantissa <= kMaxExactInteger && exponent >= -22 && exponent <= 22) {
    value = exponent < 0 ? static_cast<double>(mantissa) / kExactPowers[-exponent]
                         : static_cast<double>(mantissa) * kExactPowers[exponent];
  } else {
    value = scale(static_cast<double>(mantissa), exponent);
  }
  return negative ? -value : value;
}

}  // namespace kindband
