//! Differential test against the `fribidi` command-line tool (Debian `libfribidi-bin`).
//!
//! Compares unshaped, reordered single lines. fribidi always shapes (presentation forms
//! and lam-alef ligatures, padded with U+FEFF), so both sides are normalised as in the
//! notes §7: drop U+FEFF, expand lam-alef ligatures to their two letters in visual order
//! (alef, then lam), then NFKC. Skips (with a message) when `fribidi` is not on PATH.

use std::io::Write;
use std::process::{Command, Stdio};

use tipquiz::tui::bidi::{
    BidiMode, Dir, cell_width, is_lam_alef_ligature, logical_lines, visual_lines,
};
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

/// fribidi's shaped output back to the letters: its U+FEFF padding dropped, the lam-alef
/// ligatures undone into their two letters in visual order, then NFKC.
pub(crate) fn normalise(s: &str) -> String {
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

pub(crate) fn fribidi(dir: Dir, inputs: &[&str]) -> Option<Vec<String>> {
    let flag = match dir {
        Dir::Rtl => "--rtl",
        Dir::Ltr => "--ltr",
    };
    fribidi_args(
        &["--nopad", "--nobreak", "--reordernsm", "--clean", flag],
        inputs,
    )
}

/// `fribidi` run with `args` over `inputs`, one output line per input line.
pub(crate) fn fribidi_args(args: &[&str], inputs: &[&str]) -> Option<Vec<String>> {
    let mut child = Command::new("fribidi")
        .args(args)
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

/// Lam-alef cases for the shaped comparison: every ligature in isolated and final form,
/// tashkeel on the lam (FriBidi then forms no ligature) or on the alef (it does), the name
/// of the course, a ligature next to brackets, digits and Latin text, and lam-lam-alef.
const LIGATURE_CASES: &[(Dir, &str)] = &[
    (
        Dir::Rtl,
        "\u{0645}\u{0643}\u{0627}\u{0641}\u{062D}\u{0629} \u{0627}\u{0644}\u{0627}\u{062A}\u{062C}\u{0627}\u{0631} \u{0628}\u{0627}\u{0644}\u{0623}\u{0634}\u{062E}\u{0627}\u{0635}",
    ),
    (
        Dir::Rtl,
        "\u{0644}\u{0627} \u{0644}\u{0623} \u{0644}\u{0625} \u{0644}\u{0622} \u{0633}\u{0644}\u{0627}\u{0645} \u{0633}\u{0644}\u{0623} \u{0633}\u{0644}\u{0625} \u{0633}\u{0644}\u{0622}",
    ),
    (
        Dir::Rtl,
        "\u{0644}\u{064E}\u{0627} \u{0633}\u{0644}\u{064E}\u{0627}\u{0645} \u{0627}\u{0644}\u{0652}\u{0623}\u{064E}\u{0645}\u{0652}\u{0646}",
    ),
    (
        Dir::Rtl,
        "\u{0644}\u{0627}\u{064E} \u{0633}\u{0644}\u{0627}\u{064E}\u{0645}\u{064C} \u{0625}\u{0650}\u{0644}\u{0651}\u{064E}\u{0627} \u{0627}\u{0644}\u{0625}\u{0650}\u{062C}\u{0652}\u{0631}\u{064E}\u{0627}\u{0621}",
    ),
    (
        Dir::Rtl,
        "(\u{0644}\u{0627}) [\u{0627}\u{0644}\u{0644}\u{0627}\u{0632}\u{0645}] 12 \u{0645}\u{0646} 30 \u{0644}\u{0627} GPS.",
    ),
    (
        Dir::Rtl,
        "\u{0627}\u{0644}\u{0644}\u{0647} \u{0644}\u{0644}\u{0622}\u{062E}\u{0631}\u{064A}\u{0646} \u{0643}\u{0644}\u{0627}\u{0651}",
    ),
    (
        Dir::Ltr,
        "Course: \u{0627}\u{0644}\u{0627}\u{062A}\u{062C}\u{0627}\u{0631} \u{0628}\u{0627}\u{0644}\u{0623}\u{0634}\u{062E}\u{0627}\u{0635} (2013).",
    ),
];

/// fribidi's shaped output with its U+FEFF padding (the cell a ligature freed) dropped
/// and its unshaped hamza mapped to the isolated form (the reshaper writes U+FE80).
/// Ligatures are compared as they are.
pub(crate) fn normalise_shaped(s: &str) -> String {
    s.chars()
        .filter(|&c| c != '\u{FEFF}')
        .map(|c| if c == '\u{0621}' { '\u{FE80}' } else { c })
        .collect()
}

/// Stricter: our shaped output equals fribidi's default shaping exactly, joining forms and
/// lam-alef ligatures (`FRIBIDI_FLAG_SHAPE_ARAB_LIGA`) alike, and each ligature is one
/// cell.
#[test]
fn shaped_forms_and_ligatures_agree_with_fribidi() {
    if crate::skip_without("fribidi") {
        return;
    }
    let mut agree = 0;
    let mut ligatures = 0;
    let mut failures = Vec::new();
    let all: Vec<(Dir, &str)> = CASES.iter().chain(LIGATURE_CASES).copied().collect();
    for dir in [Dir::Rtl, Dir::Ltr] {
        let inputs: Vec<&str> = all.iter().filter(|c| c.0 == dir).map(|c| c.1).collect();
        let theirs = fribidi(dir, &inputs).expect("fribidi ran");
        assert_eq!(theirs.len(), inputs.len());
        for (input, theirs) in inputs.iter().zip(&theirs) {
            let ours = visual_lines(input, dir, 1000, BidiMode::Reorder, true);
            assert_eq!(ours.len(), 1);
            let (a, b) = (normalise_shaped(&ours[0]), normalise_shaped(theirs));
            let n = a.chars().filter(|&c| is_lam_alef_ligature(c)).count();
            assert_eq!(
                cell_width(&ours[0]),
                cell_width(&logical_lines(input, 1000, BidiMode::Reorder, true)[0]),
            );
            if a == b {
                agree += 1;
                ligatures += n;
            } else {
                failures.push(format!(
                    "{dir:?} {input:?}\n  ours:    {a:?}\n  fribidi: {b:?}"
                ));
            }
        }
    }
    report(&format!(
        "fribidi shaped agreement: {agree}/{} lines, {ligatures} ligatures",
        all.len()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(ligatures >= 20, "the cases form ligatures ({ligatures})");
}
