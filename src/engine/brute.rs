//! Brute force: the exact reference every other method is checked against.

use super::points::{DataError, Dist, PointId, Points};
use super::recorder::{Event, Recorder};
use super::search::Scored;

/// The exact `k` nearest points to `query`, best first (ties broken by id). Computes all n
/// distances.
pub fn knn<R: Recorder>(
    points: &Points,
    dist: &mut Dist,
    query: &[f32],
    k: usize,
    rec: &mut R,
) -> Result<Vec<(PointId, f32)>, DataError> {
    if query.len() != points.dim() {
        return Err(DataError::QueryDimension {
            expected: points.dim(),
            got: query.len(),
        });
    }
    let mut all: Vec<Scored> = points
        .ids()
        .map(|id| {
            let d = dist.eval(query, points.get(id));
            if R::ENABLED {
                rec.record(Event::Evaluate {
                    node: id,
                    from: id,
                    dist: d,
                });
            }
            Scored { dist: d, id }
        })
        .collect();
    let k = k.min(all.len());
    if k == 0 {
        return Ok(Vec::new());
    }
    all.select_nth_unstable(k - 1);
    all.truncate(k);
    all.sort();
    Ok(all.into_iter().map(|s| (s.id, s.dist)).collect())
}

/// The exact nearest point, or `None` when there are no points. Not counted.
pub fn nearest(
    points: &Points,
    metric: super::points::Metric,
    query: &[f32],
) -> Option<(PointId, f32)> {
    let mut d = Dist::new(metric);
    knn(points, &mut d, query, 1, &mut super::recorder::NoRecorder)
        .ok()
        .and_then(|v| v.first().copied())
}
