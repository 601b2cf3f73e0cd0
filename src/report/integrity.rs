//! Score integrity: every record is checked against its checksum, its banks and a re-scoring of
//! its stored answers, and records that cannot be trusted are flagged (never deleted).

use super::held::{Choosable, HeldAttempt, Keep, Names};
use crate::bank::Library;
use crate::exam::ExamDef;
use crate::messages::{K, Msg};
use crate::record::{AttemptRecord, BadRecord, Known, trainee_slug};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Slack allowed on a time limit for a record's duration (clock steps, commit time).
pub const TIME_GRACE_MS: i64 = 5_000;

/// What is wrong with a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The checksum does not match the body: the file was edited or damaged.
    Checksum,
    /// The stored total differs from the total re-scored from the stored answers.
    ScoreMismatch {
        /// Stored.
        stored: String,
        /// Recomputed.
        recomputed: String,
    },
    /// A bank the record names is not loaded.
    UnknownBank(String),
    /// A bank changed since the attempt (its content hash differs).
    ChangedBank(String),
    /// Another record has the same attempt id.
    Duplicate(String),
    /// Times that cannot happen (end before start, answers outside the attempt, longer than the
    /// time limit).
    ImpossibleTiming(Timing),
    /// A question the record answered is in none of the loaded banks, so it cannot be
    /// re-scored.
    QuestionMissing,
    /// The signature does not match the instructor key.
    BadSignature,
    /// The record does not follow a rule of the exam as the instructor loaded it.
    ExamRule {
        /// Which rule.
        rule: Rule,
        /// What the record says.
        recorded: String,
        /// What the loaded exam says.
        exam: String,
    },
    /// Another trainee's attempt has exactly the same answers at exactly the same times.
    SameAnswersAs(String),
    /// The trainee name could not have been typed into tipquiz (control or text-direction
    /// characters, too long).
    BadName(Msg),
    /// The unit could not have been typed into tipquiz (as [`Problem::BadName`]).
    BadUnit(Msg),
}

/// A rule of an exam definition that a record is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The paper drawn for the trainee's name (questions, their order, choice orders).
    Paper,
    /// The number of questions.
    QuestionCount,
    /// The maximum score.
    Maximum,
    /// The overall pass mark.
    PassMark,
    /// The time limit.
    TimeLimit,
    /// Negative marking.
    NegativeMarking,
    /// Speed points.
    SpeedPoints,
    /// Speed window.
    SpeedWindow,
    /// Partial credit.
    PartialCredit,
    /// The score of the answers under the exam's rules.
    Score,
    /// A topic's score under the exam's rules.
    TopicScore,
    /// Passed or not under the exam's pass marks (overall and per topic).
    Result,
}

impl Rule {
    fn message(self) -> Msg {
        match self {
            Rule::Paper => K::RulePaper,
            Rule::QuestionCount => K::RuleQuestionCount,
            Rule::Maximum => K::RuleMaximum,
            Rule::PassMark => K::RulePassMark,
            Rule::TimeLimit => K::RuleTimeLimit,
            Rule::NegativeMarking => K::RuleNegativeMarking,
            Rule::SpeedPoints => K::RuleSpeedPoints,
            Rule::SpeedWindow => K::RuleSpeedWindow,
            Rule::PartialCredit => K::RulePartialCredit,
            Rule::Score => K::RuleScore,
            Rule::TopicScore => K::RuleTopicScore,
            Rule::Result => K::RuleResult,
        }
        .into()
    }
}

/// Times that cannot happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timing {
    /// The attempt ends before it starts.
    EndsBeforeStart,
    /// It took longer than its time limit (seconds).
    OverLimit(u32),
    /// An answer is dated outside the attempt.
    AnswerOutside,
}

impl Problem {
    /// In words, in English (as JSON and CSV give it).
    #[must_use]
    pub fn describe(&self) -> String {
        self.message().en()
    }

    /// In words, in any language.
    #[must_use]
    pub fn message(&self) -> Msg {
        match self {
            Problem::Checksum => K::ProbChecksum.into(),
            Problem::ScoreMismatch { stored, recomputed } => Msg::new(
                K::ProbScoreMismatch,
                vec![
                    crate::messages::num(stored),
                    crate::messages::num(recomputed),
                ],
            ),
            Problem::UnknownBank(b) => Msg::new(K::ProbUnknownBank, vec![b.into()]),
            Problem::QuestionMissing => K::ProbQuestionMissing.into(),
            Problem::ChangedBank(b) => Msg::new(K::ProbChangedBank, vec![b.into()]),
            Problem::Duplicate(f) => Msg::new(K::ProbDuplicate, vec![f.into()]),
            Problem::ImpossibleTiming(w) => {
                let why: Msg = match w {
                    Timing::EndsBeforeStart => K::TimingEndsBeforeStart.into(),
                    Timing::OverLimit(s) => Msg::new(K::TimingOverLimit, vec![(*s).into()]),
                    Timing::AnswerOutside => K::TimingAnswerOutside.into(),
                };
                Msg::new(K::ProbImpossibleTiming, vec![why.into()])
            }
            Problem::BadSignature => K::ProbBadSignature.into(),
            Problem::ExamRule {
                rule,
                recorded,
                exam,
            } => Msg::new(
                K::ProbExamRule,
                vec![rule.message().into(), figure(recorded), figure(exam)],
            ),
            Problem::BadName(why) => Msg::new(K::ProbBadName, vec![why.clone().into()]),
            Problem::BadUnit(why) => Msg::new(K::ProbBadUnit, vec![why.clone().into()]),
            // The name as the record gives it: JSON and CSV carry it as it is, and the text
            // report and the command line escape it as they print it.
            Problem::SameAnswersAs(name) => Msg::new(K::ProbSameAnswers, vec![name.into()]),
        }
    }

    /// Whether the record's figures must be left out of the statistics.
    #[must_use]
    pub fn excludes(&self) -> bool {
        !matches!(
            self,
            Problem::UnknownBank(_) | Problem::QuestionMissing | Problem::ChangedBank(_)
        )
    }
}

/// What records are checked against: the loaded banks, the loaded exam definitions (a record of
/// an exam that is not loaded, such as a quick quiz, is checked against its banks only) and the
/// instructor's key, if any.
#[derive(Clone, Copy, Debug)]
pub struct Rules<'a> {
    /// The loaded banks.
    pub lib: &'a Library,
    /// The loaded exams.
    pub exams: &'a [ExamDef],
    /// The instructor's (or class server's) key.
    pub key: Option<&'a [u8]>,
}

/// A rule's value as an argument: a count, a mark or a time the program wrote follows the digit
/// setting; a list of question ids or a word stays as it is.
fn figure(v: &str) -> crate::messages::Arg {
    if v.bytes().any(|b| b.is_ascii_digit())
        && v.bytes()
            .all(|b| b.is_ascii_digit() || b".%/ ".contains(&b))
    {
        crate::messages::num(v)
    } else {
        v.into()
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

fn limit(l: Option<u32>) -> String {
    l.map_or_else(|| "none".to_owned(), |s| format!("{s} s"))
}

/// Check a record against the exam as the instructor loaded it: the paper drawn for the
/// trainee's name (the draw is deterministic), the number of questions and the maximum, the pass
/// mark, the time limit, the scoring rules, and the score, topic scores and result of its
/// answers under those rules. Each difference is its own problem.
#[must_use]
pub fn check_against_exam(r: &AttemptRecord, exam: &ExamDef, lib: &Library) -> Vec<Problem> {
    check_against_pools(r, &crate::quiz::Pools::new(exam, lib), lib)
}

/// [`check_against_exam`] with the exam's pools already matched against the banks.
fn check_against_pools(
    r: &AttemptRecord,
    pools: &crate::quiz::Pools<'_>,
    lib: &Library,
) -> Vec<Problem> {
    let exam = pools.exam();
    let paper = pools.draw(crate::quiz::seed_for(&exam.id, &r.trainee)).ok();
    check_against_paper(r, exam, lib, paper.as_deref())
}

/// [`check_against_exam`] with the paper the exam draws for the record's trainee already drawn
/// (`None` when it cannot be drawn). Figures are written out only for a difference (this runs
/// for every record of a report).
fn check_against_paper(
    r: &AttemptRecord,
    exam: &ExamDef,
    lib: &Library,
    paper: Option<&[crate::quiz::PaperItem]>,
) -> Vec<Problem> {
    let mut p = Vec::new();
    let wanted: usize = exam.pools.iter().map(|p| p.count).sum();
    if r.questions.len() != wanted {
        differ(
            &mut p,
            Rule::QuestionCount,
            r.questions.len().to_string(),
            wanted.to_string(),
        );
    }
    if let Some(paper) = paper {
        let same = |(q, w): (&crate::record::RecordQuestion, &crate::quiz::PaperItem)| {
            q.qid == w.qid && q.order == w.order
        };
        if r.questions.len() != paper.len() || !r.questions.iter().zip(paper).all(same) {
            let got: Vec<(&str, &[usize])> = r
                .questions
                .iter()
                .map(|q| (q.qid.as_str(), q.order.as_slice()))
                .collect();
            let want: Vec<(&str, &[usize])> = paper
                .iter()
                .map(|q| (q.qid.as_str(), q.order.as_slice()))
                .collect();
            let at = got
                .iter()
                .zip(&want)
                .position(|(a, b)| a != b)
                .unwrap_or(got.len().min(want.len()));
            let show = |v: &[(&str, &[usize])]| {
                v.get(at).map_or_else(
                    || "(none)".to_owned(),
                    |(q, o)| format!("question {} = {q} {o:?}", at + 1),
                )
            };
            differ(&mut p, Rule::Paper, show(&got), show(&want));
        }
        let max: f64 = paper
            .iter()
            .filter_map(|q| lib.question(&q.qid))
            .map(|q| f64::from(q.points))
            .sum();
        differ_num(&mut p, Rule::Maximum, r.max, max);
    }
    differ_num(&mut p, Rule::PassMark, r.pass_mark, exam.pass_mark);
    if r.time_limit != exam.time_limit {
        differ(
            &mut p,
            Rule::TimeLimit,
            limit(r.time_limit),
            limit(exam.time_limit),
        );
    }
    let (a, b) = (&r.scoring, &exam.scoring);
    differ_num(
        &mut p,
        Rule::NegativeMarking,
        a.negative_marking,
        b.negative_marking,
    );
    if a.speed_points != b.speed_points {
        differ(
            &mut p,
            Rule::SpeedPoints,
            yes_no(a.speed_points),
            yes_no(b.speed_points),
        );
    }
    if b.speed_points && a.speed_window != b.speed_window {
        differ(
            &mut p,
            Rule::SpeedWindow,
            format!("{} s", a.speed_window),
            format!("{} s", b.speed_window),
        );
    }
    if a.partial_credit != b.partial_credit {
        differ(
            &mut p,
            Rule::PartialCredit,
            yes_no(a.partial_credit),
            yes_no(b.partial_credit),
        );
    }
    if let Some(sheet) = r.rescore_under(exam, lib) {
        if (sheet.total.points - r.score).abs() > 1e-6 {
            differ(&mut p, Rule::Score, num(r.score), num(sheet.total.points));
        }
        for (topic, t) in &sheet.by_topic {
            let got = r.by_topic.get(topic).map_or(0.0, |x| x.points);
            if (got - t.points).abs() > 1e-6 {
                differ(
                    &mut p,
                    Rule::TopicScore,
                    format!("{topic} {}", num(got)),
                    format!("{topic} {}", num(t.points)),
                );
            }
        }
        if r.passed != sheet.passed {
            differ(&mut p, Rule::Result, yes_no(r.passed), yes_no(sheet.passed));
        }
    }
    if let Some(l) = exam.time_limit
        && r.ended_at - r.started_at > i64::from(l) * 1000 + TIME_GRACE_MS
        && r.time_limit != Some(l)
    {
        p.push(Problem::ImpossibleTiming(Timing::OverLimit(l)));
    }
    p
}

/// A rule the record does not follow: what it says differs from what the loaded exam says.
fn differ(p: &mut Vec<Problem>, rule: Rule, recorded: String, exam: String) {
    if recorded != exam {
        p.push(Problem::ExamRule {
            rule,
            recorded,
            exam,
        });
    }
}

/// [`differ`] on two numbers as [`num`] writes them (the same bits always write the same, so
/// only numbers that may differ are written out).
fn differ_num(p: &mut Vec<Problem>, rule: Rule, recorded: f64, exam: f64) {
    if recorded.to_bits() != exam.to_bits() {
        differ(p, rule, num(recorded), num(exam));
    }
}

/// A fingerprint of what a trainee did: every answer and every time, relative to the start.
/// `None` for an attempt without any answer (two blank attempts are not a copy of each other).
fn conduct(r: &AttemptRecord) -> Option<[u8; 32]> {
    if r.questions.iter().all(|q| q.response.is_none()) {
        return None;
    }
    /// JSON written straight into the digest (this runs for every record of a report: no
    /// text or JSON values are built on the way).
    struct Hashing<'a>(&'a mut Sha256);
    impl std::io::Write for Hashing<'_> {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.update(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Sha256::new();
    h.update(r.exam_id.as_bytes());
    let rel = |t: Option<i64>| t.map(|t| t - r.started_at);
    for q in &r.questions {
        // Serialising these to memory cannot fail.
        let _ = serde_json::to_writer(
            Hashing(&mut h),
            &(
                &q.qid,
                &q.response,
                rel(q.answered_at),
                rel(q.first_shown),
                &q.history,
            ),
        );
        h.update([0]);
    }
    h.update((r.ended_at - r.started_at).to_le_bytes());
    Some(h.finalize().into())
}

/// Check every record. Returns, per record index, its problems (empty when sound).
#[must_use]
pub fn check_records(
    records: &[(String, AttemptRecord)],
    lib: &Library,
    key: Option<&[u8]>,
) -> Vec<Vec<Problem>> {
    check_records_known(records, &[], lib, key)
}

/// [`check_records`], with the checksum verdicts and re-scored totals already known for the
/// first records (from the results index: see [`crate::record::load_indexed`]); the others are
/// computed.
#[must_use]
pub fn check_records_known(
    records: &[(String, AttemptRecord)],
    known: &[Known],
    lib: &Library,
    key: Option<&[u8]>,
) -> Vec<Vec<Problem>> {
    check_with(
        records,
        known,
        Rules {
            lib,
            exams: &[],
            key,
        },
    )
}

/// [`check_records_known`], and each record of a loaded exam against that exam
/// ([`check_against_exam`]); and attempts with identical answers and timings under different
/// names are flagged, both of them.
#[must_use]
pub fn check_with(
    records: &[(String, AttemptRecord)],
    known: &[Known],
    rules: Rules<'_>,
) -> Vec<Vec<Problem>> {
    use rayon::prelude::*;
    // The checks of one record (checksum, signature, re-scoring, timing) run on every core; the
    // checks across records, which compare them, run after, in order.
    let pools: Vec<crate::quiz::Pools<'_>> = rules
        .exams
        .iter()
        .map(|e| crate::quiz::Pools::new(e, rules.lib))
        .collect();
    let own: Vec<OwnChecks> = records
        .par_iter()
        .enumerate()
        .map(|(i, (_, r))| check_own(r, known.get(i), rules, &pools))
        .collect();
    let refs: Vec<(&str, &AttemptRecord)> = records.iter().map(|(f, r)| (f.as_str(), r)).collect();
    check_across(&refs, own)
}

/// What the checks of one record found on its own, before the checks across records
/// ([`check_across`]): a record's own checks never change while its file and the rules stay
/// the same, so a caller that keeps records (the live board) runs them once per record.
#[derive(Clone, Debug)]
pub struct OwnChecks {
    /// The problems found, when there are any (most records have none, and a folder's worth of
    /// these is held while it is read): those listed before a duplicate attempt id, and those
    /// listed after it (timing).
    found: Option<Box<(Vec<Problem>, Vec<Problem>)>>,
    /// The fingerprint of the trainee's conduct ([`conduct`]).
    print: Option<[u8; 32]>,
}

/// The checks of one record on its own: seal, signature, banks, re-scoring, name, the loaded
/// exam's rules and timing. `known`: what the results index or the file's bytes said of it.
#[must_use]
pub fn check_one(r: &AttemptRecord, known: Option<&Known>, rules: Rules<'_>) -> OwnChecks {
    let pools: Vec<crate::quiz::Pools<'_>> = rules
        .exams
        .iter()
        .filter(|e| e.id == r.exam_id)
        .map(|e| crate::quiz::Pools::new(e, rules.lib))
        .collect();
    check_own(r, known, rules, &pools)
}

/// [`check_one`], with the pools of the loaded exams matched (`pools`, of `rules.exams`, or
/// of some of them: a record of an exam without its pools here is checked against the banks
/// only, as the record of an exam not loaded).
fn check_own(
    r: &AttemptRecord,
    known: Option<&Known>,
    rules: Rules<'_>,
    pools: &[crate::quiz::Pools<'_>],
) -> OwnChecks {
    let Rules { lib, key, .. } = rules;
    let mut p = Vec::new();
    // A record read from a file carries what its bytes said; one built in memory is
    // checked as it would be written.
    let seal = known.map_or_else(|| r.seal_in_memory(), |k| k.seal);
    if !seal.checksum_ok {
        p.push(Problem::Checksum);
    }
    if let Some(k) = key
        && !seal.signature_ok(r, k)
    {
        p.push(Problem::BadSignature);
    }
    let mut bank_ok = true;
    for (bank, hash) in &r.banks {
        match lib.bank(bank) {
            None => {
                p.push(Problem::UnknownBank(bank.clone()));
                bank_ok = false;
            }
            Some(b) if b.hash != *hash => {
                p.push(Problem::ChangedBank(bank.clone()));
                bank_ok = false;
            }
            Some(_) => {}
        }
    }
    if bank_ok {
        // The banks have the hashes the record names, so a total re-scored against
        // them before still holds.
        let rescored = known
            .and_then(|k| k.rescored)
            .unwrap_or_else(|| r.rescore(lib));
        match rescored {
            Some(total) if (total - r.score).abs() > 1e-6 => {
                p.push(Problem::ScoreMismatch {
                    stored: fmt(r.score),
                    recomputed: fmt(total),
                });
            }
            None => p.push(Problem::QuestionMissing),
            Some(_) => {}
        }
        let sum: f64 = r.questions.iter().map(|q| q.points).sum();
        if (sum.max(0.0) - r.score).abs() > 1e-6 {
            p.push(Problem::ScoreMismatch {
                stored: fmt(r.score),
                recomputed: fmt(sum.max(0.0)),
            });
        }
    }
    if let Some(why) = crate::record::name_problem(&r.trainee) {
        p.push(Problem::BadName(why));
    }
    if let Some(why) = r.unit.as_deref().and_then(crate::exam::unit_problem) {
        p.push(Problem::BadUnit(why));
    }
    if bank_ok && let Some(pools) = pools.iter().find(|p| p.exam().id == r.exam_id) {
        p.extend(check_against_pools(r, pools, lib));
    }
    let mut after = Vec::new();
    if r.ended_at < r.started_at {
        after.push(Problem::ImpossibleTiming(Timing::EndsBeforeStart));
    } else if let Some(limit) = r.time_limit {
        // The clock runs through pauses, so they do not extend the limit.
        if r.ended_at - r.started_at > i64::from(limit) * 1000 + TIME_GRACE_MS {
            after.push(Problem::ImpossibleTiming(Timing::OverLimit(limit)));
        }
    }
    if r.questions.iter().any(|q| {
        q.answered_at
            .is_some_and(|a| a < r.started_at || a > r.ended_at + TIME_GRACE_MS)
    }) {
        after.push(Problem::ImpossibleTiming(Timing::AnswerOutside));
    }
    OwnChecks {
        found: (!p.is_empty() || !after.is_empty()).then(|| Box::new((p, after))),
        print: conduct(r),
    }
}

/// The checks across records, after each record's own ([`check_one`], `own[i]` of
/// `records[i]`, given as (file name, record) in file-name order): a second record with an
/// attempt id already seen, and identical conduct under different names. Returns, per record,
/// every problem.
#[must_use]
pub fn check_across<C: Choosable>(
    records: &[(&str, &C)],
    own: Vec<OwnChecks>,
) -> Vec<Vec<Problem>> {
    // Identical conduct under different names: the records of such a group are flagged with the
    // others' names. When some of them fail other checks (a copy's paper is not the one drawn
    // for its name) and others pass them all, the ones that fail are the copies: only they are
    // flagged, naming the attempt they copy, which counts. When they cannot be told apart, all
    // are flagged.
    let clean: Vec<bool> = own.iter().map(|o| o.found.is_none()).collect();
    let mut groups: HashMap<[u8; 32], Vec<usize>> = HashMap::new();
    for (i, o) in own.iter().enumerate() {
        if let Some(f) = o.print {
            groups.entry(f).or_default().push(i);
        }
    }
    let mut copies: Vec<Vec<String>> = vec![Vec::new(); records.len()];
    for members in groups.values().filter(|m| m.len() > 1) {
        let told_apart = members.iter().any(|&i| clean[i]) && members.iter().any(|&i| !clean[i]);
        for &i in members.iter().filter(|&&i| !(told_apart && clean[i])) {
            let me = trainee_slug(records[i].1.trainee());
            for &j in members {
                let other = records[j].1.trainee();
                if trainee_slug(other) != me && !copies[i].iter().any(|c| c == other) {
                    copies[i].push(other.to_owned());
                }
            }
        }
    }
    let mut seen: HashMap<&str, &str> = HashMap::new();
    records
        .iter()
        .zip(own)
        .zip(copies)
        .map(|((&(file, r), own), copies)| {
            let (mut p, after) = own.found.map(|f| *f).unwrap_or_default();
            if let Some(first) = seen.insert(r.attempt_id(), file) {
                p.push(Problem::Duplicate(first.to_owned()));
            }
            p.extend(after);
            p.extend(copies.into_iter().map(Problem::SameAnswersAs));
            p
        })
        .collect()
}

/// A number as Rust writes it shortest (so that 0.25 and 0.249 differ), never `-0`.
fn num(x: f64) -> String {
    if x == 0.0 {
        "0".to_owned()
    } else {
        format!("{x}")
    }
}

fn fmt(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// The checks of [`check_with`] over records given a batch at a time, as a results folder is
/// read ([`crate::record::Store::visit_cached`]): each record's own checks run as it comes (on
/// every core), and then only what the checks across records and the instructor's views use is
/// kept of it ([`HeldAttempt`]), so a folder of any size is never held whole.
///
/// With [`Screening::counting`], only the attempt of each trainee at each exam that counts so
/// far is kept whole: an attempt that another of the trainee's attempts replaces, or that fails
/// its own checks, is made thin as soon as it is known ([`HeldAttempt::thin`]). What is held
/// beyond a thin entry per attempt then grows with the trainees, not with their attempts.
pub struct Screening<'a> {
    rules: Rules<'a>,
    pools: Vec<crate::quiz::Pools<'a>>,
    /// The file name of each record kept, in the order of `kept`.
    names: Vec<String>,
    kept: Vec<HeldAttempt>,
    own: Vec<OwnChecks>,
    unreadable: Vec<BadRecord>,
    /// What of each question is kept.
    keep: Keep,
    /// The ids, topics and titles repeated from record to record, held once.
    shared: Names,
    /// The choice of attempt per trainee, when only the chosen attempts keep their questions.
    counted: Option<super::Which>,
    /// The attempt that counts so far (its place in `kept`), by exam and trainee's slug.
    leaders: HashMap<(std::sync::Arc<str>, String), usize>,
}

/// What [`Screening::finish`] gives: the records that count (held compact), the name of each
/// one's file, the files that could not be read, and the flagged records, each in file-name
/// order.
#[derive(Debug, Default)]
pub struct Screened {
    /// The records that count.
    pub records: Vec<HeldAttempt>,
    /// The file name of each of `records`.
    pub files: Vec<String>,
    /// Files that could not be read.
    pub unreadable: Vec<BadRecord>,
    /// Flagged records.
    pub flagged: Vec<BadRecord>,
}

impl<'a> Screening<'a> {
    /// Checks under `rules`.
    #[must_use]
    pub fn new(rules: Rules<'a>) -> Screening<'a> {
        Screening {
            rules,
            pools: rules
                .exams
                .iter()
                .map(|e| crate::quiz::Pools::new(e, rules.lib))
                .collect(),
            names: Vec::new(),
            kept: Vec::new(),
            own: Vec::new(),
            unreadable: Vec::new(),
            keep: Keep::Figures,
            shared: Names::default(),
            counted: None,
            leaders: HashMap::new(),
        }
    }

    /// Keep `keep` of each question (the figures only, unless told otherwise).
    #[must_use]
    pub fn keeping(mut self, keep: Keep) -> Screening<'a> {
        self.keep = keep;
        self
    }

    /// Keep whole only the attempts that `which` chooses, the others thin (see the type's
    /// text); `None`: every attempt whole.
    #[must_use]
    pub fn counting(mut self, which: Option<super::Which>) -> Screening<'a> {
        self.counted = which;
        self
    }

    /// Check the next files of the folder (in file-name order); `left`: how many are still to
    /// come after these (room for every one is made at the first batch, so that a folder of
    /// 50,000 records is not held in lists grown by doubling, up to twice its size).
    pub fn add(&mut self, batch: Vec<crate::record::Found>, left: usize) {
        use rayon::prelude::*;
        if self.kept.is_empty() {
            let all = batch.len() + left;
            self.names.reserve_exact(all);
            self.kept.reserve_exact(all);
            self.own.reserve_exact(all);
        }
        let (rules, pools) = (self.rules, &self.pools);
        let slugs = self.counted.is_some();
        type Checked = (String, AttemptRecord, OwnChecks, Option<String>);
        let checked: Vec<Result<Checked, BadRecord>> = batch
            .into_par_iter()
            .map(|f| match f.got {
                Ok((r, known)) => {
                    let own = check_own(&r, Some(&known), rules, pools);
                    let slug = slugs.then(|| trainee_slug(&r.trainee));
                    Ok((f.name, r, own, slug))
                }
                Err(e) => Err(BadRecord {
                    file: f.name,
                    trainee: String::new(),
                    exam_id: String::new(),
                    reason: e.message(),
                }),
            })
            .collect();
        for c in checked {
            match c {
                Ok((name, r, own, slug)) => {
                    let alone_sound = own.count();
                    self.names.push(name);
                    self.kept
                        .push(HeldAttempt::of(r, rules.lib, self.keep, &mut self.shared));
                    self.own.push(own);
                    if let (Some(which), Some(slug)) = (self.counted, slug) {
                        self.contest(which, slug, alone_sound);
                    }
                }
                Err(b) => self.unreadable.push(b),
            }
        }
    }

    /// The attempt just kept against the one of its trainee that counts so far: the one that
    /// does not count gives its questions back.
    fn contest(&mut self, which: super::Which, slug: String, alone_sound: bool) {
        use std::collections::hash_map::Entry;
        let new = self.kept.len() - 1;
        if !alone_sound {
            self.kept[new].thin();
            return;
        }
        let exam = std::sync::Arc::clone(&self.kept[new].exam_id);
        match self.leaders.entry((exam, slug)) {
            Entry::Vacant(e) => {
                e.insert(new);
            }
            Entry::Occupied(mut e) => {
                let old = *e.get();
                if which.prefers(&self.kept[new], &self.kept[old]) {
                    self.kept[old].thin();
                    e.insert(new);
                } else {
                    self.kept[new].thin();
                }
            }
        }
    }

    /// The checks across records, then what counts and what does not ([`Screened`]).
    #[must_use]
    pub fn finish(self) -> Screened {
        let refs: Vec<(&str, &HeldAttempt)> = self
            .names
            .iter()
            .map(String::as_str)
            .zip(&self.kept)
            .collect();
        let problems = check_across(&refs, self.own);
        drop(refs);
        let mut flagged = Vec::new();
        let counted: Vec<bool> = self
            .names
            .iter()
            .zip(&self.kept)
            .zip(&problems)
            .map(|((file, r), p)| {
                flagged.extend(flag(file, r, p));
                counts(p)
            })
            .collect();
        // The records that count are kept where they are (not copied into a second list of
        // the folder's size), and the list is cut to their number.
        let (mut records, mut files) = (self.kept, self.names);
        let mut each = counted.iter();
        records.retain(|_| each.next().copied().unwrap_or(false));
        let mut each = counted.iter();
        files.retain(|_| each.next().copied().unwrap_or(false));
        records.shrink_to_fit();
        files.shrink_to_fit();
        Screened {
            records,
            files,
            unreadable: self.unreadable,
            flagged,
        }
    }
}

impl OwnChecks {
    /// Whether these problems leave the record counted, before the checks across records.
    #[must_use]
    pub fn count(&self) -> bool {
        self.found
            .as_ref()
            .is_none_or(|f| counts(&f.0) && counts(&f.1))
    }
}

/// Split records into the ones the statistics may use and the flagged ones (as bad-record
/// entries, kept in the report).
#[must_use]
pub fn screen(
    records: Vec<(String, AttemptRecord)>,
    lib: &Library,
    key: Option<&[u8]>,
) -> (Vec<AttemptRecord>, Vec<BadRecord>) {
    screen_known(records, &[], lib, key)
}

/// [`screen`], with what is already known of the first records (see [`check_records_known`]).
#[must_use]
pub fn screen_known(
    records: Vec<(String, AttemptRecord)>,
    known: &[Known],
    lib: &Library,
    key: Option<&[u8]>,
) -> (Vec<AttemptRecord>, Vec<BadRecord>) {
    screen_with(
        records,
        known,
        Rules {
            lib,
            exams: &[],
            key,
        },
    )
}

/// [`screen_known`] with every check of [`check_with`].
#[must_use]
pub fn screen_with(
    records: Vec<(String, AttemptRecord)>,
    known: &[Known],
    rules: Rules<'_>,
) -> (Vec<AttemptRecord>, Vec<BadRecord>) {
    let problems = check_with(&records, known, rules);
    let mut good = Vec::with_capacity(records.len());
    let mut flagged = Vec::new();
    for ((file, r), p) in records.into_iter().zip(problems) {
        flagged.extend(flag(&file, &r, &p));
        if counts(&p) {
            good.push(r);
        }
    }
    (good, flagged)
}

/// The entry of a record with problems `p` among the flagged (`None` when it has none).
#[must_use]
pub fn flag<C: Choosable>(file: &str, r: &C, p: &[Problem]) -> Option<BadRecord> {
    (!p.is_empty()).then(|| BadRecord {
        file: file.to_owned(),
        trainee: r.trainee().to_owned(),
        exam_id: r.exam_id().to_owned(),
        reason: p
            .iter()
            .map(Problem::message)
            .reduce(|a, b| Msg::new(K::ReasonSep, vec![a.into(), b.into()]))
            .unwrap_or_else(|| Msg::raw("")),
    })
}

/// Whether a record with problems `p` counts in the statistics.
#[must_use]
pub fn counts(p: &[Problem]) -> bool {
    !p.iter().any(Problem::excludes)
}
