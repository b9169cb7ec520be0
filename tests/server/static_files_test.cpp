// The --static folders as browsers get them (server/src/http/static_files.h): precompressed files
// for clients that accept them, a year's cache for versioned URLs, revalidation with ETags.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/time.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "server_harness.h"

namespace kindband::test::static_files_tests {
namespace {

void write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Sets a file's modification time `seconds` into the past.
void age(const std::string& path, int seconds) {
  struct timeval times[2];
  gettimeofday(&times[0], nullptr);
  times[0].tv_sec -= seconds;
  times[1] = times[0];
  ASSERT_EQ(utimes(path.c_str(), times), 0);
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    web = dir.file("web");
    ASSERT_EQ(mkdir(web.c_str(), 0755), 0);
    write(web + "/engine.wasm", kWasm);
    write(web + "/engine.wasm.gz", kWasmGzip);  // the server sends it as it is
    write(web + "/engine.wasm.br", kWasmBrotli);
    write(web + "/page.html", "<!doctype html><title>page</title>");
    for (const char* file : {"/engine.wasm", "/page.html"}) age(web + file, 60);
    ASSERT_TRUE(server.start(dir.file("kindband.db"), {"--static", "/kindband/=" + web}))
        << server.log();
  }

  // GET with these request headers, the body exactly as sent (no decompression).
  httplib::Result get(const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client = server.client();
    client.set_decompress(false);
    httplib::Headers sent = headers;
    if (!sent.count("Accept-Encoding")) sent.emplace("Accept-Encoding", "identity");
    return client.Get(path.c_str(), sent);
  }

  static constexpr const char* kWasm = "the engine, as built";
  static constexpr const char* kWasmGzip = "gzip bytes of the engine";
  static constexpr const char* kWasmBrotli = "brotli bytes of the engine";
  TempDir dir;
  std::string web;
  ServerProcess server;
};

TEST_F(StaticFiles, AClientThatAcceptsGzip_GetsThePrecompressedFile) {
  auto response = get("/kindband/engine.wasm", {{"Accept-Encoding", "gzip, deflate"}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, kWasmGzip);
  EXPECT_EQ(response->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(response->get_header_value("Content-Type"), "application/wasm");
  EXPECT_EQ(response->get_header_value("Vary"), "Accept-Encoding");
  EXPECT_EQ(response->get_header_value("Access-Control-Allow-Origin"), "*");
}

TEST_F(StaticFiles, AClientThatAcceptsBrotli_GetsTheBrotliFile) {
  auto response = get("/kindband/engine.wasm", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, kWasmBrotli);
  EXPECT_EQ(response->get_header_value("Content-Encoding"), "br");
}

TEST_F(StaticFiles, AClientThatRefusesGzip_GetsTheFileAsItIs) {
  for (const char* accepted : {"identity", "gzip;q=0, identity", "deflate"}) {
    auto response = get("/kindband/engine.wasm", {{"Accept-Encoding", accepted}});
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, std::string(kWasm)) << accepted;
    EXPECT_FALSE(response->has_header("Content-Encoding")) << accepted;
    EXPECT_EQ(response->get_header_value("Vary"), "Accept-Encoding");
  }
}

TEST_F(StaticFiles, APrecompressedFileOlderThanTheFile_IsNotSent) {
  age(web + "/engine.wasm.gz", 3600);
  age(web + "/engine.wasm.br", 3600);
  auto response = get("/kindband/engine.wasm", {{"Accept-Encoding", "gzip, br"}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, std::string(kWasm));
  EXPECT_FALSE(response->has_header("Content-Encoding"));
}

TEST_F(StaticFiles, ARangeRequest_GetsTheFileAsItIs) {
  auto response =
      get("/kindband/engine.wasm", {{"Accept-Encoding", "gzip"}, {"Range", "bytes=0-3"}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 206);
  EXPECT_EQ(response->body, std::string(kWasm, 4));
}

TEST_F(StaticFiles, AVersionedUrl_IsCachedForAYear_OnlyWhenTheVersionIsTheFilesHash) {
  const std::string hash = sha256_hex(std::string(kWasm));
  auto versioned = get("/kindband/engine.wasm?v=" + hash.substr(0, 12));
  ASSERT_TRUE(versioned);
  EXPECT_EQ(versioned->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  // An old or made-up version must not pin today's file in caches for a year.
  for (const std::string& query :
       {std::string("?v=0123456789ab"), "?v=" + hash.substr(0, 4), std::string()}) {
    auto response = get("/kindband/engine.wasm" + query);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->get_header_value("Cache-Control"), "public, max-age=300") << query;
  }
}

TEST_F(StaticFiles, AnHtmlPage_IsRevalidatedEachTime) {
  auto response = get("/kindband/page.html");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->get_header_value("Cache-Control"), "no-cache");
}

TEST_F(StaticFiles, ARevalidationWithTheSameETag_IsAnswered304WithoutTheBody) {
  for (const char* accepted : {"gzip", "identity"}) {
    auto first = get("/kindband/engine.wasm", {{"Accept-Encoding", accepted}});
    ASSERT_TRUE(first);
    const std::string etag = first->get_header_value("ETag");
    ASSERT_FALSE(etag.empty());
    auto again =
        get("/kindband/engine.wasm", {{"Accept-Encoding", accepted}, {"If-None-Match", etag}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304) << accepted;
    EXPECT_TRUE(again->body.empty());
  }
  // The compressed and the plain file are different representations: different ETags.
  EXPECT_NE(get("/kindband/engine.wasm", {{"Accept-Encoding", "gzip"}})->get_header_value("ETag"),
            get("/kindband/engine.wasm")->get_header_value("ETag"));
}

// Which headers each kind of response gets. Every response: nosniff and the referrer policy (a
// module script's or stylesheet's own policy governs the fetches it makes). A document (an HTML
// page, an API answer or error a person might open) also gets the headers that act on documents; a
// subresource (.js .mjs .wasm .json .css) does not: they mean nothing there and cost bytes on each
// file of a page.
void expect_headers_on_every_response(const httplib::Result& response) {
  EXPECT_EQ(response->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response->get_header_value("Referrer-Policy"), "no-referrer");
}

void expect_document_headers(const httplib::Result& response) {
  expect_headers_on_every_response(response);
  const std::string csp = response->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(response->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(response->get_header_value("Cross-Origin-Opener-Policy"), "same-origin");
  EXPECT_EQ(response->get_header_value("Permissions-Policy"),
            "camera=(), microphone=(), geolocation=()");
}

TEST_F(StaticFiles, DocumentsGetEveryHeader_SubresourcesOnlyThoseThatActOnThem) {
  for (const char* file : {"/widget.js", "/module.mjs", "/journey.nl.json", "/site.css"})
    write(web + file, "/* a subresource */");
  write(web + "/widget.js.gz", "gzip bytes of the widget");
  write(web + "/index.html", "<!doctype html><title>index</title>");
  for (const char* file : {"/widget.js", "/module.mjs", "/journey.nl.json", "/site.css"})
    age(web + file, 60);

  for (const char* path : {"/kindband/page.html", "/kindband/", "/healthz", "/no-such-page",
                           "/kindband/no-such-file.js", "/api/v1/inbox"}) {
    SCOPED_TRACE(path);
    auto response = get(path);
    ASSERT_TRUE(response);
    expect_document_headers(response);
  }
  for (const auto& [path, encoding] :
       std::vector<std::pair<std::string, std::string>>{{"/kindband/widget.js", "identity"},
                                                        {"/kindband/widget.js", "gzip"},
                                                        {"/kindband/module.mjs", "identity"},
                                                        {"/kindband/engine.wasm", "identity"},
                                                        {"/kindband/engine.wasm", "br"},
                                                        {"/kindband/journey.nl.json", "identity"},
                                                        {"/kindband/site.css", "identity"}}) {
    SCOPED_TRACE(path + " " + encoding);
    auto response = get(path, {{"Accept-Encoding", encoding}});
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    if (encoding != "identity") {
      EXPECT_EQ(response->get_header_value("Content-Encoding"), encoding);
    }
    expect_headers_on_every_response(response);
    EXPECT_EQ(response->get_header_value("Cross-Origin-Resource-Policy"), "cross-origin");
    EXPECT_EQ(response->get_header_value("Access-Control-Allow-Origin"), "*");
    EXPECT_FALSE(response->get_header_value("Cache-Control").empty());
    EXPECT_FALSE(response->get_header_value("Content-Type").empty());
    for (const char* header : {"Content-Security-Policy", "X-Frame-Options",
                               "Cross-Origin-Opener-Policy", "Permissions-Policy"})
      EXPECT_FALSE(response->has_header(header)) << header;
  }
}

}  // namespace
}  // namespace kindband::test::static_files_tests
