//! ANN Explorer: the desktop window.

use ann_explorer::engine::presets::Preset;
use ann_explorer::ui::model::{ModeKind, SceneKind, Settings};
use clap::{Parser, ValueEnum};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum PresetArg {
    Lesson,
    Uniform,
    Clusters,
    Ring,
    Moons,
    Spiral,
    Grid,
    Trap,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SceneArg {
    Construction,
    Search,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ModeArg {
    Greedy,
    Restarts,
    Beam,
}

/// Watch approximate-nearest-neighbour search work, one decision at a time.
///
/// With no options the window opens as it was left last time. Any option starts from the
/// defaults instead, so a command line always opens the same scene.
#[derive(Parser, Debug)]
#[command(version)]
struct Cli {
    /// Scene to open.
    #[arg(long)]
    scene: Option<SceneArg>,
    /// Data preset.
    #[arg(long)]
    preset: Option<PresetArg>,
    /// Number of points (0 to 10,000).
    #[arg(long)]
    n: Option<usize>,
    /// Seed of the data and of every random choice.
    #[arg(long)]
    seed: Option<u64>,
    /// Links per insertion.
    #[arg(long)]
    m: Option<usize>,
    /// Use the Malkov 2014 rule with this many searches (default: the exact rule).
    #[arg(long)]
    malkov_w: Option<u16>,
    /// Search mode.
    #[arg(long)]
    mode: Option<ModeArg>,
    /// Random restarts of the multi-start search.
    #[arg(long)]
    restarts: Option<u16>,
    /// Beam width.
    #[arg(long)]
    ef: Option<u16>,
    /// Light theme.
    #[arg(long)]
    light: bool,
}

impl Cli {
    fn settings(&self) -> Option<Settings> {
        let any = self.scene.is_some()
            || self.preset.is_some()
            || self.n.is_some()
            || self.seed.is_some()
            || self.m.is_some()
            || self.malkov_w.is_some()
            || self.mode.is_some()
            || self.restarts.is_some()
            || self.ef.is_some()
            || self.light;
        if !any {
            return None;
        }
        let mut s = Settings::default();
        if let Some(p) = self.preset {
            s.preset = match p {
                PresetArg::Lesson => Preset::SeedLesson,
                PresetArg::Uniform => Preset::Uniform,
                PresetArg::Clusters => Preset::Clusters,
                PresetArg::Ring => Preset::Ring,
                PresetArg::Moons => Preset::TwoMoons,
                PresetArg::Spiral => Preset::Spiral,
                PresetArg::Grid => Preset::Grid,
                PresetArg::Trap => Preset::Trap,
            };
        }
        if let Some(sc) = self.scene {
            s.scene = match sc {
                SceneArg::Construction => SceneKind::Construction,
                SceneArg::Search => SceneKind::Search,
            };
        }
        if let Some(md) = self.mode {
            s.mode = match md {
                ModeArg::Greedy => ModeKind::Greedy,
                ModeArg::Restarts => ModeKind::MultiStart,
                ModeArg::Beam => ModeKind::Beam,
            };
        }
        s.n = self.n.unwrap_or(s.n);
        s.seed = self.seed.unwrap_or(s.seed);
        s.m = self
            .m
            .unwrap_or(if s.preset == Preset::SeedLesson { 2 } else { 3 });
        if let Some(w) = self.malkov_w {
            s.exact_rule = false;
            s.w = w;
        }
        s.restarts = self.restarts.unwrap_or(s.restarts);
        s.ef = self.ef.unwrap_or(s.ef);
        s.dark = !self.light;
        Some(s)
    }
}

fn main() -> eframe::Result {
    let cli = Cli::parse();
    let chosen = cli.settings();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ANN Explorer")
            .with_inner_size([1600.0, 1000.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "ANN Explorer",
        options,
        Box::new(move |cc| {
            Ok(Box::new(match chosen {
                Some(s) => ann_explorer::ui::App::with_settings(cc, s),
                None => ann_explorer::ui::App::from_creation_context(cc),
            }))
        }),
    )
}
