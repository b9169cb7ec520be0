#include "decimal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

namespace {

uint64_t bits(double value) {
  uint64_t out;
  std::memcpy(&out, &value, sizeof out);
  return out;
}

// Parses with both; requires the same end position and returns {ours, libc's}.
std::pair<double, double> both(const std::string& text) {
  char* our_end = nullptr;
  char* libc_end = nullptr;
  const double ours = kindband::decimal_to_double(text.c_str(), &our_end);
  const double libc = std::strtod(text.c_str(), &libc_end);
  EXPECT_EQ(our_end - text.c_str(), libc_end - text.c_str()) << text;
  return {ours, libc};
}

TEST(Decimal, LibraryStyleNumbers_SameBitsAsStrtod) {
  for (const char* text : {"0",
                           "-0",
                           "1",
                           "2.33",
                           "3.67",
                           "30",
                           "0.5",
                           "-12.75",
                           "1e3",
                           "1.5E-2",
                           "123456789012345678",
                           "9007199254740993",
                           "0.1",
                           "0.3",
                           "4.35",
                           "1e22",
                           "1e-22",
                           "2.5e+1",
                           "100.00",
                           "0.000",
                           "  7",
                           "+8"}) {
    const auto [ours, libc] = both(text);
    EXPECT_EQ(bits(ours), bits(libc)) << text << ": " << ours << " vs " << libc;
  }
}

TEST(Decimal, FastPathNumbers_SameBitsAsStrtod) {
  std::mt19937_64 random(42);
  for (int i = 0; i < 200000; ++i) {
    std::string digits = std::to_string(random() % 1000000000000000ULL);  // at most 15 digits
    const size_t point = random() % (digits.size() + 1);
    std::string text = (random() % 2 ? "-" : "") + digits.substr(0, point);
    if (point < digits.size()) text += "." + digits.substr(point);
    if (random() % 3 == 0) text += "e" + std::to_string(static_cast<int>(random() % 15) - 7);
    if (text == "-" || text.empty() || text.front() == '.') text = "0" + text;
    const auto [ours, libc] = both(text);
    ASSERT_EQ(bits(ours), bits(libc)) << text;
  }
}

TEST(Decimal, OtherNumbers_WithinAFewUlp) {
  std::mt19937_64 random(7);
  for (int i = 0; i < 100000; ++i) {
    std::string text = std::to_string(1 + random() % 9);
    const int length = static_cast<int>(random() % 25);
    for (int d = 0; d < length; ++d) text += static_cast<char>('0' + random() % 10);
    text += "e" + std::to_string(static_cast<int>(random() % 580) - 290);
    const auto [ours, libc] = both(text);
    const int64_t distance = static_cast<int64_t>(bits(ours)) - static_cast<int64_t>(bits(libc));
    ASSERT_LE(std::llabs(distance), 8) << text << ": " << ours << " vs " << libc;
  }
}

TEST(Decimal, EndPointer_FollowsStrtod) {
  for (const char* text : {"12abc", "1e", "1e+", "5.", ".5", "-.5e1x", "1.2.3", "007"}) {
    const auto [ours, libc] = both(text);
    EXPECT_EQ(ours, libc) << text;
  }
}

TEST(Decimal, NotANumber_ReturnsZeroAndEndAtStart) {
  for (const char* text : {"", "abc", "-", "+", ".", "-.e1", "e5"}) {
    char* end = nullptr;
    EXPECT_EQ(kindband::decimal_to_double(text, &end), 0.0) << text;
    EXPECT_EQ(end, text) << text;
  }
}

TEST(Decimal, HugeExponents_OverflowAndUnderflow) {
  EXPECT_TRUE(std::isinf(kindband::decimal_to_double("1e999999999", nullptr)));
  EXPECT_TRUE(std::isinf(kindband::decimal_to_double("-1e400", nullptr)));
  EXPECT_EQ(kindband::decimal_to_double("1e-999999999", nullptr), 0.0);
  EXPECT_EQ(kindband::decimal_to_double("1e-400", nullptr), 0.0);
  const std::string many_digits = "1" + std::string(5000, '0');
  EXPECT_TRUE(std::isinf(kindband::decimal_to_double(many_digits.c_str(), nullptr)));
}

}  // namespace
