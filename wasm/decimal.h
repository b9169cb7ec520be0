// Decimal text to double without 128-bit arithmetic, for the wasm build's strtod
// (libc_overrides.cpp).
//
// Why: the engine's JSON parser converts numbers with strtod, and musl's strtod computes in long
// double, which in wasm is software floating point: about 7 KB of the gzip download. JSON numbers
// in the instrument library are short decimals (2.33, 30, 1e3); for those (at most 19 significant
// digits, value below 2^53 after scaling, |exponent| <= 22) the result is the correctly rounded
// double, the same bits as any correct strtod, because it takes one exact-operand IEEE operation
// (Clinger's fast path). Longer or larger numbers (only in bad input, which the engine rejects) are
// converted to within a few units in the last place.
#ifndef KINDBAND_WASM_DECIMAL_H_
#define KINDBAND_WASM_DECIMAL_H_

namespace kindband {

// Parses [whitespace][+-]digits[.digits][(e|E)[+-]digits] from `text` as strtod does; sets *end
// (when not null) after the number, or to `text` when there is none (then returns 0).
// Infinity, NaN and hexadecimal forms are not numbers in JSON and are not accepted.
double decimal_to_double(const char* text, char** end);

}  // namespace kindband

#endif  // KINDBAND_WASM_DECIMAL_H_
