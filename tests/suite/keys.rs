//! Every key of the US and Arabic keyboard layouts, typed on every screen: no command key
//! answers, no answer key runs a command, letters on a question with choices are its labels
//! (a six-choice question answers f) with `f`), and an Arabic trainee with the Arabic layout
//! on can answer, flag, move, submit and get help.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use tipquiz::bank::{Library, parse_bank};
use tipquiz::exam::{ExamDef, Mode};
use tipquiz::quiz::Response;
use tipquiz::record::Store;
use tipquiz::text::Lang;
use tipquiz::tui::app::{App, Overlay, Prefs, Screen};
use tipquiz::tui::keymap::{self, Action, CONTEXTS, Context, Situation, label_position};

const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
const T0: i64 = 1_800_000_000_000;

const SIX: &str = r#"
format = 1
id = "six"
topic = "six"
languages = ["en", "ar"]
title = { en = "Six choices", ar = "ستة خيارات" }

[defaults]
points = 1

[[question]]
id = "six-single"
type = "single"
difficulty = "easy"
prompt = { en = "Which one is the sixth?", ar = "أيها السادس؟" }
choices = [
  { en = "First", ar = "الأول" },
  { en = "Second", ar = "الثاني" },
  { en = "Third", ar = "الثالث" },
  { en = "Fourth", ar = "الرابع" },
  { en = "Fifth", ar = "الخامس" },
  { en = "Sixth", ar = "السادس" },
]
answer = "f"
explanation = { en = "The sixth is the sixth.", ar = "السادس هو السادس." }

[[question]]
id = "six-multiple"
type = "multiple"
difficulty = "easy"
prompt = { en = "Which are even?", ar = "أيها زوجي؟" }
choices = [
  { en = "One", ar = "واحد" },
  { en = "Two", ar = "اثنان" },
  { en = "Three", ar = "ثلاثة" },
  { en = "Four", ar = "أربعة" },
  { en = "Five", ar = "خمسة" },
  { en = "Six", ar = "ستة" },
]
answer = ["b", "d", "f"]
explanation = { en = "Two, four and six.", ar = "اثنان وأربعة وستة." }
"#;

/// The characters of the US layout: every printable ASCII key, plain and shifted.
fn us_chars() -> Vec<char> {
    (0x20u8..=0x7e).map(char::from).collect()
}

/// The characters of the Arabic (PC) layout, plain and shifted, with both digit styles and the
/// lam-alef keys as their letters and as the ligature some systems send.
fn arabic_chars() -> Vec<char> {
    let plain = "ذ١٢٣٤٥٦٧٨٩٠-=ضصثقفغعهخحجدشسيبلاتنمكطئءؤرلاىةوزظ";
    let shifted = "ّ!@#$%^&*)(_+ًٌَُإ‘÷×؛<>ٍِ][أـ،/:\"~ْ}{آ',.؟ﻻﻷﻹﻵ|\\";
    let mut v: Vec<char> = plain.chars().chain(shifted.chars()).collect();
    v.extend("1234567890".chars());
    v.sort_unstable();
    v.dedup();
    v
}

fn special_keys() -> Vec<KeyCode> {
    let mut v = vec![
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Insert,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
    ];
    v.extend((1..=12).map(KeyCode::F));
    v
}

/// Every key event of both layouts: characters plain and with Ctrl, special keys.
fn every_key() -> Vec<KeyEvent> {
    let mut chars = us_chars();
    chars.extend(arabic_chars());
    let mut v: Vec<KeyEvent> = chars
        .iter()
        .map(|c| KeyEvent::new(KeyCode::Char(*c), KeyModifiers::NONE))
        .collect();
    v.extend(
        chars
            .iter()
            .map(|c| KeyEvent::new(KeyCode::Char(*c), KeyModifiers::CONTROL)),
    );
    v.extend(
        special_keys()
            .into_iter()
            .map(|k| KeyEvent::new(k, KeyModifiers::NONE)),
    );
    v
}

fn plain_char(k: &KeyEvent) -> Option<char> {
    match k.code {
        KeyCode::Char(c) if k.modifiers == KeyModifiers::NONE => Some(c),
        _ => None,
    }
}

fn situations() -> Vec<Situation> {
    let mut out = Vec::new();
    for context in CONTEXTS {
        for lang in [Lang::En, Lang::Ar] {
            for labels in [Lang::En, Lang::Ar] {
                for choices in [0, 2, 4, 6, 9, 12] {
                    out.push(Situation {
                        context,
                        lang,
                        labels,
                        choices,
                    });
                }
            }
        }
    }
    out
}

#[test]
fn on_a_question_with_choices_every_label_answers_and_nothing_else_does() {
    for s in situations() {
        let labelled = matches!(
            s.context,
            Context::Choosing | Context::Matching | Context::Answered
        );
        for k in every_key() {
            let got = keymap::action(&k, &s);
            let label = plain_char(&k)
                .and_then(|c| label_position(c, s.labels))
                .filter(|p| *p < s.choices);
            if labelled {
                if let Some(p) = label {
                    assert_eq!(got, Some(Action::Answer(p)), "a label answers: {s:?} {k:?}");
                } else {
                    assert!(
                        !matches!(got, Some(Action::Answer(_))),
                        "only a label answers: {s:?} {k:?} -> {got:?}"
                    );
                }
            } else {
                assert!(
                    !matches!(got, Some(Action::Answer(_))),
                    "nothing answers where there are no choices: {s:?} {k:?}"
                );
            }
        }
    }
}

#[test]
fn where_text_is_typed_every_character_of_both_layouts_is_typed() {
    for s in situations() {
        if !matches!(s.context, Context::Typing | Context::HomeName) {
            continue;
        }
        for k in every_key() {
            if let Some(c) = plain_char(&k) {
                assert_eq!(keymap::action(&k, &s), Some(Action::Type(c)), "{s:?} {c:?}");
            }
        }
    }
}

#[test]
fn submitting_and_leaving_at_once_never_come_from_a_character_key() {
    for s in situations() {
        for k in every_key() {
            let got = keymap::action(&k, &s);
            if matches!(
                got,
                Some(Action::Submit | Action::QuitNow | Action::Suspend)
            ) {
                assert!(
                    k.modifiers.contains(KeyModifiers::CONTROL) || matches!(k.code, KeyCode::F(_)),
                    "{s:?} {k:?} -> {got:?}"
                );
            }
        }
    }
}

#[test]
fn a_command_on_a_letter_also_works_on_the_arabic_letter_of_the_same_key() {
    let pairs: Vec<(char, char)> = arabic_chars()
        .into_iter()
        .filter_map(|a| keymap::latin_key(a).map(|l| (l, a)))
        .collect();
    assert!(pairs.len() >= 26, "{pairs:?}");
    for s in situations() {
        if matches!(
            s.context,
            Context::Choosing
                | Context::Matching
                | Context::Answered
                | Context::Typing
                | Context::HomeName
        ) {
            continue;
        }
        for (latin, arabic) in &pairs {
            for m in [KeyModifiers::NONE, KeyModifiers::CONTROL] {
                let l = keymap::action(&KeyEvent::new(KeyCode::Char(*latin), m), &s);
                let a = keymap::action(&KeyEvent::new(KeyCode::Char(*arabic), m), &s);
                if l.is_some() && !matches!(l, Some(Action::Type(_))) {
                    assert_eq!(l, a, "{s:?} {latin} / {arabic} {m:?}");
                }
            }
        }
    }
    // The question screens' Ctrl commands too.
    let s = Situation {
        context: Context::Choosing,
        lang: Lang::Ar,
        labels: Lang::Ar,
        choices: 4,
    };
    let ctrl = |c| keymap::action(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL), &s);
    assert_eq!(ctrl('س'), Some(Action::Submit));
    assert_eq!(ctrl('ب'), Some(Action::Flag));
    assert_eq!(ctrl('ل'), Some(Action::GoTo));
}

// ---------- through the screens ----------

fn six_lib() -> Arc<Library> {
    Arc::new(Library::build(vec![parse_bank("six.toml", SIX).0.unwrap()]).0)
}

fn every_lib() -> Arc<Library> {
    Arc::new(Library::build(vec![parse_bank("every-type.toml", EVERY).0.unwrap()]).0)
}

fn started(lib: Arc<Library>, lang: Lang, mode: Mode, dir: &std::path::Path) -> App {
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = lib.questions().count();
    // A folder of its own: no unfinished attempt to offer to resume.
    let dir = dir.join(
        RUN.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            .to_string(),
    );
    let mut e = ExamDef::quick(&[], n, Some(600), mode);
    e.shuffle_questions = false;
    e.shuffle_choices = false;
    let mut a = App::new(
        lib,
        Vec::new(),
        &Prefs::default(),
        lang,
        Store::new(dir.join("a")),
    );
    a.fixed_exam = Some(e);
    a.form_mut().trainee = "Key Tester".into();
    a.start(T0);
    assert!(matches!(a.screen, Screen::Quiz(_)));
    a
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn response(a: &App) -> Option<Response> {
    let s = a.session().unwrap();
    s.state.slots[s.current()].response.clone()
}

fn flagged(a: &App) -> bool {
    let s = a.session().unwrap();
    s.state.slots[s.current()].flagged
}

#[test]
fn a_six_choice_question_answers_f_with_f_and_flags_with_star() {
    let d = tempfile::tempdir().unwrap();
    let mut a = started(six_lib(), Lang::En, Mode::Exam, d.path());
    a.handle_key(ch('f'), T0 + 1_000);
    assert_eq!(response(&a), Some(Response::Choice(5)), "f answers f)");
    assert!(!flagged(&a), "f does not flag");
    a.handle_key(ch('*'), T0 + 2_000);
    assert!(flagged(&a), "* flags");
    assert_eq!(response(&a), Some(Response::Choice(5)));
    // The multiple-choice question: f ticks f).
    a.handle_key(key(KeyCode::Tab), T0 + 3_000);
    for c in ['b', 'd', 'f'] {
        a.handle_key(ch(c), T0 + 4_000);
    }
    assert_eq!(response(&a), Some(Response::Choices(vec![1, 3, 5])));
}

/// Type every key on a copy of `a` and check that a label answers exactly its choice and
/// runs nothing else, and that no other character answers.
fn type_everything(a: &App, choices: usize, what: &str) {
    let labels = a.question_lang();
    for k in every_key() {
        let mut b = a.clone();
        let before = (response(&b), flagged(&b), b.session().unwrap().current());
        b.handle_key(k, T0 + 5_000);
        let after = (response(&b), flagged(&b), b.session().unwrap().current());
        let label = plain_char(&k)
            .and_then(|c| label_position(c, labels))
            .filter(|p| *p < choices);
        if let Some(p) = label {
            assert_eq!(b.overlay, Overlay::None, "{what}: {k:?} opened a dialog");
            assert!(
                matches!(b.screen, Screen::Quiz(_)),
                "{what}: {k:?} left the quiz"
            );
            assert_eq!(after.1, before.1, "{what}: label {k:?} flagged");
            assert_eq!(after.2, before.2, "{what}: label {k:?} moved");
            let chosen = match after.0 {
                Some(Response::Choice(c)) => Some(c),
                Some(Response::Choices(ref v)) if v.len() == 1 => Some(v[0]),
                Some(Response::Bool(t)) => Some(usize::from(!t)),
                _ => None,
            };
            assert_eq!(chosen, Some(p), "{what}: label {k:?} answers its choice");
        } else if plain_char(&k).is_some_and(|c| c != ' ') {
            // (Space, like Enter, chooses the answer under the cursor.)
            assert_eq!(
                after.0, before.0,
                "{what}: {k:?} is not a label but answered"
            );
        }
    }
}

#[test]
fn every_key_of_both_layouts_on_every_question_type_in_both_languages() {
    let d = tempfile::tempdir().unwrap();
    for lang in [Lang::En, Lang::Ar] {
        let a = started(six_lib(), lang, Mode::Exam, d.path());
        type_everything(&a, 6, "six single");
        let mut m = a.clone();
        m.handle_key(key(KeyCode::Tab), T0 + 1_000);
        type_everything(&m, 6, "six multiple");
        let e = started(every_lib(), lang, Mode::Exam, d.path());
        type_everything(&e, 3, "single");
        let mut tf = e.clone();
        tf.handle_key(key(KeyCode::Tab), T0);
        tf.handle_key(key(KeyCode::Tab), T0);
        type_everything(&tf, 2, "true/false");
        // The short answer: every character is typed, none runs a command.
        let mut short = tf.clone();
        short.handle_key(key(KeyCode::Tab), T0);
        for k in every_key() {
            let Some(c) = plain_char(&k) else { continue };
            let mut b = short.clone();
            b.handle_key(k, T0 + 1_000);
            assert_eq!(b.overlay, Overlay::None, "{c:?} in the box");
            assert_eq!(b.view().unwrap().text, c.to_string(), "{c:?} is typed");
            assert!(!flagged(&b));
        }
        // Dialogs, help, go-to, results, review: no key answers the question under them.
        let mut dialogs = e.clone();
        dialogs.handle_key(ch('2'), T0);
        for open in [
            KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
            key(KeyCode::Esc),
            ch('#'),
            ch('?'),
        ] {
            let mut o = dialogs.clone();
            o.handle_key(open, T0 + 1_000);
            assert_ne!(o.overlay, Overlay::None, "{open:?} opens a dialog");
            for k in every_key() {
                let mut b = o.clone();
                b.handle_key(k, T0 + 2_000);
                if let Some(s) = b.session() {
                    assert_eq!(
                        s.state.slots[0].response,
                        Some(Response::Choice(1)),
                        "{open:?} then {k:?} changed the answer"
                    );
                }
            }
        }
    }
}

#[test]
fn an_arabic_trainee_on_the_arabic_layout_answers_flags_moves_submits_and_gets_help() {
    let d = tempfile::tempdir().unwrap();
    let mut a = started(six_lib(), Lang::Ar, Mode::Exam, d.path());
    // ب is the second label: the Arabic layout's f key, typed as the trainee reads it.
    a.handle_key(ch('ب'), T0 + 1_000);
    assert_eq!(response(&a), Some(Response::Choice(1)));
    a.handle_key(ch('و'), T0 + 1_500);
    assert_eq!(
        response(&a),
        Some(Response::Choice(5)),
        "و is the sixth label"
    );
    // Flag: * is Shift-8 on the Arabic layout too.
    a.handle_key(ch('*'), T0 + 2_000);
    assert!(flagged(&a));
    // Help: ؟ is Shift-/ on the Arabic layout.
    a.handle_key(ch('؟'), T0 + 2_500);
    assert_eq!(a.overlay, Overlay::Help);
    a.handle_key(key(KeyCode::Esc), T0 + 2_600);
    assert_eq!(a.overlay, Overlay::None);
    // Move: Left is onward in Arabic.
    a.handle_key(key(KeyCode::Left), T0 + 3_000);
    assert_eq!(a.session().unwrap().current(), 1);
    a.handle_key(ch('د'), T0 + 3_500);
    assert_eq!(response(&a), Some(Response::Choices(vec![3])));
    // Submit: Ctrl with the s key, which the Arabic layout sends as س.
    a.handle_key(
        KeyEvent::new(KeyCode::Char('س'), KeyModifiers::CONTROL),
        T0 + 4_000,
    );
    assert_eq!(a.overlay, Overlay::ConfirmSubmit);
    // "Yes" on the y key is غ on the Arabic layout.
    a.handle_key(ch('غ'), T0 + 4_500);
    assert!(matches!(a.screen, Screen::Results(_)));
    // Review with the r key (ق).
    a.handle_key(ch('ق'), T0 + 5_000);
    assert!(matches!(a.screen, Screen::Review(_, 0)));
}

#[test]
fn the_instructor_console_takes_its_keys_from_the_keymap_on_either_layout() {
    let c = |k: KeyEvent| keymap::command(&k, Context::Console, Lang::En);
    let ctrl = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    assert_eq!(c(ch('+')), Some(Action::MoreTime));
    assert_eq!(c(ch('*')), Some(Action::MoreTimeAll));
    // Letters: as typed, as capitals, and as the Arabic letter on the same key.
    for k in ['l', 'L', 'م'] {
        assert_eq!(c(ch(k)), Some(Action::LockJoins), "{k}");
    }
    for k in ['e', 'E', 'ث'] {
        assert_eq!(c(ch(k)), Some(Action::EndExam), "{k}");
    }
    assert_eq!(c(ch('b')), Some(Action::ShowBoard));
    assert_eq!(c(key(KeyCode::Tab)), Some(Action::ShowBoard));
    // Paced play's next step: n (ى on the Arabic layout), N, or Space.
    for k in ['n', 'N', 'ى', ' '] {
        assert_eq!(c(ch(k)), Some(Action::NextStep), "{k:?}");
    }
    for k in [ch('q'), ch('ض'), key(KeyCode::Esc)] {
        assert_eq!(c(k), Some(Action::Cancel), "{k:?}");
    }
    assert_eq!(c(ctrl('c')), Some(Action::QuitNow));
    assert_eq!(c(key(KeyCode::Down)), Some(Action::Down));
    assert_eq!(c(key(KeyCode::Up)), Some(Action::Up));
    assert_eq!(c(ch('x')), None);
    // Asked to confirm: y (or غ, the Arabic letter on its key) or Enter is yes, any other
    // key no.
    let confirm = |k: KeyEvent| keymap::command(&k, Context::ConsoleConfirm, Lang::En);
    for k in [ch('y'), ch('Y'), ch('غ'), key(KeyCode::Enter)] {
        assert_eq!(confirm(k), Some(Action::Yes), "{k:?}");
    }
    for k in [
        ch('n'),
        ch('q'),
        key(KeyCode::Esc),
        ctrl('c'),
        key(KeyCode::F(1)),
    ] {
        assert_eq!(confirm(k), Some(Action::No), "{k:?}");
    }
    // The console's key line names the keys of the table.
    assert_eq!(
        keymap::keys_for(Context::Console, Action::LockJoins, Lang::En),
        "l"
    );
    assert_eq!(
        keymap::keys_for(Context::Console, Action::Down, Lang::En),
        "↑/↓"
    );
}

/// Two rows of one key bar that do different things never share a word: on an order question
/// the arrows that move an item and those that change the question read differently, in
/// both languages.
#[test]
fn no_key_bar_names_two_different_commands_with_one_word() {
    for lang in [Lang::En, Lang::Ar] {
        let ui = tipquiz::tui::i18n::ui(lang);
        for ctx in CONTEXTS {
            let mut seen: Vec<(tipquiz::tui::i18n::Does, &str)> = Vec::new();
            for row in keymap::table(ctx).into_iter().flatten() {
                let (true, Some(d)) = (row.bar, row.does) else {
                    continue;
                };
                let word = ui.does(d).1;
                if let Some((other, _)) = seen.iter().find(|(o, w)| *w == word && *o != d) {
                    panic!("{lang:?} {ctx:?}: {d:?} and {other:?} both read {word:?} in the bar");
                }
                seen.push((d, word));
            }
        }
    }
    // The order question's bar as drawn: one word for the item, another for the question.
    let bar = keymap::key_bar(&Situation {
        context: Context::Arranging,
        lang: Lang::En,
        labels: Lang::En,
        choices: 0,
    });
    let bar = bar.text();
    assert!(bar.contains("↑/↓ move"), "{bar}");
    assert!(bar.contains("→/← next/prev"), "{bar}");
}
