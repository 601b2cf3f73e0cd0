//! A checker over a spanned TOML tree: reads typed values and records every problem as a
//! [`Diagnostic`] with its place in the file, so that a file's problems are all reported at once.

use crate::diag::{Diagnostic, Severity, is_dangerous_char};
use crate::messages::{Arg, Describe, K, Msg};
use crate::msg;
use crate::text::Text;
use std::borrow::Cow;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Largest bank or exam file read, in bytes. Checked before reading.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Most problems reported for one file.
pub const MAX_DIAGNOSTICS: usize = 500;

/// Longest text (prompt, choice, explanation...) in bytes.
pub const MAX_TEXT_BYTES: usize = 16 * 1024;

/// A value in the tree.
pub type Val<'i> = Spanned<DeValue<'i>>;

/// Collects diagnostics for one file.
pub struct Walker<'s> {
    /// File name as shown to the user.
    pub file: &'s str,
    /// The file's text.
    pub source: &'s str,
    /// Problems found so far.
    pub diags: Vec<Diagnostic>,
    /// Line starts of `source`.
    pub lines: crate::diag::LineIndex,
    /// Lines of the file before `source`, when `source` is a piece of a larger file.
    pub lines_before: usize,
}

/// Characters allowed in ids and tags.
#[must_use]
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A searcher for U+061C, built once.
static ARABIC_LETTER_MARK: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("\u{061C}"));

/// Whether UTF-8 `b` may hold a control character (C0 but newline and tab, DEL, C1), a bidi
/// formatting character or an Arabic presentation form. Never false when it does; may be true
/// when it does not (other characters from U+FB00 to U+FEFF).
#[must_use]
pub fn may_hold_forbidden(b: &[u8]) -> bool {
    // C0 controls but newline and tab, and DEL: a branch-free fold per block, which the
    // compiler turns into vector instructions.
    let control = b.chunks(64).any(|c| {
        c.iter().fold(false, |acc, &x| {
            acc || ((x < 0x20) && (x != b'\n') && (x != b'\t')) || (x == 0x7F)
        })
    });
    // U+061C (Arabic letter mark): its lead byte is in every Arabic letter, so look for both
    // bytes, with a searcher built once.
    if control || ARABIC_LETTER_MARK.find(b).is_some() {
        return true;
    }
    // The lead bytes of C1 controls, of the other bidi formatting characters and of the
    // presentation forms are rare in text: look closer only where one occurs.
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, b).any(|i| match b[i] {
        // U+0080..U+009F
        0xC2 => matches!(b.get(i + 1), Some(0x80..=0x9F)),
        // U+200E, U+200F, U+202A..U+202E; U+2066..U+2069
        0xE2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0x8E | 0x8F | 0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
        ),
        // U+FB40..U+FEFF, which holds both presentation-form blocks
        _ => matches!(b.get(i + 1), Some(0xAD..=0xBB)),
    })
}

/// Arabic presentation forms: already-shaped letters that break layout and search.
#[must_use]
pub fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
}

fn type_name(v: &DeValue<'_>) -> K {
    match v {
        DeValue::String(_) => K::AString,
        DeValue::Integer(_) => K::AnInteger,
        DeValue::Float(_) => K::AFloat,
        DeValue::Boolean(_) => K::ABoolean,
        DeValue::Datetime(_) => K::ADateTime,
        DeValue::Array(_) => K::AnArray,
        DeValue::Table(_) => K::ATable,
    }
}

impl<'s> Walker<'s> {
    /// A walker for `file`.
    #[must_use]
    pub fn new(file: &'s str, source: &'s str) -> Self {
        Walker {
            file,
            source,
            diags: Vec::new(),
            lines: crate::diag::LineIndex::new(source),
            lines_before: 0,
        }
    }

    /// Record an error.
    pub fn error(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        msg: Msg,
        hint: impl Into<Option<Msg>>,
    ) {
        self.push(Severity::Error, code, span, msg, hint.into());
    }

    /// Record a warning.
    pub fn warn(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        msg: Msg,
        hint: impl Into<Option<Msg>>,
    ) {
        self.push(Severity::Warning, code, span, msg, hint.into());
    }

    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        span: Range<usize>,
        msg: Msg,
        hint: Option<Msg>,
    ) {
        if self.diags.len() == MAX_DIAGNOSTICS {
            let d = Diagnostic::at_indexed(
                Severity::Error,
                "too-many-problems",
                self.file,
                self.source,
                &self.lines,
                Some(span.clone()),
                msg!(TooManyProblems, MAX_DIAGNOSTICS),
                Some(K::TooManyProblemsHint.into()),
            );
            self.diags.push(d);
        }
        if self.diags.len() > MAX_DIAGNOSTICS {
            return;
        }
        let d = Diagnostic::at_indexed(
            severity,
            code,
            self.file,
            self.source,
            &self.lines,
            Some(span),
            msg,
            hint,
        );
        self.diags.push(d);
    }

    /// The 1-based line of a byte offset.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset) + self.lines_before
    }

    /// Whether any error was recorded.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }

    /// Report keys of `table` that are not in `allowed`, suggesting the closest allowed key.
    pub fn unknown_keys(&mut self, table: &DeTable<'_>, allowed: &[&str], what: &dyn Describe) {
        for (k, _) in table {
            let name: &str = k.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            let best = allowed
                .iter()
                .map(|a| (strsim::damerau_levenshtein(a, name), *a))
                .min();
            let hint = match best {
                Some((d, a)) if d <= 3 => msg!(DidYouMean, a),
                _ => msg!(KeysOf, what.describe(), allowed.join(", ")),
            };
            self.error(
                "unknown-key",
                k.span(),
                msg!(UnknownKeyIn, name, what.describe()),
                hint,
            );
        }
    }

    /// A required key: reports it missing (at `at`) when absent.
    pub fn required<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        key: &str,
        at: Range<usize>,
        what: &dyn Describe,
        example: &str,
    ) -> Option<&'t Val<'i>> {
        let v = table.get(key);
        if v.is_none() {
            self.error(
                "missing-key",
                at,
                msg!(HasNoKey, what.describe(), key),
                msg!(AddLineSuchAs, key, example),
            );
        }
        v
    }

    /// A string value, checked for emptiness and forbidden characters.
    pub fn string(&mut self, v: &Val<'_>, what: &dyn Describe) -> Option<String> {
        self.str_value(v, what).map(Cow::into_owned)
    }

    /// Like [`Walker::string`], borrowing the string from the tree when it needs no change.
    pub fn str_value<'t>(&mut self, v: &'t Val<'_>, what: &dyn Describe) -> Option<Cow<'t, str>> {
        match v.get_ref() {
            DeValue::String(s) => {
                // One scan of the bytes answers for both a CR and a forbidden character, which
                // almost no text has.
                let suspect = may_hold_forbidden(s.as_bytes());
                // Multi-line strings in files saved with Windows line endings keep their CRs.
                let value: Cow<'t, str> = if suspect && s.contains('\r') {
                    Cow::Owned(s.replace("\r\n", "\n"))
                } else {
                    Cow::Borrowed(s)
                };
                let s: &str = &value;
                if suspect {
                    self.check_chars(s, v.span(), what);
                }
                if s.len() > MAX_TEXT_BYTES {
                    self.error(
                        "text-too-long",
                        v.span(),
                        msg!(
                            TextTooLong,
                            what.describe(),
                            s.len() / 1024,
                            MAX_TEXT_BYTES / 1024
                        ),
                        Msg::from(K::TextTooLongHint),
                    );
                    return None;
                }
                if s.chars().all(char::is_whitespace) {
                    self.error(
                        "empty-text",
                        v.span(),
                        msg!(IsEmpty, what.describe()),
                        Msg::from(K::IsEmptyHint),
                    );
                    return None;
                }
                Some(value)
            }
            other => {
                self.wrong_type(v.span(), what, &K::AString, other);
                None
            }
        }
    }

    /// Report a value of the wrong type.
    pub fn wrong_type(
        &mut self,
        span: Range<usize>,
        what: &dyn Describe,
        want: &dyn Describe,
        got: &DeValue<'_>,
    ) {
        let want = want.describe();
        self.error(
            "wrong-type",
            span,
            msg!(MustBeNot, what.describe(), &want, type_name(got)),
            msg!(WriteHere, want),
        );
    }

    /// Reject control characters, bidi controls and Arabic presentation forms.
    pub fn check_chars(&mut self, s: &str, span: Range<usize>, what: &dyn Describe) {
        // Fast path: one pass over the bytes for the encodings that can start a forbidden
        // character; almost every text has none.
        if !may_hold_forbidden(s.as_bytes()) {
            return;
        }
        if let Some(c) = s.chars().find(|c| is_dangerous_char(*c) && *c != '\n') {
            self.error(
                "forbidden-character",
                span.clone(),
                msg!(
                    ForbiddenChar,
                    what.describe(),
                    format!("{:04X}", u32::from(c))
                ),
                Msg::from(K::ForbiddenCharHint),
            );
        }
        if let Some(c) = s.chars().find(|c| is_presentation_form(*c)) {
            self.error(
                "presentation-form",
                span,
                msg!(
                    PresentationForm,
                    what.describe(),
                    format!("{:04X}", u32::from(c))
                ),
                Msg::from(K::PresentationFormHint),
            );
        }
    }

    /// A boolean value.
    pub fn boolean(&mut self, v: &Val<'_>, what: &dyn Describe) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.wrong_type(v.span(), what, &K::TrueOrFalse, other);
                None
            }
        }
    }

    /// A positive integer (1 ..= `max`).
    pub fn positive(&mut self, v: &Val<'_>, what: &dyn Describe, max: u64) -> Option<u32> {
        match v.get_ref() {
            DeValue::Integer(i) => {
                let digits: Cow<'_, str> = if i.as_str().contains('_') {
                    i.as_str().chars().filter(|c| *c != '_').collect()
                } else {
                    Cow::Borrowed(i.as_str())
                };
                let n = i64::from_str_radix(digits.trim_start_matches('+'), i.radix()).ok();
                match n {
                    Some(n) if n >= 1 && n.unsigned_abs() <= max => u32::try_from(n).ok(),
                    _ => {
                        self.error(
                            "not-positive",
                            v.span(),
                            msg!(NotPositive, what.describe(), max),
                            Msg::from(K::NotPositiveHint),
                        );
                        None
                    }
                }
            }
            other => {
                self.wrong_type(v.span(), what, &K::AWholeNumber, other);
                None
            }
        }
    }

    /// A number of seconds, written as an integer or a duration such as `"90s"`, `"25m"`, `"1h30m"`.
    pub fn seconds(&mut self, v: &Val<'_>, what: &dyn Describe) -> Option<u32> {
        match v.get_ref() {
            DeValue::String(s) => match parse_duration(s) {
                Some(n) if n > 0 => Some(n),
                _ => {
                    self.error(
                        "bad-duration",
                        v.span(),
                        msg!(BadDuration, what.describe()),
                        Msg::from(K::BadDurationHint),
                    );
                    None
                }
            },
            _ => self.positive(v, what, 7 * 24 * 3600),
        }
    }

    /// An array value.
    pub fn array<'t, 'i>(&mut self, v: &'t Val<'i>, what: &dyn Describe) -> Option<&'t [Val<'i>]> {
        match v.get_ref() {
            DeValue::Array(a) => Some(a.as_ref()),
            other => {
                self.wrong_type(v.span(), what, &K::AnArray, other);
                None
            }
        }
    }

    /// A table value.
    pub fn table<'t, 'i>(
        &mut self,
        v: &'t Val<'i>,
        what: &dyn Describe,
    ) -> Option<&'t DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.wrong_type(v.span(), what, &K::ATable, other);
                None
            }
        }
    }

    /// A list of ids (tags, fact ids, bank ids): an array of strings. `strict` requires `[a-z0-9-]`.
    pub fn string_list(&mut self, v: &Val<'_>, what: &dyn Describe, strict: bool) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(items) = self.array(v, what) {
            out.reserve_exact(items.len());
            for item in items {
                if let Some(s) = self.string(item, what) {
                    if strict && !is_valid_id(&s) {
                        self.error(
                            "bad-id",
                            item.span(),
                            msg!(BadIdIn, &s, what.describe()),
                            msg!(WriteItAs, suggest_id(&s)),
                        );
                    }
                    out.push(s);
                }
            }
        }
        out
    }

    /// A text: a plain string (only in a one-language file) or a table with every language of
    /// `langs` and no other.
    pub fn text(&mut self, v: &Val<'_>, what: &dyn Describe, langs: &[String]) -> Option<Text> {
        match v.get_ref() {
            DeValue::String(_) => {
                let s = self.string(v, what)?;
                if langs.len() > 1 {
                    self.error(
                        "missing-language",
                        v.span(),
                        msg!(
                            PlainButLangs,
                            what.describe(),
                            crate::messages::and_list(langs.iter().map(Arg::from))
                        ),
                        msg!(
                            WriteAsTable,
                            langs
                                .iter()
                                .map(|l| format!("{l} = \"...\""))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    return None;
                }
                Some(Text::plain(s))
            }
            DeValue::Table(t) => {
                let mut text = Text::with_capacity(langs.len());
                let mut ok = true;
                for (k, val) in t {
                    let code: &str = k.get_ref();
                    if !langs.iter().any(|l| l == code) {
                        self.error(
                            "unknown-language",
                            k.span(),
                            msg!(NotBankLang, what.describe(), code, langs.join(", ")),
                            Msg::from(K::NotBankLangHint),
                        );
                        ok = false;
                        continue;
                    }
                    match self.string(val, &|| msg!(WhatInLang, what.describe(), code)) {
                        Some(s) => text.push(code, s),
                        None => ok = false,
                    }
                }
                for l in langs {
                    if !t.contains_key(l.as_str()) {
                        self.error(
                            "missing-language",
                            v.span(),
                            msg!(NoLangText, what.describe(), l),
                            msg!(AddLangInBraces, l),
                        );
                        ok = false;
                    }
                }
                ok.then_some(text)
            }
            other => {
                self.wrong_type(v.span(), what, &K::StringOrLangTable, other);
                None
            }
        }
    }
}

/// The source with a byte-order mark turned into three spaces, so that every byte offset
/// stays the same (banks, exams and class files, as Windows editors save them).
#[must_use]
pub fn without_bom(source: &str) -> Cow<'_, str> {
    match source.strip_prefix('\u{feff}') {
        Some(rest) => format!("   {rest}").into(),
        None => source.into(),
    }
}

/// Parse `"90s"`, `"25m"`, `"1h30m"`, `"2h"`, or a plain number of seconds.
#[must_use]
pub fn parse_duration(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse::<u32>() {
        return Some(n);
    }
    let mut total: u64 = 0;
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        let n: u64 = num.parse().ok()?;
        num.clear();
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    if !num.is_empty() {
        return None;
    }
    u32::try_from(total).ok()
}

/// Format seconds as `1h05m`, `25m`, `1m30s` or `45s`.
#[must_use]
pub fn format_duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

/// A valid id close to `s`.
#[must_use]
pub fn suggest_id(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_matches('-').to_owned();
    if t.is_empty() {
        "question-1".to_owned()
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_format() {
        assert_eq!(parse_duration("90"), Some(90));
        assert_eq!(parse_duration("25m"), Some(1500));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("1m30s"), Some(90));
        assert_eq!(parse_duration("10 minutes"), None);
        assert_eq!(parse_duration("m"), None);
        assert_eq!(format_duration(1500), "25m");
        assert_eq!(format_duration(90), "1m30s");
        assert_eq!(format_duration(3900), "1h05m");
    }

    #[test]
    fn ids_are_lowercase_ascii_digits_and_dashes() {
        assert!(is_valid_id("ind-general-001"));
        assert!(!is_valid_id("Ind_001"));
        assert!(!is_valid_id(""));
        assert_eq!(suggest_id("Ind_General 001"), "ind-general-001");
    }
}

#[cfg(test)]
mod char_scan_tests {
    use super::*;
    use proptest::prelude::*;

    fn forbidden(s: &str) -> bool {
        s.chars()
            .any(|c| (is_dangerous_char(c) && c != '\n') || is_presentation_form(c))
    }

    #[test]
    fn every_forbidden_character_is_caught_by_the_byte_scan() {
        for c in (0..=0x0010_FFFF_u32).filter_map(char::from_u32) {
            let s = format!("ab{c}cd");
            if forbidden(&s) {
                assert!(may_hold_forbidden(s.as_bytes()), "U+{:04X}", u32::from(c));
            }
        }
        for ok in [
            "plain text\nwith\ttab",
            "الاتجار بالأشخاص «نص»",
            "— … ‘’ “”",
            "ﻻ",
        ] {
            assert_eq!(
                may_hold_forbidden(ok.as_bytes()),
                forbidden(ok) || ok == "ﻻ",
                "{ok}"
            );
        }
    }

    proptest! {
        #[test]
        fn the_byte_scan_never_misses(s in "\\PC*|[\\u{0}-\\u{3000}\\u{FB00}-\\u{FFFF}]*") {
            if forbidden(&s) {
                prop_assert!(may_hold_forbidden(s.as_bytes()));
            }
        }
    }
}
