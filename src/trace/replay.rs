//! What every trace shares, whatever its events: the steps a player walks (all events, and
//! the coarse ones), recordings of any event family, and states that replay events forwards
//! and backwards.

use super::Trace;

/// What a player needs of a recorded run: how many events, and which are coarse steps.
pub trait Steps {
    fn len(&self) -> usize;
    /// Indices of the coarse events, ascending.
    fn coarse(&self) -> &[usize];
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Steps for Trace {
    fn len(&self) -> usize {
        self.events.len()
    }
    fn coarse(&self) -> &[usize] {
        &self.coarse
    }
}

/// A recorded run of any event family (brute force's scans, the distance matrix's rows):
/// the events and which of them are coarse steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording<E> {
    pub events: Vec<E>,
    pub coarse: Vec<usize>,
}

impl<E> Default for Recording<E> {
    fn default() -> Self {
        Self {
            events: Vec::new(),
            coarse: Vec::new(),
        }
    }
}

impl<E> Recording<E> {
    pub fn new(events: Vec<E>, is_coarse: impl Fn(&E) -> bool) -> Self {
        let coarse = events
            .iter()
            .enumerate()
            .filter(|(_, e)| is_coarse(e))
            .map(|(i, _)| i)
            .collect();
        Self { events, coarse }
    }
}

impl<E> Steps for Recording<E> {
    fn len(&self) -> usize {
        self.events.len()
    }
    fn coarse(&self) -> &[usize] {
        &self.coarse
    }
}

/// State that events move forwards and backwards: `apply` then `revert` of the same event
/// leaves it as it was, so the state at a cursor is the same whichever way it was reached.
pub trait Replay<E> {
    fn apply(&mut self, e: &E);
    fn revert(&mut self, e: &E);
}

/// A state that can be moved to any cursor of its trace.
pub trait Seek {
    type Trace: Steps;
    /// Number of events applied.
    fn cursor(&self) -> usize;
    fn seek(&mut self, trace: &Self::Trace, target: usize);
}

/// A [`Replay`] state with its cursor over a [`Recording`] of `E`s.
#[derive(Debug, PartialEq)]
pub struct Replayed<S, E> {
    pub cursor: usize,
    pub inner: S,
    events: std::marker::PhantomData<fn(&E)>,
}

impl<S: Clone, E> Clone for Replayed<S, E> {
    fn clone(&self) -> Self {
        Self {
            cursor: self.cursor,
            inner: self.inner.clone(),
            events: std::marker::PhantomData,
        }
    }
}

impl<S: Default, E> Default for Replayed<S, E> {
    fn default() -> Self {
        Self {
            cursor: 0,
            inner: S::default(),
            events: std::marker::PhantomData,
        }
    }
}

impl<E, S: Replay<E>> Seek for Replayed<S, E> {
    type Trace = Recording<E>;
    fn cursor(&self) -> usize {
        self.cursor
    }
    fn seek(&mut self, trace: &Recording<E>, target: usize) {
        let target = target.min(trace.events.len());
        while self.cursor < target {
            self.inner.apply(&trace.events[self.cursor]);
            self.cursor += 1;
        }
        while self.cursor > target {
            self.cursor -= 1;
            self.inner.revert(&trace.events[self.cursor]);
        }
    }
}
