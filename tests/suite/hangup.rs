//! A terminal that goes away (a pseudo-terminal's other end closed: without a SIGHUP when it is
//! not the program's controlling terminal, with one when it is) must not leave tipquiz spinning
//! on the end of input: it ends at once like SIGHUP, with the attempt autosaved.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::os::fd::{AsRawFd as _, FromRawFd as _};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn open_pty() -> (File, File) {
    // SAFETY: the posix_openpt sequence; every return value is checked. Close-on-exec, so
    // that the child does not keep the master end open.
    unsafe {
        let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
        assert!(m >= 0, "posix_openpt");
        assert_eq!(libc::grantpt(m), 0, "grantpt");
        assert_eq!(libc::unlockpt(m), 0, "unlockpt");
        let mut name = [0 as libc::c_char; 128];
        assert_eq!(libc::ptsname_r(m, name.as_mut_ptr(), name.len()), 0);
        let s = libc::open(
            name.as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        );
        assert!(s >= 0, "open pty slave");
        let ws = libc::winsize {
            ws_row: 24,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        libc::ioctl(m, libc::TIOCSWINSZ, &raw const ws);
        (File::from_raw_fd(m), File::from_raw_fd(s))
    }
}

/// The terminal goes away (its other end closed, no SIGHUP) right after the trainee answered
/// the first question: tipquiz ends at once as on SIGHUP (129), within 10 s, and the answer is
/// in the autosave read back from disk. On Linux it also does not spin meanwhile: it waits in
/// poll(2) on the terminal, which reports the hang-up at once, where crossterm's reader would
/// loop on the end of input until the signal watcher's grace period (1.5 s) ran out.
#[test]
fn a_vanished_terminal_ends_the_quiz_at_once_with_the_confirmed_answer_saved() {
    // Standard error on the same terminal (as in life: writing to it then fails, which must
    // not panic), and in a file (to show what was said).
    vanish(true, false);
    vanish(false, false);
    // The terminal is the program's controlling terminal (it leads its own session): closing
    // it sends SIGHUP and leaves reads at end of input.
    vanish(false, true);
}

/// CPU time (user and system) a process has used so far, from /proc.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn cpu_so_far(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap();
    // SAFETY: sysconf has no preconditions.
    let hz = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).unwrap();
    Duration::from_millis(ticks * 1000 / hz)
}

// The child is reaped with wait4(2), which also gives its CPU time (not `Child::wait`).
#[allow(clippy::zombie_processes)]
fn vanish(stderr_on_terminal: bool, controlling: bool) {
    use std::os::unix::process::CommandExt as _;
    let data = tempfile::tempdir().unwrap();
    let (mut master, slave) = open_pty();
    let stderr = if stderr_on_terminal {
        Stdio::from(slave.try_clone().unwrap())
    } else {
        Stdio::from(File::create(data.path().join("stderr")).unwrap())
    };
    let mut cmd = quiz_on(&slave, stderr, data.path());
    if controlling {
        // SAFETY: only async-signal-safe calls between fork and exec; standard input is the
        // terminal by then.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    drop(slave);
    let mut child = cmd.spawn().unwrap();
    let mut vt = vt100::Parser::new(
        std::num::NonZero::new(24).unwrap(),
        std::num::NonZero::new(80).unwrap(),
        0,
    );
    play_until(&mut master, &mut vt, "? help");
    // The first choice, confirmed.
    master.write_all(b"1").unwrap();
    master.write_all(b"\r").unwrap();
    play_until(&mut master, &mut vt, "Answered 1");
    let pid = child.id();
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let cpu_before = cpu_so_far(pid);
    // The terminal goes away.
    drop(master);
    let gone = Instant::now();
    let (code, cpu_total) = loop {
        let mut status = 0;
        // SAFETY: an all-zero rusage is valid; wait4 fills it.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: the child's pid, valid pointers.
        let r = unsafe {
            libc::wait4(
                libc::pid_t::try_from(pid).unwrap(),
                &raw mut status,
                libc::WNOHANG,
                &raw mut usage,
            )
        };
        assert!(r >= 0, "wait4: {}", std::io::Error::last_os_error());
        if r > 0 {
            let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
            let tv = |t: libc::timeval| {
                Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
            };
            break (code, tv(usage.ru_utime) + tv(usage.ru_stime));
        }
        if gone.elapsed() > Duration::from_secs(10) {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let tasks: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/task"))
                .map(|d| {
                    d.filter_map(Result::ok)
                        .map(|t| {
                            std::fs::read_to_string(t.path().join("wchan")).unwrap_or_default()
                        })
                        .collect()
                })
                .unwrap_or_default();
            let _ = child.kill();
            panic!("tipquiz still running 10 s after its terminal went away: {stat} {tasks:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = gone.elapsed();
    let stderr = std::fs::read_to_string(data.path().join("stderr")).unwrap_or_default();
    assert_eq!(
        code,
        Some(129),
        "ends as on SIGHUP (stderr on the terminal: {stderr_on_terminal}); stderr: {stderr}"
    );
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let spent = cpu_total.saturating_sub(cpu_before);
        eprintln!(
            "ended {took:?} after the terminal went away (controlling: {controlling}), \
             with {spent:?} of CPU"
        );
        // The loop itself ended and did not spin meanwhile. How soon it ended is printed, not
        // asserted: a wall-clock bound flakes on a loaded machine (it ends in about 20 ms on a
        // quiet one, against 1.5 s at the signal watcher's backstop before); the CPU it spent
        // tells a spinning wait (0.55 s before) from a sleeping one.
        assert!(
            spent < Duration::from_millis(300),
            "{spent:?} of CPU in the {took:?} after the terminal went away: it spun"
        );
    }
    let _ = (cpu_total, took);
    // The answer, read back from the autosave on disk.
    let saved = tipquiz::record::Store::new(data.path().join("autosave")).all_autosaves();
    assert_eq!(saved.len(), 1, "the attempt is autosaved");
    let answered: Vec<usize> = saved[0]
        .1
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.response.is_some())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(answered, vec![0], "the first question's answer is kept");
}

/// Play the terminal (answer its queries as xterm does, keep the screen in the terminal
/// emulator `vt`) until `text` is on the screen.
fn play_until(master: &mut File, vt: &mut vt100::Parser, text: &str) {
    let mut buf = [0u8; 65536];
    let start = Instant::now();
    while !vt.screen().contents().contains(text) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no {text:?} on the screen:\n{}",
            vt.screen().contents()
        );
        let mut pfd = libc::pollfd {
            fd: master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&raw mut pfd, 1, 100) } <= 0 {
            continue;
        }
        let n = master.read(&mut buf).unwrap();
        vt.process(&buf[..n]);
        for (ask, reply) in [
            (&b"\x1b[6n"[..], &b"\x1b[1;1R"[..]),
            (&b"\x1b[8$p"[..], &b"\x1b[8;0$y"[..]),
            (&b"\x1b[c"[..], &b"\x1b[?62;22c"[..]),
        ] {
            if buf[..n].windows(ask.len()).any(|w| w == ask) {
                master.write_all(reply).unwrap();
            }
        }
    }
}

/// The quiz of these tests (a timed exam of 3 questions, the trainee named) on the terminal
/// whose other end is `slave`, with its data in `data`.
fn quiz_on(slave: &File, stderr: Stdio, data: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tipquiz"));
    cmd.args([
        "take",
        "--topic",
        "indicators",
        "--count",
        "3",
        "--time",
        "5m",
        "--mode",
        "exam",
        "--trainee",
        "Hup",
        "--lang",
        "en",
        "--bidi",
        "reorder",
    ])
    .env("TIPQUIZ_DATA", data)
    .env("TIPQUIZ_RESULTS", data.join("results"))
    .env("TIPQUIZ_NO_CALIBRATION", "1")
    .env("TERM", "xterm")
    .env_remove("TMUX")
    .stdin(Stdio::from(slave.try_clone().unwrap()))
    .stdout(Stdio::from(slave.try_clone().unwrap()))
    .stderr(stderr);
    cmd
}

/// A terminal that reads nothing any more (a stalled connection: its buffer fills and the
/// quiz's next frame blocks in write(2), holding standard output's lock), then SIGTERM: the
/// quiz still ends, with 143, and the answer given before is in the autosave. Before, the
/// signal watcher's restore waited on that lock for ever.
#[test]
fn sigterm_ends_the_quiz_even_when_its_terminal_reads_nothing() {
    let data = tempfile::tempdir().unwrap();
    let (mut master, slave) = open_pty();
    let stderr = Stdio::from(File::create(data.path().join("stderr")).unwrap());
    let mut child = quiz_on(&slave, stderr, data.path()).spawn().unwrap();
    drop(slave);
    let mut vt = vt100::Parser::new(
        std::num::NonZero::new(24).unwrap(),
        std::num::NonZero::new(80).unwrap(),
        0,
    );
    play_until(&mut master, &mut vt, "? help");
    master.write_all(b"1\r").unwrap();
    play_until(&mut master, &mut vt, "Answered 1");
    // From now on nothing is read: window changes make it draw whole frames until its writes
    // block on the full terminal.
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    for i in 0..300u16 {
        let ws = libc::winsize {
            ws_row: 24 + i % 3,
            ws_col: 80 + i % 7,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: a valid descriptor and winsize; kill to our own child.
        unsafe {
            libc::ioctl(master.as_raw_fd(), libc::TIOCSWINSZ, &raw const ws);
            libc::kill(pid, libc::SIGWINCH);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // SAFETY: our own child.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let sent = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if sent.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tipquiz still running 15 s after SIGTERM, its terminal reading nothing");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    eprintln!("ended {:?} after SIGTERM", sent.elapsed());
    assert_eq!(status.code(), Some(143));
    let saved = tipquiz::record::Store::new(data.path().join("autosave")).all_autosaves();
    assert_eq!(saved.len(), 1, "the attempt is autosaved");
    assert!(saved[0].1.slots[0].response.is_some(), "the answer is kept");
    drop(master);
}
