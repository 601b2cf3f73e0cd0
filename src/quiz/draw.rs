//! Drawing a paper: deterministic for a seed, no question twice, every pool filled.

use crate::bank::{Kind, Library, Question};
use crate::diag::{Diagnostic, Severity};
use crate::exam::{ExamDef, Pool};
use crate::messages::{Arg, K, Msg};
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

/// A slot of an exam's papers: (pool, draw), both from 0.
pub type Slot = (usize, usize);

/// Why a paper could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawError {
    /// A pool asks for more questions than match it.
    PoolTooSmall {
        /// Exam id.
        exam: String,
        /// 1-based pool number.
        pool: usize,
        /// The pool's filter (boxed: the error stays small).
        filter: Box<PoolFilter>,
        /// Requested.
        wanted: usize,
        /// Available.
        available: usize,
        /// How many of the matching questions earlier pools took (0: none).
        taken: usize,
        /// How many of the rest were left out because they must not share a paper with a
        /// question already drawn (`excludes`; 0: none).
        excluded: usize,
    },
    /// The exam draws nothing.
    Empty(String),
}

/// A pool's filter, as the draw reports it (rendered in words by
/// [`PoolFilter::message`]; [`std::fmt::Display`] gives the English).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PoolFilter {
    /// The topic, if the pool names one.
    pub topic: Option<String>,
    /// The tags (any of them).
    pub tags: Vec<String>,
    /// The difficulties (any of them), by name.
    pub difficulty: Vec<String>,
}

impl std::fmt::Display for PoolFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en())
    }
}

impl std::fmt::Display for DrawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en())
    }
}

impl std::error::Error for DrawError {}

impl DrawError {
    /// This error in words (a pool that cannot be filled, or an exam that draws nothing).
    #[must_use]
    pub fn message(&self) -> Msg {
        match self {
            DrawError::PoolTooSmall {
                exam,
                pool,
                filter,
                wanted,
                available,
                taken,
                excluded,
            } => {
                let others = if *taken > 0 {
                    Arg::Msg(Msg::new(K::AfterEarlierPools, vec![(*taken).into()]))
                } else {
                    Arg::Raw(String::new())
                };
                let left_out = if *excluded > 0 {
                    Arg::Msg(Msg::new(K::AfterExclusions, vec![(*excluded).into()]))
                } else {
                    Arg::Raw(String::new())
                };
                Msg::new(
                    K::PoolTooSmall,
                    vec![
                        (*pool).into(),
                        exam.into(),
                        filter.message().into(),
                        (*wanted).into(),
                        (*available).into(),
                        others,
                        left_out,
                    ],
                )
            }
            DrawError::Empty(exam) => Msg::new(K::DrawsNothing, vec![exam.into()]),
        }
    }
}

impl PoolFilter {
    /// The filter in words: `topic t, tags a/b, difficulty easy` (names and values stay as
    /// the exam file writes them).
    #[must_use]
    pub fn message(&self) -> Msg {
        let f = self;
        let mut parts: Vec<Arg> = Vec::new();
        if let Some(t) = &f.topic {
            parts.push(Msg::new(K::FilterTopic, vec![t.into()]).into());
        }
        if !f.tags.is_empty() {
            parts.push(Msg::new(K::FilterTags, vec![f.tags.join("/").into()]).into());
        }
        if !f.difficulty.is_empty() {
            parts.push(Msg::new(K::FilterDifficulty, vec![f.difficulty.join("/").into()]).into());
        }
        let mut it = parts.into_iter();
        match it.next() {
            None => K::FilterAny.into(),
            Some(first) => Msg::new(
                K::Verbatim,
                vec![it.fold(first, |acc, x| Arg::Msg(Msg::new(K::ListSep, vec![acc, x])))],
            ),
        }
    }
}

/// Every problem of an exam against the loaded banks: the exam's own checks
/// ([`crate::exam::check_exam`]) and whether every pool can be filled.
#[must_use]
pub fn exam_problems(exam: &ExamDef, lib: &Library, file: &str) -> Vec<Diagnostic> {
    let mut diags = crate::exam::check_exam(exam, lib, file);
    if let Err(e) = check_pools(exam, lib) {
        diags.push(Diagnostic::at(
            Severity::Error,
            "pool-too-small",
            file,
            "",
            None,
            e.message(),
            Some(K::PoolTooSmallHint.into()),
        ));
    }
    for r in exclusion_risks(exam, lib) {
        diags.push(Diagnostic::at(
            Severity::Warning,
            "pool-may-be-short",
            file,
            "",
            None,
            r.message(&exam.id),
            Some(K::PoolMayBeShortHint.into()),
        ));
    }
    diags
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

fn describe(pool: &Pool) -> Box<PoolFilter> {
    Box::new(PoolFilter {
        topic: pool.topic.clone(),
        tags: pool.tags.clone(),
        difficulty: pool
            .difficulty
            .iter()
            .map(|d| d.name().to_owned())
            .collect(),
    })
}

/// Check that every pool can be filled, without drawing.
///
/// # Errors
/// The first pool that cannot be filled.
pub fn check_pools(exam: &ExamDef, lib: &Library) -> Result<(), DrawError> {
    draw(exam, lib, 0).map(|_| ())
}

/// A pool that some draws may not fill because of `excludes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExclusionRisk {
    /// 1-based pool number.
    pub pool: usize,
    /// The pool's filter.
    pub filter: Box<PoolFilter>,
    /// Requested.
    pub wanted: usize,
    /// Questions matching the pool.
    pub matching: usize,
    /// Of those, the ones that must not share a paper with some question the exam can draw.
    pub exposed: usize,
}

/// The pools whose filling may depend on the draw because of `excludes`: a pool is at risk
/// when, leaving out every matching question that must not share a paper with some question
/// the exam can draw (in any pool), fewer than `count` remain. This bound is safe: a pool not
/// listed is filled by every draw that fills it without `excludes` (earlier pools taking its
/// questions is a separate matter, see the docs on overlapping pools).
#[must_use]
pub fn exclusion_risks(exam: &ExamDef, lib: &Library) -> Vec<ExclusionRisk> {
    let per_pool: Vec<Vec<&Question>> = exam
        .pools
        .iter()
        .map(|p| lib.questions().filter(|q| matches(q, exam, p)).collect())
        .collect();
    let reach: Vec<&Question> = per_pool.iter().flatten().copied().collect();
    let mut out = Vec::new();
    for (i, (pool, qs)) in exam.pools.iter().zip(&per_pool).enumerate() {
        let exposed = qs
            .iter()
            .filter(|q| reach.iter().any(|r| Library::excluded(q, r)))
            .count();
        if exposed > 0 && qs.len() - exposed < pool.count {
            out.push(ExclusionRisk {
                pool: i + 1,
                filter: describe(pool),
                wanted: pool.count,
                matching: qs.len(),
                exposed,
            });
        }
    }
    out
}

impl ExclusionRisk {
    /// The warning in words.
    #[must_use]
    pub fn message(&self, exam: &str) -> Msg {
        Msg::new(
            K::PoolMayBeShort,
            vec![
                self.pool.into(),
                exam.into(),
                self.filter.message().into(),
                self.wanted.into(),
                (self.matching - self.exposed).into(),
                self.exposed.into(),
                self.matching.into(),
            ],
        )
    }
}

/// Draw a paper for `seed`.
///
/// # Errors
/// When a pool has fewer questions than it asks for, or the exam draws nothing.
pub fn draw(exam: &ExamDef, lib: &Library, seed: u64) -> Result<Vec<PaperItem>, DrawError> {
    draw_slots(exam, lib, seed).map(|v| v.into_iter().map(|(p, _)| p).collect())
}

/// [`draw`], with the slot each question fills: (pool, draw), both from 0 — the `draw`-th
/// question drawn from pool `pool` (in file order within the pool when questions are not
/// shuffled). Every paper of an exam has the same slots, whatever questions fill them, so
/// statistics of random papers are computed per slot, as Moodle does for random questions.
///
/// # Errors
/// As [`draw`].
pub fn draw_slots(
    exam: &ExamDef,
    lib: &Library,
    seed: u64,
) -> Result<Vec<(PaperItem, Slot)>, DrawError> {
    Pools::new(exam, lib).draw_slots(seed)
}

/// An exam's pools matched against the loaded banks once, to draw many papers: the report
/// draws again the paper of every record (each trainee's name gives its own), and the questions
/// each pool may take do not depend on the name.
#[derive(Debug)]
pub struct Pools<'a> {
    exam: &'a ExamDef,
    /// For each pool of the exam, the questions matching it, in the library's order.
    all: Vec<Vec<&'a Question>>,
}

impl<'a> Pools<'a> {
    /// Match every pool of `exam` against `lib`.
    #[must_use]
    pub fn new(exam: &'a ExamDef, lib: &'a Library) -> Pools<'a> {
        let all = exam
            .pools
            .iter()
            .map(|pool| lib.questions().filter(|q| matches(q, exam, pool)).collect())
            .collect();
        Pools { exam, all }
    }

    /// The exam.
    #[must_use]
    pub fn exam(&self) -> &'a ExamDef {
        self.exam
    }

    /// [`draw`] for `seed`.
    ///
    /// # Errors
    /// As [`draw`].
    pub fn draw(&self, seed: u64) -> Result<Vec<PaperItem>, DrawError> {
        self.draw_slots(seed)
            .map(|v| v.into_iter().map(|(p, _)| p).collect())
    }

    /// [`draw_slots`] for `seed`.
    ///
    /// # Errors
    /// As [`draw`].
    pub fn draw_slots(&self, seed: u64) -> Result<Vec<(PaperItem, Slot)>, DrawError> {
        draw_from(self, seed)
    }
}

fn draw_from(pools: &Pools<'_>, seed: u64) -> Result<Vec<(PaperItem, Slot)>, DrawError> {
    use std::collections::HashSet;
    let exam = pools.exam;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // The ids drawn so far, and every id they exclude: whether a question may join the paper
    // is two look-ups, not a pass over the paper (a 10,000-question paper was quadratic).
    let mut taken: HashSet<&str> = HashSet::new();
    let mut banned: HashSet<&str> = HashSet::new();
    let mut slots: Vec<(&Question, (usize, usize))> = Vec::new();
    for (i, (pool, all)) in exam.pools.iter().zip(&pools.all).enumerate() {
        // With each question its place in the pool, for file order. Shuffling pairs draws the
        // same random numbers as shuffling the questions alone (a shuffle draws by length).
        let mut free: Vec<(usize, &Question)> = all
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, q)| !taken.contains(q.id.as_str()))
            .collect();
        if free.len() < pool.count {
            return Err(DrawError::PoolTooSmall {
                exam: exam.id.clone(),
                pool: i + 1,
                filter: describe(pool),
                wanted: pool.count,
                available: free.len(),
                taken: all.len() - free.len(),
                excluded: 0,
            });
        }
        free.shuffle(&mut rng);
        // Take them in the shuffled order, leaving out any that must not share a paper with a
        // question already drawn; without `excludes` this is the first `count` of them.
        let mut chosen: Vec<(usize, &Question)> = Vec::with_capacity(pool.count);
        let mut excluded = 0;
        for &(at, q) in &free {
            if chosen.len() == pool.count {
                break;
            }
            // [`Library::excluded`] against every question drawn so far (this pool's too).
            if banned.contains(q.id.as_str())
                || q.excludes.iter().any(|e| taken.contains(e.as_str()))
            {
                excluded += 1;
            } else {
                taken.insert(q.id.as_str());
                banned.extend(q.excludes.iter().map(String::as_str));
                chosen.push((at, q));
            }
        }
        if chosen.len() < pool.count {
            return Err(DrawError::PoolTooSmall {
                exam: exam.id.clone(),
                pool: i + 1,
                filter: describe(pool),
                wanted: pool.count,
                available: chosen.len(),
                taken: all.len() - free.len(),
                excluded,
            });
        }
        // Keep file order within a pool unless questions are shuffled.
        if !exam.shuffle_questions {
            chosen.sort_by_key(|(at, _)| *at);
        }
        slots.extend(chosen.iter().enumerate().map(|(d, (_, q))| (*q, (i, d))));
    }
    if slots.is_empty() {
        return Err(DrawError::Empty(exam.id.clone()));
    }
    if exam.shuffle_questions {
        // The same random numbers as shuffling the questions alone (a shuffle draws by length).
        slots.shuffle(&mut rng);
    }
    Ok(slots
        .into_iter()
        .map(|(q, slot)| {
            let n = match &q.kind {
                Kind::Single { choices, .. } | Kind::Multiple { choices, .. } => choices.len(),
                Kind::Order { items } => items.len(),
                Kind::Match { pairs } => pairs.len(),
                Kind::TrueFalse { .. } | Kind::Short { .. } | Kind::Numerical { .. } => 0,
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
            (
                PaperItem {
                    qid: q.id.clone(),
                    order,
                },
                slot,
            )
        })
        .collect())
}
