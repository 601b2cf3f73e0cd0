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
use tipquiz::tui::app::{App, Effect, Field, Input, Overlay, Prefs, SaveStatus, Screen};
use tipquiz::tui::bidi::BidiMode;
use tipquiz::tui::keymap::{self, Action, Context};
use tipquiz::tui::ui::{Display, Theme, draw};

const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
pub(crate) const T0: i64 = 1_800_000_000_000;

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
pub(crate) fn quiz(lang: Lang, time: Option<u32>, mode: Mode, dir: &std::path::Path) -> App {
    let mut a = app(lang, dir);
    a.fixed_exam = Some(exam(time, mode));
    a.form_mut().trainee = "Trainee One".into();
    let fx = a.start(T0);
    assert!(fx.contains(&Effect::Autosave));
    assert!(matches!(a.screen, Screen::Quiz(_)));
    a
}

pub(crate) fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

pub(crate) fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

pub(crate) fn screen(a: &App, w: u16, h: u16, now: i64) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let d = Display {
        mode: BidiMode::Reorder,
        shaping: true,
        theme: Theme { color: false },
    };
    t.draw(|f| {
        draw(f, a, d, now);
    })
    .unwrap();
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

/// Draw at `w` x `h` and hand the scroll limits found to the app, as the event loop does.
fn measure(a: &mut App, w: u16, h: u16, now: i64) {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let d = Display::default();
    let mut limits = None;
    t.draw(|f| limits = Some(draw(f, a, d, now))).unwrap();
    a.update(Input::Measured(limits.unwrap()), now);
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
    a.handle_key(key(KeyCode::Tab), T0 + 10_000);
    a.handle_key(ch('*'), T0 + 10_500);
    snap_all("q_true_false_flagged", &a, T0 + 11_000);
    a.handle_key(key(KeyCode::Tab), T0 + 12_000);
    for c in "fifteen".chars() {
        a.handle_key(ch(c), T0 + 13_000);
    }
    snap_all("q_short_typing", &a, T0 + 14_000);
    a.handle_key(key(KeyCode::Tab), T0 + 15_000);
    a.handle_key(key(KeyCode::Char(' ')), T0 + 15_100);
    a.handle_key(key(KeyCode::Down), T0 + 15_200);
    snap_all("q_order_item_moved", &a, T0 + 16_000);
    a.handle_key(key(KeyCode::Tab), T0 + 17_000);
    a.handle_key(ch('b'), T0 + 17_100);
    snap_all("q_match_one_paired", &a, T0 + 18_000);
}

#[test]
fn practice_feedback_time_almost_up_submit_results_review_help_too_small() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, Some(120), Mode::Practice, d.path());
    a.handle_key(ch('b'), T0 + 3_000);
    snap_all("practice_feedback_wrong", &a, T0 + 4_000);
    a.handle_key(key(KeyCode::Tab), T0 + 5_000);
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
    a.handle_key(ctrl('s'), T0 + 73_000);
    assert_eq!(a.overlay, Overlay::ConfirmSubmit);
    snap_all("submit_confirmation", &a, T0 + 73_000);
    let fx = a.handle_key(key(KeyCode::Enter), T0 + 74_000);
    assert_eq!(fx, vec![Effect::Autosave, Effect::Commit]);
    a.update(
        Input::Saved(SaveStatus::Saved("/results/final--trainee-one.json".into())),
        T0,
    );
    snap_all("results", &a, T0 + 75_000);
    a.handle_key(ch('r'), T0 + 76_000);
    snap_all("review_first", &a, T0 + 76_000);
    insta::assert_snapshot!("too_small", screen(&a, 29, 8, T0));
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
    a.handle_key(ctrl('s'), T0 + 4_000);
    // The unanswered questions are listed with the Arabic comma.
    let confirm = screen(&a, 80, 24, T0 + 4_000);
    let list = confirm
        .lines()
        .find(|l| l.contains('4'))
        .unwrap_or_default();
    assert!(list.contains('،') && !list.contains(','), "{confirm}");
    a.handle_key(key(KeyCode::Enter), T0 + 4_000);
    insta::assert_snapshot!("ar_results_80x24", screen(&a, 80, 24, T0 + 5_000));
    a.handle_key(ch('r'), T0 + 6_000);
    insta::assert_snapshot!("ar_review_80x24", screen(&a, 80, 24, T0 + 6_000));
}

// ---------- small terminals ----------

/// Every screen of the trainee, in `lang`, as (name, app, time of drawing).
pub(crate) fn every_screen(lang: Lang, dir: &std::path::Path) -> Vec<(String, App, i64)> {
    // Each attempt saves in its own folder, so that none is offered to resume another.
    let sub = |name: &str| {
        let p = dir.join(format!("{lang:?}-{name}"));
        std::fs::create_dir_all(&p).unwrap();
        p
    };
    let mut out: Vec<(String, App, i64)> = Vec::new();
    let mut push = |name: &str, a: &App, now: i64| out.push((name.to_owned(), a.clone(), now));
    let t = tipquiz::tui::i18n::ui(lang);

    let mut h = app(lang, &sub("home"));
    push("home", &h, T0);
    h.form_mut().focus = Field::Start;
    h.message = Some(t.need_trainee.to_owned());
    push("home_start_message", &h, T0);
    // The digit style chosen on the home screen, with the keys.
    let mut g = app(lang, &sub("home"));
    g.form_mut().trainee = "Trainee One".into();
    g.form_mut().focus = Field::Language;
    g.handle_key(key(KeyCode::Down), T0);
    g.handle_key(key(KeyCode::Right), T0);
    assert_eq!(g.form().focus, Field::Digits);
    assert_eq!(g.digits, tipquiz::text::Digits::Arabic);
    push("home_digits_arabic", &g, T0);

    // Exam mode: every question type.
    let mut a = quiz(lang, Some(600), Mode::Exam, &sub("exam"));
    push("q_single", &a, T0 + 5_000);
    a.handle_key(ch('b'), T0 + 6_000);
    a.handle_key(key(KeyCode::Tab), T0 + 7_000);
    a.handle_key(ch('a'), T0 + 8_000);
    a.handle_key(ch('c'), T0 + 8_500);
    push("q_multiple_two_ticked", &a, T0 + 9_000);
    a.handle_key(key(KeyCode::Tab), T0 + 10_000);
    a.handle_key(ch('*'), T0 + 10_500);
    push("q_true_false_flagged", &a, T0 + 11_000);
    a.handle_key(key(KeyCode::Tab), T0 + 12_000);
    for c in "fifteen".chars() {
        a.handle_key(ch(c), T0 + 13_000);
    }
    push("q_short_typing", &a, T0 + 14_000);
    a.handle_key(key(KeyCode::Tab), T0 + 15_000);
    a.handle_key(key(KeyCode::Char(' ')), T0 + 15_100);
    a.handle_key(key(KeyCode::Down), T0 + 15_200);
    push("q_order_item_moved", &a, T0 + 16_000);
    a.handle_key(key(KeyCode::Tab), T0 + 17_000);
    a.handle_key(ch('b'), T0 + 17_100);
    push("q_match_one_paired", &a, T0 + 18_000);
    a.handle_key(ch('#'), T0 + 19_000);
    a.handle_key(ch('3'), T0 + 19_100);
    push("goto", &a, T0 + 19_200);
    a.handle_key(key(KeyCode::Esc), T0 + 19_300);
    a.handle_key(key(KeyCode::Esc), T0 + 20_000);
    push("quit_confirmation", &a, T0 + 20_000);
    a.handle_key(ch('n'), T0 + 20_100);
    a.handle_key(ctrl('s'), T0 + 21_000);
    push("submit_confirmation", &a, T0 + 21_000);
    a.handle_key(ch('n'), T0 + 21_100);
    a.handle_key(ch('?'), T0 + 22_000);
    push("help", &a, T0 + 22_000);

    // The short question's own 90 s run out: its answer is locked.
    let mut l = quiz(lang, Some(600), Mode::Exam, &sub("locked"));
    l.handle_key(ch('#'), T0 + 1_000);
    l.handle_key(ch('4'), T0 + 1_100);
    l.handle_key(key(KeyCode::Enter), T0 + 1_200);
    for c in "15".chars() {
        l.handle_key(ch(c), T0 + 2_000);
    }
    l.tick(T0 + 95_000);
    l.handle_key(key(KeyCode::BackTab), T0 + 96_000);
    let ls = l.session().unwrap();
    assert_eq!(ls.current(), 3);
    assert!(ls.state.slots[3].locked);
    push("q_short_locked", &l, T0 + 96_000);

    // Practice: feedback with explanation and source, the last minute, results, review.
    let mut p = quiz(lang, Some(120), Mode::Practice, &sub("practice"));
    p.handle_key(ch('b'), T0 + 3_000);
    push("practice_feedback_wrong", &p, T0 + 4_000);
    p.handle_key(key(KeyCode::Tab), T0 + 5_000);
    p.handle_key(ch('a'), T0 + 5_500);
    push("practice_multiple_unchecked", &p, T0 + 6_000);
    p.tick(T0 + 70_000);
    push("time_almost_up", &p, T0 + 70_000);
    p.handle_key(ctrl('s'), T0 + 73_000);
    p.handle_key(key(KeyCode::Enter), T0 + 74_000);
    p.update(
        Input::Saved(SaveStatus::Saved("/results/final--trainee-one.json".into())),
        T0,
    );
    push("results", &p, T0 + 75_000);
    p.handle_key(ch('r'), T0 + 76_000);
    push("review_first", &p, T0 + 76_000);

    // The clock ran out.
    let mut u = quiz(lang, Some(60), Mode::Exam, &sub("time-up"));
    u.handle_key(ch('a'), T0 + 1_000);
    u.tick(T0 + 60_000);
    assert!(matches!(u.screen, Screen::Results(_)));
    push("time_up", &u, T0 + 61_000);

    // An unfinished attempt is offered.
    let saved = a.session().unwrap().state.clone();
    a.autosaves.autosave(&saved).unwrap();
    let mut r = app(lang, &sub("exam"));
    r.fixed_exam = Some(exam(Some(600), Mode::Exam));
    r.form_mut().trainee = "trainee one".into();
    r.start(T0 + 100_000);
    assert!(matches!(r.screen, Screen::Resume(_)));
    push("resume", &r, T0 + 100_000);
    out
}

fn calibration(lang: Lang, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let d = Display {
        mode: BidiMode::Reorder,
        shaping: true,
        theme: Theme { color: false },
    };
    t.draw(|f| tipquiz::tui::ui::draw_calibration(f, lang, d))
        .unwrap();
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect::<String>()
                .trim_end()
                .to_owned()
                + "\n"
        })
        .collect()
}

#[test]
fn every_screen_in_arabic_at_80x24() {
    let d = tempfile::tempdir().unwrap();
    for (name, a, now) in every_screen(Lang::Ar, d.path()) {
        let s = screen(&a, 80, 24, now);
        insta::assert_snapshot!(format!("every_ar_{name}_80x24"), s);
    }
}

#[test]
fn every_screen_at_40x12_in_english_and_arabic() {
    let d = tempfile::tempdir().unwrap();
    for (lang, code) in [(Lang::En, "en"), (Lang::Ar, "ar")] {
        for (name, a, now) in every_screen(lang, d.path()) {
            insta::assert_snapshot!(
                format!("compact_{code}_{name}_40x12"),
                screen(&a, 40, 12, now)
            );
        }
        insta::assert_snapshot!(
            format!("compact_{code}_calibration_40x12"),
            calibration(lang, 40, 12)
        );
    }
}

#[test]
fn no_screen_panics_or_overflows_at_any_small_size() {
    let d = tempfile::tempdir().unwrap();
    let mut sizes: Vec<(u16, u16)> = Vec::new();
    for w in 1..=45 {
        for h in 1..=14 {
            sizes.push((w, h));
        }
    }
    sizes.extend([
        (39, 11),
        (20, 5),
        (59, 15),
        (59, 16),
        (60, 15),
        (200, 8),
        (30, 100),
        (1, 60),
        (250, 3),
        (29, 8),
        (30, 7),
    ]);
    let cw = tipquiz::tui::bidi::cell_width;
    for lang in [Lang::En, Lang::Ar] {
        let screens = every_screen(lang, d.path());
        for &(w, h) in &sizes {
            for (name, a, now) in &screens {
                let text = screen(a, w, h, *now);
                for line in text.lines() {
                    assert!(
                        cw(line) <= usize::from(w),
                        "{name} {lang:?} at {w}x{h}: line wider than the area: {line:?}"
                    );
                }
            }
            for line in calibration(lang, w, h).lines() {
                assert!(cw(line) <= usize::from(w), "calibration at {w}x{h}");
            }
        }
    }
}

#[test]
fn the_question_at_40x12_shows_its_first_words_the_choices_and_the_timer() {
    let d = tempfile::tempdir().unwrap();
    let a = quiz(Lang::En, Some(600), Mode::Exam, d.path());
    let s = screen(&a, 40, 12, T0 + 5_000);
    for want in [
        "Which element of",
        "a) ( ) The act",
        "b) ( ) The means",
        "c) ( ) The purpose",
        "09:55",
        "1/6",
    ] {
        assert!(s.contains(want), "{want:?} missing from\n{s}");
    }
    // Arabic, unshaped so that the letters can be searched: reordered for display, right-aligned,
    // with the labels and the cursor on the right.
    let a = quiz(Lang::Ar, Some(600), Mode::Exam, d.path());
    let mut t = Terminal::new(TestBackend::new(40, 12)).unwrap();
    let disp = Display {
        mode: BidiMode::Reorder,
        shaping: false,
        theme: Theme { color: false },
    };
    t.draw(|f| {
        draw(f, &a, disp, T0 + 5_000);
    })
    .unwrap();
    let buf = t.backend().buffer().clone();
    let rows: Vec<String> = (0..12)
        .map(|y| (0..40).map(|x| buf[(x, y)].symbol().to_owned()).collect())
        .collect();
    let all = rows.join("\n");
    let rev = |s: &str| s.chars().rev().collect::<String>();
    for want in ["عناصر", "الفعل", "الوسيلة", "الغرض"] {
        assert!(all.contains(&rev(want)), "{want} missing from\n{all}");
    }
    assert!(all.contains("09:55"), "timer missing from\n{all}");
    let choice_rows: Vec<&String> = rows.iter().filter(|r| r.contains(") ")).collect();
    assert_eq!(choice_rows.len(), 3, "{all}");
    for (row, label) in choice_rows.iter().zip(["أ", "ب", "ج"]) {
        let trimmed = row.trim_end();
        assert!(
            trimmed.chars().count() >= 38,
            "choice row right-aligned (but for the cursor's place): {row:?}"
        );
        let tail: String = trimmed.chars().rev().take(6).collect();
        assert!(tail.contains(label), "label {label} on the right: {row:?}");
    }
    assert!(
        choice_rows[0].trim_end().ends_with('◀') || choice_rows[0].trim_end().ends_with("◀ "),
        "cursor on the right: {:?}",
        choice_rows[0]
    );
}

#[test]
fn small_screens_scroll_with_the_arrow_keys() {
    let d = tempfile::tempdir().unwrap();
    // Practice feedback at 40x12 starts at the verdict; Up scrolls back to the question.
    let mut a = quiz(Lang::En, Some(600), Mode::Practice, d.path());
    a.handle_key(ch('b'), T0 + 1_000);
    let s = screen(&a, 40, 9, T0 + 1_000);
    assert!(s.contains("Incorrect."), "{s}");
    assert!(!s.contains("Which element"), "{s}");
    for _ in 0..20 {
        measure(&mut a, 40, 9, T0 + 1_000);
        a.handle_key(key(KeyCode::Up), T0 + 1_000);
    }
    measure(&mut a, 40, 9, T0 + 1_000);
    let s = screen(&a, 40, 9, T0 + 1_000);
    assert!(s.contains("Which element"), "{s}");
    // One Down after many Ups moves at once: the scroll is clamped to what can be scrolled.
    a.handle_key(key(KeyCode::Down), T0 + 1_000);
    let s2 = screen(&a, 40, 9, T0 + 1_000);
    assert!(!s2.contains("Which element"), "{s2}");
    // Help scrolls; any other key closes it.
    a.handle_key(ch('?'), T0 + 2_000);
    let top = screen(&a, 40, 12, T0 + 2_000);
    measure(&mut a, 40, 12, T0 + 2_000);
    a.handle_key(key(KeyCode::Down), T0 + 2_000);
    assert_eq!(a.overlay, Overlay::Help);
    let below = screen(&a, 40, 12, T0 + 2_000);
    assert_ne!(top, below);
    a.handle_key(key(KeyCode::Esc), T0 + 2_000);
    assert_eq!(a.overlay, Overlay::None);
    assert_eq!(a.page_scroll, 0);
}

/// The host's events are inputs of the update like the keys: a smaller window pulls the
/// scrolling back at once (the drawing only reads it), a saved record and a message reach
/// the screens through it.
#[test]
fn window_changes_and_host_events_go_through_update() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, Some(600), Mode::Practice, d.path());
    a.handle_key(ch('?'), T0 + 1_000);
    measure(&mut a, 40, 12, T0 + 1_000);
    for _ in 0..50 {
        a.handle_key(key(KeyCode::Down), T0 + 1_000);
    }
    let deep = a.page_scroll;
    assert!(deep > 3, "the help scrolls at 40x12: {deep}");
    // The window grows: the same help now scrolls less far, and the update clamps at once.
    measure(&mut a, 120, 40, T0 + 1_000);
    assert!(a.page_scroll < deep, "{} < {deep}", a.page_scroll);
    let at_most = a.scroll_limits.page_max;
    assert_eq!(a.page_scroll, at_most);
    // One Up moves the page at once, not after undoing the lines scrolled past the end.
    let before = screen(&a, 120, 40, T0 + 1_000);
    a.handle_key(key(KeyCode::Up), T0 + 1_000);
    if at_most > 0 {
        assert_ne!(screen(&a, 120, 40, T0 + 1_000), before);
    }
    a.handle_key(key(KeyCode::Esc), T0 + 1_000);
    // A message from the host, and clearing it.
    a.update(Input::Notice(Some("disk slow".into())), T0 + 2_000);
    assert!(screen(&a, 80, 24, T0 + 2_000).contains("disk slow"));
    a.update(Input::Notice(None), T0 + 2_000);
    assert!(!screen(&a, 80, 24, T0 + 2_000).contains("disk slow"));
    // A tick past the deadline ends the attempt, as the loop's timeout does.
    let fx = a.update(Input::Tick, T0 + 601_000);
    assert!(fx.contains(&Effect::Commit), "{fx:?}");
    assert!(matches!(a.screen, Screen::Results(_)));
    a.update(
        Input::Saved(SaveStatus::Failed("disk full".into(), None)),
        T0 + 601_000,
    );
    assert!(matches!(a.save_status(), Some(SaveStatus::Failed(..))));
}

/// A bank of `n` single-choice questions, numbered in their prompts.
fn numbered_bank(n: usize) -> Arc<Library> {
    let mut toml = String::from(
        "format = 1\nid = \"many\"\ntopic = \"many\"\nlanguages = [\"en\", \"ar\"]\n\
         title = { en = \"Many\", ar = \"كثير\" }\n[defaults]\npoints = 1\n",
    );
    for i in 1..=n {
        toml.push_str(&format!(
            "[[question]]\nid = \"q{i:02}\"\ntype = \"single\"\ndifficulty = \"easy\"\n\
             prompt = {{ en = \"Prompt number {i}?\", ar = \"السؤال رقم {i}؟\" }}\n\
             choices = [{{ en = \"Yes {i}\", ar = \"نعم {i}\" }}, {{ en = \"No {i}\", ar = \"لا {i}\" }}]\n\
             answer = \"a\"\n"
        ));
    }
    let bank = parse_bank("many.toml", &toml).0.unwrap();
    Arc::new(Library::build(vec![bank]).0)
}

/// The row of question numbers above the message line, as drawn at `w` x `h`, and the text
/// of its cells in reverse video (the current question).
fn strip_row(a: &App, w: u16, h: u16) -> (String, String) {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let d = Display {
        mode: BidiMode::Reorder,
        shaping: true,
        theme: Theme { color: false },
    };
    t.draw(|f| {
        draw(f, a, d, T0 + 1_000);
    })
    .unwrap();
    let buf = t.backend().buffer();
    let y = h - 3;
    let mut row = String::new();
    let mut current = String::new();
    for x in 0..w {
        let c = &buf[(x, y)];
        row.push_str(c.symbol());
        if c.modifier.contains(ratatui::style::Modifier::REVERSED) {
            current.push_str(c.symbol());
        }
    }
    (row, current)
}

/// The counts of hidden numbers at the two ends of a drawn question strip, (before the first
/// shown, after the last shown), and the question numbers shown. A count sits against its sign,
/// which points outward: "‹3" and "12›" in English, "3›" (right) and "‹12" (left) in Arabic.
fn strip_counts(row: &str, lang: Lang) -> (usize, usize, Vec<usize>) {
    let left = regex::Regex::new(r"^\s*‹(\d+)").unwrap();
    let right = regex::Regex::new(r"(\d+)›\s*$").unwrap();
    let count = |re: &regex::Regex| -> (usize, String) {
        match re.captures(row) {
            Some(c) => (c[1].parse().unwrap(), c[0].to_owned()),
            None => (0, String::new()),
        }
    };
    let ((l, ltext), (r, rtext)) = (count(&left), count(&right));
    let inner = &row[ltext.len()..row.len() - rtext.len()];
    assert!(
        !inner.contains('‹') && !inner.contains('›'),
        "a sign away from the ends: {row}"
    );
    let shown: Vec<usize> = inner
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    if lang == Lang::Ar {
        (r, l, shown.into_iter().rev().collect())
    } else {
        (l, r, shown)
    }
}

/// At 80 columns a 30-question exam does not fit in the row of question numbers: each end
/// says how many numbers are hidden there ("‹3", "12›"; mirrored in Arabic so that the signs
/// point outward), the counts and the numbers shown add up to 30, and the current question is
/// always among those shown.
#[test]
fn the_question_strip_shows_how_many_are_hidden_and_keeps_the_current_one() {
    let lib = numbered_bank(30);
    for lang in [Lang::En, Lang::Ar] {
        let d = tempfile::tempdir().unwrap();
        let mut a = App::new(
            Arc::clone(&lib),
            Vec::new(),
            &Prefs::default(),
            lang,
            Store::new(d.path().join("autosave")),
        );
        let mut e = ExamDef::quick(&[], 30, Some(1800), Mode::Exam);
        e.shuffle_questions = false;
        a.fixed_exam = Some(e);
        a.form_mut().trainee = "Trainee One".into();
        a.start(T0);
        assert_eq!(a.session().unwrap().len(), 30);
        // Onward is Right in English, Left in Arabic.
        let onward = if lang == Lang::Ar {
            KeyCode::Left
        } else {
            KeyCode::Right
        };
        let mut hid_both = false;
        for q in 1..=30usize {
            let (row, current) = strip_row(&a, 80, 24);
            assert_eq!(current.trim(), q.to_string(), "{lang:?} q{q}: {row}");
            assert!(row.chars().count() <= 80);
            let (before, after, shown) = strip_counts(&row, lang);
            assert!(
                shown.len() < 30,
                "{lang:?}: not all fit at 80 columns: {row}"
            );
            let (lo, hi) = (shown[0], shown[shown.len() - 1]);
            assert_eq!(
                shown,
                (lo..=hi).collect::<Vec<_>>(),
                "{lang:?} q{q}: the numbers shown run in order: {row}"
            );
            assert!((lo..=hi).contains(&q), "{lang:?} q{q}: {row}");
            assert_eq!(before, lo - 1, "{lang:?} q{q}: hidden before {lo}: {row}");
            assert_eq!(after, 30 - hi, "{lang:?} q{q}: hidden after {hi}: {row}");
            assert_eq!(before + shown.len() + after, 30, "{lang:?} q{q}: {row}");
            hid_both |= before > 0 && after > 0;
            a.handle_key(key(onward), T0 + 1_000);
        }
        assert!(
            hid_both,
            "{lang:?}: some question has numbers hidden at both ends"
        );
        // At 120 columns all 30 fit and no sign is drawn.
        let (row, _) = strip_row(&a, 120, 40);
        assert!(!row.contains('‹') && !row.contains('›'), "{lang:?}: {row}");
        let (before, after, shown) = strip_counts(&row, lang);
        assert_eq!((before, after), (0, 0));
        assert_eq!(shown, (1..=30).collect::<Vec<_>>(), "{lang:?}: {row}");
    }
}

/// A title wider than the header's line (in either language, at 80 and 120 columns) is cut
/// with "…" where the line runs out, and the other end keeps the level and the mode whole;
/// a title that fits is drawn whole, without "…".
#[test]
fn a_title_wider_than_the_line_is_cut_with_an_ellipsis_and_the_level_and_mode_stay() {
    let lib = numbered_bank(3);
    let long_en = "A final assessment on combating trafficking in persons for every unit \
                   of the regional police academy, all modules, second session";
    let long_ar = "التقييم النهائي لمكافحة الاتجار بالأشخاص لجميع وحدات أكاديمية الشرطة \
                   الإقليمية، كل الوحدات، الدورة الثانية";
    for lang in [Lang::En, Lang::Ar] {
        for (title, cut) in [("Short", false), (long_en, true), (long_ar, true)] {
            for mode in [Mode::Exam, Mode::Practice] {
                let d = tempfile::tempdir().unwrap();
                let mut a = App::new(
                    Arc::clone(&lib),
                    Vec::new(),
                    &Prefs::default(),
                    lang,
                    Store::new(d.path().join("autosave")),
                );
                let mut e = ExamDef::quick(&[], 3, Some(600), mode);
                e.title = tipquiz::text::Text::from_pairs([("en", title), ("ar", title)]);
                a.fixed_exam = Some(e);
                a.form_mut().trainee = "Trainee One".into();
                a.start(T0);
                let t = tipquiz::tui::i18n::ui(lang);
                let mode_word = if mode == Mode::Exam {
                    t.exam_short
                } else {
                    t.practice_short
                };
                let level_mode = as_drawn(&format!("{} · {mode_word}", t.easy), lang);
                for (w, h) in [(80u16, 24u16), (120, 40)] {
                    let head = screen(&a, w, h, T0).lines().next().unwrap().to_owned();
                    let what = format!("{lang:?} {mode:?} {w} {title:.10}: {head}");
                    assert!(head.chars().count() <= usize::from(w), "{what}");
                    // The level and mode at the line's end: the right in English, the left in
                    // Arabic.
                    if lang == Lang::Ar {
                        assert!(head.starts_with(&level_mode), "{what}");
                    } else {
                        assert!(head.ends_with(&level_mode), "{what}");
                    }
                    assert_eq!(head.contains('…'), cut, "{what}");
                    // The question's number stays whole: the title is cut before it.
                    let number =
                        as_drawn(&tipquiz::messages::fill(t.question_n_of, &["1", "3"]), lang);
                    assert!(head.contains(&number), "no {number:?}: {what}");
                    if cut {
                        // The title fills the line up to the level and mode: one space
                        // between them, and the three cells of a separator not drawn after
                        // the cut ("… · …" is never left hanging).
                        let gap = if lang == Lang::Ar {
                            head[level_mode.len()..]
                                .chars()
                                .take_while(|c| *c == ' ')
                                .count()
                        } else {
                            head.trim_end_matches(level_mode.as_str())
                                .chars()
                                .rev()
                                .take_while(|c| *c == ' ')
                                .count()
                        };
                        assert!((1..=4).contains(&gap), "{what}");
                    } else {
                        assert!(head.contains("Short"), "{what}");
                    }
                }
            }
        }
    }
}

/// The part of a key bar that does `action` in `ctx` ("Esc quit"), as the keymap names its
/// keys and the catalogue its word; `None` when no row of the context's bar does it.
fn bar_part(ctx: Context, action: Action, lang: Lang) -> Option<String> {
    let row = keymap::table(ctx)
        .into_iter()
        .flatten()
        .find(|r| r.action == action && r.bar)?;
    let word = tipquiz::tui::i18n::ui(lang).does(row.does?).1;
    Some(format!("{} {word}", keymap::keys_for(ctx, action, lang)))
}

/// A text as a line of the screen draws it in the interface's direction (Arabic shaped and
/// reordered), to be found in a drawn line.
fn as_drawn(text: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return text.to_owned();
    }
    tipquiz::tui::bidi::visual_lines(
        text,
        tipquiz::tui::bidi::Dir::Rtl,
        80,
        BidiMode::Reorder,
        true,
    )
    .concat()
}

/// At 80x24 not every key bar fits (at 80 columns in English "Esc quit" used to fall off the
/// end). On every screen a trainee meets, in both languages and both modes, the way out (Esc:
/// quit, back, close; "no" in a dialog) and the help are on one line of the screen: the bar
/// keeps them first and drops what matters less.
#[test]
fn every_context_keeps_its_way_out_and_its_help_on_the_key_bar_at_80x24() {
    let mut seen: Vec<Context> = Vec::new();
    for lang in [Lang::En, Lang::Ar] {
        let mut check = |a: &App, now: i64, want: Context| {
            assert_eq!(a.situation().context, want, "{lang:?}: the screen reached");
            let way_out = bar_part(want, Action::Cancel, lang)
                .or_else(|| bar_part(want, Action::No, lang))
                .unwrap_or_else(|| panic!("{lang:?} {want:?}: no way out on its key bar"));
            let mut must = vec![way_out];
            let has_help = keymap::table(want)
                .into_iter()
                .flatten()
                .any(|r| r.action == Action::Help);
            if has_help {
                must.push(bar_part(want, Action::Help, lang).unwrap_or_else(|| {
                    panic!("{lang:?} {want:?}: help works here but is not on its key bar")
                }));
            }
            let shown = screen(a, 80, 24, now);
            let drawn: Vec<String> = must.iter().map(|p| as_drawn(p, lang)).collect();
            assert!(
                shown
                    .lines()
                    .any(|l| drawn.iter().all(|p| l.contains(p.as_str()))),
                "{lang:?} {want:?}: {must:?} not on one line of\n{shown}"
            );
            seen.push(want);
        };
        // The home form: the name field, another field, the display check.
        let d = tempfile::tempdir().unwrap();
        let mut a = app(lang, d.path());
        check(&a, T0, Context::HomeName);
        for _ in 0..3 {
            if a.situation().context == Context::HomeName {
                a.handle_key(key(KeyCode::Tab), T0);
            }
        }
        check(&a, T0, Context::HomeForm);
        a.calibrate();
        check(&a, T0, Context::Calibrate);
        for mode in [Mode::Exam, Mode::Practice] {
            let d = tempfile::tempdir().unwrap();
            let mut a = quiz(lang, Some(600), mode, d.path());
            let now = T0 + 1_000;
            check(&a, now, Context::Choosing);
            if mode == Mode::Practice {
                // Checked at once: the answer is locked.
                a.handle_key(ch('b'), now);
                check(&a, now, Context::Answered);
            }
            a.handle_key(key(KeyCode::Tab), now);
            check(&a, now, Context::Choosing);
            a.handle_key(key(KeyCode::Tab), now);
            a.handle_key(key(KeyCode::Tab), now);
            check(&a, now, Context::Typing);
            a.handle_key(key(KeyCode::Tab), now);
            check(&a, now, Context::Arranging);
            a.handle_key(key(KeyCode::Tab), now);
            check(&a, now, Context::Matching);
            a.handle_key(ch('#'), now);
            check(&a, now, Context::GoTo);
            a.handle_key(key(KeyCode::Esc), now);
            a.handle_key(ch('?'), now);
            check(&a, now, Context::Help);
            a.handle_key(key(KeyCode::Esc), now);
            a.handle_key(key(KeyCode::Esc), now);
            assert_eq!(a.overlay, Overlay::ConfirmQuit);
            check(&a, now, Context::Dialog);
            a.handle_key(key(KeyCode::Esc), now);
            // Left with an answer, then offered again.
            let saved = a.session().unwrap().state.clone();
            a.autosaves.autosave(&saved).unwrap();
            let mut b = app(lang, d.path());
            b.fixed_exam = Some(exam(Some(600), mode));
            b.form_mut().trainee = "trainee one".into();
            b.start(now);
            check(&b, now, Context::Resume);
            a.handle_key(ctrl('s'), now);
            assert_eq!(a.overlay, Overlay::ConfirmSubmit);
            check(&a, now, Context::Dialog);
            a.handle_key(key(KeyCode::Enter), now);
            check(&a, now, Context::Results);
            a.handle_key(ch('r'), now);
            check(&a, now, Context::Review);
        }
    }
    // The instructor's screens draw no key bar from these tables: the console's key line is a
    // sentence naming every key, wrapped whole; the viewers leave with q or Esc.
    let not_trainee = [Context::Viewer, Context::Console, Context::ConsoleConfirm];
    for ctx in keymap::CONTEXTS {
        assert!(
            seen.contains(&ctx) || not_trainee.contains(&ctx),
            "{ctx:?} was not checked"
        );
    }
}

// ---------- behaviour ----------

#[test]
fn keys_answer_navigate_and_arabic_swaps_left_and_right() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, None, Mode::Exam, d.path());
    a.handle_key(ch('2'), T0 + 1);
    assert_eq!(
        a.session().unwrap().state.slots[0].response,
        Some(Response::Choice(1))
    );
    a.handle_key(key(KeyCode::Right), T0 + 2);
    assert_eq!(a.session().unwrap().current(), 1);
    a.handle_key(key(KeyCode::Left), T0 + 3);
    assert_eq!(a.session().unwrap().current(), 0);

    let mut r = quiz(Lang::Ar, None, Mode::Exam, d.path());
    r.handle_key(key(KeyCode::Left), T0 + 2);
    assert_eq!(r.session().unwrap().current(), 1, "Left is next in Arabic");
    r.handle_key(key(KeyCode::Right), T0 + 3);
    assert_eq!(r.session().unwrap().current(), 0);
    r.handle_key(ch('٣'), T0 + 4);
    assert_eq!(
        r.session().unwrap().state.slots[0].response,
        Some(Response::Choice(2)),
        "Arabic-Indic digit"
    );
    r.handle_key(ch('ب'), T0 + 5);
    assert_eq!(
        r.session().unwrap().state.slots[0].response,
        Some(Response::Choice(1)),
        "Arabic label letter"
    );
    r.handle_key(ch('ا'), T0 + 6);
    assert_eq!(
        r.session().unwrap().state.slots[0].response,
        Some(Response::Choice(0)),
        "bare alef for the label أ"
    );
    // With Latin labels, an Arabic letter answers as the Latin letter on its key.
    let mut e = quiz(Lang::En, None, Mode::Exam, d.path());
    e.handle_key(ch('ؤ'), T0 + 6);
    assert_eq!(
        e.session().unwrap().state.slots[0].response,
        Some(Response::Choice(2)),
        "the Arabic letter on the c key"
    );
}

#[test]
fn go_to_question_and_typed_answers_are_kept_when_leaving() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, None, Mode::Exam, d.path());
    a.handle_key(ch('#'), T0 + 1);
    a.handle_key(ch('4'), T0 + 2);
    a.handle_key(key(KeyCode::Enter), T0 + 3);
    assert_eq!(a.session().unwrap().current(), 3);
    for c in "١٥".chars() {
        a.handle_key(ch(c), T0 + 4);
    }
    a.handle_key(key(KeyCode::Tab), T0 + 5);
    let s = a.session().unwrap();
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
    assert!(matches!(a.screen, Screen::Results(_)));
    assert_eq!(
        a.message.as_deref(),
        Some("Time is up. Your answers were submitted automatically.")
    );
    let s = a.session().unwrap();
    assert!(matches!(s.state.status, Status::Finished { .. }));
    assert_eq!(s.score().total.points, 1.0);
}

#[test]
fn quitting_asks_first_and_ctrl_c_saves_and_leaves() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, None, Mode::Exam, d.path());
    assert!(a.handle_key(key(KeyCode::Esc), T0 + 1).is_empty());
    assert_eq!(a.overlay, Overlay::ConfirmQuit);
    assert!(a.handle_key(ch('n'), T0 + 2).is_empty());
    assert_eq!(a.overlay, Overlay::None);
    let fx = a.handle_key(
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
        T0 + 3,
    );
    assert_eq!(fx, vec![Effect::Autosave, Effect::Quit]);
    // What is typed in a short answer's box, not yet confirmed, is kept.
    let mut b = quiz(Lang::En, None, Mode::Exam, d.path());
    b.handle_key(ch('#'), T0);
    b.handle_key(ch('4'), T0);
    b.handle_key(key(KeyCode::Enter), T0);
    for c in "fifteen".chars() {
        b.handle_key(ch(c), T0 + 1_000);
    }
    let fx = b.handle_key(
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
        T0 + 2_000,
    );
    assert_eq!(fx, vec![Effect::Autosave, Effect::Quit]);
    let s = b.session().unwrap();
    assert_eq!(
        s.state.slots[3].response,
        Some(Response::Text("fifteen".into()))
    );
}

#[test]
fn starting_again_offers_to_resume_with_the_same_answers_and_remaining_time() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::En, Some(600), Mode::Exam, d.path());
    a.handle_key(ch('c'), T0 + 1_000);
    a.handle_key(key(KeyCode::Tab), T0 + 2_000);
    let saved = a.session().unwrap().state.clone();
    a.autosaves.autosave(&saved).unwrap();

    let mut b = app(Lang::En, d.path());
    b.fixed_exam = Some(exam(Some(600), Mode::Exam));
    b.form_mut().trainee = "trainee one".into();
    b.start(T0 + 100_000);
    assert!(matches!(b.screen, Screen::Resume(_)), "offered to resume");
    b.handle_key(key(KeyCode::Enter), T0 + 101_000);
    let s = b.session().unwrap();
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
    a.handle_key(ch('#'), T0);
    a.handle_key(ch('5'), T0);
    a.handle_key(key(KeyCode::Enter), T0);
    let start = a.view().unwrap().arrangement.clone();
    a.handle_key(key(KeyCode::Char(' ')), T0 + 1);
    a.handle_key(key(KeyCode::Down), T0 + 2);
    let mut expect = start.clone();
    expect.swap(0, 1);
    assert_eq!(
        a.session().unwrap().state.slots[4].response,
        Some(Response::Order(expect))
    );
    a.handle_key(key(KeyCode::Tab), T0 + 3);
    let order = a.session().unwrap().order(5).to_vec();
    a.handle_key(ch('a'), T0 + 4);
    a.handle_key(ch('b'), T0 + 5);
    let r = a.session().unwrap().state.slots[5].response.clone();
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

#[test]
fn text_in_the_box_is_recorded_when_the_time_runs_out() {
    let d = tempfile::tempdir().unwrap();
    // The question's own 90 s, in an exam: the text counts and the quiz moves on.
    let mut a = quiz(Lang::En, None, Mode::Exam, d.path());
    a.handle_key(ch('#'), T0);
    a.handle_key(ch('4'), T0);
    a.handle_key(key(KeyCode::Enter), T0);
    for c in "fifteen".chars() {
        assert!(
            a.handle_key(ch(c), T0 + 10_000).is_empty(),
            "typing saves nothing"
        );
    }
    let fx = a.tick(T0 + 90_000);
    assert_eq!(fx, vec![Effect::Autosave]);
    let s = a.session().unwrap();
    assert_eq!(s.current(), 4);
    assert_eq!(
        s.state.slots[3].response,
        Some(Response::Text("fifteen".into()))
    );
    assert_eq!(s.state.slots[3].answered_at, Some(T0 + 90_000));

    // The exam's time: submitted with the text.
    let mut b = quiz(Lang::Ar, Some(60), Mode::Exam, d.path());
    b.handle_key(ch('#'), T0);
    b.handle_key(ch('4'), T0);
    b.handle_key(key(KeyCode::Enter), T0);
    for c in "١٥".chars() {
        b.handle_key(ch(c), T0 + 1_000);
    }
    // The next key comes after the deadline: it is not typed, the box is recorded as it was.
    let fx = b.handle_key(ch('٦'), T0 + 61_000);
    assert_eq!(fx, vec![Effect::Autosave, Effect::Commit]);
    let s = b.session().unwrap();
    assert_eq!(s.state.slots[3].response, Some(Response::Text("١٥".into())));
    assert_eq!(s.state.slots[3].answered_at, Some(T0 + 60_000));
    assert_eq!(s.score().total.points, 2.0);

    // Practice: recorded, locked and checked, the feedback shows it.
    let mut c = quiz(Lang::En, None, Mode::Practice, d.path());
    c.handle_key(ch('#'), T0);
    c.handle_key(ch('4'), T0);
    c.handle_key(key(KeyCode::Enter), T0);
    for k in "15".chars() {
        c.handle_key(ch(k), T0 + 1_000);
    }
    c.tick(T0 + 90_000);
    let s = c.session().unwrap();
    assert_eq!(s.current(), 3);
    assert!(s.state.slots[3].checked);
    assert_eq!(s.state.slots[3].response, Some(Response::Text("15".into())));
    assert_eq!(c.view().unwrap().text, "15");
    for (w, h) in [(80, 24), (60, 16), (120, 40), (40, 12)] {
        let shown = screen(&c, w, h, T0 + 91_000);
        assert!(
            !shown.contains("Type your answer"),
            "no typing instructions on a locked question at {w}x{h}:\n{shown}"
        );
    }
}

#[test]
fn ticked_paired_or_moved_but_unchecked_answers_count_when_the_time_runs_out() {
    // Multiple, order and match take each change as the answer at once; in practice Enter only
    // checks it. So what is on screen when the question's time runs out is what is recorded.
    let d = tempfile::tempdir().unwrap();
    let mut a = app(Lang::En, d.path());
    let mut e = exam(None, Mode::Practice);
    e.question_time_limit = Some(30);
    a.fixed_exam = Some(e);
    a.form_mut().trainee = "Trainee One".into();
    a.start(T0);
    a.handle_key(key(KeyCode::Tab), T0);
    a.handle_key(ch('a'), T0 + 1_000);
    a.handle_key(ch('c'), T0 + 2_000);
    a.tick(T0 + 30_000);
    let s = a.session().unwrap();
    assert!(s.state.slots[1].checked);
    assert_eq!(
        s.state.slots[1].response,
        Some(Response::Choices(vec![0, 2]))
    );

    a.handle_key(ch('#'), T0 + 31_000);
    a.handle_key(ch('5'), T0 + 31_000);
    a.handle_key(key(KeyCode::Enter), T0 + 31_000);
    let mut moved = a.view().unwrap().arrangement.clone();
    moved.swap(0, 1);
    a.handle_key(key(KeyCode::Char(' ')), T0 + 32_000);
    a.handle_key(key(KeyCode::Down), T0 + 33_000);
    a.tick(T0 + 61_000);
    let s = a.session().unwrap();
    assert!(s.state.slots[4].checked);
    assert_eq!(s.state.slots[4].response, Some(Response::Order(moved)));

    a.handle_key(key(KeyCode::Tab), T0 + 62_000);
    let order = a.session().unwrap().order(5).to_vec();
    a.handle_key(ch('b'), T0 + 63_000);
    a.tick(T0 + 92_000);
    let s = a.session().unwrap();
    assert!(s.state.slots[5].checked);
    assert_eq!(
        s.state.slots[5].response,
        Some(Response::Match(vec![Some(order[1]), None, None]))
    );
}

#[test]
fn the_full_help_scrolls_where_it_does_not_fit() {
    let d = tempfile::tempdir().unwrap();
    for (lang, last) in [(Lang::En, "^C"), (Lang::Ar, "^C")] {
        let mut a = quiz(lang, None, Mode::Practice, d.path());
        a.handle_key(ch('?'), T0);
        let first = screen(&a, 60, 16, T0);
        assert!(!first.contains(last), "the help is cut at 60x16:\n{first}");
        assert!(
            first.contains("Esc"),
            "the keys to scroll and close stay:\n{first}"
        );
        for _ in 0..10 {
            measure(&mut a, 60, 16, T0);
            a.handle_key(key(KeyCode::PageDown), T0);
        }
        assert_eq!(a.overlay, Overlay::Help, "scrolling keeps the help open");
        let end = screen(&a, 60, 16, T0);
        assert!(end.contains(last), "scrolled to its last line:\n{end}");
        let code = if lang == Lang::Ar { "ar" } else { "en" };
        insta::assert_snapshot!(format!("help_{code}_scrolled_60x16"), end);
        a.handle_key(key(KeyCode::Esc), T0);
        assert_eq!(a.overlay, Overlay::None);
    }
}

#[test]
fn the_arabic_results_chart_reads_from_the_right() {
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::Ar, Some(600), Mode::Exam, d.path());
    a.handle_key(ch('1'), T0 + 500);
    a.handle_key(ctrl('s'), T0 + 1_000);
    a.handle_key(key(KeyCode::Enter), T0 + 1_000);
    let s = screen(&a, 80, 24, T0 + 2_000);
    let bar = s
        .lines()
        .find(|l| l.contains('%') && l.contains('█'))
        .expect("a bar with its value");
    let first = bar.find('█').unwrap();
    assert!(
        bar[..first].trim_start_matches('│').trim().is_empty() && first > 40,
        "the bars stand against the right edge:\n{s}"
    );
    assert!(
        bar.contains("%14"),
        "the value as the other Arabic lines show it:\n{s}"
    );
    assert!(!s.contains("1s"), "Arabic units:\n{s}");
}

/// The row of the answer box and the column of its caret (the reversed cell on the row of
/// underlined cells), with the row's text.
fn caret_cell(a: &App, w: u16, h: u16) -> (String, u16, String) {
    use ratatui::style::Modifier;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let d = Display {
        mode: BidiMode::Reorder,
        shaping: true,
        theme: Theme { color: false },
    };
    t.draw(|f| {
        draw(f, a, d, T0 + 1_000);
    })
    .unwrap();
    let buf = t.backend().buffer().clone();
    for y in 0..h {
        let row: Vec<_> = (0..w).map(|x| buf[(x, y)].clone()).collect();
        if !row
            .iter()
            .any(|c| c.modifier.contains(Modifier::UNDERLINED))
        {
            continue;
        }
        if let Some(x) = row
            .iter()
            .position(|c| c.modifier.contains(Modifier::REVERSED))
        {
            let text: String = row.iter().map(|c| c.symbol().to_owned()).collect();
            return (row[x].symbol().to_owned(), u16::try_from(x).unwrap(), text);
        }
    }
    panic!("no caret on screen");
}

#[test]
fn the_short_answer_is_edited_in_the_middle_with_its_caret_where_the_next_character_goes() {
    let d = tempfile::tempdir().unwrap();
    // English: fix a missing letter at the start.
    let mut a = quiz(Lang::En, None, Mode::Exam, d.path());
    a.handle_key(ch('#'), T0);
    a.handle_key(ch('4'), T0);
    a.handle_key(key(KeyCode::Enter), T0);
    for c in "iftteen".chars() {
        a.handle_key(ch(c), T0);
    }
    // Left moves in the text while it is not saved: the question stays.
    a.handle_key(key(KeyCode::Left), T0);
    a.handle_key(key(KeyCode::Left), T0);
    a.handle_key(key(KeyCode::Left), T0);
    a.handle_key(key(KeyCode::Backspace), T0);
    assert_eq!(a.session().unwrap().current(), 3);
    assert_eq!(a.view().unwrap().text, "ifteen");
    a.handle_key(key(KeyCode::Home), T0);
    a.handle_key(ch('f'), T0);
    assert_eq!(a.view().unwrap().text, "fifteen");
    let (sym, x, row) = caret_cell(&a, 80, 24);
    assert_eq!(sym, "i", "the caret is on the character after it: {row}");
    let start = row.find("fifteen").expect("the answer on its row");
    assert_eq!(usize::from(x), start + 1, "{row}");
    a.handle_key(key(KeyCode::Delete), T0);
    assert_eq!(a.view().unwrap().text, "ffteen");
    a.handle_key(key(KeyCode::End), T0);
    let (sym, x, row) = caret_cell(&a, 80, 24);
    assert_eq!(sym, "▏");
    let end = row[..row.find("ffteen").unwrap()].chars().count() + 6;
    assert_eq!(usize::from(x), end, "after the text: {row}");
    // Saved with Enter: now the arrows move between questions again.
    a.handle_key(key(KeyCode::Enter), T0);
    a.handle_key(key(KeyCode::Right), T0);
    assert_eq!(a.session().unwrap().current(), 4);
    let s = a.session().unwrap();
    assert_eq!(
        s.state.slots[3].response,
        Some(Response::Text("ffteen".into()))
    );

    // Arabic with digits inside: a digit inserted between two others.
    let mut r = quiz(Lang::Ar, None, Mode::Exam, d.path().join("ar").as_path());
    r.handle_key(ch('#'), T0);
    r.handle_key(ch('4'), T0);
    r.handle_key(key(KeyCode::Enter), T0);
    for c in "المادة 13".chars() {
        r.handle_key(ch(c), T0);
    }
    // In a right-to-left box, Right goes back towards the start of the text.
    r.handle_key(key(KeyCode::Right), T0);
    assert_eq!(r.session().unwrap().current(), 3, "the question stays");
    r.handle_key(ch('2'), T0);
    assert_eq!(r.view().unwrap().text, "المادة 123");
    let (sym, x, row) = caret_cell(&r, 80, 24);
    assert_eq!(
        sym, "3",
        "the caret is on the 3, after the 2 just typed: {row}"
    );
    let digits = row.find("123").expect("the number reads left to right");
    let col = row[..digits].chars().count() + 2;
    assert_eq!(usize::from(x), col, "{row}");
    // At the end of the text the caret is a blank at its left end.
    r.handle_key(key(KeyCode::End), T0);
    let (sym, x, row) = caret_cell(&r, 80, 24);
    assert_eq!(sym, "▏");
    let first_text = row
        .chars()
        .position(|c| !c.is_whitespace() && c != '│' && c != '▏')
        .unwrap();
    assert!(
        usize::from(x) < first_text,
        "caret at {x}, left of the text: {row}"
    );
    // Home, then Delete removes the first letter (the alef of the article).
    r.handle_key(key(KeyCode::Home), T0);
    r.handle_key(key(KeyCode::Delete), T0);
    assert_eq!(r.view().unwrap().text, "لمادة 123");
    r.handle_key(key(KeyCode::Tab), T0);
    let s = r.session().unwrap();
    assert_eq!(
        s.state.slots[3].response,
        Some(Response::Text("لمادة 123".into()))
    );
}

#[test]
fn in_practice_the_key_bar_says_once_that_enter_checks() {
    for lang in [Lang::En, Lang::Ar] {
        let d = tempfile::tempdir().unwrap();
        let mut a = quiz(lang, None, Mode::Practice, d.path());
        // Questions 2 (multiple), 4 (short answer), 5 (order), 6 (match): Enter checks.
        for (tabs, what) in [(1, "multiple"), (2, "short"), (1, "order"), (1, "match")] {
            for _ in 0..tabs {
                a.handle_key(key(KeyCode::Tab), T0 + 100);
            }
            // On a large screen and on the smallest (40x12), where the bar keeps only what
            // matters most: Enter, which checks, is kept with the help and the way out.
            for (w, h) in [(120, 40), (40, 12)] {
                let shown = screen(&a, w, h, T0 + 200);
                let bar = shown
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or_default();
                assert_eq!(
                    bar.matches("Enter").count(),
                    1,
                    "{lang:?} {what} {w}x{h}: one Enter in the bar: {bar}"
                );
                if lang == Lang::En {
                    assert!(bar.contains("Enter check"), "{what} {w}x{h}: {bar}");
                    assert!(bar.contains("Esc") && bar.contains("help"), "{what}: {bar}");
                }
            }
        }
    }
}

#[test]
fn the_unit_is_picked_from_the_exams_list_or_typed_and_checked_like_names() {
    for lang in [Lang::En, Lang::Ar] {
        let d = tempfile::tempdir().unwrap();
        let mut a = app(lang, d.path());
        let mut e = exam(None, Mode::Exam);
        e.units = vec![
            "Airport security".to_owned(),
            "خفر السواحل".to_owned(),
            "Residence affairs".to_owned(),
        ];
        a.fixed_exam = Some(e);
        a.form_mut().trainee_only = true;
        a.form_mut().trainee = "سالم العتيبي".into();
        a.form_mut().focus = Field::Trainee;
        // Trainee, language, digits, then the unit.
        for _ in 0..3 {
            a.handle_key(key(KeyCode::Down), T0);
        }
        assert_eq!(a.form().focus, Field::Unit);
        let s = screen(&a, 80, 24, T0);
        let hint = if lang == Lang::En {
            "PgDn/PgUp: one of 3 units, or type your own"
        } else {
            "٣"
        };
        assert!(s.contains(hint), "{s}");
        // The list, both ways round, wrapping.
        a.handle_key(key(KeyCode::PageDown), T0);
        assert_eq!(a.form().unit, "Airport security");
        a.handle_key(key(KeyCode::PageDown), T0);
        assert_eq!(a.form().unit, "خفر السواحل");
        a.handle_key(key(KeyCode::PageUp), T0);
        a.handle_key(key(KeyCode::PageUp), T0);
        assert_eq!(a.form().unit, "Residence affairs");
        // Free text: typed after the picked one is erased.
        for _ in 0..20 {
            a.handle_key(key(KeyCode::Backspace), T0);
        }
        for c in "Port ٣".chars() {
            a.handle_key(ch(c), T0);
        }
        assert_eq!(a.form().unit, "Port ٣");
        // A direction override (pasted) is refused with the reason, on the unit field.
        a.form_mut().unit = "Port\u{202E}ytiruces".into();
        a.form_mut().focus = Field::Start;
        let fx = a.start(T0);
        assert!(fx.is_empty());
        assert!(matches!(a.screen, Screen::Home(_)));
        assert_eq!(a.form().focus, Field::Unit);
        assert!(
            a.message.as_deref().is_some_and(|m| m.contains("U+202E")),
            "{:?}",
            a.message
        );
        // Trimmed, and kept in the attempt.
        a.form_mut().unit = "  خفر السواحل ".into();
        let fx = a.start(T0);
        assert!(fx.contains(&Effect::Autosave), "{:?}", a.message);
        assert_eq!(
            a.session().unwrap().state.unit.as_deref(),
            Some("خفر السواحل")
        );
    }
}

#[test]
fn the_class_units_are_offered_in_the_interface_language_and_the_unit_is_remembered() {
    let d = tempfile::tempdir().unwrap();
    // The class file in the results folder, as the coordinator writes it.
    let results = d.path().join("results");
    std::fs::create_dir_all(&results).unwrap();
    let file = crate::class_outputs::write_units(
        &results,
        &[
            ("Airport security", "أمن المطار"),
            ("Coast guard", "خفر السواحل"),
            ("Residence affairs", "شؤون الإقامة"),
        ],
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let (units, diags) = tipquiz::units::parse_units(&file.display().to_string(), &text);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(units.len(), 3);
    let prefs_file = d.path().join("prefs.json");
    for (lang, first, second, other_second) in [
        (Lang::En, "Airport security", "Coast guard", "خفر السواحل"),
        (Lang::Ar, "أمن المطار", "خفر السواحل", "Coast guard"),
    ] {
        let mut a = app(lang, d.path());
        a.set_class_units(units.clone());
        a.fixed_exam = Some(exam(None, Mode::Exam));
        a.form_mut().trainee_only = true;
        a.form_mut().trainee = "Mariam Al-Kandari".into();
        a.form_mut().focus = Field::Trainee;
        for _ in 0..3 {
            a.handle_key(key(KeyCode::Down), T0);
        }
        assert_eq!(a.form().focus, Field::Unit);
        // The exam offers none: the class file's three, in the interface language.
        assert_eq!(
            a.offered_units(),
            units
                .iter()
                .map(|u| u.name(lang).to_owned())
                .collect::<Vec<_>>()
        );
        let s = screen(&a, 80, 24, T0);
        let hint = if lang == Lang::En {
            "PgDn/PgUp: one of 3 units, or type your own"
        } else {
            "٣"
        };
        assert!(s.contains(hint), "{s}");
        a.handle_key(key(KeyCode::PageDown), T0);
        assert_eq!(a.form().unit, first);
        a.handle_key(key(KeyCode::PageDown), T0);
        assert_eq!(a.form().unit, second);
        // Remembered for this trainee: written to the preferences file and read back.
        let prefs = a.prefs(tipquiz::tui::run::load_prefs(&prefs_file));
        tipquiz::tui::host::save_prefs(&prefs_file, &prefs);
        let back = tipquiz::tui::run::load_prefs(&prefs_file);
        assert_eq!(back.trainee, "Mariam Al-Kandari");
        // The next run, in the other language: the same unit, by its name in that language.
        let other = if lang == Lang::En { Lang::Ar } else { Lang::En };
        let mut b = App::new(
            lib(),
            Vec::new(),
            &back,
            other,
            Store::new(d.path().join("autosave")),
        );
        assert_eq!(
            b.form().unit,
            second,
            "as given, before the class file is read"
        );
        b.set_class_units(units.clone());
        assert_eq!(b.form().unit, other_second);
        // Started, the record keeps it.
        b.fixed_exam = Some(exam(None, Mode::Exam));
        b.form_mut().focus = Field::Start;
        let fx = b.start(T0);
        assert!(fx.contains(&Effect::Autosave), "{:?}", b.message);
        assert_eq!(
            b.session().unwrap().state.unit.as_deref(),
            Some(other_second)
        );
        // Another trainee has no unit remembered.
        let mut someone = back.clone();
        someone.trainee = "Omar Farouk".into();
        let c = App::new(
            lib(),
            Vec::new(),
            &someone,
            lang,
            Store::new(d.path().join("autosave")),
        );
        assert_eq!(c.form().unit, "");
        // The trainee named on the command line: that trainee's unit, not the last one's.
        let mut d2 = App::new(
            lib(),
            Vec::new(),
            &someone,
            lang,
            Store::new(d.path().join("autosave")),
        );
        d2.set_class_units(units.clone());
        d2.form_mut().trainee = "Mariam Al-Kandari".into();
        d2.recall_unit(&someone);
        assert_eq!(d2.form().unit, second);
        d2.form_mut().trainee = "Someone Else".into();
        d2.recall_unit(&someone);
        assert_eq!(d2.form().unit, "");
    }
}
