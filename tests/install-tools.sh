#!/usr/bin/env bash
# Install the Debian test tools (Chromium, jing, poppler, qpdf, epubcheck) when missing.
# Only for tests: the edition itself needs nothing but PyPI (and npm for web assets).
set -euo pipefail
need=()
command -v jing >/dev/null || need+=(jing)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v qpdf >/dev/null || need+=(qpdf)
command -v java >/dev/null || need+=(default-jre-headless)   # the Nu HTML checker (vnu-jar) runs on it
[ -f /usr/share/java/epubcheck.jar ] || need+=(epubcheck)            # the EPUB output is checked with it
[ -f /usr/share/dict/british-english ] || need+=(wbritish)
[ -f /usr/share/dict/american-english ] || need+=(wamerican)
exec bash "$(dirname "$0")/../.ci/apt-install.sh" "test tools" "tests that need them are skipped" ${need[@]+"${need[@]}"}
