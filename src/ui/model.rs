//! The explorer's state and actions, free of egui so it can be driven by tests and by keys.

use crate::engine::presets::{self, Dataset, Preset};
use crate::engine::{
    Graph, InsertRule, Metric, Nsw, NswParams, Outcome, PointId, Points, SearchMode, SearchStats,
};
use crate::trace::narrate::{self, Narration};
use crate::trace::player::{Command, Player};
use crate::trace::{Trace, TraceState};

/// Most points the animated scenes take.
pub const MAX_ANIMATED_POINTS: usize = 10_000;

/// The scenes of the explorer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SceneKind {
    Construction,
    Search,
    Hnsw,
}

impl SceneKind {
    pub const ALL: [SceneKind; 3] = [SceneKind::Construction, SceneKind::Search, SceneKind::Hnsw];
    pub fn name(self) -> &'static str {
        match self {
            SceneKind::Construction => "NSW construction",
            SceneKind::Search => "Greedy search",
            SceneKind::Hnsw => "HNSW",
        }
    }
}

/// Which search the search scene runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ModeKind {
    Greedy,
    MultiStart,
    Beam,
}

impl ModeKind {
    pub const ALL: [ModeKind; 3] = [ModeKind::Greedy, ModeKind::MultiStart, ModeKind::Beam];
    pub fn name(self) -> &'static str {
        match self {
            ModeKind::Greedy => "greedy",
            ModeKind::MultiStart => "multi-start",
            ModeKind::Beam => "beam (ef)",
        }
    }
}

/// Every setting the user can change, saved between sessions.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    pub scene: SceneKind,
    pub preset: Preset,
    pub n: usize,
    pub seed: u64,
    pub m: usize,
    pub exact_rule: bool,
    pub w: u16,
    pub metric: Metric,
    pub mode: ModeKind,
    pub restarts: u16,
    pub ef: u16,
    pub k: usize,
    pub dark: bool,
    /// Colour-blind-safe colours (Okabe–Ito).
    pub okabe_ito: bool,
    /// HNSW `M` (Mmax = M, Mmax0 = 2·M).
    pub hnsw_m: usize,
    pub ef_construction: usize,
    /// mL as a multiple of 1/ln M.
    pub ml_factor: f64,
    pub heuristic: bool,
    pub extend_candidates: bool,
    pub keep_pruned: bool,
    /// HNSW search width, and a second width for the side-by-side comparison.
    pub hnsw_ef: usize,
    pub hnsw_ef2: usize,
    pub stack: crate::scene::hnsw::StackView,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            scene: SceneKind::Construction,
            preset: Preset::SeedLesson,
            n: 200,
            seed: 1,
            m: 2,
            exact_rule: true,
            w: 3,
            metric: Metric::Euclidean,
            mode: ModeKind::Greedy,
            restarts: 5,
            ef: 8,
            k: 1,
            dark: true,
            okabe_ito: false,
            hnsw_m: 5,
            ef_construction: 64,
            ml_factor: 1.0,
            heuristic: true,
            extend_candidates: false,
            keep_pruned: false,
            hnsw_ef: 8,
            hnsw_ef2: 32,
            stack: crate::scene::hnsw::StackView::default(),
        }
    }
}

impl Settings {
    pub fn params(&self) -> NswParams {
        NswParams {
            m: self.m,
            rule: if self.exact_rule {
                InsertRule::Exact
            } else {
                InsertRule::Malkov2014 { w: self.w }
            },
            metric: self.metric,
            seed: self.seed,
        }
    }

    pub fn theme(&self) -> crate::scene::Theme {
        if self.dark {
            crate::scene::Theme::Dark
        } else {
            crate::scene::Theme::Light
        }
    }

    /// How the scene looks with these settings, in presenter mode or not.
    pub fn look(&self, presenter: bool) -> crate::scene::Look {
        crate::scene::Look {
            theme: self.theme(),
            okabe_ito: self.okabe_ito,
            presenter,
        }
    }

    pub fn hnsw_params(&self) -> crate::engine::hnsw::HnswParams {
        let m = self.hnsw_m.max(2);
        crate::engine::hnsw::HnswParams {
            m,
            m_max: m,
            m_max0: 2 * m,
            ef_construction: self.ef_construction.max(1),
            ml: self.ml_factor.max(0.0) / (m as f64).ln(),
            heuristic: self.heuristic,
            extend_candidates: self.extend_candidates,
            keep_pruned: self.keep_pruned,
            metric: self.metric,
            seed: self.seed,
        }
    }

    pub fn search_mode(&self) -> SearchMode {
        match self.mode {
            ModeKind::Greedy => SearchMode::Greedy,
            ModeKind::MultiStart => SearchMode::MultiStart {
                restarts: self.restarts,
            },
            ModeKind::Beam => SearchMode::Beam { ef: self.ef },
        }
    }
}

/// The outcome of one search on the current query, for side-by-side comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    pub mode: SearchMode,
    pub entry: PointId,
    pub answer: Option<(PointId, f32)>,
    pub exact: bool,
    pub stats: SearchStats,
}

impl RunSummary {
    pub fn label(&self) -> String {
        match self.mode {
            SearchMode::Greedy => "greedy".into(),
            SearchMode::MultiStart { restarts } => format!("{restarts} restarts"),
            SearchMode::Beam { ef } => format!("beam ef = {ef}"),
        }
    }
}

/// A trace with its own cursor and replayed state.
#[derive(Clone, Debug)]
pub struct Playback {
    pub trace: Trace,
    pub state: TraceState,
    pub player: Player,
}

impl Playback {
    pub fn new(trace: Trace, player: Player) -> Self {
        let mut p = Self {
            trace,
            state: TraceState::new(),
            player,
        };
        p.player.cursor = 0;
        p.player.playing = false;
        p
    }

    /// Carries out a player command and replays the state to the new cursor.
    pub fn command(&mut self, cmd: Command) {
        self.player.apply(cmd, &self.trace);
        self.state.seek(&self.trace, self.player.cursor);
    }

    /// Advances the clock; returns whether the cursor moved.
    pub fn tick(&mut self, dt: f32) -> bool {
        let moved = self.player.tick(dt, &self.trace);
        if moved {
            self.state.seek(&self.trace, self.player.cursor);
        }
        moved
    }
}

/// The whole explorer, minus the window.
pub struct Model {
    pub settings: Settings,
    pub data: Dataset,
    pub query: [f32; 2],
    pub entry: PointId,
    pub graph: Nsw,
    pub build: Playback,
    pub search: Option<Playback>,
    pub outcome: Option<Outcome>,
    pub runs: Vec<RunSummary>,
    pub hnsw: Option<super::hnsw_model::HnswScene>,
    /// The last refusal, in plain words (shown until the next successful change).
    pub error: Option<String>,
    /// Facts about the data worth saying (duplicates, m ≥ n, coarse-only trace).
    pub notes: Vec<String>,
    entry_draws: u64,
    /// The points came from a scene file, not from the preset (Regenerate goes back to it).
    pub explicit_points: bool,
}

impl Model {
    pub fn new(settings: Settings) -> Self {
        let data = Dataset {
            points: Points::empty_xy(),
            query: [0.5, 0.5],
        };
        let graph = Nsw::empty();
        let trace = Trace::empty(crate::trace::Algo::Construction(NswParams::default()));
        let mut m = Self {
            settings,
            query: data.query,
            data,
            entry: PointId(0),
            graph,
            build: Playback::new(trace, Player::default()),
            search: None,
            outcome: None,
            runs: Vec::new(),
            hnsw: None,
            error: None,
            notes: Vec::new(),
            entry_draws: 0,
            explicit_points: false,
        };
        m.regenerate();
        m
    }

    /// (steps taken, steps in all) of the scene on show, at its detail; (0, 0) with nothing
    /// to play.
    pub fn position(&self) -> (usize, usize) {
        self.playback()
            .map_or((0, 0), |p| p.player.position(&p.trace))
    }

    /// Nodes in the NSW graph.
    pub fn graph_len(&self) -> usize {
        self.graph.node_count()
    }

    pub fn points(&self) -> &Points {
        &self.data.points
    }

    /// The playback of the scene on show.
    pub fn playback(&self) -> Option<&Playback> {
        match self.settings.scene {
            SceneKind::Construction => Some(&self.build),
            SceneKind::Search => self.search.as_ref(),
            SceneKind::Hnsw => self.hnsw.as_ref().and_then(|h| h.play.as_ref()),
        }
    }

    pub fn playback_mut(&mut self) -> Option<&mut Playback> {
        match self.settings.scene {
            SceneKind::Construction => Some(&mut self.build),
            SceneKind::Search => self.search.as_mut(),
            SceneKind::Hnsw => self.hnsw.as_mut().and_then(|h| h.play.as_mut()),
        }
    }

    pub fn command(&mut self, cmd: Command) {
        if let Some(p) = self.playback_mut() {
            p.command(cmd);
        }
    }

    pub fn tick(&mut self, dt: f32) -> bool {
        self.playback_mut().is_some_and(|p| p.tick(dt))
    }

    pub fn narration(&self) -> Narration {
        match self.playback() {
            Some(p) => narrate::narrate(&p.trace, &p.state, self.points(), &self.graph),
            None => Narration {
                title: "Nothing to search".into(),
                text: self
                    .error
                    .clone()
                    .unwrap_or_else(|| "Generate some points first.".into()),
                line: None,
                alert: true,
            },
        }
    }

    /// The primitives of the scene on show at its cursor: what the canvas paints and what
    /// every export writes.
    pub fn frame(
        &self,
        palette: crate::scene::Palette,
        style: crate::scene::Style,
        highlight_unreachable: bool,
    ) -> crate::scene::Frame {
        use crate::scene;
        let Some(p) = self.playback() else {
            return scene::Frame::default();
        };
        if self.settings.scene == SceneKind::Hnsw {
            let Some(h) = self.hnsw.as_ref() else {
                return scene::Frame::default();
            };
            let q = p
                .trace
                .query
                .as_ref()
                .filter(|q| q.len() >= 2)
                .map(|q| [q[0], q[1]]);
            let highlight: Vec<(u8, PointId)> = if highlight_unreachable {
                h.details
                    .iter()
                    .flat_map(|d| d.unreachable.iter().map(move |&id| (d.layer, id)))
                    .collect()
            } else {
                Vec::new()
            };
            return scene::hnsw::frame(&scene::hnsw::Input {
                index: h.base(),
                xy: &h.xy,
                trace: &p.trace,
                state: &p.state,
                query: q,
                highlight: &highlight,
                view: self.settings.stack,
                palette,
                style: scene::Style {
                    label_limit: 60,
                    ..style
                },
            });
        }
        let search = self.settings.scene == SceneKind::Search;
        let input = scene::nsw::Input {
            points: self.points(),
            graph: &self.graph,
            trace: &p.trace,
            state: &p.state,
            query: search.then_some(self.query),
            entry: search.then_some(self.entry),
            palette,
            style,
        };
        if search {
            scene::nsw::search_frame(&input)
        } else {
            scene::nsw::construction_frame(&input)
        }
    }

    /// Uses these points instead of the preset's (a scene file's own data), keeping the
    /// query; rebuilds the graphs and traces. Refuses too many or non-finite points and leaves
    /// the model as it was.
    pub fn set_points(&mut self, xy: &[[f32; 2]]) -> Result<(), String> {
        if xy.len() > MAX_ANIMATED_POINTS {
            return Err(format!(
                "{} points is more than the {MAX_ANIMATED_POINTS} the animated scenes take",
                xy.len()
            ));
        }
        if let Some(i) = xy
            .iter()
            .position(|p| !(p[0].is_finite() && p[1].is_finite()))
        {
            return Err(format!("point {i} is not a finite point"));
        }
        let points = Points::from_xy(xy).map_err(|e| e.to_string())?;
        self.data = Dataset {
            points,
            query: self.query,
        };
        self.entry = PointId(0);
        self.entry_draws = 0;
        self.explicit_points = true;
        self.rebuild_graph();
        Ok(())
    }

    /// Makes the data set from the settings, then the graph and the traces.
    pub fn regenerate(&mut self) {
        self.explicit_points = false;
        let s = &self.settings;
        if s.n > MAX_ANIMATED_POINTS && s.preset != Preset::SeedLesson {
            self.error = Some(format!(
                "n = {} is more than the {MAX_ANIMATED_POINTS} points the animated scenes take",
                s.n
            ));
            return;
        }
        match presets::generate(s.preset, s.n, s.seed) {
            Ok(ds) => {
                if s.preset == Preset::SeedLesson {
                    // The lesson's own parameters: m = 2, exact rule, and its first entry, 7.
                    self.settings.m = 2;
                    self.settings.exact_rule = true;
                    self.settings.metric = Metric::Euclidean;
                    self.entry = PointId(7);
                } else if self.settings.preset == Preset::Trap {
                    // The last point lies on the ring, where the trap catches greedy search.
                    self.entry = PointId(ds.points.len().saturating_sub(1) as u32);
                } else {
                    self.entry = PointId(0);
                }
                self.query = ds.query;
                self.data = ds;
                self.entry_draws = 0;
                self.rebuild_graph();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Rebuilds the NSW (and its construction trace) from the current points and settings.
    pub fn rebuild_graph(&mut self) {
        let params = self.settings.params();
        match Trace::record_construction(&self.data.points, params) {
            Ok((trace, graph, _)) => {
                let player = self.build.player.clone();
                self.build = Playback::new(trace, player);
                self.graph = graph;
                self.error = None;
                self.notes = self.data_notes();
                if self.entry.idx() >= self.points().len() {
                    self.entry = PointId(0);
                }
                self.runs.clear();
                self.rerun_search();
                self.rebuild_hnsw();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Rebuilds the HNSW over the current points and records the search for the query.
    pub fn rebuild_hnsw(&mut self) {
        match super::hnsw_model::HnswScene::build(&self.data.points, self.settings.hnsw_params()) {
            Ok(h) => {
                self.hnsw = Some(h);
                self.rerun_hnsw_search();
            }
            Err(e) => {
                self.hnsw = None;
                self.error = Some(e.to_string());
            }
        }
    }

    /// Replays edits saved in a scene file on the freshly built index. Refuses ids that do not
    /// exist or are already deleted, and points that are not finite.
    pub fn replay_hnsw_edits(
        &mut self,
        edits: &[super::hnsw_model::HnswEdit],
    ) -> Result<(), String> {
        use super::hnsw_model::HnswEdit;
        for (i, e) in edits.iter().enumerate() {
            let Some(h) = self.hnsw.as_mut() else {
                return Err("HNSW edits in a scene without an HNSW index".into());
            };
            let live = |id: u32| (id as usize) < h.index.len() && !h.index.is_removed(PointId(id));
            let finite = |p: &[f32; 2]| p[0].is_finite() && p[1].is_finite();
            match *e {
                HnswEdit::Insert(p) if finite(&p) => h.insert(p),
                HnswEdit::Delete(id) if live(id) => h.delete(PointId(id), None),
                HnswEdit::Move(id, p) if live(id) && finite(&p) => h.delete(PointId(id), Some(p)),
                HnswEdit::Search => self.rerun_hnsw_search(),
                _ => return Err(format!("HNSW edit {} ({e:?}) does not apply", i + 1)),
            }
            if let Some(err) = self.hnsw.as_ref().and_then(|h| h.error.clone()) {
                return Err(format!("HNSW edit {} ({e:?}): {err}", i + 1));
            }
        }
        Ok(())
    }

    /// Records the HNSW search for the current query.
    pub fn rerun_hnsw_search(&mut self) {
        let (q, k, ef, ef2) = (
            self.query,
            self.settings.k,
            self.settings.hnsw_ef,
            self.settings.hnsw_ef2,
        );
        if let Some(h) = self.hnsw.as_mut() {
            h.search(q, k, ef, ef2);
        }
    }

    fn data_notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let n = self.points().len();
        if n == 0 {
            notes.push("There are no points: choose n ≥ 1 and regenerate (R).".into());
        }
        let dups = self.points().duplicates();
        if !dups.is_empty() {
            let list: Vec<String> = dups
                .iter()
                .take(5)
                .map(|(a, b)| format!("{a} = {b}"))
                .collect();
            notes.push(format!(
                "{} duplicate point{} ({}{}): distance 0 ties are broken by id.",
                dups.len(),
                if dups.len() == 1 { "" } else { "s" },
                list.join(", "),
                if dups.len() > 5 { ", …" } else { "" }
            ));
        }
        if self.settings.m + 1 >= n && n > 1 {
            notes.push(format!(
                "m = {} ≥ n − 1 = {}: every point links to every other, the graph is complete.",
                self.settings.m,
                n - 1
            ));
        }
        if !self.build.trace.fine_recorded {
            notes.push(format!(
                "n > {}: the exact rule's n²/2 distances are shown as one scan per insertion (coarse only).",
                crate::trace::FINE_SCAN_LIMIT
            ));
        }
        notes
    }

    /// Records the search for the current query, entry and mode.
    pub fn rerun_search(&mut self) {
        let s = &self.settings;
        let mode = s.search_mode();
        let (k, seed) = (s.k, s.seed ^ 0x5EA7C4);
        match Trace::record_search(
            &self.graph,
            &self.data.points,
            s.metric,
            &self.query,
            self.entry,
            mode,
            k,
            seed,
        ) {
            Ok((trace, outcome)) => {
                let player = self
                    .search
                    .as_ref()
                    .map(|p| p.player.clone())
                    .unwrap_or_default();
                let summary = RunSummary {
                    mode,
                    entry: self.entry,
                    answer: outcome.results.first().copied(),
                    exact: outcome
                        .results
                        .first()
                        .is_some_and(|&(id, d)| trace.is_nearest(id, d)),
                    stats: outcome.stats,
                };
                self.runs
                    .retain(|r| r.mode != mode || r.entry != self.entry);
                self.runs.push(summary);
                self.search = Some(Playback::new(trace, player));
                self.outcome = Some(outcome);
            }
            Err(e) => {
                self.search = None;
                self.outcome = None;
                if self.points().is_empty() {
                    self.error = None;
                } else {
                    self.error = Some(e.to_string());
                }
            }
        }
    }

    /// Moves the query; clears the comparison (it was for the old query).
    pub fn set_query(&mut self, q: [f32; 2]) {
        if !(q[0].is_finite() && q[1].is_finite()) {
            self.error = Some("the query must have finite coordinates".into());
            return;
        }
        self.query = q;
        self.runs.clear();
        self.rerun_search();
        self.rerun_hnsw_search();
    }

    /// Starts the search at `entry`.
    pub fn set_entry(&mut self, entry: PointId) {
        if entry.idx() >= self.graph.node_count() {
            self.error = Some(format!(
                "entry node {entry} does not exist (there are {} points)",
                self.graph.node_count()
            ));
            return;
        }
        self.entry = entry;
        self.rerun_search();
    }

    /// A new seeded random entry node.
    pub fn random_entry(&mut self) {
        let n = self.graph.node_count() as u64;
        if n == 0 {
            return;
        }
        self.entry_draws += 1;
        // SplitMix64 of (seed, draw): reproducible, no wall clock.
        let mut z = self
            .settings
            .seed
            .wrapping_add(self.entry_draws.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        self.set_entry(PointId((z % n) as u32));
    }

    /// Whether the search on show ended in a local minimum at the cursor.
    pub fn at_local_minimum(&self) -> bool {
        let Some(p) = self.search.as_ref() else {
            return false;
        };
        self.settings.scene == SceneKind::Search
            && p.state
                .stops
                .iter()
                .any(|&(node, d)| !p.trace.is_nearest(node, d))
    }

    /// Re-runs the same query from the same entry with random restarts.
    pub fn retry_with_restarts(&mut self) {
        self.settings.mode = ModeKind::MultiStart;
        self.rerun_search();
    }

    /// Re-runs the same query from the same entry with a beam of width ef.
    pub fn retry_with_beam(&mut self) {
        self.settings.mode = ModeKind::Beam;
        self.rerun_search();
    }

    /// The point nearest to a world position, within `radius` (world units).
    pub fn point_near(&self, pos: [f32; 2], radius: f32) -> Option<PointId> {
        let mut best: Option<(PointId, f32)> = None;
        for id in self.points().ids() {
            let p = self.points().xy(id);
            let d = ((p[0] - pos[0]).powi(2) + (p[1] - pos[1]).powi(2)).sqrt();
            if d <= radius && best.is_none_or(|b| d < b.1) {
                best = Some((id, d));
            }
        }
        best.map(|b| b.0)
    }
}
