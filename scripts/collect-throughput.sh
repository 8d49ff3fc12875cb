#!/usr/bin/env bash
# Throughput of `albumgenre collect` with politeness off, against `albumgenre fake-services` running
# as its own process (no injected faults). Prints pages/s, albums/s, covers/s and the CPU time
# (user + sys) of the collector and of the fake server against wall time: a collector using well
# under one core while it runs is waiting on I/O (the server, the disk), not on its own CPU.
# Usage: scripts/collect-throughput.sh [from] [to] [charts]
#   defaults: 2004-01-01 2025-12-31, the six default charts. CONFIGURATION=release for a release build
#   (default debug: DataCollection and FakeServices are compiled with -O in every configuration).
#   LATENCY_MS=20 makes the fake services wait 20 ms before every answer, like a service across a
#   network (default 0: loopback, where the client's own CPU is all there is to wait for).
set -euo pipefail
cd "$(dirname "$0")/.."
FROM="${1:-2004-01-01}"
TO="${2:-2025-12-31}"
CHARTS="${3:-}"
CONFIGURATION="${CONFIGURATION:-debug}"
LATENCY_MS="${LATENCY_MS:-0}"
swift build -c "$CONFIGURATION" --product albumgenre >/dev/null
BIN="$(swift build -c "$CONFIGURATION" --show-bin-path)/albumgenre"
WORK="$(mktemp -d /tmp/albumgenre-throughput.XXXXXX)"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# CPU seconds (user + sys) a process has used so far, from /proc/PID/stat fields 14 and 15.
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / hz }' "/proc/$1/stat"
}

"$BIN" fake-services --port 0 --latency-ms "$LATENCY_MS" >"$WORK/server.out" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do grep -q "fake services on" "$WORK/server.out" 2>/dev/null && break; sleep 0.2; done
ORIGIN="$(sed -n 's/^fake services on \(http:[^ ]*\).*/\1/p' "$WORK/server.out")"
[ -n "$ORIGIN" ] || fail "fake services did not start: $(cat "$WORK/server.out")"
export SPOTIFY_CLIENT_ID=fake-client-id SPOTIFY_CLIENT_SECRET=fake-client-secret
ARGS=(--catalog "$WORK/catalog.sqlite" --from "$FROM" --to "$TO" --no-politeness --json
    --billboard-base-url "$ORIGIN" --spotify-accounts-base-url "$ORIGIN/spotify-accounts"
    --spotify-api-base-url "$ORIGIN/spotify/v1" --musicbrainz-base-url "$ORIGIN/musicbrainz"
    --coverart-base-url "$ORIGIN/coverartarchive")
[ -n "$CHARTS" ] && ARGS+=(--charts "$CHARTS")

echo "collect $FROM → $TO (${CHARTS:-six default charts}), $CONFIGURATION build, service latency $LATENCY_MS ms, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
server_before="$(cpu_seconds "$SERVER_PID")"
/usr/bin/time -f '%e %U %S %w %c' -o "$WORK/time" "$BIN" collect "${ARGS[@]}" >"$WORK/report.json" 2>"$WORK/collect.err" \
    || fail "collect failed: $(tail -5 "$WORK/collect.err")"
server_after="$(cpu_seconds "$SERVER_PID")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK/report.json" "$WORK/time" "$server_before" "$server_after" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
wall, user, system, waits, preemptions = (float(x) for x in open(sys.argv[2]).read().split()[-5:])
server = float(sys.argv[4]) - float(sys.argv[3])
albums = report["coversFound"] + report["coversMissing"]
charts, covers = report["chartSeconds"], report["coverSeconds"]
print(f"charts: {report['chartRequests']} pages in {charts:.1f} s = {report['chartRequests'] / charts:.1f} pages/s")
if covers > 0:
    print(f"covers: {albums} albums in {covers:.1f} s = {albums / covers:.1f} albums/s, "
          f"{report['coversFound']} covers stored = {report['coversFound'] / covers:.1f} covers/s")
print(f"collector process: wall {wall:.1f} s, CPU {user + system:.1f} s (user {user:.1f} + sys {system:.1f}) "
      f"= {(user + system) / wall:.2f} cores; {int(waits)} voluntary waits, {int(preemptions)} preemptions")
print(f"fake server process: CPU {server:.1f} s = {server / wall:.2f} cores over the same wall time")
failures = report["chartFailures"] + report["coverFailures"]
if failures:
    sys.exit(f"FAIL: {failures} failures")
PY
