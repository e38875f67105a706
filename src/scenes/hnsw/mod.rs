//! HNSW (Malkov & Yashunin): the layers stacked as planes, animated search, insertion,
//! hard delete and move, the same query at two `ef`s, and per-layer graph facts.

pub mod frame;
pub mod index;
mod narration;
mod panel;
pub mod stack;

use crate::engine::Metric;
use crate::engine::PointId;
use crate::engine::hnsw::HnswParams;
use crate::render::{Frame, Palette, Style};
use crate::scenes::graph_walk::narrate;
use crate::scenes::registry::SceneEntry;
use crate::scenes::{
    Button, Click, Counter, Example, Narration, Reaction, Scene, SceneAction, SceneInfo, Shared,
    any_scene, key_of, settings_from, settings_to,
};
use crate::trace::player::{Command, Player};
use crate::trace::{Algo, MarkerKind, Steps};
pub use frame::StackView;
pub use index::{HnswEdit, HnswOp, HnswScene, layer_detail, level_share};

pub static INFO: SceneInfo = SceneInfo {
    id: "hnsw",
    name: "HNSW",
    key: '5',
    blurb: "Hierarchical NSW as in Malkov & Yashunin: stacked layers, the search dropping from highways to streets, animated insertion with the neighbour heuristic, hard delete and move.",
    own_space: true,
    examples: &[Example {
        name: "HNSW: clusters",
        json: include_str!("../../../assets/scenes/hnsw-clusters.json"),
    }],
};

pub const ENTRY: SceneEntry = SceneEntry {
    info: &INFO,
    make: || Box::new(Hnsw::default()),
    panel: crate::scenes::panel_of::<Hnsw>,
};

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct HnswSettings {
    /// `M` (Mmax = M, Mmax0 = 2·M).
    #[serde(rename = "M")]
    pub m: usize,
    pub ef_construction: usize,
    /// mL as a multiple of 1/ln M.
    pub ml_factor: f64,
    pub heuristic: bool,
    pub extend_candidates: bool,
    pub keep_pruned: bool,
    /// Search width, and a second width for the side-by-side comparison.
    pub ef: usize,
    pub ef2: usize,
    /// Answers wanted.
    pub k: usize,
    pub stack: StackView,
    /// Ring the nodes no search from the entry point can reach.
    pub ring_unreachable: bool,
}

impl Default for HnswSettings {
    fn default() -> Self {
        Self {
            m: 5,
            ef_construction: 64,
            ml_factor: 1.0,
            heuristic: true,
            extend_candidates: false,
            keep_pruned: false,
            ef: 8,
            ef2: 32,
            k: 1,
            stack: StackView::default(),
            ring_unreachable: false,
        }
    }
}

impl HnswSettings {
    pub fn params(&self, metric: Metric, seed: u64) -> HnswParams {
        let m = self.m.max(2);
        HnswParams {
            m,
            m_max: m,
            m_max0: 2 * m,
            ef_construction: self.ef_construction.max(1),
            ml: self.ml_factor.max(0.0) / (m as f64).ln(),
            heuristic: self.heuristic,
            extend_candidates: self.extend_candidates,
            keep_pruned: self.keep_pruned,
            metric,
            seed,
        }
    }
}

/// The scene file's section: the settings and the edits made in the window.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Section {
    #[serde(flatten)]
    settings: HnswSettings,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    edits: Vec<HnswEdit>,
}

#[derive(Default)]
pub struct Hnsw {
    pub settings: HnswSettings,
    pub state: Option<HnswScene>,
    /// Edits from a scene file, replayed at the next build.
    pending_edits: Vec<HnswEdit>,
    error: Option<String>,
}

impl Hnsw {
    fn rebuild(&mut self, shared: &Shared) {
        let params = self.settings.params(shared.metric, shared.seed);
        // The speed and detail carry over to the new index's playback.
        let player = self.play().map(|p| p.player.clone());
        match HnswScene::build(shared.points, params) {
            Ok(mut h) => {
                h.keep_player(player);
                self.state = Some(h);
                self.error = None;
                self.search(shared);
                let edits = std::mem::take(&mut self.pending_edits);
                if let Err(e) = self.replay(shared, &edits) {
                    self.error = Some(e);
                }
            }
            Err(e) => {
                self.state = None;
                self.error = Some(e.to_string());
            }
        }
    }

    /// Records the search for the current query.
    pub fn search(&mut self, shared: &Shared) {
        let s = self.settings;
        if let Some(h) = self.state.as_mut() {
            h.search(shared.query_vec, s.k, s.ef, s.ef2);
        }
    }

    /// Replays edits saved in a scene file. Refuses ids that do not exist or are already
    /// deleted, and points that are not finite.
    pub fn replay(&mut self, shared: &Shared, edits: &[HnswEdit]) -> Result<(), String> {
        for (i, e) in edits.iter().enumerate() {
            let Some(h) = self.state.as_mut() else {
                return Err("HNSW edits in a scene without an HNSW index".into());
            };
            let live = |id: u32| (id as usize) < h.index.len() && !h.index.is_removed(PointId(id));
            let finite = |p: &[f32; 2]| p[0].is_finite() && p[1].is_finite();
            match *e {
                HnswEdit::Insert(p) if finite(&p) => h.insert(p),
                HnswEdit::Delete(id) if live(id) => h.delete(PointId(id), None),
                HnswEdit::Move(id, p) if live(id) && finite(&p) => h.delete(PointId(id), Some(p)),
                HnswEdit::Search => self.search(shared),
                _ => return Err(format!("HNSW edit {} ({e:?}) does not apply", i + 1)),
            }
            if let Some(err) = self.state.as_ref().and_then(|h| h.error.clone()) {
                return Err(format!("HNSW edit {} ({e:?}): {err}", i + 1));
            }
        }
        Ok(())
    }

    /// Where a click on the canvas lands in the data plane of the layer on show.
    fn to_data(&self, pos_in_world: [f32; 2], aspect: f32) -> Option<[f32; 2]> {
        let stack = self.settings.stack;
        let h = self.state.as_ref()?;
        let top = self.top_drawn()?;
        Some(frame::to_data(
            stack,
            &h.xy,
            (top, aspect),
            pos_in_world,
            stack.flat.unwrap_or(0),
        ))
    }

    /// The top layer drawn: the index's, or one more while an insertion draws a new top.
    fn top_drawn(&self) -> Option<u8> {
        let h = self.state.as_ref()?;
        let drawn = self
            .play()
            .and_then(|p| p.state.levels_drawn.last().map(|l| l.1));
        Some((h.base().max_level() as u8).max(drawn.unwrap_or(0)))
    }

    fn play(&self) -> Option<&crate::scenes::playback::WalkPlayback> {
        self.state.as_ref().and_then(|h| h.play.as_ref())
    }
}

impl Scene for Hnsw {
    fn info(&self) -> &'static SceneInfo {
        &INFO
    }

    fn settings_json(&self) -> serde_json::Value {
        settings_to(&Section {
            settings: self.settings,
            edits: self
                .state
                .as_ref()
                .map_or_else(|| self.pending_edits.clone(), |h| h.edit_log()),
        })
    }

    fn load_settings(&mut self, v: &serde_json::Value) -> Result<(), String> {
        let s: Section = settings_from(v)?;
        self.settings = s.settings;
        self.pending_edits = s.edits;
        Ok(())
    }

    fn migrate_v1(&self, flat: &serde_json::Value) -> Option<serde_json::Value> {
        let d = HnswSettings::default();
        let num = |k: &str, d: usize| flat[k].as_u64().map_or(d, |v| v as usize);
        let flag = |k: &str, d: bool| flat[k].as_bool().unwrap_or(d);
        let settings = HnswSettings {
            m: num("hnsw_m", d.m),
            ef_construction: num("ef_construction", d.ef_construction),
            ml_factor: flat["ml_factor"].as_f64().unwrap_or(d.ml_factor),
            heuristic: flag("heuristic", d.heuristic),
            extend_candidates: flag("extend_candidates", d.extend_candidates),
            keep_pruned: flag("keep_pruned", d.keep_pruned),
            ef: num("hnsw_ef", d.ef),
            ef2: num("hnsw_ef2", d.ef2),
            k: num("k", d.k),
            stack: serde_json::from_value(flat["stack"].clone()).unwrap_or(d.stack),
            ring_unreachable: false,
        };
        let edits = serde_json::from_value(flat["hnsw_edits"].clone()).unwrap_or_default();
        Some(settings_to(&Section { settings, edits }))
    }

    /// New data: the index and its edits belong to the old data.
    fn data_changed(&mut self, _shared: &Shared) {
        self.state = None;
        self.pending_edits.clear();
    }

    fn build(&mut self, shared: &Shared) {
        self.rebuild(shared);
    }

    fn query_moved(&mut self, shared: &Shared) {
        self.search(shared);
    }

    fn error(&self) -> Option<String> {
        self.error
            .clone()
            .or_else(|| self.state.as_ref().and_then(|h| h.error.clone()))
    }

    fn steps(&self) -> Option<(&Player, &dyn Steps)> {
        self.play().map(|p| p.steps())
    }

    fn command(&mut self, cmd: Command) {
        if let Some(p) = self.state.as_mut().and_then(|h| h.play.as_mut()) {
            p.command(cmd);
        }
    }

    fn tick(&mut self, dt: f32) -> bool {
        self.state
            .as_mut()
            .and_then(|h| h.play.as_mut())
            .is_some_and(|p| p.tick(dt))
    }

    fn markers(&self) -> Vec<(usize, MarkerKind)> {
        self.play().map(|p| p.trace.markers()).unwrap_or_default()
    }

    fn walk_trace(&self) -> Option<&crate::trace::Trace> {
        self.play().map(|p| &p.trace)
    }

    fn neighbours_of(
        &self,
        _shared: &Shared,
        id: PointId,
        layer: Option<u8>,
        query: &[f32],
    ) -> Vec<(PointId, f32)> {
        self.state.as_ref().map_or_else(Vec::new, |h| {
            h.base()
                .links_scored(id, layer.unwrap_or(0) as usize, query)
        })
    }

    fn world_pos(&self, shared: &Shared, id: PointId, layer: Option<u8>) -> Option<[f32; 2]> {
        let h = self.state.as_ref()?;
        let xy = *h.xy.get(id.idx())?;
        let top = self.top_drawn()?;
        let (proj, _, _) = stack::Projection::of(self.settings.stack, &h.xy, top, shared.aspect);
        Some(proj.at(xy, layer.unwrap_or(0)))
    }

    fn frame(&self, shared: &Shared, palette: Palette, style: Style) -> Frame {
        let (Some(h), Some(p)) = (self.state.as_ref(), self.play()) else {
            return Frame::default();
        };
        let q = p
            .trace
            .query
            .as_ref()
            .filter(|q| q.len() >= 2)
            // A vector of more dimensions is the shared query's: drawn where the picture has it.
            .map(|q| {
                if q.len() == 2 {
                    [q[0], q[1]]
                } else {
                    shared.query
                }
            });
        let highlight: Vec<(u8, PointId)> = if self.settings.ring_unreachable {
            h.details
                .iter()
                .flat_map(|d| d.unreachable.iter().map(move |&id| (d.layer, id)))
                .collect()
        } else {
            Vec::new()
        };
        frame::frame(&frame::Input {
            index: h.base(),
            xy: &h.xy,
            trace: &p.trace,
            state: &p.state,
            query: q,
            highlight: &highlight,
            view: self.settings.stack,
            aspect: shared.aspect,
            palette,
            style: Style {
                label_limit: 60,
                ..style
            },
        })
    }

    fn frame_key(&self) -> u64 {
        let v = self.settings.stack;
        key_of(&(
            self.play().map(|p| {
                (
                    p.state.cursor,
                    p.trace.events.as_ptr() as usize,
                    p.trace.len(),
                )
            }),
            [
                v.tilt_deg.to_bits(),
                v.spin_deg.to_bits(),
                v.separation.to_bits(),
                v.flat.map_or(u32::MAX, u32::from),
            ],
            v.follow,
            self.settings.ring_unreachable,
        ))
    }

    fn narration(&self, shared: &Shared) -> Narration {
        match (self.state.as_ref(), self.play()) {
            (Some(_), Some(p)) => narrate::narrate(
                &p.trace,
                &p.state,
                shared.points,
                &crate::engine::Nsw::empty(),
                narrate::Part {
                    ready: narration::ready(&p.trace),
                    own: &|e| narration::own_event(&p.trace, &p.state, e),
                },
            ),
            _ => Narration {
                title: "Nothing to search".into(),
                text: self
                    .error()
                    .unwrap_or_else(|| "Generate some points first.".into()),
                line: None,
                alert: true,
            },
        }
    }

    fn pseudocode(&self) -> &'static [&'static str] {
        let algo = self.play().map_or(
            Algo::HnswSearch {
                ef: 0,
                params: HnswParams::default(),
            },
            |p| p.trace.algo,
        );
        narrate::pseudocode(algo)
    }

    fn counters(&self, shared: &Shared) -> Vec<Counter> {
        let Some(p) = self.play() else {
            return Vec::new();
        };
        let st = &p.state;
        let mut c = vec![Counter::new(
            "distance computations",
            st.distance_computations,
            true,
        )];
        match p.trace.algo {
            Algo::HnswInsert(_) | Algo::HnswDelete { .. } => {
                c.push(Counter::new("hops (expansions)", st.hops, true));
                c.push(Counter::new(
                    "links added / dropped",
                    format!("{} / {}", st.links_added.len(), st.links_dropped.len()),
                    false,
                ));
            }
            _ => {
                c.push(Counter::new("hops", st.hops, true));
                c.push(Counter::new("visited", st.visited(), true));
                c.push(Counter::new(
                    "brute force would compute",
                    shared.points.len(),
                    false,
                ));
            }
        }
        c
    }

    /// Click: move the query (on the layer on show); shift+click or right-click: insert a
    /// point there; ctrl+click: delete the point under the cursor; alt+click: move the point
    /// nearest the query there.
    fn click(&mut self, shared: &Shared, click: &Click) -> Reaction {
        let Some(at) = self.to_data(click.pos_in_world, shared.aspect) else {
            return Reaction::default();
        };
        let q = shared.query;
        let Some(h) = self.state.as_mut() else {
            return Reaction::default();
        };
        match click.button {
            Button::Secondary => h.insert(at),
            Button::Primary if click.shift => h.insert(at),
            Button::Primary if click.command => {
                h.delete_nearest(at);
            }
            Button::Primary if click.alt => {
                if let Some(id) = h.nearest_live(q) {
                    h.delete(id, Some(at));
                }
            }
            Button::Primary => return Reaction::query(at),
        }
        Reaction::default()
    }

    fn action(&mut self, shared: &Shared, action: SceneAction) -> Option<Reaction> {
        match action {
            SceneAction::Insert => {
                let h = self.state.as_mut()?;
                h.insert_random(shared.seed);
                Some(Reaction::default())
            }
            _ => None,
        }
    }

    any_scene!();
}
