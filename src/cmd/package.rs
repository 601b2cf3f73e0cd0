//! What a package or a shell needs: `completions` and `man`, both made from the clap definitions
//! (in English: command and option names are the same in every language).

use super::Context;
use super::stdout::print_data;
use super::{OK, USAGE};
use crate::diag::escape_for_terminal;
use crate::msg;

/// The definitions; for the manual without `help`, which has no page of its own (the pages say
/// how to get help: `-h`, `--help`).
fn definitions() -> clap::Command {
    <crate::cli::Cli as clap::CommandFactory>::command()
}

fn for_manual() -> clap::Command {
    let cmd = definitions().disable_help_subcommand(true);
    // The page's NAME line is "tipquiz - <about>": without the program's name a second time.
    let about = cmd
        .get_about()
        .map(|a| a.to_string().trim_start_matches("tipquiz: ").to_owned());
    match about {
        Some(about) => cmd.about(about),
        None => cmd,
    }
}

/// `tipquiz completions SHELL`: the script for `shell`, made by `clap_complete`.
pub(crate) fn completions_cmd(shell: clap_complete::Shell) -> u8 {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut definitions(), "tipquiz", &mut out);
    print_data(&String::from_utf8_lossy(&out));
    OK
}

/// `tipquiz man [--dir DIR]`: the manual page tipquiz.1 on standard output, or every page
/// (tipquiz.1 and tipquiz-COMMAND.1) written into `dir`, made by `clap_mangen`.
pub(crate) fn man_cmd(cx: &Context, dir: Option<&std::path::Path>) -> u8 {
    let (written, place) = match dir {
        None => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(for_manual()).render(&mut out) {
                Ok(()) => {
                    print_data(&String::from_utf8_lossy(&out));
                    return OK;
                }
                Err(e) => (Err(e), "-".to_owned()),
            }
        }
        Some(dir) => (
            std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(for_manual(), dir)),
            dir.display().to_string(),
        ),
    };
    match written {
        Ok(()) => OK,
        Err(e) => {
            cx.out.fail_msg(&msg!(
                CannotWrite,
                escape_for_terminal(&place),
                e.to_string()
            ));
            USAGE
        }
    }
}
