//! Watts–Strogatz (`watts-strogatz`): a ring of N nodes each joined to its K nearest, every
//! edge's far end rewired with probability p, edge by edge; the clustering C and the mean path
//! length L of the graph at every step beside the ring's closed forms; the shortest path
//! between two clicked nodes; and the classic figure, C(p)/C(0) and L(p)/L(0) over log-spaced
//! p averaged over realizations, measured on a background thread.

mod frame;
mod panel;

use crate::engine::Log;
use crate::engine::smallworld::watts_strogatz::{self as ws, WsEvent, WsGraph, WsParams, WsRow};
use crate::render::{Frame, Palette, Style};
use crate::scenes::playback::Playback;
use crate::scenes::registry::SceneEntry;
use crate::scenes::worker::Worker;
use crate::scenes::{
    Button, Click, Counter, Narration, Reaction, Scene, SceneAction, SceneInfo, Shared, any_scene,
    info_and_settings, key_of,
};
use crate::trace::player::{Command, Player};
use crate::trace::{Recording, Replay, Replayed, Steps};

pub static INFO: SceneInfo = SceneInfo {
    id: "watts-strogatz",
    name: "Watts–Strogatz",
    key: '8',
    blurb: "A ring of N nodes joined to their K nearest, each edge rewired with probability p, edge by edge: a few random links make paths short while neighbourhoods stay clustered; C(p)/C(0) and L(p)/L(0), the classic figure.",
    own_space: true,
    examples: &[],
};

pub const ENTRY: SceneEntry = SceneEntry {
    info: &INFO,
    make: || Box::new(WattsStrogatz::default()),
    panel: crate::scenes::panel_of::<WattsStrogatz>,
};

/// Largest ring the scene draws and measures at every step.
pub const MAX_N: usize = 2_000;

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum WsView {
    /// The ring being rewired.
    #[default]
    Ring,
    /// C(p)/C(0) and L(p)/L(0).
    Figure,
}

/// The classic figure's sweep.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct WsSweep {
    pub n: usize,
    pub k: usize,
    /// Log-spaced p from 10^lo to 1, `steps` of them.
    pub decades: u32,
    pub per_decade: u32,
    pub runs: usize,
}

impl Default for WsSweep {
    fn default() -> Self {
        Self {
            n: 1000,
            k: 10,
            decades: 4,
            per_decade: 3,
            runs: 10,
        }
    }
}

impl WsSweep {
    /// 10^−decades … 1, `per_decade` a decade.
    pub fn ps(&self) -> Vec<f64> {
        let (decades, per) = (self.decades.clamp(1, 8), self.per_decade.clamp(1, 10));
        (0..=decades * per)
            .map(|i| 10f64.powf(-f64::from(decades) + f64::from(i) / f64::from(per)))
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct WsSettings {
    pub n: usize,
    pub k: usize,
    pub p: f64,
    pub seed: u64,
    /// The two nodes whose shortest path is drawn.
    pub path: Option<[u32; 2]>,
    pub view: WsView,
    pub sweep: WsSweep,
    pub results: Vec<WsRow>,
}

impl Default for WsSettings {
    fn default() -> Self {
        Self {
            n: 40,
            k: 4,
            p: 0.1,
            seed: 1,
            path: Some([0, 20]),
            view: WsView::Ring,
            sweep: WsSweep::default(),
            results: Vec::new(),
        }
    }
}

impl std::hash::Hash for WsSettings {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (
            self.n,
            self.k,
            self.p.to_bits(),
            self.seed,
            self.path,
            self.view,
        )
            .hash(h);
        self.results.len().hash(h);
    }
}

/// The graph at the cursor: the ring with the rewirings so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RingState {
    pub adj: Vec<Vec<u32>>,
    pub rewired: Vec<(u32, u32)>,
    pub considered: usize,
}

impl Replay<WsEvent> for RingState {
    fn apply(&mut self, e: &WsEvent) {
        let WsEvent::Edge { node, old, new, .. } = *e;
        self.considered += 1;
        if let Some(w) = new {
            move_end(&mut self.adj, node, old, w);
            self.rewired.push((node, w));
        }
    }

    fn revert(&mut self, e: &WsEvent) {
        let WsEvent::Edge { node, old, new, .. } = *e;
        self.considered -= 1;
        if let Some(w) = new {
            move_end(&mut self.adj, node, w, old);
            self.rewired.pop();
        }
    }
}

/// Node `a`'s edge to `from` now goes to `to`.
fn move_end(adj: &mut [Vec<u32>], a: u32, from: u32, to: u32) {
    let mut set = |x: u32, remove: u32, add: u32| {
        if let Some(l) = adj.get_mut(x as usize) {
            l.retain(|&v| v != remove);
            if let Err(i) = l.binary_search(&add) {
                l.insert(i, add);
            }
        }
    };
    set(a, from, to);
    if let Some(l) = adj.get_mut(from as usize) {
        l.retain(|&v| v != a);
    }
    if let Some(l) = adj.get_mut(to as usize)
        && let Err(i) = l.binary_search(&a)
    {
        l.insert(i, a);
    }
}

pub type RingPlayback = Playback<Recording<WsEvent>, Replayed<RingState, WsEvent>>;

/// C and L of the graph at the cursor (measured when the cursor moves).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measured {
    pub cursor: usize,
    pub c: f64,
    pub l: f64,
}

/// The figure's sweep on its own thread: rows of C/C(0), L/L(0), progress in values of p.
pub type FigureJob = Worker<WsRow>;

fn start_figure(sweep: &WsSweep, seed: u64) -> Result<FigureJob, String> {
    let ps = sweep.ps();
    WsParams {
        n: sweep.n,
        k: sweep.k,
        p: 0.0,
        seed,
    }
    .check()
    .map_err(|e| e.to_string())?;
    let (n, k, runs) = (
        sweep.n.min(ws::MAX_SWEEP_N),
        sweep.k,
        sweep.runs.clamp(1, 100),
    );
    Worker::spawn("watts-strogatz sweep", ps.len() as u64, move |rep| {
        ws::sweep_each(n, k, &ps, runs, seed, &rep.cancel, |row| {
            rep.push(row);
            rep.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        })
        .map_err(|e| e.to_string())
    })
}

pub struct WattsStrogatz {
    pub settings: WsSettings,
    pub play: RingPlayback,
    /// The ring before rewiring: C(0), L(0) measured.
    pub c0: f64,
    pub l0: f64,
    pub measured: Measured,
    pub job: Option<FigureJob>,
    /// Bumped when results arrive (the frame's key).
    generation: u64,
    error: Option<String>,
}

impl Default for WattsStrogatz {
    fn default() -> Self {
        Self {
            settings: WsSettings::default(),
            play: Playback::new(Recording::default(), Player::default()),
            c0: 0.0,
            l0: 0.0,
            measured: Measured::default(),
            job: None,
            generation: 0,
            error: None,
        }
    }
}

impl WattsStrogatz {
    pub fn state(&self) -> &RingState {
        &self.play.state.inner
    }

    fn params(&self) -> WsParams {
        let s = &self.settings;
        let n = s.n.clamp(6, MAX_N);
        WsParams {
            n,
            k: s.k.clamp(4, 20).min((n - 1) & !1),
            p: s.p,
            seed: s.seed,
        }
    }

    /// C and L of the graph at the cursor, measured again if the cursor moved.
    fn measure(&mut self) {
        let cursor = self.play.state.cursor;
        if self.measured.cursor == cursor && self.measured.l > 0.0 {
            return;
        }
        let adj = &self.play.state.inner.adj;
        // On this thread: a running sweep may hold every core of the shared pool.
        self.measured = Measured {
            cursor,
            c: ws::clustering(adj),
            l: ws::mean_path_length_here(adj),
        };
    }

    /// The shortest path between the two chosen nodes on the graph at the cursor.
    pub fn path(&self) -> Option<Vec<u32>> {
        let [a, b] = self.settings.path?;
        let adj = &self.state().adj;
        ((a as usize) < adj.len() && (b as usize) < adj.len())
            .then(|| ws::shortest_path(adj, a as usize, b as usize))
            .flatten()
    }

    pub fn poll(&mut self) -> bool {
        let Some((rows, error)) = Worker::take_finished(&mut self.job) else {
            return false;
        };
        self.error = error;
        if !rows.is_empty() {
            self.settings.results = rows;
            self.settings.view = WsView::Figure;
        }
        self.generation += 1;
        true
    }

    pub fn run_sweep(&mut self) {
        self.job = None;
        match start_figure(&self.settings.sweep, self.settings.seed) {
            Ok(j) => self.job = Some(j),
            Err(e) => self.error = Some(e),
        }
    }
}

impl Scene for WattsStrogatz {
    info_and_settings!(settings);

    fn max_points(&self) -> usize {
        MAX_N
    }

    fn uses_shared_data(&self) -> bool {
        false
    }

    fn runs(&self) -> bool {
        true
    }

    /// The figure on show with no sweep yet: a clicker's "next" runs it.
    fn next_work(&self) -> Option<SceneAction> {
        (self.settings.view == WsView::Figure
            && self.settings.results.is_empty()
            && self.job.is_none())
        .then_some(SceneAction::Run)
    }

    fn busy(&self) -> bool {
        self.job.is_some()
    }

    fn build(&mut self, _shared: &Shared) {
        self.error = None;
        let params = self.params();
        let mut log: Log<WsEvent> = Log::default();
        match WsGraph::build_with(params, &mut log) {
            Ok(_) => {
                let ring = WsGraph::ring(params.n, params.k);
                self.c0 = ws::clustering(&ring);
                self.l0 = ws::mean_path_length_here(&ring);
                let player = self.play.player.clone();
                self.play = Playback::new(
                    Recording::new(log.events, |e| {
                        matches!(e, WsEvent::Edge { new: Some(_), .. })
                    }),
                    player,
                );
                self.play.state.inner = RingState {
                    adj: ring,
                    ..RingState::default()
                };
                self.measured = Measured::default();
                self.measure();
            }
            Err(e) => {
                self.error = Some(e.to_string());
                self.play = Playback::new(Recording::default(), self.play.player.clone());
                self.play.state.inner = RingState::default();
                (self.c0, self.l0, self.measured) = (0.0, 0.0, Measured::default());
            }
        }
    }

    fn query_moved(&mut self, _shared: &Shared) {}

    fn error(&self) -> Option<String> {
        self.error.clone()
    }

    /// The rewiring plays on the ring; the classic figure has no steps.
    fn steps(&self) -> Option<(&Player, &dyn Steps)> {
        (self.settings.view == WsView::Ring).then(|| self.play.steps())
    }

    fn command(&mut self, cmd: Command) {
        self.play.command(cmd);
        self.measure();
    }

    fn tick(&mut self, dt: f32) -> bool {
        let done = self.poll();
        let moved = self.play.tick(dt);
        if moved {
            self.measure();
        }
        moved || done || self.job.is_some()
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
        let st = self.state();
        let m = self.measured;
        let (n, k) = (self.params().n, self.params().k);
        let mut c = vec![
            Counter::new(
                "edges rewired",
                format!("{} of {} considered", st.rewired.len(), st.considered),
                true,
            ),
            Counter::new("C / C(0)", format!("{:.3}", m.c / self.c0.max(1e-12)), true),
            Counter::new("L / L(0)", format!("{:.3}", m.l / self.l0.max(1e-12)), true),
            Counter::new(
                "C(0): measured, 3(K−2)/(4(K−1))",
                format!("{:.4}, {:.4}", self.c0, ws::clustering_0(k)),
                false,
            ),
            Counter::new(
                "L(0): measured, ≈ N/(2K)",
                format!("{:.2}, {:.2}", self.l0, ws::path_length_0(n, k)),
                false,
            ),
        ];
        if let Some(p) = self.path() {
            c.push(Counter::new(
                "the path's hops",
                p.len().saturating_sub(1),
                true,
            ));
        }
        c
    }

    fn click(&mut self, _shared: &Shared, click: &Click) -> Reaction {
        if self.settings.view != WsView::Ring || click.button != Button::Primary {
            return Reaction::default();
        }
        let Some(u) = frame::node_at(self.params().n, click.pos_in_world) else {
            return Reaction::default();
        };
        let [a, b] = self.settings.path.unwrap_or([u, u]);
        self.settings.path = Some(if click.shift { [u, b] } else { [a, u] });
        Reaction::default()
    }

    fn hover(&mut self, _shared: &Shared, pos: Option<[f32; 2]>, _radius: f32) -> Option<String> {
        if self.settings.view != WsView::Ring {
            return None;
        }
        let u = frame::node_at(self.params().n, pos?)?;
        let links = self.state().adj.get(u as usize)?;
        Some(format!(
            "node {u}: {} links ({})",
            links.len(),
            links
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }

    fn action(&mut self, _shared: &Shared, action: SceneAction) -> Option<Reaction> {
        match action {
            SceneAction::Run => {
                self.run_sweep();
                Some(Reaction::default())
            }
            SceneAction::NextView => {
                self.settings.view = match self.settings.view {
                    WsView::Ring => WsView::Figure,
                    WsView::Figure => WsView::Ring,
                };
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
