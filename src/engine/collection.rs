//! A vector database's collection: objects, each a vector (2 to 128 dimensions) with
//! properties (a title, numbers, a category). Built in: the DeepLearning.AI lesson's five 6-d
//! objects, synthetic clusters whose properties do or do not follow position, the 1,797
//! handwritten 8 × 8 digits (64-d, from the UCI collection via scikit-learn); and CSV files of
//! your own, whose errors name the line and the column.

use std::fmt;

use super::filter::{Column, Props};
use super::points::{Metric, Points};
use super::rng::SplitMix64;

/// Dimensions a collection's vectors may have.
pub const DIMS: std::ops::RangeInclusive<usize> = 2..=128;
/// Most objects a collection holds (the view animates every one).
pub const MAX_OBJECTS: usize = 20_000;

/// The digits, exported once from scikit-learn's copy of the UCI data (see README).
const DIGITS_CSV: &str = include_str!("../../assets/data/digits.csv");

/// The lesson's query vector (`nearVector` in the Weaviate walk-through).
pub const LESSON_QUERY: [f32; 6] = [-0.012, 0.021, -0.23, -0.42, 0.5, 0.5];

/// Where a collection comes from.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Source {
    /// The lesson's five objects (title, foo, a 6-d vector; cosine distance).
    Lesson,
    /// Gaussian clusters: `category` is the cluster (follows position), `tag` (0–9) and
    /// `foo` (0–99) are drawn independently of position.
    Clusters {
        n: usize,
        dim: usize,
        clusters: usize,
        seed: u64,
    },
    /// 1,797 handwritten digits, 8 × 8 pixels of 0–16: 64-d, `digit` = the label.
    Digits,
    /// A CSV file of your own.
    Csv { path: String },
}

impl Source {
    pub fn name(&self) -> String {
        match self {
            Source::Lesson => "the lesson's 5 objects".into(),
            Source::Clusters { n, dim, .. } => format!("{n} clustered objects, {dim}-d"),
            Source::Digits => "1,797 handwritten digits (64-d)".into(),
            Source::Csv { path } => format!("CSV: {path}"),
        }
    }
}

/// Objects with vectors and properties, and the distance the collection is searched with.
#[derive(Clone, Debug, PartialEq)]
pub struct Collection {
    pub name: String,
    pub points: Points,
    /// Every property, `title` among them when there is one.
    pub props: Props,
    pub metric: Metric,
}

/// Why a CSV file was refused: the line (1 = the header) and the column (1-based, with its
/// name) where it went wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvError {
    pub line: u64,
    pub column: Option<(usize, String)>,
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some((c, name)) = &self.column {
            write!(f, ", column {c} ({name})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for CsvError {}

impl Collection {
    /// The collection a source names (a CSV source reads its file).
    pub fn load(source: &Source) -> Result<Self, String> {
        match source {
            Source::Lesson => Ok(Self::lesson()),
            &Source::Clusters {
                n,
                dim,
                clusters,
                seed,
            } => Self::clusters(n, dim, clusters, seed),
            Source::Digits => Self::digits().map_err(|e| e.to_string()),
            Source::Csv { path } => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {path}: {e}"))?;
                Self::from_csv(&text, Metric::Euclidean).map_err(|e| format!("{path}: {e}"))
            }
        }
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    pub fn dim(&self) -> usize {
        self.points.dim()
    }

    /// Object `i`'s title: its `title` (or `name`) property, else "object i".
    pub fn title(&self, i: usize) -> String {
        for key in ["title", "name"] {
            if let Some(Column::Text(t)) = self.props.column(key)
                && let Some(s) = t.get(i)
            {
                return s.clone();
            }
        }
        format!("object {i}")
    }

    /// Object `i`'s properties other than its title, as `name value` pairs.
    pub fn properties(&self, i: usize) -> Vec<(String, String)> {
        self.props
            .names
            .iter()
            .zip(&self.props.columns)
            .filter(|(n, _)| !n.eq_ignore_ascii_case("title"))
            .map(|(n, c)| {
                let v = match c {
                    Column::Number(v) => v.get(i).map(|x| number(*x)).unwrap_or_default(),
                    Column::Text(v) => v.get(i).cloned().unwrap_or_default(),
                };
                (n.clone(), v)
            })
            .collect()
    }

    /// The lesson's five objects (Weaviate walk-through): cosine distance.
    pub fn lesson() -> Self {
        let vectors: [[f32; 6]; 5] = [
            [0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
            [0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
            [0.3, 0.1, -0.1, -0.3, -0.5, -0.7],
            [0.4, 0.41, 0.42, 0.43, 0.44, 0.45],
            [0.5, 0.5, 0.0, 0.0, 0.0, 0.0],
        ];
        let titles = ["First", "Second", "Third", "Fourth", "Fifth"].map(|t| format!("{t} Object"));
        // Six finite coordinates each: the only way this fails is an edit above.
        let points = Points::new(6, vectors.iter().flatten().copied().collect())
            .unwrap_or_else(|_| Points::empty_xy());
        Self {
            name: Source::Lesson.name(),
            points,
            props: Props {
                names: vec!["title".into(), "foo".into()],
                columns: vec![
                    Column::Text(titles.to_vec()),
                    Column::Number(vec![99.0, 77.0, 55.0, 33.0, 11.0]),
                ],
            },
            metric: Metric::Cosine,
        }
    }

    /// `n` objects in `clusters` Gaussian clusters in `dim` dimensions (unit cube).
    pub fn clusters(n: usize, dim: usize, clusters: usize, seed: u64) -> Result<Self, String> {
        if !(1..=MAX_OBJECTS).contains(&n) {
            return Err(format!(
                "a collection holds 1 to {MAX_OBJECTS} objects, not {n}"
            ));
        }
        if !DIMS.contains(&dim) {
            return Err(format!("vectors have 2 to 128 dimensions, not {dim}"));
        }
        let clusters = clusters.clamp(1, 50);
        let mut rng = SplitMix64::new(seed ^ 0x0C01_1EC7);
        let centres: Vec<f32> = (0..clusters * dim)
            .map(|_| 0.15 + 0.7 * rng.unit_f32())
            .collect();
        let spread = 0.06;
        let (mut data, mut cat, mut tag, mut foo_values, mut title) =
            (Vec::with_capacity(n * dim), vec![], vec![], vec![], vec![]);
        for i in 0..n {
            let c = (rng.next_u64() % clusters as u64) as usize;
            for j in 0..dim {
                data.push(centres[c * dim + j] + spread * gauss(&mut rng));
            }
            cat.push(c as f64);
            tag.push((rng.next_u64() % 10) as f64);
            foo_values.push((rng.next_u64() % 100) as f64);
            title.push(format!("object {i}"));
        }
        let points = Points::new(dim, data).map_err(|e| e.to_string())?;
        Ok(Self {
            name: Source::Clusters {
                n,
                dim,
                clusters,
                seed,
            }
            .name(),
            points,
            props: Props {
                names: ["title", "category", "tag", "foo"]
                    .map(String::from)
                    .to_vec(),
                columns: vec![
                    Column::Text(title),
                    Column::Number(cat),
                    Column::Number(tag),
                    Column::Number(foo_values),
                ],
            },
            metric: Metric::Euclidean,
        })
    }

    /// The 1,797 handwritten digits.
    pub fn digits() -> Result<Self, CsvError> {
        let mut c = Self::from_csv(DIGITS_CSV, Metric::Euclidean)?;
        c.name = Source::Digits.name();
        Ok(c)
    }

    /// Objects from CSV text with a header row. The vector is the columns named `v0`, `v1`, …
    /// (or `x1`, `dim1`, …) in order, or one column named `vector` holding numbers separated
    /// by spaces, commas or semicolons (brackets allowed). Every other column is a property:
    /// a number when every row's value is one, text otherwise.
    pub fn from_csv(text: &str, metric: Metric) -> Result<Self, CsvError> {
        let err = |line: u64, column: Option<(usize, String)>, message: String| CsvError {
            line,
            column,
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| err(1, None, e.to_string()))?
            .iter()
            .map(String::from)
            .collect();
        if headers.iter().all(|h| h.is_empty()) {
            return Err(err(
                1,
                None,
                "the file is empty: a header row is needed".into(),
            ));
        }
        for (i, h) in headers.iter().enumerate() {
            if headers[..i].iter().any(|g| g.eq_ignore_ascii_case(h)) {
                return Err(err(
                    1,
                    Some((i + 1, h.clone())),
                    "this column name repeats".into(),
                ));
            }
        }
        let packed = headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case("vector"));
        let vector_cols: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| is_component(h))
            .map(|(i, _)| i)
            .collect();
        if packed.is_none() && vector_cols.is_empty() {
            return Err(err(
                1,
                None,
                format!(
                    "no vector: name the vector's columns v0, v1, … or give one column 'vector' (columns here: {})",
                    headers.join(", ")
                ),
            ));
        }
        let prop_cols: Vec<usize> = (0..headers.len())
            .filter(|i| Some(*i) != packed && !vector_cols.contains(i))
            .collect();
        let mut data: Vec<f32> = Vec::new();
        let mut dim: Option<usize> = None;
        let mut raw: Vec<Vec<String>> = vec![Vec::new(); prop_cols.len()];
        let mut rows = 0usize;
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                err(line, None, e.to_string())
            })?;
            let line = record.position().map_or(rows as u64 + 2, |p| p.line());
            if record.iter().all(|f| f.is_empty()) {
                continue;
            }
            if record.len() != headers.len() {
                return Err(err(
                    line,
                    None,
                    format!(
                        "{} fields, but the header has {}",
                        record.len(),
                        headers.len()
                    ),
                ));
            }
            rows += 1;
            if rows > MAX_OBJECTS {
                return Err(err(line, None, format!("more than {MAX_OBJECTS} objects")));
            }
            let col = |i: usize| Some((i + 1, headers[i].clone()));
            let parse = |i: usize, s: &str| -> Result<f32, CsvError> {
                match s.parse::<f32>() {
                    Ok(v) if v.is_finite() => Ok(v),
                    Ok(_) => Err(err(line, col(i), format!("'{s}' is not a finite number"))),
                    Err(_) => Err(err(line, col(i), format!("'{s}' is not a number"))),
                }
            };
            let before = data.len();
            if let Some(p) = packed {
                let cell = record.get(p).unwrap_or("");
                for part in cell
                    .trim_matches(|c| c == '[' || c == ']')
                    .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                    .filter(|s| !s.is_empty())
                {
                    data.push(parse(p, part)?);
                }
            }
            for &i in &vector_cols {
                data.push(parse(i, record.get(i).unwrap_or(""))?);
            }
            let d = data.len() - before;
            match dim {
                None => {
                    if !DIMS.contains(&d) {
                        return Err(err(
                            line,
                            packed.and_then(col),
                            format!("the vector has {d} numbers; 2 to 128 are allowed"),
                        ));
                    }
                    dim = Some(d);
                }
                Some(first) if first != d => {
                    return Err(err(
                        line,
                        packed.and_then(col),
                        format!("the vector has {d} numbers, the first object's had {first}"),
                    ));
                }
                Some(_) => {}
            }
            for (slot, &i) in raw.iter_mut().zip(&prop_cols) {
                slot.push(record.get(i).unwrap_or("").to_string());
            }
        }
        let Some(dim) = dim else {
            return Err(err(
                2,
                None,
                "no objects: the file has only a header".into(),
            ));
        };
        let points = Points::new(dim, data).map_err(|e| err(0, None, e.to_string()))?;
        let columns = raw
            .into_iter()
            .map(|vals| {
                let nums: Option<Vec<f64>> = vals
                    .iter()
                    .map(|s| s.parse::<f64>().ok().filter(|v| v.is_finite()))
                    .collect();
                match nums {
                    Some(v) if !v.is_empty() => Column::Number(v),
                    _ => Column::Text(vals),
                }
            })
            .collect();
        Ok(Self {
            name: "CSV".into(),
            points,
            props: Props {
                names: prop_cols.iter().map(|&i| headers[i].clone()).collect(),
                columns,
            },
            metric,
        })
    }
}

/// `v0`, `x12`, `dim3`: a vector component's column.
fn is_component(h: &str) -> bool {
    let h = h.to_ascii_lowercase();
    ["v", "x", "dim"].iter().any(|p| {
        h.strip_prefix(p)
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// A standard normal draw (Box–Muller).
fn gauss(rng: &mut SplitMix64) -> f32 {
    let u = rng.unit_f64().max(1e-12);
    let v = rng.unit_f64();
    ((-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()) as f32
}

/// A property's number as people write it: integers without decimals.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.3}")
    }
}
