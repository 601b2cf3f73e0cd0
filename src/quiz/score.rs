//! Scoring: per question, per topic, per difficulty, pass or fail.

use super::normalize::normalize;
use super::response::Response;
use crate::bank::{Difficulty, Kind, PartialAnswer, Question, percent_label};
use crate::exam::{ExamDef, ScoringPolicy};
use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How an answer fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Fully right.
    Right,
    /// Partly right.
    Partial,
    /// Wrong.
    Wrong,
    /// Not answered.
    Blank,
}

/// The credit of a response, from 0 (wrong) to 1 (right), before points and penalties.
#[must_use]
pub fn credit(q: &Question, r: &Response, policy: &ScoringPolicy) -> f64 {
    let all_or_nothing = |c: f64| {
        if policy.partial_credit || (c - 1.0).abs() < 1e-9 {
            c
        } else {
            0.0
        }
    };
    // Per-choice credits (Moodle's fractions, in percent), when the bank gives them.
    let credit_of = |i: usize| q.credit.get(i).map_or(0.0, |c| c.0 / 100.0);
    match (&q.kind, r) {
        (Kind::Single { answer, .. }, Response::Choice(c)) => {
            if q.credit.is_empty() {
                f64::from(u8::from(c == answer))
            } else {
                all_or_nothing(credit_of(*c).clamp(0.0, 1.0))
            }
        }
        (Kind::Multiple { answers, .. }, Response::Choices(cs)) if !q.credit.is_empty() => {
            let mut picked = cs.clone();
            picked.sort_unstable();
            picked.dedup();
            let sum: f64 = picked.iter().map(|c| credit_of(*c)).sum();
            debug_assert!(!answers.is_empty());
            all_or_nothing(sum.clamp(0.0, 1.0))
        }
        (Kind::Multiple { answers, .. }, Response::Choices(cs)) => {
            if policy.partial_credit {
                let k = answers.len() as f64;
                let mut s = 0.0;
                for c in cs {
                    s += if answers.contains(c) {
                        1.0 / k
                    } else {
                        -1.0 / k
                    };
                }
                s.clamp(0.0, 1.0)
            } else {
                let mut sorted = cs.clone();
                sorted.sort_unstable();
                sorted.dedup();
                f64::from(u8::from(sorted == *answers))
            }
        }
        (Kind::TrueFalse { answer }, Response::Bool(b)) => f64::from(u8::from(b == answer)),
        (Kind::Short { accepted }, Response::Text(t)) => {
            let got = normalize(t);
            if got.is_empty() {
                return 0.0;
            }
            if accepted.values().flatten().any(|a| normalize(a) == got) {
                return 1.0;
            }
            let best = q
                .partial
                .iter()
                .filter(|p| match &p.answer {
                    PartialAnswer::Text(m) => m.values().flatten().any(|a| normalize(a) == got),
                    PartialAnswer::Number { .. } => false,
                })
                .map(|p| p.credit.0 / 100.0)
                .fold(0.0, f64::max);
            all_or_nothing(best.clamp(0.0, 1.0))
        }
        (
            Kind::Numerical {
                answer,
                tolerance,
                units,
            },
            Response::Text(t),
        ) => {
            let Some(v) = read_number(t, units) else {
                return 0.0;
            };
            if within(v, answer.0, tolerance.0) {
                return 1.0;
            }
            let best = q
                .partial
                .iter()
                .filter(|p| match &p.answer {
                    PartialAnswer::Number { value, tolerance } => within(v, value.0, tolerance.0),
                    PartialAnswer::Text(_) => false,
                })
                .map(|p| p.credit.0 / 100.0)
                .fold(0.0, f64::max);
            all_or_nothing(best.clamp(0.0, 1.0))
        }
        (Kind::Order { items }, Response::Order(seq)) => {
            let n = items.len();
            if seq.len() != n {
                return 0.0;
            }
            let right = seq.iter().enumerate().filter(|(i, x)| *i == **x).count();
            all_or_nothing(right as f64 / n as f64)
        }
        (Kind::Match { pairs }, Response::Match(m)) => {
            let n = pairs.len();
            let right = m
                .iter()
                .enumerate()
                .filter(|(i, x)| **x == Some(*i))
                .count();
            all_or_nothing(right as f64 / n as f64)
        }
        _ => 0.0,
    }
}

/// Whether `v` is within `tolerance` of `target` (a hair of rounding allowed).
fn within(v: f64, target: f64, tolerance: f64) -> bool {
    (v - target).abs() <= tolerance.abs() + 1e-9 * target.abs().max(1.0)
}

/// The value of a typed number, in the question's first unit: digits in ASCII, Arabic-Indic
/// (٠١٢...) or Extended Arabic-Indic (۰۱۲...), a decimal point `.`, `٫` or a decimal comma
/// (`2,5`; a comma followed by exactly three digits, `1,500`, or in a number that also has a
/// point separates thousands, as do `٬`, spaces between digits and `_`), a sign, and then
/// optionally one of the question's units (`15 years`, `180 months`), compared as short
/// answers are. `None` when there is no number, or the text after it is not one of the units.
#[must_use]
pub fn read_number(text: &str, units: &[crate::bank::Unit]) -> Option<f64> {
    let t = text.trim();
    let mut num = String::new();
    let mut rest = t;
    let mut seen_digit = false;
    for (i, c) in t.char_indices() {
        let ascii = match c {
            '0'..='9' => Some(c),
            '\u{0660}'..='\u{0669}' => char::from_digit(u32::from(c) - 0x0660, 10),
            '\u{06F0}'..='\u{06F9}' => char::from_digit(u32::from(c) - 0x06F0, 10),
            _ => None,
        };
        match (ascii, c) {
            (Some(d), _) => {
                num.push(d);
                seen_digit = true;
            }
            (None, '-' | '\u{2212}') if num.is_empty() => num.push('-'),
            (None, '+') if num.is_empty() => {}
            (None, '.' | '\u{066B}' | ',' | '\u{066C}' | '_' | ' ' | '\u{a0}' | '\u{202f}')
                if seen_digit =>
            {
                num.push(match c {
                    '\u{066B}' => '.',
                    '\u{066C}' | '_' | ' ' | '\u{a0}' | '\u{202f}' => '\'',
                    other => other,
                });
            }
            _ => {
                rest = &t[i..];
                break;
            }
        }
        rest = &t[i + c.len_utf8()..];
    }
    // Separators at the end belong to the text after the number (`15 years`, `15.`).
    let num = num.trim_end_matches(['\'', '.', ',']);
    if !seen_digit {
        return None;
    }
    let has_point = num.contains('.');
    let mut clean = String::with_capacity(num.len());
    let groups: Vec<&str> = num.split(',').collect();
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            let thousands = has_point
                || (g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
                || groups.len() > 2;
            if !thousands {
                clean.push('.');
            }
        }
        clean.push_str(g);
    }
    let clean: String = clean.chars().filter(|c| *c != '\'').collect();
    let value: f64 = clean.parse().ok().filter(|v: &f64| v.is_finite())?;
    let unit = rest.trim();
    if unit.is_empty() {
        return Some(value);
    }
    let u = normalize(unit);
    units
        .iter()
        .find(|x| normalize(&x.name) == u)
        .filter(|x| x.multiplier.0 != 0.0)
        .map(|x| value / x.multiplier.0)
}

/// A choice's text as the review shows it: with its credit (`Passport (50%)`) when the key is
/// shown and the question gives per-choice credits.
#[must_use]
pub fn choice_text(q: &Question, choice: usize, lang: Lang, show_key: bool) -> String {
    let text = q
        .kind
        .choices()
        .and_then(|c| c.get(choice))
        .map_or("", |t| t.get(lang));
    match q.credit.get(choice).filter(|_| show_key) {
        Some(c) => format!("{text} ({}%)", percent_label(c.0)),
        None => text.to_owned(),
    }
}

/// The right answer of a typed question as the review shows it, in `lang`: the accepted
/// answers (`15 / fifteen`), or the number with its tolerance and first unit (`15 ± 0.5
/// years`), then any partly right answers with their credit (`Cat (50%)`). Empty for other
/// types.
#[must_use]
pub fn key_text(q: &Question, lang: Lang) -> String {
    let texts = |m: &std::collections::BTreeMap<String, Vec<String>>| {
        m.get(lang.code())
            .or_else(|| m.values().next())
            .cloned()
            .unwrap_or_default()
            .join(" / ")
    };
    let number = |v: f64, tol: f64, unit: Option<&crate::bank::Unit>| {
        let mut s = percent_label(v);
        if tol != 0.0 {
            s.push_str(&format!(" ± {}", percent_label(tol)));
        }
        if let Some(u) = unit {
            s.push(' ');
            s.push_str(&u.name);
        }
        s
    };
    let mut out = match &q.kind {
        Kind::Short { accepted } => texts(accepted),
        Kind::Numerical {
            answer,
            tolerance,
            units,
        } => number(answer.0, tolerance.0, units.first()),
        _ => return String::new(),
    };
    let unit = match &q.kind {
        Kind::Numerical { units, .. } => units.first(),
        _ => None,
    };
    for p in &q.partial {
        let what = match &p.answer {
            PartialAnswer::Text(m) => texts(m),
            PartialAnswer::Number { value, tolerance } => number(value.0, tolerance.0, unit),
        };
        out.push_str(&format!(" / {what} ({}%)", percent_label(p.credit.0)));
    }
    out
}

/// The score of one question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionScore {
    /// Question id.
    pub qid: String,
    /// Topic.
    pub topic: String,
    /// Difficulty.
    pub difficulty: Difficulty,
    /// Credit from 0 to 1.
    pub credit: f64,
    /// Points earned (may be negative with negative marking).
    pub points: f64,
    /// Points available.
    pub max: f64,
    /// Right, partial, wrong or blank.
    pub verdict: Verdict,
}

/// Score one question. `speed` is the answer time in seconds when speed points apply.
#[must_use]
pub fn score_question(
    q: &Question,
    r: Option<&Response>,
    policy: &ScoringPolicy,
    answer_secs: Option<f64>,
    limit: Option<u32>,
) -> QuestionScore {
    let max = f64::from(q.points);
    let (credit, verdict) = match r {
        None => (0.0, Verdict::Blank),
        Some(r) if r.is_empty() => (0.0, Verdict::Blank),
        Some(r) => {
            let c = credit(q, r, policy);
            let v = if c >= 1.0 - 1e-9 {
                Verdict::Right
            } else if c > 1e-9 {
                Verdict::Partial
            } else {
                Verdict::Wrong
            };
            (c, v)
        }
    };
    let mut points = credit * max;
    if policy.speed_points && credit > 0.0 {
        let window = f64::from(limit.unwrap_or(policy.speed_window).max(1));
        let t = answer_secs.unwrap_or(window).clamp(0.0, window);
        points *= 1.0 - t / (2.0 * window);
    }
    if verdict == Verdict::Wrong {
        // No penalty is 0 points, never -0 (which a record would keep and an export print).
        points = if policy.negative_marking > 0.0 {
            -policy.negative_marking * max
        } else {
            0.0
        };
    }
    QuestionScore {
        qid: q.id.clone(),
        topic: q.topic.clone(),
        difficulty: q.difficulty,
        credit,
        points,
        max,
        verdict,
    }
}

/// Points out of a maximum.
#[derive(Clone, Copy, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Tally {
    /// Earned.
    pub points: f64,
    /// Available.
    pub max: f64,
}

impl Tally {
    /// Percentage, 0 when nothing was available.
    #[must_use]
    pub fn percent(&self) -> f64 {
        if self.max > 0.0 {
            // `+ 0.0` turns a -0 into 0.
            (self.points.max(0.0) / self.max * 100.0).clamp(0.0, 100.0) + 0.0
        } else {
            0.0
        }
    }
}

/// The whole attempt's score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreSheet {
    /// Per question, in paper order.
    pub questions: Vec<QuestionScore>,
    /// Total, floored at 0.
    pub total: Tally,
    /// Per topic (each floored at 0).
    pub by_topic: BTreeMap<String, Tally>,
    /// Per difficulty (each floored at 0).
    pub by_difficulty: BTreeMap<Difficulty, Tally>,
    /// Passed the total mark and every topic mark.
    pub passed: bool,
    /// Topics whose own pass mark was missed.
    pub failed_topics: Vec<String>,
}

/// Add up question scores and judge them against the exam's pass marks.
#[must_use]
pub fn tally(exam: &ExamDef, questions: Vec<QuestionScore>) -> ScoreSheet {
    let mut total = Tally::default();
    let mut by_topic: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_difficulty: BTreeMap<Difficulty, Tally> = BTreeMap::new();
    for q in &questions {
        for t in [
            &mut total,
            by_topic.entry(q.topic.clone()).or_default(),
            by_difficulty.entry(q.difficulty).or_default(),
        ] {
            t.points += q.points;
            t.max += q.max;
        }
    }
    for t in std::iter::once(&mut total)
        .chain(by_topic.values_mut())
        .chain(by_difficulty.values_mut())
    {
        // Floored at 0, and a -0 (a sum of -0 points) made 0.
        t.points = t.points.max(0.0) + 0.0;
    }
    let failed_topics: Vec<String> = exam
        .topic_pass_marks
        .iter()
        .filter(|(topic, mark)| {
            by_topic
                .get(*topic)
                .is_some_and(|t| t.percent() + 1e-9 < **mark)
        })
        .map(|(t, _)| t.clone())
        .collect();
    let passed = total.percent() + 1e-9 >= exam.pass_mark && failed_topics.is_empty();
    ScoreSheet {
        questions,
        total,
        by_topic,
        by_difficulty,
        passed,
        failed_topics,
    }
}
