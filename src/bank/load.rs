//! Reading a bank file: TOML with spans, then every rule checked, every problem reported.

use super::model::{
    Bank, Difficulty, Kind, MOODLE_FRACTIONS, Num, Partial, PartialAnswer, Question, Unit,
    is_moodle_fraction, nearest_fraction,
};
use crate::diag::Diagnostic;
use crate::messages::{Arg, Describe, K, Msg};
use crate::msg;
use crate::text::Text;
use crate::walk::{Val, Walker, is_valid_id, suggest_id};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use toml::de::{DeTable, DeValue};

const TOP_KEYS: &[&str] = &[
    "format",
    "id",
    "topic",
    "languages",
    "title",
    "description",
    "defaults",
    "question",
];
const DEFAULT_KEYS: &[&str] = &["points", "time_limit"];
const QUESTION_KEYS: &[&str] = &[
    "id",
    "type",
    "difficulty",
    "tags",
    "prompt",
    "choices",
    "answer",
    "items",
    "pairs",
    "explanation",
    "source",
    "facts",
    "excludes",
    "points",
    "time_limit",
    "shuffle",
    "credit",
    "partial",
    "tolerance",
    "units",
];
/// The bank format version this program reads.
pub const FORMAT_VERSION: u32 = 1;
/// Most choices, items or pairs in a question (letters a..z).
pub const MAX_CHOICES: usize = 26;

/// SHA-256 of a file's bytes, as lowercase hex.
#[must_use]
pub fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Parse a TOML document into a spanned tree, recording syntax errors.
pub fn parse_tree<'i>(w: &mut Walker<'_>, source: &'i str) -> toml::Spanned<DeTable<'i>> {
    let (tree, errors) = DeTable::parse_recoverable(source);
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        w.error(
            "toml-syntax",
            span,
            msg!(TomlSyntax, e.message().trim()),
            Msg::from(K::TomlSyntaxHint),
        );
    }
    tree
}

/// Parse and validate one bank. Returns the bank when it has no errors, and every problem found.
#[must_use]
pub fn parse_bank(file: &str, source: &str) -> (Option<Bank>, Vec<Diagnostic>) {
    parse_bank_hashed(file, source, None)
}

/// [`parse_bank`], with the text's [`content_hash`] when the caller has it already (the bank
/// cache), so that it is not computed twice.
pub(crate) fn parse_bank_hashed(
    file: &str,
    source: &str,
    hash: Option<&str>,
) -> (Option<Bank>, Vec<Diagnostic>) {
    // A byte-order mark becomes three spaces, so that every byte offset stays the same.
    let text = crate::walk::without_bom(source);
    if let Some(bank) = parse_in_pieces(file, &text, source, hash, pieces_for(text.len())) {
        return (Some(bank), Vec::new());
    }
    parse_whole(file, &text, source, hash)
}

/// [`parse_bank`] in one piece, on one thread (the path that reports problems), for
/// benchmarks and tests that compare the two.
#[must_use]
pub fn parse_bank_one_piece(file: &str, source: &str) -> (Option<Bank>, Vec<Diagnostic>) {
    let text = crate::walk::without_bom(source);
    parse_whole(file, &text, source, None)
}

fn parse_whole(
    file: &str,
    text: &str,
    source: &str,
    hash: Option<&str>,
) -> (Option<Bank>, Vec<Diagnostic>) {
    let mut w = Walker::new(file, text);
    let tree = parse_tree(&mut w, text);
    let bank = check_bank(&mut w, tree.get_ref(), file);
    let mut diags = w.diags;
    diags.sort_by_key(|d| (d.line, d.column));
    let ok = !diags.iter().any(Diagnostic::is_error);
    let bank = bank.filter(|_| ok).map(|mut b| {
        b.hash = hash.map_or_else(|| content_hash(source.as_bytes()), str::to_owned);
        b
    });
    (bank, diags)
}

/// Banks smaller than this are read in one piece: the threads would cost more than they save.
const PIECE_BYTES: usize = 1 << 20;

/// Size of the pieces a larger bank is read in: small enough that a piece's parse tree (several
/// times the piece's size) is still in the processor's cache when the piece is checked.
const SMALL_PIECE_BYTES: usize = 256 << 10;

/// Size of the pieces a bank under [`PIECE_BYTES`] is read in, one after the other on one
/// thread: the parse tree of a whole file is about ten times its size, and was most of the
/// memory a class-sized quiz ever used; a piece's tree is dropped once the piece is checked.
const SEQUENTIAL_PIECE_BYTES: usize = 64 << 10;

/// How many pieces to read a bank of `len` bytes in: under a mebibyte, pieces of about
/// [`SEQUENTIAL_PIECE_BYTES`] (one under twice that) read on one thread; else pieces of about
/// [`SMALL_PIECE_BYTES`], so that every core has work and only a few pieces' parse trees are in
/// memory at once.
fn pieces_for(len: usize) -> usize {
    if len < PIECE_BYTES {
        return (len / SEQUENTIAL_PIECE_BYTES).max(1);
    }
    (len / SMALL_PIECE_BYTES).clamp(1, 4096)
}

/// Where `text` can be cut into about `pieces` parts: offsets of lines that are exactly a
/// `[[question]]` header, near equal shares of the file.
fn cut_points(text: &str, pieces: usize) -> Vec<usize> {
    const HEADER: &str = "\n[[question]]";
    let mut cuts = Vec::new();
    for k in 1..pieces {
        let from = (text.len() * k / pieces).max(cuts.last().copied().unwrap_or(0));
        let Some(rest) = text.get(from..).or_else(|| {
            // `from` fell inside a character: move to the next boundary.
            (from..text.len())
                .find(|i| text.is_char_boundary(*i))
                .and_then(|i| text.get(i..))
        }) else {
            break;
        };
        let base = text.len() - rest.len();
        match rest.find(HEADER) {
            Some(i) => cuts.push(base + i + 1),
            None => break,
        }
    }
    cuts.dedup();
    cuts
}

/// The fast path for a valid bank: the file is cut at `[[question]]` headers, the pieces are
/// parsed and checked on every core (one after the other under [`super::SMALL_TEXT`]), and the
/// questions joined in order. It gives up
/// (returns `None`) at the first problem of any kind, or when a piece after the first holds
/// anything but questions, so that every problem is reported by the one-piece path, in full and
/// in file order. A cut can only fall where the whole file has a `[[question]]` header too, or
/// inside a multi-line string, which leaves the piece before it unterminated, a syntax error.
fn parse_in_pieces(
    file: &str,
    text: &str,
    source: &str,
    hash: Option<&str>,
    pieces: usize,
) -> Option<Bank> {
    use rayon::prelude::*;
    if pieces < 2 {
        return None;
    }
    let cuts = cut_points(text, pieces);
    if cuts.is_empty() {
        return None;
    }
    let bounds: Vec<usize> = std::iter::once(0)
        .chain(cuts)
        .chain(std::iter::once(text.len()))
        .collect();
    // Line numbers before each piece, in one pass over the text.
    let bytes = text.as_bytes();
    let lines_before: Vec<usize> = bounds
        .windows(2)
        .scan(0, |lines, b| {
            let before = *lines;
            *lines += memchr::memchr_iter(b'\n', &bytes[b[0]..b[1]]).count();
            Some(before)
        })
        .collect();
    // The first piece holds the bank's keys (and perhaps questions); the others only questions.
    let first_piece = &text[..bounds[1]];
    let (first, errors) = DeTable::parse_recoverable(first_piece);
    if !errors.is_empty() {
        return None;
    }
    let mut w = Walker::new(file, first_piece);
    let header = check_header(&mut w, first.get_ref());
    if !w.diags.is_empty() {
        return None;
    }
    let ctx = header.ctx();
    // Each piece is parsed, checked and its parse tree dropped on one core, so only a few trees
    // are in memory at once.
    let check_piece = |(i, b): (usize, &[usize])| {
        let piece = &text[b[0]..b[1]];
        let parsed;
        let tree = if i == 0 {
            &first
        } else {
            let (tree, errors) = DeTable::parse_recoverable(piece);
            if !errors.is_empty() {
                return None;
            }
            parsed = tree;
            &parsed
        };
        let top = tree.get_ref();
        let only_questions = top.len() == 1 && top.contains_key("question");
        if i > 0 && !only_questions {
            return None;
        }
        let mut w = Walker::new(file, piece);
        w.lines_before = lines_before[i];
        let mut seen = HashMap::new();
        let questions = match top.get("question") {
            Some(v) => {
                let items = w.array(v, &key("question"))?;
                check_items(&mut w, items, &ctx, &mut seen)
            }
            None => Vec::new(),
        };
        w.diags.is_empty().then_some(questions)
    };
    let hash_of = || hash.map_or_else(|| content_hash(source.as_bytes()), str::to_owned);
    // A small bank's pieces are read one after the other on this thread (no thread pool: see
    // [`super::SMALL_TEXT`]), only to keep its parse tree small.
    let (checked, hash) = if text.len() < super::SMALL_TEXT {
        let checked = bounds
            .windows(2)
            .enumerate()
            .map(check_piece)
            .collect::<Option<Vec<Vec<Question>>>>();
        (checked, hash_of())
    } else {
        rayon::join(
            || {
                bounds
                    .par_windows(2)
                    .enumerate()
                    .map(check_piece)
                    .collect::<Option<Vec<Vec<Question>>>>()
            },
            hash_of,
        )
    };
    let checked = checked?;
    let count = checked.iter().map(Vec::len).sum();
    let mut ids = std::collections::HashSet::with_capacity(count);
    if !checked.iter().flatten().all(|q| ids.insert(q.id.as_str())) {
        return None;
    }
    drop(ids);
    let mut questions = Vec::with_capacity(count);
    questions.extend(checked.into_iter().flatten());
    if questions.is_empty() {
        return None;
    }
    let mut bank = header.into_bank(questions, file)?;
    bank.hash = hash;
    Some(bank)
}

fn whole(source: &str) -> Range<usize> {
    0..source.len().min(1)
}

/// The bank-level keys, checked.
struct Header {
    id: Option<String>,
    topic: Option<String>,
    title: Option<Text>,
    description: Option<Text>,
    languages: Vec<String>,
    langs: Vec<String>,
    points: u32,
    time: Option<u32>,
}

impl Header {
    fn ctx(&self) -> QCtx<'_> {
        QCtx {
            langs: &self.langs,
            bank: self.id.as_deref().unwrap_or(""),
            topic: self.topic.as_deref().unwrap_or(""),
            points: self.points,
            time: self.time,
        }
    }

    fn into_bank(self, questions: Vec<Question>, file: &str) -> Option<Bank> {
        Some(Bank {
            id: self.id?,
            topic: self.topic?,
            title: self.title?,
            description: self.description,
            languages: self.languages,
            questions,
            origin: file.to_owned(),
            hash: String::new(),
        })
    }
}

fn check_bank(w: &mut Walker<'_>, top: &DeTable<'_>, file: &str) -> Option<Bank> {
    let header = check_header(w, top);
    let start = whole(w.source);
    let mut questions = Vec::new();
    match top.get("question") {
        None => w.error(
            "no-questions",
            start,
            K::NoQuestions.into(),
            Msg::from(K::NoQuestionsHint),
        ),
        Some(v) => {
            if let Some(items) = w.array(v, &key("question")) {
                let mut seen = HashMap::new();
                questions = check_items(w, items, &header.ctx(), &mut seen);
            }
        }
    }
    header.into_bank(questions, file)
}

/// A key's name as a message, built only when a problem is reported.
fn key(name: &str) -> impl Fn() -> Msg + '_ {
    move || msg!(Key, name)
}

/// Check the `[[question]]` items; `seen` holds the ids met so far (with their lines), to
/// report an id used twice.
fn check_items<'t>(
    w: &mut Walker<'_>,
    items: &'t [Val<'_>],
    ctx: &QCtx<'_>,
    seen: &mut HashMap<&'t str, usize>,
) -> Vec<Question> {
    let mut questions = Vec::with_capacity(items.len());
    seen.reserve(items.len());
    for item in items {
        let Some(t) = w.table(item, &K::AQuestionTable) else {
            continue;
        };
        let line = w.line_of(item.span().start);
        if let Some(idv) = t.get("id")
            && let DeValue::String(qid) = idv.get_ref()
        {
            let qid: &str = qid;
            if let Some(first) = seen.get(qid) {
                w.error(
                    "duplicate-id",
                    idv.span(),
                    msg!(DuplicateId, qid),
                    msg!(DuplicateIdHint, *first),
                );
            } else {
                seen.insert(qid, line);
            }
        }
        if let Some(q) = check_question(w, t, item.span(), ctx) {
            questions.push(q);
        }
    }
    questions
}

fn check_header(w: &mut Walker<'_>, top: &DeTable<'_>) -> Header {
    w.unknown_keys(top, TOP_KEYS, &K::ABank);
    let the_bank = K::TheBank;
    let start = whole(w.source);
    if let Some(v) = w.required(top, "format", start.clone(), &the_bank, "1")
        && let Some(n) = w.positive(v, &key("format"), 1000)
        && n != FORMAT_VERSION
    {
        w.error(
            "format-version",
            v.span(),
            msg!(FormatVersion, n, FORMAT_VERSION),
            Msg::from(K::FormatVersionHint),
        );
    }
    let id = w
        .required(top, "id", start.clone(), &the_bank, "\"indicators\"")
        .and_then(|v| id_value(w, v, &K::TheBankId));
    let topic = match top.get("topic") {
        Some(v) => id_value(w, v, &K::TheTopic),
        None => id.clone(),
    };
    let languages = match w.required(
        top,
        "languages",
        start.clone(),
        &the_bank,
        "[\"en\", \"ar\"]",
    ) {
        Some(v) => {
            let langs = w.string_list(v, &key("languages"), true);
            if langs.is_empty() {
                w.error(
                    "missing-language",
                    v.span(),
                    K::LanguagesEmpty.into(),
                    Msg::from(K::LanguagesEmptyHint),
                );
            }
            let mut seen = Vec::new();
            for l in &langs {
                if seen.contains(l) {
                    w.error(
                        "duplicate-language",
                        v.span(),
                        msg!(ListedTwiceInLanguages, l),
                        None,
                    );
                }
                seen.push(l.clone());
            }
            seen
        }
        None => Vec::new(),
    };
    let langs = if languages.is_empty() {
        vec!["en".to_owned()]
    } else {
        languages.clone()
    };
    let title = w
        .required(
            top,
            "title",
            start.clone(),
            &the_bank,
            "{ en = \"...\", ar = \"...\" }",
        )
        .and_then(|v| w.text(v, &K::TheTitle, &langs));
    let description = top
        .get("description")
        .and_then(|v| w.text(v, &K::TheDescription, &langs));

    let mut default_points = 1;
    let mut default_time = None;
    if let Some(v) = top.get("defaults")
        && let Some(t) = w.table(v, &key("defaults"))
    {
        w.unknown_keys(t, DEFAULT_KEYS, &key("[defaults]"));
        if let Some(p) = t
            .get("points")
            .and_then(|p| w.positive(p, &key("defaults.points"), 1000))
        {
            default_points = p;
        }
        default_time = t
            .get("time_limit")
            .and_then(|p| w.seconds(p, &key("defaults.time_limit")));
    }

    Header {
        id,
        topic,
        title,
        description,
        languages,
        langs,
        points: default_points,
        time: default_time,
    }
}

fn id_value(w: &mut Walker<'_>, v: &Val<'_>, what: &dyn Describe) -> Option<String> {
    let s = w.string(v, what)?;
    if is_valid_id(&s) {
        Some(s)
    } else {
        w.error(
            "bad-id",
            v.span(),
            msg!(IdBadChars, what.describe(), &s),
            msg!(WriteItAs, suggest_id(&s)),
        );
        None
    }
}

/// How a question is named in messages: by its id, or by its line when it has no valid id.
#[derive(Clone, Copy)]
struct QName<'a> {
    id: Option<&'a str>,
    line: usize,
}

impl From<QName<'_>> for Arg {
    fn from(n: QName<'_>) -> Arg {
        match n.id {
            Some(id) => Arg::from(id),
            None => msg!(AtLine, n.line).into(),
        }
    }
}

struct QCtx<'a> {
    langs: &'a [String],
    bank: &'a str,
    topic: &'a str,
    points: u32,
    time: Option<u32>,
}

fn check_question(
    w: &mut Walker<'_>,
    t: &DeTable<'_>,
    span: Range<usize>,
    ctx: &QCtx<'_>,
) -> Option<Question> {
    w.unknown_keys(t, QUESTION_KEYS, &K::AQuestion);
    let line = w.line_of(span.start);
    let id = w
        .required(t, "id", span.clone(), &K::ThisQuestion, "\"ind-001\"")
        .and_then(|v| id_value(w, v, &K::TheQuestionId));
    let name = QName {
        id: id.as_deref(),
        line,
    };
    // The messages are built only when a problem is reported.
    let what = |field: K| move || msg!(FieldOfQuestion, field, name);
    let question = || msg!(QuestionNamed, name);
    let kind_name = w
        .required(t, "type", span.clone(), &question, "\"single\"")
        .and_then(|v| {
            let s = w.str_value(v, &key("type"))?;
            if Kind::NAMES.contains(&&*s) {
                Some(s)
            } else {
                w.error(
                    "bad-type",
                    v.span(),
                    msg!(NotAType, s.as_ref()),
                    msg!(UseOneOf, Kind::NAMES.join(", ")),
                );
                None
            }
        });
    let difficulty = match t.get("difficulty") {
        None => Some(Difficulty::Medium),
        Some(v) => w.str_value(v, &key("difficulty")).and_then(|s| {
            let d = Difficulty::from_name(&s);
            if d.is_none() {
                w.error(
                    "bad-difficulty",
                    v.span(),
                    msg!(NotADifficulty, s.as_ref()),
                    Msg::from(K::UseDifficulty),
                );
            }
            d
        }),
    };
    let tags = t
        .get("tags")
        .map(|v| w.string_list(v, &key("tags"), true))
        .unwrap_or_default();
    let facts = t
        .get("facts")
        .map(|v| w.string_list(v, &key("facts"), false))
        .unwrap_or_default();
    let excludes = t
        .get("excludes")
        .map(|v| w.string_list(v, &key("excludes"), true))
        .unwrap_or_default();
    if let (Some(me), Some(v)) = (id.as_deref(), t.get("excludes"))
        && excludes.iter().any(|x| x == me)
    {
        w.error(
            "exclude-self",
            v.span(),
            msg!(ExcludesItself, me),
            Msg::from(K::ExcludesItselfHint),
        );
    }
    let prompt = w
        .required(
            t,
            "prompt",
            span.clone(),
            &question,
            "{ en = \"...\", ar = \"...\" }",
        )
        .and_then(|v| w.text(v, &what(K::ThePrompt), ctx.langs));
    let explanation = t
        .get("explanation")
        .and_then(|v| w.text(v, &what(K::TheExplanation), ctx.langs));
    if t.get("explanation").is_none() {
        w.warn(
            "no-explanation",
            span.clone(),
            msg!(NoExplanation, name),
            Msg::from(K::NoExplanationHint),
        );
    }
    let source = match t.get("source") {
        Some(v) => match v.get_ref() {
            DeValue::String(_) => w.string(v, &what(K::TheSource)).map(Text::plain),
            _ => w.text(v, &what(K::TheSource), ctx.langs),
        },
        None => {
            w.warn(
                "no-source",
                span.clone(),
                msg!(NoSource, name),
                Msg::from(K::NoSourceHint),
            );
            None
        }
    };
    let points = t
        .get("points")
        .map_or(Some(ctx.points), |v| w.positive(v, &key("points"), 1000));
    let time_limit = match t.get("time_limit") {
        Some(v) => w.seconds(v, &key("time_limit")),
        None => ctx.time,
    };
    let shuffle = t
        .get("shuffle")
        .map_or(Some(true), |v| w.boolean(v, &key("shuffle")));

    let kind = kind_name.and_then(|k| check_kind(w, t, &span, &k, name, ctx.langs));
    let credit = kind
        .as_ref()
        .map_or(Some(Vec::new()), |k| check_credit(w, t, k, name));
    let partial = kind.as_ref().map_or(Some(Vec::new()), |k| {
        check_partial(w, t, k, name, ctx.langs)
    });
    Some(Question {
        id: id?,
        bank: ctx.bank.to_owned(),
        topic: ctx.topic.to_owned(),
        kind: kind?,
        difficulty: difficulty?,
        tags,
        prompt: prompt?,
        explanation,
        source,
        facts,
        excludes,
        points: points?,
        time_limit,
        shuffle: shuffle?,
        credit: credit?,
        partial: partial?,
        line,
    })
}

/// A number (integer or float), finite.
fn number(w: &mut Walker<'_>, v: &Val<'_>, what: &dyn Describe) -> Option<f64> {
    let text = match v.get_ref() {
        DeValue::Integer(i) if i.radix() == 10 => i.as_str().replace('_', ""),
        DeValue::Float(f) => f.as_str().replace('_', ""),
        other => {
            w.wrong_type(v.span(), what, &K::ANumber, other);
            return None;
        }
    };
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            let got = v.get_ref();
            w.wrong_type(v.span(), what, &K::ANumber, got);
            None
        }
    }
}

/// A credit in percent that must be one of Moodle's fractions (or its negative).
fn fraction(w: &mut Walker<'_>, v: &Val<'_>, what: &dyn Describe) -> Option<f64> {
    let x = number(w, v, what)?;
    if is_moodle_fraction(x) {
        Some(nearest_fraction(x))
    } else {
        let list: Vec<String> = MOODLE_FRACTIONS
            .iter()
            .map(|f| super::model::percent_label(*f))
            .collect();
        w.error(
            "bad-credit",
            v.span(),
            msg!(
                CreditNotFraction,
                what.describe(),
                crate::messages::num(super::model::percent_label(x))
            ),
            msg!(
                CreditNotFractionHint,
                crate::messages::num(super::model::percent_label(nearest_fraction(x))),
                crate::messages::num(list.join(", "))
            ),
        );
        None
    }
}

/// `credit = [100, 0, 50, ...]`: one credit per choice of a `single` or `multiple` question.
fn check_credit(
    w: &mut Walker<'_>,
    t: &DeTable<'_>,
    kind: &Kind,
    name: QName<'_>,
) -> Option<Vec<Num>> {
    let Some(v) = t.get("credit") else {
        return Some(Vec::new());
    };
    let (choices, right): (usize, Vec<usize>) = match kind {
        Kind::Single { choices, answer } => (choices.len(), vec![*answer]),
        Kind::Multiple { choices, answers } => (choices.len(), answers.clone()),
        _ => return Some(Vec::new()),
    };
    let what = || msg!(FieldOfQuestion, K::TheCredits, name);
    let items = w.array(v, &what)?;
    if items.len() != choices {
        w.error(
            "credit-count",
            v.span(),
            msg!(CreditCount, name, items.len(), choices),
            Msg::from(K::CreditCountHint),
        );
        return None;
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(fraction(w, item, &|| {
            msg!(CreditOfChoice, letter(i), name)
        })?);
    }
    let letters = |v: &[usize]| {
        v.iter()
            .map(|i| letter(*i).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let positive: Vec<usize> = (0..out.len()).filter(|i| out[*i] > 0.0).collect();
    if matches!(kind, Kind::Single { .. }) {
        let full: Vec<usize> = (0..out.len()).filter(|i| out[*i] >= 100.0 - 1e-6).collect();
        if full != right {
            w.error(
                "credit-key",
                v.span(),
                msg!(CreditSingleKey, name, letters(&right), letters(&full)),
                Msg::from(K::CreditSingleKeyHint),
            );
            return None;
        }
    } else {
        if positive != right {
            w.error(
                "credit-key",
                v.span(),
                msg!(CreditMultipleKey, name, letters(&right), letters(&positive)),
                Msg::from(K::CreditMultipleKeyHint),
            );
            return None;
        }
        let sum: f64 = positive.iter().map(|i| out[*i]).sum();
        if (sum - 100.0).abs() > 0.01 {
            w.error(
                "credit-sum",
                v.span(),
                msg!(
                    CreditSum,
                    name,
                    crate::messages::num(super::model::percent_label(sum))
                ),
                Msg::from(K::CreditSumHint),
            );
            return None;
        }
    }
    Some(out.into_iter().map(Num).collect())
}

/// `partial = [{ credit = 50, answer = ... }, ...]` for `short` and `numerical` questions.
fn check_partial(
    w: &mut Walker<'_>,
    t: &DeTable<'_>,
    kind: &Kind,
    name: QName<'_>,
    langs: &[String],
) -> Option<Vec<Partial>> {
    let Some(v) = t.get("partial") else {
        return Some(Vec::new());
    };
    if !matches!(kind, Kind::Short { .. } | Kind::Numerical { .. }) {
        return Some(Vec::new());
    }
    let what = || msg!(FieldOfQuestion, K::ThePartialAnswers, name);
    let items = w.array(v, &what)?;
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(tb) = w.table(item, &what) else {
            ok = false;
            continue;
        };
        let keys: &[&str] = if matches!(kind, Kind::Numerical { .. }) {
            &["credit", "answer", "tolerance"]
        } else {
            &["credit", "answer"]
        };
        w.unknown_keys(tb, keys, &what);
        let credit = w
            .required(tb, "credit", item.span(), &what, "50")
            .and_then(|c| {
                let x = fraction(w, c, &what)?;
                if x <= 0.0 || x >= 100.0 {
                    w.error(
                        "bad-credit",
                        c.span(),
                        msg!(
                            PartialCreditRange,
                            name,
                            crate::messages::num(super::model::percent_label(x))
                        ),
                        Msg::from(K::PartialCreditRangeHint),
                    );
                    None
                } else {
                    Some(Num(x))
                }
            });
        let answer = match kind {
            Kind::Numerical { .. } => {
                let value = w
                    .required(tb, "answer", item.span(), &what, "14")
                    .and_then(|a| number(w, a, &what));
                let tolerance = match tb.get("tolerance") {
                    Some(x) => tolerance(w, x, name),
                    None => Some(0.0),
                };
                value
                    .zip(tolerance)
                    .map(|(value, tolerance)| PartialAnswer::Number {
                        value: Num(value),
                        tolerance: Num(tolerance),
                    })
            }
            _ => w
                .required(tb, "answer", item.span(), &what, "{ en = [\"...\"] }")
                .and_then(|a| short_answers(w, a, name, langs))
                .map(PartialAnswer::Text),
        };
        match (credit, answer) {
            (Some(credit), Some(answer)) => out.push(Partial { credit, answer }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// A tolerance: a number, 0 or more.
fn tolerance(w: &mut Walker<'_>, v: &Val<'_>, name: QName<'_>) -> Option<f64> {
    let x = number(w, v, &|| msg!(FieldOfQuestion, K::TheTolerance, name))?;
    if x < 0.0 {
        w.error(
            "bad-tolerance",
            v.span(),
            msg!(NegativeTolerance, name),
            Msg::from(K::NegativeToleranceHint),
        );
        return None;
    }
    Some(x)
}

/// `units = [{ unit = "years", multiplier = 1 }, ...]`: the first has multiplier 1.
fn units(w: &mut Walker<'_>, v: &Val<'_>, name: QName<'_>) -> Option<Vec<Unit>> {
    let what = || msg!(FieldOfQuestion, K::TheUnits, name);
    let items = w.array(v, &what)?;
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let Some(tb) = w.table(item, &what) else {
            ok = false;
            continue;
        };
        w.unknown_keys(tb, &["unit", "multiplier"], &what);
        let unit = w
            .required(tb, "unit", item.span(), &what, "\"years\"")
            .and_then(|u| w.string(u, &what));
        let multiplier = match tb.get("multiplier") {
            None => Some(1.0),
            Some(m) => number(w, m, &what).and_then(|x| {
                let first_ok = i > 0 || (x - 1.0).abs() < 1e-12;
                if x > 0.0 && first_ok {
                    Some(x)
                } else {
                    w.error(
                        "bad-unit",
                        m.span(),
                        msg!(BadMultiplier, name),
                        Msg::from(K::BadMultiplierHint),
                    );
                    None
                }
            }),
        };
        match (unit, multiplier) {
            (Some(name), Some(m)) => out.push(Unit {
                name,
                multiplier: Num(m),
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn not_for(w: &mut Walker<'_>, t: &DeTable<'_>, keys: &[&str], kind: &str) {
    for k in keys {
        if let Some((key, _)) = t.get_key_value(*k) {
            let use_: Arg = match *k {
                "choices" => K::TypesOfChoices.into(),
                "items" => "order".into(),
                "pairs" => "match".into(),
                "credit" => "single, multiple".into(),
                "partial" => "short, numerical".into(),
                "tolerance" | "units" => "numerical".into(),
                _ => K::TypesOfAnswer.into(),
            };
            let m = if *k == "answer" {
                msg!(KeyNotForTypeAnswer, *k, kind)
            } else {
                msg!(KeyNotForType, *k, kind)
            };
            w.error(
                "key-not-for-type",
                key.span(),
                m,
                msg!(KeyBelongsTo, *k, use_),
            );
        }
    }
}

fn texts(
    w: &mut Walker<'_>,
    t: &DeTable<'_>,
    key: &str,
    qspan: &Range<usize>,
    name: QName<'_>,
    langs: &[String],
) -> Option<(Vec<Text>, Range<usize>)> {
    let v = w.required(
        t,
        key,
        qspan.clone(),
        &|| msg!(QuestionNamed, name),
        "[ { en = \"...\", ar = \"...\" }, ... ]",
    )?;
    let items = w.array(v, &self::key(key))?;
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match w.text(
            item,
            &|| msg!(ItemOfQuestion, singular(key), letter(i), name),
            langs,
        ) {
            Some(tx) => out.push(tx),
            None => ok = false,
        }
    }
    if out.len() > MAX_CHOICES {
        w.error(
            "too-many",
            v.span(),
            msg!(TooMany, name, out.len(), key, MAX_CHOICES),
            None,
        );
        ok = false;
    }
    if ok && out.len() < 2 {
        w.error(
            "too-few",
            v.span(),
            msg!(TooFew, name, out.len(), key),
            msg!(TooFewHint, key),
        );
        ok = false;
    }
    if ok {
        duplicates(w, &out, |t| t, v.span(), name, &|| key.into());
    }
    ok.then_some((out, v.span()))
}

fn singular(key: &str) -> K {
    match key {
        "choices" => K::Choice,
        "items" => K::Item,
        _ => K::Pair,
    }
}

/// The letter of choice `i` (`a`, `b`, ...).
#[must_use]
pub fn letter(i: usize) -> char {
    u8::try_from(i)
        .ok()
        .filter(|i| *i < 26)
        .map_or('?', |i| char::from(b'a' + i))
}

/// Report texts of `items` (each the text `get` picks from an item) that repeat an earlier one;
/// `key` names the list.
fn duplicates<T>(
    w: &mut Walker<'_>,
    items: &[T],
    get: impl Fn(&T) -> &Text,
    span: Range<usize>,
    name: QName<'_>,
    key: &dyn Fn() -> Arg,
) {
    // A question has a few choices: comparing each with those before it (nearest first) costs
    // less than building and hashing normalised copies of every text.
    for (i, tx) in items.iter().enumerate() {
        for (lang, s) in get(tx).pairs() {
            let earlier = (0..i).rev().find(|j| {
                get(&items[*j])
                    .pairs()
                    .any(|(l, other)| l == lang && same_words(s, other))
            });
            if let Some(j) = earlier {
                let m = if lang.is_empty() {
                    msg!(DuplicateChoice, name, key(), letter(j), letter(i))
                } else {
                    msg!(DuplicateChoiceIn, name, key(), letter(j), letter(i), lang)
                };
                w.error(
                    "duplicate-choice",
                    span.clone(),
                    m,
                    Msg::from(K::DuplicateChoiceHint),
                );
            }
        }
    }
}

/// Whether two texts are the same words, ignoring case and how they are spaced.
fn same_words(a: &str, b: &str) -> bool {
    // Two different choices almost always first differ at a letter of the same word: when
    // the characters where the texts first differ are both not spaces and differ in lower
    // case, the words differ there (the texts before them are the same bytes), without
    // walking the words.
    let mut at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(at) {
        at -= 1;
    }
    let lower = |s: &str| {
        s.get(at..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| !c.is_whitespace())
            .and_then(|c| c.to_lowercase().next())
    };
    if let (Some(x), Some(y)) = (lower(a), lower(b))
        && x != y
    {
        return false;
    }
    same_words_walked(a, b)
}

/// [`same_words`] word by word.
fn same_words_walked(a: &str, b: &str) -> bool {
    fn words(s: &str) -> impl Iterator<Item = Option<char>> + '_ {
        s.split_whitespace()
            .flat_map(|w| {
                std::iter::once(None).chain(w.chars().flat_map(char::to_lowercase).map(Some))
            })
            .skip(1)
    }
    words(a).eq(words(b))
}

fn answer_letter(w: &mut Walker<'_>, v: &Val<'_>, n: usize, name: QName<'_>) -> Option<usize> {
    let DeValue::String(s) = v.get_ref() else {
        let got = v.get_ref();
        w.wrong_type(v.span(), &|| msg!(AnAnswerOf, name), &K::ALetterSuchAs, got);
        return None;
    };
    let s: &str = s;
    let last = letter(n.saturating_sub(1));
    let idx = (s.len() == 1)
        .then(|| s.as_bytes()[0])
        .filter(u8::is_ascii_lowercase)
        .map(|b| usize::from(b - b'a'));
    match idx {
        Some(i) if i < n => Some(i),
        _ => {
            let hint = if s.len() == 1 && s.as_bytes()[0].is_ascii_uppercase() {
                msg!(LowerCaseHint, s.to_lowercase())
            } else {
                msg!(LetterRangeHint, n, last)
            };
            w.error(
                "answer-out-of-range",
                v.span(),
                msg!(AnswerNoChoice, s, name),
                hint,
            );
            None
        }
    }
}

fn check_kind(
    w: &mut Walker<'_>,
    t: &DeTable<'_>,
    span: &Range<usize>,
    kind: &str,
    name: QName<'_>,
    langs: &[String],
) -> Option<Kind> {
    let question = || msg!(QuestionNamed, name);
    match kind {
        "single" | "multiple" => {
            not_for(
                w,
                t,
                &["items", "pairs", "partial", "tolerance", "units"],
                kind,
            );
            let choices = texts(w, t, "choices", span, name, langs);
            let ans = w.required(
                t,
                "answer",
                span.clone(),
                &question,
                if kind == "single" {
                    "\"b\""
                } else {
                    "[\"a\", \"c\"]"
                },
            );
            let (choices, _) = choices?;
            let ans = ans?;
            let n = choices.len();
            if kind == "single" {
                match ans.get_ref() {
                    DeValue::Array(a) => {
                        let hint = if a.len() > 1 {
                            Msg::from(K::SingleOneRightHint)
                        } else {
                            Msg::from(K::SingleNoBracketsHint)
                        };
                        w.error(
                            "answer-wrong-for-type",
                            ans.span(),
                            msg!(SingleButList, name, a.len()),
                            hint,
                        );
                        None
                    }
                    _ => answer_letter(w, ans, n, name)
                        .map(|answer| Kind::Single { choices, answer }),
                }
            } else {
                let DeValue::Array(a) = ans.get_ref() else {
                    w.error(
                        "answer-wrong-for-type",
                        ans.span(),
                        msg!(MultipleMustBeList, name),
                        Msg::from(K::MultipleMustBeListHint),
                    );
                    return None;
                };
                if a.is_empty() {
                    w.error(
                        "answer-wrong-for-type",
                        ans.span(),
                        msg!(MultipleNoRight, name),
                        Msg::from(K::MultipleNoRightHint),
                    );
                    return None;
                }
                let mut answers = Vec::new();
                let mut ok = true;
                for item in a {
                    match answer_letter(w, item, n, name) {
                        Some(i) if answers.contains(&i) => {
                            w.error(
                                "duplicate-answer",
                                item.span(),
                                msg!(AnswerTwice, letter(i), name),
                                None,
                            );
                            ok = false;
                        }
                        Some(i) => answers.push(i),
                        None => ok = false,
                    }
                }
                answers.sort_unstable();
                ok.then_some(Kind::Multiple { choices, answers })
            }
        }
        "true-false" => {
            not_for(
                w,
                t,
                &[
                    "choices",
                    "items",
                    "pairs",
                    "credit",
                    "partial",
                    "tolerance",
                    "units",
                ],
                kind,
            );
            let ans = w.required(t, "answer", span.clone(), &question, "true")?;
            w.boolean(ans, &|| msg!(TrueFalseAnswerOf, name))
                .map(|answer| Kind::TrueFalse { answer })
        }
        "short" => {
            not_for(
                w,
                t,
                &["choices", "items", "pairs", "credit", "tolerance", "units"],
                kind,
            );
            let ans = w.required(
                t,
                "answer",
                span.clone(),
                &question,
                "{ en = [\"...\"], ar = [\"...\"] }",
            )?;
            short_answers(w, ans, name, langs).map(|accepted| Kind::Short { accepted })
        }
        "order" => {
            not_for(
                w,
                t,
                &[
                    "choices",
                    "pairs",
                    "answer",
                    "credit",
                    "partial",
                    "tolerance",
                    "units",
                ],
                kind,
            );
            texts(w, t, "items", span, name, langs).map(|(items, _)| Kind::Order { items })
        }
        "numerical" => {
            not_for(w, t, &["choices", "items", "pairs", "credit"], kind);
            let ans = w.required(t, "answer", span.clone(), &question, "15");
            let answer = ans.and_then(|a| number(w, a, &|| msg!(AnAnswerOf, name)));
            let tol = match t.get("tolerance") {
                Some(x) => tolerance(w, x, name),
                None => Some(0.0),
            };
            let units = match t.get("units") {
                Some(u) => units(w, u, name),
                None => Some(Vec::new()),
            };
            Some(Kind::Numerical {
                answer: Num(answer?),
                tolerance: Num(tol?),
                units: units?,
            })
        }
        _ => {
            not_for(
                w,
                t,
                &[
                    "choices",
                    "items",
                    "answer",
                    "credit",
                    "partial",
                    "tolerance",
                    "units",
                ],
                kind,
            );
            pairs(w, t, span, name, langs).map(|pairs| Kind::Match { pairs })
        }
    }
}

fn short_answers(
    w: &mut Walker<'_>,
    v: &Val<'_>,
    name: QName<'_>,
    langs: &[String],
) -> Option<BTreeMap<String, Vec<String>>> {
    let what = || msg!(AcceptedAnswersOf, name);
    let list = |w: &mut Walker<'_>, v: &Val<'_>| -> Option<Vec<String>> {
        match v.get_ref() {
            DeValue::String(_) => w.string(v, &what).map(|s| vec![s]),
            DeValue::Array(a) => {
                let out: Vec<String> = a.iter().filter_map(|x| w.string(x, &what)).collect();
                if out.is_empty() {
                    w.error(
                        "answer-wrong-for-type",
                        v.span(),
                        msg!(AcceptedEmpty, what()),
                        Msg::from(K::AcceptedEmptyHint),
                    );
                    return None;
                }
                (out.len() == a.len()).then_some(out)
            }
            other => {
                w.wrong_type(v.span(), &what, &K::AListOfStrings, other);
                None
            }
        }
    };
    match v.get_ref() {
        DeValue::Table(t) => {
            let mut map = BTreeMap::new();
            let mut ok = true;
            for (k, val) in t {
                let code: &str = k.get_ref();
                if !langs.iter().any(|l| l == code) {
                    w.error(
                        "unknown-language",
                        k.span(),
                        msg!(AcceptedUnknownLang, what(), code),
                        None,
                    );
                    ok = false;
                    continue;
                }
                match list(w, val) {
                    Some(l) => {
                        map.insert(code.to_owned(), l);
                    }
                    None => ok = false,
                }
            }
            for l in langs {
                if !t.contains_key(l.as_str()) {
                    w.error(
                        "missing-language",
                        v.span(),
                        msg!(AcceptedNoLang, what(), l),
                        msg!(AddLangList, l),
                    );
                    ok = false;
                }
            }
            ok.then_some(map)
        }
        DeValue::Array(_) | DeValue::String(_) if langs.len() == 1 => {
            list(w, v).map(|l| BTreeMap::from([(langs[0].clone(), l)]))
        }
        other => {
            w.wrong_type(
                v.span(),
                &what,
                &msg!(ATableOfLists, "{ en = [\"...\"], ar = [\"...\"] }"),
                other,
            );
            None
        }
    }
}

fn pairs(
    w: &mut Walker<'_>,
    t: &DeTable<'_>,
    span: &Range<usize>,
    name: QName<'_>,
    langs: &[String],
) -> Option<Vec<(Text, Text)>> {
    let v = w.required(
        t,
        "pairs",
        span.clone(),
        &|| msg!(QuestionNamed, name),
        "[ { left = {...}, right = {...} }, ... ]",
    )?;
    let items = w.array(v, &key("pairs"))?;
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let Some(pt) = w.table(item, &K::APair) else {
            ok = false;
            continue;
        };
        w.unknown_keys(pt, &["left", "right"], &K::APair);
        let l = w
            .required(
                pt,
                "left",
                item.span(),
                &|| msg!(PairOfQuestion, i + 1, name),
                "{ en = \"...\" }",
            )
            .and_then(|x| w.text(x, &|| msg!(LeftOfQuestion, i + 1, name), langs));
        let r = w
            .required(
                pt,
                "right",
                item.span(),
                &|| msg!(PairOfQuestion, i + 1, name),
                "{ en = \"...\" }",
            )
            .and_then(|x| w.text(x, &|| msg!(RightOfQuestion, i + 1, name), langs));
        match (l, r) {
            (Some(l), Some(r)) => out.push((l, r)),
            _ => ok = false,
        }
    }
    if ok && out.len() < 2 {
        w.error(
            "too-few",
            v.span(),
            msg!(TooFewPairs, name, out.len()),
            Msg::from(K::TooFewPairsHint),
        );
        ok = false;
    }
    if ok && out.len() > MAX_CHOICES {
        w.error(
            "too-many",
            v.span(),
            msg!(TooManyPairs, name, out.len(), MAX_CHOICES),
            None,
        );
        ok = false;
    }
    if ok {
        duplicates(w, &out, |p| &p.0, v.span(), name, &|| K::LeftItems.into());
        duplicates(w, &out, |p| &p.1, v.span(), name, &|| K::RightItems.into());
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPLAINED: &str = "explanation = { en = \"Because.\", ar = \"لأن.\" }\n";

    fn question(i: usize, extra: &str) -> String {
        format!(
            "\n[[question]]\nid = \"q-{i:04}\"\ntype = \"single\"\nprompt = {{ en = \"Question {i}?\", ar = \"السؤال {i}؟\" }}\nchoices = [{{ en = \"Yes\", ar = \"نعم\" }}, {{ en = \"No\", ar = \"لا\" }}]\nanswer = \"a\"\nsource = {{ en = \"Test list\", ar = \"قائمة اختبار\" }}\n{extra}"
        )
    }

    fn bank(n: usize, extra: impl Fn(usize) -> String) -> String {
        let mut s = String::from(
            "format = 1\nid = \"big\"\nlanguages = [\"en\", \"ar\"]\ntitle = { en = \"Big\", ar = \"كبير\" }\n",
        );
        for i in 0..n {
            s.push_str(&question(i, &extra(i)));
        }
        s
    }

    /// The whole-file result, and the result in `pieces`, for the same text.
    fn both(text: &str, pieces: usize) -> ((Option<Bank>, Vec<Diagnostic>), Option<Bank>) {
        (
            parse_whole("b.toml", text, text, None),
            parse_in_pieces("b.toml", text, text, None, pieces),
        )
    }

    #[test]
    fn a_valid_bank_read_in_pieces_is_the_bank_read_whole() {
        let text = bank(300, |i| {
            if i % 7 == 0 {
                "[question.explanation]\nen = \"\"\"\nTwo lines.\n\"\"\"\nar = \"سطر\"\n".into()
            } else {
                EXPLAINED.into()
            }
        });
        for pieces in [2, 3, 4, 8, 60] {
            let ((whole, diags), fast) = both(&text, pieces);
            assert!(diags.is_empty(), "{:?}", diags.first());
            let fast = fast.expect("a valid bank is read in pieces");
            assert_eq!(Some(fast), whole, "{pieces} pieces");
        }
        let (_, fast) = both(&text, 4);
        let lines: Vec<usize> = fast
            .expect("read")
            .questions
            .iter()
            .map(|q| q.line)
            .collect();
        let want: Vec<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| *l == "[[question]]")
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(
            lines, want,
            "question lines count the lines of earlier pieces"
        );
    }

    #[test]
    fn any_problem_or_odd_layout_leaves_the_bank_to_the_whole_file_path() {
        // A header inside a multi-line string, in every question: some cut falls inside one.
        let tricky = bank(200, |_| {
            "[question.explanation]\nen = \"\"\"\nsee below\n[[question]]\nnot a header\n\"\"\"\nar = \"انظر\"\n".into()
        });
        assert!(
            cut_points(&tricky, 4)
                .iter()
                .any(|c| tricky[*c..].starts_with("[[question]]\nnot a header"))
        );
        // Bank keys after the questions (valid TOML).
        let late = format!(
            "{}\n[defaults]\npoints = 2\n",
            bank(200, |_| EXPLAINED.into())
        );
        // The same id in two pieces.
        let dup = bank(200, |_| EXPLAINED.into()).replace("id = \"q-0199\"", "id = \"q-0001\"");
        // A problem in a later piece.
        let bad = bank(200, |i| {
            if i == 150 {
                format!("{EXPLAINED}colour = 1\n")
            } else {
                EXPLAINED.into()
            }
        });
        for (name, text) in [
            ("tricky", &tricky),
            ("late", &late),
            ("dup", &dup),
            ("bad", &bad),
        ] {
            let ((whole, diags), fast) = both(text, 4);
            assert!(fast.is_none(), "{name}: left to the whole-file path");
            assert_eq!(parse_bank("b.toml", text), (whole, diags), "{name}");
        }
        let (whole, _) = parse_whole("b.toml", &late, &late, None);
        assert!(whole.is_some_and(|b| b.questions.iter().all(|q| q.points == 2)));
    }

    #[test]
    fn same_words_ignores_case_and_spacing_only() {
        assert!(same_words("Debt  Bondage", " debt bondage\n"));
        assert!(same_words("عمل  قسري", "عمل قسري"));
        assert!(!same_words("debt bondage", "debtbondage"));
        assert!(!same_words("debt", "debt bondage"));
        assert!(!same_words("", "a"));
        assert!(same_words(" ", ""));
        assert!(same_words("\u{130}x", "i\u{307}X"));
        assert!(!same_words("الضابط", "العامل"));
    }

    proptest::proptest! {
        #[test]
        fn same_words_shortcut_agrees_with_the_walk(
            a in "[aAbB \\t\u{130}\u{307}iI\u{0627}\u{0644}\u{0639}\u{3000}]{0,8}",
            b in "[aAbB \\t\u{130}\u{307}iI\u{0627}\u{0644}\u{0639}\u{3000}]{0,8}",
        ) {
            proptest::prop_assert_eq!(same_words(&a, &b), same_words_walked(&a, &b));
            let spaced = format!(" {}", b.to_uppercase().replace(' ', "  "));
            proptest::prop_assert_eq!(same_words(&b, &spaced), same_words_walked(&b, &spaced));
        }
    }

    #[test]
    fn cuts_fall_on_question_headers_in_order() {
        let text = bank(50, |_| EXPLAINED.into());
        let cuts = cut_points(&text, 4);
        assert_eq!(cuts.len(), 3);
        assert!(cuts.windows(2).all(|w| w[0] < w[1]));
        for c in cuts {
            assert!(text[c..].starts_with("[[question]]\n") && text[..c].ends_with('\n'));
        }
        assert!(cut_points("format = 1\n", 4).is_empty());
    }
}
