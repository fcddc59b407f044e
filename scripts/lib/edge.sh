# Helpers for the edge worker: tools, build, local secrets, wrangler dev.
# Source after common.sh. Used by scripts/edge-build, scripts/edge-dev,
# scripts/test.d/40-edge.sh and scripts/measure-edge-upload.

edge_root=$(repo_root)
export WRANGLER_SEND_METRICS=false
# worker-build would download these from GitHub; point it at local ones.
export WASM_OPT_BIN=$edge_root/node_modules/.bin/wasm-opt
export ESBUILD_BIN=$edge_root/node_modules/.bin/esbuild

# Node packages (wrangler, binaryen's wasm-opt, esbuild) and the two cargo
# tools, each at the version the lock files ask for.
edge_tools() {
  ensure_rust
  command -v node >/dev/null || ensure_apt nodejs npm
  ensure_npm "$edge_root"
  # wasm-bindgen's CLI must equal the wasm-bindgen crate exactly; worker-build
  # must share the worker crate's version (it generates the JS shim for it).
  ensure_cargo_tool wasm-bindgen wasm-bindgen-cli "$(locked_version wasm-bindgen)"
  ensure_cargo_tool worker-build worker-build "$(locked_version worker)"
  WASM_BINDGEN_BIN=$(command -v wasm-bindgen)
  export WASM_BINDGEN_BIN
}

wrangler() { "$edge_root/node_modules/.bin/wrangler" "$@"; }

# The built worker: edge-worker/build/index.js and index_bg.wasm.
edge_wasm() { echo "$edge_root/edge-worker/build/index_bg.wasm"; }

# Builds the worker (release) unless the output is newer than every input.
# worker-build always reruns wasm-bindgen, wasm-opt and esbuild, so the
# check keeps `wrangler dev` (which runs the build command at each start)
# from spending a minute on an unchanged wasm.
edge_build() {
  local out newer
  out=$(edge_wasm)
  if [ -f "$out" ]; then
    newer=$(find "$edge_root"/{core,api,edge-worker}/src "$edge_root"/{core,api,edge-worker}/Cargo.toml \
      "$edge_root/Cargo.toml" "$edge_root/Cargo.lock" -newer "$out" -print -quit)
    [ -z "$newer" ] && return 0
  fi
  log "building the edge worker (worker-build --release, SIMD128)"
  # SIMD128 (workerd's V8 has it): the decoders, colour conversion and
  # encoders vectorise; the target-specific variable leaves native builds
  # and the lint stage's wasm32 check untouched.
  (cd "$edge_root/edge-worker" &&
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" worker-build --release)
}

# A fresh admin token for a local secrets file (`mk_` + 43 base64url chars,
# the shape mediakit checks).
edge_new_token() {
  python3 -c 'import base64,os; print("mk_" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))'
}

# edge_dev_vars FILE: writes ADMIN_TOKEN=<new token> to FILE unless it has one.
edge_dev_vars() {
  local file=$1
  grep -qs '^ADMIN_TOKEN=' "$file" && return 0
  umask 077
  echo "ADMIN_TOKEN=$(edge_new_token)" >>"$file"
}

edge_admin_token() { sed -n 's/^ADMIN_TOKEN=//p' "$1" | tail -1; }

# edge_migrate PERSIST_DIR [wrangler args...]: applies migrations/sqlite to
# the local D1 databases named in wrangler.toml for that environment.
edge_migrate() {
  local persist=$1
  shift
  local db
  for db in "$@"; do
    wrangler d1 migrations apply "$db" --local --persist-to "$persist" ${EDGE_ENV:+--env "$EDGE_ENV"} >/dev/null
  done
}

# edge_start PORT PERSIST_DIR LOG: starts `wrangler dev` in the background
# on 127.0.0.1:PORT and waits until it answers. Sets edge_pid. EDGE_ENV
# picks a wrangler.toml environment; EDGE_DEV_ARGS adds arguments (e.g.
# `--var MAX_PIXELS:50000000`).
edge_start() {
  local port=$1 persist=$2 logfile=$3
  (
    cd "$edge_root"
    # setsid: wrangler starts workerd as a child; stopping the group stops both.
    exec setsid "$edge_root/node_modules/.bin/wrangler" dev \
      --ip 127.0.0.1 --port "$port" --inspector-port "$(free_port)" \
      --persist-to "$persist" --show-interactive-dev-session=false \
      ${EDGE_ENV:+--env "$EDGE_ENV"} ${EDGE_DEV_ARGS:-} >>"$logfile" 2>&1
  ) &
  edge_pid=$!
  if ! wait_http "http://127.0.0.1:$port/healthz" 180; then
    tail -40 "$logfile" >&2
    return 1
  fi
}

# edge_stop: stops the wrangler dev started by edge_start (and its workerd).
edge_stop() {
  [ -n "${edge_pid:-}" ] || return 0
  kill -TERM -- "-$edge_pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 -- "-$edge_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$edge_pid" 2>/dev/null || true
  wait "$edge_pid" 2>/dev/null || true
  edge_pid=""
}
