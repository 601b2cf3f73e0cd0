//! Exam definitions: which banks and pools, counts, timing, navigation, scoring and review.

use crate::bank::{Difficulty, Library, parse_tree};
use crate::diag::{Diagnostic, Severity};
use crate::messages::{Describe, K, Msg};
use crate::msg;
use crate::text::Text;
use crate::walk::{Val, Walker, is_valid_id, suggest_id};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};

/// Feedback during the attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Feedback only after submitting.
    Exam,
    /// Right or wrong, the right answer and the explanation after each answer.
    Practice,
}

/// How the trainee may move between questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Navigation {
    /// Any question, any time.
    Free,
    /// Forward only: a question left behind cannot be returned to.
    ForwardOnly,
}

/// What the trainee sees after submitting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Review {
    /// The score only.
    Score,
    /// The score and which questions were wrong.
    Wrong,
    /// Everything: answers, right answers, explanations and sources.
    Answers,
}

/// How answers are scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoringPolicy {
    /// Partial credit for `multiple`, `order` and `match` (otherwise all or nothing).
    pub partial_credit: bool,
    /// Fraction of a question's points taken off for a wrong answer (0 = none).
    pub negative_marking: f64,
    /// Kahoot-style speed points.
    pub speed_points: bool,
    /// Seconds over which speed points fall to half, for questions without their own limit.
    pub speed_window: u32,
}

impl Default for ScoringPolicy {
    fn default() -> Self {
        ScoringPolicy {
            partial_credit: true,
            negative_marking: 0.0,
            speed_points: false,
            speed_window: 30,
        }
    }
}

/// One pool of questions to draw from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pool {
    /// Only questions of this topic.
    pub topic: Option<String>,
    /// Only questions with at least one of these tags.
    pub tags: Vec<String>,
    /// Only questions of these difficulties (empty: any).
    pub difficulty: Vec<Difficulty>,
    /// Only these question ids (empty: any).
    #[serde(default)]
    pub questions: Vec<String>,
    /// How many to draw.
    pub count: usize,
}

/// Longest unit (department) accepted, in characters.
pub const MAX_UNIT_CHARS: usize = 60;

/// Why a unit or department cannot be kept, or `None` when it can (an empty unit is no unit):
/// the same characters as in a trainee name are refused (`record::name_problem`), and more than [`MAX_UNIT_CHARS`].
#[must_use]
pub fn unit_problem(unit: &str) -> Option<crate::messages::Msg> {
    use crate::messages::{K, Msg};
    let t = unit.trim();
    if let Some(c) = t
        .chars()
        .find(|c| c.is_control() || crate::diag::is_bidi_format(*c))
    {
        return Some(Msg::new(
            K::UnitBadChar,
            vec![format!("U+{:04X}", u32::from(c)).into()],
        ));
    }
    let n = t.chars().count();
    (n > MAX_UNIT_CHARS).then(|| Msg::new(K::UnitTooLong, vec![n.into(), MAX_UNIT_CHARS.into()]))
}

/// An exam definition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExamDef {
    /// Stable id (results are grouped by it).
    pub id: String,
    /// Title.
    pub title: Text,
    /// Banks to draw from (empty: every loaded bank).
    pub banks: Vec<String>,
    /// The pools.
    pub pools: Vec<Pool>,
    /// Total time in seconds.
    pub time_limit: Option<u32>,
    /// Time per question in seconds (a question's own `time_limit` takes precedence).
    pub question_time_limit: Option<u32>,
    /// Exam or practice.
    pub mode: Mode,
    /// Shuffle the order of questions.
    pub shuffle_questions: bool,
    /// Shuffle choices and items (a question's `shuffle = false` is honoured).
    pub shuffle_choices: bool,
    /// Free or forward-only.
    pub navigation: Navigation,
    /// Scoring.
    pub scoring: ScoringPolicy,
    /// Pass mark for the total, in percent.
    pub pass_mark: f64,
    /// Pass marks per topic, in percent.
    pub topic_pass_marks: BTreeMap<String, f64>,
    /// What is shown after submitting.
    pub review: Review,
    /// Results folder for this exam, if it names one.
    pub results: Option<String>,
    /// The units (departments) a trainee may pick on the home screen; free text stays
    /// allowed. Only the home screen reads it, so attempts in progress do not carry it.
    #[serde(skip)]
    pub units: Vec<String>,
}

impl ExamDef {
    /// A quick quiz built from the command line or the home screen.
    #[must_use]
    pub fn quick(topics: &[String], count: usize, time_limit: Option<u32>, mode: Mode) -> ExamDef {
        let id = if topics.is_empty() {
            "quick-all".to_owned()
        } else {
            format!("quick-{}", topics.join("-"))
        };
        let pools = if topics.len() <= 1 {
            vec![Pool {
                topic: topics.first().cloned(),
                tags: Vec::new(),
                difficulty: Vec::new(),
                questions: Vec::new(),
                count,
            }]
        } else {
            // Spread the count over the topics as evenly as possible.
            let n = topics.len();
            topics
                .iter()
                .enumerate()
                .map(|(i, t)| Pool {
                    topic: Some(t.clone()),
                    tags: Vec::new(),
                    difficulty: Vec::new(),
                    questions: Vec::new(),
                    count: count / n + usize::from(i < count % n),
                })
                .filter(|p| p.count > 0)
                .collect()
        };
        ExamDef {
            id,
            title: Text::from_pairs([
                ("en", crate::messages::ui(crate::text::Lang::En).quick_quiz),
                ("ar", crate::messages::ui(crate::text::Lang::Ar).quick_quiz),
            ]),
            banks: Vec::new(),
            pools,
            time_limit,
            question_time_limit: None,
            mode,
            shuffle_questions: true,
            shuffle_choices: true,
            navigation: Navigation::Free,
            scoring: ScoringPolicy::default(),
            pass_mark: 70.0,
            topic_pass_marks: BTreeMap::new(),
            review: Review::Answers,
            results: None,
            units: Vec::new(),
        }
    }

    /// Total number of questions drawn.
    #[must_use]
    pub fn question_count(&self) -> usize {
        self.pools.iter().map(|p| p.count).sum()
    }
}

const TOP_KEYS: &[&str] = &[
    "format",
    "id",
    "title",
    "description",
    "banks",
    "mode",
    "time_limit",
    "question_time_limit",
    "shuffle_questions",
    "shuffle_choices",
    "navigation",
    "pass_mark",
    "pass_marks",
    "review",
    "results",
    "units",
    "scoring",
    "pool",
];
const SCORING_KEYS: &[&str] = &[
    "partial_credit",
    "negative_marking",
    "speed_points",
    "speed_window",
];
const POOL_KEYS: &[&str] = &["topic", "tags", "difficulty", "questions", "count"];

fn choice<T: Copy>(
    w: &mut Walker<'_>,
    v: &Val<'_>,
    what: &str,
    options: &[(&str, T)],
) -> Option<T> {
    let s = w.string(v, &Msg::raw(what))?;
    let found = options.iter().find(|(n, _)| *n == s).map(|(_, t)| *t);
    if found.is_none() {
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        w.error(
            "bad-value",
            v.span(),
            msg!(NotAValid, &s, what),
            msg!(UseOneOf, names.join(", ")),
        );
    }
    found
}

fn percent(w: &mut Walker<'_>, v: &Val<'_>, what: &Msg) -> Option<f64> {
    let n = match v.get_ref() {
        DeValue::Integer(i) => i.as_str().replace('_', "").parse::<f64>().ok(),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        other => {
            w.wrong_type(v.span(), what, &K::ANumberTo100, other);
            return None;
        }
    };
    match n {
        Some(n) if (0.0..=100.0).contains(&n) => Some(n),
        _ => {
            w.error("bad-value", v.span(), msg!(MustBePercent, what), None);
            None
        }
    }
}

fn fraction(w: &mut Walker<'_>, v: &Val<'_>, what: &Msg) -> Option<f64> {
    percent(w, v, what).and_then(|n| {
        if n > 1.0 {
            w.error(
                "bad-value",
                v.span(),
                msg!(IsAFraction, what),
                Msg::from(K::IsAFractionHint),
            );
            None
        } else {
            Some(n)
        }
    })
}

fn exam_text(w: &mut Walker<'_>, v: &Val<'_>, what: &dyn Describe) -> Option<Text> {
    match v.get_ref() {
        DeValue::Table(t) => {
            let langs: Vec<String> = t
                .iter()
                .map(|(k, _)| k.get_ref().to_string())
                .filter(|k| k == "en" || k == "ar")
                .collect();
            let langs = if langs.is_empty() {
                vec!["en".to_owned()]
            } else {
                langs
            };
            w.text(v, what, &langs)
        }
        _ => w.text(v, what, &["en".to_owned()]),
    }
}

/// Parse an exam definition file. Checks against the banks are done by [`check_exam`].
#[must_use]
pub fn parse_exam(file: &str, source: &str) -> (Option<ExamDef>, Vec<Diagnostic>) {
    let text = crate::walk::without_bom(source);
    let mut w = Walker::new(file, &text);
    let tree = parse_tree(&mut w, &text);
    let top = tree.get_ref();
    let start = 0..text.len().min(1);
    w.unknown_keys(top, TOP_KEYS, &K::AnExam);
    let the_exam = Msg::from(K::TheExam);
    if let Some(v) = w.required(top, "format", start.clone(), &the_exam, "1")
        && w.positive(v, &msg!(Key, "format"), 1000)
            .is_some_and(|n| n != 1)
    {
        w.error(
            "format-version",
            v.span(),
            K::ExamFormatVersion.into(),
            Msg::from(K::ExamFormatVersionHint),
        );
    }
    let id = w
        .required(top, "id", start.clone(), &the_exam, "\"final-assessment\"")
        .and_then(|v| {
            let s = w.string(v, &K::TheExamId)?;
            if is_valid_id(&s) {
                Some(s)
            } else {
                w.error(
                    "bad-id",
                    v.span(),
                    msg!(IdBadChars, K::TheExamId, &s),
                    msg!(WriteItAs, suggest_id(&s)),
                );
                None
            }
        });
    let title = w
        .required(
            top,
            "title",
            start.clone(),
            &the_exam,
            "{ en = \"...\", ar = \"...\" }",
        )
        .and_then(|v| exam_text(&mut w, v, &K::TheTitle));
    if let Some(v) = top.get("description") {
        exam_text(&mut w, v, &K::TheDescription);
    }
    let banks = top
        .get("banks")
        .map(|v| w.string_list(v, &msg!(Key, "banks"), true))
        .unwrap_or_default();
    let mode = top.get("mode").map_or(Some(Mode::Exam), |v| {
        choice(
            &mut w,
            v,
            "mode",
            &[("exam", Mode::Exam), ("practice", Mode::Practice)],
        )
    });
    let navigation = top.get("navigation").map_or(Some(Navigation::Free), |v| {
        choice(
            &mut w,
            v,
            "navigation",
            &[
                ("free", Navigation::Free),
                ("forward-only", Navigation::ForwardOnly),
            ],
        )
    });
    let review = top.get("review").map_or(Some(Review::Answers), |v| {
        choice(
            &mut w,
            v,
            "review",
            &[
                ("score", Review::Score),
                ("wrong", Review::Wrong),
                ("answers", Review::Answers),
            ],
        )
    });
    let time_limit = top
        .get("time_limit")
        .and_then(|v| w.seconds(v, &msg!(Key, "time_limit")));
    let question_time_limit = top
        .get("question_time_limit")
        .and_then(|v| w.seconds(v, &msg!(Key, "question_time_limit")));
    let shuffle_questions = top.get("shuffle_questions").map_or(Some(true), |v| {
        w.boolean(v, &msg!(Key, "shuffle_questions"))
    });
    let shuffle_choices = top
        .get("shuffle_choices")
        .map_or(Some(true), |v| w.boolean(v, &msg!(Key, "shuffle_choices")));
    let pass_mark = top
        .get("pass_mark")
        .map_or(Some(70.0), |v| percent(&mut w, v, &msg!(Key, "pass_mark")));
    let results = top
        .get("results")
        .and_then(|v| w.string(v, &msg!(Key, "results")));
    let units = top
        .get("units")
        .map(|v| {
            let list = w.string_list(v, &msg!(Key, "units"), false);
            for why in list.iter().filter_map(|u| unit_problem(u)) {
                w.error("bad-unit", v.span(), why, None);
            }
            list
        })
        .unwrap_or_default();
    let mut topic_pass_marks = BTreeMap::new();
    if let Some(t) = top
        .get("pass_marks")
        .and_then(|v| w.table(v, &msg!(Key, "pass_marks")))
    {
        for (k, v) in t {
            if let Some(p) = percent(&mut w, v, &msg!(PassMarkOfTopic, k.get_ref().to_string())) {
                topic_pass_marks.insert(k.get_ref().to_string(), p);
            }
        }
    }
    let mut scoring = ScoringPolicy::default();
    if let Some(t) = top
        .get("scoring")
        .and_then(|v| w.table(v, &msg!(Key, "scoring")))
    {
        w.unknown_keys(t, SCORING_KEYS, &msg!(Key, "[scoring]"));
        if let Some(b) = t
            .get("partial_credit")
            .and_then(|v| w.boolean(v, &msg!(Key, "partial_credit")))
        {
            scoring.partial_credit = b;
        }
        if let Some(f) = t
            .get("negative_marking")
            .and_then(|v| fraction(&mut w, v, &msg!(Key, "negative_marking")))
        {
            scoring.negative_marking = f;
        }
        if let Some(b) = t
            .get("speed_points")
            .and_then(|v| w.boolean(v, &msg!(Key, "speed_points")))
        {
            scoring.speed_points = b;
        }
        if let Some(s) = t
            .get("speed_window")
            .and_then(|v| w.seconds(v, &msg!(Key, "speed_window")))
        {
            scoring.speed_window = s;
        }
    }
    let pools = parse_pools(&mut w, top, start);
    let out = (|| {
        Some(ExamDef {
            id: id?,
            title: title?,
            banks,
            pools: pools?,
            time_limit,
            question_time_limit,
            mode: mode?,
            shuffle_questions: shuffle_questions?,
            shuffle_choices: shuffle_choices?,
            navigation: navigation?,
            scoring,
            pass_mark: pass_mark?,
            topic_pass_marks,
            review: review?,
            results,
            units,
        })
    })();
    let ok = !w.has_errors();
    (out.filter(|_| ok), w.diags)
}

fn parse_pools(
    w: &mut Walker<'_>,
    top: &DeTable<'_>,
    start: std::ops::Range<usize>,
) -> Option<Vec<Pool>> {
    let Some(v) = top.get("pool") else {
        w.error(
            "no-pools",
            start,
            K::NoPools.into(),
            Msg::from(K::NoPoolsHint),
        );
        return None;
    };
    let items = w.array(v, &msg!(Key, "pool"))?;
    let mut pools = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(t) = w.table(item, &K::APoolTable) else {
            ok = false;
            continue;
        };
        w.unknown_keys(t, POOL_KEYS, &K::APool);
        let topic = t.get("topic").and_then(|v| w.string(v, &K::ThePoolsTopic));
        let tags = t
            .get("tags")
            .map(|v| w.string_list(v, &K::ThePoolsTags, true))
            .unwrap_or_default();
        let mut difficulty = Vec::new();
        if let Some(v) = t.get("difficulty") {
            let names = match v.get_ref() {
                DeValue::String(_) => w.string(v, &K::ThePoolsDifficulty).into_iter().collect(),
                _ => w.string_list(v, &K::ThePoolsDifficulty, true),
            };
            for n in names {
                match Difficulty::from_name(&n) {
                    Some(d) => difficulty.push(d),
                    None => {
                        w.error(
                            "bad-difficulty",
                            v.span(),
                            msg!(NotADifficulty, n),
                            Msg::from(K::UseDifficulty),
                        );
                        ok = false;
                    }
                }
            }
        }
        let questions = t
            .get("questions")
            .map(|v| w.string_list(v, &K::ThePoolsQuestions, true))
            .unwrap_or_default();
        let count = match t.get("count") {
            None if !questions.is_empty() => u32::try_from(questions.len()).ok(),
            _ => w
                .required(t, "count", item.span(), &K::ThePool, "10")
                .and_then(|v| w.positive(v, &K::ThePoolsCount, 100_000)),
        };
        match count {
            Some(c) => pools.push(Pool {
                topic,
                tags,
                difficulty,
                questions,
                count: c as usize,
            }),
            None => ok = false,
        }
    }
    ok.then_some(pools)
}

/// Check an exam against the loaded banks: banks and topics exist, every pool can be filled.
#[must_use]
pub fn check_exam(exam: &ExamDef, lib: &Library, file: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut problem = |code, msg: Msg, hint: Msg| {
        diags.push(Diagnostic::at(
            Severity::Error,
            code,
            file,
            "",
            None,
            msg,
            Some(hint),
        ));
    };
    for b in &exam.banks {
        if lib.bank(b).is_none() {
            let known: Vec<&str> = lib.banks.iter().map(|b| b.id.as_str()).collect();
            problem(
                "unknown-bank",
                msg!(UnknownBank, &exam.id, b),
                msg!(LoadedBanks, known.join(", ")),
            );
        }
    }
    for t in exam.topic_pass_marks.keys() {
        if !lib.topics().iter().any(|(x, _)| x == t) {
            problem(
                "unknown-topic",
                msg!(UnknownTopicPassMark, &exam.id, t),
                K::CheckTopicSpelling.into(),
            );
        }
    }
    diags
}
