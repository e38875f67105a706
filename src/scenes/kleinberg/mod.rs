//! Kleinberg's small world (`kleinberg`): a lattice whose nodes know their lattice neighbours
//! and q long links drawn ∝ d^−r, and greedy routing from a source to a target, hop by hop —
//! the result NSW and HNSW build on: short paths exist in many graphs, greedy routing *finds*
//! them only when r equals the dimension. The sweep of r at several sides (on background
//! threads), the plots, and Milgram's letters with their drop-outs.

mod charts;
mod frame;
pub mod job;
mod panel;

use crate::engine::rng::{SplitMix64, nth};
use crate::engine::smallworld::Hops;
use crate::engine::smallworld::kleinberg::{Kleinberg, KleinbergParams, Lattice, Node, RouteEvent};
use crate::render::{Frame, Palette, Style};
use crate::scenes::playback::Playback;
use crate::scenes::registry::SceneEntry;
use crate::scenes::worker::Worker;
use crate::scenes::{
    Button, Click, Counter, Narration, Reaction, Scene, SceneAction, SceneInfo, Shared, any_scene,
    info_and_settings, key_of,
};
use crate::trace::player::Player;
use crate::trace::{MarkerKind, Recording, Replay, Replayed};
pub use job::{KSweep, Letters, SweepJob};

pub static INFO: SceneInfo = SceneInfo {
    id: "kleinberg",
    name: "Kleinberg",
    key: '7',
    blurb: "Kleinberg's lattice with long links drawn ∝ d^−r and greedy routing hop by hop; the sweep of r at lattice sides up to 100,000 shows why only r = the dimension is navigable, and Milgram's letters why completed chains look short.",
    own_space: true,
    examples: &[],
};

pub const ENTRY: SceneEntry = SceneEntry {
    info: &INFO,
    make: || Box::new(KleinbergScene::default()),
    panel: crate::scenes::panel_of::<KleinbergScene>,
};

/// Most letters sent at once.
pub const MAX_LETTERS: u64 = 5_000;
/// Largest side Milgram's letters travel on (a 2-D lattice; a ring may be 100 times longer):
/// every letter's whole route is walked on the window's thread.
pub const LETTERS_SIDE: u64 = 1_000;
/// Most hops of a route recorded for the animation.
pub const MAX_RECORDED_HOPS: usize = 200_000;

/// What the canvas shows.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum KView {
    /// The lattice and the route.
    #[default]
    Route,
    HopsAgainstR,
    HopsAgainstN,
    BestR,
    Letters,
    /// NSW's link lengths against the law.
    NswLinks,
    /// The link length of each hop of greedy walks on NSW.
    NswWalk,
}

impl KView {
    pub const ALL: [KView; 7] = [
        KView::Route,
        KView::HopsAgainstR,
        KView::HopsAgainstN,
        KView::BestR,
        KView::Letters,
        KView::NswLinks,
        KView::NswWalk,
    ];

    pub fn name(self) -> &'static str {
        match self {
            KView::Route => "route",
            KView::HopsAgainstR => "hops against r",
            KView::HopsAgainstN => "hops against n",
            KView::BestR => "best r against side",
            KView::Letters => "Milgram's letters",
            KView::NswLinks => "NSW's links",
            KView::NswWalk => "a walk on NSW",
        }
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct KleinbergSettings {
    pub side: u64,
    pub lattice: Lattice,
    pub p: u32,
    pub q: u32,
    pub r: f64,
    pub seed: u64,
    /// Lattice coordinates (y is 0 on a ring).
    pub source: [u64; 2],
    pub target: [u64; 2],
    pub view: KView,
    pub sweep: KSweep,
    /// Mean hops measured by the last sweep (kept in the scene file).
    pub results: Vec<Hops>,
    /// Milgram: the chance a holder drops the letter, and the letters sent.
    pub dropout: f64,
    pub letters_sent: u64,
    pub letters: Option<Letters>,
}

impl Default for KleinbergSettings {
    fn default() -> Self {
        Self {
            side: 24,
            lattice: Lattice::Torus,
            p: 1,
            q: 1,
            r: 2.0,
            seed: 1,
            source: [2, 3],
            target: [17, 19],
            view: KView::Route,
            sweep: KSweep::default(),
            results: Vec::new(),
            dropout: 0.25,
            letters_sent: 1000,
            letters: None,
        }
    }
}

impl std::hash::Hash for KleinbergSettings {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (self.side, self.lattice, self.p, self.q, self.r.to_bits()).hash(h);
        (self.seed, self.source, self.target, self.view).hash(h);
        (self.results.len(), self.letters.as_ref().map(|l| l.sent)).hash(h);
    }
}

/// A recorder that keeps the first [`MAX_RECORDED_HOPS`] hops of a route.
#[derive(Default)]
struct Capped {
    events: Vec<RouteEvent>,
    dropped: bool,
}

impl crate::engine::Recorder<RouteEvent> for Capped {
    const ENABLED: bool = true;

    fn record(&mut self, e: RouteEvent) {
        if self.events.len() < MAX_RECORDED_HOPS {
            self.events.push(e);
        } else {
            self.dropped = true;
        }
    }
}

/// The hops of the route so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RouteState {
    pub hops: Vec<(Node, Node, bool)>,
}

impl Replay<RouteEvent> for RouteState {
    fn apply(&mut self, e: &RouteEvent) {
        let RouteEvent::Hop { from, to, long, .. } = *e;
        self.hops.push((from, to, long));
    }

    fn revert(&mut self, _e: &RouteEvent) {
        self.hops.pop();
    }
}

pub type RoutePlayback = Playback<Recording<RouteEvent>, Replayed<RouteState, RouteEvent>>;

pub struct KleinbergScene {
    pub settings: KleinbergSettings,
    pub lattice: Option<Kleinberg>,
    pub play: RoutePlayback,
    pub source: Node,
    pub target: Node,
    pub job: Option<SweepJob>,
    /// NSW's link lengths against the law (computed once: they depend on nothing here).
    pub nsw_links: Option<crate::engine::smallworld::LinkScales>,
    /// Bumped when results or letters arrive (the frame's key).
    generation: u64,
    /// The route was longer than [`MAX_RECORDED_HOPS`]: only its start is animated.
    pub truncated: bool,
    error: Option<String>,
    draws: u64,
}

impl Default for KleinbergScene {
    fn default() -> Self {
        Self {
            settings: KleinbergSettings::default(),
            lattice: None,
            play: Playback::new(Recording::default(), Player::default()),
            source: 0,
            target: 0,
            job: None,
            nsw_links: None,
            generation: 0,
            truncated: false,
            error: None,
            draws: 0,
        }
    }
}

impl KleinbergScene {
    pub fn params(&self) -> KleinbergParams {
        let s = &self.settings;
        KleinbergParams {
            side: s.side,
            lattice: s.lattice,
            p: s.p,
            q: s.q,
            r: s.r,
            seed: s.seed,
        }
    }

    pub fn state(&self) -> &RouteState {
        &self.play.state.inner
    }

    /// The node at the cursor: the source, or where the last hop arrived.
    pub fn current(&self) -> Node {
        self.state().hops.last().map_or(self.source, |h| h.1)
    }

    fn node_of(&self, k: &Kleinberg, [x, y]: [u64; 2]) -> Node {
        let side = k.params().side;
        let y = if k.params().lattice == Lattice::Ring {
            0
        } else {
            y % side
        };
        k.node(x % side, y)
    }

    /// The finished sweep's rows join the settings; returns whether anything changed.
    pub fn poll(&mut self) -> bool {
        let Some((rows, error)) = Worker::take_finished(&mut self.job) else {
            return false;
        };
        self.error = error;
        if !rows.is_empty() {
            self.settings.results = rows;
            if self.settings.view == KView::Route {
                self.settings.view = KView::HopsAgainstR;
            }
        }
        self.generation += 1;
        true
    }

    /// Starts the sweep of r (cancelling one that runs).
    pub fn run_sweep(&mut self) {
        self.job = None;
        match job::start_sweep(self.params(), &self.settings.sweep) {
            Ok(j) => self.job = Some(j),
            Err(e) => self.error = Some(e),
        }
    }

    /// Sends the letters of Milgram's experiment on the lattice on show (at most
    /// [`LETTERS_SIDE`] a side, so the window stays responsive).
    pub fn send_letters(&mut self) {
        let cap = if self.settings.lattice == Lattice::Ring {
            LETTERS_SIDE * 100
        } else {
            LETTERS_SIDE
        };
        let params = KleinbergParams {
            side: self.settings.side.min(cap),
            ..self.params()
        };
        match Kleinberg::new(params) {
            Ok(k) => {
                let sent = self.settings.letters_sent.clamp(1, MAX_LETTERS);
                self.settings.letters = Some(job::send_letters(
                    &k,
                    sent,
                    self.settings.dropout,
                    self.settings.seed,
                ));
                self.settings.view = KView::Letters;
                self.generation += 1;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// The dimension of the lattice the results were measured on (the navigable r).
    pub fn results_dim(&self) -> u32 {
        self.settings
            .results
            .first()
            .map_or(self.settings.lattice, |h| h.lattice)
            .dim()
    }

    /// (ln n)² for the lattice on show.
    pub fn log2_n(&self) -> f64 {
        self.lattice
            .as_ref()
            .map_or(0.0, |k| (k.nodes() as f64).ln().powi(2))
    }
}

impl Scene for KleinbergScene {
    info_and_settings!(settings);

    fn uses_shared_data(&self) -> bool {
        false
    }

    fn runs(&self) -> bool {
        true
    }

    /// The view on show with nothing measured yet: a clicker's "next" sends the letters or
    /// runs the sweep of r.
    fn next_work(&self) -> Option<SceneAction> {
        let s = &self.settings;
        let empty = match s.view {
            KView::Letters => s.letters.is_none(),
            KView::HopsAgainstR | KView::HopsAgainstN | KView::BestR => s.results.is_empty(),
            _ => false,
        };
        (empty && self.job.is_none()).then_some(SceneAction::Run)
    }

    fn busy(&self) -> bool {
        self.job.is_some()
    }

    fn build(&mut self, _shared: &Shared) {
        self.error = None;
        if self.nsw_links.is_none() {
            self.nsw_links = crate::engine::smallworld::nsw_link_scales(2_000, 6, 1).ok();
        }
        match Kleinberg::new(self.params()) {
            Ok(k) => {
                self.source = self.node_of(&k, self.settings.source);
                self.target = self.node_of(&k, self.settings.target);
                let mut log = Capped::default();
                k.route(self.source, self.target, &mut log);
                self.truncated = log.dropped;
                let player = self.play.player.clone();
                self.play = Playback::new(Recording::new(log.events, |_| true), player);
                self.lattice = Some(k);
            }
            Err(e) => {
                self.error = Some(e.to_string());
                self.lattice = None;
                self.play = Playback::new(Recording::default(), self.play.player.clone());
            }
        }
    }

    fn query_moved(&mut self, _shared: &Shared) {}

    fn error(&self) -> Option<String> {
        self.error.clone()
    }

    /// The route plays on the lattice; the charts and the letters have no steps.
    fn steps(&self) -> Option<(&Player, &dyn crate::trace::Steps)> {
        (self.settings.view == KView::Route).then(|| self.play.steps())
    }

    fn command(&mut self, cmd: crate::trace::player::Command) {
        self.play.command(cmd);
    }

    /// Also collects a finished sweep (and keeps redrawing while one runs).
    fn tick(&mut self, dt: f32) -> bool {
        let done = self.poll();
        self.play.tick(dt) || done || self.job.is_some()
    }

    fn markers(&self) -> Vec<(usize, MarkerKind)> {
        let n = self.play.trace.events.len();
        if n == 0 {
            Vec::new()
        } else {
            vec![(n - 1, MarkerKind::Found)]
        }
    }

    fn frame(&self, shared: &Shared, palette: Palette, style: Style) -> Frame {
        frame::frame(self, shared, palette, style)
    }

    fn frame_key(&self) -> u64 {
        key_of(&(
            self.play.state.cursor,
            self.play.trace.events.as_ptr() as usize,
            &self.settings,
            self.job.is_some(),
            self.generation,
        ))
    }

    fn narration(&self, _shared: &Shared) -> Narration {
        frame::narrate(self)
    }

    fn pseudocode(&self) -> &'static [&'static str] {
        frame::PSEUDOCODE
    }

    fn counters(&self, _shared: &Shared) -> Vec<Counter> {
        let Some(k) = self.lattice.as_ref() else {
            return Vec::new();
        };
        let st = self.state();
        let long = st.hops.iter().filter(|h| h.2).count();
        let mut c = vec![
            Counter::new("hops", st.hops.len(), true),
            Counter::new("over long links", long, true),
            Counter::new(
                "lattice distance left",
                k.distance(self.current(), self.target),
                true,
            ),
            Counter::new(
                "lattice distance at the start",
                k.distance(self.source, self.target),
                false,
            ),
            Counter::new("nodes", crate::engine::scaling::thousands(k.nodes()), false),
            Counter::new("(ln n)²", format!("{:.0}", self.log2_n()), false),
        ];
        if !self.settings.results.is_empty() {
            c.push(Counter::new(
                "measurements",
                self.settings.results.len(),
                false,
            ));
        }
        c
    }

    fn click(&mut self, _shared: &Shared, click: &Click) -> Reaction {
        if self.settings.view != KView::Route || click.button != Button::Primary {
            return Reaction::default();
        }
        let Some(k) = self.lattice.as_ref() else {
            return Reaction::default();
        };
        let Some(at) = frame::node_at(k, click.pos_in_world) else {
            return Reaction::default();
        };
        let xy = [at % k.params().side, at / k.params().side];
        if click.shift {
            self.settings.source = xy;
        } else {
            self.settings.target = xy;
        }
        self.build(_shared);
        Reaction::default()
    }

    fn hover(&mut self, _shared: &Shared, pos: Option<[f32; 2]>, _radius: f32) -> Option<String> {
        if self.settings.view != KView::Route {
            return None;
        }
        let k = self.lattice.as_ref()?;
        let u = frame::node_at(k, pos?)?;
        let (x, y) = k.coords(u);
        Some(format!(
            "node ({x}, {y})\n{} lattice steps from the target",
            k.distance(u, self.target)
        ))
    }

    /// E: a random source and target; R: run the sweep; V: the next view.
    fn action(&mut self, shared: &Shared, action: SceneAction) -> Option<Reaction> {
        match action {
            SceneAction::Random => {
                let k = self.lattice.as_ref()?;
                self.draws += 1;
                let mut rng = SplitMix64::new(nth(self.settings.seed ^ 0x5EED, self.draws));
                let (s, t) = (k.random_node(&mut rng), k.random_node(&mut rng));
                let side = k.params().side;
                self.settings.source = [s % side, s / side];
                self.settings.target = [t % side, t / side];
                self.settings.view = KView::Route;
                self.build(shared);
                Some(Reaction::default())
            }
            // The experiment on show: the letters in their view, else the sweep of r.
            SceneAction::Run => {
                if self.settings.view == KView::Letters {
                    self.send_letters();
                } else {
                    self.run_sweep();
                }
                Some(Reaction::default())
            }
            SceneAction::NextView => {
                let i = KView::ALL
                    .iter()
                    .position(|v| *v == self.settings.view)
                    .unwrap_or(0);
                self.settings.view = KView::ALL[(i + 1) % KView::ALL.len()];
                Some(Reaction {
                    refit: true,
                    ..Reaction::default()
                })
            }
            _ => None,
        }
    }

    any_scene!();
}
