//! The attempt as a state machine over the drawn questions.
//!
//! Time is given by the caller as milliseconds since the Unix epoch ([`Millis`]); the session
//! never reads a clock. Deadlines are absolute, so time keeps running while the program is
//! closed, and expiry is checked at the start of every update, so an answer that arrives after a
//! deadline never counts. What the trainee has on screen but has not confirmed (the text in a
//! short answer's box) is handed in as a draft ([`Session::set_draft`]); when a deadline is
//! applied it becomes the answer, stamped at the deadline.

use super::draw::{DrawError, PaperItem, draw};
use super::response::Response;
use super::score::{ScoreSheet, score_question, tally};
use crate::bank::{Kind, Library, Question};
use crate::exam::{ExamDef, Mode, Navigation};
use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// Version of the attempt state written by autosave.
pub const ATTEMPT_SCHEMA: u32 = 1;

/// One change of a response, for the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// When.
    pub at: Millis,
    /// The new response (`None`: cleared).
    pub response: Option<Response>,
}

/// The state of one question in the attempt.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Slot {
    /// Current response.
    pub response: Option<Response>,
    /// When the current response was given.
    pub answered_at: Option<Millis>,
    /// When the question was first shown.
    pub first_shown: Option<Millis>,
    /// The question's own deadline, set when first shown.
    pub deadline: Option<Millis>,
    /// Flagged for review.
    pub flagged: bool,
    /// No more changes (time up, left behind in forward-only navigation, or checked).
    pub locked: bool,
    /// Practice mode: the answer was checked and feedback shown.
    pub checked: bool,
    /// Every change, in order.
    pub history: Vec<Change>,
    /// How often the question was shown in the other language.
    pub other_language_views: u32,
}

/// Why an attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndReason {
    /// The trainee submitted.
    Submitted,
    /// The time ran out.
    TimedOut,
}

/// Running or finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Status {
    /// In progress.
    Running,
    /// Over.
    Finished {
        /// When it ended.
        at: Millis,
        /// Why.
        reason: EndReason,
    },
}

/// What the trainee does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Give or change the answer to the current question.
    Answer(Response),
    /// Clear the current answer.
    Clear,
    /// Next question (also "skip").
    Next,
    /// Previous question.
    Prev,
    /// Go to question N (0-based).
    Goto(usize),
    /// Flag or unflag the current question for review.
    Flag,
    /// Practice mode: check the current answer and show feedback.
    Check,
    /// Show the current question in the other language (logged).
    OtherLanguage,
    /// Hand in the attempt.
    Submit,
}

/// Why an action was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The attempt is over.
    Finished,
    /// The question can no longer be changed.
    Locked,
    /// Navigation does not allow it.
    NotAllowed,
    /// No such question.
    OutOfRange,
    /// The response does not fit the question.
    Invalid,
    /// Nothing to check.
    NothingToCheck,
}

/// The result of an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The state changed (autosave).
    Changed,
    /// Nothing changed.
    Unchanged,
    /// The attempt ended (by this action or by a deadline found on the way).
    Finished(EndReason),
    /// The action was refused.
    Rejected(Rejection),
}

/// A pause (suspend) of the program during an attempt. The clock is not stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// Stopped at.
    pub from: Millis,
    /// Continued at.
    pub to: Millis,
}

/// The serialisable state of an attempt (what autosave writes and resume reads).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// [`ATTEMPT_SCHEMA`].
    pub schema: u32,
    /// Trainee name or id, as typed.
    pub trainee: String,
    /// The exam.
    pub exam: ExamDef,
    /// Seed of the draw.
    pub seed: u64,
    /// Interface language.
    pub lang: Lang,
    /// The paper, in the order shown.
    pub paper: Vec<PaperItem>,
    /// Content hash of every bank a question came from.
    pub bank_hashes: BTreeMap<String, String>,
    /// Start time.
    pub started_at: Millis,
    /// End of the total time, if limited.
    pub deadline: Option<Millis>,
    /// The question on screen.
    pub current: usize,
    /// One per question.
    pub slots: Vec<Slot>,
    /// Running or finished.
    pub status: Status,
    /// Times the program was suspended.
    pub pauses: Vec<Pause>,
    /// The trainee's unit or department, when given (`take --unit`, the home screen).
    #[serde(default)]
    pub unit: Option<String>,
    /// The number of the last autosave journal line this state holds (see
    /// [`crate::record::journal`]); 0 when there is none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub journal: u64,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Attempt {
    /// The attempt under the rules of the loaded exam `exam` (of the same id): the time limit
    /// (so the deadline, from the attempt's start), the pass mark, topic marks and scoring come
    /// from it, not from the saved file, which the trainee can edit. So do the deadlines of the
    /// questions already shown and still open: each is its question's own limit in `lib` (else
    /// the exam's per-question limit) from when it was first shown, and never after the total
    /// deadline, as [`Session`] sets it when a question is first shown. The paper and the answers
    /// stay the saved ones ([`Session::resume`] says when they no longer fit). An exam of
    /// another id changes nothing.
    #[must_use]
    pub fn under_rules(mut self, exam: &ExamDef, lib: &Library) -> Attempt {
        if self.exam.id != exam.id {
            return self;
        }
        self.exam = exam.clone();
        self.deadline = exam
            .time_limit
            .map(|t| self.started_at + i64::from(t) * 1000);
        let total = self.deadline;
        for (p, slot) in self.paper.iter().zip(&mut self.slots) {
            // A closed question stays closed; an unknown one is said by `Session::resume`.
            let (Some(shown), false, Some(q)) =
                (slot.first_shown, slot.locked, lib.question(&p.qid))
            else {
                continue;
            };
            slot.deadline = q.time_limit.or(exam.question_time_limit).map(|l| {
                let d = shown + i64::from(l) * 1000;
                total.map_or(d, |t| t.min(d))
            });
        }
        self
    }
}

/// Why an attempt could not be resumed ([`ResumeError::message`] in any language; `Display`
/// in English, for logs and the class server's console).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResumeError {
    /// A question of the paper is no longer loaded.
    MissingQuestion(String),
    /// The paper and the slots disagree, or a saved order does not fit its question.
    Inconsistent(Inconsistency),
    /// Written by a newer tipquiz.
    Schema(u32),
}

/// How a saved attempt disagrees with itself or its questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inconsistency {
    /// The paper and the answers differ in length (or the paper is empty).
    Length,
    /// A question's choices or items changed in number (its id).
    Shape(String),
    /// A saved answer does not fit its question (its id).
    AnswerMisfit(String),
}

impl ResumeError {
    /// The reason in words.
    #[must_use]
    pub fn message(&self) -> crate::messages::Msg {
        use crate::msg;
        match self {
            ResumeError::MissingQuestion(q) => msg!(ResumeMissingQuestion, q),
            ResumeError::Inconsistent(i) => msg!(
                ResumeInconsistent,
                match i {
                    Inconsistency::Length => msg!(ResumeLength),
                    Inconsistency::Shape(q) => msg!(ResumeShape, q),
                    Inconsistency::AnswerMisfit(q) => msg!(ResumeAnswerMisfit, q),
                }
            ),
            ResumeError::Schema(s) => msg!(ResumeSchema, *s, ATTEMPT_SCHEMA),
        }
    }
}

impl std::fmt::Display for ResumeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en())
    }
}

impl std::error::Error for ResumeError {}

/// An attempt with its questions resolved.
#[derive(Clone, Debug)]
pub struct Session {
    /// The state.
    pub state: Attempt,
    /// The questions, in paper order.
    pub questions: Vec<Question>,
    /// What the trainee has on screen for the current question but has not confirmed (the
    /// text in a short answer's box). Not part of the saved state: it is recorded as the
    /// answer, stamped at the deadline, when the question's or the exam's time runs out while
    /// the question is still open. Cleared when another question is shown.
    draft: Option<Response>,
    /// The questions whose state changed, in order (for the autosave journal). Every change
    /// to a slot goes through [`Session::slot_mut`], which notes it here.
    changes: super::changes::Changes,
    /// How many questions have an answer (kept as answers change, not counted per key).
    answered: usize,
}

fn order_len(q: &Question) -> usize {
    match &q.kind {
        Kind::Single { choices, .. } | Kind::Multiple { choices, .. } => choices.len(),
        Kind::Order { items } => items.len(),
        Kind::Match { pairs } => pairs.len(),
        Kind::TrueFalse { .. } | Kind::Short { .. } | Kind::Numerical { .. } => 0,
    }
}

impl Session {
    /// Draw a paper and start an attempt at `now`.
    ///
    /// # Errors
    /// When the exam's pools cannot be filled.
    pub fn start(
        exam: &ExamDef,
        lib: &Library,
        trainee: &str,
        seed: u64,
        lang: Lang,
        now: Millis,
    ) -> Result<Session, DrawError> {
        let paper = draw(exam, lib, seed)?;
        let questions: Vec<Question> = paper
            .iter()
            .filter_map(|p| lib.question(&p.qid).cloned())
            .collect();
        let bank_hashes = questions
            .iter()
            .filter_map(|q| lib.bank(&q.bank).map(|b| (b.id.clone(), b.hash.clone())))
            .collect();
        let n = paper.len();
        let mut s = Session {
            state: Attempt {
                schema: ATTEMPT_SCHEMA,
                trainee: trainee.to_owned(),
                exam: exam.clone(),
                seed,
                lang,
                paper,
                bank_hashes,
                started_at: now,
                deadline: exam.time_limit.map(|t| now + i64::from(t) * 1000),
                current: 0,
                slots: vec![Slot::default(); n],
                status: Status::Running,
                pauses: Vec::new(),
                unit: None,
                journal: 0,
            },
            questions,
            draft: None,
            changes: super::changes::Changes::default(),
            answered: 0,
        };
        s.enter(0, now);
        Ok(s)
    }

    /// Resume a saved attempt against the loaded banks.
    ///
    /// # Errors
    /// When a question is gone or the state does not fit the questions.
    pub fn resume(state: Attempt, lib: &Library) -> Result<Session, ResumeError> {
        if state.schema > ATTEMPT_SCHEMA {
            return Err(ResumeError::Schema(state.schema));
        }
        if state.paper.len() != state.slots.len()
            || state.paper.is_empty()
            || state.current >= state.paper.len()
        {
            return Err(ResumeError::Inconsistent(Inconsistency::Length));
        }
        let mut questions = Vec::new();
        for (p, slot) in state.paper.iter().zip(&state.slots) {
            let q = lib
                .question(&p.qid)
                .ok_or_else(|| ResumeError::MissingQuestion(p.qid.clone()))?;
            let mut sorted = p.order.clone();
            sorted.sort_unstable();
            if sorted != (0..order_len(q)).collect::<Vec<_>>() {
                return Err(ResumeError::Inconsistent(Inconsistency::Shape(
                    p.qid.clone(),
                )));
            }
            if slot.response.as_ref().is_some_and(|r| !r.fits(q)) {
                return Err(ResumeError::Inconsistent(Inconsistency::AnswerMisfit(
                    p.qid.clone(),
                )));
            }
            questions.push(q.clone());
        }
        let answered = state.slots.iter().filter(|s| s.response.is_some()).count();
        Ok(Session {
            state,
            questions,
            draft: None,
            changes: super::changes::Changes::default(),
            answered,
        })
    }

    /// Number of questions.
    #[must_use]
    pub fn len(&self) -> usize {
        self.questions.len()
    }

    /// Whether the paper is empty (never, for a started session).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// The current question's index.
    #[must_use]
    pub fn current(&self) -> usize {
        self.state.current
    }

    /// Whether the attempt is over.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        matches!(self.state.status, Status::Finished { .. })
    }

    /// More time from the instructor: the attempt's deadline moves `ms` later. An attempt
    /// without a time limit, or finished, is left as it is. Returns whether it changed.
    pub fn extend(&mut self, ms: Millis) -> bool {
        if self.is_finished() {
            return false;
        }
        match &mut self.state.deadline {
            Some(d) => {
                *d = d.saturating_add(ms);
                true
            }
            None => false,
        }
    }

    /// The instructor ends the exam: the attempt's deadline becomes `now` (or stays, if it is
    /// earlier), so that the next [`Session::tick`] at `now` finishes it as timed out, keeping
    /// what was typed and not confirmed as at any deadline. Returns whether it was running.
    pub fn end_now(&mut self, now: Millis) -> bool {
        if self.is_finished() {
            return false;
        }
        self.state.deadline = Some(self.state.deadline.map_or(now, |d| d.min(now)));
        true
    }

    /// The questions whose state changed, in order, for the autosave journal.
    #[must_use]
    pub fn changes(&self) -> &super::changes::Changes {
        &self.changes
    }

    /// How many questions have an answer (kept up to date, not counted: the same cost at any
    /// length). A debug build checks it against a count.
    #[must_use]
    pub fn answered(&self) -> usize {
        debug_assert_eq!(
            self.answered,
            self.state
                .slots
                .iter()
                .filter(|s| s.response.is_some())
                .count(),
            "the running count of answers"
        );
        self.answered
    }

    /// Question `i`'s state, to change it: the change is noted for the journal.
    fn slot_mut(&mut self, i: usize) -> &mut Slot {
        self.changes.mark(i);
        &mut self.state.slots[i]
    }

    /// Close question `i` to further changes (a paced game's instructor closed it).
    pub fn lock(&mut self, i: usize) {
        if i < self.len() {
            self.slot_mut(i).locked = true;
        }
    }

    /// Question `i` as it was before anything was shown (a paced game shows nothing until the
    /// instructor opens a question).
    pub fn unshow(&mut self, i: usize) {
        if i < self.len() {
            let had = self.state.slots[i].response.is_some();
            *self.slot_mut(i) = Slot::default();
            self.answered -= usize::from(had);
        }
    }

    /// The per-question limit that applies to question `i`, in seconds.
    #[must_use]
    pub fn question_limit(&self, i: usize) -> Option<u32> {
        self.questions
            .get(i)
            .and_then(|q| q.time_limit.or(self.state.exam.question_time_limit))
    }

    fn enter(&mut self, i: usize, now: Millis) {
        if i != self.state.current {
            self.draft = None;
        }
        self.state.current = i;
        let limit = self.question_limit(i);
        let total = self.state.deadline;
        if self.state.slots[i].first_shown.is_none() {
            let slot = self.slot_mut(i);
            slot.first_shown = Some(now);
            if let Some(l) = limit {
                let d = now + i64::from(l) * 1000;
                slot.deadline = Some(total.map_or(d, |t| t.min(d)));
            }
        }
    }

    /// Paced play: show question `i` as the instructor opened it for the whole class at `at`.
    /// Its answer time counts from `at`; its clock is the game's (see [`super::paced`]), so the
    /// session sets no deadline of its own for it.
    pub fn show_at(&mut self, i: usize, at: Millis) {
        if i >= self.len() {
            return;
        }
        if i != self.state.current {
            self.draft = None;
        }
        self.state.current = i;
        let slot = self.slot_mut(i);
        slot.first_shown = Some(at);
        slot.deadline = None;
    }

    /// The next moment something happens on its own (total or question deadline).
    #[must_use]
    pub fn next_deadline(&self) -> Option<Millis> {
        if self.is_finished() {
            return None;
        }
        let slot = &self.state.slots[self.state.current];
        let q = slot.deadline.filter(|_| !slot.locked);
        match (self.state.deadline, q) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Milliseconds left on the total clock.
    #[must_use]
    pub fn remaining(&self, now: Millis) -> Option<Millis> {
        self.state.deadline.map(|d| (d - now).max(0))
    }

    /// Milliseconds left on the current question's clock.
    #[must_use]
    pub fn question_remaining(&self, now: Millis) -> Option<Millis> {
        let slot = &self.state.slots[self.state.current];
        slot.deadline
            .filter(|_| !slot.locked)
            .map(|d| (d - now).max(0))
    }

    /// Note what the trainee has on screen for the current question but has not confirmed
    /// (the text typed in a short answer's box), at `now`. Deadlines that passed by `now` are
    /// applied first, so a draft given after its question's time ran out is refused like any
    /// late answer; so is one that does not fit the question or a question that is locked.
    /// The draft becomes the answer only if the time runs out before the trainee confirms or
    /// leaves the question; `None` withdraws it.
    pub fn set_draft(&mut self, draft: Option<Response>, now: Millis) -> Outcome {
        match self.tick(now) {
            Outcome::Finished(r) => return Outcome::Finished(r),
            Outcome::Changed => return Outcome::Changed,
            _ => {}
        }
        let i = self.state.current;
        let slot = &self.state.slots[i];
        if slot.locked || slot.checked {
            return Outcome::Rejected(Rejection::Locked);
        }
        if draft.as_ref().is_some_and(|r| !r.fits(&self.questions[i])) {
            return Outcome::Rejected(Rejection::Invalid);
        }
        self.draft = draft;
        Outcome::Unchanged
    }

    /// The unconfirmed draft of the current question, if any.
    #[must_use]
    pub fn draft(&self) -> Option<&Response> {
        self.draft.as_ref()
    }

    /// The current question's time (or the exam's) ran out at `at`: record the draft as its
    /// answer, stamped at `at`, if the question is still open and the draft says something
    /// else than the saved answer. An empty draft (the box was emptied) clears the answer, as
    /// leaving the question with an empty box does.
    fn keep_draft(&mut self, at: Millis) {
        let Some(r) = self.draft.take() else { return };
        let i = self.state.current;
        let slot = &self.state.slots[i];
        if slot.locked || slot.checked || !r.fits(&self.questions[i]) {
            return;
        }
        // When the exam's time is found out after the question's own, the earlier one counts.
        let at = slot.deadline.map_or(at, |q| q.min(at));
        let r = if r.is_empty() { None } else { Some(r) };
        self.set(i, r, at);
    }

    /// Apply the deadlines that passed by `now`. Returns `Finished` when the total time ran out,
    /// `Changed` when a question's own time ran out.
    pub fn tick(&mut self, now: Millis) -> Outcome {
        if let Status::Finished { reason, .. } = self.state.status {
            return Outcome::Finished(reason);
        }
        if let Some(d) = self.state.deadline
            && now >= d
        {
            self.keep_draft(d);
            self.state.status = Status::Finished {
                at: d,
                reason: EndReason::TimedOut,
            };
            return Outcome::Finished(EndReason::TimedOut);
        }
        let mut changed = false;
        loop {
            let i = self.state.current;
            let slot = &self.state.slots[i];
            match slot.deadline {
                Some(d) if now >= d && !slot.locked => {
                    self.keep_draft(d);
                    let practice = self.state.exam.mode == Mode::Practice;
                    let slot = self.slot_mut(i);
                    slot.locked = true;
                    changed = true;
                    if practice {
                        slot.checked = true;
                        break;
                    }
                    if i + 1 < self.len() {
                        // The next question's own clock starts now, when it is shown.
                        self.enter(i + 1, now);
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        if changed {
            Outcome::Changed
        } else {
            Outcome::Unchanged
        }
    }

    /// Apply an action at `now`. Deadlines are applied first.
    pub fn update(&mut self, action: Action, now: Millis) -> Outcome {
        if let Outcome::Finished(r) = self.tick(now) {
            return if matches!(action, Action::Submit) || r == EndReason::TimedOut {
                Outcome::Finished(r)
            } else {
                Outcome::Rejected(Rejection::Finished)
            };
        }
        let i = self.state.current;
        let n = self.len();
        let forward_only = self.state.exam.navigation == Navigation::ForwardOnly;
        match action {
            Action::Answer(r) => {
                let slot = &self.state.slots[i];
                if slot.locked || slot.checked {
                    return Outcome::Rejected(Rejection::Locked);
                }
                if !r.fits(&self.questions[i]) {
                    return Outcome::Rejected(Rejection::Invalid);
                }
                let r = if r.is_empty() { None } else { Some(r) };
                self.set(i, r, now)
            }
            Action::Clear => {
                let slot = &self.state.slots[i];
                if slot.locked || slot.checked {
                    return Outcome::Rejected(Rejection::Locked);
                }
                self.set(i, None, now)
            }
            Action::Next => {
                if i + 1 >= n {
                    return Outcome::Unchanged;
                }
                if forward_only {
                    self.slot_mut(i).locked = true;
                }
                self.enter(i + 1, now);
                Outcome::Changed
            }
            Action::Prev => {
                if forward_only {
                    Outcome::Rejected(Rejection::NotAllowed)
                } else if i == 0 {
                    Outcome::Unchanged
                } else {
                    self.enter(i - 1, now);
                    Outcome::Changed
                }
            }
            Action::Goto(j) => {
                if j >= n {
                    Outcome::Rejected(Rejection::OutOfRange)
                } else if j == i {
                    Outcome::Unchanged
                } else if forward_only && j < i {
                    Outcome::Rejected(Rejection::NotAllowed)
                } else {
                    if forward_only {
                        for k in i..j {
                            self.slot_mut(k).locked = true;
                        }
                    }
                    self.enter(j, now);
                    Outcome::Changed
                }
            }
            Action::Flag => {
                let s = self.slot_mut(i);
                s.flagged = !s.flagged;
                Outcome::Changed
            }
            Action::Check => {
                if self.state.exam.mode != Mode::Practice {
                    return Outcome::Rejected(Rejection::NotAllowed);
                }
                let s = &self.state.slots[i];
                if s.checked {
                    Outcome::Unchanged
                } else if s.response.is_none() {
                    Outcome::Rejected(Rejection::NothingToCheck)
                } else {
                    let s = self.slot_mut(i);
                    s.checked = true;
                    s.locked = true;
                    Outcome::Changed
                }
            }
            Action::OtherLanguage => {
                self.slot_mut(i).other_language_views += 1;
                Outcome::Changed
            }
            Action::Submit => {
                self.state.status = Status::Finished {
                    at: now,
                    reason: EndReason::Submitted,
                };
                Outcome::Finished(EndReason::Submitted)
            }
        }
    }

    fn set(&mut self, i: usize, r: Option<Response>, now: Millis) -> Outcome {
        if self.state.slots[i].response == r {
            return Outcome::Unchanged;
        }
        let had = self.state.slots[i].response.is_some();
        self.answered = self.answered + usize::from(r.is_some()) - usize::from(had);
        let slot = self.slot_mut(i);
        slot.response.clone_from(&r);
        slot.answered_at = r.as_ref().map(|_| now);
        slot.history.push(Change {
            at: now,
            response: r,
        });
        Outcome::Changed
    }

    /// Record that the program was suspended from `from` to `to` (the clock keeps running).
    pub fn record_pause(&mut self, from: Millis, to: Millis) {
        if to > from {
            self.state.pauses.push(Pause { from, to });
        }
    }

    /// Indices of unanswered questions.
    #[must_use]
    pub fn unanswered(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|i| self.state.slots[*i].response.is_none())
            .collect()
    }

    /// Indices of flagged questions.
    #[must_use]
    pub fn flagged(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|i| self.state.slots[*i].flagged)
            .collect()
    }

    /// Score the attempt (as it stands, or as submitted).
    #[must_use]
    pub fn score(&self) -> ScoreSheet {
        let policy = &self.state.exam.scoring;
        let per: Vec<_> = self
            .questions
            .iter()
            .zip(&self.state.slots)
            .enumerate()
            .map(|(i, (q, s))| {
                let secs = match (s.answered_at, s.first_shown) {
                    (Some(a), Some(f)) => Some((a - f).max(0) as f64 / 1000.0),
                    _ => None,
                };
                score_question(q, s.response.as_ref(), policy, secs, self.question_limit(i))
            })
            .collect();
        tally(&self.state.exam, per)
    }

    /// The display order of question `i`'s choices, items or right column.
    #[must_use]
    pub fn order(&self, i: usize) -> &[usize] {
        &self.state.paper[i].order
    }
}
