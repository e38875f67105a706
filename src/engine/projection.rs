//! The picture of vectors with more than two dimensions: PCA onto the two leading axes, scaled
//! into the unit square (aspect kept), and back — a position in the picture stands for the
//! mean plus that position along the two axes. Cosine data is pictured by direction (unit
//! vectors), since that is all cosine sees. The graph scenes and the vector-database view
//! draw d-dimensional data through this (the scaling lab draws its own data's first two
//! numbers).

use super::pca::Pca;
use super::points::{DataError, Metric, Points};

/// Vectors → the unit square and back.
#[derive(Clone, Debug, PartialEq)]
pub struct Projection {
    /// None for 2-D data (the picture is the data, scaled).
    pub pca: Option<Pca>,
    pub metric: Metric,
    /// PCA coordinates → unit square: lowest corner, scale, centring offset.
    lo: [f32; 2],
    scale: f32,
    centre: [f32; 2],
    /// The share of the variance the picture keeps (1 for 2-D data).
    pub explained: f64,
}

/// A unit vector (zero stays zero).
pub fn unit(v: &[f32]) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter().map(|x| x / norm).collect()
    } else {
        v.to_vec()
    }
}

impl Projection {
    /// Fits the picture of `points` and returns it with every point's place in it.
    pub fn fit(points: &Points, metric: Metric) -> Result<(Self, Vec<[f32; 2]>), DataError> {
        let d = points.dim();
        let shown = if metric == Metric::Cosine {
            let flat: Vec<f32> = points.as_flat().chunks_exact(d).flat_map(unit).collect();
            Points::new(d, flat)?
        } else {
            points.clone()
        };
        let pca = if d == 2 {
            None
        } else {
            Some(Pca::fit(&shown, 2)?)
        };
        let raw: Vec<[f32; 2]> = shown
            .ids()
            .map(|i| {
                let v = shown.get(i);
                match &pca {
                    Some(p) => p.project(v),
                    None => [v[0], v.get(1).copied().unwrap_or(0.0)],
                }
            })
            .collect();
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for p in &raw {
            for a in 0..2 {
                lo[a] = lo[a].min(p[a]);
                hi[a] = hi[a].max(p[a]);
            }
        }
        if !lo[0].is_finite() {
            (lo, hi) = ([0.0; 2], [1.0; 2]);
        }
        let span = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1e-9);
        let scale = 0.9 / span;
        let centre = [
            0.5 - (hi[0] - lo[0]) * scale / 2.0,
            0.5 - (hi[1] - lo[1]) * scale / 2.0,
        ];
        let explained = pca.as_ref().map_or(1.0, |p| p.explained(2));
        let proj = Self {
            pca,
            metric,
            lo,
            scale,
            centre,
            explained,
        };
        let picture = raw.iter().map(|&p| proj.to_unit(p)).collect();
        Ok((proj, picture))
    }

    fn to_unit(&self, p: [f32; 2]) -> [f32; 2] {
        [
            self.centre[0] + (p[0] - self.lo[0]) * self.scale,
            self.centre[1] + (p[1] - self.lo[1]) * self.scale,
        ]
    }

    /// Where a vector lands in the picture.
    pub fn project(&self, v: &[f32]) -> [f32; 2] {
        let v = if self.metric == Metric::Cosine {
            unit(v)
        } else {
            v.to_vec()
        };
        let raw = match &self.pca {
            Some(p) => p.project(&v),
            None => [
                v.first().copied().unwrap_or(0.0),
                v.get(1).copied().unwrap_or(0.0),
            ],
        };
        self.to_unit(raw)
    }

    /// The vector a click at `at` stands for: like the points drawn there (the mean of the 8
    /// drawn nearest, in every dimension), moved along the two principal axes so it lands
    /// exactly at `at`. A point of the plane through the overall mean would sit far from every
    /// cluster in the other dimensions; this one sits among the points the click was near.
    pub fn lift(&self, at: [f32; 2], points: &Points, picture: &[[f32; 2]]) -> Vec<f32> {
        let n = points.len().min(picture.len());
        if n == 0 || self.pca.is_none() {
            return self.unproject(at);
        }
        let mut order: Vec<(f32, usize)> = (0..n)
            .map(|i| {
                (
                    (picture[i][0] - at[0]).powi(2) + (picture[i][1] - at[1]).powi(2),
                    i,
                )
            })
            .collect();
        let take = order.len().min(8);
        order.select_nth_unstable_by(take - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let d = points.dim();
        let mut m = vec![0.0f32; d];
        for &(_, i) in &order[..take] {
            let v = points.get(super::points::PointId(i as u32));
            let v = if self.metric == Metric::Cosine {
                unit(v)
            } else {
                v.to_vec()
            };
            m.iter_mut()
                .zip(&v)
                .for_each(|(a, b)| *a += b / take as f32);
        }
        // Move m along the axes by the gap between its place and the click (a few times for
        // cosine, whose picture normalises the vector first).
        let lo_at = self.unproject(at);
        for _ in 0..if self.metric == Metric::Cosine { 6 } else { 1 } {
            let lo_here = self.unproject(self.project(&m));
            m.iter_mut()
                .zip(lo_at.iter().zip(&lo_here))
                .for_each(|(x, (a, b))| *x += a - b);
        }
        m
    }

    /// What the picture is, in words: "64-d points by PCA: 2 axes keep 29 % of the variance".
    pub fn caption(&self, dim: usize) -> String {
        format!(
            "{dim}-d points by PCA: 2 axes keep {:.0} % of the variance",
            100.0 * self.explained
        )
    }

    /// The vector a position in the picture stands for: the mean plus the position along the
    /// two principal axes (every other direction at the mean).
    pub fn unproject(&self, at: [f32; 2]) -> Vec<f32> {
        let raw = [
            (at[0] - self.centre[0]) / self.scale + self.lo[0],
            (at[1] - self.centre[1]) / self.scale + self.lo[1],
        ];
        match &self.pca {
            Some(p) => p
                .mean
                .iter()
                .enumerate()
                .map(|(j, m)| {
                    let along = |a: usize| p.axes.get(a).map_or(0.0, |ax| ax[j]);
                    (m + along(0) * f64::from(raw[0]) + along(1) * f64::from(raw[1])) as f32
                })
                .collect(),
            None => raw.to_vec(),
        }
    }
}
