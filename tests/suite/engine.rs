//! The quiz engine: drawing, the session state machine, deadlines, scoring, resume.

use proptest::prelude::*;
use std::collections::HashSet;
use tipquiz::bank::{Library, Question, load_shipped, parse_bank};
use tipquiz::exam::{ExamDef, Mode, Navigation, Pool, parse_exam};
use tipquiz::quiz::{
    Action, Attempt, DrawError, EndReason, Outcome, Rejection, Response, Session, Status, Verdict,
    credit, draw, score_question, seed_for,
};
use tipquiz::text::Lang;

const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
const T0: i64 = 1_800_000_000_000;

fn fixture_lib() -> Library {
    let (b, d) = parse_bank("every-type.toml", EVERY);
    assert!(d.is_empty());
    Library::build(vec![b.unwrap()]).0
}

fn shipped_lib() -> Library {
    Library::build(load_shipped().0).0
}

fn exam(count: usize, time: Option<u32>, mode: Mode) -> ExamDef {
    ExamDef::quick(&[], count, time, mode)
}

fn q<'a>(lib: &'a Library, id: &str) -> &'a Question {
    lib.question(id).unwrap()
}

/// A session over the fixture with questions in file order and no shuffling.
fn ordered(mode: Mode, time: Option<u32>) -> (Library, Session) {
    let lib = fixture_lib();
    let mut e = exam(6, time, mode);
    e.shuffle_questions = false;
    e.shuffle_choices = false;
    let s = Session::start(&e, &lib, "trainee", 1, Lang::En, T0).unwrap();
    (lib, s)
}

// ---------- drawing ----------

#[test]
fn same_seed_same_paper_and_neighbours_differ() {
    let lib = shipped_lib();
    let e = exam(20, None, Mode::Exam);
    let a = draw(&e, &lib, seed_for(&e.id, "Sara")).unwrap();
    let b = draw(&e, &lib, seed_for(&e.id, " sara ")).unwrap();
    assert_eq!(a, b, "a trainee who restarts gets the same paper");
    let c = draw(&e, &lib, seed_for(&e.id, "Omar")).unwrap();
    assert_ne!(a, c, "neighbours get different papers");
    assert_ne!(seed_for("exam-a", "Sara"), seed_for("exam-b", "Sara"));
}

#[test]
fn pools_are_filled_without_repeats_and_a_short_pool_says_how_many_exist() {
    let lib = shipped_lib();
    let (e, d) = parse_exam(
        "e.toml",
        r#"format = 1
id = "e"
title = "E"
[[pool]]
topic = "indicators"
count = 8
[[pool]]
count = 12
"#,
    );
    assert!(d.is_empty(), "{d:?}");
    let paper = draw(&e.unwrap(), &lib, 7).unwrap();
    assert_eq!(paper.len(), 20);
    let ids: HashSet<&str> = paper.iter().map(|p| p.qid.as_str()).collect();
    assert_eq!(ids.len(), 20);
    let n = lib.questions().filter(|q| q.topic == "referral").count();
    let mut big = ExamDef::quick(&["referral".to_owned()], n + 1, None, Mode::Exam);
    big.id = "big".into();
    match draw(&big, &lib, 1) {
        Err(DrawError::PoolTooSmall {
            wanted, available, ..
        }) => {
            assert_eq!((wanted, available), (n + 1, n));
        }
        other => panic!("expected PoolTooSmall, got {other:?}"),
    }
    let msg = draw(&big, &lib, 1).unwrap_err().to_string();
    assert!(msg.contains(&format!("only {n} match")), "{msg}");
}

#[test]
fn choice_shuffling_honours_shuffle_false_and_order_questions_never_start_solved() {
    let text = EVERY.replace("shuffle = true", "shuffle = false").replace(
        "answer = \"a\"\nexplanation = { en = \"Recruitment is one of the acts.\"",
        "answer = \"a\"\nshuffle = false\nexplanation = { en = \"Recruitment is one of the acts.\"",
    );
    let lib = Library::build(vec![parse_bank("x.toml", &text).0.unwrap()]).0;
    let e = exam(6, None, Mode::Exam);
    for seed in 0..50 {
        let paper = draw(&e, &lib, seed).unwrap();
        let single = paper.iter().find(|p| p.qid == "sample-single").unwrap();
        assert_eq!(
            single.order,
            vec![0, 1, 2],
            "shuffle = false keeps file order"
        );
        let order = paper.iter().find(|p| p.qid == "sample-order").unwrap();
        assert_ne!(
            order.order,
            vec![0, 1, 2],
            "an order question must not start solved"
        );
    }
}

// ---------- session ----------

#[test]
fn answer_change_clear_skip_flag_goto_and_submit() {
    let (_, mut s) = ordered(Mode::Exam, None);
    assert_eq!(
        s.update(Action::Answer(Response::Choice(1)), T0 + 1000),
        Outcome::Changed
    );
    assert_eq!(
        s.update(Action::Answer(Response::Choice(0)), T0 + 2000),
        Outcome::Changed
    );
    assert_eq!(s.state.slots[0].history.len(), 2, "every change is kept");
    assert_eq!(s.update(Action::Clear, T0 + 3000), Outcome::Changed);
    assert_eq!(s.state.slots[0].response, None);
    assert_eq!(
        s.update(Action::Answer(Response::Choice(0)), T0 + 3500),
        Outcome::Changed
    );
    assert_eq!(s.update(Action::Next, T0 + 4000), Outcome::Changed);
    assert_eq!(s.current(), 1);
    assert_eq!(s.update(Action::Flag, T0 + 4100), Outcome::Changed);
    assert_eq!(s.update(Action::Goto(4), T0 + 5000), Outcome::Changed);
    assert_eq!(
        s.update(Action::Goto(9), T0 + 5000),
        Outcome::Rejected(Rejection::OutOfRange)
    );
    assert_eq!(
        s.update(Action::Answer(Response::Choice(0)), T0 + 5000),
        Outcome::Rejected(Rejection::Invalid),
        "wrong kind for an order question"
    );
    assert_eq!(s.update(Action::Prev, T0 + 6000), Outcome::Changed);
    assert_eq!(s.current(), 3);
    assert_eq!(s.unanswered(), vec![1, 2, 3, 4, 5]);
    assert_eq!(s.flagged(), vec![1]);
    assert_eq!(
        s.update(Action::Submit, T0 + 7000),
        Outcome::Finished(EndReason::Submitted)
    );
    assert_eq!(
        s.state.status,
        Status::Finished {
            at: T0 + 7000,
            reason: EndReason::Submitted
        }
    );
    assert_eq!(
        s.update(Action::Answer(Response::Bool(true)), T0 + 8000),
        Outcome::Rejected(Rejection::Finished)
    );
}

#[test]
fn an_answer_after_the_deadline_does_not_count_and_expiry_is_seen_on_any_event() {
    let (_, mut s) = ordered(Mode::Exam, Some(60));
    assert_eq!(
        s.update(Action::Answer(Response::Choice(0)), T0 + 59_999),
        Outcome::Changed
    );
    let out = s.update(Action::Answer(Response::Choice(1)), T0 + 60_000);
    assert_eq!(out, Outcome::Finished(EndReason::TimedOut));
    assert_eq!(
        s.state.slots[0].response,
        Some(Response::Choice(0)),
        "the late answer was not taken"
    );
    assert_eq!(
        s.state.status,
        Status::Finished {
            at: T0 + 60_000,
            reason: EndReason::TimedOut
        }
    );
    let (_, mut s2) = ordered(Mode::Exam, Some(60));
    assert_eq!(
        s2.update(Action::Flag, T0 + 61_000),
        Outcome::Finished(EndReason::TimedOut)
    );
    assert_eq!(s2.next_deadline(), None);
}

#[test]
fn per_question_limits_move_on_in_exam_mode_and_lock_with_feedback_in_practice() {
    let lib = fixture_lib();
    let mut e = exam(6, None, Mode::Exam);
    e.shuffle_questions = false;
    e.question_time_limit = Some(30);
    let mut s = Session::start(&e, &lib, "t", 1, Lang::En, T0).unwrap();
    assert_eq!(s.next_deadline(), Some(T0 + 30_000));
    assert_eq!(s.tick(T0 + 30_000), Outcome::Changed);
    assert_eq!(s.current(), 1, "moved on when the question's time ran out");
    assert!(s.state.slots[0].locked);
    assert_eq!(s.update(Action::Prev, T0 + 31_000), Outcome::Changed);
    assert_eq!(
        s.update(Action::Answer(Response::Choice(0)), T0 + 31_500),
        Outcome::Rejected(Rejection::Locked)
    );
    // The short question has its own 90 s limit, which takes precedence.
    assert_eq!(s.question_limit(3), Some(90));
    e.mode = Mode::Practice;
    let mut p = Session::start(&e, &lib, "t", 1, Lang::En, T0).unwrap();
    p.tick(T0 + 30_000);
    assert_eq!(p.current(), 0, "practice mode stays to show the feedback");
    assert!(p.state.slots[0].locked && p.state.slots[0].checked);
}

#[test]
fn forward_only_navigation_refuses_going_back_and_locks_what_is_left() {
    let lib = fixture_lib();
    let mut e = exam(6, None, Mode::Exam);
    e.navigation = Navigation::ForwardOnly;
    let mut s = Session::start(&e, &lib, "t", 1, Lang::En, T0).unwrap();
    assert_eq!(s.update(Action::Next, T0 + 1), Outcome::Changed);
    assert!(s.state.slots[0].locked);
    assert_eq!(
        s.update(Action::Prev, T0 + 2),
        Outcome::Rejected(Rejection::NotAllowed)
    );
    assert_eq!(
        s.update(Action::Goto(0), T0 + 2),
        Outcome::Rejected(Rejection::NotAllowed)
    );
    assert_eq!(s.update(Action::Goto(4), T0 + 3), Outcome::Changed);
    assert!(s.state.slots[1..4].iter().all(|x| x.locked));
}

#[test]
fn practice_check_shows_feedback_once_and_exam_mode_refuses_it() {
    let (_, mut p) = ordered(Mode::Practice, None);
    assert_eq!(
        p.update(Action::Check, T0 + 1),
        Outcome::Rejected(Rejection::NothingToCheck)
    );
    p.update(Action::Answer(Response::Choice(2)), T0 + 2);
    assert_eq!(p.update(Action::Check, T0 + 3), Outcome::Changed);
    assert_eq!(
        p.update(Action::Answer(Response::Choice(0)), T0 + 4),
        Outcome::Rejected(Rejection::Locked)
    );
    let (_, mut x) = ordered(Mode::Exam, None);
    x.update(Action::Answer(Response::Choice(2)), T0 + 2);
    assert_eq!(
        x.update(Action::Check, T0 + 3),
        Outcome::Rejected(Rejection::NotAllowed)
    );
}

// ---------- scoring ----------

#[test]
fn scoring_rules_per_type() {
    let lib = fixture_lib();
    let mut pol = tipquiz::exam::ScoringPolicy::default();
    let single = q(&lib, "sample-single");
    assert_eq!(credit(single, &Response::Choice(0), &pol), 1.0);
    assert_eq!(credit(single, &Response::Choice(1), &pol), 0.0);
    // multiple: right choices a and c (k = 2)
    let m = q(&lib, "sample-multiple");
    assert_eq!(credit(m, &Response::Choices(vec![0, 2]), &pol), 1.0);
    assert_eq!(credit(m, &Response::Choices(vec![0]), &pol), 0.5);
    assert_eq!(
        credit(m, &Response::Choices(vec![0, 1]), &pol),
        0.0,
        "+1/2 - 1/2"
    );
    assert_eq!(
        credit(m, &Response::Choices(vec![1, 3]), &pol),
        0.0,
        "floored at 0"
    );
    let tf = q(&lib, "sample-tf");
    assert_eq!(credit(tf, &Response::Bool(true), &pol), 1.0);
    let short = q(&lib, "sample-short");
    assert_eq!(
        credit(short, &Response::Text(" Fifteen. ".into()), &pol),
        1.0
    );
    assert_eq!(
        credit(short, &Response::Text("١٥".into()), &pol),
        1.0,
        "Arabic-Indic digits"
    );
    assert_eq!(
        credit(short, &Response::Text("خمسَ عشرةَ".into()), &pol),
        1.0,
        "vowel marks are ignored"
    );
    assert_eq!(
        credit(short, &Response::Text("خمسة عشر".into()), &pol),
        0.0,
        "different wording is not accepted"
    );
    assert_eq!(
        credit(short, &Response::Text("خمس عشره".into()), &pol),
        1.0,
        "ta marbuta variant"
    );
    let order = q(&lib, "sample-order");
    assert_eq!(credit(order, &Response::Order(vec![0, 1, 2]), &pol), 1.0);
    assert!((credit(order, &Response::Order(vec![0, 2, 1]), &pol) - 1.0 / 3.0).abs() < 1e-9);
    let mat = q(&lib, "sample-match");
    assert!(
        (credit(mat, &Response::Match(vec![Some(0), None, Some(1)]), &pol) - 1.0 / 3.0).abs()
            < 1e-9
    );
    pol.partial_credit = false;
    assert_eq!(
        credit(m, &Response::Choices(vec![0]), &pol),
        0.0,
        "all or nothing"
    );
    assert_eq!(credit(order, &Response::Order(vec![0, 2, 1]), &pol), 0.0);
    assert_eq!(credit(m, &Response::Choices(vec![2, 0]), &pol), 1.0);
}

#[test]
fn negative_marking_speed_points_totals_and_pass_marks() {
    let lib = fixture_lib();
    let mut pol = tipquiz::exam::ScoringPolicy {
        negative_marking: 0.25,
        ..Default::default()
    };
    let short = q(&lib, "sample-short"); // 2 points, 90 s limit
    let wrong = score_question(short, Some(&Response::Text("ten".into())), &pol, None, None);
    assert_eq!((wrong.points, wrong.verdict), (-0.5, Verdict::Wrong));
    let blank = score_question(short, None, &pol, None, None);
    assert_eq!((blank.points, blank.verdict), (0.0, Verdict::Blank));
    pol.negative_marking = 0.0;
    pol.speed_points = true;
    // 45 s of a 90 s window: 2 × (1 − 45/180) = 1.5
    let fast = score_question(
        short,
        Some(&Response::Text("15".into())),
        &pol,
        Some(45.0),
        Some(90),
    );
    assert!((fast.points - 1.5).abs() < 1e-9, "{}", fast.points);
    let slow = score_question(
        short,
        Some(&Response::Text("15".into())),
        &pol,
        Some(500.0),
        Some(90),
    );
    assert!((slow.points - 1.0).abs() < 1e-9, "never below half");

    let (_, mut s) = ordered(Mode::Exam, None);
    s.state.exam.scoring.negative_marking = 1.0;
    s.state.exam.topic_pass_marks.insert("sample".into(), 50.0);
    s.update(Action::Answer(Response::Choice(1)), T0 + 1); // wrong: −1
    let sheet = s.score();
    assert_eq!(sheet.total.points, 0.0, "total floored at 0");
    assert_eq!(sheet.total.max, 7.0);
    assert!(!sheet.passed);
    assert_eq!(sheet.failed_topics, vec!["sample".to_owned()]);
    s.update(Action::Answer(Response::Choice(0)), T0 + 2);
    s.update(Action::Next, T0 + 3);
    s.update(Action::Answer(Response::Choices(vec![0, 2])), T0 + 4);
    s.update(Action::Next, T0 + 5);
    s.update(Action::Answer(Response::Bool(true)), T0 + 6);
    s.update(Action::Next, T0 + 7);
    s.update(Action::Answer(Response::Text("15".into())), T0 + 8);
    let sheet = s.score();
    assert_eq!(sheet.total.points, 5.0);
    assert!((sheet.total.percent() - 500.0 / 7.0).abs() < 1e-9);
    assert!(sheet.passed, "71.4 % ≥ 70 % and the topic mark is met");
    assert_eq!(sheet.by_difficulty.len(), 3);
}

// ---------- resume ----------

#[test]
fn save_then_resume_gives_the_same_session_and_the_clock_keeps_running() {
    let (lib, mut s) = ordered(Mode::Exam, Some(600));
    s.update(Action::Answer(Response::Choice(2)), T0 + 1000);
    s.update(Action::Next, T0 + 2000);
    s.update(Action::Flag, T0 + 2500);
    let json = serde_json::to_string(&s.state).unwrap();
    let back: Attempt = serde_json::from_str(&json).unwrap();
    let r = Session::resume(back, &lib).unwrap();
    assert_eq!(r.state, s.state);
    assert_eq!(r.questions, s.questions);
    assert_eq!(r.remaining(T0 + 300_000), Some(300_000));
    let mut late = r.clone();
    assert_eq!(
        late.tick(T0 + 700_000),
        Outcome::Finished(EndReason::TimedOut)
    );
    let mut gone = serde_json::from_str::<Attempt>(&json).unwrap();
    gone.paper[0].qid = "no-such-question".into();
    assert!(Session::resume(gone, &lib).is_err());
}

// ---------- properties ----------

fn any_response(q: &Question, seed: u64) -> Response {
    use tipquiz::bank::Kind;
    let pick = |n: usize, k: u64| {
        (seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(k) >> 33) as usize % n.max(1)
    };
    match &q.kind {
        Kind::Single { choices, .. } => Response::Choice(pick(choices.len(), 1)),
        Kind::Multiple { choices, .. } => Response::Choices(
            (0..choices.len())
                .filter(|i| pick(2, *i as u64 + 3) == 1)
                .collect(),
        ),
        Kind::TrueFalse { .. } => Response::Bool(pick(2, 5) == 1),
        Kind::Short { .. } | Kind::Numerical { .. } => {
            Response::Text(["15", "x", "fifteen", ""][pick(4, 7)].to_owned())
        }
        Kind::Order { items } => {
            let mut v: Vec<usize> = (0..items.len()).collect();
            v.rotate_left(pick(items.len(), 9));
            Response::Order(v)
        }
        Kind::Match { pairs } => Response::Match(
            (0..pairs.len())
                .map(|i| (pick(3, i as u64 + 11) > 0).then(|| pick(pairs.len(), i as u64 + 13)))
                .collect(),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn a_score_is_always_within_zero_and_max(seed in any::<u64>(), neg in 0.0f64..=1.0, speed in any::<bool>(), partial in any::<bool>()) {
        let lib = fixture_lib();
        let mut e = exam(6, None, Mode::Exam);
        e.scoring.negative_marking = neg;
        e.scoring.speed_points = speed;
        e.scoring.partial_credit = partial;
        let mut s = Session::start(&e, &lib, "t", seed, Lang::En, T0).unwrap();
        for i in 0..s.len() {
            let r = any_response(&s.questions[i], seed ^ i as u64);
            s.update(Action::Answer(r), T0 + 1000 * i as i64);
            s.update(Action::Next, T0 + 1000 * i as i64 + 500);
        }
        let sheet = s.score();
        prop_assert!(sheet.total.points >= 0.0 && sheet.total.points <= sheet.total.max + 1e-9);
        prop_assert!((0.0..=100.0).contains(&sheet.total.percent()));
        for q in &sheet.questions {
            prop_assert!(q.points <= q.max + 1e-9 && q.points >= -q.max - 1e-9);
            prop_assert!((0.0..=1.0).contains(&q.credit));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_paper_with_no_repeats(seed in any::<u64>(), count in 1usize..40) {
        let lib = shipped_lib();
        let e = exam(count, None, Mode::Exam);
        let a = draw(&e, &lib, seed).unwrap();
        prop_assert_eq!(&a, &draw(&e, &lib, seed).unwrap());
        let ids: HashSet<&str> = a.iter().map(|p| p.qid.as_str()).collect();
        prop_assert_eq!(ids.len(), count);
    }

    #[test]
    fn a_session_never_accepts_an_answer_after_its_deadline(limit in 1u32..600, after in 0i64..1_000_000, seed in any::<u64>()) {
        let lib = fixture_lib();
        let mut s = Session::start(&exam(6, Some(limit), Mode::Exam), &lib, "t", seed, Lang::En, T0).unwrap();
        let deadline = T0 + i64::from(limit) * 1000;
        let r = any_response(&s.questions[0], seed);
        let out = s.update(Action::Answer(r.clone()), deadline + after);
        prop_assert_eq!(out, Outcome::Finished(EndReason::TimedOut));
        prop_assert!(s.state.slots[0].history.is_empty());
        prop_assert!(s.state.slots.iter().all(|x| x.answered_at.is_none_or(|a| a < deadline)));
    }

    #[test]
    fn save_then_resume_is_identical(seed in any::<u64>(), steps in proptest::collection::vec(0u8..6, 0..30)) {
        let lib = fixture_lib();
        let mut s = Session::start(&exam(6, Some(3600), Mode::Exam), &lib, "t", seed, Lang::En, T0).unwrap();
        for (k, step) in steps.iter().enumerate() {
            let now = T0 + 1000 * k as i64;
            let i = s.current();
            let a = match step {
                0 => Action::Answer(any_response(&s.questions[i], seed ^ k as u64)),
                1 => Action::Next,
                2 => Action::Prev,
                3 => Action::Flag,
                4 => Action::Clear,
                _ => Action::Goto(k % 6),
            };
            s.update(a, now);
        }
        let json = serde_json::to_string(&s.state).unwrap();
        let r = Session::resume(serde_json::from_str(&json).unwrap(), &lib).unwrap();
        prop_assert_eq!(&r.state, &s.state);
        prop_assert_eq!(r.score(), s.score());
    }
}

#[test]
fn exam_files_are_validated_with_diagnostics() {
    let (e, d) = parse_exam(
        "bad-exam.toml",
        "format = 1\nid = \"x\"\ntitle = \"X\"\nmode = \"quiz\"\nnavigaton = \"free\"\n[[pool]]\ncount = 0\n",
    );
    assert!(e.is_none());
    let codes: Vec<&str> = d.iter().map(|x| x.code).collect();
    assert!(
        codes.contains(&"bad-value")
            && codes.contains(&"unknown-key")
            && codes.contains(&"not-positive"),
        "{codes:?}"
    );
    let unknown = d.iter().find(|x| x.code == "unknown-key").unwrap();
    assert_eq!(
        (unknown.line, unknown.hint.as_deref()),
        (5, Some("did you mean `navigation`?"))
    );
    let (ok, d) = parse_exam(
        "ok.toml",
        "format = 1\nid = \"x\"\ntitle = { en = \"X\", ar = \"س\" }\ntime_limit = \"25m\"\npass_mark = 70\n[scoring]\npartial_credit = false\n[[pool]]\ntopic = \"indicators\"\ndifficulty = [\"easy\", \"hard\"]\ncount = 3\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let ok = ok.unwrap();
    assert_eq!(ok.time_limit, Some(1500));
    assert!(!ok.scoring.partial_credit);
    assert_eq!(
        ok.pools,
        vec![Pool {
            topic: Some("indicators".into()),
            tags: vec![],
            difficulty: vec![
                tipquiz::bank::Difficulty::Easy,
                tipquiz::bank::Difficulty::Hard
            ],
            questions: vec![],
            count: 3
        }]
    );
}

// ---------- unconfirmed drafts at a deadline ----------

fn text(t: &str) -> Option<Response> {
    Some(Response::Text(t.into()))
}

#[test]
fn text_typed_but_not_confirmed_is_the_answer_when_the_question_time_runs_out() {
    let (_, mut s) = ordered(Mode::Exam, None);
    // The short question has a 90 s limit of its own, from when it is first shown.
    assert_eq!(s.update(Action::Goto(3), T0 + 1_000), Outcome::Changed);
    assert_eq!(
        s.set_draft(text("fifteen"), T0 + 50_000),
        Outcome::Unchanged
    );
    assert_eq!(s.state.slots[3].response, None, "a draft is no answer yet");
    assert_eq!(s.tick(T0 + 95_000), Outcome::Changed);
    assert_eq!(s.current(), 4, "moved on");
    let slot = &s.state.slots[3];
    assert_eq!(slot.response, text("fifteen"), "what was in the box counts");
    assert_eq!(
        slot.answered_at,
        Some(T0 + 91_000),
        "stamped at the deadline"
    );
    assert_eq!(slot.history.last().map(|c| c.at), Some(T0 + 91_000));
    assert!(slot.locked);
    assert_eq!(s.draft(), None, "the draft went with the question");
    assert_eq!(s.score().questions[3].credit, 1.0);
}

#[test]
fn a_draft_given_after_the_deadline_is_refused_and_the_earlier_one_counts() {
    let (_, mut s) = ordered(Mode::Exam, None);
    s.update(Action::Goto(3), T0);
    assert_eq!(s.set_draft(text("15"), T0 + 10_000), Outcome::Unchanged);
    // The next keystroke arrives after the 90 s: the expiry is applied first, with what was
    // in the box before it.
    assert_eq!(s.set_draft(text("150"), T0 + 90_000), Outcome::Changed);
    assert_eq!(s.state.slots[3].response, text("15"));
    assert_eq!(s.state.slots[3].answered_at, Some(T0 + 90_000));
    assert_eq!(s.current(), 4);
    assert_eq!(
        s.draft(),
        None,
        "the late draft was not kept for the next question"
    );
    // A draft that does not fit the question is refused.
    assert_eq!(
        s.set_draft(text("15"), T0 + 91_000),
        Outcome::Rejected(Rejection::Invalid),
        "question 5 is an order question"
    );
}

#[test]
fn a_draft_is_the_answer_when_the_exam_time_runs_out_stamped_at_the_earlier_deadline() {
    let (_, mut s) = ordered(Mode::Exam, Some(60));
    s.update(Action::Goto(3), T0 + 1_000);
    s.set_draft(text("fifteen"), T0 + 30_000);
    // Found late (the program was asleep): the question's own deadline is the exam's.
    assert_eq!(s.tick(T0 + 200_000), Outcome::Finished(EndReason::TimedOut));
    assert_eq!(s.state.slots[3].response, text("fifteen"));
    assert_eq!(s.state.slots[3].answered_at, Some(T0 + 60_000));
    assert_eq!(s.score().total.points, 2.0);

    // A longer exam clock: the question's own 90 s ran out first, and that is the stamp.
    let lib = fixture_lib();
    let mut e = exam(6, Some(600), Mode::Exam);
    e.shuffle_questions = false;
    let mut s = Session::start(&e, &lib, "t", 1, Lang::En, T0).unwrap();
    let at = (0..6)
        .find(|i| s.state.paper[*i].qid == "sample-short")
        .unwrap();
    s.update(Action::Goto(at), T0);
    s.set_draft(text("15"), T0 + 1_000);
    s.tick(T0 + 700_000);
    assert_eq!(s.state.slots[at].answered_at, Some(T0 + 90_000));
}

#[test]
fn a_draft_the_same_as_the_answer_changes_nothing_and_an_emptied_box_clears_it() {
    let (_, mut s) = ordered(Mode::Exam, None);
    s.update(Action::Goto(3), T0);
    s.update(Action::Answer(Response::Text("15".into())), T0 + 1_000);
    s.set_draft(text("15"), T0 + 2_000);
    s.tick(T0 + 90_000);
    assert_eq!(s.state.slots[3].history.len(), 1, "no second change");
    assert_eq!(s.state.slots[3].answered_at, Some(T0 + 1_000));

    let (_, mut s) = ordered(Mode::Exam, None);
    s.update(Action::Goto(3), T0);
    s.update(Action::Answer(Response::Text("15".into())), T0 + 1_000);
    s.set_draft(text(""), T0 + 2_000);
    s.tick(T0 + 90_000);
    assert_eq!(
        s.state.slots[3].response, None,
        "the box was empty when the time ran out, as when leaving it empty"
    );
}

#[test]
fn in_practice_a_draft_is_recorded_and_checked_when_the_time_runs_out() {
    let (_, mut s) = ordered(Mode::Practice, None);
    s.update(Action::Goto(3), T0);
    s.set_draft(text("15"), T0 + 5_000);
    assert_eq!(s.tick(T0 + 90_000), Outcome::Changed);
    let slot = &s.state.slots[3];
    assert!(slot.locked && slot.checked);
    assert_eq!(slot.response, text("15"));
    assert_eq!(
        s.set_draft(text("16"), T0 + 91_000),
        Outcome::Rejected(Rejection::Locked)
    );
}

// ---------- questions that must not share a paper (`excludes`) ----------

/// Six true/false questions `x-1` .. `x-6`; `x-1` excludes `x-2` (named on one side only), and
/// `x-3` excludes `x-4` and `x-5`.
fn exclusion_lib() -> Library {
    let mut text = String::from(
        "format = 1\nid = \"x\"\nlanguages = [\"en\", \"ar\"]\ntitle = { en = \"X\", ar = \"س\" }\n",
    );
    for i in 1..=6 {
        let excludes = match i {
            1 => "excludes = [\"x-2\"]\n",
            3 => "excludes = [\"x-4\", \"x-5\"]\n",
            _ => "",
        };
        text += &format!(
            "\n[[question]]\nid = \"x-{i}\"\ntype = \"true-false\"\nprompt = {{ en = \"Statement {i}.\", ar = \"العبارة {i}.\" }}\nanswer = true\n{excludes}explanation = {{ en = \"Why.\", ar = \"لماذا.\" }}\nsource = \"List\"\n"
        );
    }
    let (b, d) = parse_bank("x.toml", &text);
    assert!(d.is_empty(), "{d:?}");
    let (lib, d) = Library::build(vec![b.unwrap()]);
    assert!(d.is_empty(), "{d:?}");
    lib
}

fn exclusion_exam(pools: &str) -> ExamDef {
    let (e, d) = parse_exam(
        "e.toml",
        &format!("format = 1\nid = \"e\"\ntitle = \"E\"\n{pools}"),
    );
    assert!(d.is_empty(), "{d:?}");
    e.unwrap()
}

#[test]
fn excluded_pairs_are_never_drawn_together_whichever_side_names_the_other() {
    let lib = exclusion_lib();
    // 3 of 6 can always be drawn: whatever is taken first, at most x-2 or x-4 and x-5 drop out.
    let e = exclusion_exam("[[pool]]\ncount = 3\n");
    let mut seen = HashSet::new();
    for seed in 0..300 {
        let paper = draw(&e, &lib, seed).unwrap();
        let ids: HashSet<&str> = paper.iter().map(|p| p.qid.as_str()).collect();
        assert_eq!(ids.len(), 3);
        assert!(
            !(ids.contains("x-1") && ids.contains("x-2")),
            "seed {seed}: {ids:?}"
        );
        assert!(
            !(ids.contains("x-3") && ids.contains("x-4")),
            "seed {seed}: {ids:?}"
        );
        assert!(
            !(ids.contains("x-3") && ids.contains("x-5")),
            "seed {seed}: {ids:?}"
        );
        seen.extend(ids.iter().map(|s| (*s).to_owned()));
    }
    // every question is still drawn on some paper: exclusions leave nothing out for good
    assert_eq!(seen.len(), 6, "{seen:?}");
    // across pools too: x-1 drawn by the first pool keeps x-2 out of the second
    let e = exclusion_exam("[[pool]]\nquestions = [\"x-1\"]\n[[pool]]\ncount = 2\n");
    for seed in 0..100 {
        let paper = draw(&e, &lib, seed).unwrap();
        assert!(paper.iter().all(|p| p.qid != "x-2"), "seed {seed}");
    }
}

#[test]
fn a_pool_that_exclusions_leave_short_is_refused_and_check_warns_before() {
    let lib = exclusion_lib();
    // 5 of 6 can never be drawn: at most one of x-1/x-2, and x-3 rules out two more.
    let e = exclusion_exam("[[pool]]\ncount = 5\n");
    match draw(&e, &lib, 3) {
        Err(DrawError::PoolTooSmall {
            wanted,
            available,
            excluded,
            ..
        }) => {
            assert_eq!(wanted, 5);
            assert!(available < 5 && excluded > 0, "{available} {excluded}");
            assert_eq!(available + excluded, 6);
        }
        other => panic!("expected PoolTooSmall, got {other:?}"),
    }
    let msg = draw(&e, &lib, 3).unwrap_err().to_string();
    assert!(msg.contains("must not share a paper"), "{msg}");
    // `check` warns about a pool that some papers may leave short: 5 of the 6 are exposed
    // (x-6 is not), so a pool of 2 is at risk and a pool of 1 is not.
    let risks = tipquiz::quiz::exclusion_risks(&exclusion_exam("[[pool]]\ncount = 2\n"), &lib);
    assert_eq!(risks.len(), 1);
    assert_eq!((risks[0].matching, risks[0].exposed), (6, 5));
    assert!(
        tipquiz::quiz::exclusion_risks(&exclusion_exam("[[pool]]\ncount = 1\n"), &lib).is_empty()
    );
    let d = tipquiz::quiz::exam_problems(&exclusion_exam("[[pool]]\ncount = 2\n"), &lib, "e.toml");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "pool-may-be-short");
    assert!(d[0].message.contains("only 1"), "{}", d[0].message);
}

#[test]
fn an_unknown_excluded_id_is_a_warning() {
    let text = "format = 1\nid = \"y\"\nlanguages = [\"en\", \"ar\"]\ntitle = { en = \"Y\", ar = \"ص\" }\n\n[[question]]\nid = \"y-1\"\ntype = \"true-false\"\nprompt = { en = \"S.\", ar = \"ع.\" }\nanswer = false\nexcludes = [\"nowhere-9\"]\nexplanation = { en = \"Why.\", ar = \"لماذا.\" }\nsource = \"List\"\n";
    let (b, d) = parse_bank("y.toml", text);
    assert!(d.is_empty(), "{d:?}");
    let (_, d) = Library::build(vec![b.unwrap()]);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "unknown-exclude");
    assert_eq!(d[0].severity, tipquiz::diag::Severity::Warning);
    assert!(d[0].message.contains("nowhere-9"));
}

#[test]
fn an_exam_offers_units_and_a_unit_with_a_direction_override_is_an_error() {
    let head = "format = 1\nid = \"e\"\ntitle = \"E\"\n";
    let pool = "[[pool]]\ncount = 5\n";
    let (e, d) = parse_exam(
        "e.toml",
        &format!("{head}units = [\"Airport security\", \"خفر السواحل\"]\n{pool}"),
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(e.unwrap().units, ["Airport security", "خفر السواحل"]);
    // No list: free text only.
    let (e, _) = parse_exam("e.toml", &format!("{head}{pool}"));
    assert!(e.unwrap().units.is_empty());
    let (e, d) = parse_exam(
        "e.toml",
        &format!("{head}units = [\"Port\u{202E}ytiruces\"]\n{pool}"),
    );
    assert!(e.is_none());
    assert!(
        d.iter()
            .any(|x| (x.code == "bad-unit" || x.code == "forbidden-char") && x.line == 4),
        "{d:?}"
    );
}
