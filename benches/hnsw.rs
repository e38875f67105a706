//! `cargo bench --bench hnsw`: our HNSW against hnswlib on the same data, one thread.
//!
//! Environment: `N` (default 100000), `DIM` (2), `NQ` (1000), `M` (16), `EFC` (200), `K` (10),
//! `EFS` (10,16,32,64,128), `SEED` (1), `BASELINE` (1: also run hnswlib through
//! benches/hnswlib_baseline.py; needs `pip install hnswlib numpy`).
//! Prints build seconds, queries per second and recall@K for each ef, and the ratios
//! ours / hnswlib measured in the same run.

use std::io::Write;
use std::time::Instant;

use ann_explorer::engine::hnsw::{Hnsw, HnswParams, Scratch};
use ann_explorer::engine::{PointId, Points};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn write_f32(path: &std::path::Path, v: &[f32]) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    for x in v {
        f.write_all(&x.to_le_bytes()).expect("write");
    }
}

fn main() {
    let n: usize = env("N", 100_000);
    let dim: usize = env("DIM", 2);
    let nq: usize = env("NQ", 1000);
    let m: usize = env("M", 16);
    let efc: usize = env("EFC", 200);
    let k: usize = env("K", 10);
    let seed: u64 = env("SEED", 1);
    let efs: Vec<usize> = std::env::var("EFS")
        .unwrap_or_else(|_| "10,16,32,64,128".into())
        .split(',')
        .filter_map(|x| x.trim().parse().ok())
        .collect();
    let baseline = env("BASELINE", 1) == 1;

    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let data: Vec<f32> = (0..n * dim).map(|_| rng.random::<f32>()).collect();
    let queries: Vec<f32> = (0..nq * dim).map(|_| rng.random::<f32>()).collect();
    let points = Points::new(dim, data.clone()).expect("points");

    // Exact answers by brute force (squared L2, ties by id).
    let truth: Vec<Vec<u32>> = (0..nq)
        .map(|qi| {
            let q = &queries[qi * dim..(qi + 1) * dim];
            let mut all: Vec<(f32, u32)> = (0..n)
                .map(|i| {
                    let p = &data[i * dim..(i + 1) * dim];
                    (
                        q.iter().zip(p).map(|(a, b)| (a - b) * (a - b)).sum(),
                        i as u32,
                    )
                })
                .collect();
            all.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            all.truncate(k);
            all.iter().map(|x| x.1).collect()
        })
        .collect();

    println!(
        "== HNSW: n = {n}, dim = {dim}, M = {m}, ef_construction = {efc}, {nq} queries, k = {k}, one thread =="
    );
    let params = HnswParams {
        ef_construction: efc,
        seed,
        ..HnswParams::new(m)
    };
    let t = Instant::now();
    let index = Hnsw::build(&points, params).expect("build");
    let build = t.elapsed().as_secs_f64();
    println!(
        "ours     build {build:8.3} s   (levels 0..={}, peak RSS {:.0} MiB)",
        index.max_level(),
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    let mut scratch = Scratch::new(n);
    let mut out: Vec<(PointId, f32)> = Vec::with_capacity(k);
    let mut ours = Vec::new();
    for &ef in &efs {
        let mut best = f64::INFINITY;
        let mut hits = 0;
        for _ in 0..3 {
            hits = 0;
            let t = Instant::now();
            for qi in 0..nq {
                index.search_into(
                    &queries[qi * dim..(qi + 1) * dim],
                    k,
                    ef,
                    &mut scratch,
                    &mut out,
                );
                hits += out.iter().filter(|r| truth[qi].contains(&r.0.0)).count();
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        let qps = nq as f64 / best;
        let recall = hits as f64 / (nq * k) as f64;
        println!("ours     ef {ef:4}  {qps:10.0} queries/s  recall@{k} {recall:.4}");
        ours.push((ef, qps, recall));
    }

    if !baseline {
        return;
    }
    let dir = std::env::temp_dir().join(format!("ann-explorer-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    write_f32(&dir.join("data.f32"), &data);
    write_f32(&dir.join("queries.f32"), &queries);
    let mut f = std::fs::File::create(dir.join("truth.u32")).expect("truth");
    for t in &truth {
        for x in t {
            f.write_all(&x.to_le_bytes()).expect("write");
        }
    }
    let efs_s: Vec<String> = efs.iter().map(|e| e.to_string()).collect();
    std::fs::write(
        dir.join("params.txt"),
        format!(
            "n {n}\ndim {dim}\nnq {nq}\nk {k}\nM {m}\nef_construction {efc}\nseed {seed}\nefs {}\n",
            efs_s.join(",")
        ),
    )
    .expect("params");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/hnswlib_baseline.py");
    let res = std::process::Command::new("python3")
        .arg(script)
        .arg(&dir)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let out = match res {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).to_string(),
        Ok(o) => {
            println!(
                "hnswlib baseline failed (pip install hnswlib numpy?):\n{}",
                String::from_utf8_lossy(&o.stderr)
            );
            return;
        }
        Err(e) => {
            println!("hnswlib baseline not run: {e}");
            return;
        }
    };
    for line in out.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.as_slice() {
            ["build", s] => {
                let s: f64 = s.parse().unwrap_or(f64::NAN);
                println!(
                    "hnswlib  build {s:8.3} s   ours / hnswlib = {:.2}x time",
                    build / s
                );
            }
            ["ef", ef, qps, recall] => {
                let ef: usize = ef.parse().unwrap_or(0);
                let qps: f64 = qps.parse().unwrap_or(f64::NAN);
                let recall: f64 = recall.parse().unwrap_or(f64::NAN);
                let mine = ours.iter().find(|o| o.0 == ef);
                println!(
                    "hnswlib  ef {ef:4}  {qps:10.0} queries/s  recall@{k} {recall:.4}   ours / hnswlib = {:.2}x QPS",
                    mine.map_or(f64::NAN, |o| o.1 / qps)
                );
            }
            _ => println!("{line}"),
        }
    }
}
