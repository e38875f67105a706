//! Brute force: the scan the seed lessons start from. Every point's distance to the query is
//! computed in id order, the best k so far kept in a bounded max-heap; exactly n distance
//! computations, O(n·d) per query — and again for every query.

pub mod frame;
mod panel;

use crate::engine::brute::{self, ScanEvent};
use crate::engine::rng::SplitMix64;
use crate::engine::{Dist, Log, PointId};
use crate::render::{Frame, Palette, Style};
use crate::scenes::info_and_settings;
use crate::scenes::playback::Playback;
use crate::scenes::registry::SceneEntry;
use crate::scenes::{
    Counter, Example, Narration, Reaction, Scene, SceneAction, SceneInfo, Shared, any_scene,
    key_of, play_through, point_near, settings_to,
};
use crate::trace::player::Player;
use crate::trace::{MarkerKind, Recording, Replay, Replayed, Steps};

pub static INFO: SceneInfo = SceneInfo {
    id: "brute-force",
    name: "Brute force",
    key: '1',
    blurb: "Scan every point, compute each distance, keep the best k in a bounded max-heap: exact, and exactly n distance computations for every query, O(n·d).",
    own_space: false,
    examples: &[Example {
        name: "Brute force: two queries on clusters, k = 5",
        json: include_str!("../../../assets/scenes/brute-force-clusters.json"),
    }],
};

pub const ENTRY: SceneEntry = SceneEntry {
    info: &INFO,
    make: || Box::new(BruteForce::default()),
    panel: crate::scenes::panel_of::<BruteForce>,
};

#[derive(Clone, Copy, Debug, PartialEq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct BruteSettings {
    /// Answers wanted: the heap's size.
    pub k: usize,
    /// Queries scanned one after another: the shared query, then seeded random ones.
    pub queries: u16,
}

impl Default for BruteSettings {
    fn default() -> Self {
        Self { k: 3, queries: 1 }
    }
}

/// One query's scan at the cursor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScanState {
    pub query: u16,
    /// Distances computed so far, in scan order.
    pub dists: Vec<(PointId, f32)>,
    /// The best k so far, nearest first.
    pub best: Vec<(PointId, f32)>,
    pub done: bool,
}

/// What the events up to the cursor have done.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BruteState {
    pub scans: Vec<ScanState>,
    pub distance_computations: u64,
}

fn insert_sorted(v: &mut Vec<(PointId, f32)>, node: PointId, dist: f32) {
    let pos = v
        .iter()
        .position(|&(id, d)| d.total_cmp(&dist).then(id.cmp(&node)).is_gt())
        .unwrap_or(v.len());
    v.insert(pos, (node, dist));
}

fn remove(v: &mut Vec<(PointId, f32)>, node: PointId) {
    if let Some(i) = v.iter().position(|&(id, _)| id == node) {
        v.remove(i);
    }
}

impl Replay<ScanEvent> for BruteState {
    fn apply(&mut self, e: &ScanEvent) {
        match *e {
            ScanEvent::Query { query } => self.scans.push(ScanState {
                query,
                ..ScanState::default()
            }),
            ScanEvent::Enter {
                node,
                dist,
                evicted,
            } => {
                if let Some(s) = self.scans.last_mut() {
                    s.dists.push((node, dist));
                    insert_sorted(&mut s.best, node, dist);
                    if let Some((id, _)) = evicted {
                        remove(&mut s.best, id);
                    }
                }
                self.distance_computations += 1;
            }
            ScanEvent::Skip { node, dist, .. } => {
                if let Some(s) = self.scans.last_mut() {
                    s.dists.push((node, dist));
                }
                self.distance_computations += 1;
            }
            ScanEvent::Done { .. } => {
                if let Some(s) = self.scans.last_mut() {
                    s.done = true;
                }
            }
        }
    }

    fn revert(&mut self, e: &ScanEvent) {
        match *e {
            ScanEvent::Query { .. } => {
                self.scans.pop();
            }
            ScanEvent::Enter { node, evicted, .. } => {
                if let Some(s) = self.scans.last_mut() {
                    s.dists.pop();
                    remove(&mut s.best, node);
                    if let Some((id, d)) = evicted {
                        insert_sorted(&mut s.best, id, d);
                    }
                }
                self.distance_computations -= 1;
            }
            ScanEvent::Skip { .. } => {
                if let Some(s) = self.scans.last_mut() {
                    s.dists.pop();
                }
                self.distance_computations -= 1;
            }
            ScanEvent::Done { .. } => {
                if let Some(s) = self.scans.last_mut() {
                    s.done = false;
                }
            }
        }
    }
}

pub type BrutePlayback = Playback<Recording<ScanEvent>, Replayed<BruteState, ScanEvent>>;

pub struct BruteForce {
    pub settings: BruteSettings,
    /// The queries scanned, in order (the first is the shared query).
    pub queries: Vec<[f32; 2]>,
    /// Each query's answer, from the same scan (the fast path), for the tables.
    pub answers: Vec<Vec<(PointId, f32)>>,
    pub play: BrutePlayback,
    /// Coordinates per point (the "d" of O(n·d)).
    pub dim: usize,
    n: usize,
    error: Option<String>,
    /// Random queries drawn with E.
    draws: u64,
}

impl Default for BruteForce {
    fn default() -> Self {
        Self {
            settings: BruteSettings::default(),
            queries: Vec::new(),
            answers: Vec::new(),
            play: Playback::new(Recording::default(), Player::default()),
            dim: 2,
            n: 0,
            error: None,
            draws: 0,
        }
    }
}

/// The extra queries: seeded, inside the data's bounds (see `spread_bounds`).
pub fn extra_queries(shared: &Shared, count: usize) -> Vec<[f32; 2]> {
    let (lo, hi) = crate::scenes::spread_bounds(shared.points);
    let mut rng = SplitMix64::new(shared.seed ^ 0x0BF0_5CA9);
    (0..count)
        .map(|_| {
            [
                lo[0] + (hi[0] - lo[0]) * rng.unit_f32(),
                lo[1] + (hi[1] - lo[1]) * rng.unit_f32(),
            ]
        })
        .collect()
}

impl BruteForce {
    /// The scan on show at the cursor.
    pub fn scan(&self) -> Option<&ScanState> {
        self.play.state.inner.scans.last()
    }

    pub fn state(&self) -> &BruteState {
        &self.play.state.inner
    }

    /// The event that brought the state to the cursor.
    pub fn last_event(&self) -> Option<&ScanEvent> {
        self.play
            .state
            .cursor
            .checked_sub(1)
            .and_then(|i| self.play.trace.events.get(i))
    }

    pub fn n(&self) -> usize {
        self.n
    }
}

impl Scene for BruteForce {
    info_and_settings!(settings);

    fn migrate_v1(&self, flat: &serde_json::Value) -> Option<serde_json::Value> {
        let d = BruteSettings::default();
        Some(settings_to(&BruteSettings {
            k: flat["k"].as_u64().map_or(d.k, |v| v as usize),
            ..d
        }))
    }

    fn build(&mut self, shared: &Shared) {
        if shared.points.projected() {
            self.queries.clear();
            self.answers.clear();
            self.error = Some(format!(
                "brute force scans queries placed in the plane; these points have {} dimensions (NSW, greedy search, HNSW and Annoy search them; set the dimensions to 2 here)",
                shared.points.dim()
            ));
            let player = self.play.player.clone();
            self.play = Playback::new(Recording::default(), player);
            return;
        }
        // k from a file may be anything: at least 1, at most every point.
        let k = self.settings.k.clamp(1, shared.points.len().max(1));
        let count = usize::from(self.settings.queries.clamp(1, 20));
        self.queries = std::iter::once(shared.query)
            .chain(extra_queries(shared, count - 1))
            .collect();
        self.n = shared.points.len();
        self.dim = shared.points.dim();
        let mut log = Log::default();
        self.answers.clear();
        self.error = None;
        for (i, q) in self.queries.iter().enumerate() {
            let mut dist = Dist::new(shared.metric);
            match brute::scan(shared.points, &mut dist, q, k, i as u16, &mut log) {
                Ok(a) => self.answers.push(a),
                Err(e) => {
                    self.error = Some(e.to_string());
                    break;
                }
            }
        }
        let player = self.play.player.clone();
        self.play = Playback::new(Recording::new(log.events, ScanEvent::is_coarse), player);
    }

    fn error(&self) -> Option<String> {
        self.error.clone()
    }

    play_through!(play);

    fn markers(&self) -> Vec<(usize, MarkerKind)> {
        self.play
            .trace
            .events
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                ScanEvent::Query { .. } => Some((i, MarkerKind::Entry)),
                ScanEvent::Done { .. } => Some((i, MarkerKind::Found)),
                _ => None,
            })
            .collect()
    }

    fn frame(&self, shared: &Shared, palette: Palette, style: Style) -> Frame {
        frame::frame(self, shared, palette, style)
    }

    fn frame_key(&self) -> u64 {
        key_of(&(
            self.play.state.cursor,
            self.play.trace.events.as_ptr() as usize,
            self.play.trace.len(),
            self.settings,
        ))
    }

    fn narration(&self, shared: &Shared) -> Narration {
        frame::narrate(self, shared)
    }

    fn pseudocode(&self) -> &'static [&'static str] {
        frame::PSEUDOCODE
    }

    fn counters(&self, _shared: &Shared) -> Vec<Counter> {
        let st = self.state();
        let this = self.scan().map_or(0, |s| s.dists.len());
        let mut c = vec![
            Counter::new("distance computations, this query", this, true),
            Counter::new(
                "distance computations, all queries",
                st.distance_computations,
                true,
            ),
            Counter::new(
                "queries scanned",
                format!("{} / {}", st.scans.len(), self.queries.len()),
                false,
            ),
            Counter::new(
                "cost per query",
                format!("n·d = {} × {} coordinates", self.n, self.dim),
                false,
            ),
        ];
        if let Some(s) = self.scan() {
            c.push(Counter::new(
                "best k so far",
                format!("{} of k = {}", s.best.len(), self.settings.k),
                false,
            ));
        }
        c
    }

    fn hover(&mut self, shared: &Shared, pos: Option<[f32; 2]>, radius: f32) -> Option<String> {
        let id = point_near(shared.points, pos?, radius)?;
        let p = shared.points.xy(id);
        // The distance to the query being scanned (the batch may hold several).
        let q = self
            .scan()
            .and_then(|sc| self.queries.get(usize::from(sc.query)))
            .copied()
            .unwrap_or(shared.query);
        let d = shared.metric.eval(shared.points.get(id), &q);
        Some(format!(
            "point {id} at ({:.3}, {:.3})\ndistance to the query: {:.3}",
            p[0],
            p[1],
            crate::scenes::Dist(d)
        ))
    }

    fn grabs_query(&self) -> bool {
        true
    }

    /// E: move the query to a seeded random place (the scan starts again).
    fn action(&mut self, shared: &Shared, action: SceneAction) -> Option<Reaction> {
        match action {
            SceneAction::Random => {
                self.draws += 1;
                let q = extra_queries(
                    &Shared {
                        seed: crate::engine::rng::nth(shared.seed, self.draws),
                        ..*shared
                    },
                    1,
                );
                q.first().map(|&q| Reaction::query(q))
            }
            _ => None,
        }
    }

    any_scene!();
}
