//! The distance matrix: the seed's precomputation. All n(n−1)/2 distances once, stored in an
//! n × n array (n²·4 bytes) shown as a heatmap beside the points; afterwards a distance is an
//! O(1) lookup and a point's neighbours are read off its row.

pub mod frame;
mod panel;

use crate::engine::human_bytes;
use crate::engine::matrix::{self, DistanceMatrix, MatrixEvent};
use crate::engine::{Log, PointId};
use crate::render::{Frame, Palette, Style};
use crate::scenes::info_and_settings;
use crate::scenes::playback::Playback;
use crate::scenes::registry::SceneEntry;
use crate::scenes::{
    Button, Click, Counter, Example, Narration, Reaction, Scene, SceneInfo, Shared, any_scene,
    key_of, play_through, point_near,
};
use crate::trace::player::{Command, Player};
use crate::trace::{MarkerKind, Recording, Replay, Replayed, Steps};

pub static INFO: SceneInfo = SceneInfo {
    id: "distance-matrix",
    name: "Distance matrix",
    key: '2',
    blurb: "Precompute every pairwise distance, O(n²) work and n²·4 bytes, shown as a heatmap beside the points; then each distance is an O(1) lookup and a point's neighbours are read off its row.",
    own_space: true,
    examples: &[Example {
        name: "Distance matrix: clusters, neighbours together",
        json: include_str!("../../../assets/scenes/distance-matrix-clusters.json"),
    }],
};

pub const ENTRY: SceneEntry = SceneEntry {
    info: &INFO,
    make: || Box::new(Matrix::default()),
    panel: crate::scenes::panel_of::<Matrix>,
};

/// Most points whose matrix is built and drawn.
pub const MAX_MATRIX_POINTS: usize = 2_000;
/// Each distance is a step (fine) up to this many points; above, one step per row.
pub const FINE_CELL_LIMIT: usize = 60;

/// How rows and columns are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Order {
    /// Point ids, 0 … n−1.
    Ids,
    /// A nearest-neighbour chain: neighbours sit together and blocks show.
    Chain,
}

#[derive(Clone, Copy, Debug, PartialEq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct MatrixSettings {
    pub order: Order,
    /// Neighbours read off a row.
    pub k: usize,
    /// The row read off (a point id).
    pub row: Option<u32>,
}

impl Default for MatrixSettings {
    fn default() -> Self {
        Self {
            order: Order::Ids,
            k: 3,
            row: None,
        }
    }
}

/// The precomputation at the cursor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatrixState {
    /// Rows whose distances are all computed.
    pub rows_done: usize,
    /// The row being computed.
    pub row: Option<u32>,
    /// Distances computed as separate steps (fine recordings).
    pub cells_done: u64,
    /// Cells of the current row already computed (fine recordings).
    pub in_row: u32,
}

impl Replay<MatrixEvent> for MatrixState {
    fn apply(&mut self, e: &MatrixEvent) {
        match *e {
            MatrixEvent::Row { row } => {
                self.row = Some(row);
                self.in_row = 0;
            }
            MatrixEvent::Cell { .. } => {
                self.cells_done += 1;
                self.in_row += 1;
            }
            MatrixEvent::RowDone { .. } => {
                self.rows_done += 1;
                self.row = None;
                self.in_row = 0;
            }
        }
    }

    fn revert(&mut self, e: &MatrixEvent) {
        match *e {
            MatrixEvent::Row { .. } => {
                self.row = None;
                self.in_row = 0;
            }
            MatrixEvent::Cell { .. } => {
                self.cells_done -= 1;
                self.in_row -= 1;
            }
            MatrixEvent::RowDone {
                row,
                cells,
                recorded,
            } => {
                self.rows_done -= 1;
                self.row = Some(row);
                self.in_row = if recorded { cells } else { 0 };
            }
        }
    }
}

pub type MatrixPlayback = Playback<Recording<MatrixEvent>, Replayed<MatrixState, MatrixEvent>>;

pub struct Matrix {
    pub settings: MatrixSettings,
    pub matrix: Option<DistanceMatrix>,
    /// Row and column order (point ids).
    pub order: Vec<u32>,
    pub play: MatrixPlayback,
    /// Points in the data when built.
    pub n: usize,
    /// Whether each distance is its own step.
    pub fine: bool,
    /// Milliseconds the precomputation took (the fast path, no recorder).
    pub build_ms: f64,
    /// The heatmap cell under the pointer, as (row point, column point).
    pub hovered: Option<(u32, u32)>,
    /// The complete matrix's block means in the current order (see `frame::block_means`).
    pub block_means: Vec<Option<f32>>,
    error: Option<String>,
}

impl Default for Matrix {
    fn default() -> Self {
        Self {
            settings: MatrixSettings::default(),
            matrix: None,
            order: Vec::new(),
            play: Playback::new(Recording::default(), Player::default()),
            n: 0,
            fine: false,
            build_ms: 0.0,
            hovered: None,
            block_means: Vec::new(),
            error: None,
        }
    }
}

impl Matrix {
    pub fn state(&self) -> &MatrixState {
        &self.play.state.inner
    }

    /// Whether n is over the limit: nothing is built and the scene says what it would take.
    pub fn too_big(&self) -> bool {
        self.n > MAX_MATRIX_POINTS
    }

    /// Distances computed at the cursor.
    pub fn computed(&self) -> u64 {
        let st = self.state();
        if self.fine {
            st.cells_done
        } else {
            let (n, r) = (self.n as u64, st.rows_done as u64);
            r * n - r * (r + 1) / 2
        }
    }

    /// All n(n−1)/2 distances.
    pub fn total(&self) -> u64 {
        let n = self.n as u64;
        n * n.saturating_sub(1) / 2
    }

    /// Whether `D[i][j]` is known at the cursor.
    pub fn known(&self, i: u32, j: u32) -> bool {
        let (a, b) = (i.min(j), i.max(j));
        if a == b {
            return true;
        }
        let st = self.state();
        (a as usize) < st.rows_done || (self.fine && st.row == Some(a) && b - a <= st.in_row)
    }

    /// Whether the whole matrix is computed (the cursor at the end).
    pub fn complete(&self) -> bool {
        self.state().rows_done >= self.n
    }

    /// The row read off, with its k nearest, once the matrix is complete.
    pub fn row_answer(&self) -> Option<(PointId, Vec<(PointId, f32)>)> {
        let m = self.matrix.as_ref()?;
        let row = self.settings.row.filter(|&r| (r as usize) < m.len())?;
        self.complete()
            .then(|| (PointId(row), m.row_knn(PointId(row), self.settings.k)))
    }

    fn reorder(&mut self) {
        self.order = match (&self.matrix, self.settings.order) {
            (Some(m), Order::Chain) => m.nn_chain_order(),
            _ => (0..self.n as u32).collect(),
        };
        self.block_means = frame::block_means(self, |_, _| true);
    }
}

impl Scene for Matrix {
    info_and_settings!(settings);

    fn max_points(&self) -> usize {
        MAX_MATRIX_POINTS
    }

    fn data_changed(&mut self, _shared: &Shared) {
        self.settings.row = None;
        self.hovered = None;
    }

    fn build(&mut self, shared: &Shared) {
        self.n = shared.points.len();
        self.error = None;
        self.hovered = None;
        let player = self.play.player.clone();
        if self.too_big() {
            self.matrix = None;
            self.order.clear();
            self.block_means.clear();
            self.play = Playback::new(Recording::default(), player);
            return;
        }
        self.fine = self.n <= FINE_CELL_LIMIT;
        let t0 = std::time::Instant::now();
        let fast = DistanceMatrix::build(
            shared.points,
            shared.metric,
            false,
            &mut crate::engine::NoRecorder,
        );
        self.build_ms = t0.elapsed().as_secs_f64() * 1000.0;
        let mut log = Log::default();
        match fast
            .and_then(|_| DistanceMatrix::build(shared.points, shared.metric, self.fine, &mut log))
        {
            Ok(m) => {
                self.matrix = Some(m);
                self.play =
                    Playback::new(Recording::new(log.events, MatrixEvent::is_coarse), player);
            }
            Err(e) => {
                self.matrix = None;
                self.error = Some(e.to_string());
                self.play = Playback::new(Recording::default(), player);
            }
        }
        if self.settings.row.is_some_and(|r| r as usize >= self.n) {
            self.settings.row = None;
        }
        self.reorder();
    }

    fn query_moved(&mut self, _shared: &Shared) {}

    fn error(&self) -> Option<String> {
        self.error.clone()
    }

    fn notes(&self, _shared: &Shared) -> Vec<String> {
        let mut v = Vec::new();
        if self.too_big() {
            v.push(format!(
                "n = {} is more than the {MAX_MATRIX_POINTS} points whose matrix is drawn here.",
                self.n
            ));
        } else if !self.fine && self.n > 0 {
            v.push(format!(
                "n > {FINE_CELL_LIMIT}: one step per row (each distance is a step up to {FINE_CELL_LIMIT} points)."
            ));
        }
        v
    }

    play_through!(play);

    fn markers(&self) -> Vec<(usize, MarkerKind)> {
        let len = self.play.trace.events.len();
        if len == 0 {
            return Vec::new();
        }
        vec![(len - 1, MarkerKind::Found)]
    }

    fn frame(&self, shared: &Shared, palette: Palette, style: Style) -> Frame {
        frame::frame(self, shared, palette, style)
    }

    fn frame_key(&self) -> u64 {
        key_of(&(
            self.play.state.cursor,
            self.play.trace.events.as_ptr() as usize,
            self.play.trace.len(),
            self.settings,
            self.hovered,
            self.n,
        ))
    }

    fn narration(&self, shared: &Shared) -> Narration {
        frame::narrate(self, shared)
    }

    fn pseudocode(&self) -> &'static [&'static str] {
        frame::PSEUDOCODE
    }

    fn counters(&self, _shared: &Shared) -> Vec<Counter> {
        let n = self.n as u64;
        let mut c = vec![
            Counter::new(
                "distance computations",
                format!("{} / {}", self.computed(), self.total()),
                true,
            ),
            Counter::new("cells", format!("{n} × {n} = {}", n * n), true),
            Counter::new("bytes (n²·4)", human_bytes(matrix::bytes_for(n)), true),
        ];
        if !self.too_big() {
            c.push(Counter::new(
                "build time (no recording)",
                format!("{:.2} ms", self.build_ms),
                false,
            ));
        }
        c.push(Counter::new(
            "at a million points it would need",
            human_bytes(matrix::bytes_for(1_000_000)),
            false,
        ));
        c
    }

    /// Click a point, or a row of the heatmap, to read that point's neighbours off its row;
    /// elsewhere clears the choice.
    fn click(&mut self, shared: &Shared, click: &Click) -> Reaction {
        if click.button != Button::Primary {
            return Reaction::default();
        }
        let hit = point_near(shared.points, click.pos_in_world, click.radius_in_world)
            .map(|id| id.0)
            .or_else(|| frame::cell_at(self, shared, click.pos_in_world).map(|(r, _)| r));
        self.settings.row = hit;
        if hit.is_some() && !self.complete() {
            self.command(Command::Last);
        }
        Reaction::default()
    }

    fn hover(&mut self, shared: &Shared, pos: Option<[f32; 2]>, radius: f32) -> Option<String> {
        self.hovered = pos.and_then(|p| frame::cell_at(self, shared, p));
        if let Some((i, j)) = self.hovered {
            let m = self.matrix.as_ref()?;
            return Some(if self.known(i, j) {
                format!(
                    "D[{i}][{j}] = {:.4}: one lookup, no distance computed\nclick: read row {i}",
                    crate::scenes::Dist(m.get(PointId(i), PointId(j)))
                )
            } else {
                format!("D[{i}][{j}]: not computed yet")
            });
        }
        let id = point_near(shared.points, pos?, radius)?;
        Some(format!(
            "point {id}\nclick: read its neighbours off row {id}"
        ))
    }

    any_scene!();
}
