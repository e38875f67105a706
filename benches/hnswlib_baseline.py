"""hnswlib baseline for `cargo bench --bench hnsw`: same data, same parameters.

Usage: python3 benches/hnswlib_baseline.py DIR  (DIR holds data.f32, queries.f32, truth.u32,
params.txt written by the Rust benchmark). Builds the index (one thread, and with `threads`
threads when asked), prints
  build SECONDS            (one thread)
  build_threads N SECONDS  (N threads, if threads > 1)
  rss MIB                  (peak resident memory after the one-thread build)
then answers commands on stdin, one per line, so the benchmark can interleave its passes
with ours:
  ef EF   -> "pass EF SECONDS RECALL"   (one pass over every query, one thread)
  quit
Needs `pip install hnswlib numpy`.
"""
import resource
import sys
import time

import hnswlib
import numpy as np


def main() -> None:
    d = sys.argv[1]
    params = dict(line.split() for line in open(f"{d}/params.txt"))
    n, dim, nq, k = (int(params[x]) for x in ("n", "dim", "nq", "k"))
    m, efc, seed = int(params["M"]), int(params["ef_construction"]), int(params["seed"])
    threads = int(params.get("threads", "1"))
    data = np.fromfile(f"{d}/data.f32", dtype=np.float32).reshape(n, dim)
    queries = np.fromfile(f"{d}/queries.f32", dtype=np.float32).reshape(nq, dim)
    truth = np.fromfile(f"{d}/truth.u32", dtype=np.uint32).reshape(nq, k)

    def build(num_threads: int) -> "hnswlib.Index":
        index = hnswlib.Index(space="l2", dim=dim)
        index.init_index(max_elements=n, M=m, ef_construction=efc, random_seed=seed)
        index.set_num_threads(num_threads)
        index.add_items(data, np.arange(n), num_threads=num_threads)
        return index

    t = time.perf_counter()
    index = build(1)
    print(f"build {time.perf_counter() - t:.4f}", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"rss {rss:.1f}", flush=True)
    if threads > 1:
        t = time.perf_counter()
        par = build(threads)
        print(f"build_threads {threads} {time.perf_counter() - t:.4f}", flush=True)
        par.set_ef(64)
        labels, _ = par.knn_query(queries, k=k, num_threads=1)
        hits = sum(len(set(labels[i]) & set(truth[i])) for i in range(nq))
        print(f"recall_threads 64 {hits / (nq * k):.5f}", flush=True)
        del par
    index.set_num_threads(1)
    for line in sys.stdin:
        w = line.split()
        if not w or w[0] == "quit":
            break
        ef = int(w[1])
        index.set_ef(ef)
        t = time.perf_counter()
        labels, _ = index.knn_query(queries, k=k, num_threads=1)
        el = time.perf_counter() - t
        hits = sum(len(set(labels[i]) & set(truth[i])) for i in range(nq))
        print(f"pass {ef} {el:.6f} {hits / (nq * k):.5f}", flush=True)


if __name__ == "__main__":
    main()
