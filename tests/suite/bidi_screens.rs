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
    a.handle_key(ch('g'), T0 + 1_000);
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
    for _ in answer.chars() {
        a.handle_key(key(KeyCode::Backspace), now);
        now += 100;
        states.push(a.clone());
    }
    assert!(a.view.text.is_empty(), "Backspace erased the whole answer");
    let mut failures = Vec::new();
    let mut checked = 0;
    for s in &states {
        let typed = s.view.text.clone();
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
