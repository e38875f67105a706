//! Greedy search on an NSW: from an entry node, move to the closest neighbour while one is
//! closer; a stop anywhere but the true nearest is a local minimum. The remedies on the same
//! query: random restarts and a wider beam (`ef`).

pub mod frame;
mod narration;
mod panel;

use crate::engine::presets::Preset;
use crate::engine::rng;
use crate::engine::{Graph, NoRecorder, Nsw, Outcome, PointId, SearchMode, SearchStats};
use crate::render::{Frame, Palette, Style};
use crate::scenes::graph_walk::draw::Input;
use crate::scenes::graph_walk::narrate;
use crate::scenes::graph_walk::nsw_settings::{self, NswSettings};
use crate::scenes::info_and_settings;
use crate::scenes::playback::WalkPlayback;
use crate::scenes::registry::SceneEntry;
use crate::scenes::{
    Button, Click, Counter, Example, Narration, Reaction, Scene, SceneAction, SceneInfo, Shared,
    any_scene, key_of, point_near, settings_to,
};
use crate::trace::player::{Command, Player};
use crate::trace::{MarkerKind, Steps, Trace};

pub static INFO: SceneInfo = SceneInfo {
    id: "greedy-search",
    name: "Greedy search",
    key: '4',
    blurb: "Walk the NSW greedily towards the query, get stuck in a local minimum, and fix it on the same query with random restarts or a wider beam (ef).",
    own_space: false,
    examples: &[
        Example {
            name: "Seed lesson: greedy search",
            json: include_str!("../../../assets/scenes/seed-lesson-search.json"),
        },
        Example {
            name: "Trap: greedy search stuck on the ring",
            json: include_str!("../../../assets/scenes/trap-search.json"),
        },
    ],
};

pub const ENTRY: SceneEntry = SceneEntry {
    info: &INFO,
    make: || Box::new(GreedySearch::default()),
    panel: crate::scenes::panel_of::<GreedySearch>,
};

/// Which search the scene runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SearchSettings {
    /// The graph walked: built with these NSW settings.
    #[serde(flatten)]
    pub graph: NswSettings,
    pub mode: ModeKind,
    pub restarts: u16,
    pub ef: u16,
    /// Answers wanted.
    pub k: usize,
    /// Where the walk starts.
    pub entry: u32,
}

impl Default for SearchSettings {
    fn default() -> Self {
        Self {
            graph: NswSettings::default(),
            mode: ModeKind::Greedy,
            restarts: 5,
            ef: 8,
            k: 1,
            entry: 0,
        }
    }
}

impl SearchSettings {
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

pub struct GreedySearch {
    pub settings: SearchSettings,
    pub graph: Nsw,
    pub search: Option<WalkPlayback>,
    pub outcome: Option<Outcome>,
    /// Every search run on this query, for the comparison table.
    pub runs: Vec<RunSummary>,
    entry_draws: u64,
    error: Option<String>,
    /// Kept for the player's speed and detail across searches.
    player: Player,
}

impl Default for GreedySearch {
    fn default() -> Self {
        Self {
            settings: SearchSettings::default(),
            graph: Nsw::empty(),
            search: None,
            outcome: None,
            runs: Vec::new(),
            entry_draws: 0,
            error: None,
            player: Player::default(),
        }
    }
}

impl GreedySearch {
    pub fn entry(&self) -> PointId {
        PointId(self.settings.entry)
    }

    /// Builds the graph (the fast path: no recorder) and searches.
    fn rebuild_graph(&mut self, shared: &Shared) {
        let params = self.settings.graph.params(shared.metric, shared.seed);
        match Nsw::build(shared.points, params, &mut NoRecorder) {
            Ok((g, _)) => {
                self.graph = g;
                self.error = None;
                if self.settings.entry as usize >= shared.points.len() {
                    self.settings.entry = 0;
                }
                self.runs.clear();
                self.rerun(shared);
            }
            Err(e) => {
                self.error = Some(e.to_string());
                self.search = None;
            }
        }
    }

    /// Records the search for the current query, entry and mode.
    pub fn rerun(&mut self, shared: &Shared) {
        let s = &self.settings;
        let mode = s.search_mode();
        let entry = self.entry();
        match Trace::record_search(
            &self.graph,
            shared.points,
            shared.metric,
            shared.query_vec,
            entry,
            mode,
            s.k,
            shared.seed ^ 0x5EA7C4,
        ) {
            Ok((trace, outcome)) => {
                let summary = RunSummary {
                    mode,
                    entry,
                    answer: outcome.results.first().copied(),
                    exact: outcome
                        .results
                        .first()
                        .is_some_and(|&(id, d)| trace.is_nearest(id, d)),
                    stats: outcome.stats,
                };
                self.runs.retain(|r| r.mode != mode || r.entry != entry);
                self.runs.push(summary);
                let player = self
                    .search
                    .as_ref()
                    .map_or(self.player.clone(), |p| p.player.clone());
                self.search = Some(WalkPlayback::new(trace, player));
                self.outcome = Some(outcome);
            }
            Err(e) => {
                self.search = None;
                self.outcome = None;
                self.error = (!shared.points.is_empty()).then(|| e.to_string());
            }
        }
    }

    /// Starts the search at `entry`.
    pub fn set_entry(&mut self, shared: &Shared, entry: PointId) {
        if entry.idx() >= self.graph.node_count() {
            self.error = Some(format!(
                "entry node {entry} does not exist (there are {} points)",
                self.graph.node_count()
            ));
            return;
        }
        self.settings.entry = entry.0;
        self.rerun(shared);
    }

    /// A new seeded random entry node.
    pub fn random_entry(&mut self, shared: &Shared) {
        let n = self.graph.node_count() as u64;
        if n == 0 {
            return;
        }
        self.entry_draws += 1;
        let id = rng::nth(shared.seed, self.entry_draws) % n;
        self.set_entry(shared, PointId(id as u32));
    }

    /// Whether the search ended in a local minimum at the cursor.
    pub fn at_local_minimum(&self) -> bool {
        self.search.as_ref().is_some_and(|p| {
            p.state
                .stops
                .iter()
                .any(|&(node, d)| !p.trace.is_nearest(node, d))
        })
    }

    /// Re-runs the same query from the same entry with random restarts.
    pub fn retry_with_restarts(&mut self, shared: &Shared) {
        self.settings.mode = ModeKind::MultiStart;
        self.rerun(shared);
    }

    /// Re-runs the same query from the same entry with a beam of width ef.
    pub fn retry_with_beam(&mut self, shared: &Shared) {
        self.settings.mode = ModeKind::Beam;
        self.rerun(shared);
    }
}

impl Scene for GreedySearch {
    info_and_settings!(settings);

    fn migrate_v1(&self, flat: &serde_json::Value) -> Option<serde_json::Value> {
        let d = SearchSettings::default();
        let mode = serde_json::from_value(flat["mode"].clone()).unwrap_or(d.mode);
        Some(settings_to(&SearchSettings {
            graph: NswSettings::from_v1(flat),
            mode,
            restarts: flat["restarts"].as_u64().map_or(d.restarts, |v| v as u16),
            ef: flat["ef"].as_u64().map_or(d.ef, |v| v as u16),
            k: flat["k"].as_u64().map_or(d.k, |v| v as usize),
            entry: flat["entry"].as_u64().map_or(0, |v| v as u32),
        }))
    }

    fn linked(&self) -> Option<(&'static str, serde_json::Value)> {
        Some((nsw_settings::GROUP, settings_to(&self.settings.graph)))
    }

    fn set_linked(&mut self, group: &str, settings: &serde_json::Value) -> bool {
        self.settings.graph.take_linked(group, settings)
    }

    /// The lesson starts at 7; the trap from its last point, on the ring.
    fn data_changed(&mut self, shared: &Shared) {
        self.settings.graph.data_changed(shared);
        self.entry_draws = 0;
        self.settings.entry = match shared.preset {
            Preset::SeedLesson => 7,
            Preset::Trap => shared.points.len().saturating_sub(1) as u32,
            _ => 0,
        };
    }

    fn build(&mut self, shared: &Shared) {
        self.rebuild_graph(shared);
    }

    fn query_moved(&mut self, shared: &Shared) {
        self.runs.clear();
        self.rerun(shared);
    }

    fn error(&self) -> Option<String> {
        self.error.clone()
    }

    fn notes(&self, shared: &Shared) -> Vec<String> {
        self.settings
            .graph
            .note(shared.points.len())
            .into_iter()
            .collect()
    }

    fn steps(&self) -> Option<(&Player, &dyn Steps)> {
        self.search.as_ref().map(|p| p.steps())
    }

    fn command(&mut self, cmd: Command) {
        match self.search.as_mut() {
            Some(p) => p.command(cmd),
            None => {
                self.player.apply(
                    cmd,
                    &Trace::empty(crate::trace::Algo::Search(SearchMode::Greedy)),
                );
            }
        }
    }

    fn tick(&mut self, dt: f32) -> bool {
        self.search.as_mut().is_some_and(|p| p.tick(dt))
    }

    fn markers(&self) -> Vec<(usize, MarkerKind)> {
        self.search
            .as_ref()
            .map(|p| p.trace.markers())
            .unwrap_or_default()
    }

    fn walk_trace(&self) -> Option<&crate::trace::Trace> {
        self.search.as_ref().map(|p| &p.trace)
    }

    fn neighbours_of(
        &self,
        shared: &Shared,
        id: PointId,
        _layer: Option<u8>,
        query: &[f32],
    ) -> Vec<(PointId, f32)> {
        use crate::engine::search::Graph;
        if id.idx() >= self.graph.node_count() {
            return Vec::new();
        }
        self.graph
            .neighbors(id)
            .iter()
            .filter(|n| n.idx() < shared.points.len())
            .map(|&n| (n, shared.metric.eval(shared.points.get(n), query)))
            .collect()
    }

    fn frame(&self, shared: &Shared, palette: Palette, style: Style) -> Frame {
        let Some(p) = self.search.as_ref() else {
            return Frame::default();
        };
        frame::search_frame(&Input {
            points: shared.points,
            graph: &self.graph,
            trace: &p.trace,
            state: &p.state,
            query: Some(shared.query),
            entry: Some(self.entry()),
            palette,
            style,
        })
    }

    fn frame_key(&self) -> u64 {
        let p = self.search.as_ref();
        key_of(&(
            p.map(|p| {
                (
                    p.state.cursor,
                    p.trace.events.as_ptr() as usize,
                    p.trace.len(),
                )
            }),
            self.settings.entry,
        ))
    }

    fn narration(&self, shared: &Shared) -> Narration {
        match self.search.as_ref() {
            Some(p) => narrate::narrate(
                &p.trace,
                &p.state,
                shared.points,
                &self.graph,
                narrate::Part {
                    ready: narration::ready(&p.trace),
                    own: &|_| None,
                },
            ),
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

    fn pseudocode(&self) -> &'static [&'static str] {
        narrate::pseudocode(crate::trace::Algo::Search(self.settings.search_mode()))
    }

    fn counters(&self, shared: &Shared) -> Vec<Counter> {
        let Some(p) = self.search.as_ref() else {
            return Vec::new();
        };
        let st = &p.state;
        let mut c = vec![
            Counter::new("distance computations", st.distance_computations, true),
            Counter::new("hops", st.hops, true),
            Counter::new("visited", st.visited(), true),
            Counter::new("brute force would compute", shared.points.len(), false),
        ];
        // The link length of each move so far: long then short is the zoom-out, zoom-in of a
        // good walk (a hub's long links first, local links last).
        let lengths: Vec<String> = p.trace.events[..p.player.cursor.min(p.trace.events.len())]
            .iter()
            .filter_map(|e| match e {
                crate::engine::Event::Move { from, to, .. } => Some(crate::scenes::Dist(
                    shared
                        .metric
                        .eval(shared.points.get(*from), shared.points.get(*to)),
                )),
                _ => None,
            })
            .map(|d| d.to_string())
            .collect();
        if !lengths.is_empty() {
            // The last few on a long walk (a wide row would squeeze the canvas).
            let skip = lengths.len().saturating_sub(6);
            let shown = lengths[skip..].join(" → ");
            let text = if skip > 0 {
                format!("… → {shown}")
            } else {
                shown
            };
            c.push(Counter::new("link length per hop", text, false));
        }
        c
    }

    /// Click: move the query; shift+click or right-click a node: start there.
    fn click(&mut self, shared: &Shared, click: &Click) -> Reaction {
        let hit = point_near(shared.points, click.pos_in_world, click.radius_in_world);
        match (click.button, hit) {
            (Button::Secondary, Some(id)) => self.set_entry(shared, id),
            (Button::Primary, Some(id)) if click.shift => self.set_entry(shared, id),
            (Button::Primary, _) => return Reaction::query(click.pos_in_world),
            _ => {}
        }
        Reaction::default()
    }

    fn hover(&mut self, shared: &Shared, pos: Option<[f32; 2]>, radius: f32) -> Option<String> {
        let id = point_near(shared.points, pos?, radius)?;
        let p = shared.points.xy(id);
        let degree = if id.idx() < self.graph.inserted() {
            self.graph.degree(id)
        } else {
            0
        };
        let d = shared.metric.eval(shared.points.get(id), shared.query_vec);
        Some(format!(
            "node {id} at ({:.3}, {:.3}), {degree} links\ndistance to the query: {d:.3}\nshift+click or right-click: start here",
            p[0], p[1]
        ))
    }

    fn grabs_query(&self) -> bool {
        true
    }

    fn action(&mut self, shared: &Shared, action: SceneAction) -> Option<Reaction> {
        match action {
            SceneAction::Random => self.random_entry(shared),
            SceneAction::StartAt(id) => {
                self.set_entry(shared, id);
                self.command(Command::Play);
            }
            SceneAction::Insert | SceneAction::Run | SceneAction::NextView => return None,
        }
        Some(Reaction::default())
    }

    any_scene!();
}
