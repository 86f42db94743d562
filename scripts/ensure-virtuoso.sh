#!/usr/bin/env bash
# Installs Debian's OpenLink Virtuoso for the push tests when it is not there yet, non-interactively.
# The package asks for a DBA password through debconf; it is preseeded here. The system-wide
# instance the package sets up is not used: the tests start a private one on free loopback ports.
set -euo pipefail
if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
for key in dba-password dba-password-again; do
  echo "virtuoso-opensource-7 virtuoso-opensource-7/$key password dba" | $SUDO debconf-set-selections
done
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq virtuoso-opensource >/dev/null
command -v virtuoso-t isql-vt
