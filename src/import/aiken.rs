//! Aiken: single-answer multiple choice, one question after another.
//!
//! ```text
//! Which element of trafficking is recruitment?
//! A. The act
//! B) The means
//! C. The purpose
//! ANSWER: A
//! ```
//!
//! The question text is every line before the first option (several lines are kept as several
//! lines). Options are an upper-case letter, `.` or `)`, and the option's text (a space between
//! is usual but not needed, as in current Moodle). `ANSWER:` (any case) with
//! one letter ends the question. Blank lines are ignored. A question with no `ANSWER:` line, fewer
//! than two options, or an answer letter that is not one of its options is not converted and is
//! listed.

use super::{Draft, DraftKind, Parsed, label};
use crate::messages::K;
use crate::msg;

#[derive(Default)]
struct Pending {
    line: usize,
    text: Vec<String>,
    options: Vec<(char, String)>,
}

impl Pending {
    fn label(&self) -> crate::messages::Msg {
        label(None, &self.text.join(" "))
    }
}

/// An option line: `A. text` or `A) text`; as in current Moodle, the space may be left out
/// (`A)text`, `A.text`).
/// The flag says whether a space followed the `.` or `)`.
fn option(line: &str) -> Option<(char, &str, bool)> {
    let mut chars = line.chars();
    let l = chars.next().filter(char::is_ascii_uppercase)?;
    chars.next().filter(|c| *c == '.' || *c == ')')?;
    let rest = chars.as_str();
    let spaced = rest.starts_with([' ', '\t']);
    let rest = rest.trim();
    (!rest.is_empty()).then_some((l, rest, spaced))
}

/// Parse an Aiken file.
pub(crate) fn parse(source: &str) -> Parsed {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut out = Parsed::default();
    let mut cur: Option<Pending> = None;
    for (i, raw) in source.lines().enumerate() {
        let n = i + 1;
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        let upper = t.to_ascii_uppercase();
        if upper.starts_with("ANSWER:") {
            let letter = t["ANSWER:".len()..].trim();
            match cur.take() {
                Some(p) => finish(p, letter, &mut out),
                None => out.note(n, K::ImpAnswerNoQuestion),
            }
            continue;
        }
        // An option with no space (`A)text`) is only taken after a question's text, so that a
        // question starting `U.S. law ...` still starts a question.
        if let Some((l, text, _)) = option(t).filter(|o| o.2 || cur.is_some()) {
            match cur.as_mut() {
                Some(p) => p.options.push((l, text.to_owned())),
                None => out.note(n, msg!(ImpOptionNoQuestion, l)),
            }
            continue;
        }
        // Question text: a new question, or one more line of the current one.
        match cur.as_mut() {
            Some(p) if p.options.is_empty() => p.text.push(t.to_owned()),
            _ => {
                if let Some(p) = cur.take() {
                    out.skip(p.line, &p.label(), K::ImpNoAnswerLine);
                }
                cur = Some(Pending {
                    line: n,
                    text: vec![t.to_owned()],
                    options: Vec::new(),
                });
            }
        }
    }
    if let Some(p) = cur.take() {
        out.skip(p.line, &p.label(), K::ImpNoAnswerLine);
    }
    out
}

fn finish(p: Pending, letter: &str, out: &mut Parsed) {
    let lbl = p.label();
    if p.options.len() < 2 {
        return out.skip(p.line, &lbl, K::ImpTwoOptions);
    }
    let mut letters = letter.chars();
    let want = match (letters.next(), letters.next()) {
        (Some(c), None) => c.to_ascii_uppercase(),
        _ => {
            return out.skip(p.line, &lbl, msg!(ImpAnswerNotOneLetter, letter));
        }
    };
    let Some(answer) = p.options.iter().position(|(l, _)| *l == want) else {
        return out.skip(p.line, &lbl, msg!(ImpAnswerNoOption, letter));
    };
    out.drafts.push(Draft {
        line: p.line,
        prompt: p.text.join("\n"),
        kind: DraftKind::Single {
            choices: p.options.into_iter().map(|(_, t)| t).collect(),
            answer,
        },
        ..Draft::default()
    });
}
