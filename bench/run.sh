#!/bin/sh
# `make bench`: builds in release mode and prints every benchmark figure.
# Figures are for reading, not asserting: this machine is shared and noisy.
set -eu
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
$SWIFT build -c release --product limberd
$SWIFT build -c release --product limber
$SWIFT build -c release --product limber-bench
bin=$($SWIFT build -c release --show-bin-path)
"$bin/limber-bench" compile --sessions Sessions
history=$(mktemp -d)
"$bin/limber-bench" history-gen --days 1825 --out "$history/history.sqlite"
"$bin/limber-bench" history-stats --bin "$bin" --db "$history/history.sqlite" --runs "${HISTORY_RUNS:-15}"
"$bin/limber-bench" report --bin "$bin" --db "$history/history.sqlite" --runs "${REPORT_RUNS:-15}"
rm -rf "$history"
"$bin/limber-bench" render
"$bin/limber-bench" checkpoint
"$bin/limber-bench" status --bin "$bin"
"$bin/limber-bench" timing --bin "$bin" --seconds "${TIMING_SECONDS:-120}"
# A 2-minute irregular session per server, quiet and loaded: about 10 minutes in all.
"$bin/limber-bench" heard --bin "$bin" --seconds "${HEARD_SECONDS:-120}"
"$bin/limber-bench" idle --bin "$bin" --seconds "${IDLE_SECONDS:-60}"
