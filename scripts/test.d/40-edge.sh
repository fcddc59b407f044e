# The edge worker under `wrangler dev` (workerd with local R2 and D1):
#   1. lint its wasm32-only code and build it (worker-build, local tools);
#   2. start it on a free port with a fresh local state and a fresh admin
#      token, and apply the migrations to its D1 databases;
#   3. run core's port conformance suites against the real R2 and D1
#      bindings inside workerd (the admin-only /_edge/conformance route);
#   4. run the whole end-to-end suite in tests/ against it;
#   5. restart it on the same state and check that media uploaded before
#      is still listed and served byte for byte;
#   6. run its cron trigger: an orphaned file (planted with `wrangler r2`
#      while it was stopped) is removed, live media is not;
#   7. stop it.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/edge.sh"
cd "$(repo_root)"

edge_tools
"$(repo_root)/scripts/fetch-corpus" >/dev/null
# Natively, clippy (stage 10) sees only the crate's portable modules.
cargo clippy --quiet -p mediakit-edge --target wasm32-unknown-unknown -- -D warnings
edge_build
log "worker: $(stat -c %s "$(edge_wasm)") bytes of wasm"

export EDGE_ENV=ci
state=$(repo_root)/.wrangler/ci-state
vars=$(repo_root)/.dev.vars.ci
rm -rf "$state" "$vars"
edge_dev_vars "$vars"
token=$(edge_admin_token "$vars")
port=$(free_port)
base=http://127.0.0.1:$port
wrangler_log=$(mktemp)
trap 'edge_stop; rm -f "$wrangler_log"' EXIT
fail() {
  echo "FAILED: $*" >&2
  echo "--- wrangler dev log (last lines) ---" >&2
  tail -40 "$wrangler_log" >&2
  exit 1
}

edge_migrate "$state" DB TEST_DB
edge_start "$port" "$state" "$wrangler_log" || fail "wrangler dev did not start"
log "wrangler dev on $base"

log "port conformance suites against R2 and D1 in workerd"
result=$(curl -sS -X POST -H "Authorization: Bearer $token" "$base/_edge/conformance") || fail "conformance route"
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if r.get("blobs")=="passed" and r.get("catalog")=="passed" else 1)' \
  "$result" || fail "conformance suites: $result"
echo "  $result"

log "end-to-end suite against the edge worker"
MEDIAKIT_BASE_URL=$base MEDIAKIT_ADMIN_TOKEN=$token cargo test --quiet -p mediakit-e2e \
  || fail "end-to-end suite against $base"

log "restart: uploaded media survives; the cron trigger collects orphans only"
search="kept across restarts"
uploaded=$(curl -fsS -H 'Expect:' -H "Authorization: Bearer $token" \
  -F "file=@tests/fixtures/photo-seeding-800.jpg" -F "alt_text=$search" \
  "$base/api/v1/media/upload") || fail "upload before the restart"
check_kept() {
  python3 scripts/lib/edge_check_kept.py "$base" "$token" "$uploaded" "$search" || fail "$1"
}
edge_stop
# While it is stopped, an orphan: a file under an id two hours old that no
# row refers to (what a crash between the blob and the row write leaves).
orphan_id=$(python3 -c 'import time; t = int(time.time() * 1000) - 2 * 3600 * 1000; print(f"{t >> 16:08x}-{t & 0xffff:04x}-7000-8000-000000000001")')
orphan_key=media/$orphan_id/original.jpg
wrangler r2 object put "mediakit-media/$orphan_key" --file tests/fixtures/photo-seeding-800.jpg \
  --local --persist-to "$state" --env ci >/dev/null || fail "writing the orphan with wrangler r2"
orphan_exists() {
  wrangler r2 object get "mediakit-media/$orphan_key" --pipe --local --persist-to "$state" \
    --env ci >/dev/null 2>&1
}
orphan_exists || fail "reading the orphan back with wrangler r2"
edge_start "$port" "$state" "$wrangler_log" || fail "wrangler dev did not restart"
check_kept "media uploaded before the restart"

curl -fsS -o /dev/null "$base/cdn-cgi/handler/scheduled" || fail "the scheduled handler"
check_kept "media after the scheduled collection"
edge_stop
orphan_exists && fail "the scheduled collection left the orphan $orphan_key"
grep -q "collected: 0 expired media purged, 1 orphaned files removed" "$wrangler_log" \
  || fail "the scheduled collection did not report removing the orphan"
echo "  the orphan $orphan_key was collected"
