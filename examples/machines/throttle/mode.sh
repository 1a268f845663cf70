#!/bin/sh
# Records the service's mode ($1: normal or throttled) in mode.txt in the working directory (the machine directory),
# atomically, with the time. Put the real work here: lower a rate limit, shed optional traffic.
set -eu

case ${1:-} in
  normal | throttled) ;;
  *)
    echo "usage: mode.sh normal|throttled" >&2
    exit 2
    ;;
esac

tmp="mode.txt.tmp.$$"
trap 'rm -f "$tmp"' EXIT
printf '%s since %s\n' "$1" "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" > "$tmp"
mv -f "$tmp" mode.txt
echo "$1"
