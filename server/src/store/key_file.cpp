#include "key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "database.h"
#include "sealing.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

namespace {

bool is_key(const json& value) {
  if (!value.is_string() || value.get_ref<const std::string&>().size() != 64) return false;
  const std::string& text = value.get_ref<const std::string&>();
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string meta_key(Tx* db, const char* name) {
  Statement row(db, "SELECT value FROM meta WHERE key = ?");
  row.bind(1, name);
  return row.step() ? row.text(0) : "";
}

bool write_file_atomically(const std::string& path, const std::string& text, std::string* error) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = tmp + ": " + std::strerror(errno);
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = path + ": cannot write the key file: " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  // The rename itself must survive a power cut: sync the folder.
  std::string folder =
      path.substr(0, path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/'));
  int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

std::string raw_key(const std::string& hex) {
  std::string raw(hex.size() / 2, '\0');
  size_t length = 0;
  sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), hex.data(), hex.size(),
                 nullptr, &length, nullptr);
  raw.resize(length);
  return raw;
}

json file_of(const ServerKeys& keys) {
  return json{{"receipt_key", keys.receipt_key},
              {"body_key", keys.body_key},
              {"previous_receipt_keys", keys.previous_receipt_keys},
              {"content_key", keys.content_key},
              {"previous_content_keys", keys.previous_content_keys}};
}

// The content key this database was sealed under, "" when none yet (meta content_key_id).
std::string sealed_under(Tx* db) { return meta_key(db, "content_key_id"); }

std::string missing_key_help(const std::string& id) {
  return "the database holds content sealed under content key " + id +
         "; put back the key file it was sealed with (or give it with --key-file): without it "
         "nothing a parent shared can be read, so the server does not start (docs/deployment.md)";
}

}  // namespace

bool write_server_keys(const std::string& path, const ServerKeys& keys, std::string* error) {
  return write_file_atomically(path, file_of(keys).dump(2) + "\n", error);
}

bool set_content_key_id(Tx* db, const std::string& key_id) {
  Statement mark(db,
                 "INSERT INTO meta(key, value) VALUES('content_key_id', ?1) ON CONFLICT(key) DO "
                 "UPDATE SET value = ?1");
  return mark.bind(1, key_id).run();
}

bool load_server_keys(const std::string& path, Tx* db, ServerKeys* keys, std::string* error) {
  const std::string sealed_id = sealed_under(db);
  std::ifstream in(path);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    json file = json::parse(text.str(), nullptr, false);
    if (file.is_discarded() || !file.is_object() || !is_key(file.value("receipt_key", json())) ||
        !is_key(file.value("body_key", json()))) {
      *error = path + ": expected {\"receipt_key\": \"<64 hex>\", \"body_key\": \"<64 hex>\"}";
      return false;
    }
    keys->receipt_key = file["receipt_key"];
    keys->body_key = file["body_key"];
    keys->previous_receipt_keys.clear();
    for (const json& previous : file.value("previous_receipt_keys", json::array())) {
      if (!is_key(previous)) {
        *error = path + ": /previous_receipt_keys: each a key of 64 hex characters";
        return false;
      }
      keys->previous_receipt_keys.push_back(previous);
    }
    keys->content_key.clear();
    keys->previous_content_keys.clear();
    if (file.contains("content_key")) {
      if (!is_key(file["content_key"])) {
        *error = path + ": /content_key: a key of 64 hex characters";
        return false;
      }
      keys->content_key = file["content_key"];
    }
    for (const json& previous : file.value("previous_content_keys", json::array())) {
      if (!is_key(previous)) {
        *error = path + ": /previous_content_keys: each a key of 64 hex characters";
        return false;
      }
      keys->previous_content_keys.push_back(previous);
    }
    // Whatever the umask was when someone copied it here: the server's user only.
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
      ::chmod(path.c_str(), 0600);
    }
    if (keys->content_key.empty()) {
      // A key file from before sealing: it gets a content key, unless content was sealed under
      // one already (then this is not the file the database was used with).
      if (!sealed_id.empty()) {
        *error = path + ": has no content_key, but " + missing_key_help(sealed_id);
        return false;
      }
      keys->content_key = random_token(32);
      if (!write_server_keys(path, *keys, error)) return false;
    }
  } else {
    if (!sealed_id.empty()) {
      *error = path + ": missing, but " + missing_key_help(sealed_id);
      return false;
    }
    // First start, or a database from before the key file: keep its keys (receipts that parents
    // hold stay valid), else make fresh ones.
    keys->receipt_key = meta_key(db, "receipt_key");
    keys->body_key = meta_key(db, "body_key");
    if (keys->receipt_key.size() != 64) keys->receipt_key = random_token(32);
    if (keys->body_key.size() != 64) keys->body_key = random_token(32);
    keys->previous_receipt_keys.clear();
    keys->content_key = random_token(32);
    keys->previous_content_keys.clear();
    if (!write_server_keys(path, *keys, error)) return false;
  }
  ContentKeys content{raw_key(keys->content_key), {}};
  for (const std::string& previous : keys->previous_content_keys) {
    content.previous.push_back(raw_key(previous));
  }
  if (!sealed_id.empty()) {
    bool known = content_key_id(content.current) == sealed_id;
    for (const std::string& previous : content.previous) {
      known = known || content_key_id(previous) == sealed_id;
    }
    if (!known) {
      *error = path + ": holds content key " + content_key_id(content.current) +
               " (and no previous_content_keys entry " + sealed_id + "), but " +
               missing_key_help(sealed_id);
      return false;
    }
  } else if (!set_content_key_id(db, content_key_id(content.current))) {
    *error = path + ": cannot mark the database's content key: " + db->last_error();
    return false;
  }
  if (!install_content_keys(content)) {
    *error = path + ": the content keys cannot be used";
    return false;
  }
  Statement forget(db, "DELETE FROM meta WHERE key IN ('receipt_key', 'body_key')");
  if (!forget.run()) {
    *error = path + ": cannot remove the keys from the database: " + db->last_error();
    return false;
  }
  return true;
}

}  // namespace kindband::server
