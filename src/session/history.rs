//! Undo and redo: the session as it was before each change the user made (query moved,
//! parameters, data, edits of the HNSW index, theme), kept as scene files. A slip on stage
//! costs one key.

use super::Session;
use super::scene_file::{SceneError, SceneFile};

/// How many changes can be undone.
pub const DEPTH: usize = 64;

/// The states to go back and forth to.
#[derive(Default)]
pub struct History {
    undo: Vec<SceneFile>,
    redo: Vec<SceneFile>,
    /// The state last seen.
    last: Option<SceneFile>,
}

/// The session as a state to restore: what it shows, not where its cursor stands.
fn state_of(s: &Session) -> SceneFile {
    let mut f = SceneFile::from_session(s);
    f.cursor = 0;
    f.fine = false;
    f
}

impl History {
    /// Looks at the session after the user acted: a change since the last look becomes a
    /// step that can be undone (and clears what could be redone).
    pub fn observe(&mut self, s: &Session) {
        let now = state_of(s);
        match self.last.take() {
            Some(before) if before != now => {
                self.undo.push(before);
                if self.undo.len() > DEPTH {
                    self.undo.remove(0);
                }
                self.redo.clear();
            }
            _ => {}
        }
        self.last = Some(now);
    }

    /// Whether a state has been seen yet (the first look must happen before any change).
    pub fn has_seen(&self) -> bool {
        self.last.is_some()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The session before the last change, if any (the current one can be redone).
    pub fn undo(&mut self, s: &Session) -> Option<Result<Session, SceneError>> {
        let before = self.undo.pop()?;
        Some(self.go(s, before, true))
    }

    /// The session before the last undo, if any.
    pub fn redo(&mut self, s: &Session) -> Option<Result<Session, SceneError>> {
        let after = self.redo.pop()?;
        Some(self.go(s, after, false))
    }

    fn go(&mut self, s: &Session, to: SceneFile, undoing: bool) -> Result<Session, SceneError> {
        match to.build() {
            Ok(built) => {
                let now = state_of(s);
                if undoing {
                    self.redo.push(now);
                } else {
                    self.undo.push(now);
                }
                self.last = Some(state_of(&built));
                Ok(built)
            }
            Err(e) => {
                // Keep the state where it was so nothing is lost.
                if undoing {
                    self.undo.push(to);
                } else {
                    self.redo.push(to);
                }
                Err(e)
            }
        }
    }
}
