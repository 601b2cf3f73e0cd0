//! The trainee's screens: snapshots at several sizes, in English and Arabic, and behaviour
//! driven by keys with a fake clock.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use tipquiz::bank::{Library, parse_bank};
use tipquiz::exam::{ExamDef, Mode};
use tipquiz::quiz::{Response, Status};
use tipquiz::record::Store;
use tipquiz::text::Lang;
use tipquiz::tui::app::{App, Effect, Overlay, Prefs, SaveStatus, Screen};
use tipquiz::tui::bidi::BidiMode;
use tipquiz::tui::ui::{Display, Theme, draw};

const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
const T0: i64 = 1_800_000_000_000;

fn lib() -> Arc<Library> {
    Arc::new(Library::build(vec![parse_bank("every-type.toml", EVERY).0.unwrap()]).0)
}

fn exam(time: Option<u32>, mode: Mode) -> ExamDef {
    let mut e = ExamDef::quick(&[], 6, time, mode);
    e.shuffle_questions = false;
    e.shuffle_choices = false;
    e
}

fn app(lang: Lang, dir: &std::path::Path) -> App {
    App::new(
        lib(),
        Vec::new(),
        &Prefs::default(),
        lang,
        Store::new(dir.join("autosave")),
    )
}

/// An app with a started quiz over the fixture (questions in file order, choices unshuffled
/// except order/match, which always start shuffled).
fn quiz(lang: Lang, time: Option<u32>, mode: Mode, dir: &std::path::Path) -> App {
    let mut a = app(lang, dir);
    a.fixed_exam = Some(exam(time, mode));
    a.home.trainee = "Trainee One".into();
    let fx = a.start(T0);
    assert!(fx.contains(&Effect::Autosave));
    assert!(matches!(a.screen, Screen::Quiz));
    a
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn screen(a: &App, w: u16, h: u16, now: i64) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let d = Display {
        mode: BidiMode::Reorder,
        shaping: true,
        theme: Theme { color: false },
    };
    t.draw(|f| draw(f, a, d, now)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

const SIZES: [(u16, u16); 3] = [(80, 24), (60, 16), (120, 40)];

fn snap_all(name: &str, a: &App, now: i64) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(a, w, h, now));
    }
}

#[test]
fn home_screen() {
    let d = tempfile::tempdir().unwrap();
    let a = app(Lang::En, d.path());
    snap_all("home_en", &a, T0);
    let a = app(Lang::Ar, d.path());
    snap_all("home_ar", &a, T0);
}

#[test]
fn question_screens_of_every_type() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, Some(600), Mode::Exam, d.path());
    snap_all("q_single", &a, T0 + 5_000);
    a.handle_key(ch('b'), T0 + 6_000);
    a.handle_key(key(KeyCode::Tab), T0 + 7_000);
    a.handle_key(ch('a'), T0 + 8_000);
    a.handle_key(ch('c'), T0 + 8_500);
    snap_all("q_multiple_two_ticked", &a, T0 + 9_000);
    a.handle_key(ch('n'), T0 + 10_000);
    a.handle_key(ch('f'), T0 + 10_500);
    snap_all("q_true_false_flagged", &a, T0 + 11_000);
    a.handle_key(ch('n'), T0 + 12_000);
    for c in "fifteen".chars() {
        a.handle_key(ch(c), T0 + 13_000);
    }
    snap_all("q_short_typing", &a, T0 + 14_000);
    a.handle_key(key(KeyCode::Tab), T0 + 15_000);
    a.handle_key(key(KeyCode::Char(' ')), T0 + 15_100);
    a.handle_key(key(KeyCode::Down), T0 + 15_200);
    snap_all("q_order_item_moved", &a, T0 + 16_000);
    a.handle_key(ch('n'), T0 + 17_000);
    a.handle_key(ch('b'), T0 + 17_100);
    snap_all("q_match_one_paired", &a, T0 + 18_000);
}

#[test]
fn practice_feedback_time_almost_up_submit_results_review_help_too_small() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, Some(120), Mode::Practice, d.path());
    a.handle_key(ch('b'), T0 + 3_000);
    snap_all("practice_feedback_wrong", &a, T0 + 4_000);
    a.handle_key(ch('n'), T0 + 5_000);
    let fx = a.tick(T0 + 70_000);
    assert!(fx.is_empty());
    assert_eq!(
        a.message.as_deref(),
        Some("One minute left."),
        "warned once at one minute"
    );
    snap_all("time_almost_up", &a, T0 + 70_000);
    a.handle_key(ch('?'), T0 + 71_000);
    snap_all("help", &a, T0 + 71_000);
    a.handle_key(key(KeyCode::Esc), T0 + 72_000);
    a.handle_key(ch('s'), T0 + 73_000);
    assert_eq!(a.overlay, Overlay::ConfirmSubmit);
    snap_all("submit_confirmation", &a, T0 + 73_000);
    let fx = a.handle_key(key(KeyCode::Enter), T0 + 74_000);
    assert_eq!(fx, vec![Effect::Autosave, Effect::Commit]);
    a.save = SaveStatus::Saved("/results/final--trainee-one.json".into());
    snap_all("results", &a, T0 + 75_000);
    a.handle_key(ch('r'), T0 + 76_000);
    snap_all("review_first", &a, T0 + 76_000);
    insta::assert_snapshot!("too_small", screen(&a, 50, 12, T0));
}

#[test]
fn arabic_screens() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::Ar, Some(600), Mode::Practice, d.path());
    insta::assert_snapshot!("ar_question_80x24", screen(&a, 80, 24, T0 + 1_000));
    insta::assert_snapshot!("ar_question_40x12", screen(&a, 40, 12, T0 + 1_000));
    a.handle_key(ch('١'), T0 + 2_000);
    insta::assert_snapshot!("ar_feedback_80x24", screen(&a, 80, 24, T0 + 2_000));
    a.handle_key(ch('?'), T0 + 3_000);
    insta::assert_snapshot!("ar_help_80x24", screen(&a, 80, 24, T0 + 3_000));
    a.handle_key(key(KeyCode::Esc), T0 + 3_000);
    a.handle_key(ch('s'), T0 + 4_000);
    a.handle_key(key(KeyCode::Enter), T0 + 4_000);
    insta::assert_snapshot!("ar_results_80x24", screen(&a, 80, 24, T0 + 5_000));
    a.handle_key(ch('r'), T0 + 6_000);
    insta::assert_snapshot!("ar_review_80x24", screen(&a, 80, 24, T0 + 6_000));
}

// ---------- behaviour ----------

#[test]
fn keys_answer_navigate_and_arabic_swaps_left_and_right() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, None, Mode::Exam, d.path());
    a.handle_key(ch('2'), T0 + 1);
    assert_eq!(
        a.session.as_ref().unwrap().state.slots[0].response,
        Some(Response::Choice(1))
    );
    a.handle_key(key(KeyCode::Right), T0 + 2);
    assert_eq!(a.session.as_ref().unwrap().current(), 1);
    a.handle_key(key(KeyCode::Left), T0 + 3);
    assert_eq!(a.session.as_ref().unwrap().current(), 0);

    let mut r = quiz(Lang::Ar, None, Mode::Exam, d.path());
    r.handle_key(key(KeyCode::Left), T0 + 2);
    assert_eq!(
        r.session.as_ref().unwrap().current(),
        1,
        "Left is next in Arabic"
    );
    r.handle_key(key(KeyCode::Right), T0 + 3);
    assert_eq!(r.session.as_ref().unwrap().current(), 0);
    r.handle_key(ch('٣'), T0 + 4);
    assert_eq!(
        r.session.as_ref().unwrap().state.slots[0].response,
        Some(Response::Choice(2)),
        "Arabic-Indic digit"
    );
    r.handle_key(ch('ب'), T0 + 5);
    assert_eq!(
        r.session.as_ref().unwrap().state.slots[0].response,
        Some(Response::Choice(1)),
        "Arabic label letter"
    );
    r.handle_key(ch('ش'), T0 + 6);
    assert_eq!(
        r.session.as_ref().unwrap().state.slots[0].response,
        Some(Response::Choice(0)),
        "Arabic letter on the a key"
    );
}

#[test]
fn go_to_question_and_typed_answers_are_kept_when_leaving() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, None, Mode::Exam, d.path());
    a.handle_key(ch('g'), T0 + 1);
    a.handle_key(ch('4'), T0 + 2);
    a.handle_key(key(KeyCode::Enter), T0 + 3);
    assert_eq!(a.session.as_ref().unwrap().current(), 3);
    for c in "١٥".chars() {
        a.handle_key(ch(c), T0 + 4);
    }
    a.handle_key(key(KeyCode::Tab), T0 + 5);
    let s = a.session.as_ref().unwrap();
    assert_eq!(s.state.slots[3].response, Some(Response::Text("١٥".into())));
    assert_eq!(s.score().questions[3].credit, 1.0);
}

#[test]
fn time_out_submits_automatically_with_a_message() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, Some(60), Mode::Exam, d.path());
    a.handle_key(ch('a'), T0 + 1_000);
    let fx = a.tick(T0 + 60_000);
    assert_eq!(fx, vec![Effect::Autosave, Effect::Commit]);
    assert!(matches!(a.screen, Screen::Results));
    assert_eq!(
        a.message.as_deref(),
        Some("Time is up. Your answers were submitted automatically.")
    );
    let s = a.session.as_ref().unwrap();
    assert!(matches!(s.state.status, Status::Finished { .. }));
    assert_eq!(s.score().total.points, 1.0);
}

#[test]
fn quitting_asks_first_and_ctrl_c_saves_and_leaves() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, None, Mode::Exam, d.path());
    assert!(a.handle_key(ch('q'), T0 + 1).is_empty());
    assert_eq!(a.overlay, Overlay::ConfirmQuit);
    assert!(a.handle_key(ch('n'), T0 + 2).is_empty());
    assert_eq!(a.overlay, Overlay::None);
    let fx = a.handle_key(
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
        T0 + 3,
    );
    assert_eq!(fx, vec![Effect::Autosave, Effect::Quit]);
}

#[test]
fn starting_again_offers_to_resume_with_the_same_answers_and_remaining_time() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, Some(600), Mode::Exam, d.path());
    a.handle_key(ch('c'), T0 + 1_000);
    a.handle_key(ch('n'), T0 + 2_000);
    let saved = a.session.as_ref().unwrap().state.clone();
    a.autosaves.autosave(&saved).unwrap();

    let mut b = app(Lang::En, d.path());
    b.fixed_exam = Some(exam(Some(600), Mode::Exam));
    b.home.trainee = "trainee one".into();
    b.start(T0 + 100_000);
    assert!(matches!(b.screen, Screen::Resume(_)), "offered to resume");
    b.handle_key(key(KeyCode::Enter), T0 + 101_000);
    let s = b.session.as_ref().unwrap();
    assert_eq!(s.state.slots[0].response, Some(Response::Choice(2)));
    assert_eq!(s.current(), 1);
    assert_eq!(
        s.remaining(T0 + 101_000),
        Some(499_000),
        "time kept running while closed"
    );
}

#[test]
fn order_and_match_are_answered_with_keys() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, None, Mode::Exam, d.path());
    a.handle_key(ch('g'), T0);
    a.handle_key(ch('5'), T0);
    a.handle_key(key(KeyCode::Enter), T0);
    let start = a.view.arrangement.clone();
    a.handle_key(key(KeyCode::Char(' ')), T0 + 1);
    a.handle_key(key(KeyCode::Down), T0 + 2);
    let mut expect = start.clone();
    expect.swap(0, 1);
    assert_eq!(
        a.session.as_ref().unwrap().state.slots[4].response,
        Some(Response::Order(expect))
    );
    a.handle_key(ch('n'), T0 + 3);
    let order = a.session.as_ref().unwrap().order(5).to_vec();
    a.handle_key(ch('a'), T0 + 4);
    a.handle_key(ch('b'), T0 + 5);
    let r = a.session.as_ref().unwrap().state.slots[5].response.clone();
    assert_eq!(
        r,
        Some(Response::Match(vec![Some(order[0]), Some(order[1]), None]))
    );
}

#[test]
fn the_display_check_screen_in_arabic_and_english() {
    for (lang, name) in [(Lang::Ar, "calibration_ar"), (Lang::En, "calibration_en")] {
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let d = Display {
            mode: BidiMode::Reorder,
            shaping: true,
            theme: Theme { color: false },
        };
        t.draw(|f| tipquiz::tui::ui::draw_calibration(f, lang, d))
            .unwrap();
        let buf = t.backend().buffer().clone();
        let text: String = (0..24)
            .map(|y| {
                (0..80)
                    .map(|x| buf[(x, y)].symbol().to_owned())
                    .collect::<String>()
                    .trim_end()
                    .to_owned()
                    + "\n"
            })
            .collect();
        insta::assert_snapshot!(name, text);
    }
}
