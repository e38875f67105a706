//! Kleinberg's navigable lattice (Kleinberg, "The small-world phenomenon: an algorithmic
//! perspective", 2000): a side × side lattice (a torus, a bounded grid) or a ring, each node
//! linked to the nodes within lattice distance `p` and given `q` long-range links drawn with
//! probability ∝ d(u, v)^−r. Greedy routing forwards to the neighbour closest to the target.
//!
//! The lattice is implicit and a node's long links are drawn when a route first reaches it,
//! from a generator seeded by the node alone (links are independent, so this is exact — the
//! trick of "Kleinberg's Grid Reloaded"): a route touches O(log² n) nodes at r = 2, so a
//! lattice of 10¹⁰ nodes costs no memory. The distance of a long link is drawn from the exact
//! distribution of lattice distances (nodes at distance d times d^−r), then a node uniformly
//! among those at that distance.

use super::super::points::DataError;
use super::super::recorder::Recorder;
use super::super::rng::{SplitMix64, nth};

/// A node: `x + y · side` (y = 0 on a ring).
pub type Node = u64;

/// The lattice's shape.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lattice {
    /// A 2-D lattice whose edges wrap around: every node sees the same distances.
    #[default]
    Torus,
    /// A 2-D lattice with borders.
    Grid,
    /// The 1-D ring (Kleinberg's r = 1 case).
    Ring,
}

impl Lattice {
    /// The dimension, the r at which greedy routing is polylogarithmic.
    pub fn dim(self) -> u32 {
        match self {
            Lattice::Ring => 1,
            Lattice::Torus | Lattice::Grid => 2,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KleinbergParams {
    pub side: u64,
    pub lattice: Lattice,
    /// Lattice links: every node within this lattice distance.
    pub p: u32,
    /// Long-range links per node.
    pub q: u32,
    /// The exponent of the long links' law: P(v) ∝ d(u, v)^−r.
    pub r: f64,
    pub seed: u64,
}

impl Default for KleinbergParams {
    fn default() -> Self {
        Self {
            side: 100,
            lattice: Lattice::Torus,
            p: 1,
            q: 1,
            r: 2.0,
            seed: 1,
        }
    }
}

/// Largest side: 10¹² nodes on a 2-D lattice.
pub const MAX_SIDE_2D: u64 = 1_000_000;
/// Largest ring (the law's table holds side / 2 weights).
pub const MAX_SIDE_RING: u64 = 10_000_000;

/// What a route does, for the scene to replay.
#[derive(Clone, Debug, PartialEq)]
pub enum RouteEvent {
    /// `from` forwards to `to` (over a long link if `long`), from `before` to `after`
    /// lattice steps from the target.
    Hop {
        from: Node,
        to: Node,
        long: bool,
        before: u64,
        after: u64,
    },
}

/// A route's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Route {
    pub hops: u64,
    /// Hops over a long link.
    pub long_hops: u64,
    /// The source's lattice distance to the target.
    pub distance: u64,
}

/// A lattice with its long links' law, ready to route on.
#[derive(Clone, Debug)]
pub struct Kleinberg {
    params: KleinbergParams,
    /// `half` = ⌊side / 2⌋: the largest offset along an axis of a torus or ring.
    half: u64,
    /// Cumulative weights of the long links' distance d = 1, 2, …: (nodes at d) · d^−r.
    cumulative: Vec<f64>,
    /// The lattice's offsets within distance p, nearest first.
    near: Vec<(i64, i64)>,
}

impl Kleinberg {
    pub fn new(params: KleinbergParams) -> Result<Self, DataError> {
        let bad = |m: String| Err(DataError::BadParameter(m));
        let max = if params.lattice == Lattice::Ring {
            MAX_SIDE_RING
        } else {
            MAX_SIDE_2D
        };
        if params.side < 3 || params.side > max {
            return bad(format!(
                "side must be between 3 and {max} (got {})",
                params.side
            ));
        }
        if !(1..=8).contains(&params.p) {
            return bad(format!("p must be between 1 and 8 (got {})", params.p));
        }
        if params.q > 64 {
            return bad(format!("q must be at most 64 (got {})", params.q));
        }
        if !(params.r.is_finite() && (0.0..=20.0).contains(&params.r)) {
            return bad(format!("r must be between 0 and 20 (got {})", params.r));
        }
        let half = params.side / 2;
        let mut k = Self {
            params,
            half,
            cumulative: Vec::new(),
            near: Vec::new(),
        };
        let p = i64::from(params.p);
        for dy in -p..=p {
            for dx in -p..=p {
                let d = dx.abs() + dy.abs();
                let one_d = params.lattice == Lattice::Ring;
                if d == 0 || d > p || (one_d && dy != 0) {
                    continue;
                }
                k.near.push((dx, dy));
            }
        }
        k.near.sort_by_key(|&(dx, dy)| dx.abs() + dy.abs());
        let d_max = k.max_distance();
        let mut acc = 0.0;
        k.cumulative = (1..=d_max)
            .map(|d| {
                acc += k.count_at(d) as f64 * (d as f64).powf(-params.r);
                acc
            })
            .collect();
        Ok(k)
    }

    pub fn params(&self) -> KleinbergParams {
        self.params
    }

    pub fn nodes(&self) -> u64 {
        match self.params.lattice {
            Lattice::Ring => self.params.side,
            _ => self.params.side * self.params.side,
        }
    }

    pub fn coords(&self, u: Node) -> (u64, u64) {
        (u % self.params.side, u / self.params.side)
    }

    pub fn node(&self, x: u64, y: u64) -> Node {
        x + y * self.params.side
    }

    /// The largest lattice distance between two nodes.
    pub fn max_distance(&self) -> u64 {
        let s = self.params.side;
        match self.params.lattice {
            Lattice::Ring => self.half,
            Lattice::Torus => 2 * self.half,
            Lattice::Grid => 2 * (s - 1),
        }
    }

    /// Offsets along one axis of a torus or ring whose absolute value is `a`.
    fn axis_count(&self, a: u64) -> u64 {
        let even = self.params.side.is_multiple_of(2);
        match a {
            0 => 1,
            a if a < self.half => 2,
            a if a == self.half => {
                if even {
                    1
                } else {
                    2
                }
            }
            _ => 0,
        }
    }

    /// Nodes at lattice distance `d` (≥ 1) from a node: exact on a torus and a ring; for a
    /// grid, those of the infinite lattice (4d), which the draw then keeps inside the grid.
    pub fn count_at(&self, d: u64) -> u64 {
        match self.params.lattice {
            Lattice::Ring => self.axis_count(d),
            Lattice::Grid => 4 * d,
            Lattice::Torus => {
                let m = self.half;
                let lo = d.saturating_sub(m);
                let hi = d.min(m);
                if lo > hi {
                    return 0;
                }
                let mut sum = 4 * (hi - lo + 1);
                // The terms whose weight is not 4: an offset of 0 or of m along either axis.
                let mut specials = [Some(0), Some(d), Some(m), d.checked_sub(m)];
                specials.sort_unstable();
                for (i, a) in specials.iter().enumerate() {
                    let Some(a) = *a else { continue };
                    if specials[..i].contains(&Some(a)) || !(lo..=hi).contains(&a) {
                        continue;
                    }
                    sum -= 4 - self.axis_count(a) * self.axis_count(d - a);
                }
                sum
            }
        }
    }

    /// The lattice (L1) distance, wrapping around on a torus and a ring.
    pub fn distance(&self, a: Node, b: Node) -> u64 {
        let s = self.params.side;
        let (ax, ay) = self.coords(a);
        let (bx, by) = self.coords(b);
        let wrap = |d: u64| match self.params.lattice {
            Lattice::Grid => d,
            _ => d.min(s - d),
        };
        wrap(ax.abs_diff(bx)) + wrap(ay.abs_diff(by))
    }

    /// `u` moved by (dx, dy): wrapped on a torus and a ring, `None` off a grid.
    pub fn offset(&self, u: Node, dx: i64, dy: i64) -> Option<Node> {
        let s = self.params.side as i64;
        let (x, y) = self.coords(u);
        let (x, y) = (x as i64 + dx, y as i64 + dy);
        match self.params.lattice {
            Lattice::Grid => {
                ((0..s).contains(&x) && (0..s).contains(&y)).then(|| self.node(x as u64, y as u64))
            }
            _ => Some(self.node(x.rem_euclid(s) as u64, y.rem_euclid(s) as u64)),
        }
    }

    /// The lattice links of `u`: every node within distance p.
    pub fn lattice_links(&self, u: Node) -> Vec<Node> {
        self.near
            .iter()
            .filter_map(|&(dx, dy)| self.offset(u, dx, dy))
            .collect()
    }

    /// The long links of `u`, the same every time for a seed.
    pub fn long_links(&self, u: Node) -> Vec<Node> {
        let mut rng = SplitMix64::new(nth(self.params.seed ^ 0x4B1E_1B3E, u));
        (0..self.params.q)
            .filter_map(|_| self.draw_long(u, &mut rng))
            .collect()
    }

    /// One long link of `u`: a distance from the law, then a node uniformly among those at
    /// that distance (on a grid, drawn again until it falls inside).
    fn draw_long(&self, u: Node, rng: &mut SplitMix64) -> Option<Node> {
        let total = *self.cumulative.last()?;
        for _ in 0..10_000 {
            let x = rng.unit_f64() * total;
            let d = self.cumulative.partition_point(|&c| c <= x) as u64 + 1;
            let d = d.min(self.max_distance());
            let (dx, dy) = match self.params.lattice {
                Lattice::Ring => {
                    let sign = if self.axis_count(d) == 2 && rng.below(2) == 1 {
                        -1
                    } else {
                        1
                    };
                    (sign * d as i64, 0)
                }
                Lattice::Grid => {
                    // Uniform on the diamond |dx| + |dy| = d: 4d points.
                    let k = rng.below(4 * d) as i64;
                    let d = d as i64;
                    let (side, t) = (k / d, k % d);
                    match side {
                        0 => (d - t, t),
                        1 => (-t, d - t),
                        2 => (t - d, -t),
                        _ => (t, t - d),
                    }
                }
                Lattice::Torus => {
                    let m = self.half;
                    let (lo, hi) = (d.saturating_sub(m), d.min(m));
                    // a with weight (offsets of |dx| = a) · (offsets of |dy| = d − a), by
                    // rejection against the largest weight, 4.
                    let a = loop {
                        let a = lo + rng.below(hi - lo + 1);
                        let w = self.axis_count(a) * self.axis_count(d - a);
                        if rng.below(4) < w {
                            break a;
                        }
                    };
                    let sign = |rng: &mut SplitMix64, v: u64| -> i64 {
                        if self.axis_count(v) == 2 && rng.below(2) == 1 {
                            -(v as i64)
                        } else {
                            v as i64
                        }
                    };
                    (sign(rng, a), sign(rng, d - a))
                }
            };
            if let Some(v) = self.offset(u, dx, dy) {
                return Some(v);
            }
        }
        None
    }

    /// Greedy routing from `s` to `t`: each hop to the link (lattice or long) closest to `t`.
    /// Always arrives (a lattice link is always one step closer), in at most d(s, t) hops.
    pub fn route<R: Recorder<RouteEvent>>(&self, s: Node, t: Node, rec: &mut R) -> Route {
        let mut out = Route {
            distance: self.distance(s, t),
            ..Route::default()
        };
        let mut cur = s;
        let mut d = out.distance;
        while cur != t {
            let mut best = (cur, d, false);
            for v in self.lattice_links(cur) {
                let dv = self.distance(v, t);
                if dv < best.1 {
                    best = (v, dv, false);
                }
            }
            for v in self.long_links(cur) {
                let dv = self.distance(v, t);
                if dv < best.1 {
                    best = (v, dv, true);
                }
            }
            if best.0 == cur {
                break; // unreachable on a connected lattice; never loop
            }
            if R::ENABLED {
                rec.record(RouteEvent::Hop {
                    from: cur,
                    to: best.0,
                    long: best.2,
                    before: d,
                    after: best.1,
                });
            }
            out.hops += 1;
            out.long_hops += u64::from(best.2);
            (cur, d) = (best.0, best.1);
        }
        out
    }

    /// A uniformly random node.
    pub fn random_node(&self, rng: &mut SplitMix64) -> Node {
        rng.below(self.nodes())
    }
}
