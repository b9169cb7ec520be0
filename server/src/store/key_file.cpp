#include "key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "database.h"
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

}  // namespace

bool load_server_keys(const std::string& path, Tx* db, ServerKeys* keys, std::string* error) {
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
    // Whatever the umask was when someone copied it here: the server's user only.
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
      ::chmod(path.c_str(), 0600);
    }
  } else {
    // First start, or a database from before the key file: keep its keys (receipts that parents
    // hold stay valid), else make fresh ones.
    keys->receipt_key = meta_key(db, "receipt_key");
    keys->body_key = meta_key(db, "body_key");
    if (keys->receipt_key.size() != 64) keys->receipt_key = random_token(32);
    if (keys->body_key.size() != 64) keys->body_key = random_token(32);
    json file = {{"receipt_key", keys->receipt_key},
                 {"body_key", keys->body_key},
                 {"previous_receipt_keys", json::array()}};
    if (!write_file_atomically(path, file.dump(2) + "\n", error)) return false;
  }
  Statement forget(db, "DELETE FROM meta WHERE key IN ('receipt_key', 'body_key')");
  if (!forget.run()) {
    *error = path + ": cannot remove the keys from the database: " + db->last_error();
    return false;
  }
  return true;
}

}  // namespace kindband::server
