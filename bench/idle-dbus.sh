#!/bin/sh
# Idle wake-ups of limberd with both D-Bus connections up and nothing happening, beside the
# same daemon with no bus at all. Private dbus-daemons stand in for the system bus (dbusmock's
# logind, with a session for this user) and the session bus (dbusmock's notification daemon).
# Usage: bench/idle-dbus.sh [BIN_DIR] (default .build/debug; `make bench` builds .build/static);
# IDLE_SECONDS (default 60) is the time measured for each.
# Measured on 2026-12-03 (debug build, shared 2-core machine): before limberd kept off Swift's
# global executor (docs/architecture.md), 60 wake-ups in 60 s with both buses or none, all
# libdispatch's pool monitor; the two limber-dbus threads: 0. Since (IDLE_SECONDS=20): 0 with
# both buses, 0 with none.
set -eu
cd "$(dirname "$0")/.."
bin=${1:-.build/debug}
seconds=${IDLE_SECONDS:-60}
dir=$(mktemp -d /tmp/lbdbus.XXXXXX)
pids=""
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
for bus in system session; do
    dbus-daemon --session --nofork --nopidfile --address="unix:path=$dir/$bus" >/dev/null 2>&1 &
    pids="$pids $!"
done
while [ ! -S "$dir/system" ] || [ ! -S "$dir/session" ]; do sleep 0.1; done
DBUS_SYSTEM_BUS_ADDRESS="unix:path=$dir/system" /usr/bin/python3 -m dbusmock --template logind --system >/dev/null 2>&1 &
pids="$pids $!"
DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/session" /usr/bin/python3 -m dbusmock --template notification_daemon \
    -p '{"capabilities": "body actions"}' >/dev/null 2>&1 &
pids="$pids $!"
until gdbus call --address "unix:path=$dir/system" --dest org.freedesktop.login1 --object-path /org/freedesktop/login1 \
    --method org.freedesktop.DBus.Mock.AddSession c1 seat0 "$(id -u)" limber true >/dev/null 2>&1; do sleep 0.2; done
until gdbus call --address "unix:path=$dir/session" --dest org.freedesktop.Notifications \
    --object-path /org/freedesktop/Notifications --method org.freedesktop.Notifications.GetCapabilities >/dev/null 2>&1; do sleep 0.2; done

# Voluntary context switches (sleeps that ended: wake-ups) of each of limberd's threads.
snapshot() {
    for task in /proc/"$1"/task/*; do
        printf '%s %s %s\n' "${task##*/}" "$(cat "$task/comm")" "$(awk '/^voluntary_ctxt_switches/ {print $2}' "$task/status")"
    done
}
measure() {
    label=$1; shift
    run=$(mktemp -d "$dir/run.XXXXXX")
    env "$@" "$bin/limberd" --socket "$run/s" --state-dir "$run/state" --device null --config "$run/none.yaml" \
        >"$run/log" 2>&1 &
    pid=$!
    while [ ! -S "$run/s" ]; do sleep 0.1; done
    sleep 2
    snapshot $pid >"$run/before"
    sleep "$seconds"
    snapshot $pid >"$run/after"
    kill $pid
    wait $pid 2>/dev/null || true
    echo "== $label: wake-ups over ${seconds} s, per thread (voluntary context switches)"
    awk 'NR == FNR { before[$1] = $3; next } { n = $3 - before[$1]; total += n; printf "  %-16s %d\n", $2, n }
         END { printf "  total %d, %.1f/min\n", total, total * 60 / '"$seconds"' }' "$run/before" "$run/after"
    grep -E "logind|notifications|bus" "$run/log" | sed 's/^/  log: /'
}
measure "limberd with the system bus (logind) and the session bus (notifications) connected" \
    DBUS_SYSTEM_BUS_ADDRESS="unix:path=$dir/system" DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/session" XDG_SESSION_ID=c1
measure "limberd with no bus" \
    DBUS_SYSTEM_BUS_ADDRESS="unix:path=$dir/none" DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/none" XDG_SESSION_ID=
