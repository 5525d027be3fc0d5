# Starting and stopping the whole platform in one state directory: the services it runs on
# (PostgreSQL, RabbitMQ, dockerd, registry) and its own components (controller, builder, router).
# scripts/up uses this for the machine's platform; the test fixtures use it (through
# scripts/platform) for a throwaway platform on free ports, so both start it the same way.
#
# Settings (environment; defaults are the machine platform's):
#   PAAS_CONTROLLER_PORT 8000, PAAS_BUILDER_PORT 8001, PAAS_ROUTER_PORT 8080, PAAS_ROUTER_TLS_PORT 8443,
#   PAAS_SSH_PORT 2222 (git push over SSH; PAAS_SSH_LISTEN 127.0.0.1), PAAS_PG_PORT 5433, PAAS_RABBITMQ_PORT 5672, PAAS_REGISTRY_PORT 5000, PAAS_DOMAIN localhost,
#   PAAS_CONFIGURATION Release (which build of the components to run), PAAS_REGISTRATION_MODE enabled.
#   PAAS_SCHEDULER docker|kubernetes; with kubernetes: KUBECONFIG (the cluster), optionally PAAS_K8S_PLATFORM
#   and PAAS_K8S_SERVICE_ADDRESS. The choice is kept in STATE/scheduler, so a later start without these
#   variables runs the apps where they already run.
# Writes STATE/env: the addresses of everything, as KEY=VALUE lines.

PAAS_REPO=${PAAS_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$PAAS_REPO/scripts/lib/services.sh"

platform_settings() {
  CONTROLLER_PORT=${PAAS_CONTROLLER_PORT:-8000}
  BUILDER_PORT=${PAAS_BUILDER_PORT:-8001}
  ROUTER_PORT=${PAAS_ROUTER_PORT:-8080}
  ROUTER_TLS_PORT=${PAAS_ROUTER_TLS_PORT:-8443}
  SSH_PORT=${PAAS_SSH_PORT:-2222}
  PG_PORT=${PAAS_PG_PORT:-5433}
  RABBITMQ_PORT=${PAAS_RABBITMQ_PORT:-5672}
  REGISTRY_PORT=${PAAS_REGISTRY_PORT:-5000}
  DOMAIN=${PAAS_DOMAIN:-localhost}
  CONFIGURATION=${PAAS_CONFIGURATION:-Release}
}

component_dll() { # name -> path of its built dll
  case "$1" in
    controller) echo "$PAAS_REPO/controller/Paas.Controller/bin/$CONFIGURATION/net10.0/Paas.Controller.dll" ;;
    builder) echo "$PAAS_REPO/builder/Paas.Builder/bin/$CONFIGURATION/net10.0/Paas.Builder.dll" ;;
    router) echo "$PAAS_REPO/router/Paas.Router/bin/$CONFIGURATION/net10.0/Paas.Router.dll" ;;
    cli) echo "$PAAS_REPO/cli/Paas.Cli/bin/$CONFIGURATION/net10.0/paas.dll" ;;
  esac
}

# Starts one component in the background unless it already runs the same build.
component_start() { # state name port env...
  local state=$1 name=$2 port=$3; shift 3
  local dll; dll=$(component_dll "$name")
  [ -f "$dll" ] || svc_die "$dll is missing: build first (dotnet build -c $CONFIGURATION)"
  local stamp; stamp=$(md5sum "$dll" | cut -c1-32)
  if pid_alive "$state/run/$name.pid" && [ "$(cat "$state/run/$name.stamp" 2>/dev/null)" = "$stamp" ] \
     && curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
    svc_log "$name already running"; return 0
  fi
  stop_pid "$state/run/$name.pid" 10
  mkdir -p "$state/run" "$state/logs"
  (cd "$(dirname "$dll")" && exec setsid env "$@" dotnet "$dll" --urls "http://127.0.0.1:$port" \
     >>"$state/logs/$name.log" 2>&1 </dev/null) &
  echo $! >"$state/run/$name.pid"
  echo "$stamp" >"$state/run/$name.stamp"
}

component_wait() { # state name port
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$3/healthz" >/dev/null 2>&1 && return 0
    pid_alive "$1/run/$2.pid" || { tail -n 40 "$1/logs/$2.log" >&2; svc_die "$2 exited during start (log: $1/logs/$2.log)"; }
    sleep 0.1
  done
  tail -n 40 "$1/logs/$2.log" >&2
  svc_die "$2 did not become healthy on port $3 (log: $1/logs/$2.log)"
}

# Where apps run: from the environment, else as the platform in STATE last ran them (STATE/scheduler).
scheduler_settings() { # state
  local file="$1/scheduler"
  if [ -z "${PAAS_SCHEDULER:-}" ] && [ -f "$file" ]; then
    # shellcheck disable=SC1090
    set -a; . "$file"; set +a
  fi
  PAAS_SCHEDULER=${PAAS_SCHEDULER:-docker}
  case "$PAAS_SCHEDULER" in
    docker) ;;
    kubernetes)
      [ -n "${KUBECONFIG:-}" ] || svc_die "PAAS_SCHEDULER=kubernetes needs KUBECONFIG=FILE (the cluster the apps run on)"
      KUBECONFIG=$(readlink -f "$KUBECONFIG")
      [ -f "$KUBECONFIG" ] || svc_die "KUBECONFIG $KUBECONFIG does not exist"
      export KUBECONFIG ;;
    *) svc_die "PAAS_SCHEDULER must be docker or kubernetes (got $PAAS_SCHEDULER)" ;;
  esac
  export PAAS_SCHEDULER
  mkdir -p "$1"
  {
    echo "PAAS_SCHEDULER=$PAAS_SCHEDULER"
    if [ "$PAAS_SCHEDULER" = kubernetes ]; then
      echo "KUBECONFIG=$KUBECONFIG"
      [ -z "${PAAS_K8S_PLATFORM:-}" ] || echo "PAAS_K8S_PLATFORM=$PAAS_K8S_PLATFORM"
      [ -z "${PAAS_K8S_SERVICE_ADDRESS:-}" ] || echo "PAAS_K8S_SERVICE_ADDRESS=$PAAS_K8S_SERVICE_ADDRESS"
    fi
  } >"$file"
}

platform_start() { # state
  local state=$1
  platform_settings
  scheduler_settings "$state"
  mkdir -p "$state/logs" "$state/run"; chmod 755 "$state"
  local token_file="$state/service-token"
  [ -s "$token_file" ] || { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$token_file"; chmod 600 "$token_file"; }
  local token; token=$(cat "$token_file")

  # The services, side by side.
  local pids=() failed=0
  postgres_start "$state/postgres" "$PG_PORT" & pids+=($!)
  rabbitmq_start "$state/rabbitmq" "$RABBITMQ_PORT" & pids+=($!)
  registry_start "$state/registry" "$REGISTRY_PORT" & pids+=($!)
  dockerd_start "$state/docker" >"$state/run/docker-host" & pids+=($!)
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  [ $failed = 0 ] || svc_die "a service did not start; see the messages above"
  local docker_host; docker_host=$(sed -n 's/^DOCKER_HOST=//p' "$state/run/docker-host")
  base_image "$docker_host"
  stack_image "$docker_host"

  local database="Host=127.0.0.1;Port=$PG_PORT;Database=paas;Username=paas"
  local rabbit="amqp://guest:guest@127.0.0.1:$RABBITMQ_PORT/"
  local controller_url="http://127.0.0.1:$CONTROLLER_PORT"
  local builder_url="http://127.0.0.1:$BUILDER_PORT"
  component_start "$state" controller "$CONTROLLER_PORT" \
    PAAS_DATABASE="$database" PAAS_RABBITMQ="$rabbit" DOCKER_HOST="$docker_host" PAAS_SERVICE_TOKEN="$token" \
    PAAS_DOMAIN="$DOMAIN" PAAS_BUILDER_URL="$builder_url" PAAS_ROUTER_PORT="$ROUTER_PORT" \
    PAAS_REGISTRATION_MODE="${PAAS_REGISTRATION_MODE:-enabled}" PAAS_SCHEDULER="$PAAS_SCHEDULER" \
    ${KUBECONFIG:+KUBECONFIG="$KUBECONFIG"} ${PAAS_K8S_PLATFORM:+PAAS_K8S_PLATFORM="$PAAS_K8S_PLATFORM"} \
    ${PAAS_K8S_SERVICE_ADDRESS:+PAAS_K8S_SERVICE_ADDRESS="$PAAS_K8S_SERVICE_ADDRESS"}
  sshd_start "$state/ssh" "$SSH_PORT" "$(component_dll builder)"
  component_start "$state" builder "$BUILDER_PORT" \
    PAAS_RABBITMQ="$rabbit" DOCKER_HOST="$docker_host" PAAS_SERVICE_TOKEN="$token" PAAS_CONTROLLER_URL="$controller_url" \
    PAAS_REGISTRY="127.0.0.1:$REGISTRY_PORT" PAAS_GIT_ROOT="$state/git" PAAS_SSH_SOCKET="$state/ssh/sock/builder.sock" \
    ${PAAS_BUILD_TIMEOUT:+PAAS_BUILD_TIMEOUT="$PAAS_BUILD_TIMEOUT"} ${PAAS_MAX_PUSH_MB:+PAAS_MAX_PUSH_MB="$PAAS_MAX_PUSH_MB"}
  component_start "$state" router "$ROUTER_PORT" \
    PAAS_CONTROLLER_URL="$controller_url" PAAS_SERVICE_TOKEN="$token" \
    PAAS_ROUTER_HTTPS_URL="https://127.0.0.1:$ROUTER_TLS_PORT"
  component_wait "$state" controller "$CONTROLLER_PORT"
  component_wait "$state" builder "$BUILDER_PORT"
  component_wait "$state" router "$ROUTER_PORT"

  cat >"$state/env" <<EOF
PAAS_CONTROLLER_URL=$controller_url
PAAS_BUILDER_URL=$builder_url
PAAS_ROUTER_URL=http://127.0.0.1:$ROUTER_PORT
PAAS_ROUTER_PORT=$ROUTER_PORT
PAAS_ROUTER_TLS_PORT=$ROUTER_TLS_PORT
PAAS_SSH_PORT=$SSH_PORT
PAAS_DOMAIN=$DOMAIN
PAAS_DATABASE=$database
PAAS_RABBITMQ=$rabbit
PAAS_REGISTRY=127.0.0.1:$REGISTRY_PORT
DOCKER_HOST=$docker_host
PAAS_SERVICE_TOKEN=$token
PAAS_CLI_DLL=$(component_dll cli)
PAAS_SCHEDULER=$PAAS_SCHEDULER
EOF
}

platform_stop() { # state [--keep-containers]
  local state=$1 name
  for name in router builder controller; do stop_pid "$state/run/$name.pid" 15; done
  sshd_stop "$state/ssh"
  registry_stop "$state/registry"
  dockerd_stop "$state/docker" "${2:-}"
  rabbitmq_stop "$state/rabbitmq"
  postgres_stop "$state/postgres"
}
