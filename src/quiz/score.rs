//! Scoring: per question, per topic, per difficulty, pass or fail.

use super::normalize::normalize;
use super::response::Response;
use crate::bank::{Difficulty, Kind, Question};
use crate::exam::{ExamDef, ScoringPolicy};
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
    match (&q.kind, r) {
        (Kind::Single { answer, .. }, Response::Choice(c)) => f64::from(u8::from(c == answer)),
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
            let ok = !got.is_empty() && accepted.values().flatten().any(|a| normalize(a) == got);
            f64::from(u8::from(ok))
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
        points = -policy.negative_marking * max;
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
            (self.points.max(0.0) / self.max * 100.0).clamp(0.0, 100.0)
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
        t.points = t.points.max(0.0);
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
