//! Names and paths from outside the program are put into messages as they are, and neutralised
//! where they are printed: JSON carries them JSON-escaped, the command line's text shows control
//! and text-direction characters as `\u{..}`, and the screens draw them the same way.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tipquiz::bank::{Library, parse_bank};
use tipquiz::diag::is_dangerous_char;
use tipquiz::record::{AttemptRecord, Store, attempt_id};
use tipquiz::text::Lang;
use tipquiz::tui::bidi::BidiMode;
use tipquiz::tui::ui::{Display, Theme};

/// A name that clears the screen and turns the rest of its line around.
const HOSTILE: &str = "bad\u{1b}[2J\u{202E}name";

/// What a terminal would receive for every cell of the last frame drawn.
fn cells(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let a = buf.area;
    (a.y..a.y + a.height)
        .map(|y| {
            (a.x..a.x + a.width)
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

fn display(mode: BidiMode) -> Display {
    Display {
        mode,
        shaping: mode == BidiMode::Reorder,
        theme: Theme { color: false },
    }
}

#[cfg(unix)]
fn tipquiz(d: &std::path::Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("tipquiz").unwrap();
    c.env("TIPQUIZ_DATA", d.join("data"))
        .env_remove("TIPQUIZ_RESULTS")
        .env_remove("TIPQUIZ_LANG")
        .env("TIPQUIZ_NO_CACHE", "1")
        .env("LANG", "C.UTF-8");
    c
}

/// A bank file whose name holds an escape sequence and a right-to-left override (possible on
/// Unix): `check --format json` carries the name as it is, JSON-escaped (`\u001b`); the text
/// output shows `\u{1b}` and `\u{202e}` and sends neither character; a path that cannot be
/// read (the loader's error, built raw) is shown the same way on standard error, in English
/// and in Arabic.
#[cfg(unix)]
#[test]
fn a_hostile_file_name_is_raw_in_json_and_neutralised_in_text() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join(format!("{HOSTILE}.toml"));
    std::fs::write(&file, "id = \"x\"\ntopic = \n").unwrap();
    let json = tipquiz(d.path())
        .args(["--lang", "en", "check", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let out = String::from_utf8(json.stdout).unwrap();
    assert!(out.contains("bad\\u001b[2J\u{202E}name.toml"), "{out}");
    assert!(
        !out.contains("\\u{1b}"),
        "no terminal escaping in JSON: {out}"
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["diagnostics"][0]["file"].as_str(),
        Some(file.to_str().unwrap()),
        "{out}"
    );
    for lang in ["en", "ar"] {
        let text = tipquiz(d.path())
            .args(["--lang", lang, "check"])
            .arg(&file)
            .output()
            .unwrap();
        let (out, err) = (
            String::from_utf8(text.stdout).unwrap(),
            String::from_utf8(text.stderr).unwrap(),
        );
        assert!(
            out.contains("bad\\u{1b}[2J\\u{202e}name.toml"),
            "{lang}: {out}{err}"
        );
        assert!(
            !format!("{out}{err}").chars().any(is_dangerous_char),
            "{lang}"
        );
        // The loader's error for a path that cannot be read.
        let missing = d.path().join(HOSTILE).join("gone.toml");
        let text = tipquiz(d.path())
            .args(["--lang", lang, "check"])
            .arg(&missing)
            .output()
            .unwrap();
        let err = String::from_utf8(text.stderr).unwrap();
        assert_ne!(text.status.code(), Some(0));
        assert!(err.contains("bad\\u{1b}[2J\\u{202e}name"), "{lang}: {err}");
        assert!(!err.chars().any(is_dangerous_char), "{lang}: {err:?}");
    }
}

/// The store's error is built with the path as it is (so JSON and logs carry it whole); a
/// screen that shows it, in either bidi mode and language, draws `\u{1b}` and `\u{202e}` and
/// puts neither character in a cell. (Unix: the name is not a valid Windows file name.)
#[cfg(unix)]
#[test]
fn a_store_error_on_a_screen_is_neutralised_where_it_is_drawn() {
    let d = tempfile::tempdir().unwrap();
    // The results folder's place is taken by a file: the commit fails there.
    let blocked = d.path().join(HOSTILE);
    std::fs::write(&blocked, b"").unwrap();
    let lib: Library = Library::build(vec![
        parse_bank(
            "every-type.toml",
            include_str!("../fixtures/valid/every-type.toml"),
        )
        .0
        .unwrap(),
    ])
    .0;
    let s = crate::records::finished(&lib, "Salem", crate::screens::T0, 3);
    let r = AttemptRecord::from_session(&s, &attempt_id(&s.state), crate::screens::T0, "test");
    let e = Store::new(blocked.join("results"))
        .commit(&r, None)
        .unwrap_err();
    let raw = e.message().en();
    assert!(raw.contains(HOSTILE), "built raw: {raw:?}");
    for lang in [Lang::En, Lang::Ar] {
        for mode in [BidiMode::Reorder, BidiMode::Terminal] {
            let mut a = crate::screens::quiz(lang, Some(600), tipquiz::exam::Mode::Exam, d.path());
            a.message = Some(e.message().render(lang));
            let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
            t.draw(|f| {
                tipquiz::tui::ui::draw(f, &a, display(mode), crate::screens::T0 + 1000);
            })
            .unwrap();
            let shown = cells(&t);
            assert!(
                !shown.chars().any(is_dangerous_char),
                "{lang:?} {mode:?}: {shown:?}"
            );
            assert!(
                shown.contains("\\u{1b}[2J") && shown.contains("202e"),
                "{lang:?} {mode:?}: {shown}"
            );
        }
    }
}

/// A record's exam title is drawn in the board's frame title, where ratatui keeps zero-width
/// characters: the board neutralises it there.
#[test]
fn a_hostile_exam_title_on_the_board_is_neutralised() {
    let d = tempfile::tempdir().unwrap();
    let lib: Library = Library::build(vec![
        parse_bank(
            "every-type.toml",
            include_str!("../fixtures/valid/every-type.toml"),
        )
        .0
        .unwrap(),
    ])
    .0;
    let s = crate::records::finished(&lib, "Salem", crate::screens::T0, 3);
    let mut r = AttemptRecord::from_session(&s, &attempt_id(&s.state), crate::screens::T0, "t");
    r.exam_title = HOSTILE.to_owned();
    Store::new(d.path()).commit(&r, None).unwrap();
    let mut b = tipquiz::report::board::Board::new(d.path(), None);
    b.refresh();
    assert_eq!(b.title().as_deref(), Some(HOSTILE));
    for lang in [Lang::En, Lang::Ar] {
        for mode in [BidiMode::Reorder, BidiMode::Terminal] {
            let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
            t.draw(|f| {
                tipquiz::tui::board::draw_in(
                    f,
                    &b,
                    lang,
                    tipquiz::text::Digits::Western,
                    display(mode),
                )
            })
            .unwrap();
            let shown = cells(&t);
            let title = shown.lines().next().unwrap_or_default();
            assert!(title.contains("\\u{1b}[2J"), "{lang:?} {mode:?}: {title}");
            // Only the board's own right-to-left isolates (Arabic, bidi terminal) remain.
            let stray: Vec<char> = shown
                .chars()
                .filter(|c| {
                    is_dangerous_char(*c) && !matches!(c, '\u{2067}' | '\u{2068}' | '\u{2069}')
                })
                .collect();
            assert!(stray.is_empty(), "{lang:?} {mode:?}: {stray:?} in {shown}");
            assert!(!title.chars().any(is_dangerous_char), "{title:?}");
        }
    }
}
