//! A trainee's response to one question, and how it is written and read back.

use crate::bank::{Kind, Question};
use serde::{Deserialize, Serialize};

/// A trainee's response. Indices are positions in the bank file, independent of shuffling.
///
/// In JSON (records, autosaves) it is `{"kind": "choice", "value": 2}`. Binary formats (the
/// results index) get the same serialisation, which they write as the variant's number then
/// its value; it is read back by variant number there (see `response_readers!`), since serde's
/// reader of adjacently tagged enums needs a self-describing format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Response {
    /// `single`: the chosen choice.
    Choice(usize),
    /// `multiple`: the chosen choices.
    Choices(Vec<usize>),
    /// `true-false`.
    Bool(bool),
    /// `short`: the typed text, in logical order.
    Text(String),
    /// `order`: item indices in the order the trainee put them.
    Order(Vec<usize>),
    /// `match`: for each left item, the chosen right item.
    Match(Vec<Option<usize>>),
}

/// [`Response`] as read back: adjacently tagged from JSON (`ResponseWire`), by variant number
/// from a binary format (`ResponseByNumber`, where the adjacently tagged writer puts the
/// variant's number, then its value). The variants are [`Response`]'s, listed once here.
macro_rules! response_readers {
    ($($variant:ident($value:ty)),* $(,)?) => {
        #[derive(Deserialize)]
        #[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
        enum ResponseWire {
            $($variant($value)),*
        }

        #[derive(Deserialize)]
        enum ResponseByNumber {
            $($variant($value)),*
        }

        impl<'de> Deserialize<'de> for Response {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Response, D::Error> {
                Ok(if d.is_human_readable() {
                    match ResponseWire::deserialize(d)? {
                        $(ResponseWire::$variant(v) => Response::$variant(v)),*
                    }
                } else {
                    match ResponseByNumber::deserialize(d)? {
                        $(ResponseByNumber::$variant(v) => Response::$variant(v)),*
                    }
                })
            }
        }
    };
}

response_readers!(
    Choice(usize),
    Choices(Vec<usize>),
    Bool(bool),
    Text(String),
    Order(Vec<usize>),
    Match(Vec<Option<usize>>),
);

impl Response {
    /// Whether the response says nothing (no choice ticked, no text, no pair made).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self {
            Response::Choices(v) => v.is_empty(),
            Response::Text(t) => t.trim().is_empty(),
            Response::Match(m) => m.iter().all(Option::is_none),
            _ => false,
        }
    }

    /// Whether the response fits the question's type and sizes.
    #[must_use]
    pub fn fits(&self, q: &Question) -> bool {
        match (&q.kind, self) {
            (Kind::Single { choices, .. }, Response::Choice(c)) => *c < choices.len(),
            (Kind::Multiple { choices, .. }, Response::Choices(cs)) => {
                cs.iter().all(|c| *c < choices.len())
            }
            (Kind::TrueFalse { .. }, Response::Bool(_)) => true,
            (Kind::Short { .. } | Kind::Numerical { .. }, Response::Text(t)) => {
                t.chars().count() <= 500
            }
            (Kind::Order { items }, Response::Order(seq)) => {
                let mut s = seq.clone();
                s.sort_unstable();
                s == (0..items.len()).collect::<Vec<_>>()
            }
            (Kind::Match { pairs }, Response::Match(m)) => {
                m.len() == pairs.len() && m.iter().flatten().all(|r| *r < pairs.len())
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod response_wire_tests {
    use super::Response;

    #[test]
    fn every_response_reads_back_from_json_and_from_a_binary_format() {
        let all = [
            Response::Choice(2),
            Response::Choices(vec![0, 3]),
            Response::Bool(true),
            Response::Text("خمسة عشر".into()),
            Response::Order(vec![2, 0, 1]),
            Response::Match(vec![Some(1), None, Some(0)]),
        ];
        for r in all {
            let json = serde_json::to_string(&r).unwrap();
            assert!(
                json.starts_with("{\"kind\":\""),
                "JSON keeps its form: {json}"
            );
            assert_eq!(serde_json::from_str::<Response>(&json).unwrap(), r);
            let bin = postcard::to_stdvec(&r).unwrap();
            assert_eq!(postcard::from_bytes::<Response>(&bin).unwrap(), r);
        }
        assert_eq!(
            serde_json::to_string(&Response::Choice(2)).unwrap(),
            r#"{"kind":"choice","value":2}"#
        );
    }
}
