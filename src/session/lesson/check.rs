//! What a slide checks and does: the predicates that tell a task is done, the actions of
//! a demonstration, the nodes a question asks for (read off the trace), and the checks a
//! lesson passes when it is loaded, so a slide that could never be done is refused by name.

use super::{Check, Lesson, LessonError, NodeTarget, Question, Slide};
use crate::engine::{Event, PointId};
use crate::scenes::{Button, Click, SceneAction, registry};
use crate::session::{LookSettings, Session};
use crate::trace::player::Command;
use crate::trace::predict::Answer;

use super::Action;

/// What a check is evaluated against besides the session.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckContext {
    /// The query the slide opened with.
    pub query: Option<[f32; 2]>,
    /// Every question answered right.
    pub answered: bool,
}

impl Check {
    /// Whether the check holds for the session.
    pub fn holds(&self, s: &Session, cx: &CheckContext) -> bool {
        let in_range = |v: f64, min: Option<f64>, max: Option<f64>| {
            min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m)
        };
        match self {
            Check::AtEnd => {
                let (step, last) = s.position();
                step == last
            }
            Check::StepAtLeast(n) => s.position().0 >= *n,
            Check::Setting {
                key,
                min,
                max,
                equals,
            } => {
                let Some(v) = s
                    .scene_settings(s.scene_id())
                    .and_then(|v| v.get(key).cloned())
                else {
                    return false;
                };
                if let Some(e) = equals {
                    return &v == e;
                }
                v.as_f64().is_some_and(|x| in_range(x, *min, *max))
            }
            Check::Counter { label, min, max } => s.counters().iter().any(|c| {
                c.label.contains(label.as_str())
                    && leading_number(&c.value).is_some_and(|x| in_range(x, *min, *max))
            }),
            Check::Narration(text) => {
                let n = s.narration();
                n.title.contains(text.as_str()) || n.text.contains(text.as_str())
            }
            Check::Alert => s.narration().alert,
            Check::PointsAtLeast(n) => s.points.len() >= *n,
            Check::PointsAtMost(n) => s.points.len() <= *n,
            Check::QueryMoved => cx.query.is_some_and(|q| {
                (q[0] - s.query[0]).abs() > 1e-6 || (q[1] - s.query[1]).abs() > 1e-6
            }),
            Check::Scene(id) => registry::find(id).is_some_and(|e| e.info.id == s.scene_id()),
            Check::Answered => cx.answered,
            Check::All(cs) => cs.iter().all(|c| c.holds(s, cx)),
            Check::Any(cs) => cs.iter().any(|c| c.holds(s, cx)),
        }
    }
}

impl NodeTarget {
    /// The node this target is on the session's walk, read off its trace (so a lesson never
    /// holds an answer that a new seed would make wrong).
    pub fn node(self, s: &Session) -> Option<PointId> {
        let trace = s.scene().walk_trace()?;
        match self {
            NodeTarget::LocalMinimum => s
                .decisions()
                .into_iter()
                .find(|d| d.answer == Answer::Stop && !d.beam)
                .map(|d| d.from),
            NodeTarget::Answer => trace.events.iter().find_map(|e| match e {
                Event::Result { rank: 0, node, .. } => Some(*node),
                _ => None,
            }),
            NodeTarget::TrueNearest => trace.nearest().map(|(id, _)| id),
            NodeTarget::NextHop => {
                let cursor = s.cursor();
                s.decisions()
                    .into_iter()
                    .find(|d| d.at >= cursor)
                    .and_then(|d| match d.answer {
                        Answer::Move(to) => Some(to),
                        _ => None,
                    })
            }
        }
    }
}

/// The number a counter's value starts with ("71", "0 / 10000", "1.00").
fn leading_number(v: &str) -> Option<f64> {
    let t: String = v
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    t.parse().ok()
}

impl Action {
    /// Carries the action out on the session, as the window would.
    pub fn apply(&self, s: &mut Session) -> Result<(), String> {
        let click = |s: &mut Session, at: [f32; 2], shift: bool, command: bool| {
            let r = s.click(&Click {
                pos_in_world: at,
                button: Button::Primary,
                shift,
                command,
                alt: false,
                radius_in_world: 0.02,
            });
            s.react(r);
        };
        match self {
            Action::Step(n) => {
                for _ in 0..*n {
                    s.command(Command::StepForward);
                }
            }
            Action::ToEnd => s.command(Command::Last),
            Action::ToStart => s.command(Command::First),
            Action::Set { key, value } => {
                let id = s.scene_id();
                s.set_scene_setting(id, key, value)?;
            }
            Action::Query(q) => s.set_query(*q),
            Action::Click(at) => click(s, *at, false, false),
            Action::ShiftClick(at) => click(s, *at, true, false),
            Action::CtrlClick(at) => click(s, *at, false, true),
            Action::Scene(id) => {
                if !s.select(id) {
                    return Err(format!("there is no scene '{id}'"));
                }
            }
            Action::Insert => match s.action(SceneAction::Insert) {
                Some(r) => s.react(r),
                None => return Err(format!("'{}' cannot insert a point", s.scene_id())),
            },
            Action::Run => match s.action(SceneAction::Run) {
                Some(r) => s.react(r),
                None => return Err(format!("'{}' has nothing to run", s.scene_id())),
            },
        }
        Ok(())
    }
}

/// Everything about a slide that can be known without a student: its state builds, its
/// settings are the scene's, its check names real settings and scenes, a choice question has
/// a right answer, a node question has a walk to read, and its demonstration runs.
pub(super) fn validate(slide: &Slide) -> Result<(), String> {
    let mut s = slide.state.open(LookSettings::default())?;
    let known = s.scene_settings(s.scene_id()).unwrap_or_default();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let known_keys = keys(&known);
    for k in slide.state.settings.keys() {
        if !known_keys.contains(k) {
            return Err(format!(
                "'{}' has no setting '{k}' (it has {})",
                slide.state.scene,
                known_keys.join(", ")
            ));
        }
    }
    if let Some(c) = &slide.check {
        check_names(c, &known_keys)?;
    }
    for (i, q) in slide.questions.iter().enumerate() {
        match q {
            Question::Choice { choices, .. } if !choices.iter().any(|c| c.correct) => {
                return Err(format!("question {} has no right answer", i + 1));
            }
            Question::Node { .. } if s.scene().walk_trace().is_none() => {
                return Err(format!(
                    "question {} asks for a node, but '{}' has no walk to read it from",
                    i + 1,
                    slide.state.scene
                ));
            }
            _ => {}
        }
    }
    for (i, a) in slide.show.iter().enumerate() {
        // Reading a lesson must not start an experiment: "run" is checked, not done.
        if *a == Action::Run {
            if !s.scene().runs() {
                return Err(format!(
                    "'show' action {} (run): '{}' has nothing to run",
                    i + 1,
                    slide.state.scene
                ));
            }
            continue;
        }
        a.apply(&mut s)
            .map_err(|e| format!("'show' action {} ({a:?}): {e}", i + 1))?;
    }
    Ok(())
}

/// The settings and scenes a check names exist.
fn check_names(c: &Check, keys: &[String]) -> Result<(), String> {
    match c {
        Check::Setting { key, .. } if !keys.contains(key) => Err(format!(
            "the check reads a setting '{key}' the scene does not have"
        )),
        Check::Scene(id) if registry::find(id).is_none() => Err(format!(
            "the check names a scene '{id}' that does not exist"
        )),
        Check::All(cs) | Check::Any(cs) => cs.iter().try_for_each(|c| check_names(c, keys)),
        _ => Ok(()),
    }
}

/// Checks every slide of a parsed lesson, naming the first that fails.
pub(super) fn validate_lesson(lesson: &Lesson) -> Result<(), LessonError> {
    for (i, slide) in lesson.slides.iter().enumerate() {
        validate(slide).map_err(|message| LessonError {
            lesson: lesson.id.clone(),
            slide: Some(i + 1),
            message,
        })?;
    }
    Ok(())
}
