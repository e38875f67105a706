//! Every character the scenes say or draw is in a font the program loads: narration at every
//! step, pseudocode, counters, legends and canvas labels, on every built-in scene and every
//! scene of the registry; and every character of the built-in lessons and the quiz's words.

use std::collections::BTreeSet;

use ann_explorer::engine::Level;
use ann_explorer::render::{Palette, Prim, Style, Theme};
use ann_explorer::scenes::{REGISTRY, SceneAction};
use ann_explorer::session::Session;
use ann_explorer::session::scene_file::SceneFile;
use ann_explorer::trace::player::Command;
use skrifa::MetadataProvider;

/// Characters set in the proportional font (narration, labels) and in monospace (code).
#[derive(Default)]
struct Used {
    proportional: BTreeSet<char>,
    monospace: BTreeSet<char>,
}

fn collect(s: &mut Session, used: &mut Used) {
    used.monospace
        .extend(s.scene().pseudocode().iter().flat_map(|l| l.chars()));
    let out = &mut used.proportional;
    let mut add = |t: &str| out.extend(t.chars());
    s.command(Command::SetDetail(Level::Fine));
    let total = s.position().1;
    for c in 0..=total {
        s.command(Command::SeekCursor(c));
        let n = s.narration();
        add(&n.title);
        add(&n.text);
        for c in s.counters() {
            add(&c.label);
            add(&c.value);
        }
        for note in s.notes() {
            add(&note);
        }
        if c == 0 || c == total || c == total / 2 {
            let f = s.frame(Palette::for_theme(Theme::Dark), Style::default());
            for p in &f.prims {
                if let Prim::Text { text, .. } = p {
                    add(text);
                }
            }
            for l in &f.legend {
                add(&l.label);
            }
        }
    }
}

#[test]
fn every_character_the_scenes_use_has_a_glyph() {
    let mut chars = Used::default();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/scenes");
    for entry in std::fs::read_dir(dir).expect("scenes") {
        let path = entry.expect("entry").path();
        let mut s = SceneFile::load(&path)
            .expect("scene")
            .build()
            .expect("build");
        collect(&mut s, &mut chars);
    }
    for e in REGISTRY {
        let mut s = Session::new(e.info.id);
        collect(&mut s, &mut chars);
        // Every operation's words: HNSW insertions (the level drawn) and deletes too.
        if s.action(SceneAction::Insert).is_some() {
            collect(&mut s, &mut chars);
            s.with_scene(|sc, _| {
                if let Some(h) = sc
                    .as_any_mut()
                    .downcast_mut::<ann_explorer::scenes::hnsw::Hnsw>()
                    .and_then(|h| h.state.as_mut())
                {
                    h.delete_nearest([0.5, 0.5]);
                }
            });
            collect(&mut s, &mut chars);
        }
    }
    // The lessons' words, and the quiz's: what a slide and a verdict show.
    let (lessons, _) = ann_explorer::session::lesson::built_in();
    for l in &lessons {
        chars
            .proportional
            .extend(l.title.chars().chain(l.summary.chars()));
        for slide in &l.slides {
            let mut add = |t: &str| chars.proportional.extend(t.chars());
            add(&slide.title);
            add(&slide.text);
            slide.task.iter().for_each(|t| add(t));
            slide.hints.iter().for_each(|t| add(t));
            for q in &slide.questions {
                match q {
                    ann_explorer::session::lesson::Question::Choice { ask, choices } => {
                        add(ask);
                        for c in choices {
                            add(&c.text);
                            add(&c.why);
                        }
                    }
                    ann_explorer::session::lesson::Question::Node { ask, why, .. } => {
                        add(ask);
                        add(why);
                    }
                }
            }
        }
    }
    chars.proportional.extend(
        "🎯 Predict the next hop (P) [1] node S: stop here D: drop a layer ✔ ○ 💡 ❓ 📖 ✖ ⟲ ◀ ▶ ← → −1 leaving"
            .chars(),
    );
    let defs = ann_explorer::ui::font_definitions();
    let mut missing = Vec::new();
    for (family, used) in [
        (egui::FontFamily::Proportional, &chars.proportional),
        (egui::FontFamily::Monospace, &chars.monospace),
    ] {
        let fonts: Vec<skrifa::FontRef> = defs.families[&family]
            .iter()
            .map(|name| {
                let data = &defs.font_data[name];
                skrifa::FontRef::from_index(data.font.as_ref().as_ref(), data.index).expect("font")
            })
            .collect();
        missing.extend(
            used.iter()
                .filter(|c| !c.is_control() && **c != ' ')
                .filter(|&&c| !fonts.iter().any(|f| f.charmap().map(c).is_some()))
                .map(|c| format!("{c} (U+{:04X}, {family:?})", *c as u32)),
        );
    }
    assert!(missing.is_empty(), "no font has: {}", missing.join(", "));
}
