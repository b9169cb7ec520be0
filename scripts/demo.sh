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
origins=(--origin "$site_origin" --origin "http://localhost:$port")

# The care network: coalition "Kansrijke Start Voorbeeldstad" with a midwife practice (demo-vsv, the
# organisation the example site's widget names), maternity care, youth health care, a GP practice and
# infant mental health (where a triage's judgement may refer to);
# their widget page is the example site.
coalition="ks-voorbeeldstad"
"$admin" --database "$db" create-coalition "$coalition" --name "Kansrijke Start Voorbeeldstad" >/dev/null
# slug | type | name | description (nl) | description (en) | username | role
network=(
  "demo-vsv|verloskunde|Verloskundigenpraktijk De Zon|Verloskundigen voor zwangerschap, bevalling en kraamtijd.|Midwives for pregnancy, birth and the first weeks.|demo.verloskundige|verloskundige"
  "kraamzorg-vb|kraamzorg|Kraamzorg Voorbeeldstad|Kraamverzorgenden thuis in de eerste dagen na de geboorte.|Maternity care at home in the first days after birth.|demo.kraamverzorgende|kraamverzorgende"
  "jgz-vb|jgz|JGZ Voorbeeldstad|Jeugdgezondheidszorg: het consultatiebureau en huisbezoeken.|Youth health care: the child health clinic and home visits.|demo.jeugdverpleegkundige|jeugdverpleegkundige"
  "ha-centrum|huisarts|Huisartsenpraktijk Centrum|Uw huisarts, ook voor hoe u zich voelt.|Your GP, also for how you feel.|demo.huisarts|huisarts"
  "imh-vb|imh|Infant Mental Health Voorbeeldstad|Hulp bij de band tussen ouders en hun baby, al in de zwangerschap.|Support for the bond between parents and their baby, from pregnancy on.|demo.imh|imh-specialist"
)
accounts=()
for entry in "${network[@]}"; do
  IFS='|' read -r slug type name description_nl description_en username role <<<"$entry"
  "$admin" --database "$db" create-organisation "$slug" --name "$name" "${origins[@]}" >/dev/null
  "$admin" --database "$db" add-organisation-to-coalition "$slug" "$coalition" --type "$type" \
    --description-nl "$description_nl" --description-en "$description_en" \
    --page "$site_origin/" >/dev/null
  "$admin" --database "$db" set-organisation-response "$slug" \
    --nl "Op werkdagen kijkt iemand binnen 2 werkdagen naar wat je deelt." \
    --en "On working days someone looks at what you share within 2 working days." >/dev/null
  # A fresh random password per run: even a demo account should not have a guessable password.
  password="demo-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 14)"
  printf '%s\n' "$password" | "$admin" --database "$db" create-professional "$username" \
    --organisation "$slug" --role "$role" --email "$username@$slug.example" >/dev/null
  # Every demo professional is on duty; each organisation has a team address (issue 23).
  "$admin" --database "$db" set-professional-notifications "$username" --on-duty yes >/dev/null
  "$admin" --database "$db" set-organisation-email "$slug" "team@$slug.example" >/dev/null
  accounts+=("$(printf '    %-26s %-30s password: %s' "$username" "($name)" "$password")")
done

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
