//! `ann-explorer smallworld`: Kleinberg's routing experiment (mean greedy hops against r for
//! each lattice side) and Watts–Strogatz's C(p)/C(0), L(p)/L(0) — the engine code the
//! small-world scenes run, with a progress bar, written as CSV.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget};

use super::scale::{list, parse_size, style};
use crate::engine::smallworld::kleinberg::{KleinbergParams, Lattice};
use crate::engine::smallworld::watts_strogatz::{self as ws, WsGraph, WsParams};
use crate::engine::smallworld::{self, Hops};

#[derive(Args, Debug, Clone)]
pub struct SmallWorldArgs {
    #[command(subcommand)]
    pub which: Which,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Which {
    /// Greedy routing on Kleinberg's lattice: mean hops against r, per side.
    Kleinberg(KleinbergArgs),
    /// Watts–Strogatz: C(p)/C(0) and L(p)/L(0) over p.
    WattsStrogatz(WsArgs),
}

#[derive(Args, Debug, Clone)]
pub struct KleinbergArgs {
    /// Lattice sides, comma-separated (1k and 100k are understood); a 2-D side s has s² nodes.
    #[arg(long, default_value = "1000,10000")]
    pub side: String,
    /// Exponents r of the long links' law, comma-separated.
    #[arg(long, default_value = "0,0.5,1,1.5,1.75,2,2.25,2.5,3")]
    pub r: String,
    /// Random source–target pairs per (side, r).
    #[arg(long, default_value_t = 150)]
    pub pairs: u64,
    /// Lattice links: every node within this distance.
    #[arg(long, default_value_t = 1)]
    pub p: u32,
    /// Long links per node.
    #[arg(long, default_value_t = 1)]
    pub q: u32,
    /// torus, grid or ring.
    #[arg(long, default_value = "torus")]
    pub lattice: String,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The rows as CSV.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct WsArgs {
    #[arg(long, default_value_t = 1000)]
    pub n: usize,
    /// Neighbours per node on the ring (even).
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// Rewiring probabilities, comma-separated.
    #[arg(long, default_value = "0.0001,0.0003,0.001,0.003,0.01,0.03,0.1,0.3,1")]
    pub p: String,
    /// Realizations averaged per p.
    #[arg(long, default_value_t = 10)]
    pub runs: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The rows as CSV.
    #[arg(long)]
    pub out: PathBuf,
}

fn lattice(s: &str) -> Result<Lattice, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "torus" => Ok(Lattice::Torus),
        "grid" => Ok(Lattice::Grid),
        "ring" => Ok(Lattice::Ring),
        o => Err(format!("'{o}' is no lattice (torus, grid or ring)")),
    }
}

fn reals(s: &str, what: &str) -> Result<Vec<f64>, String> {
    list(s, |e| {
        e.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("'{e}' is not {what} (a number)"))
    })
}

fn csv_error(e: impl std::fmt::Display) -> String {
    format!("writing the CSV: {e}")
}

pub fn run(args: &SmallWorldArgs) -> Result<String, String> {
    match &args.which {
        Which::Kleinberg(k) => kleinberg(k),
        Which::WattsStrogatz(w) => watts_strogatz(w),
    }
}

fn kleinberg(a: &KleinbergArgs) -> Result<String, String> {
    let sides: Vec<u64> = list(&a.side, |s| parse_size(s).map(|v| v as u64))?;
    let rs = reals(&a.r, "an exponent r")?;
    let lattice = lattice(&a.lattice)?;
    let tasks: Vec<KleinbergParams> = sides
        .iter()
        .flat_map(|&side| {
            rs.iter().map(move |&r| KleinbergParams {
                side,
                lattice,
                p: a.p,
                q: a.q,
                r,
                seed: a.seed,
            })
        })
        .collect();
    // Every task's parameters are checked before the first route.
    for t in &tasks {
        crate::engine::smallworld::kleinberg::Kleinberg::new(*t).map_err(|e| e.to_string())?;
    }
    let total = a.pairs.saturating_mul(tasks.len() as u64);
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(style());
    bar.set_prefix("greedy routes");
    let done = AtomicU64::new(0);
    let cancel = AtomicBool::new(false);
    let mut rows: Vec<Hops> = Vec::new();
    std::thread::scope(|scope| -> Result<(), String> {
        let watcher = scope.spawn(|| {
            while !cancel.load(Ordering::Relaxed) {
                bar.set_position(done.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let mut result = Ok(());
        for t in &tasks {
            bar.set_message(format!("side {} r {}", t.side, t.r));
            match smallworld::mean_hops(*t, a.pairs, &done, &AtomicBool::new(false)) {
                Ok(Some(h)) => rows.push(h),
                Ok(None) => {}
                Err(e) => {
                    result = Err(e.to_string());
                    break;
                }
            }
        }
        cancel.store(true, Ordering::Relaxed);
        let _ = watcher.join();
        result
    })?;
    bar.finish_and_clear();
    let mut w = csv::Writer::from_path(&a.out).map_err(csv_error)?;
    w.write_record([
        "side",
        "lattice",
        "p",
        "q",
        "r",
        "pairs",
        "mean_hops",
        "stderr",
        "mean_long_hops",
        "mean_distance",
    ])
    .map_err(csv_error)?;
    for h in &rows {
        w.write_record([
            h.side.to_string(),
            format!("{lattice:?}").to_ascii_lowercase(),
            a.p.to_string(),
            a.q.to_string(),
            h.r.to_string(),
            h.pairs.to_string(),
            format!("{:.3}", h.mean_hops),
            format!("{:.3}", h.stderr),
            format!("{:.3}", h.mean_long),
            format!("{:.1}", h.mean_distance),
        ])
        .map_err(csv_error)?;
    }
    w.flush().map_err(csv_error)?;
    let mut out = String::new();
    for &side in &sides {
        out.push_str(&format!("side {side}:"));
        for h in rows.iter().filter(|h| h.side == side) {
            out.push_str(&format!("  r={} {:.1}±{:.1}", h.r, h.mean_hops, h.stderr));
        }
        if let Some(r) = smallworld::best_r(&rows, side) {
            out.push_str(&format!("  → best r = {r}"));
        }
        out.push('\n');
    }
    out.push_str(&format!("wrote {}", a.out.display()));
    Ok(out)
}

fn watts_strogatz(a: &WsArgs) -> Result<String, String> {
    let ps = reals(&a.p, "a probability p")?;
    for &p in &ps {
        WsParams {
            n: a.n,
            k: a.k,
            p,
            seed: a.seed,
        }
        .check()
        .map_err(|e| e.to_string())?;
    }
    let bar = ProgressBar::with_draw_target(Some(ps.len() as u64), ProgressDrawTarget::stderr());
    bar.set_style(style());
    bar.set_prefix("rewired rings");
    let mut rows = Vec::new();
    for &p in &ps {
        bar.set_message(format!("p = {p}"));
        rows.extend(ws::sweep(a.n, a.k, &[p], a.runs, a.seed).map_err(|e| e.to_string())?);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let mut w = csv::Writer::from_path(&a.out).map_err(csv_error)?;
    w.write_record(["n", "k", "p", "runs", "c_ratio", "l_ratio"])
        .map_err(csv_error)?;
    for r in &rows {
        w.write_record([
            r.n.to_string(),
            r.k.to_string(),
            r.p.to_string(),
            r.runs.to_string(),
            format!("{:.4}", r.c_ratio),
            format!("{:.4}", r.l_ratio),
        ])
        .map_err(csv_error)?;
    }
    w.flush().map_err(csv_error)?;
    let ring = WsGraph::build(WsParams {
        n: a.n,
        k: a.k,
        p: 0.0,
        seed: a.seed,
    })
    .map_err(|e| e.to_string())?;
    let mut out = format!(
        "ring: C(0) = {:.4} (closed form 3(K−2)/(4(K−1)) = {:.4}), L(0) = {:.2} (≈ N/(2K) = {:.2})\n",
        ring.clustering(),
        ws::clustering_0(a.k),
        ring.mean_path_length(),
        ws::path_length_0(a.n, a.k)
    );
    for r in &rows {
        out.push_str(&format!(
            "p = {:<8} C/C(0) = {:.3}  L/L(0) = {:.3}\n",
            r.p, r.c_ratio, r.l_ratio
        ));
    }
    out.push_str(&format!("wrote {}", a.out.display()));
    Ok(out)
}
