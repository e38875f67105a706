//! Annoy (Spotify's "Approximate Nearest Neighbors Oh Yeah", after Erik Bernhardsson's posts):
//! the forest built split by split — two sampled points, 2-means steps, the hyperplane
//! equidistant from the two centres, recursion until a cell holds at most K points — and the
//! query walking every tree at once through one priority queue keyed by the margins, then
//! ranking its candidates exactly. Beside the plane, the tree on show as a node-link diagram.
//! The engine is `engine::annoy`, the same code the scaling lab times.

pub mod forest;
pub mod frame;
pub mod measure;
mod narration;
mod panel;
pub mod state;

use crate::engine::annoy::{Annoy, AnnoyEvent, AnnoyMetric, AnnoyParams, AnnoyStats, Node};
use crate::engine::rng::SplitMix64;
use crate::engine::{Dist, Log, Metric, NoRecorder, PointId, brute};
use crate::render::{Frame, Palette, Style};
use crate::scenes::playback::Playback;
use crate::scenes::registry::SceneEntry;
use crate::scenes::{
    Button, Click, Counter, Example, Narration, Reaction, Scene, SceneAction, SceneInfo, Shared,
    any_scene, info_and_settings, key_of, play_through, point_near,
};
use crate::trace::player::Player;
use crate::trace::{MarkerKind, Recording};
pub use forest::Forest;
pub use measure::{CURVE_QUERIES, Missed, RecallPoint, curve_search_ks, parting, recall_curve};
pub use state::{AnnoyPlayback, AnnoyState};

pub static INFO: SceneInfo = SceneInfo {
    id: "annoy",
    name: "Annoy",
    key: '6',
    blurb: "Annoy's forest of random-projection trees, split by split (two sampled points, 2-means, the equidistant hyperplane, leaves of at most K), and the search of every tree at once through one priority queue keyed by the margins.",
    own_space: true,
    examples: &[Example {
        name: "Annoy: three trees on clusters, a neighbour across the border",
        json: include_str!("../../../assets/scenes/annoy-clusters.json"),
    }],
};

pub const ENTRY: SceneEntry = SceneEntry {
    info: &INFO,
    make: || Box::new(AnnoyScene::default()),
    panel: crate::scenes::panel_of::<AnnoyScene>,
};

/// Most trees the scene builds (the lab takes more).
pub const MAX_TREES: usize = 50;

/// What the plane shows of the forest.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum ForestView {
    /// The cells of the tree on show.
    #[default]
    OneTree,
    /// Every tree's splits overlaid, the tree on show on top.
    AllTrees,
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AnnoySettings {
    pub n_trees: usize,
    /// Most points in a leaf; `None` is Annoy's own, f + 2 (4 in 2-D).
    #[serde(rename = "K")]
    pub k_leaf: Option<usize>,
    /// Answers wanted.
    pub k: usize,
    /// Candidates to collect; `None` is Annoy's default, n_trees · k.
    pub search_k: Option<usize>,
    /// 2-means refinement steps per split (Annoy: 200); 0 splits half-way between the two
    /// sampled points.
    pub two_means_steps: usize,
    pub view: ForestView,
    /// The tree drawn when the step at the cursor belongs to none (0-based).
    pub tree: usize,
}

impl Default for AnnoySettings {
    fn default() -> Self {
        Self {
            n_trees: 3,
            k_leaf: None,
            k: 5,
            search_k: None,
            two_means_steps: crate::engine::annoy::ITERATION_STEPS,
            view: ForestView::OneTree,
            tree: 0,
        }
    }
}

impl std::hash::Hash for AnnoySettings {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (self.n_trees, self.k_leaf, self.k, self.search_k).hash(h);
        (self.two_means_steps, self.view, self.tree).hash(h);
    }
}

#[derive(Default)]
pub struct AnnoyScene {
    pub settings: AnnoySettings,
    pub index: Option<Annoy>,
    pub forest: Option<Forest>,
    pub play: AnnoyPlayback,
    /// The first event of the search (the build's events come before).
    pub search_start: usize,
    pub query: Vec<f32>,
    pub answer: Vec<(PointId, f32)>,
    pub stats: AnnoyStats,
    /// The exact k nearest, by brute force (not counted).
    pub truth: Vec<(PointId, f32)>,
    pub missed: Vec<Missed>,
    /// Recall@k against search_k for this forest, over [`CURVE_QUERIES`] random queries.
    pub curve: Vec<RecallPoint>,
    curve_k: usize,
    /// The search_k used (the setting, or n_trees · k).
    pub search_k: usize,
    pub metric: AnnoyMetric,
    /// Whether the splits can be drawn (2-D data).
    pub planar: bool,
    error: Option<String>,
    hovered: Option<u32>,
    draws: u64,
}

impl Default for AnnoyPlayback {
    fn default() -> Self {
        Playback::new(Recording::default(), Player::default())
    }
}

/// Where the playback was before a new search: the cursor, the events, the search's start.
#[derive(Clone, Copy, Debug, Default)]
struct Was {
    cursor: usize,
    total: usize,
    search_start: usize,
}

/// Annoy's distance for the shared metric: cosine becomes angular (the same order).
pub fn annoy_metric(m: Metric) -> AnnoyMetric {
    match m {
        Metric::Euclidean => AnnoyMetric::Euclidean,
        Metric::Cosine => AnnoyMetric::Angular,
    }
}

impl AnnoyScene {
    pub fn state(&self) -> &AnnoyState {
        &self.play.state.inner
    }

    pub fn params(&self, shared: &Shared) -> AnnoyParams {
        AnnoyParams {
            n_trees: self.settings.n_trees.clamp(1, MAX_TREES),
            k_leaf: self.settings.k_leaf,
            metric: annoy_metric(shared.metric),
            two_means_steps: self.settings.two_means_steps.min(10_000),
            seed: shared.seed ^ 0xA77_0E5,
        }
    }

    /// The query as the index sees it (unit length for angular distance), for margins.
    pub fn query_vec(&self) -> Vec<f32> {
        let mut q = self.query.clone();
        if self.metric == AnnoyMetric::Angular {
            let n = q.iter().map(|x| x * x).sum::<f32>().sqrt();
            if n > 0.0 {
                q.iter_mut().for_each(|x| *x /= n);
            }
        }
        q
    }

    /// The event that began the step at the cursor.
    pub fn head(&self) -> Option<&AnnoyEvent> {
        let ev = &self.play.trace.events;
        state::step_head(ev, self.play.state.cursor).and_then(|i| ev.get(i))
    }

    /// The node the step at the cursor is about.
    pub fn current_node(&self) -> Option<u32> {
        match self.head()? {
            AnnoyEvent::Split { node, .. }
            | AnnoyEvent::Leaf { node, .. }
            | AnnoyEvent::Pop { node, .. } => Some(*node),
            _ => None,
        }
    }

    /// The tree on show: the current node's, else the one chosen.
    pub fn focus_tree(&self) -> usize {
        let trees = self.index.as_ref().map_or(1, |i| i.roots().len());
        let chosen = self.settings.tree.min(trees.saturating_sub(1));
        match (self.current_node(), self.forest.as_ref()) {
            (Some(n), Some(f)) => f
                .tree_of
                .get(n as usize)
                .map_or(chosen, |&t| usize::from(t)),
            _ => chosen,
        }
    }

    /// Builds the forest (recorded), then searches.
    fn rebuild(&mut self, shared: &Shared) {
        self.error = None;
        self.index = None;
        self.forest = None;
        self.curve.clear();
        let params = self.params(shared);
        if shared.points.len() < 2 {
            // Nothing to split: the narration says so (an empty data set is no error).
            self.play = Playback::new(Recording::default(), self.play.player.clone());
            return;
        }
        let mut log = Log::default();
        let built = Annoy::build(shared.points, params, &mut log);
        match built {
            Ok(index) => {
                let (lo, hi) = crate::scenes::spread_bounds(shared.points);
                self.planar = shared.points.dim() == 2;
                self.forest = Some(Forest::new(&index, lo, hi, self.planar));
                self.index = Some(index);
                self.metric = params.metric;
                self.search(shared, log.events, Was::default());
            }
            Err(e) => {
                self.error = Some(e.to_string());
                self.play = Playback::new(Recording::default(), self.play.player.clone());
            }
        }
    }

    /// Records the search for the shared query after the build's events, measures the
    /// truth, the missed neighbours and the recall curve. The cursor stays where it was in
    /// the build, goes to the end if it was there, else to the search's start: moving the
    /// query or search_k never rewinds the forest.
    fn search(&mut self, shared: &Shared, mut events: Vec<AnnoyEvent>, was: Was) {
        let Some(index) = self.index.as_ref() else {
            return;
        };
        let Was {
            cursor,
            total,
            search_start: old_start,
        } = was;
        let at_end = total > 0 && cursor >= total;
        events.retain(|e| matches!(e, AnnoyEvent::Split { .. } | AnnoyEvent::Leaf { .. }));
        self.search_start = events.len();
        let n = shared.points.len();
        let k = self.settings.k.clamp(1, n.max(1));
        self.search_k = self
            .settings
            .search_k
            .unwrap_or(index.roots().len() * k)
            .max(1);
        self.query = shared.query_vec.to_vec();
        let mut log = Log::default();
        match index.search_with(&self.query, k, Some(self.search_k), &mut log) {
            Ok((answer, stats)) => {
                self.answer = answer;
                self.stats = stats;
                events.extend(log.events);
            }
            Err(e) => self.error = Some(e.to_string()),
        }
        let mut dist = Dist::new(shared.metric);
        self.truth = brute::knn(shared.points, &mut dist, &self.query, k, &mut NoRecorder)
            .unwrap_or_default();
        self.missed = measure::find_missed(self, shared);
        // The curve depends on the forest and k, not on the query: dragging the query
        // does not redo it.
        if self.curve.is_empty() || self.curve_k != k {
            self.curve = recall_curve(index, shared, k);
            self.curve_k = k;
        }
        self.play = Playback::new(state::recording(events), self.play.player.clone());
        let resume = if total == 0 {
            0
        } else if at_end {
            self.play.trace.events.len()
        } else if cursor >= old_start {
            self.search_start
        } else {
            cursor
        };
        if resume > 0 {
            self.play
                .command(crate::trace::player::Command::SeekCursor(resume));
        }
    }

    /// Where a missed neighbour parts from the query in the tree on show.
    pub fn border_of(&self, m: &Missed, shared: &Shared) -> Option<(u32, f32)> {
        let index = self.index.as_ref()?;
        let p = shared.points.get(m.id);
        parting(index, self.focus_tree(), &self.query_vec(), p)
    }

    /// A distance of the index as the shared metric reports it: Annoy's angular distance
    /// √(2 − 2·cos) as 1 − cos, the same order.
    pub fn shown(&self, d: f32) -> f32 {
        match self.metric {
            AnnoyMetric::Angular => d * d / 2.0,
            AnnoyMetric::Euclidean => d,
        }
    }

    fn counters_build(&self, c: &mut Vec<Counter>) {
        let (Some(index), Some(forest)) = (self.index.as_ref(), self.forest.as_ref()) else {
            return;
        };
        let built = self.state().built;
        let trees = index
            .roots()
            .iter()
            .filter(|&&r| forest.tree_end(index, r) <= built)
            .count();
        let shown = &index.nodes()[..(built as usize).min(index.nodes().len())];
        let leaves = shown
            .iter()
            .filter(|n| matches!(n, Node::Leaf { .. }))
            .count();
        c.push(Counter::new(
            "trees built",
            format!("{trees} / {}", index.roots().len()),
            true,
        ));
        c.push(Counter::new(
            "splits / leaves so far",
            format!("{} / {leaves}", shown.len() - leaves),
            false,
        ));
        c.push(Counter::new(
            "K (most points in a leaf)",
            format!(
                "{}{}",
                index.k_leaf(),
                if self.settings.k_leaf.is_none() {
                    " (Annoy's f + 2)"
                } else {
                    ""
                }
            ),
            false,
        ));
    }
}

impl Scene for AnnoyScene {
    info_and_settings!(settings);

    fn build(&mut self, shared: &Shared) {
        self.rebuild(shared);
    }

    /// The forest stays; only the search is recorded again.
    fn query_moved(&mut self, shared: &Shared) {
        if self.index.is_none() {
            return self.rebuild(shared);
        }
        let was = Was {
            cursor: self.play.player.cursor,
            total: self.play.trace.events.len(),
            search_start: self.search_start,
        };
        let build = std::mem::take(&mut self.play.trace.events);
        self.search(shared, build, was);
    }

    fn error(&self) -> Option<String> {
        self.error.clone()
    }

    fn notes(&self, shared: &Shared) -> Vec<String> {
        let mut v = vec![
            "Differs from Annoy: the random generator (Pcg64 here, Kiss64 in annoylib.h), so the trees are others for the same seed; the recall against search_k matches Annoy's within 0.011 (cargo bench --bench annoy).".to_string(),
        ];
        if !self.planar && !shared.points.projected() {
            v.push(format!(
                "The data has {} coordinates: the splits are hyperplanes the plane cannot show; the points are drawn by their first two.",
                shared.points.dim()
            ));
        }
        if self.metric == AnnoyMetric::Angular {
            v.push("Angular distance: Annoy normalises the vectors, so every split passes through the origin and the cells are wedges.".into());
        }
        v
    }

    play_through!(play);

    fn markers(&self) -> Vec<(usize, MarkerKind)> {
        let ev = &self.play.trace.events;
        let mut m: Vec<(usize, MarkerKind)> = Vec::new();
        if let Some(index) = self.index.as_ref() {
            // Each tree's first split.
            for &r in index.roots() {
                m.push((r as usize, MarkerKind::Entry));
            }
        }
        if self.search_start < ev.len() {
            m.push((self.search_start, MarkerKind::Descent));
        }
        if let Some(i) = ev
            .iter()
            .position(|e| matches!(e, AnnoyEvent::Result { .. }))
        {
            let kind = if self.missed.is_empty() {
                MarkerKind::Found
            } else {
                MarkerKind::LocalMinimum
            };
            m.push((i, kind));
        }
        m
    }

    fn frame(&self, shared: &Shared, palette: Palette, style: Style) -> Frame {
        frame::frame(self, shared, palette, style)
    }

    fn frame_key(&self) -> u64 {
        key_of(&(
            self.play.state.cursor,
            self.play.trace.events.as_ptr() as usize,
            self.play.trace.events.len(),
            self.settings,
            self.hovered,
        ))
    }

    fn narration(&self, shared: &Shared) -> Narration {
        narration::narrate(self, shared)
    }

    fn pseudocode(&self) -> &'static [&'static str] {
        narration::PSEUDOCODE
    }

    fn counters(&self, shared: &Shared) -> Vec<Counter> {
        let mut c = Vec::new();
        let st = self.state();
        if !st.searching() {
            self.counters_build(&mut c);
            return c;
        }
        let splits = self.index.as_ref().map_or(0, |index| {
            st.popped
                .iter()
                .filter(|(n, _)| matches!(index.nodes().get(*n as usize), Some(Node::Split { .. })))
                .count()
        });
        c.push(Counter::new(
            "nodes visited (margins computed)",
            format!("{} ({splits})", st.popped.len()),
            true,
        ));
        c.push(Counter::new(
            "candidates / search_k",
            format!("{} / {}", st.candidates(), self.search_k),
            true,
        ));
        c.push(Counter::new("queue length", st.queue_len(), false));
        let ranked = !st.results.is_empty();
        c.push(Counter::new(
            "distance computations",
            if ranked {
                self.stats.distance_computations.to_string()
            } else {
                "0 (ranking comes last)".into()
            },
            true,
        ));
        if ranked {
            let k = self.truth.len().max(1);
            let hit = k - self.missed.len();
            c.push(Counter::new(
                "recall@k",
                format!("{hit} / {k} = {:.2}", hit as f64 / k as f64),
                true,
            ));
            c.push(Counter::new(
                "brute force would compute",
                shared.points.len(),
                false,
            ));
        }
        c
    }

    fn hover(&mut self, shared: &Shared, pos: Option<[f32; 2]>, radius: f32) -> Option<String> {
        self.hovered = None;
        self.hover_text(shared, pos?, radius)
    }

    fn click(&mut self, shared: &Shared, click: &Click) -> Reaction {
        // The diagram is no place for a query.
        if self
            .forest
            .as_ref()
            .is_some_and(|f| f.in_diagram(shared.aspect, click.pos_in_world))
        {
            return Reaction::default();
        }
        match click.button {
            Button::Primary => Reaction::query(click.pos_in_world),
            Button::Secondary => Reaction::default(),
        }
    }

    fn grabs_query(&self) -> bool {
        true
    }

    /// E: a seeded random query; V: the next tree, then all trees overlaid.
    fn action(&mut self, shared: &Shared, action: SceneAction) -> Option<Reaction> {
        match action {
            SceneAction::Random => {
                self.draws += 1;
                let (lo, hi) = crate::scenes::spread_bounds(shared.points);
                let mut rng =
                    SplitMix64::new(crate::engine::rng::nth(shared.seed ^ 0xA770, self.draws));
                Some(Reaction::query([
                    lo[0] + (hi[0] - lo[0]) * rng.unit_f32(),
                    lo[1] + (hi[1] - lo[1]) * rng.unit_f32(),
                ]))
            }
            SceneAction::NextView => {
                self.next_view();
                Some(Reaction::default())
            }
            _ => None,
        }
    }

    any_scene!();
}

impl AnnoyScene {
    /// The next tree on show; after the last, every tree overlaid; then the first again.
    pub fn next_view(&mut self) {
        let trees = self.index.as_ref().map_or(1, |i| i.roots().len());
        let s = &mut self.settings;
        s.n_trees = s.n_trees.clamp(1, MAX_TREES);
        match s.view {
            ForestView::AllTrees => {
                s.view = ForestView::OneTree;
                s.tree = 0;
            }
            ForestView::OneTree if s.tree + 1 >= trees => s.view = ForestView::AllTrees,
            ForestView::OneTree => s.tree += 1,
        }
    }

    fn hover_text(&mut self, shared: &Shared, pos: [f32; 2], radius: f32) -> Option<String> {
        let index = self.index.as_ref()?;
        let forest = self.forest.as_ref()?;
        let t = self.focus_tree();
        if forest.in_diagram(shared.aspect, pos) {
            let node = forest
                .diagram_node_near(index, t, shared.aspect, pos, radius * 1.5)
                .filter(|&n| n < self.state().built)?;
            self.hovered = Some(node);
            return Some(narration::describe_node(self, node));
        }
        let id = point_near(shared.points, pos, radius)?;
        let d = shared.metric.eval(shared.points.get(id), &self.query);
        let leaf = forest.leaf(t, id).map_or(String::new(), |l| {
            format!("\nin leaf {l} of tree {}", t + 1)
        });
        Some(format!(
            "point {id}\ndistance to the query: {:.3}{leaf}",
            crate::scenes::Dist(d)
        ))
    }
}
