//! The distance matrix: every pairwise distance computed once — O(n²) work and memory — so
//! that any distance between two points of the set is afterwards an O(1) lookup, and a
//! point's nearest neighbours are read off its row.

use super::points::{DataError, Dist, Metric, PointId, Points};
use super::recorder::Recorder;
use super::search::Scored;

/// What one step of a recorded precomputation did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MatrixEvent {
    /// Row `row` starts: the distances from point `row` to the points after it.
    Row { row: u32 },
    /// `D[i][j] = D[j][i] = dist` was computed (recorded for small n only).
    Cell { i: u32, j: u32, dist: f32 },
    /// Row `row` is complete: `cells` distances were computed for it, each recorded as a
    /// `Cell` when `recorded`.
    RowDone {
        row: u32,
        cells: u32,
        recorded: bool,
    },
}

impl MatrixEvent {
    pub fn is_coarse(&self) -> bool {
        !matches!(self, MatrixEvent::Cell { .. })
    }
}

/// Bytes an n × n matrix of `f32` takes: n² · 4.
pub fn bytes_for(n: u64) -> u128 {
    u128::from(n) * u128::from(n) * 4
}

/// A full n × n matrix of distances (symmetric, zero diagonal), row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct DistanceMatrix {
    n: usize,
    metric: Metric,
    cells: Vec<f32>,
    /// Distance computations made to fill it: n(n−1)/2.
    pub computations: u64,
}

impl DistanceMatrix {
    /// Computes every pairwise distance of `points` (the upper triangle, mirrored). With a
    /// recording `rec` and `cells` true, one event per distance; rows always.
    pub fn build<R: Recorder<MatrixEvent>>(
        points: &Points,
        metric: Metric,
        cells: bool,
        rec: &mut R,
    ) -> Result<Self, DataError> {
        let n = points.len();
        let size = n.checked_mul(n).ok_or_else(|| {
            DataError::BadParameter(format!("{n} × {n} distances do not fit in memory"))
        })?;
        let mut m = vec![0.0f32; size];
        let mut dist = Dist::new(metric);
        for i in 0..n {
            if R::ENABLED {
                rec.record(MatrixEvent::Row { row: i as u32 });
            }
            let a = points.get(PointId(i as u32));
            for j in i + 1..n {
                let d = dist.eval(a, points.get(PointId(j as u32)));
                m[i * n + j] = d;
                m[j * n + i] = d;
                if R::ENABLED && cells {
                    rec.record(MatrixEvent::Cell {
                        i: i as u32,
                        j: j as u32,
                        dist: d,
                    });
                }
            }
            if R::ENABLED {
                rec.record(MatrixEvent::RowDone {
                    row: i as u32,
                    cells: (n - i - 1) as u32,
                    recorded: cells,
                });
            }
        }
        Ok(Self {
            n,
            metric,
            cells: m,
            computations: dist.count,
        })
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    pub fn metric(&self) -> Metric {
        self.metric
    }

    /// `D[i][j]`: an O(1) lookup.
    pub fn get(&self, i: PointId, j: PointId) -> f32 {
        self.cells[i.idx() * self.n + j.idx()]
    }

    /// Row `i`: the distances from point `i` to every point.
    pub fn row(&self, i: PointId) -> &[f32] {
        &self.cells[i.idx() * self.n..(i.idx() + 1) * self.n]
    }

    /// The `k` nearest other points of point `i`, read off its row (no distance computed),
    /// best first, ties by id.
    pub fn row_knn(&self, i: PointId, k: usize) -> Vec<(PointId, f32)> {
        let mut v: Vec<Scored> = self
            .row(i)
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i.idx())
            .map(|(j, &d)| Scored {
                dist: d,
                id: PointId(j as u32),
            })
            .collect();
        let k = k.min(v.len());
        if k == 0 {
            return Vec::new();
        }
        v.select_nth_unstable(k - 1);
        v.truncate(k);
        v.sort();
        v.into_iter().map(|s| (s.id, s.dist)).collect()
    }

    /// A seriation: an order of the points in which neighbours sit together, so the heatmap
    /// shows blocks. A nearest-neighbour chain: start at the point farthest from all others
    /// on average (an end of the data), then always go to the nearest point not yet placed.
    pub fn nn_chain_order(&self) -> Vec<u32> {
        let n = self.n;
        if n == 0 {
            return Vec::new();
        }
        let start = (0..n)
            .max_by(|&a, &b| {
                let sa: f64 = self.cells[a * n..(a + 1) * n]
                    .iter()
                    .map(|&d| f64::from(d))
                    .sum();
                let sb: f64 = self.cells[b * n..(b + 1) * n]
                    .iter()
                    .map(|&d| f64::from(d))
                    .sum();
                sa.total_cmp(&sb).then(b.cmp(&a))
            })
            .unwrap_or(0);
        let mut placed = vec![false; n];
        let mut order = Vec::with_capacity(n);
        let mut at = start;
        placed[at] = true;
        order.push(at as u32);
        for _ in 1..n {
            let row = &self.cells[at * n..(at + 1) * n];
            let mut best: Option<(usize, f32)> = None;
            for (j, &d) in row.iter().enumerate() {
                if !placed[j] && best.is_none_or(|(_, bd)| d < bd) {
                    best = Some((j, d));
                }
            }
            let Some((next, _)) = best else { break };
            placed[next] = true;
            order.push(next as u32);
            at = next;
        }
        order
    }

    /// The largest distance in the matrix (0 for fewer than two points).
    pub fn max(&self) -> f32 {
        self.cells.iter().copied().fold(0.0, f32::max)
    }
}

/// Bytes for people, in units of 1000: "100.0 MB", "3.6 TB".
pub fn human_bytes(b: u128) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB", "PB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < units.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} bytes")
    } else {
        format!("{v:.1} {}", units[u])
    }
}
