# The web demo in real Chromium: builds the wasm bindings of core
# (scripts/build-web-demo), lints them for wasm32, type-checks the page's API
# client against the binary's OpenAPI document (scripts/gen-web-client), then
# drives the page with playwright-core against a native server the test
# starts and stops.
# Screenshots: test-artifacts/web-demo/.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
cd "$(repo_root)"
ensure_apt chromium
ensure_npm web-demo
scripts/fetch-corpus >/dev/null
scripts/build-web-demo

# The bindings exist only on wasm32; stage 10 lints the native side.
env -u CARGO_ENCODED_RUSTFLAGS RUSTFLAGS="-C target-feature=+simd128" \
  CARGO_TARGET_DIR="$MEDIAKIT_CACHE/target-web" \
  cargo clippy --quiet --locked -p mediakit-web --lib --target wasm32-unknown-unknown -- -D warnings
shopt -s nullglob
for f in web-demo/www/assets/*.js web-demo/tests/*.mjs web-demo/bench/*.mjs; do
  node --check "$f"
done

cargo build --quiet -p mediakit-server --bin mediakit
# A private copy: the shared target dir may be rebuilt meanwhile from
# another checkout.
bin_dir=$(mktemp -d)
trap 'rm -rf "$bin_dir"' EXIT
cp "$CARGO_TARGET_DIR/debug/mediakit" "$bin_dir/"
# The page's typed API client: its types generated from this binary's
# OpenAPI document, and tsc checks the page's calls against them.
scripts/gen-web-client "$bin_dir/mediakit"
(cd web-demo && MEDIAKIT_BIN="$bin_dir/mediakit" node --test tests/)
