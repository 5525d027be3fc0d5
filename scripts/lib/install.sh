# Installs what Paas needs from Debian's archive, only what is missing (idempotent).
# Used by scripts/up and scripts/test, so a fresh machine needs nothing else but the .NET SDK.

PAAS_PACKAGES=(docker.io docker-registry busybox-static rabbitmq-server git curl iproute2 iptables ca-certificates openssh-client openssh-server debootstrap)

install_packages() {
  local missing=() p
  for p in "${PAAS_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "paas: installing ${missing[*]} (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || { echo "paas: apt-get update failed" >&2; return 1; }
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null </dev/null \
      || { echo "paas: apt-get install ${missing[*]} failed" >&2; return 1; }
  fi
  # Debian starts these as system services where it can; Paas runs its own instances.
  command -v dotnet >/dev/null || { echo "paas: the .NET SDK (dotnet) is required and not on PATH" >&2; return 1; }
}
