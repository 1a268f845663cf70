#!/bin/sh
# Reconciles the node with the fleet's desired state: reads the data item FLEET_nodes (a map of KV key -> value) from
# the JSON file named by $WATCHER_DATA and writes inventory.txt in the working directory (the machine directory),
# atomically: a comment line, then "<node> <role>" per key, sorted. POSIX sh and awk only (no jq): the awk program
# below is a small JSON reader that prints every scalar of one top-level item as "<path> <value>".
set -eu

item=FLEET_nodes
prefix=nodes.
out=inventory.txt

if [ -z "${WATCHER_DATA:-}" ] || [ ! -r "$WATCHER_DATA" ]; then
  echo "reconcile.sh: WATCHER_DATA does not name a readable file" >&2
  exit 1
fi

tmp="$out.tmp.$$"
trap 'rm -f "$tmp" "$tmp.pairs"' EXIT

# Prints "<path> <value>" for every scalar inside the top-level item $item: path components joined with "/",
# strings unescaped (\uXXXX shown as "?"), line breaks in values as spaces. Exits 2 on malformed JSON.
awk -v item="$item" '
function fail(msg) { printf "reconcile.sh: malformed JSON in WATCHER_DATA: %s\n", msg > "/dev/stderr"; bad = 1; exit 2 }
function skip() { while (pos <= n && index(" \t\r\n", substr(s, pos, 1)) > 0) pos++ }
function str(   out, c) {
  pos++
  out = ""
  while (pos <= n) {
    c = substr(s, pos, 1)
    if (c == "\"") { pos++; return out }
    if (c == "\\") {
      pos++
      c = substr(s, pos, 1)
      if (c == "u") { c = "?"; pos += 4 }
      else if (c == "n" || c == "r" || c == "t" || c == "b" || c == "f") c = " "
    }
    out = out c
    pos++
  }
  fail("unterminated string")
}
function leaf(path, v) {
  gsub(/\n/, " ", v)
  if (path == item) print "", v
  else if (index(path, item "/") == 1) print substr(path, length(item) + 2), v
}
function value(path,   c, key, i, start) {
  skip()
  c = substr(s, pos, 1)
  if (c == "{" || c == "[") {
    pos++
    skip()
    if (substr(s, pos, 1) == (c == "{" ? "}" : "]")) { pos++; return }
    for (i = 0; ; i++) {
      skip()
      if (c == "{") {
        if (substr(s, pos, 1) != "\"") fail("expected a key at offset " pos)
        key = str()
        skip()
        if (substr(s, pos, 1) != ":") fail("expected \":\" at offset " pos)
        pos++
      } else {
        key = i
      }
      value(path == "" ? key : path "/" key)
      skip()
      if (substr(s, pos, 1) == (c == "{" ? "}" : "]")) { pos++; return }
      if (substr(s, pos, 1) != ",") fail("expected \",\" at offset " pos)
      pos++
    }
  }
  if (c == "\"") { leaf(path, str()); return }
  start = pos
  while (pos <= n && index(",]} \t\r\n", substr(s, pos, 1)) == 0) pos++
  if (pos == start) fail("expected a value at offset " pos)
  leaf(path, substr(s, start, pos - start))
}
{ s = s $0 "\n" }
END {
  if (bad) exit 2
  n = length(s)
  pos = 1
  value("")
  skip()
  if (pos <= n) fail("unexpected text at offset " pos)
}' "$WATCHER_DATA" > "$tmp.pairs"

# Keys are "nodes.<node>"; a JSON value's inner fields come out as "nodes.<node>/<field>".
{
  count=$(wc -l < "$tmp.pairs" | tr -d ' ')
  echo "# fleet inventory from the KV bucket FLEET, keys $prefix>: $count values"
  sed "s/^$prefix//" "$tmp.pairs" | LC_ALL=C sort
} > "$tmp"
mv -f "$tmp" "$out"
cat "$out"
