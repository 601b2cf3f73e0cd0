//! Differential test against the `fribidi` command-line tool (Debian `libfribidi-bin`).
//!
//! Compares unshaped, reordered single lines. fribidi always shapes (presentation forms
//! and lam-alef ligatures, padded with U+FEFF), so both sides are normalised as in the
//! notes §7: drop U+FEFF, expand lam-alef ligatures to their two letters in visual order
//! (alef, then lam), then NFKC. Skips (with a message) when `fribidi` is not on PATH.

use std::io::Write;
use std::process::{Command, Stdio};

use tipquiz::tui::bidi::{BidiMode, Dir, visual_lines};
use unicode_normalization::UnicodeNormalization;

const CASES: &[(Dir, &str)] = &[
    (
        Dir::Rtl,
        "\u{0627}\u{0644}\u{0645}\u{0627}\u{062F}\u{0629} 2 \u{0645}\u{0646} \u{0627}\u{0644}\u{0642}\u{0627}\u{0646}\u{0648}\u{0646} \u{0631}\u{0642}\u{0645} 91 \u{0644}\u{0633}\u{0646}\u{0629} 2013",
    ),
    (
        Dir::Rtl,
        "(\u{0627}\u{0644}\u{062C}\u{0632}\u{0627}\u{0621}).",
    ),
    (
        Dir::Rtl,
        "\u{0628}\u{0650}\u{0633}\u{0652}\u{0645}\u{0650} \u{0627}\u{0644}\u{0644}\u{0651}\u{064E}\u{0647}\u{0650} \u{0627}\u{0644}\u{0631}\u{0651}\u{064E}\u{062D}\u{0652}\u{0645}\u{064E}\u{0646}\u{0650}",
    ),
    (
        Dir::Rtl,
        "\u{0644}\u{0627} \u{0633}\u{0644}\u{0627}\u{0645} \u{0625}\u{0644}\u{0627} \u{0628}\u{0627}\u{0644}\u{0623}\u{0645}\u{0646}",
    ),
    (
        Dir::Rtl,
        "\u{0627}\u{0636}\u{063A}\u{0637} Enter \u{0644}\u{0644}\u{0645}\u{062A}\u{0627}\u{0628}\u{0639}\u{0629}.",
    ),
    (
        Dir::Rtl,
        "\u{0645}\u{0627} \u{0647}\u{064A} \u{0627}\u{0644}\u{0645}\u{0627}\u{062F}\u{0629} 12\u{061F}",
    ),
    (
        Dir::Rtl,
        "\u{0623}) \u{0627}\u{0644}\u{062D}\u{0628}\u{0633} \u{0645}\u{062F}\u{0629} [\u{0633}\u{0646}\u{0629}] \u{00AB}\u{0643}\u{0627}\u{0645}\u{0644}\u{0629}\u{00BB}",
    ),
    (
        Dir::Rtl,
        "\u{0627}\u{0644}\u{0645}\u{0627}\u{062F}\u{0629} \u{0661}\u{0662}\u{0663} (\u{0627}\u{0644}\u{0641}\u{0642}\u{0631}\u{0629} 2) \u{2264} 10%.",
    ),
    (
        Dir::Rtl,
        "\u{0627}\u{0633}\u{062A}\u{062E}\u{062F}\u{0645} GPS 3.5 (v2) \u{0627}\u{0644}\u{0622}\u{0646}!",
    ),
    (
        Dir::Rtl,
        "\u{0627}\u{0644}\u{0639}\u{0645}\u{0631} \u{2265} 18 \u{0648} \u{2264} 60 \u{2990}\u{0623}\u{298D} x\u{223D}y.",
    ),
    (
        Dir::Ltr,
        "The word \u{0633}\u{0644}\u{0627}\u{0645} (peace) is in article 12.",
    ),
    (
        Dir::Ltr,
        "Law \u{0631}\u{0642}\u{0645} 91 \u{0644}\u{0633}\u{0646}\u{0629} 2013 applies.",
    ),
    (Dir::Ltr, "Press \u{0623}) or \u{0628}) then [OK]."),
];

/// Like `eprintln!`, but written straight to the process's stderr so that libtest's
/// output capture does not hide it: the skip message shows in a plain `cargo test` run.
fn report(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

fn normalise(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\u{FEFF}' => {}
            '\u{FEF5}' | '\u{FEF6}' => out.push_str("\u{0622}\u{0644}"),
            '\u{FEF7}' | '\u{FEF8}' => out.push_str("\u{0623}\u{0644}"),
            '\u{FEF9}' | '\u{FEFA}' => out.push_str("\u{0625}\u{0644}"),
            '\u{FEFB}' | '\u{FEFC}' => out.push_str("\u{0627}\u{0644}"),
            c => out.push(c),
        }
    }
    out.nfkc().collect()
}

fn fribidi(dir: Dir, inputs: &[&str]) -> Option<Vec<String>> {
    let flag = match dir {
        Dir::Rtl => "--rtl",
        Dir::Ltr => "--ltr",
    };
    let mut child = Command::new("fribidi")
        .args(["--nopad", "--nobreak", "--reordernsm", "--clean", flag])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    {
        let mut stdin = child.stdin.take()?;
        for s in inputs {
            writeln!(stdin, "{s}").ok()?;
        }
    }
    let out = child.wait_with_output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.lines().map(str::to_owned).collect())
}

#[test]
fn agrees_with_fribidi() {
    if crate::skip_without("fribidi") {
        return;
    }
    let mut agree = 0;
    let mut failures = Vec::new();
    for dir in [Dir::Rtl, Dir::Ltr] {
        let inputs: Vec<&str> = CASES.iter().filter(|c| c.0 == dir).map(|c| c.1).collect();
        let theirs = fribidi(dir, &inputs).expect("fribidi ran");
        assert_eq!(theirs.len(), inputs.len(), "one output line per input line");
        for (input, theirs) in inputs.iter().zip(&theirs) {
            let ours = visual_lines(input, dir, 1000, BidiMode::Reorder, false);
            assert_eq!(ours.len(), 1, "{input:?} fits on one line");
            let (a, b) = (normalise(&ours[0]), normalise(theirs));
            if a == b {
                agree += 1;
            } else {
                failures.push(format!(
                    "{dir:?} {input:?}\n  ours:    {a:?}\n  fribidi: {b:?}"
                ));
            }
        }
    }
    report(&format!("fribidi agreement: {agree}/{}", CASES.len()));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(agree >= 8);
}

/// fribidi's shaped output, with its lam-alef ligatures split back into the two
/// presentation forms (alef final, then lam initial or medial, in visual order) and its
/// unshaped hamza mapped to the isolated form.
fn normalise_shaped(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\u{FEFF}' => {}
            '\u{0621}' => out.push('\u{FE80}'),
            '\u{FEF5}' => out.push_str("\u{FE82}\u{FEDF}"),
            '\u{FEF6}' => out.push_str("\u{FE82}\u{FEE0}"),
            '\u{FEF7}' => out.push_str("\u{FE84}\u{FEDF}"),
            '\u{FEF8}' => out.push_str("\u{FE84}\u{FEE0}"),
            '\u{FEF9}' => out.push_str("\u{FE88}\u{FEDF}"),
            '\u{FEFA}' => out.push_str("\u{FE88}\u{FEE0}"),
            '\u{FEFB}' => out.push_str("\u{FE8E}\u{FEDF}"),
            '\u{FEFC}' => out.push_str("\u{FE8E}\u{FEE0}"),
            c => out.push(c),
        }
    }
    out
}

/// Stricter: our shaped output (ligatures off) equals fribidi's joining forms exactly.
#[test]
fn shaped_forms_agree_with_fribidi() {
    if crate::skip_without("fribidi") {
        return;
    }
    let mut agree = 0;
    let mut failures = Vec::new();
    for dir in [Dir::Rtl, Dir::Ltr] {
        let inputs: Vec<&str> = CASES.iter().filter(|c| c.0 == dir).map(|c| c.1).collect();
        let theirs = fribidi(dir, &inputs).expect("fribidi ran");
        assert_eq!(theirs.len(), inputs.len());
        for (input, theirs) in inputs.iter().zip(&theirs) {
            let ours = visual_lines(input, dir, 1000, BidiMode::Reorder, true);
            assert_eq!(ours.len(), 1);
            let (a, b) = (normalise_shaped(&ours[0]), normalise_shaped(theirs));
            if a == b {
                agree += 1;
            } else {
                failures.push(format!(
                    "{dir:?} {input:?}\n  ours:    {a:?}\n  fribidi: {b:?}"
                ));
            }
        }
    }
    report(&format!(
        "fribidi shaped agreement: {agree}/{}",
        CASES.len()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
