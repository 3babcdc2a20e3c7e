#!/usr/bin/env bash
# Installs the system packages the tests need (PostgreSQL, Chromium, a CJK font)
# when they are missing. As root it installs them; otherwise it says what to install.
set -euo pipefail

missing=()
ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || missing+=(fonts-wqy-microhei)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (postgresql, chromium, fonts-wqy-microhei)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
  echo "installed: ${missing[*]}"
else
  echo "missing system packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install ${missing[*]}" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
fi
