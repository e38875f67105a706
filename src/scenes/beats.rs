//! Beats: the steps of a trace an audience should see — a hop, a layer drop, a split, a leaf,
//! a prune, an insertion done, a strategy finishing. A slide clicker moves by beats, never by
//! the hundreds of atomic steps a trace has; the steps between two beats play as a short
//! animation.
//!
//! A scene lists its beats with a rank ([`Tier`]); [`choose`] keeps as many as a budget allows
//! (a lesson slide has at most a dozen presses), the most important ranks first.

/// How much a beat matters: the lower, the more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// An outcome: the answer, a local minimum, a strategy finishing, a layer drop, the end.
    Outcome = 0,
    /// A decision the narration names: a hop, a split, an insertion done, a prune.
    Decision = 1,
    /// A detail: a heap entry, a distance that changes the best so far.
    Detail = 2,
}

/// A step the audience should see: the cursor just after it, and how much it matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Beat {
    /// Events applied at the beat (the player's cursor there).
    pub cursor: usize,
    pub tier: Tier,
}

impl Beat {
    /// The beat that ends with event `i` applied.
    pub fn after(i: usize, tier: Tier) -> Self {
        Self {
            cursor: i + 1,
            tier,
        }
    }
}

/// Beats a slide of a lesson takes at most for one trace: with the demonstration before it,
/// one more to put the trace where the task holds and the press that leaves, a slide takes
/// at most 12 presses.
pub const LESSON_BUDGET: usize = 9;
/// Beats a lesson slide takes for each of two traces (the slide's own, then the one its
/// demonstration makes): 4 + 1 + 4 + 1 + 1 presses.
pub const HALF_LESSON_BUDGET: usize = 4;
/// Beats a scene on its own takes at most.
pub const SCENE_BUDGET: usize = 30;

/// The cursors a clicker stops at over a trace of `len` events: at most `budget` of `beats`
/// (the most important tiers first, then evenly spread picks of the next tier), always ending
/// at `len`. Ascending, distinct, each in `1..=len`.
pub fn choose(beats: &[Beat], len: usize, budget: usize) -> Vec<usize> {
    if len == 0 {
        return Vec::new();
    }
    let budget = budget.max(1);
    let mut all: Vec<Beat> = beats
        .iter()
        .copied()
        .filter(|b| b.cursor >= 1 && b.cursor < len)
        .collect();
    all.push(Beat {
        cursor: len,
        tier: Tier::Outcome,
    });
    all.sort_by_key(|b| (b.cursor, b.tier));
    all.dedup_by_key(|b| b.cursor);
    let mut kept: Vec<usize> = Vec::new();
    for tier in [Tier::Outcome, Tier::Decision, Tier::Detail] {
        let of_tier: Vec<usize> = all
            .iter()
            .filter(|b| b.tier == tier)
            .map(|b| b.cursor)
            .collect();
        let room = budget.saturating_sub(kept.len());
        if of_tier.len() <= room {
            kept.extend(of_tier);
            continue;
        }
        // Evenly spread picks of this tier fill the room left (the end is always kept).
        kept.extend(spread(&of_tier, room, tier == Tier::Outcome));
        break;
    }
    kept.sort_unstable();
    kept.dedup();
    kept
}

/// `room` of `items`, evenly spread; with `keep_last`, the last item is one of them.
fn spread(items: &[usize], room: usize, keep_last: bool) -> Vec<usize> {
    if room == 0 || items.is_empty() {
        return Vec::new();
    }
    let n = items.len();
    (1..=room)
        .map(|k| {
            let i = if keep_last {
                (k * n).div_ceil(room) - 1
            } else {
                (k * n) / (room + 1)
            };
            items[i.min(n - 1)]
        })
        .collect()
}

/// The beats of a trace with no better knowledge: every coarse step a decision, every
/// scrubber marker an outcome.
pub fn from_steps(coarse: &[usize], markers: &[usize]) -> Vec<Beat> {
    coarse
        .iter()
        .map(|&i| Beat::after(i, Tier::Decision))
        .chain(markers.iter().map(|&i| Beat::after(i, Tier::Outcome)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choose_keeps_outcomes_then_spreads_decisions_within_the_budget() {
        let mut beats: Vec<Beat> = (0..100).map(|i| Beat::after(i, Tier::Decision)).collect();
        beats.push(Beat::after(49, Tier::Outcome));
        let c = choose(&beats, 100, 6);
        assert_eq!(c.len(), 6, "{c:?}");
        assert!(c.contains(&50) && c.contains(&100), "{c:?}");
        assert!(c.windows(2).all(|w| w[0] < w[1]));
        // Everything fits: every beat.
        assert_eq!(choose(&beats, 100, 1000).len(), 100);
        // Too many outcomes: spread, the end kept.
        let outs: Vec<Beat> = (0..50).map(|i| Beat::after(i * 2, Tier::Outcome)).collect();
        let c = choose(&outs, 100, 4);
        assert_eq!(c.len(), 4);
        assert_eq!(*c.last().unwrap(), 100);
        assert!(choose(&[], 0, 5).is_empty());
        assert_eq!(choose(&[], 7, 5), vec![7]);
    }
}
