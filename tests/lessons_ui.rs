//! Lessons and predict-the-next-hop in the window, driven headless with egui_kittest: open
//! lesson 4 from the Lessons window, go to the slide where the walk from 0 gets stuck, predict
//! every hop with the keys, reach the local minimum and read the score; answer a "click the
//! node" question on the canvas.

use ann_explorer::engine::PointId;
use ann_explorer::session::lesson::NodeTarget;
use ann_explorer::session::quiz::Guess;
use ann_explorer::trace::predict::Answer;
use ann_explorer::ui::app::lessons::Given;
use egui_kittest::kittest::Queryable;

mod common;
use common::{harness, on};

#[test]
fn lesson_4_step_to_the_local_minimum_predicting_every_hop() {
    let mut h = harness(on("brute-force"));
    h.run();
    h.get_by_label("📖 Lessons").click();
    h.run();
    h.get_by_label_contains("4. Greedy search").click();
    h.run();
    h.get_by_label("From 7 to the nearest");
    assert_eq!(h.state().session.scene_id(), "greedy-search");
    h.get_by_label_contains("Skip").click();
    h.run();
    h.get_by_label("From 0: stuck");
    assert!(
        h.query_by_label_contains("✔ Your task").is_none(),
        "done before the task"
    );

    // Predict the next hop: P, then step; the walk waits at the entry, 0.
    h.key_press(egui::Key::P);
    h.run();
    assert!(h.state().session.quiz.on);
    h.key_press(egui::Key::ArrowRight);
    h.run();
    h.key_press(egui::Key::ArrowRight);
    h.run();
    let d = h
        .state()
        .session
        .quiz
        .pending
        .clone()
        .expect("a prediction is asked");
    assert_eq!(d.from, PointId(0));
    h.get_by_label_contains("Your turn: the walk is at 0");
    // The first with a click on the canvas, on the node the walk goes to.
    let Answer::Move(to) = d.answer else {
        panic!("the walk from 0 moves first: {d:?}")
    };
    let at = h.state().session.world_pos(to).expect("drawn");
    let pos = h.state().screen_pos_of(at).expect("on screen");
    h.event(egui::Event::PointerMoved(pos));
    h.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    h.step();
    h.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    h.run();
    assert_eq!(h.state().session.quiz.tried, 1, "the click answered");
    assert!(
        h.state()
            .session
            .quiz
            .feedback
            .as_ref()
            .is_some_and(|f| f.right)
    );
    let query = h.state().session.query;
    assert_ne!(query, at, "the click answered instead of moving the query");
    // Then every decision with its key: the right candidate's number, or S to stop.
    let mut answered = 1;
    while let Some(d) = h.state().session.quiz.pending.clone() {
        let key = match d.answer {
            Answer::Move(to) => {
                let n = d
                    .numbered()
                    .iter()
                    .position(|c| c.0 == to)
                    .expect("a candidate");
                [
                    egui::Key::Num1,
                    egui::Key::Num2,
                    egui::Key::Num3,
                    egui::Key::Num4,
                    egui::Key::Num5,
                ][n]
            }
            _ => egui::Key::S,
        };
        h.key_press(key);
        h.run();
        answered += 1;
        assert!(answered < 20, "the walk never ends");
    }
    assert!(
        h.state()
            .session
            .quiz
            .feedback
            .as_ref()
            .is_some_and(|f| f.right)
    );
    // To the end: the local minimum, the task done, the score said.
    h.key_press(egui::Key::End);
    h.run();
    assert!(h.state().session.narration().alert);
    h.get_by_label_contains("✔ Your task");
    let score = format!("{answered} of {answered} right");
    assert!(
        h.query_all_by_label_contains(&score).next().is_some(),
        "no '{score}' on screen"
    );
    // The task is done, but the slide is not until its questions are answered right.
    assert!(!h.state().lessons.progress.contains_key("04-greedy-search"));

    // "Click the true nearest": the answer is graded from the trace (6, not where it stopped).
    h.get_by_label("Answer by clicking a node").click();
    h.run();
    let truth = NodeTarget::TrueNearest
        .node(&h.state().session)
        .expect("a true nearest");
    assert_eq!(truth, PointId(6));
    let wrong = h.state().session.world_pos(PointId(1)).expect("drawn");
    assert!(h.state_mut().lesson_click(wrong, 0.02));
    h.run();
    assert_eq!(
        h.state().lessons.answers[0],
        Some(Given::Node {
            id: PointId(1),
            right: false
        })
    );
    h.get_by_label("Answer by clicking a node").click();
    h.run();
    let at = h.state().session.world_pos(truth).expect("drawn");
    assert!(h.state_mut().lesson_click(at, 0.02));
    h.run();
    h.get_by_label_contains("Right: you chose 6");
    h.get_by_label("A node none of whose neighbours is closer to the query")
        .click();
    h.run();
    h.get_by_label_contains("Right. The walk has nowhere better to go");
    // Now the slide is remembered as done.
    assert!(
        h.state()
            .lessons
            .progress
            .get("04-greedy-search")
            .is_some_and(|d| d.contains(&1))
    );
}

#[test]
fn pgdn_at_the_end_of_a_slide_goes_to_the_next_and_a_wrong_guess_is_explained() {
    let mut h = harness(on("greedy-search"));
    h.run();
    assert!(h.state_mut().open_slide(3, 0));
    h.run();
    // A wrong prediction through the session: explained with the real distances.
    h.state_mut().session.set_quiz(true);
    h.state_mut().session.step_forward();
    h.state_mut().session.step_forward();
    let fb = h.state_mut().session.guess(Guess::Stop).expect("graded");
    assert!(
        !fb.right && fb.text.contains("closest neighbour is 5"),
        "{}",
        fb.text
    );
    h.state_mut().session.set_quiz(false);
    h.key_press(egui::Key::End);
    h.run();
    h.key_press(egui::Key::PageDown);
    h.run();
    assert_eq!(h.state().lessons.current, Some((3, 1)));
    h.get_by_label("From 0: stuck");
}
