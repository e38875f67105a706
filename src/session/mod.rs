//! The session: the shared data and query, every scene of the registry (built lazily: only
//! the scene on show is rebuilt, the others are marked stale), scene files, figures and
//! background jobs. Egui-free: the window and the command line both drive it.

pub mod clicker;
mod data;
pub mod figure;
pub mod history;
pub mod jobs;
pub mod lesson;
mod overlay;
pub mod quiz;
pub mod scene_file;

use crate::engine::presets::Preset;
use crate::engine::{Level, Metric, Points};
use crate::render::{Frame, Look, Palette, Style, Theme};
use crate::scenes::registry::{self, REGISTRY};
use crate::scenes::{Click, Counter, Narration, Reaction, Scene, SceneAction, Shared};
use crate::trace::player::Command;

/// The data every scene shares.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DataSettings {
    pub preset: Preset,
    pub n: usize,
    pub seed: u64,
    pub metric: Metric,
    /// Dimensions of the Uniform and Gaussian-clusters presets (2 … 128; the other presets
    /// are 2-D shapes). Above 2 the points are drawn through their PCA projection.
    pub dim: usize,
}

impl DataSettings {
    /// The dimension the preset is generated in.
    pub fn effective_dim(&self) -> usize {
        if matches!(self.preset, Preset::Uniform | Preset::Clusters) {
            self.dim.clamp(2, 128)
        } else {
            2
        }
    }
}

impl Default for DataSettings {
    fn default() -> Self {
        Self {
            preset: Preset::SeedLesson,
            n: 200,
            seed: 1,
            metric: Metric::Euclidean,
            dim: 2,
        }
    }
}

/// Colours: theme and palette.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LookSettings {
    pub dark: bool,
    /// Colour-blind-safe colours (Okabe–Ito).
    pub okabe_ito: bool,
}

impl Default for LookSettings {
    fn default() -> Self {
        Self {
            dark: true,
            okabe_ito: false,
        }
    }
}

impl LookSettings {
    pub fn theme(&self) -> Theme {
        if self.dark { Theme::Dark } else { Theme::Light }
    }

    /// How scenes look with these settings, in presenter mode or not.
    pub fn look(&self, presenter: bool) -> Look {
        Look {
            theme: self.theme(),
            okabe_ito: self.okabe_ito,
            presenter,
        }
    }
}

/// [`shared_of`] on a session's own fields, borrowed one by one (so a scene can be borrowed
/// mutably beside them).
macro_rules! shared_fields {
    ($s:expr) => {
        shared_of(&$s.points, $s.query, &$s.query_vec, &$s.data, $s.aspect)
    };
}
use shared_fields;

/// What scenes build from, out of the session's fields (borrowed apart, so a scene can be
/// borrowed mutably beside it).
fn shared_of<'a>(
    points: &'a Points,
    query: [f32; 2],
    query_vec: &'a [f32],
    data: &DataSettings,
    aspect: f32,
) -> Shared<'a> {
    Shared {
        points,
        query,
        query_vec,
        metric: data.metric,
        preset: data.preset,
        seed: data.seed,
        aspect,
    }
}

/// The picture shape scenes lay out for until told otherwise (a 16:10 canvas).
pub const DEFAULT_ASPECT: f32 = 1.6;

/// Whether a scene is up to date with the shared data and query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stale {
    Fresh,
    /// The query moved.
    Query,
    /// The data changed (or the scene was never built).
    Data,
}

/// The whole explorer, minus the window.
pub struct Session {
    pub data: DataSettings,
    pub look: LookSettings,
    pub points: Points,
    /// Where the query is drawn (for 2-D data, the query itself).
    pub query: [f32; 2],
    /// The query vector (for d-dimensional data, the vector the picture's position stands
    /// for; for 2-D data, the query).
    pub query_vec: Vec<f32>,
    /// The picture of d-dimensional data (None for 2-D data).
    pub projection: Option<crate::engine::projection::Projection>,
    /// The points came from a scene file, not from the preset (Regenerate goes back to it).
    pub explicit_points: bool,
    scenes: Vec<Box<dyn Scene>>,
    stale: Vec<Stale>,
    current: usize,
    /// Coarse or fine, for every scene.
    detail: Level,
    /// The last refusal of the data, in plain words.
    pub error: Option<String>,
    /// Builds made (for tests of laziness: switching to a fresh scene builds nothing).
    pub builds: usize,
    /// Points that repeat an earlier point, found once per data change.
    duplicates: Vec<(crate::engine::PointId, crate::engine::PointId)>,
    /// The shape (width / height) of the picture frames are drawn for; see [`Self::set_aspect`].
    aspect: f32,
    /// Predict-the-next-hop: on or off, the decision waiting, the score.
    pub quiz: quiz::Quiz,
    /// A slide clicker's move between two beats, playing.
    motion: Option<clicker::Motion>,
}

impl Session {
    /// A session with default settings on the given scene, data generated.
    pub fn new(scene: &str) -> Self {
        Self::with_data(scene, DataSettings::default())
    }

    pub fn with_data(scene: &str, data: DataSettings) -> Self {
        let mut s = Self::unbuilt(data);
        s.current = registry::index_of(scene).unwrap_or(0);
        s.regenerate();
        s
    }

    /// Every scene at its defaults, no data yet.
    fn unbuilt(data: DataSettings) -> Self {
        Self {
            data,
            look: LookSettings::default(),
            points: Points::empty_xy(),
            query: [0.5, 0.5],
            query_vec: vec![0.5, 0.5],
            projection: None,
            explicit_points: false,
            scenes: REGISTRY.iter().map(|e| (e.make)()).collect(),
            stale: vec![Stale::Data; REGISTRY.len()],
            current: 0,
            detail: Level::Coarse,
            error: None,
            builds: 0,
            duplicates: Vec::new(),
            aspect: DEFAULT_ASPECT,
            quiz: quiz::Quiz::default(),
            motion: None,
        }
    }

    fn shared(&self) -> Shared<'_> {
        shared_fields!(self)
    }

    /// Runs `f` on the scene on show with the shared data.
    pub fn with_scene<R>(&mut self, f: impl FnOnce(&mut dyn Scene, &Shared) -> R) -> R {
        let shared = shared_fields!(self);
        f(self.scenes[self.current].as_mut(), &shared)
    }

    /// The scene on show.
    pub fn scene(&self) -> &dyn Scene {
        self.scenes[self.current].as_ref()
    }

    pub fn scene_id(&self) -> &'static str {
        self.scene().info().id
    }

    /// The scene of type `T` (built or not), for tests and tools.
    pub fn get<T: 'static>(&self) -> Option<&T> {
        self.scenes
            .iter()
            .find_map(|s| s.as_any().downcast_ref::<T>())
    }

    pub fn get_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.scenes
            .iter_mut()
            .find_map(|s| s.as_any_mut().downcast_mut::<T>())
    }

    /// Builds the scene on show if it is stale.
    fn refresh(&mut self) {
        let i = self.current;
        let stale = self.stale[i];
        if stale == Stale::Fresh {
            return;
        }
        let detail = self.detail;
        self.motion = None;
        self.with_scene(|s, sh| {
            match stale {
                Stale::Data => s.build(sh),
                _ => s.query_moved(sh),
            }
            s.command(Command::SetDetail(detail));
        });
        self.builds += 1;
        self.stale[i] = Stale::Fresh;
    }

    /// Shows the scene with this id (built now if stale). Returns whether it exists.
    pub fn select(&mut self, id: &str) -> bool {
        let Some(i) = registry::index_of(id) else {
            return false;
        };
        self.current = i;
        self.motion = None;
        self.refresh();
        self.sync_detail();
        true
    }

    /// The scene on show plays at the session's detail (coarse or fine).
    fn sync_detail(&mut self) {
        let d = self.detail;
        if self.scene().steps().is_some_and(|(p, _)| p.detail != d) {
            self.scenes[self.current].command(Command::SetDetail(d));
        }
    }

    /// Position of the scene on show in the registry.
    pub fn current_index(&self) -> usize {
        self.current
    }

    /// Carries out what a scene asked for after input (the scene may also have changed its
    /// own settings: linked groups follow, and the playback keeps the session's detail).
    pub fn react(&mut self, r: Reaction) {
        self.sync_linked_from(self.current);
        self.sync_detail();
        if let Some(q) = r.query {
            self.set_query(q);
        }
        if let Some(id) = r.switch_to {
            self.select(id);
            if let Some(a) = r.then {
                self.action(a);
            }
        }
    }

    /// Gives scene `i`'s linked settings group to every scene that takes it; those whose
    /// settings changed go stale.
    fn sync_linked_from(&mut self, i: usize) {
        let Some((group, v)) = self.scenes[i].linked() else {
            return;
        };
        for (j, s) in self.scenes.iter_mut().enumerate() {
            if j != i && s.set_linked(group, &v) {
                self.stale[j] = Stale::Data;
            }
        }
    }

    /// A scene action (a key) on the scene on show.
    pub fn action(&mut self, a: SceneAction) -> Option<Reaction> {
        let r = self.with_scene(|s, sh| s.action(sh, a))?;
        self.react(r);
        Some(r)
    }

    /// A click on the canvas.
    pub fn click(&mut self, c: &Click) -> Reaction {
        let r = self.with_scene(|s, sh| s.click(sh, c));
        self.react(r);
        r
    }

    /// Rebuilds the scene on show from its settings (after they changed).
    pub fn rebuild(&mut self) {
        self.stale[self.current] = Stale::Data;
        self.refresh();
    }

    pub fn command(&mut self, cmd: Command) {
        // Any other command ends a clicker's move where it was going.
        self.stop_motion();
        if let Command::SetDetail(d) = cmd {
            self.detail = d;
        }
        self.scenes[self.current].command(cmd);
    }

    /// Coarse or fine, in every scene.
    pub fn detail(&self) -> Level {
        self.detail
    }

    pub fn tick(&mut self, dt: f32) -> bool {
        // Predict-the-next-hop: playing stops before a decision the student must make.
        let before = self.cursor();
        let moved = self.tick_motion(dt) | self.scenes[self.current].tick(dt);
        self.quiz_catch_up(before);
        moved
    }

    /// Whether the scene on show is playing.
    pub fn playing(&self) -> bool {
        self.motion.is_some() || self.scene().steps().is_some_and(|(p, _)| p.playing)
    }

    /// (steps taken, steps in all) of the scene on show; (0, 0) with nothing to play.
    pub fn position(&self) -> (usize, usize) {
        self.scene().steps().map_or((0, 0), |(p, t)| p.position(t))
    }

    /// The cursor of the scene on show (events applied).
    pub fn cursor(&self) -> usize {
        self.scene().steps().map_or(0, |(p, _)| p.cursor)
    }

    /// What the scene on show says at its cursor; with no points, what to do instead.
    pub fn narration(&self) -> Narration {
        if self.points.is_empty() {
            return Narration {
                title: "No points yet".into(),
                text: format!(
                    "There is nothing for the {} scene to work on. Choose a preset and n ≥ 1 in the Data panel, then Regenerate (R).",
                    self.scene().info().name
                ),
                line: None,
                alert: false,
            };
        }
        self.scene().narration(&self.shared())
    }

    pub fn counters(&self) -> Vec<Counter> {
        self.scene().counters(&self.shared())
    }

    /// Facts about the data and the scene's settings worth saying.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let n = self.points.len();
        if n == 0 {
            notes.push("There are no points: choose n ≥ 1 and regenerate (R).".into());
        }
        if let Some(note) = self.projection_note() {
            notes.push(note);
        }
        let dups = &self.duplicates;
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
        if self.data.metric == Metric::Cosine && self.projection.is_none() {
            notes.push(
                "Cosine distance (1 − cos) compares directions seen from the origin (0, 0): points on one ray \
                 from the origin are at distance 0 however far apart they look, so the nearest by cosine \
                 need not be the nearest on screen."
                    .into(),
            );
        }
        notes.extend(self.scene().notes(&self.shared()));
        notes
    }

    /// The error to show: the data's, else the scene's.
    pub fn error(&self) -> Option<String> {
        self.error.clone().or_else(|| self.scene().error())
    }

    /// The primitives of the scene on show at its cursor. With cosine distance, scenes in the
    /// data plane also show where angles are measured from: the origin, and the ray from it
    /// through the query (points on one ray are at cosine distance 0).
    pub fn frame(&self, palette: Palette, style: Style) -> Frame {
        let mut f = self.scene().frame(&self.shared(), palette, style);
        if self.data.metric == Metric::Cosine
            && !self.scene().info().own_space
            && self.projection.is_none()
        {
            overlay::cosine_guide(&mut f, self.query, palette, style);
        }
        if let Some(p) = self.projection.as_ref()
            && self.scene().uses_shared_data()
        {
            // The picture says that it projects, and what it keeps.
            overlay::caption(&mut f, p.caption(self.points.dim()), palette, style);
        }
        overlay::quiz(self, &mut f, palette, style);
        f
    }

    /// The picture the frames are for is `width × height` (where the data goes: without the
    /// legend strip and margins). Kept to steps of 0.05, so a resize by a few pixels does not
    /// rebuild the frame. Returns whether it changed.
    pub fn set_aspect(&mut self, width: f32, height: f32) -> bool {
        let a = width / height.max(1.0);
        let before = self.aspect;
        if a.is_finite() && a > 0.0 {
            self.aspect = ((a * 20.0).round() / 20.0).clamp(0.2, 8.0);
        }
        self.aspect != before
    }

    pub fn aspect(&self) -> f32 {
        self.aspect
    }

    /// Changes whenever [`Session::frame`] would for the same look.
    pub fn frame_key(&self) -> u64 {
        crate::scenes::key_of(&(
            self.current,
            self.aspect.to_bits(),
            self.quiz.pending.as_ref().map(|d| d.at),
            self.scene().frame_key(),
            self.query.map(f32::to_bits),
            self.points.len(),
            self.points.as_flat().as_ptr() as usize,
        ))
    }

    /// Whether the scene on show lets the query star be dragged.
    pub fn grabs_query(&self) -> bool {
        self.scene().grabs_query()
    }

    /// A tooltip for the pointer at a world position (`None`: the pointer left).
    pub fn hover(&mut self, pos: Option<[f32; 2]>, radius: f32) -> Option<String> {
        self.with_scene(|s, sh| s.hover(sh, pos, radius))
    }

    /// The settings of the scene with this id.
    pub fn scene_settings(&self, id: &str) -> Option<serde_json::Value> {
        let i = registry::index_of(id)?;
        Some(self.scenes[i].settings_json())
    }

    /// Sets one field of a scene's settings from text (`ef=16`, `mode=Beam`): the value is
    /// read as JSON, else as a string. The scene goes stale.
    pub fn set_scene_setting(&mut self, id: &str, key: &str, value: &str) -> Result<(), String> {
        let i = registry::index_of(id).ok_or_else(|| format!("no scene '{id}'"))?;
        let mut v = self.scenes[i].settings_json();
        let obj = v
            .as_object_mut()
            .ok_or_else(|| format!("scene '{id}' has no settings"))?;
        if !obj.contains_key(key) {
            let keys: Vec<&String> = obj.keys().collect();
            return Err(format!(
                "scene '{id}' has no setting '{key}' (it has {keys:?})"
            ));
        }
        let parsed =
            serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.into()));
        obj.insert(key.to_string(), parsed);
        self.scenes[i]
            .load_settings(&v)
            .map_err(|e| format!("{id}: {key} = {value}: {e}"))?;
        self.stale[i] = Stale::Data;
        self.sync_linked_from(i);
        self.refresh();
        Ok(())
    }

    /// Every scene's settings by id, for a scene file.
    pub fn sections(&self) -> std::collections::BTreeMap<String, serde_json::Value> {
        self.scenes
            .iter()
            .map(|s| (s.info().id.to_string(), s.settings_json()))
            .collect()
    }

    /// Mutable access to every scene (scene files load their sections through it).
    fn scenes_mut(&mut self) -> &mut [Box<dyn Scene>] {
        &mut self.scenes
    }
}
