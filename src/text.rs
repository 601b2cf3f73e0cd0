//! Languages and multilingual text.
//!
//! A [`Text`] holds one string per language code. A bank written in a single language may give a
//! plain string, stored under the empty code, which answers for every language.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Arabic (Modern Standard Arabic), written right to left.
    Ar,
}

impl Lang {
    /// All interface languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ar];

    /// The language code used in bank files (`en`, `ar`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ar => "ar",
        }
    }

    /// Parse a language code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ar" => Some(Lang::Ar),
            _ => None,
        }
    }

    /// Whether the language is written right to left.
    #[must_use]
    pub fn is_rtl(self) -> bool {
        matches!(self, Lang::Ar)
    }

    /// The other interface language.
    #[must_use]
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Ar,
            Lang::Ar => Lang::En,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text in one or more languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Text {
    /// `(language code, text)` pairs; the code is empty for a plain, language-neutral string.
    /// A code is held inline (no allocation for codes of up to 24 bytes); it is written and
    /// read as a string, as a `String` would be.
    values: Vec<(CompactString, String)>,
}

impl Text {
    /// A language-neutral text.
    #[must_use]
    pub fn plain(s: impl Into<String>) -> Text {
        Text {
            values: vec![(CompactString::default(), s.into())],
        }
    }

    /// An empty text with room for `n` languages, for [`Text::push`].
    #[must_use]
    pub(crate) fn with_capacity(n: usize) -> Text {
        Text {
            values: Vec::with_capacity(n),
        }
    }

    /// Add the text in `code`.
    pub(crate) fn push(&mut self, code: &str, text: String) {
        self.values.push((CompactString::new(code), text));
    }

    /// A text from `(code, text)` pairs.
    #[must_use]
    pub fn from_pairs<I, K, V>(pairs: I) -> Text
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Text {
            values: pairs
                .into_iter()
                .map(|(k, v)| (CompactString::from(k.into()), v.into()))
                .collect(),
        }
    }

    /// The text in `code` if present.
    #[must_use]
    pub fn exact(&self, code: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == code)
            .map(|(_, v)| v.as_str())
    }

    /// The text for `lang`, falling back to a plain string, then English, then the first one.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        self.exact(lang.code())
            .or_else(|| self.exact(""))
            .or_else(|| self.exact("en"))
            .or_else(|| self.values.first().map(|(_, v)| v.as_str()))
            .unwrap_or("")
    }

    /// Whether the text is available in `lang` itself (not through a fallback to another language).
    #[must_use]
    pub fn has(&self, lang: Lang) -> bool {
        self.exact(lang.code()).is_some() || self.exact("").is_some()
    }

    /// Whether this is a plain, language-neutral string.
    #[must_use]
    pub fn is_plain(&self) -> bool {
        self.values.len() == 1 && self.values[0].0.is_empty()
    }

    /// The `(code, text)` pairs.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_answers_for_every_language() {
        let t = Text::plain("Law No. 91 of 2013");
        assert_eq!(t.get(Lang::Ar), "Law No. 91 of 2013");
        assert!(t.has(Lang::Ar) && t.has(Lang::En));
        assert!(t.is_plain());
    }

    #[test]
    fn per_language_text_falls_back_to_english() {
        let t = Text::from_pairs([("en", "Victim"), ("ar", "الضحية")]);
        assert_eq!(t.get(Lang::Ar), "الضحية");
        let only_en = Text::from_pairs([("en", "Victim")]);
        assert_eq!(only_en.get(Lang::Ar), "Victim");
        assert!(!only_en.has(Lang::Ar));
    }

    #[test]
    fn text_is_written_as_string_pairs() {
        // The layout records and caches have always stored: `values` as (String, String).
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Stored {
            values: Vec<(String, String)>,
        }
        let long_code = "x".repeat(40);
        for t in [
            Text::from_pairs([("en", "Victim"), ("ar", "الضحية")]),
            Text::plain("Law No. 91"),
            Text::from_pairs([(long_code.as_str(), "long code")]),
            Text::default(),
        ] {
            let stored = Stored {
                values: t
                    .pairs()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
            };
            let json = serde_json::to_string(&t).expect("json");
            assert_eq!(json, serde_json::to_string(&stored).expect("json"));
            assert_eq!(serde_json::from_str::<Text>(&json).expect("read"), t);
            let bin = postcard::to_stdvec(&t).expect("postcard");
            assert_eq!(bin, postcard::to_stdvec(&stored).expect("postcard"));
            assert_eq!(postcard::from_bytes::<Text>(&bin).expect("read"), t);
        }
        assert_eq!(
            serde_json::to_string(&Text::from_pairs([("en", "a"), ("ar", "b")])).expect("json"),
            r#"{"values":[["en","a"],["ar","b"]]}"#
        );
    }

    #[test]
    fn language_codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code("fr"), None);
        assert!(Lang::Ar.is_rtl() && !Lang::En.is_rtl());
    }
}

/// The Arabic decimal separator «٫» (U+066B), written between the digits of a number in
/// Arabic-Indic digits.
pub const DECIMAL_SEPARATOR: char = '\u{066B}';

/// How the numbers the program writes in the Arabic interface are shown (counts, scores,
/// times, question numbers); never applied to an author's text or a trainee's answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Digits {
    /// 0-9.
    #[default]
    Western,
    /// Arabic-Indic ٠-٩ (U+0660..U+0669), in the Arabic interface only.
    Arabic,
}

impl Digits {
    /// The style in effect for `lang`: Arabic-Indic digits only in the Arabic interface.
    #[must_use]
    pub fn for_lang(self, lang: Lang) -> Digits {
        if lang == Lang::Ar {
            self
        } else {
            Digits::Western
        }
    }

    /// `s`, a number the program formatted (or a phrase around one), with its digits 0-9
    /// written in this style. In Arabic-Indic digits, a `.` between two digits is the Arabic
    /// decimal separator «٫» (U+066B), as in `٩٣٫٥`; a `.` that ends a sentence stays. The
    /// percent sign stays `%`, as the screens have always written it. (CSV and JSON never go
    /// through here: they keep 0-9 and `.`.)
    #[must_use]
    pub fn write(self, s: &str) -> std::borrow::Cow<'_, str> {
        match self {
            Digits::Arabic if s.bytes().any(|b| b.is_ascii_digit()) => {
                let b = s.as_bytes();
                s.char_indices()
                    .map(|(i, c)| match c {
                        '0'..='9' => char::from_u32(0x0660 + u32::from(b[i] - b'0')).unwrap_or(c),
                        '.' if i > 0
                            && b[i - 1].is_ascii_digit()
                            && b.get(i + 1).is_some_and(u8::is_ascii_digit) =>
                        {
                            DECIMAL_SEPARATOR
                        }
                        _ => c,
                    })
                    .collect::<String>()
                    .into()
            }
            _ => s.into(),
        }
    }

    /// The other style (the setting on the home screen toggles).
    #[must_use]
    pub fn other(self) -> Digits {
        match self {
            Digits::Western => Digits::Arabic,
            Digits::Arabic => Digits::Western,
        }
    }
}

#[cfg(test)]
mod digits_tests {
    use super::{Digits, Lang};

    #[test]
    fn arabic_indic_digits_only_in_the_arabic_interface() {
        assert_eq!(
            Digits::Arabic.write("28 / 30 · 14% · 01:05"),
            "٢٨ / ٣٠ · ١٤% · ٠١:٠٥"
        );
        assert_eq!(Digits::Western.write("28 / 30"), "28 / 30");
        // The decimal separator between digits, not a full stop after one.
        assert_eq!(
            Digits::Arabic.write("93.3% of 28.5. 4.x .5"),
            "٩٣٫٣% of ٢٨٫٥. ٤.x .٥"
        );
        assert_eq!(Digits::Western.write("93.3%"), "93.3%");
        assert_eq!(Digits::Arabic.write("no digits"), "no digits");
        assert_eq!(Digits::Arabic.write("٣ stays"), "٣ stays");
        assert_eq!(Digits::Arabic.for_lang(Lang::En), Digits::Western);
        assert_eq!(Digits::Arabic.for_lang(Lang::Ar), Digits::Arabic);
        assert_eq!(Digits::Western.other(), Digits::Arabic);
    }
}
