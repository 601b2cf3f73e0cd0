//! GIFT, read as Moodle's own parser reads it (`question/format/gift/format.php`).
//!
//! - Questions are separated by blank lines; a question may span several lines.
//! - Lines starting with `//` are comments. In them, Moodle's `[tag:name]` gives a tag, and
//!   tipquiz's own `// source: ...` and `// difficulty: easy|medium|hard` (written by
//!   [`export()`](super::export())) give the source and the difficulty.
//! - `$CATEGORY: path` sets the category of the questions that follow (it becomes a tag).
//! - `::name::` names a question (the name becomes its id).
//! - `[moodle]`, `[plain]`, `[markdown]` (taken as written) and `[html]` (tags stripped, entities
//!   decoded) mark the format of the question text; answers and feedback inherit it and may carry
//!   their own marker.
//! - Escapes `\~ \= \# \{ \} \:`, `\\` and `\n` (a new line).
//! - The answer block `{...}` (the first `{` and the first `}`): text after it gives a
//!   missing-word question whose blank is written `_____`.
//! - `{=a ~b ~c}`: `single`; `{~%50%a ~%50%b ~%-100%c}` (no `=`): `multiple`.
//! - `{T}`, `{TRUE}`, `{F}`, `{FALSE}` (upper case, as Moodle): `true-false`, with
//!   `{T#wrong feedback#right feedback}`.
//! - `{=a =b}` or `{=%100%a =%50%b}`: `short` (every 100% answer is accepted; other positive
//!   weights are partly right answers).
//! - `{#3:2}`, `{#1..5}`, `{#=3:2 =%50%4:1 ~#feedback}`: `numerical` (the first 100% answer
//!   with its tolerance; other positive weights partly right values; `~` answers feedback).
//! - `{=x -> y =z -> w}`: `match`.
//! - `#feedback` after an answer: appended to the explanation; `####feedback`: general feedback,
//!   the explanation.
//! - Not converted, and listed: essay `{}`, descriptions (no answer block),
//!   and blocks Moodle also rejects (an unclosed `{`, fewer than two choices...).
//!
//! Lenient where Moodle is not: a `$CATEGORY:` line followed by a question with no blank line
//! between is read as a category and a question, and a weight after `=` (`=%100%a`) in a
//! multiple-choice block is read as a weight.

use super::clean::{category_tag, clean, decode_entities, links, strip_html};
use super::{Draft, DraftKind, Fb, Parsed, finish_match, label, weighted_choices};
use crate::bank::Difficulty;
use crate::messages::{K, Msg};
use crate::msg;

/// Placeholders for escaped characters while the block is parsed (private-use code points).
const ESCAPES: [(char, char); 8] = [
    ('\\', '\u{E000}'),
    (':', '\u{E001}'),
    ('#', '\u{E002}'),
    ('=', '\u{E003}'),
    ('{', '\u{E004}'),
    ('}', '\u{E005}'),
    ('~', '\u{E006}'),
    ('n', '\u{E007}'),
];

/// Replace escape sequences with placeholders (and drop any placeholder already in the text).
fn protect(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if ('\u{E000}'..='\u{E007}').contains(&c) {
            continue;
        }
        if let Some(&(_, p)) = chars
            .peek()
            .filter(|_| c == '\\')
            .and_then(|n| ESCAPES.iter().find(|(e, _)| e == n))
        {
            out.push(p);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// Put the escaped characters back.
fn restore(s: &str) -> String {
    s.chars()
        .map(|c| match ESCAPES.iter().find(|(_, p)| *p == c) {
            Some(('n', _)) => '\n',
            Some((e, _)) => *e,
            None => c,
        })
        .collect()
}

/// A text format marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fmt {
    /// `[moodle]` (the default) and `[markdown]`: taken as written, character references
    /// (`&eacute;`) decoded, as Moodle shows them.
    Moodle,
    /// `[plain]`: taken exactly as written.
    Plain,
    /// `[html]`: tags stripped, references decoded.
    Html,
}

/// Split a leading `[format]` marker off a (protected) text.
fn split_format(s: &str, default: Fmt) -> (Fmt, &str) {
    let t = s.trim_start();
    if let Some((name, rest)) = t.strip_prefix('[').and_then(|r| r.split_once(']')) {
        match name {
            "html" => return (Fmt::Html, rest),
            "moodle" | "markdown" => return (Fmt::Moodle, rest),
            "plain" => return (Fmt::Plain, rest),
            _ => {}
        }
    }
    (default, s)
}

/// A (protected) text in its format, as plain text. `Err` when nothing readable is left.
fn as_plain(s: &str, default: Fmt) -> Result<String, K> {
    let (f, body) = split_format(s, default);
    let body = restore(body.trim());
    match f {
        Fmt::Plain => Ok(body),
        Fmt::Moodle => Ok(decode_entities(&body)),
        Fmt::Html => {
            let p = strip_html(&body);
            if p.media {
                Err(K::ImpMedia)
            } else if p.text.is_empty() {
                Err(K::ImpHtmlOnly)
            } else {
                Ok(p.text)
            }
        }
    }
}

/// One block of lines between blank lines.
struct Block<'a> {
    lines: Vec<(usize, &'a str)>,
}

/// Parse a GIFT file.
pub(crate) fn parse(source: &str) -> Parsed {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut blocks = Vec::new();
    let mut cur = Block { lines: Vec::new() };
    for (i, raw) in source.lines().enumerate() {
        let t = raw.trim();
        if t.is_empty() {
            if !cur.lines.is_empty() {
                blocks.push(std::mem::replace(&mut cur, Block { lines: Vec::new() }));
            }
        } else {
            cur.lines.push((i + 1, t));
        }
    }
    if !cur.lines.is_empty() {
        blocks.push(cur);
    }
    let mut out = Parsed::default();
    let mut category: Option<String> = None;
    for b in blocks {
        read_block(&b, &mut category, &mut out);
    }
    out
}

/// What the comments of a block say.
#[derive(Default)]
struct Meta {
    tags: Vec<String>,
    source: Option<String>,
    difficulty: Option<Difficulty>,
}

fn read_comment(c: &str, meta: &mut Meta) {
    let mut rest = c;
    while let Some(p) = rest.find("[tag:") {
        let after = &rest[p + 5..];
        match after.find(']') {
            Some(e) => {
                meta.tags.push(after[..e].trim().to_owned());
                rest = &after[e + 1..];
            }
            None => break,
        }
    }
    let t = c.trim();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("source:") && meta.source.is_none() {
        meta.source = Some(t["source:".len()..].trim().to_owned()).filter(|s| !s.is_empty());
    }
    if let Some(d) = lower.strip_prefix("difficulty:") {
        meta.difficulty = Difficulty::from_name(d.trim());
    }
}

fn read_block(b: &Block<'_>, category: &mut Option<String>, out: &mut Parsed) {
    let mut meta = Meta::default();
    let mut content: Vec<(usize, &str)> = Vec::new();
    for (n, l) in &b.lines {
        match l.strip_prefix("//") {
            Some(c) => read_comment(c, &mut meta),
            None => content.push((*n, l)),
        }
    }
    let Some(&(first, first_text)) = content.first() else {
        return;
    };
    let mut line = first;
    let mut start = 0;
    if let Some(cat) = first_text.strip_prefix("$CATEGORY:") {
        let cat = restore(&protect(cat)).trim().to_owned();
        let tag = category_tag(&cat);
        for lost in super::clean::category_parts_lost(&cat) {
            out.note(first, msg!(ImpCategoryNoAscii, super::clean::excerpt(lost)));
        }
        *category = Some(tag).filter(|t| !t.is_empty());
        match content.get(1) {
            Some(&(n, _)) => {
                line = n;
                start = 1;
            }
            None => return,
        }
    }
    let joined = content[start..]
        .iter()
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    let mut d = Draft {
        line,
        source: meta.source,
        difficulty: meta.difficulty,
        ..Draft::default()
    };
    d.tags.extend(category.iter().cloned());
    d.tags.extend(meta.tags);
    let found = links(&restore(&protect(&joined)));
    if !found.is_empty() {
        d.notes.push(msg!(ImpLinksDropped, found.join(", ")));
    }
    read_question(&protect(&joined), d, out);
}

fn read_question(text: &str, mut d: Draft, out: &mut Parsed) {
    let mut text = text.trim().to_owned();
    if let Some(rest) = text.strip_prefix("::") {
        if let Some(end) = rest.find("::") {
            d.name = Some(clean(&restore(&rest[..end]))).filter(|n| !n.is_empty());
            text = rest[end + 2..].trim().to_owned();
        } else {
            text = rest.to_owned();
        }
    }
    let open = text.find('{');
    let close = text.find('}');
    let early = label(d.name.as_deref(), &restore(&text));
    let (open, close) = match (open, close) {
        (None, None) => {
            return out.skip(d.line, &early, K::ImpDescriptionNoBlock);
        }
        (Some(o), Some(c)) if o < c => (o, c),
        _ => {
            return out.skip(d.line, &early, K::ImpNoBraces);
        }
    };
    let mut answers = text[open + 1..close].trim().to_owned();
    let question = if text.ends_with('}') {
        format!("{}{}", &text[..open], &text[close + 1..])
    } else {
        format!("{}_____{}", &text[..open], &text[close + 1..])
    };
    let (fmt, _) = split_format(&question, Fmt::Moodle);
    let lbl = label(
        d.name.as_deref(),
        &restore(split_format(&question, Fmt::Moodle).1),
    );
    let mut general = String::new();
    if let Some(p) = answers.rfind("####") {
        general = answers[p + 4..].to_owned();
        answers = answers[..p].trim().to_owned();
    }
    if answers.is_empty() {
        return out.skip(d.line, &lbl, K::ImpEssay);
    }
    d.prompt = match text_or_skip(&question, Fmt::Moodle, K::ImpTheQuestionText) {
        Ok(p) => p,
        Err(why) => return out.skip(d.line, &lbl, why),
    };
    if !general.trim().is_empty() {
        match as_plain(&general, fmt) {
            Ok(g) => d.explanation = Some(g),
            Err(why) => {
                return out.skip(
                    d.line,
                    &lbl,
                    msg!(ImpThePart, K::ImpTheGeneralFeedback, why),
                );
            }
        }
    }
    let result = if let Some(body) = answers.strip_prefix('#') {
        numerical(body, fmt, &mut d)
    } else if answers.contains('~') {
        multichoice(&answers, fmt, &mut d)
    } else if answers.contains('=') && answers.contains("->") {
        matching(&answers, fmt, &mut d)
    } else {
        let tf = answers.split('#').next().unwrap_or("").trim();
        if matches!(tf, "T" | "TRUE" | "F" | "FALSE") {
            truefalse(&answers, fmt, &mut d)
        } else {
            short(&answers, fmt, &mut d)
        }
    };
    match result {
        Ok(kind) => {
            d.kind = kind;
            out.drafts.push(d);
        }
        Err(why) => out.skip(d.line, &lbl, why),
    }
}

fn text_or_skip(s: &str, fmt: Fmt, what: K) -> Result<String, Msg> {
    as_plain(s, fmt).map_err(|w| msg!(ImpThePart, what, w))
}

/// A weight `%n%` at the start of an answer.
fn weight(s: &str) -> Option<(f64, &str)> {
    let rest = s.strip_prefix('%')?;
    let end = rest.find('%')?;
    let w: f64 = rest[..end].trim().parse().ok()?;
    w.is_finite().then_some((w, &rest[end + 1..]))
}

/// An answer and its feedback (after the first `#`), as plain text.
fn answer_and_feedback(s: &str, fmt: Fmt) -> Result<(String, String), Msg> {
    let (a, f) = s.split_once('#').unwrap_or((s, ""));
    let a = text_or_skip(a, fmt, K::ImpAnAnswer)?;
    let f = if f.trim().is_empty() {
        String::new()
    } else {
        text_or_skip(f, fmt, K::ImpAnswerFeedback)?
    };
    Ok((a, f))
}

fn multichoice(answers: &str, fmt: Fmt, d: &mut Draft) -> Result<DraftKind, Msg> {
    let single = answers.contains('=');
    let replaced = answers.replace('=', "~=");
    let parts: Vec<&str> = replaced
        .split('~')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return Err(K::ImpMcTwoAnswers.into());
    }
    let mut choices = Vec::new();
    let mut weights = Vec::new();
    let mut feedback = Vec::new();
    for p in parts {
        let (w, rest) = if let Some(r) = p.strip_prefix('=') {
            weight(r.trim_start()).unwrap_or((100.0, r))
        } else {
            weight(p).unwrap_or((0.0, p))
        };
        let (a, f) = answer_and_feedback(rest, fmt)?;
        feedback.push((Fb::Answer(a.clone()), f));
        choices.push(a);
        weights.push(w);
    }
    let (kind, credit, notes) = weighted_choices(choices, &weights, single)?;
    d.notes.extend(notes);
    d.credit = credit;
    for (l, f) in feedback {
        d.add_feedback(l, &f);
    }
    Ok(kind)
}

fn matching(answers: &str, fmt: Fmt, d: &mut Draft) -> Result<DraftKind, Msg> {
    let parts: Vec<&str> = answers
        .split('=')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return Err(K::ImpMatchTwoPairs.into());
    }
    let mut pairs = Vec::new();
    let mut distractors = Vec::new();
    for p in parts {
        let Some((l, r)) = p.split_once("->") else {
            return Err(msg!(ImpMatchNoArrow, super::clean::excerpt(&restore(p))));
        };
        let r = clean(&restore(r));
        if r.is_empty() {
            return Err(K::ImpMatchNothingAfter.into());
        }
        if l.trim().is_empty() {
            distractors.push(r);
            continue;
        }
        let l = text_or_skip(l, fmt, K::ImpAMatchingItem)?;
        pairs.push((l, r));
    }
    finish_match(pairs, &distractors, d)
}

fn truefalse(answers: &str, fmt: Fmt, d: &mut Draft) -> Result<DraftKind, Msg> {
    let mut bits = answers.splitn(3, '#');
    let value = bits.next().unwrap_or("").trim();
    let wrong = bits.next().unwrap_or("");
    let right = bits.next().unwrap_or("");
    // `{T#a#b}`: `a` is shown to whoever gives the wrong answer, `b` to whoever gives the right
    // one (Moodle's `feedbackfalse`/`feedbacktrue` follow the key).
    let answer = matches!(value, "T" | "TRUE");
    let (wrong_label, right_label) = if answer {
        (Fb::False, Fb::True)
    } else {
        (Fb::True, Fb::False)
    };
    for (label, f) in [(right_label, right), (wrong_label, wrong)] {
        if !f.trim().is_empty() {
            let t = text_or_skip(f, fmt, K::ImpAnswerFeedback)?;
            d.add_feedback(label, &t);
        }
    }
    Ok(DraftKind::TrueFalse(answer))
}

fn short(answers: &str, fmt: Fmt, d: &mut Draft) -> Result<DraftKind, Msg> {
    let parts: Vec<&str> = answers
        .split('=')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return Err(K::ImpShortNeedsAnswer.into());
    }
    let mut accepted = Vec::new();
    let mut dropped = Vec::new();
    let mut feedback = Vec::new();
    for p in parts {
        let (w, rest) = weight(p).unwrap_or((100.0, p));
        let (a, f) = answer_and_feedback(rest, fmt)?;
        feedback.push((Fb::Answer(a.clone()), f));
        if a.contains('*') {
            dropped.push(msg!(ImpWildcard, a));
        } else if w >= 99.99 {
            accepted.push(a);
        } else if w > 0.0 {
            let c = super::snap(w, &mut d.notes);
            d.partial.push((c, a));
        } else {
            dropped.push(msg!(ImpPercent, a, crate::messages::num(super::pct(w))));
        }
    }
    if accepted.is_empty() {
        return Err(K::ImpNoFullAnswer.into());
    }
    if !dropped.is_empty() {
        d.notes.push(msg!(
            ImpNotFullDropped,
            crate::messages::join_list(dropped.into_iter().map(Into::into))
        ));
    }
    for (l, f) in feedback {
        d.add_feedback(l, &f);
    }
    Ok(DraftKind::Short(accepted))
}

/// A number as GIFT writes one (`3`, `-1.5`, `1e3`); a decimal comma is read too.
fn gift_number(s: &str) -> Option<f64> {
    let s = s.trim().replace(',', ".");
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// `value:tolerance`, `min..max` or `value`.
fn value_and_tolerance(s: &str) -> Option<(f64, f64)> {
    let s = restore(s);
    let s = s.trim();
    if let Some((a, b)) = s.split_once("..") {
        let (lo, hi) = (gift_number(a)?, gift_number(b)?);
        return Some((f64::midpoint(lo, hi), ((hi - lo) / 2.0).abs()));
    }
    match s.split_once(':') {
        Some((v, t)) => Some((gift_number(v)?, gift_number(t)?.abs())),
        None => Some((gift_number(s)?, 0.0)),
    }
}

/// A numerical block after its `#`: `3:2`, `1..5`, or several answers `=3:2 =%50%4:1 ~#...`.
/// The first 100% answer is the key; other positive weights are partly right values; `~`
/// answers and 0% ones only give feedback.
fn numerical(body: &str, fmt: Fmt, d: &mut Draft) -> Result<DraftKind, Msg> {
    let mut parts: Vec<(char, String)> = Vec::new();
    if body.contains('=') || body.contains('~') {
        for c in body.chars() {
            if c == '=' || c == '~' {
                parts.push((c, String::new()));
            } else if let Some(last) = parts.last_mut() {
                last.1.push(c);
            } else if !c.is_whitespace() {
                parts.push(('=', c.to_string()));
            }
        }
    } else {
        parts.push(('=', body.to_owned()));
    }
    let mut answer: Option<(f64, f64)> = None;
    let mut partial = Vec::new();
    let mut extra = Vec::new();
    for (mark, text) in parts {
        let (w, rest) = if mark == '=' {
            weight(text.trim_start()).unwrap_or((100.0, text.as_str()))
        } else {
            weight(text.trim_start()).unwrap_or((0.0, text.as_str()))
        };
        let (value, fb) = rest.split_once('#').unwrap_or((rest, ""));
        let fb = if fb.trim().is_empty() {
            String::new()
        } else {
            text_or_skip(fb, fmt, K::ImpAnswerFeedback)?
        };
        if value.trim().is_empty() {
            d.add_feedback(Fb::Wrong, &fb);
            continue;
        }
        let Some((v, tol)) = value_and_tolerance(value) else {
            return Err(msg!(ImpNotANumber, super::clean::excerpt(&restore(value))));
        };
        d.add_feedback(Fb::Answer(super::pct(v)), &fb);
        if w >= 99.99 {
            if answer.is_none() {
                answer = Some((v, tol));
            } else {
                extra.push(super::pct(v));
            }
        } else if w > 0.0 {
            let c = super::snap(w, &mut d.notes);
            partial.push((v, tol, c));
        }
    }
    if !extra.is_empty() {
        d.notes.push(msg!(ImpExtraFullDropped, extra.join(", ")));
    }
    let (answer, tolerance) = answer.ok_or_else(|| Msg::from(K::ImpNoFullAnswer))?;
    Ok(DraftKind::Numerical {
        answer,
        tolerance,
        units: Vec::new(),
        partial,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip_through_placeholders() {
        let p = protect(r"a\{b\}c\~d\=e\#f\:g\\h\ni\x");
        assert!(!p.contains('{') && !p.contains('~'));
        assert_eq!(restore(&p), "a{b}c~d=e#f:g\\h\ni\\x");
    }

    #[test]
    fn categories_give_their_whole_path() {
        assert_eq!(
            category_tag("$course$/top/Indicators/Airport"),
            "indicators-airport"
        );
        assert_eq!(category_tag("$course$/top"), "");
        assert_eq!(category_tag("Law"), "law");
    }
}
