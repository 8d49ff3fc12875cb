#!/usr/bin/env bash
# Bounded load test of `albumgenre serve` on loopback, with wrk and a mix of good and bad uploads.
#
#   scripts/load-test/run.sh [seconds per phase (default 20)] [connections (default 8)]
#
# Builds release (CONFIGURATION=debug for the debug build), writes an untrained run folder (MODEL,
# default efficientnet-lite0; RESOLUTION for the scratch models)
# (speed does not depend on the weights), starts the server on a free 127.0.0.1 port, then runs two
# wrk phases and checks every response (status and JSON body; see mix.lua). Prints requests/s,
# p50/p99 latency and the server's RSS after warm-up and after each phase, then stops the server
# with SIGTERM (and a second one with SIGINT) and checks that each exits 0 within 10 s. Exit status 1 on any wrong response,
# socket error, unsteady memory (> 25 % growth between the phases) or unclean shutdown.
# Needs: wrk (apt-get install wrk), curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_PHASE=${1:-20}
CONNECTIONS=${2:-8}
CONFIGURATION=${CONFIGURATION:-release}
MODEL=${MODEL:-efficientnet-lite0}   # any `albumgenre init-model --model` value; RESOLUTION for scratch models
# THREADS: `serve --threads` (threads per forward pass; default all cores)
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

SCRATCH=${SCRATCH:-.build}   # SwiftPM --scratch-path
swift build -c "$CONFIGURATION" --scratch-path "$SCRATCH" --product albumgenre >&2
BIN="$(swift build -c "$CONFIGURATION" --scratch-path "$SCRATCH" --show-bin-path)/albumgenre"
WORK=$(mktemp -d /tmp/albumgenre-load.XXXXXX)
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -KILL "$SERVER_PID"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" init-model "$WORK/model" --model "$MODEL" ${RESOLUTION:+--resolution "$RESOLUTION"} >&2
echo "model: untrained $MODEL; $CONFIGURATION build; threads ${THREADS:-default}; $CONNECTIONS connections; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
PORT=$(( 20000 + RANDOM % 20000 ))
"$BIN" serve --model "$WORK/model" --port "$PORT" --maximum-body-bytes 2000000 ${THREADS:+--threads "$THREADS"} >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }

# Request bodies. Good: the server's synthetic example cover, a PNG, a real cover when the
# covers-dev set is beside the repo (read in place, never copied into the repo), a multipart form.
LOAD_DIR="$WORK/bodies"; mkdir -p "$LOAD_DIR"; export LOAD_DIR
curl -sf "http://127.0.0.1:$PORT/example.jpg" -o "$LOAD_DIR/good.jpg"
COVER=$(find ../shared/datasets/covers-dev -name '*.jpg' 2>/dev/null | sort | head -1 || true)
cp "${COVER:-$LOAD_DIR/good.jpg}" "$LOAD_DIR/cover.jpg"
curl -sf "http://127.0.0.1:$PORT/api/predict?gradcam=1" --data-binary @"$LOAD_DIR/good.jpg" \
  | sed -e 's/.*"gradcam":"data:image\/png;base64,\([^"]*\)".*/\1/' | base64 -d > "$LOAD_DIR/good.png"
{ printf -- '--loadtestboundary\r\nContent-Disposition: form-data; name="cover"; filename="c.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
  cat "$LOAD_DIR/good.jpg"; printf -- '\r\n--loadtestboundary--\r\n'; } > "$LOAD_DIR/form.txt"
: > "$LOAD_DIR/empty.bin"
printf 'this is not a cover\n' > "$LOAD_DIR/text.txt"
head -c $(( $(stat -c %s "$LOAD_DIR/good.jpg") / 2 )) "$LOAD_DIR/good.jpg" > "$LOAD_DIR/truncated.jpg"
# The PNG above with its IHDR (and CRC) replaced by one claiming 30000 x 30000 pixels; the rest of
# the file (IDAT, IEND) is kept so the decoder reaches its size check rather than the file's end.
{ printf '\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x75\x30\x00\x00\x75\x30\x08\x02\x00\x00\x00\xe9\x45\x6f\xed'; tail -c +34 "$LOAD_DIR/good.png"; } > "$LOAD_DIR/huge.png"
printf 'GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b' > "$LOAD_DIR/tiny.gif"

rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
STATUS=0
# Warm-up (as long as a phase): let the allocator and oneDNN's primitive caches settle before the baseline.
wrk -t "$CONNECTIONS" -c "$CONNECTIONS" -d "${SECONDS_PER_PHASE}s" --timeout 10s -s scripts/load-test/mix.lua "http://127.0.0.1:$PORT" > "$WORK/warmup.txt"
RSS_WARM=$(rss)
for PHASE in 1 2; do
  wrk -t "$CONNECTIONS" -c "$CONNECTIONS" -d "${SECONDS_PER_PHASE}s" --timeout 10s -s scripts/load-test/mix.lua \
    "http://127.0.0.1:$PORT" > "$WORK/phase$PHASE.txt"
  RESULT=$(grep '^RESULT' "$WORK/phase$PHASE.txt")
  echo "phase $PHASE: $RESULT rss_kb=$(rss)"
  grep '^first wrong' "$WORK/phase$PHASE.txt" || true
  [[ "$RESULT" == *" wrong=0 socket_errors=0 "* ]] || STATUS=1
  eval "RSS_$PHASE=$(rss)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rss_kb: after warm-up $RSS_WARM, after phase 1 $RSS_1, after phase 2 $RSS_2"
(( RSS_2 * 4 <= RSS_1 * 5 )) || { echo "memory grew by more than 25 % between the phases" >&2; STATUS=1; }

# Graceful shutdown: SIGTERM on the loaded server, then SIGINT (Ctrl-C) on a fresh one.
stop_server() {  # signal name; checks exit status 0 within 10 s
  local START CODE
  START=$(date +%s.%N)
  kill "-$1" "$SERVER_PID"
  for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "server still running 10 s after SIG$1" >&2; STATUS=1; return
  fi
  set +e; wait "$SERVER_PID"; CODE=$?; set -e
  printf 'SIG%s: exit %d after %.2f s\n' "$1" "$CODE" "$(echo "$(date +%s.%N) - $START" | bc)"
  [[ $CODE -eq 0 ]] || STATUS=1
}
stop_server TERM
"$BIN" serve --model "$WORK/model" --port "$PORT" >"$WORK/server2.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
stop_server INT
SERVER_PID=""
exit $STATUS
