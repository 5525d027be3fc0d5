# Starting and stopping the real services Paas runs on: PostgreSQL, RabbitMQ, a Docker engine and
# the image registry. Used by scripts/up (for the platform) and by the test fixtures (through
# scripts/svc), so there is one way to run each of them.
#
# Every service lives in its own directory (data, logs, pid file) and listens on loopback only.
# Functions print nothing on success except where noted; they fail with a message on stderr.

svc_die() { echo "svc: $*" >&2; exit 1; }
svc_log() { [ -n "${SVC_QUIET:-}" ] || echo "svc: $*" >&2; }

# A TCP port nothing listens on, in 20000-59999.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! ss -ltnH "sport = :$p" 2>/dev/null | grep -q .; then
      echo "$p"; return 0
    fi
  done
  svc_die "no free port found"
}

port_open() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }

wait_port() { # port seconds what logfile [address]
  local i
  for i in $(seq 1 $(($2 * 10))); do
    port_open "$1" "${5:-127.0.0.1}" && return 0
    sleep 0.1
  done
  [ -n "${4:-}" ] && tail -n 30 "$4" >&2
  svc_die "$3 did not listen on ${5:-127.0.0.1}:$1 within $2 s${4:+ (log: $4)}"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Sends TERM, waits up to $2 seconds, then KILL.
stop_pid() { # pidfile seconds
  [ -f "$1" ] || return 0
  local pid; pid=$(cat "$1")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((${2:-10} * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

# Makes DIR and every parent traversable, so the postgres and rabbitmq users can reach their data.
ensure_traversable() {
  local d; d=$(readlink -f "$1")
  while [ "$d" != "/" ]; do
    if ! runuser -u nobody -- test -x "$d" 2>/dev/null; then
      svc_die "$d is not traversable by other users; PostgreSQL and RabbitMQ run as their own users. Use a state directory under /var/lib or /tmp (PAAS_STATE_DIR)."
    fi
    d=$(dirname "$d")
  done
}

# --- PostgreSQL ------------------------------------------------------------------------------
# initdb and pg_ctl: on PATH where the machine provides them, else Debian's versioned directory.
pg_bin() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  local found; found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] || svc_die "$1 not found: install PostgreSQL (apt-get install postgresql)"
  echo "$found"
}

# Database "paas", user "paas", trust authentication on 127.0.0.1 only.
postgres_start() { # dir port
  local dir=$1 port=$2
  mkdir -p "$dir"; chmod 755 "$dir"; ensure_traversable "$dir"
  chown postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    runuser -u postgres -- "$(pg_bin initdb)" -D "$dir/data" -U paas --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; svc_die "initdb failed"; }
  fi
  if runuser -u postgres -- "$(pg_bin pg_ctl)" -D "$dir/data" status >/dev/null 2>&1; then
    svc_log "postgres already running ($dir)"; return 0
  fi
  runuser -u postgres -- "$(pg_bin pg_ctl)" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${PAAS_PG_FSYNC:-on}" start >/dev/null \
    || { tail -n 30 "$dir/postgres.log" >&2; svc_die "PostgreSQL did not start"; }
  psql -h 127.0.0.1 -p "$port" -U paas -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='paas'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$port" -U paas -d postgres -qc "CREATE DATABASE paas" >/dev/null
}

postgres_stop() { # dir
  [ -f "$1/data/postmaster.pid" ] || return 0
  runuser -u postgres -- "$(pg_bin pg_ctl)" -D "$1/data" -m fast -w stop >/dev/null 2>&1 || true
}

# --- RabbitMQ --------------------------------------------------------------------------------
# Its own node name, Erlang distribution port and epmd port, so several can run side by side.
rabbitmq_start() { # dir port
  local dir=$1 port=$2 rabbit_bin
  rabbit_bin=$(ls -d /usr/lib/rabbitmq/bin 2>/dev/null) || svc_die "rabbitmq-server is not installed (apt-get install rabbitmq-server)"
  mkdir -p "$dir/mnesia" "$dir/log" "$dir/home"; chmod 755 "$dir"; ensure_traversable "$dir"
  if pid_alive "$dir/rabbitmq.pid" && port_open "$port"; then svc_log "rabbitmq already running ($dir)"; return 0; fi
  local dist epmd node attempt
  node="paas$(echo "$dir" | md5sum | cut -c1-8)"
  printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users = none\n' "$port" >"$dir/rabbitmq.conf"
  echo "[]." >"$dir/enabled_plugins"
  # Brokers starting at the same moment can pick the same free epmd/distribution ports and one then dies
  # with "nodistribution": try again with new ports.
  for attempt in 1 2 3; do
    dist=$(free_port); epmd=$(free_port)
    echo "$epmd" >"$dir/epmd.port"
    chown -R rabbitmq:rabbitmq "$dir"
    # setsid: the broker outlives the shell that started it; its pid is the process group leader.
    setsid runuser -u rabbitmq -- env HOME="$dir/home" \
      RABBITMQ_NODENAME="$node@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
      RABBITMQ_DIST_PORT="$dist" ERL_EPMD_PORT="$epmd" RABBITMQ_MNESIA_BASE="$dir/mnesia" \
      RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
      "$rabbit_bin/rabbitmq-server" >"$dir/rabbitmq.out" 2>&1 </dev/null &
    echo $! >"$dir/rabbitmq.pid"
    for _ in $(seq 1 600); do
      port_open "$port" && return 0
      pid_alive "$dir/rabbitmq.pid" || break
      sleep 0.1
    done
    svc_log "RabbitMQ did not start (attempt $attempt); retrying with other ports"
    rabbitmq_stop "$dir"
  done
  tail -n 30 "$dir/rabbitmq.out" >&2
  svc_die "RabbitMQ did not listen on 127.0.0.1:$port (log: $dir/rabbitmq.out)"
}

rabbitmq_stop() { # dir
  local dir=$1
  if [ -f "$dir/rabbitmq.pid" ]; then
    local pid; pid=$(cat "$dir/rabbitmq.pid")
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do pgrep -g "$pid" >/dev/null 2>&1 || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$dir/rabbitmq.pid"
  fi
  if [ -f "$dir/epmd.port" ]; then
    ERL_EPMD_PORT=$(cat "$dir/epmd.port") epmd -kill >/dev/null 2>&1 || true
    rm -f "$dir/epmd.port"
  fi
}

# --- Docker engine ---------------------------------------------------------------------------
# Its own data root, exec root, socket and bridge (named after the directory), so it can run beside
# any other engine on the machine, the Kubernetes harness's included.
docker_bridge_name() { echo "paas$(echo "$1" | md5sum | cut -c1-8)"; }

dockerd_start() { # dir  -> prints DOCKER_HOST=unix://...
  local dir=$1 bridge sock
  command -v dockerd >/dev/null || svc_die "dockerd is not installed (apt-get install docker.io)"
  mkdir -p "$dir/data" "$dir/exec"
  sock="$dir/docker.sock"
  bridge=$(docker_bridge_name "$dir")
  if pid_alive "$dir/docker.pid" && DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1; then
    echo "DOCKER_HOST=unix://$sock"; return 0
  fi
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    local net
    net=$(pick_subnet "$dir") || svc_die "no free 10.x subnet for the Docker bridge"
    ip link add "$bridge" type bridge || svc_die "cannot create bridge $bridge (needs root)"
    ip addr add "$net" dev "$bridge"
    ip link set "$bridge" up
  fi
  # Engines starting at the same moment race on the shared iptables chains (DOCKER-ISOLATION-*), and the
  # loser dies; so engines start one at a time on this machine. The lock is released once this one answers.
  exec 9>/tmp/paas-dockerd-start.lock
  flock -w 120 9 || svc_die "another Docker engine has been starting for 2 minutes (lock /tmp/paas-dockerd-start.lock)"
  setsid dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$sock" --pidfile "$dir/docker.pid" \
    --bridge "$bridge" --storage-driver overlay2 --log-level warn \
    >"$dir/dockerd.log" 2>&1 </dev/null 9>&- &
  for _ in $(seq 1 300); do
    if DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1; then
      exec 9>&-; echo "DOCKER_HOST=unix://$sock"; return 0
    fi
    sleep 0.1
  done
  exec 9>&-
  tail -n 30 "$dir/dockerd.log" >&2
  svc_die "dockerd did not start (log: $dir/dockerd.log)"
}

# A 10.x.y.1/24 not used by any interface, chosen from a hash of the directory.
pick_subnet() {
  local h a b used
  used=$(ip -4 -o addr show | awk '{print $4}')
  h=$(echo "$1" | md5sum | cut -c1-4)
  for i in $(seq 0 200); do
    a=$(( (0x$h + i) % 40 + 200 )); b=$(( (0x$h / 40 + i * 7) % 250 + 1 ))
    echo "$used" | grep -q "^10\.$a\.$b\." || { echo "10.$a.$b.1/24"; return 0; }
  done
  return 1
}

# With --keep-containers (scripts/down) the app containers stay, stopped, and come back with the engine;
# without it (tests) they are removed.
dockerd_stop() { # dir [--keep-containers]
  local dir=$1 sock="unix://$1/docker.sock"
  if pid_alive "$dir/docker.pid"; then
    local ids=""
    [ "${2:-}" = --keep-containers ] || ids=$(DOCKER_HOST=$sock timeout 20 docker ps -aq 2>/dev/null)
    [ -z "$ids" ] || DOCKER_HOST=$sock timeout 60 docker rm -f $ids >/dev/null 2>&1 || true
    stop_pid "$dir/docker.pid" 30
  fi
  # overlay mounts left by a dockerd that was killed
  { grep -o " $dir/[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  local bridge; bridge=$(docker_bridge_name "$dir")
  if ip link show "$bridge" >/dev/null 2>&1; then ip link delete "$bridge" || true; fi
}

# The base image Dockerfile apps build FROM without pulling anything: busybox-static in a rootfs.
base_image() { # docker_host
  local host=$1 root
  DOCKER_HOST=$host docker image inspect paas/busybox:latest >/dev/null 2>&1 && return 0
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "install ok installed" \
    || svc_die "busybox-static is not installed (apt-get install busybox-static)"
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/www" "$root/app"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" -c . | DOCKER_HOST=$host docker import \
    -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - paas/busybox:latest >/dev/null \
    || { rm -rf "$root"; svc_die "docker import of the busybox base image failed"; }
  rm -rf "$root"
}

# --- Registry --------------------------------------------------------------------------------
registry_start() { # dir port
  local dir=$1 port=$2
  command -v docker-registry >/dev/null || svc_die "docker-registry is not installed (apt-get install docker-registry)"
  mkdir -p "$dir/data"
  if pid_alive "$dir/registry.pid" && port_open "$port"; then svc_log "registry already running ($dir)"; return 0; fi
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
  setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
  echo $! >"$dir/registry.pid"
  wait_port "$port" 20 registry "$dir/registry.log"
}

registry_stop() { stop_pid "$1/registry.pid" 10; }

# The stack image of buildpack apps (paas/stack:bookworm).
. "$(dirname "${BASH_SOURCE[0]}")/stack.sh"

# --- SSH push (OpenSSH's sshd) ----------------------------------------------------------------
# sshd on its own port for `git push ssh://git@HOST:PORT/APP.git`. Users log in as "git" with a key
# added by `paas keys:add`: the AuthorizedKeysCommand (the builder's dll, run by dotnet as user git)
# asks the builder who owns the key, and each accepted key gets a forced command that relays the git
# protocol to the builder over its Unix socket in DIR/sock, a directory only root and git can enter.
ssh_user_ensure() {
  id git >/dev/null 2>&1 || useradd --system --no-create-home --home-dir / --shell /bin/sh git \
    || svc_die "cannot create the system user git (for SSH pushes)"
  # sshd refuses a locked account ('!' password); '*' allows key logins only.
  [ "$(getent shadow git | cut -d: -f2)" = "*" ] || usermod -p '*' git
  # sshd changes into the home directory; one that exists keeps "Could not chdir" out of every push.
  [ -d "$(getent passwd git | cut -d: -f6)" ] || usermod -d / git
}

sshd_start() { # dir port builder_dll  (the builder listens on DIR/sock/builder.sock)
  local dir=$1 port=$2 dll=$3
  [ -x /usr/sbin/sshd ] || svc_die "sshd is not installed (apt-get install openssh-server)"
  ssh_user_ensure
  mkdir -p "$dir/sock" /run/sshd; chmod 755 "$dir"
  chown git "$dir/sock"; chmod 700 "$dir/sock"
  [ -f "$dir/host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_ed25519_key" >/dev/null
  local dotnet; dotnet=$(readlink -f "$(command -v dotnet)")
  runuser -u git -- test -r "$dll" || svc_die "user git cannot read $dll, which sshd runs for SSH pushes"
  cat >"$dir/sshd_config" <<CONF
Port $port
ListenAddress ${PAAS_SSH_LISTEN:-127.0.0.1}
HostKey $dir/host_ed25519_key
PidFile $dir/sshd.pid
AllowUsers git
AuthorizedKeysFile none
AuthorizedKeysCommand $dotnet $dll ssh-keys $dir/sock/builder.sock %t %k
AuthorizedKeysCommandUser git
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
PermitTTY no
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
PrintMotd no
LogLevel INFO
CONF
  if pid_alive "$dir/sshd.pid" && port_open "$port" "${PAAS_SSH_LISTEN:-127.0.0.1}"; then
    kill -HUP "$(cat "$dir/sshd.pid")"   # re-read the config (the builder's path may have changed)
  else
    /usr/sbin/sshd -t -f "$dir/sshd_config" 2>"$dir/sshd.log" || { cat "$dir/sshd.log" >&2; svc_die "sshd refused its configuration"; }
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" || svc_die "sshd did not start (log: $dir/sshd.log)"
    wait_port "$port" 10 sshd "$dir/sshd.log" "${PAAS_SSH_LISTEN:-127.0.0.1}"
  fi
}

sshd_stop() { stop_pid "$1/sshd.pid" 10; }
