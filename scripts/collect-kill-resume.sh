#!/usr/bin/env bash
# End-to-end checks of `albumgenre collect` as a process, against `albumgenre fake-services` running as
# its own process:
#   1. in each of ROUNDS rounds, SIGKILL one collection KILLS times at seeded random moments, resume
#      it to the end, and compare every catalog table and every stored cover file with one
#      uninterrupted run (faults injected: 429 + Retry-After, 5xx, expired tokens);
#   2. without network and without credentials, every command fails with a clear message and a
#      non-zero exit status, and the catalog is left as it was;
#   3. catalog / export / import exit statuses and JSON output.
# Usage: scripts/collect-kill-resume.sh [seed [from to [charts]]]   (needs sqlite3; builds albumgenre in debug)
#   default: seed 2004, three charts from 2009-09-01 to 2010-02-28 (CI; about a minute).
#   The whole study period: scripts/collect-kill-resume.sh 2004 2004-01-01 2025-12-31 all
#   Environment: ROUNDS (default 3), KILLS per round (default 3), ALBUMGENRE_BIN (skip the build).
set -euo pipefail
cd "$(dirname "$0")/.."
SEED="${1:-2004}"
FROM="${2:-2009-09-01}"
TO="${3:-2010-02-28}"
CHARTS="${4:-rap-albums,holiday-albums,country-albums}"
ROUNDS="${ROUNDS:-3}"
KILLS="${KILLS:-3}"
RANDOM=$SEED
echo "seed $SEED, $FROM → $TO, charts: $CHARTS, $ROUNDS rounds of $KILLS kills"
if [ -n "${ALBUMGENRE_BIN:-}" ]; then
    BIN="$ALBUMGENRE_BIN"   # a binary built beforehand (e.g. copied, so that rebuilding meanwhile is safe)
else
    swift build --product albumgenre >/dev/null
    BIN="$(swift build --show-bin-path)/albumgenre"
fi
WORK="$(mktemp -d /tmp/albumgenre-kill.XXXXXX)"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$BIN" fake-services --port 0 --rate-limit-every 9 --server-error-every 11 --token-expiry-every 13 >"$WORK/server.out" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do grep -q "fake services on" "$WORK/server.out" 2>/dev/null && break; sleep 0.2; done
ORIGIN="$(sed -n 's/^fake services on \(http:[^ ]*\).*/\1/p' "$WORK/server.out")"
[ -n "$ORIGIN" ] || fail "fake services did not start: $(cat "$WORK/server.out")"
export SPOTIFY_CLIENT_ID=fake-client-id SPOTIFY_CLIENT_SECRET=fake-client-secret
ENDPOINTS=(--no-politeness --billboard-base-url "$ORIGIN" --spotify-accounts-base-url "$ORIGIN/spotify-accounts"
    --spotify-api-base-url "$ORIGIN/spotify/v1" --musicbrainz-base-url "$ORIGIN/musicbrainz"
    --coverart-base-url "$ORIGIN/coverartarchive")
RANGE=(--from "$FROM" --to "$TO")
[ "$CHARTS" = all ] || RANGE+=(--charts "$CHARTS")

# Rows of every table except meta (it holds the covers path, which differs), sorted; then every cover file by SHA-256.
dump() {
    local db="$1" covers="$2"
    for table in $(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN ('meta','grdb_migrations') ORDER BY name"); do
        echo "== $table"
        sqlite3 "$db" "SELECT * FROM $table" | sort
    done
    echo "== files"
    (cd "$covers" && sha256sum -- * | sort)
}

echo "reference run"
"$BIN" collect --catalog "$WORK/ref.sqlite" --covers-dir "$WORK/ref-covers" "${RANGE[@]}" "${ENDPOINTS[@]}" --json >"$WORK/ref.json" \
    || fail "reference run failed"
dump "$WORK/ref.sqlite" "$WORK/ref-covers" >"$WORK/ref.dump"

# Work units stored so far: chart requests plus cover lookups.
progress() { sqlite3 -cmd ".timeout 2000" "$1" "SELECT (SELECT COUNT(*) FROM chart_requests) + (SELECT COUNT(*) FROM covers)" 2>/dev/null || echo 0; }
TOTAL="$(progress "$WORK/ref.sqlite")"
echo "reference: $TOTAL work units"

for round in $(seq "$ROUNDS"); do
    name="killed-$round"
    # A kill can only land while the run is still working: on a short range a resumed run may finish
    # the units before its target between two polls. Such an attempt proves nothing either way, so the
    # round starts again from an empty catalog with new targets (at most 5 attempts).
    for attempt in 1 2 3 4 5; do
        rm -rf "$WORK/$name.sqlite" "$WORK/$name.sqlite-wal" "$WORK/$name.sqlite-shm" "$WORK/$name-covers"
        kills=0
        finished_early=""
        # KILLS seeded, distinct kill moments in the first 70 % of the work units, in increasing order.
        limit=$(( TOTAL * 7 / 10 ))
        targets="$(for _ in $(seq 100); do echo $(( 1 + (RANDOM * 32768 + RANDOM) % limit )); done | awk '!seen[$0]++' | head -n "$KILLS" | sort -n)"
        for target in $targets; do
            "$BIN" collect --catalog "$WORK/$name.sqlite" --covers-dir "$WORK/$name-covers" "${RANGE[@]}" "${ENDPOINTS[@]}" \
                >/dev/null 2>&1 &
            pid=$!
            while kill -0 "$pid" 2>/dev/null && [ "$(progress "$WORK/$name.sqlite")" -lt "$target" ]; do sleep 0.02; done
            kill -9 "$pid" 2>/dev/null || true
            set +e
            wait "$pid" 2>/dev/null
            status=$?
            set -e
            # 137 = 128 + SIGKILL: the run was killed before it could finish on its own.
            if [ "$status" -eq 0 ]; then finished_early="$target"; break; fi
            [ "$status" -eq 137 ] || fail "round $round: the run meant to be killed at unit $target ended with status $status"
            kills=$((kills + 1))
            echo "  round $round: SIGKILL at $(progress "$WORK/$name.sqlite") of $TOTAL units (target $target)"
        done
        [ -z "$finished_early" ] && break
        echo "  round $round: the run finished before the kill at unit $finished_early; starting the round again"
    done
    [ -z "$finished_early" ] || fail "round $round: five attempts finished before their kills"
    "$BIN" collect --catalog "$WORK/$name.sqlite" --covers-dir "$WORK/$name-covers" "${RANGE[@]}" "${ENDPOINTS[@]}" >/dev/null \
        || fail "resumed run $round did not finish cleanly"
    dump "$WORK/$name.sqlite" "$WORK/$name-covers" >"$WORK/$name.dump"
    diff -q "$WORK/ref.dump" "$WORK/$name.dump" >/dev/null || { diff "$WORK/ref.dump" "$WORK/$name.dump" | head -20; fail "round $round differs"; }
    ls "$WORK/$name-covers" | grep -q partial && fail "partial files left in round $round"
    [ "$kills" -ge 3 ] || fail "round $round: only $kills kills, at least 3 needed"
    echo "round $round: $kills kills (SIGKILL), resumed catalog ($(grep -c '^== ' "$WORK/ref.dump") tables and files sections, $(wc -l <"$WORK/ref.dump") lines) identical to the reference"
done

echo "offline: every command fails and the catalog stays as it was"
# Weeks after the collected range, so that the run has to reach the (unreachable) services.
OFFLINE_FROM="$(date -u -d "$TO + 7 days" +%F)"
OFFLINE_TO="$(date -u -d "$TO + 60 days" +%F)"
OFFLINE=(--no-politeness --billboard-base-url http://127.0.0.1:9 --spotify-accounts-base-url http://127.0.0.1:9
    --spotify-api-base-url http://127.0.0.1:9 --musicbrainz-base-url http://127.0.0.1:9 --coverart-base-url http://127.0.0.1:9)
cp "$WORK/ref.sqlite" "$WORK/copy.sqlite"
before="$(dump "$WORK/copy.sqlite" "$WORK/ref-covers")"
set +e
"$BIN" collect --catalog "$WORK/copy.sqlite" --charts rap-albums --from "$OFFLINE_FROM" --to "$OFFLINE_TO" "${OFFLINE[@]}" 2>"$WORK/err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "offline collect exited $status, expected 1"
grep -q "network" "$WORK/err" || fail "offline message unclear: $(cat "$WORK/err")"
[ "$before" = "$(dump "$WORK/copy.sqlite" "$WORK/ref-covers")" ] || fail "offline run changed the catalog"
set +e
"$BIN" collect --catalog "$WORK/new.sqlite" --charts rap-albums --from "$OFFLINE_FROM" --to "$OFFLINE_TO" "${OFFLINE[@]}" 2>/dev/null
status=$?
set -e
[ "$status" -eq 1 ] || fail "offline collect into a new catalog exited $status"
[ ! -e "$WORK/new.sqlite" ] || fail "offline run left an empty catalog behind"

echo "no credentials: exit 2 with the variables and the alternative named"
set +e
env -u SPOTIFY_CLIENT_ID -u SPOTIFY_CLIENT_SECRET "$BIN" collect --catalog "$WORK/copy.sqlite" "${ENDPOINTS[@]}" 2>"$WORK/err"
status=$?
set -e
[ "$status" -eq 2 ] || fail "collect without credentials exited $status, expected 2"
grep -q "SPOTIFY_CLIENT_ID" "$WORK/err" && grep -q "coverartarchive" "$WORK/err" || fail "credential message unclear"
grep -q "fake-client-secret" "$WORK/err" && fail "a secret was printed"
[ "$before" = "$(dump "$WORK/copy.sqlite" "$WORK/ref-covers")" ] || fail "credential failure changed the catalog"

echo "catalog, export, import"
"$BIN" catalog --catalog "$WORK/ref.sqlite" --json | python3 -c 'import json,sys; s=json.load(sys.stdin)["statistics"]; assert s["coversFound"] > 0 and s["failures"] == 0, s' \
    || fail "catalog --json"
set +e
"$BIN" catalog --catalog "$WORK/missing.sqlite" 2>/dev/null; [ $? -eq 1 ] || fail "catalog on a missing file should exit 1"
"$BIN" export "$WORK/export-split" --catalog "$WORK/ref.sqlite" --by-split 2>/dev/null; [ $? -eq 2 ] || fail "export --by-split without splits should exit 2"
"$BIN" collect --catalog "$WORK/x.sqlite" --from 2020-13-01 2>/dev/null; [ $? -eq 2 ] || fail "a bad date should exit 2"
set -e
"$BIN" export "$WORK/export" --catalog "$WORK/ref.sqlite" --json >"$WORK/export.json" || fail "export"
"$BIN" import "$WORK/export" --catalog "$WORK/imported.sqlite" --json >"$WORK/import.json" || fail "import"
python3 - "$WORK/export.json" "$WORK/import.json" <<'PY' || fail "export/import counts differ"
import json, sys
exported = json.load(open(sys.argv[1]))
imported = json.load(open(sys.argv[2]))
assert exported["images"] == imported["scanned"] == imported["added"] > 0, (exported, imported)
assert exported["perGenre"] == imported["perGenre"], (exported, imported)
PY
echo "PASS (seed $SEED)"
