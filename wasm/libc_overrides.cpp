// Replaces libc's strtod family in the wasm build only (see decimal.h for why). Defined here, these
// symbols keep the linker from pulling musl's strtod (and its 128-bit soft-float) out of libc.
// strtof and strtold must be defined too: libc++ references them, and they share musl's object
// file.
#include "decimal.h"

extern "C" {

double strtod(const char* text, char** end) { return kindband::decimal_to_double(text, end); }

float strtof(const char* text, char** end) {
  return static_cast<float>(kindband::decimal_to_double(text, end));
}

long double strtold(const char* text, char** end) { return kindband::decimal_to_double(text, end); }

}  // extern "C"
