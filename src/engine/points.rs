//! Points of any dimension in flat storage, metrics, and a counted distance.

use std::fmt;

/// The id of a point: its index in [`Points`], which is also its insertion order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PointId(pub u32);

impl PointId {
    /// The id as an index into flat arrays.
    #[inline]
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for PointId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Why a data set or a parameter was refused. Every message names the problem in plain words.
#[derive(Clone, Debug, PartialEq)]
pub enum DataError {
    /// The dimension was zero.
    ZeroDimension,
    /// The flat buffer's length is not a multiple of the dimension.
    RaggedBuffer { len: usize, dim: usize },
    /// A coordinate is NaN or infinite.
    NotFinite { point: usize, coord: usize },
    /// The point count is outside what the caller allows.
    TooMany { n: usize, max: usize },
    /// A parameter is out of range.
    BadParameter(String),
    /// A query's dimension differs from the data's.
    QueryDimension { expected: usize, got: usize },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::ZeroDimension => write!(f, "points need at least one dimension"),
            DataError::RaggedBuffer { len, dim } => write!(
                f,
                "{len} numbers do not split into points of dimension {dim}"
            ),
            DataError::NotFinite { point, coord } => write!(
                f,
                "point {point} has a coordinate that is not a finite number (coordinate {coord}); NaN and infinity are rejected"
            ),
            DataError::TooMany { n, max } => {
                write!(f, "{n} points is more than the {max} allowed here")
            }
            DataError::BadParameter(s) => write!(f, "{s}"),
            DataError::QueryDimension { expected, got } => write!(
                f,
                "the query has {got} coordinates but the points have {expected}"
            ),
        }
    }
}

impl std::error::Error for DataError {}

/// `n` points of dimension `dim`, stored row after row in one `Vec<f32>`; points of more
/// than two dimensions may carry their picture (see [`super::projection`]), which is where
/// [`Points::xy`] draws them.
#[derive(Clone, Debug, PartialEq)]
pub struct Points {
    dim: usize,
    data: Vec<f32>,
    picture: Option<std::sync::Arc<Vec<[f32; 2]>>>,
}

impl Points {
    /// Wraps a flat buffer, rejecting a zero dimension, a ragged buffer and non-finite values.
    pub fn new(dim: usize, data: Vec<f32>) -> Result<Self, DataError> {
        if dim == 0 {
            return Err(DataError::ZeroDimension);
        }
        if !data.len().is_multiple_of(dim) {
            return Err(DataError::RaggedBuffer {
                len: data.len(),
                dim,
            });
        }
        if let Some(pos) = data.iter().position(|v| !v.is_finite()) {
            return Err(DataError::NotFinite {
                point: pos / dim,
                coord: pos % dim,
            });
        }
        Ok(Self {
            dim,
            data,
            picture: None,
        })
    }

    /// 2-D points from pairs.
    pub fn from_xy(xy: &[[f32; 2]]) -> Result<Self, DataError> {
        Self::new(2, xy.iter().flat_map(|p| [p[0], p[1]]).collect())
    }

    /// An empty set of 2-D points.
    pub fn empty_xy() -> Self {
        Self {
            dim: 2,
            data: Vec::new(),
            picture: None,
        }
    }

    /// An empty set of the given dimension.
    pub fn empty(dim: usize) -> Result<Self, DataError> {
        Self::new(dim, Vec::new())
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn len(&self) -> usize {
        self.data.len() / self.dim
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The coordinates of one point.
    #[inline]
    pub fn get(&self, id: PointId) -> &[f32] {
        let start = id.idx() * self.dim;
        &self.data[start..start + self.dim]
    }

    /// Where a point is drawn: its place in the picture when the points carry one, else its
    /// first two coordinates (the plane every scene draws on).
    pub fn xy(&self, id: PointId) -> [f32; 2] {
        if let Some(p) = self.picture.as_ref().and_then(|p| p.get(id.idx())) {
            return *p;
        }
        let p = self.get(id);
        [p[0], if self.dim > 1 { p[1] } else { 0.0 }]
    }

    /// These points drawn at `picture` (one place per point), e.g. their PCA projection.
    pub fn with_picture(mut self, picture: Vec<[f32; 2]>) -> Result<Self, DataError> {
        if picture.len() != self.len() {
            return Err(DataError::BadParameter(format!(
                "{} places for {} points",
                picture.len(),
                self.len()
            )));
        }
        self.picture = Some(std::sync::Arc::new(picture));
        Ok(self)
    }

    /// Where each point is drawn, when the points carry a picture.
    pub fn picture(&self) -> Option<&[[f32; 2]]> {
        self.picture.as_deref().map(|v| v.as_slice())
    }

    /// Whether the points are drawn through a projection (more than two dimensions).
    pub fn projected(&self) -> bool {
        self.picture.is_some()
    }

    /// Appends a point, rejecting a wrong dimension or a non-finite value.
    pub fn push(&mut self, p: &[f32]) -> Result<PointId, DataError> {
        if self.picture.is_some() {
            return Err(DataError::BadParameter(
                "points drawn through a projection take no new points here: set the dimensions to 2 to edit".into(),
            ));
        }
        if p.len() != self.dim {
            return Err(DataError::QueryDimension {
                expected: self.dim,
                got: p.len(),
            });
        }
        if let Some(c) = p.iter().position(|v| !v.is_finite()) {
            return Err(DataError::NotFinite {
                point: self.len(),
                coord: c,
            });
        }
        let id = PointId(self.len() as u32);
        self.data.extend_from_slice(p);
        Ok(id)
    }

    pub fn ids(&self) -> impl Iterator<Item = PointId> + use<> {
        (0..self.len() as u32).map(PointId)
    }

    pub fn as_flat(&self) -> &[f32] {
        &self.data
    }

    /// Indices of points that repeat an earlier point exactly, as (duplicate, original).
    pub fn duplicates(&self) -> Vec<(PointId, PointId)> {
        let mut order: Vec<PointId> = self.ids().collect();
        order.sort_by(|a, b| {
            self.get(*a)
                .iter()
                .zip(self.get(*b))
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(b))
        });
        let mut out = Vec::new();
        for w in order.windows(2) {
            if self.get(w[0]) == self.get(w[1]) {
                out.push((w[1], w[0]));
            }
        }
        out.sort();
        out
    }

    /// Bounding box of where the points are drawn ([`Points::xy`]): (min, max).
    pub fn bounds_xy(&self) -> Option<([f32; 2], [f32; 2])> {
        let mut it = self.ids().map(|i| self.xy(i));
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), p| {
            (
                [lo[0].min(p[0]), lo[1].min(p[1])],
                [hi[0].max(p[0]), hi[1].max(p[1])],
            )
        }))
    }
}

/// How distance is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Metric {
    /// Straight-line (L2) distance.
    #[default]
    Euclidean,
    /// `1 − cos(a, b)`, as Weaviate and hnswlib's "cosine" space report it.
    Cosine,
}

impl Metric {
    pub const ALL: [Metric; 2] = [Metric::Euclidean, Metric::Cosine];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Euclidean => "Euclidean",
            Metric::Cosine => "cosine (1 − cos)",
        }
    }

    /// The distance between two points, not counted. Use [`Dist`] in algorithms.
    #[inline]
    pub fn eval(self, a: &[f32], b: &[f32]) -> f32 {
        match self {
            Metric::Euclidean => {
                let mut s = 0.0f32;
                for (x, y) in a.iter().zip(b) {
                    let d = x - y;
                    s += d * d;
                }
                s.sqrt()
            }
            Metric::Cosine => {
                let (mut dot, mut na, mut nb) = (0.0f32, 0.0f32, 0.0f32);
                for (x, y) in a.iter().zip(b) {
                    dot += x * y;
                    na += x * x;
                    nb += y * y;
                }
                let denom = (na * nb).sqrt();
                if denom == 0.0 {
                    // A zero vector has no direction: call it orthogonal to everything.
                    1.0
                } else {
                    (1.0 - dot / denom).max(0.0)
                }
            }
        }
    }
}

/// A metric that counts every evaluation: the "distance computations" counter.
#[derive(Clone, Copy, Debug, Default)]
pub struct Dist {
    pub metric: Metric,
    pub count: u64,
}

impl Dist {
    pub fn new(metric: Metric) -> Self {
        Self { metric, count: 0 }
    }

    #[inline]
    pub fn eval(&mut self, a: &[f32], b: &[f32]) -> f32 {
        self.count += 1;
        self.metric.eval(a, b)
    }
}
