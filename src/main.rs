//! The `tipquiz` binary: parse the command line, dispatch, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;
use tipquiz::cli::Cli;
use tipquiz::text::Lang;

/// mimalloc rather than the system allocator: loading a large bank or a year of results makes
/// millions of small allocations on every core, where it is measurably faster (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for this process, even where the system turns them on for every
/// mapping: the allocator's arenas are 2 MiB-aligned, so each page a thread first touches would
/// be backed by 2 MiB and zeroed, and a fault could wait for the kernel to compact memory. A
/// small quiz then peaked at several times the memory it uses, with start-up times that
/// spread widely (BENCHMARKS.md, issue 25).
fn no_huge_pages() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and touches no memory of ours;
    // a failure (an old kernel) leaves the default, which is only slower.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    no_huge_pages();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The language is known before parsing, so that help and usage errors are in it.
    let lang = tipquiz::cli::lang_before_parsing(&args, &|k| std::env::var(k).ok());
    let cli = if lang == Lang::En {
        match Cli::try_parse_from(args) {
            Ok(cli) => cli,
            Err(e) => return ExitCode::from(tipquiz::cmd::clap_exit(&e)),
        }
    } else {
        match tipquiz::cmd::parse_in(lang, args) {
            Ok(cli) => cli,
            Err(code) => return ExitCode::from(code),
        }
    };
    // The environment is read once, here; the commands are given what it says.
    let cx = tipquiz::cmd::Context::new(cli.common);
    let code = match cli.command {
        None => tipquiz::cmd::home(&cx),
        Some(cmd) => tipquiz::cmd::run(&cx, cmd),
    };
    // What the command printed is written, or the failure is reported (exit 2).
    let code = cx.out.finish(code);
    // Dropping the context waits for the parsed-bank cache entries still being written in the
    // background (short commands).
    drop(cx);
    ExitCode::from(code)
}
