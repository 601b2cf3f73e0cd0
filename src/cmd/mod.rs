//! The commands behind the command line, one file per group. `main` reads the environment once
//! into a [`Context`] (the options, the voice that prints, the folders, the parsed-bank cache)
//! and every command takes it. Each command returns the process exit code: 0 success, 1
//! problems found (or a failed exam action), 2 usage or I/O error.

mod banks;
mod check;
mod class;
mod close;
mod context;
mod history;
mod library;
mod output;
mod package;
mod results;
mod serve;
mod session;
mod setup;
mod stdout;
mod take;
mod units;

pub use crate::tui::bidi::visual_text;
pub use check::{check, list};
pub use context::Context;
pub use history::sparkline;
pub use library::{SHIPPED_EXAMS, load_library, shipped_exams};
pub use output::{Voice, clap_exit, parse_in, visual_output};
pub use session::home;
pub use setup::{Folders, display, instructor_key, places};
pub use take::mistakes;

use crate::cli::Command;
use banks::{export_bank_cmd, import_cmd, new_cmd, preview_cmd};
use history::{board_cmd, history_cmd};
use package::{completions_cmd, man_cmd};
use results::{export_cmd, report_cmd};
use take::{recover_cmd, take};

/// Exit code: success.
pub const OK: u8 = 0;
/// Exit code: problems found.
pub const PROBLEMS: u8 = 1;
/// Exit code: usage or I/O error.
pub const USAGE: u8 = 2;

/// The other commands.
#[must_use]
pub fn run(cx: &Context, cmd: Command) -> u8 {
    match cmd {
        Command::Take {
            exam,
            topics,
            count,
            time,
            mode,
            trainee,
            review_mistakes,
            unit,
        } => take(
            cx,
            exam,
            topics,
            count,
            time,
            mode,
            trainee,
            review_mistakes,
            unit,
        ),
        Command::Recover => recover_cmd(cx),
        Command::Close { exam, autosaves } => close::close_cmd(cx, &exam, autosaves.as_deref()),
        Command::Report {
            exam,
            attempts,
            format,
            width,
            details,
            table,
            output,
            no_bom,
        } => report_cmd(
            cx,
            exam.as_deref(),
            attempts,
            format,
            &results::ReportOpts {
                width,
                details,
                table,
                output,
                bom: !no_bom,
            },
        ),
        Command::Export {
            to: Some(to),
            bank,
            output,
            ..
        } => export_bank_cmd(cx, to, bank.as_deref(), output.as_deref()),
        Command::Export {
            exam,
            responses,
            attempts,
            allow_flagged,
            output,
            no_bom,
            ..
        } => export_cmd(
            cx,
            exam.as_deref(),
            responses,
            attempts,
            allow_flagged,
            output.as_deref(),
            !no_bom,
        ),
        Command::Import {
            file,
            from,
            text_lang,
            id,
            output,
            encoding,
        } => import_cmd(
            cx,
            &file,
            from,
            &text_lang,
            id.as_deref(),
            output.as_deref(),
            encoding.as_deref(),
        ),
        Command::New {
            path,
            exam,
            langs,
            topic,
        } => new_cmd(cx, &path, exam, &langs, topic.as_deref()),
        Command::Preview {
            bank,
            question,
            watch,
        } => preview_cmd(cx, &bank, question.as_deref(), watch),
        Command::History { trainee } => history_cmd(cx, &trainee),
        Command::Board { exam, attempts } => board_cmd(cx, exam, attempts),
        Command::Check {
            paths,
            format,
            deny_warnings,
        } => check(cx, &paths, format, deny_warnings),
        Command::List { format } => list(cx, format),
        Command::Serve {
            exams,
            port,
            listen,
            code,
            max_sessions,
            idle_timeout,
            dir,
            paced,
            lockout,
        } => serve::serve_cmd(
            cx,
            serve::ServeArgs {
                exams,
                listen: std::net::SocketAddr::new(listen, port),
                code,
                max_sessions,
                idle_timeout,
                dir,
                paced,
                lockout,
            },
        ),
        Command::Completions { shell } => completions_cmd(shell),
        Command::Man { dir } => man_cmd(cx, dir.as_deref()),
    }
}
