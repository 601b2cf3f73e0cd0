//! Text clean-up shared by the converters: HTML to plain text, safe characters, ids and tags,
//! TOML strings.

use crate::diag::is_dangerous_char;

/// Longest id made from a question name, in bytes (ids are ASCII).
const MAX_ID_LEN: usize = 48;

/// Tags whose contents are dropped with the tag (not text a trainee should read).
const DROPPED: &[&str] = &["script", "style", "head", "title"];
/// Tags that end a line of text.
const BLOCKS: &[&str] = &[
    "br",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "pre",
];
/// Tags whose content cannot be shown in a terminal.
const MEDIA: &[&str] = &[
    "img", "video", "audio", "iframe", "object", "embed", "svg", "canvas", "math", "picture",
];

/// Plain text made from HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plain {
    /// The text, lines trimmed, empty lines dropped.
    pub text: String,
    /// Whether an image or other media element was removed.
    pub media: bool,
}

/// Strip HTML tags (block tags end a line), decode entities, collapse white space as a browser
/// would.
pub(crate) fn strip_html(s: &str) -> Plain {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut media = false;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let Some(c) = rest.chars().next() else { break };
        if c == '<' {
            if let Some(skip) = rest.strip_prefix("<!--") {
                // A comment: up to `-->`, or to the end.
                i += 4 + skip.find("-->").map_or(skip.len(), |e| e + 3);
                continue;
            }
            let after = &rest[1..];
            let is_tag = after
                .starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
            if let (true, Some(end)) = (is_tag, after.find('>')) {
                let inner = &after[..end];
                let closing = inner.starts_with('/');
                let name: String = inner
                    .trim_start_matches(['/', '!', '?'])
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                i += 1 + end + 1;
                if MEDIA.contains(&name.as_str()) {
                    media = true;
                }
                if BLOCKS.contains(&name.as_str()) {
                    lines.push(std::mem::take(&mut cur));
                }
                if !closing && DROPPED.contains(&name.as_str()) {
                    let close = format!("</{name}");
                    let tail = &s[i..];
                    let lower = tail.to_ascii_lowercase();
                    let stop = lower.find(&close).unwrap_or(tail.len());
                    i += stop;
                }
                continue;
            }
        }
        cur.push(if c.is_whitespace() { ' ' } else { c });
        i += c.len_utf8();
    }
    lines.push(cur);
    let text = lines
        .iter()
        .map(|l| {
            decode_entities(l)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    Plain { text, media }
}

/// Decode every HTML5 character reference: the named ones (`&eacute;`, `&deg;`, `&sect;`,
/// `&rlm;`...) and the numeric ones (`&#233;`, `&#xE9;`), as a browser does in text.
pub(crate) fn decode_entities(s: &str) -> String {
    htmlize::unescape(s).into_owned()
}

/// Control and direction characters in `s` that [`clean`] removes (tabs, newlines and carriage
/// returns excepted: they become spaces or line ends).
pub(crate) fn removed_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r') && is_dangerous_char(*c))
}

/// Make text safe for a bank: tabs become spaces, carriage returns go, control and direction
/// characters go (newlines stay), lines are trimmed at their ends, and the whole is trimmed.
pub(crate) fn clean(s: &str) -> String {
    let t: String = s
        .chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\n' => Some('\n'),
            c if is_dangerous_char(c) => None,
            c => Some(c),
        })
        .collect();
    t.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// A short, single-line form of `s` for messages (at most 40 characters).
pub(crate) fn excerpt(s: &str) -> String {
    let one = clean(s).split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 40 {
        let mut t: String = one.chars().take(39).collect();
        t.push('…');
        t
    } else {
        one
    }
}

/// Lower-case ASCII letters and digits, other runs of characters as one `-`, no `-` at either
/// end. Empty when `s` has no ASCII letter or digit.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// The tag of a Moodle category path: every part below the context (`$course$`, `top`) slugged
/// and joined, so that `Law/Chapter 1` (`law-chapter-1`) and `Indicators/Chapter 1`
/// (`indicators-chapter-1`) stay distinct. Empty when no part has an ASCII letter or digit.
/// Moodle's own name for a context's first category, `Default for <context>`, counts as the
/// context's name.
pub(crate) fn category_tag(path: &str) -> String {
    let parts: Vec<String> = category_parts(path)
        .map(slug)
        .filter(|p| !p.is_empty())
        .collect();
    parts.join("-")
}

/// The parts of a category path below its context, `Default for ` taken off.
pub(crate) fn category_parts(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .map(str::trim)
        .filter(|p| !(p.is_empty() || (p.starts_with('$') && p.ends_with('$')) || *p == "top"))
        .map(|p| p.strip_prefix("Default for ").unwrap_or(p))
}

/// The parts of a category path that cannot be in a tag (no ASCII letter or digit).
pub(crate) fn category_parts_lost(path: &str) -> Vec<&str> {
    category_parts(path)
        .filter(|p| slug(p).is_empty())
        .collect()
}

/// The addresses of the links (`<a href="...">`) in HTML text.
pub(crate) fn links(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = lower[from..].find("<a ") {
        let start = from + p;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &html[start..end];
        if let Some(h) = tag.to_ascii_lowercase().find("href") {
            let rest = tag[h + 4..]
                .trim_start()
                .trim_start_matches('=')
                .trim_start();
            let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
            let value = match q {
                Some(q) => rest[1..].split(q).next().unwrap_or(""),
                None => rest.split(char::is_whitespace).next().unwrap_or(""),
            };
            let value = value.replace('\\', "");
            if !value.is_empty() && !out.contains(&value) {
                out.push(value);
            }
        }
        from = end;
    }
    out
}

/// An id made from a question name: its slug, cut at a `-` to at most 48 bytes.
pub(crate) fn id_from_name(name: &str) -> String {
    let s = slug(name);
    if s.len() <= MAX_ID_LEN {
        return s;
    }
    let cut = &s[..MAX_ID_LEN];
    match cut.rfind('-') {
        Some(p) if p > 0 => cut[..p].to_owned(),
        _ => cut.to_owned(),
    }
}

/// A TOML basic string, quoted and escaped.
pub(crate) fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A one-line comment text (newlines and control characters become spaces).
pub(crate) fn comment_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || is_dangerous_char(c) {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Escape text for XML content or attribute values.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Plain text as HTML: `&`, `<`, `>` escaped, newlines as `<br>`.
pub(crate) fn to_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// Text inside a CDATA section (a `]]>` inside is split across two sections).
pub(crate) fn cdata(s: &str) -> String {
    format!("<![CDATA[{}]]>", s.replace("]]>", "]]]]><![CDATA[>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        let p =
            strip_html("<p>Who is <b>buried</b>&nbsp;here?</p><p>A &amp; B &lt;3 &#39;x&#x27;</p>");
        assert_eq!(p.text, "Who is buried here?\nA & B <3 'x'");
        assert!(!p.media);
        let p = strip_html("<p><img src=\"a.png\"></p>");
        assert_eq!(p.text, "");
        assert!(p.media);
        assert_eq!(strip_html("a < b and c>d").text, "a < b and c>d");
        assert_eq!(
            strip_html("x<script>alert(1)</script>y<!-- c -->z").text,
            "xyz"
        );
        assert_eq!(strip_html("one<br/>two\n  three").text, "one\ntwo three");
    }

    #[test]
    fn every_html5_entity_is_decoded() {
        assert_eq!(
            decode_entities(
                "&eacute;t&eacute; 5&deg; &sect;3 &rlm;x &#x627;&#1604; &amp;lt; &nosuch;"
            ),
            "\u{e9}t\u{e9} 5\u{b0} \u{a7}3 \u{200f}x \u{627}\u{644} &lt; &nosuch;"
        );
        let removed: Vec<char> = removed_chars("a\u{200f}b\tc\r\n\u{202b}").collect();
        assert_eq!(removed, ['\u{200f}', '\u{202b}']);
    }

    #[test]
    fn category_paths_and_links() {
        assert_eq!(category_tag("$course$/top/Law/Chapter 1"), "law-chapter-1");
        assert_eq!(
            category_tag("$course$/top/Indicators/Chapter 1"),
            "indicators-chapter-1"
        );
        assert_eq!(category_tag("$course$/top"), "");
        assert_eq!(category_tag("Law"), "law");
        assert_eq!(category_tag("$course$/top/المؤشرات"), "");
        assert_eq!(
            category_tag("$course$/Default for Law 91/Penalties"),
            "law-91-penalties"
        );
        assert_eq!(
            category_parts_lost("$course$/top/Law/المؤشرات"),
            ["المؤشرات"]
        );
        assert_eq!(
            links("<p><a href=\"@@PLUGINFILE@@/b.mp3\">x</a> <A HREF='http://x.org'>y</a>"),
            ["@@PLUGINFILE@@/b.mp3", "http://x.org"]
        );
    }

    #[test]
    fn slugs_ids_and_strings() {
        assert_eq!(
            slug("$course$/top/Airport Indicators"),
            "course-top-airport-indicators"
        );
        assert_eq!(slug("المؤشرات"), "");
        assert_eq!(slug("Q1: Grant's tomb?"), "q1-grant-s-tomb");
        let long = id_from_name(&"word ".repeat(20));
        assert!(long.len() <= MAX_ID_LEN && !long.ends_with('-'));
        assert_eq!(toml_str("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(clean(" a\tb\u{1b}[31m\r\n c \u{202e}"), "a b[31m\n c");
        assert_eq!(to_html("a<b\nc"), "a&lt;b<br>c");
        assert_eq!(cdata("x]]>y"), "<![CDATA[x]]]]><![CDATA[>y]]>");
    }
}
