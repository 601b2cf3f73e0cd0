//! The class report: one attempt per trainee, a summary of the class, item analysis and test
//! statistics, with plain-text, HTML, CSV and JSON output, and raw exports of attempts and
//! responses.
//!
//! The figures are pure: their input is the stored records (and the files that could not be
//! read) and the loaded [`Library`], and nothing computing them touches the terminal, the file
//! system or the clock. Reading the results folder happens in two places only: [`read`] (the
//! one read path of `report`, `export`, `history` and the board, through the results store and
//! its integrity checks) and [`board`] (which watches the folder for the live board). Drawing
//! and printing are the fronts' (`render` builds the text, CSV and JSON they print).
//!
//! # Definitions
//!
//! The item statistics follow Moodle's quiz statistics ("Quiz statistics calculations"):
//!
//! - An item's score is the points the attempt earned on it (`points`, after any penalty or
//!   speed bonus), and the test score used for item analysis is the sum of the item scores of the
//!   attempt (not floored at 0, unlike the recorded total).
//! - **Facility index**: mean item score / item maximum × 100. With the default scoring (no
//!   negative marking, no speed points) this is the mean credit × 100.
//! - **SD**: sample standard deviation (n − 1) of the item score, as a percentage of the item
//!   maximum (as Moodle shows it).
//! - **Discrimination index**: Pearson correlation between the item score and the score on the
//!   rest of the test (total minus the item), × 100.
//! - **Discriminative efficiency**: covariance of item and rest over the largest covariance
//!   possible for the same two sets of values (both sorted and paired in order), × 100.
//! - Correlations need at least two attempts of the question and some spread, else `None`.
//!
//! Class figures are on the recorded percentages. Standard deviations are **sample** standard
//! deviations (divisor n − 1).
//!
//! **Test statistics** follow Moodle's quiz statistics ("Quiz statistics calculations"). The
//! items are the exam's **slots** (pool k, draw i) when the exam is loaded and every selected
//! paper is the one it draws for that trainee's name: each paper has every slot once, whichever
//! question filled it, as Moodle treats random questions. Otherwise they are the questions every
//! selected attempt had (a question drawn for only some trainees is left out, never counted as
//! 0); the basis and the numbers used and left out are reported. The test total of an attempt is
//! the sum of those items' points (not floored). Over these totals: mean, sample SD, skewness
//! k3 / k2^1.5 and excess kurtosis k4 / k2² (k-statistics, as Moodle), **Cronbach's alpha**,
//! the **error ratio** √(1 − alpha) × 100 and the **standard error of measurement**, error ratio
//! × SD / 100, in points of the same totals.
//!
//! A question is flagged (too easy, too hard, negative discrimination) only with at least
//! [`MIN_ATTEMPTS_FOR_FLAGS`] attempts of it.

pub mod board;
mod export;
pub mod held;
mod html;
pub mod integrity;
mod layout;
pub mod read;
mod render;
mod stats;
pub mod status;

pub use export::{
    BOM, EXPORT_DECIMALS, export_attempts_csv, export_attempts_csv_with, export_num,
    export_responses_csv, export_responses_csv_to, response_as_seen, rfc3339_utc,
};
pub use html::{escape as html_escape, to_html, to_html_dated, to_html_with};
pub use layout::{Plain, Typeset};
pub use render::{
    CSV_TABLES, TextOptions, render_table, render_table_in, render_text, to_csv, to_csv_table,
    to_json,
};

use crate::bank::{Kind, Library, letter};
use crate::quiz::Millis;
use crate::record::{AttemptRecord, BadRecord, trainee_slug};
use held::{Choosable, HeldAttempt, HeldQuestion};
use serde::{Deserialize, Serialize};
use stats::{as_f64, mean, median, sample_sd};
use std::collections::{BTreeMap, BTreeSet};

/// Which attempt of each trainee the report uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Which {
    /// The earliest attempt (by start time); Moodle's default for item analysis.
    #[default]
    First,
    /// The attempt with the highest percentage (the earliest of equals).
    Best,
    /// The latest attempt (by start time).
    Last,
}

impl Which {
    /// Every choice, in the order the help lists them.
    pub const ALL: [Which; 3] = [Which::First, Which::Best, Which::Last];

    /// The name used on the command line and in output.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Which::First => "first",
            Which::Best => "best",
            Which::Last => "last",
        }
    }

    /// Parse a name (`first`, `best`, `last`).
    #[must_use]
    pub fn from_name(s: &str) -> Option<Which> {
        Which::ALL.into_iter().find(|w| w.name() == s)
    }

    /// Whether `new`, met after `old` in the order the records are read, counts instead of it
    /// (two attempts of one trainee at one exam). Attempts are ordered by start, then by
    /// identity; of attempts equal in that order, the one met first is the first and the one
    /// met last the last; of equal percentages, the earliest is the best.
    pub fn prefers<C: Choosable>(self, new: &C, old: &C) -> bool {
        let order = (new.started_at(), new.attempt_id()).cmp(&(old.started_at(), old.attempt_id()));
        match self {
            Which::First => order.is_lt(),
            Which::Last => order.is_ge(),
            Which::Best => match new.percent().total_cmp(&old.percent()) {
                std::cmp::Ordering::Equal => order.is_lt(),
                o => o.is_gt(),
            },
        }
    }
}

/// An exam id with the number of records for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExamCount {
    /// Exam id.
    pub exam_id: String,
    /// Records (all attempts) for it.
    pub records: usize,
}

/// One trainee's selected attempt.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraineeRow {
    /// Name or id, as typed in the selected attempt.
    pub trainee: String,
    /// The selected attempt.
    pub attempt_id: String,
    /// How many attempts the trainee has at this exam.
    pub attempts: usize,
    /// Start of the selected attempt.
    pub started_at: Millis,
    /// Time taken, in seconds.
    pub seconds: i64,
    /// Score.
    pub score: f64,
    /// Maximum score.
    pub max: f64,
    /// Percentage.
    pub percent: f64,
    /// Passed.
    pub passed: bool,
    /// Why it did not pass: `overall` (below the pass mark) and `topic:<id>` for each topic
    /// below its own pass mark; empty when it passed.
    pub failed_on: Vec<String>,
    /// Why the attempt ended.
    pub end_reason: crate::quiz::EndReason,
    /// Percentage per topic.
    pub by_topic: BTreeMap<String, f64>,
    /// The trainee's unit or department, as given when the attempt started.
    pub unit: Option<String>,
}

/// The class figures of one unit (department).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitRow {
    /// The unit as given (`None`: trainees who gave none).
    pub unit: Option<String>,
    /// Its trainees.
    pub n: usize,
    /// Their mean percentage.
    pub mean: f64,
    /// How many passed.
    pub passed: usize,
    /// passed / n × 100.
    pub pass_rate: f64,
    /// The topic with the lowest mean percentage among its trainees, with that mean.
    pub weakest_topic: Option<(String, f64)>,
}

/// The class mean of one topic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopicMean {
    /// Topic.
    pub topic: String,
    /// Trainees whose attempt had questions of the topic.
    pub n: usize,
    /// Mean of their topic percentages.
    pub mean: f64,
}

/// Class figures, on the percentages of the selected attempts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Trainees (selected attempts).
    pub n: usize,
    /// Mean percentage.
    pub mean: Option<f64>,
    /// Median percentage.
    pub median: Option<f64>,
    /// Sample standard deviation (divisor n − 1) of the percentage; `None` below two trainees.
    pub sd: Option<f64>,
    /// Lowest percentage.
    pub min: Option<f64>,
    /// Highest percentage.
    pub max: Option<f64>,
    /// Trainees who passed.
    pub passed: usize,
    /// Passed / n × 100.
    pub pass_rate: Option<f64>,
    /// Mean percentage per topic.
    pub topics: Vec<TopicMean>,
    /// Figures per unit (department), by unit name, those without a unit last; empty when no
    /// trainee gave a unit.
    pub units: Vec<UnitRow>,
    /// Trainees per ten-point band of percentage: 0–10, …, 90–100 (100 is in the last band;
    /// each band holds its lower edge).
    pub histogram: [usize; 10],
}

/// How often one choice of a choice question was picked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChoiceStat {
    /// Position of the choice in the bank file.
    pub index: usize,
    /// Its letter (`a`, `b`, …).
    pub letter: char,
    /// Whether it is a right choice (`None` when the question is no longer loaded).
    pub right: Option<bool>,
    /// Attempts that picked it.
    pub count: usize,
    /// count / attempts × 100.
    pub percent: f64,
}

/// Something to look at in a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// Discrimination index below 0: stronger trainees did worse on it.
    NegativeDiscrimination,
    /// Facility index below 10.
    TooHard,
    /// Facility index above 90.
    TooEasy,
    /// The question id is not in the loaded banks, its type changed, or a recorded answer no
    /// longer fits it.
    ChangedOrMissing,
}

impl Flag {
    /// The flag in words.
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            Flag::NegativeDiscrimination => "negative discrimination",
            Flag::TooHard => "too hard",
            Flag::TooEasy => "too easy",
            Flag::ChangedOrMissing => "question changed or missing",
        }
    }
}

/// The figures of an item (a question, or a slot of random papers) over the selected attempts.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Selected attempts that had the item.
    pub attempts: usize,
    /// Of these, how many left it blank (questions; a slot has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blank: Option<usize>,
    /// Mean points earned.
    pub mean_points: f64,
    /// Points available (the mean over attempts, should the bank have changed).
    pub max: f64,
    /// Facility index: mean score / maximum × 100.
    pub facility: Option<f64>,
    /// Sample SD of the score as a percentage of the maximum; `None` below two attempts.
    pub sd: Option<f64>,
    /// Item-rest correlation × 100.
    pub discrimination: Option<f64>,
    /// Discriminative efficiency × 100.
    pub efficiency: Option<f64>,
}

impl Figures {
    /// The figures of the points `x` earned out of `max` on each attempt, where `rest` is each
    /// attempt's total without the item; `None` without attempts.
    fn of(x: &[f64], max: &[f64], rest: &[f64]) -> Option<Figures> {
        let max = mean(max)?;
        let mean_points = mean(x)?;
        let (discrimination, efficiency) = stats::item_rest(x, rest);
        Some(Figures {
            attempts: x.len(),
            blank: None,
            mean_points,
            max,
            facility: (max > 0.0).then(|| mean_points / max * 100.0),
            sd: sample_sd(x).filter(|_| max > 0.0).map(|s| s / max * 100.0),
            discrimination,
            efficiency,
        })
    }

    /// Its flags (none below [`MIN_ATTEMPTS_FOR_FLAGS`] attempts).
    fn flags(&self) -> Vec<Flag> {
        let mut flags = Vec::new();
        if self.attempts < MIN_ATTEMPTS_FOR_FLAGS {
            return flags;
        }
        if self.discrimination.is_some_and(|d| d < 0.0) {
            flags.push(Flag::NegativeDiscrimination);
        }
        if self.facility.is_some_and(|f| f < 10.0) {
            flags.push(Flag::TooHard);
        }
        if self.facility.is_some_and(|f| f > 90.0) {
            flags.push(Flag::TooEasy);
        }
        flags
    }
}

/// Item analysis of one question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemStats {
    /// Question id.
    pub qid: String,
    /// Topic (as recorded).
    pub topic: String,
    /// Type name (as recorded).
    #[serde(rename = "type")]
    pub kind: String,
    /// Its figures, its blanks among them (members of this object in JSON).
    #[serde(flatten)]
    pub figures: Figures,
    /// For `single` and `multiple`: how often each choice was picked.
    pub choices: Vec<ChoiceStat>,
    /// Warnings.
    pub flags: Vec<Flag>,
}

/// Item analysis of one slot (pool k, draw i) of an exam that draws random papers, as Moodle
/// shows a random question: the figures of whichever question filled the slot on each paper,
/// beside the rows of the questions themselves.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SlotStats {
    /// The pool, from 1 (the exam file's order).
    pub pool: usize,
    /// The draw within the pool, from 1.
    pub draw: usize,
    /// The pool's topic, when it names one.
    pub topic: Option<String>,
    /// How many different questions filled the slot.
    pub questions: usize,
    /// Its figures over the selected attempts (each paper has every slot once; members of this
    /// object in JSON).
    #[serde(flatten)]
    pub figures: Figures,
    /// Warnings (only with at least [`MIN_ATTEMPTS_FOR_FLAGS`] attempts).
    pub flags: Vec<Flag>,
}

/// Attempts of a question below which it gets no flag (too easy, too hard, negative
/// discrimination): with fewer, one trainee more or less turns the figure around.
pub const MIN_ATTEMPTS_FOR_FLAGS: usize = 10;

/// What the test statistics are computed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// The exam's slots (pool k, draw i): every paper has each slot once, whichever question
    /// fills it (random papers, as Moodle treats random questions).
    Slots,
    /// The questions every selected attempt had (the exam is not loaded, or its draw does not
    /// give the recorded papers).
    Questions,
}

/// Reliability and shape of the test scores.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TestStats {
    /// What the items are: slots or questions.
    pub basis: Basis,
    /// Items alpha is computed over.
    pub items: usize,
    /// Questions left out because some selected attempts did not have them (0 over slots).
    pub excluded: usize,
    /// Mean of the test totals (the sum of the items' points, not floored), in points.
    pub mean: Option<f64>,
    /// Sample SD of those totals, in points.
    pub sd: Option<f64>,
    /// Skewness of those totals (Moodle's: k3 / k2^1.5).
    pub skewness: Option<f64>,
    /// Excess kurtosis of those totals (Moodle's: k4 / k2²).
    pub kurtosis: Option<f64>,
    /// Cronbach's alpha (coefficient of internal consistency), as a fraction.
    pub alpha: Option<f64>,
    /// Error ratio: √(1 − alpha) × 100, in percent.
    pub error_ratio: Option<f64>,
    /// Standard error of measurement: error ratio × SD of the same totals, in points.
    pub sem: Option<f64>,
    /// Attempts of a question below which it gets no flag ([`MIN_ATTEMPTS_FOR_FLAGS`]).
    pub min_attempts_for_flags: usize,
}

/// The class report of one exam.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The exam reported on (`None` when there are no records at all).
    pub exam_id: Option<String>,
    /// Its title, as recorded.
    pub exam_title: Option<String>,
    /// Which attempt of each trainee was used.
    pub which: Which,
    /// Every exam with records, most records first.
    pub exams: Vec<ExamCount>,
    /// Records of this exam (all attempts).
    pub records: usize,
    /// One row per trainee, by name.
    pub trainees: Vec<TraineeRow>,
    /// Class figures.
    pub summary: Summary,
    /// One entry per question, by topic then id.
    pub items: Vec<ItemStats>,
    /// One entry per slot (pool, draw), when the exam is loaded, every selected paper is the one
    /// it draws for the trainee's name, and some slot was filled by different questions (random
    /// papers); empty otherwise.
    pub slots: Vec<SlotStats>,
    /// Reliability.
    pub test: TestStats,
    /// Files that could not be read, and flagged records, with the trainee and the reason.
    pub bad: Vec<BadRecord>,
    /// Where every trainee of the exam stands (filled by [`with_statuses`]; empty otherwise).
    pub status: status::Statuses,
}

/// The report with the standing of every trainee of its exam at `now`, from the attempts that
/// started (their start markers and progress files) as well as the records.
#[must_use]
pub fn with_statuses(
    mut report: Report,
    records: &[HeldAttempt],
    started: status::Started<'_>,
    now: Millis,
) -> Report {
    if let Some(id) = &report.exam_id {
        report.status = status::statuses(id, records, &report.bad, started, now);
    }
    report
}

/// Build the report of `exam` (default: the exam with the most records, the smallest id of
/// equals) from `records`, one attempt per trainee chosen by `which`. Trainees are told apart by
/// [`trainee_slug`]. `bad` is carried into the report as it is.
#[must_use]
pub fn build(
    records: &[AttemptRecord],
    bad: &[BadRecord],
    lib: &Library,
    exam: Option<&str>,
    which: Which,
) -> Report {
    let held = HeldAttempt::all_of(records, lib, held::Keep::Figures);
    build_with(&held, bad, lib, &[], exam, which)
}

/// [`build`], with the loaded exams: when the exam reported on is among them, the test
/// statistics are computed per slot of its papers ([`crate::quiz::draw_slots`]).
#[must_use]
pub fn build_with(
    records: &[HeldAttempt],
    bad: &[BadRecord],
    lib: &Library,
    defs: &[crate::exam::ExamDef],
    exam: Option<&str>,
    which: Which,
) -> Report {
    let exams = exam_counts(records);
    let exam_id = exam
        .map(str::to_owned)
        .or_else(|| exams.first().map(|e| e.exam_id.clone()));
    let of_exam: Vec<&HeldAttempt> = records
        .iter()
        .filter(|r| exam_id.as_deref() == Some(&*r.exam_id))
        .collect();
    // A trainee's slug (a hash of the name) once per record, on every core.
    let slugs: Vec<String> = {
        use rayon::prelude::*;
        of_exam
            .par_iter()
            .map(|r| trainee_slug(&r.trainee))
            .collect()
    };
    let selected = select(&of_exam, &slugs, which);
    let exam_title = selected
        .first()
        .map(|(_, r)| *r)
        .or(of_exam.first().copied())
        .map(|r| r.whole().exam_title.to_string());

    let mut tries: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for slug in &slugs {
        *tries.entry(slug.as_str()).or_default() += 1;
    }
    let trainees: Vec<TraineeRow> = selected
        .iter()
        .map(|(slug, r)| TraineeRow {
            trainee: r.trainee.to_string(),
            attempt_id: r.attempt_id.to_string(),
            attempts: tries.get(slug).copied().unwrap_or(0),
            started_at: r.started_at,
            seconds: r.seconds(),
            score: r.score,
            max: r.max,
            percent: r.percent,
            passed: r.passed,
            failed_on: r.failed_on(),
            end_reason: r.end_reason,
            unit: r.whole().unit.as_deref().map(str::to_owned),
            by_topic: r
                .whole()
                .by_topic
                .iter()
                .map(|(t, tally)| (t.to_owned(), tally.percent()))
                .collect(),
        })
        .collect();
    let summary = summarise(&trainees);
    let selected: Vec<&HeldAttempt> = selected.into_iter().map(|(_, r)| r).collect();
    let def = exam_id
        .as_deref()
        .and_then(|id| defs.iter().find(|e| e.id == id));
    let (items, slots, test) = analyse_items(&selected, lib, def);
    Report {
        exam_id,
        exam_title,
        which,
        exams,
        records: of_exam.len(),
        trainees,
        summary,
        items,
        slots,
        test,
        bad: bad.to_vec(),
        status: status::Statuses::default(),
    }
}

fn exam_counts(records: &[HeldAttempt]) -> Vec<ExamCount> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records {
        *counts.entry(&*r.exam_id).or_default() += 1;
    }
    let mut out: Vec<ExamCount> = counts
        .into_iter()
        .map(|(e, n)| ExamCount {
            exam_id: e.to_owned(),
            records: n,
        })
        .collect();
    // Stable sort: equal counts keep the id order.
    out.sort_by_key(|e| std::cmp::Reverse(e.records));
    out
}

/// One attempt per trainee, ordered by name (case-insensitive), then by identity.
/// Each trainee's counted attempt (with the trainee's slug), by name. `slugs[i]` is the slug
/// of `records[i]`.
fn select<'a, 's, C: Choosable>(
    records: &[&'a C],
    slugs: &'s [String],
    which: Which,
) -> Vec<(&'s str, &'a C)> {
    // Each trainee's attempt so far, the records taken in the order given.
    let mut chosen: BTreeMap<&'s str, &'a C> = BTreeMap::new();
    for (&r, slug) in records.iter().zip(slugs) {
        chosen
            .entry(slug.as_str())
            .and_modify(|old| {
                if which.prefers(r, *old) {
                    *old = r;
                }
            })
            .or_insert(r);
    }
    let mut out: Vec<(&'s str, &'a C)> = chosen.into_iter().collect();
    out.sort_by_cached_key(|(slug, r)| (r.trainee().trim().to_lowercase(), *slug));
    out
}

fn summarise(rows: &[TraineeRow]) -> Summary {
    let percents: Vec<f64> = rows.iter().map(|r| r.percent).collect();
    let passed = rows.iter().filter(|r| r.passed).count();
    let mut topics: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for r in rows {
        for (t, p) in &r.by_topic {
            topics.entry(t.as_str()).or_default().push(*p);
        }
    }
    Summary {
        n: rows.len(),
        mean: mean(&percents),
        median: median(&percents),
        sd: sample_sd(&percents),
        min: percents.iter().copied().reduce(f64::min),
        max: percents.iter().copied().reduce(f64::max),
        passed,
        pass_rate: (!rows.is_empty()).then(|| as_f64(passed) / as_f64(rows.len()) * 100.0),
        topics: topics
            .into_iter()
            .filter_map(|(t, v)| {
                Some(TopicMean {
                    topic: t.to_owned(),
                    n: v.len(),
                    mean: mean(&v)?,
                })
            })
            .collect(),
        histogram: stats::histogram(&percents),
        units: units_of(rows),
    }
}

/// `report` with the units of a class file ([`crate::units`]): a trainee's unit that is one of
/// a class unit's names (English or Arabic) is shown by its name in `lang`, so that the two
/// names of one department count as one unit; the figures per unit are counted again.
#[must_use]
pub fn with_class_units(
    mut report: Report,
    units: &[crate::units::ClassUnit],
    lang: crate::text::Lang,
) -> Report {
    if units.is_empty() {
        return report;
    }
    for t in &mut report.trainees {
        if let Some(u) = t.unit.as_deref().and_then(|u| crate::units::find(units, u)) {
            t.unit = Some(u.name(lang).to_owned());
        }
    }
    report.summary.units = units_of(&report.trainees);
    report
}

/// Figures per unit; empty when nobody gave a unit.
fn units_of(rows: &[TraineeRow]) -> Vec<UnitRow> {
    if rows.iter().all(|r| r.unit.is_none()) {
        return Vec::new();
    }
    // Units told apart as typed, trimmed and without regard to case.
    let mut groups: BTreeMap<(bool, String), (String, Vec<&TraineeRow>)> = BTreeMap::new();
    for r in rows {
        let unit = r.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
        let key = (
            unit.is_none(),
            unit.map(str::to_lowercase).unwrap_or_default(),
        );
        groups
            .entry(key)
            .or_insert_with(|| (unit.unwrap_or_default().to_owned(), Vec::new()))
            .1
            .push(r);
    }
    groups
        .into_values()
        .filter_map(|(name, members)| {
            let percents: Vec<f64> = members.iter().map(|r| r.percent).collect();
            let passed = members.iter().filter(|r| r.passed).count();
            let mut topics: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
            for r in &members {
                for (t, p) in &r.by_topic {
                    topics.entry(t.as_str()).or_default().push(*p);
                }
            }
            let weakest_topic = topics
                .into_iter()
                .filter_map(|(t, v)| Some((t.to_owned(), mean(&v)?)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            Some(UnitRow {
                unit: (!name.is_empty()).then_some(name),
                n: members.len(),
                mean: mean(&percents)?,
                passed,
                pass_rate: as_f64(passed) / as_f64(members.len()) * 100.0,
                weakest_topic,
            })
        })
        .collect()
}

/// Item analysis of every question of the selected attempts, and the test's reliability.
fn analyse_items(
    selected: &[&HeldAttempt],
    lib: &Library,
    exam: Option<&crate::exam::ExamDef>,
) -> (Vec<ItemStats>, Vec<SlotStats>, TestStats) {
    // The test score of each attempt for item analysis: the sum of its item scores.
    let totals: Vec<f64> = selected
        .iter()
        .map(|r| r.whole().questions.iter().map(|q| q.points).sum())
        .collect();
    // Per question id: (attempt index, the question), first occurrence in each attempt.
    let mut by_qid: BTreeMap<&str, Vec<(usize, &HeldQuestion)>> = BTreeMap::new();
    for (a, r) in selected.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for q in &r.whole().questions {
            if seen.insert(q.qid()) {
                by_qid.entry(q.qid()).or_default().push((a, q));
            }
        }
    }
    let mut items: Vec<ItemStats> = {
        use rayon::prelude::*;
        by_qid
            .par_iter()
            .filter_map(|(qid, obs)| item(qid, obs, &totals, lib))
            .collect()
    };
    items.sort_by(|a, b| a.topic.cmp(&b.topic).then_with(|| a.qid.cmp(&b.qid)));

    let n = selected.len();
    let by_slot = exam.and_then(|e| slot_series(selected, e, lib));
    let slots = match (&by_slot, exam) {
        (Some(by_slot), Some(e)) => slot_stats(by_slot, e, &totals),
        _ => Vec::new(),
    };
    let (basis, series, excluded) = match by_slot {
        Some(by_slot) => (
            Basis::Slots,
            by_slot
                .into_values()
                .map(|obs| obs.into_iter().map(|(p, _, _)| p).collect())
                .collect(),
            0,
        ),
        None => {
            let common: Vec<Vec<f64>> = by_qid
                .values()
                .filter(|obs| n > 0 && obs.len() == n)
                .map(|obs| obs.iter().map(|(_, q)| q.points).collect())
                .collect();
            let excluded = by_qid.len() - common.len();
            (Basis::Questions, common, excluded)
        }
    };
    // The totals over the same items as alpha (not floored, so negative marking shows).
    let item_totals: Vec<f64> = (0..n)
        .map(|a| series.iter().filter_map(|s| s.get(a)).sum())
        .collect();
    let alpha = stats::cronbach_alpha(&series);
    let sd = (!series.is_empty())
        .then(|| sample_sd(&item_totals))
        .flatten();
    let (skewness, kurtosis) = if series.is_empty() {
        (None, None)
    } else {
        stats::skewness_kurtosis(&item_totals)
    };
    let error_ratio = alpha.map(|a| 100.0 * (1.0 - a).max(0.0).sqrt());
    let test = TestStats {
        basis,
        items: series.len(),
        excluded,
        mean: (!series.is_empty()).then(|| mean(&item_totals)).flatten(),
        sd,
        skewness,
        kurtosis,
        alpha,
        error_ratio,
        sem: error_ratio.zip(sd).map(|(e, sd)| e * sd / 100.0),
        min_attempts_for_flags: MIN_ATTEMPTS_FOR_FLAGS,
    };
    (items, slots, test)
}

/// Per slot (pool, draw), for each selected attempt: (points, maximum, question id).
type BySlot<'a> = BTreeMap<(usize, usize), Vec<(f64, f64, &'a str)>>;

/// What each selected attempt scored in each slot of `exam` (pool k, draw i, from 0), in attempt
/// order: (points, maximum, question id) of the question that filled the slot on that trainee's
/// paper. `None` when a recorded paper is not the one the exam draws for that trainee's name.
fn slot_series<'a>(
    selected: &[&'a HeldAttempt],
    exam: &crate::exam::ExamDef,
    lib: &Library,
) -> Option<BySlot<'a>> {
    let mut series: BySlot<'a> = BTreeMap::new();
    let pools = crate::quiz::Pools::new(exam, lib);
    for r in selected {
        let drawn = pools
            .draw_slots(crate::quiz::seed_for(&exam.id, &r.trainee))
            .ok()?;
        if drawn.len() != r.whole().questions.len() {
            return None;
        }
        for ((p, slot), q) in drawn.iter().zip(&r.whole().questions) {
            if p.qid != q.qid() {
                return None;
            }
            series
                .entry(*slot)
                .or_default()
                .push((q.points, q.max, q.qid()));
        }
    }
    let n = selected.len();
    series.values().all(|s| s.len() == n).then_some(series)
}

/// The item analysis of each slot, when some slot was filled by different questions (else the
/// rows of the questions say it all). `totals` are the attempts' test totals.
fn slot_stats(by_slot: &BySlot<'_>, exam: &crate::exam::ExamDef, totals: &[f64]) -> Vec<SlotStats> {
    let distinct =
        |obs: &[(f64, f64, &str)]| obs.iter().map(|o| o.2).collect::<BTreeSet<_>>().len();
    if by_slot.values().all(|obs| distinct(obs) <= 1) {
        return Vec::new();
    }
    by_slot
        .iter()
        .filter_map(|(&(pool, draw), obs)| {
            let x: Vec<f64> = obs.iter().map(|o| o.0).collect();
            let rest: Vec<f64> = obs.iter().zip(totals).map(|(o, t)| t - o.0).collect();
            let max: Vec<f64> = obs.iter().map(|o| o.1).collect();
            let figures = Figures::of(&x, &max, &rest)?;
            Some(SlotStats {
                pool: pool + 1,
                draw: draw + 1,
                topic: exam.pools.get(pool).and_then(|p| p.topic.clone()),
                questions: distinct(obs),
                flags: figures.flags(),
                figures,
            })
        })
        .collect()
}

fn item(
    qid: &str,
    obs: &[(usize, &HeldQuestion)],
    totals: &[f64],
    lib: &Library,
) -> Option<ItemStats> {
    let first = obs.first()?.1;
    let x: Vec<f64> = obs.iter().map(|(_, q)| q.points).collect();
    let rest: Vec<f64> = obs
        .iter()
        .map(|(a, q)| totals.get(*a).copied().unwrap_or(0.0) - q.points)
        .collect();
    let max: Vec<f64> = obs.iter().map(|(_, q)| q.max).collect();
    let mut figures = Figures::of(&x, &max, &rest)?;
    let blank = obs.iter().filter(|(_, q)| q.blank).count();
    figures.blank = Some(blank);
    let lq = lib.question(qid);
    // Drawn against the loaded banks when the attempt was read ([`HeldQuestion::changed`]).
    let changed = lq.is_none() || obs.iter().any(|(_, q)| q.changed);
    // Below the minimum number of attempts the figures are shown but nothing is flagged.
    let mut flags = figures.flags();
    if changed {
        flags.push(Flag::ChangedOrMissing);
    }
    Some(ItemStats {
        qid: qid.to_owned(),
        topic: first.topic().to_string(),
        kind: first.kind().to_string(),
        figures,
        choices: choice_stats(obs, lq.map(|q| &q.kind)),
        flags,
    })
}

/// Distractor analysis. With the question loaded: every choice of the bank, marked right or not.
/// Without it (or if its type changed): the choices seen in the responses, right unknown.
fn choice_stats(obs: &[(usize, &HeldQuestion)], kind: Option<&Kind>) -> Vec<ChoiceStat> {
    let recorded = obs.first().map(|(_, q)| q.kind());
    if !matches!(recorded, Some("single" | "multiple")) {
        return Vec::new();
    }
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for (_, q) in obs {
        for c in q.picks() {
            *counts.entry(c).or_default() += 1;
        }
    }
    let key: Option<(usize, Vec<usize>)> = match kind {
        Some(Kind::Single { choices, answer }) if recorded == Some("single") => {
            Some((choices.len(), vec![*answer]))
        }
        Some(Kind::Multiple { choices, answers }) if recorded == Some("multiple") => {
            Some((choices.len(), answers.clone()))
        }
        _ => None,
    };
    let n = as_f64(obs.len());
    let stat = |index: usize, right: Option<bool>, count: usize| ChoiceStat {
        index,
        letter: letter(index),
        right,
        count,
        percent: as_f64(count) / n * 100.0,
    };
    match key {
        Some((len, right)) => {
            let mut out: Vec<ChoiceStat> = (0..len)
                .map(|i| {
                    stat(
                        i,
                        Some(right.contains(&i)),
                        counts.get(&i).copied().unwrap_or(0),
                    )
                })
                .collect();
            // Picks outside the loaded choices (the bank changed) are still shown.
            out.extend(counts.range(len..).map(|(i, c)| stat(*i, None, *c)));
            out
        }
        None => counts.iter().map(|(i, c)| stat(*i, None, *c)).collect(),
    }
}
