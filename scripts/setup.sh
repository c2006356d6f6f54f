#!/usr/bin/env bash
# setup.sh: installs what building, running and testing Vertelpunt needs on Debian 12.
# Idempotent: installs only what is missing. Run as root (or with sudo available).
set -euo pipefail

# Build and runtime libraries, test and benchmark tools. Keep this list and
# the README's dependency table in step.
PACKAGES=(
	build-essential pkg-config git ca-certificates
	libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev liboath-dev libqrencode-dev
	libvips-dev libgsl-dev libroaring-dev libjsmn-dev libcurl4-openssl-dev libical-dev libxlsxwriter-dev
	libstemmer-dev libutf8proc-dev
	libpq-dev postgresql postgresql-contrib
	libcmocka-dev gettext python3-aiosmtpd python3-openpyxl
	clang libclang-rt-14-dev clang-format
	chromium
	wrk nginx-light curl sqlite3
)

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

# Node.js with npm: Debian's packages unless a Node.js with npm is there already.
if ! command -v npm >/dev/null 2>&1; then
	missing+=(nodejs npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -q
	$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
	# nginx-light starts a service on install; benchmarks start their own.
	$SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
	# postgresql likewise: the tests start a throw-away cluster (scripts/pg-cluster.sh).
	$SUDO systemctl disable --now postgresql >/dev/null 2>&1 || true
fi

# Front-end assets (NL Design System CSS) and browser-test tools, pinned in
# package-lock.json. Reinstalled only when the lock file changed.
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "setup: npm ci"
	npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: ok"
