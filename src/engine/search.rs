//! Searches on a proximity graph: greedy, multi-start greedy and beam (SEARCH-LAYER with `ef`).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::points::{DataError, Dist, PointId, Points};
use super::recorder::{Event, Recorder};

/// Anything with numbered nodes and neighbour lists.
pub trait Graph {
    fn node_count(&self) -> usize;
    fn neighbors(&self, id: PointId) -> &[PointId];
}

/// A distance paired with an id, ordered by distance then id (so ties are deterministic).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scored {
    pub dist: f32,
    pub id: PointId,
}

impl Eq for Scored {}
impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        self.dist
            .total_cmp(&other.dist)
            .then(self.id.cmp(&other.id))
    }
}

/// Reversed order: a `BinaryHeap<Near>` pops the nearest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Near(pub Scored);
impl PartialOrd for Near {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Near {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.cmp(&self.0)
    }
}

/// A visited set reset in O(1) by bumping a generation counter.
#[derive(Clone, Debug, Default)]
pub struct Visited {
    marks: Vec<u32>,
    generation: u32,
}

impl Visited {
    pub fn new(n: usize) -> Self {
        Self {
            marks: vec![0; n],
            generation: 1,
        }
    }

    /// Forgets every mark, growing to `n` nodes if needed.
    pub fn clear(&mut self, n: usize) {
        if self.marks.len() < n {
            self.marks.resize(n, 0);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.marks.iter_mut().for_each(|m| *m = 0);
            self.generation = 1;
        }
    }

    /// Marks `id`; returns true if it was not marked before.
    #[inline]
    pub fn insert(&mut self, id: PointId) -> bool {
        let m = &mut self.marks[id.idx()];
        if *m == self.generation {
            false
        } else {
            *m = self.generation;
            true
        }
    }

    #[inline]
    pub fn contains(&self, id: PointId) -> bool {
        self.marks.get(id.idx()) == Some(&self.generation)
    }
}

/// Counters of one search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SearchStats {
    /// Distances computed (including the entry's).
    pub distance_computations: u64,
    /// Moves (greedy) or expansions (beam).
    pub hops: u64,
    /// Distinct nodes whose distance was computed.
    pub visited: u64,
}

impl std::ops::AddAssign for SearchStats {
    fn add_assign(&mut self, o: Self) {
        self.distance_computations += o.distance_computations;
        self.hops += o.hops;
        self.visited += o.visited;
    }
}

/// What a search returns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Best first.
    pub results: Vec<(PointId, f32)>,
    pub stats: SearchStats,
    /// Where each greedy walk stopped (one per attempt); empty for beam.
    pub stops: Vec<(PointId, f32)>,
}

/// The search modes of the NSW scenes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SearchMode {
    Greedy,
    MultiStart { restarts: u16 },
    Beam { ef: u16 },
}

/// Why a search could not run.
pub fn check_search<G: Graph>(
    graph: &G,
    points: &Points,
    query: &[f32],
    entry: PointId,
) -> Result<(), DataError> {
    if graph.node_count() == 0 {
        return Err(DataError::BadParameter(
            "there are no points to search".into(),
        ));
    }
    if query.len() != points.dim() {
        return Err(DataError::QueryDimension {
            expected: points.dim(),
            got: query.len(),
        });
    }
    if query.iter().any(|v| !v.is_finite()) {
        return Err(DataError::BadParameter(
            "the query has a coordinate that is not a finite number".into(),
        ));
    }
    if entry.idx() >= graph.node_count() {
        return Err(DataError::BadParameter(format!(
            "entry node {entry} does not exist (there are {} nodes)",
            graph.node_count()
        )));
    }
    Ok(())
}

/// Greedy walk: from `entry`, evaluate every neighbour, move to the closest while it is closer
/// than the current node; stop when none is. A node already evaluated on this walk is not
/// evaluated again (it cannot be closer than where the walk now stands).
#[allow(clippy::too_many_arguments)]
pub fn greedy<G: Graph, R: Recorder>(
    graph: &G,
    points: &Points,
    dist: &mut Dist,
    query: &[f32],
    entry: PointId,
    attempt: u16,
    visited: &mut Visited,
    rec: &mut R,
) -> Outcome {
    let before = dist.count;
    visited.clear(graph.node_count());
    visited.insert(entry);
    let mut cur = entry;
    let mut cur_d = dist.eval(query, points.get(entry));
    let mut seen = 1u64;
    let mut hops = 0u64;
    if R::ENABLED {
        rec.record(Event::Start {
            entry,
            dist: cur_d,
            attempt,
        });
    }
    loop {
        let mut best: Option<Scored> = None;
        for &nb in graph.neighbors(cur) {
            if !visited.insert(nb) {
                continue;
            }
            seen += 1;
            let d = dist.eval(query, points.get(nb));
            if R::ENABLED {
                rec.record(Event::Evaluate {
                    node: nb,
                    from: cur,
                    dist: d,
                });
            }
            let s = Scored { dist: d, id: nb };
            if best.is_none_or(|b| s < b) {
                best = Some(s);
            }
        }
        match best {
            Some(b) if b.dist < cur_d => {
                if R::ENABLED {
                    rec.record(Event::Move {
                        from: cur,
                        to: b.id,
                        from_dist: cur_d,
                        to_dist: b.dist,
                    });
                }
                cur = b.id;
                cur_d = b.dist;
                hops += 1;
            }
            _ => {
                if R::ENABLED {
                    rec.record(Event::Stop {
                        node: cur,
                        dist: cur_d,
                        best: best.map(|b| (b.id, b.dist)),
                    });
                }
                break;
            }
        }
    }
    Outcome {
        results: vec![(cur, cur_d)],
        stats: SearchStats {
            distance_computations: dist.count - before,
            hops,
            visited: seen,
        },
        stops: vec![(cur, cur_d)],
    }
}

/// Greedy from `entry`, then from `restarts` more random entries (seeded, distinct where
/// possible); the best `k` of the walks' end points win.
#[allow(clippy::too_many_arguments)]
pub fn multi_start<G: Graph, R: Recorder>(
    graph: &G,
    points: &Points,
    dist: &mut Dist,
    query: &[f32],
    entry: PointId,
    restarts: usize,
    seed: u64,
    k: usize,
    rec: &mut R,
) -> Outcome {
    let n = graph.node_count();
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut visited = Visited::new(n);
    let mut entries = vec![entry];
    let extra = restarts.min(n.saturating_sub(1));
    while entries.len() < extra + 1 {
        let e = PointId(rng.random_range(0..n as u32));
        if !entries.contains(&e) {
            entries.push(e);
        }
    }
    let mut out = Outcome::default();
    for (i, &e) in entries.iter().enumerate() {
        let o = greedy(graph, points, dist, query, e, i as u16, &mut visited, rec);
        out.stats += o.stats;
        out.stops.extend(o.stops);
    }
    let mut ends: Vec<Scored> = out
        .stops
        .iter()
        .map(|&(id, dist)| Scored { dist, id })
        .collect();
    ends.sort();
    ends.dedup_by_key(|s| s.id);
    out.results = ends.iter().take(k.max(1)).map(|s| (s.id, s.dist)).collect();
    if R::ENABLED {
        for (rank, &(node, dist)) in out.results.iter().enumerate() {
            rec.record(Event::Result {
                rank: rank as u16,
                node,
                dist,
            });
        }
    }
    out
}

/// The working sets of a beam search, reusable across attempts and queries.
#[derive(Clone, Debug, Default)]
pub struct Beam {
    /// C: candidates to expand, nearest on top.
    pub candidates: BinaryHeap<Near>,
    /// W: the `ef` nearest found, furthest on top.
    pub kept: BinaryHeap<Scored>,
    pub visited: Visited,
}

impl Beam {
    pub fn new(n: usize) -> Self {
        Self {
            candidates: BinaryHeap::new(),
            kept: BinaryHeap::new(),
            visited: Visited::new(n),
        }
    }

    /// Empties C, W and the visited set.
    pub fn reset(&mut self, n: usize) {
        self.candidates.clear();
        self.kept.clear();
        self.visited.clear(n);
    }

    /// W's members, nearest first.
    pub fn sorted_kept(&self) -> Vec<Scored> {
        let mut v: Vec<Scored> = self.kept.iter().copied().collect();
        v.sort();
        v
    }
}

/// Offers `s` to W (bounded by `ef`) and, if kept, to C. Returns whether it was kept.
#[inline]
fn offer<R: Recorder>(beam: &mut Beam, s: Scored, ef: usize, rec: &mut R) -> bool {
    let furthest = beam.kept.peek().copied();
    if beam.kept.len() < ef || furthest.is_some_and(|f| s < f) {
        beam.candidates.push(Near(s));
        beam.kept.push(s);
        let evicted = if beam.kept.len() > ef {
            beam.kept.pop()
        } else {
            None
        };
        if R::ENABLED {
            rec.record(Event::Accept {
                node: s.id,
                dist: s.dist,
                evicted: evicted.map(|e| (e.id, e.dist)),
            });
        }
        true
    } else {
        if R::ENABLED {
            rec.record(Event::Reject {
                node: s.id,
                dist: s.dist,
                furthest: furthest.map_or(f32::INFINITY, |f| f.dist),
            });
        }
        false
    }
}

/// SEARCH-LAYER (Malkov & Yashunin, Algorithm 2) from one more entry, keeping the state in
/// `beam` so several attempts can share W and the visited set (as Malkov 2014's k-NN search
/// does). Returns (distance computations, expansions, newly visited).
#[allow(clippy::too_many_arguments)]
pub fn beam_from<G: Graph, R: Recorder>(
    graph: &G,
    points: &Points,
    dist: &mut Dist,
    query: &[f32],
    entry: PointId,
    attempt: u16,
    ef: usize,
    beam: &mut Beam,
    rec: &mut R,
) -> SearchStats {
    let before = dist.count;
    let ef = ef.max(1);
    let mut stats = SearchStats::default();
    if !beam.visited.insert(entry) {
        return stats;
    }
    stats.visited += 1;
    let d = dist.eval(query, points.get(entry));
    if R::ENABLED {
        rec.record(Event::Start {
            entry,
            dist: d,
            attempt,
        });
    }
    offer(beam, Scored { dist: d, id: entry }, ef, rec);
    while let Some(Near(c)) = beam.candidates.pop() {
        let furthest = beam.kept.peek().map_or(f32::INFINITY, |f| f.dist);
        if c.dist > furthest {
            if R::ENABLED {
                rec.record(Event::BeamStop {
                    node: c.id,
                    dist: c.dist,
                    furthest,
                });
            }
            beam.candidates.clear();
            break;
        }
        if R::ENABLED {
            rec.record(Event::Expand {
                node: c.id,
                dist: c.dist,
            });
        }
        stats.hops += 1;
        for &e in graph.neighbors(c.id) {
            if !beam.visited.insert(e) {
                continue;
            }
            stats.visited += 1;
            let d = dist.eval(query, points.get(e));
            if R::ENABLED {
                rec.record(Event::Evaluate {
                    node: e,
                    from: c.id,
                    dist: d,
                });
            }
            offer(beam, Scored { dist: d, id: e }, ef, rec);
        }
    }
    stats.distance_computations = dist.count - before;
    stats
}

/// Beam search with width `ef` from `entry`; the best `k` of W are returned.
#[allow(clippy::too_many_arguments)]
pub fn beam<G: Graph, R: Recorder>(
    graph: &G,
    points: &Points,
    dist: &mut Dist,
    query: &[f32],
    entry: PointId,
    ef: usize,
    k: usize,
    rec: &mut R,
) -> Outcome {
    let mut b = Beam::new(graph.node_count());
    let stats = beam_from(graph, points, dist, query, entry, 0, ef.max(k), &mut b, rec);
    let results: Vec<(PointId, f32)> = b
        .sorted_kept()
        .into_iter()
        .take(k.max(1))
        .map(|s| (s.id, s.dist))
        .collect();
    if R::ENABLED {
        for (rank, &(node, dist)) in results.iter().enumerate() {
            rec.record(Event::Result {
                rank: rank as u16,
                node,
                dist,
            });
        }
    }
    Outcome {
        results,
        stats,
        stops: Vec::new(),
    }
}

/// Runs the chosen mode. `seed` draws the restarts' random entries.
#[allow(clippy::too_many_arguments)]
pub fn run<G: Graph, R: Recorder>(
    graph: &G,
    points: &Points,
    dist: &mut Dist,
    query: &[f32],
    entry: PointId,
    mode: SearchMode,
    k: usize,
    seed: u64,
    rec: &mut R,
) -> Result<Outcome, DataError> {
    check_search(graph, points, query, entry)?;
    Ok(match mode {
        SearchMode::Greedy => {
            let mut v = Visited::new(graph.node_count());
            let o = greedy(graph, points, dist, query, entry, 0, &mut v, rec);
            if R::ENABLED {
                rec.record(Event::Result {
                    rank: 0,
                    node: o.results[0].0,
                    dist: o.results[0].1,
                });
            }
            o
        }
        SearchMode::MultiStart { restarts } => multi_start(
            graph,
            points,
            dist,
            query,
            entry,
            restarts as usize,
            seed,
            k,
            rec,
        ),
        SearchMode::Beam { ef } => beam(graph, points, dist, query, entry, ef as usize, k, rec),
    })
}
