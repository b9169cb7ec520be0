#include "http/qr_code.h"

#include <qrencode.h>

#include <memory>

namespace kindband::server {

nlohmann::json qr_matrix(const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) return nullptr;
  const int size = code->width;
  nlohmann::json rows = nlohmann::json::array();
  for (int y = 0; y < size; ++y) {
    std::string row(static_cast<size_t>(size), '0');
    for (int x = 0; x < size; ++x) {
      // The lowest bit of each module byte says dark (1) or light (0).
      if (code->data[y * size + x] & 1) row[static_cast<size_t>(x)] = '1';
    }
    rows.push_back(std::move(row));
  }
  return {{"size", size}, {"rows", std::move(rows)}};
}

}  // namespace kindband::server
