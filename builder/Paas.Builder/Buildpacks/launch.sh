#!/bin/bash
# The entry point of buildpack-built images: what a buildpack put in .profile.d (PATH of a virtualenv,
# say) applies to every process, then the process's own command runs.
export HOME=/app
cd /app || exit 1
for f in /app/.profile.d/*.sh; do [ -r "$f" ] && . "$f"; done
exec "$@"
