# Toolchain pieces and the real-photo corpus.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
ensure_rust
ensure_apt curl ca-certificates libimage-exiftool-perl
"$(repo_root)/scripts/fetch-corpus"
