#!/bin/sh
# The nightly job: here it only appends a line to runs.log in the working directory (the machine directory). A
# non-zero exit makes the machine try again 5 minutes later, while the window lasts.
set -eu

printf 'nightly job ran at %s\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" >> runs.log
echo "nightly job done"
