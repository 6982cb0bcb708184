#!/usr/bin/env bash
# Sets up broadcast in ./.venv (idempotent). Works on a fresh Debian with Python 3.11+,
# as root or as a user with sudo. Extra Debian packages are installed only when missing.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "broadcast needs Python 3.11 or newer" >&2; exit 1; }
python3 -c 'import ensurepip, venv' 2>/dev/null || need_apt+=(python3-venv)
# Reports use Times New Roman (Nghị định 30); Debian lacks it: Liberation Serif has the same metrics,
# so a report prints with the same line breaks and pages.
[ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need_apt+=(fonts-liberation2)
# Nhập văn bản reads scans and photos with Debian's OCR and its Vietnamese model, PDF pages with poppler.
command -v tesseract >/dev/null && [ -e /usr/share/tesseract-ocr/5/tessdata/vie.traineddata ] || need_apt+=(tesseract-ocr tesseract-ocr-vie)
command -v pdftoppm >/dev/null || need_apt+=(poppler-utils)
if [ "${1:-}" = "--test" ]; then
  # The report test prints a DOCX to PDF with LibreOffice and reads the pages back (poppler); the
  # import tests print the real plans to PDF with it.
  command -v soffice >/dev/null || need_apt+=(libreoffice-writer-nogui)

  # The playout tests use a real sound server with a null sink, and its client tools.
  command -v pulseaudio >/dev/null || need_apt+=(pulseaudio)
  command -v pacat >/dev/null || need_apt+=(pulseaudio-utils)
  # The Icecast tests run a real server on loopback.
  command -v icecast2 >/dev/null || need_apt+=(icecast2)
  # The console's browser tests drive Debian's chromium (Playwright cannot download a browser here).
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  # The slow-disk test builds a small LD_PRELOAD library that makes every fsync take 2.5 s.
  command -v cc >/dev/null || need_apt+=(gcc libc6-dev)
  # The province hub's tests start a throwaway PostgreSQL cluster with Debian's initdb and pg_ctl.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt+=(postgresql)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "from broadcast import i18n; i18n.compile_catalog('vi')"   # the Vietnamese catalog (.po -> .mo)
