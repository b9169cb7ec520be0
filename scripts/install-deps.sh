#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine is missing to build and test Kindband (run as root or with sudo).
set -euo pipefail
packages=(build-essential cmake git pkg-config clang-format libgtest-dev libbenchmark-dev
  nlohmann-json3-dev libcpp-httplib-dev libsqlite3-dev sqlite3 libsodium-dev emscripten
  libqrencode-dev zbar-tools  # invitation QR codes, and an independent decoder for their test
  nodejs chromium curl ca-certificates nginx openssl clang
  zopfli  # the widget's precompressed .gz files, 3-6% smaller than zlib -9 (widget/tools/precompress.mjs)
  ccache  # rebuilds: scripts/test.sh, build.sh, fuzz.sh use it when it is there
  webkit2gtk-driver xvfb)  # WebKit (Safari's engine) under a virtual display: tests/browser/webkit.test.mjs
packages+=(libcurl4-openssl-dev python3-aiosmtpd openssl)  # notification mail: libcurl SMTP, a real SMTP server for tests and the demo, a test certificate for its STARTTLS
packages+=(postgresql libpq-dev)  # the PostgreSQL engine (issue 27) and its conformance run (scripts/test-postgres.sh)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A node from elsewhere (e.g. NodeSource) also counts: we need node >= 18 and npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}")
fi
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | grep -v '^$' || true)
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi
command -v npm >/dev/null || { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo; $SUDO apt-get install -y -q npm; }
# Browser-test tooling from the npm registry (never downloads a browser: we use Debian's chromium).
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ -f "$here/tests/browser/package.json" ]; then
  (cd "$here/tests/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent)
fi
# terser, which minifies the browser engine's JS (wasm/CMakeLists.txt).
if [ -f "$here/wasm/package.json" ]; then
  (cd "$here/wasm" && npm install --no-audit --no-fund --silent)
fi
