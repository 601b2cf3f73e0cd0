//! Paced play's state machine: one question at a time for the whole class, the countdown, the
//! reveal with the class's distribution, speed points by the engine's formula, the podium,
//! and every attempt an ordinary one.

use tipquiz::bank::{Library, parse_bank};
use tipquiz::exam::ExamDef;
use tipquiz::quiz::paced::{Paced, PacedError, Phase, View};
use tipquiz::quiz::{Status, Verdict};
use tipquiz::text::Lang;

const T0: i64 = 1_800_000_000_000;

/// Three questions: two single choice (keys c and a), one true/false (false), with choices
/// shuffled so that display positions differ from file positions.
fn lib() -> Library {
    let bank = r#"format = 1
id = "paced"
topic = "paced"
languages = ["en"]
title = "Paced"

[[question]]
id = "p-1"
type = "single"
difficulty = "easy"
prompt = "Which instrument defines trafficking in persons?"
choices = ["Rome Statute", "Hague Convention", "Palermo Protocol", "Vienna Convention"]
answer = "c"
explanation = "Article 3."
source = "Palermo Protocol, art. 3"

[[question]]
id = "p-2"
type = "true-false"
difficulty = "easy"
prompt = "Consent of a child changes whether it is trafficking."
answer = false
explanation = "Article 3(c)."
source = "Palermo Protocol, art. 3(c)"

[[question]]
id = "p-3"
type = "single"
difficulty = "medium"
prompt = "Which body receives referrals?"
choices = ["The referral mechanism", "The court", "The embassy"]
answer = "a"
explanation = "The national referral mechanism."
source = "Test"
"#;
    let (b, d) = parse_bank("paced.toml", bank);
    assert!(d.is_empty(), "{d:?}");
    Library::build(vec![b.unwrap()]).0
}

fn exam() -> ExamDef {
    let mut e = ExamDef::quick(
        &["paced".to_owned()],
        3,
        Some(600),
        tipquiz::exam::Mode::Exam,
    );
    e.shuffle_questions = false;
    e.shuffle_choices = true;
    e.question_time_limit = Some(20);
    e
}

/// The engine's speed formula for a 1-point question answered right after `secs` of a
/// `window`-second clock.
fn speed(secs: f64, window: f64) -> f64 {
    1.0 - secs.clamp(0.0, window) / (2.0 * window)
}

#[test]
fn a_game_runs_question_by_question_with_distribution_speed_points_and_podium() {
    let lib = lib();
    let mut g = Paced::new(&exam(), &lib, 77).unwrap();
    assert_eq!(g.len(), 3);
    assert!(g.exam().scoring.speed_points);
    assert_eq!(g.exam().time_limit, None);
    let names = ["Aisha Karim", "Bader Saleh", "Dana Yousef", "Fahad Nasser"];
    for (i, n) in names.iter().enumerate() {
        assert_eq!(g.join(&lib, n, Lang::En, T0 + i as i64).unwrap(), i);
    }
    assert_eq!(g.view(0, T0 + 10), Some(View::Lobby { players: 4 }));
    // Nothing is answered before the instructor opens a question.
    assert!(!g.answer(0, 0, T0 + 20));

    // Question 1 opens at t1 for everybody.
    let t1 = T0 + 60_000;
    assert!(matches!(g.advance(t1), Phase::Open { q: 0, .. }));
    let right = g.right_position(0).unwrap();
    let wrong = (right + 1) % 4;
    assert_eq!(
        g.view(2, t1 + 4_500),
        Some(View::Open {
            q: 0,
            left: 15_500,
            answered: None
        })
    );
    // Aisha right after 3.7 s, Bader right after 12.25 s, Dana wrong after 1.9 s, and Dana's
    // second press does not count. Fahad does not answer; the clock closes the question.
    assert!(g.answer(0, right, t1 + 3_700));
    assert!(g.answer(1, right, t1 + 12_250));
    assert!(g.answer(2, wrong, t1 + 1_900));
    assert!(!g.answer(2, right, t1 + 2_000));
    assert!(matches!(g.phase(), Phase::Open { .. }));
    assert!(
        !g.answer(3, right, t1 + 20_000),
        "at the deadline it is closed"
    );
    assert_eq!(g.phase(), Phase::Closed { q: 0 });
    let (counts, blank) = g.distribution(0);
    let mut expect = vec![0; 4];
    expect[right] = 2;
    expect[wrong] = 1;
    assert_eq!((counts, blank), (expect, 1));
    let s = g.standings();
    assert_eq!(s[0].name, "Aisha Karim");
    assert!(
        (s[0].points - speed(3.7, 20.0)).abs() < 1e-9,
        "{}",
        s[0].points
    );
    assert!((s[1].points - speed(12.25, 20.0)).abs() < 1e-9);
    match g.view(2, t1 + 21_000).unwrap() {
        View::Closed {
            verdict,
            points,
            right: r,
            answered,
            rank,
            ..
        } => {
            assert_eq!(verdict, Verdict::Wrong);
            assert_eq!(points, 0.0);
            assert_eq!(r, Some(right));
            assert_eq!(answered, Some(wrong));
            assert_eq!(rank, 3, "Dana and Fahad have 0; Dana comes first by name");
        }
        v => panic!("{v:?}"),
    }

    // Question 2 (true/false): everybody connected answers, so it closes before its clock.
    let t2 = t1 + 45_000;
    assert!(matches!(g.advance(t2), Phase::Open { q: 1, .. }));
    assert_eq!(g.right_position(1), Some(1), "false is the second position");
    g.leave(3);
    assert!(g.answer(0, 1, t2 + 2_000));
    assert!(g.answer(1, 0, t2 + 2_500));
    assert!(g.answer(2, 1, t2 + 9_999));
    assert_eq!(g.phase(), Phase::Closed { q: 1 });
    assert_eq!(g.distribution(1), (vec![1, 2], 1));

    // Fahad comes back with the same name (any spacing and case): the same place.
    assert_eq!(
        g.join(&lib, " fahad nasser ", Lang::En, t2 + 30_000)
            .unwrap(),
        3
    );
    // A newcomer during the reveal joins with nothing answered.
    assert_eq!(g.join(&lib, "Ghada Ali", Lang::Ar, t2 + 31_000).unwrap(), 4);

    // Question 3; the instructor closes it early, then ends on the podium.
    let t3 = t2 + 60_000;
    assert!(matches!(g.advance(t3), Phase::Open { q: 2, .. }));
    let r3 = g.right_position(2).unwrap();
    assert!(g.answer(4, r3, t3 + 5_000));
    assert!(g.answer(0, r3, t3 + 6_000));
    assert_eq!(g.advance(t3 + 7_000), Phase::Closed { q: 2 });
    assert!(!g.answer(1, r3, t3 + 7_500));
    assert_eq!(g.advance(t3 + 30_000), Phase::Podium);
    assert!(matches!(
        g.join(&lib, "Too Late", Lang::En, t3 + 31_000),
        Err(PacedError::Over)
    ));

    let s = g.standings();
    let aisha = speed(3.7, 20.0) + speed(2.0, 20.0) + speed(6.0, 20.0);
    assert_eq!(s[0].name, "Aisha Karim");
    assert!(
        (s[0].points - aisha).abs() < 1e-9,
        "{} vs {aisha}",
        s[0].points
    );
    assert_eq!(s[0].right, 3);
    match g.view(0, t3 + 31_000).unwrap() {
        View::Podium {
            rank, of, right, ..
        } => assert_eq!((rank, of, right), (1, 5, 3)),
        v => panic!("{v:?}"),
    }
    // Every attempt is an ordinary finished one: the same paper, the times of the game, and
    // the engine's score equals the leaderboard.
    for p in &g.players {
        assert!(matches!(p.session.state.status, Status::Finished { .. }));
        assert_eq!(p.session.state.seed, 77);
        if p.name != "Ghada Ali" {
            assert_eq!(p.session.state.slots[0].first_shown, Some(t1));
        }
        assert_eq!(p.session.state.slots[2].first_shown, Some(t3));
        let st = s.iter().find(|x| x.name == p.name).unwrap();
        assert_eq!(p.session.score().total.points, st.points);
    }
    assert_eq!(g.players[4].session.state.lang, Lang::Ar);
    // Ghada joined during the second reveal: the first question was never shown to her.
    assert_eq!(g.players[4].session.state.slots[0].first_shown, None);
    assert_eq!(g.players[4].session.state.slots[0].response, None);
}

#[test]
fn a_question_that_needs_more_than_one_key_is_refused_with_its_id() {
    let (b, d) = parse_bank(
        "every-type.toml",
        include_str!("../fixtures/valid/every-type.toml"),
    );
    assert!(d.is_empty());
    let lib = Library::build(vec![b.unwrap()]).0;
    let mut e = ExamDef::quick(&[], 6, None, tipquiz::exam::Mode::Exam);
    e.shuffle_questions = false;
    let err = Paced::new(&e, &lib, 1).unwrap_err().to_string();
    assert!(err.contains("single choice or true/false"), "{err}");
    assert!(err.contains("sample-short"), "{err}");
}

#[test]
fn a_saved_game_written_to_disk_is_taken_up_with_every_answer_time_and_phase() {
    let lib = lib();
    let mut g = Paced::new(&exam(), &lib, 91).unwrap();
    for (i, n) in ["Aisha Karim", "بدر صالح", "Dana Yousef"]
        .iter()
        .enumerate()
    {
        g.join(&lib, n, Lang::En, T0 + i as i64).unwrap();
    }
    let t1 = T0 + 30_000;
    g.advance(t1);
    let right = g.right_position(0).unwrap();
    assert!(g.answer(0, right, t1 + 2_300));
    assert!(g.answer(1, (right + 1) % 4, t1 + 5_100));
    // Question 2 is open, one trainee has answered, when the server goes down.
    assert!(g.tick(t1 + 21_000));
    assert_eq!(g.phase(), Phase::Closed { q: 0 });
    let t2 = t1 + 40_000;
    g.advance(t2);
    let r2 = g.right_position(1).unwrap();
    assert!(g.answer(2, r2, t2 + 4_000));
    let before = g.standings();

    // Through a real file, as the server writes and reads it.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("paced-game.json");
    std::fs::write(&file, serde_json::to_vec(&g.saved()).unwrap()).unwrap();
    let saved = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let mut back = Paced::restore(&exam(), &lib, saved).unwrap();

    assert_eq!(back.phase(), g.phase());
    assert!(matches!(back.phase(), Phase::Open { q: 1, .. }));
    assert_eq!(back.standings(), before);
    assert_eq!(back.distribution(0), g.distribution(0));
    assert_eq!(back.distribution(1), g.distribution(1));
    assert_eq!(back.question(1).map(|q| q.1), g.question(1).map(|q| q.1));
    // Nobody is connected after a restart: a trainee comes back by name, in the same place.
    assert_eq!(back.answered(1), (1, 0));
    assert_eq!(
        back.join(&lib, "بدر صالح", Lang::Ar, t2 + 9_000).unwrap(),
        1
    );
    // The open question goes on against its own clock: an answer in time counts, at its time.
    assert!(back.answer(1, r2, t2 + 9_500));
    // Every connected trainee has answered: the question closes.
    assert!(!back.answer(0, r2, t2 + 9_600));
    assert_eq!(back.phase(), Phase::Closed { q: 1 });
    back.finish(t2 + 30_000);
    let s = back
        .standings()
        .into_iter()
        .find(|s| s.name == "بدر صالح")
        .unwrap();
    let want = speed(9.5, 20.0);
    assert!((s.points - want).abs() < 1e-9, "{} vs {want}", s.points);
    assert!(
        back.players
            .iter()
            .all(|p| p.session.state.status != Status::Running)
    );
}

#[test]
fn a_saved_game_of_another_exam_or_paper_is_refused() {
    let lib = lib();
    let mut g = Paced::new(&exam(), &lib, 5).unwrap();
    g.join(&lib, "Aisha Karim", Lang::En, T0).unwrap();
    let mut other = exam();
    other.id = "another".to_owned();
    assert!(matches!(
        Paced::restore(&other, &lib, g.saved()),
        Err(PacedError::Saved(_))
    ));
    // A trainee's paper that is not the game's (a hand-edited or mixed-up file).
    let mut saved = g.saved();
    saved.players[0].paper.reverse();
    assert!(matches!(
        Paced::restore(&exam(), &lib, saved),
        Err(PacedError::Saved(_))
    ));
}

/// The shipped live quiz (`serve --paced --exam live-quiz`) is a paced game as shipped: every
/// question answered with one key, three from each of the four modules, 30 seconds each, and
/// its true/false keys balanced; whatever the seed, the game starts.
#[test]
fn the_shipped_live_quiz_is_a_paced_game_of_the_four_modules() {
    use tipquiz::bank::Kind;
    let lib = crate::class::shipped();
    let (exam, diags) = tipquiz::exam::parse_exam(
        "live-quiz.toml",
        include_str!("../../questions/exams/live-quiz.toml"),
    );
    let exam = exam.unwrap_or_else(|| panic!("{diags:?}"));
    for seed in [1_u64, 7, 2_026, 90_210, u64::MAX - 3] {
        let game = Paced::new(&exam, &lib, seed).unwrap_or_else(|e| panic!("seed {seed}: {e:?}"));
        assert_eq!(game.len(), 12);
        assert_eq!(game.exam().question_time_limit, Some(30));
        let mut per_topic = std::collections::BTreeMap::new();
        let (mut yes, mut no) = (0, 0);
        for q in 0..game.len() {
            let (question, _) = game.question(q).unwrap();
            *per_topic.entry(question.topic.clone()).or_insert(0) += 1;
            match question.kind {
                Kind::TrueFalse { answer: true } => yes += 1,
                Kind::TrueFalse { answer: false } => no += 1,
                _ => {}
            }
        }
        let want: std::collections::BTreeMap<String, i32> = [
            "indicators",
            "international-law",
            "national-law",
            "referral",
        ]
        .into_iter()
        .map(|t| (t.to_owned(), 3))
        .collect();
        assert_eq!(per_topic, want, "seed {seed}");
        assert_eq!((yes, no), (3, 3), "seed {seed}");
    }
}

/// On an English console, an Arabic name in the leaderboard keeps its column: drawn as this
/// program lays out right-to-left text, the name comes before its points, as "Sara K" does
/// (the points once joined the name's right-to-left run and were drawn before it).
#[test]
fn an_arabic_name_on_an_english_console_stays_before_its_points() {
    use tipquiz::tui::bidi::{BidiMode, Dir, visual_lines};
    let lib = crate::class::shipped();
    let (exam, _) = tipquiz::exam::parse_exam(
        "live-quiz.toml",
        include_str!("../../questions/exams/live-quiz.toml"),
    );
    let mut game = Paced::new(&exam.unwrap(), &lib, 11).unwrap();
    game.join(&lib, "Sara K", Lang::En, T0).unwrap();
    game.join(&lib, "سالم علي", Lang::Ar, T0).unwrap();
    let lines = tipquiz::serve::console::paced_lines(&game, T0 + 1_000, 100, Lang::En);
    let shown: Vec<String> = lines
        .iter()
        .map(|l| {
            visual_lines(&l.text, Dir::Ltr, 100, BidiMode::Reorder, false)
                .concat()
                .chars()
                .filter(|c| !tipquiz::tui::bidi::is_bidi_control(*c))
                .collect()
        })
        .collect();
    let visual_name: String = "سالم علي".chars().rev().collect();
    for (name, n) in [("Sara K", "1."), (visual_name.as_str(), "2.")] {
        let row = shown
            .iter()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no row of {name}: {shown:#?}"));
        let (at_n, at_name, at_points) = (
            row.find(n).unwrap(),
            row.find(name).unwrap(),
            row.find("0.00").unwrap(),
        );
        assert!(at_n < at_name && at_name < at_points, "{row:?}");
    }
    // The two rows' points line up.
    let cols: Vec<usize> = shown
        .iter()
        .filter(|l| l.contains("0.00"))
        .map(|l| {
            let at = l.find("0.00").unwrap();
            tipquiz::tui::bidi::cell_width(&l[..at])
        })
        .collect();
    assert_eq!(cols.len(), 2, "{shown:#?}");
    assert_eq!(cols[0], cols[1], "{shown:?}");
}

/// The projector labels the answers with the letters every trainee presses and sees: a b c for
/// English, أ ب ج for Arabic, both ("a/أ") when the class plays in both; and a long question
/// wraps at the console's width rather than being cut.
#[test]
fn the_console_labels_answers_for_every_language_in_the_game_and_wraps_the_question() {
    use tipquiz::serve::console::{paced_labels, paced_lines};
    let lib = crate::class::shipped();
    let (exam, _) = tipquiz::exam::parse_exam(
        "live-quiz.toml",
        include_str!("../../questions/exams/live-quiz.toml"),
    );
    let exam = exam.unwrap();
    let game = |langs: &[Lang]| {
        let mut g = Paced::new(&exam, &lib, 11).unwrap();
        for (i, l) in langs.iter().enumerate() {
            g.join(&lib, &format!("Trainee {i}"), *l, T0).unwrap();
        }
        g
    };
    // Nobody yet: the console's own letters.
    assert_eq!(paced_labels(&game(&[]), Lang::En, 3), ["a", "b", "c"]);
    assert_eq!(paced_labels(&game(&[]), Lang::Ar, 3), ["أ", "ب", "ج"]);
    // Only Arabic trainees, on an English console: theirs.
    assert_eq!(paced_labels(&game(&[Lang::Ar]), Lang::En, 2), ["أ", "ب"]);
    // Both: the console's first.
    let both = game(&[Lang::En, Lang::Ar]);
    assert_eq!(
        paced_labels(&both, Lang::En, 4),
        ["a/أ", "b/ب", "c/ج", "d/د"]
    );
    assert_eq!(paced_labels(&both, Lang::Ar, 2), ["أ/a", "ب/b"]);
    // On the console: the open question's answers carry both letters; the question (longer
    // than a line in some) is marked to wrap, the bars and the leaderboard are not.
    let mut g = both;
    g.advance(T0 + 1_000);
    for lang in [Lang::En, Lang::Ar] {
        let lines = paced_lines(&g, T0 + 2_000, 78, lang);
        let (question, _) = g.question(0).unwrap();
        let prompt = lines
            .iter()
            .find(|l| l.text == question.prompt.get(lang))
            .unwrap_or_else(|| panic!("no prompt: {lines:#?}"));
        assert!(prompt.wrap, "{prompt:?}");
        let first = if lang == Lang::En { "a/أ) " } else { "أ/a) " };
        let answer = lines.iter().find(|l| l.text.starts_with(first));
        assert!(answer.is_some_and(|l| !l.wrap), "{lines:#?}");
        assert!(lines[0].wrap, "the game's state wraps: {lines:#?}");
    }
}
