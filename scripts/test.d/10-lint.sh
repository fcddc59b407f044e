# Formatting, lints (warnings are errors) and the portable crates' wasm32 build.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
cd "$(repo_root)"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
# image, core and api must stay free of native-only dependencies.
cargo build --quiet -p mediakit-image -p mediakit-core -p mediakit-api --target wasm32-unknown-unknown
# No import circles within a crate (docs/architecture.md).
python3 scripts/lib/import_cycles.py */src
