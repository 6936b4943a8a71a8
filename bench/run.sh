#!/bin/sh
# `make bench`: builds in release mode and prints every benchmark figure.
# Figures are for reading, not asserting: this machine is shared and noisy.
set -eu
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SWIFTC=${SWIFTC:-swiftc}
# The binaries as `make install` builds them: Swift runtime and Foundation linked in,
# in the scratch directory mk/install.mk uses (it says why it is separate).
build="$SWIFT build -c release --scratch-path .build/static --static-swift-stdlib"
$build --product limberd
$build --product limber
$build --product limber-tools
$build --product limber-bench
bin=$($build --show-bin-path)
# Yardsticks, linked the same way: bench/yardstick/*.swift says what each stands for.
for yardstick in trivial trivial-foundation idle-async; do
    $SWIFTC -O -static-stdlib bench/yardstick/$yardstick.swift -o "$bin/$yardstick"
done
# The request-throughput peer: a server that only answers lines (-Ounchecked, no runtime checks).
$SWIFTC -Ounchecked -static-stdlib bench/yardstick/line-server.swift -o "$bin/line-server"
# And trivial.swift linked as the thin limber is: fully static, no dynamic loader.
$SWIFTC -O -static-executable bench/yardstick/trivial.swift -o "$bin/trivial-static" 2>/dev/null
"$bin/limber-bench" compile --sessions Sessions
history=$(mktemp -d)
"$bin/limber-bench" history-gen --days 1825 --out "$history/history.sqlite"
"$bin/limber-bench" history-stats --bin "$bin" --db "$history/history.sqlite" --runs "${HISTORY_RUNS:-15}"
"$bin/limber-bench" report --bin "$bin" --db "$history/history.sqlite" --runs "${REPORT_RUNS:-15}"
rm -rf "$history"
"$bin/limber-bench" render
"$bin/limber-bench" speech --bin "$bin" --sessions Sessions
"$bin/limber-bench" checkpoint
"$bin/limber-bench" status --bin "$bin" --runs "${STATUS_RUNS:-101}" --peer "$bin/line-server" \
    --yardstick "$bin/trivial" --yardstick "$bin/trivial-static" --yardstick "$bin/trivial-foundation"
"$bin/limber-bench" timing --bin "$bin" --seconds "${TIMING_SECONDS:-120}"
# The same with 500 more watchers reading every event: cue lateness must not rise.
"$bin/limber-bench" timing --bin "$bin" --seconds "${TIMING_SECONDS:-120}" --watchers 500
# A 2-minute irregular session per server, quiet and loaded: about 10 minutes in all.
"$bin/limber-bench" heard --bin "$bin" --seconds "${HEARD_SECONDS:-120}"
"$bin/limber-bench" idle --bin "$bin" --seconds "${IDLE_SECONDS:-60}" --yardstick "$bin/idle-async"
# limberd's memory before, during and after body-scan with speech, then two desk-resets:
# about 20 minutes, in real time (bench/session-memory.sh says how to run it shorter).
sh bench/session-memory.sh "$bin"
