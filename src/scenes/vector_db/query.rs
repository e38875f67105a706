//! The collection built once (objects, HNSW graph, PCA picture and its trustworthiness) and a
//! query answered in the database's terms: near a vector or an object, limit k, a distance
//! threshold, a where-filter; the planner's choice of strategy; every strategy recorded for
//! the race; the truth, and what merely looks near in the picture.

use super::race::{Race, Run};
use super::{DbSettings, Near};
use crate::engine::collection::{Collection, LESSON_QUERY, Source};
use crate::engine::filter::Filter;
use crate::engine::filter_sweep::exact;
use crate::engine::filtered::{self, FilterEvent, Filtered, Strategy, matching_pieces};
use crate::engine::hnsw::{Hnsw, HnswParams};
use crate::engine::pca::trustworthiness;
use crate::engine::projection::Projection;
use crate::engine::{Log, Metric, PointId};

/// Points sampled for the trustworthiness figure.
pub const TRUST_SAMPLE: usize = 300;
/// Neighbours the trustworthiness figure looks at.
pub const TRUST_K: usize = 10;

/// The collection and everything that depends only on it and the index settings.
pub struct Built {
    pub coll: Collection,
    pub metric: Metric,
    pub index: Hnsw,
    /// The picture: PCA onto two axes (none for 2-D vectors), into the unit square.
    pub projection: Projection,
    /// Each object's place in the picture.
    pub picture: Vec<[f32; 2]>,
    pub trust: Option<f64>,
    /// The settings it was built from.
    pub key: u64,
}

impl Built {
    pub fn new(s: &DbSettings, key: u64) -> Result<Self, String> {
        let coll = Collection::load(&s.source)?;
        if coll.is_empty() {
            return Err("the collection has no objects".into());
        }
        let metric = s.metric.unwrap_or(coll.metric);
        let m = s.m.clamp(2, 64);
        let params = HnswParams {
            ef_construction: s.ef_construction.clamp(1, 1000),
            metric,
            seed: s.seed,
            ..HnswParams::new(m)
        };
        // On every core (the same graph for any number of threads).
        let index =
            Hnsw::build_parallel(&coll.points, params, 0, &|_| true).map_err(|e| e.to_string())?;
        let (projection, picture) =
            Projection::fit(&coll.points, metric).map_err(|e| e.to_string())?;
        // The objects carry their picture: `xy` (clicks, hovering) finds them where drawn.
        let mut coll = coll;
        coll.points = coll
            .points
            .with_picture(picture.clone())
            .map_err(|e| e.to_string())?;
        let trust = if coll.dim() > 2 {
            trustworthiness(
                &coll.points,
                metric,
                &picture,
                TRUST_K,
                TRUST_SAMPLE,
                s.seed,
            )
        } else {
            None
        };
        Ok(Self {
            coll,
            metric,
            index,
            projection,
            picture,
            trust,
            key,
        })
    }

    /// Where a vector lands in the picture.
    pub fn project(&self, v: &[f32]) -> [f32; 2] {
        self.projection.project(v)
    }

    /// The vector a click stands for: among the objects drawn there (see
    /// [`Projection::lift`]).
    pub fn lift(&self, at: [f32; 2]) -> Vec<f32> {
        self.projection.lift(at, &self.coll.points, &self.picture)
    }

    /// Whether the picture is a projection (vectors of more than two dimensions).
    pub fn projects(&self) -> bool {
        self.projection.pca.is_some()
    }

    /// The query vector the settings name.
    pub fn query_vector(&self, near: &Near) -> Result<Vec<f32>, String> {
        let d = self.coll.dim();
        match near {
            Near::Object(i) => {
                let i = *i as usize;
                if i >= self.coll.len() {
                    return Err(format!(
                        "there is no object {i}: the collection has {}",
                        self.coll.len()
                    ));
                }
                Ok(self.coll.points.get(PointId(i as u32)).to_vec())
            }
            Near::Vector(v) if v.len() == d => {
                if v.iter().all(|x| x.is_finite()) {
                    Ok(v.clone())
                } else {
                    Err("the query vector has a number that is not finite".into())
                }
            }
            Near::Vector(v) => Err(format!(
                "the query vector has {} numbers, the collection's vectors {d}",
                v.len()
            )),
            Near::Default => Ok(default_query(&self.coll)),
        }
    }
}

/// The query a collection opens with: the lesson's own vector, else the first object moved a
/// quarter of the way towards the middle one (near the data, on no object).
pub fn default_query(coll: &Collection) -> Vec<f32> {
    if coll.dim() == LESSON_QUERY.len() && coll.name == Source::Lesson.name() {
        return LESSON_QUERY.to_vec();
    }
    let a = coll.points.get(PointId(0));
    let b = coll.points.get(PointId((coll.len() / 2) as u32));
    a.iter().zip(b).map(|(x, y)| 0.75 * x + 0.25 * y).collect()
}

/// Which strategy answers, and why (the planner's rule, or the user's choice).
pub fn plan(s: &DbSettings, filtered: bool, matches: usize) -> (Strategy, String) {
    match s.strategy {
        Some(st) => (st, "chosen in the panel".into()),
        None if !filtered => (
            Strategy::PostFilter,
            "no filter: the plain HNSW search".into(),
        ),
        None if matches < s.flat_cutoff => (
            Strategy::PreFilter,
            format!(
                "{matches} matches < flatSearchCutoff {}: the exact scan of the matches",
                s.flat_cutoff
            ),
        ),
        None => (
            Strategy::Acorn1,
            format!(
                "{matches} matches ≥ flatSearchCutoff {}: the filtered graph walk (ACORN-1)",
                s.flat_cutoff
            ),
        ),
    }
}

/// A query answered: the truth, the database's answer, every strategy's recorded walk.
#[derive(Default)]
pub struct Answer {
    pub q: Vec<f32>,
    pub q_xy: [f32; 2],
    pub filter: Option<Filter>,
    pub filter_error: Option<String>,
    pub mask: Vec<bool>,
    pub matches: usize,
    /// The matching subgraph's piece per object, and the pieces' sizes (largest first).
    pub pieces: Vec<Option<u32>>,
    pub piece_sizes: Vec<usize>,
    /// The exact k nearest matches (before the threshold).
    pub truth: Vec<(PointId, f32)>,
    /// The strategy that answered, and the planner's reason.
    pub used: Option<Strategy>,
    pub why: String,
    /// The answer as the database returns it: nearest first, within the threshold.
    pub results: Vec<(PointId, f32)>,
    /// Results the threshold removed.
    pub beyond_threshold: usize,
    /// The query's k nearest in d dimensions (unfiltered) and the k nearest in the picture.
    pub true_near: Vec<PointId>,
    pub looks_near: Vec<PointId>,
    pub race: Race,
}

impl Answer {
    pub fn new(b: &Built, s: &DbSettings) -> Result<Self, String> {
        let q = b.query_vector(&s.near)?;
        let n = b.coll.len();
        let k = s.k.clamp(1, 100);
        let (filter, filter_error) = if s.filter.trim().is_empty() {
            (None, None)
        } else {
            match Filter::parse(&s.filter, &b.coll.props) {
                Ok(f) => (Some(f), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        // A filter that does not parse filters nothing (and says so), as no database would
        // run it; the error is shown where it was typed.
        let mask = filter
            .as_ref()
            .map_or_else(|| vec![true; n], |f| f.mask(&b.coll.props, n));
        let matches = mask.iter().filter(|&&m| m).count();
        let pieces = matching_pieces(&b.index, &mask);
        let mut piece_sizes: Vec<usize> = Vec::new();
        for p in pieces.iter().flatten() {
            let p = *p as usize;
            if piece_sizes.len() <= p {
                piece_sizes.resize(p + 1, 0);
            }
            piece_sizes[p] += 1;
        }
        let truth_ids = exact(&b.coll.points, b.metric, &q, k, &mask);
        let truth: Vec<(PointId, f32)> = truth_ids
            .iter()
            .map(|&id| (id, b.metric.eval(b.coll.points.get(id), &q)))
            .collect();
        let ef = s.ef.max(k);
        let runs: Vec<Run> = Strategy::ALL
            .into_iter()
            .map(|st| {
                let mut log: Log<FilterEvent> = Log::default();
                let r: Filtered = filtered::search_with(
                    &b.index,
                    &b.coll.points,
                    b.metric,
                    &q,
                    k,
                    ef,
                    &mask,
                    st,
                    &mut log,
                );
                let hits = r
                    .results
                    .iter()
                    .filter(|x| truth_ids.contains(&x.0))
                    .count();
                Run::new(st, log.events, r, hits)
            })
            .collect();
        let (used, why) = plan(s, filter.is_some(), matches);
        let mut results = runs
            .iter()
            .find(|r| r.strategy == Some(used))
            .map(|r| r.result.results.clone())
            .unwrap_or_default();
        let before = results.len();
        if let Some(t) = s.threshold {
            results.retain(|r| r.1 <= t);
        }
        let all = vec![true; n];
        let true_near = exact(&b.coll.points, b.metric, &q, k, &all);
        let q_xy = b.project(&q);
        let mut by_picture: Vec<(f32, PointId)> = b
            .picture
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    (p[0] - q_xy[0]).powi(2) + (p[1] - q_xy[1]).powi(2),
                    PointId(i as u32),
                )
            })
            .collect();
        by_picture.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        Ok(Self {
            q_xy,
            filter,
            filter_error,
            matches,
            pieces,
            piece_sizes,
            truth,
            used: Some(used),
            why,
            beyond_threshold: before - results.len(),
            results,
            true_near,
            looks_near: by_picture.into_iter().take(k).map(|x| x.1).collect(),
            race: Race::new(runs),
            mask,
            q,
        })
    }

    /// Objects that look near in the picture but are not among the true k.
    pub fn false_near(&self) -> Vec<PointId> {
        self.looks_near
            .iter()
            .filter(|i| !self.true_near.contains(i))
            .copied()
            .collect()
    }

    pub fn selectivity(&self) -> f64 {
        self.matches as f64 / self.mask.len().max(1) as f64
    }
}
