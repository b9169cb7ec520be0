// Small helpers shared by the server parts: time stamps, random tokens, hashing, hex.
#ifndef KINDBAND_SERVER_TEXT_UTIL_H_
#define KINDBAND_SERVER_TEXT_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kindband::server {

// Seconds since the Unix epoch (wall clock).
int64_t unix_now();
// Milliseconds since the Unix epoch (wall clock).
int64_t unix_now_millis();
// UTC time as RFC 3339 with milliseconds, e.g. "2026-11-22T21:00:00.123Z".
std::string utc_timestamp_now();
// UTC time of a Unix time in seconds, e.g. "2026-11-22T21:00:00Z".
std::string utc_timestamp_at(int64_t unix_seconds);

// Lower-case hex of bytes.
std::string to_hex(const unsigned char* bytes, size_t size);
// A fresh random secret of `bytes` random bytes, as lower-case hex (libsodium randombytes).
std::string random_token(size_t bytes);
// SHA-256 of text, lower-case hex.
std::string sha256_hex(std::string_view text);
// HMAC-SHA-256 of text under key, lower-case hex.
std::string hmac_sha256_hex(std::string_view key, std::string_view text);
// Compares two strings in time independent of where they differ (for secrets).
bool constant_time_equal(std::string_view a, std::string_view b);

// True for a UUID in canonical lower-case form (8-4-4-4-12 hex digits).
bool is_canonical_uuid(std::string_view text);
// True for "YYYY-MM-DDTHH:MM:SS[.fraction]Z" with plausible field ranges.
bool is_rfc3339_utc(std::string_view text);

// True when text holds a character that hides or reorders what a reader sees: C0 controls (a
// newline only when newline_allowed is false), DEL, C1 controls, the left-to-right and
// right-to-left marks (U+200E/F) and the bidi embeddings, overrides and isolates (U+202A-U+202E,
// U+2066-U+2069). With them a signed name or a note could be made to read as someone else's.
bool has_hidden_characters(std::string_view text, bool newline_allowed);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_TEXT_UTIL_H_
