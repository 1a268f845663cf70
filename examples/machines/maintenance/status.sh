#!/bin/sh
# Records the machine's new state ($1: running or maintenance) in status.txt in the working directory (the machine
# directory), atomically, with the time. Put the real work here: drain the node, stop or start services.
set -eu

case ${1:-} in
  running | maintenance) ;;
  *)
    echo "usage: status.sh running|maintenance" >&2
    exit 2
    ;;
esac

tmp="status.txt.tmp.$$"
trap 'rm -f "$tmp"' EXIT
printf '%s since %s\n' "$1" "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" > "$tmp"
mv -f "$tmp" status.txt
echo "$1"
