#!/usr/bin/env python3
"""Paired end-to-end figures: runs two benchmarks alternately, in both orders, and prints the
median ratio of their items/s with its quartiles.

  end_to_end_pairs.py ROUNDS A_BINARY B_BINARY NAME [NAME...]

Each NAME is a benchmark of uniapi_end_to_end_benchmark (for example
`for_each_item/direct/1000/real_time`), run in A and in B; or `A_NAME:B_NAME`, two benchmarks of
the same kind compared (`for_each_item/direct/1000/real_time:for_each_item/erased/1000/real_time`,
with the same binary as A and B). A before/after comparison builds the benchmark at both commits
(copy this tree's end_to_end.cpp into the older checkout: it compiles there without the erased
rows)."""
import json
import statistics
import subprocess
import sys


def items_per_second(binary, name):
    out = subprocess.run([binary, '--benchmark_format=json', f'--benchmark_filter=^{name}$',
                          '--benchmark_min_time=0.5'], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)['benchmarks'][0]['items_per_second']


def main():
    rounds, a_bin, b_bin, names = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    for spec in names:
        a_name, _, b_name = spec.partition(':')
        b_name = b_name or a_name
        a, b, ratio = [], [], []
        for _ in range(rounds):
            for first_a in (True, False):
                x = y = 0.0
                if first_a:
                    x = items_per_second(a_bin, a_name)
                    y = items_per_second(b_bin, b_name)
                else:
                    y = items_per_second(b_bin, b_name)
                    x = items_per_second(a_bin, a_name)
                a.append(x)
                b.append(y)
                ratio.append(y / x)
        q = statistics.quantiles(ratio, n=4)
        print(f'{b_name} / {a_name}: {statistics.median(a) / 1e3:.0f}k -> '
              f'{statistics.median(b) / 1e3:.0f}k items/s, ratio median {statistics.median(ratio):.3f} '
              f'IQR [{q[0]:.3f}..{q[2]:.3f}], {len(ratio)} pairs', flush=True)


if __name__ == '__main__':
    main()
