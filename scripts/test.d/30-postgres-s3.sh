# Scaling out (issue 7), against a real PostgreSQL and a real S3-compatible
# server (SeaweedFS), both started here on 127.0.0.1 and stopped on exit:
#   - the Catalog contract on Postgres, the BlobStore contract on S3;
#   - the whole end-to-end suite with every test server on its own Postgres
#     database and S3 prefix (MEDIAKIT_TEST_BACKEND=postgres+s3);
#   - two instances sharing one store; `migrate-storage`; a single SQLite
#     instance moved to Postgres + S3 with `migrate-database`.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/services.sh"
cd "$(repo_root)"

features=mediakit-server/service-tests,mediakit-e2e/service-tests
# Stage 10 lints without the feature, so these test targets are linted here.
cargo clippy --quiet -p mediakit-server -p mediakit-e2e --all-targets --features "$features" -- -D warnings
# Build everything before the services start: they should not sit idle.
cargo test --quiet -p mediakit-server -p mediakit-e2e --features "$features" --no-run
cargo build --quiet -p mediakit-server --bin mediakit
# The tests run a private copy of the binary: target/debug/mediakit is one
# path for every checkout sharing CARGO_TARGET_DIR, and another checkout's
# build may replace it while these tests run.
bin_dir=$(mktemp -d)
cp "$CARGO_TARGET_DIR/debug/mediakit" "$bin_dir/mediakit"
export MEDIAKIT_BIN=$bin_dir/mediakit

start_services
# On failure, SeaweedFS's own log says whether the store or the code failed.
trap 'status=$?; [ $status -eq 0 ] || weed_log_tail; stop_services; rm -rf "$bin_dir"' EXIT

log "port conformance: Catalog on PostgreSQL, BlobStore on S3"
cargo test --quiet -p mediakit-server --features service-tests --test postgres_catalog --test s3_blobs

log "end-to-end suite on PostgreSQL + S3, multi-instance, migrations"
MEDIAKIT_TEST_BACKEND=postgres+s3 cargo test --quiet -p mediakit-e2e --features service-tests
