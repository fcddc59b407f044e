# Unit tests, port conformance suites (SQLite, local disk) and the end-to-end
# suite against native servers it starts itself.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
cd "$(repo_root)"
cargo build --quiet -p mediakit-server --bin mediakit
cargo test --workspace --quiet
