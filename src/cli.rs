//! The command line (clap derive).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// tipquiz: a terminal training quiz on combating trafficking in persons.
///
/// With no command, opens the home screen on the shipped question banks: enter your name,
/// choose an exam or a quick quiz, and start.
#[derive(Parser, Debug)]
#[command(name = "tipquiz", version, about, long_about, propagate_version = true)]
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

/// Interface language.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LangArg {
    /// English.
    En,
    /// Arabic.
    Ar,
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
    /// CSV (columns: id,type,prompt,choice_a..choice_f,answer,explanation,source,difficulty,tags).
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
    },
    /// Export results as CSV for the training record, or (with --to) a bank for Moodle.
    ///
    /// Results: one row per attempt (or per response with --responses).
    /// Bank: `tipquiz export --to gift BANK.toml --lang en` writes one language of the bank in
    /// GIFT or Moodle XML; questions that cannot be expressed are listed on standard error.
    Export {
        /// Only attempts at this exam id.
        #[arg(long)]
        exam: Option<String>,
        /// One row per response instead of one per attempt.
        #[arg(long)]
        responses: bool,
        /// Export a bank to this Moodle format instead of results.
        #[arg(long, value_enum, value_name = "FORMAT")]
        to: Option<ExportTo>,
        /// The bank file to export (with --to).
        #[arg(value_name = "BANK")]
        bank: Option<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
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
    },
    /// A trainee's attempts over time.
    History {
        /// Trainee name or id.
        #[arg(long)]
        trainee: String,
    },
    /// Write attempts that were finished but could not be saved to the results folder.
    Recover,
}
