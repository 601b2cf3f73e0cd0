//! The `tipquiz` binary: parse the command line, dispatch, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;
use tipquiz::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        None => tipquiz::commands::home(&cli.common),
        Some(Command::Check {
            paths,
            format,
            deny_warnings,
        }) => tipquiz::commands::check(&cli.common, &paths, format, deny_warnings),
        Some(Command::List { format }) => tipquiz::commands::list(&cli.common, format),
        Some(cmd) => tipquiz::commands::run(&cli.common, cmd),
    };
    ExitCode::from(code)
}
