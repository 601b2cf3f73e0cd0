//! Instructor tooling: converters between Moodle question formats and tipquiz banks, and starter
//! templates. Pure functions from text to text: no files, no terminal.
//!
//! # Import
//!
//! [`import`] reads GIFT, Aiken, Moodle XML or CSV and writes a one-language bank in TOML that
//! [`crate::bank::parse_bank`] accepts without errors (as long as at least one question was
//! converted: a bank needs a question). Every question that could not be converted, and every
//! change made to one that was, is listed in [`Import::skipped`] with its line in the source file:
//! nothing is dropped silently. Those entries read `question ...: not converted: <why>` or
//! `question ...: converted, but <what changed>`.
//!
//! Common rules for every format:
//! - Question names become ids: lower-case ASCII letters, digits and `-` (other characters become
//!   `-`), cut to 48 characters; a name with no ASCII letter or digit, or no name, gives
//!   `q-NNN`, where NNN is the question's position in the bank. A repeated id gets `-2`, `-3`...
//! - Categories and tags become tags (slugged the same way); a category gives one tag of its
//!   whole path below the context (`$course$/top/Law/Chapter 1` gives `law-chapter-1`, so that
//!   `Indicators/Chapter 1` stays apart; Moodle's `Default for X` counts as `X`). A part of a path,
//!   or a tag, with no ASCII letter or digit cannot be a tag and is listed.
//! - General feedback becomes the explanation; every other feedback (per answer, true/false,
//!   overall, hints) follows it on its own line, labelled in the bank's language (`“yellow”:
//!   ...`, `If you answered true: ...`, `Hint 1: ...`).
//! - Weights: `single` needs exactly one 100% answer (several 100% answers skip the question);
//!   other weights become per-choice credits (negative ones count as 0, noted). `multiple` takes
//!   every answer with a positive weight as right and keeps Moodle's weights as credits unless
//!   they are tipquiz's own rule; positive weights must add up to 100%. `short` accepts every
//!   100% answer, keeps other positive weights as partly right answers, and drops wildcards
//!   (noted). `numerical` keeps the first 100% answer, its tolerance, units and partly right
//!   values. A weight that is not one of Moodle's grades is snapped to the nearest, noted.
//!   `match` drops distractors (a right side with no left) and notes it.
//! - Marks (Moodle XML's `defaultgrade`) become points: whole marks as they are; fractional
//!   ones multiplied for the whole file so that all are whole and in proportion; 0 becomes 1 and
//!   over 1000 becomes 1000; each change noted.
//! - Text in HTML (GIFT `[html]`, Moodle XML `format="html"`) has its tags stripped (block tags
//!   end a line); every HTML5 character reference is decoded in HTML and Moodle-format text.
//!   Links are dropped (their text kept), with a note naming them; so are attached files. A
//!   question text or choice left empty, or holding an image or other media, skips the
//!   question; a picture in feedback or a hint is dropped with a note. Other formats are taken
//!   as written. Control and direction characters are removed everywhere, with a note.
//! - Each question is checked on its own with the bank checker before it is written; one that
//!   still fails (for example, two choices that are the same, or Arabic presentation forms) is
//!   skipped with the checker's message.
//!
//! See the format modules for what each reads: [`gift`], [`aiken`], [`moodle_xml`], [`csv`].
//!
//! # Export
//!
//! [`export()`] writes one language of a bank as GIFT or Moodle XML: see it for what each format
//! carries.
//!
//! # Starters
//!
//! [`starter_bank`] and [`starter_exam`] write commented templates that load at once.

pub mod aiken;
mod clean;
pub mod csv;
pub mod decode;
pub mod export;
pub mod gift;
pub mod moodle_xml;
pub mod starter;

pub use export::{Export, ExportFormat, export};
pub use starter::{starter_bank, starter_exam};

use crate::bank::{Difficulty, parse_bank};
use crate::messages::{K, Msg};
use crate::msg;
use clean::{clean, comment_line, excerpt, id_from_name, toml_str};
use std::collections::HashSet;
use std::fmt::Write as _;

/// A format questions can be imported from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Moodle's GIFT text format.
    Gift,
    /// The Aiken format (single-answer multiple choice).
    Aiken,
    /// Moodle XML.
    MoodleXml,
    /// A spreadsheet saved as CSV (see [`csv`] for the columns).
    Csv,
}

impl Format {
    /// Every format, with the names [`Format::from_name`] reads.
    pub const NAMES: [(&'static str, Format); 4] = [
        ("gift", Format::Gift),
        ("aiken", Format::Aiken),
        ("moodle-xml", Format::MoodleXml),
        ("csv", Format::Csv),
    ];

    /// The format's name (`gift`, `aiken`, `moodle-xml`, `csv`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::Gift => "gift",
            Format::Aiken => "aiken",
            Format::MoodleXml => "moodle-xml",
            Format::Csv => "csv",
        }
    }

    /// A format from its name; `xml` is read as `moodle-xml`. Case is ignored.
    #[must_use]
    pub fn from_name(s: &str) -> Option<Format> {
        let s = s.trim().to_ascii_lowercase();
        if s == "xml" || s == "moodle" || s == "moodlexml" {
            return Some(Format::MoodleXml);
        }
        Format::NAMES.iter().find(|(n, _)| *n == s).map(|(_, f)| *f)
    }

    /// A guess from a file's extension (`.gift`, `.xml`, `.csv`; `.txt` is GIFT or Aiken, so the
    /// text decides) and its text.
    #[must_use]
    pub fn guess(extension: Option<&str>, text: &str) -> Format {
        match extension.map(str::to_ascii_lowercase).as_deref() {
            Some("gift") => return Format::Gift,
            Some("xml") => return Format::MoodleXml,
            Some("csv" | "tsv") => return Format::Csv,
            Some("aiken") => return Format::Aiken,
            _ => {}
        }
        let t = text.trim_start_matches('\u{feff}').trim_start();
        if t.starts_with("<?xml") || t.starts_with("<quiz") {
            return Format::MoodleXml;
        }
        let aiken = text
            .lines()
            .any(|l| l.trim_start().to_ascii_uppercase().starts_with("ANSWER:"));
        if aiken && !text.contains('{') {
            return Format::Aiken;
        }
        if text.contains('{') && text.contains('}') {
            return Format::Gift;
        }
        Format::Csv
    }

    fn title(self) -> &'static str {
        match self {
            Format::Gift => "GIFT",
            Format::Aiken => "Aiken",
            Format::MoodleXml => "Moodle XML",
            Format::Csv => "CSV",
        }
    }
}

/// Something in the source that was not converted, or was converted with a change.
#[derive(Clone, Debug)]
pub struct Skipped {
    /// Line in the source file (1-based).
    pub line: usize,
    /// What, and why, in English.
    pub what: String,
    /// The same in any language.
    pub message: Msg,
}

impl Skipped {
    /// A note at `line`.
    #[must_use]
    pub fn new(line: usize, message: Msg) -> Skipped {
        Skipped {
            line,
            what: message.en(),
            message,
        }
    }
}

/// Two notes are the same when they say the same at the same line.
impl PartialEq for Skipped {
    fn eq(&self, other: &Skipped) -> bool {
        self.line == other.line && self.what == other.what
    }
}
impl Eq for Skipped {}

/// The result of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The bank, as TOML text.
    pub toml: String,
    /// Questions not converted and changes made, in source order.
    pub skipped: Vec<Skipped>,
    /// Number of questions in the bank. When it is 0, `toml` is not a bank that loads (a bank
    /// needs a question): report `skipped` and write nothing.
    pub questions: usize,
}

/// Import questions from `text` in format `from`, as a bank with id `bank_id` written in language
/// `lang` (a code such as `en` or `ar`). An id or code that is not valid is made valid
/// (`bank_id` falls back to `imported`, `lang` to `en`).
#[must_use]
pub fn import(text: &str, from: Format, lang: &str, bank_id: &str) -> Import {
    import_avoiding(text, from, lang, bank_id, &Taken::default())
}

/// Ids that an imported bank must not take: those of the banks it would be loaded with (the
/// shipped ones). A bank loaded with the id of another replaces it, and question ids must be
/// unique across every loaded bank.
#[derive(Clone, Debug, Default)]
pub struct Taken {
    /// Bank ids.
    pub banks: HashSet<String>,
    /// Question ids, with the id of the bank that has each.
    pub questions: std::collections::HashMap<String, String>,
}

impl Taken {
    /// The ids of `banks`.
    #[must_use]
    pub fn of(banks: &[crate::bank::Bank]) -> Taken {
        Taken {
            banks: banks.iter().map(|b| b.id.clone()).collect(),
            questions: banks
                .iter()
                .flat_map(|b| b.questions.iter().map(|q| (q.id.clone(), b.id.clone())))
                .collect(),
        }
    }
}

/// [`import`], giving the bank and its questions ids that are not in `taken`: a bank id or
/// question id that is taken is replaced by a free one (`indicators` becomes
/// `indicators-imported`, `ind-001` becomes `ind-001-2`), and each change is noted.
#[must_use]
pub fn import_avoiding(
    text: &str,
    from: Format,
    lang: &str,
    bank_id: &str,
    taken: &Taken,
) -> Import {
    let parsed = match from {
        Format::Gift => gift::parse(text),
        Format::Aiken => aiken::parse(text),
        Format::MoodleXml => moodle_xml::parse(text),
        Format::Csv => csv::parse(text),
    };
    build(parsed, from, lang, bank_id, taken)
}

/// Import a file from its bytes: decode them ([`decode::decode`], with `encoding` as named by
/// the user), take the format `from` or guess it from the file's `extension` and text, and
/// import. Returns the import, how the bytes were read, and the format used.
///
/// # Errors
/// When the bytes cannot be read as text (see [`decode`]).
pub fn import_file(
    bytes: &[u8],
    from: Option<Format>,
    extension: Option<&str>,
    encoding: Option<&str>,
    lang: &str,
    bank_id: &str,
    taken: &Taken,
) -> Result<(Import, decode::Decoded, Format), decode::DecodeError> {
    let decoded = decode::decode(bytes, encoding)?;
    let format = from.unwrap_or_else(|| Format::guess(extension, &decoded.text));
    let mut imp = import_avoiding(&decoded.text, format, lang, bank_id, taken);
    for n in decoded.notes.iter().rev() {
        imp.skipped.insert(0, Skipped::new(0, n.clone()));
    }
    Ok((imp, decoded, format))
}

// ------------------------------------------------------------------ the common model

/// A question read from a source format, before it is checked and written.
#[derive(Clone, Debug, Default)]
pub(crate) struct Draft {
    /// Line in the source.
    pub line: usize,
    /// Its name in the source, if any.
    pub name: Option<String>,
    /// The question text.
    pub prompt: String,
    /// Type and answer key.
    pub kind: DraftKind,
    /// General feedback.
    pub explanation: Option<String>,
    /// Source (instrument and article).
    pub source: Option<String>,
    /// Difficulty.
    pub difficulty: Option<Difficulty>,
    /// Tags, raw (slugged when written).
    pub tags: Vec<String>,
    /// Points.
    pub points: Option<u32>,
    /// The mark in the source (Moodle XML's `defaultgrade`), made whole points for the file.
    pub mark: Option<f64>,
    /// `Some(false)` when the source says not to shuffle.
    pub shuffle: Option<bool>,
    /// Changes made while converting (written as "converted, but ...").
    pub notes: Vec<Msg>,
    /// Per-answer, overall and hint feedback, with what each is for.
    pub feedback: Vec<(Fb, String)>,
    /// Per-choice credit in percent (`single`, `multiple`), when not the usual rule.
    pub credit: Vec<f64>,
    /// Partly right typed answers: (credit in percent, answer) for `short`.
    pub partial: Vec<(f64, String)>,
}

impl Draft {
    /// How messages name this question.
    pub fn label(&self) -> Msg {
        label(self.name.as_deref(), &self.prompt)
    }

    /// Keep a piece of feedback (empty ones are ignored): written into the explanation, after
    /// the general feedback, on its own line as `label: text`.
    pub fn add_feedback(&mut self, label: Fb, text: &str) {
        let t = text.trim();
        if !t.is_empty() {
            self.feedback.push((label, t.to_owned()));
        }
    }

    /// Every text of the draft, for checks that look at them all.
    fn texts(&self) -> Vec<&str> {
        let mut v: Vec<&str> = vec![self.prompt.as_str()];
        v.extend(self.explanation.as_deref());
        v.extend(self.source.as_deref());
        v.extend(self.feedback.iter().map(|(_, t)| t.as_str()));
        match &self.kind {
            DraftKind::Single { choices, .. } | DraftKind::Multiple { choices, .. } => {
                v.extend(choices.iter().map(String::as_str));
            }
            DraftKind::Short(a) | DraftKind::Order(a) => v.extend(a.iter().map(String::as_str)),
            DraftKind::Match(p) => {
                for (l, r) in p {
                    v.push(l);
                    v.push(r);
                }
            }
            DraftKind::TrueFalse(_) => {}
            DraftKind::Numerical { units, .. } => v.extend(units.iter().map(|u| u.0.as_str())),
        }
        v.extend(self.partial.iter().map(|p| p.1.as_str()));
        v
    }
}

/// What a piece of feedback is for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Fb {
    /// The feedback of one answer (its text).
    Answer(String),
    /// Shown to whoever answered true.
    True,
    /// Shown to whoever answered false.
    False,
    /// Moodle's feedback for any right answer.
    Right,
    /// For any partly right answer.
    Partial,
    /// For any wrong answer.
    Wrong,
    /// A hint (numbered from 1).
    Hint(usize),
}

impl Fb {
    fn label(&self) -> Msg {
        match self {
            Fb::Answer(a) => msg!(ImpFbAnswer, excerpt(a)),
            Fb::True => K::ImpFbTrue.into(),
            Fb::False => K::ImpFbFalse.into(),
            Fb::Right => K::ImpFbRight.into(),
            Fb::Partial => K::ImpFbPartial.into(),
            Fb::Wrong => K::ImpFbWrong.into(),
            Fb::Hint(n) => msg!(ImpFbHint, *n),
        }
    }
}

/// How messages name a question: by its name, or by the start of its text.
pub(crate) fn label(name: Option<&str>, prompt: &str) -> Msg {
    match name.map(excerpt).filter(|n| !n.is_empty()) {
        Some(n) => msg!(ImpQuestionNamed, n),
        None => {
            let p = excerpt(prompt);
            if p.is_empty() {
                K::ImpQuestion.into()
            } else {
                msg!(ImpQuestionText, p)
            }
        }
    }
}

/// The type and answer key of a draft.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DraftKind {
    /// One right choice.
    Single { choices: Vec<String>, answer: usize },
    /// Several right choices.
    Multiple {
        choices: Vec<String>,
        answers: Vec<usize>,
    },
    /// True or false.
    TrueFalse(bool),
    /// Accepted answers.
    Short(Vec<String>),
    /// Items in the right order.
    Order(Vec<String>),
    /// Left and right pairs.
    Match(Vec<(String, String)>),
    /// A number: the right value, its tolerance, units (name, multiplier), and partly right
    /// values (value, tolerance, credit in percent).
    Numerical {
        answer: f64,
        tolerance: f64,
        units: Vec<(String, f64)>,
        partial: Vec<(f64, f64, f64)>,
    },
}

impl Default for DraftKind {
    fn default() -> Self {
        DraftKind::TrueFalse(true)
    }
}

/// What a parser found: drafts, and entries for what it could not convert.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub drafts: Vec<Draft>,
    pub skipped: Vec<Skipped>,
}

impl Parsed {
    /// Record a question that is not converted.
    pub fn skip(&mut self, line: usize, label: &Msg, why: impl Into<Msg>) {
        self.skipped
            .push(Skipped::new(line, msg!(ImpNotConverted, label, why.into())));
    }

    /// Record something else worth knowing (a category that cannot be a tag, a bad row...).
    pub fn note(&mut self, line: usize, what: impl Into<Msg>) {
        self.skipped.push(Skipped::new(line, what.into()));
    }
}

/// A Moodle weight (percent) as a valid fraction: the nearest one, with a note when it was not
/// one already (Moodle itself refuses such a file).
pub(crate) fn snap(w: f64, notes: &mut Vec<Msg>) -> f64 {
    let f = crate::bank::nearest_fraction(w);
    if (f - w).abs() >= 1e-4 {
        notes.push(msg!(
            ImpWeightSnapped,
            crate::messages::num(pct(w)),
            crate::messages::num(pct(f))
        ));
    }
    f
}

/// Turn answers with weights (percent) into a `single` or `multiple` key and per-choice
/// credits, with notes. `single` needs exactly one 100% answer; its other answers keep their
/// weight as their credit (negative ones count as 0 in tipquiz, and that is noted). `multiple`
/// takes every answer with a positive weight as right; the weights become the credits unless
/// they are tipquiz's own rule (equal shares, the same share off for each wrong choice), and
/// the positive ones must add up to 100%, as Moodle requires.
pub(crate) fn weighted_choices(
    choices: Vec<String>,
    weights: &[f64],
    single: bool,
) -> Result<(DraftKind, Vec<f64>, Vec<Msg>), Msg> {
    const FULL: f64 = 99.99;
    let mut notes = Vec::new();
    if single {
        let right: Vec<usize> = (0..weights.len()).filter(|i| weights[*i] >= FULL).collect();
        match right.as_slice() {
            [] => Err(K::ImpNoFullAnswer.into()),
            [answer] => {
                let plain = weights
                    .iter()
                    .enumerate()
                    .all(|(i, w)| i == *answer || w.abs() < 1e-9);
                let credit = if plain {
                    Vec::new()
                } else {
                    if weights.iter().any(|w| *w < 0.0) {
                        notes.push(K::ImpNegativeSingle.into());
                    }
                    weights.iter().map(|w| snap(*w, &mut notes)).collect()
                };
                Ok((
                    DraftKind::Single {
                        choices,
                        answer: *answer,
                    },
                    credit,
                    notes,
                ))
            }
            _ => Err(K::ImpSeveralFull.into()),
        }
    } else {
        let answers: Vec<usize> = (0..weights.len()).filter(|i| weights[*i] > 0.0).collect();
        if answers.is_empty() {
            return Err(K::ImpNoPositive.into());
        }
        let share = 100.0 / answers.len() as f64;
        let usual = (0..weights.len()).all(|i| {
            let want = if answers.contains(&i) { share } else { -share };
            (weights[i] - want).abs() < 0.01
        });
        let credit: Vec<f64> = if usual {
            Vec::new()
        } else {
            weights.iter().map(|w| snap(*w, &mut notes)).collect()
        };
        let sum: f64 = answers.iter().map(|i| weights[*i]).sum();
        if (sum - 100.0).abs() > 0.01 {
            return Err(msg!(ImpPositiveSum, crate::messages::num(pct(sum))));
        }
        Ok((DraftKind::Multiple { choices, answers }, credit, notes))
    }
}

/// A percentage as Moodle writes it: up to 5 decimals, no trailing zeros.
/// The end of a matching question in any source format: note the dropped distractors and
/// require at least two pairs.
pub(crate) fn finish_match(
    pairs: Vec<(String, String)>,
    distractors: &[String],
    d: &mut Draft,
) -> Result<DraftKind, Msg> {
    if !distractors.is_empty() {
        d.notes
            .push(msg!(ImpDistractorsDropped, distractors.join(", ")));
    }
    if pairs.len() < 2 {
        return Err(K::ImpMatchTwoPairs.into());
    }
    Ok(DraftKind::Match(pairs))
}

pub(crate) fn pct(x: f64) -> String {
    let s = format!("{x:.5}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

// ------------------------------------------------------------------ writing the bank

/// Moodle's marks (any number) as tipquiz points (whole numbers, 1 to 1000). Whole marks are kept.
/// When some mark of the file has a fraction, every mark of the file is multiplied by the
/// smallest of 2, 4, 5, 10, 20, 25, 50, 100 that makes them all whole (so that they stay in
/// proportion), and each question notes it; if none does, marks are rounded, with a note. A mark
/// of 0 (the question counted for nothing) becomes 1, and one over 1000 becomes 1000, with a note.
fn marks_to_points(drafts: &mut [Draft]) {
    let marks: Vec<f64> = drafts
        .iter()
        .filter_map(|d| d.mark)
        .filter(|m| *m > 0.0)
        .collect();
    let whole = |x: f64| (x - x.round()).abs() < 1e-6;
    let factor = [1.0, 2.0, 4.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0]
        .into_iter()
        .find(|k| marks.iter().all(|m| whole(m * k) && m * k <= 1000.0));
    for d in drafts {
        let Some(m) = d.mark else { continue };
        let (points, note) = if m <= 0.0 {
            (1.0, Some(msg!(ImpMarkZero, crate::messages::num(pct(m)))))
        } else {
            let scaled = m * factor.unwrap_or(1.0);
            if scaled > 1000.0 {
                (
                    1000.0,
                    Some(msg!(ImpMarkCapped, crate::messages::num(pct(m)))),
                )
            } else if factor.is_some_and(|k| k > 1.0) {
                let k = factor.unwrap_or(1.0);
                (
                    scaled.round(),
                    Some(msg!(
                        ImpMarkScaled,
                        crate::messages::num(pct(m)),
                        crate::messages::num(pct(scaled.round())),
                        crate::messages::num(pct(k))
                    )),
                )
            } else if !whole(scaled) {
                let r = scaled.round().max(1.0);
                (
                    r,
                    Some(msg!(
                        ImpGradeRounded,
                        crate::messages::num(pct(m)),
                        crate::messages::num(pct(r))
                    )),
                )
            } else {
                (scaled, None)
            }
        };
        d.notes.extend(note);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let p = points.clamp(1.0, 1000.0) as u32;
        d.points = Some(p);
    }
}

fn build(parsed: Parsed, from: Format, lang: &str, bank_id: &str, taken: &Taken) -> Import {
    let lang = match clean::slug(lang) {
        l if l.is_empty() => "en".to_owned(),
        l => l,
    };
    let bank_id = match clean::slug(bank_id) {
        b if b.is_empty() => "imported".to_owned(),
        b => b,
    };
    let mut skipped = parsed.skipped;
    let bank_id = if taken.banks.contains(&bank_id) {
        let free = (1..)
            .map(|n| {
                if n == 1 {
                    format!("{bank_id}-imported")
                } else {
                    format!("{bank_id}-imported-{n}")
                }
            })
            .find(|id| !taken.banks.contains(id))
            .unwrap_or_default();
        skipped.push(Skipped::new(0, msg!(ImpBankIdTaken, &bank_id, &free)));
        free
    } else {
        bank_id
    };
    let mut used: HashSet<String> = HashSet::new();
    let mut body = String::new();
    let mut count = 0;
    let text_lang = crate::text::Lang::from_code(&lang).unwrap_or_default();
    let mut drafts = parsed.drafts;
    marks_to_points(&mut drafts);
    for mut draft in drafts {
        let label = draft.label();
        let mut removed: Vec<String> = Vec::new();
        for c in draft.texts().into_iter().flat_map(clean::removed_chars) {
            let u = format!("U+{:04X}", u32::from(c));
            if !removed.contains(&u) {
                removed.push(u);
            }
        }
        if !removed.is_empty() {
            draft.notes.push(msg!(ImpCharsRemoved, removed.join(", ")));
        }
        if !draft.feedback.is_empty() {
            let mut e = draft.explanation.take().unwrap_or_default();
            for (fb, text) in &draft.feedback {
                if !e.trim().is_empty() {
                    e.push('\n');
                }
                e.push_str(&msg!(ImpFbLine, fb.label(), text.as_str()).render(text_lang));
            }
            draft.explanation = Some(e);
        }
        match render(&mut draft, &lang, &mut used, taken, count + 1) {
            Ok(toml) => {
                count += 1;
                body.push('\n');
                body.push_str(&toml);
                for n in &draft.notes {
                    skipped.push(Skipped::new(draft.line, msg!(ImpConvertedBut, &label, n)));
                }
            }
            Err(why) => skipped.push(Skipped::new(draft.line, msg!(ImpNotConverted, &label, why))),
        }
    }
    skipped.sort_by_key(|s| s.line);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported by tipquiz from {}: {count} question{}.",
        from.title(),
        if count == 1 { "" } else { "s" }
    );
    out.push_str(
        "# Check every question before use, and add a `source` (instrument and article) to each.\n",
    );
    if !skipped.is_empty() {
        out.push_str("#\n# Not converted, or converted with a change (line in the source file):\n");
        for s in &skipped {
            let _ = writeln!(out, "#   line {}: {}", s.line, comment_line(&s.what));
        }
    }
    let title = match lang.as_str() {
        "ar" => format!("أسئلة مستوردة ({bank_id})"),
        _ => format!("Imported questions ({bank_id})"),
    };
    let _ = writeln!(out, "\nformat = 1");
    let _ = writeln!(out, "id = {}", toml_str(&bank_id));
    let _ = writeln!(out, "languages = [{}]", toml_str(&lang));
    let _ = writeln!(out, "title = {}", text_toml(&lang, &title));
    out.push_str(&body);
    if out.len() as u64 > crate::walk::MAX_FILE_BYTES {
        skipped.push(Skipped::new(
            0,
            msg!(
                ImpBankTooLarge,
                out.len().div_ceil(1024 * 1024),
                crate::walk::MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    Import {
        toml: out,
        skipped,
        questions: count,
    }
}

fn text_toml(lang: &str, s: &str) -> String {
    format!("{{ {lang} = {} }}", toml_str(s))
}

fn text_list(lang: &str, items: &[String]) -> String {
    let mut s = String::from("[\n");
    for i in items {
        let _ = writeln!(s, "  {},", text_toml(lang, i));
    }
    s.push(']');
    s
}

fn letter(i: usize) -> String {
    crate::bank::letter(i).to_string()
}

/// Clean a draft's texts, give it an id, write it as a `[[question]]`, and check it alone.
fn render(
    d: &mut Draft,
    lang: &str,
    used: &mut HashSet<String>,
    taken: &Taken,
    position: usize,
) -> Result<String, Msg> {
    let need = |s: &str, what: Msg| -> Result<String, Msg> {
        let c = clean(s);
        if c.is_empty() {
            Err(msg!(ImpIsEmpty, what))
        } else {
            Ok(c)
        }
    };
    let list = |items: &[String], what: K| -> Result<Vec<String>, Msg> {
        items
            .iter()
            .enumerate()
            .map(|(i, s)| need(s, Msg::new(what, vec![letter(i).into()])))
            .collect()
    };
    let prompt = need(&d.prompt, K::ImpTheQuestionText.into())?;
    let mut t = String::from("[[question]]\n");
    let base = d
        .name
        .as_deref()
        .map(id_from_name)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("q-{position:03}"));
    let mut id = base.clone();
    let mut n = 2;
    while used.contains(&id) || taken.questions.contains_key(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    if let Some(bank) = taken.questions.get(&base) {
        d.notes.push(msg!(ImpQuestionIdTaken, &base, bank, &id));
    }
    let _ = writeln!(t, "id = {}", toml_str(&id));
    let _ = writeln!(
        t,
        "type = {}",
        toml_str(match d.kind {
            DraftKind::Single { .. } => "single",
            DraftKind::Multiple { .. } => "multiple",
            DraftKind::TrueFalse(_) => "true-false",
            DraftKind::Short(_) => "short",
            DraftKind::Order(_) => "order",
            DraftKind::Match(_) => "match",
            DraftKind::Numerical { .. } => "numerical",
        })
    );
    if let Some(diff) = d.difficulty {
        let _ = writeln!(t, "difficulty = {}", toml_str(diff.name()));
    }
    let mut tags: Vec<String> = Vec::new();
    for tag in &d.tags {
        let s = clean::slug(tag);
        if !s.is_empty() && !tags.contains(&s) {
            tags.push(s);
        }
    }
    if !tags.is_empty() {
        let quoted: Vec<String> = tags.iter().map(|s| toml_str(s)).collect();
        let _ = writeln!(t, "tags = [{}]", quoted.join(", "));
    }
    let _ = writeln!(t, "prompt = {}", text_toml(lang, &prompt));
    match &d.kind {
        DraftKind::Single { choices, answer } => {
            let choices = list(choices, K::ImpChoiceN)?;
            let _ = writeln!(t, "choices = {}", text_list(lang, &choices));
            let _ = writeln!(t, "answer = {}", toml_str(&letter(*answer)));
        }
        DraftKind::Multiple { choices, answers } => {
            let choices = list(choices, K::ImpChoiceN)?;
            let _ = writeln!(t, "choices = {}", text_list(lang, &choices));
            let letters: Vec<String> = answers.iter().map(|a| toml_str(&letter(*a))).collect();
            let _ = writeln!(t, "answer = [{}]", letters.join(", "));
        }
        DraftKind::TrueFalse(b) => {
            let _ = writeln!(t, "answer = {b}");
        }
        DraftKind::Numerical {
            answer,
            tolerance,
            units,
            partial,
        } => {
            let _ = writeln!(t, "answer = {}", pct(*answer));
            if *tolerance != 0.0 {
                let _ = writeln!(t, "tolerance = {}", pct(*tolerance));
            }
            if !units.is_empty() {
                let us: Vec<String> = units
                    .iter()
                    .map(|(u, m)| {
                        format!(
                            "{{ unit = {}, multiplier = {} }}",
                            toml_str(&clean(u)),
                            pct(*m)
                        )
                    })
                    .collect();
                let _ = writeln!(t, "units = [{}]", us.join(", "));
            }
            if !partial.is_empty() {
                let ps: Vec<String> = partial
                    .iter()
                    .map(|(v, tol, c)| {
                        format!(
                            "{{ credit = {}, answer = {}, tolerance = {} }}",
                            pct(*c),
                            pct(*v),
                            pct(*tol)
                        )
                    })
                    .collect();
                let _ = writeln!(t, "partial = [{}]", ps.join(", "));
            }
        }
        DraftKind::Short(accepted) => {
            let mut seen: Vec<String> = Vec::new();
            for a in accepted {
                let a = clean(a);
                if !a.is_empty() && !seen.contains(&a) {
                    seen.push(a);
                }
            }
            if seen.is_empty() {
                return Err(K::ImpNoAccepted.into());
            }
            let quoted: Vec<String> = seen.iter().map(|s| toml_str(s)).collect();
            let _ = writeln!(t, "answer = {{ {lang} = [{}] }}", quoted.join(", "));
            let mut parts: Vec<String> = Vec::new();
            for (c, a) in &d.partial {
                let a = clean(a);
                if !a.is_empty() && !seen.contains(&a) {
                    parts.push(format!(
                        "{{ credit = {}, answer = {{ {lang} = [{}] }} }}",
                        pct(*c),
                        toml_str(&a)
                    ));
                }
            }
            if !parts.is_empty() {
                let _ = writeln!(t, "partial = [{}]", parts.join(", "));
            }
        }
        DraftKind::Order(items) => {
            let items = list(items, K::ImpItemN)?;
            let _ = writeln!(t, "items = {}", text_list(lang, &items));
        }
        DraftKind::Match(pairs) => {
            t.push_str("pairs = [\n");
            for (i, (l, r)) in pairs.iter().enumerate() {
                let l = need(l, msg!(ImpLeftN, i + 1))?;
                let r = need(r, msg!(ImpRightN, i + 1))?;
                let _ = writeln!(
                    t,
                    "  {{ left = {}, right = {} }},",
                    text_toml(lang, &l),
                    text_toml(lang, &r)
                );
            }
            t.push_str("]\n");
        }
    }
    if let Some(e) = d
        .explanation
        .as_deref()
        .map(clean)
        .filter(|e| !e.is_empty())
    {
        let _ = writeln!(t, "explanation = {}", text_toml(lang, &e));
    }
    if let Some(s) = d.source.as_deref().map(clean).filter(|e| !e.is_empty()) {
        let _ = writeln!(t, "source = {}", text_toml(lang, &s));
    }
    if let Some(p) = d.points.filter(|p| *p != 1) {
        let _ = writeln!(t, "points = {p}");
    }
    if d.shuffle == Some(false) {
        t.push_str("shuffle = false\n");
    }
    if !d.credit.is_empty() {
        let cs: Vec<String> = d.credit.iter().map(|c| pct(*c)).collect();
        let _ = writeln!(t, "credit = [{}]", cs.join(", "));
    }
    check_alone(&t, lang, &id)?;
    used.insert(id);
    Ok(t)
}

/// Check one question in a bank of its own; the first error is the reason to skip it.
fn check_alone(question: &str, lang: &str, id: &str) -> Result<(), Msg> {
    let bank = format!(
        "format = 1\nid = \"check\"\nlanguages = [{}]\ntitle = {}\n\n{question}",
        toml_str(lang),
        text_toml(lang, "check")
    );
    let (_, diags) = parse_bank("import", &bank);
    match diags.into_iter().find(crate::diag::Diagnostic::is_error) {
        Some(d) => {
            // In English the diagnostic's own "question `id`: " is left out (the note names
            // the question already); the Arabic sentence names it inside, so it stays whole.
            let prefix = format!("question `{id}`: ");
            let en = d
                .message
                .strip_prefix(&prefix)
                .unwrap_or(&d.message)
                .to_owned();
            Err(Msg::new(K::ImpCheckReason, vec![en.into(), d.msg.into()]))
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_map_to_single_and_multiple() {
        let c = || vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let ok = |r: Result<(DraftKind, Vec<f64>, Vec<Msg>), Msg>| {
            r.unwrap_or_else(|e| panic!("{}", e.en()))
        };
        // Single: the 100% answer; other weights kept as credits, negative ones noted.
        let (k, credit, n) = ok(weighted_choices(c(), &[0.0, 100.0, -50.0], true));
        assert_eq!(
            k,
            DraftKind::Single {
                choices: c(),
                answer: 1
            }
        );
        assert_eq!((credit, n.len()), (vec![0.0, 100.0, -50.0], 1));
        let (_, credit, n) = ok(weighted_choices(c(), &[50.0, 100.0, 0.0], true));
        assert_eq!((credit, n.len()), (vec![50.0, 100.0, 0.0], 0));
        let (_, credit, _) = ok(weighted_choices(c(), &[0.0, 100.0, 0.0], true));
        assert!(credit.is_empty());
        assert!(weighted_choices(c(), &[100.0, 100.0, 0.0], true).is_err());
        // Multiple: Moodle's own weights are credits unless they are tipquiz's rule.
        let (k, credit, n) = ok(weighted_choices(c(), &[50.0, -100.0, 50.0], false));
        assert_eq!(
            k,
            DraftKind::Multiple {
                choices: c(),
                answers: vec![0, 2]
            }
        );
        assert_eq!((credit, n.len()), (vec![50.0, -100.0, 50.0], 0));
        let (_, credit, _) = ok(weighted_choices(c(), &[50.0, -50.0, 50.0], false));
        assert!(credit.is_empty());
        let (_, credit, _) = ok(weighted_choices(
            c(),
            &[33.33333, 33.33333, 33.33333],
            false,
        ));
        assert!(credit.is_empty());
        let (_, credit, _) = ok(weighted_choices(c(), &[70.0, 30.0, 0.0], false));
        assert_eq!(credit, vec![70.0, 30.0, 0.0]);
        // Positive weights that do not add up to 100%: refused, as Moodle refuses them.
        assert!(weighted_choices(c(), &[33.0, 33.33333, 33.33333], false).is_err());
        // A weight that is not one of Moodle's fractions is snapped, with a note.
        let (_, credit, n) = ok(weighted_choices(c(), &[0.0, 100.0, 33.0], true));
        assert_eq!((credit[2], n.len()), (33.33333, 1));
        assert_eq!(pct(100.0 / 3.0), "33.33333");
        assert_eq!(pct(-50.0), "-50");
    }

    #[test]
    fn guesses_formats() {
        assert_eq!(
            Format::guess(None, "<?xml version=\"1.0\"?><quiz/>"),
            Format::MoodleXml
        );
        assert_eq!(
            Format::guess(None, "Q?\nA. x\nB. y\nANSWER: A\n"),
            Format::Aiken
        );
        assert_eq!(Format::guess(Some("txt"), "Q{T}"), Format::Gift);
        assert_eq!(Format::guess(None, "id,type,prompt\n"), Format::Csv);
        assert_eq!(Format::from_name("XML"), Some(Format::MoodleXml));
    }
}
