// Small pieces of the server checked directly: origin normalisation, time stamps, UUIDs, the
// session store's timeouts, password hashing.
#include <gtest/gtest.h>
#include <sodium.h>

#include <thread>

#include "accounts.h"
#include "database.h"
#include "server_harness.h"
#include "sessions.h"
#include "text_util.h"

namespace kindband::server::units_tests {
namespace {

TEST(Origins, AreNormalisedForComparison) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : {Case{"https://Example.NL", "https://example.nl"},
                        Case{"https://example.nl/", "https://example.nl"},
                        Case{"https://example.nl:443", "https://example.nl"},
                        Case{"http://example.nl:80", "http://example.nl"},
                        Case{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
                        Case{"http://[::1]:8080", "http://[::1]:8080"},
                        Case{"https://sub.example.nl:8443", "https://sub.example.nl:8443"}}) {
    std::string origin, error;
    EXPECT_TRUE(normalise_origin(c.in, &origin, &error)) << c.in << ": " << error;
    EXPECT_EQ(origin, c.out);
  }
}

TEST(Origins, RefuseNullPathsCredentialsAndOtherSchemes) {
  for (const char* bad :
       {"null", "NULL", "", "example.nl", "ftp://example.nl", "https://", "https://example.nl/x",
        "https://user@example.nl", "https://example.nl?x", "https://example.nl#x",
        "https://example.nl:0", "https://example.nl:99999", "https://example.nl:8o",
        "https://exa mple.nl", "file:///etc/passwd", "https://example.nl\\evil"}) {
    std::string origin, error;
    EXPECT_FALSE(normalise_origin(bad, &origin, &error)) << bad;
    EXPECT_FALSE(error.empty());
  }
}

TEST(TextUtil, RecognisesCanonicalUuidsAndUtcTimes) {
  EXPECT_TRUE(is_canonical_uuid("7d4f0c4e-1b7a-4c55-9a7e-3f2a1c0d9e11"));
  EXPECT_FALSE(is_canonical_uuid("7D4F0C4E-1B7A-4C55-9A7E-3F2A1C0D9E11"));
  EXPECT_FALSE(is_canonical_uuid("7d4f0c4e1b7a4c559a7e3f2a1c0d9e11"));
  EXPECT_FALSE(is_canonical_uuid("7d4f0c4e-1b7a-4c55-9a7e-3f2a1c0d9e1g"));
  EXPECT_TRUE(is_rfc3339_utc("2026-11-22T21:00:00Z"));
  EXPECT_TRUE(is_rfc3339_utc("2026-11-22T21:00:00.123Z"));
  EXPECT_FALSE(is_rfc3339_utc("2026-11-22T21:00:00+01:00"));
  EXPECT_FALSE(is_rfc3339_utc("2026-13-22T21:00:00Z"));
  EXPECT_FALSE(is_rfc3339_utc("2026-11-22 21:00:00Z"));
  EXPECT_FALSE(is_rfc3339_utc("2026-11-22T21:00:00.Z"));
  EXPECT_EQ(utc_timestamp_now().size(), 24u);
}

TEST(TextUtil, SecretsCompareOnlyWhenEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_NE(random_token(32), random_token(32));
  EXPECT_EQ(random_token(32).size(), 64u);
  EXPECT_NE(hmac_sha256_hex("key-a", "x"), hmac_sha256_hex("key-b", "x"));
}

TEST(Sessions, EndAfterIdleTimeAbsoluteTimeOrRemoval) {
  // In the database (both engines), so that every instance sees the same sessions.
  kindband::test::TempDir dir;
  std::string error;
  std::unique_ptr<Database> database =
      open_database(kindband::test::database_location(dir.file("sessions.db")), &error);
  ASSERT_TRUE(database) << error;
  // Seconds, not less: each touch is a read and a commit, which a busy machine may take a while
  // for. The idle limit leaves a touch 2.6 s to arrive after the one before (every 1.35 s below).
  SessionStore store(std::chrono::seconds(4), std::chrono::seconds(8));
  store.attach(database.get());
  Session anna{1, "anna", "verloskundige", 1, "vsv-a"};
  std::string token = store.create(anna);
  ASSERT_TRUE(store.touch(token));
  EXPECT_EQ(store.touch(token)->username, "anna");
  EXPECT_FALSE(store.touch(token + "x"));
  EXPECT_FALSE(store.touch(std::string(64, '0')));
  std::this_thread::sleep_for(std::chrono::milliseconds(4300));
  EXPECT_FALSE(store.touch(token)) << "idle timeout";

  const auto made = std::chrono::steady_clock::now();
  std::string active = store.create(anna);
  for (int i = 0; i < 4; ++i) {  // kept past the idle limit
    std::this_thread::sleep_for(std::chrono::milliseconds(1350));
    EXPECT_TRUE(store.touch(active)) << i;
  }
  std::this_thread::sleep_until(made + std::chrono::milliseconds(8200));
  EXPECT_FALSE(store.touch(active)) << "absolute timeout";

  std::string removed = store.create(anna);
  store.remove(removed);
  EXPECT_FALSE(store.touch(removed));
  std::string other = store.create(anna);
  store.remove_professional(1);
  EXPECT_FALSE(store.touch(other));
}

TEST(Passwords, AreArgon2idAndCheckedForLength) {
  ASSERT_GE(sodium_init(), 0);
  std::string hash, error;
  EXPECT_FALSE(hash_password("short pass", &hash, &error));
  EXPECT_NE(error.find("at least 12"), std::string::npos);
  ASSERT_TRUE(hash_password("long enough passphrase", &hash, &error)) << error;
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << hash;
  EXPECT_TRUE(verify_password(hash, "long enough passphrase"));
  EXPECT_FALSE(verify_password(hash, "long enough passphrasE"));
  EXPECT_FALSE(verify_password(dummy_password_hash(), "long enough passphrase"));
}

}  // namespace
}  // namespace kindband::server::units_tests
