//! Brute force: the exact reference every other method is checked against, and the scan the
//! seed lessons start from — every point's distance, the best k kept in a bounded max-heap.

use std::collections::BinaryHeap;

use super::points::{DataError, Dist, PointId, Points};
use super::recorder::{Event, Recorder};
use super::search::Scored;

/// What one step of a recorded brute-force scan did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScanEvent {
    /// The scan for query number `query` (of a batch) starts with an empty heap.
    Query { query: u16 },
    /// The distance to `node` was computed and `node` entered the best k; `evicted`, the
    /// worst of a full heap, left it.
    Enter {
        node: PointId,
        dist: f32,
        evicted: Option<(PointId, f32)>,
    },
    /// The distance to `node` was computed; it is no better than `worst`, the worst of a
    /// full heap, so it is skipped.
    Skip {
        node: PointId,
        dist: f32,
        worst: f32,
    },
    /// Every point was scanned: the heap, sorted, is the answer.
    Done { query: u16 },
}

impl ScanEvent {
    /// Coarse steps: queries, entries into the best k, and the end of each scan.
    pub fn is_coarse(&self) -> bool {
        !matches!(self, ScanEvent::Skip { .. })
    }
}

fn check(points: &Points, query: &[f32]) -> Result<(), DataError> {
    if query.len() != points.dim() {
        return Err(DataError::QueryDimension {
            expected: points.dim(),
            got: query.len(),
        });
    }
    Ok(())
}

/// The exact `k` nearest points to `query`, best first (ties broken by id): one pass over
/// all n points with a bounded max-heap of the best k so far. Exactly n distance
/// computations; with a recording `rec`, one event per point.
pub fn scan<R: Recorder<ScanEvent>>(
    points: &Points,
    dist: &mut Dist,
    query: &[f32],
    k: usize,
    batch_index: u16,
    rec: &mut R,
) -> Result<Vec<(PointId, f32)>, DataError> {
    check(points, query)?;
    if R::ENABLED {
        rec.record(ScanEvent::Query { query: batch_index });
    }
    let mut heap: BinaryHeap<Scored> = BinaryHeap::with_capacity(k.min(points.len()) + 1);
    for id in points.ids() {
        let d = dist.eval(query, points.get(id));
        let s = Scored { dist: d, id };
        if k == 0 {
            if R::ENABLED {
                rec.record(ScanEvent::Skip {
                    node: id,
                    dist: d,
                    worst: f32::NEG_INFINITY,
                });
            }
        } else if heap.len() < k {
            heap.push(s);
            if R::ENABLED {
                rec.record(ScanEvent::Enter {
                    node: id,
                    dist: d,
                    evicted: None,
                });
            }
        } else if let Some(&worst) = heap.peek() {
            if s < worst {
                heap.pop();
                heap.push(s);
                if R::ENABLED {
                    rec.record(ScanEvent::Enter {
                        node: id,
                        dist: d,
                        evicted: Some((worst.id, worst.dist)),
                    });
                }
            } else if R::ENABLED {
                rec.record(ScanEvent::Skip {
                    node: id,
                    dist: d,
                    worst: worst.dist,
                });
            }
        }
    }
    if R::ENABLED {
        rec.record(ScanEvent::Done { query: batch_index });
    }
    Ok(heap
        .into_sorted_vec()
        .into_iter()
        .map(|s| (s.id, s.dist))
        .collect())
}

/// The exact `k` nearest points to `query`, best first (ties broken by id). Computes all n
/// distances; reports each as an `Evaluate` event (the graph scenes' truth).
pub fn knn<R: Recorder>(
    points: &Points,
    dist: &mut Dist,
    query: &[f32],
    k: usize,
    rec: &mut R,
) -> Result<Vec<(PointId, f32)>, DataError> {
    check(points, query)?;
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

/// The exact `k` nearest to `query` by Euclidean distance, nearest first (ties by id), into
/// `out`: the scaling lab's brute force. One pass over the points with a bounded heap — no
/// allocation once `out` is warm — computing exactly `points.len()` distances (returned).
pub fn top_k_l2(points: &Points, query: &[f32], k: usize, out: &mut Vec<(PointId, f32)>) -> u64 {
    use super::hnsw::l2_squared;
    out.clear();
    let dim = points.dim();
    if k == 0 || query.len() != dim || points.is_empty() {
        return 0;
    }
    // A max-heap of (squared distance, id) packed so integers order them.
    let mut heap: BinaryHeap<u64> = BinaryHeap::with_capacity(k + 1);
    let pack = |d: f32, id: usize| ((d.to_bits() as u64) << 32) | id as u64;
    for (i, p) in points.as_flat().chunks_exact(dim).enumerate() {
        let d = l2_squared(query, p);
        if heap.len() < k {
            heap.push(pack(d, i));
        } else if let Some(&top) = heap.peek()
            && pack(d, i) < top
        {
            heap.pop();
            heap.push(pack(d, i));
        }
    }
    let mut v = heap.into_vec();
    v.sort_unstable();
    out.extend(
        v.into_iter()
            .map(|x| (PointId(x as u32), f32::from_bits((x >> 32) as u32).sqrt())),
    );
    points.len() as u64
}
