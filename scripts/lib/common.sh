# Shared helpers for mediakit's scripts. Source it; do not run it.
# Every ensure_* is idempotent and fast when the thing is already there.

# Builds go to a target dir outside the clone, so that repeated runs (and CI
# on a fresh clone) are incremental.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/mediakit/target}
export MEDIAKIT_CACHE=${MEDIAKIT_CACHE:-$HOME/.cache/mediakit}
mkdir -p "$MEDIAKIT_CACHE"

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Runs as root or through sudo, whichever this machine has.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=""
# ensure_apt PACKAGE... : installs Debian packages that are missing.
ensure_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} (apt)"
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

# ensure_rust: rustfmt, clippy and the wasm32 target.
ensure_rust() {
  local have
  have=$(rustup component list --installed 2>/dev/null || true)
  for c in rustfmt clippy; do
    grep -q "^$c" <<<"$have" || rustup component add "$c"
  done
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
}

# The version of a crate pinned in Cargo.lock.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' \
    "$(repo_root)/Cargo.lock"
}

# ensure_cargo_tool BINARY CRATE VERSION: cargo-installs an exact version
# unless `BINARY --version` already reports it. No --locked: its lock file
# pins crates the registry mirror here lacks.
ensure_cargo_tool() {
  local bin=$1 crate=$2 version=$3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -qF "$version"; then
    return 0
  fi
  log "installing $crate $version (cargo install, takes a few minutes once)"
  CARGO_TARGET_DIR="$MEDIAKIT_CACHE/tool-target" cargo install --quiet "$crate" --version "=$version" --force
}

# ensure_npm DIR: installs the npm packages of DIR's package-lock.json.
ensure_npm() {
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL [SECONDS]: polls until the URL answers.
wait_http() {
  local url=$1 secs=${2:-60} i
  for ((i = 0; i < secs * 10; i++)); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "timed out waiting for $url" >&2
  return 1
}

# ensure_fuzz: the nightly toolchain (minimal profile) and cargo-fuzz, for
# scripts/fuzz and CI's fuzz stage. Cold: about 50 s for nightly and 2
# minutes of build for cargo-fuzz; a no-op when both are there. No --locked
# for cargo-fuzz, as for every tool here (see ensure_cargo_tool).
ensure_fuzz() {
  if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    log "installing the nightly toolchain (for cargo-fuzz)"
    rustup toolchain install nightly --profile minimal
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    log "installing cargo-fuzz (cargo install, takes a few minutes once)"
    CARGO_TARGET_DIR="$MEDIAKIT_CACHE/tool-target" cargo install --quiet cargo-fuzz
  fi
}

# ensure_openapi_tools: schemathesis and openapi-spec-validator (PyPI) in a
# venv of their own, for the OpenAPI stage (25-openapi.sh). Pinned: a new
# schemathesis may add checks or change its CLI, which should be a change
# here, not a surprise in CI. Cold: about 30 s; a no-op when the stamp
# names these versions. Sets OPENAPI_VENV.
SCHEMATHESIS_VERSION=4.32.5
OPENAPI_SPEC_VALIDATOR_VERSION=0.9.0
ensure_openapi_tools() {
  OPENAPI_VENV=$MEDIAKIT_CACHE/openapi-venv
  local want="schemathesis==$SCHEMATHESIS_VERSION openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION"
  if [ "$(cat "$OPENAPI_VENV/.installed" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  log "installing $want (PyPI)"
  rm -rf "$OPENAPI_VENV"
  python3 -m venv "$OPENAPI_VENV"
  # shellcheck disable=SC2086 # two requirement specifiers
  "$OPENAPI_VENV/bin/pip" install --quiet --disable-pip-version-check $want
  printf '%s\n' "$want" >"$OPENAPI_VENV/.installed"
}
