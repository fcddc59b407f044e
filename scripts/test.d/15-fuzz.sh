# Fuzzing smoke run: every cargo-fuzz target (fuzz/, nightly) for a fixed
# number of inputs from a fixed seed, from the committed corpora. A crash
# fails the stage and is copied to fuzz/regressions/<target>/. Fixed, not
# timed: the same commit fuzzes the same inputs on every run, so whether it
# passes does not depend on luck or machine load (a timed run found new
# crashes at random in runs after the one that checked the change). Long
# fuzzing, which does explore, is `scripts/fuzz SECONDS` outside CI. The corpora and regressions are
# replayed on stable by stage 20 (`cargo test --workspace` includes
# mediakit-fuzz-targets), so they are not run twice here.
#
# Cost, measured on the 2-core CI machine: cold, nightly (~50 s) and
# cargo-fuzz (~2 min) install once, and the first sanitizer build of the
# targets takes ~15 min of CPU (kept in ~/.cache/mediakit); warm, the
# build is a no-op check and the stage is 20 targets x FUZZ_SMOKE_RUNS inputs.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
cd "$(repo_root)"
ensure_fuzz
# 20,000 inputs: about 20 s for the slowest targets (the dialects drive the
# whole Router); 60 s is only a cap should one hang.
FUZZ_RUNS=${FUZZ_SMOKE_RUNS:-20000} scripts/fuzz 60
