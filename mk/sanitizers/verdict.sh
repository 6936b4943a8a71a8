#!/bin/sh
# Ends a sanitizer run: prints every report the processes wrote to $1, and fails when there
# is one or when the tests failed ($2 = 1).
reports=$1 status=$2
count=$(find "$reports" -type f | wc -l)
if [ "$count" -gt 0 ]; then
    for report in "$reports"/*; do
        echo "==== $report"
        cat "$report"
    done
    echo "sanitizers: $count report(s) in $reports" >&2
    exit 1
fi
if [ "$status" -ne 0 ]; then
    echo "sanitizers: no report, but tests failed" >&2
    exit 1
fi
echo "sanitizers: no report and every test passed"
