#!/usr/bin/env bash
# Unpack a container's Python from Debian's archive into a test-only folder (never installed).
#
#   tools/debian_python.sh 3.9 [DEST]     # DEST defaults to $SM_ADVISOR_PYTHONS or ./.pythons
#
# The tests (tests/contracts.py) run generated step scripts under the Python minor version of
# the AWS container that runs them. Where pyenv has no such interpreter, this fetches Debian's
# build with a private sources list (this machine's own archive, another suite), downloads the
# interpreter and the few libraries it needs with `apt-get download` and unpacks them with
# `dpkg -x` into DEST/<version>. Nothing is installed and the system's apt state is untouched;
# the tests point LD_LIBRARY_PATH at the folder. Only 3.9 (bullseye) works this way: trixie's
# 3.13 needs glibc 2.38, newer than bookworm's (tried), and no suite has 3.10 or 3.12 (those get
# vermin's static floor check only when pyenv lacks them).
set -euo pipefail

version="${1:?usage: tools/debian_python.sh 3.9 [DEST]}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${2:-${SM_ADVISOR_PYTHONS:-$root/.pythons}}/$version"

case "$version" in
  3.9)
    suite=bullseye
    packages="python3.9 python3.9-minimal libpython3.9-minimal libpython3.9-stdlib libssl1.1
      libffi7 libmpdec3 python3-distutils=3.9.2-1 python3-lib2to3=3.9.2-1"
    ;;
  *) echo "debian_python: Debian has no Python $version; use 3.9." >&2; exit 2 ;;
esac

if [ -x "$dest/usr/bin/python$version" ]; then
  echo "debian_python: $dest already holds Python $version"
  exit 0
fi

# The machine's own Debian mirror, read from its apt sources.
mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | grep -E '^(URIs:|deb )' | grep -oE 'https?://[^ ]+/debian/?$|https?://[^ ]+/debian ' \
  | grep -v security | head -n 1 | tr -d ' ' || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/debs" "$work/cache"
echo "deb [trusted=yes] $mirror $suite main" > "$work/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=/dev/null"
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "Dir::Cache::archives=$work/debs"
  -o "Debug::NoLocking=1" -o "APT::Get::AllowUnauthenticated=true" -o "APT::Sandbox::User=root")

echo "debian_python: fetching Python $version from $mirror $suite into $dest"
apt-get "${apt_opts[@]}" -qq update
# shellcheck disable=SC2086  # the package list is meant to split
(cd "$work/debs" && apt-get "${apt_opts[@]}" -qq download $packages)

partial="$dest.partial"
rm -rf "$partial"
mkdir -p "$partial"
for deb in "$work"/debs/*.deb; do
  dpkg -x "$deb" "$partial"
done
libs="$partial/usr/lib/x86_64-linux-gnu:$partial/lib/x86_64-linux-gnu"
LD_LIBRARY_PATH="$libs" "$partial/usr/bin/python$version" -c 'import ssl, ctypes, sys; print(sys.version)'
mv "$partial" "$dest"
echo "debian_python: ready: $dest/usr/bin/python$version (set LD_LIBRARY_PATH to its lib folders)"
