# Making Paas's container images without pulling anything from the internet (scripts/k8s-install and
# the chart's tests use this):
#   - paas/debian: a Debian bookworm root filesystem made by debootstrap from Debian's mirror, kept as a
#     tar in the cache and `docker import`ed;
#   - the service images (images/*/Dockerfile: dotnet, dind, postgres, rabbitmq, registry, toolbox),
#     built FROM it with Debian's packages;
#   - the components (controller/, builder/, router/ Dockerfile), built FROM paas/dotnet with their
#     `dotnet publish` output as the build context.
# Every image is tagged paas/<name>:<hash of what it is made of> (its Dockerfile directory, its build
# context or sources, its parents' tags), so a second run finds them all and builds nothing.
#
# Settings: PAAS_IMAGE_CACHE (default ~/.cache/paas-images: the rootfs tar and the publish outputs),
# PAAS_DEBIAN_MIRROR (default http://deb.debian.org/debian).
# Needs root for debootstrap; the Docker engine is the DOCKER_HOST given to each function.

PAAS_REPO=${PAAS_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
IMAGES_CACHE=${PAAS_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/paas-images}
IMAGES_MIRROR=${PAAS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
IMAGES_SUITE=bookworm
# Every image k8s-install ships, in build order (a parent before its children).
PAAS_IMAGES=(dotnet dind postgres rabbitmq registry toolbox controller builder router)
# The legacy builder: the engine may be Debian's 20.10 without buildx; it is all these Dockerfiles need.
export DOCKER_BUILDKIT=0

images_log() { [ -n "${IMAGES_QUIET:-}" ] || echo "images: $*" >&2; }
images_die() { echo "images: $*" >&2; return 1; }

# Build outputs, left out of hashes and publish sources: a project's bin/ and obj/ (not every bin/: a buildpack
# keeps its scripts in bin/).
IMAGES_NOT_SOURCES=(! -path '*/Paas.*/bin/*' ! -path '*/obj/*')

# sha256 (12 hex digits) of the names and contents of the files under DIR's relative PATHS, build outputs left out.
images_hash_tree() { # dir paths...
  local dir=$1; shift
  (cd "$dir" && find "$@" -type f "${IMAGES_NOT_SOURCES[@]}" -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) \
    | sha256sum | cut -c1-12
}

images_hash_text() { printf '%s\n' "$@" | sha256sum | cut -c1-12; }

image_present() { DOCKER_HOST=$1 docker image inspect "$2" >/dev/null 2>&1; }

# Builds REF from DOCKERFILE with CONTEXT unless the engine has it. The output goes to a log, shown on failure.
image_build() { # docker_host ref dockerfile context [docker build args...]
  local host=$1 ref=$2 dockerfile=$3 context=$4; shift 4
  if image_present "$host" "$ref"; then return 0; fi
  images_log "building $ref"
  local log; log=$(mktemp /tmp/paas-image-build.XXXXXX)
  if ! DOCKER_HOST=$host docker build --force-rm -t "$ref" -f "$dockerfile" "$@" "$context" >"$log" 2>&1; then
    tail -n 30 "$log" >&2; rm -f "$log"
    images_die "building $ref failed"
    return 1
  fi
  rm -f "$log"
}

# --- paas/debian ------------------------------------------------------------------------------
images_debootstrap_args() { echo "--variant=minbase --include=ca-certificates $IMAGES_SUITE $IMAGES_MIRROR"; }

# What debootstrap made, as a tar: made once per set of arguments (several callers may ask at once: one
# makes it, the others wait for it). It is the slow part (minutes); paas/debian is made from it in seconds.
images_debian_rootfs() { # -> path of the tar
  local key tar
  key=$(images_hash_text "debootstrap $(images_debootstrap_args)")
  tar="$IMAGES_CACHE/rootfs/debootstrap-$IMAGES_SUITE-$key.tar"
  mkdir -p "$IMAGES_CACHE/rootfs"
  (
    flock 8
    [ -s "$tar" ] && exit 0
    command -v debootstrap >/dev/null || { images_log "installing debootstrap (apt-get)"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null </dev/null; } \
      || images_die "debootstrap is missing and could not be installed" || exit 1
    root="$IMAGES_CACHE/rootfs/work-$key"
    rm -rf "$root"
    images_log "making a Debian $IMAGES_SUITE root filesystem with debootstrap from $IMAGES_MIRROR (once; a few minutes)"
    # shellcheck disable=SC2046 # the arguments are words
    if ! debootstrap $(images_debootstrap_args) "$root" >"$IMAGES_CACHE/rootfs/debootstrap.log" 2>&1; then
      tail -n 20 "$IMAGES_CACHE/rootfs/debootstrap.log" >&2; rm -rf "$root"
      images_die "debootstrap failed (log: $IMAGES_CACHE/rootfs/debootstrap.log)"; exit 1
    fi
    tar --numeric-owner -C "$root" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$root"
  ) 8>"$IMAGES_CACHE/rootfs/.lock" || return 1
  echo "$tar"
}

# Made into an image root: no downloaded packages, package lists or documentation, and apt set up as in
# Debian's own container images (it keeps no .deb files and no package caches in the layers it makes).
IMAGES_ROOTFS_CLEANUP=v2
images_debian_cleanup() { # root
  local root=$1
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log "$root"/var/cache/debconf/*-old
  cat >"$root/etc/apt/apt.conf.d/90paas-container" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
Acquire::GzipIndexes "true";
Acquire::CompressionTypes::Order:: "gz";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT
  printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/locale/*\npath-include /usr/share/locale/locale.alias\n' \
    >"$root/etc/dpkg/dpkg.cfg.d/90paas-container"
}

images_debian() { # docker_host -> ref
  local host=$1 ref tar root
  ref="paas/debian:$(images_hash_text "$(images_debootstrap_args)" "$IMAGES_ROOTFS_CLEANUP")"
  if ! image_present "$host" "$ref"; then
    tar=$(images_debian_rootfs) || return 1
    images_log "importing $ref"
    root=$(mktemp -d /tmp/paas-rootfs.XXXXXX)
    tar -C "$root" -xf "$tar" && images_debian_cleanup "$root" \
      && tar --numeric-owner -C "$root" -c . | DOCKER_HOST=$host docker import \
           -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["/bin/bash"]' - "$ref" >/dev/null \
      || { rm -rf "$root"; images_die "making $ref from $tar failed"; return 1; }
    rm -rf "$root"
  fi
  echo "$ref"
}

# --- service images ---------------------------------------------------------------------------
# The ASP.NET Core runtime of this machine's dotnet, copied into the build context.
images_dotnet() { # docker_host base_ref -> ref
  local host=$1 base=$2 root runtimes ref context
  root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  runtimes=$(dotnet --list-runtimes | grep -E '^Microsoft\.(NETCore|AspNetCore)\.App ' | sort)
  ref="paas/dotnet:$(images_hash_text "$base" "$runtimes" "$(images_hash_tree "$PAAS_REPO/images/dotnet" .)")"
  if ! image_present "$host" "$ref"; then
    context=$(mktemp -d /tmp/paas-dotnet-context.XXXXXX)
    mkdir -p "$context/dotnet/shared"
    cp -a "$root/dotnet" "$root/host" "$context/dotnet/"
    cp -a "$root/shared/Microsoft.NETCore.App" "$root/shared/Microsoft.AspNetCore.App" "$context/dotnet/shared/"
    image_build "$host" "$ref" "$PAAS_REPO/images/dotnet/Dockerfile" "$context" --build-arg "BASE=$base" \
      || { rm -rf "$context"; return 1; }
    rm -rf "$context"
  fi
  echo "$ref"
}

images_service() { # docker_host name base_ref -> ref (images/<name> is Dockerfile and context)
  local host=$1 name=$2 base=$3 ref
  ref="paas/$name:$(images_hash_text "$base" "$(images_hash_tree "$PAAS_REPO/images/$name" .)")"
  image_build "$host" "$ref" "$PAAS_REPO/images/$name/Dockerfile" "$PAAS_REPO/images/$name" --build-arg "BASE=$base" || return 1
  echo "$ref"
}

# --- components -------------------------------------------------------------------------------
images_project() { # component -> its csproj, relative to the repo
  case "$1" in
    controller) echo controller/Paas.Controller/Paas.Controller.csproj ;;
    builder) echo builder/Paas.Builder/Paas.Builder.csproj ;;
    router) echo router/Paas.Router/Paas.Router.csproj ;;
    *) images_die "no such component: $1" ;;
  esac
}

# The project's directory and those of every project it references, transitively.
images_project_dirs() { # csproj (repo-relative)
  local proj=$1 dir ref
  dir=$(dirname "$proj")
  echo "$dir"
  for ref in $(grep -o 'ProjectReference Include="[^"]*"' "$PAAS_REPO/$proj" | sed 's/.*Include="//; s/"$//; s#\\#/#g'); do
    images_project_dirs "$(realpath -m --relative-to="$PAAS_REPO" "$PAAS_REPO/$dir/$ref")"
  done
}

images_component_sources() { # component -> repo-relative paths its build reads
  local proj; proj=$(images_project "$1") || return 1
  # The builder ships the buildpacks beside its project (its csproj copies ../buildpacks into the output).
  { images_project_dirs "$proj"; [ "$1" = builder ] && echo builder/buildpacks
    echo Directory.Build.props; echo Directory.Packages.props; echo global.json
    [ -f "$PAAS_REPO/nuget.config" ] && echo nuget.config; [ -f "$PAAS_REPO/NuGet.Config" ] && echo NuGet.Config; } | sort -u
}

# `dotnet publish` of a copy of exactly the hashed sources (not the working tree's obj/, which other builds
# use), cached by that hash.
images_publish() { # component -> publish dir
  local name=$1 proj sources hash out work
  proj=$(images_project "$name") || return 1
  mapfile -t sources < <(images_component_sources "$name")
  hash=$(images_hash_tree "$PAAS_REPO" "${sources[@]}")
  out="$IMAGES_CACHE/publish/$name-$hash"
  if [ ! -f "$out/.done" ]; then
    images_log "publishing $name (dotnet publish -c Release)"
    work=$(mktemp -d /tmp/paas-publish.XXXXXX)
    (cd "$PAAS_REPO" && find "${sources[@]}" -type f "${IMAGES_NOT_SOURCES[@]}" -print0 | tar --null -T - -cf - | tar -C "$work" -xf -) \
      || { rm -rf "$work"; images_die "copying the sources of $name failed"; return 1; }
    rm -rf "$out"; mkdir -p "$out"
    if ! dotnet publish "$work/$proj" -c Release -o "$out" -p:UseAppHost=false -nologo -v quiet -clp:ErrorsOnly \
        >"$work/publish.log" 2>&1; then
      cat "$work/publish.log" >&2; rm -rf "$work" "$out"
      images_die "dotnet publish of $name failed"; return 1
    fi
    rm -rf "$work"
    # Earlier outputs of this component are not needed any more.
    find "$IMAGES_CACHE/publish" -maxdepth 1 -name "$name-*" ! -name "$name-$hash" -exec rm -rf {} +
    echo "$hash" >"$out/.done"
  fi
  echo "$out"
}

images_component() { # docker_host name base_ref dind_ref -> ref
  local host=$1 name=$2 base=$3 dind=$4 dir ref
  dir=$(images_publish "$name") || return 1
  ref="paas/$name:$(images_hash_text "$base" "$dind" "$(cat "$dir/.done")" "$(images_hash_tree "$PAAS_REPO/$name" Dockerfile)")"
  image_build "$host" "$ref" "$PAAS_REPO/$name/Dockerfile" "$dir" --build-arg "BASE=$base" --build-arg "DIND=$dind" || return 1
  echo "$ref"
}

# --- everything -------------------------------------------------------------------------------
# Builds every image k8s-install ships (what is present is kept) and prints "name=ref" lines.
# The images made with apt-get build side by side while the components are published.
images_build_all() { # docker_host
  local host=$1 debian dotnet dind out name failed=0
  DOCKER_HOST=$host docker version >/dev/null 2>&1 || { images_die "no Docker engine answers at $host"; return 1; }
  debian=$(images_debian "$host") || return 1
  out=$(mktemp -d /tmp/paas-images.XXXXXX)
  local pids=()
  images_dotnet "$host" "$debian" >"$out/dotnet" & pids+=($!)
  for name in dind postgres rabbitmq registry toolbox; do
    images_service "$host" "$name" "$debian" >"$out/$name" & pids+=($!)
  done
  for name in controller builder router; do images_publish "$name" >/dev/null || failed=1; done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  [ $failed = 0 ] || { rm -rf "$out"; images_die "some images could not be made (see above)"; return 1; }
  dotnet=$(cat "$out/dotnet"); dind=$(cat "$out/dind")
  for name in controller builder router; do
    images_component "$host" "$name" "$dotnet" "$dind" >"$out/$name" || { rm -rf "$out"; return 1; }
  done
  for name in "${PAAS_IMAGES[@]}"; do echo "$name=$(cat "$out/$name")"; done
  rm -rf "$out"
}

# The images a platform runs (paas/dotnet is only a parent) and the chart value naming each one's tag.
images_chart_tag_value() { # name -> values path
  case "$1" in
    controller|builder|router|registry|postgres|rabbitmq|toolbox) echo "$1.image.tag" ;;
    dind) echo builder.dind.image.tag ;;
    *) return 1 ;;
  esac
}

# Removes from the engine the earlier builds of Paas's images (tags of paas/<name> and <registry>/paas/<name>
# other than those given), so repeated installs do not fill its disk. Containers running them keep running.
images_prune() { # docker_host registry tag name=ref...   (tag empty: each image's own)
  local host=$1 registry=$2 tag=$3 keep names ref; shift 3
  keep=" $(printf '%s ' "${@#*=}")paas/debian:$(images_hash_text "$(images_debootstrap_args)" "$IMAGES_ROOTFS_CLEANUP") "
  for ref in "$@"; do keep+="$registry/paas/${ref%%=*}:${tag:-${ref##*:}} "; done   # (paas/dotnet is never pushed: no harm)
  names=$(IFS='|'; echo "debian|${PAAS_IMAGES[*]}")
  DOCKER_HOST=$host docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "^([^/]+/)?paas/($names):" | while read -r ref; do
    case "$keep" in *" $ref "*) ;; *) DOCKER_HOST=$host docker rmi "$ref" >/dev/null 2>&1 || true ;; esac
  done
}

# Tags every image as REGISTRY/paas/<name>:TAG (TAG empty: the image's own content tag) and pushes them,
# three at a time (compressing the layers is the slow part). Layers the registry has are not sent again.
images_push() { # docker_host registry tag name=ref...
  local host=$1 registry=$2 tag=$3 line name ref target failed=0 logs; shift 3
  logs=$(mktemp -d /tmp/paas-image-push.XXXXXX)
  local pids=()
  for line in "$@"; do
    name=${line%%=*}; ref=${line#*=}; target="$registry/paas/$name:${tag:-${ref##*:}}"
    if [ ${#pids[@]} -ge 3 ]; then wait "${pids[0]}" || failed=1; pids=("${pids[@]:1}"); fi
    ( DOCKER_HOST=$host docker tag "$ref" "$target" && DOCKER_HOST=$host docker push "$target" ) >"$logs/$name" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  if [ $failed != 0 ]; then
    tail -n 5 "$logs"/* >&2; rm -rf "$logs"
    images_die "pushing to $registry failed"; return 1
  fi
  rm -rf "$logs"
  images_log "pushed ${#} images to $registry${tag:+ with tag $tag}"
}
