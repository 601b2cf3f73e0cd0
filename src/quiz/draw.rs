//! Drawing a paper: deterministic for a seed, no question twice, every pool filled.

use crate::bank::{Kind, Library, Question};
use crate::exam::{ExamDef, Pool};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One drawn question: its id and the display order of its choices, items or right-hand column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperItem {
    /// Question id.
    pub qid: String,
    /// `order[display position] = index in the file`: choices for `single`/`multiple`, the
    /// starting arrangement for `order`, the right-hand column for `match`. Empty otherwise.
    pub order: Vec<usize>,
}

/// Why a paper could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    /// A pool asks for more questions than match it.
    #[error(
        "pool {pool} of exam `{exam}` ({filter}) asks for {wanted} questions, but only {available} match{others}"
    )]
    PoolTooSmall {
        /// Exam id.
        exam: String,
        /// 1-based pool number.
        pool: usize,
        /// The pool's filter, in words.
        filter: String,
        /// Requested.
        wanted: usize,
        /// Available.
        available: usize,
        /// A note when earlier pools took some of them.
        others: String,
    },
    /// The exam draws nothing.
    #[error("exam `{0}` draws no questions")]
    Empty(String),
}

/// The seed for a trainee's paper: the same trainee on the same exam gets the same paper;
/// neighbours get different ones.
#[must_use]
pub fn seed_for(exam_id: &str, trainee: &str) -> u64 {
    let digest = Sha256::digest(
        format!(
            "tipquiz-paper-v1\0{exam_id}\0{}",
            trainee.trim().to_lowercase()
        )
        .as_bytes(),
    );
    let mut b = [0u8; 8];
    b.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(b)
}

fn matches(q: &Question, exam: &ExamDef, pool: &Pool) -> bool {
    (exam.banks.is_empty() || exam.banks.contains(&q.bank))
        && pool.topic.as_ref().is_none_or(|t| *t == q.topic)
        && (pool.tags.is_empty() || pool.tags.iter().any(|t| q.tags.contains(t)))
        && (pool.difficulty.is_empty() || pool.difficulty.contains(&q.difficulty))
        && (pool.questions.is_empty() || pool.questions.contains(&q.id))
}

fn describe(pool: &Pool) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &pool.topic {
        parts.push(format!("topic {t}"));
    }
    if !pool.tags.is_empty() {
        parts.push(format!("tags {}", pool.tags.join("/")));
    }
    if !pool.difficulty.is_empty() {
        parts.push(format!(
            "difficulty {}",
            pool.difficulty
                .iter()
                .map(|d| d.name())
                .collect::<Vec<_>>()
                .join("/")
        ));
    }
    if parts.is_empty() {
        "any question".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Check that every pool can be filled, without drawing.
///
/// # Errors
/// The first pool that cannot be filled.
pub fn check_pools(exam: &ExamDef, lib: &Library) -> Result<(), DrawError> {
    draw(exam, lib, 0).map(|_| ())
}

/// Draw a paper for `seed`.
///
/// # Errors
/// When a pool has fewer questions than it asks for, or the exam draws nothing.
pub fn draw(exam: &ExamDef, lib: &Library, seed: u64) -> Result<Vec<PaperItem>, DrawError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut taken: Vec<&Question> = Vec::new();
    for (i, pool) in exam.pools.iter().enumerate() {
        let all: Vec<&Question> = lib.questions().filter(|q| matches(q, exam, pool)).collect();
        let mut free: Vec<&Question> = all
            .iter()
            .copied()
            .filter(|q| !taken.iter().any(|t| t.id == q.id))
            .collect();
        if free.len() < pool.count {
            return Err(DrawError::PoolTooSmall {
                exam: exam.id.clone(),
                pool: i + 1,
                filter: describe(pool),
                wanted: pool.count,
                available: free.len(),
                others: if all.len() > free.len() {
                    format!(" after earlier pools took {}", all.len() - free.len())
                } else {
                    String::new()
                },
            });
        }
        free.shuffle(&mut rng);
        let mut chosen: Vec<&Question> = free.into_iter().take(pool.count).collect();
        // Keep file order within a pool unless questions are shuffled.
        if !exam.shuffle_questions {
            chosen.sort_by_key(|q| all.iter().position(|a| a.id == q.id));
        }
        taken.extend(chosen);
    }
    if taken.is_empty() {
        return Err(DrawError::Empty(exam.id.clone()));
    }
    if exam.shuffle_questions {
        taken.shuffle(&mut rng);
    }
    Ok(taken
        .into_iter()
        .map(|q| {
            let n = match &q.kind {
                Kind::Single { choices, .. } | Kind::Multiple { choices, .. } => choices.len(),
                Kind::Order { items } => items.len(),
                Kind::Match { pairs } => pairs.len(),
                Kind::TrueFalse { .. } | Kind::Short { .. } => 0,
            };
            let mut order: Vec<usize> = (0..n).collect();
            let must_shuffle = matches!(q.kind, Kind::Order { .. } | Kind::Match { .. });
            if n > 1 && (must_shuffle || (exam.shuffle_choices && q.shuffle)) {
                order.shuffle(&mut rng);
                // An order question must not start already solved.
                if matches!(q.kind, Kind::Order { .. })
                    && order.iter().enumerate().all(|(i, o)| i == *o)
                {
                    order.rotate_left(1);
                }
            }
            PaperItem {
                qid: q.id.clone(),
                order,
            }
        })
        .collect())
}
