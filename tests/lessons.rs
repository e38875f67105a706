//! Lessons: every built-in lesson loads; every slide's check fails where the slide starts and
//! holds after its own demonstration, driven through the scene as the window would; node
//! questions are graded from the trace (a new data seed moves the answer with the walk);
//! predict-the-next-hop grades against the walk and keeps score; a malformed lesson is
//! refused by name and the others still load.

use ann_explorer::engine::PointId;
use ann_explorer::session::LookSettings;
use ann_explorer::session::lesson::{self, Check, CheckContext, Lesson, NodeTarget, SlideState};
use ann_explorer::session::quiz::Guess;
use ann_explorer::trace::predict::Answer;

#[test]
fn every_built_in_lesson_loads_and_tells_the_story_in_order() {
    let (lessons, bad) = lesson::built_in();
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(lessons.len(), 12);
    for (i, l) in lessons.iter().enumerate() {
        assert!(l.title.starts_with(&format!("{}.", i + 1)), "{}", l.title);
        assert!(!l.slides.is_empty());
        for s in &l.slides {
            assert!(!s.text.is_empty() && !s.title.is_empty());
        }
    }
    assert_eq!(
        lesson::find("4").map(|l| l.id),
        Some("04-greedy-search".into())
    );
    assert_eq!(
        lesson::find("04-greedy-search").map(|l| l.slides.len()),
        Some(3)
    );
    assert!(lesson::find("99").is_none());
}

#[test]
fn every_check_fails_before_its_task_and_holds_after_the_demonstration() {
    let (lessons, _) = lesson::built_in();
    let mut checked = 0;
    for l in &lessons {
        for (i, slide) in l.slides.iter().enumerate() {
            let at = format!("{} slide {}", l.id, i + 1);
            let mut s = slide.state.open(LookSettings::default()).expect(&at);
            let cx = CheckContext {
                query: Some(s.query),
                answered: false,
            };
            let Some(check) = &slide.check else { continue };
            assert!(!check.holds(&s, &cx), "{at}: done before the task");
            assert!(
                !slide.show.is_empty(),
                "{at}: a check with no demonstration"
            );
            for a in &slide.show {
                a.apply(&mut s)
                    .unwrap_or_else(|e| panic!("{at}: {a:?}: {e}"));
            }
            // A demonstration that runs in the background (the lab's sweep) is done when
            // its check holds: wait for it, as the window does.
            let t0 = std::time::Instant::now();
            while !check.holds(&s, &cx) && t0.elapsed().as_secs() < 300 {
                s.tick(0.0);
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            assert!(
                check.holds(&s, &cx),
                "{at}: not done after the demonstration ({check:?})"
            );
            checked += 1;
        }
    }
    assert!(checked >= 14, "only {checked} slides have checks");
}

#[test]
fn node_questions_are_graded_from_the_walk_not_the_lesson() {
    let l = lesson::find("4").expect("lesson 4");
    // Slide 2: from 0 on the lesson's 8 points the walk stops at 1, not at the nearest, 6.
    let mut s = l.slides[1]
        .state
        .open(LookSettings::default())
        .expect("opens");
    s.command(ann_explorer::trace::player::Command::Last);
    assert_eq!(NodeTarget::LocalMinimum.node(&s), Some(PointId(1)));
    assert_eq!(NodeTarget::TrueNearest.node(&s), Some(PointId(6)));
    // Slide 1: from 7 the walk is 7 → 5 → 2 → 6.
    let s1 = l.slides[0]
        .state
        .open(LookSettings::default())
        .expect("opens");
    let moves: Vec<Answer> = s1.decisions().iter().map(|d| d.answer).collect();
    assert_eq!(
        moves,
        vec![
            Answer::Move(PointId(5)),
            Answer::Move(PointId(2)),
            Answer::Move(PointId(6)),
            Answer::Stop
        ]
    );
    assert_eq!(NodeTarget::NextHop.node(&s1), Some(PointId(5)));
    // Another seed on uniform data: the targets follow the new walk.
    for seed in [3, 8, 21] {
        let mut state: SlideState = l.slides[2].state.clone();
        if let Some(d) = state.data.as_mut() {
            d.seed = seed;
        }
        let s = state.open(LookSettings::default()).expect("opens");
        let stop = s
            .decisions()
            .into_iter()
            .find(|d| d.answer == Answer::Stop)
            .map(|d| d.from);
        assert_eq!(NodeTarget::LocalMinimum.node(&s), stop, "seed {seed}");
        let truth = s
            .scene()
            .walk_trace()
            .and_then(|t| t.nearest())
            .map(|t| t.0);
        assert_eq!(NodeTarget::TrueNearest.node(&s), truth, "seed {seed}");
    }
}

#[test]
fn predict_the_next_hop_pauses_before_each_move_and_grades_it() {
    let l = lesson::find("4").expect("lesson 4");
    let mut s = l.slides[0]
        .state
        .open(LookSettings::default())
        .expect("opens");
    s.set_quiz(true);
    // The first step starts the walk at 7; the next waits for a prediction.
    assert!(s.step_forward());
    assert!(s.narration().title.contains('7'));
    let cursor = s.cursor();
    assert!(!s.step_forward());
    assert_eq!(s.cursor(), cursor);
    let d = s.quiz.pending.clone().expect("a decision waits");
    assert_eq!(d.from, PointId(7));
    assert_eq!(d.answer, Answer::Move(PointId(5)));
    // A wrong answer is explained with the real distances and breaks the streak.
    let fb = s.guess(Guess::Node(PointId(3))).expect("graded");
    assert!(!fb.right && fb.text.contains("5 at"), "{}", fb.text);
    // The step was carried out: the walk is at 5 and waits again.
    assert!(s.cursor() > cursor);
    assert_eq!(s.quiz.pending.as_ref().map(|d| d.from), Some(PointId(5)));
    // Candidates are numbered by id, not by distance; the right number varies.
    for _ in 0..2 {
        let d = s.quiz.pending.clone().expect("a decision waits");
        let Answer::Move(to) = d.answer else {
            panic!("a move was expected: {d:?}")
        };
        let n = d.numbered().iter().position(|c| c.0 == to).expect("listed") + 1;
        assert!(s.guess_number(n).expect("graded").right);
    }
    // At 6 no neighbour is closer: "stop".
    assert_eq!(
        s.quiz.pending.as_ref().map(|d| d.answer),
        Some(Answer::Stop)
    );
    assert!(s.guess(Guess::Stop).expect("graded").right);
    assert_eq!(s.quiz_score(), "3 of 4 right, streak 3 (best 3)");
    assert!(s.why().is_some_and(|w| w.contains("stopped")));
    // A new query is a new run: a fresh score.
    s.set_query([0.9, 0.9]);
    s.sync_quiz();
    assert_eq!(s.quiz.tried, 0);
}

#[test]
fn hnsw_walks_ask_to_drop_a_layer() {
    let l = lesson::find("6").expect("lesson 6");
    let s = l.slides[1]
        .state
        .open(LookSettings::default())
        .expect("opens");
    let ds = s.decisions();
    assert!(ds.iter().any(|d| d.answer == Answer::Drop), "{ds:?}");
    assert!(ds.iter().all(|d| d.layer.is_some()));
}

#[test]
fn a_malformed_lesson_is_refused_by_name_and_slide() {
    let e = Lesson::parse("broken", "{ \"title\": ").expect_err("not JSON");
    assert!(
        e.to_string().contains("'broken'") && e.to_string().contains("line 1"),
        "{e}"
    );
    let e = Lesson::parse("empty", r#"{ "title": "x", "slides": [] }"#).expect_err("no slides");
    assert!(e.to_string().contains("no slides"), "{e}");
    let two = r#"{ "title": "x", "slides": [
        { "title": "a", "text": "t", "state": { "scene": "brute-force" } },
        { "title": "b", "text": "t", "state": { "scene": "no-such-scene" } } ] }"#;
    let e = Lesson::parse("two", two).expect_err("bad scene");
    assert_eq!(e.slide, Some(2), "{e}");
    assert!(e.to_string().contains("no-such-scene"), "{e}");
    let bad_setting = r#"{ "title": "x", "slides": [
        { "title": "a", "text": "t", "state": { "scene": "greedy-search", "settings": { "m": "many" } } } ] }"#;
    let e = Lesson::parse("setting", bad_setting).expect_err("bad setting");
    assert_eq!(e.slide, Some(1), "{e}");
    // Slides that could never be done are refused when the lesson loads, by slide.
    let slide = |body: &str| {
        format!(
            r#"{{ "title": "x", "slides": [
            {{ "title": "ok", "text": "t", "state": {{ "scene": "brute-force" }} }},
            {{ "title": "b", "text": "t", {body} }} ] }}"#
        )
    };
    for (body, says) in [
        (
            r#""state": { "scene": "greedy-search", "settings": { "ef_constrution": 3 } }"#,
            "no setting 'ef_constrution'",
        ),
        (
            r#""state": { "scene": "greedy-search" }, "check": { "setting": { "key": "efff", "min": 2 } }"#,
            "setting 'efff'",
        ),
        (
            r#""state": { "scene": "brute-force" }, "questions": [ { "choice": { "ask": "?", "choices": [ { "text": "a", "why": "b" } ] } } ]"#,
            "no right answer",
        ),
        (
            r#""state": { "scene": "brute-force" }, "questions": [ { "node": { "ask": "?", "target": "answer" } } ]"#,
            "no walk",
        ),
        (
            r#""state": { "scene": "greedy-search" }, "show": [ { "set": { "key": "m", "value": "lots" } } ]"#,
            "'show' action 1",
        ),
    ] {
        let e = Lesson::parse("checked", &slide(body)).expect_err(says);
        assert_eq!(e.slide, Some(2), "{e}");
        assert!(e.to_string().contains(says), "{e} (wanted '{says}')");
    }
    // A check that reads a setting the scene lacks does not hold (and does not panic).
    let s = lesson::find("1").expect("lesson 1").slides[0]
        .state
        .open(LookSettings::default())
        .expect("opens");
    let c = Check::Setting {
        key: "nope".into(),
        min: Some(1.0),
        max: None,
        equals: None,
    };
    assert!(!c.holds(&s, &CheckContext::default()));
}

#[test]
fn lesson_6_descends_layer_by_layer_to_the_exact_match() {
    let l = lesson::find("6").expect("lesson 6");
    let mut s = l.slides[1]
        .state
        .open(LookSettings::default())
        .expect("opens");
    s.command(ann_explorer::trace::player::Command::Last);
    let drops = s
        .decisions()
        .iter()
        .filter(|d| d.answer == Answer::Drop)
        .count();
    assert!(drops >= 2, "{drops} drops");
    assert_eq!(s.points.len(), 40);
    let answer = NodeTarget::Answer.node(&s);
    assert!(answer.is_some());
    assert_eq!(answer, NodeTarget::TrueNearest.node(&s));
}

#[test]
fn a_beam_is_asked_which_candidate_it_expands_next() {
    let l = lesson::find("5").expect("lesson 5");
    let mut s = l.slides[1]
        .state
        .open(LookSettings::default())
        .expect("opens");
    s.set_scene_setting("greedy-search", "ef", "8").expect("ef");
    let ds = s.decisions();
    assert!(ds.len() > 3 && ds.iter().all(|d| d.beam), "{ds:?}");
    // Each expansion is the closest candidate not yet expanded; the last decision is the stop.
    for d in &ds[..ds.len() - 1] {
        assert_eq!(d.answer, Answer::Move(d.candidates[0].0), "{d:?}");
    }
    assert_eq!(ds.last().map(|d| d.answer), Some(Answer::Stop));
    // Graded like a greedy walk: the chosen candidate's number, then S.
    s.set_quiz(true);
    let mut n = 0;
    for _ in 0..200 {
        if s.quiz.pending.is_none() && !s.step_forward() && s.quiz.pending.is_none() {
            break;
        }
        let Some(d) = s.quiz.pending.clone() else {
            continue;
        };
        let fb = match d.answer {
            Answer::Move(to) => s.guess(Guess::Node(to)),
            _ => s.guess(Guess::Stop),
        }
        .expect("graded");
        assert!(fb.right, "{}", fb.text);
        n += 1;
    }
    assert_eq!(n, ds.len());
    assert_eq!(s.quiz.right as usize, ds.len());
}

#[test]
fn the_numbers_do_not_give_the_answer_away_and_play_stops_at_every_question() {
    let l = lesson::find("4").expect("lesson 4");
    let mut s = l.slides[2]
        .state
        .open(LookSettings::default())
        .expect("opens");
    let ds = s.decisions();
    // Numbered by id: the walk's choice is not always number 1.
    let numbers: Vec<usize> = ds
        .iter()
        .filter_map(|d| match d.answer {
            Answer::Move(to) => d.numbered().iter().position(|c| c.0 == to),
            _ => None,
        })
        .collect();
    assert!(numbers.iter().any(|&n| n != 0), "{numbers:?}");
    // Playing fast (many steps a frame) still stops before every decision.
    s.set_quiz(true);
    s.command(ann_explorer::trace::player::Command::SetSpeed(2000.0));
    s.command(ann_explorer::trace::player::Command::Play);
    let mut asked = 0;
    for _ in 0..10_000 {
        s.tick(0.1);
        if let Some(d) = s.quiz.pending.clone() {
            let next = s.scene().steps().and_then(|(p, t)| p.next_cursor(t));
            assert_eq!(next, Some(d.at + 1), "paused just before the decision");
            asked += 1;
            s.reveal();
            s.command(ann_explorer::trace::player::Command::Play);
        }
        if s.position().0 == s.position().1 {
            break;
        }
    }
    assert_eq!(asked, ds.len());
}

#[test]
fn the_remedies_lesson_starts_stuck_and_each_remedy_does_better() {
    let l = lesson::find("5").expect("lesson 5");
    let open = |i: usize| {
        l.slides[i]
            .state
            .open(LookSettings::default())
            .expect("opens")
    };
    let mut greedy = open(0);
    greedy.command(ann_explorer::trace::player::Command::Last);
    let truth = NodeTarget::TrueNearest.node(&greedy);
    let stop = NodeTarget::LocalMinimum.node(&greedy);
    assert!(
        stop.is_some() && stop != truth,
        "greedy is not stuck: {stop:?} vs {truth:?}"
    );
    for a in &l.slides[0].show {
        a.apply(&mut greedy).expect("restarts");
    }
    // On the trap every restart drains into the same local minimum (the slide says so)…
    assert_eq!(
        NodeTarget::Answer.node(&greedy),
        stop,
        "restarts escape the trap"
    );
    assert!(greedy.counters().iter().any(|c| c.label == "hops"));
    let mut beam = open(1);
    for a in &l.slides[1].show {
        a.apply(&mut beam).expect("ef = 8");
    }
    // … while a beam of ef = 8 finds the true nearest.
    assert_eq!(
        NodeTarget::Answer.node(&beam),
        truth,
        "ef = 8 finds the nearest"
    );
    // Lesson 3's first task ends when point 3 is linked.
    let l3 = lesson::find("3").expect("lesson 3");
    let mut s = l3.slides[0]
        .state
        .open(LookSettings::default())
        .expect("opens");
    for a in &l3.slides[0].show {
        a.apply(&mut s).expect("steps");
    }
    let n = s.narration();
    assert!(n.title.contains('3') || n.text.contains("3 "), "{n:?}");
}
