//! The transport: play, step, first/last, speed, coarse/fine and the scrubber with its
//! markers. It only reads the player and sends [`Command`]s (rerun's time panel is the model):
//! the session carries them out on the scene on show.

use egui::{Color32, RichText, Sense, Stroke, Ui, vec2};

use crate::engine::Level;
use crate::engine::SearchMode;
use crate::session::Session;
use crate::trace::player::{Command, Player, SPEED_RANGE};
use crate::trace::{Algo, MarkerKind, Steps, Trace};

/// Draws the transport for the scene on show; returns the command the user gave, if any.
/// `beats` is (beats passed, beats in all) when a slide clicker moves by beats.
pub fn transport(ui: &mut Ui, session: &Session, beats: Option<(usize, usize)>) -> Option<Command> {
    let Some((player, steps)) = session.scene().steps() else {
        // The same controls, disabled: the canvas above keeps its size whatever is on show.
        let idle = Trace::empty(Algo::Search(SearchMode::Greedy));
        ui.add_enabled_ui(false, |ui| {
            controls(
                ui,
                &Player::default(),
                &idle,
                beats,
                Some("Nothing to play · step 0 / 0"),
            );
            let _ = scrubber(ui, &Player::default(), &idle, &[], 0, 0);
        });
        return None;
    };
    let mut cmd = controls(ui, player, steps, beats, None);
    let (step, total) = player.position(steps);
    let markers = session.scene().markers();
    if let Some(target) = scrubber(ui, player, steps, &markers, step, total) {
        cmd = Some(Command::SeekCursor(player.cursor_for_step(steps, target)));
    }
    cmd
}

/// The buttons, the position, the speed and the detail.
fn controls(
    ui: &mut Ui,
    player: &Player,
    steps: &dyn Steps,
    beats: Option<(usize, usize)>,
    idle: Option<&str>,
) -> Option<Command> {
    let playing = player.playing;
    let (step, total) = player.position(steps);
    let detail = player.detail;
    let mut cmd: Option<Command> = None;
    ui.add_space(4.0);
    // Wraps on a small projector rather than cut the speed and detail controls off.
    ui.horizontal_wrapped(|ui| {
        let big = |t: &str| RichText::new(t).size(18.0);
        let buttons = [
            ("⏮ First", "First step (Home)", Command::First),
            ("⏴ Back", "Step back (<-; PgUp goes a beat back)", Command::StepBack),
            (
                if playing { "⏸ Pause" } else { "▶ Play" },
                "Play / pause (Space)",
                Command::TogglePlay,
            ),
            ("Step ⏵", "Step forward (->; PgDn goes a beat on)", Command::StepForward),
            ("Last ⏭", "Last step (End)", Command::Last),
        ];
        for (label, tip, c) in buttons {
            if ui.button(big(label)).on_hover_text(tip).clicked() {
                cmd = Some(c);
            }
        }
        ui.separator();
        let at = match (idle, beats) {
            (Some(t), _) => t.to_string(),
            (None, Some((b, n))) => format!("beat {b} / {n} · step {step} / {total}"),
            (None, None) => format!("step {step} / {total}"),
        };
        // Of one width whatever it counts (and whatever the trace), so the row never re-wraps
        // and the canvas above never moves.
        let widest = if beats.is_some() {
            "beat 88 / 88 · step 88888 / 88888"
        } else {
            "step 88888 / 88888"
        };
        let font = egui::FontId::proportional(18.0);
        let width = [Some(widest), idle]
            .into_iter()
            .flatten()
            .map(|t| {
                ui.painter()
                    .layout_no_wrap(t.into(), font.clone(), Color32::WHITE)
                    .size()
                    .x
            })
            .fold(0.0, f32::max);
        ui.add_sized(
            vec2(width, 24.0),
            egui::Label::new(RichText::new(at).size(18.0).strong()),
        )
        .on_hover_text(
            "PgDn / PgUp (and a clicker's . and B) move by beats in presenter mode and lessons: the steps worth seeing",
        );
        ui.separator();
        // A narrow window keeps the slider short, so its label stays on screen.
        ui.spacing_mut().slider_width =
            (ui.ctx().content_rect().width() * 0.12).clamp(60.0, 160.0);
        let mut sp = player.speed;
        // The unit as its own label: the wrapping row then never leaves it past the edge.
        // The value in the label, not in a box beside the slider: egui's wrapping row places
        // a slider by its track alone, and the box then ran past the window's edge.
        let speed_width = ui
            .painter()
            .layout_no_wrap(
                "2000.0 steps/s".into(),
                egui::TextStyle::Body.resolve(ui.style()),
                Color32::WHITE,
            )
            .size()
            .x;
        // The label and its slider stay together: a new row when both do not fit.
        let needed = speed_width + ui.spacing().slider_width + 3.0 * ui.spacing().item_spacing.x;
        if ui.available_size_before_wrap().x < needed {
            ui.end_row();
        }
        ui.add_sized(
            vec2(speed_width, 20.0),
            egui::Label::new(format!("{sp:.1} steps/s")),
        );
        if ui
            .add(
                egui::Slider::new(&mut sp, SPEED_RANGE.0..=SPEED_RANGE.1)
                    .logarithmic(true)
                    .show_value(false),
            )
            .on_hover_text("Playing speed, in steps per second")
            .changed()
        {
            cmd = Some(Command::SetSpeed(sp));
        }
        ui.separator();
        let fine = detail == Level::Fine;
        if ui
            .selectable_label(!fine, "coarse")
            .on_hover_text("Coarse: the decisions only (F)")
            .clicked()
            && fine
        {
            cmd = Some(Command::SetDetail(Level::Coarse));
        }
        if ui
            .selectable_label(fine, "fine")
            .on_hover_text("Fine: every distance computed (F)")
            .clicked()
            && !fine
        {
            cmd = Some(Command::SetDetail(Level::Fine));
        }
    });
    cmd
}

/// The colour of a scrubber mark.
pub fn marker_color(kind: MarkerKind) -> Color32 {
    match kind {
        MarkerKind::LocalMinimum => Color32::from_rgb(235, 64, 80),
        MarkerKind::Found => Color32::from_rgb(60, 200, 110),
        MarkerKind::Entry => Color32::from_rgb(86, 180, 233),
        MarkerKind::BeamStop => Color32::from_rgb(0, 200, 160),
        MarkerKind::Descent => Color32::from_rgb(200, 160, 255),
        MarkerKind::Prune => Color32::from_rgb(255, 159, 28),
    }
}

/// What a mark's colour means, for the scrubber's tooltip.
fn marker_meaning(kind: MarkerKind) -> &'static str {
    match kind {
        MarkerKind::Entry => "blue: a walk or a scan starts",
        MarkerKind::LocalMinimum => "red: a local minimum",
        MarkerKind::Found => "green: the answer / done",
        MarkerKind::BeamStop => "teal: the beam stops",
        MarkerKind::Descent => "violet: down a layer",
        MarkerKind::Prune => "orange: a link pruned",
    }
}

/// A scrubber with markers at entries, stops and local minima. Returns a step to seek to.
fn scrubber(
    ui: &mut Ui,
    player: &Player,
    steps: &dyn Steps,
    markers: &[(usize, MarkerKind)],
    step: usize,
    total: usize,
) -> Option<usize> {
    let w = ui.available_width();
    let (rect, resp) = ui.allocate_exact_size(vec2(w, 28.0), Sense::click_and_drag());
    let painter = ui.painter_at(rect);
    let track = rect.shrink2(vec2(8.0, 10.0));
    let vis = ui.visuals();
    painter.rect_filled(track, 3.0, vis.extreme_bg_color);
    let x_of = |s: usize| track.left() + track.width() * s as f32 / total.max(1) as f32;
    painter.rect_filled(
        egui::Rect::from_min_max(track.left_top(), egui::pos2(x_of(step), track.bottom())),
        3.0,
        vis.selection.bg_fill,
    );
    // Markers, placed at the step that contains their event.
    for &(i, kind) in markers {
        let s = match player.detail {
            Level::Fine => i + 1,
            Level::Coarse => steps.coarse().partition_point(|&c| c <= i),
        };
        let x = x_of(s);
        painter.line_segment(
            [egui::pos2(x, rect.top()), egui::pos2(x, rect.bottom())],
            Stroke::new(2.5, marker_color(kind)),
        );
    }
    painter.circle_filled(
        egui::pos2(x_of(step), track.center().y),
        7.0,
        vis.strong_text_color(),
    );
    let mut kinds: Vec<MarkerKind> = Vec::new();
    for &(_, k) in markers {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let marks: Vec<&str> = kinds.into_iter().map(marker_meaning).collect();
    let tip = if marks.is_empty() {
        "Drag to scrub".to_string()
    } else {
        format!("Drag to scrub; marks: {}", marks.join(", "))
    };
    let resp = resp.on_hover_text(tip);
    let pos = resp.interact_pointer_pos()?;
    if resp.dragged() || resp.clicked() {
        let t = ((pos.x - track.left()) / track.width()).clamp(0.0, 1.0);
        Some((t * total as f32).round() as usize)
    } else {
        None
    }
}
