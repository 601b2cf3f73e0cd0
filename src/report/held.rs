//! An attempt as the instructor's views hold it: what `report`, `export`, `history` and `close`
//! use of a record, a few hundred bytes, in place of the whole record (kilobytes). A results
//! folder of tens of thousands of records is read a batch at a time (the class's read path);
//! each record is checked whole as it comes, then only this form
//! of it is kept, so the memory held grows with the class by about what its table of trainees
//! shows, not by whole records.
//!
//! The ids, topics and type names repeated from record to record are held once for the class
//! ([`Names`]). Per question: the points, the maximum, the choices picked and two verdicts the
//! item analysis needs, drawn against the loaded banks once; the answer as given only when an
//! export of the responses asks for it ([`Keep::Answers`]).

use std::collections::HashSet;
use std::sync::Arc;

use crate::bank::Library;
use crate::quiz::EndReason;
use crate::quiz::{Millis, Response, Tally, Verdict};
use crate::record::{AttemptRecord, RecordQuestion};
use crate::text::Lang;

/// What of each question is kept beyond the figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// No question at all: the attempt's own figures (export of attempts, history, close).
    Summary,
    /// The figures of each question (the report's item analysis).
    Figures,
    /// The figures and the answers as given (export of the responses).
    Answers,
}

/// Strings repeated from record to record, held once: each distinct text one shared block, and
/// each question (its id, topic and type) one shared [`QuestionId`].
#[derive(Debug, Default)]
pub struct Names {
    texts: HashSet<Arc<str>>,
    questions: std::collections::HashMap<Arc<str>, Vec<Arc<QuestionId>>>,
}

impl Names {
    /// The one shared copy of `s`.
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.texts.get(s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(s);
        self.texts.insert(Arc::clone(&a));
        a
    }

    /// The one shared identity of the question `qid` of `topic` and type `kind`.
    pub fn question(&mut self, qid: &str, topic: &str, kind: &str) -> Arc<QuestionId> {
        if let Some(q) = self
            .questions
            .get(qid)
            .and_then(|v| v.iter().find(|q| *q.topic == *topic && *q.kind == *kind))
        {
            return Arc::clone(q);
        }
        let q = Arc::new(QuestionId {
            qid: self.get(qid),
            topic: self.get(topic),
            kind: self.get(kind),
        });
        self.questions
            .entry(Arc::clone(&q.qid))
            .or_default()
            .push(Arc::clone(&q));
        q
    }
}

/// What names a question in a record: its id, topic and type (one shared block per question
/// for the class).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionId {
    /// Question id.
    pub qid: Arc<str>,
    /// Topic.
    pub topic: Arc<str>,
    /// Type name.
    pub kind: Arc<str>,
}

/// Per topic, the points earned and available, in topic order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Topics(Box<[(Arc<str>, Tally)]>);

impl Topics {
    /// The tally of `topic`.
    #[must_use]
    pub fn get(&self, topic: &str) -> Option<&Tally> {
        self.0
            .binary_search_by(|(t, _)| (**t).cmp(topic))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, tally)| tally)
    }

    /// Each topic with its tally, in topic order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Tally)> {
        self.0.iter().map(|(t, tally)| (&**t, tally))
    }

    /// The topics, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(t, _)| &**t)
    }
}

/// The answer to a question as given, kept for an export of the responses.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// Display order of choices / items / right column.
    pub order: Vec<usize>,
    /// Final response.
    pub response: Option<Response>,
    /// Credit 0..1.
    pub credit: f64,
    /// Verdict.
    pub verdict: Verdict,
    /// When it was given.
    pub answered_at: Option<Millis>,
}

/// A question of a held attempt (40 bytes: a class holds tens of thousands of attempts of 30
/// questions and more).
#[derive(Clone, Debug, PartialEq)]
pub struct HeldQuestion {
    /// Its id, topic and type.
    pub id: Arc<QuestionId>,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max: f64,
    /// The answer as given ([`Keep::Answers`] only).
    pub answer: Option<Box<Answer>>,
    /// The choices picked (a `single` or `multiple` answer), one bit each.
    picks: u32,
    /// Left blank (a blank verdict, or an empty answer).
    pub blank: bool,
    /// Not in the loaded banks, or its type there is not the one answered, or the answer no
    /// longer fits it (choices removed).
    pub changed: bool,
}

impl HeldQuestion {
    /// Question id.
    #[must_use]
    pub fn qid(&self) -> &str {
        &self.id.qid
    }

    /// Topic.
    #[must_use]
    pub fn topic(&self) -> &str {
        &self.id.topic
    }

    /// Type name.
    #[must_use]
    pub fn kind(&self) -> &str {
        &self.id.kind
    }

    /// The choices picked, each once, in order. A bank has at most
    /// [`crate::bank::MAX_CHOICES`] choices a question; a pick beyond the 32nd choice, which
    /// no bank can have had, is not kept.
    pub fn picks(&self) -> impl Iterator<Item = usize> + use<> {
        let bits = self.picks;
        (0..32).filter(move |i| bits & (1 << i) != 0)
    }
}

/// An attempt as the instructor's views hold it (see the module's text): its figures, and the
/// rest of it ([`Whole`]) unless it was made thin.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldAttempt {
    /// Unique attempt id.
    pub attempt_id: Box<str>,
    /// Trainee name or id, as typed (one shared copy for the trainee's attempts).
    pub trainee: Arc<str>,
    /// Exam id.
    pub exam_id: Arc<str>,
    /// Interface language.
    pub lang: Lang,
    /// Start.
    pub started_at: Millis,
    /// End.
    pub ended_at: Millis,
    /// Why it ended.
    pub end_reason: EndReason,
    /// Total score.
    pub score: f64,
    /// Maximum score.
    pub max: f64,
    /// Percentage.
    pub percent: f64,
    /// Pass mark in percent.
    pub pass_mark: f64,
    /// Passed.
    pub passed: bool,
    /// The rest; `None` once made thin ([`HeldAttempt::thin`]).
    rest: Option<Box<Whole>>,
}

/// What an attempt that counts holds beyond its figures: an attempt made thin gives it back
/// ([`HeldAttempt::thin`]; a folder of 50,000 attempts of 40 trainees holds 40 of these per
/// exam, not 50,000).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Whole {
    /// The trainee's unit or department, when given (one shared copy for the class).
    pub unit: Option<Arc<str>>,
    /// Exam title in English (or the exam's first language).
    pub exam_title: Arc<str>,
    /// Topics whose own pass mark was missed.
    pub failed_topics: Box<[Arc<str>]>,
    /// Per topic.
    pub by_topic: Topics,
    /// Per question, in the order shown; none when they were not kept ([`Keep::Summary`]).
    pub questions: Box<[HeldQuestion]>,
}

/// What a thin attempt answers for [`HeldAttempt::whole`]: nothing.
static NOTHING: std::sync::LazyLock<Whole> = std::sync::LazyLock::new(Whole::default);

impl HeldAttempt {
    /// What the views keep of `r`, its questions drawn against the loaded banks `lib`.
    #[must_use]
    pub fn of(r: AttemptRecord, lib: &Library, keep: Keep, names: &mut Names) -> HeldAttempt {
        let questions = if keep == Keep::Summary {
            Box::default()
        } else {
            r.questions
                .into_iter()
                .map(|q| held_question(q, lib, keep, names))
                .collect()
        };
        HeldAttempt {
            attempt_id: r.attempt_id.into_boxed_str(),
            trainee: names.get(&r.trainee),
            exam_id: names.get(&r.exam_id),
            lang: r.lang,
            started_at: r.started_at,
            ended_at: r.ended_at,
            end_reason: r.end_reason,
            score: r.score,
            max: r.max,
            percent: r.percent,
            pass_mark: r.pass_mark,
            passed: r.passed,
            rest: Some(Box::new(Whole {
                unit: r.unit.as_deref().map(|u| names.get(u)),
                exam_title: names.get(&r.exam_title),
                failed_topics: r.failed_topics.iter().map(|t| names.get(t)).collect(),
                by_topic: Topics(
                    r.by_topic
                        .into_iter()
                        .map(|(t, tally)| (names.get(&t), tally))
                        .collect(),
                ),
                questions,
            })),
        }
    }

    /// Made thin: what is left is what the views need of an attempt that does not count (who,
    /// which exam, when, how it ended, its total); the rest ([`Whole`]) is given back.
    pub fn thin(&mut self) {
        self.rest = None;
    }

    /// Whether it was made thin.
    #[must_use]
    pub fn is_thin(&self) -> bool {
        self.rest.is_none()
    }

    /// The rest of the attempt: its unit, exam title, topics and questions (all empty for a
    /// thin one, which only the attempts that do not count are).
    #[must_use]
    pub fn whole(&self) -> &Whole {
        self.rest.as_deref().unwrap_or(&NOTHING)
    }

    /// [`HeldAttempt::of`] each of `records` (copied).
    #[must_use]
    pub fn all_of(records: &[AttemptRecord], lib: &Library, keep: Keep) -> Vec<HeldAttempt> {
        HeldAttempt::all_from(records.to_vec(), lib, keep)
    }

    /// [`HeldAttempt::of`] each of `records`.
    #[must_use]
    pub fn all_from(records: Vec<AttemptRecord>, lib: &Library, keep: Keep) -> Vec<HeldAttempt> {
        let mut names = Names::default();
        records
            .into_iter()
            .map(|r| HeldAttempt::of(r, lib, keep, &mut names))
            .collect()
    }

    /// Time taken in seconds.
    #[must_use]
    pub fn seconds(&self) -> i64 {
        crate::record::seconds_between(self.started_at, self.ended_at)
    }

    /// Why the attempt did not pass ([`AttemptRecord::failed_on`]).
    #[must_use]
    pub fn failed_on(&self) -> Vec<String> {
        crate::record::failed_on(
            self.passed,
            self.percent,
            self.pass_mark,
            self.whole().failed_topics.iter().map(|t| &**t),
        )
    }
}

fn held_question(q: RecordQuestion, lib: &Library, keep: Keep, names: &mut Names) -> HeldQuestion {
    let changed = lib
        .question(&q.qid)
        .is_none_or(|b| q.kind != b.kind.name() || q.response.as_ref().is_some_and(|r| !r.fits(b)));
    let blank = q.verdict == Verdict::Blank || q.response.as_ref().is_none_or(Response::is_empty);
    HeldQuestion {
        id: names.question(&q.qid, &q.topic, &q.kind),
        points: q.points,
        max: q.max,
        blank,
        changed,
        picks: picks(q.response.as_ref()),
        answer: (keep == Keep::Answers).then(|| {
            Box::new(Answer {
                order: q.order,
                response: q.response,
                credit: q.credit,
                verdict: q.verdict,
                answered_at: q.answered_at,
            })
        }),
    }
}

/// The choices picked in a response, one bit each (see [`HeldQuestion::picks`]).
fn picks(r: Option<&Response>) -> u32 {
    let bit = |c: &usize| u32::try_from(*c).ok().and_then(|c| 1u32.checked_shl(c));
    match r {
        Some(Response::Choice(c)) => bit(c).unwrap_or(0),
        Some(Response::Choices(cs)) => cs.iter().filter_map(bit).fold(0, |a, b| a | b),
        _ => 0,
    }
}

/// What choosing the attempt that counts per trainee reads of an attempt: a whole record (the
/// live board holds those) or a held one.
pub trait Choosable {
    /// Trainee name.
    fn trainee(&self) -> &str;
    /// Exam id.
    fn exam_id(&self) -> &str;
    /// Attempt id.
    fn attempt_id(&self) -> &str;
    /// Start.
    fn started_at(&self) -> Millis;
    /// Percentage.
    fn percent(&self) -> f64;
}

/// [`Choosable`] for a type with the members of the same names.
macro_rules! choosable {
    ($($t:ty),*) => {$(
        impl Choosable for $t {
            fn trainee(&self) -> &str {
                &self.trainee
            }
            fn exam_id(&self) -> &str {
                &self.exam_id
            }
            fn attempt_id(&self) -> &str {
                &self.attempt_id
            }
            fn started_at(&self) -> Millis {
                self.started_at
            }
            fn percent(&self) -> f64 {
                self.percent
            }
        }
    )*};
}

choosable!(AttemptRecord, HeldAttempt);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_are_each_choice_once_in_order_and_a_question_is_held_in_forty_bytes() {
        let held = |r: Option<Response>| HeldQuestion {
            id: Names::default().question("q1", "topic", "multiple"),
            points: 0.5,
            max: 1.0,
            answer: None,
            picks: picks(r.as_ref()),
            blank: false,
            changed: false,
        };
        let got = |r| held(r).picks().collect::<Vec<usize>>();
        assert_eq!(got(Some(Response::Choices(vec![3, 0, 3, 25]))), [0, 3, 25]);
        assert_eq!(got(Some(Response::Choice(7))), [7]);
        assert_eq!(got(Some(Response::Choice(31))), [31]);
        // No bank has a 33rd choice: a record that says so keeps its other picks.
        assert_eq!(got(Some(Response::Choices(vec![1, 32, 1000]))), [1]);
        assert_eq!(got(Some(Response::Bool(true))), Vec::<usize>::new());
        assert_eq!(got(None), Vec::<usize>::new());
        assert!(std::mem::size_of::<HeldQuestion>() <= 40);
    }

    #[test]
    fn what_a_class_holds_of_each_attempt_stays_small() {
        // Held for every attempt of a folder of tens of thousands while it is read: the
        // attempt (its figures; a thin one owns nothing more but its id: the rest is boxed) and
        // its own checks (a sound record's: a fingerprint and no list).
        assert!(std::mem::size_of::<HeldAttempt>() <= 112);
        assert!(std::mem::size_of::<crate::report::integrity::OwnChecks>() <= 48);
    }

    #[test]
    fn one_identity_per_question_for_the_class() {
        let mut names = Names::default();
        let a = names.question("q1", "law", "single");
        let b = names.question("q1", "law", "single");
        let c = names.question("q1", "law", "multiple");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(Arc::ptr_eq(&a.qid, &c.qid));
        assert_eq!(c.kind.as_ref(), "multiple");
    }
}
