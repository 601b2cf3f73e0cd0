//! A terminal that goes away without a SIGHUP (here: a pseudo-terminal that is not the
//! program's controlling terminal, its other end closed) must not leave tipquiz spinning on
//! end-of-file: it ends like SIGHUP, with the attempt autosaved.

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

#[test]
fn a_vanished_terminal_ends_the_quiz_with_the_attempt_saved() {
    // Standard error on the same terminal (as in life: writing to it then fails, which must
    // not panic), and in a file (to show what was said).
    vanish(true);
    vanish(false);
}

fn vanish(stderr_on_terminal: bool) {
    let data = tempfile::tempdir().unwrap();
    let (mut master, slave) = open_pty();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tipquiz"))
        .args([
            "take",
            "--topic",
            "indicators",
            "--count",
            "3",
            "--time",
            "5m",
            "--trainee",
            "Hup",
            "--lang",
            "en",
            "--bidi",
            "reorder",
        ])
        .env("TIPQUIZ_DATA", data.path())
        .env("TIPQUIZ_RESULTS", data.path().join("results"))
        .env("TIPQUIZ_NO_CALIBRATION", "1")
        .env("TERM", "xterm")
        .env_remove("TMUX")
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(if stderr_on_terminal {
            Stdio::from(slave)
        } else {
            Stdio::from(File::create(data.path().join("stderr")).unwrap())
        })
        .spawn()
        .unwrap();
    // Play the terminal until the question screen is drawn: answer its queries as xterm does.
    let mut seen = Vec::new();
    let mut buf = [0u8; 65536];
    let start = Instant::now();
    while !String::from_utf8_lossy(&seen).contains("? help") {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no question screen"
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
        seen.extend_from_slice(&buf[..n]);
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
    // The terminal goes away.
    drop(master);
    let gone = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if gone.elapsed() > Duration::from_secs(10) {
            let pid = child.id();
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
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = std::fs::read_to_string(data.path().join("stderr")).unwrap_or_default();
    assert_eq!(
        status.code(),
        Some(129),
        "ends as on SIGHUP (stderr on the terminal: {stderr_on_terminal}); stderr: {stderr}"
    );
    let saved: Vec<_> = std::fs::read_dir(data.path().join("autosave"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(saved.len(), 1, "the attempt is autosaved");
}
