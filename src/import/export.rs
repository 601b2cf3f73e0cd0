//! Writing one language of a bank as GIFT or Moodle XML.

use super::clean::{cdata, comment_line, to_html, xml_escape};
use super::pct;
use crate::bank::{Bank, Kind, Question};
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
    for q in &bank.questions {
        let res = match to {
            ExportFormat::Gift => gift_question(q, lang),
            ExportFormat::MoodleXml => xml_question(q, lang),
        };
        match res {
            Ok(s) => text.push_str(&s),
            Err(why) => messages.push(msg!(ExpQuestion, &q.id, q.kind.name(), why)),
        }
    }
    if to == ExportFormat::MoodleXml {
        text.push_str("</quiz>\n");
    }
    Export {
        text,
        skipped: messages.iter().map(Msg::en).collect(),
        messages,
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

/// Shares for a multiple-choice question: (right, wrong).
fn shares(right: usize) -> (String, String) {
    let s = 100.0 / right.max(1) as f64;
    (pct(s), pct(-s))
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

fn gift_question(q: &Question, lang: Lang) -> Result<String, Msg> {
    let o = one(q, lang)?;
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
            s.push_str("{\n");
            for (i, c) in choices.iter().enumerate() {
                let mark = if i == *answer { '=' } else { '~' };
                let _ = writeln!(s, "\t{mark}{}", gift_escape(c));
            }
        }
        Kind::Multiple { choices, answers } => {
            let choices = get_all(choices, lang, K::ExpAChoice)?;
            let (right, wrong) = shares(answers.len());
            s.push_str("{\n");
            for (i, c) in choices.iter().enumerate() {
                let w = if answers.contains(&i) { &right } else { &wrong };
                let _ = writeln!(s, "\t~%{w}%{}", gift_escape(c));
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
        Kind::Short { accepted } => {
            let answers = short_answers(accepted, lang)?;
            if answers.iter().any(|a| a.contains("->")) {
                return Err(K::ExpArrowInAnswer.into());
            }
            s.push_str("{\n");
            for a in answers {
                let _ = writeln!(s, "\t={}", gift_escape(&a));
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

fn xml_question(q: &Question, lang: Lang) -> Result<String, Msg> {
    let o = one(q, lang)?;
    let qtype = match q.kind {
        Kind::Single { .. } | Kind::Multiple { .. } => "multichoice",
        Kind::TrueFalse { .. } => "truefalse",
        Kind::Short { .. } => "shortanswer",
        Kind::Order { .. } => "ordering",
        Kind::Match { .. } => "matching",
    };
    let mut body = String::new();
    match &q.kind {
        Kind::Single { choices, answer } => {
            let choices = get_all(choices, lang, K::ExpAChoice)?;
            body.push_str("    <single>true</single>\n");
            let _ = writeln!(body, "    <shuffleanswers>{}</shuffleanswers>", q.shuffle);
            body.push_str("    <answernumbering>abc</answernumbering>\n");
            for (i, c) in choices.iter().enumerate() {
                body.push_str(&xml_answer(if i == *answer { "100" } else { "0" }, c, true));
            }
        }
        Kind::Multiple { choices, answers } => {
            let choices = get_all(choices, lang, K::ExpAChoice)?;
            let (right, wrong) = shares(answers.len());
            body.push_str("    <single>false</single>\n");
            let _ = writeln!(body, "    <shuffleanswers>{}</shuffleanswers>", q.shuffle);
            body.push_str("    <answernumbering>abc</answernumbering>\n");
            for (i, c) in choices.iter().enumerate() {
                let w = if answers.contains(&i) { &right } else { &wrong };
                body.push_str(&xml_answer(w, c, true));
            }
        }
        Kind::TrueFalse { answer } => {
            let (t, f) = if *answer { ("100", "0") } else { ("0", "100") };
            body.push_str(&xml_answer(t, "true", false));
            body.push_str(&xml_answer(f, "false", false));
        }
        Kind::Short { accepted } => {
            body.push_str("    <usecase>0</usecase>\n");
            for a in short_answers(accepted, lang)? {
                body.push_str(&xml_answer("100", &a, false));
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
