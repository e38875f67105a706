//! Navigable small world construction (Malkov et al. 2014), one insertion at a time.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::points::{DataError, Dist, Metric, PointId, Points};
use super::recorder::{Event, Recorder};
use super::search::{Beam, Graph, Scored, beam_from};

/// How a new point chooses its `m` links.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum InsertRule {
    /// Its true `m` nearest among the points already inserted (the course's rule).
    Exact,
    /// The `m` nearest found by the graph's own search: `w` searches from random entries
    /// sharing one visited set and one kept set of width `m` (Malkov et al. 2014).
    Malkov2014 { w: u16 },
}

impl InsertRule {
    pub fn name(self) -> &'static str {
        match self {
            InsertRule::Exact => "exact m nearest",
            InsertRule::Malkov2014 { .. } => "Malkov 2014 (search, w restarts)",
        }
    }
}

/// Parameters of an NSW build.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NswParams {
    /// Links made by each insertion.
    pub m: usize,
    pub rule: InsertRule,
    pub metric: Metric,
    /// Seeds the random entries of the Malkov rule.
    pub seed: u64,
}

impl Default for NswParams {
    fn default() -> Self {
        Self {
            m: 3,
            rule: InsertRule::Exact,
            metric: Metric::Euclidean,
            seed: 1,
        }
    }
}

/// An undirected NSW graph over the first `inserted` points of a data set.
#[derive(Clone, Debug)]
pub struct Nsw {
    adj: Vec<Vec<PointId>>,
    inserted: usize,
    params: NswParams,
    rng: Pcg64Mcg,
    beam: Beam,
}

impl Graph for Nsw {
    fn node_count(&self) -> usize {
        self.inserted
    }
    fn neighbors(&self, id: PointId) -> &[PointId] {
        &self.adj[id.idx()]
    }
}

impl Nsw {
    /// An empty graph ready to take the points of `points` in id order.
    pub fn new(points: &Points, params: NswParams) -> Result<Self, DataError> {
        if params.m == 0 {
            return Err(DataError::BadParameter(
                "m must be at least 1: every new point needs a link".into(),
            ));
        }
        if let InsertRule::Malkov2014 { w: 0 } = params.rule {
            return Err(DataError::BadParameter(
                "w must be at least 1: the Malkov rule needs one search".into(),
            ));
        }
        Ok(Self {
            adj: vec![Vec::new(); points.len()],
            inserted: 0,
            params,
            rng: Pcg64Mcg::seed_from_u64(params.seed),
            beam: Beam::new(points.len()),
        })
    }

    /// A graph over no points.
    pub fn empty() -> Self {
        let params = NswParams::default();
        Self {
            adj: Vec::new(),
            inserted: 0,
            params,
            rng: Pcg64Mcg::seed_from_u64(params.seed),
            beam: Beam::new(0),
        }
    }

    /// Builds the whole graph; returns it with the number of distances computed.
    pub fn build<R: Recorder>(
        points: &Points,
        params: NswParams,
        rec: &mut R,
    ) -> Result<(Self, u64), DataError> {
        let mut g = Self::new(points, params)?;
        let mut dist = Dist::new(params.metric);
        while g.inserted < points.len() {
            g.insert_next(points, &mut dist, rec);
        }
        Ok((g, dist.count))
    }

    pub fn params(&self) -> NswParams {
        self.params
    }

    pub fn inserted(&self) -> usize {
        self.inserted
    }

    pub fn degree(&self, id: PointId) -> usize {
        self.adj[id.idx()].len()
    }

    /// Every undirected edge once, as (smaller id, larger id).
    pub fn edges(&self) -> impl Iterator<Item = (PointId, PointId)> + '_ {
        self.adj.iter().enumerate().flat_map(|(a, nbs)| {
            nbs.iter()
                .filter(move |b| b.idx() > a)
                .map(move |&b| (PointId(a as u32), b))
        })
    }

    pub fn edge_count(&self) -> usize {
        self.adj.iter().map(Vec::len).sum::<usize>() / 2
    }

    /// Inserts the next point (id = number inserted so far). Returns its id, or `None` when
    /// every point is in.
    pub fn insert_next<R: Recorder>(
        &mut self,
        points: &Points,
        dist: &mut Dist,
        rec: &mut R,
    ) -> Option<PointId> {
        if self.inserted >= points.len() {
            return None;
        }
        if self.adj.len() < points.len() {
            self.adj.resize(points.len(), Vec::new());
        }
        let node = PointId(self.inserted as u32);
        if R::ENABLED {
            rec.record(Event::Insert { node });
        }
        let q = points.get(node);
        let m = self.params.m;
        let chosen: Vec<Scored> = match self.params.rule {
            InsertRule::Exact => {
                let fine = rec.fine();
                if R::ENABLED && !fine {
                    rec.record(Event::Scan {
                        node,
                        count: self.inserted as u32,
                    });
                }
                let mut all: Vec<Scored> = (0..self.inserted as u32)
                    .map(|i| {
                        let id = PointId(i);
                        let d = dist.eval(q, points.get(id));
                        if R::ENABLED && fine {
                            rec.record(Event::Evaluate {
                                node: id,
                                from: node,
                                dist: d,
                            });
                        }
                        Scored { dist: d, id }
                    })
                    .collect();
                let k = m.min(all.len());
                if k > 0 {
                    all.select_nth_unstable(k - 1);
                }
                all.truncate(k);
                all.sort();
                all
            }
            InsertRule::Malkov2014 { w } => {
                self.beam.reset(points.len());
                if self.inserted > 0 {
                    for attempt in 0..w {
                        // A fresh random entry; if it was already reached, try a few others.
                        for _ in 0..8 {
                            let e = PointId(self.rng.random_range(0..self.inserted as u32));
                            if !self.beam.visited.contains(e) {
                                let mut beam = std::mem::take(&mut self.beam);
                                beam_from(self, points, dist, q, e, attempt, m, &mut beam, rec);
                                self.beam = beam;
                                break;
                            }
                        }
                    }
                }
                self.beam.sorted_kept()
            }
        };
        for (rank, s) in chosen.iter().enumerate() {
            if R::ENABLED {
                rec.record(Event::Connect {
                    from: node,
                    to: s.id,
                    dist: s.dist,
                    rank: rank as u16,
                });
            }
            self.adj[node.idx()].push(s.id);
            self.adj[s.id.idx()].push(node);
        }
        self.inserted += 1;
        Some(node)
    }
}
