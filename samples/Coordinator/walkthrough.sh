#!/usr/bin/env bash
# Milvus's Coordinator HA walkthrough in virtual time: a FakeEtcd on its virtual clock, two rootcoord
# processes following it (--clock follow), ten healthy minutes, a kill -9 of the active, and the
# standby's takeover when the dead lease ends (last keepalive + 60 s). Prints both logs and the wall time.
# Usage: samples/Coordinator/walkthrough.sh [--no-build]   (port: WALKTHROUGH_PORT, default 23790)
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${WALKTHROUGH_PORT:-23790}
endpoint="127.0.0.1:$port"
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

if [ "${1:-}" != "--no-build" ]; then
  dotnet build src/FakeEtcd -c Debug -v q -nologo >/dev/null
  dotnet build samples/Coordinator -c Debug -v q -nologo >/dev/null
fi
server=(dotnet src/FakeEtcd/bin/Debug/net10.0/FakeEtcd.dll)
coordinator=(dotnet samples/Coordinator/bin/Debug/net10.0/Coordinator.dll --clock follow)

wait_for() { # file, text: waits (at most 20 s) until the file has a line with the text
  for _ in $(seq 1 2000); do grep -qF -- "$2" "$1" 2>/dev/null && return 0; sleep 0.01; done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; exit 1
}
advance() { # prints the clock after the advance and the advance's wall time (the CLI's start included)
  local t0; t0=$(date +%s%N)
  "${server[@]}" clock advance "$1" --endpoints "$endpoint"
  echo "   (clock advance $1: $(( ($(date +%s%N) - t0) / 1000000 )) ms wall)"
}

started=$(date +%s%N)
"${server[@]}" --clock virtual --listen-client-urls "http://$endpoint" > "$work/server.log" 2>&1 &
pids+=($!)
wait_for "$work/server.log" "ready to serve client requests"

export ETCD_ENDPOINTS=$endpoint ROOT_COORD_ENABLE_ACTIVE_STANDBY=true
"${coordinator[@]}" > "$work/a.log" 2>&1 &
a=$!; pids+=($a); disown "$a"
wait_for "$work/a.log" '"RootCoord Register Finished"'
"${coordinator[@]}" > "$work/b.log" 2>&1 &
pids+=($!)
wait_for "$work/b.log" "start to watch ACTIVE key"

echo "== both alive: clock advance 10m"
advance 10m
echo "== kill -9 the active (pid $a), then advance to its lease's end"
kill -9 "$a"
advance 59.999s
grep -q "quit STANDBY" "$work/b.log" && { echo "the standby took over before the lease ended" >&2; exit 1; }
advance 1ms
wait_for "$work/b.log" '"RootCoord Register Finished"'
elapsed=$(( ($(date +%s%N) - started) / 1000000 ))

echo "== rootcoord A (killed at 00:10:00)"; cat "$work/a.log"
echo "== rootcoord B"; cat "$work/b.log"
echo "== 11 virtual minutes, process starts included, in $elapsed ms of wall time"
