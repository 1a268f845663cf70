#!/bin/sh
# Deploys for the username in the machine's data: $WATCHER_DATA names a JSON file holding the machine's data, here
# {"CFG_username":"bob"} (the kv watcher's item; the value is a plain string, so a sed expression finds it without jq).
# Writes deployment.txt in the working directory (the machine directory) atomically; without a username (the key was
# deleted) it removes the file. Exits non-zero, so the machine goes to FAILED, on anything unexpected.
set -eu

out=deployment.txt

if [ -z "${WATCHER_DATA:-}" ] || [ ! -r "$WATCHER_DATA" ]; then
  echo "deploy.sh: WATCHER_DATA does not name a readable file" >&2
  exit 1
fi

username=$(sed -n 's/.*"CFG_username"[[:space:]]*:[[:space:]]*"\([^"\\]*\)".*/\1/p' "$WATCHER_DATA" | head -n 1)

if [ -z "$username" ]; then
  if grep -q '"CFG_username"' "$WATCHER_DATA"; then
    echo "deploy.sh: CFG_username is empty or not a plain string" >&2
    exit 1
  fi
  rm -f "$out"
  echo "no username: deployment removed"
  exit 0
fi

case $username in
  *[!A-Za-z0-9._-]*)
    echo "deploy.sh: refusing the username \"$username\": use only letters, digits, '.', '_' and '-'" >&2
    exit 1
    ;;
esac

tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
printf 'deployed for %s at %s\n' "$username" "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" > "$tmp"
mv -f "$tmp" "$out"
echo "deployed for $username"
