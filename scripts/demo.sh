#!/usr/bin/env bash
# Starts the Kindband demo on this machine: kindband-server on 127.0.0.1 with a fresh demo database,
# a demo organisation (demo-vsv) whose website is the example site served by the same server, and a
# demo professional account (credentials printed below), and a local mail catcher (a real SMTP server,
# Debian's python3-aiosmtpd) with a web page listing the notification mails the demo sends. Ctrl+C
# stops it.
#
#   scripts/demo.sh [--port N]          (default 8080; or KINDBAND_DEMO_PORT=N)
#
# Needs a build first: scripts/build.sh (server in build/native, widget in build/web, engine in
# build/wasm/dist). Folders that are missing are skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${KINDBAND_DEMO_PORT:-8080}"
while (($#)); do
  case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    *) echo "usage: scripts/demo.sh [--port N]" >&2; exit 2 ;;
  esac
done
[[ "$port" =~ ^[0-9]+$ ]] || { echo "demo.sh: --port must be a number" >&2; exit 2; }

build="${KINDBAND_BUILD_DIR:-build/native}"
server="$build/server/kindband-server"
admin="$build/server/kindband-admin"
for binary in "$server" "$admin"; do
  [ -x "$binary" ] || { echo "demo.sh: $binary not found: run scripts/build.sh first" >&2; exit 1; }
done

demo="build/demo"
db="$demo/kindband.db"
rm -rf "$demo"
mkdir -p "$demo"

site_origin="http://127.0.0.1:$port"

# The care network (scripts/demo-seed.sh): coalition "Kansrijke Start Voorbeeldstad"
# (ks-voorbeeldstad) with a midwife practice (demo-vsv, the organisation the example site's widget
# names), maternity care, youth health care, a GP practice and infant mental health; their widget
# page is the example site.
coalition="ks-voorbeeldstad"
accounts=()
while IFS='|' read -r username display_name name password; do
  accounts+=("$(printf '    %-26s %-18s %-36s password: %s' "$username" "$display_name" "($name)" "$password")")
done < <(scripts/demo-seed.sh "$admin" "$db" "$site_origin" "http://localhost:$port")

static=(--static "/inbox/=server/web/inbox")
note=()
if [ -d examples/site ]; then static+=(--static "/=examples/site"); else note+=("examples/site missing: no example site"); fi
if [ -d build/web ]; then static+=(--static "/kindband/=build/web"); else note+=("build/web missing: no widget (run scripts/build.sh)"); fi
if [ -d build/wasm/dist ]; then static+=(--static "/engine/=build/wasm/dist"); else note+=("build/wasm/dist missing: the inbox shows raw data"); fi

# The mail catcher: SMTP and a web page with the mails, on the two ports after the demo's.
mail_page_port=$((port + 25))
smtp_port=$((port + 26))
mail=()
if /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  /usr/bin/python3 scripts/mail-catcher.py --port "$smtp_port" --dir "$demo/mails" \
    --http-port "$mail_page_port" >"$demo/mail-catcher.log" 2>&1 &
  catcher=$!
  trap 'kill "$catcher" 2>/dev/null || true' EXIT
  mail=(--smtp-url "smtp://127.0.0.1:$smtp_port" --smtp-from "kindband@demo.example"
    --smtp-allow-plain yes --public-url "$site_origin" --mail-interval 60)
  mail_line="  Mail the demo sends (no health data in any):           http://127.0.0.1:$mail_page_port/"
else
  note+=("python3-aiosmtpd missing: no mail catcher, notifications wait in the outbox")
  mail_line=""
fi

cat <<TEXT

  Kindband demo
  -------------
  Parent side (example municipal site with the widget):  $site_origin/
  Professional inbox:                                    $site_origin/inbox/
$mail_line
  Accounts (one per organisation; fresh passwords each run):
$(printf '%s\n' "${accounts[@]}")
  Care network: coalition $coalition (Kansrijke Start Voorbeeldstad), website origin $site_origin
  Database: $db (fresh each run)   Stop with Ctrl+C.
TEXT
for line in "${note[@]}"; do echo "  note: $line"; done
echo

"$server" --listen "127.0.0.1:$port" --database "$db" "${static[@]}" "${mail[@]}"
