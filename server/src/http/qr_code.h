// QR codes for invitation links (issue 24: a phone in the consultation room scans the link), made
// by libqrencode (Debian's libqrencode-dev): the matrix as rows of '1' (dark) and '0' (light), so
// the inbox draws it as SVG with DOM calls (no markup from the server) and it prints sharply.
#ifndef KINDBAND_SERVER_HTTP_QR_CODE_H_
#define KINDBAND_SERVER_HTTP_QR_CODE_H_

#include <nlohmann/json.hpp>
#include <string>

namespace kindband::server {

// {"size": n, "rows": [n strings of n '0'/'1']} for text (error correction level M, 8-bit mode),
// or null when libqrencode could not encode it (e.g. too long).
nlohmann::json qr_matrix(const std::string& text);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_HTTP_QR_CODE_H_
