//! The `tipquiz` binary: parse the command line, dispatch, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;
use tipquiz::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tipquiz::commands::set_voice(&cli.common);
    let code = match cli.command {
        None => tipquiz::commands::home(&cli.common),
        Some(cmd) => tipquiz::commands::run(&cli.common, cmd),
    };
    ExitCode::from(code)
}
