#!/usr/bin/env bash
# Builds the production image (docker/Dockerfile) and proves it by running it: migrate (twice:
# the second finds nothing to do), api, worker, web-client and admin containers against this
# machine's Postgres and Redis, each checked on its health endpoint and the image's HEALTHCHECK
# command, then stopped with SIGTERM (a clean exit, not Docker's SIGKILL after the timeout).
# Prints PASS/FAIL per check and removes its containers, database and scratch files whatever
# happens.
#
#   scripts/image-smoke.sh               # local base image (below), build, run, check
#   E3D_SMOKE_BASE=node:24-bookworm-slim scripts/image-smoke.sh   # where an image registry answers
#
# The base image: by default a local one, so the build pulls nothing from an image registry —
# Debian bookworm from a Debian mirror (debootstrap, minbase) with this machine's node binary and
# npm copied in and a `node` user (uid 1000), as the official node image has, imported with
# `docker import`. The root tree is cached (E3D_SMOKE_CACHE) and the imported image kept, so a
# second run starts at the build. The build then needs only the npm registry.
#
# The containers run with --network host and talk to 127.0.0.1 only: no bridge or NAT needed, so
# the engine may run with --bridge=none (the build then shares the host's network too).
#
# Settings (environment):
#   DOCKER                 docker CLI to use (default: the first `docker` on PATH that can
#                          build with BuildKit: buildx plugin, or a CLI older than 23 with it built in)
#   E3D_SMOKE_BASE         base image to build from instead of the local one
#   E3D_SMOKE_IMAGE        tag of the built image (default e3d-smoke:local)
#   E3D_SMOKE_CACHE        cache of the Debian root tree (default ~/.cache/e3d-image-smoke)
#   DEBIAN_MIRROR          default http://deb.debian.org/debian
#   E3D_SMOKE_PG_ADMIN_URL Postgres where a scratch database is created and dropped
#                          (default postgres://postgres@127.0.0.1:5432/postgres)
#   E3D_SMOKE_REDIS_URL    default redis://127.0.0.1:6379
#   E3D_SMOKE_API_PORT / E3D_SMOKE_WEB_PORT / E3D_SMOKE_ADMIN_PORT   default 14000 / 13000 / 13001
#   E3D_SMOKE_TIMEOUT      seconds each service gets to answer (default 180)
#   E3D_SMOKE_KEEP=1       keep the containers and the database after the run (for a look)
#
# Exit codes: 0 every check passed; 1 a check failed; 2 this machine cannot run the smoke test
# (no Docker engine, no BuildKit-capable CLI, no debootstrap…): the message says which.
set -euo pipefail

ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
cd "$ROOT"

IMAGE=${E3D_SMOKE_IMAGE:-e3d-smoke:local}
CACHE=${E3D_SMOKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/e3d-image-smoke}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PG_ADMIN_URL=${E3D_SMOKE_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${E3D_SMOKE_REDIS_URL:-redis://127.0.0.1:6379}
API_PORT=${E3D_SMOKE_API_PORT:-14000}
WEB_PORT=${E3D_SMOKE_WEB_PORT:-13000}
ADMIN_PORT=${E3D_SMOKE_ADMIN_PORT:-13001}
TIMEOUT=${E3D_SMOKE_TIMEOUT:-180}
RUN_ID="$$-$(date +%s)"
PREFIX="e3d-smoke-$RUN_ID"

passed=0
failed=0
containers=()
database=
work=

say() { printf '\n== %s\n' "$*"; }
pass() {
  passed=$((passed + 1))
  printf 'PASS  %s\n' "$*"
}
fail() {
  failed=$((failed + 1))
  printf 'FAIL  %s\n' "$*"
}
# This machine cannot run the test at all: say why, loudly, and stop.
cannot() {
  printf '\nFAIL  image smoke test cannot run: %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '      %s\n' "$line" >&2; done
  exit 2
}

cleanup() {
  local status=$?
  set +e
  if [ "${E3D_SMOKE_KEEP:-}" = 1 ]; then
    [ ${#containers[@]} -gt 0 ] && echo "kept containers: ${containers[*]}"
    [ -n "$database" ] && echo "kept database: $database"
  else
    for c in "${containers[@]}"; do "${DOCKER:-docker}" rm -f "$c" >/dev/null 2>&1; done
    [ -n "$database" ] && psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1
  fi
  [ -n "$work" ] && rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Preflight: a Docker engine, a CLI that builds with BuildKit (the Dockerfile uses RUN --mount)
# ---------------------------------------------------------------------------------------------

# The engine is asked first (through the first CLI found), so a machine without one is told so
# whatever CLI it has; then a CLI that can build is picked.
mapfile -t candidates < <(if [ -n "${DOCKER:-}" ]; then printf '%s\n' "$DOCKER"; else type -ap docker | awk '!seen[$0]++'; fi)
if [ ${#candidates[@]} -eq 0 ] || ! command -v "${candidates[0]}" >/dev/null; then
  cannot "no docker CLI on PATH${DOCKER:+ (DOCKER=$DOCKER)}" "install docker.io (Debian) or Docker Engine"
fi
DOCKER=${candidates[0]}

say "Docker engine"
if ! engine=$("$DOCKER" version --format '{{.Server.Version}}' 2>&1 | sed '/^[[:space:]]*$/d'); then
  cannot "no Docker engine answers ($DOCKER version)" "$engine" \
    "start one (e.g. dockerd --iptables=false --bridge=none) or point DOCKER_HOST at one"
fi

BUILD=()
for c in "${candidates[@]}"; do
  if "$c" buildx version >/dev/null 2>&1; then
    DOCKER=$c
    BUILD=("$c" buildx build --load)
    break
  fi
  major=$("$c" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1 || true)
  # Before 23 the CLI drives the engine's built-in BuildKit itself; from 23 on it needs buildx.
  if [[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -lt 23 ]; then
    DOCKER=$c
    BUILD=(env DOCKER_BUILDKIT=1 "$c" build)
    break
  fi
done
[ ${#BUILD[@]} -gt 0 ] ||
  cannot "no docker CLI here can build with BuildKit (tried: ${candidates[*]})" \
    "install the buildx plugin, or point DOCKER at a CLI older than 23 (Debian's docker.io 20.10)"
echo "engine $engine; build: ${BUILD[*]}"

command -v curl >/dev/null || cannot "curl is needed to probe the services"
command -v psql >/dev/null || cannot "psql is needed to create the scratch database" "apt-get install postgresql-client"
psql -q -tA "$PG_ADMIN_URL" -c 'SELECT 1' >/dev/null 2>&1 || cannot "Postgres does not answer at $PG_ADMIN_URL"
for port in "$API_PORT" "$WEB_PORT" "$ADMIN_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    cannot "port $port on 127.0.0.1 is taken" "set E3D_SMOKE_API_PORT / E3D_SMOKE_WEB_PORT / E3D_SMOKE_ADMIN_PORT"
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/e3d-image-smoke.XXXXXX")

# ---------------------------------------------------------------------------------------------
# Base image
# ---------------------------------------------------------------------------------------------

local_base() {
  local node_bin node_version npm_dir tag rootfs tarball
  command -v node >/dev/null || cannot "node is needed for the local base image (its binary is copied in)"
  node_bin=$(readlink -f "$(command -v node)")
  node_version=$(node -p process.versions.node)
  tag="e3d-smoke-base:bookworm-node$node_version"
  if "$DOCKER" image inspect "$tag" >/dev/null 2>&1; then
    echo "reusing $tag (docker image rm $tag to make it anew)" >&2
    printf '%s' "$tag"
    return
  fi
  [ "$(id -u)" = 0 ] || cannot "the local base image needs root (debootstrap, chroot)" "or set E3D_SMOKE_BASE to a bookworm image with node"
  npm_dir="$(npm root -g)/npm"
  [ -f "$npm_dir/bin/npm-cli.js" ] || cannot "no npm at $npm_dir to copy into the base image"

  rootfs="$work/rootfs"
  tarball="$CACHE/debian-bookworm-minbase.tar"
  mkdir -p "$rootfs" "$CACHE"
  if [ -f "$tarball" ]; then
    echo "Debian root tree from $tarball" >&2
  else
    command -v debootstrap >/dev/null || cannot "debootstrap is needed for the local base image" "apt-get install debootstrap"
    echo "debootstrap bookworm from $MIRROR (about a minute)" >&2
    if ! debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1; then
      tail -20 "$work/debootstrap.log" >&2
      cannot "debootstrap of bookworm from $MIRROR failed (log above)"
    fi
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" --numeric-owner -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
    rm -rf "$rootfs" && mkdir -p "$rootfs"
  fi
  tar -C "$rootfs" --numeric-owner -xf "$tarball"

  # Laid out as in the official node image: /usr/local/bin/node, npm under /usr/local/lib, so
  # `npm install --global` puts pnpm on PATH the same way.
  install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  # The build reaches the npm registry as this machine does, through whatever TLS proxy this
  # machine trusts: its CA bundle, for OpenSSL and for node.
  mkdir -p "$rootfs/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  chroot "$rootfs" /usr/local/bin/node --version >/dev/null ||
    cannot "this machine's node ($node_bin) does not run on Debian bookworm (missing libraries?)"

  echo "docker import -> $tag" >&2
  tar -C "$rootfs" --numeric-owner -c . | "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' \
    --message "Debian bookworm minbase + node $node_version (scripts/image-smoke.sh)" \
    - "$tag" >/dev/null
  rm -rf "$rootfs"
  printf '%s' "$tag"
}

say "Base image"
if [ -n "${E3D_SMOKE_BASE:-}" ]; then
  base=$E3D_SMOKE_BASE
else
  base=$(local_base)
fi
echo "BASE_IMAGE=$base"

# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------

say "Build $IMAGE (docker/Dockerfile)"
# E3D_API_URL: the Next apps bake their /api rewrite at build time; here the API is on
# 127.0.0.1:$API_PORT (host network), not at the compose/ECS name "api".
build_args=(
  -f docker/Dockerfile
  --build-arg "BASE_IMAGE=$base"
  --build-arg "E3D_API_URL=http://127.0.0.1:$API_PORT"
  --build-arg "REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)"
  --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  -t "$IMAGE"
  .
)
# An engine without a bridge (--bridge=none) gives RUN steps no network unless they share the host's.
if ! "$DOCKER" network inspect bridge >/dev/null 2>&1; then build_args=(--network host "${build_args[@]}"); fi
mkdir -p "$CACHE"
build_log="$CACHE/last-build.log"
echo "full log: $build_log"
set +e +o pipefail
"${BUILD[@]}" --progress=plain "${build_args[@]}" 2>&1 | tee "$build_log" |
  grep --line-buffered -E '^#[0-9]+ \[|^#[0-9]+ (DONE|ERROR)|^ERROR'
build_status=${PIPESTATUS[0]}
set -e -o pipefail
if [ "$build_status" -ne 0 ]; then
  fail "docker build (exit $build_status)"
  tail -80 "$build_log"
  exit 1
fi
pass "docker build ($IMAGE from $base)"

# ---------------------------------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------------------------------

database="e3d_smoke_$(date +%s)_$$"
psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE \"$database\"" >/dev/null
DATABASE_URL="${PG_ADMIN_URL%/*}/$database"

backend_env=(
  -e NODE_ENV=production
  -e LOG_LEVEL=info
  -e HOST=127.0.0.1
  -e "API_PORT=$API_PORT"
  -e "DATABASE_URL=$DATABASE_URL"
  -e "REDIS_URL=$REDIS_URL"
  -e "PUBLIC_API_URL=http://127.0.0.1:$API_PORT"
  -e "STOREFRONT_URL=http://127.0.0.1:$WEB_PORT"
  -e "ADMIN_URL=http://127.0.0.1:$ADMIN_PORT"
  -e "STOREFRONT_REVALIDATE_URL=http://127.0.0.1:$WEB_PORT/revalidate"
  -e JWT_SECRET=image-smoke-jwt-secret-0123456789abcdef
  -e REVALIDATE_SECRET=image-smoke-revalidate-secret-0123456789
  -e PAYMENT_WEBHOOK_SECRET=image-smoke-webhook-secret-0123456789abc
  -e MAIL_DRIVER=outbox
  -e SHUTDOWN_GRACE_MS=10000
  -e WORKER_CONCURRENCY=1
)
next_env() { # port
  printf '%s\n' -e NODE_ENV=production -e "PORT=$1" -e HOSTNAME=127.0.0.1 \
    -e "E3D_API_URL=http://127.0.0.1:$API_PORT" -e "STOREFRONT_URL=http://127.0.0.1:$WEB_PORT" \
    -e "ADMIN_URL=http://127.0.0.1:$ADMIN_PORT" -e REVALIDATE_SECRET=image-smoke-revalidate-secret-0123456789
}

start() { # name, command, docker run options...
  local name="$PREFIX-$1" command=$2
  shift 2
  containers+=("$name")
  "$DOCKER" run -d --name "$name" --network host "$@" "$IMAGE" "$command" >/dev/null
}

logs() { # name
  echo "---- docker logs $PREFIX-$1 (last 40 lines)"
  "$DOCKER" logs --tail 40 "$PREFIX-$1" 2>&1 | sed 's/^/    /'
}

running() { [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$PREFIX-$1" 2>/dev/null)" = true ]; }

# Waits (bounded by TIMEOUT) until URL answers 200; the body goes to $work/<name>.body.
wait_http() { # name, url
  local name=$1 url=$2 deadline=$((SECONDS + TIMEOUT)) code
  while [ $SECONDS -lt $deadline ]; do
    if ! running "$name"; then
      fail "$name: exited before $url answered"
      logs "$name"
      return 1
    fi
    code=$(curl -s -o "$work/$name.body" -w '%{http_code}' --max-time 5 "$url" || true)
    [ "$code" = 200 ] && return 0
    sleep 1
  done
  fail "$name: $url did not answer 200 within ${TIMEOUT}s (last: ${code:-none})"
  logs "$name"
  return 1
}

# GET url: expect 200 and, optionally, the body to match an extended regex.
check_http() { # label, url, [body regex]
  local label=$1 url=$2 pattern=${3:-} body code
  body="$work/check.body"
  code=$(curl -s -o "$body" -w '%{http_code}' --max-time 10 "$url" || true)
  if [ "$code" != 200 ]; then
    fail "$label: GET $url -> ${code:-no answer}"
  elif [ -n "$pattern" ] && ! grep -Eq "$pattern" "$body"; then
    fail "$label: GET $url -> 200 but the body does not match /$pattern/: $(head -c 300 "$body")"
  else
    pass "$label: GET $url -> 200"
  fi
}

# The image's HEALTHCHECK command, run in the container as Docker runs it.
check_healthcheck() { # name
  local out
  if out=$("$DOCKER" exec "$PREFIX-$1" /app/docker/entrypoint.sh healthcheck 2>&1); then
    pass "$1: HEALTHCHECK command exits 0"
  else
    fail "$1: HEALTHCHECK command failed: $out"
  fi
}

# SIGTERM (docker stop), then the exit code. 137 is Docker's SIGKILL after the timeout: the signal
# went unanswered (PID 1 has no default handler). The API and worker exit 0 when drained; Next's
# standalone server closes its listener and exits 143 (128 + SIGTERM) by its own choice.
check_stop() { # name, accepted exit codes…
  local name=$1 code
  shift
  "$DOCKER" stop -t 30 "$PREFIX-$name" >/dev/null
  code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$PREFIX-$name")
  if [[ " $* " == *" $code "* ]]; then
    pass "$name: stops on SIGTERM (exit $code)"
  else
    fail "$name: exited $code on SIGTERM (expected $*)"
    logs "$name"
  fi
}

say "migrate"
for round in first second; do
  name="$PREFIX-migrate-$round"
  containers+=("$name")
  if out=$("$DOCKER" run --name "$name" --network host "${backend_env[@]}" "$IMAGE" migrate 2>&1); then
    if [ "$round" = first ] && grep -Eq 'applied [0-9]+ migration|up to date' <<<"$out"; then
      pass "migrate: applies the migrations, exits 0"
    elif [ "$round" = second ] && grep -q 'up to date' <<<"$out"; then
      pass "migrate: a second run finds nothing to do, exits 0"
    else
      fail "migrate ($round run): exit 0 but unexpected output: $(tail -5 <<<"$out")"
    fi
  else
    fail "migrate ($round run) failed:"
    tail -40 <<<"$out" | sed 's/^/    /'
    exit 1
  fi
done

say "api, worker, web-client, admin"
start api api "${backend_env[@]}"
start worker worker "${backend_env[@]}"
mapfile -t web_env < <(next_env "$WEB_PORT")
mapfile -t admin_env < <(next_env "$ADMIN_PORT")
start web-client web-client "${web_env[@]}"
start admin admin "${admin_env[@]}"

if wait_http api "http://127.0.0.1:$API_PORT/api/healthz"; then
  check_http api "http://127.0.0.1:$API_PORT/api/healthz" '"status":"ok"'
  check_http api "http://127.0.0.1:$API_PORT/api/readyz" '"database":"ok".*"redis":"ok"|"redis":"ok".*"database":"ok"'
  check_healthcheck api
fi
if wait_http web-client "http://127.0.0.1:$WEB_PORT/healthz"; then
  check_http web-client "http://127.0.0.1:$WEB_PORT/healthz" '"status":"ok"'
  check_http web-client "http://127.0.0.1:$WEB_PORT/draco/draco_decoder.wasm"
  # Through the storefront's /api rewrite to the API, as a browser reaches it without the ALB.
  check_http web-client "http://127.0.0.1:$WEB_PORT/api/healthz" '"status":"ok"'
  check_http web-client "http://127.0.0.1:$WEB_PORT/"
  check_healthcheck web-client
fi
if wait_http admin "http://127.0.0.1:$ADMIN_PORT/healthz"; then
  check_http admin "http://127.0.0.1:$ADMIN_PORT/healthz" '"status":"ok"'
  check_healthcheck admin
fi
if running worker && grep -q 'worker started' < <("$DOCKER" logs "$PREFIX-worker" 2>&1); then
  check_healthcheck worker
else
  # It may still be starting: give it the same bound as the HTTP services.
  deadline=$((SECONDS + TIMEOUT))
  until grep -q 'worker started' < <("$DOCKER" logs "$PREFIX-worker" 2>&1) || ! running worker || [ $SECONDS -ge $deadline ]; do sleep 1; done
  if running worker && grep -q 'worker started' < <("$DOCKER" logs "$PREFIX-worker" 2>&1); then
    check_healthcheck worker
  else
    fail "worker: did not start"
    logs worker
  fi
fi

# Docker's own verdict from the HEALTHCHECK instruction (its first probe runs after --interval).
check_docker_health() { # name
  local status deadline=$((SECONDS + TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    status=$("$DOCKER" inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$PREFIX-$1" 2>/dev/null || echo gone)
    case "$status" in
      healthy)
        pass "$1: Docker reports it healthy (HEALTHCHECK instruction)"
        return
        ;;
      starting) sleep 2 ;;
      *) break ;;
    esac
  done
  fail "$1: Docker health status is ${status:-unknown}"
  "$DOCKER" inspect -f '{{range .State.Health.Log}}{{.ExitCode}} {{.Output}}{{end}}' "$PREFIX-$1" 2>/dev/null | tail -5
}

say "Docker health status"
for name in api worker web-client admin; do
  if running "$name"; then check_docker_health "$name"; fi
done

say "shutdown"
for name in web-client admin; do
  if running "$name"; then check_stop "$name" 0 143; fi
done
for name in worker api; do
  if running "$name"; then check_stop "$name" 0; fi
done

say "result"
echo "image: $IMAGE (BASE_IMAGE=$base)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
