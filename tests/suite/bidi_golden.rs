//! Golden tests: expected visual strings written as code-point escapes so that no
//! editor's own bidi display can mislead a reviewer. Lines are listed top to bottom; each
//! string is in visual order, left to right. The single-line outputs were cross-checked
//! against `fribidi --reordernsm` (see tests/fribidi.rs); wrapped lines were checked by
//! hand.

use tipquiz::tui::bidi::{BidiMode, Dir, align, cell_width, logical_lines, shape, visual_lines};
use unicode_width::UnicodeWidthStr;

const LAW: &str = "\u{0627}\u{0644}\u{0645}\u{0627}\u{062F}\u{0629} 2 \u{0645}\u{0646} \u{0627}\u{0644}\u{0642}\u{0627}\u{0646}\u{0648}\u{0646} \u{0631}\u{0642}\u{0645} 91 \u{0644}\u{0633}\u{0646}\u{0629} 2013";
const BRACKETS: &str = "(\u{0627}\u{0644}\u{062C}\u{0632}\u{0627}\u{0621}).";
const BASMALA: &str = "\u{0628}\u{0650}\u{0633}\u{0652}\u{0645}\u{0650} \u{0627}\u{0644}\u{0644}\u{064E}\u{0651}\u{0647}\u{0650} \u{0627}\u{0644}\u{0631}\u{064E}\u{0651}\u{062D}\u{0652}\u{0645}\u{064E}\u{0646}\u{0650} \u{0627}\u{0644}\u{0631}\u{064E}\u{0651}\u{062D}\u{0650}\u{064A}\u{0645}\u{0650}";
const LAM_ALEF: &str = "\u{0644}\u{0627} \u{0633}\u{0644}\u{0627}\u{0645} \u{0625}\u{0644}\u{0627} \u{0628}\u{0627}\u{0644}\u{0623}\u{0645}\u{0646}";
const EN_IN_AR: &str = "\u{0627}\u{0636}\u{063A}\u{0637} Enter \u{0644}\u{0644}\u{0645}\u{062A}\u{0627}\u{0628}\u{0639}\u{0629}.";
const AR_IN_EN: &str = "The word \u{0633}\u{0644}\u{0627}\u{0645} (peace) is in article 12.";
const QUESTION: &str =
    "\u{0645}\u{0627} \u{0647}\u{064A} \u{0627}\u{0644}\u{0645}\u{0627}\u{062F}\u{0629} 12\u{061F}";
const OPTION: &str = "\u{0623}) \u{0627}\u{0644}\u{062D}\u{0628}\u{0633} \u{0645}\u{062F}\u{0629} \u{0644}\u{0627} \u{062A}\u{0632}\u{064A}\u{062F} \u{0639}\u{0644}\u{0649} \u{0633}\u{0646}\u{0629}";
const INDIC_DIGITS: &str = "\u{0627}\u{0644}\u{0645}\u{0627}\u{062F}\u{0629} \u{0661}\u{0662}\u{0663} (\u{0627}\u{0644}\u{0641}\u{0642}\u{0631}\u{0629} 2).";

/// (text, paragraph direction, shaping, width, expected visual lines)
type Case = (&'static str, Dir, bool, usize, &'static [&'static str]);

#[rustfmt::skip]
const CASES: &[Case] = &[
    (LAW, Dir::Rtl, false, 10, &["2 \u{0629}\u{062F}\u{0627}\u{0645}\u{0644}\u{0627}", "\u{0646}\u{0648}\u{0646}\u{0627}\u{0642}\u{0644}\u{0627} \u{0646}\u{0645}", "91 \u{0645}\u{0642}\u{0631}", "2013 \u{0629}\u{0646}\u{0633}\u{0644}"]),
    (LAW, Dir::Rtl, false, 20, &["\u{0646}\u{0648}\u{0646}\u{0627}\u{0642}\u{0644}\u{0627} \u{0646}\u{0645} 2 \u{0629}\u{062F}\u{0627}\u{0645}\u{0644}\u{0627}", "2013 \u{0629}\u{0646}\u{0633}\u{0644} 91 \u{0645}\u{0642}\u{0631}"]),
    (LAW, Dir::Rtl, false, 40, &["2013 \u{0629}\u{0646}\u{0633}\u{0644} 91 \u{0645}\u{0642}\u{0631} \u{0646}\u{0648}\u{0646}\u{0627}\u{0642}\u{0644}\u{0627} \u{0646}\u{0645} 2 \u{0629}\u{062F}\u{0627}\u{0645}\u{0644}\u{0627}"]),
    (LAW, Dir::Rtl, true, 10, &["2 \u{FE93}\u{FEA9}\u{FE8E}\u{FEE4}\u{FEDF}\u{FE8D}", "\u{FEE5}\u{FEEE}\u{FEE7}\u{FE8E}\u{FED8}\u{FEDF}\u{FE8D} \u{FEE6}\u{FEE3}", "91 \u{FEE2}\u{FED7}\u{FEAD}", "2013 \u{FE94}\u{FEE8}\u{FEB4}\u{FEDF}"]),
    (LAW, Dir::Rtl, true, 20, &["\u{FEE5}\u{FEEE}\u{FEE7}\u{FE8E}\u{FED8}\u{FEDF}\u{FE8D} \u{FEE6}\u{FEE3} 2 \u{FE93}\u{FEA9}\u{FE8E}\u{FEE4}\u{FEDF}\u{FE8D}", "2013 \u{FE94}\u{FEE8}\u{FEB4}\u{FEDF} 91 \u{FEE2}\u{FED7}\u{FEAD}"]),
    (LAW, Dir::Rtl, true, 40, &["2013 \u{FE94}\u{FEE8}\u{FEB4}\u{FEDF} 91 \u{FEE2}\u{FED7}\u{FEAD} \u{FEE5}\u{FEEE}\u{FEE7}\u{FE8E}\u{FED8}\u{FEDF}\u{FE8D} \u{FEE6}\u{FEE3} 2 \u{FE93}\u{FEA9}\u{FE8E}\u{FEE4}\u{FEDF}\u{FE8D}"]),
    (BRACKETS, Dir::Rtl, false, 10, &[".(\u{0621}\u{0627}\u{0632}\u{062C}\u{0644}\u{0627})"]),
    (BRACKETS, Dir::Rtl, false, 20, &[".(\u{0621}\u{0627}\u{0632}\u{062C}\u{0644}\u{0627})"]),
    (BRACKETS, Dir::Rtl, false, 40, &[".(\u{0621}\u{0627}\u{0632}\u{062C}\u{0644}\u{0627})"]),
    (BRACKETS, Dir::Rtl, true, 10, &[".(\u{FE80}\u{FE8D}\u{FEB0}\u{FEA0}\u{FEDF}\u{FE8D})"]),
    (BRACKETS, Dir::Rtl, true, 20, &[".(\u{FE80}\u{FE8D}\u{FEB0}\u{FEA0}\u{FEDF}\u{FE8D})"]),
    (BRACKETS, Dir::Rtl, true, 40, &[".(\u{FE80}\u{FE8D}\u{FEB0}\u{FEA0}\u{FEDF}\u{FE8D})"]),
    (BASMALA, Dir::Rtl, false, 10, &["\u{0647}\u{0650}\u{0644}\u{064E}\u{0651}\u{0644}\u{0627} \u{0645}\u{0650}\u{0633}\u{0652}\u{0628}\u{0650}", "\u{0646}\u{0650}\u{0645}\u{064E}\u{062D}\u{0652}\u{0631}\u{064E}\u{0651}\u{0644}\u{0627}", "\u{0645}\u{0650}\u{064A}\u{062D}\u{0650}\u{0631}\u{064E}\u{0651}\u{0644}\u{0627}"]),
    (BASMALA, Dir::Rtl, false, 20, &["\u{0646}\u{0650}\u{0645}\u{064E}\u{062D}\u{0652}\u{0631}\u{064E}\u{0651}\u{0644}\u{0627} \u{0647}\u{0650}\u{0644}\u{064E}\u{0651}\u{0644}\u{0627} \u{0645}\u{0650}\u{0633}\u{0652}\u{0628}\u{0650}", "\u{0645}\u{0650}\u{064A}\u{062D}\u{0650}\u{0631}\u{064E}\u{0651}\u{0644}\u{0627}"]),
    (BASMALA, Dir::Rtl, false, 40, &["\u{0645}\u{0650}\u{064A}\u{062D}\u{0650}\u{0631}\u{064E}\u{0651}\u{0644}\u{0627} \u{0646}\u{0650}\u{0645}\u{064E}\u{062D}\u{0652}\u{0631}\u{064E}\u{0651}\u{0644}\u{0627} \u{0647}\u{0650}\u{0644}\u{064E}\u{0651}\u{0644}\u{0627} \u{0645}\u{0650}\u{0633}\u{0652}\u{0628}\u{0650}"]),
    (BASMALA, Dir::Rtl, true, 10, &["\u{FEEA}\u{0650}\u{FEE0}\u{064E}\u{0651}\u{FEDF}\u{FE8D} \u{FEE2}\u{0650}\u{FEB4}\u{0652}\u{FE91}\u{0650}", "\u{FEE6}\u{0650}\u{FEE4}\u{064E}\u{FEA3}\u{0652}\u{FEAE}\u{064E}\u{0651}\u{FEDF}\u{FE8D}", "\u{FEE2}\u{0650}\u{FEF4}\u{FEA3}\u{0650}\u{FEAE}\u{064E}\u{0651}\u{FEDF}\u{FE8D}"]),
    (BASMALA, Dir::Rtl, true, 20, &["\u{FEE6}\u{0650}\u{FEE4}\u{064E}\u{FEA3}\u{0652}\u{FEAE}\u{064E}\u{0651}\u{FEDF}\u{FE8D} \u{FEEA}\u{0650}\u{FEE0}\u{064E}\u{0651}\u{FEDF}\u{FE8D} \u{FEE2}\u{0650}\u{FEB4}\u{0652}\u{FE91}\u{0650}", "\u{FEE2}\u{0650}\u{FEF4}\u{FEA3}\u{0650}\u{FEAE}\u{064E}\u{0651}\u{FEDF}\u{FE8D}"]),
    (BASMALA, Dir::Rtl, true, 40, &["\u{FEE2}\u{0650}\u{FEF4}\u{FEA3}\u{0650}\u{FEAE}\u{064E}\u{0651}\u{FEDF}\u{FE8D} \u{FEE6}\u{0650}\u{FEE4}\u{064E}\u{FEA3}\u{0652}\u{FEAE}\u{064E}\u{0651}\u{FEDF}\u{FE8D} \u{FEEA}\u{0650}\u{FEE0}\u{064E}\u{0651}\u{FEDF}\u{FE8D} \u{FEE2}\u{0650}\u{FEB4}\u{0652}\u{FE91}\u{0650}"]),
    (LAM_ALEF, Dir::Rtl, false, 10, &["\u{0645}\u{0627}\u{0644}\u{0633} \u{0627}\u{0644}", "\u{0646}\u{0645}\u{0623}\u{0644}\u{0627}\u{0628} \u{0627}\u{0644}\u{0625}"]),
    (LAM_ALEF, Dir::Rtl, false, 20, &["\u{0646}\u{0645}\u{0623}\u{0644}\u{0627}\u{0628} \u{0627}\u{0644}\u{0625} \u{0645}\u{0627}\u{0644}\u{0633} \u{0627}\u{0644}"]),
    (LAM_ALEF, Dir::Rtl, false, 40, &["\u{0646}\u{0645}\u{0623}\u{0644}\u{0627}\u{0628} \u{0627}\u{0644}\u{0625} \u{0645}\u{0627}\u{0644}\u{0633} \u{0627}\u{0644}"]),
    (LAM_ALEF, Dir::Rtl, true, 10, &["\u{FEFB}\u{FE87} \u{FEE1}\u{FEFC}\u{FEB3} \u{FEFB}", "\u{FEE6}\u{FEE3}\u{FEF7}\u{FE8E}\u{FE91}"]),
    (LAM_ALEF, Dir::Rtl, true, 20, &["\u{FEE6}\u{FEE3}\u{FEF7}\u{FE8E}\u{FE91} \u{FEFB}\u{FE87} \u{FEE1}\u{FEFC}\u{FEB3} \u{FEFB}"]),
    (LAM_ALEF, Dir::Rtl, true, 40, &["\u{FEE6}\u{FEE3}\u{FEF7}\u{FE8E}\u{FE91} \u{FEFB}\u{FE87} \u{FEE1}\u{FEFC}\u{FEB3} \u{FEFB}"]),
    (EN_IN_AR, Dir::Rtl, false, 10, &["Enter \u{0637}\u{063A}\u{0636}\u{0627}", ".\u{0629}\u{0639}\u{0628}\u{0627}\u{062A}\u{0645}\u{0644}\u{0644}"]),
    (EN_IN_AR, Dir::Rtl, false, 20, &[".\u{0629}\u{0639}\u{0628}\u{0627}\u{062A}\u{0645}\u{0644}\u{0644} Enter \u{0637}\u{063A}\u{0636}\u{0627}"]),
    (EN_IN_AR, Dir::Rtl, false, 40, &[".\u{0629}\u{0639}\u{0628}\u{0627}\u{062A}\u{0645}\u{0644}\u{0644} Enter \u{0637}\u{063A}\u{0636}\u{0627}"]),
    (EN_IN_AR, Dir::Rtl, true, 10, &["Enter \u{FEC2}\u{FED0}\u{FEBF}\u{FE8D}", ".\u{FE94}\u{FECC}\u{FE91}\u{FE8E}\u{FE98}\u{FEE4}\u{FEE0}\u{FEDF}"]),
    (EN_IN_AR, Dir::Rtl, true, 20, &[".\u{FE94}\u{FECC}\u{FE91}\u{FE8E}\u{FE98}\u{FEE4}\u{FEE0}\u{FEDF} Enter \u{FEC2}\u{FED0}\u{FEBF}\u{FE8D}"]),
    (EN_IN_AR, Dir::Rtl, true, 40, &[".\u{FE94}\u{FECC}\u{FE91}\u{FE8E}\u{FE98}\u{FEE4}\u{FEE0}\u{FEDF} Enter \u{FEC2}\u{FED0}\u{FEBF}\u{FE8D}"]),
    (AR_IN_EN, Dir::Ltr, false, 10, &["The word", "\u{0645}\u{0627}\u{0644}\u{0633}", "(peace) is", "in article", "12."]),
    (AR_IN_EN, Dir::Ltr, false, 20, &["The word \u{0645}\u{0627}\u{0644}\u{0633}", "(peace) is in", "article 12."]),
    (AR_IN_EN, Dir::Ltr, false, 40, &["The word \u{0645}\u{0627}\u{0644}\u{0633} (peace) is in article 12."]),
    (AR_IN_EN, Dir::Ltr, true, 10, &["The word", "\u{FEE1}\u{FEFC}\u{FEB3}", "(peace) is", "in article", "12."]),
    (AR_IN_EN, Dir::Ltr, true, 20, &["The word \u{FEE1}\u{FEFC}\u{FEB3} (peace)", "is in article 12."]),
    (AR_IN_EN, Dir::Ltr, true, 40, &["The word \u{FEE1}\u{FEFC}\u{FEB3} (peace) is in article 12."]),
    (QUESTION, Dir::Rtl, false, 10, &["\u{064A}\u{0647} \u{0627}\u{0645}", "\u{061F}12 \u{0629}\u{062F}\u{0627}\u{0645}\u{0644}\u{0627}"]),
    (QUESTION, Dir::Rtl, false, 20, &["\u{061F}12 \u{0629}\u{062F}\u{0627}\u{0645}\u{0644}\u{0627} \u{064A}\u{0647} \u{0627}\u{0645}"]),
    (QUESTION, Dir::Rtl, false, 40, &["\u{061F}12 \u{0629}\u{062F}\u{0627}\u{0645}\u{0644}\u{0627} \u{064A}\u{0647} \u{0627}\u{0645}"]),
    (QUESTION, Dir::Rtl, true, 10, &["\u{FEF2}\u{FEEB} \u{FE8E}\u{FEE3}", "\u{061F}12 \u{FE93}\u{FEA9}\u{FE8E}\u{FEE4}\u{FEDF}\u{FE8D}"]),
    (QUESTION, Dir::Rtl, true, 20, &["\u{061F}12 \u{FE93}\u{FEA9}\u{FE8E}\u{FEE4}\u{FEDF}\u{FE8D} \u{FEF2}\u{FEEB} \u{FE8E}\u{FEE3}"]),
    (QUESTION, Dir::Rtl, true, 40, &["\u{061F}12 \u{FE93}\u{FEA9}\u{FE8E}\u{FEE4}\u{FEDF}\u{FE8D} \u{FEF2}\u{FEEB} \u{FE8E}\u{FEE3}"]),
    (OPTION, Dir::Rtl, false, 10, &["\u{0633}\u{0628}\u{062D}\u{0644}\u{0627} (\u{0623}", "\u{0627}\u{0644} \u{0629}\u{062F}\u{0645}", "\u{0649}\u{0644}\u{0639} \u{062F}\u{064A}\u{0632}\u{062A}", "\u{0629}\u{0646}\u{0633}"]),
    (OPTION, Dir::Rtl, false, 20, &["\u{062F}\u{064A}\u{0632}\u{062A} \u{0627}\u{0644} \u{0629}\u{062F}\u{0645} \u{0633}\u{0628}\u{062D}\u{0644}\u{0627} (\u{0623}", "\u{0629}\u{0646}\u{0633} \u{0649}\u{0644}\u{0639}"]),
    (OPTION, Dir::Rtl, false, 40, &["\u{0629}\u{0646}\u{0633} \u{0649}\u{0644}\u{0639} \u{062F}\u{064A}\u{0632}\u{062A} \u{0627}\u{0644} \u{0629}\u{062F}\u{0645} \u{0633}\u{0628}\u{062D}\u{0644}\u{0627} (\u{0623}"]),
    (OPTION, Dir::Rtl, true, 10, &["\u{FEB2}\u{FE92}\u{FEA4}\u{FEDF}\u{FE8D} (\u{FE83}", "\u{FEAA}\u{FEF3}\u{FEB0}\u{FE97} \u{FEFB} \u{FE93}\u{FEAA}\u{FEE3}", "\u{FE94}\u{FEE8}\u{FEB3} \u{FEF0}\u{FEE0}\u{FECB}"]),
    (OPTION, Dir::Rtl, true, 20, &["\u{FEAA}\u{FEF3}\u{FEB0}\u{FE97} \u{FEFB} \u{FE93}\u{FEAA}\u{FEE3} \u{FEB2}\u{FE92}\u{FEA4}\u{FEDF}\u{FE8D} (\u{FE83}", "\u{FE94}\u{FEE8}\u{FEB3} \u{FEF0}\u{FEE0}\u{FECB}"]),
    (OPTION, Dir::Rtl, true, 40, &["\u{FE94}\u{FEE8}\u{FEB3} \u{FEF0}\u{FEE0}\u{FECB} \u{FEAA}\u{FEF3}\u{FEB0}\u{FE97} \u{FEFB} \u{FE93}\u{FEAA}\u{FEE3} \u{FEB2}\u{FE92}\u{FEA4}\u{FEDF}\u{FE8D} (\u{FE83}"]),
    (INDIC_DIGITS, Dir::Rtl, false, 10, &["\u{0661}\u{0662}\u{0663} \u{0629}\u{062F}\u{0627}\u{0645}\u{0644}\u{0627}", "\u{0629}\u{0631}\u{0642}\u{0641}\u{0644}\u{0627})", ".(2"]),
    (INDIC_DIGITS, Dir::Rtl, false, 20, &["\u{0629}\u{0631}\u{0642}\u{0641}\u{0644}\u{0627}) \u{0661}\u{0662}\u{0663} \u{0629}\u{062F}\u{0627}\u{0645}\u{0644}\u{0627}", ".(2"]),
    (INDIC_DIGITS, Dir::Rtl, false, 40, &[".(2 \u{0629}\u{0631}\u{0642}\u{0641}\u{0644}\u{0627}) \u{0661}\u{0662}\u{0663} \u{0629}\u{062F}\u{0627}\u{0645}\u{0644}\u{0627}"]),
    (INDIC_DIGITS, Dir::Rtl, true, 10, &["\u{0661}\u{0662}\u{0663} \u{FE93}\u{FEA9}\u{FE8E}\u{FEE4}\u{FEDF}\u{FE8D}", "\u{FE93}\u{FEAE}\u{FED8}\u{FED4}\u{FEDF}\u{FE8D})", ".(2"]),
    (INDIC_DIGITS, Dir::Rtl, true, 20, &["\u{FE93}\u{FEAE}\u{FED8}\u{FED4}\u{FEDF}\u{FE8D}) \u{0661}\u{0662}\u{0663} \u{FE93}\u{FEA9}\u{FE8E}\u{FEE4}\u{FEDF}\u{FE8D}", ".(2"]),
    (INDIC_DIGITS, Dir::Rtl, true, 40, &[".(2 \u{FE93}\u{FEAE}\u{FED8}\u{FED4}\u{FEDF}\u{FE8D}) \u{0661}\u{0662}\u{0663} \u{FE93}\u{FEA9}\u{FE8E}\u{FEE4}\u{FEDF}\u{FE8D}"]),
];

#[test]
fn golden_reorder() {
    let mut failures = Vec::new();
    for &(text, dir, shaping, width, expected) in CASES {
        let got = visual_lines(text, dir, width, BidiMode::Reorder, shaping);
        if got != expected {
            failures.push(format!(
                "{text:?} {dir:?} shaping={shaping} width={width}\n  got:      {got:?}\n  expected: {expected:?}"
            ));
        }
        for line in &got {
            assert!(cell_width(line) <= width, "{line:?} wider than {width}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}')
}

/// Every haraka directly follows a letter (possibly via other harakat): never at a line
/// start, never after a space. This is what keeps ratatui from attaching it to the wrong
/// cell or dropping it.
#[test]
fn marks_follow_their_base() {
    for shaping in [false, true] {
        for width in [5, 10, 20, 40] {
            for line in visual_lines(BASMALA, Dir::Rtl, width, BidiMode::Reorder, shaping) {
                let chars: Vec<char> = line.chars().collect();
                for (i, &c) in chars.iter().enumerate() {
                    if is_mark(c) {
                        let base = chars[..i].iter().rev().find(|&&p| !is_mark(p));
                        assert!(
                            base.is_some_and(|&b| b != ' '),
                            "mark U+{:04X} without base in {line:?}",
                            c as u32
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn brackets_mirrored_and_full_stop_on_the_left() {
    for shaping in [false, true] {
        for width in [10, 20, 40] {
            let lines = visual_lines(BRACKETS, Dir::Rtl, width, BidiMode::Reorder, shaping);
            assert_eq!(lines.len(), 1);
            let chars: Vec<char> = lines[0].chars().collect();
            assert_eq!(chars[0], '.', "full stop at the visual left end");
            assert_eq!(chars[1], '(', "mirrored closing bracket");
            assert_eq!(chars[chars.len() - 1], ')', "mirrored opening bracket");
        }
    }
}

#[test]
fn lam_alef_is_one_cell_when_shaped() {
    let la = "\u{0644}\u{0627}";
    // The unicode-width trap: string width says 1, the buffer draws 2 cells unshaped.
    assert_eq!(la.width(), 1);
    assert_eq!(cell_width(la), 2);
    // Shaped: the isolated lam-alef ligature, one cell.
    assert_eq!(shape(la), "\u{FEFB}");
    assert_eq!(cell_width(&shape(la)), 1);
    // Inside a word: seen initial, the final ligature, meem isolated.
    assert_eq!(
        shape("\u{0633}\u{0644}\u{0627}\u{0645}"),
        "\u{FEB3}\u{FEFC}\u{FEE1}"
    );
    // With hamza above, hamza below and madda, isolated and final.
    assert_eq!(
        shape(
            "\u{0644}\u{0623} \u{0644}\u{0625} \u{0644}\u{0622} \u{0628}\u{0644}\u{0623} \u{0628}\u{0644}\u{0625} \u{0628}\u{0644}\u{0622}"
        ),
        "\u{FEF7} \u{FEF9} \u{FEF5} \u{FE91}\u{FEF8} \u{FE91}\u{FEFA} \u{FE91}\u{FEF6}"
    );
    // A haraka on the alef follows the ligature; one on the lam keeps the two letters
    // apart, as FriBidi does.
    assert_eq!(shape("\u{0644}\u{0627}\u{064E}"), "\u{FEFB}\u{064E}");
    assert_eq!(
        shape("\u{0644}\u{064E}\u{0627}"),
        "\u{FEDF}\u{064E}\u{FE8E}"
    );
    // A ZWJ in the word: joining forms only.
    assert_eq!(shape("\u{0644}\u{0627}\u{200D}"), "\u{FEDF}\u{FE8E}");
    // The ALLAH ligature is not formed (FriBidi does not form it either).
    let allah = shape("\u{0627}\u{0644}\u{0644}\u{0647}");
    assert!(!allah.contains('\u{FDF2}'));
    assert_eq!(cell_width(&allah), 4);
    // "لا سلام إلا بالأمن": 18 letters and spaces, four of them in ligatures.
    for line in visual_lines(LAM_ALEF, Dir::Rtl, 40, BidiMode::Reorder, true) {
        assert_eq!(cell_width(&line), LAM_ALEF.chars().count() - 4);
    }
}

#[test]
fn shaping_keeps_harakat() {
    // مُحَمَّد: the reshaper's default would drop every mark.
    let s = shape("\u{0645}\u{064F}\u{062D}\u{064E}\u{0645}\u{064E}\u{0651}\u{062F}");
    assert_eq!(
        s,
        "\u{FEE3}\u{064F}\u{FEA4}\u{064E}\u{FEE4}\u{064E}\u{0651}\u{FEAA}"
    );
}

#[test]
fn shaping_leaves_other_text_alone() {
    let s = "abc 123 \u{1F468}\u{200D}\u{1F469} \u{064E}x";
    assert_eq!(shape(s), s);
    assert_eq!(shape(""), "");
}

#[test]
fn terminal_mode_is_logical_and_unshaped() {
    for width in [10, 20, 40] {
        let got = visual_lines(LAW, Dir::Rtl, width, BidiMode::Terminal, true);
        let logical = logical_lines(LAW, width, BidiMode::Terminal, true);
        assert_eq!(got, logical);
        // Reorder mode breaks at the same places.
        assert_eq!(
            got.len(),
            visual_lines(LAW, Dir::Rtl, width, BidiMode::Reorder, false).len()
        );
    }
    assert_eq!(
        visual_lines(LAW, Dir::Rtl, 20, BidiMode::Terminal, false),
        [
            "\u{0627}\u{0644}\u{0645}\u{0627}\u{062F}\u{0629} 2 \u{0645}\u{0646} \u{0627}\u{0644}\u{0642}\u{0627}\u{0646}\u{0648}\u{0646}",
            "\u{0631}\u{0642}\u{0645} 91 \u{0644}\u{0633}\u{0646}\u{0629} 2013",
        ]
    );
}

#[test]
fn paragraphs_and_blank_lines() {
    let text = "\u{0623}\u{0628}\n\nab\r\n\u{062C} (x)\n";
    assert_eq!(
        visual_lines(text, Dir::Rtl, 10, BidiMode::Reorder, false),
        ["\u{0628}\u{0623}", "", "ab", "(x) \u{062C}"]
    );
    assert!(visual_lines("", Dir::Rtl, 10, BidiMode::Reorder, true).is_empty());
}

#[test]
fn width_zero_gives_nothing() {
    assert!(visual_lines(LAW, Dir::Rtl, 0, BidiMode::Reorder, true).is_empty());
    assert!(visual_lines(LAW, Dir::Rtl, 0, BidiMode::Terminal, false).is_empty());
}

#[test]
fn long_words_are_split_between_clusters() {
    // القانونالقانون (14 letters, a fatha on the first), width 5: 5 + 5 + 4.
    let word = "\u{0627}\u{064E}\u{0644}\u{0642}\u{0627}\u{0646}\u{0648}\u{0646}\u{0627}\u{0644}\u{0642}\u{0627}\u{0646}\u{0648}\u{0646}";
    let lines = visual_lines(word, Dir::Rtl, 5, BidiMode::Reorder, false);
    assert_eq!(
        lines,
        [
            "\u{0646}\u{0627}\u{0642}\u{0644}\u{0627}\u{064E}",
            "\u{0642}\u{0644}\u{0627}\u{0646}\u{0648}",
            "\u{0646}\u{0648}\u{0646}\u{0627}",
        ]
    );
    // A cluster wider than the width is dropped rather than overflowing.
    assert_eq!(
        visual_lines("a\u{4E2D}b", Dir::Ltr, 1, BidiMode::Reorder, false),
        ["a", "", "b"]
    );
}

#[test]
fn bidi_controls_are_dropped_in_reorder_mode_only() {
    // LTR paragraph with an RTL isolate around two Arabic letters.
    let text = "a \u{2067}\u{0628}\u{062C}\u{2069} b";
    assert_eq!(
        visual_lines(text, Dir::Ltr, 20, BidiMode::Reorder, false),
        ["a \u{062C}\u{0628} b"]
    );
    assert_eq!(
        visual_lines(text, Dir::Ltr, 20, BidiMode::Terminal, false),
        [text]
    );
}

#[test]
fn align_pads_rtl_lines_only() {
    let line = "\u{0627}\u{0644}"; // 2 cells (would be 1 by string width)
    assert_eq!(align(line, Dir::Rtl, 5), format!("   {line}"));
    assert_eq!(align(line, Dir::Ltr, 5), line);
    assert_eq!(align("abcdef", Dir::Rtl, 3), "abcdef");
}

#[test]
fn widths_count_the_drawn_line() {
    use tipquiz::tui::bidi::{pad_end, text_width, truncate};
    let (r, t) = (BidiMode::Reorder, BidiMode::Terminal);
    // "السلام" with a shadda: 6 letters, one lam-alef ligature, the mark takes no cell.
    let salam = "\u{0627}\u{0644}\u{0633}\u{0651}\u{0644}\u{0627}\u{0645}";
    assert_eq!(text_width(salam, r, true), 5);
    assert_eq!(text_width(salam, r, false), 6);
    assert_eq!(
        text_width(salam, t, true),
        6,
        "the terminal shapes in terminal mode"
    );
    assert_eq!(text_width("abc", r, true), 3);
    // Truncation never splits the ligature, and keeps a mark with its letter.
    assert_eq!(truncate(salam, 5, r, true), salam);
    assert_eq!(truncate(salam, 4, r, true), &salam[..salam.len() - 2]);
    assert_eq!(
        truncate(salam, 3, r, true),
        "\u{0627}\u{0644}\u{0633}\u{0651}"
    );
    assert_eq!(truncate(salam, 2, r, true), "\u{0627}\u{0644}");
    assert_eq!(
        truncate(salam, 4, r, false),
        "\u{0627}\u{0644}\u{0633}\u{0651}\u{0644}"
    );
    assert_eq!(truncate("abcdef", 4, r, true), "abcd");
    // A column padded to 8 cells as drawn.
    let padded = pad_end(salam, 8, r, true);
    assert_eq!(text_width(&padded, r, true), 8);
    assert_eq!(padded.len(), salam.len() + 3);
    assert_eq!(text_width(&pad_end(salam, 8, t, true), t, true), 8);
}

/// A lam and an alef of different styles (a text box's caret on the alef) form no
/// ligature: each keeps its own cell and style. In one style they form it.
#[test]
fn a_style_boundary_between_lam_and_alef_keeps_two_cells() {
    use ratatui::style::{Modifier, Style};
    use tipquiz::tui::bidi::visual_styled_lines;
    let caret = Style::new().add_modifier(Modifier::REVERSED);
    let plain = Style::new();
    // "سلام" with the caret on its alef.
    let spans = [
        ("\u{0633}\u{0644}".to_owned(), plain),
        ("\u{0627}".to_owned(), caret),
        ("\u{0645}".to_owned(), plain),
    ];
    let lines = visual_styled_lines(&spans, Dir::Rtl, 20, BidiMode::Reorder, true);
    let got: Vec<(&str, Style)> = lines[0]
        .spans
        .iter()
        .map(|s| (s.content.as_ref(), s.style))
        .collect();
    assert_eq!(
        got,
        [
            ("\u{FEE1}", plain),
            ("\u{FE8E}", caret),
            ("\u{FEE0}\u{FEB3}", plain)
        ]
    );
    // The caret on the lam: the ligature, in the caret's style.
    let spans = [
        ("\u{0633}".to_owned(), plain),
        ("\u{0644}\u{0627}".to_owned(), caret),
        ("\u{0645}".to_owned(), plain),
    ];
    let lines = visual_styled_lines(&spans, Dir::Rtl, 20, BidiMode::Reorder, true);
    let text: String = lines[0].spans.iter().map(|s| s.content.as_ref()).collect();
    assert_eq!(text, "\u{FEE1}\u{FEFC}\u{FEB3}");
    assert!(
        lines[0]
            .spans
            .iter()
            .any(|s| s.content == "\u{FEFC}" && s.style == caret)
    );
}

/// A table header cell: reordered and shaped on its own in reorder mode, logical in
/// terminal mode, padded by its drawn width on the side away from its alignment.
#[test]
fn table_cells_keep_their_columns() {
    use tipquiz::tui::bidi::table_cell;
    // "الأسئلة" (questions): 7 letters, one lam-alef ligature: 6 cells when shaped.
    let q = "\u{0627}\u{0644}\u{0623}\u{0633}\u{0626}\u{0644}\u{0629}";
    let shaped = table_cell(q, 10, false, BidiMode::Reorder, true);
    assert_eq!(
        shaped,
        "\u{FE94}\u{FEE0}\u{FE8C}\u{FEB3}\u{FEF7}\u{FE8D}    "
    );
    assert_eq!(cell_width(&shaped), 10);
    let right = table_cell(q, 10, true, BidiMode::Reorder, true);
    assert!(right.starts_with("    \u{FE94}"));
    assert_eq!(
        table_cell(q, 10, false, BidiMode::Terminal, false),
        format!("{q}   ")
    );
    assert_eq!(
        table_cell("single", 10, true, BidiMode::Reorder, true),
        "    single"
    );
    // Wider than its column: it overflows, as a format! width does.
    assert_eq!(
        cell_width(&table_cell(q, 3, true, BidiMode::Reorder, true)),
        6
    );
}
