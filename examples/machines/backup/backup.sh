#!/bin/sh
# The backup: here it only appends when it started and ended (nanoseconds since the epoch) to runs.log in the working
# directory (the machine directory), a second apart. The governor keeps two nodes from doing this at once.
set -eu

printf 'start %s\n' "$(date +%s%N)" >> runs.log
sleep 1
printf 'end %s\n' "$(date +%s%N)" >> runs.log
