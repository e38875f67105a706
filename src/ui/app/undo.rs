//! Undo and redo in the window: Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y), and the Edit menu.

use egui::{Key, KeyboardShortcut, Modifiers, Ui};

use super::App;

pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
pub const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);

impl App {
    /// Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, unless a text field has the keyboard (it undoes its
    /// own typing).
    pub(super) fn undo_keys(&mut self, ui: &mut Ui) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        // Redo first: Ctrl+Shift+Z would also match Ctrl+Z.
        if ui.input_mut(|i| i.consume_shortcut(&REDO) || i.consume_shortcut(&REDO_Y)) {
            self.redo(ui.ctx());
        } else if ui.input_mut(|i| i.consume_shortcut(&UNDO)) {
            self.undo(ui.ctx());
        }
    }

    /// Goes back to the session before the last change.
    pub fn undo(&mut self, ctx: &egui::Context) {
        match self.history.undo(&self.session) {
            Some(Ok(s)) => {
                self.restore(ctx, s);
                self.files.say("undone (Ctrl+Shift+Z redoes)");
            }
            Some(Err(e)) => self.files.fail(format!("cannot undo: {e}")),
            None => self.files.say("nothing to undo"),
        }
    }

    /// Goes forward to the session before the last undo.
    pub fn redo(&mut self, ctx: &egui::Context) {
        match self.history.redo(&self.session) {
            Some(Ok(s)) => {
                self.restore(ctx, s);
                self.files.say("redone");
            }
            Some(Err(e)) => self.files.fail(format!("cannot redo: {e}")),
            None => self.files.say("nothing to redo"),
        }
    }

    /// Shows a session from the history, keeping the view unless the space changed.
    fn restore(&mut self, ctx: &egui::Context, s: crate::session::Session) {
        self.session = s;
        self.apply_theme(ctx);
        self.cached = None;
    }

    pub(super) fn edit_menu(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let sc = |s: &KeyboardShortcut| ui.ctx().format_shortcut(s);
        let (undo_text, redo_text) = (sc(&UNDO), sc(&REDO));
        ui.menu_button("Edit", |ui| {
            if ui
                .add_enabled(
                    self.history.can_undo(),
                    egui::Button::new("Undo").shortcut_text(undo_text),
                )
                .on_hover_text("Back to before the last change: query, parameters, data, edits")
                .clicked()
            {
                self.undo(&ctx);
                ui.close();
            }
            if ui
                .add_enabled(
                    self.history.can_redo(),
                    egui::Button::new("Redo").shortcut_text(redo_text),
                )
                .clicked()
            {
                self.redo(&ctx);
                ui.close();
            }
        });
    }
}
