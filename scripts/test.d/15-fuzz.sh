# Fuzzing smoke run: every cargo-fuzz target (fuzz/, nightly) for a few
# seconds each, from the committed corpora. A crash fails the stage and is
# copied to fuzz/regressions/<target>/. The corpora and regressions are
# replayed on stable by stage 20 (`cargo test --workspace` includes
# mediakit-fuzz-targets), so they are not run twice here.
#
# Cost, measured on the 2-core CI machine: cold, nightly (~50 s) and
# cargo-fuzz (~2 min) install once, and the first sanitizer build of the
# targets takes ~15 min of CPU (kept in ~/.cache/mediakit); warm, the
# build is a no-op check and the stage is 20 targets x FUZZ_SMOKE_SECONDS.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
cd "$(repo_root)"
ensure_fuzz
scripts/fuzz "${FUZZ_SMOKE_SECONDS:-5}"
