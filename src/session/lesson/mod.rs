//! Lessons: a title and a list of slides, as data files (`assets/lessons/*.json`). A slide
//! puts the session in a state (a scene, its settings, the data, the query, the cursor), says
//! what to look at and what to do, and checks, from the session's own state, when it is done.
//! Adding a lesson or a slide is a data-only change.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

mod check;
pub use check::CheckContext;

use super::figure::seek;
use super::scene_file::{SCENE_VERSION, SceneFile, Step};
use super::{DataSettings, LookSettings, Session};
use crate::scenes::registry;
use crate::trace::player::Command;

/// The lesson format's version.
pub const LESSON_VERSION: u32 = 1;

/// A lesson: its id (the file's name), a title, a sentence, and its slides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    #[serde(default = "one")]
    pub version: u32,
    /// The file's stem; set on load.
    #[serde(default, skip_serializing)]
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub slides: Vec<Slide>,
}

fn one() -> u32 {
    1
}

/// One slide: the state it opens, its text, the task, the check that tells it is done, hints,
/// a demonstration ("show me") and questions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slide {
    pub title: String,
    /// What to look at. `*emphasis*`, `` `code` `` and formulas in plain Unicode (⌊−ln U · mL⌋).
    pub text: String,
    pub state: SlideState,
    /// What the student is asked to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// When the task is done (no check: done on arrival).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<Check>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// The actions that carry out the task ("show me").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub show: Vec<Action>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
}

impl Slide {
    /// Whether the demonstration does more than move the cursor (a setting, a click, a run).
    pub fn show_changes_state(&self) -> bool {
        self.show.iter().any(|a| !a.moves_cursor_only())
    }

    /// Whether a slide clicker runs the demonstration before it steps the trace: when the
    /// demonstration makes the trace the slide is about (an insertion, a deletion, a run),
    /// the trace on show before it is not the slide's subject.
    pub fn show_first(&self) -> bool {
        self.show.iter().any(|a| {
            matches!(
                a,
                Action::Run | Action::Insert | Action::CtrlClick(_) | Action::ShiftClick(_)
            )
        })
    }
}

impl Action {
    /// Whether the action only moves the cursor of the trace on show.
    pub fn moves_cursor_only(&self) -> bool {
        matches!(self, Action::Step(_) | Action::ToEnd | Action::ToStart)
    }
}

/// Where a slide starts the trace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cursor {
    #[default]
    Start,
    End,
    /// After this many steps (at the slide's detail).
    Step(usize),
}

/// The state a slide opens: like a scene file, every part optional but the scene.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SlideState {
    /// The scene on show, by registry id.
    pub scene: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataSettings>,
    /// The data itself, when it is not a preset's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<[f32; 2]>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<[f32; 2]>,
    /// The query vector of d-dimensional data (the query above is where it is drawn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_vector: Option<Vec<f32>>,
    /// The scene's own settings (any subset; the rest keep their defaults).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub settings: serde_json::Map<String, serde_json::Value>,
    /// Other scenes' sections (a slide saved from the window keeps them all).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scenes: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub cursor: Cursor,
    #[serde(default)]
    pub fine: bool,
}

/// A predicate on the session: when a slide's task is done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// The trace is at its last step.
    AtEnd,
    /// At least this many steps in.
    StepAtLeast(usize),
    /// A setting of the scene on show: at least `min`, at most `max`, or equal to `equals`.
    Setting {
        key: String,
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
        #[serde(default)]
        equals: Option<serde_json::Value>,
    },
    /// A counter whose label contains `label`, read as a number.
    Counter {
        label: String,
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
    },
    /// The narration on show (title or text) contains this.
    Narration(String),
    /// The step on show is one the audience must not miss (a local minimum).
    Alert,
    /// At least this many points.
    PointsAtLeast(usize),
    /// At most this many points.
    PointsAtMost(usize),
    /// The query is no longer where the slide put it.
    QueryMoved,
    /// This scene is on show.
    Scene(String),
    /// Every question of the slide is answered right.
    Answered,
    All(Vec<Check>),
    Any(Vec<Check>),
}

/// One thing a demonstration (or a test) does, through the same calls as the window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// This many steps forward.
    Step(usize),
    /// To the last step.
    ToEnd,
    /// Back to the first step.
    ToStart,
    /// Set a setting of the scene on show (the value as on the command line).
    Set { key: String, value: String },
    /// Move the query.
    Query([f32; 2]),
    /// Click the canvas here (world coordinates), as a left click.
    Click([f32; 2]),
    /// Shift+click here (insert a point, where the scene supports it).
    ShiftClick([f32; 2]),
    /// Ctrl+click here (delete the point there, where the scene supports it).
    CtrlClick([f32; 2]),
    /// Show another scene.
    Scene(String),
    /// The scene's "insert a random point" (HNSW).
    Insert,
    /// The scene's experiment (the scaling lab's sweep); it runs in the background and the
    /// check holds once it has finished.
    Run,
}

/// A question on a slide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Question {
    /// Multiple choice: each choice explains itself.
    Choice { ask: String, choices: Vec<Choice> },
    /// "Click the node that …": graded from the scene's own trace, never from the lesson.
    Node {
        ask: String,
        target: NodeTarget,
        /// Said after the answer, right or wrong.
        #[serde(default)]
        why: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    pub why: String,
}

/// A node a question asks for, read off the trace on show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeTarget {
    /// Where the (first) greedy walk stops.
    LocalMinimum,
    /// The search's best answer.
    Answer,
    /// The query's true nearest point (brute force).
    TrueNearest,
    /// The node the walk moves to next from the step on show.
    NextHop,
}

/// Why a lesson file was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonError {
    /// The file (or lesson id).
    pub lesson: String,
    /// The slide, counted from 1, when the problem is in one.
    pub slide: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.slide {
            Some(n) => write!(f, "lesson '{}', slide {n}: {}", self.lesson, self.message),
            None => write!(f, "lesson '{}': {}", self.lesson, self.message),
        }
    }
}

impl std::error::Error for LessonError {}

impl Lesson {
    /// Parses a lesson named `id` and checks every slide's scene, settings and state.
    pub fn parse(id: &str, text: &str) -> Result<Self, LessonError> {
        let err = |slide: Option<usize>, message: String| LessonError {
            lesson: id.to_string(),
            slide,
            message,
        };
        let mut lesson: Lesson = serde_json::from_str(text).map_err(|e| {
            err(
                None,
                format!("line {}, column {}: {e}", e.line(), e.column()),
            )
        })?;
        if lesson.version > LESSON_VERSION {
            return Err(err(
                None,
                format!(
                    "version {}, newer than this program reads ({LESSON_VERSION})",
                    lesson.version
                ),
            ));
        }
        if lesson.slides.is_empty() {
            return Err(err(None, "it has no slides".into()));
        }
        lesson.id = id.to_string();
        check::validate_lesson(&lesson)?;
        Ok(lesson)
    }

    pub fn load(path: &Path) -> Result<Self, LessonError> {
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path).map_err(|e| LessonError {
            lesson: id.clone(),
            slide: None,
            message: format!("cannot read {}: {e}", path.display()),
        })?;
        Self::parse(&id, &text)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into()) + "\n"
    }

    /// Whether `name` names this lesson: its id, or its number ("4" or "04" for
    /// "04-greedy-search").
    pub fn answers_to(&self, name: &str) -> bool {
        self.id == name
            || self.id.split('-').next().is_some_and(|n| {
                n.trim_start_matches('0') == name.trim_start_matches('0') && !name.is_empty()
            })
    }
}

impl SlideState {
    /// The state of `s` as a slide: everything a scene file keeps.
    pub fn from_session(s: &Session) -> Self {
        let file = SceneFile::from_session(s);
        let mut scenes = file.scenes;
        let settings = match scenes.remove(&file.scene) {
            Some(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        Self {
            scene: file.scene,
            data: Some(file.data),
            points: file.points,
            query: Some(file.query),
            query_vector: file.query_vector,
            settings,
            scenes,
            cursor: Cursor::Step(s.position().0),
            fine: file.fine,
        }
    }

    /// The scene file this state describes (the cursor at the start).
    pub fn scene_file(&self) -> Result<SceneFile, String> {
        if registry::find(&self.scene).is_none() {
            return Err(format!(
                "there is no scene '{}' (the scenes are {})",
                self.scene,
                registry::ids().join(", ")
            ));
        }
        let mut scenes = self.scenes.clone();
        scenes.insert(
            self.scene.clone(),
            serde_json::Value::Object(self.settings.clone()),
        );
        let file = SceneFile {
            version: SCENE_VERSION,
            scene: self.scene.clone(),
            data: self.data.unwrap_or_default(),
            look: LookSettings::default(),
            query: self.query.unwrap_or([0.5, 0.5]),
            query_vector: self.query_vector.clone(),
            cursor: 0,
            fine: self.fine,
            view: None,
            points: self.points.clone(),
            scenes,
        };
        // Through the scene file's own checks (scene ids, finite query).
        SceneFile::parse(&file.to_json()).map_err(|e| e.to_string())
    }

    /// A session in this state, with the window's look.
    pub fn open(&self, look: LookSettings) -> Result<Session, String> {
        let mut s = self.scene_file()?.build().map_err(|e| e.to_string())?;
        s.look = look;
        match self.cursor {
            Cursor::Start => {}
            Cursor::End => s.command(Command::Last),
            Cursor::Step(n) => seek(&mut s, Step::At(n)),
        }
        Ok(s)
    }
}

/// The built-in lessons, in order (`assets/lessons/*.json`, compiled in).
pub const BUILT_IN: [(&str, &str); 12] = [
    (
        "01-brute-force",
        include_str!("../../../assets/lessons/01-brute-force.json"),
    ),
    (
        "02-distance-matrix",
        include_str!("../../../assets/lessons/02-distance-matrix.json"),
    ),
    (
        "03-nsw-construction",
        include_str!("../../../assets/lessons/03-nsw-construction.json"),
    ),
    (
        "04-greedy-search",
        include_str!("../../../assets/lessons/04-greedy-search.json"),
    ),
    (
        "05-remedies",
        include_str!("../../../assets/lessons/05-remedies.json"),
    ),
    (
        "06-hnsw-search",
        include_str!("../../../assets/lessons/06-hnsw-search.json"),
    ),
    (
        "07-hnsw-insertion",
        include_str!("../../../assets/lessons/07-hnsw-insertion.json"),
    ),
    (
        "08-hnsw-deletion",
        include_str!("../../../assets/lessons/08-hnsw-deletion.json"),
    ),
    (
        "09-scaling-lab",
        include_str!("../../../assets/lessons/09-scaling-lab.json"),
    ),
    (
        "10-annoy",
        include_str!("../../../assets/lessons/10-annoy.json"),
    ),
    (
        "11-small-worlds",
        include_str!("../../../assets/lessons/11-small-worlds.json"),
    ),
    (
        "12-vector-db",
        include_str!("../../../assets/lessons/12-vector-db.json"),
    ),
];

/// Every built-in lesson that parses, and the refusals of those that do not (so one bad
/// file never hides the others).
pub fn built_in() -> (Vec<Lesson>, Vec<LessonError>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for (id, text) in BUILT_IN {
        match Lesson::parse(id, text) {
            Ok(l) => ok.push(l),
            Err(e) => bad.push(e),
        }
    }
    (ok, bad)
}

/// Every lesson file (`*.json`) in `dir`, by name, each parsed on its own.
pub fn from_dir(dir: &Path) -> (Vec<Lesson>, Vec<LessonError>) {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    for p in paths {
        match Lesson::load(&p) {
            Ok(l) => ok.push(l),
            Err(e) => bad.push(e),
        }
    }
    (ok, bad)
}

/// The lessons on offer: the built-in ones, then the files in `assets/lessons` under the
/// current folder and in the folder `$ANN_EXPLORER_LESSONS` names. A file there with a
/// built-in lesson's name replaces it, so a lesson is written and tried without rebuilding
/// the program, and a new lesson is a new file.
pub fn library() -> (Vec<Lesson>, Vec<LessonError>) {
    let (mut lessons, mut bad) = built_in();
    let dirs = [
        Some(std::path::PathBuf::from("assets/lessons")),
        std::env::var_os("ANN_EXPLORER_LESSONS").map(std::path::PathBuf::from),
    ];
    for dir in dirs.into_iter().flatten() {
        let (more, refused) = from_dir(&dir);
        for l in more {
            match lessons.iter().position(|x| x.id == l.id) {
                Some(i) => lessons[i] = l,
                None => lessons.push(l),
            }
        }
        for e in refused {
            // A refused file takes its built-in namesake's place in the list of refusals
            // only; the built-in stays available.
            if !bad.contains(&e) {
                bad.push(e);
            }
        }
    }
    (lessons, bad)
}

/// A lesson by id, or by its number ("4" or "04" finds "04-greedy-search").
pub fn find(id: &str) -> Option<Lesson> {
    let (lessons, _) = library();
    lessons.into_iter().find(|l| l.answers_to(id))
}
