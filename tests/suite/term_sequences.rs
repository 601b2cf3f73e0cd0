//! The bytes sent to the terminal on start and at exit, per terminal family, through a
//! `CrosstermBackend` over an in-memory `Vec<u8>`: the probe (when it runs), the alternate screen, the switch-off of
//! the terminal's own bidi strictly before the clear, one frame, then the restore bytes before
//! leaving the alternate screen. Nothing bidi-related for terminals that need nothing.

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use ratatui::{TerminalOptions, Viewport};
use std::cell::RefCell;
use std::io::{ErrorKind, Read, Write};
use std::rc::Rc;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tipquiz::tui::bidi::BidiMode;
use tipquiz::tui::terminal::{
    Family, Outer, PROBE_QUERY, Queries, decide_family, detect_bidi, enter_on, exit_sequence,
    leave_on, probe_allowed, probe_on, restore_on,
};

/// How the probe goes in a fake session.
#[derive(Clone, Copy)]
enum Probe {
    /// Not run (mode not `auto`).
    NotRun,
    /// The terminal answers these bytes.
    Answers(&'static [u8]),
    /// The terminal says nothing (timeout).
    Silent,
}

/// Terminal input that hands out its bytes once, then has nothing more.
struct Input(Option<&'static [u8]>);

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.take() {
            Some(b) => {
                let n = b.len().min(buf.len());
                buf[..n].copy_from_slice(&b[..n]);
                Ok(n)
            }
            None => Err(ErrorKind::WouldBlock.into()),
        }
    }
}

/// A `Vec<u8>` the test can read while the backend owns the writer (ratatui's
/// `CrosstermBackend::writer` is behind an unstable feature).
#[derive(Clone, Default)]
struct Tap(Rc<RefCell<Vec<u8>>>);

impl Write for Tap {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Tap {
    fn len(&self) -> usize {
        self.0.borrow().len()
    }
}

const ALT_ON: &[u8] = b"\x1b[?1049h";
const CLEAR: &[u8] = b"\x1b[2J";
const ALT_OFF: &[u8] = b"\x1b[?1049l\x1b[?25h";
const DA1: &[u8] = b"\x1b[?65;1;9c";

struct Session {
    family: Family,
    mode: BidiMode,
    bytes: Vec<u8>,
    /// Where the frame starts in `bytes`.
    frame_at: usize,
    /// Where the bytes written at exit start.
    exit_at: usize,
}

/// A whole session on a `CrosstermBackend<Vec<u8>>`, as `enter`, the event loop and `leave`
/// do it: the family decided (with the probe when allowed), the start bytes, one drawn frame,
/// the exit bytes.
fn session(env: &'static [(&'static str, &'static str)], probe: Probe, auto: bool) -> Session {
    session_with(env, probe, auto, false)
}

/// [`session`], with tmux's answer about `allow-passthrough`.
fn session_with(
    env: &'static [(&'static str, &'static str)],
    probe: Probe,
    auto: bool,
    passthrough: bool,
) -> Session {
    let env = move |k: &str| {
        env.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| (*v).to_owned())
    };
    let mode = if auto {
        detect_bidi(&env)
    } else {
        BidiMode::Reorder
    };
    let tap = Tap::default();
    let mut backend = CrosstermBackend::new(tap.clone());
    let family = {
        let mut run = || {
            let (input, wait) = match probe {
                Probe::Answers(b) => (Some(b), Duration::from_secs(5)),
                Probe::Silent | Probe::NotRun => (None, Duration::from_millis(20)),
            };
            probe_on(&mut Input(input), &mut backend, Instant::now() + wait)
        };
        let mut tmux = || passthrough;
        let allowed = probe_allowed(auto, mode, !matches!(probe, Probe::NotRun));
        decide_family(
            &env,
            allowed.then_some(Queries {
                probe: &mut run,
                tmux_passthrough: &mut tmux,
            }),
        )
    };
    assert!(enter_on(&mut backend, family, mode).is_ok());
    let frame_at = tap.len();
    let Ok(mut terminal) = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 12, 1)),
        },
    ) else {
        panic!("a terminal on a Vec");
    };
    assert!(
        terminal
            .draw(|f| f.render_widget(Paragraph::new("frame-text"), f.area()))
            .is_ok()
    );
    let exit_at = tap.len();
    assert!(leave_on(terminal.backend_mut(), exit_sequence(family, mode)).is_ok());
    // (Dropping the terminal afterwards shows the cursor once more; that is not part of `leave`.)
    let bytes = tap.0.borrow().clone();
    drop(terminal);
    Session {
        family,
        mode,
        bytes,
        frame_at,
        exit_at,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b)
        .replace('\x1b', "\\e")
        .replace('\x07', "\\a")
}

impl Session {
    fn start(&self) -> &[u8] {
        &self.bytes[..self.frame_at]
    }
    fn frame(&self) -> &[u8] {
        &self.bytes[self.frame_at..self.exit_at]
    }
    fn exit(&self) -> &[u8] {
        &self.bytes[self.exit_at..]
    }

    /// The start is `probe? ALT_ON switch_off CLEAR`, the exit `restore ALT_OFF`, and the frame
    /// in between carries the text and nothing of the above.
    fn check(&self, probed: bool, switch_off: &[u8], restore: &[u8]) {
        let query: &[u8] = if probed { PROBE_QUERY } else { b"" };
        let start = [query, ALT_ON, switch_off, CLEAR].concat();
        assert_eq!(show(self.start()), show(&start), "start bytes");
        assert_eq!(
            show(self.exit()),
            show(&[restore, ALT_OFF].concat()),
            "exit bytes"
        );
        assert!(find(self.frame(), b"frame-text").is_some());
        for b in [
            &b"\x1b[6n"[..],
            b"\x1b[8",
            b" k",
            b"\x1b]",
            b"\x1b[2J",
            b"1049",
        ] {
            assert!(find(self.frame(), b).is_none(), "{} in the frame", show(b));
        }
        assert!(
            find(&self.bytes, b"\x1b[6n").is_none(),
            "no cursor position query"
        );
    }

    /// Nothing bidi-related anywhere.
    fn check_nothing_bidi(&self) {
        for b in [
            &b"\x1b[8l"[..],
            b"\x1b[8h",
            b"\x1b[1 k",
            b"\x1b[0 k",
            b"]50;",
            b"]5379;",
        ] {
            assert!(find(&self.bytes, b).is_none(), "{} sent", show(b));
        }
    }
}

const BDSM_OFF: &[u8] = b"\x1b[8l\x1b[1 k";
const BDSM_ON: &[u8] = b"\x1b[0 k\x1b[8h";

#[test]
fn vte_is_found_by_the_probe_and_switched_to_explicit_mode_before_the_clear() {
    for answer in [&b"\x1b[8;2$y\x1b[?65;1;9c"[..], b"\x1b[8;1$y\x1b[?62;22c"] {
        let answer: &'static [u8] = answer;
        // Over ssh, VTE_VERSION is not there: only the probe can tell.
        let s = session(&[("TERM", "xterm-256color")], Probe::Answers(answer), true);
        assert_eq!(s.family, Family::Bdsm);
        assert_eq!(s.mode, BidiMode::Reorder);
        s.check(true, BDSM_OFF, BDSM_ON);
        let (off, clear) = (find(&s.bytes, b"\x1b[8l"), find(&s.bytes, CLEAR));
        assert!(off.is_some() && off < clear, "BDSM strictly before ED 2");
    }
}

#[test]
fn mintty_and_wezterm_use_bdsm_from_the_environment() {
    for env in [
        &[("TERM_PROGRAM", "mintty")][..],
        &[("TERM_PROGRAM", "WezTerm")],
        &[("VTE_VERSION", "7600")],
    ] {
        // Whether the probe says no, says nothing, or does not run.
        for probe in [
            Probe::Answers(b"\x1b[8;0$y\x1b[?1;2c"),
            Probe::Silent,
            Probe::NotRun,
        ] {
            let s = session(env, probe, true);
            assert_eq!(s.family, Family::Bdsm);
            s.check(!matches!(probe, Probe::NotRun), BDSM_OFF, BDSM_ON);
        }
        let s = session(env, Probe::NotRun, false);
        s.check(false, BDSM_OFF, BDSM_ON);
    }
}

#[test]
fn konsole_switches_its_profile_with_osc_50() {
    let s = session(
        &[("KONSOLE_VERSION", "230800"), ("TERM", "xterm-256color")],
        Probe::Answers(b"\x1b[?62;1;4c"),
        true,
    );
    assert_eq!(s.family, Family::Konsole);
    s.check(
        true,
        b"\x1b]50;BidiRenderingEnabled=false\x07",
        b"\x1b]50;BidiRenderingEnabled=true\x07",
    );
}

#[test]
fn mlterm_switches_with_osc_5379() {
    for env in [&[("MLTERM", "3.9.3")][..], &[("TERM", "mlterm-256color")]] {
        let s = session(env, Probe::Answers(b"\x1b[8;0$y\x1b[?63;1;2c"), true);
        assert_eq!(s.family, Family::Mlterm);
        s.check(
            true,
            b"\x1b]5379;use_ctl=false\x07",
            b"\x1b]5379;use_ctl=true\x07",
        );
    }
}

#[test]
fn kitty_xterm_and_unknown_terminals_get_nothing_bidi_related() {
    for (env, probe) in [
        (&[("TERM", "xterm-kitty")][..], Probe::Silent),
        (&[("KITTY_WINDOW_ID", "1")], Probe::Answers(b"\x1b[?62;c")),
        // xterm answers "not recognised" (seen under Xvfb).
        (
            &[("TERM", "xterm")],
            Probe::Answers(b"\x1b[8;0$y\x1b[?64;1;2c"),
        ),
        (&[("TERM", "xterm-256color")], Probe::Answers(DA1)),
        (&[("TERM", "foot")], Probe::Silent),
        (&[], Probe::NotRun),
    ] {
        let s = session(env, probe, true);
        assert!(
            matches!(s.family, Family::Kitty | Family::Grid),
            "{:?}",
            s.family
        );
        s.check(!matches!(probe, Probe::NotRun), b"", b"");
        s.check_nothing_bidi();
    }
}

#[test]
fn inside_tmux_or_screen_nothing_is_probed_or_sent() {
    for env in [
        &[("TMUX", "/tmp/tmux-0/default,1,0"), ("VTE_VERSION", "7600")][..],
        &[("STY", "1234.pts-0.host"), ("KONSOLE_VERSION", "230800")],
    ] {
        // Even a terminal that would answer yes is not asked.
        let s = session(env, Probe::Answers(b"\x1b[8;2$y\x1b[?65c"), true);
        assert_eq!(s.family, Family::Multiplexer);
        s.check(false, b"", b"");
        s.check_nothing_bidi();
    }
}

#[test]
fn inside_tmux_with_passthrough_the_outer_switch_is_wrapped() {
    let s = session_with(
        &[("TMUX", "/tmp/tmux-0/default,1,0"), ("VTE_VERSION", "7600")],
        Probe::Answers(b"\x1b[?1;2c"),
        true,
        true,
    );
    assert_eq!(s.family, Family::TmuxPassthrough(Outer::Bdsm));
    s.check(
        false,
        b"\x1bPtmux;\x1b\x1b[8l\x1b\x1b[1 k\x1b\\",
        b"\x1bPtmux;\x1b\x1b[0 k\x1b\x1b[8h\x1b\\",
    );
    let s = session_with(
        &[
            ("TMUX", "/tmp/tmux-0/default,1,0"),
            ("KONSOLE_VERSION", "230800"),
        ],
        Probe::Silent,
        true,
        true,
    );
    s.check(
        false,
        b"\x1bPtmux;\x1b\x1b]50;BidiRenderingEnabled=false\x07\x1b\\",
        b"\x1bPtmux;\x1b\x1b]50;BidiRenderingEnabled=true\x07\x1b\\",
    );
    // Passthrough off, or `--bidi reorder` (nothing is asked): nothing.
    for (auto, passthrough) in [(true, false), (false, true)] {
        let s = session_with(
            &[("TMUX", "/tmp/tmux-0/default,1,0"), ("VTE_VERSION", "7600")],
            Probe::Silent,
            auto,
            passthrough,
        );
        assert_eq!(s.family, Family::Multiplexer);
        s.check(false, b"", b"");
        s.check_nothing_bidi();
    }
}

#[test]
fn apple_terminal_and_terminal_mode_send_nothing() {
    let s = session(&[("TERM_PROGRAM", "Apple_Terminal")], Probe::Silent, true);
    assert_eq!(
        s.mode,
        BidiMode::Terminal,
        "Terminal.app cannot be switched off"
    );
    s.check(false, b"", b"");
    s.check_nothing_bidi();
    for family in [Family::Bdsm, Family::Konsole, Family::Mlterm] {
        let mut w = Vec::new();
        assert!(enter_on(&mut w, family, BidiMode::Terminal).is_ok());
        assert!(leave_on(&mut w, exit_sequence(family, BidiMode::Terminal)).is_ok());
        assert_eq!(show(&w), show(&[ALT_ON, CLEAR, ALT_OFF].concat()));
    }
}

#[test]
fn the_panic_hook_and_signal_path_write_the_restore_bytes_once() {
    for (family, restore) in [
        (Family::Bdsm, BDSM_ON),
        (
            Family::Konsole,
            &b"\x1b]50;BidiRenderingEnabled=true\x07"[..],
        ),
        (Family::Mlterm, b"\x1b]5379;use_ctl=true\x07"),
        (Family::Grid, b""),
    ] {
        let slot = Mutex::new(exit_sequence(family, BidiMode::Reorder));
        let mut w = Vec::new();
        restore_on(&mut w, &slot);
        assert_eq!(show(&w), show(&[restore, ALT_OFF].concat()), "{family:?}");
        // A second restore (the signal watcher after the loop, say) leaves the screen again
        // but does not toggle the terminal's bidi twice.
        let mut again = Vec::new();
        restore_on(&mut again, &slot);
        assert_eq!(show(&again), show(ALT_OFF));
    }
}

/// The real binary, probing for real: in tmux with `TMUX` unset the probe runs, tmux answers DA1
/// itself and nothing to DECRQM. The start is not held up, the reply does not leak into the
/// first text field as typed keys, and typing works right after.
#[test]
fn the_real_probe_in_tmux_leaks_nothing_into_the_first_field() {
    if crate::skip_without("tmux") {
        return;
    }
    let Ok(d) = tempfile::tempdir() else {
        panic!("a temporary folder");
    };
    let name = "tq-probe-e2e";
    let tmux = |args: &[&str]| crate::tmux().args(args).output();
    let _ = tmux(&["kill-session", "-t", name]);
    let cmd = format!(
        "env -u TMUX TIPQUIZ_DATA={data} TIPQUIZ_RESULTS={results} LANG=C.UTF-8 \
         TIPQUIZ_NO_CALIBRATION=1 {bin}; sleep 30",
        data = d.path().join("data").display(),
        results = d.path().join("results").display(),
        bin = env!("CARGO_BIN_EXE_tipquiz"),
    );
    let started = tmux(&[
        "new-session",
        "-d",
        "-s",
        name,
        "-x",
        "100",
        "-y",
        "30",
        &cmd,
    ]);
    assert!(started.is_ok_and(|o| o.status.success()));
    let screen = || {
        tmux(&["capture-pane", "-p", "-t", name])
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    };
    let wait_for = |text: &str| {
        let start = Instant::now();
        loop {
            let s = screen();
            if s.contains(text) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                let _ = tmux(&["kill-session", "-t", name]);
                panic!("timed out waiting for {text:?}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let s = wait_for("Trainee name or id:");
    std::thread::sleep(Duration::from_millis(300));
    let s2 = screen();
    let _ = tmux(&["send-keys", "-t", name, "-l", "ab"]);
    let typed = wait_for("Trainee name or id: ab▏");
    let _ = tmux(&["kill-session", "-t", name]);
    for s in [&s, &s2] {
        assert!(
            s.contains("Trainee name or id: ▏"),
            "the field is empty after the probe:\n{s}"
        );
        assert!(!s.contains("$y") && !s.contains(";2c") && !s.contains("?1"));
    }
    assert!(!typed.contains("?1;2c"));
}
