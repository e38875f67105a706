//! Scene files: every setting, the query, the entry node and the cursor, as JSON with a
//! version. The same file and seed give the same picture on every machine.

use std::path::Path;

use super::model::{Model, Settings};
use crate::engine::{Level, PointId};
use crate::trace::player::Command;

/// The version this program writes, and the newest it reads.
pub const SCENE_VERSION: u32 = 1;

/// A saved scene.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SceneFile {
    pub version: u32,
    pub settings: Settings,
    pub query: [f32; 2],
    pub entry: u32,
    /// Events applied in the scene on show.
    pub cursor: usize,
    pub fine: bool,
    /// The canvas's pan and zoom when saved from the window; absent, figures fit the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<super::figure::SavedView>,
    /// The data itself, when it is not the preset's (the preset and seed are then unused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<[f32; 2]>>,
    /// HNSW points inserted, deleted or moved in the window, replayed in order on load.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hnsw_edits: Vec<super::hnsw_model::HnswEdit>,
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

impl SceneFile {
    /// The scene on show in `m`.
    pub fn from_model(m: &Model) -> Self {
        let p = m.playback();
        Self {
            version: SCENE_VERSION,
            settings: m.settings.clone(),
            query: m.query,
            entry: m.entry.0,
            cursor: p.map_or(0, |p| p.player.cursor),
            fine: p.is_some_and(|p| p.player.detail == Level::Fine),
            view: None,
            points: m.explicit_points.then(|| {
                let p = m.points();
                p.ids().map(|id| p.xy(id)).collect()
            }),
            hnsw_edits: m
                .hnsw
                .as_ref()
                .filter(|_| m.settings.scene == super::model::SceneKind::Hnsw)
                .map(|h| h.edit_log())
                .unwrap_or_default(),
        }
    }

    pub fn to_json(&self) -> String {
        // Serialising plain data cannot fail; fall back to an empty object regardless.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into()) + "\n"
    }

    /// Parses a scene, naming the line of any problem.
    pub fn parse(text: &str) -> Result<Self, SceneError> {
        let syntax = |e: serde_json::Error| SceneError::Syntax {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        };
        let v: VersionOnly = serde_json::from_str(text).map_err(syntax)?;
        if v.version > SCENE_VERSION {
            return Err(SceneError::FutureVersion(v.version));
        }
        let f: Self = serde_json::from_str(text).map_err(syntax)?;
        if !(f.query[0].is_finite() && f.query[1].is_finite()) {
            return Err(SceneError::Invalid(
                "the query is not a finite point".into(),
            ));
        }
        Ok(f)
    }

    pub fn load(path: &Path) -> Result<Self, SceneError> {
        let text = std::fs::read_to_string(path).map_err(|e| SceneError::Io(e.to_string()))?;
        Self::parse(&text)
    }

    /// Builds the explorer in this scene's state.
    pub fn build(&self) -> Result<Model, SceneError> {
        let mut m = Model::new(self.settings.clone());
        if let Some(e) = m.error.clone() {
            return Err(SceneError::Invalid(e));
        }
        if let Some(points) = &self.points {
            m.set_points(points).map_err(SceneError::Invalid)?;
        }
        if m.query != self.query {
            m.set_query(self.query);
        }
        if self.entry as usize >= m.graph_len() {
            if m.graph_len() > 0 {
                return Err(SceneError::Invalid(format!(
                    "entry node {} does not exist (there are {} points)",
                    self.entry,
                    m.graph_len()
                )));
            }
        } else if m.entry != PointId(self.entry) {
            m.set_entry(PointId(self.entry));
        }
        if !self.hnsw_edits.is_empty() {
            m.replay_hnsw_edits(&self.hnsw_edits)
                .map_err(SceneError::Invalid)?;
        }
        let detail = if self.fine {
            Level::Fine
        } else {
            Level::Coarse
        };
        m.command(Command::SetDetail(detail));
        m.command(Command::SeekCursor(self.cursor));
        Ok(m)
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
