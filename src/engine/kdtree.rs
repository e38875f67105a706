//! An exact k-d tree, for the scaling lab's honest comparison: in two dimensions a k-d tree
//! finds the true nearest neighbours faster than any graph. The tree is the `kiddo` crate's
//! (an immutable, cache-friendly k-d tree with leaves of 32 points); this module only picks
//! its dimension at run time. kiddo does not report how many distances a query computes, so
//! the lab leaves that column empty for the k-d tree rather than guess it.

use std::num::NonZero;

use kiddo::{ImmutableKdTree, SquaredEuclidean};

use super::points::{DataError, PointId, Points};

/// The dimensions the k-d tree is compiled for (kiddo's dimension is a type parameter).
pub const DIMS: &[usize] = &[2, 3, 4, 8, 16, 32, 64, 128];

macro_rules! trees {
    ($($v:ident = $k:literal),*) => {
        enum Tree {
            $($v(Box<ImmutableKdTree<f32, $k>>),)*
        }

        impl KdTree {
            /// Builds the tree over every point (ids are the points' ids).
            pub fn build(points: &Points) -> Result<Self, DataError> {
                if points.is_empty() {
                    return Err(DataError::BadParameter("a k-d tree needs at least one point".into()));
                }
                let flat = points.as_flat();
                let tree = match points.dim() {
                    $($k => {
                        let rows: Vec<[f32; $k]> = flat
                            .chunks_exact($k)
                            .map(|c| {
                                let mut a = [0f32; $k];
                                a.copy_from_slice(c);
                                a
                            })
                            .collect();
                        let t = ImmutableKdTree::<f32, $k>::new_from_slice(&rows)
                            .map_err(|e| DataError::BadParameter(format!("k-d tree: {e:?}")))?;
                        Tree::$v(Box::new(t))
                    })*
                    d => return Err(DataError::BadParameter(format!(
                        "the k-d tree takes dimensions {DIMS:?}, not {d}"
                    ))),
                };
                Ok(Self { tree, len: points.len() })
            }

            /// The `k` nearest to `q` (true Euclidean distances, nearest first) into `out`.
            pub fn search_into(&self, q: &[f32], k: usize, out: &mut Vec<(PointId, f32)>) {
                out.clear();
                let Some(k) = NonZero::new(k.min(self.len)) else {
                    return;
                };
                match &self.tree {
                    $(Tree::$v(t) => {
                        let Ok(q) = <[f32; $k]>::try_from(q) else {
                            return;
                        };
                        let found = t.query(&q).nearest_n::<SquaredEuclidean<f32>>(k).execute();
                        out.extend(found.iter().map(|r| (PointId(r.item), r.distance.sqrt())));
                    })*
                }
            }
        }
    };
}

/// An exact k-d tree over points of one of [`DIMS`].
pub struct KdTree {
    tree: Tree,
    len: usize,
}

trees!(
    D2 = 2,
    D3 = 3,
    D4 = 4,
    D8 = 8,
    D16 = 16,
    D32 = 32,
    D64 = 64,
    D128 = 128
);

impl KdTree {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl std::fmt::Debug for KdTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KdTree({} points)", self.len)
    }
}
