//! The headless figure is the canvas: the window rendered by egui_kittest on the GPU path
//! (wgpu; lavapipe on CI) and the PNG the export rasterizes on the CPU from the same
//! primitives agree within a small tolerance.

use ann_explorer::session::figure::Job;
use ann_explorer::session::figure::{self, FigureFormat, Progress};
use ann_explorer::session::scene_file::Step;
use ann_explorer::session::{DataSettings, Session};
use ann_explorer::ui::App;
use ann_explorer::ui::app::files::SizeChoice;
use egui::Key;
use egui_kittest::Harness;

/// The picture averaged over `k × k` blocks: anti-aliasing and glyph hinting, which differ
/// between a GPU rasterizer and a CPU one, wash out; a moved mark or a missing line does not.
fn blocks(px: &[u8], w: u32, h: u32, k: u32) -> Vec<[f32; 3]> {
    let (bw, bh) = (w / k, h / k);
    let mut out = vec![[0.0f32; 3]; (bw * bh) as usize];
    for by in 0..bh {
        for bx in 0..bw {
            let mut acc = [0.0f32; 3];
            for y in by * k..(by + 1) * k {
                for x in bx * k..(bx + 1) * k {
                    let i = ((y * w + x) * 4) as usize;
                    for c in 0..3 {
                        acc[c] += f32::from(px[i + c]);
                    }
                }
            }
            let n = (k * k) as f32;
            out[(by * bw + bx) as usize] = [acc[0] / n, acc[1] / n, acc[2] / n];
        }
    }
    out
}

/// (mean of the largest channel difference per pixel, share of 4 × 4 blocks whose average
/// colour is off by more than 24 levels).
fn compare(a: &[u8], b: &[u8], w: u32, h: u32) -> (f64, f64) {
    assert_eq!(a.len(), b.len());
    let n = a.len() / 4;
    let sum: u64 = a
        .chunks_exact(4)
        .zip(b.chunks_exact(4))
        .map(|(p, q)| u64::from((0..3).map(|i| p[i].abs_diff(q[i])).max().unwrap_or(0)))
        .sum();
    let (ba, bb) = (blocks(a, w, h, 4), blocks(b, w, h, 4));
    let far = ba
        .iter()
        .zip(&bb)
        .filter(|(p, q)| (0..3).any(|i| (p[i] - q[i]).abs() > 24.0))
        .count();
    (sum as f64 / n as f64, far as f64 / ba.len() as f64)
}

fn canvas_and_png(
    session: Session,
    steps: &[Key],
) -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>, u32, u32) {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .wgpu()
        // egui brightens light-on-dark text on purpose (a coverage transfer function) and
        // hints glyphs to pixels; a figure's rasterizer does neither. Compare like with like.
        .with_context_setup(|ctx| {
            ctx.all_styles_mut(|s| {
                s.visuals.text_options.color_transfer_function =
                    egui::epaint::FontColorTransferFunction::Off;
                s.visuals.text_options.font_hinting = false;
            });
        })
        .build_ui_state(|ui, app: &mut App| app.show(ui), App::new(session));
    h.run();
    for k in steps {
        h.key_press(*k);
        h.run();
    }
    let shot = match h.render() {
        Ok(img) => img,
        Err(e) => {
            // No GPU adapter at all (not even lavapipe): say so loudly rather than pass.
            panic!("egui_kittest could not render (install mesa-vulkan-drivers): {e}");
        }
    };
    let rect = h.state().files.canvas_rect.expect("the canvas was drawn");
    let (x0, y0) = (rect.min.x.round() as u32, rect.min.y.round() as u32);
    let (w, hgt) = (rect.width().round() as u32, rect.height().round() as u32);
    let mut crop = Vec::with_capacity((w * hgt * 4) as usize);
    for y in y0..y0 + hgt {
        for x in x0..x0 + w {
            crop.extend_from_slice(&shot.get_pixel(x, y).0);
        }
    }
    let app = h.state_mut();
    app.files.form.format = FigureFormat::Png;
    app.files.form.size = SizeChoice::Times(1);
    app.files.form.path = "unused.png".into();
    let (fig, job, _) = app.figure_from_form().expect("figure");
    let made = figure::make(&fig, &job, &Progress::default()).expect("png");
    assert_eq!(
        (made.width, made.height),
        (w, hgt),
        "the PNG has the canvas's size"
    );
    let decode = |bytes: &[u8]| {
        let mut r = png::Decoder::new(std::io::Cursor::new(bytes.to_vec()))
            .read_info()
            .expect("png");
        let mut buf = vec![0; r.output_buffer_size().expect("size")];
        r.next_frame(&mut buf).expect("frame");
        buf
    };
    let png = decode(&made.bytes);
    // A control: the same figure one step earlier must be told apart by the same measure.
    // Controls, which the same measure must tell apart: the scene at its first step, and the
    // same step with the view shifted by 3 pixels.
    let first = Job::Still {
        step: Step::At(0),
        format: FigureFormat::Png,
    };
    let other = figure::make(&fig, &first, &Progress::default()).expect("png");
    let mut shifted = fig.clone();
    let v = shifted.view.as_mut().expect("the canvas's view");
    v.center_in_world[0] += 3.0 / v.scale;
    let moved = figure::make(&shifted, &job, &Progress::default()).expect("png");
    (
        crop,
        png,
        decode(&other.bytes),
        decode(&moved.bytes),
        w,
        hgt,
    )
}

#[test]
fn the_exported_png_matches_the_canvas_rendered_by_egui() {
    for (name, session, keys) in [
        (
            "lesson search",
            Session::new("greedy-search"),
            vec![Key::PageDown, Key::PageDown, Key::PageDown],
        ),
        (
            "lesson construction",
            Session::new("nsw-construction"),
            vec![Key::End],
        ),
        (
            "hnsw",
            Session::with_data(
                "hnsw",
                DataSettings {
                    preset: ann_explorer::engine::presets::Preset::Clusters,
                    n: 150,
                    ..DataSettings::default()
                },
            ),
            vec![Key::PageDown, Key::PageDown, Key::PageDown, Key::PageDown],
        ),
    ] {
        let (canvas, png, other, moved, canvas_w, canvas_h) = canvas_and_png(session, &keys);
        let (mean, far) = compare(&canvas, &png, canvas_w, canvas_h);
        if let Ok(dir) = std::env::var("PIXELS_DEBUG") {
            let (w, h) = (canvas_w, canvas_h);
            for (tag, px) in [("canvas", &canvas), ("png", &png), ("other", &other)] {
                let f =
                    std::fs::File::create(format!("{dir}/{}-{tag}.png", name.replace(' ', "-")))
                        .expect("debug file");
                let mut e = png::Encoder::new(f, w, h);
                e.set_color(png::ColorType::Rgba);
                e.set_depth(png::BitDepth::Eight);
                e.write_header()
                    .and_then(|mut w| w.write_image_data(px))
                    .expect("debug png");
            }
        }
        let (mean_other, far_other) = compare(&canvas, &other, canvas_w, canvas_h);
        let (mean_moved, far_moved) = compare(&canvas, &moved, canvas_w, canvas_h);
        println!(
            "{name}: mean diff {mean:.2}, far {:.3}%; first step: {mean_other:.2}, {:.3}%; moved 3 px: {mean_moved:.2}, {:.3}%",
            far * 100.0,
            far_other * 100.0,
            far_moved * 100.0
        );
        assert!(mean < 1.5, "{name}: mean channel difference {mean:.2}");
        assert!(far < 0.004, "{name}: {:.3}% of blocks far off", far * 100.0);
        // The controls fail the same tolerance: the measure sees a different step and a view
        // off by 3 pixels.
        assert!(
            far_other > 2.0 * far && far_other > 0.004,
            "{name}: the first step is told apart ({far_other} vs {far})"
        );
        assert!(
            mean_moved > 1.5 && far_moved > 0.004,
            "{name}: a 3-pixel shift is told apart ({mean_moved}, {far_moved})"
        );
    }
}
