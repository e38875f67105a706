//! NSW construction: points inserted one at a time, each linked to its `m` nearest
//! already-inserted points, by the exact rule or by the graph's own search (Malkov 2014).

pub mod frame;
mod narration;
mod panel;

use crate::engine::{Event, Nsw, NswParams, PointId};
use crate::render::{Frame, Palette, Style};
use crate::scenes::graph_walk::draw::Input;
use crate::scenes::graph_walk::narrate;
use crate::scenes::graph_walk::nsw_settings;
pub use crate::scenes::graph_walk::nsw_settings::NswSettings;
use crate::scenes::info_and_settings;
use crate::scenes::playback::WalkPlayback;
use crate::scenes::registry::SceneEntry;
use crate::scenes::{
    Button, Click, Counter, Example, Narration, Reaction, Scene, SceneInfo, Shared, any_scene,
    key_of, play_through, point_near, settings_to,
};
use crate::trace::player::{Command, Player};
use crate::trace::{Algo, FINE_SCAN_LIMIT, MarkerKind, Trace};

pub static INFO: SceneInfo = SceneInfo {
    id: "nsw-construction",
    name: "NSW construction",
    key: '3',
    blurb: "Insert points one at a time, each linked to its m nearest already inserted (exact, or found by the graph's own search as in Malkov 2014); early links become long-range links.",
    own_space: false,
    examples: &[Example {
        name: "Seed lesson: NSW construction",
        json: include_str!("../../../assets/scenes/seed-lesson-construction.json"),
    }],
};

pub const ENTRY: SceneEntry = SceneEntry {
    info: &INFO,
    make: || Box::new(NswConstruction::default()),
    panel: crate::scenes::panel_of::<NswConstruction>,
};

/// The scene: the graph, and the recorded construction with its cursor.
pub struct NswConstruction {
    pub settings: NswSettings,
    pub graph: Nsw,
    pub build: WalkPlayback,
    error: Option<String>,
}

impl Default for NswConstruction {
    fn default() -> Self {
        Self {
            settings: NswSettings::default(),
            graph: Nsw::empty(),
            build: WalkPlayback::new(
                Trace::empty(Algo::Construction(NswParams::default())),
                Player::default(),
            ),
            error: None,
        }
    }
}

impl NswConstruction {
    /// Moves the cursor to just after the insertion of `id`, so its links show.
    pub fn jump_to_insertion(&mut self, id: PointId) {
        let t = &self.build.trace;
        if let Some(i) = t
            .events
            .iter()
            .position(|e| matches!(e, Event::Insert { node } if *node == id))
        {
            let end = t.events[i + 1..]
                .iter()
                .position(|e| matches!(e, Event::Insert { .. }))
                .map_or(t.len(), |j| i + 1 + j);
            self.build.command(Command::SeekCursor(end));
        }
    }

    fn input<'a>(&'a self, shared: &'a Shared, palette: Palette, style: Style) -> Input<'a> {
        Input {
            points: shared.points,
            graph: &self.graph,
            trace: &self.build.trace,
            state: &self.build.state,
            query: None,
            entry: None,
            palette,
            style,
        }
    }
}

impl Scene for NswConstruction {
    info_and_settings!(settings);

    fn migrate_v1(&self, flat: &serde_json::Value) -> Option<serde_json::Value> {
        Some(settings_to(&NswSettings::from_v1(flat)))
    }

    fn linked(&self) -> Option<(&'static str, serde_json::Value)> {
        Some((nsw_settings::GROUP, settings_to(&self.settings)))
    }

    fn set_linked(&mut self, group: &str, settings: &serde_json::Value) -> bool {
        self.settings.take_linked(group, settings)
    }

    fn data_changed(&mut self, shared: &Shared) {
        self.settings.data_changed(shared);
    }

    fn build(&mut self, shared: &Shared) {
        let params = self.settings.params(shared.metric, shared.seed);
        match Trace::record_construction(shared.points, params) {
            Ok((trace, graph, _)) => {
                let player = self.build.player.clone();
                self.build = WalkPlayback::new(trace, player);
                self.graph = graph;
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn query_moved(&mut self, _shared: &Shared) {}

    fn error(&self) -> Option<String> {
        self.error.clone()
    }

    fn notes(&self, shared: &Shared) -> Vec<String> {
        let mut notes: Vec<String> = self
            .settings
            .note(shared.points.len())
            .into_iter()
            .collect();
        if !self.build.trace.fine_recorded {
            notes.push(format!(
                "n > {FINE_SCAN_LIMIT}: the exact rule's n²/2 distances are shown as one scan per insertion (coarse only)."
            ));
        }
        notes
    }

    play_through!(build);

    fn markers(&self) -> Vec<(usize, MarkerKind)> {
        self.build.trace.markers()
    }

    fn frame(&self, shared: &Shared, palette: Palette, style: Style) -> Frame {
        frame::construction_frame(&self.input(shared, palette, style))
    }

    fn frame_key(&self) -> u64 {
        let t = &self.build.trace;
        key_of(&(self.build.state.cursor, t.events.as_ptr() as usize, t.len()))
    }

    fn narration(&self, shared: &Shared) -> Narration {
        narrate::narrate(
            &self.build.trace,
            &self.build.state,
            shared.points,
            &self.graph,
            narrate::Part {
                ready: narration::ready(&self.build.trace, shared.points),
                own: &|e| narration::own_event(&self.build.trace, &self.build.state, e),
            },
        )
    }

    fn pseudocode(&self) -> &'static [&'static str] {
        narrate::pseudocode(self.build.trace.algo)
    }

    fn counters(&self, shared: &Shared) -> Vec<Counter> {
        let st = &self.build.state;
        vec![
            Counter::new("distance computations", st.distance_computations, true),
            Counter::new(
                "inserted",
                format!("{} / {}", st.inserted.len(), shared.points.len()),
                false,
            ),
            Counter::new("links", st.edges.len(), false),
        ]
    }

    /// A click on a point jumps to its insertion; the query is not this scene's.
    fn click(&mut self, shared: &Shared, click: &Click) -> Reaction {
        if click.button == Button::Primary
            && let Some(id) = point_near(shared.points, click.pos_in_world, click.radius_in_world)
        {
            self.jump_to_insertion(id);
        }
        Reaction::default()
    }

    fn hover(&mut self, shared: &Shared, pos: Option<[f32; 2]>, radius: f32) -> Option<String> {
        let id = point_near(shared.points, pos?, radius)?;
        let p = shared.points.xy(id);
        let degree = if id.idx() < self.graph.inserted() {
            self.graph.degree(id)
        } else {
            0
        };
        Some(format!(
            "node {id} at ({:.3}, {:.3}), {degree} links\nclick: jump to its insertion",
            p[0], p[1]
        ))
    }

    any_scene!();
}
