#!/usr/bin/env bash
# Compile time of a user's file with uniapi against the same job written by hand on Boost
# (benchmarks/compile_time/*.cpp), as ratios measured in one run. Compiles each file RUNS times
# (interleaved, so that machine noise hits every file alike) at -O0 and -O2 and prints a Markdown
# table of median wall times and peak compiler memory (max RSS).
#
#   benchmarks/compile_time.sh [RUNS [BASELINE]]   (default 5; CXX overrides the compiler, default g++)
#
# With BASELINE, another checkout of uniapi (an older commit, say), its uniapi files are compiled
# in the same interleaved runs and a second table compares each with this tree's.
set -euo pipefail
runs="${1:-5}"
base="${2:-}"
cxx="${CXX:-g++}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 2; }

# name | source | extra flags
cases=(
  "decode_by_hand|decode_by_hand.cpp|"
  "decode_uniapi|decode_uniapi.cpp|"
  "decode_uniapi_sep|decode_uniapi.cpp|-DUNIAPI_SEPARATE_COMPILATION"
  "list_by_hand|list_by_hand.cpp|"
  "list_uniapi|list_uniapi.cpp|"
  "list_uniapi_sep|list_uniapi.cpp|-DUNIAPI_SEPARATE_COMPILATION"
)
if [ -n "$base" ]; then
  base="$(cd "$base" && pwd)"
  cases+=("decode_uniapi_base|decode_uniapi.cpp|" "decode_uniapi_sep_base|decode_uniapi.cpp|-DUNIAPI_SEPARATE_COMPILATION"
          "list_uniapi_base|list_uniapi.cpp|" "list_uniapi_sep_base|list_uniapi.cpp|-DUNIAPI_SEPARATE_COMPILATION")
fi

for opt in -O0 -O2; do
  for ((i = 0; i < runs; ++i)); do
    for c in "${cases[@]}"; do
      IFS='|' read -r name src flags <<<"$c"
      tree="$root"
      [[ "$name" == *_base ]] && tree="$base"
      # shellcheck disable=SC2086
      /usr/bin/time -f "%e %M" -o "$out/t" "$cxx" -std=c++20 $opt $flags -I"$tree/include" \
        -c "$tree/benchmarks/compile_time/$src" -o "$out/o.o"
      cat "$out/t" >>"$out/$name$opt"
    done
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
stat() {  # file column -> median
  awk -v c="$2" '{print $c}' "$out/$1" | median
}

echo "$cxx $("$cxx" -dumpfullversion), $runs runs each, median wall seconds and peak MB; ratio = uniapi / by hand"
echo
echo "| user file | mode | -O0 s | -O2 s | -O0 ratio | -O2 ratio | peak MB (-O0 / -O2) | peak ratio (-O2) |"
echo "|---|---|---|---|---|---|---|---|"
row() {  # label mode case hand
  local t0 t2 h0 h2 m0 m2 hm2
  t0=$(stat "$3-O0" 1); t2=$(stat "$3-O2" 1)
  h0=$(stat "$4-O0" 1); h2=$(stat "$4-O2" 1)
  m0=$(stat "$3-O0" 2); m2=$(stat "$3-O2" 2); hm2=$(stat "$4-O2" 2)
  awk -v l="$1" -v m="$2" -v t0="$t0" -v t2="$t2" -v h0="$h0" -v h2="$h2" -v m0="$m0" -v m2="$m2" \
      -v hm2="$hm2" 'BEGIN {
    printf "| %s | %s | %.2f | %.2f | %.2fx | %.2fx | %d / %d | %.2fx |\n",
           l, m, t0, t2, t0 / h0, t2 / h2, m0 / 1024, m2 / 1024, m2 / hm2 }'
}
row "decode one attachments page" "by hand (Boost.JSON DOM + value_to)" decode_by_hand decode_by_hand
row "decode one attachments page" "uniapi, header-only" decode_uniapi decode_by_hand
row "decode one attachments page" "uniapi, UNIAPI_SEPARATE_COMPILATION" decode_uniapi_sep decode_by_hand
row "list attachments over HTTPS" "by hand (Beast + OpenSSL + Boost.JSON)" list_by_hand list_by_hand
row "list attachments over HTTPS" "uniapi, header-only" list_uniapi list_by_hand
row "list attachments over HTTPS" "uniapi, UNIAPI_SEPARATE_COMPILATION" list_uniapi_sep list_by_hand
if [ -n "$base" ]; then
  echo
  echo "Against $base (ratio = this tree / baseline; the same user file at each commit):"
  echo
  echo "| user file | mode | -O0 s | -O2 s | -O0 ratio | -O2 ratio | peak MB (-O0 / -O2) | peak ratio (-O2) |"
  echo "|---|---|---|---|---|---|---|---|"
  row "decode one attachments page" "baseline, header-only" decode_uniapi_base decode_uniapi_base
  row "decode one attachments page" "this tree, header-only" decode_uniapi decode_uniapi_base
  row "decode one attachments page" "baseline, separate compilation" decode_uniapi_sep_base decode_uniapi_sep_base
  row "decode one attachments page" "this tree, separate compilation" decode_uniapi_sep decode_uniapi_sep_base
  row "list attachments over HTTPS" "baseline, header-only" list_uniapi_base list_uniapi_base
  row "list attachments over HTTPS" "this tree, header-only" list_uniapi list_uniapi_base
  row "list attachments over HTTPS" "baseline, separate compilation" list_uniapi_sep_base list_uniapi_sep_base
  row "list attachments over HTTPS" "this tree, separate compilation" list_uniapi_sep list_uniapi_sep_base
fi
