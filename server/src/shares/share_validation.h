// What a parent shares, checked before anything is stored (docs/share-api.md).
//
// Two steps, so the server can check the sender's origin against the named organisation before
// it says anything about the content:
//   1. parse_share_envelope: the body is JSON (not too deep), an object, with a share_id and an
//      organisation of the right form. Errors here are 400.
//   2. validate_share: every field has the right type and no unknown field is present (400); the
//      instrument is known in that version, the context and language are valid, answers are in
//      range, and the result is the engine's own: rescored and compared when answers are included,
//      checked against the instrument's scales, bands and safety rules when not (422).
// The accepted share is kept in canonical form (sorted keys, no whitespace), so the same share
// sent twice hashes the same for idempotency.
#ifndef KINDBAND_SERVER_SHARE_VALIDATION_H_
#define KINDBAND_SERVER_SHARE_VALIDATION_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kindband/engine.h"

namespace kindband::server {

constexpr size_t kMaxShareBodyBytes = 64 * 1024;

// An error for the client: HTTP status, a stable code and a message naming where and what.
struct ShareError {
  int status = 400;
  std::string code;
  std::string message;
};

// A share goes to one organisation ("organisation", a one-off share) or is linked to a family and
// goes to the members its parent picked ("family_id" and "recipients"; docs/care-network.md).
struct ShareEnvelope {
  nlohmann::json body;
  std::string share_id;
  std::string organisation;             // one-off share
  std::string family_id;                // linked share
  std::vector<std::string> recipients;  // linked share: organisation slugs, no duplicates
  bool later_members = false;           // linked share: also to organisations added later
  bool show_to_family = false;          // linked share: the other parent may see it was shared
};

bool parse_share_envelope(std::string_view body, ShareEnvelope* envelope, ShareError* error);

struct ValidatedShare {
  std::string share_id;
  std::string organisation;  // "" for a linked share
  std::string instrument_id;
  std::string canonical_json;  // the whole share, sorted keys: stored and hashed
  std::string summary_json;    // what the inbox list shows: instrument, context, flags, positive
  int flag_count = 0;
  bool positive = false;
  // The moment of the share (context stage and week), kept as routing for the agreements'
  // reminders so that nothing reads the content to find it.
  std::optional<std::string> moment_stage;
  std::optional<int64_t> moment_week;
};

bool validate_share(const ShareEnvelope& envelope, const Library& library, ValidatedShare* share,
                    ShareError* error);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_SHARE_VALIDATION_H_
