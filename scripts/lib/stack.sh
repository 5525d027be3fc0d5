# The stack image buildpack apps build and run on: Debian bookworm from Debian's own packages
# (debootstrap, minbase) with the runtimes the shipped buildpacks use, imported as paas/stack:bookworm.
#
# Making the root file system takes a couple of minutes, so it is done once per machine and kept as a
# tarball in $PAAS_STACK_CACHE (default /var/cache/paas/stack), named after the recipe: a new engine
# (scripts/up, every test platform) only imports it, in seconds. Changing the recipe below makes a new one.

PAAS_STACK_IMAGE=${PAAS_STACK_IMAGE:-paas/stack:bookworm}
PAAS_STACK_SUITE=bookworm
# python3-venv brings pip's wheel (apps with requirements install into a virtualenv); nodejs is Debian's
# Node.js 18; ca-certificates lets pip reach a package index over TLS when one is reachable.
PAAS_STACK_PACKAGES=python3,python3-venv,nodejs,ca-certificates
PAAS_STACK_MIRROR=${PAAS_STACK_MIRROR:-http://deb.debian.org/debian}

stack_recipe_id() {
  echo "$PAAS_STACK_SUITE minbase $PAAS_STACK_PACKAGES prune-v1" | md5sum | cut -c1-12
}

# Prints the path of the cached root file system tarball, making it first if needed.
stack_rootfs() {
  local cache=${PAAS_STACK_CACHE:-/var/cache/paas/stack} id tarball
  id=$(stack_recipe_id)
  tarball="$cache/$PAAS_STACK_SUITE-$id.tar"
  [ -s "$tarball" ] && { echo "$tarball"; return 0; }
  command -v debootstrap >/dev/null || svc_die "debootstrap is not installed (apt-get install debootstrap)"
  mkdir -p "$cache"
  # Test platforms start side by side: one makes the tarball, the others wait for it.
  exec 8>"$cache/.lock"
  flock -w 900 8 || svc_die "another process has been making the stack for 15 minutes (lock $cache/.lock)"
  if [ ! -s "$tarball" ]; then
    local root log
    root=$(mktemp -d "$cache/root.XXXXXX")
    log="$cache/debootstrap.log"
    svc_log "making the stack root file system (debootstrap $PAAS_STACK_SUITE; once per machine, a few minutes)"
    if ! debootstrap --variant=minbase --include="$PAAS_STACK_PACKAGES" "$PAAS_STACK_SUITE" "$root" "$PAAS_STACK_MIRROR" >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      rm -rf "$root"; exec 8>&-
      svc_die "debootstrap of $PAAS_STACK_SUITE failed (log: $log)"
    fi
    # What an app never needs at run time: package archives and indexes, documentation, translations.
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
      "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/var/log/*
    mkdir -p "$root/app" "$root/tmp/cache"
    tar -C "$root" --numeric-owner -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$root"
  fi
  exec 8>&-
  echo "$tarball"
}

# Imports the stack into the engine at DOCKER_HOST unless it already has this recipe's stack.
stack_image() { # docker_host
  local host=$1 id have tarball
  id=$(stack_recipe_id)
  have=$(DOCKER_HOST=$host docker image inspect -f '{{index .Config.Labels "paas.stack.recipe"}}' "$PAAS_STACK_IMAGE" 2>/dev/null || true)
  [ "$have" = "$id" ] && return 0
  tarball=$(stack_rootfs) || return 1
  DOCKER_HOST=$host docker import \
    -c "LABEL paas.stack.recipe=$id" -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8' -c 'WORKDIR /app' \
    -c 'CMD ["/bin/bash"]' "$tarball" "$PAAS_STACK_IMAGE" >/dev/null \
    || svc_die "docker import of the stack image failed"
}
