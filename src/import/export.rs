//! Writing one language of a bank as GIFT or Moodle XML.

use super::clean::{cdata, comment_line, to_html, xml_escape};
use super::pct;
use crate::bank::{Bank, Kind, PartialAnswer, Question, nearest_fraction};
use crate::messages::{K, Msg};
use crate::msg;
use crate::text::{Lang, Text};
use std::fmt::Write as _;

/// A format a bank can be exported to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Moodle's GIFT text format.
    Gift,
    /// Moodle XML.
    MoodleXml,
}

impl ExportFormat {
    /// A format from its name (`gift`, `moodle-xml` or `xml`). Case is ignored.
    #[must_use]
    pub fn from_name(s: &str) -> Option<ExportFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "gift" => Some(ExportFormat::Gift),
            "moodle-xml" | "xml" | "moodle" | "moodlexml" => Some(ExportFormat::MoodleXml),
            _ => None,
        }
    }

    /// The usual file extension (`gift` or `xml`).
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Gift => "gift",
            ExportFormat::MoodleXml => "xml",
        }
    }
}

/// The result of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The file's text.
    pub text: String,
    /// Questions left out, and why (one line each), in English.
    pub skipped: Vec<String>,
    /// The same, in any language.
    pub messages: Vec<Msg>,
    /// Questions written with a change (a weight Moodle would refuse replaced, units or a
    /// time limit the format cannot hold), one each, in any language.
    pub notes: Vec<Msg>,
}

/// The texts of one question in one language.
struct One {
    id: String,
    prompt: String,
    explanation: Option<String>,
    source: Option<String>,
}

/// Write `bank` in language `lang` as GIFT or Moodle XML.
///
/// Both: the id is the question name, the explanation the general feedback. `single` has one
/// 100% answer; `multiple` gives each right choice an equal share of 100% and each wrong one the
/// same share taken off (as tipquiz scores it); `true-false`, `short` (every accepted answer at
/// 100%) and `match` map directly.
///
/// - GIFT: tags are written as Moodle's `// [tag:name]` comments, the source and difficulty as
///   `// source: ...` and `// difficulty: ...` comments (which [`super::import()`] reads back).
///   `order` questions have no GIFT equivalent and are left out (listed), as are a short answer
///   or a matching item that holds `->`, which GIFT would read as a matching pair.
/// - Moodle XML: text is written as HTML; tags as `<tags>`, points as `<defaultgrade>`, shuffle
///   as `<shuffleanswers>`; `order` becomes Moodle's `ordering` type (Moodle 4.4, or the plugin).
///   The source, difficulty and time limit have no place and are not written.
///
/// A question not written in `lang` (a text missing in that language) is left out and listed.
#[must_use]
pub fn export(bank: &Bank, to: ExportFormat, lang: Lang) -> Export {
    let mut text = String::new();
    let mut messages = Vec::new();
    match to {
        ExportFormat::Gift => {
            let _ = writeln!(
                text,
                "// Exported by tipquiz from bank `{}` ({}), {} questions.\n",
                comment_line(&bank.id),
                lang.code(),
                bank.questions.len()
            );
        }
        ExportFormat::MoodleXml => {
            text.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            let _ = writeln!(
                text,
                "<!-- Exported by tipquiz from bank {} ({}) -->",
                // A comment may not hold `--`.
                bank.id
                    .split('-')
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join("-"),
                lang.code()
            );
            text.push_str("<quiz>\n");
        }
    }
    let mut notes = Vec::new();
    for q in &bank.questions {
        let mut changes: Vec<Msg> = Vec::new();
        let res = match to {
            ExportFormat::Gift => gift_question(q, lang, &mut changes),
            ExportFormat::MoodleXml => xml_question(q, lang, &mut changes),
        };
        if q.time_limit.is_some() {
            changes.push(K::ExpNoTimeLimit.into());
        }
        match res {
            Ok(s) => {
                text.push_str(&s);
                for c in changes {
                    notes.push(msg!(ExpQuestion, &q.id, q.kind.name(), c));
                }
            }
            Err(why) => messages.push(msg!(ExpQuestion, &q.id, q.kind.name(), why)),
        }
    }
    if to == ExportFormat::MoodleXml {
        text.push_str("</quiz>\n");
        if !bank.questions.is_empty() {
            notes.push(K::ExpXmlComments.into());
        }
    }
    Export {
        text,
        skipped: messages.iter().map(Msg::en).collect(),
        messages,
        notes,
    }
}

/// A text in `lang`, or why not.
fn get(t: &Text, lang: Lang, what: K) -> Result<String, Msg> {
    if t.has(lang) {
        Ok(t.get(lang).to_owned())
    } else {
        Err(msg!(ExpNoLangText, what, lang.code()))
    }
}

fn get_all(ts: &[Text], lang: Lang, what: K) -> Result<Vec<String>, Msg> {
    ts.iter().map(|t| get(t, lang, what)).collect()
}

fn one(q: &Question, lang: Lang) -> Result<One, Msg> {
    Ok(One {
        id: q.id.clone(),
        prompt: get(&q.prompt, lang, K::ExpThePrompt)?,
        explanation: q
            .explanation
            .as_ref()
            .map(|e| get(e, lang, K::ExpTheExplanation))
            .transpose()?,
        source: q
            .source
            .as_ref()
            .map(|s| get(s, lang, K::ExpTheSource))
            .transpose()?,
    })
}

fn short_answers(
    accepted: &std::collections::BTreeMap<String, Vec<String>>,
    lang: Lang,
) -> Result<Vec<String>, Msg> {
    accepted
        .get(lang.code())
        .or_else(|| accepted.get(""))
        .cloned()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| msg!(ExpNoAccepted, lang.code()))
}

/// The weight of each choice in percent, as Moodle will read it: the question's own credits
/// when it has them; otherwise `single` gives 100 to its answer and 0 to the others, and
/// `multiple` gives each right choice an equal share of 100 and each wrong one the same share
/// taken off (as tipquiz scores it), written with Moodle's valid fractions. When an equal share
/// is not one of them (11 to 19 right choices), the shares are 10% and 5% (they add up to 100),
/// and the wrong choices get the valid fraction nearest to the share: both are noted. More than
/// 20 right choices cannot be written.
fn weights(q: &Question, changes: &mut Vec<Msg>) -> Result<Vec<f64>, Msg> {
    if !q.credit.is_empty() {
        return Ok(q.credit.iter().map(|c| c.0).collect());
    }
    match &q.kind {
        Kind::Single { choices, answer } => Ok((0..choices.len())
            .map(|i| if i == *answer { 100.0 } else { 0.0 })
            .collect()),
        Kind::Multiple { choices, answers } => {
            let k = answers.len().max(1);
            let share = 100.0 / k as f64;
            let right: Vec<f64> = if (nearest_fraction(share) - share).abs() < 1e-4 {
                vec![nearest_fraction(share); k]
            } else if k < 20 {
                changes.push(msg!(ExpUnequalShares, k, crate::messages::num(pct(share))));
                (0..k)
                    .map(|i| if i < 20 - k { 10.0 } else { 5.0 })
                    .collect()
            } else {
                return Err(msg!(ExpTooManyRight, k));
            };
            let wrong = nearest_fraction(-share);
            if (wrong + share).abs() > 1e-4 && answers.len() < choices.len() {
                changes.push(msg!(
                    ExpWrongWeight,
                    crate::messages::num(pct(-share)),
                    crate::messages::num(pct(wrong))
                ));
            }
            let mut it = right.into_iter();
            Ok((0..choices.len())
                .map(|i| {
                    if answers.contains(&i) {
                        it.next().unwrap_or(0.0)
                    } else {
                        wrong
                    }
                })
                .collect())
        }
        _ => Ok(Vec::new()),
    }
}

/// The accepted answers of a short question in `lang`, with their credit: 100 for `answer`,
/// then each partly right answer.
fn short_with_credit(q: &Question, lang: Lang) -> Result<Vec<(f64, String)>, Msg> {
    let Kind::Short { accepted } = &q.kind else {
        return Ok(Vec::new());
    };
    let mut out: Vec<(f64, String)> = short_answers(accepted, lang)?
        .into_iter()
        .map(|a| (100.0, a))
        .collect();
    for p in &q.partial {
        if let PartialAnswer::Text(m) = &p.answer {
            for a in m
                .get(lang.code())
                .or_else(|| m.get(""))
                .into_iter()
                .flatten()
            {
                out.push((p.credit.0, a.clone()));
            }
        }
    }
    Ok(out)
}

/// The values of a numerical question with their tolerance and credit.
fn numbers(q: &Question) -> Vec<(f64, f64, f64)> {
    let Kind::Numerical {
        answer, tolerance, ..
    } = &q.kind
    else {
        return Vec::new();
    };
    let mut out = vec![(answer.0, tolerance.0, 100.0)];
    for p in &q.partial {
        if let PartialAnswer::Number { value, tolerance } = &p.answer {
            out.push((value.0, tolerance.0, p.credit.0));
        }
    }
    out
}

// ------------------------------------------------------------------ GIFT

fn gift_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// An answer's text in GIFT. Moodle reads `%50%` at the start of an answer as its weight, and
/// GIFT has no escape for `%`: such a text is written in `[html]` with the `%` as `&#37;`
/// (its `#` escaped),
/// which both Moodle and tipquiz read back as `%`.
fn gift_answer(s: &str) -> String {
    match s.strip_prefix('%') {
        Some(rest) => format!("[html]&\\#37;{}", gift_escape(&to_html(rest))),
        None => gift_escape(s),
    }
}

fn gift_question(q: &Question, lang: Lang, changes: &mut Vec<Msg>) -> Result<String, Msg> {
    let o = one(q, lang)?;
    if q.points != 1 {
        changes.push(msg!(ExpGiftNoPoints, q.points));
    }
    let mut s = String::new();
    if !q.tags.is_empty() {
        let tags: Vec<String> = q.tags.iter().map(|t| format!("[tag:{t}]")).collect();
        let _ = writeln!(s, "// {}", tags.join(" "));
    }
    let _ = writeln!(s, "// difficulty: {}", q.difficulty.name());
    if let Some(src) = &o.source {
        let _ = writeln!(s, "// source: {}", comment_line(src));
    }
    let _ = write!(s, "::{}::{}", gift_escape(&o.id), gift_escape(&o.prompt));
    let general = o
        .explanation
        .as_deref()
        .map(|e| format!("####{}", gift_escape(e)));
    match &q.kind {
        Kind::Single { choices, answer } => {
            let choices = get_all(choices, lang, K::ExpAChoice)?;
            let w = weights(q, changes)?;
            s.push_str("{\n");
            for (i, c) in choices.iter().enumerate() {
                if i == *answer {
                    let _ = writeln!(s, "\t={}", gift_answer(c));
                } else if w[i] == 0.0 {
                    let _ = writeln!(s, "\t~{}", gift_answer(c));
                } else {
                    let _ = writeln!(s, "\t~%{}%{}", pct(w[i]), gift_answer(c));
                }
            }
        }
        Kind::Multiple { choices, .. } => {
            let choices = get_all(choices, lang, K::ExpAChoice)?;
            let w = weights(q, changes)?;
            s.push_str("{\n");
            for (i, c) in choices.iter().enumerate() {
                let _ = writeln!(s, "\t~%{}%{}", pct(w[i]), gift_answer(c));
            }
        }
        Kind::Numerical { units, .. } => {
            if !units.is_empty() {
                changes.push(K::ExpGiftNoUnits.into());
            }
            s.push_str("{#\n");
            for (v, tol, credit) in numbers(q) {
                let _ = writeln!(s, "\t=%{}%{}:{}", pct(credit), pct(v), pct(tol));
            }
        }
        Kind::TrueFalse { answer } => {
            let _ = write!(
                s,
                "{{{}{}}}\n\n",
                if *answer { "TRUE" } else { "FALSE" },
                general.unwrap_or_default()
            );
            return Ok(s);
        }
        Kind::Short { .. } => {
            let answers = short_with_credit(q, lang)?;
            if answers.iter().any(|(_, a)| a.contains("->")) {
                return Err(K::ExpArrowInAnswer.into());
            }
            s.push_str("{\n");
            for (credit, a) in answers {
                if credit >= 100.0 {
                    let _ = writeln!(s, "\t={}", gift_answer(&a));
                } else {
                    let _ = writeln!(s, "\t=%{}%{}", pct(credit), gift_answer(&a));
                }
            }
        }
        Kind::Order { .. } => {
            return Err(K::ExpGiftNoOrder.into());
        }
        Kind::Match { pairs } => {
            s.push_str("{\n");
            for (l, r) in pairs {
                let l = get(l, lang, K::ExpALeftItem)?;
                let r = get(r, lang, K::ExpARightItem)?;
                if l.contains("->") {
                    return Err(K::ExpArrowInLeft.into());
                }
                let _ = writeln!(s, "\t={} -> {}", gift_escape(&l), gift_escape(&r));
            }
        }
    }
    if let Some(g) = general {
        let _ = writeln!(s, "\t{g}");
    }
    s.push_str("}\n\n");
    Ok(s)
}

// ------------------------------------------------------------------ Moodle XML

/// Text for an XML comment: one line, and no `--` (which a comment may not hold).
fn xml_comment(s: &str) -> String {
    let mut t = comment_line(s);
    while t.contains("--") {
        t = t.replace("--", "- -");
    }
    t.trim_end_matches('-').to_owned()
}

fn html_text(tag: &str, s: &str) -> String {
    format!(
        "    <{tag} format=\"html\">\n      <text>{}</text>\n    </{tag}>\n",
        if s.is_empty() {
            String::new()
        } else {
            cdata(&to_html(s))
        }
    )
}

fn xml_answer(fraction: &str, text: &str, html: bool) -> String {
    let (format, body) = if html {
        ("html", cdata(&to_html(text)))
    } else {
        ("moodle_auto_format", xml_escape(text))
    };
    format!(
        "    <answer fraction=\"{fraction}\" format=\"{format}\">\n      <text>{body}</text>\n      <feedback format=\"html\">\n        <text></text>\n      </feedback>\n    </answer>\n"
    )
}

fn xml_question(q: &Question, lang: Lang, changes: &mut Vec<Msg>) -> Result<String, Msg> {
    let o = one(q, lang)?;
    let qtype = match q.kind {
        Kind::Single { .. } | Kind::Multiple { .. } => "multichoice",
        Kind::Numerical { .. } => "numerical",
        Kind::TrueFalse { .. } => "truefalse",
        Kind::Short { .. } => "shortanswer",
        Kind::Order { .. } => "ordering",
        Kind::Match { .. } => "matching",
    };
    let mut body = String::new();
    match &q.kind {
        Kind::Single { choices, .. } | Kind::Multiple { choices, .. } => {
            let choices = get_all(choices, lang, K::ExpAChoice)?;
            let w = weights(q, changes)?;
            let single = matches!(q.kind, Kind::Single { .. });
            let _ = writeln!(body, "    <single>{single}</single>");
            let _ = writeln!(body, "    <shuffleanswers>{}</shuffleanswers>", q.shuffle);
            body.push_str("    <answernumbering>abc</answernumbering>\n");
            for (i, c) in choices.iter().enumerate() {
                body.push_str(&xml_answer(&pct(w[i]), c, true));
            }
        }
        Kind::Numerical { units, .. } => {
            for (v, tol, credit) in numbers(q) {
                let _ = write!(
                    body,
                    "    <answer fraction=\"{}\" format=\"moodle_auto_format\">\n      <text>{}</text>\n      <feedback format=\"html\">\n        <text></text>\n      </feedback>\n      <tolerance>{}</tolerance>\n    </answer>\n",
                    pct(credit),
                    pct(v),
                    pct(tol)
                );
            }
            if !units.is_empty() {
                body.push_str("    <units>\n");
                for u in units {
                    let _ = write!(
                        body,
                        "      <unit>\n        <multiplier>{}</multiplier>\n        <unit_name>{}</unit_name>\n      </unit>\n",
                        pct(u.multiplier.0),
                        xml_escape(&u.name)
                    );
                }
                body.push_str("    </units>\n");
            }
            // Units optional, no penalty, written after the number: as tipquiz reads them.
            body.push_str("    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0</unitpenalty>\n    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>\n");
        }
        Kind::TrueFalse { answer } => {
            let (t, f) = if *answer { ("100", "0") } else { ("0", "100") };
            body.push_str(&xml_answer(t, "true", false));
            body.push_str(&xml_answer(f, "false", false));
        }
        Kind::Short { .. } => {
            body.push_str("    <usecase>0</usecase>\n");
            for (credit, a) in short_with_credit(q, lang)? {
                body.push_str(&xml_answer(&pct(credit), &a, false));
            }
        }
        Kind::Order { items } => {
            let items = get_all(items, lang, K::ExpAnItem)?;
            body.push_str("    <layouttype>VERTICAL</layouttype>\n");
            body.push_str("    <selecttype>ALL</selecttype>\n");
            body.push_str("    <selectcount>0</selectcount>\n");
            body.push_str("    <gradingtype>ABSOLUTE_POSITION</gradingtype>\n");
            for (i, it) in items.iter().enumerate() {
                body.push_str(&xml_answer(&(i + 1).to_string(), it, true));
            }
        }
        Kind::Match { pairs } => {
            let _ = writeln!(body, "    <shuffleanswers>{}</shuffleanswers>", q.shuffle);
            for (l, r) in pairs {
                let l = get(l, lang, K::ExpALeftItem)?;
                let r = get(r, lang, K::ExpARightItem)?;
                let _ = write!(
                    body,
                    "    <subquestion format=\"html\">\n      <text>{}</text>\n      <answer>\n        <text>{}</text>\n      </answer>\n    </subquestion>\n",
                    cdata(&to_html(&l)),
                    xml_escape(&r)
                );
            }
        }
    }
    let mut s = String::new();
    let _ = writeln!(s, "  <question type=\"{qtype}\">");
    // Moodle XML has no place for the source and the difficulty: they are kept as comments,
    // which tipquiz reads back and Moodle ignores.
    if let Some(src) = &o.source {
        let _ = writeln!(s, "    <!-- source: {} -->", xml_comment(src));
    }
    let _ = writeln!(s, "    <!-- difficulty: {} -->", q.difficulty.name());
    let _ = writeln!(
        s,
        "    <name>\n      <text>{}</text>\n    </name>",
        xml_escape(&o.id)
    );
    s.push_str(&html_text("questiontext", &o.prompt));
    s.push_str(&html_text(
        "generalfeedback",
        o.explanation.as_deref().unwrap_or(""),
    ));
    let _ = writeln!(s, "    <defaultgrade>{}</defaultgrade>", q.points);
    s.push_str("    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n");
    s.push_str(&body);
    if !q.tags.is_empty() {
        s.push_str("    <tags>\n");
        for t in &q.tags {
            let _ = writeln!(s, "      <tag><text>{}</text></tag>", xml_escape(t));
        }
        s.push_str("    </tags>\n");
    }
    s.push_str("  </question>\n");
    Ok(s)
}
