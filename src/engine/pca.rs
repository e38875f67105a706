//! Principal component analysis, for drawing vectors of more than two dimensions: the mean
//! and the leading axes of the covariance, by power iteration with deflation (the covariance is
//! d × d with d ≤ 128). The view says that it projects.

use super::points::{DataError, Points};

/// The leading principal axes of a set of points.
#[derive(Clone, Debug, PartialEq)]
pub struct Pca {
    pub mean: Vec<f64>,
    /// Unit axes, largest variance first.
    pub axes: Vec<Vec<f64>>,
    /// The variance along each axis.
    pub variances: Vec<f64>,
    /// The total variance (the trace of the covariance).
    pub total: f64,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Pca {
    /// The `components` leading axes of `points` (at most their dimension).
    pub fn fit(points: &Points, components: usize) -> Result<Self, DataError> {
        let (n, d) = (points.len(), points.dim());
        if n < 2 {
            return Err(DataError::BadParameter(
                "PCA needs at least 2 points".into(),
            ));
        }
        let flat = points.as_flat();
        let mut mean = vec![0.0f64; d];
        for v in flat.chunks_exact(d) {
            for (m, x) in mean.iter_mut().zip(v) {
                *m += f64::from(*x);
            }
        }
        mean.iter_mut().for_each(|m| *m /= n as f64);
        let mut cov = vec![0.0f64; d * d];
        let mut c = vec![0.0f64; d];
        for v in flat.chunks_exact(d) {
            for (ci, (x, m)) in c.iter_mut().zip(v.iter().zip(&mean)) {
                *ci = f64::from(*x) - m;
            }
            for i in 0..d {
                let ci = c[i];
                let row = &mut cov[i * d..(i + 1) * d];
                for (r, cj) in row.iter_mut().zip(&c).skip(i) {
                    *r += ci * cj;
                }
            }
        }
        for i in 0..d {
            for j in i..d {
                let v = cov[i * d + j] / (n - 1) as f64;
                cov[i * d + j] = v;
                cov[j * d + i] = v;
            }
        }
        let total = (0..d).map(|i| cov[i * d + i]).sum();
        let mut axes: Vec<Vec<f64>> = Vec::new();
        let mut variances = Vec::new();
        for k in 0..components.min(d) {
            // A start not orthogonal to the axis sought (almost surely), orthogonal to those found.
            let mut v: Vec<f64> = (0..d)
                .map(|i| 1.0 + ((i * 7 + k * 13) % 11) as f64 * 0.1)
                .collect();
            let mut lambda = 0.0;
            for _ in 0..500 {
                for a in &axes {
                    let p = dot(&v, a);
                    v.iter_mut().zip(a).for_each(|(x, y)| *x -= p * y);
                }
                let mut w = vec![0.0; d];
                for (i, wi) in w.iter_mut().enumerate() {
                    *wi = dot(&cov[i * d..(i + 1) * d], &v);
                }
                let norm = dot(&w, &w).sqrt();
                if norm < 1e-300 {
                    break;
                }
                w.iter_mut().for_each(|x| *x /= norm);
                let change: f64 = w.iter().zip(&v).map(|(a, b)| (a - b).abs()).sum();
                v = w;
                lambda = norm;
                if change < 1e-12 {
                    break;
                }
            }
            let n2 = dot(&v, &v).sqrt().max(1e-300);
            v.iter_mut().for_each(|x| *x /= n2);
            axes.push(v);
            variances.push(lambda);
        }
        Ok(Self {
            mean,
            axes,
            variances,
            total,
        })
    }

    /// A vector's coordinates along the first two axes.
    pub fn project(&self, v: &[f32]) -> [f32; 2] {
        let mut out = [0.0f32; 2];
        for (o, a) in out.iter_mut().zip(&self.axes) {
            *o = a
                .iter()
                .zip(v.iter().zip(&self.mean))
                .map(|(ax, (x, m))| ax * (f64::from(*x) - m))
                .sum::<f64>() as f32;
        }
        out
    }

    /// The share of the variance the first `k` axes keep.
    pub fn explained(&self, k: usize) -> f64 {
        self.variances.iter().take(k).sum::<f64>() / self.total.max(1e-300)
    }
}

/// Trustworthiness T(k) of a 2-D picture of `points` (Venna & Kaski 2001): how far the points
/// that look near in the picture really are. For each point i, every j among its `k` nearest in
/// the picture but not among its `k` nearest in the data costs its data rank r(i, j) − k;
/// T = 1 − 2 / (n k (2n − 3k − 1)) · Σ. 1 means no false neighbours; random pictures score
/// about 0.5. Measured over at most `sample` points i (every point's rank among all n), with
/// the sum scaled to n. `None` when k is not below n / 2.
pub fn trustworthiness(
    points: &Points,
    metric: super::points::Metric,
    picture: &[[f32; 2]],
    k: usize,
    sample: usize,
    seed: u64,
) -> Option<f64> {
    let n = points.len().min(picture.len());
    if k == 0 || 2 * k >= n {
        return None;
    }
    let mut ids: Vec<usize> = (0..n).collect();
    if n > sample.max(1) {
        let mut rng = super::rng::SplitMix64::new(seed);
        for i in 0..sample {
            let j = i + (rng.next_u64() % (n - i) as u64) as usize;
            ids.swap(i, j);
        }
        ids.truncate(sample.max(1));
    }
    // Each sampled point's penalty on its own core: its data ranks (a full sort), then the k
    // nearest in the picture.
    use rayon::prelude::*;
    let penalty: f64 = ids
        .par_iter()
        .map(|&i| {
            let pi = points.get(super::points::PointId(i as u32));
            let mut order: Vec<(f32, usize)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| {
                    (
                        metric.eval(pi, points.get(super::points::PointId(j as u32))),
                        j,
                    )
                })
                .collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut rank = vec![0usize; n];
            for (r, &(_, j)) in order.iter().enumerate() {
                rank[j] = r + 1;
            }
            let [x, y] = picture[i];
            let mut near: Vec<(f32, usize)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| ((picture[j][0] - x).powi(2) + (picture[j][1] - y).powi(2), j))
                .collect();
            near.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            near[..k]
                .iter()
                .filter(|&&(_, j)| rank[j] > k)
                .map(|&(_, j)| (rank[j] - k) as f64)
                .sum::<f64>()
        })
        .sum();
    let (nf, kf) = (n as f64, k as f64);
    let scaled = penalty * nf / ids.len() as f64;
    Some(1.0 - 2.0 / (nf * kf * (2.0 * nf - 3.0 * kf - 1.0)) * scaled)
}
