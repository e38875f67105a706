//! Annoy (Spotify's "Approximate Nearest Neighbors Oh Yeah", Erik Bernhardsson), following
//! `annoylib.h`: a forest of `n_trees` random-projection trees. At each node two points are
//! sampled and refined by a few 2-means steps (`two_means`); the node splits by the
//! hyperplane equidistant from the two centroids; a side gets everything with a positive
//! margin; recursion stops when a node holds at most `K` points (Annoy's `_K`, which for
//! Euclidean vectors of `f` floats is `f + 2`). A query walks all trees at once with one
//! priority queue keyed by the margin to each split (the far side enters with the negative
//! margin, capped by its parent's priority), collects leaves until `search_k` candidates
//! (default `n_trees · k`) and ranks them exactly.
//!
//! Where this differs from Annoy: the random generator (Pcg64 here, Kiss64 there), so trees
//! differ from Annoy's for the same seed; Annoy's root-level quirks for tiny indexes are not
//! reproduced; the split's two *sampled* points are kept to draw the build.

use std::collections::BinaryHeap;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::points::{DataError, PointId, Points};
use super::recorder::Recorder;

/// Annoy's distances.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum AnnoyMetric {
    #[default]
    Euclidean,
    /// √(2 − 2·cos): the Euclidean distance of the unit vectors.
    Angular,
}

/// Parameters, named as Annoy names them.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AnnoyParams {
    pub n_trees: usize,
    /// Most points in a leaf (`K`); `None` is Annoy's own, `f + 2`.
    pub k_leaf: Option<usize>,
    pub metric: AnnoyMetric,
    /// 2-means refinement steps of each split (Annoy's `iteration_steps`, 200); 0 splits
    /// half-way between the two sampled points themselves.
    pub two_means_steps: usize,
    pub seed: u64,
}

impl Default for AnnoyParams {
    fn default() -> Self {
        Self {
            n_trees: 10,
            k_leaf: None,
            metric: AnnoyMetric::Euclidean,
            two_means_steps: ITERATION_STEPS,
            seed: 1,
        }
    }
}

/// Annoy's 2-means refinement steps.
pub const ITERATION_STEPS: usize = 200;

/// A node of a tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Splits by the hyperplane `normal · x + offset = 0` (`normal` of unit length):
    /// `right` holds the points with a positive margin.
    Split {
        normal: Vec<f32>,
        offset: f32,
        left: u32,
        right: u32,
        /// Points below this node.
        count: u32,
        /// The two points sampled to start the 2-means (None for a random split).
        sampled: Option<(PointId, PointId)>,
        depth: u16,
    },
    Leaf {
        items: Vec<PointId>,
        depth: u16,
    },
}

/// What building and searching do, for the scene to replay.
#[derive(Clone, Debug, PartialEq)]
pub enum AnnoyEvent {
    /// Node `node` of `tree` split its points `left` / `right`, by the hyperplane normal to
    /// the difference of `centres` (the two sampled points after the 2-means steps):
    /// equidistant from them for Euclidean distance, through the origin for angular; `None`
    /// for a split into random sides.
    Split {
        tree: u16,
        node: u32,
        left: u32,
        right: u32,
        centres: Option<[Vec<f32>; 2]>,
    },
    /// A leaf of `tree` with its points.
    Leaf { tree: u16, node: u32, size: u32 },
    /// Taken from the queue.
    Pop { node: u32, priority: f32 },
    /// Put on the queue.
    Push { node: u32, priority: f32 },
    /// A leaf's points joined the candidates.
    Collect { node: u32, count: u32, total: u32 },
    /// An answer, after the exact ranking of the candidates.
    Result { rank: u16, node: PointId, dist: f32 },
}

/// Counters of one search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnnoyStats {
    pub nodes_visited: u64,
    /// Candidates collected (with repeats across trees).
    pub candidates: u64,
    /// Distinct candidates, each measured once.
    pub distance_computations: u64,
}

/// A forest of random-projection trees over a copy of the points.
#[derive(Clone, Debug)]
pub struct Annoy {
    params: AnnoyParams,
    k_leaf: usize,
    dim: usize,
    data: Vec<f32>,
    nodes: Vec<Node>,
    roots: Vec<u32>,
    rng: Pcg64Mcg,
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn normalize(v: &mut [f32]) {
    let n = dot(v, v).sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

/// max(left, right) / total: Annoy's `_split_imbalance`.
fn imbalance(left: usize, right: usize) -> f32 {
    left.max(right) as f32 / (left + right).max(1) as f32
}

impl Annoy {
    /// Builds `n_trees` trees over every point, seeded; reports each split and leaf to `rec`.
    pub fn build<R: Recorder<AnnoyEvent>>(
        points: &Points,
        params: AnnoyParams,
        rec: &mut R,
    ) -> Result<Self, DataError> {
        if !(1..=10_000).contains(&params.n_trees) {
            return Err(DataError::BadParameter(
                "n_trees must be between 1 and 10,000".into(),
            ));
        }
        let mut a = Self::empty(points, params)?;
        for _ in 0..params.n_trees {
            a.grow_tree(rec);
        }
        Ok(a)
    }

    /// A forest of no trees over the points (checked as [`Annoy::build`] checks them), for
    /// growing one tree at a time with [`Annoy::grow_tree`].
    pub fn empty(points: &Points, params: AnnoyParams) -> Result<Self, DataError> {
        if params.k_leaf == Some(0) {
            return Err(DataError::BadParameter(
                "K (points per leaf) must be at least 1".into(),
            ));
        }
        if points.len() < 2 {
            return Err(DataError::BadParameter(
                "Annoy needs at least 2 points".into(),
            ));
        }
        let dim = points.dim();
        let mut data = points.as_flat().to_vec();
        if params.metric == AnnoyMetric::Angular {
            for v in data.chunks_exact_mut(dim) {
                normalize(v);
            }
        }
        Ok(Self {
            params,
            k_leaf: params.k_leaf.unwrap_or(dim + 2),
            dim,
            data,
            nodes: Vec::new(),
            roots: Vec::new(),
            rng: Pcg64Mcg::seed_from_u64(params.seed),
        })
    }

    /// Grows one more tree over every point.
    pub fn grow_tree<R: Recorder<AnnoyEvent>>(&mut self, rec: &mut R) {
        let all: Vec<PointId> = (0..self.len() as u32).map(PointId).collect();
        let tree = self.roots.len() as u16;
        let mut rng = std::mem::replace(&mut self.rng, Pcg64Mcg::seed_from_u64(0));
        let root = self.make_tree(all, 0, tree, &mut rng, rec);
        self.rng = rng;
        self.roots.push(root);
    }

    pub fn params(&self) -> AnnoyParams {
        self.params
    }

    /// Most points in a leaf.
    pub fn k_leaf(&self) -> usize {
        self.k_leaf
    }

    pub fn len(&self) -> usize {
        self.data.len() / self.dim
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn roots(&self) -> &[u32] {
        &self.roots
    }

    fn vector(&self, id: PointId) -> &[f32] {
        &self.data[id.idx() * self.dim..(id.idx() + 1) * self.dim]
    }

    /// Signed distance of `v` from node `node`'s hyperplane (0 for a leaf).
    pub fn margin(&self, node: u32, v: &[f32]) -> f32 {
        match &self.nodes[node as usize] {
            Node::Split { normal, offset, .. } => offset + dot(normal, v),
            Node::Leaf { .. } => 0.0,
        }
    }

    /// The distance Annoy reports (Euclidean, or √(2 − 2·cos)).
    pub fn distance(&self, a: &[f32], id: PointId) -> f32 {
        let b = self.vector(id);
        let mut s = 0.0;
        for (x, y) in a.iter().zip(b) {
            s += (x - y) * (x - y);
        }
        s.sqrt()
    }

    fn make_tree<R: Recorder<AnnoyEvent>>(
        &mut self,
        items: Vec<PointId>,
        depth: u16,
        tree: u16,
        rng: &mut Pcg64Mcg,
        rec: &mut R,
    ) -> u32 {
        let id = self.nodes.len() as u32;
        if items.len() <= self.k_leaf {
            if R::ENABLED {
                rec.record(AnnoyEvent::Leaf {
                    tree,
                    node: id,
                    size: items.len() as u32,
                });
            }
            self.nodes.push(Node::Leaf { items, depth });
            return id;
        }
        // Up to three 2-means splits; if all leave 95 % on one side (duplicates), a random
        // side for each point until neither side holds more than 99 %.
        let mut split = None;
        let mut centres = None;
        let mut sides: (Vec<PointId>, Vec<PointId>) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            let (normal, offset, sampled, pq) = self.two_means_split(&items, rng);
            centres = Some(pq);
            sides = (Vec::new(), Vec::new());
            for &i in &items {
                let m = offset + dot(&normal, self.vector(i));
                let right = if m != 0.0 {
                    m > 0.0
                } else {
                    rng.random::<bool>()
                };
                if right {
                    sides.1.push(i);
                } else {
                    sides.0.push(i);
                }
            }
            split = Some((normal, offset, Some(sampled)));
            if imbalance(sides.0.len(), sides.1.len()) < 0.95 {
                break;
            }
        }
        while imbalance(sides.0.len(), sides.1.len()) > 0.99 {
            sides = (Vec::new(), Vec::new());
            for &i in &items {
                if rng.random::<bool>() {
                    sides.1.push(i);
                } else {
                    sides.0.push(i);
                }
            }
            split = Some((vec![0.0; self.dim], 0.0, None));
            centres = None;
        }
        let (normal, offset, sampled) = split.unwrap_or((vec![0.0; self.dim], 0.0, None));
        let count = items.len() as u32;
        self.nodes.push(Node::Leaf {
            items: Vec::new(),
            depth,
        });
        if R::ENABLED {
            rec.record(AnnoyEvent::Split {
                tree,
                node: id,
                left: sides.0.len() as u32,
                right: sides.1.len() as u32,
                centres,
            });
        }
        let left = self.make_tree(sides.0, depth + 1, tree, rng, rec);
        let right = self.make_tree(sides.1, depth + 1, tree, rng, rec);
        self.nodes[id as usize] = Node::Split {
            normal,
            offset,
            left,
            right,
            count,
            sampled,
            depth,
        };
        id
    }

    /// `two_means` and `create_split`: two sampled points refined by 2-means steps on
    /// random points, the normal their difference (unit length), the offset putting the
    /// hyperplane half-way.
    fn two_means_split(
        &self,
        items: &[PointId],
        rng: &mut Pcg64Mcg,
    ) -> (Vec<f32>, f32, (PointId, PointId), [Vec<f32>; 2]) {
        let n = items.len();
        let i = rng.random_range(0..n);
        let mut j = rng.random_range(0..n - 1);
        j += usize::from(j >= i);
        let (pi, qi) = (items[i], items[j]);
        let mut p = self.vector(pi).to_vec();
        let mut q = self.vector(qi).to_vec();
        let (mut ic, mut jc) = (1.0f32, 1.0f32);
        for _ in 0..self.params.two_means_steps {
            let k = self.vector(items[rng.random_range(0..n)]);
            let di = ic * self.distance_sq(&p, k);
            let dj = jc * self.distance_sq(&q, k);
            if di < dj {
                for (z, x) in p.iter_mut().zip(k) {
                    *z = (*z * ic + x) / (ic + 1.0);
                }
                ic += 1.0;
            } else if dj < di {
                for (z, x) in q.iter_mut().zip(k) {
                    *z = (*z * jc + x) / (jc + 1.0);
                }
                jc += 1.0;
            }
        }
        let mut normal: Vec<f32> = p.iter().zip(&q).map(|(a, b)| a - b).collect();
        normalize(&mut normal);
        let offset = match self.params.metric {
            AnnoyMetric::Euclidean => -normal
                .iter()
                .zip(p.iter().zip(&q))
                .map(|(nz, (a, b))| nz * (a + b) / 2.0)
                .sum::<f32>(),
            // Angular splits pass through the origin.
            AnnoyMetric::Angular => 0.0,
        };
        (normal, offset, (pi, qi), [p, q])
    }

    fn distance_sq(&self, a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
    }

    /// The `k` nearest of `q` found by visiting the trees until `search_k` candidates are
    /// collected (`None`: Annoy's default `n_trees · k`), then ranking them exactly; nearest
    /// first with their distances.
    pub fn search_with<R: Recorder<AnnoyEvent>>(
        &self,
        q: &[f32],
        k: usize,
        search_k: Option<usize>,
        rec: &mut R,
    ) -> Result<(Vec<(PointId, f32)>, AnnoyStats), DataError> {
        if q.len() != self.dim {
            return Err(DataError::QueryDimension {
                expected: self.dim,
                got: q.len(),
            });
        }
        if search_k == Some(0) {
            return Err(DataError::BadParameter(
                "search_k must be at least 1".into(),
            ));
        }
        let mut qv = q.to_vec();
        if self.params.metric == AnnoyMetric::Angular {
            normalize(&mut qv);
        }
        let search_k = search_k.unwrap_or(self.roots.len() * k.max(1));
        let mut stats = AnnoyStats::default();
        let mut queue = Queue::new(&self.roots);
        if R::ENABLED {
            for &node in &self.roots {
                rec.record(AnnoyEvent::Push {
                    node,
                    priority: f32::INFINITY,
                });
            }
        }
        let mut cands: Vec<PointId> = Vec::new();
        while cands.len() < search_k {
            let Some((node, priority)) = queue.pop() else {
                break;
            };
            stats.nodes_visited += 1;
            if R::ENABLED {
                rec.record(AnnoyEvent::Pop { node, priority });
            }
            match &self.nodes[node as usize] {
                Node::Leaf { items, .. } => {
                    cands.extend_from_slice(items);
                    if R::ENABLED {
                        rec.record(AnnoyEvent::Collect {
                            node,
                            count: items.len() as u32,
                            total: cands.len() as u32,
                        });
                    }
                }
                Node::Split { .. } => {
                    for (child, p) in self.children(node, &qv, priority) {
                        queue.push(child, p);
                        if R::ENABLED {
                            rec.record(AnnoyEvent::Push {
                                node: child,
                                priority: p,
                            });
                        }
                    }
                }
            }
        }
        stats.candidates = cands.len() as u64;
        cands.sort_unstable();
        cands.dedup();
        stats.distance_computations = cands.len() as u64;
        let mut ranked: Vec<(PointId, f32)> = cands
            .iter()
            .map(|&id| (id, self.distance(&qv, id)))
            .collect();
        ranked.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        ranked.truncate(k);
        if R::ENABLED {
            for (rank, &(node, dist)) in ranked.iter().enumerate() {
                rec.record(AnnoyEvent::Result {
                    rank: rank as u16,
                    node,
                    dist,
                });
            }
        }
        Ok((ranked, stats))
    }

    /// A split's children with their priorities for a query `qv` reached with `priority`:
    /// the right side (positive margin `m`) with min(priority, m), the left with
    /// min(priority, −m), as `annoylib.h` pushes them.
    fn children(&self, node: u32, qv: &[f32], priority: f32) -> [(u32, f32); 2] {
        match &self.nodes[node as usize] {
            Node::Split { left, right, .. } => {
                let m = self.margin(node, qv);
                [(*right, priority.min(m)), (*left, priority.min(-m))]
            }
            Node::Leaf { .. } => [(node, priority); 2],
        }
    }

    /// For each of `targets`, the smallest `search_k` whose search collects it (so a search
    /// with that `search_k` can return it, and one with less cannot); `None` for an id that
    /// is no point. The queue's order does not depend on `search_k`, which only says when to
    /// stop, so one walk answers for every `search_k`.
    pub fn found_at(
        &self,
        q: &[f32],
        targets: &[PointId],
    ) -> Result<Vec<Option<usize>>, DataError> {
        if q.len() != self.dim {
            return Err(DataError::QueryDimension {
                expected: self.dim,
                got: q.len(),
            });
        }
        let mut qv = q.to_vec();
        if self.params.metric == AnnoyMetric::Angular {
            normalize(&mut qv);
        }
        let mut out: Vec<Option<usize>> = vec![None; targets.len()];
        let mut left = targets.iter().filter(|t| t.idx() < self.len()).count();
        let mut queue = Queue::new(&self.roots);
        let mut total = 0usize;
        while left > 0 {
            let Some((node, priority)) = queue.pop() else {
                break;
            };
            match &self.nodes[node as usize] {
                Node::Leaf { items, .. } => {
                    for (slot, t) in out.iter_mut().zip(targets) {
                        if slot.is_none() && items.contains(t) {
                            *slot = Some(total + 1);
                            left -= 1;
                        }
                    }
                    total += items.len();
                }
                Node::Split { .. } => {
                    for (child, p) in self.children(node, &qv, priority) {
                        queue.push(child, p);
                    }
                }
            }
        }
        Ok(out)
    }

    /// [`Annoy::search_with`] without recording.
    pub fn search(
        &self,
        q: &[f32],
        k: usize,
        search_k: Option<usize>,
    ) -> Result<(Vec<(PointId, f32)>, AnnoyStats), DataError> {
        self.search_with(q, k, search_k, &mut super::recorder::NoRecorder)
    }
}

/// The search's max-priority queue of (node, priority): f32 priorities ordered by their bits
/// (all finite, with +∞ at the roots), negative ones flipped to keep the order.
struct Queue(BinaryHeap<(u32, u32)>);

/// An f32 priority as an integer in the same order (all finite, or +∞): the queue's key.
pub fn priority_key(p: f32) -> u32 {
    let b = p.to_bits();
    if b >> 31 == 1 { !b } else { b | 0x8000_0000 }
}

/// The priority a [`priority_key`] stands for.
pub fn priority_of(k: u32) -> f32 {
    f32::from_bits(if k >> 31 == 1 { k & 0x7FFF_FFFF } else { !k })
}

impl Queue {
    fn new(roots: &[u32]) -> Self {
        Self(
            roots
                .iter()
                .map(|&r| (priority_key(f32::INFINITY), r))
                .collect(),
        )
    }

    fn push(&mut self, node: u32, priority: f32) {
        self.0.push((priority_key(priority), node));
    }

    fn pop(&mut self) -> Option<(u32, f32)> {
        let (k, node) = self.0.pop()?;
        Some((node, priority_of(k)))
    }
}
