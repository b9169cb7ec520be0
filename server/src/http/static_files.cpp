#include "static_files.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

namespace kindband::server {
namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";
constexpr const char* kShortLived = "public, max-age=300";
constexpr const char* kRevalidate = "no-cache";
constexpr size_t kMinVersionDigits = 8;

struct FileInfo {
  bool found = false;
  time_t mtime = 0;
  off_t size = 0;
};

FileInfo stat_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  return {true, st.st_mtime, st.st_size};
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// `coding` (or "*") listed in Accept-Encoding without q=0.
bool accepts(const httplib::Request& req, const std::string& coding_wanted) {
  std::stringstream header(lower(req.get_header_value("Accept-Encoding")));
  std::string item;
  while (std::getline(header, item, ',')) {
    const size_t semicolon = item.find(';');
    std::string coding = item.substr(0, semicolon);
    coding.erase(0, coding.find_first_not_of(" \t"));
    coding.erase(coding.find_last_not_of(" \t") + 1);
    if (coding != coding_wanted && coding != "*") continue;
    if (semicolon == std::string::npos) return true;
    std::string params = item.substr(semicolon + 1);
    params.erase(std::remove(params.begin(), params.end(), ' '), params.end());
    const size_t q = params.find("q=");
    if (q == std::string::npos) return true;
    return std::strtod(params.c_str() + q + 2, nullptr) > 0;
  }
  return false;
}

// SHA-256 in hex of each file's contents, remembered per path while its size and mtime stay.
class HashCache {
 public:
  std::string hash(const std::string& path, const FileInfo& info, const std::string& contents) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(path);
    if (it != entries_.end() && it->second.mtime == info.mtime && it->second.size == info.size)
      return it->second.hex;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(contents.data()),
                       contents.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    entries_[path] = {info.mtime, info.size, hex};
    return hex;
  }

 private:
  struct Entry {
    time_t mtime;
    off_t size;
    std::string hex;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

// The file httplib found for this request: the first mount whose folder has it (httplib's order).
std::string file_for(const std::vector<std::pair<std::string, std::string>>& static_dirs,
                     const std::string& request_path) {
  for (const auto& [prefix, dir] : static_dirs) {
    if (request_path.compare(0, prefix.size(), prefix) != 0) continue;
    std::string path = dir + "/" + request_path.substr(prefix.size());
    if (path.back() == '/') path += "index.html";
    if (stat_file(path).found) return path;
  }
  return {};
}

// A script, module, wasm, JSON or stylesheet file is only ever a subresource to a browser: the
// headers that act on a document (its CSP, framing, opener, permissions) mean nothing on it and are
// left off. What does act on a subresource stays: X-Content-Type-Options, Cross-Origin-Resource-
// Policy, Access-Control-Allow-Origin, Cache-Control, Content-Type, and Referrer-Policy (a module
// script's and a stylesheet's own policy governs the fetches they make).
bool is_subresource(const std::string& path) {
  for (const char* extension : {".js", ".mjs", ".wasm", ".json", ".css"})
    if (ends_with(path, extension)) return true;
  return false;
}

constexpr const char* kDocumentOnlyHeaders[] = {"Content-Security-Policy", "X-Frame-Options",
                                                "Cross-Origin-Opener-Policy", "Permissions-Policy"};

// Whether If-None-Match names `etag` (or is *).
bool matches_etag(const httplib::Request& req, const std::string& etag) {
  if (!req.has_header("If-None-Match")) return false;
  const std::string value = req.get_header_value("If-None-Match");
  return value.find(etag) != std::string::npos || value.find('*') != std::string::npos;
}

void serve(const std::vector<std::pair<std::string, std::string>>& static_dirs, HashCache* hashes,
           const httplib::Request& req, httplib::Response& res) {
  const std::string path = file_for(static_dirs, req.path);
  const FileInfo info = stat_file(path);
  if (path.empty() || !info.found) return;
  if (is_subresource(path))
    for (const char* header : kDocumentOnlyHeaders) res.headers.erase(header);
  const std::string hash = hashes->hash(path, info, res.body);

  const std::string version = req.has_param("v") ? lower(req.get_param_value("v")) : "";
  const bool versioned =
      version.size() >= kMinVersionDigits && hash.compare(0, version.size(), version) == 0;
  const bool page = ends_with(path, ".html");
  res.set_header("Cache-Control", versioned ? kImmutable : page ? kRevalidate : kShortLived);
  res.set_header("Vary", "Accept-Encoding");

  // Brotli (smaller; browsers ask for it over HTTPS) before gzip, each only when not older.
  std::string coding;
  for (const char* candidate : {"br", "gzip"}) {
    const FileInfo compressed = stat_file(path + "." + (candidate[0] == 'b' ? "br" : "gz"));
    if (coding.empty() && compressed.found && compressed.mtime >= info.mtime &&
        !req.has_header("Range") && accepts(req, candidate))
      coding = candidate;
  }
  const std::string etag = "\"" + hash.substr(0, 32) + (coding.empty() ? "" : "-" + coding) + "\"";
  res.set_header("ETag", etag);
  if (matches_etag(req, etag)) {
    res.status = 304;
    res.body.clear();
    return;
  }
  if (coding.empty()) return;  // httplib compresses text types on the fly; the file as it is else
  std::ifstream in(path + (coding == "br" ? ".br" : ".gz"), std::ios::binary);
  auto body = std::make_shared<std::string>(std::istreambuf_iterator<char>(in),
                                            std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return;
  // A content provider of known length is written as it is (httplib would compress a body again).
  const std::string content_type = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");
  res.body.clear();
  res.set_header("Content-Encoding", coding);
  res.set_content_provider(body->size(), content_type.c_str(),
                           [body](size_t offset, size_t length, httplib::DataSink& sink) {
                             sink.write(body->data() + offset, length);
                             return true;
                           });
}

}  // namespace

void install_static_files(httplib::Server& http,
                          std::vector<std::pair<std::string, std::string>> static_dirs) {
  auto hashes = std::make_shared<HashCache>();
  http.set_file_request_handler([static_dirs = std::move(static_dirs), hashes](
                                    const httplib::Request& req, httplib::Response& res) {
    serve(static_dirs, hashes.get(), req, res);
  });
}

}  // namespace kindband::server
