//! The command line (clap derive).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// tipquiz: a terminal training quiz on combating trafficking in persons.
///
/// With no command, opens the home screen on the shipped question banks: enter your name,
/// choose an exam or a quick quiz, and start.
#[derive(Parser, Debug)]
#[command(
    name = "tipquiz",
    bin_name = "tipquiz",
    version,
    long_about,
    propagate_version = true
)]
pub struct Cli {
    /// What to do (default: the home screen).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options shared by every command.
    #[command(flatten)]
    pub common: Common,
}

/// Options shared by every command.
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Interface language: en (English) or ar (Arabic).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// More bank files or folders, added to the shipped banks (a bank with the id of a shipped
    /// one replaces it).
    #[arg(long = "bank", global = true, value_name = "PATH")]
    pub banks: Vec<PathBuf>,
    /// Use only the banks given with --bank, not the shipped ones.
    #[arg(long, global = true)]
    pub only_given_banks: bool,
    /// Results folder (shared by a class). Default: the user's data folder.
    #[arg(long, global = true, env = "TIPQUIZ_RESULTS", value_name = "DIR")]
    pub results: Option<PathBuf>,
    /// Right-to-left text: reorder it here (reorder), let the terminal do it (terminal), or
    /// decide from the terminal (auto).
    #[arg(long, global = true, value_enum, default_value_t = BidiArg::Auto)]
    pub bidi: BidiArg,
    /// Join Arabic letters into their shaped forms (auto: on when this program reorders).
    #[arg(long, global = true, value_enum, default_value_t = ShapingArg::Auto)]
    pub shaping: ShapingArg,
    /// Digits of the numbers the program writes in Arabic (counts, scores, times, question
    /// numbers): western 0-9 or arabic ٠-٩. Default: on the screens, as remembered for the
    /// trainee; else TIPQUIZ_DIGITS; else western.
    // The variable's name is written as the help shows it, without backquotes.
    #[allow(clippy::doc_markdown)]
    #[arg(long, global = true, value_enum)]
    pub digits: Option<DigitsArg>,
}

/// `--bidi`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BidiArg {
    /// Decide from the terminal.
    Auto,
    /// Reorder and shape right-to-left text here.
    Reorder,
    /// Leave right-to-left text to the terminal.
    Terminal,
}

/// `--shaping`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapingArg {
    /// On in reorder mode, off in terminal mode.
    Auto,
    /// Always shape.
    On,
    /// Never shape.
    Off,
}

/// `--digits`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigitsArg {
    /// 0-9.
    Western,
    /// Arabic-Indic ٠-٩.
    Arabic,
}

impl From<DigitsArg> for crate::text::Digits {
    fn from(d: DigitsArg) -> Self {
        match d {
            DigitsArg::Western => crate::text::Digits::Western,
            DigitsArg::Arabic => crate::text::Digits::Arabic,
        }
    }
}

/// Interface language.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LangArg {
    /// English.
    En,
    /// Arabic.
    Ar,
}

impl From<LangArg> for crate::text::Lang {
    fn from(l: LangArg) -> crate::text::Lang {
        match l {
            LangArg::En => crate::text::Lang::En,
            LangArg::Ar => crate::text::Lang::Ar,
        }
    }
}

/// Output format of `check` and `list`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Readable text.
    #[default]
    Text,
    /// JSON, for tools.
    Json,
}

/// Output format of `report`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// Aligned tables.
    #[default]
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
    /// One self-contained HTML page to print (A4).
    Html,
}

/// Moodle formats a bank can be exported to.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportTo {
    /// Moodle GIFT text format.
    Gift,
    /// Moodle XML.
    MoodleXml,
}

/// Formats that can be imported.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFrom {
    /// Moodle GIFT.
    Gift,
    /// Aiken.
    Aiken,
    /// Moodle XML.
    MoodleXml,
    /// CSV (columns: `id,type,prompt,choice_a..choice_f,answer,explanation,source,difficulty,tags`).
    Csv,
}

/// Which attempt counts when a trainee took an exam several times.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Which {
    /// The first attempt.
    #[default]
    First,
    /// The best attempt.
    Best,
    /// The last attempt.
    Last,
}

/// Which attempts `export` writes per trainee.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExportWhich {
    /// The first attempt (as `report` counts it).
    #[default]
    First,
    /// The best attempt.
    Best,
    /// The last attempt.
    Last,
    /// Every attempt.
    All,
}

/// Quiz mode.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeArg {
    /// Feedback only after submitting.
    Exam,
    /// Feedback and explanation after each answer.
    Practice,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check bank and exam files and report every problem (exit 0: valid, 1: problems, 2: usage or I/O error).
    ///
    /// With no paths, checks the shipped banks and exams. Folders are searched for *.toml files;
    /// a file with [[pool]] tables is an exam definition, any other a bank.
    Check {
        /// Bank or exam files, or folders of them.
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Treat warnings as errors (exit 1 when there are warnings).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// List the loaded banks with question counts per type, difficulty and language.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Take a quiz: from an exam definition, or built from the options below.
    ///
    /// Example: tipquiz take --topic indicators --count 10 --time 10m --mode practice
    Take {
        /// An exam definition file, or the id of a shipped exam.
        #[arg(long, value_name = "FILE|ID")]
        exam: Option<String>,
        /// Topics to draw from (repeat for several; default: all).
        #[arg(long = "topic", value_name = "TOPIC")]
        topics: Vec<String>,
        /// Number of questions.
        #[arg(long, default_value_t = 10)]
        count: usize,
        /// Time limit, e.g. 10m, 90s, 1h (default: none).
        #[arg(long, value_name = "DURATION")]
        time: Option<String>,
        /// Practice (feedback after each answer) or exam (feedback at the end).
        #[arg(long, value_enum, default_value = "practice")]
        mode: ModeArg,
        /// Trainee name or id (asked on screen when not given).
        #[arg(long)]
        trainee: Option<String>,
        /// Practice the questions this trainee got wrong before.
        #[arg(long)]
        review_mistakes: bool,
        /// The trainee's unit or department.
        #[arg(long, value_name = "UNIT")]
        unit: Option<String>,
    },
    /// Class report: per-trainee table, class summary and item analysis.
    Report {
        /// Only attempts at this exam id (default: the exam with the most attempts).
        #[arg(long)]
        exam: Option<String>,
        /// Which attempt counts per trainee.
        #[arg(long, value_enum, default_value_t)]
        attempts: Which,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ReportFormat,
        /// Width of the text report in columns (default: the terminal's width, or 100 when
        /// the output is not a terminal).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(40..=1000))]
        width: Option<u16>,
        /// Add the choices picked per question to the text report.
        #[arg(long)]
        details: bool,
        /// CSV: write only this table (a header row, then the rows).
        #[arg(long, value_name = "TABLE", value_parser = clap::builder::PossibleValuesParser::new(crate::report::CSV_TABLES))]
        table: Option<String>,
        /// Write to this file instead of standard output; CSV without --table: to this
        /// folder, one file per table, when it is a folder.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write CSV files without the UTF-8 byte-order mark (it is there by default so that
        /// Excel reads Arabic right; standard output never has it).
        #[arg(long)]
        no_bom: bool,
    },
    /// Export results as CSV for the training record, or (with --to) a bank for Moodle.
    ///
    /// Results: one row per attempt (or per response with --responses); numbers have at most
    /// 6 decimals; a file written with -o starts with a UTF-8 byte-order mark (--no-bom:
    /// without).
    /// Bank: `tipquiz export --to gift BANK.toml --lang en` writes one language of the bank in
    /// GIFT or Moodle XML; questions that cannot be expressed are listed on standard error.
    Export {
        /// Only attempts at this exam id.
        #[arg(long)]
        exam: Option<String>,
        /// One row per response instead of one per attempt.
        #[arg(long)]
        responses: bool,
        /// Which attempts per trainee: the one `report` counts (first, best, last) or all.
        #[arg(long, value_enum, default_value_t)]
        attempts: ExportWhich,
        /// Exit 0 even when flagged or unreadable records were left out.
        #[arg(long)]
        allow_flagged: bool,
        /// Export a bank to this Moodle format instead of results.
        #[arg(long, value_enum, value_name = "FORMAT")]
        to: Option<ExportTo>,
        /// The bank file to export (with --to).
        #[arg(value_name = "BANK")]
        bank: Option<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write CSV files without the UTF-8 byte-order mark (it is there by default so that
        /// Excel reads Arabic right; standard output never has it).
        #[arg(long)]
        no_bom: bool,
    },
    /// Convert a Moodle (GIFT, Aiken, Moodle XML) or CSV question file into a tipquiz bank.
    ///
    /// Everything that cannot be converted is listed with its line; nothing is dropped silently.
    Import {
        /// The file to convert.
        file: PathBuf,
        /// Its format (default: guessed from the extension and content).
        #[arg(long, value_enum)]
        from: Option<ImportFrom>,
        /// The language the questions are written in (en or ar).
        #[arg(long = "text-lang", value_name = "LANG", default_value = "en")]
        text_lang: String,
        /// Bank id (default: the file name).
        #[arg(long)]
        id: Option<String>,
        /// Write the bank here (default: standard output).
        #[arg(short, long, value_name = "BANK.toml")]
        output: Option<PathBuf>,
        /// The file's encoding, when it is not UTF-8 and has no byte-order mark.
        #[arg(long, value_name = "ENCODING")]
        encoding: Option<String>,
    },
    /// Write a commented starter bank (one question of each type) or exam, valid at once.
    New {
        /// The file to create (never overwritten).
        path: PathBuf,
        /// Write an exam definition instead of a bank.
        #[arg(long)]
        exam: bool,
        /// Languages of the bank, comma separated.
        #[arg(
            long = "langs",
            value_name = "LANGS",
            default_value = "en,ar",
            value_delimiter = ','
        )]
        langs: Vec<String>,
        /// Topic of the bank.
        #[arg(long)]
        topic: Option<String>,
    },
    /// Show a bank's questions as a trainee sees them, with the answer key and explanation.
    Preview {
        /// The bank file.
        bank: PathBuf,
        /// Start at this question id.
        #[arg(long)]
        question: Option<String>,
        /// Reload when the file changes, showing the problems while it is invalid.
        #[arg(long)]
        watch: bool,
    },
    /// Live leaderboard for the projector (updates as attempts land in the results folder).
    Board {
        /// Only attempts at this exam id.
        #[arg(long)]
        exam: Option<String>,
        /// Which attempt counts per trainee.
        #[arg(long, value_enum, default_value_t)]
        attempts: Which,
    },
    /// A trainee's attempts over time.
    History {
        /// Trainee name or id.
        #[arg(long)]
        trainee: String,
    },
    /// Write attempts that were finished but could not be saved to the results folder.
    Recover,
    /// At the end of a class: record every attempt at an exam whose time is over but that was
    /// never recorded, from its autosave, as timed out; name those that cannot be reached.
    Close {
        /// The exam to close.
        #[arg(long)]
        exam: String,
        /// Read the autosaves from this folder instead of this computer's (e.g. a copy of a
        /// classroom machine's autosave folder).
        #[arg(long, value_name = "DIR")]
        autosaves: Option<PathBuf>,
    },
    /// Run a class: trainees join over SSH from any computer, with nothing installed.
    ///
    /// Prints the address, the class code and the host key's fingerprint. Each trainee types
    /// `ssh -p PORT class@ADDRESS`, then the class code, then their name. Records are written
    /// here, in the results folder, and signed with a key that stays on this computer.
    Serve {
        /// An exam to offer: an exam file or the id of a loaded exam (repeat for several;
        /// default: every loaded exam).
        #[arg(long = "exam", value_name = "FILE|ID")]
        exams: Vec<String>,
        /// Port to listen on.
        #[arg(long, default_value_t = 2222)]
        port: u16,
        /// Address to listen on (default: every address of this computer).
        #[arg(long, value_name = "ADDRESS", default_value = "0.0.0.0")]
        listen: std::net::IpAddr,
        /// Class code trainees type as the password (default: six random digits, printed).
        #[arg(long, env = "TIPQUIZ_CLASS_CODE", value_name = "CODE")]
        code: Option<String>,
        /// Sessions at once, at most.
        #[arg(long, default_value_t = 200, value_name = "N")]
        max_sessions: usize,
        /// Close a session after this long without a key, e.g. 30m (the attempt is kept:
        /// connecting again resumes it).
        #[arg(long, default_value = "30m", value_name = "DURATION")]
        idle_timeout: String,
        /// The server's folder for its keys and the attempts in progress (default: `serve` in
        /// the data folder).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Paced play: you open each question for the whole class from this console, everybody
        /// answers against the same countdown, then sees right or wrong while the console shows
        /// the answers and the leaderboard (one exam only).
        #[arg(long)]
        paced: bool,
        /// How long an address is refused after too many wrong class codes (for tests).
        #[arg(long, hide = true, default_value = "5m", value_name = "DURATION")]
        lockout: String,
    },
    /// Print the shell completion script for bash, zsh, fish, PowerShell or elvish.
    ///
    /// bash: `tipquiz completions bash > ~/.local/share/bash-completion/completions/tipquiz`;
    /// PowerShell: `tipquiz completions powershell | Out-String | Invoke-Expression` in $PROFILE.
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), made from these definitions.
    ///
    /// `tipquiz man | man -l -` shows it; `tipquiz man --dir DIR` writes tipquiz.1 and one page
    /// per command (tipquiz-check.1, ...) into DIR, for a package.
    Man {
        /// Write every page into this folder instead of printing tipquiz.1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// The language of the command line, found before it is parsed (so that `--help` and usage
/// errors are in it): the last `--lang ar` / `--lang=ar` before `--`, else the environment
/// as [`crate::messages::cli_lang`] reads it. `get` reads an environment variable.
#[must_use]
pub fn lang_before_parsing(
    args: &[std::ffi::OsString],
    get: &dyn Fn(&str) -> Option<String>,
) -> crate::text::Lang {
    let mut flag = None;
    let mut it = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let value = if a == "--lang" {
            it.next()
        } else {
            a.strip_prefix("--lang=")
        };
        if let Some(l) = value.and_then(crate::text::Lang::from_code) {
            flag = Some(l);
        }
    }
    crate::messages::cli_lang(flag, get)
}

/// The command line's definition with its texts in `lang`: in English, clap's own (the doc
/// comments above); in another language, every about, argument help, heading and the usage
/// heading from the catalogue. Possible values, defaults and the environment variable are
/// written into the translated help text (clap's `[default: ...]` words cannot be changed).
#[must_use]
pub fn command_in(lang: crate::text::Lang) -> clap::Command {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    if lang == crate::text::Lang::En {
        return cmd;
    }
    // Built first, so that the generated `--help`, `--version` and `help` exist to translate,
    // and global options are copied into every command.
    cmd.build();
    localize(cmd, None, lang)
}

fn localize(cmd: clap::Command, sub: Option<&str>, lang: crate::text::Lang) -> clap::Command {
    use crate::messages::{K, template};
    let t = |k: K| template(lang, k);
    let (about, long) = match sub {
        None => (K::CliAbout, Some(K::CliLongAbout)),
        Some("check") => (K::CliAboutCheck, Some(K::CliLongCheck)),
        Some("list") => (K::CliAboutList, None),
        Some("take") => (K::CliAboutTake, Some(K::CliLongTake)),
        Some("report") => (K::CliAboutReport, None),
        Some("export") => (K::CliAboutExport, Some(K::CliLongExport)),
        Some("import") => (K::CliAboutImport, Some(K::CliLongImport)),
        Some("new") => (K::CliAboutNew, None),
        Some("preview") => (K::CliAboutPreview, None),
        Some("board") => (K::CliAboutBoard, None),
        Some("history") => (K::CliAboutHistory, None),
        Some("recover") => (K::CliAboutRecover, None),
        Some("close") => (K::CliAboutClose, None),
        Some("serve") => (K::CliAboutServe, Some(K::CliLongServe)),
        Some("completions") => (K::CliAboutCompletions, Some(K::CliLongCompletions)),
        Some("man") => (K::CliAboutMan, Some(K::CliLongMan)),
        Some(_) => return cmd,
    };
    // As clap derive does: the summary without its final stop; the long text whole.
    let summary = t(about).trim_end_matches('.').to_owned();
    let long_about = match long {
        Some(l) => clap::builder::Resettable::Value(format!("{}\n\n{}", t(about), t(l)).into()),
        None => clap::builder::Resettable::Reset,
    };
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        t(K::CliUsageHeading)
    );
    let cmd = cmd
        .about(summary)
        .long_about(long_about)
        .help_template(template)
        .subcommand_help_heading(t(K::CliCommandsHeading))
        .mut_args(|a| {
            let Some(k) = arg_help(sub, a.get_id().as_str()) else {
                return a;
            };
            let heading = if a.is_positional() {
                K::CliArgumentsHeading
            } else {
                K::CliOptionsHeading
            };
            a.help(t(k))
                .long_help(None)
                .hide_possible_values(true)
                .hide_default_value(true)
                .hide_env(true)
                .help_heading(t(heading))
        });
    cmd.mut_subcommands(|s| {
        let name = s.get_name().to_owned();
        if sub.is_none() && name == "help" {
            s.about(t(K::CliHelpCommand))
                .help_template(format!(
                    "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
                    t(K::CliUsageHeading)
                ))
                .mut_args(|a| {
                    let heading = if a.is_positional() {
                        K::CliArgumentsHeading
                    } else {
                        K::CliOptionsHeading
                    };
                    a.help(t(K::CliHelpCommandArg)).help_heading(t(heading))
                })
        } else {
            localize(s, Some(&name), lang)
        }
    })
}

/// The catalogue entry of an argument's help (`sub`: the command, `None` at the top).
fn arg_help(sub: Option<&str>, id: &str) -> Option<crate::messages::K> {
    use crate::messages::K;
    Some(match (sub, id) {
        (_, "help") => K::CliHelpFlag,
        (_, "version") => K::CliVersionFlag,
        (_, "lang") => K::CliArgLang,
        (_, "banks") => K::CliArgBank,
        (_, "only_given_banks") => K::CliArgOnlyGiven,
        (_, "results") => K::CliArgResults,
        (_, "bidi") => K::CliArgBidi,
        (_, "shaping") => K::CliArgShaping,
        (_, "digits") => K::CliArgDigits,
        (Some("check"), "paths") => K::CliArgCheckPaths,
        (Some("check" | "list"), "format") => K::CliArgFormat,
        (Some("check"), "deny_warnings") => K::CliArgDenyWarnings,
        (Some("take"), "exam") => K::CliArgTakeExam,
        (Some("take"), "topics") => K::CliArgTopic,
        (Some("take"), "count") => K::CliArgCount,
        (Some("take"), "time") => K::CliArgTime,
        (Some("take"), "mode") => K::CliArgMode,
        (Some("take"), "trainee") => K::CliArgTrainee,
        (Some("take"), "review_mistakes") => K::CliArgReviewMistakes,
        (Some("report"), "exam") => K::CliArgReportExam,
        (Some("report" | "board"), "attempts") => K::CliArgAttempts,
        (Some("export"), "allow_flagged") => K::CliArgAllowFlagged,
        (Some("export"), "attempts") => K::CliArgExportAttempts,
        (Some("report"), "format") => K::CliArgReportFormat,
        (Some("report"), "width") => K::CliArgWidth,
        (Some("take"), "unit") => K::CliArgUnit,
        (Some("report"), "details") => K::CliArgDetails,
        (Some("report"), "table") => K::CliArgTable,
        (Some("report"), "output") => K::CliArgReportOutput,
        (Some("report" | "export"), "no_bom") => K::CliArgNoBom,
        (Some("export" | "board"), "exam") => K::CliArgOnlyExam,
        (Some("export"), "responses") => K::CliArgResponses,
        (Some("export"), "to") => K::CliArgTo,
        (Some("export"), "bank") => K::CliArgExportBank,
        (Some("export"), "output") => K::CliArgOutput,
        (Some("import"), "file") => K::CliArgImportFile,
        (Some("import"), "from") => K::CliArgFrom,
        (Some("import"), "text_lang") => K::CliArgTextLang,
        (Some("import"), "id") => K::CliArgImportId,
        (Some("import"), "output") => K::CliArgImportOutput,
        (Some("import"), "encoding") => K::CliArgEncoding,
        (Some("new"), "path") => K::CliArgNewPath,
        (Some("new"), "exam") => K::CliArgNewExam,
        (Some("new"), "langs") => K::CliArgLangs,
        (Some("new"), "topic") => K::CliArgNewTopic,
        (Some("preview"), "bank") => K::CliArgPreviewBank,
        (Some("preview"), "question") => K::CliArgQuestion,
        (Some("serve"), "exams") => K::CliArgServeExam,
        (Some("serve"), "port") => K::CliArgPort,
        (Some("serve"), "listen") => K::CliArgListen,
        (Some("serve"), "code") => K::CliArgCode,
        (Some("serve"), "max_sessions") => K::CliArgMaxSessions,
        (Some("serve"), "idle_timeout") => K::CliArgIdleTimeout,
        (Some("serve"), "dir") => K::CliArgServeDir,
        (Some("serve"), "paced") => K::CliArgPaced,
        (Some("serve"), "lockout") => K::CliArgLockout,
        (Some("preview"), "watch") => K::CliArgWatch,
        (Some("history"), "trainee") => K::CliArgHistoryTrainee,
        (Some("close"), "exam") => K::CliArgCloseExam,
        (Some("close"), "autosaves") => K::CliArgCloseAutosaves,
        (Some("completions"), "shell") => K::CliArgShell,
        (Some("man"), "dir") => K::CliArgManDir,
        _ => return None,
    })
}

/// A usage error of clap in `lang`, for the kinds the catalogue has words for (`None`: clap's
/// own English text is shown).
#[must_use]
pub fn usage_error_in(e: &clap::Error, lang: crate::text::Lang) -> Option<String> {
    use crate::messages::{K, Msg, template};
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let t = |k: K| template(lang, k);
    let get = |c: ContextKind| -> Option<String> {
        e.get(c).map(|v| match v {
            ContextValue::String(s) => s.clone(),
            ContextValue::Strings(v) => v.join(", "),
            ContextValue::StyledStr(s) => s.to_string(),
            ContextValue::StyledStrs(v) => v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            ContextValue::Number(n) => n.to_string(),
            ContextValue::Bool(b) => b.to_string(),
            ContextValue::None => String::new(),
            _ => String::new(),
        })
    };
    let m = |k: K, v: Vec<String>| Msg::new(k, v.into_iter().map(Into::into).collect());
    let mut body = match e.kind() {
        ErrorKind::UnknownArgument => {
            let mut s = m(K::CliUnknownArgument, vec![get(ContextKind::InvalidArg)?]).render(lang);
            if let Some(tip) = get(ContextKind::SuggestedArg) {
                s.push_str("\n\n  ");
                s.push_str(&m(K::CliTipSimilar, vec![tip]).render(lang));
            }
            s
        }
        ErrorKind::InvalidSubcommand => {
            let mut s = m(
                K::CliUnknownSubcommand,
                vec![get(ContextKind::InvalidSubcommand)?],
            )
            .render(lang);
            if let Some(tip) = get(ContextKind::SuggestedSubcommand) {
                s.push_str("\n\n  ");
                s.push_str(&m(K::CliTipSimilarCommand, vec![tip]).render(lang));
            }
            s
        }
        ErrorKind::InvalidValue => {
            let arg = get(ContextKind::InvalidArg)?;
            let value = get(ContextKind::InvalidValue).unwrap_or_default();
            if value.is_empty() {
                m(K::CliValueRequired, vec![arg]).render(lang)
            } else {
                let mut s = m(K::CliInvalidValue, vec![value, arg]).render(lang);
                if let Some(v) = e.get(ContextKind::ValidValue)
                    && let ContextValue::Strings(v) = v
                {
                    let list = v
                        .iter()
                        .cloned()
                        .reduce(|a, b| crate::messages::fill(t(K::ListSep), &[a, b]))
                        .unwrap_or_default();
                    s.push_str(&format!(
                        "\n  [{}]",
                        m(K::CliPossibleValues, vec![list]).render(lang)
                    ));
                }
                s
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map_or_else(String::new, ToString::to_string);
            m(
                K::CliInvalidValueWhy,
                vec![
                    get(ContextKind::InvalidValue)?,
                    get(ContextKind::InvalidArg)?,
                    why,
                ],
            )
            .render(lang)
        }
        ErrorKind::MissingRequiredArgument => {
            m(K::CliMissingRequired, vec![get(ContextKind::InvalidArg)?]).render(lang)
        }
        ErrorKind::ArgumentConflict => {
            let arg = get(ContextKind::InvalidArg)?;
            match get(ContextKind::PriorArg) {
                Some(p) if p != arg => m(K::CliConflict, vec![arg, p]).render(lang),
                _ => m(K::CliUsedTwice, vec![arg]).render(lang),
            }
        }
        _ => return None,
    };
    body = m(K::CliErrorPrefix, vec![body]).render(lang);
    let mut out = body;
    out.push('\n');
    if let Some(usage) = get(ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim_start();
        out.push_str(&format!("\n{} {usage}\n", t(K::CliUsageHeading)));
    }
    out.push_str(&format!("\n{}\n", t(K::CliMoreInfo)));
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::messages::en::HELP_IN_CLI;
    use crate::text::Lang;

    /// Every help text, long form, of the command and its subcommands in `lang`.
    fn all_help(lang: Lang) -> String {
        let mut cmd = super::command_in(lang);
        let mut out = cmd.render_long_help().to_string();
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_owned())
            .collect();
        for n in names {
            if let Some(sub) = cmd.find_subcommand_mut(&n) {
                out.push_str(&sub.render_long_help().to_string());
            }
        }
        out
    }

    #[test]
    fn the_english_help_is_written_once_in_the_doc_comments() {
        // English comes from the doc comments (the English catalogue does not repeat it);
        // Arabic from the catalogue, every text of it translated.
        let en = all_help(Lang::En);
        assert!(
            en.contains("Interface language: en (English) or ar (Arabic)"),
            "{en}"
        );
        let ar = all_help(Lang::Ar);
        for help in [&en, &ar] {
            assert!(!help.contains(HELP_IN_CLI), "{help}");
        }
        assert!(ar.contains("لغة الواجهة"), "{ar}");
    }
}
