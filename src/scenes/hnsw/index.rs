//! The HNSW scene's index, the operation it plays (search, insert, delete, move), its edits
//! and the per-layer facts. Free of egui.

use crate::engine::hnsw::{Hnsw, HnswParams, HnswStats, Scratch};
use crate::engine::rng::SplitMix64;
use crate::engine::{DataError, PointId, Points};
use crate::trace::Trace;
use crate::trace::player::Player;

use crate::scenes::playback::WalkPlayback as Playback;

/// Per-layer facts about the graph (petgraph does the connectivity).
#[derive(Clone, Debug, PartialEq)]
pub struct LayerDetail {
    pub layer: u8,
    pub nodes: usize,
    pub links: usize,
    pub degree_min: usize,
    pub degree_mean: f32,
    pub degree_max: usize,
    /// Weakly connected components of the layer's directed graph.
    pub components: usize,
    /// Nodes of the layer that no walk from the entry point along this layer's links reaches.
    pub unreachable: Vec<PointId>,
}

/// Which operation the playback shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HnswOp {
    Search,
    Insert(PointId),
    /// A delete, or a move (delete then insert) when the second id is given.
    Delete(PointId, Option<PointId>),
}

/// An edit of the HNSW index made in the window, kept so a scene file can replay it: the
/// index after edits is not the one built from the preset and seed.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum HnswEdit {
    Insert([f32; 2]),
    Delete(u32),
    /// Delete this id, then insert it again at the point.
    Move(u32, [f32; 2]),
    /// A search recorded after the edits (in a file: the scene shows the search, not the
    /// last edit's animation).
    Search,
}

/// One search's outcome, for the same-query comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct HnswRun {
    pub ef: usize,
    pub results: Vec<(PointId, f32)>,
    pub stats: HnswStats,
    pub recall: f32,
}

/// The HNSW index on show, the operation being played and the graph facts.
pub struct HnswScene {
    pub index: Hnsw,
    /// The graph drawn under an insertion (the index before it); `None` for searches.
    pub base: Option<Hnsw>,
    /// First two coordinates of every id in the index.
    pub xy: Vec<[f32; 2]>,
    pub play: Option<Playback>,
    pub op: HnswOp,
    pub details: Vec<LayerDetail>,
    /// Observed nodes per level (index = level).
    pub level_counts: Vec<usize>,
    /// The same query at two widths: (ef, ef2).
    pub compare: Vec<HnswRun>,
    pub error: Option<String>,
    insert_draws: u64,
    kept_player: Option<Player>,
    /// Edits since the index was built, in order.
    pub edits: Vec<HnswEdit>,
}

/// Why a point cannot be placed by a click in d dimensions.
const PLANE_ONLY: &str = "a click places a point only in 2-D data: these points have more dimensions and are drawn at their PCA projection (set the dimensions to 2 to insert or move)";

impl HnswScene {
    /// Builds the index over `points` (the fast path, no recorder).
    pub fn build(points: &Points, params: HnswParams) -> Result<Self, DataError> {
        let index = Hnsw::build(points, params)?;
        let xy = points.ids().map(|id| points.xy(id)).collect();
        let mut s = Self {
            index,
            base: None,
            xy,
            play: None,
            op: HnswOp::Search,
            details: Vec::new(),
            level_counts: Vec::new(),
            compare: Vec::new(),
            error: None,
            insert_draws: 0,
            kept_player: None,
            edits: Vec::new(),
        };
        s.refresh_details();
        Ok(s)
    }

    /// The graph the scene draws as its base.
    pub fn base(&self) -> &Hnsw {
        self.base.as_ref().unwrap_or(&self.index)
    }

    fn player(&self) -> Player {
        self.play
            .as_ref()
            .map(|p| p.player.clone())
            .or_else(|| self.kept_player.clone())
            .unwrap_or_default()
    }

    /// The player (speed, detail) to use when there is no playback yet, e.g. from the index
    /// this one replaces.
    pub fn keep_player(&mut self, player: Option<Player>) {
        self.kept_player = player;
    }

    /// Records a search for `query` (and the comparison at `ef2`).
    pub fn search(&mut self, query: &[f32], k: usize, ef: usize, ef2: usize) {
        if self.index.live_count() == 0 {
            // Nothing to search: the session says there are no points.
            self.play = None;
            self.base = None;
            self.op = HnswOp::Search;
            self.error = None;
            self.compare.clear();
            return;
        }
        match Trace::record_hnsw_search(&self.index, query, k, ef) {
            Ok((trace, _)) => {
                let player = self.player();
                self.play = Some(Playback::new(trace, player));
                self.base = None;
                self.op = HnswOp::Search;
                self.error = None;
            }
            Err(e) => {
                self.play = None;
                self.error = Some(e.to_string());
            }
        }
        self.compare.clear();
        let truth = self
            .play
            .as_ref()
            .map(|p| p.trace.truth.clone())
            .unwrap_or_default();
        let mut scratch = Scratch::new(self.index.len());
        for e in [ef, ef2] {
            let (results, stats) = self.index.search(query, k, e, &mut scratch);
            let hits = results
                .iter()
                .filter(|r| truth.iter().any(|t| t.0 == r.0))
                .count();
            self.compare.push(HnswRun {
                ef: e,
                results,
                stats,
                recall: hits as f32 / truth.len().max(1) as f32,
            });
        }
    }

    /// Records the insertion of `p`; the index becomes the index after it.
    pub fn insert(&mut self, p: [f32; 2]) {
        if self.index.dim() != 2 {
            self.error = Some(PLANE_ONLY.into());
            return;
        }
        match Trace::record_hnsw_insert(&self.index, &p) {
            Ok((trace, after, id)) => {
                let before = std::mem::replace(&mut self.index, after);
                self.base = Some(before);
                self.xy.push(p);
                let player = self.player();
                self.play = Some(Playback::new(trace, player));
                self.op = HnswOp::Insert(id);
                self.error = None;
                self.edits.push(HnswEdit::Insert(p));
                self.refresh_details();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// A seeded random point inside the data's bounds (a unit around the points along an axis
    /// they do not span: one point, or all on a line; the unit square without points),
    /// inserted with animation.
    pub fn insert_random(&mut self, seed: u64) {
        if self.index.dim() != 2 {
            self.error = Some(
                "a random point is drawn in the plane: these points have more dimensions (set the dimensions to 2 to insert)".into(),
            );
            return;
        }
        self.insert_draws += 1;
        let mut rng = SplitMix64::new(seed ^ self.insert_draws.wrapping_mul(0xD1B5_4A32_D192_ED03));
        let (lo, hi) = self.xy.iter().fold(
            ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]),
            |(lo, hi), p| {
                (
                    [lo[0].min(p[0]), lo[1].min(p[1])],
                    [hi[0].max(p[0]), hi[1].max(p[1])],
                )
            },
        );
        let (mut lo, mut hi) = if lo[0].is_finite() {
            (lo, hi)
        } else {
            ([0.0, 0.0], [1.0, 1.0])
        };
        // An axis the points do not span gets a unit around them.
        for a in 0..2 {
            if hi[a] - lo[a] < 1e-6 {
                let c = (lo[a] + hi[a]) / 2.0;
                (lo[a], hi[a]) = (c - 0.5, c + 0.5);
            }
        }
        let p = [
            lo[0] + (hi[0] - lo[0]) * rng.unit_f32(),
            lo[1] + (hi[1] - lo[1]) * rng.unit_f32(),
        ];
        self.insert(p);
    }

    /// The live point nearest to `at`.
    pub fn nearest_live(&self, at: [f32; 2]) -> Option<PointId> {
        (0..self.index.len() as u32)
            .map(PointId)
            .filter(|&id| !self.index.is_removed(id))
            .min_by(|&a, &b| {
                let d = |id: PointId| {
                    let p = self.xy[id.idx()];
                    (p[0] - at[0]).powi(2) + (p[1] - at[1]).powi(2)
                };
                d(a).total_cmp(&d(b)).then(a.cmp(&b))
            })
    }

    /// Hard-deletes `id` with animation; with `move_to`, inserts it again there (a move).
    pub fn delete(&mut self, id: PointId, move_to: Option<[f32; 2]>) {
        if move_to.is_some() && self.index.dim() != 2 {
            self.error = Some(PLANE_ONLY.into());
            return;
        }
        match Trace::record_hnsw_delete(&self.index, id, move_to.as_ref().map(|p| &p[..])) {
            Ok((trace, after, new_id)) => {
                let before = std::mem::replace(&mut self.index, after);
                self.base = Some(before);
                if let Some(p) = move_to {
                    self.xy.push(p);
                }
                let player = self.player();
                self.play = Some(Playback::new(trace, player));
                self.op = HnswOp::Delete(id, new_id);
                self.error = None;
                self.edits.push(match move_to {
                    Some(p) => HnswEdit::Move(id.0, p),
                    None => HnswEdit::Delete(id.0),
                });
                self.refresh_details();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Hard-deletes the live point nearest to `at`, with animation; returns it.
    pub fn delete_nearest(&mut self, at: [f32; 2]) -> Option<PointId> {
        let victim = self.nearest_live(at)?;
        self.delete(victim, None);
        Some(victim)
    }

    /// Hard-deletes the live point nearest to the vector `q` (by the index's metric, in every
    /// dimension), with animation.
    pub fn delete_nearest_to(&mut self, q: &[f32]) -> Option<PointId> {
        let metric = self.index.params().metric;
        let victim = (0..self.index.len() as u32)
            .map(PointId)
            .filter(|&id| !self.index.is_removed(id))
            .min_by(|&a, &b| {
                let d = |id: PointId| metric.eval(self.index.vector(id), q);
                d(a).total_cmp(&d(b)).then(a.cmp(&b))
            })?;
        self.delete(victim, None);
        Some(victim)
    }

    /// Recomputes the per-layer facts and the level histogram.
    pub fn refresh_details(&mut self) {
        let idx = &self.index;
        let top = idx.max_level();
        self.level_counts = vec![0; top + 1];
        for i in 0..idx.len() as u32 {
            let id = PointId(i);
            if !idx.is_removed(id) {
                let l = idx.level(id);
                if l < self.level_counts.len() {
                    self.level_counts[l] += 1;
                }
            }
        }
        self.details = (0..=top as u8).map(|l| layer_detail(idx, l)).collect();
    }
}

/// Degree, components and reachability of one layer, using petgraph.
pub fn layer_detail(idx: &Hnsw, layer: u8) -> LayerDetail {
    use petgraph::graph::{DiGraph, NodeIndex};
    use petgraph::visit::Bfs;
    let members: Vec<u32> = (0..idx.len() as u32)
        .filter(|&i| !idx.is_removed(PointId(i)) && idx.level(PointId(i)) >= layer as usize)
        .collect();
    let mut slot = vec![u32::MAX; idx.len()];
    let mut g: DiGraph<u32, ()> = DiGraph::with_capacity(members.len(), members.len() * 4);
    for &m in &members {
        slot[m as usize] = g.add_node(m).index() as u32;
    }
    let mut degrees = Vec::with_capacity(members.len());
    for &m in &members {
        let nbs = idx.neighbors(PointId(m), layer as usize);
        degrees.push(nbs.len());
        for &nb in nbs {
            let t = slot[nb as usize];
            if t != u32::MAX {
                g.add_edge(
                    NodeIndex::new(slot[m as usize] as usize),
                    NodeIndex::new(t as usize),
                    (),
                );
            }
        }
    }
    let components = petgraph::algo::connected_components(&g);
    let mut reached = vec![false; g.node_count()];
    if let Some(ep) = idx.entry_point() {
        let start = slot[ep.idx()];
        if start != u32::MAX {
            let mut bfs = Bfs::new(&g, NodeIndex::new(start as usize));
            while let Some(nx) = bfs.next(&g) {
                reached[nx.index()] = true;
            }
        }
    }
    let unreachable = members
        .iter()
        .filter(|&&m| !reached[slot[m as usize] as usize])
        .map(|&m| PointId(m))
        .collect();
    let links: usize = degrees.iter().sum();
    LayerDetail {
        layer,
        nodes: members.len(),
        links,
        degree_min: degrees.iter().copied().min().unwrap_or(0),
        degree_mean: if degrees.is_empty() {
            0.0
        } else {
            links as f32 / degrees.len() as f32
        },
        degree_max: degrees.iter().copied().max().unwrap_or(0),
        components,
        unreachable,
    }
}

/// Expected share of nodes on exactly level `l` for level normalisation `ml`:
/// `exp(−l/mL) − exp(−(l+1)/mL)`.
pub fn level_share(l: usize, ml: f64) -> f64 {
    if ml <= 0.0 {
        return if l == 0 { 1.0 } else { 0.0 };
    }
    (-(l as f64) / ml).exp() - (-((l + 1) as f64) / ml).exp()
}

impl HnswScene {
    /// The edits, ending with `Search` when the scene shows a search recorded after them.
    pub fn edit_log(&self) -> Vec<HnswEdit> {
        let mut v = self.edits.clone();
        if !v.is_empty() && self.op == HnswOp::Search {
            v.push(HnswEdit::Search);
        }
        v
    }
}
