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
        }
    }

    /// Every type name, in the order the docs list them.
    pub const NAMES: [&'static str; 6] = [
        "single",
        "multiple",
        "true-false",
        "short",
        "order",
        "match",
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
    /// Points for a fully right answer.
    pub points: u32,
    /// Time limit in seconds, if the question has its own.
    pub time_limit: Option<u32>,
    /// Whether the screen may shuffle its choices or items.
    pub shuffle: bool,
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
