# The OpenAPI description of the REST dialect (issue 15), checked from the
# outside against a native server started from the debug binary:
#   1. openapi-spec-validator: the document it serves is valid OpenAPI 3.1;
#   2. schemathesis: every operation, positive and negative cases, the
#      stateful links (upload → get → patch → delete → restore), with no
#      5xx and no response that breaks the document.
# (api/tests/openapi.rs checks from the inside that every route is in it.)
# Both tools from PyPI, in their own venv (ensure_openapi_tools).
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
cd "$(repo_root)"

ensure_openapi_tools
cargo build --quiet -p mediakit-server --bin mediakit
# A private copy: target/debug/mediakit is shared by every checkout using
# this CARGO_TARGET_DIR, and another's build may replace it meanwhile.
work=$(mktemp -d)
cp "$CARGO_TARGET_DIR/debug/mediakit" "$work/mediakit"

port=$(free_port)
base=http://127.0.0.1:$port
MEDIAKIT_LOG=warn "$work/mediakit" serve --listen "127.0.0.1:$port" --data "$work/data" \
  >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
fail() {
  echo "FAILED: $*" >&2
  echo "--- server log (last lines) ---" >&2
  tail -40 "$work/server.log" >&2
  exit 1
}
wait_http "$base/healthz" 60 || fail "the server did not start"
token=$(cat "$work/data/admin-token")

log "openapi-spec-validator on $base/api/v1/openapi.json"
curl -fsS "$base/api/v1/openapi.json" -o "$work/openapi.json"
"$OPENAPI_VENV/bin/openapi-spec-validator" "$work/openapi.json"

# A few real files, so that listings return items whose ids the stateful
# phase follows (the uploads it makes itself are mostly refused: random
# bytes are no image). The first is the photo whose thumbnail is fuzzed.
for f in photo-seeding-800.jpg photo-alpha.png logo.svg; do
  curl -fsS -H "Authorization: Bearer $token" -F "file=@tests/fixtures/$f" -F tags=seed \
    "$base/api/v1/media/upload" >"$work/$f.json" || fail "seeding with $f"
done
photo=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' "$work/photo-seeding-800.jpg.json")
[ -n "$photo" ] || fail "no id in the seeded photo's answer"

# Every check schemathesis has (each is on unless turned off here), in
# every phase (examples, coverage, fuzzing, stateful), positive and
# negative cases; the bar is not_a_server_error (no 5xx) and
# response_schema_conformance (no answer the document does not describe),
# with status codes, content types and headers conformance, auth ignored,
# missing headers, unsupported methods, resources missing after creation.
# Off only where a check cannot apply (below, with why). The seed and the
# number of examples per operation are fixed (about 15 s here; 600 found
# nothing more with other seeds), so that a failure replays:
#   MEDIAKIT_SCHEMATHESIS_SEED=… MEDIAKIT_SCHEMATHESIS_EXAMPLES=… scripts/test 25
cat >"$work/schemathesis.toml" <<EOF
seed = ${MEDIAKIT_SCHEMATHESIS_SEED:-15}
request-timeout = 30
color = false

# A run starts afresh: no crash replays or examples from an earlier run.
[cache]
enabled = false

[generation]
mode = "all"
max-examples = ${MEDIAKIT_SCHEMATHESIS_EXAMPLES:-100}
database = "none"

[checks]
# The document cannot say everything the server checks, so schema-valid
# requests are refused by design: an upload's bytes must be a real file of
# an accepted type (random bytes are 400 unsupported_type); names, tags
# and labels are checked after trimming and removing control characters.
# Those refusals' codes are in the document, and their bodies are checked
# against it (response_schema_conformance).
positive_data_acceptance.enabled = false
# A soft delete is undone by design: after DELETE, the restoreMedia link
# brings the item back, and then GET answers 200.
use_after_free.enabled = false

# negative_data_rejection does not apply to the upload form: every
# multipart field is text, so the "number" 0.0 or the "object" {} sent for
# a text field arrives as the valid text "0.0" or "{}".
[[operations]]
include-operation-id = "uploadMedia"
checks.negative_data_rejection.enabled = false

# No link leads to a variant's URL (no response field holds "thumb.jpg"):
# aim it at the seeded photo's thumbnail, or it would only ever be a 404.
[[operations]]
include-operation-id = "getVariant"
parameters = { id = "$photo", file = "thumb.jpg" }
EOF

log "schemathesis against $base"
(cd "$work" && "$OPENAPI_VENV/bin/schemathesis" --config-file schemathesis.toml run \
  "$base/api/v1/openapi.json" \
  --header "Authorization: Bearer $token") \
  || fail "schemathesis found failures (above)"

kill -0 "$server" 2>/dev/null || fail "the server exited"
