//! The Kleinberg scene's controls: the lattice and its law, the route, the sweep (with its
//! progress and Cancel) and Milgram's letters; the sweep's table and plot.

use egui::{RichText, Ui};

use super::{KView, KleinbergScene, MAX_LETTERS};
use crate::engine::smallworld::kleinberg::{Lattice, MAX_SIDE_2D, MAX_SIDE_RING};
use crate::scenes::panel::error_line;
use crate::scenes::{Panel, Reaction, Scene, Shared};

impl KleinbergScene {
    fn lattice_controls(&mut self, ui: &mut Ui) -> bool {
        let s = &mut self.settings;
        let mut rebuild = false;
        ui.horizontal(|ui| {
            for (l, name) in [
                (Lattice::Torus, "torus"),
                (Lattice::Grid, "grid"),
                (Lattice::Ring, "ring"),
            ] {
                rebuild |= ui.radio_value(&mut s.lattice, l, name).changed();
            }
        });
        let max = if s.lattice == Lattice::Ring {
            MAX_SIDE_RING
        } else {
            MAX_SIDE_2D
        };
        // A ring's side may be larger than a 2-D lattice's.
        s.side = s.side.clamp(3, max);
        rebuild |= ui
            .add(egui::Slider::new(&mut s.side, 3..=max).logarithmic(true).text("side"))
            .on_hover_text("Nodes: side² on a 2-D lattice. Long links are drawn when a route reaches a node, so 100,000 (10¹⁰ nodes) costs no memory")
            .changed();
        rebuild |= ui
            .add(
                egui::Slider::new(&mut s.r, 0.0..=4.0)
                    .step_by(0.25)
                    .text("r"),
            )
            .on_hover_text(
                "Long links: P(v) ∝ d(u, v)^−r. r = the dimension is Kleinberg's navigable case",
            )
            .changed();
        rebuild |= ui
            .add(egui::Slider::new(&mut s.p, 1..=3).text("p (lattice reach)"))
            .changed();
        rebuild |= ui
            .add(egui::Slider::new(&mut s.q, 0..=4).text("q (long links per node)"))
            .changed();
        rebuild |= ui
            .add(egui::DragValue::new(&mut s.seed).prefix("seed "))
            .changed();
        rebuild
    }

    fn sweep_controls(&mut self, ui: &mut Ui) {
        ui.heading("The sweep of r");
        let sw = &mut self.settings.sweep;
        ui.horizontal_wrapped(|ui| {
            ui.label("sides");
            for side in [100u64, 1_000, 10_000, 100_000] {
                let mut on = sw.sides.contains(&side);
                if ui
                    .toggle_value(&mut on, crate::engine::scaling::short_n(side as usize))
                    .changed()
                {
                    if on {
                        sw.sides.push(side);
                        sw.sides.sort_unstable();
                    } else {
                        sw.sides.retain(|&x| x != side);
                    }
                }
            }
        });
        ui.add(
            egui::Slider::new(&mut sw.pairs, 10..=2000)
                .logarithmic(true)
                .text("pairs per (side, r)"),
        );
        ui.label(
            RichText::new(format!(
                "r ∈ {{{}}}",
                sw.rs
                    .iter()
                    .map(|r| r.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .small(),
        );
        if let Some(job) = self.job.as_ref() {
            let (frac, left) = job.progress();
            ui.add(egui::ProgressBar::new(frac).text(format!(
                "{:.0} %{}",
                frac * 100.0,
                left.map_or(String::new(), |l| format!(", {l:.0} s left"))
            )));
            // Dropping the job stops it and keeps the earlier results.
            if ui.button("✖ Cancel").clicked() {
                self.job = None;
            }
        } else if ui
            .button("▶ Run the sweep (R)")
            .on_hover_text("Mean greedy hops for every side and r, on every core")
            .clicked()
        {
            self.run_sweep();
        }
    }

    fn letters_controls(&mut self, ui: &mut Ui) {
        ui.heading("Milgram's letters");
        let s = &mut self.settings;
        ui.add(egui::Slider::new(&mut s.dropout, 0.0..=0.5).text("drop-out a hop"))
            .on_hover_text("The chance that a holder does not forward the letter (Milgram's chains lost most letters)");
        ui.add(
            egui::Slider::new(&mut s.letters_sent, 100..=MAX_LETTERS)
                .logarithmic(true)
                .text("letters"),
        );
        if ui.button("✉ Send the letters").clicked() {
            self.send_letters();
        }
        if let Some(l) = self.settings.letters.as_ref() {
            ui.label(
                RichText::new(format!(
                    "{} of {} arrived; every chain {:.1} hops on average, the arrived ones {:.1}",
                    l.arrived,
                    l.sent,
                    super::Letters::mean(&l.lengths),
                    super::Letters::mean(&l.arrived_lengths)
                ))
                .small(),
            );
        }
    }
}

impl Panel for KleinbergScene {
    fn controls(&mut self, ui: &mut Ui, shared: &Shared) -> Reaction {
        let mut reaction = Reaction::default();
        if self.poll() {
            reaction.refit = true;
        }
        ui.heading("Kleinberg's lattice");
        if self.lattice_controls(ui) {
            self.build(shared);
        }
        ui.label(
            RichText::new("Click a node: the target; shift-click: the source; E: a random pair")
                .small(),
        );
        ui.separator();
        if crate::scenes::panel::view_picker(ui, &mut self.settings.view, &KView::ALL, KView::name)
        {
            reaction.refit = true;
        }
        ui.separator();
        self.sweep_controls(ui);
        ui.separator();
        self.letters_controls(ui);
        error_line(ui, self.error());
        reaction
    }

    fn details(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        let rows = &self.settings.results;
        if rows.is_empty() {
            return Reaction::default();
        }
        ui.separator();
        ui.label(RichText::new("Mean hops (± standard error)").strong());
        let mut sides: Vec<u64> = rows.iter().map(|h| h.side).collect();
        sides.sort_unstable();
        sides.dedup();
        egui::Grid::new("kleinberg_rows")
            .striped(true)
            .show(ui, |ui| {
                ui.label(RichText::new("r").small().strong());
                for s in &sides {
                    ui.label(
                        RichText::new(crate::engine::scaling::short_n(*s as usize))
                            .small()
                            .strong(),
                    );
                }
                ui.end_row();
                let mut rs: Vec<f64> = rows.iter().map(|h| h.r).collect();
                rs.sort_by(f64::total_cmp);
                rs.dedup();
                for r in rs {
                    ui.label(format!("{r}"));
                    for s in &sides {
                        let best = crate::engine::smallworld::best_r(rows, *s) == Some(r);
                        let cell = rows
                            .iter()
                            .find(|h| h.side == *s && h.r == r)
                            .map_or("—".into(), |h| {
                                format!("{:.0}±{:.0}", h.mean_hops, h.stderr)
                            });
                        if best {
                            ui.label(RichText::new(cell).strong());
                        } else {
                            ui.label(cell);
                        }
                    }
                    ui.end_row();
                }
            });
        Reaction::default()
    }
}
