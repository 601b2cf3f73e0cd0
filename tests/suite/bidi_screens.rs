//! Every screen of the trainee compared with FriBidi, line by line, in reorder mode with
//! shaping on: each line the screens lay out (titles, questions, choices, the answer box,
//! key hints, chart labels, messages) is given to `fribidi` in logical order, and its
//! output, with FriBidi's default shaping and lam-alef ligatures, must equal what tipquiz
//! draws. At 100, 60 and 40 columns, in Arabic and English.

use std::collections::BTreeMap;
use std::io::Write as _;

use tipquiz::text::Lang;
use tipquiz::tui::bidi::{Dir, LaidOutLine, is_lam_alef_ligature, record_lines};

use crate::bidi_fribidi::{fribidi, normalise_shaped};
use crate::screens::{every_screen, screen};

const SIZES: [(u16, u16); 3] = [(100, 30), (60, 20), (40, 12)];

/// A mark standing for the paragraph around a wrapped line, for a per-line oracle.
///
/// UAX #9 resolves levels on the whole paragraph and only then breaks it into lines
/// (rule L1 applies per line), so a neutral at a line's edge (a comma before the break)
/// takes the direction of the text on the next line. `fribidi` sees one line only; the
/// nearest strong character before the line (kept as ALM, RLM or LRM) and after it (a
/// European number after L text counts as L, rule W7; other numbers as R, rule N1) tell it
/// what surrounds the line. `--clean` removes LRM and RLM from its output; ALM is
/// removed by [`normalise`].
fn context(l: &LaidOutLine) -> (Option<char>, Option<char>) {
    use unicode_bidi::BidiClass::{AL, AN, EN, L, R};
    let before = l.paragraph.get(..l.range.start).unwrap_or_default();
    let after = l.paragraph.get(l.range.end..).unwrap_or_default();
    let strong_before = |s: &str| {
        s.chars()
            .rev()
            .map(unicode_bidi::bidi_class)
            .find(|c| matches!(c, L | R | AL))
    };
    let prefix = match strong_before(before) {
        Some(L) => Some('\u{200E}'),
        Some(R) => Some('\u{200F}'),
        Some(AL) => Some('\u{061C}'),
        _ => None,
    };
    let mut suffix = None;
    for (i, c) in after.char_indices() {
        let class = unicode_bidi::bidi_class(c);
        suffix = match class {
            L => Some('\u{200E}'),
            R | AL | AN => Some('\u{200F}'),
            EN => {
                let upto = &l.paragraph[..l.range.end + i];
                match strong_before(upto) {
                    Some(L) => Some('\u{200E}'),
                    _ => Some('\u{200F}'),
                }
            }
            _ => continue,
        };
        break;
    }
    (prefix, suffix)
}

fn normalise(s: &str) -> String {
    normalise_shaped(s.trim()).replace('\u{061C}', "")
}

/// The lines that differ from FriBidi's rendering, as messages.
fn differing(lines: &[LaidOutLine]) -> Vec<String> {
    let mut out = Vec::new();
    for dir in [Dir::Rtl, Dir::Ltr] {
        let ours: Vec<&LaidOutLine> = lines.iter().filter(|l| l.dir == dir).collect();
        if ours.is_empty() {
            continue;
        }
        let with_context: Vec<String> = ours
            .iter()
            .map(|l| {
                let (before, after) = context(l);
                let mut s: String = before.into_iter().collect();
                s.push_str(&l.logical);
                s.extend(after);
                s
            })
            .collect();
        let inputs: Vec<&str> = with_context.iter().map(String::as_str).collect();
        let theirs = fribidi(dir, &inputs).expect("fribidi ran");
        assert_eq!(theirs.len(), inputs.len(), "one output line per input line");
        for (l, theirs) in ours.iter().zip(&theirs) {
            let a = normalise(&l.visual);
            let b = normalise(theirs);
            if a != b {
                out.push(format!(
                    "{dir:?} {:?}\n    tipquiz: {a:?}\n    fribidi: {b:?}",
                    l.logical
                ));
            }
        }
    }
    out
}

#[test]
fn every_screen_agrees_with_fribidi_line_by_line() {
    if crate::skip_without("fribidi") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut per_size: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut total, mut ligatures) = (0, 0);
    for lang in [Lang::Ar, Lang::En] {
        for (name, a, now) in every_screen(lang, d.path()) {
            for (w, h) in SIZES {
                let (_, lines) = record_lines(|| screen(&a, w, h, now));
                let lines: Vec<LaidOutLine> = lines
                    .into_iter()
                    .filter(|l| !l.logical.trim().is_empty())
                    .collect();
                let bad = differing(&lines);
                let e = per_size.entry(format!("{lang:?} {w}x{h}")).or_default();
                e.0 += lines.len();
                e.1 += bad.len();
                total += lines.len();
                ligatures += lines
                    .iter()
                    .map(|l| {
                        l.visual
                            .chars()
                            .filter(|&c| is_lam_alef_ligature(c))
                            .count()
                    })
                    .sum::<usize>();
                for b in bad {
                    failures.push(format!("{lang:?} {name} {w}x{h}: {b}"));
                }
            }
        }
    }
    let summary: Vec<String> = per_size
        .iter()
        .map(|(k, (n, bad))| format!("{k}: {n} lines, {bad} differing"))
        .collect();
    let _ = writeln!(
        std::io::stderr(),
        "screens vs fribidi: {total} lines, {ligatures} lam-alef ligatures\n  {}",
        summary.join("\n  ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(total > 1000, "the screens were laid out ({total} lines)");
    assert!(
        ligatures > 100,
        "the Arabic screens form ligatures ({ligatures})"
    );
}

/// The short-answer box while an Arabic answer with lam-alef is typed and then erased
/// with Backspace, letter by letter through each ligature: every state agrees with
/// FriBidi, the box shows the ligature exactly when the typed text ends in lam-alef
/// pairs, and the typed text is drawn one cell narrower per ligature.
#[test]
fn typing_and_erasing_through_a_ligature_agrees_with_fribidi() {
    use crossterm::event::KeyCode;
    use tipquiz::tui::bidi::{BidiMode, shape, text_width};

    use crate::screens::{T0, ch, key, quiz};
    if crate::skip_without("fribidi") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::Ar, Some(600), tipquiz::exam::Mode::Exam, d.path());
    a.handle_key(ch('#'), T0 + 1_000);
    a.handle_key(ch('4'), T0 + 1_100);
    a.handle_key(key(KeyCode::Enter), T0 + 1_200);
    // "لا إلا بالأمن" with a fatha on the last alef of "إلا".
    let answer = "\u{0644}\u{0627} \u{0625}\u{0644}\u{0627}\u{064E} \u{0628}\u{0627}\u{0644}\u{0623}\u{0645}\u{0646}";
    let mut states = Vec::new();
    let mut now = T0 + 2_000;
    for c in answer.chars() {
        a.handle_key(ch(c), now);
        now += 100;
        states.push(a.clone());
    }
    assert_eq!(a.view().unwrap().text, answer, "typed into the answer box");
    for _ in answer.chars() {
        a.handle_key(key(KeyCode::Backspace), now);
        now += 100;
        states.push(a.clone());
    }
    assert!(
        a.view().unwrap().text.is_empty(),
        "Backspace erased the whole answer"
    );
    let mut failures = Vec::new();
    let mut checked = 0;
    for s in &states {
        let typed = s.view().unwrap().text.clone();
        let shaped = shape(&typed);
        let n = shaped.chars().filter(|&c| is_lam_alef_ligature(c)).count();
        assert_eq!(
            text_width(&typed, BidiMode::Reorder, true) + n,
            tipquiz::tui::bidi::cell_width(&typed),
            "{typed:?}: one cell less per ligature"
        );
        for (w, h) in SIZES {
            let (shown, lines) = record_lines(|| screen(s, w, h, now));
            let bad = differing(&lines);
            checked += lines.len();
            for b in bad {
                failures.push(format!("{typed:?} {w}x{h}: {b}"));
            }
            // The typed text, as drawn, is on the screen (reversed, shaped).
            if let Some(last) = typed.split(' ').next_back().filter(|w| !w.is_empty()) {
                let drawn: String = unicode_segmentation::UnicodeSegmentation::graphemes(
                    shape(last).as_str(),
                    true,
                )
                .rev()
                .collect();
                assert!(
                    shown.contains(&drawn),
                    "{typed:?} at {w}x{h}: {drawn:?} not on the screen\n{shown}"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 100);
}

/// An Arabic attempt over four topics (the fixture bank copied under each topic), a few
/// answers right, submitted: the results screen with one bar per topic.
fn results_over_four_topics(dir: &std::path::Path) -> tipquiz::tui::app::App {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use std::sync::Arc;
    use tipquiz::bank::{Library, parse_bank};
    use tipquiz::exam::{ExamDef, Mode};
    use tipquiz::tui::app::{App, Prefs, Screen};

    use crate::screens::{T0, ch, key};
    const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
    let banks = [
        "indicators",
        "national-law",
        "international-law",
        "referral",
    ]
    .iter()
    .map(|t| {
        let src = EVERY
            .replace("id = \"sample", &format!("id = \"{t}"))
            .replace("topic = \"sample\"", &format!("topic = \"{t}\""));
        parse_bank(&format!("{t}.toml"), &src).0.unwrap()
    })
    .collect();
    let lib = Arc::new(Library::build(banks).0);
    let mut a = App::new(
        lib,
        Vec::new(),
        &Prefs::default(),
        Lang::Ar,
        tipquiz::record::Store::new(dir.join("autosave")),
    );
    let mut e = ExamDef::quick(&[], 24, Some(600), Mode::Exam);
    e.shuffle_questions = false;
    e.shuffle_choices = false;
    a.fixed_exam = Some(e);
    a.form_mut().trainee = "Trainee One".into();
    a.start(T0);
    for i in 0..10 {
        a.handle_key(ch(['a', 'b', '1'][i % 3]), T0 + 1_000);
        a.handle_key(key(KeyCode::Tab), T0 + 1_100);
    }
    a.handle_key(
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
        T0 + 2_000,
    );
    a.handle_key(key(KeyCode::Enter), T0 + 2_100);
    assert!(matches!(a.screen, Screen::Results(_)));
    a
}

/// `--bidi terminal`: the results by topic as a terminal that does its own bidi shows them,
/// simulated by FriBidi on each row of the logical screen, taking rows as left-to-right
/// paragraphs (VTE, Konsole) or detecting their direction (mlterm): each topic's label is on
/// the row of its own bar and value, and the bar is filled from the label's side.
#[test]
fn terminal_mode_results_by_topic_read_right_in_a_bidi_terminal() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use tipquiz::tui::bidi::BidiMode;
    use tipquiz::tui::i18n::topic_name;
    use tipquiz::tui::ui::{Display, Theme, draw};

    use crate::bidi_fribidi::fribidi_args;
    if crate::skip_without("fribidi") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let a = results_over_four_topics(d.path());
    let sheet_topics: Vec<(String, u64)> = {
        let s = a.session().unwrap();
        s.score()
            .by_topic
            .iter()
            .map(|(t, tally)| (t.clone(), tally.percent().round() as u64))
            .collect()
    };
    assert_eq!(sheet_topics.len(), 4);
    assert!(sheet_topics.iter().any(|(_, p)| *p > 0));
    for (w, h) in [(100, 30), (80, 24)] {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        let display = Display {
            mode: BidiMode::Terminal,
            shaping: false,
            theme: Theme { color: false },
        };
        t.draw(|f| {
            draw(f, &a, display, crate::screens::T0 + 3_000);
        })
        .unwrap();
        let buf = t.backend().buffer().clone();
        let rows: Vec<String> = (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_owned()).collect())
            .collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        for paragraphs in ["--ltr", "--wltr"] {
            let shown = fribidi_args(&["--nopad", "--nobreak", paragraphs], &rows).unwrap();
            for (topic, pct) in &sheet_topics {
                let name = topic_name(Lang::Ar, topic);
                let label = fribidi_args(&["--nopad", "--nobreak", "--rtl"], &[&name]).unwrap();
                let label = label[0].trim();
                let row = shown
                    .iter()
                    .find(|r| r.contains(label))
                    .unwrap_or_else(|| panic!("{name} shown {paragraphs}:\n{}", shown.join("\n")));
                let at = row.find(label).unwrap();
                let (left, right) = (&row[..at], &row[at + label.len()..]);
                // The bar is on one side of the label, separated by spaces only.
                let near = |s: &str, rev: bool| {
                    let mut it: Box<dyn Iterator<Item = char>> = if rev {
                        Box::new(s.chars().rev())
                    } else {
                        Box::new(s.chars())
                    };
                    it.find(|c| *c != ' ' && *c != '\u{FEFF}')
                };
                let (l, r) = (near(left, true), near(right, false));
                let bar_side = if matches!(l, Some('█' | '░')) {
                    left
                } else {
                    right
                };
                assert!(
                    matches!(l, Some('█' | '░')) || matches!(r, Some('█' | '░')),
                    "{name}: its bar beside it ({paragraphs}): {row}"
                );
                if *pct > 0 {
                    assert!(
                        l == Some('█') || r == Some('█'),
                        "{name}: filled from its side ({paragraphs}): {row}"
                    );
                }
                assert!(
                    bar_side.contains(&pct.to_string()),
                    "{name}: its value {pct} on its row ({paragraphs}): {row}"
                );
            }
        }
    }
}

/// `--digits arabic`: the numbers the program writes in the Arabic interface (question n of
/// N, the progress counts, the clock, the question strip, scores and times on the results)
/// are in Arabic-Indic digits; the author's text keeps its digits (the short question asks
/// about "المادة (2)"; the match pairs years); English is unchanged. Every screen still
/// agrees with FriBidi.
#[test]
fn arabic_indic_digits_for_the_numbers_the_program_writes() {
    use tipquiz::text::Digits;
    let d = tempfile::tempdir().unwrap();
    let t = tipquiz::tui::i18n::ui(Lang::Ar);
    let n_of = t
        .question_n_of
        .replace("{0}", "\u{0661}")
        .replace("{1}", "\u{0666}");
    let mut seen = std::collections::BTreeSet::new();
    for (name, mut a, now) in every_screen(Lang::Ar, d.path()) {
        a.digits = Digits::Arabic;
        let (shown, lines) = record_lines(|| screen(&a, 100, 30, now));
        let logical: Vec<&str> = lines.iter().map(|l| l.logical.as_str()).collect();
        if name == "q_single" {
            assert!(
                logical.iter().any(|l| l.contains(&n_of)),
                "{n_of:?} in {logical:#?}"
            );
            // The strip of question numbers and the progress counts.
            assert!(shown.contains('\u{0666}'), "{shown}");
            seen.insert("question");
        }
        if name == "q_order_item_moved" || name == "q_match_one_paired" {
            // The items' numbers are the program's; the years in the match are the author's.
            assert!(
                logical.iter().any(|l| l.contains("\u{0662}) ")),
                "{logical:#?}"
            );
            assert!(
                !logical.iter().any(|l| l.trim_start().starts_with("1)")),
                "{logical:#?}"
            );
            seen.insert(if name.starts_with("q_order") {
                "order"
            } else {
                "match"
            });
        }
        if name == "q_short_typing" {
            assert!(
                logical.iter().any(|l| l.contains("(2)")),
                "the author's digit kept: {logical:#?}"
            );
            seen.insert("author");
        }
        if name == "results" {
            assert!(
                logical
                    .iter()
                    .any(|l| l.contains('\u{0667}') && l.contains('%')),
                "the pass mark ٧٠%: {logical:#?}"
            );
            seen.insert("results");
        }
        if crate::skip_without("fribidi") {
            continue;
        }
        let bad = differing(&lines);
        assert!(bad.is_empty(), "{name}: {}", bad.join("\n"));
    }
    assert_eq!(seen.len(), 5);
    // English ignores the setting.
    for (_, mut a, now) in every_screen(Lang::En, d.path()).into_iter().take(3) {
        a.digits = Digits::Arabic;
        // The home screen's digit setting shows its example "١٢٣".
        let s = screen(&a, 100, 30, now).replace("\u{0661}\u{0662}\u{0663}", "");
        assert!(
            !s.chars().any(|c| ('\u{0660}'..='\u{0669}').contains(&c)),
            "{s}"
        );
    }
}

/// The digit style is remembered per trainee with the other preferences.
#[test]
fn the_digit_style_is_remembered_per_trainee() {
    use std::sync::Arc;
    use tipquiz::bank::{Library, parse_bank};
    use tipquiz::text::Digits;
    use tipquiz::tui::app::{App, Prefs};
    const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
    let d = tempfile::tempdir().unwrap();
    let lib = Arc::new(Library::build(vec![parse_bank("every-type.toml", EVERY).0.unwrap()]).0);
    let new = |p: &Prefs| {
        App::new(
            Arc::clone(&lib),
            Vec::new(),
            p,
            Lang::Ar,
            tipquiz::record::Store::new(d.path().join("autosave")),
        )
    };
    let mut a = new(&Prefs::default());
    assert_eq!(a.digits, Digits::Western);
    a.form_mut().trainee = "خالد العلي".into();
    a.digits = Digits::Arabic;
    let saved = a.prefs(Prefs::default());
    let json = serde_json::to_string(&saved).unwrap();
    let read: Prefs = serde_json::from_str(&json).unwrap();
    assert_eq!(new(&read).digits, Digits::Arabic);
    let other = Prefs {
        trainee: "Trainee Two".into(),
        ..read.clone()
    };
    assert_eq!(new(&other).digits, Digits::Western);
    // Preferences written before the setting existed still read.
    let old: Prefs = serde_json::from_str(r#"{"trainee":"x"}"#).unwrap();
    assert!(old.digits.is_empty());
}

/// The digit setting on the home screen, in both languages: Left/Right on the field beside
/// the language switches it, the chosen style is bracketed, the Arabic form shows its counts
/// in Arabic-Indic digits at once (the English form is unchanged: the setting is for the
/// Arabic interface), and the trainee's choice is what the preferences keep.
#[test]
fn the_digit_setting_on_the_home_screen_in_both_languages() {
    use crossterm::event::KeyCode;
    use std::sync::Arc;
    use tipquiz::bank::{Library, parse_bank};
    use tipquiz::text::Digits;
    use tipquiz::tui::app::{App, Field, Prefs};

    use crate::screens::key;
    const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
    let d = tempfile::tempdir().unwrap();
    let lib = Arc::new(Library::build(vec![parse_bank("every-type.toml", EVERY).0.unwrap()]).0);
    let arabic_digits = |s: &str| {
        s.chars()
            .filter(|c| ('\u{0660}'..='\u{0669}').contains(c))
            .count()
    };
    for lang in [Lang::Ar, Lang::En] {
        let mut a = App::new(
            Arc::clone(&lib),
            Vec::new(),
            &Prefs::default(),
            lang,
            tipquiz::record::Store::new(d.path().join("autosave")),
        );
        a.form_mut().trainee = "خالد العلي".into();
        a.form_mut().focus = Field::Trainee;
        a.handle_key(key(KeyCode::Down), crate::screens::T0);
        a.handle_key(key(KeyCode::Down), crate::screens::T0);
        assert_eq!(a.form().focus, Field::Digits);
        let before = screen(&a, 100, 30, crate::screens::T0);
        // Only the field's example "١٢٣" is in Arabic-Indic digits.
        assert_eq!(arabic_digits(&before), 3, "{lang:?}\n{before}");
        assert!(before.contains("[123]"), "{before}");
        a.handle_key(key(KeyCode::Right), crate::screens::T0);
        assert_eq!(a.digits, Digits::Arabic);
        let after = screen(&a, 100, 30, crate::screens::T0);
        assert!(
            after.contains("[١٢٣]") && !after.contains("[123]"),
            "{after}"
        );
        match lang {
            // The topic's count "(6)" and the number of questions "< 10 >" changed style.
            Lang::Ar => {
                assert!(arabic_digits(&after) > 3, "{after}");
                assert!(after.contains("< ١٠ >"), "{after}");
            }
            Lang::En => {
                assert_eq!(arabic_digits(&after), 3, "{after}");
                assert!(after.contains("< 10 >"), "{after}");
            }
        }
        let kept = a.prefs(Prefs::default());
        assert_eq!(
            kept.digits
                .get(&tipquiz::record::trainee_slug("خالد العلي")),
            Some(&Digits::Arabic)
        );
        // And back.
        a.handle_key(key(KeyCode::Left), crate::screens::T0);
        assert_eq!(a.digits, Digits::Western);
        assert_eq!(screen(&a, 100, 30, crate::screens::T0), before);
    }
}

/// The live board's chart in Arabic: each topic's label is drawn whole under its bar.
#[test]
fn the_boards_arabic_topic_labels_are_whole() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use tipquiz::bank::{Library, parse_bank};
    use tipquiz::record::{AttemptRecord, Store, attempt_id};
    use tipquiz::report::board::Board;
    use tipquiz::tui::bidi::{BidiMode, shape};
    use tipquiz::tui::i18n::topic_name;
    use tipquiz::tui::ui::{Display, Theme};
    const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
    let src = EVERY.replace("topic = \"sample\"", "topic = \"indicators\"");
    let lib = Library::build(vec![parse_bank("every-type.toml", &src).0.unwrap()]).0;
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    for (i, n) in ["Alia", "Badr"].iter().enumerate() {
        let start = crate::screens::T0 + i as i64;
        let s = crate::records::finished(&lib, n, start, 4);
        let r = AttemptRecord::from_session(&s, &attempt_id(&s.state), start + 60_000, "test");
        store.commit(&r, None).unwrap();
    }
    let mut b = Board::new(d.path(), None);
    b.refresh();
    assert!(!b.topic_means().is_empty());
    let display = Display {
        mode: BidiMode::Reorder,
        shaping: true,
        theme: Theme { color: false },
    };
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| tipquiz::tui::board::draw(f, &b, Lang::Ar, display))
        .unwrap();
    let buf = t.backend().buffer().clone();
    let screen: String = (0..30)
        .map(|y| {
            (0..100)
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect::<String>()
                + "\n"
        })
        .collect();
    let label: String = shape(&topic_name(Lang::Ar, "indicators"))
        .chars()
        .rev()
        .collect();
    assert!(
        screen.contains(&label),
        "{label} whole on the board:\n{screen}"
    );
}

/// The caret of the answer box walked through "سلام" (Home, then one character at a time).
/// The box draws the caret on the cell of the character after it; a lam and an alef of
/// different styles form no ligature, so with the caret on the lam (before the pair) or on
/// the alef (inside it) the two letters are drawn as two cells and the caret's letter alone
/// is highlighted; elsewhere the ligature is drawn. Backspace inside the pair deletes the lam.
#[test]
fn the_caret_before_inside_and_after_a_ligature() {
    use crossterm::event::KeyCode;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Modifier;
    use tipquiz::tui::bidi::BidiMode;
    use tipquiz::tui::ui::{Display, Theme, draw};

    use crate::screens::{T0, ch, key, quiz};
    let d = tempfile::tempdir().unwrap();
    let mut a = quiz(Lang::Ar, Some(600), tipquiz::exam::Mode::Exam, d.path());
    a.handle_key(ch('#'), T0 + 1_000);
    a.handle_key(ch('4'), T0 + 1_100);
    a.handle_key(key(KeyCode::Enter), T0 + 1_200);
    for c in "\u{0633}\u{0644}\u{0627}\u{0645}".chars() {
        a.handle_key(ch(c), T0 + 2_000);
    }
    assert_eq!(a.view().unwrap().text, "\u{0633}\u{0644}\u{0627}\u{0645}");
    a.handle_key(key(KeyCode::Home), T0 + 2_100);
    let display = Display {
        mode: BidiMode::Reorder,
        shaping: true,
        theme: Theme { color: false },
    };
    let mut seen = std::collections::BTreeSet::new();
    for step in 0..6 {
        let caret = a.view().unwrap().caret;
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        t.draw(|f| {
            draw(f, &a, display, T0 + 3_000);
        })
        .unwrap();
        let buf = t.backend().buffer().clone();
        // The row of the answer: the one with the word's meem.
        let row = (0..24)
            .find(|&y| (0..80).any(|x| buf[(x, y)].symbol() == "\u{FEE1}"))
            .unwrap_or_else(|| {
                panic!(
                    "the answer's row: {:?} caret {caret}\n{}",
                    a.view().unwrap().text,
                    crate::screens::screen(&a, 80, 24, T0 + 3_000)
                )
            });
        let cells: Vec<(String, bool)> = (0..80)
            .map(|x| (x, row))
            .map(|(x, y)| {
                let c = &buf[(x, y)];
                (
                    c.symbol().to_owned(),
                    c.modifier.contains(Modifier::REVERSED),
                )
            })
            .collect();
        let reversed: Vec<&str> = cells
            .iter()
            .filter(|(_, r)| *r)
            .map(|(s, _)| s.as_str())
            .collect();
        let has = |s: &str| cells.iter().any(|(c, _)| c == s);
        let split = has("\u{FE8E}") && has("\u{FEE0}") && !has("\u{FEFC}");
        match caret {
            2 => {
                assert!(split, "two cells with the caret inside the pair");
                assert_eq!(reversed, ["\u{FE8E}"], "the alef carries the caret");
            }
            1 => {
                assert!(split, "two cells with the caret before the lam");
                assert_eq!(reversed, ["\u{FEE0}"], "the lam carries the caret");
            }
            0 => {
                assert!(has("\u{FEFC}"), "the ligature");
                assert_eq!(reversed, ["\u{FEB3}"], "on the seen");
            }
            3 => {
                assert!(has("\u{FEFC}"), "the ligature");
                assert_eq!(reversed, ["\u{FEE1}"], "after the pair: on the meem");
            }
            4 => assert!(has("\u{FEFC}") && reversed.len() == 1, "{reversed:?}"),
            _ => {}
        }
        seen.insert(caret);
        // Towards the end of the text, whichever arrow that is in Arabic.
        let before = a.view().unwrap().caret;
        let mut left = a.clone();
        left.handle_key(key(KeyCode::Left), T0 + 4_000 + step);
        let moved = left.view().unwrap().caret;
        if moved < before || (moved == before && before == 0) {
            a.handle_key(key(KeyCode::Right), T0 + 4_000 + step);
        } else {
            a = left;
        }
    }
    assert_eq!(seen, (0..=4).collect(), "every caret position was drawn");
    // Backspace with the caret on the alef deletes the lam: "سام".
    a.handle_key(key(KeyCode::Home), T0 + 5_000);
    for _ in 0..2 {
        let before = a.view().unwrap().caret;
        let mut left = a.clone();
        left.handle_key(key(KeyCode::Left), T0 + 5_100);
        if left.view().unwrap().caret <= before {
            a.handle_key(key(KeyCode::Right), T0 + 5_100);
        } else {
            a = left;
        }
    }
    assert_eq!(a.view().unwrap().caret, 2);
    a.handle_key(key(KeyCode::Backspace), T0 + 5_200);
    assert_eq!(a.view().unwrap().text, "\u{0633}\u{0627}\u{0645}");
}

/// A board over four topics with finished attempts of trainees with Arabic and Latin names.
fn board_over_four_topics(dir: &std::path::Path) -> tipquiz::report::board::Board {
    use tipquiz::bank::{Library, parse_bank};
    use tipquiz::record::{AttemptRecord, Store, attempt_id};
    use tipquiz::report::board::Board;
    const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
    let banks = [
        "indicators",
        "national-law",
        "international-law",
        "referral",
    ]
    .iter()
    .map(|t| {
        let src = EVERY
            .replace("id = \"sample", &format!("id = \"{t}"))
            .replace("topic = \"sample\"", &format!("topic = \"{t}\""));
        parse_bank(&format!("{t}.toml"), &src).0.unwrap()
    })
    .collect();
    let lib = Library::build(banks).0;
    let store = Store::new(dir);
    for (i, (n, answers)) in [("خالد العلي", 4), ("Badr Salem", 2), ("سارة", 3)]
        .iter()
        .enumerate()
    {
        let start = crate::screens::T0 + i as i64;
        let mut e = tipquiz::exam::ExamDef::quick(&[], 24, Some(600), tipquiz::exam::Mode::Exam);
        e.shuffle_questions = false;
        e.shuffle_choices = false;
        let mut s = tipquiz::quiz::Session::start(&e, &lib, n, 9, Lang::Ar, start).unwrap();
        for q in 0..24 {
            if q % 5 < *answers {
                s.update(
                    tipquiz::quiz::Action::Answer(tipquiz::quiz::Response::Choice(0)),
                    start + 1000,
                );
            }
            s.update(tipquiz::quiz::Action::Next, start + 1500);
        }
        s.update(tipquiz::quiz::Action::Submit, start + 590_000);
        let r = AttemptRecord::from_session(&s, &attempt_id(&s.state), start + 600_000, "test");
        store.commit(&r, None).unwrap();
    }
    let mut b = Board::new(dir, None);
    b.refresh();
    b
}

/// The rows of the board drawn in `mode` at `w`×`h`.
fn board_rows(
    b: &tipquiz::report::board::Board,
    mode: tipquiz::tui::bidi::BidiMode,
    digits: tipquiz::text::Digits,
    w: u16,
    h: u16,
) -> Vec<String> {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use tipquiz::tui::ui::{Display, Theme};
    let display = Display {
        mode,
        shaping: mode == tipquiz::tui::bidi::BidiMode::Reorder,
        theme: Theme { color: false },
    };
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| tipquiz::tui::board::draw_in(f, b, Lang::Ar, digits, display))
        .unwrap();
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_owned()).collect())
        .collect()
}

/// The live board with `--bidi terminal` in Arabic, as a terminal that does its own bidi
/// shows it, simulated by FriBidi on each row of the logical screen, taking rows as
/// left-to-right paragraphs (VTE, Konsole) or detecting their direction (mlterm): each
/// trainee's name, percentage (the sign beside its number) and status with its time are on
/// one row, the time beside its word (Latin units "9m50s" were split around the word in a
/// left-to-right paragraph); each topic's label is on the row of its own bar and value.
#[test]
fn the_board_reads_right_in_a_bidi_terminal() {
    use tipquiz::tui::bidi::BidiMode;
    use tipquiz::tui::i18n::topic_name;

    use crate::bidi_fribidi::fribidi_args;
    if crate::skip_without("fribidi") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let b = board_over_four_topics(d.path());
    let trainees: Vec<(String, u64)> = b
        .rows()
        .iter()
        .map(|r| (r.trainee.clone(), r.percent.unwrap().round() as u64))
        .collect();
    assert_eq!(trainees.len(), 3);
    assert!(
        trainees.iter().any(|(n, _)| n.is_ascii()) && trainees.iter().any(|(n, _)| !n.is_ascii()),
        "Latin and Arabic names: {trainees:?}"
    );
    let means: Vec<(String, u64)> = b
        .topic_means()
        .iter()
        .map(|(t, m)| (t.clone(), m.round() as u64))
        .collect();
    assert!(means.len() >= 3, "{means:?}");
    let alone = |s: &str| {
        fribidi_args(&["--nopad", "--nobreak", "--rtl"], &[s]).unwrap()[0]
            .trim()
            .to_owned()
    };
    for (w, h) in [(100, 30), (80, 24)] {
        let rows = board_rows(&b, BidiMode::Terminal, tipquiz::text::Digits::Western, w, h);
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        for paragraphs in ["--ltr", "--wltr"] {
            let shown = fribidi_args(&["--nopad", "--nobreak", paragraphs], &rows).unwrap();
            let all = shown.join("\n");
            for (rank, (name, pct)) in trainees.iter().enumerate() {
                let shown_name = if name.is_ascii() {
                    name.clone()
                } else {
                    alone(name)
                };
                let row = shown
                    .iter()
                    .find(|r| r.contains(&shown_name))
                    .unwrap_or_else(|| panic!("{name} ({paragraphs}):\n{all}"));
                assert!(
                    row.contains(&format!("%{pct} ")) || row.contains(&format!(" {pct}%")),
                    "{name}: {pct}% on its row ({paragraphs}): {row}"
                );
                // The time in its own column (no Latin units to split around a word).
                assert!(
                    row.contains("9:50"),
                    "{name}: the time on its row ({paragraphs}): {row}"
                );
                // The rank at the right end, where an Arabic row is read first, then the name
                // (a left-to-right paragraph kept it at the far left, read last).
                let visible: String = row
                    .chars()
                    .filter(|c| !tipquiz::diag::is_bidi_format(*c))
                    .collect();
                let end = visible.trim_end().trim_end_matches('│').trim_end();
                assert!(
                    end.ends_with(&format!("  {}", rank + 1)),
                    "{name}: rank {} at the right ({paragraphs}): {row:?}",
                    rank + 1
                );
                let before = end[..end.len() - (rank + 1).to_string().len()].trim_end();
                assert!(
                    before.ends_with(&shown_name),
                    "{name}: the name beside its rank ({paragraphs}): {row:?}"
                );
            }
            for (topic, pct) in &means {
                let label = alone(&topic_name(Lang::Ar, topic));
                let row = shown
                    .iter()
                    .find(|r| r.contains(&label))
                    .unwrap_or_else(|| panic!("{label} ({paragraphs}):\n{all}"));
                let at = row.find(&label).unwrap();
                let (left, right) = (&row[..at], &row[at + label.len()..]);
                let near_l = left.trim_end().chars().next_back();
                let near_r = right.trim_start().chars().next();
                let bar_side = if matches!(near_l, Some('█' | '░')) {
                    left
                } else {
                    assert!(
                        matches!(near_r, Some('█' | '░')),
                        "{label}: its bar beside it ({paragraphs}): {row}"
                    );
                    right
                };
                assert!(
                    bar_side.contains(&pct.to_string()),
                    "{label}: its value {pct} on its row ({paragraphs}): {row}"
                );
            }
        }
    }
}

/// The board in Arabic with `--digits arabic` (reorder mode): ranks, percentages and times
/// in Arabic-Indic digits, the names as typed; each topic's label whole on its own row with
/// its bar and value.
#[test]
fn the_board_writes_arabic_indic_digits_and_whole_labels() {
    use tipquiz::tui::bidi::{BidiMode, shape};
    use tipquiz::tui::i18n::topic_name;
    let d = tempfile::tempdir().unwrap();
    let b = board_over_four_topics(d.path());
    let rows = board_rows(
        &b,
        BidiMode::Reorder,
        tipquiz::text::Digits::Arabic,
        100,
        30,
    );
    let body: Vec<&String> = rows[1..rows.len() - 1]
        .iter()
        .filter(|r| !r.trim_matches(|c| c == '│' || c == ' ').is_empty())
        .collect();
    assert!(body.len() >= 3 + 1 + 3, "{rows:#?}");
    for r in &body {
        assert!(!r.chars().any(|c| c.is_ascii_digit()), "Western digit: {r}");
    }
    let all = rows.join("\n");
    assert!(
        all.contains("\u{0669}:\u{0665}\u{0660}"),
        "the time ٩:٥٠: {all}"
    );
    assert!(all.contains("Badr Salem"), "{all}");
    // A quick quiz's records carry the English title: the Arabic board names it from the
    // catalogue.
    let quick: String = shape("اختبار سريع").chars().rev().collect();
    assert!(rows[0].contains(&quick), "{}", rows[0]);
    assert!(!all.contains("Quick quiz"), "{}", rows[0]);
    // The title and the keys are set from the right in the frame's lines, whose line runs on
    // before them (padded to the width, the title hid it under spaces).
    for frame in [&rows[0], &rows[rows.len() - 1]] {
        assert!(
            frame.starts_with("┌───") || frame.starts_with("└───"),
            "{frame}"
        );
        assert!(!frame.contains("  "), "{frame}");
    }
    for (topic, m) in b.topic_means() {
        let label: String = shape(&topic_name(Lang::Ar, &topic)).chars().rev().collect();
        let row = rows
            .iter()
            .find(|r| r.contains(&label))
            .unwrap_or_else(|| panic!("{label} whole:\n{all}"));
        let value = tipquiz::text::Digits::Arabic
            .write(&(m.round() as u64).to_string())
            .into_owned();
        assert!(row.contains('█') || row.contains('░'), "{row}");
        assert!(row.contains(&value), "{value} on {row}");
    }
}

/// The screens beyond the trainee's walk, compared with FriBidi line by line as
/// [`every_screen_agrees_with_fribidi_line_by_line`] does: the display check (calibration),
/// the loading frame, the instructor's preview of a bank (every question with its key, in
/// file order) and the live board in Western and Arabic-Indic digits, at 100, 60 and 40
/// columns, in Arabic and English.
#[test]
fn the_other_screens_agree_with_fribidi_line_by_line() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use tipquiz::text::Digits;
    use tipquiz::tui::bidi::BidiMode;
    use tipquiz::tui::preview::{View, load};
    use tipquiz::tui::ui::{Display, Theme};
    if crate::skip_without("fribidi") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let board = board_over_four_topics(d.path());
    let display = Display {
        mode: BidiMode::Reorder,
        shaping: true,
        theme: Theme { color: false },
    };
    let draw = |w: u16, h: u16, f: &dyn Fn(&mut ratatui::Frame<'_>)| {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|frame| f(frame)).unwrap();
    };
    let (mut total, mut failures, mut seen) = (0, Vec::new(), std::collections::BTreeSet::new());
    for lang in [Lang::Ar, Lang::En] {
        let View::Questions(preview) = load(
            std::path::Path::new("tests/fixtures/valid/every-type.toml"),
            None,
            lang,
            None,
        ) else {
            panic!("the fixture loads");
        };
        let mut previews = vec![(*preview).clone()];
        let mut p = (*preview).clone();
        for _ in 0..5 {
            p.handle_key(crate::screens::key(crossterm::event::KeyCode::Tab), 0);
            previews.push(p.clone());
        }
        for (w, h) in SIZES {
            let mut shots: Vec<(String, Vec<LaidOutLine>)> = vec![
                (
                    "calibration".into(),
                    record_lines(|| {
                        draw(w, h, &|f| {
                            tipquiz::tui::ui::draw_calibration(f, lang, display)
                        })
                    })
                    .1,
                ),
                (
                    "loading".into(),
                    record_lines(|| {
                        draw(w, h, &|f| {
                            tipquiz::tui::loading::draw_loading(f, lang, display)
                        })
                    })
                    .1,
                ),
            ];
            for digits in [Digits::Western, Digits::Arabic] {
                shots.push((
                    format!("board {digits:?}"),
                    record_lines(|| {
                        draw(w, h, &|f| {
                            tipquiz::tui::board::draw_in(f, &board, lang, digits, display)
                        })
                    })
                    .1,
                ));
            }
            for (i, p) in previews.iter().enumerate() {
                shots.push((
                    format!("preview {i}"),
                    record_lines(|| {
                        draw(w, h, &|f| {
                            tipquiz::tui::ui::draw(f, p, display, 0);
                        })
                    })
                    .1,
                ));
            }
            for (name, lines) in shots {
                let lines: Vec<LaidOutLine> = lines
                    .into_iter()
                    .filter(|l| !l.logical.trim().is_empty())
                    .collect();
                if !lines.is_empty() {
                    seen.insert(name.clone());
                }
                total += lines.len();
                for b in differing(&lines) {
                    failures.push(format!("{lang:?} {name} {w}x{h}: {b}"));
                }
            }
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "other screens vs fribidi: {total} lines, {} differing; {seen:?}",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(seen.len() >= 10, "{seen:?}");
    assert!(total > 300, "{total}");
}
