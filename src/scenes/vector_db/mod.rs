//! The vector database (`vector-db`): a collection of objects (vectors of 2 to 128 dimensions
//! with properties), drawn through a PCA projection that says what it costs; a query in the
//! database's terms (near a vector or an object, limit k, distances, a threshold, a
//! where-filter) answered as a table linked to the canvas; the four filter strategies raced on
//! the same HNSW graph on one clock of distance computations, non-matches dimmed and the
//! matching subgraph's pieces coloured; the selectivity sweep with the planner's switch point;
//! and recall against ef in 2 dimensions beside 64.

pub mod frame;
pub mod job;
mod narration;
mod panel;
pub mod query;
pub mod race;

use crate::engine::collection::Source;
use crate::engine::filter_sweep::{Correlation, SweepRow};
use crate::engine::filtered::Strategy;
use crate::engine::{Metric, PointId};
use crate::render::{Frame, Palette, Style};
use crate::scenes::playback::Playback;
use crate::scenes::registry::SceneEntry;
use crate::scenes::worker::Worker;
use crate::scenes::{
    Button, Click, Counter, Dist, Narration, Reaction, Scene, SceneAction, SceneInfo, Shared,
    any_scene, info_and_settings, key_of,
};
use crate::trace::player::Player;
use job::{DimsSpec, EfRow, SweepJob};
use query::{Answer, Built};
use race::{Race, RaceState};

pub static INFO: SceneInfo = SceneInfo {
    id: "vector-db",
    name: "Vector DB",
    key: '0',
    blurb: "A collection of objects with vectors (2–128-d, drawn by PCA) and properties, queried as a vector database does — near a vector or an object, k, distances, a threshold, a where-filter — and the four ways to filter (pre, post, in-walk, ACORN-1) raced on one HNSW graph.",
    own_space: true,
    examples: &[],
};

pub const ENTRY: SceneEntry = SceneEntry {
    info: &INFO,
    make: || Box::new(VectorDb::default()),
    panel: crate::scenes::panel_of::<VectorDb>,
};

/// What the query is near.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Near {
    /// The collection's own opening query (the lesson's vector; elsewhere halfway between
    /// two objects).
    #[default]
    Default,
    /// `nearVector`: a vector of the collection's dimension.
    Vector(Vec<f32>),
    /// `nearObject`: "more like this" object (it comes back first, at distance 0).
    Object(u32),
}

/// What the canvas shows.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum DbView {
    /// The collection through its projection, the query and its results.
    #[default]
    Objects,
    /// The four strategies side by side on the graph.
    Strategies,
    /// The selectivity sweep's curves.
    Sweep,
    /// Recall against ef, d = 2 beside d = 64.
    Dimensions,
}

impl DbView {
    pub const ALL: [DbView; 4] = [
        DbView::Objects,
        DbView::Strategies,
        DbView::Sweep,
        DbView::Dimensions,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DbView::Objects => "objects",
            DbView::Strategies => "strategies",
            DbView::Sweep => "selectivity sweep",
            DbView::Dimensions => "2-d against 64-d",
        }
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DbSettings {
    pub source: Source,
    /// The distance (None: the collection's own — cosine for the lesson's objects).
    pub metric: Option<Metric>,
    pub near: Near,
    /// `limit`.
    pub k: usize,
    /// `distance`: results further than this are not returned.
    pub threshold: Option<f32>,
    /// `where`, e.g. `foo > 44 AND category = 3`.
    pub filter: String,
    /// The strategy that answers (None: the planner, Weaviate's rule).
    pub strategy: Option<Strategy>,
    /// Weaviate's `flatSearchCutoff`: fewer matches than this are scanned exactly.
    pub flat_cutoff: usize,
    #[serde(rename = "M")]
    pub m: usize,
    pub ef_construction: usize,
    pub ef: usize,
    pub seed: u64,
    pub view: DbView,
    /// The sweep curves on show.
    pub correlation: Correlation,
    pub sweep_queries: usize,
    pub sweep: Vec<SweepRow>,
    pub dims: DimsSpec,
    pub dims_rows: Vec<EfRow>,
}

impl Default for DbSettings {
    fn default() -> Self {
        Self {
            source: Source::Digits,
            metric: None,
            near: Near::Default,
            k: 10,
            threshold: None,
            filter: "digit = 3".into(),
            strategy: None,
            flat_cutoff: 40_000,
            m: 8,
            ef_construction: 100,
            ef: 32,
            seed: 1,
            view: DbView::Objects,
            correlation: Correlation::Independent,
            sweep_queries: 50,
            sweep: Vec::new(),
            dims: DimsSpec::default(),
            dims_rows: Vec::new(),
        }
    }
}

pub type RacePlayback = Playback<Race, RaceState>;

pub struct VectorDb {
    pub settings: DbSettings,
    pub built: Option<Built>,
    pub answer: Option<Answer>,
    pub play: RacePlayback,
    pub sweep_job: Option<SweepJob>,
    pub dims_job: Option<Worker<EfRow>>,
    /// The object under the pointer (its row lights up in the table) or picked in the table.
    pub hovered: Option<PointId>,
    generation: u64,
    error: Option<String>,
}

impl Default for VectorDb {
    fn default() -> Self {
        Self {
            settings: DbSettings::default(),
            built: None,
            answer: None,
            play: Playback::new(Race::default(), Player::default()),
            sweep_job: None,
            dims_job: None,
            hovered: None,
            generation: 0,
            error: None,
        }
    }
}

impl VectorDb {
    /// The settings the collection and graph depend on.
    fn build_key(&self) -> u64 {
        let s = &self.settings;
        key_of(&(
            serde_json::to_string(&s.source).unwrap_or_default(),
            s.metric.map(|m| m.name()),
            s.m,
            s.ef_construction,
            s.seed,
        ))
    }

    /// Builds the collection and graph when their settings changed, then answers the query.
    pub fn rebuild(&mut self) {
        let key = self.build_key();
        if self.built.as_ref().is_none_or(|b| b.key != key) {
            // Another collection: the sweep measured the old one (a first build, from a file
            // or an undo, keeps the rows it was saved with).
            if self.built.take().is_some() {
                self.settings.sweep.clear();
                self.sweep_job = None;
            }
            self.answer = None;
            match Built::new(&self.settings, key) {
                Ok(b) => self.built = Some(b),
                Err(e) => {
                    self.error = Some(e);
                    self.play = Playback::new(Race::default(), self.play.player.clone());
                    return;
                }
            }
        }
        self.requery();
    }

    /// Answers the query again (the collection stays); the race starts over.
    pub fn requery(&mut self) {
        self.error = None;
        let Some(b) = self.built.as_ref() else {
            return self.rebuild();
        };
        match Answer::new(b, &self.settings) {
            Ok(a) => {
                let at_end =
                    self.play.player.at_end(&self.play.trace) && !self.play.trace.runs.is_empty();
                self.play = Playback::new(a.race.clone(), self.play.player.clone());
                if at_end || self.settings.view == DbView::Objects {
                    self.play.command(crate::trace::player::Command::Last);
                }
                self.answer = Some(a);
            }
            Err(e) => {
                self.error = Some(e);
                self.answer = None;
                self.play = Playback::new(Race::default(), self.play.player.clone());
            }
        }
        self.generation += 1;
    }

    pub fn poll(&mut self) -> bool {
        let mut changed = false;
        if let Some((rows, error)) = Worker::take_finished(&mut self.sweep_job) {
            self.error = error.or(self.error.take());
            if !rows.is_empty() {
                self.settings.sweep = rows;
                self.settings.view = DbView::Sweep;
            }
            changed = true;
        }
        if let Some((rows, error)) = Worker::take_finished(&mut self.dims_job) {
            self.error = error.or(self.error.take());
            if !rows.is_empty() {
                self.settings.dims_rows = rows;
                self.settings.view = DbView::Dimensions;
            }
            changed = true;
        }
        if changed {
            self.generation += 1;
        }
        changed
    }

    /// Runs the experiment of the view on show (the sweep, or the dimensions' curves).
    pub fn run(&mut self) {
        if self.settings.view == DbView::Dimensions {
            self.dims_job = None;
            match job::start_dims(self.settings.dims.clone()) {
                Ok(j) => self.dims_job = Some(j),
                Err(e) => self.error = Some(e),
            }
            return;
        }
        let Some(b) = self.built.as_ref() else {
            return;
        };
        self.sweep_job = None;
        let s = &self.settings;
        match job::start_sweep(b, s.k.clamp(1, 100), s.ef.max(s.k), s.sweep_queries, s.seed) {
            Ok(j) => self.sweep_job = Some(j),
            Err(e) => self.error = Some(e),
        }
    }

    /// Rows of the sweep on show (the chosen correlation), and while it runs, those so far.
    pub fn sweep_rows(&self) -> Vec<SweepRow> {
        let rows = match self.sweep_job.as_ref() {
            Some(j) => j.rows(),
            None => self.settings.sweep.clone(),
        };
        rows.into_iter()
            .filter(|r| r.correlation == self.settings.correlation)
            .collect()
    }

    pub fn dims_rows(&self) -> Vec<EfRow> {
        match self.dims_job.as_ref() {
            Some(j) => j.rows(),
            None => self.settings.dims_rows.clone(),
        }
    }

    /// "More like this": the query becomes object `id`.
    pub fn near_object(&mut self, id: PointId) {
        self.settings.near = Near::Object(id.0);
        self.requery();
    }

    /// The object drawn at a unit-square position (the objects view), if any.
    pub fn object_at(&self, pos: [f32; 2], radius: f32) -> Option<PointId> {
        crate::scenes::point_near(&self.built.as_ref()?.coll.points, pos, radius)
    }

    /// One line about an object: title, distance to the query, properties.
    pub fn describe(&self, id: PointId) -> Option<String> {
        let b = self.built.as_ref()?;
        let a = self.answer.as_ref()?;
        if id.idx() >= b.coll.len() {
            return None;
        }
        let d = b.metric.eval(b.coll.points.get(id), &a.q);
        let props: Vec<String> = b
            .coll
            .properties(id.idx())
            .into_iter()
            .map(|(n, v)| format!("{n} = {v}"))
            .collect();
        Some(format!(
            "{} (id {id}): distance {} · {}{}",
            b.coll.title(id.idx()),
            Dist(d),
            props.join(", "),
            if a.mask.get(id.idx()).copied().unwrap_or(false) {
                ""
            } else {
                " · does not match the filter"
            }
        ))
    }
}

impl Scene for VectorDb {
    info_and_settings!(settings);

    fn max_points(&self) -> usize {
        crate::engine::collection::MAX_OBJECTS
    }

    fn uses_shared_data(&self) -> bool {
        false
    }

    fn runs(&self) -> bool {
        true
    }

    /// A chart on show with nothing measured yet: a clicker's "next" runs its sweep.
    fn next_work(&self) -> Option<SceneAction> {
        let s = &self.settings;
        let empty = match s.view {
            DbView::Sweep => s.sweep.is_empty(),
            DbView::Dimensions => s.dims_rows.is_empty(),
            _ => false,
        };
        (empty && !self.busy()).then_some(SceneAction::Run)
    }

    fn busy(&self) -> bool {
        self.sweep_job.is_some() || self.dims_job.is_some()
    }

    fn build(&mut self, _shared: &Shared) {
        self.rebuild();
    }

    fn query_moved(&mut self, _shared: &Shared) {}

    fn error(&self) -> Option<String> {
        self.error.clone()
    }

    fn notes(&self, _shared: &Shared) -> Vec<String> {
        narration::notes(self)
    }

    /// The race's beats: each strategy finishing (an outcome), each node expanded between.
    fn beats(&self) -> Vec<crate::scenes::beats::Beat> {
        use crate::scenes::beats::{Beat, Tier, from_steps};
        use crate::trace::Steps;
        let race = &self.play.trace;
        let mut beats = from_steps(race.coarse(), &[]);
        beats.extend(race.runs.iter().map(|r| Beat {
            cursor: r.distances(),
            tier: Tier::Outcome,
        }));
        beats
    }

    /// The race plays in the strategies view; the other views show a result, not steps.
    fn steps(&self) -> Option<(&Player, &dyn crate::trace::Steps)> {
        (self.settings.view == DbView::Strategies).then(|| self.play.steps())
    }

    fn command(&mut self, cmd: crate::trace::player::Command) {
        self.play.command(cmd);
    }

    fn frame(&self, _shared: &Shared, palette: Palette, style: Style) -> Frame {
        frame::frame(self, _shared.aspect, palette, style)
    }

    fn frame_key(&self) -> u64 {
        // What the answer depends on moves `generation` (every requery); the rest the frame reads
        // directly — no serialising of the settings every frame.
        let s = &self.settings;
        key_of(&(
            (
                self.play.state.cursor,
                self.generation,
                s.view,
                s.correlation,
                s.k,
            ),
            (
                s.sweep.len(),
                s.dims_rows.len(),
                s.dims.n,
                s.dims.m,
                s.dims.k,
            ),
            self.hovered,
            self.sweep_job.as_ref().map(Worker::count),
            self.dims_job.as_ref().map(Worker::count),
        ))
    }

    fn narration(&self, _shared: &Shared) -> Narration {
        narration::narrate(self)
    }

    fn pseudocode(&self) -> &'static [&'static str] {
        narration::PSEUDOCODE
    }

    fn counters(&self, _shared: &Shared) -> Vec<Counter> {
        narration::counters(self)
    }

    fn tick(&mut self, dt: f32) -> bool {
        let done = self.poll();
        self.play.tick(dt) || done || self.sweep_job.is_some() || self.dims_job.is_some()
    }

    fn click(&mut self, shared: &Shared, click: &Click) -> Reaction {
        if click.button != Button::Primary {
            return Reaction::default();
        }
        let Some(at) = frame::to_picture(self, shared.aspect, click.pos_in_world) else {
            return Reaction::default();
        };
        let radius = click.radius_in_world / frame::panel_scale(self, shared.aspect);
        match self.object_at(at, radius) {
            // A click on an object: more like this.
            Some(id) if !click.shift => self.near_object(id),
            _ => {
                if let Some(b) = self.built.as_ref() {
                    self.settings.near = Near::Vector(b.lift(at));
                    self.requery();
                }
            }
        }
        Reaction::default()
    }

    fn hover(&mut self, shared: &Shared, pos: Option<[f32; 2]>, radius: f32) -> Option<String> {
        let at = pos.and_then(|p| frame::to_picture(self, shared.aspect, p));
        let radius = radius / frame::panel_scale(self, shared.aspect);
        self.hovered = at.and_then(|p| self.object_at(p, radius));
        self.describe(self.hovered?)
    }

    fn action(&mut self, _shared: &Shared, action: SceneAction) -> Option<Reaction> {
        match action {
            SceneAction::Run => {
                self.run();
                Some(Reaction::default())
            }
            SceneAction::NextView => {
                let i = DbView::ALL
                    .iter()
                    .position(|v| *v == self.settings.view)
                    .unwrap_or(0);
                self.settings.view = DbView::ALL[(i + 1) % DbView::ALL.len()];
                if self.settings.view == DbView::Strategies {
                    // The race from its start, so the strategies are seen finishing.
                    self.play.command(crate::trace::player::Command::First);
                }
                Some(Reaction {
                    refit: true,
                    ..Reaction::default()
                })
            }
            _ => None,
        }
    }

    any_scene!();
}
