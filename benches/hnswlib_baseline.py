"""hnswlib baseline for `cargo bench --bench hnsw`: same data, same parameters, one thread.

Usage: python3 benches/hnswlib_baseline.py DIR  (DIR holds data.f32, queries.f32, truth.u32,
params.txt written by the Rust benchmark). Prints one line per measurement:
  build SECONDS
  ef EF QPS RECALL
Needs `pip install hnswlib numpy`.
"""
import sys
import time

import hnswlib
import numpy as np


def main() -> None:
    d = sys.argv[1]
    params = dict(line.split() for line in open(f"{d}/params.txt"))
    n, dim, nq, k = (int(params[x]) for x in ("n", "dim", "nq", "k"))
    m, efc, seed = int(params["M"]), int(params["ef_construction"]), int(params["seed"])
    efs = [int(x) for x in params["efs"].split(",")]
    data = np.fromfile(f"{d}/data.f32", dtype=np.float32).reshape(n, dim)
    queries = np.fromfile(f"{d}/queries.f32", dtype=np.float32).reshape(nq, dim)
    truth = np.fromfile(f"{d}/truth.u32", dtype=np.uint32).reshape(nq, k)
    index = hnswlib.Index(space="l2", dim=dim)
    index.init_index(max_elements=n, M=m, ef_construction=efc, random_seed=seed)
    index.set_num_threads(1)
    t = time.perf_counter()
    index.add_items(data, np.arange(n), num_threads=1)
    print(f"build {time.perf_counter() - t:.4f}", flush=True)
    for ef in efs:
        index.set_ef(ef)
        best = None
        for _ in range(3):
            t = time.perf_counter()
            labels, _ = index.knn_query(queries, k=k, num_threads=1)
            el = time.perf_counter() - t
            best = el if best is None else min(best, el)
        hits = sum(len(set(labels[i]) & set(truth[i])) for i in range(nq))
        print(f"ef {ef} {nq / best:.1f} {hits / (nq * k):.5f}", flush=True)


if __name__ == "__main__":
    main()
