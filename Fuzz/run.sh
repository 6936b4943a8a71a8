#!/bin/sh
# Runs each libFuzzer target of Fuzz/ built in $SCRATCH (see `make fuzz`), one after the other.
#
#   RUNS=N   inputs per target (libFuzzer's -runs); default 1000000
#   TIME=S   instead, seconds per target (-max_total_time), as CI runs them
#   TARGETS  which targets (default: session config program control)
#   CONFIG   the build configuration they were built in (default release)
#
# Each target starts from its corpus in $SCRATCH/corpus/<target> (kept between runs: what
# earlier runs found) and the seeds Fuzz/seeds.sh makes from the repository. A crash leaves
# its input in $SCRATCH/artifacts/<target>/ and fails the run; reproduce it with
#   $SCRATCH/$CONFIG/fuzz-<target> $SCRATCH/artifacts/<target>/crash-...
# At the end, one line per target: inputs run, inputs per second, coverage, corpus size.
set -u
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build-fuzz}
RUNS=${RUNS:-1000000}
TIME=${TIME:-}
TARGETS=${TARGETS:-session config program control}
bin=$SCRATCH/${CONFIG:-release}
sh Fuzz/seeds.sh "$SCRATCH/seeds"
if [ -n "$TIME" ]; then budget="-max_total_time=$TIME"; else budget="-runs=$RUNS"; fi
summary=""
failed=""
for target in $TARGETS; do
    corpus=$SCRATCH/corpus/$target
    artifacts=$SCRATCH/artifacts/$target
    log=$SCRATCH/logs/fuzz-$target.log
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    echo "fuzz-$target: $budget (log: $log)"
    # Swift's own crash backtracer is off: libFuzzer reports the crash (with the stack) and
    # saves the input at once, where the backtracer takes minutes symbolicating first.
    # Leaks are not crashes here (LeakSanitizer's exit check reports the Swift runtime's weak
    # reference side tables, whose pointers it cannot see); `make check-asan` checks leaks.
    # Each allocation and free records 2 stack frames, not 30: unwinding and storing them was
    # a sixth of fuzz-control's time. Detection is the same; a report shows less of where the
    # memory came from, so run the saved input again with ASAN_OPTIONS=detect_leaks=0 for it.
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=2} SWIFT_BACKTRACE=enable=no "$bin/fuzz-$target" "$budget" -timeout=10 -rss_limit_mb=4096 -max_len=8192 -detect_leaks=0 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$SCRATCH/seeds/$target" >"$log" 2>&1
    status=$?
    done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1)
    execs=$(sed -n 's/^stat::number_of_executed_units: //p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: //p' "$log")
    cov=$(printf '%s' "$done_line" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s' "$done_line" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
    corp=$(printf '%s' "$done_line" | sed -n 's/.*corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p')
    crashes=$(find "$artifacts" -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' | wc -l)
    line="fuzz-$target: ${execs:-?} inputs, ${speed:-?}/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}, exit $status, $crashes crash/timeout/oom inputs in $artifacts"
    summary="$summary$line
"
    if [ "$status" -ne 0 ]; then
        failed="$failed fuzz-$target"
        tail -n 40 "$log" >&2
    fi
done
printf '%s' "$summary"
if [ -n "$failed" ]; then
    echo "fuzz: failed:$failed (inputs in $SCRATCH/artifacts/)" >&2
    exit 1
fi
