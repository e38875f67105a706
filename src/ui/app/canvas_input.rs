//! The canvas: fitting the view, pan and zoom, the query star's drag, clicks and hovering
//! handed to the scene on show, the cached frame, the legend strip.

use egui::{Sense, Ui, vec2};

use super::App;
use crate::render::{self, Frame, Palette};
use crate::scenes::{Button, Click};
use crate::ui::canvas::{self, View};

static EMPTY_FRAME: Frame = Frame {
    prims: Vec::new(),
    legend: Vec::new(),
    bounds: None,
    length_scale: None,
};

impl App {
    /// Where a world position is on the screen now (for tests and tools driving the canvas).
    pub fn screen_pos_of(&self, pos_in_world: [f32; 2]) -> Option<egui::Pos2> {
        let rect = self.files.canvas_rect?;
        Some(self.view?.to_screen(rect, pos_in_world))
    }

    pub(super) fn canvas(&mut self, ui: &mut Ui) {
        // Whole pixels: crisp edges, and a figure of the canvas lines up with it pixel for pixel.
        let rect = {
            let ppp = ui.pixels_per_point();
            let r = ui.available_rect_before_wrap();
            let (ceil, floor) = (
                |v: f32| (v * ppp).ceil() / ppp,
                |v: f32| (v * ppp).floor() / ppp,
            );
            egui::Rect::from_min_max(
                egui::pos2(ceil(r.min.x), ceil(r.min.y)),
                egui::pos2(floor(r.max.x), floor(r.max.y)),
            )
        };
        self.files.canvas_rect = Some(rect);
        self.files.pixels_per_point = ui.pixels_per_point();
        let resp = ui.allocate_rect(rect, Sense::click_and_drag());
        let palette = self.palette();
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, canvas::color(palette.background));
        // The stacked HNSW layers take the shape of the room the data gets (margins, the
        // legend's strip or column as its entries need — read off the frame, which it does
        // not depend on); a new shape rebuilds the frame and refits the view.
        self.current_frame(palette);
        let room = self.legend_room(rect.size());
        let (w, h) = render::fit::data_room(rect.width(), rect.height(), room);
        self.session.set_aspect(w, h);
        let bounds = self.current_frame(palette).bounds;
        if !self.view_touched
            && ((rect.size() - self.fitted_size).length() > 0.5
                || (room.bottom - self.fitted_legend.bottom).abs() > 0.5
                || (room.right - self.fitted_legend.right).abs() > 0.5
                || self.session.aspect() != self.fitted_aspect)
        {
            self.fit_pending = true;
        }
        if (self.fit_pending || self.view.is_none())
            && let Some((lo, hi)) = bounds
        {
            // Scenes in the data plane fit the points and the query, so switching among them
            // keeps the framing.
            let q = self.session.query;
            let own = self.session.scene().info().own_space;
            let b = if own {
                (lo, hi)
            } else {
                (
                    [lo[0].min(q[0]), lo[1].min(q[1])],
                    [hi[0].max(q[0]), hi[1].max(q[1])],
                )
            };
            self.view = Some(View::fit(b, rect, room));
            self.fit_pending = false;
            self.fitted_size = rect.size();
            self.fitted_legend = room;
            self.fitted_aspect = self.session.aspect();
            self.view_touched = false;
        }
        let mut view = self.view.unwrap_or_default();

        // Zoom.
        if resp.hovered() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            let zoom = ui.input(|i| i.zoom_delta());
            if let Some(pos) = resp.hover_pos() {
                let factor = zoom * (scroll * 0.0025).exp();
                if (factor - 1.0).abs() > 1e-4 {
                    view.zoom_at(rect, pos, factor);
                    self.view_touched = true;
                }
            }
        }
        // Drag: the query if the press began on it, else pan.
        if resp.drag_started() {
            let q = view.to_screen(rect, self.session.query);
            let origin = ui.input(|i| i.pointer.press_origin());
            self.dragging_query = self.session.grabs_query()
                && origin
                    .or(resp.interact_pointer_pos())
                    .is_some_and(|p| p.distance(q) < 18.0);
        }
        if resp.dragged() {
            if self.dragging_query {
                if let Some(p) = resp.interact_pointer_pos() {
                    self.session.set_query(view.to_world(rect, p));
                }
            } else {
                view.pan(resp.drag_delta());
                self.view_touched = true;
            }
        }
        if resp.drag_stopped() {
            self.dragging_query = false;
        }
        // Hovering tells what is under the pointer.
        let hover_world = resp
            .hover_pos()
            .filter(|_| !resp.dragged())
            .map(|p| view.to_world(rect, p));
        if let Some(tip) = self.session.hover(hover_world, 10.0 / view.scale) {
            resp.clone().on_hover_text_at_pointer(tip);
        }
        // Clicks go to the scene; a double-click fits and undoes its first click's query move.
        if resp.double_clicked() {
            self.fit_pending = true;
            if let Some((q, v)) = self.query_before_click.take() {
                self.session.restore_query(q, &v);
            }
        } else if let Some(pos) = resp.interact_pointer_pos()
            && resp.clicked()
            && (self.session.quiz.pending.is_some() || self.lessons.asking_node.is_some())
        {
            // A prediction or a "click the node" answer, not a query move.
            let (at, r) = (view.to_world(rect, pos), 14.0 / view.scale);
            if self.session.quiz.pending.is_some() {
                self.session.quiz_click(at, r);
            } else {
                self.lesson_click(at, r);
            }
        } else if let Some(pos) = resp.interact_pointer_pos()
            && (resp.clicked() || resp.secondary_clicked())
        {
            let (shift, command, alt) =
                ui.input(|i| (i.modifiers.shift, i.modifiers.command, i.modifiers.alt));
            let before = (self.session.query, self.session.query_vec.clone());
            let r = self.session.click(&Click {
                pos_in_world: view.to_world(rect, pos),
                button: if resp.secondary_clicked() {
                    Button::Secondary
                } else {
                    Button::Primary
                },
                shift,
                command,
                alt,
                radius_in_world: 12.0 / view.scale,
            });
            self.query_before_click = r.query.map(|_| before);
            if r.refit {
                self.fit_pending = true;
            }
        }
        self.view = Some(view);
        self.current_frame(palette);
        let room = self.legend_room(rect.size());
        let frame = self.cached.as_ref().map_or(&EMPTY_FRAME, |c| &c.1);
        let wall = egui::Rect::from_min_max(
            rect.min,
            egui::pos2(rect.right() - room.right, rect.bottom() - room.bottom),
        );
        canvas::paint(&painter, rect, &view, frame, wall);
        self.overlay(ui, rect, frame, room, palette);
    }

    /// The room the legend takes on a canvas of `size` (none when the legend is hidden), from
    /// the frame last drawn.
    fn legend_room(&self, size: egui::Vec2) -> render::LegendRoom {
        match (&self.cached, self.legend) {
            (Some((_, f)), true) => render::legend_room(f, size.x, size.y),
            (None, true) => render::LegendRoom::bottom(render::fit::LEGEND_STRIP),
            (_, false) => render::LegendRoom::none(),
        }
    }

    /// The primitives of the step on show, rebuilt only when what they depend on changed.
    fn current_frame(&mut self, palette: Palette) -> &Frame {
        let look = self.look();
        let key = crate::scenes::key_of(&(
            self.session.frame_key(),
            self.session.look.dark,
            look.okabe_ito,
            look.presenter,
        ));
        if self.cached.as_ref().is_none_or(|(k, _)| *k != key) {
            let f = self.session.frame(palette, self.style);
            self.cached = Some((key, f));
        }
        self.cached.as_ref().map_or(&EMPTY_FRAME, |c| &c.1)
    }

    /// Legend and colour bar, in a strip along the canvas's bottom edge or a column at its right.
    fn overlay(
        &self,
        ui: &Ui,
        rect: egui::Rect,
        frame: &Frame,
        room: render::LegendRoom,
        palette: Palette,
    ) {
        let painter = ui.painter_at(rect);
        let text = canvas::color(palette.text);
        if self.session.points.is_empty() {
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "No points. Choose n ≥ 1 and press R.",
                egui::FontId::proportional(22.0),
                text,
            );
        }
        if !self.legend {
            return;
        }
        let font = egui::FontId::proportional(render::LEGEND_FONT);
        let lay = render::legend_layout(frame, room, rect.width(), rect.height());
        let at_screen = |p: [f32; 2]| egui::pos2(rect.left() + p[0], rect.top() + p[1]);
        painter.rect_filled(
            egui::Rect::from_min_max(at_screen(lay.min), at_screen(lay.max)),
            0.0,
            canvas::color(palette.background.with_alpha(215)),
        );
        let mut mesh = egui::epaint::Mesh::default();
        let bar_w = render::BAR_W;
        // Laid out by the same metrics as the figures' legend.
        for (item, p) in frame.legend.iter().zip(lay.entries) {
            let at = at_screen(p);
            let galley = painter.layout_no_wrap(item.label.clone(), font.clone(), text);
            let (fill, stroke) = item.paint();
            canvas::marker(
                &mut mesh,
                at + vec2(6.0, 8.0),
                5.5,
                item.shape,
                fill,
                stroke,
            );
            painter.galley(at + vec2(18.0, 0.0), galley, text);
        }
        painter.add(egui::Shape::mesh(mesh));
        if let (Some((lo, hi)), Some(at)) = (frame.length_scale, lay.bar) {
            let (bx, by) = (at_screen(at).x, at_screen(at).y);
            for i in 0..40 {
                let t0 = i as f32 / 40.0;
                let r = egui::Rect::from_min_size(
                    egui::pos2(bx + t0 * bar_w, by),
                    vec2(bar_w / 40.0 + 0.5, 10.0),
                );
                painter.rect_filled(r, 0.0, canvas::color(palette.length_color(t0)));
            }
            painter.text(
                egui::pos2(bx, by + 14.0),
                egui::Align2::LEFT_TOP,
                format!("link length {lo:.2} … {hi:.2}"),
                font.clone(),
                text,
            );
        }
    }
}
