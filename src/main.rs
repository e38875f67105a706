//! ANN Explorer: the desktop window, and headless commands for figures.

use std::path::PathBuf;
use std::process::ExitCode;

use ann_explorer::engine::presets::Preset;
use ann_explorer::render::Theme;
use ann_explorer::scenes::registry;
use ann_explorer::session::figure::{self, Figure, FigureFormat, Job, Progress, SvgText};
use ann_explorer::session::jobs::ExportJob;
use ann_explorer::session::lesson::{self, Lesson};
use ann_explorer::session::scene_file::{self, SceneFile, Step};
use ann_explorer::session::{DataSettings, Session};
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
enum ModeArg {
    Greedy,
    Restarts,
    Beam,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ThemeArg {
    Dark,
    Light,
    /// The scene's theme in presenter style: high contrast, bigger marks and labels.
    Presenter,
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
    /// Open this scene file in the window (as File > Open scene does).
    #[arg(long, value_name = "SCENE_FILE", conflicts_with_all = ["scene", "preset", "n", "seed", "m", "malkov_w", "mode", "restarts", "ef", "light", "set"])]
    open_file: Option<PathBuf>,
    /// Open this lesson in the window: an id from `lessons`, its number, or a lesson file.
    #[arg(long, value_name = "LESSON", conflicts_with_all = ["open_file", "scene", "preset", "n", "seed", "m", "malkov_w", "mode", "restarts", "ef", "light", "set"])]
    lesson: Option<String>,
    /// With --lesson: the slide to open, counted from 1.
    #[arg(long, default_value_t = 1, requires = "lesson")]
    slide: usize,
    #[command(flatten)]
    open: OpenArgs,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// List the scenes: id, name and what each shows.
    Scenes,
    /// Write a scene file for the given options (no window).
    Scene {
        #[command(flatten)]
        open: OpenArgs,
        /// Where to write the scene (JSON).
        #[arg(long)]
        out: PathBuf,
    },
    /// Draw a scene file at a step as SVG or PNG (no window, no GPU).
    Render {
        /// The scene file.
        scene: PathBuf,
        /// A step number, 'last', or 'saved' (the file's cursor).
        #[arg(long, default_value = "saved")]
        step: Step,
        /// The figure to write: .svg (vector) or .png.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        look: LookArgs,
    },
    /// List the built-in lessons: id, slides, title.
    Lessons,
    /// Draw a lesson's slide as SVG or PNG, for handouts (no window, no GPU).
    Lesson {
        /// The lesson: an id from `lessons` (or its number), or a lesson file.
        lesson: String,
        /// The slide, counted from 1.
        #[arg(long, default_value_t = 1)]
        slide: usize,
        /// The figure to write: .svg or .png.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        look: LookArgs,
    },
    /// The scaling lab on the terminal: build and time brute force, a k-d tree, NSW and HNSW
    /// at each size; write the rows as CSV/JSON and a plot as SVG/PNG.
    Scale(ann_explorer::cli::scale::ScaleArgs),
    /// Small worlds on the terminal: Kleinberg's greedy routing against r, Watts–Strogatz's
    /// clustering and path length against p; the rows as CSV.
    Smallworld(ann_explorer::cli::smallworld::SmallWorldArgs),
    /// Filtered search on one HNSW graph: pre-filter, post-filter, in-walk and ACORN-1 at
    /// several selectivities; recall, distances per query and results returned as CSV.
    FilterBench(ann_explorer::cli::filter_bench::FilterBenchArgs),
    /// Animate a range of steps as GIF or animated PNG (no window, no GPU).
    Animate {
        /// The scene file.
        scene: PathBuf,
        /// First step (0 is before the first event).
        #[arg(long, default_value_t = 0)]
        from: usize,
        /// Last step, included (default: the last step). One frame per step.
        #[arg(long)]
        to: Option<usize>,
        /// Frames a second.
        #[arg(long, default_value_t = 2.0)]
        fps: f32,
        /// The animation to write: .gif, .apng or .png (animated PNG).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        look: LookArgs,
    },
}

#[derive(Args, Debug, Clone)]
struct LookArgs {
    /// Layout width in points.
    #[arg(long, default_value_t = 1600.0, allow_negative_numbers = true)]
    width: f32,
    /// Layout height in points.
    #[arg(long, default_value_t = 1000.0, allow_negative_numbers = true)]
    height: f32,
    /// Pixels per point for PNG/GIF/APNG (2 makes a sharp 2x picture of the same layout).
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    scale: f32,
    /// Colours (default: the scene's).
    #[arg(long)]
    theme: Option<ThemeArg>,
    /// No background.
    #[arg(long)]
    transparent: bool,
    /// Trim the figure to the data plus a margin.
    #[arg(long)]
    crop: bool,
    /// Add the step number and the narration under the picture.
    #[arg(long)]
    caption: bool,
    /// SVG text: `embedded` (editable text, its glyphs embedded as fonts) or `paths` (glyph
    /// outlines: the same pixels in librsvg, Inkscape and every browser).
    #[arg(long, value_enum, default_value_t = SvgTextArg::Embedded)]
    svg_text: SvgTextArg,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum SvgTextArg {
    Embedded,
    Paths,
}

impl LookArgs {
    /// `--svg-text paths` asks for something only an SVG has.
    fn check_for(&self, format: FigureFormat) -> Result<(), String> {
        if matches!(self.svg_text, SvgTextArg::Paths) && format != FigureFormat::Svg {
            return Err(format!(
                "--svg-text applies to .svg figures; a {} draws its text with the program's own fonts",
                format.label()
            ));
        }
        Ok(())
    }

    fn figure(&self, file: SceneFile) -> Figure {
        let mut fig = Figure::new(file, self.width, self.height);
        fig.scale = self.scale;
        fig.transparent = self.transparent;
        fig.crop = self.crop;
        fig.caption = self.caption;
        fig.svg_text = match self.svg_text {
            SvgTextArg::Embedded => SvgText::Embedded,
            SvgTextArg::Paths => SvgText::Paths,
        };
        match self.theme {
            Some(ThemeArg::Light) => fig.look.theme = Theme::Light,
            Some(ThemeArg::Dark) => fig.look.theme = Theme::Dark,
            Some(ThemeArg::Presenter) => fig.look.presenter = true,
            None => {}
        }
        fig
    }
}

#[derive(Args, Debug, Clone)]
struct OpenArgs {
    /// Scene to open, by id (`ann-explorer scenes` lists them).
    #[arg(long, value_parser = scene_id)]
    scene: Option<String>,
    /// Data preset.
    #[arg(long)]
    preset: Option<PresetArg>,
    /// Number of points (0 to 10,000).
    #[arg(long)]
    n: Option<usize>,
    /// Seed of the data and of every random choice.
    #[arg(long)]
    seed: Option<u64>,
    /// Dimensions of the uniform or clusters data (2 to 128; above 2 drawn by PCA).
    #[arg(long, value_parser = clap::value_parser!(u16).range(2..=128))]
    dim: Option<u16>,
    /// Links per insertion.
    #[arg(long)]
    m: Option<usize>,
    /// Use the Malkov 2014 rule with this many searches (default: the exact rule).
    #[arg(long)]
    malkov_w: Option<u16>,
    /// Search mode.
    #[arg(long)]
    mode: Option<ModeArg>,
    /// Random restarts of the multi-start search (at least 1).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    restarts: Option<u16>,
    /// Beam width (at least 1).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    ef: Option<u16>,
    /// Light theme.
    #[arg(long)]
    light: bool,
    /// Any setting of the chosen scene, as KEY=VALUE (repeatable), e.g. --set ef=16;
    /// `ann-explorer scene --scene ID --out x.json` writes them all.
    #[arg(long, value_name = "KEY=VALUE")]
    set: Vec<String>,
}

/// A scene id from the registry (or an old alias), with the list when it is not one.
fn scene_id(s: &str) -> Result<String, String> {
    registry::find(s)
        .map(|e| e.info.id.to_string())
        .ok_or_else(|| {
            format!(
                "no scene '{s}'; the scenes are {}",
                registry::ids().join(", ")
            )
        })
}

impl OpenArgs {
    fn any(&self) -> bool {
        self.scene.is_some()
            || self.preset.is_some()
            || self.n.is_some()
            || self.seed.is_some()
            || self.dim.is_some()
            || self.m.is_some()
            || self.malkov_w.is_some()
            || self.mode.is_some()
            || self.restarts.is_some()
            || self.ef.is_some()
            || self.light
            || !self.set.is_empty()
    }

    /// The session these options ask for (the scene on show built; the rest waits).
    fn session(&self) -> Result<Session, String> {
        let mut data = DataSettings::default();
        if let Some(p) = self.preset {
            data.preset = match p {
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
        if self.n.is_some() && data.preset == Preset::SeedLesson {
            return Err(
                "--n needs a preset: the seed lesson always has its own 8 points (try --preset uniform)"
                    .into(),
            );
        }
        if let Some(d) = self.dim {
            if !matches!(data.preset, Preset::Uniform | Preset::Clusters) {
                return Err(
                    "--dim needs --preset uniform or --preset clusters (the other presets are 2-D shapes)"
                        .into(),
                );
            }
            data.dim = usize::from(d);
        }
        data.n = self.n.unwrap_or(data.n);
        data.seed = self.seed.unwrap_or(data.seed);
        let scene = self
            .scene
            .clone()
            .unwrap_or_else(|| "nsw-construction".into());
        let mut s = Session::with_data(&scene, data);
        if let Some(e) = &s.error {
            return Err(e.clone());
        }
        s.look.dark = !self.light;
        // The NSW options set both scenes that build an NSW.
        let m = self.m.unwrap_or(if data.preset == Preset::SeedLesson {
            2
        } else {
            3
        });
        for id in ["nsw-construction", "greedy-search"] {
            s.set_scene_setting(id, "m", &m.to_string())?;
            if let Some(w) = self.malkov_w {
                s.set_scene_setting(id, "exact_rule", "false")?;
                s.set_scene_setting(id, "w", &w.to_string())?;
            }
        }
        if let Some(md) = self.mode {
            let mode = match md {
                ModeArg::Greedy => "Greedy",
                ModeArg::Restarts => "MultiStart",
                ModeArg::Beam => "Beam",
            };
            s.set_scene_setting("greedy-search", "mode", mode)?;
        }
        if let Some(r) = self.restarts {
            s.set_scene_setting("greedy-search", "restarts", &r.to_string())?;
        }
        if let Some(ef) = self.ef {
            s.set_scene_setting("greedy-search", "ef", &ef.to_string())?;
        }
        let id = s.scene_id();
        for kv in &self.set {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| format!("--set takes KEY=VALUE, not '{kv}'"))?;
            s.set_scene_setting(id, k.trim(), v.trim())?;
        }
        if let Some(e) = s.error() {
            return Err(e);
        }
        Ok(s)
    }
}

/// A scene file, or why not, naming the file.
fn load(scene: &std::path::Path) -> Result<SceneFile, String> {
    SceneFile::load(scene).map_err(|e| format!("{}: {e}", scene.display()))
}

fn run_command(cmd: Cmd) -> Result<String, String> {
    match cmd {
        Cmd::Scenes => Ok(registry::listing().trim_end().to_string()),
        Cmd::Scale(args) => ann_explorer::cli::scale::run(&args).map(|s| s.trim_end().to_string()),
        Cmd::Smallworld(args) => ann_explorer::cli::smallworld::run(&args),
        Cmd::FilterBench(args) => ann_explorer::cli::filter_bench::run(&args),
        Cmd::Scene { open, out } => {
            let m = open.session()?;
            let text = SceneFile::from_session(&m).to_json();
            scene_file::write_atomic(&out, text.as_bytes()).map_err(|e| e.to_string())?;
            Ok(format!("wrote {}", out.display()))
        }
        Cmd::Lessons => {
            let (lessons, refused) = lesson::library();
            let mut out: Vec<String> = lessons
                .iter()
                .map(|l| {
                    format!(
                        "{:<22}{:>3} slide{}  {}",
                        l.id,
                        l.slides.len(),
                        if l.slides.len() == 1 { " " } else { "s" },
                        l.title
                    )
                })
                .collect();
            out.extend(refused.iter().map(|e| format!("refused: {e}")));
            Ok(out.join("\n"))
        }
        Cmd::Lesson {
            lesson: name,
            slide,
            out,
            look,
        } => {
            let path = std::path::Path::new(&name);
            let l = if path.is_file() {
                Lesson::load(path).map_err(|e| e.to_string())?
            } else {
                lesson::find(&name).ok_or_else(|| {
                    format!("there is no lesson '{name}' (`ann-explorer lessons` lists them)")
                })?
            };
            let s = slide
                .checked_sub(1)
                .and_then(|i| l.slides.get(i))
                .ok_or_else(|| {
                    format!(
                        "lesson '{}' has slides 1 … {}, not {slide}",
                        l.id,
                        l.slides.len()
                    )
                })?;
            let m = s.state.open(Default::default())?;
            let format = FigureFormat::from_path(&out, false).map_err(|e| e.to_string())?;
            look.check_for(format)?;
            let fig = look.figure(SceneFile::from_session(&m));
            let made = figure::export(
                &fig,
                &Job::Still {
                    step: Step::Saved,
                    format,
                },
                &out,
                &Progress::default(),
            )
            .map_err(|e| e.to_string())?;
            Ok(format!(
                "wrote {} (slide {slide} of '{}': {}; {} × {})",
                out.display(),
                l.id,
                s.title,
                made.width,
                made.height
            ))
        }
        Cmd::Render {
            scene,
            step,
            out,
            look,
        } => {
            let format = FigureFormat::from_path(&out, false).map_err(|e| e.to_string())?;
            look.check_for(format)?;
            let fig = look.figure(load(&scene)?);
            let made = figure::export(
                &fig,
                &Job::Still { step, format },
                &out,
                &Progress::default(),
            )
            .map_err(|e| e.to_string())?;
            Ok(format!(
                "wrote {} ({} × {}, {} bytes)",
                out.display(),
                made.width,
                made.height,
                made.bytes.len()
            ))
        }
        Cmd::Animate {
            scene,
            from,
            to,
            fps,
            out,
            look,
        } => {
            let format = FigureFormat::from_path(&out, true).map_err(|e| e.to_string())?;
            look.check_for(format)?;
            let fig = look.figure(load(&scene)?);
            let job = Job::Animation {
                from,
                to,
                fps,
                format,
            };
            let running = ExportJob::start(fig, job, out.clone());
            let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
            while !running.is_finished() {
                std::thread::sleep(std::time::Duration::from_millis(200));
                let (done, total) = running.progress.get();
                if tty && total > 0 {
                    eprint!("\rframe {done} / {total}");
                }
            }
            if tty {
                eprintln!();
            }
            let made = running.wait().map_err(|e| e.to_string())?;
            Ok(format!(
                "wrote {} ({} frames, {} × {}, {} bytes)",
                out.display(),
                made.frames,
                made.width,
                made.height,
                made.bytes.len()
            ))
        }
    }
}

fn main() -> ExitCode {
    ann_explorer::ui::tune_allocator();
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
    let chosen = match cli.open.any().then(|| cli.open.session()).transpose() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ann-explorer: {e}");
            return ExitCode::FAILURE;
        }
    };
    let open_file = cli.open_file;
    let (lesson, slide) = (cli.lesson, cli.slide);
    // A bad file is said on the terminal and, since a launcher has none, in the window too.
    if let Some(p) = &open_file
        && let Err(e) = SceneFile::load(p).and_then(|f| f.build().map(|_| ()))
    {
        eprintln!("ann-explorer: {}: {e}", p.display());
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ANN Explorer")
            .with_inner_size([1600.0, 1000.0])
            .with_min_inner_size([640.0, 480.0]),
        ..Default::default()
    };
    let res = eframe::run_native(
        "ANN Explorer",
        options,
        Box::new(move |cc| {
            let mut app = match chosen {
                Some(s) => ann_explorer::ui::App::with_session(cc, s),
                None => ann_explorer::ui::App::from_creation_context(cc),
            };
            if let Some(p) = &open_file
                && !app.open_scene(&cc.egui_ctx, p)
            {
                app.alert = app.files.status.as_ref().map(|s| s.text.clone());
            }
            if let Some(name) = &lesson
                && let Err(e) = app.open_lesson_named(name, slide)
            {
                app.alert = Some(e);
            }
            Ok(Box::new(app))
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
