//! ANN Explorer: the desktop window, and headless commands for figures.

use std::path::PathBuf;
use std::process::ExitCode;

use ann_explorer::engine::presets::Preset;
use ann_explorer::scene::Theme;
use ann_explorer::ui::model::{ModeKind, SceneKind, Settings};
use ann_explorer::ui::scene_file::{self, SceneFile, Step};
use clap::{Args, Parser, Subcommand, ValueEnum};

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
    Hnsw,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ModeArg {
    Greedy,
    Restarts,
    Beam,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ThemeArg {
    Dark,
    Light,
}

/// Watch approximate-nearest-neighbour search work, one decision at a time.
///
/// With no options the window opens as it was left last time. Any option starts from the
/// defaults instead, so a command line always opens the same scene.
#[derive(Parser, Debug)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    cmd: Option<Cmd>,
    #[command(flatten)]
    open: OpenArgs,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Write a scene file for the given options (no window).
    Scene {
        #[command(flatten)]
        open: OpenArgs,
        /// Where to write the scene (JSON).
        #[arg(long)]
        out: PathBuf,
    },
    /// Draw a scene file at a step as SVG (no window, no GPU).
    Render {
        /// The scene file.
        scene: PathBuf,
        /// A step number, 'last', or 'saved' (the file's cursor).
        #[arg(long, default_value = "saved")]
        step: Step,
        /// The figure to write (.svg).
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1600.0)]
        width: f32,
        #[arg(long, default_value_t = 1000.0)]
        height: f32,
        /// Colours (default: the scene's).
        #[arg(long)]
        theme: Option<ThemeArg>,
        /// No background.
        #[arg(long)]
        transparent: bool,
    },
}

#[derive(Args, Debug, Clone)]
struct OpenArgs {
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

impl OpenArgs {
    fn any(&self) -> bool {
        self.scene.is_some()
            || self.preset.is_some()
            || self.n.is_some()
            || self.seed.is_some()
            || self.m.is_some()
            || self.malkov_w.is_some()
            || self.mode.is_some()
            || self.restarts.is_some()
            || self.ef.is_some()
            || self.light
    }

    fn settings(&self) -> Settings {
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
                SceneArg::Hnsw => SceneKind::Hnsw,
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
        s
    }
}

fn run_command(cmd: Cmd) -> Result<String, String> {
    match cmd {
        Cmd::Scene { open, out } => {
            let m = ann_explorer::ui::model::Model::new(open.settings());
            if let Some(e) = &m.error {
                return Err(e.clone());
            }
            let text = SceneFile::from_model(&m).to_json();
            scene_file::write_atomic(&out, text.as_bytes()).map_err(|e| e.to_string())?;
            Ok(format!("wrote {}", out.display()))
        }
        Cmd::Render {
            scene,
            step,
            out,
            width,
            height,
            theme,
            transparent,
        } => {
            let ext = out
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if ext != "svg" {
                return Err(format!(
                    "only .svg figures can be written so far, not '.{ext}'"
                ));
            }
            let file = SceneFile::load(&scene).map_err(|e| format!("{}: {e}", scene.display()))?;
            let theme = match theme {
                Some(ThemeArg::Light) => Theme::Light,
                Some(ThemeArg::Dark) => Theme::Dark,
                None if file.settings.dark => Theme::Dark,
                None => Theme::Light,
            };
            let svg = scene_file::render_svg(&file, step, width, height, theme, transparent)
                .map_err(|e| e.to_string())?;
            scene_file::write_atomic(&out, svg.as_bytes()).map_err(|e| e.to_string())?;
            Ok(format!("wrote {}", out.display()))
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(cmd) = cli.cmd {
        return match run_command(cmd) {
            Ok(msg) => {
                println!("{msg}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("ann-explorer: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let chosen = cli.open.any().then(|| cli.open.settings());
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ANN Explorer")
            .with_inner_size([1600.0, 1000.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    let res = eframe::run_native(
        "ANN Explorer",
        options,
        Box::new(move |cc| {
            Ok(Box::new(match chosen {
                Some(s) => ann_explorer::ui::App::with_settings(cc, s),
                None => ann_explorer::ui::App::from_creation_context(cc),
            }))
        }),
    );
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ann-explorer: {e}");
            ExitCode::FAILURE
        }
    }
}
