#!/bin/sh
# Prints metrics about this node in Choria's metric format: {"labels": {...}, "metrics": {NAME: NUMBER, ...}}.
# Linux only: it reads /proc. Reads only; writes nothing.
set -eu
read -r load1 load5 load15 procs _ < /proc/loadavg
running=${procs%/*}
total=${procs#*/}
mem_total=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
mem_available=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
root_free=$(df -Pk / | awk 'NR == 2 {print $4}')
uptime=$(awk '{print $1}' /proc/uptime)
printf '{"labels": {"kernel": "%s"}, "metrics": {"load1": %s, "load5": %s, "load15": %s, "processes_running": %s, "processes": %s, "memory_total_kb": %s, "memory_available_kb": %s, "root_free_kb": %s, "uptime_seconds": %s}}\n' \
  "$(uname -r)" "$load1" "$load5" "$load15" "$running" "$total" "$mem_total" "$mem_available" "$root_free" "$uptime"
