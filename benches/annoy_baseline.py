"""Annoy baseline for `cargo bench --bench annoy`: the real Annoy on the same data.

Usage: python3 benches/annoy_baseline.py DIR  (DIR holds data.f32, queries.f32, truth.u32 and
params.txt written by the Rust benchmark). Prints one line per (n_trees, search_k):
  recall N_TREES SEARCH_K RECALL SECONDS
Needs `pip install annoy numpy`.
"""
import sys
import time

import numpy as np
from annoy import AnnoyIndex


def main() -> None:
    d = sys.argv[1]
    params = dict(line.split() for line in open(f"{d}/params.txt"))
    n, dim, nq, k, seed = (int(params[x]) for x in ("n", "dim", "nq", "k", "seed"))
    trees = [int(x) for x in params["trees"].split(",")]
    search_ks = [int(x) for x in params["search_k"].split(",")]
    metric = params.get("metric", "euclidean")
    data = np.fromfile(f"{d}/data.f32", dtype=np.float32).reshape(n, dim)
    queries = np.fromfile(f"{d}/queries.f32", dtype=np.float32).reshape(nq, dim)
    truth = np.fromfile(f"{d}/truth.u32", dtype=np.uint32).reshape(nq, k)
    for n_trees in trees:
        index = AnnoyIndex(dim, metric)
        index.set_seed(seed)
        for i in range(n):
            index.add_item(i, data[i])
        index.build(n_trees, n_jobs=1)
        for sk in search_ks:
            t = time.perf_counter()
            hits = 0
            for qi in range(nq):
                found = index.get_nns_by_vector(queries[qi], k, search_k=sk)
                hits += len(set(found) & set(truth[qi].tolist()))
            el = time.perf_counter() - t
            print(f"recall {n_trees} {sk} {hits / (nq * k):.5f} {el:.4f}", flush=True)


if __name__ == "__main__":
    main()
