#!/bin/sh
# limberd's memory around sessions with speech: idle before, the peak during a long session
# (body-scan, in real time), idle after it, and idle after each of a few short sessions (does
# memory grow per session?). RSS and anonymous memory from /proc/PID/smaps_rollup, one sample
# a second; an idle figure is the median of its window. The daemon has its own XDG dirs in a
# temporary directory (so a cold speech cache: every phrase is synthesised) and plays to
# ALSA's null PCM.
# Usage: bench/session-memory.sh [BIN_DIR] (default .build/release).
# Environment, to run it shorter: MEMORY_SESSION (body-scan), MEMORY_SECONDS (stop the long
# session after this many seconds; default: let it run to its end), MEMORY_IDLE_SECONDS (60,
# each idle window), MEMORY_SETTLE_SECONDS (10, after start), MEMORY_SHORT_SESSION
# (desk-reset), MEMORY_SHORT_RUNS (2), MEMORY_DEVICE (null), MEMORY_KEEP=1 keeps the
# temporary directory (samples.txt, limberd.log) and prints its path. What the figures
# mean, and those measured: docs/speech.md, "Memory".
set -eu
cd "$(dirname "$0")/.."
bin=${1:-.build/release}
session=${MEMORY_SESSION:-body-scan}
limit=${MEMORY_SECONDS:-}
idle=${MEMORY_IDLE_SECONDS:-60}
settle=${MEMORY_SETTLE_SECONDS:-10}
short=${MEMORY_SHORT_SESSION:-desk-reset}
runs=${MEMORY_SHORT_RUNS:-2}
device=${MEMORY_DEVICE:-null}

dir=$(mktemp -d /tmp/lbmem.XXXXXX)
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    if [ "${MEMORY_KEEP:-0}" = 1 ]; then echo "session-memory: kept $dir" >&2; else rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -m 0700 "$dir/run" "$dir/state" "$dir/cache" "$dir/config" "$dir/data"
export XDG_RUNTIME_DIR="$dir/run" XDG_STATE_HOME="$dir/state" XDG_CACHE_HOME="$dir/cache" \
    XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data"
unset LIMBER_SOCKET DBUS_SESSION_BUS_ADDRESS || true

"$bin/limberd" --sessions Sessions --device "$device" --log-level info 2>"$dir/limberd.log" &
pid=$!
tries=0
until "$bin/limber" status >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ $tries -gt 200 ] || ! kill -0 "$pid" 2>/dev/null; then
        echo "session-memory: limberd did not start; its log:" >&2
        cat "$dir/limberd.log" >&2
        exit 1
    fi
    sleep 0.1
done

# One sample, "RSS anon" in kB, appended to samples.txt with its phase.
sample() {
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "session-memory: limberd is gone (a signal from outside?); its log:" >&2
        cat "$dir/limberd.log" >&2
        exit 1
    fi
    awk -v phase="$1" '/^Rss:/ { rss = $2 } /^Anonymous:/ { anon = $2 } END { print phase, rss, anon }' \
        "/proc/$pid/smaps_rollup" >>"$dir/samples.txt"
}
# Samples once a second for $2 seconds under phase $1.
idle_window() {
    i=0
    while [ $i -lt "$2" ]; do sample "$1"; sleep 1; i=$((i + 1)); done
}
state() { "$bin/limber" status --format '{state}' 2>/dev/null || echo gone; }
# Starts session $2 and samples under phase $1 until it has ended (or $3 seconds, then stops it).
during() {
    "$bin/limber" start "$2" >/dev/null
    i=0
    while :; do
        sample "$1"
        sleep 1
        i=$((i + 1))
        if [ -n "${3:-}" ] && [ "$i" -ge "$3" ]; then "$bin/limber" stop >/dev/null; break; fi
        case $(state) in running | paused) ;; *) break ;; esac
    done
    kill -0 "$pid" 2>/dev/null || { echo "session-memory: limberd died; its log:" >&2; cat "$dir/limberd.log" >&2; exit 1; }
}
mb() { awk -v kb="$1" 'BEGIN { printf "%7.1f", kb / 1024 }'; }
# The median or maximum ($1) of column $3 (2 RSS, 3 anon) over the samples of phase $2.
figure() {
    awk -v phase="$2" -v col="$3" '$1 == phase { print $col }' "$dir/samples.txt" | sort -n |
        awk -v how="$1" '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (how == "max") print v[NR]; else print v[int((NR + 1) / 2)] }'
}
row() {
    printf 'session-memory: %-34s %s %s\n' "$1" "$(mb "$(figure "$2" "$3" 2)")" "$(mb "$(figure "$2" "$3" 3)")"
}

sleep "$settle"
idle_window before "$idle"
during long "$session" "$limit"
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
phrases=$(ls "$XDG_CACHE_HOME/limber/speech" 2>/dev/null | wc -l)
idle_window after "$idle"
n=1
while [ $n -le "$runs" ]; do
    during "short$n" "$short"
    idle_window "after$n" "$idle"
    n=$((n + 1))
done

printf 'session-memory: limberd %s, device %s, %s phrases synthesised into an empty cache; MB      RSS    anon\n' \
    "$bin" "$device" "$(echo $phrases)"
row "idle before (median of ${idle} s)" median before
row "peak during $session" max long
row "idle after $session" median after
n=1
while [ $n -le "$runs" ]; do
    row "idle after $short, run $n" median "after$n"
    n=$((n + 1))
done
printf 'session-memory: peak RSS from start to the end of %s (VmHWM): %s MB\n' "$session" "$(mb "$hwm" | tr -d ' ')"
grep -q 'session completed' "$dir/limberd.log" || grep -q 'session stopped' "$dir/limberd.log" ||
    echo "session-memory: warning: the log shows no session ending" >&2
