//! The validated, immutable bank.

use crate::text::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// How hard a question is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    /// Easy.
    Easy,
    /// Medium.
    Medium,
    /// Hard.
    Hard,
}

impl Difficulty {
    /// All difficulties, easiest first.
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    /// The name used in files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }

    /// Parse a name used in files.
    #[must_use]
    pub fn from_name(s: &str) -> Option<Difficulty> {
        Difficulty::ALL.into_iter().find(|d| d.name() == s)
    }
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The type of a question and its answer key. Choice indices are positions in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// One right choice.
    Single {
        /// The choices, in file order.
        choices: Vec<Text>,
        /// Index of the right choice.
        answer: usize,
    },
    /// Several right choices.
    Multiple {
        /// The choices, in file order.
        choices: Vec<Text>,
        /// Indices of the right choices, ascending.
        answers: Vec<usize>,
    },
    /// A statement that is true or false.
    TrueFalse {
        /// Whether the statement is true.
        answer: bool,
    },
    /// A typed answer.
    Short {
        /// Accepted answers per language code.
        accepted: BTreeMap<String, Vec<String>>,
    },
    /// Put items in the right sequence.
    Order {
        /// The items, in the right order.
        items: Vec<Text>,
    },
    /// Pair each left item with its right item.
    Match {
        /// `(left, right)` pairs, each left with its right.
        pairs: Vec<(Text, Text)>,
    },
    /// A typed number, right within a tolerance, with optional units.
    Numerical {
        /// The right value (in the first unit, when there are units).
        answer: Num,
        /// How far from `answer` a value may be and still be right (0: exactly).
        tolerance: Num,
        /// Units a trainee may write after the number; the first has multiplier 1.
        units: Vec<Unit>,
    },
}

/// A number from a bank file (a credit, a numerical answer or tolerance). Always finite: the
/// checker refuses anything else, which is why it may be `Eq`.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Num(pub f64);

impl Eq for Num {}

/// A unit of a numerical question: `15 years` or `180 months` (multiplier 12).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// The unit as written (any language).
    pub name: String,
    /// How many of this unit make one of the first unit.
    pub multiplier: Num,
}

/// A typed answer that earns part of the points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partial {
    /// The credit in percent (one of Moodle's fractions, above 0 and below 100).
    pub credit: Num,
    /// What earns it.
    pub answer: PartialAnswer,
}

/// What earns a [`Partial`] credit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartialAnswer {
    /// `short`: these answers, per language code (compared as the accepted answers are).
    Text(BTreeMap<String, Vec<String>>),
    /// `numerical`: a value within a tolerance.
    Number {
        /// The value.
        value: Num,
        /// The tolerance.
        tolerance: Num,
    },
}

/// Moodle's valid grades for an answer, in percent (and their negatives, for wrong choices of
/// a multiple-answer question). Moodle refuses any other on import.
pub const MOODLE_FRACTIONS: [f64; 21] = [
    100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0, 25.0,
    20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0,
];

/// The valid fraction nearest to `percent` (sign kept).
#[must_use]
pub fn nearest_fraction(percent: f64) -> f64 {
    let a = percent.abs();
    let best = MOODLE_FRACTIONS
        .iter()
        .copied()
        .min_by(|x, y| (x - a).abs().total_cmp(&(y - a).abs()))
        .unwrap_or(0.0);
    if percent < 0.0 { -best } else { best }
}

/// A percentage as Moodle writes one: up to 5 decimals, no trailing zeros (`33.33333`, `50`).
#[must_use]
pub fn percent_label(p: f64) -> String {
    let s = format!("{p:.5}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Whether `percent` is one of Moodle's fractions or its negative (to within 0.0001, as
/// Moodle compares them).
#[must_use]
pub fn is_moodle_fraction(percent: f64) -> bool {
    (nearest_fraction(percent) - percent).abs() < 1e-4
}

impl Kind {
    /// The type's name in files.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Single { .. } => "single",
            Kind::Multiple { .. } => "multiple",
            Kind::TrueFalse { .. } => "true-false",
            Kind::Short { .. } => "short",
            Kind::Order { .. } => "order",
            Kind::Match { .. } => "match",
            Kind::Numerical { .. } => "numerical",
        }
    }

    /// Every type name, in the order the docs list them.
    pub const NAMES: [&'static str; 7] = [
        "single",
        "multiple",
        "true-false",
        "short",
        "order",
        "match",
        "numerical",
    ];

    /// The choices of a choice question.
    #[must_use]
    pub fn choices(&self) -> Option<&[Text]> {
        match self {
            Kind::Single { choices, .. } | Kind::Multiple { choices, .. } => Some(choices),
            _ => None,
        }
    }
}

/// One question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id, unique across all banks.
    pub id: String,
    /// The bank it comes from.
    pub bank: String,
    /// The bank's topic.
    pub topic: String,
    /// Type and answer key.
    pub kind: Kind,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// Tags (department, theme, module).
    pub tags: Vec<String>,
    /// The question itself.
    pub prompt: Text,
    /// Why the answer is right.
    pub explanation: Option<Text>,
    /// Instrument and article, or the indicator list.
    pub source: Option<Text>,
    /// Fact ids from the course fact sheet.
    pub facts: Vec<String>,
    /// Ids of questions never drawn on the same paper as this one (each would give the other's
    /// answer away). The relation is symmetric: it is enough that one of the two names the other.
    pub excludes: Vec<String>,
    /// Points for a fully right answer.
    pub points: u32,
    /// Time limit in seconds, if the question has its own.
    pub time_limit: Option<u32>,
    /// Whether the screen may shuffle its choices or items.
    pub shuffle: bool,
    /// The credit of each choice in percent, Moodle's fractions (`single` and `multiple`);
    /// empty when the bank gives none (then the usual rules apply, section 4 of the format).
    pub credit: Vec<Num>,
    /// Typed answers that earn part of the points (`short` and `numerical`).
    pub partial: Vec<Partial>,
    /// Line of the question in its file.
    pub line: usize,
}

/// A validated bank.
///
/// Serialised (by the parsed-bank cache, `bank::cache`) without `origin` and `hash`, which
/// belong to the file it was read from; the loader sets them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bank {
    /// Bank id.
    pub id: String,
    /// Topic (course module).
    pub topic: String,
    /// Title.
    pub title: Text,
    /// Description.
    pub description: Option<Text>,
    /// Language codes the bank is written in.
    pub languages: Vec<String>,
    /// Questions, in file order.
    pub questions: Vec<Question>,
    /// Where it was loaded from (a path, or `shipped:<name>`).
    #[serde(skip)]
    pub origin: String,
    /// SHA-256 of the file's bytes, hex.
    #[serde(skip)]
    pub hash: String,
}
