#!/bin/sh
# Runs when the disk check is CRITICAL: the place for the repair. The example only records that it ran.
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) remediating $MACHINE_NAME" >> remediation.log
