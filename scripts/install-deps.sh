#!/usr/bin/env bash
# Installs the Debian 12 packages uniapi needs, if any is missing. Usage: install-deps.sh [asan|bench]
set -euo pipefail
packages=(g++ cmake ninja-build pkg-config libboost1.81-dev libboost-json1.81-dev
          libboost-url1.81-dev catch2 libssl-dev openssl time strace git python3 clang-format-14)
case "${1:-}" in
  asan) packages+=(clang-14 libclang-rt-14-dev) ;;
  bench) packages+=(libbenchmark-dev nlohmann-json3-dev rapidjson-dev libsimdjson-dev) ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
