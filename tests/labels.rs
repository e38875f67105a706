//! The label placer, as the canvas and every figure use it: for every scene of the registry
//! (on the lesson data and on 100 clustered points) and every built-in scene file, at the
//! first, an early and the last step, in the normal and the presenter style, at picture sizes
//! from 700 × 450 to 1920 × 1080, no two labels intersect and every label lies inside the
//! picture above the legend strip.

use std::path::Path;

use ann_explorer::engine::presets::Preset;
use ann_explorer::render::fit::{data_room, fit_frame};
use ann_explorer::render::labels::{self, Placed};
use ann_explorer::render::{Frame, Look, Prim, legend_room};
use ann_explorer::scenes::REGISTRY;
use ann_explorer::session::figure::seek;
use ann_explorer::session::scene_file::{SceneFile, Step};
use ann_explorer::session::{DataSettings, Session};

const SIZES: [(f32, f32); 5] = [
    (700.0, 450.0),
    (1024.0, 640.0),
    (1280.0, 720.0),
    (1600.0, 1000.0),
    (1920.0, 1080.0),
];

fn text_of(frame: &Frame, p: &Placed) -> String {
    match &frame.prims[p.prim] {
        Prim::Text { text, .. } => text.clone(),
        _ => String::new(),
    }
}

/// Every problem with the labels of `session`'s step at every size and style, named. The
/// session lays out for each picture's shape as a figure does (the HNSW tower or grid).
fn problems(name: &str, session: &mut Session) -> Vec<String> {
    let mut out = Vec::new();
    for presenter in [false, true] {
        let look = Look {
            presenter,
            ..Look::default()
        };
        for (w, h) in SIZES {
            let strip = legend_room(&session.frame(look.palette(), look.style()), w, h);
            let (dw, dh) = data_room(w, h, strip);
            session.set_aspect(dw, dh);
            let frame = session.frame(look.palette(), look.style());
            let fit = fit_frame(&frame, w, h);
            let wall = fit.label_wall();
            let placed = labels::place(&frame, &|p| fit.to_picture(p), wall);
            let at = format!(
                "{name} step {} at {w}×{h}{}",
                session.position().0,
                if presenter { " presenter" } else { "" }
            );
            for (i, a) in placed.iter().enumerate() {
                if !wall.contains(&a.rect) {
                    out.push(format!(
                        "{at}: {:?} outside {wall:?}: {:?}",
                        text_of(&frame, a),
                        a.rect
                    ));
                }
                for b in &placed[i + 1..] {
                    if a.rect.intersects(&b.rect) {
                        out.push(format!(
                            "{at}: {:?} and {:?} intersect",
                            text_of(&frame, a),
                            text_of(&frame, b)
                        ));
                    }
                }
            }
        }
    }
    out
}

/// First, early and last step of `session`.
fn check_steps(name: &str, mut session: Session, found: &mut Vec<String>) {
    let last = session.position().1;
    for step in [0, 3.min(last), last] {
        seek(&mut session, Step::At(step));
        found.extend(problems(name, &mut session));
    }
}

#[test]
fn labels_of_every_scene_never_collide_or_leave_the_picture() {
    let mut found = Vec::new();
    for entry in REGISTRY {
        let id = entry.info.id;
        for (preset, n) in [(Preset::SeedLesson, 8), (Preset::Clusters, 100)] {
            let s = Session::with_data(
                id,
                DataSettings {
                    preset,
                    n,
                    seed: 7,
                    ..DataSettings::default()
                },
            );
            check_steps(&format!("{id} {preset:?} {n}"), s, &mut found);
        }
    }
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn labels_of_every_built_in_scene_file_never_collide_or_leave_the_picture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenes");
    let mut found = Vec::new();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("assets/scenes") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        files += 1;
        let file = SceneFile::load(&path).expect("scene file");
        let s = file.build().expect("builds");
        check_steps(&path.display().to_string(), s, &mut found);
    }
    assert!(files >= 6, "only {files} built-in scene files");
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn a_crowded_label_moves_away_with_a_leader_and_a_minor_one_gives_way() {
    use ann_explorer::render::{Anchor, Place, Rgba};
    let text = |at: [f32; 2], t: &str, place: Place| Prim::Text {
        pos_in_world: at,
        text: t.into(),
        size: 14.0,
        color: Rgba::rgb(255, 255, 255),
        anchor: Anchor::Right,
        gap: 4.0,
        place,
    };
    let mut frame = Frame::default();
    // Ten key labels on one point must all show, clear of each other, some with leaders.
    for k in 0..10 {
        frame
            .prims
            .push(text([0.5, 0.5], &format!("key {k}"), Place::Key));
    }
    // A minor label there has no free place near its point and is left out.
    frame.prims.push(text([0.5, 0.5], "7", Place::Minor));
    // A label at the right edge is pushed inside, not clipped.
    frame.prims.push(text(
        [1.0, 0.0],
        "a long label at the very edge",
        Place::Key,
    ));
    frame.bounds = Some(([0.0, 0.0], [1.0, 1.0]));
    let fit = fit_frame(&frame, 700.0, 450.0);
    let wall = fit.label_wall();
    let placed = labels::place(&frame, &|p| fit.to_picture(p), wall);
    let shown: Vec<String> = placed.iter().map(|p| text_of(&frame, p)).collect();
    assert_eq!(placed.len(), 11, "{shown:?}");
    assert!(!shown.contains(&"7".to_string()));
    assert!(placed.iter().filter(|p| p.leader.is_some()).count() >= 1);
    for (i, a) in placed.iter().enumerate() {
        assert!(wall.contains(&a.rect), "{:?} outside", text_of(&frame, a));
        for b in &placed[i + 1..] {
            assert!(!a.rect.intersects(&b.rect));
        }
    }
    // The first key label keeps its own place: right of the point, `gap` away.
    let p = fit.to_picture([0.5, 0.5]);
    let first = placed.iter().find(|l| l.prim == 0).expect("first label");
    assert!((first.rect.min[0] - (p[0] + 4.0)).abs() < 0.5);
    assert!(first.leader.is_none());
}
