//! `ann-explorer scale`: the scaling lab on a terminal — the same sweep as the window's lab,
//! a progress bar per task (phase, done / total, elapsed, time left), the rows as CSV or JSON
//! and a plot as SVG or PNG.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::scaling::{DataKind, Method, Row, Sweep};
use crate::export::chart;
use crate::scenes::scaling_lab::job::{self as lab, LabJob};
use crate::scenes::scaling_lab::plots::{self, PlotKind};

/// Options of `scale`.
#[derive(Args, Debug, Clone)]
pub struct ScaleArgs {
    /// Methods, comma-separated: brute, kdtree, nsw, hnsw, annoy.
    #[arg(long, default_value = "brute,kdtree,nsw,hnsw")]
    pub methods: String,
    /// Sizes, comma-separated (1k, 30k and 1M are understood).
    #[arg(long, default_value = "1000,10000,100000")]
    pub sizes: String,
    /// Dimension of the points.
    #[arg(long, default_value_t = 2)]
    pub dim: usize,
    /// Queries per setting.
    #[arg(long, default_value_t = 200)]
    pub queries: usize,
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// The graphs' ef values, comma-separated.
    #[arg(long, default_value = "10,32,128")]
    pub ef: String,
    /// uniform or clusters.
    #[arg(long, default_value = "uniform")]
    pub data: String,
    /// HNSW's M.
    #[arg(long = "M", default_value_t = 16)]
    pub m: usize,
    #[arg(long, default_value_t = 200)]
    pub ef_construction: usize,
    /// Annoy's trees.
    #[arg(long, default_value_t = 10)]
    pub n_trees: usize,
    /// Annoy's search_k values (candidates collected per query), comma-separated.
    #[arg(long, default_value = "100,1000,10000")]
    pub search_k: String,
    /// Threads of the HNSW build and the exact answers (default: every core).
    #[arg(long)]
    pub threads: Option<usize>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where to write the results: .csv (one row per method, n and setting) or .json.
    #[arg(long)]
    pub out: PathBuf,
    /// Also draw a plot: .svg or .png.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Which plot: query-time, distances, build, recall, pareto, or all (one file each,
    /// named after the plot).
    #[arg(long, default_value = "query-time")]
    pub plot_kind: String,
}

/// "1k", "30k", "1M", "1000".
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim().to_ascii_lowercase().replace('_', "");
    let (num, mul) = if let Some(x) = t.strip_suffix('m') {
        (x, 1_000_000.0)
    } else if let Some(x) = t.strip_suffix('k') {
        (x, 1_000.0)
    } else {
        (t.as_str(), 1.0)
    };
    let v: f64 = num
        .parse()
        .map_err(|_| format!("'{s}' is not a size (e.g. 1000, 30k, 1M)"))?;
    if !(v.is_finite() && v >= 0.0) {
        return Err(format!("'{s}' is not a size"));
    }
    Ok((v * mul).round() as usize)
}

pub fn list<T>(s: &str, f: impl Fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    s.split(',')
        .filter(|x| !x.trim().is_empty())
        .map(f)
        .collect()
}

/// Whole numbers, comma-separated; an error names the one that is not, as `what`.
fn numbers(s: &str, what: &str) -> Result<Vec<usize>, String> {
    list(s, |e| {
        e.trim()
            .parse()
            .map_err(|_| format!("'{e}' is not {what} (a whole number)"))
    })
}

impl ScaleArgs {
    /// The sweep these options ask for.
    pub fn sweep(&self) -> Result<Sweep, String> {
        let d = Sweep::default();
        let sweep = Sweep {
            methods: list(&self.methods, |m| {
                Method::parse(m).map_err(|e| e.to_string())
            })?,
            sizes: list(&self.sizes, parse_size)?,
            dim: self.dim,
            data: DataKind::parse(&self.data).map_err(|e| e.to_string())?,
            queries: self.queries,
            k: self.k,
            ef: numbers(&self.ef, "an ef")?,
            m: self.m,
            ef_construction: self.ef_construction,
            n_trees: self.n_trees,
            search_k: numbers(&self.search_k, "a search_k")?,
            threads: self.threads.unwrap_or(d.threads),
            seed: self.seed,
            ..d
        };
        sweep.validate().map_err(|e| e.to_string())?;
        Ok(sweep)
    }
}

fn plot_kinds(s: &str) -> Result<Vec<PlotKind>, String> {
    if s == "all" {
        return Ok(PlotKind::ALL.to_vec());
    }
    list(s, |k| {
        PlotKind::parse(k.trim()).ok_or_else(|| {
            format!(
                "unknown plot '{k}': choose query-time, distances, build, recall, pareto or all"
            )
        })
    })
}

/// Writes `kind`'s plot of `rows` to `out` (.svg or .png).
pub fn write_plot(kind: PlotKind, rows: &[Row], out: &Path) -> Result<(), String> {
    chart::write(&plots::plot(kind, rows, None), out)
}

pub fn style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{prefix:>24} {msg:<20} [{bar:28}] {pos:>9}/{len:<9} {elapsed:>4} left {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ")
}

/// Runs the sweep with a progress bar per task; returns what to print.
pub fn run(args: &ScaleArgs) -> Result<String, String> {
    let sweep = args.sweep()?;
    let kinds = plot_kinds(&args.plot_kind)?;
    if let Some(p) = &args.plot {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !ext.eq_ignore_ascii_case("svg") && !ext.eq_ignore_ascii_case("png") {
            return Err(format!("{}: a plot is .svg or .png", p.display()));
        }
    }
    let job = LabJob::start(sweep.clone()).map_err(|e| e.to_string())?;
    let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
    let mut bars: Vec<Option<ProgressBar>> = vec![None; job.tasks.len()];
    let mut reported = vec![false; job.tasks.len()];
    loop {
        let running = job.running();
        for (i, p) in job.progress.iter().enumerate() {
            let snap = p.snapshot();
            if !snap.started || reported[i] {
                continue;
            }
            let bar = bars[i].get_or_insert_with(|| {
                let b = multi.add(ProgressBar::new(snap.total.max(1)));
                b.set_style(style());
                b.set_prefix(job.tasks[i].to_string());
                b
            });
            if bar.message() != snap.phase {
                bar.reset();
                bar.set_message(snap.phase.clone());
            }
            bar.set_length(snap.total.max(1));
            bar.set_position(snap.done);
            if snap.finished {
                reported[i] = true;
                let outcome = if snap.cancelled {
                    "cancelled".to_string()
                } else {
                    format!("done in {:.1} s", snap.elapsed.as_secs_f64())
                };
                bar.finish_with_message(outcome);
            }
        }
        if !running {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let (rows, outcome) = job.wait();
    outcome.map_err(|e| e.to_string())?;
    lab::write_results(&args.out, &sweep, &rows)?;
    let mut said = format!("wrote {} rows to {}", rows.len(), args.out.display());
    if let Some(p) = &args.plot {
        for &kind in &kinds {
            let path = if kinds.len() > 1 {
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("plot");
                let ext = p.extension().and_then(|s| s.to_str()).unwrap_or("svg");
                p.with_file_name(format!("{stem}-{}.{ext}", kind.id()))
            } else {
                p.clone()
            };
            write_plot(kind, &rows, &path)?;
            said.push_str(&format!(
                "\nwrote the {} plot to {}",
                kind.short(),
                path.display()
            ));
        }
    }
    said.push('\n');
    said.push_str(&table(&rows));
    Ok(said)
}

/// The rows as an aligned table for the terminal.
pub fn table(rows: &[Row]) -> String {
    let mut s = format!(
        "{:<12} {:>9} {:>6} {:>10} {:>12} {:>11} {:>12} {:>7}\n",
        "method", "n", "setting", "build s", "queries/s", "µs/query", "dist/query", "recall"
    );
    for r in rows {
        s.push_str(&format!(
            "{:<12} {:>9} {:>6} {:>10.3} {:>12.0} {:>11.2} {:>12} {:>7.4}\n",
            r.method.name(),
            r.n,
            r.setting().map_or("-".to_string(), |e| e.to_string()),
            r.build_s,
            r.qps,
            r.query_us,
            r.distances_per_query
                .map_or("-".to_string(), |d| format!("{d:.0}")),
            r.recall
        ));
    }
    s
}
