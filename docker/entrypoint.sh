#!/bin/sh
# The image's entry point: one image, one command per service (ECS `command`, compose `command`).
#
#   api          the Fastify API                      (API_PORT, default 4000; /api/healthz)
#   worker       the background worker                (no port)
#   migrate      `e3d db migrate`, then exits         (a one-off task before api/worker)
#   web-client   the storefront's Next standalone server  (PORT, default STOREFRONT_PORT or 3000; /healthz)
#   admin        the admin's Next standalone server       (PORT, default ADMIN_PORT or 3001; /healthz)
#   healthcheck  the HEALTHCHECK: probes the service this container runs (see below)
#   e3d ARGS...  any other CLI command, e.g. `e3d staff create ...` or `e3d db seed`
#
# Layout (docker/Dockerfile, runtime stage): the app root holds the production node_modules and
# the TypeScript sources of the API, worker and CLI (run by tsx, no build step); web/<app>/ holds
# each Next app's standalone output, nested by workspace path (web/<app>/apps/<app>/server.js).
# The script finds the app root from its own location, so packages/infra/test/image.test.ts runs
# it, unchanged, against the same layout assembled in a temporary folder.
set -eu

APP_ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
cd "$APP_ROOT"

# What `healthcheck` probes: written by the service command before it execs (same PID), read by
# the HEALTHCHECK, which does not see the container's command.
STATE_FILE="${E3D_STATE_FILE:-${TMPDIR:-/tmp}/e3d-service}"

remember() { # service, URL to probe ('' = the process being alive is the check)
  printf '%s\n%s\n%s\n' "$1" "$$" "$2" >"$STATE_FILE" 2>/dev/null || true
}

# tsx is a dependency of @e3d/cli: resolve its loader from there (it is not hoisted to the root).
tsx_loader() {
  node -e '
    const { createRequire } = require("node:module");
    const { pathToFileURL } = require("node:url");
    process.stdout.write(pathToFileURL(createRequire(process.argv[1]).resolve("tsx")).href);
  ' "$APP_ROOT/apps/cli/package.json"
}

run_ts() { # file.ts args...
  loader=$(tsx_loader)
  exec node --import "$loader" "$@"
}

next_server() { # app, port
  export PORT="$2"
  export HOSTNAME="${HOSTNAME:-0.0.0.0}"
  # Longer than the ALB's idle timeout (60 s), so the load balancer closes idle connections first.
  export KEEP_ALIVE_TIMEOUT="${KEEP_ALIVE_TIMEOUT:-65000}"
  remember "$1" "http://127.0.0.1:$PORT/healthz"
  exec node "$APP_ROOT/web/$1/apps/$1/server.js"
}

healthcheck() {
  if [ $# -gt 0 ]; then
    service=$1
    pid=
    url=
    case "$service" in
      api) url="http://127.0.0.1:${API_PORT:-4000}/api/healthz" ;;
      web-client) url="http://127.0.0.1:${PORT:-${STOREFRONT_PORT:-3000}}/healthz" ;;
      admin) url="http://127.0.0.1:${PORT:-${ADMIN_PORT:-3001}}/healthz" ;;
    esac
  elif [ -r "$STATE_FILE" ]; then
    { read -r service; read -r pid; read -r url || true; } <"$STATE_FILE"
  else
    echo "healthcheck: no service has started in this container" >&2
    exit 1
  fi
  if [ -n "$url" ]; then
    exec node -e '
      fetch(process.argv[1], { signal: AbortSignal.timeout(4000) }).then(
        (res) => {
          if (!res.ok) console.error(`healthcheck: ${process.argv[1]} answered ${res.status}`);
          process.exit(res.ok ? 0 : 1);
        },
        (error) => {
          console.error(`healthcheck: ${process.argv[1]}: ${error.cause?.code ?? error.message}`);
          process.exit(1);
        },
      );
    ' "$url"
  fi
  # worker, migrate: no port; healthy while the process runs.
  if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then exit 0; fi
  echo "healthcheck: $service is not running" >&2
  exit 1
}

service="${1:-api}"
[ $# -gt 0 ] && shift

case "$service" in
  api)
    remember api "http://127.0.0.1:${API_PORT:-4000}/api/healthz"
    run_ts apps/cli/src/main.ts api "$@"
    ;;
  worker)
    remember worker ''
    run_ts apps/worker/src/main.ts "$@"
    ;;
  migrate)
    remember migrate ''
    run_ts apps/cli/src/main.ts db migrate "$@"
    ;;
  web-client)
    next_server web-client "${PORT:-${STOREFRONT_PORT:-3000}}"
    ;;
  admin)
    next_server admin "${PORT:-${ADMIN_PORT:-3001}}"
    ;;
  healthcheck)
    healthcheck "$@"
    ;;
  e3d)
    run_ts apps/cli/src/main.ts "$@"
    ;;
  *)
    echo "usage: entrypoint.sh api | worker | migrate | web-client | admin | healthcheck [service] | e3d <command>" >&2
    echo "unknown command: $service" >&2
    exit 64
    ;;
esac
