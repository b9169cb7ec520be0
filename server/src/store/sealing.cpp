#include "sealing.h"

#include <sodium.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "text_util.h"

namespace kindband::server {
namespace {

constexpr std::string_view kPrefix = "kb1.";
constexpr size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;     // 32
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;       // 16
constexpr size_t kWrappedKeyBytes = kKeyBytes + kTagBytes;
constexpr size_t kHeaderBytes = kNonceBytes + kWrappedKeyBytes + kNonceBytes;
constexpr size_t kKeyIdHex = 16;

struct Installed {
  std::string current;
  std::string current_id;
  std::vector<std::pair<std::string, std::string>> by_id;  // id -> raw key (current first)
};

// Replaced only at start or by a rotation; an old set is never freed (a reader may still hold
// it), and there are at most a handful per process.
std::atomic<const Installed*> installed{nullptr};

const Installed& keys_or_throw() {
  const Installed* keys = installed.load(std::memory_order_acquire);
  if (!keys) throw SealError("the content key is not loaded (key file)");
  return *keys;
}

// The field's place, bound into both layers: version, table, column, record.
std::string associated_data(std::string_view table, std::string_view column,
                            std::string_view record) {
  std::string ad = "kindband-sealed-v1";
  for (std::string_view part : {table, column, record}) {
    ad += '\n';
    ad += std::to_string(part.size());
    ad += ':';
    ad.append(part.data(), part.size());
  }
  return ad;
}

std::string base64url(const unsigned char* bytes, size_t size) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool from_base64url(std::string_view text, std::string* out) {
  out->assign(text.size() * 3 / 4 + 3, '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out->data()), out->size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return false;
  }
  out->resize(length);
  return true;
}

std::string wrap_key(const std::string& content_key, const unsigned char* data_key,
                     const std::string& ad) {
  std::string out(kNonceBytes + kWrappedKeyBytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(bytes, kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      bytes + kNonceBytes, &written, data_key, kKeyBytes,
      reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr, bytes,
      reinterpret_cast<const unsigned char*>(content_key.data()));
  return out;
}

// Opens the value's blob: its data key (unwrapped) into data_key. Returns a problem or "".
std::string unwrap(std::string_view sealed, const std::string& ad, std::string* blob,
                   unsigned char* data_key) {
  if (!is_sealed(sealed)) return "not a sealed value (stored in clear?)";
  const std::string id(sealed.substr(kPrefix.size(), kKeyIdHex));
  if (!from_base64url(sealed.substr(kPrefix.size() + kKeyIdHex + 1), blob) ||
      blob->size() < kHeaderBytes + kTagBytes) {
    return "a damaged sealed value";
  }
  const Installed* keys = installed.load(std::memory_order_acquire);
  if (!keys) return "the content key is not loaded (key file)";
  const std::string* content_key = nullptr;
  for (const auto& [key_id, key] : keys->by_id) {
    if (key_id == id) content_key = &key;
  }
  if (!content_key) return "sealed under content key " + id + ", which the key file does not hold";
  const auto* bytes = reinterpret_cast<const unsigned char*>(blob->data());
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          data_key, &length, nullptr, bytes + kNonceBytes, kWrappedKeyBytes,
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), bytes,
          reinterpret_cast<const unsigned char*>(content_key->data())) != 0 ||
      length != kKeyBytes) {
    return "the data key does not open here (moved to another row, or changed)";
  }
  return "";
}

}  // namespace

std::string content_key_id(const std::string& raw_key) {
  static constexpr std::string_view kLabel = "kindband content key id";
  unsigned char hash[kKeyIdHex / 2];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(kLabel.data()),
                     kLabel.size(), reinterpret_cast<const unsigned char*>(raw_key.data()),
                     raw_key.size());
  return to_hex(hash, sizeof hash);
}

bool install_content_keys(const ContentKeys& keys) {
  if (keys.current.size() != kKeyBytes) return false;
  // Readers hold no lock, so a replaced set is never freed; every set stays reachable from here
  // (installed again only when the keys change: at start and on rotation).
  static std::mutex keep_mutex;
  static auto* kept = new std::vector<std::unique_ptr<Installed>>();
  std::lock_guard<std::mutex> hold(keep_mutex);
  if (const Installed* now = installed.load(std::memory_order_acquire)) {
    bool same = now->current == keys.current && now->by_id.size() == keys.previous.size() + 1;
    for (size_t i = 0; same && i < keys.previous.size(); ++i) {
      same = now->by_id[i + 1].second == keys.previous[i];
    }
    if (same) return true;
  }
  auto* set = new Installed;
  set->current = keys.current;
  set->current_id = content_key_id(keys.current);
  set->by_id.emplace_back(set->current_id, keys.current);
  for (const std::string& key : keys.previous) {
    if (key.size() != kKeyBytes) {
      delete set;
      return false;
    }
    set->by_id.emplace_back(content_key_id(key), key);
  }
  kept->emplace_back(set);
  installed.store(set, std::memory_order_release);
  return true;
}

bool content_keys_installed() { return installed.load(std::memory_order_acquire) != nullptr; }

std::string current_content_key_id() {
  const Installed* keys = installed.load(std::memory_order_acquire);
  return keys ? keys->current_id : "";
}

int64_t plain_bytes_of_sealed(int64_t sealed_chars, int64_t values) {
  const int64_t fixed = static_cast<int64_t>(kPrefix.size() + kKeyIdHex + 1);
  const int64_t blob_bytes = (sealed_chars - fixed * values) * 3 / 4;
  const int64_t plain = blob_bytes - static_cast<int64_t>(kHeaderBytes + kTagBytes) * values;
  return plain > 0 ? plain : 0;
}

bool is_sealed(std::string_view text) {
  return text.size() > kPrefix.size() + kKeyIdHex + 1 &&
         text.substr(0, kPrefix.size()) == kPrefix && text[kPrefix.size() + kKeyIdHex] == '.';
}

std::string sealed_key_id(std::string_view sealed) {
  return is_sealed(sealed) ? std::string(sealed.substr(kPrefix.size(), kKeyIdHex)) : "";
}

std::string seal(std::string_view table, std::string_view column, std::string_view record,
                 std::string_view plain) {
  const Installed& keys = keys_or_throw();
  const std::string ad = associated_data(table, column, record);
  unsigned char data_key[kKeyBytes];
  crypto_aead_xchacha20poly1305_ietf_keygen(data_key);
  std::string blob = wrap_key(keys.current, data_key, ad);
  blob.resize(kHeaderBytes + plain.size() + kTagBytes);
  auto* bytes = reinterpret_cast<unsigned char*>(blob.data());
  unsigned char* nonce = bytes + kNonceBytes + kWrappedKeyBytes;
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonceBytes, &written, reinterpret_cast<const unsigned char*>(plain.data()),
      plain.size(), reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr, nonce,
      data_key);
  sodium_memzero(data_key, sizeof data_key);
  return std::string(kPrefix) + keys.current_id + "." + base64url(bytes, blob.size());
}

std::optional<std::string> seal_optional(std::string_view table, std::string_view column,
                                         std::string_view record,
                                         const std::optional<std::string>& plain) {
  if (!plain) return std::nullopt;
  return seal(table, column, record, *plain);
}

std::optional<std::string> try_open_sealed(std::string_view table, std::string_view column,
                                           std::string_view record, std::string_view sealed,
                                           std::string* problem) {
  const std::string ad = associated_data(table, column, record);
  std::string blob;
  unsigned char data_key[kKeyBytes];
  std::string why = unwrap(sealed, ad, &blob, data_key);
  if (why.empty()) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(blob.data());
    const unsigned char* nonce = bytes + kNonceBytes + kWrappedKeyBytes;
    const size_t cipher_size = blob.size() - kHeaderBytes;
    std::string plain(cipher_size - kTagBytes, '\0');
    unsigned long long length = 0;
    const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
        reinterpret_cast<unsigned char*>(plain.data()), &length, nullptr, nonce + kNonceBytes,
        cipher_size, reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nonce, data_key);
    sodium_memzero(data_key, sizeof data_key);
    if (rc == 0) {
      plain.resize(length);
      return plain;
    }
    why = "the content does not open here (moved to another row, or changed)";
  }
  if (problem) *problem = why;
  return std::nullopt;
}

std::string open_sealed(std::string_view table, std::string_view column, std::string_view record,
                        std::string_view sealed) {
  std::string problem;
  std::optional<std::string> plain = try_open_sealed(table, column, record, sealed, &problem);
  if (!plain) {
    throw SealError(std::string(table) + "." + std::string(column) + " of " + std::string(record) +
                    ": " + problem);
  }
  return std::move(*plain);
}

std::string rewrap_sealed(std::string_view table, std::string_view column, std::string_view record,
                          std::string_view sealed) {
  const Installed& keys = keys_or_throw();
  const std::string ad = associated_data(table, column, record);
  std::string blob;
  unsigned char data_key[kKeyBytes];
  std::string why = unwrap(sealed, ad, &blob, data_key);
  if (!why.empty()) {
    throw SealError(std::string(table) + "." + std::string(column) + " of " + std::string(record) +
                    ": " + why);
  }
  const std::string wrapped = wrap_key(keys.current, data_key, ad);
  sodium_memzero(data_key, sizeof data_key);
  blob.replace(0, wrapped.size(), wrapped);
  return std::string(kPrefix) + keys.current_id + "." +
         base64url(reinterpret_cast<const unsigned char*>(blob.data()), blob.size());
}

}  // namespace kindband::server
