#!/usr/bin/env bash
# Checks the system libraries that pip cannot install: Pango (WeasyPrint's text
# layout), a font with Vietnamese glyphs (PDF reports) and gettext's msgfmt
# (the Vietnamese catalogue). Installs them with apt-get when we may; otherwise
# stops and says exactly what to install.
set -euo pipefail

missing=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=vi family 2>/dev/null | head -n 1)" ]; then
  missing+=(fontconfig fonts-dejavu-core)
fi
# Official reports are set in a Times-compatible serif: Liberation Serif 2 (version 1,
# from fonts-liberation, lacks Vietnamese letters). reports/fonts.py checks the glyphs.
[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing+=(fonts-liberation2)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "UnionPortal cần các gói hệ thống: ${missing[*]}"
echo "(UnionPortal needs these system packages: ${missing[*]})"
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  echo "Đã cài đặt: ${missing[*]}"
  exit 0
fi
echo "Hãy cài bằng lệnh: sudo apt-get install ${missing[*]}"
echo "Then run the command again."
exit 1
