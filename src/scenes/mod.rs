//! Scenes: each one a unit of the code behind one trait — its settings, its build from the
//! shared data and query, its trace and playback, the frame of primitives it draws, its
//! narration and pseudocode, its counters, its reaction to clicks, keys and hovering, and its
//! section of the scene file. [`registry::REGISTRY`] lists them once; the top bar, the number
//! keys, the command line, File ▸ Open example and scene files all read that list.
//!
//! Nothing here paints: a scene hands [`crate::render::Frame`]s to the backends. A scene's
//! egui panel lives beside its core (`panel.rs` in its folder) behind the [`Panel`] trait.
//!
//! Adding a scene: an engine module if the algorithm is new, one folder here, one line in
//! [`registry::REGISTRY`].

pub mod beats;
pub mod graph_walk;
pub mod panel;
pub mod playback;
pub mod registry;
pub mod worker;

pub mod annoy;
pub mod brute_force;
pub mod distance_matrix;
pub mod greedy_search;
pub mod hnsw;
pub mod kleinberg;
pub mod nsw_construction;
pub mod scaling_lab;
pub mod vector_db;
pub mod watts_strogatz;

/// Every scene, in the order of the top bar and the number keys.
pub static REGISTRY: &[SceneEntry] = &[
    brute_force::ENTRY,
    distance_matrix::ENTRY,
    nsw_construction::ENTRY,
    greedy_search::ENTRY,
    hnsw::ENTRY,
    annoy::ENTRY,
    kleinberg::ENTRY,
    watts_strogatz::ENTRY,
    scaling_lab::ENTRY,
    vector_db::ENTRY,
];

use std::any::Any;
use std::hash::{Hash, Hasher};

use crate::engine::presets::Preset;
use crate::engine::{Metric, PointId, Points};
use crate::render::{Frame, Palette, Style};
use crate::trace::player::{Command, Player};
use crate::trace::{MarkerKind, Steps};

pub use panel::{Panel, panel_of};
pub use registry::SceneEntry;

/// Most points the animated scenes take (a scene may take fewer: see [`Scene::max_points`]).
pub const MAX_ANIMATED_POINTS: usize = 10_000;

/// A built-in scene file, offered in File ▸ Open example.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    pub name: &'static str,
    pub json: &'static str,
}

/// What the registry says about a scene.
#[derive(Debug)]
pub struct SceneInfo {
    /// Used by the command line, scene files and lessons: lower case with dashes.
    pub id: &'static str,
    pub name: &'static str,
    /// The number key that opens it.
    pub key: char,
    /// One sentence: what the scene shows.
    pub blurb: &'static str,
    /// Draws in a space of its own (stacked layers, a heatmap beside the points), not the
    /// plain data plane: switching to or from it refits the view.
    pub own_space: bool,
    pub examples: &'static [Example],
}

/// What every scene builds from: the shared data and query.
#[derive(Clone, Copy, Debug)]
pub struct Shared<'a> {
    pub points: &'a Points,
    /// Where the query is drawn (for 2-D data, the query itself).
    pub query: [f32; 2],
    /// The query vector, of the points' dimension: what searches measure from.
    pub query_vec: &'a [f32],
    pub metric: Metric,
    pub preset: Preset,
    pub seed: u64,
    /// The shape (width / height) of the picture the scene is drawn in, for layouts that
    /// use the room there is (the stacked HNSW layers).
    pub aspect: f32,
}

/// What the narration says about the current step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Narration {
    pub title: String,
    pub text: String,
    /// Index into the scene's pseudocode of the line this step executes.
    pub line: Option<usize>,
    /// A local minimum or another outcome the audience must not miss.
    pub alert: bool,
}

/// One line of the counters table.
#[derive(Clone, Debug, PartialEq)]
pub struct Counter {
    pub label: String,
    pub value: String,
    /// Shown in bold (the numbers the scene is about).
    pub strong: bool,
}

impl Counter {
    pub fn new(label: impl Into<String>, value: impl ToString, strong: bool) -> Self {
        Self {
            label: label.into(),
            value: value.to_string(),
            strong,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Button {
    Primary,
    Secondary,
}

/// A click on the canvas, in world coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Click {
    pub pos_in_world: [f32; 2],
    pub button: Button,
    pub shift: bool,
    /// Ctrl (Cmd on a Mac).
    pub command: bool,
    pub alt: bool,
    /// How far from a point, in world units, a click still hits it.
    pub radius_in_world: f32,
}

/// What the session should do after a scene reacted to input.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Reaction {
    /// Move the shared query here (every scene sees the new query).
    pub query: Option<[f32; 2]>,
    /// Show this scene (by id) ...
    pub switch_to: Option<&'static str>,
    /// ... and have it do this, then play.
    pub then: Option<SceneAction>,
    /// The scene's extent changed: refit the view.
    pub refit: bool,
}

impl Reaction {
    pub fn query(q: [f32; 2]) -> Self {
        Self {
            query: Some(q),
            ..Self::default()
        }
    }
}

/// Actions a scene may give a meaning to: keys, and requests from another scene's panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SceneAction {
    /// I: insert a random point.
    Insert,
    /// E: a random entry node.
    Random,
    /// Start a walk at this node (and play it).
    StartAt(PointId),
    /// Run the scene's experiment (the scaling lab's sweep; its ▶ Run button, a lesson's "run").
    Run,
    /// V: the scene's next view (the scaling lab: the next plot, then the points).
    NextView,
}

/// A scene. Egui-free: the window, the command line and the tests drive it alike.
pub trait Scene: Any {
    fn info(&self) -> &'static SceneInfo;

    /// Most points this scene takes.
    fn max_points(&self) -> usize {
        MAX_ANIMATED_POINTS
    }

    /// Whether the scene has an experiment that [`SceneAction::Run`] starts (the scaling
    /// lab's sweep): a lesson's "run" is checked against it without running it.
    fn runs(&self) -> bool {
        false
    }

    /// Whether the scene shows the shared data (false for a scene that makes its own, such
    /// as the scaling lab: the window then hides the shared data's controls).
    fn uses_shared_data(&self) -> bool {
        true
    }

    /// The scene's own settings, as the scene file stores them.
    fn settings_json(&self) -> serde_json::Value;
    /// Takes settings from a scene file (missing fields keep their defaults). Does not build.
    fn load_settings(&mut self, v: &serde_json::Value) -> Result<(), String>;
    /// This scene's settings from a version-1 scene file's flat settings object.
    fn migrate_v1(&self, _flat: &serde_json::Value) -> Option<serde_json::Value> {
        None
    }

    /// A settings group this scene shares with others, by name, e.g. the NSW graph that both
    /// NSW scenes build: the session keeps every scene that takes the group in step.
    fn linked(&self) -> Option<(&'static str, serde_json::Value)> {
        None
    }
    /// Takes a linked group's settings from another scene; returns whether anything changed
    /// (the session then marks this scene stale).
    fn set_linked(&mut self, _group: &str, _settings: &serde_json::Value) -> bool {
        false
    }

    /// New data arrived (regenerated or opened): adjust settings tied to the data (the seed
    /// lesson's own parameters, a default entry node). Cheap: the build comes later, and
    /// only for the scene on show.
    fn data_changed(&mut self, _shared: &Shared) {}
    /// Builds everything from the shared data, query and this scene's settings.
    fn build(&mut self, shared: &Shared);
    /// The query moved (the data did not): redo what depends on it.
    fn query_moved(&mut self, shared: &Shared) {
        self.build(shared);
    }
    /// Why the scene cannot show what was asked, if so.
    fn error(&self) -> Option<String> {
        None
    }
    /// Facts about the data or the settings worth saying.
    fn notes(&self, _shared: &Shared) -> Vec<String> {
        Vec::new()
    }

    /// The player and its trace's steps, when there is something to play.
    fn steps(&self) -> Option<(&Player, &dyn Steps)>;
    fn command(&mut self, cmd: Command);
    /// Advances the clock; returns whether the cursor moved.
    fn tick(&mut self, dt: f32) -> bool;
    /// Events worth a mark on the scrubber, as (event index, kind).
    fn markers(&self) -> Vec<(usize, MarkerKind)> {
        Vec::new()
    }

    /// The steps of the trace on show an audience should see, where a slide clicker stops
    /// (see [`beats`]). By default every coarse step is a decision and every scrubber
    /// marker an outcome.
    fn beats(&self) -> Vec<beats::Beat> {
        let Some((_, steps)) = self.steps() else {
            return Vec::new();
        };
        let marks: Vec<usize> = self.markers().iter().map(|m| m.0).collect();
        beats::from_steps(steps.coarse(), &marks)
    }

    /// What a clicker's "next" starts once the trace is at its last beat: the experiment on
    /// show not yet run (a sweep, a lab measurement, Milgram's letters), if any.
    fn next_work(&self) -> Option<SceneAction> {
        None
    }

    /// Whether work the clicker waits for (a sweep) runs in the background.
    fn busy(&self) -> bool {
        false
    }

    /// The graph walk on show, for scenes whose steps are one (predict-the-next-hop and
    /// the lessons' node questions read its decisions).
    fn walk_trace(&self) -> Option<&crate::trace::Trace> {
        None
    }

    /// The neighbours of `id` (on `layer`) in the graph the walk uses, with their distances
    /// to `query`: what a student predicting the next hop chooses among.
    fn neighbours_of(
        &self,
        _shared: &Shared,
        _id: PointId,
        _layer: Option<u8>,
        _query: &[f32],
    ) -> Vec<(PointId, f32)> {
        Vec::new()
    }

    /// Where point `id` is drawn (on `layer`, for a scene with layers), in world coordinates.
    fn world_pos(&self, shared: &Shared, id: PointId, _layer: Option<u8>) -> Option<[f32; 2]> {
        (id.idx() < shared.points.len()).then(|| shared.points.xy(id))
    }

    /// The primitives of the step at the cursor, in world coordinates.
    fn frame(&self, shared: &Shared, palette: Palette, style: Style) -> Frame;
    /// Changes whenever [`Scene::frame`] would draw something else for the same shared data
    /// and look (cursor, settings, hover, edits).
    fn frame_key(&self) -> u64;

    fn narration(&self, shared: &Shared) -> Narration;
    fn pseudocode(&self) -> &'static [&'static str];
    fn counters(&self, shared: &Shared) -> Vec<Counter>;

    /// A click on the canvas. By default it moves the query there.
    fn click(&mut self, _shared: &Shared, click: &Click) -> Reaction {
        match click.button {
            Button::Primary => Reaction::query(click.pos_in_world),
            Button::Secondary => Reaction::default(),
        }
    }
    /// The pointer rests at a world position: a tooltip, if there is something to say.
    fn hover(
        &mut self,
        _shared: &Shared,
        _pos_in_world: Option<[f32; 2]>,
        _radius: f32,
    ) -> Option<String> {
        None
    }
    /// Whether the query star can be dragged in this scene.
    fn grabs_query(&self) -> bool {
        false
    }
    /// A key or another scene asks for an action; returns a reaction if the scene took it.
    fn action(&mut self, _shared: &Shared, _action: SceneAction) -> Option<Reaction> {
        None
    }

    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// `as_any` and `as_any_mut` of a [`Scene`] implementation.
macro_rules! any_scene {
    () => {
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }

        fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
            self
        }
    };
}
pub(crate) use any_scene;

/// `info`, `settings_json` and `load_settings` of a [`Scene`] whose registry entry is `INFO`
/// and whose settings are the (serde) field named.
macro_rules! info_and_settings {
    ($field:ident) => {
        fn info(&self) -> &'static $crate::scenes::SceneInfo {
            &INFO
        }

        fn settings_json(&self) -> serde_json::Value {
            $crate::scenes::settings_to(&self.$field)
        }

        fn load_settings(&mut self, v: &serde_json::Value) -> Result<(), String> {
            self.$field = $crate::scenes::settings_from(v)?;
            Ok(())
        }
    };
}
pub(crate) use info_and_settings;

/// The transport of a [`Scene`] that always has one playback, in the field named.
macro_rules! play_through {
    ($field:ident) => {
        fn steps(&self) -> Option<(&$crate::trace::player::Player, &dyn $crate::trace::Steps)> {
            Some(self.$field.steps())
        }

        fn command(&mut self, cmd: $crate::trace::player::Command) {
            self.$field.command(cmd);
        }

        fn tick(&mut self, dt: f32) -> bool {
            self.$field.tick(dt)
        }
    };
}
pub(crate) use play_through;

/// How much smaller and lighter points are drawn when `count` of them share a picture (or an
/// HNSW layer): 1 up to 500, then falling with the square root of the crowd, so 10,000 points
/// show their structure and their links instead of a white mush.
pub fn density_scale(count: usize) -> f32 {
    if count <= 500 {
        1.0
    } else {
        (500.0 / count as f32).sqrt()
    }
}

/// Point ids above the points (when there are few enough to read).
pub fn point_labels(f: &mut Frame, points: &Points, style: Style, color: crate::render::Rgba) {
    if points.len() > style.label_limit {
        return;
    }
    for id in points.ids() {
        f.prims.push(crate::render::Prim::Text {
            pos_in_world: points.xy(id),
            text: id.to_string(),
            size: style.label_size,
            color,
            anchor: crate::render::Anchor::Above,
            gap: style.point_radius + 3.0,
            place: crate::render::Place::Minor,
        });
    }
}

/// An answer ringed and ranked ("#1", "#2", …) at its point.
pub fn ring_ranked(
    f: &mut Frame,
    at: [f32; 2],
    rank: usize,
    style: Style,
    color: crate::render::Rgba,
) {
    let r = style.point_radius;
    f.prims.push(crate::render::Prim::Marker {
        pos_in_world: at,
        radius: r + 5.0,
        shape: crate::render::Shape::Circle,
        fill: None,
        stroke: Some((2.5, color)),
    });
    f.prims.push(crate::render::Prim::Text {
        pos_in_world: at,
        text: format!("#{}", rank + 1),
        size: style.label_size,
        color,
        anchor: crate::render::Anchor::Right,
        gap: r + 8.0,
        place: crate::render::Place::Key,
    });
}

/// A distance for people: `{:.3}` gives three decimals, but a small distance (cosine
/// distances in 2-D are often 1e-4) keeps three significant digits, so close values stay
/// apart instead of all reading 0.000.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dist(pub f32);

impl std::fmt::Display for Dist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.0;
        let decimals = f.precision().unwrap_or(3);
        if d == 0.0 || !d.is_finite() || d.abs() >= 10f32.powi(-(decimals as i32) + 1) {
            write!(f, "{d:.decimals$}")
        } else {
            write!(f, "{d:.2e}")
        }
    }
}

/// Where the query is, for a panel: "query (0.412, 0.730)", or for d-dimensional data "16-d
/// query, drawn at (0.412, 0.730)" (the picture's coordinates, not the vector's).
pub fn query_where(shared: &Shared) -> String {
    let [x, y] = shared.query;
    if shared.points.projected() {
        format!(
            "{}-d query, drawn at ({x:.3}, {y:.3})",
            shared.query_vec.len()
        )
    } else {
        format!("query ({x:.3}, {y:.3})")
    }
}

/// "1 distance", "3 distances".
pub fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A key for [`Scene::frame_key`] from anything hashable.
pub fn key_of(v: &impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// Settings from JSON: the fields given over the defaults, with a readable error.
pub fn settings_from<T: serde::de::DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
    serde_json::from_value(v.clone()).map_err(|e| e.to_string())
}

/// Settings as JSON (plain data: cannot fail; an empty object if it ever did).
pub fn settings_to<T: serde::Serialize>(t: &T) -> serde_json::Value {
    serde_json::to_value(t).unwrap_or_default()
}

/// The data's bounding box, widened to a unit along any axis the points do not span (one
/// point, or all on a line), centred on them; the unit square without points.
pub fn spread_bounds(points: &Points) -> ([f32; 2], [f32; 2]) {
    let Some((mut lo, mut hi)) = points.bounds_xy() else {
        return ([0.0, 0.0], [1.0, 1.0]);
    };
    for a in 0..2 {
        if hi[a] - lo[a] < 1e-6 {
            let c = (lo[a] + hi[a]) / 2.0;
            (lo[a], hi[a]) = (c - 0.5, c + 0.5);
        }
    }
    (lo, hi)
}

/// The point nearest to a world position within `radius` (world units), for clicks.
pub fn point_near(points: &Points, pos: [f32; 2], radius: f32) -> Option<PointId> {
    let mut best: Option<(PointId, f32)> = None;
    if points.dim() < 2 {
        return None;
    }
    for id in points.ids() {
        let p = points.xy(id);
        let d = ((p[0] - pos[0]).powi(2) + (p[1] - pos[1]).powi(2)).sqrt();
        if d <= radius && best.is_none_or(|b| d < b.1) {
            best = Some((id, d));
        }
    }
    best.map(|b| b.0)
}
