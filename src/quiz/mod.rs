//! The attempt: drawing a paper, the session state machine, deadlines and scoring.

mod draw;
mod normalize;
mod response;
mod score;
mod session;

pub use draw::{
    DrawError, PaperItem, PoolFilter, check_pools, draw, draw_slots, exam_problems, seed_for,
};
pub use normalize::normalize;
pub use response::Response;
pub use score::{QuestionScore, ScoreSheet, Tally, Verdict, credit, score_question, tally};
pub use session::{
    ATTEMPT_SCHEMA, Action, Attempt, Change, EndReason, Inconsistency, Millis, Outcome, Pause,
    Rejection, ResumeError, Session, Slot, Status,
};
