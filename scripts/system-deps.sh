#!/usr/bin/env bash
# The system programs the tests and examples use as a reference or inside
# namespaces: ps (procps), ip (iproute2), setpriv (util-linux). nsrepl does
# not call them itself. Installed only where missing, and only as root.
set -euo pipefail
missing=()
command -v ps >/dev/null || missing+=(procps)
command -v ip >/dev/null || missing+=(iproute2)
command -v setpriv >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
