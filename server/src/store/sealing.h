// Content sealed at rest (issue 26, docs/envelope.md). What a parent said (a share's payload and
// summary, messages, agreement texts and comments, referral reasons, intake records, contact
// details, the family's name) is stored only as a sealed value:
//
//   kb1.<key id: 16 hex>.<base64url: wrap nonce 24 | wrapped data key 48 | nonce 24 | ciphertext>
//
// Each value has its own random data key (XChaCha20-Poly1305); the data key is wrapped by the
// content key, which lives in the 0600 key file (key_file.h), never in the database. Both layers
// take the field's place as associated data ("table", "column", record id), so a sealed value
// copied to another row or column does not open. Erasing the value erases its data key with it.
//
// Sealing sits above the storage seam (database.h): the domain stores seal before they bind and
// open after they read, whatever engine is below. The keys are installed once per process
// (install_content_keys) before the first store runs; nothing here blocks or touches the disk.
#ifndef KINDBAND_SERVER_STORE_SEALING_H_
#define KINDBAND_SERVER_STORE_SEALING_H_

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kindband::server {

// The content keys of this process: the one that seals, and older ones that still open values
// sealed before a rotation (32 bytes each, as 64 hex characters in the key file).
struct ContentKeys {
  std::string current;                // 32 raw bytes
  std::vector<std::string> previous;  // 32 raw bytes each
};

// The public name of a content key: 16 hex characters of a keyed hash (says nothing of the key).
std::string content_key_id(const std::string& raw_key);

// Makes keys the process's content keys (thread-safe; earlier ones stay valid for values already
// opened). Returns false when a key is not 32 bytes.
bool install_content_keys(const ContentKeys& keys);
// True once keys are installed.
bool content_keys_installed();
// The id of the current content key ("" before install).
std::string current_content_key_id();

// Raised when a value cannot be sealed or opened (no key installed, a value that was moved,
// changed, sealed under a key this process does not have, or stored in clear). Request handlers
// turn it into a 500 and write jobs into a rollback: content is never served garbled.
class SealError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Seals plain for the field table.column of the record (its primary key or another unique key).
std::string seal(std::string_view table, std::string_view column, std::string_view record,
                 std::string_view plain);
// seal() for an optional value: nullopt stays nullopt (SQL NULL).
std::optional<std::string> seal_optional(std::string_view table, std::string_view column,
                                         std::string_view record,
                                         const std::optional<std::string>& plain);

// Opens a value seal() made for the same field and record; throws SealError otherwise.
std::string open_sealed(std::string_view table, std::string_view column, std::string_view record,
                        std::string_view sealed);
// Like open_sealed, without throwing: nullopt (and *problem says why) when it cannot be opened.
std::optional<std::string> try_open_sealed(std::string_view table, std::string_view column,
                                           std::string_view record, std::string_view sealed,
                                           std::string* problem = nullptr);

// The plain bytes that `values` sealed values of together `sealed_chars` characters hold (exact
// up to a byte per value): lets a quota on what parents stored count without opening anything.
int64_t plain_bytes_of_sealed(int64_t sealed_chars, int64_t values);

// True for text in the sealed form (it says nothing of whether it opens).
bool is_sealed(std::string_view text);
// The id of the content key that wrapped a sealed value ("" when not sealed).
std::string sealed_key_id(std::string_view sealed);

// Wraps the value's data key again under the current content key (rotation: the ciphertext stays
// as it is). Throws SealError when the value does not open.
std::string rewrap_sealed(std::string_view table, std::string_view column, std::string_view record,
                          std::string_view sealed);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_SEALING_H_
