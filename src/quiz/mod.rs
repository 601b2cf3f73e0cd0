//! The attempt: drawing a paper, the session state machine, deadlines and scoring.

pub mod changes;
mod draw;
mod normalize;
pub mod paced;
mod response;
mod score;
mod session;

pub use draw::{
    DrawError, ExclusionRisk, PaperItem, PoolFilter, Pools, check_pools, draw, draw_slots,
    exam_problems, exclusion_risks, seed_for,
};
pub use normalize::normalize;
pub use response::Response;
pub use score::{
    QuestionScore, ScoreSheet, Tally, Verdict, choice_text, credit, key_text, read_number,
    score_question, tally,
};
pub use session::{
    ATTEMPT_SCHEMA, Action, Attempt, Change, EndReason, Inconsistency, Millis, Outcome, Pause,
    Rejection, ResumeError, Session, Slot, Status,
};
