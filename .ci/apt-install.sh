#!/usr/bin/env bash
# Install Debian packages for the tests or the bench: apt-install.sh WHAT WITHOUT PACKAGE...
# WHAT names them in messages; WITHOUT says what happens when they cannot be installed (not root).
# The edition itself needs nothing from Debian: only PyPI (and npm for web assets).
set -euo pipefail
what=$1 without=$2
shift 2
[ $# -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing $what: $* (install them with apt-get as root; $without)" >&2
  exit 0
fi
echo "installing $what: $*" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$@" >/dev/null
