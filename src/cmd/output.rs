//! How the command line speaks: its language, the terminal layout of Arabic lines, and the
//! writers for standard output and standard error.

use super::setup::display;
use super::stdout::{stdout_is_piped, terminal_width, write_stdout};
use super::{OK, USAGE};
use crate::cli::Common;
use crate::diag::{Diagnostic, escape_for_terminal};
use crate::messages::{K, Msg};
use crate::text::Lang;
use crate::tui::bidi::visual_text;

/// How the command line speaks: its language, and whether lines for a terminal are laid out
/// right to left here (Arabic, terminal, `reorder` mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Voice {
    /// The language of messages.
    pub lang: Lang,
    /// Reorder, shape and right-align the lines written to standard output.
    pub visual_out: bool,
    /// The same for standard error.
    pub visual_err: bool,
    /// Join Arabic letters (when reordering).
    pub shaping: bool,
    /// Digits of the numbers in Arabic messages (`--digits`).
    pub digits: crate::text::Digits,
}

impl Voice {
    /// The voice of a run with these options: the language by the program's rule (`--lang`,
    /// `TIPQUIZ_LANG`, the locale), and the layout of each stream from whether it is a
    /// terminal and how that terminal shows right-to-left text.
    #[must_use]
    pub fn new(common: &Common, folders: &super::setup::Folders) -> Voice {
        use std::io::IsTerminal as _;
        let lang =
            crate::messages::cli_lang(common.lang.map(Into::into), &|k| std::env::var(k).ok());
        let out_tty = std::io::stdout().is_terminal();
        let err_tty = std::io::stderr().is_terminal();
        // The display (and the preferences it reads) only matters for Arabic on a terminal.
        let d = (lang == Lang::Ar && (out_tty || err_tty)).then(|| display(common, folders));
        let mode = d.map_or(crate::tui::bidi::BidiMode::Terminal, |d| d.mode);
        Voice {
            lang,
            visual_out: visual_output(lang, out_tty, mode),
            visual_err: visual_output(lang, err_tty, mode),
            shaping: d.is_some_and(|d| d.shaping),
            digits: crate::messages::cli_digits(common.digits.map(Into::into), &|k| {
                std::env::var(k).ok()
            }),
        }
    }

    /// English, in logical order: the voice before the options are read.
    #[must_use]
    pub fn english() -> Voice {
        Voice {
            lang: Lang::En,
            visual_out: false,
            visual_err: false,
            shaping: false,
            digits: crate::text::Digits::Western,
        }
    }

    /// A message in this voice's language.
    #[must_use]
    pub fn say(self, m: &Msg) -> String {
        m.render_with(self.lang, self.digits)
    }

    /// A catalogue entry without arguments in this voice's language.
    #[must_use]
    pub fn word(self, k: K) -> &'static str {
        crate::messages::template(self.lang, k)
    }

    /// Write to standard error, laid out like standard output. This is the printing edge of
    /// messages: names and paths inside them are built raw, and control and text-direction
    /// characters are shown escaped (`\u{1b}`) here.
    pub fn print_err(self, s: &str) {
        use std::io::Write as _;
        let s = escape_for_terminal(s);
        let text = if self.visual_err {
            visual_text(&s, terminal_width(), self.shaping)
        } else {
            s
        };
        if crate::tui::loading::holding() {
            // The loading frame has the terminal: printed once it is given back.
            crate::tui::loading::print_error(&text);
            return;
        }
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    /// Print an error for the user on standard error, escaped.
    pub fn fail(self, msg: &str) {
        self.print_err(&format!("tipquiz: {msg}\n"));
    }

    /// Print a message from the catalogue as an error, in this voice's language.
    pub fn fail_msg(self, m: &Msg) {
        self.fail(&self.say(m));
    }

    /// Print diagnostics on standard error in this voice's language.
    pub(crate) fn eprint_diags(self, diags: &[&Diagnostic]) {
        let text: String = diags.iter().map(|d| d.render_in(self.lang)).collect();
        self.print_err(&text);
    }

    /// Write text for people to standard output; a closed pipe (`| head`) ends the output
    /// quietly. Control and text-direction characters from names and paths are shown escaped
    /// (`\u{1b}`), on a terminal or not (machine output goes through
    /// [`print_data`](super::stdout::print_data)). Arabic
    /// on a terminal in `reorder` mode is laid out right to left here (see [`visual_output`]).
    pub fn print_out(self, s: &str) {
        let s = escape_for_terminal(s);
        if self.visual_out {
            write_stdout(visual_text(&s, terminal_width(), self.shaping).as_bytes());
        } else {
            write_stdout(s.as_bytes());
        }
    }

    /// The exit code of a command that returned `code`, once what it printed is known to be
    /// written (each write is flushed as it is made): a write that failed (a full disk,
    /// `> /dev/full`, a dropped share) is reported here with what to do, exit 2, so that a
    /// script does not take a cut or empty file for the output. A reader that closed the pipe
    /// early (`| head -1`) is not an error: the program ends quietly with the command's own
    /// code, as ripgrep and fd do (0 when all went well; `check` still says 1 when it found
    /// problems). The screens' own writes to the terminal are not counted here: a terminal
    /// that went away ends the quiz as a hang-up does.
    #[must_use]
    pub fn finish(self, code: u8) -> u8 {
        match super::stdout::failure() {
            None => code,
            Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
            Some(e) => {
                self.fail_msg(&crate::msg!(StdoutWrite, e.to_string()));
                USAGE
            }
        }
    }
}

/// Parse the command line with its help and usage errors in `lang` (see
/// [`crate::cli::command_in`]). Help and version are printed here (exit 0); a usage error is
/// printed on standard error (exit 2), in `lang` for the kinds the catalogue covers.
///
/// # Errors
/// The exit code when the program must stop here.
pub fn parse_in(lang: Lang, args: Vec<std::ffi::OsString>) -> Result<crate::cli::Cli, u8> {
    use clap::FromArgMatches as _;
    use clap::error::ErrorKind;
    let parsed = crate::cli::command_in(lang)
        .try_get_matches_from(args)
        .and_then(|m| crate::cli::Cli::from_arg_matches(&m));
    let e = match parsed {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    // The options were not read: the voice comes from the language alone.
    let voice = Voice::new(
        &Common {
            lang: Some(match lang {
                Lang::En => crate::cli::LangArg::En,
                Lang::Ar => crate::cli::LangArg::Ar,
            }),
            banks: Vec::new(),
            only_given_banks: false,
            results: None,
            bidi: crate::cli::BidiArg::Auto,
            shaping: crate::cli::ShapingArg::Auto,
            digits: None,
        },
        &super::setup::Folders::of_this_process(),
    );
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            voice.print_out(&e.render().to_string());
            Err(voice.finish(OK))
        }
        _ => {
            let text =
                crate::cli::usage_error_in(&e, lang).unwrap_or_else(|| e.render().to_string());
            voice.print_err(&text);
            Err(USAGE)
        }
    }
}

/// The end of an English command line that clap did not parse into a command: help and
/// version are printed (exit 0), in clap's colours on a terminal and checked for write errors
/// (`--help > /dev/full`, exit 2) elsewhere; a usage error is printed as clap does (exit 2).
#[must_use]
pub fn clap_exit(e: &clap::Error) -> u8 {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion if stdout_is_piped() => {
            write_stdout(e.render().to_string().as_bytes());
            Voice::english().finish(OK)
        }
        _ => {
            let _ = e.print();
            u8::try_from(e.exit_code()).unwrap_or(USAGE)
        }
    }
}

/// Whether lines are laid out right to left here: only Arabic, only on a terminal, only when
/// the terminal does not reorder itself. Piped or redirected output stays in logical order
/// (plain UTF-8), so that files and grep work.
#[must_use]
pub fn visual_output(lang: Lang, is_terminal: bool, mode: crate::tui::bidi::BidiMode) -> bool {
    lang == Lang::Ar && is_terminal && mode == crate::tui::bidi::BidiMode::Reorder
}

#[cfg(test)]
mod voice_tests {
    use super::*;
    use crate::tui::bidi::{BidiMode, Dir, align, visual_lines};

    fn is_form(c: char) -> bool {
        ('\u{FB50}'..='\u{FDFF}').contains(&c) || ('\u{FE70}'..='\u{FEFE}').contains(&c)
    }

    #[test]
    fn only_arabic_on_a_reordering_terminal_is_laid_out_here() {
        for lang in [Lang::En, Lang::Ar] {
            for tty in [false, true] {
                for mode in [BidiMode::Reorder, BidiMode::Terminal] {
                    let want = lang == Lang::Ar && tty && mode == BidiMode::Reorder;
                    assert_eq!(
                        visual_output(lang, tty, mode),
                        want,
                        "{lang:?} {tty} {mode:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_terminal_path_uses_the_bidi_pipeline_and_right_aligns() {
        let m = crate::msg!(NoAttemptsBy, "Salem", "/tmp/results");
        let logical = format!("tipquiz: {}\n\n", m.render(Lang::Ar));
        let shown = visual_text(&logical, 60, true);
        let first = logical.lines().next().unwrap_or_default();
        let want: Vec<String> = visual_lines(first, Dir::Rtl, 60, BidiMode::Reorder, true)
            .iter()
            .map(|l| align(l, Dir::Rtl, 60))
            .collect();
        assert_eq!(shown, format!("{}\n\n", want.join("\n")));
        assert!(shown.chars().any(is_form), "not shaped: {shown}");
        assert!(!logical.chars().any(is_form));
        for l in shown.lines().filter(|l| !l.is_empty()) {
            assert_eq!(
                crate::tui::bidi::cell_width(l),
                60,
                "not right-aligned: {l:?}"
            );
        }
        // Unshaped, the letters stay in their plain code points, still reordered.
        let plain = visual_text(&logical, 60, false);
        assert!(!plain.chars().any(is_form) && plain != logical);
        // A line without Arabic (a file place, a caret) is left as it is.
        assert_eq!(
            visual_text("  --> a.toml:7:1\n  | ^\n", 60, true),
            "  --> a.toml:7:1\n  | ^\n"
        );
    }

    #[test]
    fn escaped_text_stays_escaped_on_the_terminal_path() {
        let m = crate::msg!(AttemptsOf, escape_for_terminal("x\u{202E}\u{1b}[2J"));
        let shown = visual_text(&m.render(Lang::Ar), 60, true);
        assert!(
            !shown.chars().any(crate::diag::is_dangerous_char),
            "{shown:?}"
        );
        assert!(shown.contains("202e") && shown.contains("1b"), "{shown}");
    }

    #[test]
    fn the_voice_before_the_options_is_english_and_logical() {
        let v = Voice::english();
        assert!(v.lang == Lang::En && !v.visual_out && !v.visual_err);
    }
}

#[cfg(test)]
mod option_tests {
    use super::*;
    use crate::tui::bidi::isolate_options;

    #[test]
    fn option_names_stay_left_to_right_inside_arabic_lines() {
        let shown = visual_text("يأخذ الخيار --time مدة مثل 10m", 60, true);
        assert!(shown.contains("--time"), "{shown}");
        assert!(!shown.contains("time--"), "{shown}");
        let shown = visual_text("يحتاج الخيار --review-mistakes إلى --trainee", 60, true);
        assert!(
            shown.contains("--review-mistakes") && shown.contains("--trainee"),
            "{shown}"
        );
        assert_eq!(isolate_options("a--b and x"), "a--b and x");
        assert_eq!(
            isolate_options("مع --to فقط"),
            "مع \u{2066}--to\u{2069} فقط"
        );
    }
}
