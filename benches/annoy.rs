//! `cargo bench --bench annoy`: our Annoy against the real one (`pip install annoy numpy`) on
//! the same data and queries: recall@K against search_k for each n_trees, side by side, with
//! the difference (the issue asks for ±0.03) and each side's query time.
//!
//! Environment: `N` (20000), `DIM` (2), `NQ` (1000), `K` (10), `TREES` (1,5,10),
//! `SEARCH_K` (10,30,100,300,1000,3000), `DATA` (uniform|clusters), `SEED` (1), `BASELINE` (1).

mod common;

use std::io::Write;
use std::time::Instant;

use ann_explorer::engine::annoy::{Annoy, AnnoyParams};
use ann_explorer::engine::brute::top_k_l2;
use ann_explorer::engine::scaling::{DataKind, data};
use ann_explorer::engine::{NoRecorder, Points};
use common::{env, list};

fn main() {
    let n: usize = env("N", 20_000);
    let dim: usize = env("DIM", 2);
    let nq: usize = env("NQ", 1000);
    let k: usize = env("K", 10);
    let seed: u64 = env("SEED", 1);
    let trees = list("TREES", "1,5,10");
    let search_ks = list("SEARCH_K", "10,30,100,300,1000,3000");
    let kind = DataKind::parse(&std::env::var("DATA").unwrap_or_else(|_| "uniform".into()))
        .unwrap_or(DataKind::Uniform);
    let raw = data::draw(kind, dim, n, seed, 0);
    let queries = data::draw(kind, dim, nq, seed, 1);
    let points = Points::new(dim, raw.clone()).expect("points");
    let mut truth: Vec<u32> = Vec::with_capacity(nq * k);
    let mut out = Vec::new();
    for q in queries.chunks(dim) {
        top_k_l2(&points, q, k, &mut out);
        truth.extend(out.iter().map(|r| r.0.0));
    }
    println!(
        "== Annoy: n = {n}, dim = {dim}, {} data, {nq} queries, k = {k}: recall@{k} ours against annoy ==",
        kind.id()
    );
    let mut ours = Vec::new();
    for &n_trees in &trees {
        let params = AnnoyParams {
            n_trees,
            seed,
            ..AnnoyParams::default()
        };
        let t = Instant::now();
        let index = Annoy::build(&points, params, &mut NoRecorder).expect("build");
        let build = t.elapsed().as_secs_f64();
        for &sk in &search_ks {
            let t = Instant::now();
            let mut hits = 0;
            for (qi, q) in queries.chunks(dim).enumerate() {
                let (found, _) = index.search(q, k, Some(sk)).expect("search");
                let tr = &truth[qi * k..(qi + 1) * k];
                hits += found.iter().filter(|f| tr.contains(&f.0.0)).count();
            }
            ours.push((
                n_trees,
                sk,
                hits as f64 / (nq * k) as f64,
                t.elapsed().as_secs_f64(),
                build,
            ));
        }
    }
    let mut theirs: Vec<(usize, usize, f64, f64)> = Vec::new();
    if env("BASELINE", 1) == 1 {
        let dir = std::env::temp_dir().join(format!("ann-explorer-annoy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp dir");
        let write =
            |name: &str, bytes: Vec<u8>| std::fs::write(dir.join(name), bytes).expect("write");
        write(
            "data.f32",
            raw.iter().flat_map(|x| x.to_le_bytes()).collect(),
        );
        write(
            "queries.f32",
            queries.iter().flat_map(|x| x.to_le_bytes()).collect(),
        );
        write(
            "truth.u32",
            truth.iter().flat_map(|x| x.to_le_bytes()).collect(),
        );
        let join = |v: &[usize]| {
            v.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut f = std::fs::File::create(dir.join("params.txt")).expect("params");
        writeln!(
            f,
            "n {n}\ndim {dim}\nnq {nq}\nk {k}\nseed {seed}\ntrees {}\nsearch_k {}",
            join(&trees),
            join(&search_ks)
        )
        .expect("params");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/annoy_baseline.py");
        match std::process::Command::new("python3")
            .arg(script)
            .arg(&dir)
            .output()
        {
            Ok(o) if o.status.success() => {
                for line in String::from_utf8_lossy(&o.stdout).lines() {
                    let w: Vec<&str> = line.split_whitespace().collect();
                    if let ["recall", t, sk, r, s] = w.as_slice() {
                        theirs.push((
                            t.parse().unwrap_or(0),
                            sk.parse().unwrap_or(0),
                            r.parse().unwrap_or(f64::NAN),
                            s.parse().unwrap_or(f64::NAN),
                        ));
                    }
                }
            }
            Ok(o) => println!(
                "annoy baseline failed (pip install annoy numpy?):\n{}",
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => println!("annoy baseline not run: {e}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    println!("n_trees search_k   ours    annoy   diff    ours µs/q  annoy µs/q (python loop)");
    let mut worst: f64 = 0.0;
    for (t, sk, r, s, _) in &ours {
        let other = theirs.iter().find(|o| o.0 == *t && o.1 == *sk);
        let (ar, asec) = other.map_or((f64::NAN, f64::NAN), |o| (o.2, o.3));
        let diff = r - ar;
        if diff.is_finite() {
            worst = worst.max(diff.abs());
        }
        println!(
            "{t:7} {sk:8}  {r:.4}  {ar:.4}  {diff:+.4}  {:9.2}  {:9.2}",
            s * 1e6 / nq as f64,
            asec * 1e6 / nq as f64
        );
    }
    if !theirs.is_empty() {
        println!(
            "largest |ours − annoy| = {worst:.4} ({})",
            if worst <= 0.03 {
                "within ±0.03"
            } else {
                "OUTSIDE ±0.03"
            }
        );
    }
}
