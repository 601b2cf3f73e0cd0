//! Diagnostics for user-written files: every problem with file, line, column, snippet and hint.

use crate::messages::{K, Msg};
use crate::text::Lang;
use serde::Serialize;
use std::fmt::Write as _;
use std::ops::Range;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used until this is fixed.
    Error,
    /// Probably a mistake; the file can still be used.
    Warning,
}

/// One problem found in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable short code, e.g. `unknown-key`.
    pub code: &'static str,
    /// What is wrong, in English (see [`Diagnostic::localized`]).
    pub message: String,
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line (0 when the problem is not tied to a place in the file).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The source line, with control characters made visible.
    pub snippet: String,
    /// How to fix it, in English.
    pub hint: Option<String>,
    /// What is wrong, in every language.
    #[serde(skip)]
    pub msg: Msg,
    /// How to fix it, in every language.
    #[serde(skip)]
    pub hint_msg: Option<Msg>,
    /// Byte range in the file.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// Column of the caret in the (escaped) snippet, 1-based.
    #[serde(skip)]
    pub caret: usize,
}

impl Diagnostic {
    /// A diagnostic at `span` of `source`.
    #[must_use]
    pub fn at(
        severity: Severity,
        code: &'static str,
        file: &str,
        source: &str,
        span: Option<Range<usize>>,
        message: Msg,
        hint: Option<Msg>,
    ) -> Diagnostic {
        Self::at_indexed(
            severity,
            code,
            file,
            source,
            &LineIndex::new(source),
            span,
            message,
            hint,
        )
    }

    /// Like [`Diagnostic::at`], with the line index of `source` computed once by the caller.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn at_indexed(
        severity: Severity,
        code: &'static str,
        file: &str,
        source: &str,
        index: &LineIndex,
        span: Option<Range<usize>>,
        message: Msg,
        hint: Option<Msg>,
    ) -> Diagnostic {
        let place = match &span {
            Some(r) => index.locate(source, r.start),
            None => (0, 0, String::new(), 0),
        };
        Self::placed(severity, code, file, place, span, message, hint)
    }

    /// The diagnostic at `(line, column, snippet, caret)`.
    fn placed(
        severity: Severity,
        code: &'static str,
        file: &str,
        (line, column, snippet, caret): (usize, usize, String, usize),
        span: Option<Range<usize>>,
        message: Msg,
        hint: Option<Msg>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            message: message.en(),
            file: file.to_owned(),
            line,
            column,
            snippet,
            hint: hint.as_ref().map(Msg::en),
            msg: message,
            hint_msg: hint,
            span,
            caret,
        }
    }

    /// A diagnostic about line `line` of `file` as a whole (column 1, no snippet): a problem
    /// found across files, after parsing.
    #[must_use]
    pub fn on_line(
        severity: Severity,
        code: &'static str,
        file: &str,
        line: usize,
        message: Msg,
        hint: Option<Msg>,
    ) -> Diagnostic {
        Self::placed(
            severity,
            code,
            file,
            (line, 1, String::new(), 0),
            None,
            message,
            hint,
        )
    }

    /// Whether this is an error.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic with `message` and `hint` in `lang` (for JSON output).
    #[must_use]
    pub fn localized(&self, lang: Lang) -> Diagnostic {
        let mut d = self.clone();
        d.message = self.msg.render(lang);
        d.hint = self.hint_msg.as_ref().map(|h| h.render(lang));
        d
    }

    /// Render the diagnostic for a terminal (no colour), compiler style, in English.
    #[must_use]
    pub fn render(&self) -> String {
        self.render_in(Lang::En)
    }

    /// Render the diagnostic for a terminal (no colour), compiler style, in `lang`. The code,
    /// file name, place and snippet are the same in every language.
    #[must_use]
    pub fn render_in(&self, lang: Lang) -> String {
        let mut out = String::new();
        let level = crate::messages::template(
            lang,
            match self.severity {
                Severity::Error => K::LevelError,
                Severity::Warning => K::LevelWarning,
            },
        );
        let _ = writeln!(
            out,
            "{level}[{}]: {}",
            self.code,
            escape_for_terminal(&self.msg.render(lang))
        );
        let file = escape_for_terminal(&self.file);
        if self.line > 0 {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let _ = writeln!(out, "{pad}--> {file}:{}:{}", self.line, self.column);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {}", self.snippet);
            let caret_pad: String = self
                .snippet
                .chars()
                .take(self.caret.max(self.column).saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} | {caret_pad}^");
        } else {
            let _ = writeln!(out, "  --> {file}");
        }
        if let Some(h) = &self.hint_msg {
            let _ = writeln!(
                out,
                "  = {}: {}",
                crate::messages::template(lang, K::LevelHelp),
                escape_for_terminal(&h.render(lang))
            );
        }
        out
    }
}

/// Where each line of a text starts, to find the line of a byte offset quickly.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Index the lines of `source`.
    #[must_use]
    pub fn new(source: &str) -> LineIndex {
        // Counting the lines first (a fast vectorised pass) sizes the index exactly: no
        // reallocation, and no memory reserved beyond it, however short the lines are.
        let lines = memchr::memchr_iter(b'\n', source.as_bytes()).count();
        let mut starts = Vec::with_capacity(lines + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line of a byte offset.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|s| *s <= offset)
    }

    /// 1-based line, 1-based column (in characters), the visible source line, and the caret
    /// column in that visible line.
    #[must_use]
    pub fn locate(&self, source: &str, offset: usize) -> (usize, usize, String, usize) {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let line_start = self.starts[line - 1];
        let line_end = source[offset..]
            .find('\n')
            .map_or(source.len(), |i| offset + i);
        let before = &source[line_start..offset];
        let column = before.chars().count() + 1;
        let caret = escape_for_terminal(before).chars().count() + 1;
        let text = source[line_start..line_end].trim_end_matches('\r');
        (
            line,
            column,
            escape_for_terminal(&truncate_chars(text, 160)),
            caret,
        )
    }
}

/// 1-based line, 1-based column (in characters) and the visible source line of a byte offset.
#[must_use]
pub fn locate(source: &str, offset: usize) -> (usize, usize, String) {
    let (l, c, s, _) = LineIndex::new(source).locate(source, offset);
    (l, c, s)
}

fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// Whether a character must never appear raw on a terminal: C0 and C1 controls (other than tab
/// and newline), DEL, and the bidirectional formatting characters.
#[must_use]
pub fn is_dangerous_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_format(c)
}

/// Bidirectional formatting characters (marks, embeddings, overrides, isolates).
#[must_use]
pub fn is_bidi_format(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Make untrusted text safe to print: dangerous characters become `\u{..}` escapes.
#[must_use]
pub fn escape_for_terminal(s: &str) -> String {
    if !s.chars().any(is_dangerous_char) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_dangerous_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Render a list of diagnostics, in English.
#[must_use]
pub fn render_all(diags: &[Diagnostic]) -> String {
    render_all_in(diags, Lang::En)
}

/// Render a list of diagnostics in `lang`.
#[must_use]
pub fn render_all_in(diags: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.render_in(lang));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_characters_not_bytes() {
        let src = "a = 1\ntitle = \"مؤشر\" x\n";
        let off = src.find('x').unwrap_or(0);
        let (line, col, snip) = locate(src, off);
        assert_eq!((line, col), (2, 16));
        assert_eq!(snip, "title = \"مؤشر\" x");
    }

    #[test]
    fn escape_makes_escape_sequences_visible() {
        assert_eq!(escape_for_terminal("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_for_terminal("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(escape_for_terminal("plain عربي"), "plain عربي");
    }

    #[test]
    fn render_shows_file_line_column_snippet_and_hint() {
        let src = "id = \"x\"\nexplaination = \"y\"\n";
        let d = Diagnostic::at(
            Severity::Error,
            "unknown-key",
            "bank.toml",
            src,
            Some(9..21),
            crate::msg!(UnknownKeyIn, "explaination", K::AQuestion),
            Some(crate::msg!(DidYouMean, "explanation")),
        );
        let r = d.render();
        assert!(r.contains("bank.toml:2:1"), "{r}");
        assert!(r.contains("2 | explaination = \"y\""), "{r}");
        assert!(r.contains("help: did you mean `explanation`?"), "{r}");
        let ar = d.render_in(Lang::Ar);
        assert!(ar.starts_with("خطأ[unknown-key]: "), "{ar}");
        assert!(
            ar.contains("bank.toml:2:1") && ar.contains("`explanation`"),
            "{ar}"
        );
        assert!(
            !ar.contains("help:") && !ar.contains("did you mean"),
            "{ar}"
        );
        assert_eq!(d.localized(Lang::En), d);
    }
}
