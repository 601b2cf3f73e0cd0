//! The `tipquiz` binary: parse the command line, dispatch, map errors to exit codes.

use clap::Parser;
use std::alloc::{GlobalAlloc, Layout, System};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use tipquiz::cli::{Cli, Command};
use tipquiz::text::Lang;

/// Two allocators, chosen once per run by the command ([`choose_allocator`]): mimalloc for the
/// commands that read many records or large banks, where its speed with millions of small
/// allocations on every core pays (`report` over 10,000 records 1.7x faster, BENCHMARKS.md);
/// the system allocator for the rest, above all the interactive quiz, where mimalloc's pages
/// (about one 64 KiB page per size class and thread) made most of the heap (BENCHMARKS.md,
/// issue 25).
///
/// Every block is given back to the allocator that made it, whatever the choice was when it
/// was made (the runtime allocates before `main`): a block is mimalloc's when it lies in a page
/// of mimalloc's (`mi_is_in_heap_region`, a look-up in mimalloc's page map that answers `false`
/// for any address mimalloc has not handed out pages from, such as the system allocator's).
struct Allocator;

/// Whether new blocks come from mimalloc. Set at most once, before any thread starts, and never
/// unset: while it is `false`, no block can be mimalloc's, so a free needs no look-up.
static MIMALLOC: AtomicBool = AtomicBool::new(false);

/// Whether `ptr`, a live block of this allocator, was made by mimalloc.
fn from_mimalloc(ptr: *const u8) -> bool {
    // SAFETY: a page-map look-up that reads no memory at `ptr` and accepts any address.
    MIMALLOC.load(Ordering::Acquire) && unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

// SAFETY: each call goes to one allocator whole, and every block is freed or grown by the
// allocator that made it (see `Allocator`); both meet `GlobalAlloc`'s contract.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Acquire) {
            // SAFETY: the caller's layout, as `GlobalAlloc::alloc` requires.
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        } else {
            // SAFETY: as above.
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Acquire) {
            // SAFETY: as in `alloc`.
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        } else {
            // SAFETY: as in `alloc`.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if from_mimalloc(ptr) {
            // SAFETY: `ptr` was made by mimalloc with `layout`.
            unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
        } else {
            // SAFETY: `ptr` was made by the system allocator with `layout`.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A block is grown by the allocator that made it, and stays with it.
        if from_mimalloc(ptr) {
            // SAFETY: `ptr` was made by mimalloc with `layout`; the caller's `new_size`.
            unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            // SAFETY: `ptr` was made by the system allocator with `layout`.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// mimalloc for the commands that read many records or large banks (and the class server, with
/// its many sessions); the system allocator for the rest. Called once, after the command line
/// is parsed and before anything else: no thread has started yet.
fn choose_allocator(command: Option<&Command>) {
    let heavy = matches!(
        command,
        Some(
            Command::Check { .. }
                | Command::List { .. }
                | Command::Report { .. }
                | Command::Export { .. }
                | Command::Import { .. }
                | Command::Board { .. }
                | Command::History { .. }
                | Command::Close { .. }
                | Command::Serve { .. }
        )
    );
    if heavy {
        MIMALLOC.store(true, Ordering::Release);
    }
}

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
    choose_allocator(cli.command.as_ref());
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
