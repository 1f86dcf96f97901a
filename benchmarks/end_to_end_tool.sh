#!/usr/bin/env bash
# End to end from outside, as a user runs it: `truto-ats list attachments` against the local
# server running as its own process, one listing after another. For page sizes 100 and 1000:
# records/s (median of REPS, wall time of the whole process, start-up included), CPU seconds
# (user+sys) and peak RSS of the tool (/usr/bin/time),
# and read system calls per MB of response body (strace -c, a separate run).
#
#   benchmarks/end_to_end_tool.sh [TOOL] [SERVER] [RECORDS] [REPS]
# Defaults: build/release/tools/truto-ats, build/bench/benchmarks/uniapi_truto_server, 20000, 3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tool="${1:-$root/build/release/tools/truto-ats}"
server="${2:-$root/build/bench/benchmarks/uniapi_truto_server}"
records="${3:-20000}"
reps="${4:-3}"
for cmd in /usr/bin/time strace "$tool" "$server"; do
  command -v "$cmd" >/dev/null || { echo "missing: $cmd" >&2; exit 2; }
done

coproc SERVER { "$server" --attachments "$records" --cache; }
read -r url token <&"${SERVER[0]}"
trap 'exec {SERVER[1]}>&-; wait' EXIT
body_bytes() { echo >&"${SERVER[1]}"; read -r b <&"${SERVER[0]}"; echo "$b"; }

tmp="$(mktemp -d)"
list() {  # list PAGE_SIZE [wrapper...]
  local page="$1"; shift
  "$@" "$tool" --base-url "$url" --token "$token" --account bench list attachments \
    --page-size "$page" >"$tmp/out"
  local n; n=$(wc -l <"$tmp/out")
  [ "$n" -eq "$records" ] || { echo "expected $records lines, got $n" >&2; exit 1; }
}

list 1000  # warm the server's record cache
printf '%-10s %12s %10s %10s %12s %10s\n' page_size records/s cpu_s peak_MiB reads/MB MB/listing
for page in 100 1000; do
  rates=() cpus=() rss=()
  for ((i = 0; i < reps; i++)); do
    start=$(date +%s%N)
    list "$page" /usr/bin/time -f '%U %S %M' -o "$tmp/time"
    wall=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')
    read -r user sys kb <"$tmp/time"
    rates+=("$(awk -v n="$records" -v w="$wall" 'BEGIN { printf "%.0f", n / (w > 0 ? w : 0.001) }')")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
    rss+=("$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')")
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  before=$(body_bytes)
  list "$page" strace -f -c -e trace=read,readv,recvfrom,recvmsg -o "$tmp/strace"
  after=$(body_bytes)
  reads=$(awk '$NF ~ /^(read|readv|recvfrom|recvmsg)$/ { n += ($4 ~ /^[0-9]+$/ ? $4 : 0) } END { print n + 0 }' "$tmp/strace")
  mb=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", (a - b) / 1048576 }')
  printf '%-10s %12s %10s %10s %12s %10s\n' "$page" "$(median "${rates[@]}")" \
    "$(median "${cpus[@]}")" "$(median "${rss[@]}")" \
    "$(awk -v r="$reads" -v m="$mb" 'BEGIN { printf "%.1f", r / m }')" "$mb"
done
rm -rf "$tmp"
