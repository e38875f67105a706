//! The scaling lab: brute force, an exact k-d tree, NSW and HNSW built over 1,000 to
//! 1,000,000 points on background threads, timed, counted and checked against the exact
//! answers — O(n) against O(log n) measured live, with the caveats that go with it (in 2-D a
//! k-d tree is exact and faster than any graph; HNSW's lead appears as the dimension grows).
//!
//! The canvas shows the largest size measured (as a density image past a few thousand
//! points) and one query's HNSW walk through it, step by step; the panels hold the sweep's
//! settings, a progress bar per task, the plots and the exports.

mod frame;
pub mod job;
mod panel;
pub mod plots;

use std::sync::Arc;

use crate::engine::hnsw::Hnsw;
use crate::engine::scaling::{self, Built, Row, Sweep, Workload, short_n};
use crate::engine::{PointId, Points};
use crate::render::{Frame, Palette, Picture, Style};
use crate::scenes::playback::{Playback, WalkPlayback};
use crate::scenes::registry::SceneEntry;
use crate::scenes::{
    Counter, Narration, Scene, SceneInfo, Shared, any_scene, key_of, settings_from, settings_to,
};
use crate::trace::Trace;
use crate::trace::player::Player;
use job::LabJob;
use plots::PlotKind;

pub static INFO: SceneInfo = SceneInfo {
    id: "scaling-lab",
    name: "Scaling lab",
    key: '9',
    blurb: "Brute force, a k-d tree, NSW and HNSW measured from 1,000 to 1,000,000 points on background threads: query time, distance computations, build time and recall against n, and recall against queries per second.",
    own_space: true,
    examples: &[],
};

pub const ENTRY: SceneEntry = SceneEntry {
    info: &INFO,
    make: || Box::new(ScalingLab::default()),
    panel: crate::scenes::panel_of::<ScalingLab>,
};

/// The lab's settings, as the scene file keeps them.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LabSettings {
    pub sweep: Sweep,
    /// The plot on show (in the right panel, and on the canvas unless `points` is on).
    pub plot: PlotKind,
    /// The canvas shows the points and one query's walk instead of the plot.
    pub points: bool,
    /// Which of the sweep's queries the canvas walks.
    pub query: usize,
    /// The ef of the walk on the canvas.
    pub ef: usize,
    /// Rows measured (kept in the scene file, so a lecture can open with results).
    pub results: Vec<Row>,
    /// The sweep that measured them (the settings above may have changed since).
    pub results_sweep: Option<Sweep>,
}

impl Default for LabSettings {
    fn default() -> Self {
        Self {
            sweep: Sweep {
                sizes: vec![1_000, 3_000, 10_000, 30_000, 100_000],
                ..Sweep::default()
            },
            plot: PlotKind::QueryTime,
            points: false,
            query: 0,
            ef: 32,
            results: Vec::new(),
            results_sweep: None,
        }
    }
}

/// Largest size the preview (before any sweep) builds on the spot.
const PREVIEW_MAX: usize = 3_000;
/// Up to this many points are drawn as points; more as a density image.
pub const POINTS_MAX: usize = 5_000;

fn empty_trace() -> Trace {
    Trace::empty(crate::trace::Algo::Search(
        crate::engine::SearchMode::Greedy,
    ))
}

/// The scaling lab.
pub struct ScalingLab {
    pub settings: LabSettings,
    pub job: Option<LabJob>,
    pub error: Option<String>,
    /// The data and HNSW of the picture.
    pub kept: Option<Built>,
    picture: Option<Arc<Picture>>,
    pub play: WalkPlayback,
    /// The walk's answers.
    pub answers: Vec<(PointId, f32)>,
    /// Changes whenever the picture's data or the results change.
    pub(super) generation: u64,
    /// Where the user asked to save the plot on show (.svg, .png) or the results (.csv,
    /// .json); the window writes it.
    pub export: Option<std::path::PathBuf>,
}

impl Default for ScalingLab {
    fn default() -> Self {
        Self {
            settings: LabSettings::default(),
            job: None,
            error: None,
            kept: None,
            picture: None,
            play: Playback::new(empty_trace(), Player::default()),
            answers: Vec::new(),
            generation: 0,
            export: None,
        }
    }
}

impl ScalingLab {
    /// The rows on show: those of the running sweep as they arrive, else the last sweep's.
    pub fn rows(&self) -> Vec<Row> {
        match &self.job {
            Some(j) if j.row_count() > 0 => j.rows(),
            _ => self.settings.results.clone(),
        }
    }

    pub fn running(&self) -> bool {
        self.job.as_ref().is_some_and(LabJob::running)
    }

    /// Starts the sweep of the settings (stopping any running one); earlier results are
    /// replaced when it finishes.
    pub fn run(&mut self) {
        self.job = None;
        self.error = None;
        match LabJob::start(self.settings.sweep.clone()) {
            Ok(j) => self.job = Some(j),
            Err(e) => self.error = Some(e.to_string()),
        }
        self.generation += 1;
    }

    /// Takes in a finished sweep: its rows, and its largest size for the picture. Returns
    /// whether anything changed.
    pub fn poll(&mut self) -> bool {
        let Some(job) = self.job.as_mut() else {
            return false;
        };
        let Some(outcome) = job.poll() else {
            return false;
        };
        let outcome = outcome.clone();
        let rows = job.rows();
        let sweep = job.sweep.clone();
        self.job = None;
        // A sweep cancelled before its first row leaves the earlier results.
        if !rows.is_empty() {
            self.settings.results = rows;
            self.settings.results_sweep = Some(sweep);
        }
        match outcome {
            Ok(Some(built)) => {
                self.kept = Some(built);
                self.picture = None;
                self.picture();
                self.walk();
            }
            Ok(None) => {}
            Err(scaling::LabError::Cancelled) => {}
            Err(e) => self.error = Some(e.to_string()),
        }
        self.generation += 1;
        true
    }

    /// Builds a small preview (data and HNSW of the smallest size) when there is nothing
    /// to show yet.
    fn preview(&mut self) {
        if self.kept.is_some() {
            return;
        }
        let mut sweep = self.settings.sweep.clone();
        // Made on the spot (opening the scene, a lesson's slide): small, smaller still in
        // many dimensions.
        let cap = if sweep.dim > 16 { 1_000 } else { PREVIEW_MAX };
        let n = sweep
            .sizes
            .iter()
            .copied()
            .min()
            .unwrap_or(1000)
            .clamp(sweep.k.max(2), cap.max(sweep.k.max(2)));
        sweep.sizes = vec![n];
        sweep.queries = sweep.queries.clamp(1, 50);
        sweep.threads = 1;
        let progress = scaling::Progress::default();
        let built = Workload::generate(&sweep, n, &progress).and_then(|w| {
            let h = Hnsw::build(&w.points, scaling::hnsw_params(&sweep))?;
            Ok(Built {
                workload: w,
                hnsw: Some(Arc::new(h)),
            })
        });
        match built {
            Ok(b) => self.kept = Some(b),
            Err(e) => self.error = Some(e.to_string()),
        }
        self.picture = None;
    }

    /// Records the walk of the chosen query through the kept HNSW.
    pub fn walk(&mut self) {
        let player = self.play.player.clone();
        let Some(b) = &self.kept else { return };
        let Some(h) = &b.hnsw else {
            self.play = Playback::new(empty_trace(), player);
            return;
        };
        let w = &b.workload;
        let qi = self.settings.query % w.query_count().max(1);
        match Trace::record_hnsw_search(h, w.query(qi), w.k, self.settings.ef.max(1)) {
            Ok((t, answers)) => {
                self.answers = answers;
                self.play = Playback::new(t, player);
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub fn points(&self) -> Option<&Points> {
        self.kept.as_ref().map(|b| b.workload.points.as_ref())
    }

    /// The density picture of the kept points (made once per data).
    pub fn picture(&mut self) -> Option<Arc<Picture>> {
        if self.picture.is_none()
            && let Some(p) = self.points()
            && p.len() > POINTS_MAX
        {
            self.picture = Some(Arc::new(frame::density(p, self.generation)));
        }
        self.picture.clone()
    }

    /// The picture's data in words.
    pub fn kept_label(&self) -> String {
        match &self.kept {
            Some(b) => format!(
                "{} points, {}-d {}",
                short_n(b.workload.n()),
                b.workload.dim(),
                self.settings.sweep.data.id()
            ),
            None => "no data yet".into(),
        }
    }
}

impl Scene for ScalingLab {
    fn info(&self) -> &'static SceneInfo {
        &INFO
    }

    fn uses_shared_data(&self) -> bool {
        false
    }

    fn runs(&self) -> bool {
        true
    }

    /// The settings with every row on show (a sweep still running included).
    fn settings_json(&self) -> serde_json::Value {
        let mut s = self.settings.clone();
        if let Some(j) = self.job.as_ref().filter(|j| j.row_count() > 0) {
            s.results = j.rows();
            s.results_sweep = Some(j.sweep.clone());
        }
        settings_to(&s)
    }

    /// New settings stop a running sweep; the picture is made again only when the sweep's
    /// data changed.
    fn load_settings(&mut self, v: &serde_json::Value) -> Result<(), String> {
        let s: LabSettings = settings_from(v)?;
        s.sweep.validate().map_err(|e| e.to_string())?;
        self.job = None;
        let data_changed = (s.sweep.dim, s.sweep.data, s.sweep.seed, s.sweep.k)
            != (
                self.settings.sweep.dim,
                self.settings.sweep.data,
                self.settings.sweep.seed,
                self.settings.sweep.k,
            );
        self.settings = s;
        if data_changed {
            self.kept = None;
            self.picture = None;
        }
        self.generation += 1;
        Ok(())
    }

    /// Nothing measured yet: a clicker's "next" runs the sweep.
    fn next_work(&self) -> Option<crate::scenes::SceneAction> {
        (self.settings.results.is_empty() && self.job.is_none())
            .then_some(crate::scenes::SceneAction::Run)
    }

    fn busy(&self) -> bool {
        self.job.is_some()
    }

    fn build(&mut self, _shared: &Shared) {
        self.preview();
        self.picture();
        self.walk();
    }

    fn query_moved(&mut self, _shared: &Shared) {}

    fn error(&self) -> Option<String> {
        self.error.clone()
    }

    fn notes(&self, _shared: &Shared) -> Vec<String> {
        let mut notes = vec![frame::caveat(self.settings.sweep.dim)];
        if self.kept.as_ref().is_some_and(|b| b.workload.dim() > 2) {
            notes.push("The picture shows the first two coordinates of each point: neighbours in more dimensions need not look near here.".into());
        }
        notes
    }

    /// The walk plays only while the points are on show: a plot has no steps.
    fn steps(&self) -> Option<(&Player, &dyn crate::trace::Steps)> {
        self.settings.points.then(|| self.play.steps())
    }

    fn command(&mut self, cmd: crate::trace::player::Command) {
        self.play.command(cmd);
    }

    /// Advances the walk, and takes in a sweep that has finished.
    fn tick(&mut self, dt: f32) -> bool {
        let done = self.poll();
        self.play.tick(dt) || done
    }

    fn walk_trace(&self) -> Option<&Trace> {
        (self.settings.points && !self.play.trace.is_empty()).then_some(&self.play.trace)
    }

    /// The kept HNSW's links of `id` on `layer`, with their distances to `query` (what a
    /// student predicting the walk's next hop chooses among, at any size).
    fn neighbours_of(
        &self,
        _shared: &Shared,
        id: PointId,
        layer: Option<u8>,
        query: &[f32],
    ) -> Vec<(PointId, f32)> {
        self.kept
            .as_ref()
            .and_then(|b| b.hnsw.as_ref())
            .map_or_else(Vec::new, |h| {
                h.links_scored(id, layer.unwrap_or(0) as usize, query)
            })
    }

    fn world_pos(&self, _shared: &Shared, id: PointId, _layer: Option<u8>) -> Option<[f32; 2]> {
        self.points()
            .filter(|p| id.idx() < p.len() && p.dim() >= 2)
            .map(|p| p.xy(id))
    }

    fn frame(&self, shared: &Shared, palette: Palette, style: Style) -> Frame {
        if self.settings.points {
            frame::frame(self, palette, style)
        } else {
            frame::chart(self, shared.aspect, palette, style)
        }
    }

    /// Over the plot: the row behind the nearest point.
    fn hover(
        &mut self,
        shared: &Shared,
        pos_in_world: Option<[f32; 2]>,
        radius: f32,
    ) -> Option<String> {
        if self.settings.points {
            return None;
        }
        let chart = plots::plot(self.settings.plot, &self.rows(), None);
        let (si, pi) = crate::render::chart::point_near(
            &chart,
            frame::chart_aspect(shared.aspect),
            pos_in_world?,
            radius,
        )?;
        chart.series.get(si)?.hover.get(pi).cloned()
    }

    fn frame_key(&self) -> u64 {
        key_of(&(
            self.generation,
            self.play.state.cursor,
            self.play.trace.len(),
            self.settings.query,
            self.settings.ef,
            self.picture.is_some(),
            self.settings.points,
            self.settings.plot,
            self.job.as_ref().map_or(0, LabJob::row_count),
        ))
    }

    fn narration(&self, _shared: &Shared) -> Narration {
        frame::narrate(self)
    }

    fn pseudocode(&self) -> &'static [&'static str] {
        frame::PSEUDOCODE
    }

    fn counters(&self, _shared: &Shared) -> Vec<Counter> {
        frame::counters(self)
    }

    /// ▶ Run sweep (and a lesson's "run"): start the sweep.
    fn action(
        &mut self,
        _shared: &Shared,
        action: crate::scenes::SceneAction,
    ) -> Option<crate::scenes::Reaction> {
        match action {
            crate::scenes::SceneAction::Run => {
                if !self.running() {
                    self.run();
                }
                Some(crate::scenes::Reaction::default())
            }
            // V: the next plot, then the points and the walk, then the first plot again.
            crate::scenes::SceneAction::NextView => {
                let all = PlotKind::ALL;
                if self.settings.points {
                    self.settings.points = false;
                    self.settings.plot = all[0];
                } else {
                    match all.iter().position(|k| *k == self.settings.plot) {
                        Some(i) if i + 1 < all.len() => self.settings.plot = all[i + 1],
                        _ => self.settings.points = true,
                    }
                }
                self.generation += 1;
                Some(crate::scenes::Reaction {
                    refit: true,
                    ..Default::default()
                })
            }
            _ => None,
        }
    }

    any_scene!();
}
