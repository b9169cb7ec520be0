#!/usr/bin/env bash
# Seeds a Kindband database with the demo's care network: coalition "Kansrijke Start Voorbeeldstad"
# with a midwife practice (demo-vsv, the organisation the example site's widget names), maternity
# care, youth health care, a GP practice and infant mental health, each with one professional
# account (a display name, on duty, an e-mail address) and a team address. Used by scripts/demo.sh
# and by the browser test that walks every screen of the demo story (tests/browser/every-screen).
#
#   scripts/demo-seed.sh ADMIN_BINARY DATABASE SITE_ORIGIN [OTHER_ORIGIN...]
#
# Prints one line per account: username|display name|organisation name|password. The passwords are
# fresh and random unless KINDBAND_DEMO_PASSWORD is set (tests only).
set -euo pipefail
admin="${1:?usage: demo-seed.sh ADMIN DATABASE SITE_ORIGIN [SITE_ORIGIN...]}"
db="${2:?database}"
site_origin="${3:?site origin}"
shift 3
origins=(--origin "$site_origin")
for origin in "$@"; do origins+=(--origin "$origin"); done

coalition="ks-voorbeeldstad"
"$admin" --database "$db" create-coalition "$coalition" --name "Kansrijke Start Voorbeeldstad" >/dev/null
# slug | type | name | description (nl) | description (en) | username | display name | role
network=(
  "demo-vsv|verloskunde|Verloskundigenpraktijk De Zon|Verloskundigen voor zwangerschap, bevalling en kraamtijd.|Midwives for pregnancy, birth and the first weeks.|demo.verloskundige|Eva de Vries|verloskundige"
  "kraamzorg-vb|kraamzorg|Kraamzorg Voorbeeldstad|Kraamverzorgenden thuis in de eerste dagen na de geboorte.|Maternity care at home in the first days after birth.|demo.kraamverzorgende|Fatima El Amrani|kraamverzorgende"
  "jgz-vb|jgz|JGZ Voorbeeldstad|Jeugdgezondheidszorg: het consultatiebureau en huisbezoeken.|Youth health care: the child health clinic and home visits.|demo.jeugdverpleegkundige|Jan de Wit|jeugdverpleegkundige"
  "ha-centrum|huisarts|Huisartsenpraktijk Centrum|Je huisarts, ook voor hoe je je voelt.|Your GP, also for how you feel.|demo.huisarts|Pieter Bakker|huisarts"
  "imh-vb|imh|Infant Mental Health Voorbeeldstad|Hulp bij de band tussen ouders en hun baby, al in de zwangerschap.|Support for the bond between parents and their baby, from pregnancy on.|demo.imh|Sanne Visser|imh-specialist"
)
for entry in "${network[@]}"; do
  IFS='|' read -r slug type name description_nl description_en username display_name role <<<"$entry"
  "$admin" --database "$db" create-organisation "$slug" --name "$name" "${origins[@]}" >/dev/null
  "$admin" --database "$db" add-organisation-to-coalition "$slug" "$coalition" --type "$type" \
    --description-nl "$description_nl" --description-en "$description_en" \
    --page "$site_origin/" >/dev/null
  "$admin" --database "$db" set-organisation-response "$slug" \
    --nl "Op werkdagen kijkt iemand binnen 2 werkdagen naar wat je deelt." \
    --en "On working days someone looks at what you share within 2 working days." >/dev/null
  # A fresh random password per run: even a demo account should not have a guessable password.
  password="${KINDBAND_DEMO_PASSWORD:-demo-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 14)}"
  printf '%s\n' "$password" | "$admin" --database "$db" create-professional "$username" \
    --organisation "$slug" --role "$role" --name "$display_name" \
    --email "$username@$slug.example" >/dev/null
  # Every demo professional is on duty; each organisation has a team address (issue 23).
  "$admin" --database "$db" set-professional-notifications "$username" --on-duty yes >/dev/null
  "$admin" --database "$db" set-organisation-email "$slug" "team@$slug.example" >/dev/null
  printf '%s|%s|%s|%s\n' "$username" "$display_name" "$name" "$password"
done
