//! A spreadsheet saved as CSV (comma-separated, UTF-8, fields with commas or new lines in double
//! quotes), one question per row.
//!
//! Columns, in this order when the file has no header row:
//!
//! | column | what |
//! | --- | --- |
//! | `id` | question id (made valid; empty gives `q-NNN`) |
//! | `type` | `single`, `multiple`, `true-false` (or `truefalse`, `tf`), `short`, `order`, `match`; empty: guessed from the answer |
//! | `prompt` | the question |
//! | `choice_a` .. `choice_f` | choices (`single`, `multiple`); items in the right order (`order`); `left -> right` pairs (`match`) |
//! | `answer` | `single`: a letter (`b`); `multiple`: letters (`a,c` or `a c` or `ac`); `true-false`: `true` or `false` (or `t`, `f`); `short`: accepted answers separated by `\|`; empty for `order` and `match` |
//! | `explanation` | why the answer is right |
//! | `source` | instrument and article |
//! | `difficulty` | `easy`, `medium` or `hard` (empty: medium) |
//! | `tags` | separated by `,` or `;` (slugged) |
//!
//! A first row whose first cell is `id` is a header: columns are then found by name, in any order,
//! more choice columns (`choice_g`...) may be added, and columns with other names are ignored
//! (and listed). Empty rows are ignored. A row that cannot be converted is listed with its line.

use super::clean::clean;
use super::{Draft, DraftKind, Parsed, label};
use crate::bank::Difficulty;
use crate::messages::{K, Msg};
use crate::msg;

const COLUMNS: [&str; 14] = [
    "id",
    "type",
    "prompt",
    "choice_a",
    "choice_b",
    "choice_c",
    "choice_d",
    "choice_e",
    "choice_f",
    "answer",
    "explanation",
    "source",
    "difficulty",
    "tags",
];

/// Where each known column is.
struct Cols {
    id: Option<usize>,
    kind: Option<usize>,
    prompt: Option<usize>,
    /// (choice letter index, column).
    choices: Vec<(usize, usize)>,
    answer: Option<usize>,
    explanation: Option<usize>,
    source: Option<usize>,
    difficulty: Option<usize>,
    tags: Option<usize>,
}

impl Cols {
    fn from_names(names: &[String]) -> (Cols, Vec<String>) {
        let find = |n: &str| names.iter().position(|x| x == n);
        let mut choices = Vec::new();
        let mut unknown = Vec::new();
        for (i, n) in names.iter().enumerate() {
            if let Some(l) = n.strip_prefix("choice_") {
                let b = l.as_bytes();
                if b.len() == 1 && b[0].is_ascii_lowercase() {
                    choices.push((usize::from(b[0] - b'a'), i));
                    continue;
                }
            }
            if !COLUMNS.contains(&n.as_str()) && !n.is_empty() {
                unknown.push(n.clone());
            }
        }
        choices.sort_unstable();
        (
            Cols {
                id: find("id"),
                kind: find("type"),
                prompt: find("prompt"),
                choices,
                answer: find("answer"),
                explanation: find("explanation"),
                source: find("source"),
                difficulty: find("difficulty"),
                tags: find("tags"),
            },
            unknown,
        )
    }

    fn fixed() -> Cols {
        let names: Vec<String> = COLUMNS.iter().map(|s| (*s).to_owned()).collect();
        Cols::from_names(&names).0
    }
}

/// Parse a CSV file.
pub(crate) fn parse(source: &str) -> Parsed {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut out = Parsed::default();
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source.as_bytes());
    let mut cols: Option<Cols> = None;
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
                out.note(line, msg!(ImpCsvRow, e.to_string()));
                continue;
            }
        };
        let line = rec
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_owned()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if cols.is_none() {
            if cells.first().is_some_and(|c| c.eq_ignore_ascii_case("id")) {
                let names: Vec<String> = cells.iter().map(|c| c.to_ascii_lowercase()).collect();
                let (c, unknown) = Cols::from_names(&names);
                if !unknown.is_empty() {
                    out.note(line, msg!(ImpColumnsIgnored, unknown.join(", ")));
                }
                cols = Some(c);
                continue;
            }
            cols = Some(Cols::fixed());
        }
        if let Some(c) = &cols {
            row(&cells, c, line, &mut out);
        }
    }
    out
}

fn cell(cells: &[String], i: Option<usize>) -> &str {
    i.and_then(|i| cells.get(i)).map_or("", String::as_str)
}

fn row(cells: &[String], c: &Cols, line: usize, out: &mut Parsed) {
    let name = Some(cell(cells, c.id).to_owned()).filter(|s| !s.is_empty());
    let prompt = cell(cells, c.prompt).to_owned();
    let lbl = label(name.as_deref(), &prompt);
    // Choices, with the letter of their column (a gap shifts later letters).
    let present: Vec<(usize, String)> = c
        .choices
        .iter()
        .map(|(l, i)| (*l, cell(cells, Some(*i)).to_owned()))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    let choices: Vec<String> = present.iter().map(|(_, s)| s.clone()).collect();
    let answer = cell(cells, c.answer);
    let kind = cell(cells, c.kind).to_ascii_lowercase();
    let kind = if kind.is_empty() {
        guess(&choices, answer)
    } else {
        kind
    };
    let mut d = Draft {
        line,
        name,
        prompt,
        explanation: Some(cell(cells, c.explanation).to_owned()).filter(|s| !s.is_empty()),
        source: Some(cell(cells, c.source).to_owned()).filter(|s| !s.is_empty()),
        tags: cell(cells, c.tags)
            .split([',', ';'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        ..Draft::default()
    };
    let diff = cell(cells, c.difficulty);
    if !diff.is_empty() {
        d.difficulty = Difficulty::from_name(&diff.to_ascii_lowercase());
        if d.difficulty.is_none() {
            d.notes.push(msg!(ImpBadDifficulty, clean(diff)));
        }
    }
    let index_of = |letter: char| -> Option<usize> {
        let l = usize::from(
            u8::try_from(letter.to_ascii_lowercase())
                .ok()?
                .checked_sub(b'a')?,
        );
        present.iter().position(|(x, _)| *x == l)
    };
    let result: Result<DraftKind, Msg> = match kind.as_str() {
        "single" => {
            let mut it = answer.chars();
            match (it.next(), it.next()) {
                (Some(l), None) => index_of(l)
                    .map(|answer| DraftKind::Single {
                        choices: choices.clone(),
                        answer,
                    })
                    .ok_or_else(|| msg!(ImpCsvNoFilledChoice, answer)),
                _ => Err(msg!(ImpCsvNotOneLetter, answer)),
            }
        }
        "multiple" => {
            let letters: Vec<char> = answer
                .chars()
                .filter(|c| !matches!(c, ',' | ';' | ' '))
                .collect();
            let mut answers = Vec::new();
            let mut bad = None;
            for l in &letters {
                match index_of(*l) {
                    Some(i) if !answers.contains(&i) => answers.push(i),
                    Some(_) => {}
                    None => bad = Some(*l),
                }
            }
            answers.sort_unstable();
            match bad {
                Some(l) => Err(msg!(ImpCsvLetterNoChoice, l)),
                None if answers.is_empty() => Err(K::ImpCsvNoLetter.into()),
                None => Ok(DraftKind::Multiple {
                    choices: choices.clone(),
                    answers,
                }),
            }
        }
        "true-false" | "truefalse" | "tf" => match answer.to_ascii_lowercase().as_str() {
            "true" | "t" => Ok(DraftKind::TrueFalse(true)),
            "false" | "f" => Ok(DraftKind::TrueFalse(false)),
            _ => Err(msg!(ImpCsvNotTrueFalse, answer)),
        },
        "short" => {
            let acc: Vec<String> = answer
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            if acc.is_empty() {
                Err(K::ImpNoAccepted.into())
            } else {
                Ok(DraftKind::Short(acc))
            }
        }
        "order" => Ok(DraftKind::Order(choices.clone())),
        "match" => choices
            .iter()
            .map(|c| {
                c.split_once("->")
                    .map(|(l, r)| (l.trim().to_owned(), r.trim().to_owned()))
                    .ok_or_else(|| msg!(ImpCsvPairNoArrow, super::clean::excerpt(c)))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(DraftKind::Match),
        other => Err(msg!(ImpCsvBadType, super::clean::excerpt(other))),
    };
    match result {
        Ok(k) => {
            if matches!(k, DraftKind::Order(_) | DraftKind::Match(_)) && !answer.is_empty() {
                d.notes.push(K::ImpCsvAnswerUnused.into());
            }
            d.kind = k;
            out.drafts.push(d);
        }
        Err(why) => out.skip(line, &lbl, why),
    }
}

/// The type of a row with an empty `type` cell.
fn guess(choices: &[String], answer: &str) -> String {
    let a = answer.to_ascii_lowercase();
    if choices.is_empty() {
        if matches!(a.as_str(), "true" | "false" | "t" | "f") {
            "true-false"
        } else {
            "short"
        }
    } else if a.chars().filter(char::is_ascii_alphabetic).count() > 1 {
        "multiple"
    } else {
        "single"
    }
    .to_owned()
}
