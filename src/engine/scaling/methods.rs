//! Building each method's index and timing its queries: one function per method, the same
//! engine code the animated scenes run (with the no-op recorder).

use std::sync::Arc;
use std::time::Instant;

use super::{LabError, Method, Progress, Row, Sweep, Workload};
use crate::engine::annoy::{Annoy, AnnoyMetric, AnnoyParams};
use crate::engine::brute::top_k_l2;
use crate::engine::hnsw::{Hnsw, HnswParams, Scratch};
use crate::engine::kdtree::KdTree;
use crate::engine::rng::nth;
use crate::engine::search::{Beam, Graph, beam_from};
use crate::engine::{Dist, InsertRule, Metric, NoRecorder, Nsw, NswParams, PointId};

/// Largest size whose HNSW the lab keeps for its picture (the picture of a larger sweep is
/// the largest size at or below it).
pub const KEPT_MAX: usize = 1_000_000;

/// An index being measured (one at a time: the size of the variants does not matter).
#[allow(clippy::large_enum_variant)]
enum Index {
    Brute,
    Kdtree(KdTree),
    Nsw(Nsw),
    Hnsw(Hnsw),
    Annoy(Annoy),
}

/// What the lab keeps of the largest size measured: its data and queries, and its HNSW if
/// one was built (to draw the point cloud and walk a query through the layers).
#[derive(Clone, Debug)]
pub struct Built {
    pub workload: Workload,
    pub hnsw: Option<Arc<Hnsw>>,
}

impl Built {
    pub(super) fn new(w: &Workload) -> Self {
        Self {
            workload: w.clone(),
            hnsw: None,
        }
    }

    pub(super) fn keep(&mut self, index: Option<Hnsw>) {
        if let Some(h) = index {
            self.hnsw = Some(Arc::new(h));
        }
    }
}

/// HNSW's parameters in a sweep.
pub fn hnsw_params(sweep: &Sweep) -> HnswParams {
    HnswParams {
        ef_construction: sweep.ef_construction,
        seed: sweep.seed,
        ..HnswParams::new(sweep.m)
    }
}

/// Builds `method` over the workload, times its queries at each setting, reports a row per
/// setting; returns the HNSW index if that is what it built.
pub(super) fn measure(
    sweep: &Sweep,
    method: Method,
    w: &Workload,
    p: &Progress,
    on_row: &mut impl FnMut(Row),
) -> Result<Option<Hnsw>, LabError> {
    let n = w.n();
    p.phase("build", n as u64);
    let t = Instant::now();
    let index = match method {
        Method::Brute => Index::Brute,
        Method::Kdtree => {
            // kiddo builds in one call: cancel is seen before and after it.
            p.check()?;
            let t = KdTree::build(&w.points)?;
            p.check()?;
            p.set(n as u64);
            Index::Kdtree(t)
        }
        Method::Nsw => {
            let params = NswParams {
                m: sweep.nsw_m,
                rule: InsertRule::Malkov2014 { w: sweep.nsw_w },
                metric: Metric::Euclidean,
                seed: sweep.seed,
            };
            let mut g = Nsw::new(&w.points, params)?;
            let mut dist = Dist::new(Metric::Euclidean);
            while g
                .insert_next(&w.points, &mut dist, &mut NoRecorder)
                .is_some()
            {
                let i = g.inserted();
                if i % 1024 == 0 {
                    p.set(i as u64);
                    p.check()?;
                }
            }
            Index::Nsw(g)
        }
        Method::Annoy => {
            let params = AnnoyParams {
                n_trees: sweep.n_trees,
                k_leaf: None,
                metric: AnnoyMetric::Euclidean,
                two_means_steps: crate::engine::annoy::ITERATION_STEPS,
                seed: sweep.seed,
            };
            // One tree at a time: progress and cancel between trees.
            p.phase("build", sweep.n_trees as u64);
            let mut a = Annoy::empty(&w.points, params)?;
            for t in 0..sweep.n_trees {
                p.check()?;
                a.grow_tree(&mut NoRecorder);
                p.set(t as u64 + 1);
            }
            Index::Annoy(a)
        }
        Method::Hnsw => {
            let params = hnsw_params(sweep);
            let h = Hnsw::build_parallel(&w.points, params, sweep.effective_threads(), &|done| {
                p.set(done as u64);
                !p.is_cancelled()
            })?;
            p.check()?;
            Index::Hnsw(h)
        }
    };
    let build_s = if method == Method::Brute {
        0.0
    } else {
        t.elapsed().as_secs_f64()
    };
    let nq = w.query_count();
    let k = w.k;
    for setting in sweep.settings(method) {
        let label = match (method.setting_name(), setting) {
            (Some(name), Some(v)) => format!("queries, {name} = {v}"),
            _ => "queries".to_string(),
        };
        p.phase(&label, nq as u64);
        let mut found: Vec<Vec<u32>> = vec![Vec::with_capacity(k); nq];
        let mut distances: Option<u64> = Some(0);
        let mut q = Querier::new(&index, w, setting, sweep.seed);
        let t = Instant::now();
        for (qi, f) in found.iter_mut().enumerate() {
            // One relaxed load a query: a brute-force query at 1M points lasts milliseconds.
            p.check()?;
            if qi % 16 == 0 {
                p.set(qi as u64);
            }
            let count = q.query(qi);
            distances = match (distances, count) {
                (Some(a), Some(b)) => Some(a + b),
                _ => None,
            };
            f.extend(q.out.iter().map(|r| r.0.0));
        }
        let mut secs = t.elapsed().as_secs_f64();
        // A batch shorter than MIN_TIMED is timed again (same queries, same answers) until
        // the clock has something to measure: 200 queries at 500k/s last 0.4 ms.
        let mut timed = nq;
        while secs < MIN_TIMED && timed < nq * MAX_PASSES {
            p.check()?;
            let t = Instant::now();
            for qi in 0..nq {
                q.query(qi);
            }
            secs += t.elapsed().as_secs_f64();
            timed += nq;
        }
        let secs = secs.max(1e-9);
        p.set(nq as u64);
        let params = match (method, setting) {
            (Method::Hnsw, Some(ef)) => format!(
                "M={} ef_construction={} ef={ef}",
                sweep.m, sweep.ef_construction
            ),
            (Method::Nsw, Some(ef)) => {
                format!("m={} w={} ef={ef}", sweep.nsw_m, sweep.nsw_w)
            }
            (Method::Kdtree, _) => "kiddo, leaves of 32".to_string(),
            (Method::Annoy, Some(sk)) => {
                format!("n_trees={} K={} search_k={sk}", sweep.n_trees, w.dim() + 2)
            }
            _ => "exact scan".to_string(),
        };
        on_row(Row {
            method,
            n,
            dim: w.dim(),
            k,
            params,
            build_s,
            qps: timed as f64 / secs,
            query_us: secs * 1e6 / timed as f64,
            distances_per_query: distances.map(|d| d as f64 / nq as f64),
            recall: w.recall(&found),
            ef: setting.filter(|_| method.sweeps_ef()),
            search_k: setting.filter(|_| method == Method::Annoy),
            data: sweep.data,
            queries: nq,
            threads: if method == Method::Hnsw {
                sweep.effective_threads()
            } else {
                1
            },
        });
    }
    Ok(match index {
        Index::Hnsw(h) if n <= KEPT_MAX => Some(h),
        _ => None,
    })
}

/// Shortest time a setting's queries are timed for, and most passes over them.
const MIN_TIMED: f64 = 0.2;
const MAX_PASSES: usize = 50;

/// One setting's queries over an index, with the working memory they reuse.
struct Querier<'a> {
    index: &'a Index,
    w: &'a Workload,
    setting: Option<usize>,
    seed: u64,
    scratch: Scratch,
    beam: Beam,
    dist: Dist,
    /// The last query's answers.
    out: Vec<(PointId, f32)>,
}

impl<'a> Querier<'a> {
    fn new(index: &'a Index, w: &'a Workload, setting: Option<usize>, seed: u64) -> Self {
        Self {
            index,
            w,
            setting,
            seed,
            scratch: Scratch::new(w.n()),
            beam: Beam::new(w.n()),
            dist: Dist::new(Metric::Euclidean),
            out: Vec::with_capacity(w.k),
        }
    }

    /// Query `qi` of the workload into `out`; returns its distance computations if the
    /// method reports them.
    fn query(&mut self, qi: usize) -> Option<u64> {
        let (w, k, out) = (self.w, self.w.k, &mut self.out);
        let q = w.query(qi);
        match self.index {
            Index::Brute => Some(top_k_l2(&w.points, q, k, out)),
            Index::Kdtree(t) => {
                t.search_into(q, k, out);
                None
            }
            Index::Hnsw(h) => {
                let ef = self.setting.unwrap_or(k);
                Some(
                    h.search_into(q, k, ef, &mut self.scratch, out)
                        .distance_computations,
                )
            }
            Index::Annoy(a) => {
                let (found, s) = a.search(q, k, self.setting).ok()?;
                out.clear();
                out.extend(found);
                Some(s.distance_computations)
            }
            Index::Nsw(g) => {
                let ef = self.setting.unwrap_or(k).max(k);
                self.beam.reset(g.node_count());
                // One search from a random entry, as a new query into a flat graph.
                let entry = PointId((nth(self.seed, qi as u64) % w.n() as u64) as u32);
                let before = self.dist.count;
                let (beam, dist) = (&mut self.beam, &mut self.dist);
                beam_from(g, &w.points, dist, q, entry, 0, ef, beam, &mut NoRecorder);
                out.clear();
                out.extend(beam.sorted_kept().iter().take(k).map(|s| (s.id, s.dist)));
                Some(dist.count - before)
            }
        }
    }
}
