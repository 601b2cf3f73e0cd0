//! The commands behind the command line, one file per group. Each command returns the process
//! exit code: 0 success, 1 problems found (or a failed exam action), 2 usage or I/O error.

mod banks;
mod check;
mod close;
mod library;
mod output;
mod package;
mod results;
mod serve;
mod session;
mod setup;
mod take;

pub use check::{check, list};
pub use library::{SHIPPED_EXAMS, load_library, shipped_exams};
pub use output::{
    Voice, fail, fail_msg, parse_in, print_err, print_out, say, set_voice, visual_output,
    visual_text, voice, word,
};
pub use results::sparkline;
pub use session::home;
pub use setup::{display, instructor_key, places};
pub use take::mistakes;

use crate::cli::{Command, Common};
use banks::{export_bank_cmd, import_cmd, new_cmd, preview_cmd};
use package::{completions_cmd, man_cmd};
use results::{board_cmd, export_cmd, history_cmd, report_cmd};
use take::{recover_cmd, take};

/// Exit code: success.
pub const OK: u8 = 0;
/// Exit code: problems found.
pub const PROBLEMS: u8 = 1;
/// Exit code: usage or I/O error.
pub const USAGE: u8 = 2;

/// The other commands.
#[must_use]
pub fn run(common: &Common, cmd: Command) -> u8 {
    match cmd {
        Command::Take {
            exam,
            topics,
            count,
            time,
            mode,
            trainee,
            review_mistakes,
        } => take(
            common,
            exam,
            topics,
            count,
            time,
            mode,
            trainee,
            review_mistakes,
        ),
        Command::Recover => recover_cmd(common),
        Command::Close { exam, autosaves } => close::close_cmd(common, &exam, autosaves.as_deref()),
        Command::Report {
            exam,
            attempts,
            format,
        } => report_cmd(common, exam.as_deref(), attempts, format),
        Command::Export {
            to: Some(to),
            bank,
            output,
            ..
        } => export_bank_cmd(common, to, bank.as_deref(), output.as_deref()),
        Command::Export {
            exam,
            responses,
            allow_flagged,
            output,
            ..
        } => export_cmd(
            common,
            exam.as_deref(),
            responses,
            allow_flagged,
            output.as_deref(),
        ),
        Command::Import {
            file,
            from,
            text_lang,
            id,
            output,
            encoding,
        } => import_cmd(
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
        } => new_cmd(&path, exam, &langs, topic.as_deref()),
        Command::Preview {
            bank,
            question,
            watch,
        } => preview_cmd(common, &bank, question.as_deref(), watch),
        Command::History { trainee } => history_cmd(common, &trainee),
        Command::Board { exam, attempts } => board_cmd(common, exam, attempts),
        Command::Check {
            paths,
            format,
            deny_warnings,
        } => check(common, &paths, format, deny_warnings),
        Command::List { format } => list(common, format),
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
            common,
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
        Command::Man { dir } => man_cmd(dir.as_deref()),
    }
}
