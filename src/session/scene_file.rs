//! Scene files: the scene on show, the shared data and query, every scene's own settings
//! (one section per scene, keyed by its registry id) and the cursor, as JSON with a version.
//! The same file and seed give the same picture on every machine. Version 1 files (one flat
//! settings object for three scenes) are migrated on load.

use std::collections::BTreeMap;
use std::path::Path;

use super::figure::SavedView;
use super::{DataSettings, LookSettings, Session};
use crate::engine::Level;
use crate::scenes::registry::{self, REGISTRY};
use crate::trace::player::Command;

/// The version this program writes, and the newest it reads.
pub const SCENE_VERSION: u32 = 2;

/// A saved scene.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SceneFile {
    pub version: u32,
    /// The scene on show, by registry id.
    pub scene: String,
    pub data: DataSettings,
    pub look: LookSettings,
    pub query: [f32; 2],
    /// The query vector of d-dimensional data (the query above is where it is drawn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_vector: Option<Vec<f32>>,
    /// Events applied in the scene on show.
    pub cursor: usize,
    pub fine: bool,
    /// The canvas's pan and zoom when saved from the window; absent, figures fit the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<SavedView>,
    /// The data itself, when it is not the preset's (the preset and seed are then unused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<[f32; 2]>>,
    /// Each scene's own settings, by registry id.
    #[serde(default)]
    pub scenes: BTreeMap<String, serde_json::Value>,
}

/// Why a scene file was refused.
#[derive(Debug)]
pub enum SceneError {
    Io(String),
    /// Not valid JSON or not a scene, at this line and column.
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// Written by a newer program.
    FutureVersion(u32),
    /// Parsed, but its data cannot be built.
    Invalid(String),
}

impl std::fmt::Display for SceneError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SceneError::Io(e) => write!(f, "cannot read the scene file: {e}"),
            SceneError::Syntax {
                line,
                column,
                message,
            } => write!(f, "line {line}, column {column}: {message}"),
            SceneError::FutureVersion(v) => write!(
                f,
                "the scene file has version {v}, newer than this program reads ({SCENE_VERSION}); update ANN Explorer"
            ),
            SceneError::Invalid(e) => write!(f, "the scene cannot be built: {e}"),
        }
    }
}

impl std::error::Error for SceneError {}

#[derive(serde::Deserialize)]
struct VersionOnly {
    version: u32,
}

/// Version 1: one flat settings object for the three scenes of the time.
#[derive(serde::Deserialize)]
struct V1 {
    settings: V1Settings,
    query: [f32; 2],
    entry: u32,
    cursor: usize,
    fine: bool,
    #[serde(default)]
    view: Option<SavedView>,
    #[serde(default)]
    points: Option<Vec<[f32; 2]>>,
    #[serde(default)]
    hnsw_edits: serde_json::Value,
}

/// The shared part of a version-1 settings object, typed (so a bad value names its line);
/// the rest is read by each scene's own migration.
#[derive(serde::Deserialize)]
struct V1Settings {
    #[serde(default)]
    scene: Option<V1Scene>,
    #[serde(flatten)]
    data: DataSettings,
    #[serde(flatten)]
    look: LookSettings,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

#[derive(serde::Deserialize)]
enum V1Scene {
    Construction,
    Search,
    Hnsw,
}

fn syntax(e: serde_json::Error) -> SceneError {
    SceneError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

impl SceneFile {
    /// The session's scene on show as a file.
    pub fn from_session(s: &Session) -> Self {
        Self {
            version: SCENE_VERSION,
            scene: s.scene_id().to_string(),
            data: s.data,
            look: s.look,
            query: s.query,
            query_vector: s.projection.is_some().then(|| s.query_vec.clone()),
            cursor: s.cursor(),
            fine: s.detail() == Level::Fine,
            view: None,
            points: s.explicit_points.then(|| {
                let p = &s.points;
                p.ids().map(|id| p.xy(id)).collect()
            }),
            scenes: s.sections(),
        }
    }

    pub fn to_json(&self) -> String {
        // Serialising plain data cannot fail; fall back to an empty object regardless.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into()) + "\n"
    }

    /// Parses a scene (migrating version 1), naming the line of any problem.
    pub fn parse(text: &str) -> Result<Self, SceneError> {
        let v: VersionOnly = serde_json::from_str(text).map_err(syntax)?;
        if v.version > SCENE_VERSION {
            return Err(SceneError::FutureVersion(v.version));
        }
        let f = if v.version <= 1 {
            Self::from_v1(serde_json::from_str(text).map_err(syntax)?)
        } else {
            serde_json::from_str(text).map_err(syntax)?
        };
        if !(f.query[0].is_finite() && f.query[1].is_finite()) {
            return Err(SceneError::Invalid(
                "the query is not a finite point".into(),
            ));
        }
        if registry::find(&f.scene).is_none() {
            return Err(SceneError::Invalid(format!(
                "there is no scene '{}' (the scenes are {})",
                f.scene,
                registry::ids().join(", ")
            )));
        }
        if let Some(id) = f.scenes.keys().find(|id| registry::find(id).is_none()) {
            return Err(SceneError::Invalid(format!(
                "a section for '{id}', which is not a scene (the scenes are {})",
                registry::ids().join(", ")
            )));
        }
        Ok(f)
    }

    fn from_v1(v1: V1) -> Self {
        let mut flat = serde_json::Value::Object(v1.settings.rest);
        flat["entry"] = v1.entry.into();
        flat["hnsw_edits"] = v1.hnsw_edits;
        let scenes = REGISTRY
            .iter()
            .filter_map(|e| {
                let s = (e.make)();
                s.migrate_v1(&flat).map(|v| (e.info.id.to_string(), v))
            })
            .collect();
        Self {
            version: SCENE_VERSION,
            scene: match v1.settings.scene {
                Some(V1Scene::Construction) | None => "nsw-construction",
                Some(V1Scene::Search) => "greedy-search",
                Some(V1Scene::Hnsw) => "hnsw",
            }
            .to_string(),
            data: v1.settings.data,
            look: v1.settings.look,
            query: v1.query,
            query_vector: None,
            cursor: v1.cursor,
            fine: v1.fine,
            view: v1.view,
            points: v1.points,
            scenes,
        }
    }

    pub fn load(path: &Path) -> Result<Self, SceneError> {
        let text = std::fs::read_to_string(path).map_err(|e| SceneError::Io(e.to_string()))?;
        Self::parse(&text)
    }

    /// Builds the session in this file's state: the scene on show is built, the others wait.
    pub fn build(&self) -> Result<Session, SceneError> {
        let mut s = Session::unbuilt(self.data);
        s.look = self.look;
        s.current = registry::index_of(&self.scene)
            .ok_or_else(|| SceneError::Invalid(format!("there is no scene '{}'", self.scene)))?;
        match &self.points {
            Some(points) => s.load_points(points),
            None => s.generate(),
        }
        .map_err(SceneError::Invalid)?;
        s.place_query(self.query, self.query_vector.as_deref());
        for (id, v) in &self.scenes {
            let i = registry::index_of(id)
                .ok_or_else(|| SceneError::Invalid(format!("there is no scene '{id}'")))?;
            s.scenes_mut()[i]
                .load_settings(v)
                .map_err(|e| SceneError::Invalid(format!("the '{id}' section: {e}")))?;
        }
        // The scene on show decides linked groups (e.g. the NSW graph of both NSW scenes).
        s.sync_linked_from(s.current);
        s.command(Command::SetDetail(if self.fine {
            Level::Fine
        } else {
            Level::Coarse
        }));
        s.refresh();
        if let Some(e) = s.error() {
            return Err(SceneError::Invalid(e));
        }
        s.command(Command::SeekCursor(self.cursor));
        Ok(s)
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// failed write never leaves a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let res = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

/// Which step of a scene to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The cursor saved in the file.
    Saved,
    /// After this many steps (at the file's detail).
    At(usize),
    Last,
}

impl std::str::FromStr for Step {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "last" => Ok(Step::Last),
            "saved" => Ok(Step::Saved),
            n => n
                .parse()
                .map(Step::At)
                .map_err(|_| format!("--step takes a number, 'last' or 'saved', not '{n}'")),
        }
    }
}
