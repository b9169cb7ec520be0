// The --static folders as browsers should get them: precompressed and with cache lifetimes.
#ifndef KINDBAND_SERVER_HTTP_STATIC_FILES_H_
#define KINDBAND_SERVER_HTTP_STATIC_FILES_H_

#include <httplib.h>

#include <string>
#include <utility>
#include <vector>

namespace kindband::server {

// Adds to the files that `http` serves from its mount points (`static_dirs`: URL prefix -> folder,
// in the order they were mounted):
//  - a client that accepts brotli or gzip gets `<file>.br` or `<file>.gz` instead of the file when
//    it lies next to it and is not older (scripts/build-web.sh writes both), with Content-Encoding;
//  - a request whose `v` parameter is the start of the file's SHA-256 (hex, at least 8 digits: the
//    versioned URLs the widget asks for) may be cached for a year as immutable; an HTML page is
//    revalidated each time, any other file after 5 minutes (the widget's entry script);
//  - an ETag (the file's hash), so a revalidation is answered 304 without the body;
//  - Vary: Accept-Encoding;
//  - a .js, .mjs, .wasm, .json or .css file (a subresource) without the headers that only act on a
//    document (Content-Security-Policy, X-Frame-Options, Cross-Origin-Opener-Policy,
//    Permissions-Policy); HTML pages, API answers and errors keep every default header.
// HEAD and Range requests get the file as it is.
void install_static_files(httplib::Server& http,
                          std::vector<std::pair<std::string, std::string>> static_dirs);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_HTTP_STATIC_FILES_H_
