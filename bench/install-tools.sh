#!/usr/bin/env bash
# Install the Debian bench tools when missing: pdflatex with reledmac (the baseline of bench_print).
set -euo pipefail
need=()
command -v pdflatex >/dev/null || need+=(texlive-latex-base)
kpsewhich reledmac.sty >/dev/null 2>&1 || need+=(texlive-humanities texlive-latex-extra)
kpsewhich lmodern.sty >/dev/null 2>&1 || need+=(lmodern)   # the reledmac file's face (a recommends, not a depends)
exec bash "$(dirname "$0")/../.ci/apt-install.sh" "bench tools" "bench_print skips reledmac" ${need[@]+"${need[@]}"}
