//! Paced play: the instructor shows one question at a time to the whole class, everybody
//! answers against the same countdown, the answers are revealed together with the class's
//! distribution and a leaderboard, and the game ends on a podium.
//!
//! This is the state machine only: it reads no clock (every step takes `now`) and knows no
//! network or terminal. Each trainee's answers live in an ordinary [`Session`] of the exam
//! (the same paper and choice order for everybody, speed points on, each question shown at
//! the moment the instructor opened it), so the attempt is scored by the engine's own rules,
//! speed points included, and is recorded like any other attempt.

use super::{Action, DrawError, Millis, Outcome, Response, Session, Verdict};
use crate::bank::{Kind, Library};
use crate::exam::{ExamDef, Navigation};
use crate::messages::{K, Msg};
use crate::text::Lang;

/// Seconds a question stays open when neither the exam nor the question says.
pub const DEFAULT_QUESTION_SECS: u32 = 20;

/// The exam as paced play runs it: no total clock (the instructor sets the pace), a clock per
/// question, speed points on, free navigation (the instructor moves everybody).
#[must_use]
pub fn paced_exam(exam: &ExamDef) -> ExamDef {
    let mut e = exam.clone();
    e.time_limit = None;
    e.question_time_limit = Some(exam.question_time_limit.unwrap_or(DEFAULT_QUESTION_SECS));
    e.scoring.speed_points = true;
    e.navigation = Navigation::Free;
    e
}

/// Where the game is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// Trainees join; no question yet.
    Lobby,
    /// Question `q` is open until `deadline`.
    Open {
        /// The question (paper index).
        q: usize,
        /// When it was shown.
        shown_at: Millis,
        /// When it closes.
        deadline: Millis,
    },
    /// Question `q` is closed: its answers are revealed.
    Closed {
        /// The question.
        q: usize,
    },
    /// The game is over.
    Podium,
}

/// Why paced play could not start or a trainee could not join; [`PacedError::message`] says
/// it in words.
#[derive(Debug)]
pub enum PacedError {
    /// The paper could not be drawn.
    Draw(DrawError),
    /// A question cannot be answered with one key (their ids).
    Kinds(String),
    /// The game is over: nobody joins any more.
    Over,
    /// A saved game does not fit the exam or the banks loaded now.
    Saved(Msg),
}

impl From<DrawError> for PacedError {
    fn from(e: DrawError) -> PacedError {
        PacedError::Draw(e)
    }
}

impl PacedError {
    /// Why, in words.
    #[must_use]
    pub fn message(&self) -> Msg {
        match self {
            PacedError::Draw(e) => e.message(),
            PacedError::Kinds(ids) => crate::msg!(PacedKinds, ids),
            PacedError::Over => K::PacedOver.into(),
            PacedError::Saved(why) => crate::msg!(PacedSaved, why),
        }
    }
}

impl std::fmt::Display for PacedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en())
    }
}

impl std::error::Error for PacedError {}

/// What a game is saved as, so that a server stopped or killed in the middle of it takes it up
/// where it was: the exam, the seed of the shared paper, the phase, and every trainee's attempt
/// (answers and the moments they were given and shown).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedGame {
    /// The exam's id.
    pub exam: String,
    /// The seed of the paper.
    pub seed: u64,
    /// Where the game was.
    pub phase: Phase,
    /// Every trainee's attempt, in joining order.
    pub players: Vec<super::Attempt>,
}

/// One trainee in the game.
#[derive(Debug)]
pub struct Player {
    /// The name as typed.
    pub name: String,
    /// The attempt.
    pub session: Session,
    /// Connections open for this trainee now (only connected trainees are waited for; a
    /// trainee who comes back on a new connection before the old one is closed has two).
    pub connections: u32,
}

/// One line of the leaderboard.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    /// Name.
    pub name: String,
    /// Points (the engine's score, speed points included).
    pub points: f64,
    /// Questions answered right.
    pub right: usize,
}

/// What one trainee sees.
#[derive(Clone, Debug, PartialEq)]
pub enum View {
    /// Waiting for the first question.
    Lobby {
        /// Trainees in the game.
        players: usize,
    },
    /// A question is open.
    Open {
        /// The question (paper index).
        q: usize,
        /// Milliseconds left.
        left: Millis,
        /// The position answered, once answered.
        answered: Option<usize>,
    },
    /// A question was closed: right or wrong.
    Closed {
        /// The question.
        q: usize,
        /// The position answered, if any.
        answered: Option<usize>,
        /// The verdict.
        verdict: Verdict,
        /// Points of this question.
        points: f64,
        /// The right answer's display position.
        right: Option<usize>,
        /// Points so far.
        total: f64,
        /// Rank (1 = first) among all players.
        rank: usize,
    },
    /// The end.
    Podium {
        /// Rank.
        rank: usize,
        /// Players.
        of: usize,
        /// Points.
        total: f64,
        /// Questions right.
        right: usize,
    },
}

/// The game.
#[derive(Debug)]
pub struct Paced {
    exam: ExamDef,
    seed: u64,
    phase: Phase,
    /// The paper as every trainee has it (questions, choice order, time limits).
    paper: Session,
    /// Every trainee who joined, in joining order.
    pub players: Vec<Player>,
}

impl Paced {
    /// A game of `exam` (as [`paced_exam`] makes it), with one paper for everybody drawn
    /// with `seed`.
    ///
    /// # Errors
    /// The paper cannot be drawn, or has a question that is not answered with one key.
    pub fn new(exam: &ExamDef, lib: &Library, seed: u64) -> Result<Paced, PacedError> {
        let exam = paced_exam(exam);
        let probe = Session::start(&exam, lib, "", seed, Lang::En, 0)?;
        let bad: Vec<&str> = probe
            .questions
            .iter()
            .filter(|q| !matches!(q.kind, Kind::Single { .. } | Kind::TrueFalse { .. }))
            .map(|q| q.id.as_str())
            .collect();
        if !bad.is_empty() {
            return Err(PacedError::Kinds(bad.join(", ")));
        }
        Ok(Paced {
            paper: probe,
            exam,
            seed,
            phase: Phase::Lobby,
            players: Vec::new(),
        })
    }

    /// The game as it is now, to be saved.
    #[must_use]
    pub fn saved(&self) -> SavedGame {
        SavedGame {
            exam: self.exam.id.clone(),
            seed: self.seed,
            phase: self.phase,
            players: self
                .players
                .iter()
                .map(|p| p.session.state.clone())
                .collect(),
        }
    }

    /// Take up a saved game of `exam` (as given to [`Paced::new`]). Nobody is connected yet;
    /// trainees come back by name. A question that was open stays open until its deadline
    /// (which the next [`Paced::tick`] applies).
    ///
    /// # Errors
    /// The saved game is of another exam, its paper cannot be drawn again, or an attempt does
    /// not fit the banks loaded now.
    pub fn restore(exam: &ExamDef, lib: &Library, saved: SavedGame) -> Result<Paced, PacedError> {
        if saved.exam != exam.id {
            return Err(PacedError::Saved(crate::msg!(
                PacedSavedOtherExam,
                &saved.exam,
                &exam.id
            )));
        }
        let mut game = Paced::new(exam, lib, saved.seed)?;
        let n = game.len();
        match saved.phase {
            Phase::Open { q, .. } | Phase::Closed { q } if q >= n => {
                return Err(PacedError::Saved(crate::msg!(PacedSavedQuestion, q + 1, n)));
            }
            _ => {}
        }
        for a in saved.players {
            let name = a.trainee.clone();
            if a.paper != game.paper.state.paper {
                return Err(PacedError::Saved(crate::msg!(PacedSavedPaper, &name)));
            }
            let session = Session::resume(a, lib)
                .map_err(|e| PacedError::Saved(crate::msg!(WhoWhy, &name, e.message())))?;
            game.players.push(Player {
                name,
                session,
                connections: 0,
            });
        }
        game.phase = saved.phase;
        Ok(game)
    }

    /// The exam as played.
    #[must_use]
    pub fn exam(&self) -> &ExamDef {
        &self.exam
    }

    /// Questions in the game.
    #[must_use]
    pub fn len(&self) -> usize {
        self.paper.len()
    }

    /// Whether the game has no question (never: the draw refuses an empty paper).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.paper.is_empty()
    }

    /// Question `q` and the display order of its choices (the same for every trainee).
    #[must_use]
    pub fn question(&self, q: usize) -> Option<(&crate::bank::Question, &[usize])> {
        let question = self.paper.questions.get(q)?;
        Some((question, self.paper.order(q)))
    }

    /// Where the game is.
    #[must_use]
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// A trainee joins (or comes back: the same name takes up the same place) at `now`.
    /// Returns the player's index. During an open question a newcomer may still answer it,
    /// against the same clock as everybody.
    ///
    /// # Errors
    /// The game is over, or the paper cannot be drawn.
    pub fn join(
        &mut self,
        lib: &Library,
        name: &str,
        lang: Lang,
        now: Millis,
    ) -> Result<usize, PacedError> {
        let key = crate::record::trainee_slug(name);
        if let Some(i) = self
            .players
            .iter()
            .position(|p| crate::record::trainee_slug(&p.name) == key)
        {
            self.players[i].connections += 1;
            return Ok(i);
        }
        if self.phase == Phase::Podium {
            return Err(PacedError::Over);
        }
        let mut session = Session::start(&self.exam, lib, name, self.seed, lang, now)?;
        // Nothing is shown until the instructor opens a question.
        session.unshow(0);
        match self.phase {
            Phase::Open { q, shown_at, .. } => session.show_at(q, shown_at),
            Phase::Closed { q } => {
                session.show_at(q, now);
                session.lock(q);
            }
            Phase::Lobby | Phase::Podium => {}
        }
        self.players.push(Player {
            name: name.to_owned(),
            session,
            connections: 1,
        });
        Ok(self.players.len() - 1)
    }

    /// A trainee's connection closed: the game no longer waits for their answers.
    pub fn leave(&mut self, player: usize) {
        if let Some(p) = self.players.get_mut(player) {
            p.connections = p.connections.saturating_sub(1);
        }
    }

    /// The instructor's key: open the first question, close the open one early, open the next
    /// one after a reveal, or (after the last) end on the podium. Returns the new phase.
    pub fn advance(&mut self, now: Millis) -> Phase {
        self.tick(now);
        match self.phase {
            Phase::Lobby => self.open(0, now),
            Phase::Open { q, .. } => self.close(q),
            Phase::Closed { q } if q + 1 < self.len() => self.open(q + 1, now),
            Phase::Closed { .. } => self.finish(now),
            Phase::Podium => {}
        }
        self.phase
    }

    fn open(&mut self, q: usize, now: Millis) {
        let secs = self
            .paper
            .question_limit(q)
            .unwrap_or(DEFAULT_QUESTION_SECS);
        self.phase = Phase::Open {
            q,
            shown_at: now,
            deadline: now + i64::from(secs) * 1000,
        };
        for p in &mut self.players {
            p.session.show_at(q, now);
        }
    }

    fn close(&mut self, q: usize) {
        for p in &mut self.players {
            p.session.lock(q);
        }
        self.phase = Phase::Closed { q };
    }

    /// End the game now: every attempt is handed in (recorded by the caller).
    pub fn finish(&mut self, now: Millis) {
        if let Phase::Open { q, .. } = self.phase {
            self.close(q);
        }
        for p in &mut self.players {
            let _ = p.session.update(Action::Submit, now);
        }
        self.phase = Phase::Podium;
    }

    /// Apply the clock: the open question closes at its deadline. Returns whether the phase
    /// changed.
    pub fn tick(&mut self, now: Millis) -> bool {
        if let Phase::Open { q, deadline, .. } = self.phase
            && now >= deadline
        {
            self.close(q);
            return true;
        }
        false
    }

    /// When the open question closes.
    #[must_use]
    pub fn deadline(&self) -> Option<Millis> {
        match self.phase {
            Phase::Open { deadline, .. } => Some(deadline),
            _ => None,
        }
    }

    /// A player answers the open question with the choice at display position `pos`, at `now`.
    /// The first answer counts (as on a buzzer). When every connected player has answered, the
    /// question closes. Returns whether the answer was taken.
    pub fn answer(&mut self, player: usize, pos: usize, now: Millis) -> bool {
        self.tick(now);
        let Phase::Open { q, .. } = self.phase else {
            return false;
        };
        let Some(p) = self.players.get_mut(player) else {
            return false;
        };
        let s = &mut p.session;
        if s.current() != q || s.state.slots[q].response.is_some() {
            return false;
        }
        let r = match &s.questions[q].kind {
            Kind::Single { choices, .. } if pos < choices.len() => {
                Response::Choice(s.order(q)[pos])
            }
            Kind::TrueFalse { .. } if pos < 2 => Response::Bool(pos == 0),
            _ => return false,
        };
        if !matches!(s.update(Action::Answer(r), now), Outcome::Changed) {
            return false;
        }
        let all = self
            .players
            .iter()
            .filter(|p| p.connections > 0)
            .all(|p| p.session.state.slots[q].response.is_some());
        if all {
            self.close(q);
        }
        true
    }

    /// The display position a response names.
    fn position(s: &Session, q: usize) -> Option<usize> {
        match s.state.slots[q].response.as_ref()? {
            Response::Choice(c) => s.order(q).iter().position(|x| x == c),
            Response::Bool(b) => Some(usize::from(!*b)),
            _ => None,
        }
    }

    /// The right answer's display position for question `q`.
    #[must_use]
    pub fn right_position(&self, q: usize) -> Option<usize> {
        let s = &self.paper;
        match &s.questions.get(q)?.kind {
            Kind::Single { answer, .. } => s.order(q).iter().position(|x| x == answer),
            Kind::TrueFalse { answer } => Some(usize::from(!*answer)),
            _ => None,
        }
    }

    /// How many players chose each display position of question `q`, and how many gave no
    /// answer.
    #[must_use]
    pub fn distribution(&self, q: usize) -> (Vec<usize>, usize) {
        let positions = match self.paper.questions.get(q).map(|x| &x.kind) {
            Some(Kind::Single { choices, .. }) => choices.len(),
            Some(Kind::TrueFalse { .. }) => 2,
            _ => 0,
        };
        let mut counts = vec![0; positions];
        let mut blank = 0;
        for p in &self.players {
            match Self::position(&p.session, q) {
                Some(i) if i < counts.len() => counts[i] += 1,
                _ => blank += 1,
            }
        }
        (counts, blank)
    }

    /// Answers given to the open (or last) question, and players waited for.
    #[must_use]
    pub fn answered(&self, q: usize) -> (usize, usize) {
        let given = self
            .players
            .iter()
            .filter(|p| {
                p.session
                    .state
                    .slots
                    .get(q)
                    .is_some_and(|s| s.response.is_some())
            })
            .count();
        (
            given,
            self.players.iter().filter(|p| p.connections > 0).count(),
        )
    }

    /// The leaderboard: points (the engine's score, speed points included), best first; ties
    /// by name.
    #[must_use]
    pub fn standings(&self) -> Vec<Standing> {
        let mut out: Vec<Standing> = self
            .players
            .iter()
            .map(|p| {
                let sheet = p.session.score();
                Standing {
                    name: p.name.clone(),
                    points: sheet.total.points,
                    right: sheet
                        .questions
                        .iter()
                        .filter(|s| s.verdict == Verdict::Right)
                        .count(),
                }
            })
            .collect();
        out.sort_by(|a, b| b.points.total_cmp(&a.points).then(a.name.cmp(&b.name)));
        out
    }

    fn rank(&self, player: usize) -> usize {
        let name = &self.players[player].name;
        self.standings()
            .iter()
            .position(|s| &s.name == name)
            .map_or(0, |i| i + 1)
    }

    /// What player `player` sees at `now`.
    #[must_use]
    pub fn view(&self, player: usize, now: Millis) -> Option<View> {
        let p = self.players.get(player)?;
        Some(match self.phase {
            Phase::Lobby => View::Lobby {
                players: self.players.len(),
            },
            Phase::Open { q, deadline, .. } => View::Open {
                q,
                left: (deadline - now).max(0),
                answered: Self::position(&p.session, q),
            },
            Phase::Closed { q } => {
                let sheet = p.session.score();
                let qs = &sheet.questions[q];
                View::Closed {
                    q,
                    answered: Self::position(&p.session, q),
                    verdict: qs.verdict,
                    points: qs.points,
                    right: self.right_position(q),
                    total: sheet.total.points,
                    rank: self.rank(player),
                }
            }
            Phase::Podium => {
                let sheet = p.session.score();
                View::Podium {
                    rank: self.rank(player),
                    of: self.players.len(),
                    total: sheet.total.points,
                    right: sheet
                        .questions
                        .iter()
                        .filter(|s| s.verdict == Verdict::Right)
                        .count(),
                }
            }
        })
    }
}
