#!/usr/bin/env bash
# Install the Debian bench tools when missing: pdflatex with reledmac (the baseline of bench_print).
set -euo pipefail
need=()
command -v pdflatex >/dev/null || need+=(texlive-latex-base)
kpsewhich reledmac.sty >/dev/null 2>&1 || need+=(texlive-humanities texlive-latex-extra)
kpsewhich lmodern.sty >/dev/null 2>&1 || need+=(lmodern)   # the reledmac file's face (a recommends, not a depends)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "missing bench tools: ${need[*]} (install them with apt-get as root; bench_print skips reledmac)" >&2
  exit 0
fi
echo "installing bench tools: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
