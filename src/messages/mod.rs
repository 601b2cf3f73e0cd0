//! Every word the program shows, one catalogue per language ([`en`], [`ar`]): the command
//! line's messages as a key with arguments ([`Msg`], [`K`]), rendered in the language the user
//! chose, and the screens' words ([`screens::Ui`], one filled table per language).
//!
//! A template holds `{0}`, `{1}`, ... places. An argument is verbatim text (a key name, an id,
//! a trainee's name, a file name: shown as it is in every language), a number the program
//! wrote (a count, a score: in the Arabic interface's digits), or another message, rendered
//! in the same language, so that the phrases put into a sentence ("a question", "the prompt
//! of question `x`") are translated too. Codes, keys, file names and TOML examples stay ASCII
//! in every language. Text is never taken for a number because of how it looks: a trainee
//! called "2024" or a folder called `2024/11` keeps its digits.
//!
//! This module is part of the pure core: it reads no terminal and no environment (the
//! language is found by [`cli_lang`] from a getter the caller passes).

pub mod ar;
pub mod en;
mod keys;
pub mod screens;

pub use keys::K;
pub use screens::{Does, Ui};

use crate::text::Lang;
use std::sync::Arc;

/// The template of `key` in `lang`.
#[must_use]
pub fn template(lang: Lang, key: K) -> &'static str {
    match lang {
        Lang::En => en::text(key),
        Lang::Ar => ar::text(key),
    }
}

/// The screens' words in `lang`.
#[must_use]
pub fn ui(lang: Lang) -> &'static Ui {
    match lang {
        Lang::En => &en::SCREENS,
        Lang::Ar => &ar::SCREENS,
    }
}

/// The words of paced play's screen in `lang`.
#[must_use]
pub fn paced(lang: Lang) -> &'static screens::PacedUi {
    match lang {
        Lang::En => &en::PACED,
        Lang::Ar => &ar::PACED,
    }
}

/// The words of the instructor's console in `lang`.
#[must_use]
pub fn console(lang: Lang) -> &'static screens::ConsoleUi {
    match lang {
        Lang::En => &en::CONSOLE,
        Lang::Ar => &ar::CONSOLE,
    }
}

/// The name of a shipped topic on screen (another topic is shown by its id).
#[must_use]
pub fn topic_name(lang: Lang, topic: &str) -> String {
    let t = ui(lang);
    match topic {
        "indicators" => t.topic_indicators,
        "national-law" => t.topic_national_law,
        "international-law" => t.topic_international_law,
        "referral" => t.topic_referral,
        "scenarios" => t.topic_scenarios,
        other => other,
    }
    .to_owned()
}

/// An exam's title as a record gives it, shown in `lang`: a quick quiz (id `quick-all` or
/// `quick-<topics>`, recorded with its English title) is named by the catalogue; another exam
/// keeps the title its author wrote.
#[must_use]
pub fn exam_title(lang: Lang, exam_id: &str, recorded: &str) -> String {
    let quick = exam_id == "quick-all" || exam_id.starts_with("quick-");
    if quick && (recorded == en::SCREENS.quick_quiz || recorded == ar::SCREENS.quick_quiz) {
        ui(lang).quick_quiz.to_owned()
    } else {
        recorded.to_owned()
    }
}

/// One argument of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// Text shown as it is, in every language and with every digit setting: names, file
    /// paths, ids, an author's value, an operating system's words. Strings become this.
    Raw(String),
    /// A number the program wrote (`28/30`, `93.5`, `01:05`): its digits follow the digit
    /// setting in the Arabic interface. Integers become this; a number formatted as text is
    /// made one with [`num`].
    Num(String),
    /// A phrase from the catalogue.
    Msg(Msg),
}

/// A message: a catalogue key and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    /// The catalogue entry.
    pub key: K,
    /// The values of `{0}`, `{1}`, ... (shared: a message is cloned into other messages often
    /// while a file is checked, and only rendered when there is a problem).
    pub args: Arc<[Arg]>,
}

impl Msg {
    /// A message with arguments.
    #[must_use]
    pub fn new(key: K, args: Vec<Arg>) -> Msg {
        Msg {
            key,
            args: args.into(),
        }
    }

    /// Text that is the same in every language (a TOML parser's message, an operating
    /// system's error, a key name in backquotes).
    #[must_use]
    pub fn raw(s: impl Into<String>) -> Msg {
        Msg::new(K::Verbatim, vec![Arg::Raw(s.into())])
    }

    /// The message in `lang`.
    #[must_use]
    pub fn render(&self, lang: Lang) -> String {
        self.render_with(lang, crate::text::Digits::Western)
    }

    /// The message in `lang`, the arguments that are numbers the program wrote ([`Arg::Num`]:
    /// a count, a score, a line number) written in `digits` when `lang` is Arabic. Verbatim
    /// arguments (names, paths, ids, an author's text) are left alone, whatever they hold.
    #[must_use]
    pub fn render_with(&self, lang: Lang, digits: crate::text::Digits) -> String {
        let digits = digits.for_lang(lang);
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| match a {
                Arg::Num(s) => digits.write(s).into_owned(),
                Arg::Raw(s) => s.clone(),
                Arg::Msg(m) => m.render_with(lang, digits),
            })
            .collect();
        fill(template(lang, self.key), &args)
    }

    /// The message in English.
    #[must_use]
    pub fn en(&self) -> String {
        self.render(Lang::En)
    }
}

/// What a checked value is, for the messages of the problems found in it, built only when a
/// problem is reported: a [`Msg`], a catalogue key ([`K`]), or a closure that builds the
/// message (so that checking a valid file builds no message at all).
pub trait Describe {
    /// The message.
    fn describe(&self) -> Msg;
}

impl Describe for Msg {
    fn describe(&self) -> Msg {
        self.clone()
    }
}

impl Describe for K {
    fn describe(&self) -> Msg {
        Msg::from(*self)
    }
}

impl<F: Fn() -> Msg> Describe for F {
    fn describe(&self) -> Msg {
        self()
    }
}

impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Msg(m)
    }
}
impl From<&Msg> for Arg {
    fn from(m: &Msg) -> Arg {
        Arg::Msg(m.clone())
    }
}
impl From<K> for Arg {
    fn from(k: K) -> Arg {
        Arg::Msg(Msg::new(k, Vec::new()))
    }
}
impl From<K> for Msg {
    fn from(k: K) -> Msg {
        Msg::new(k, Vec::new())
    }
}
impl From<&Arg> for Arg {
    fn from(a: &Arg) -> Arg {
        a.clone()
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Raw(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Raw(s.clone())
    }
}
impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Raw(s.to_owned())
    }
}
macro_rules! arg_from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::Num(v.to_string())
            }
        }
    )*};
}
arg_from_number!(usize, u32, u64, i64);

impl From<char> for Arg {
    fn from(c: char) -> Arg {
        Arg::Raw(c.to_string())
    }
}

/// A number the program formatted as text (`93.5`, `28/30`, a list of percentages), as an
/// argument whose digits follow the digit setting. Text from a user or a file is never one.
#[must_use]
pub fn num(s: impl Into<String>) -> Arg {
    Arg::Num(s.into())
}

/// Build a [`Msg`]: `msg!(UnknownKeyIn, name, what)`.
#[macro_export]
macro_rules! msg {
    ($k:ident $(, $a:expr)* $(,)?) => {
        $crate::messages::Msg::new(
            $crate::messages::K::$k,
            vec![$($crate::messages::Arg::from($a)),*],
        )
    };
}

/// Put `values` into the `{0}`, `{1}`, ... places of `template`, in one pass (a value that
/// contains `{1}` is not filled again). Other braces are kept; a place with no value stays.
#[must_use]
pub fn fill<S: AsRef<str>>(template: &str, values: &[S]) -> String {
    let mut out = String::with_capacity(
        template.len() + values.iter().map(|v| v.as_ref().len()).sum::<usize>(),
    );
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let value = (digits > 0 && after.as_bytes().get(digits) == Some(&b'}'))
            .then(|| after[..digits].parse::<usize>().ok())
            .flatten()
            .and_then(|i| values.get(i));
        match value {
            Some(v) => {
                out.push_str(v.as_ref());
                rest = &after[digits + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The places (`{0}`, `{1}`, ...) a template uses, sorted, without repeats.
#[must_use]
pub fn placeholders(template: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0
            && after.as_bytes().get(digits) == Some(&b'}')
            && let Ok(i) = after[..digits].parse::<usize>()
        {
            out.push(i);
        }
        rest = after;
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The language of the command line: `flag` (`--lang`), else `TIPQUIZ_LANG`, else the locale
/// (`LC_ALL`, then `LC_MESSAGES`, then `LANG`: a value starting with `ar` means Arabic), else
/// English. `get` reads an environment variable (`|k| std::env::var(k).ok()`).
#[must_use]
pub fn cli_lang(flag: Option<Lang>, get: &dyn Fn(&str) -> Option<String>) -> Lang {
    choose_lang(flag, None, get)
}

/// The one language rule of the program, for the command line, the screens and the class
/// server's sessions: `flag` (`--lang`), else `TIPQUIZ_LANG`, else `remembered` (the language
/// the trainee used last, for the screens), else the locale (`LC_ALL`, then `LC_MESSAGES`,
/// then `LANG`: a value starting with `ar` means Arabic), else English. `get` reads an
/// environment variable.
#[must_use]
pub fn choose_lang(
    flag: Option<Lang>,
    remembered: Option<Lang>,
    get: &dyn Fn(&str) -> Option<String>,
) -> Lang {
    if let Some(l) = flag {
        return l;
    }
    if let Some(l) =
        get("TIPQUIZ_LANG").and_then(|v| Lang::from_code(v.trim().to_ascii_lowercase().as_str()))
    {
        return l;
    }
    if let Some(l) = remembered {
        return l;
    }
    // POSIX: the first of LC_ALL, LC_MESSAGES, LANG that is set and not empty decides.
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| get(k))
        .find(|v| !v.is_empty());
    match locale {
        Some(v) if v.to_ascii_lowercase().starts_with("ar") => Lang::Ar,
        _ => Lang::En,
    }
}

/// The digits of the numbers the command line writes in Arabic: `flag` (`--digits`), else
/// `TIPQUIZ_DIGITS` (`western` or `arabic`; another value is ignored), else Western. The
/// screens put the trainee's remembered choice between the two (see `--digits`). `get` reads
/// an environment variable.
#[must_use]
pub fn cli_digits(
    flag: Option<crate::text::Digits>,
    get: &dyn Fn(&str) -> Option<String>,
) -> crate::text::Digits {
    flag.or_else(|| env_digits(get)).unwrap_or_default()
}

/// `TIPQUIZ_DIGITS`, when it names a digit style.
#[must_use]
pub fn env_digits(get: &dyn Fn(&str) -> Option<String>) -> Option<crate::text::Digits> {
    match get("TIPQUIZ_DIGITS")?.trim().to_ascii_lowercase().as_str() {
        "western" => Some(crate::text::Digits::Western),
        "arabic" => Some(crate::text::Digits::Arabic),
        _ => None,
    }
}

/// Join items with the language's comma: `a, b, c`.
#[must_use]
pub fn join_list<I: IntoIterator<Item = Arg>>(items: I) -> Arg {
    let mut it = items.into_iter();
    let Some(first) = it.next() else {
        return Arg::Raw(String::new());
    };
    it.fold(first, |acc, x| Arg::Msg(Msg::new(K::ListSep, vec![acc, x])))
}

/// Join words with the language's "and": `a and b and c`.
#[must_use]
pub fn and_list<I: IntoIterator<Item = Arg>>(items: I) -> Arg {
    let mut it = items.into_iter();
    let Some(first) = it.next() else {
        return Arg::Raw(String::new());
    };
    it.fold(first, |acc, x| Arg::Msg(Msg::new(K::And, vec![acc, x])))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_util::env;

    #[test]
    fn every_entry_is_non_empty_and_has_the_same_places_in_both_languages() {
        assert!(K::ALL.len() > 100);
        for k in K::ALL {
            let (e, a) = (en::text(*k), ar::text(*k));
            assert!(!e.trim().is_empty(), "{k:?}: empty English");
            assert!(!a.trim().is_empty(), "{k:?}: empty Arabic");
            if *k == K::ImpCheckReason {
                // One argument per language: the English text and the Arabic message.
                assert_eq!((placeholders(e), placeholders(a)), (vec![0], vec![1]));
                continue;
            }
            assert_eq!(placeholders(e), placeholders(a), "{k:?}: {e:?} / {a:?}");
            let n = placeholders(e).len();
            assert_eq!(
                placeholders(e),
                (0..n).collect::<Vec<_>>(),
                "{k:?}: gap in places"
            );
        }
    }

    #[test]
    fn arabic_entries_are_arabic_and_use_the_glossary() {
        for k in K::ALL {
            let a = ar::text(*k);
            assert!(!a.contains("بالبشر"), "{k:?}: write الاتجار بالأشخاص");
            assert!(
                !a.contains('\u{202E}') && !a.chars().any(crate::walk::is_presentation_form),
                "{k:?}"
            );
        }
        // Most entries hold Arabic letters (the rest are symbols or codes).
        let arabic = K::ALL
            .iter()
            .filter(|k| {
                ar::text(**k)
                    .chars()
                    .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
            })
            .count();
        assert!(
            arabic * 10 >= K::ALL.len() * 8,
            "{arabic} of {}",
            K::ALL.len()
        );
    }

    #[test]
    fn fill_is_one_pass_and_keeps_other_braces() {
        let v = vec!["{1}".to_owned(), "x".to_owned()];
        assert_eq!(fill("a {0} b {1} { c } {9}", &v), "a {1} b x { c } {9}");
        assert_eq!(placeholders("{1} {0} {1} {x}"), vec![0, 1]);
    }

    #[test]
    fn nested_messages_render_in_the_same_language() {
        let m = crate::msg!(UnknownKeyIn, "explaination", K::AQuestion);
        assert_eq!(m.en(), "unknown key `explaination` in a question");
        let ar = m.render(Lang::Ar);
        assert!(
            ar.contains("`explaination`") && ar.contains(ar::text(K::AQuestion)),
            "{ar}"
        );
    }

    #[test]
    fn draw_errors_read_the_same_in_english_as_before() {
        let e = crate::quiz::DrawError::PoolTooSmall {
            exam: "x".into(),
            pool: 2,
            filter: Box::new(crate::quiz::PoolFilter {
                topic: Some("t".into()),
                tags: vec!["a".into(), "b".into()],
                difficulty: Vec::new(),
            }),
            wanted: 5,
            available: 3,
            taken: 4,
            excluded: 0,
        };
        assert_eq!(
            e.message().en(),
            "pool 2 of exam `x` (topic t, tags a/b) asks for 5 questions, but only 3 match after earlier pools took 4"
        );
        assert!(e.message().render(Lang::Ar).contains('4'));
        let e = crate::quiz::DrawError::PoolTooSmall {
            exam: "x".into(),
            pool: 2,
            filter: Box::default(),
            wanted: 6,
            available: 4,
            taken: 0,
            excluded: 3,
        };
        assert_eq!(
            e.message().en(),
            "pool 2 of exam `x` (any question) asks for 6 questions, but only 4 match once 3 are left out because they must not share a paper with questions already drawn"
        );
        assert!(e.message().render(Lang::Ar).contains('3'));
        let e = crate::quiz::DrawError::Empty("x".into());
        assert_eq!(e.message().en(), e.to_string());
    }

    #[test]
    fn digits_come_from_flag_then_env_then_western() {
        use crate::text::Digits;
        let ar = env(&[("TIPQUIZ_DIGITS", "arabic")]);
        assert_eq!(cli_digits(Some(Digits::Western), &ar), Digits::Western);
        assert_eq!(cli_digits(None, &ar), Digits::Arabic);
        assert_eq!(
            cli_digits(None, &env(&[("TIPQUIZ_DIGITS", " Western\n")])),
            Digits::Western
        );
        assert_eq!(
            cli_digits(None, &env(&[("TIPQUIZ_DIGITS", "hindi")])),
            Digits::Western
        );
        assert_eq!(cli_digits(None, &env(&[])), Digits::Western);
        assert_eq!(env_digits(&env(&[("TIPQUIZ_DIGITS", "")])), None);
    }

    #[test]
    fn language_comes_from_flag_then_env_then_locale() {
        assert_eq!(
            cli_lang(Some(Lang::En), &env(&[("TIPQUIZ_LANG", "ar")])),
            Lang::En
        );
        assert_eq!(
            cli_lang(
                None,
                &env(&[("TIPQUIZ_LANG", "ar"), ("LANG", "en_US.UTF-8")])
            ),
            Lang::Ar
        );
        assert_eq!(
            cli_lang(
                None,
                &env(&[("TIPQUIZ_LANG", "en"), ("LANG", "ar_KW.UTF-8")])
            ),
            Lang::En
        );
        assert_eq!(
            cli_lang(
                None,
                &env(&[("TIPQUIZ_LANG", "fr"), ("LANG", "ar_KW.UTF-8")])
            ),
            Lang::Ar
        );
        assert_eq!(cli_lang(None, &env(&[("LANG", "ar_KW.UTF-8")])), Lang::Ar);
        assert_eq!(
            cli_lang(
                None,
                &env(&[("LC_ALL", "en_GB.UTF-8"), ("LANG", "ar_KW.UTF-8")])
            ),
            Lang::En
        );
        assert_eq!(
            cli_lang(None, &env(&[("LC_MESSAGES", "ar_SA"), ("LANG", "C")])),
            Lang::Ar
        );
        assert_eq!(
            cli_lang(None, &env(&[("LC_ALL", ""), ("LANG", "ar")])),
            Lang::Ar
        );
        assert_eq!(cli_lang(None, &env(&[("LANG", "C.UTF-8")])), Lang::En);
        assert_eq!(cli_lang(None, &env(&[])), Lang::En);
        // The screens put the trainee's remembered language after TIPQUIZ_LANG and before
        // the locale.
        let ar = Some(Lang::Ar);
        assert_eq!(
            choose_lang(None, ar, &env(&[("LANG", "en_US.UTF-8")])),
            Lang::Ar
        );
        assert_eq!(
            choose_lang(None, ar, &env(&[("TIPQUIZ_LANG", "en")])),
            Lang::En
        );
        assert_eq!(choose_lang(Some(Lang::En), ar, &env(&[])), Lang::En);
        assert_eq!(
            choose_lang(None, Some(Lang::En), &env(&[("LANG", "ar_KW.UTF-8")])),
            Lang::En
        );
    }

    #[test]
    fn only_the_programs_numbers_follow_the_digit_setting() {
        use crate::text::Digits;
        // A trainee called "2024", a folder `2024/11`, a question id `12`: verbatim; a count,
        // a formatted score: in Arabic-Indic digits, with the Arabic decimal separator.
        let m = crate::msg!(NoAttemptsBy, "2024", String::from("2024/11"));
        assert_eq!(m.render_with(Lang::Ar, Digits::Arabic), m.render(Lang::Ar));
        assert!(m.render_with(Lang::Ar, Digits::Arabic).contains("`2024`"));
        let m = crate::msg!(Closed, "2024", num("28.5"), 30usize, "2024/11/x.json");
        let shown = m.render_with(Lang::Ar, Digits::Arabic);
        assert!(
            shown.contains("٢٨٫٥") && shown.contains("٣٠") && shown.contains("2024/11/x.json"),
            "{shown}"
        );
        assert!(shown.contains("2024") && !shown.contains("٢٠٢٤"), "{shown}");
        // English keeps 0-9 and `.` whatever the setting.
        assert!(m.render_with(Lang::En, Digits::Arabic).contains("28.5"));
        assert_eq!(Arg::from('٣'), Arg::Raw("٣".into()));
    }

    #[test]
    fn and_list_joins_with_the_language_word() {
        let m = Msg::new(K::Verbatim, vec![and_list(["en".into(), "ar".into()])]);
        assert_eq!(m.en(), "en and ar");
        assert_eq!(m.render(Lang::Ar), "en و ar");
    }
}
