#!/bin/bash
# Runs inside the build container (the stack image). The builder put the pushed tree in /app, the
# buildpacks in /tmp/buildpacks/<n> (listed in order, "<n> TAB <name>", in /tmp/buildpacks/order),
# the app's config in /tmp/env and mounted the app's build cache at /tmp/cache.
# mode "detect": the first buildpack whose bin/detect accepts the app runs; mode "all": each listed
# one runs, in order (BUILDPACK_URL, .buildpacks), and must accept the app as it is when its turn comes. Results go to /tmp/paas-result for the builder:
# release-<n>.yml (bin/release output) and, on failure, "failed" (the buildpack's name).
# Exit codes: 0 built, 30 no buildpack applies, 31 a named buildpack refused the app, 32 compile failed.
set -uo pipefail
build=/app cache=/tmp/cache env_dir=/tmp/env out=/tmp/paas-result
mode=$(cat /tmp/buildpacks/mode)
mkdir -p "$out" "$cache" "$env_dir"
# A named buildpack is asked (bin/detect) just before it compiles, so it sees what the ones before it made.
detect() { # n name
  local bp=/tmp/buildpacks/$1 detected
  if [ ! -x "$bp/bin/detect" ] || [ ! -x "$bp/bin/compile" ]; then
    echo " !     Buildpack $2 has no bin/detect and bin/compile"; return 1
  fi
  detected=$("$bp/bin/detect" "$build" 2>&1) || return 1
  echo "-----> ${detected:-$2} app detected"
}
chosen=()
while IFS=$'\t' read -r n name; do
  [ -n "$n" ] || continue
  if [ "$mode" = all ]; then chosen+=("$n"); continue; fi
  if detect "$n" "$name"; then chosen+=("$n"); break; fi
done </tmp/buildpacks/order
if [ ${#chosen[@]} -eq 0 ]; then exit 30; fi
for n in "${chosen[@]}"; do
  bp=/tmp/buildpacks/$n
  name=$(awk -F'\t' -v n="$n" '$1 == n { print $2 }' /tmp/buildpacks/order)
  if [ "$mode" = all ] && ! detect "$n" "$name"; then
    echo "$name" >"$out/failed"; exit 31
  fi
  if ! (cd "$build" && "$bp/bin/compile" "$build" "$cache" "$env_dir"); then
    echo "$name" >"$out/failed"; exit 32
  fi
  if [ -x "$bp/bin/release" ]; then
    (cd "$build" && "$bp/bin/release" "$build") >"$out/release-$n.yml" || true
  fi
done
exit 0
