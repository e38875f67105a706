//! `cargo bench --bench hnsw`: our HNSW against hnswlib on the same data and queries.
//!
//! Environment: `N` (default 100000), `DIM` (2), `NQ` (10000), `M` (16), `EFC` (200), `K` (10),
//! `EFS` (10,32,128), `PASSES` (11), `THREADS` (every core; 1 skips the parallel builds),
//! `SEED` (1), `BASELINE` (1: also run hnswlib through benches/hnswlib_baseline.py; needs
//! `pip install hnswlib numpy`).
//!
//! Builds with one thread (ours, then hnswlib's, one after the other), then with `THREADS`
//! threads; then, for each ef, `PASSES` passes over every query, ours and hnswlib's in turn
//! (interleaved, so a slow spell of the machine hits both), one thread each. Prints each
//! side's median, the spread of its passes ((max − min) / median), recall@K, peak memory, the
//! ratios ours / hnswlib of the medians, and the median of the paired passes' ratios (each of
//! our passes against the hnswlib pass right after it) with its spread.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

use ann_explorer::engine::brute::top_k_l2;
use ann_explorer::engine::hnsw::{Hnsw, HnswParams, Scratch};
use ann_explorer::engine::{PointId, Points};
use common::{env, list};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;

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

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

fn spread(v: &[f64]) -> f64 {
    let (lo, hi) = v
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
    (hi - lo) / median(v) * 100.0
}

/// hnswlib in a child process that answers one pass at a time.
struct Baseline {
    child: std::process::Child,
    out: BufReader<std::process::ChildStdout>,
    dir: std::path::PathBuf,
}

impl Baseline {
    fn line(&mut self) -> Option<String> {
        let mut s = String::new();
        (self.out.read_line(&mut s).ok()? > 0).then_some(s)
    }

    fn pass(&mut self, ef: usize) -> Option<(f64, f64)> {
        let stdin = self.child.stdin.as_mut()?;
        writeln!(stdin, "ef {ef}").ok()?;
        stdin.flush().ok()?;
        let l = self.line()?;
        let w: Vec<&str> = l.split_whitespace().collect();
        Some((w.get(2)?.parse().ok()?, w.get(3)?.parse().ok()?))
    }
}

impl Drop for Baseline {
    fn drop(&mut self) {
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = writeln!(stdin, "quit");
        }
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn main() {
    let n: usize = env("N", 100_000);
    let dim: usize = env("DIM", 2);
    let nq: usize = env("NQ", 10_000);
    let m: usize = env("M", 16);
    let efc: usize = env("EFC", 200);
    let k: usize = env("K", 10);
    let seed: u64 = env("SEED", 1);
    let passes: usize = env("PASSES", 11).max(1);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let threads: usize = env("THREADS", cores).max(1);
    let efs = list("EFS", "10,32,128");
    let baseline = env("BASELINE", 1) == 1;

    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let data: Vec<f32> = (0..n * dim).map(|_| rng.random::<f32>()).collect();
    let queries: Vec<f32> = (0..nq * dim).map(|_| rng.random::<f32>()).collect();
    let points = Points::new(dim, data.clone()).expect("points");
    // Exact answers by brute force (squared L2, ties by id), on every core, untimed.
    let truth: Vec<Vec<u32>> = queries
        .par_chunks(dim)
        .map(|q| {
            let mut out = Vec::new();
            top_k_l2(&points, q, k, &mut out);
            out.iter().map(|r| r.0.0).collect()
        })
        .collect();
    println!(
        "== HNSW: n = {n}, dim = {dim}, M = {m}, ef_construction = {efc}, {nq} queries, k = {k}, {passes} interleaved passes =="
    );

    // hnswlib first (it builds while we wait), then it waits while we build.
    let mut base = None;
    if baseline {
        let dir = std::env::temp_dir().join(format!("ann-explorer-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp dir");
        write_f32(&dir.join("data.f32"), &data);
        write_f32(&dir.join("queries.f32"), &queries);
        let flat: Vec<u8> = truth
            .iter()
            .flatten()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        std::fs::write(dir.join("truth.u32"), flat).expect("truth");
        std::fs::write(
            dir.join("params.txt"),
            format!(
                "n {n}\ndim {dim}\nnq {nq}\nk {k}\nM {m}\nef_construction {efc}\nseed {seed}\nthreads {threads}\n"
            ),
        )
        .expect("params");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/hnswlib_baseline.py");
        match Command::new("python3")
            .arg(script)
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
        {
            Ok(mut child) => {
                let out = child.stdout.take().map(BufReader::new);
                if let Some(out) = out {
                    base = Some(Baseline { child, out, dir });
                }
            }
            Err(e) => println!("hnswlib baseline not run: {e}"),
        }
    }
    let mut base_build = f64::NAN;
    let mut base_rss = f64::NAN;
    let mut base_par = (f64::NAN, f64::NAN);
    if let Some(b) = base.as_mut() {
        let want = if threads > 1 { 4 } else { 2 };
        for _ in 0..want {
            let Some(l) = b.line() else {
                println!("hnswlib baseline failed (pip install hnswlib numpy?)");
                break;
            };
            let w: Vec<&str> = l.split_whitespace().collect();
            match w.as_slice() {
                ["build", s] => base_build = s.parse().unwrap_or(f64::NAN),
                ["rss", s] => base_rss = s.parse().unwrap_or(f64::NAN),
                ["build_threads", _, s] => base_par.0 = s.parse().unwrap_or(f64::NAN),
                ["recall_threads", _, r] => base_par.1 = r.parse().unwrap_or(f64::NAN),
                _ => println!("{l}"),
            }
        }
    }

    let params = HnswParams {
        ef_construction: efc,
        seed,
        ..HnswParams::new(m)
    };
    let rss_before = peak_rss_mib().unwrap_or(f64::NAN);
    let t = Instant::now();
    let index = Hnsw::build(&points, params).expect("build");
    let build = t.elapsed().as_secs_f64();
    let rss = peak_rss_mib().unwrap_or(f64::NAN);
    println!(
        "build, one thread:   ours {build:8.3} s   hnswlib {base_build:8.3} s   ours / hnswlib = {:.2}x time",
        build / base_build
    );
    println!(
        "peak memory:         ours {rss:8.0} MiB (data and answers before the build: {rss_before:.0})   hnswlib {base_rss:8.0} MiB   ratio {:.2}",
        rss / base_rss
    );
    let recall_of = |h: &Hnsw, ef: usize| -> f64 {
        let mut scratch = Scratch::new(n);
        let mut out: Vec<(PointId, f32)> = Vec::with_capacity(k);
        let mut hits = 0;
        for (qi, q) in queries.chunks(dim).enumerate() {
            h.search_into(q, k, ef, &mut scratch, &mut out);
            hits += out.iter().filter(|r| truth[qi].contains(&r.0.0)).count();
        }
        hits as f64 / (nq * k) as f64
    };
    if threads > 1 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let t = Instant::now();
        let par = pool
            .install(|| Hnsw::build_parallel(&points, params, threads, &|_| true))
            .expect("build");
        let pbuild = t.elapsed().as_secs_f64();
        println!(
            "build, {threads} threads:  ours {pbuild:8.3} s ({:.2}x over one thread, recall@{k} at ef 64: {:.4} against {:.4})   hnswlib {:8.3} s ({:.2}x, recall {:.4})   ours / hnswlib = {:.2}x time",
            build / pbuild,
            recall_of(&par, 64),
            recall_of(&index, 64),
            base_par.0,
            base_build / base_par.0,
            base_par.1,
            pbuild / base_par.0
        );
    }

    let mut scratch = Scratch::new(n);
    let mut out: Vec<(PointId, f32)> = Vec::with_capacity(k);
    for &ef in &efs {
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        let mut recall = 0.0;
        let mut base_recall = f64::NAN;
        for _ in 0..passes {
            let mut hits = 0;
            let t = Instant::now();
            for (qi, q) in queries.chunks(dim).enumerate() {
                index.search_into(q, k, ef, &mut scratch, &mut out);
                hits += out.iter().filter(|r| truth[qi].contains(&r.0.0)).count();
            }
            ours.push(t.elapsed().as_secs_f64());
            recall = hits as f64 / (nq * k) as f64;
            if let Some((s, r)) = base.as_mut().and_then(|b| b.pass(ef)) {
                theirs.push(s);
                base_recall = r;
            }
        }
        let q_ours = nq as f64 / median(&ours);
        print!(
            "ef {ef:4}  ours {q_ours:9.0} q/s (±{:4.1} %) recall {recall:.4}",
            spread(&ours)
        );
        if theirs.is_empty() {
            println!();
        } else {
            let q_base = nq as f64 / median(&theirs);
            // Each of our passes against the hnswlib pass right after it: a slow spell of
            // the machine slows both, so the paired ratios vary less than either side.
            let pairs: Vec<f64> = ours.iter().zip(&theirs).map(|(o, t)| t / o).collect();
            println!(
                "   hnswlib {q_base:9.0} q/s (±{:4.1} %) recall {base_recall:.4}   ours / hnswlib = {:.2}x QPS (paired passes: median {:.2}x, ±{:.1} %)",
                spread(&theirs),
                q_ours / q_base,
                median(&pairs),
                spread(&pairs)
            );
        }
    }
}
