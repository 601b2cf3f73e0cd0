//! What the terminal does with right-to-left text, and the escape sequences that switch its own
//! bidi handling off on start and back on at exit (also on panic and on signals).
//!
//! The bytes are produced by functions generic over [`Write`] ([`enter_on`], [`leave_on`],
//! [`restore_on`], [`probe_on`]) so that tests can check them on a `Vec<u8>`; [`enter`] and
//! [`leave`] use them on standard output, the writer ratatui draws on.

use super::bidi::BidiMode;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Terminal families, as far as right-to-left text is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// VTE (GNOME Terminal, xfce4-terminal, Tilix…), mintty, `WezTerm`: honour the standard
    /// "explicit mode" switch (BDSM, `CSI 8 l`).
    Bdsm,
    /// Konsole: reorders every line; switched off through its profile (OSC 50).
    Konsole,
    /// mlterm: reorders every line; switched off with OSC 5379.
    Mlterm,
    /// macOS Terminal: reorders every line and cannot be switched off.
    AppleTerminal,
    /// kitty: reverses right-to-left runs; cannot be queried or switched.
    Kitty,
    /// Inside tmux or screen: the multiplexer does no bidi and hides the outer terminal.
    Multiplexer,
    /// Inside tmux with `allow-passthrough` on, and the environment names an outer terminal that
    /// can be switched off: its sequences are wrapped in tmux's DCS passthrough
    /// (`ESC P tmux; … ESC \`). The outer terminal then stays in that state for every pane
    /// until the app restores it.
    TmuxPassthrough(Outer),
    /// A plain grid (xterm, Alacritty, foot, Windows Terminal, unknown).
    Grid,
}

/// An outer terminal reached through tmux's passthrough.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outer {
    /// VTE, mintty, `WezTerm` (BDSM).
    Bdsm,
    /// Konsole (OSC 50).
    Konsole,
    /// mlterm (OSC 5379).
    Mlterm,
}

/// Detect the family from the environment (the first match wins, as the study describes).
#[must_use]
pub fn detect_family(env: &dyn Fn(&str) -> Option<String>) -> Family {
    let term = env("TERM").unwrap_or_default();
    let program = env("TERM_PROGRAM").unwrap_or_default();
    if env("TMUX").is_some() || env("STY").is_some() {
        Family::Multiplexer
    } else if env("KONSOLE_VERSION").is_some() {
        Family::Konsole
    } else if env("MLTERM").is_some() || term.starts_with("mlterm") {
        Family::Mlterm
    } else if program == "Apple_Terminal" {
        Family::AppleTerminal
    } else if env("VTE_VERSION").is_some() || program == "mintty" || program == "WezTerm" {
        Family::Bdsm
    } else if term == "xterm-kitty" || env("KITTY_WINDOW_ID").is_some() {
        Family::Kitty
    } else {
        Family::Grid
    }
}

/// The bidi mode `auto` chooses: the app reorders everywhere except where the terminal reorders
/// and cannot be switched off.
#[must_use]
pub fn detect_bidi(env: &dyn Fn(&str) -> Option<String>) -> BidiMode {
    match detect_family(env) {
        Family::AppleTerminal => BidiMode::Terminal,
        _ => BidiMode::Reorder,
    }
}

/// The probe: DECRQM for ANSI mode 8 (BDSM), then DA1. Every terminal answers DA1, and answers in
/// order, so the DA1 reply marks the end of whatever the terminal had to say about mode 8.
pub const PROBE_QUERY: &[u8] = b"\x1b[8$p\x1b[c";

/// How long the probe waits for the DA1 reply at most.
pub const PROBE_TIMEOUT: Duration = Duration::from_millis(150);

/// What a terminal answered to [`PROBE_QUERY`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProbeReply {
    /// The DECRQM status of mode 8 (`CSI 8 ; Ps $ y`): 0 not recognised, 1 set, 2 reset,
    /// 3 permanently set, 4 permanently reset. `None`: no DECRQM reply.
    pub bdsm: Option<u8>,
    /// The DA1 reply (`CSI ? … c`) was seen: the terminal has answered everything.
    pub done: bool,
}

impl ProbeReply {
    /// Whether the terminal can be switched to explicit mode with BDSM (`CSI 8 l`): it knows
    /// the mode and may change it (status 1 or 2).
    #[must_use]
    pub const fn bdsm_switchable(self) -> bool {
        matches!(self.bdsm, Some(1 | 2))
    }
}

/// Parse what the terminal sent back after [`PROBE_QUERY`], from the first byte read so far.
///
/// Copes with a reply that is still incomplete (more is to be read: `done` stays false) and with
/// unrelated bytes before or between the replies (keys typed meanwhile, other sequences): those
/// are skipped, and they are lost, since the probe has read them from the terminal before the
/// event reader could. Reading stops at the DA1 reply, so only keys typed during the round trip
/// can be lost. Only 7-bit CSI (`ESC [`) is recognised.
#[must_use]
pub fn parse_probe_reply(bytes: &[u8]) -> ProbeReply {
    let mut reply = ProbeReply::default();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != 0x1b || bytes.get(i + 1) != Some(&b'[') {
            i += 1;
            continue;
        }
        // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E.
        let start = i + 2;
        let mut j = start;
        while bytes.get(j).is_some_and(|b| (0x30..=0x3f).contains(b)) {
            j += 1;
        }
        let params = &bytes[start..j];
        let inter_start = j;
        while bytes.get(j).is_some_and(|b| (0x20..=0x2f).contains(b)) {
            j += 1;
        }
        let intermediates = &bytes[inter_start..j];
        let Some(&last) = bytes.get(j) else {
            break; // incomplete: the rest has not been read yet
        };
        if !(0x40..=0x7e).contains(&last) {
            i = j; // not a CSI sequence after all; look again from the odd byte
            continue;
        }
        match (last, intermediates) {
            (b'y', b"$") => {
                if let Some(status) = params.strip_prefix(b"8;")
                    && !status.is_empty()
                    && status.iter().all(u8::is_ascii_digit)
                {
                    reply.bdsm = std::str::from_utf8(status)
                        .ok()
                        .and_then(|s| s.parse().ok());
                }
            }
            (b'c', b"") if params.first() == Some(&b'?') => {
                reply.done = true;
                return reply;
            }
            _ => {}
        }
        i = j + 1;
    }
    reply
}

/// Send [`PROBE_QUERY`] on `output` and read the answer from `input` until the DA1 reply or the
/// deadline. `input` must not block past the deadline: it returns `WouldBlock` or `TimedOut`
/// when nothing is there (the real terminal input waits with `poll`). Never fails: a write or
/// read error, end of input or the deadline end the probe with what was read so far (a DECRQM
/// reply read before a timeout still counts).
pub fn probe_on<R: Read, W: Write>(input: &mut R, output: &mut W, deadline: Instant) -> ProbeReply {
    if output
        .write_all(PROBE_QUERY)
        .and_then(|()| output.flush())
        .is_err()
    {
        return ProbeReply::default();
    }
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while Instant::now() < deadline && got.len() < 4096 {
        match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                got.extend_from_slice(&buf[..n.min(buf.len())]);
                let reply = parse_probe_reply(&got);
                if reply.done {
                    return reply;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(_) => break,
        }
    }
    parse_probe_reply(&got)
}

/// The terminal's input (a duplicate of standard input's descriptor, unbuffered, unlike
/// `std::io::stdin()`), read with `poll` so that no read waits past the deadline.
#[cfg(unix)]
struct TtyInput {
    file: std::fs::File,
    deadline: Instant,
}

#[cfg(unix)]
impl Read for TtyInput {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::os::fd::AsRawFd as _;
        let left = self.deadline.saturating_duration_since(Instant::now());
        let mut fds = libc::pollfd {
            fd: self.file.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(left.as_millis().max(1)).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd on the stack, for the duration of the call.
        let n = unsafe { libc::poll(&raw mut fds, 1, ms) };
        match n {
            ..0 => Err(std::io::Error::last_os_error()),
            0 => Err(std::io::ErrorKind::TimedOut.into()),
            _ => self.file.read(buf),
        }
    }
}

/// Probe the real terminal: query on standard output (the writer ratatui uses), answer read
/// from standard input (the descriptor crossterm's event reader will read later). The caller has
/// checked that both are terminals and switched raw mode on, and crossterm's event reader must
/// not have started (it would take the reply).
#[cfg(unix)]
#[must_use]
pub fn probe_terminal(timeout: Duration) -> ProbeReply {
    use std::os::fd::AsFd as _;
    let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
        return ProbeReply::default();
    };
    let deadline = Instant::now() + timeout;
    let mut input = TtyInput {
        file: std::fs::File::from(fd),
        deadline,
    };
    probe_on(&mut input, &mut std::io::stdout(), deadline)
}

/// Windows: no probe. Its console hands keys to crossterm as events, not as the bytes of a
/// terminal's reply, so nothing could be read back; the family comes from the environment
/// (Windows Terminal sets `WT_SESSION`) and the first Arabic run's display check decides the rest.
#[cfg(not(unix))]
#[must_use]
pub fn probe_terminal(_timeout: Duration) -> ProbeReply {
    ProbeReply::default()
}

/// The questions [`decide_family`] may ask the terminal, each at most once.
pub struct Queries<'a> {
    /// The DECRQM probe ([`probe_terminal`]).
    pub probe: &'a mut dyn FnMut() -> ProbeReply,
    /// Whether tmux lets escape sequences through to the outer terminal
    /// ([`tmux_allows_passthrough`]).
    pub tmux_passthrough: &'a mut dyn FnMut() -> bool,
}

/// Decide the family in the study's order: tmux or screen first (they swallow the probe; inside
/// tmux with passthrough allowed, the outer terminal named by the environment is switched
/// through it), then the probe, then the environment rules of [`detect_family`]. `queries` is
/// `None` when the terminal must not be asked anything (mode not `auto`, not a terminal).
pub fn decide_family(env: &dyn Fn(&str) -> Option<String>, queries: Option<Queries<'_>>) -> Family {
    if env("TMUX").is_some() || env("STY").is_some() {
        if env("TMUX").is_some()
            && let Some(q) = queries
        {
            // The outer terminal's own variables, as tmux's environment still has them (they may
            // be stale when the session was attached from another terminal). `TERM` and
            // `TERM_PROGRAM` are tmux's own in a pane.
            let outside = |k: &str| match k {
                "TMUX" | "STY" | "TERM" | "TERM_PROGRAM" => None,
                _ => env(k),
            };
            let outer = match detect_family(&outside) {
                Family::Bdsm => Some(Outer::Bdsm),
                Family::Konsole => Some(Outer::Konsole),
                Family::Mlterm => Some(Outer::Mlterm),
                _ => None,
            };
            if let Some(outer) = outer
                && (q.tmux_passthrough)()
            {
                return Family::TmuxPassthrough(outer);
            }
        }
        return Family::Multiplexer;
    }
    if let Some(q) = queries
        && (q.probe)().bdsm_switchable()
    {
        return Family::Bdsm;
    }
    detect_family(env)
}

/// Whether `tmux show -gv allow-passthrough` says `on` (or `all`), from its output.
#[must_use]
pub fn passthrough_on(show_output: &[u8]) -> bool {
    matches!(
        std::str::from_utf8(show_output).map(str::trim),
        Ok("on" | "all")
    )
}

/// Ask tmux whether it lets escape sequences through (`allow-passthrough`, tmux 3.3 and later).
/// Waits at most `timeout` for the answer; any failure counts as no.
#[must_use]
pub fn tmux_allows_passthrough(timeout: Duration) -> bool {
    use std::process::{Command, Stdio};
    let Ok(mut child) = Command::new("tmux")
        .args(["show", "-gv", "allow-passthrough"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return false;
    };
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let mut out = Vec::new();
                if let Some(mut o) = child.stdout.take() {
                    let _ = o.read_to_end(&mut out);
                }
                return status.success() && passthrough_on(&out);
            }
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
        }
    }
}

/// Whether the first [`enter`] probes: `auto` asked for it (`wanted`), the app reorders (in
/// `terminal` mode nothing is switched off, so there is nothing to find out), and standard input
/// and output are both terminals (`ttys`).
#[must_use]
pub const fn probe_allowed(wanted: bool, mode: BidiMode, ttys: bool) -> bool {
    wanted && matches!(mode, BidiMode::Reorder) && ttys
}

/// Set by `auto` mode (see [`want_probe`]).
static PROBE_WANTED: AtomicBool = AtomicBool::new(false);

/// The family, decided at the first [`enter`] of the process and kept: the probe can only run
/// before crossterm's event reader starts, which is right after the first `enter`.
static FAMILY: OnceLock<Family> = OnceLock::new();

/// Ask the first [`enter`] to probe the terminal (mode `auto`, when the app reorders): called by
/// the command layer when it resolves `--bidi auto`.
pub fn want_probe() {
    PROBE_WANTED.store(true, Ordering::SeqCst);
}

/// The family decided for this process, if [`enter`] ran.
#[must_use]
pub fn decided_family() -> Option<Family> {
    FAMILY.get().copied()
}

/// Bytes to send after entering the alternate screen and before clearing it: switch the
/// terminal's own reordering off when this program reorders. Nothing for other terminals.
#[must_use]
pub fn start_sequence(family: Family, mode: BidiMode) -> &'static str {
    if mode == BidiMode::Terminal {
        return "";
    }
    match family {
        Family::Bdsm => "\x1b[8l\x1b[1 k",
        Family::Konsole => "\x1b]50;BidiRenderingEnabled=false\x07",
        Family::Mlterm => "\x1b]5379;use_ctl=false\x07",
        // The same, wrapped for tmux: `ESC P tmux;`, every ESC doubled, `ESC \`.
        Family::TmuxPassthrough(Outer::Bdsm) => "\x1bPtmux;\x1b\x1b[8l\x1b\x1b[1 k\x1b\\",
        Family::TmuxPassthrough(Outer::Konsole) => {
            "\x1bPtmux;\x1b\x1b]50;BidiRenderingEnabled=false\x07\x1b\\"
        }
        Family::TmuxPassthrough(Outer::Mlterm) => "\x1bPtmux;\x1b\x1b]5379;use_ctl=false\x07\x1b\\",
        Family::AppleTerminal | Family::Kitty | Family::Multiplexer | Family::Grid => "",
    }
}

/// Bytes that undo [`start_sequence`] at exit.
#[must_use]
pub fn exit_sequence(family: Family, mode: BidiMode) -> &'static str {
    if mode == BidiMode::Terminal {
        return "";
    }
    match family {
        Family::Bdsm => "\x1b[0 k\x1b[8h",
        Family::Konsole => "\x1b]50;BidiRenderingEnabled=true\x07",
        Family::Mlterm => "\x1b]5379;use_ctl=true\x07",
        Family::TmuxPassthrough(Outer::Bdsm) => "\x1bPtmux;\x1b\x1b[0 k\x1b\x1b[8h\x1b\\",
        Family::TmuxPassthrough(Outer::Konsole) => {
            "\x1bPtmux;\x1b\x1b]50;BidiRenderingEnabled=true\x07\x1b\\"
        }
        Family::TmuxPassthrough(Outer::Mlterm) => "\x1bPtmux;\x1b\x1b]5379;use_ctl=true\x07\x1b\\",
        Family::AppleTerminal | Family::Kitty | Family::Multiplexer | Family::Grid => "",
    }
}

static EXIT_BYTES: Mutex<&'static str> = Mutex::new("");

/// The bidi mode of the last [`enter_screen`], to take the screen back after an outside stop.
static MODE: Mutex<Option<BidiMode>> = Mutex::new(None);

/// Set when the program was stopped from outside (SIGTSTP sent by another process) and has
/// been continued: the screen was given back and taken again, and must be drawn afresh.
static CONTINUED: AtomicBool = AtomicBool::new(false);

/// Whether the program was stopped from outside and continued since the last call (the event
/// loop then redraws everything).
#[must_use]
pub fn take_continued() -> bool {
    CONTINUED.swap(false, Ordering::SeqCst)
}

/// Write the bytes that enter the full screen on `w`, in this order: the alternate screen, the
/// switch-off of the terminal's own bidi for `family` (nothing when `mode` is `terminal` or the
/// family needs none), then a full clear (ED 2), which must come after BDSM because BDSM acts per
/// paragraph. No cursor position query (`CSI 6 n`): the first draw of a fresh `Terminal` is
/// complete without one.
///
/// # Errors
/// When `w` fails.
pub fn enter_on<W: Write>(w: &mut W, family: Family, mode: BidiMode) -> std::io::Result<()> {
    use crossterm::QueueableCommand as _;
    w.queue(crossterm::terminal::EnterAlternateScreen)?;
    w.write_all(start_sequence(family, mode).as_bytes())?;
    w.queue(crossterm::terminal::Clear(
        crossterm::terminal::ClearType::All,
    ))?;
    w.flush()
}

/// Write the bytes that leave the full screen on `w`: `exit` (from [`exit_sequence`]) while
/// still on the alternate screen, then back to the main screen, and the cursor shown.
///
/// # Errors
/// When `w` fails.
pub fn leave_on<W: Write>(w: &mut W, exit: &str) -> std::io::Result<()> {
    use crossterm::QueueableCommand as _;
    w.write_all(exit.as_bytes())?;
    w.queue(crossterm::terminal::LeaveAlternateScreen)?;
    w.queue(crossterm::cursor::Show)?;
    w.flush()
}

/// What the panic hook, the signal watcher and [`leave`] write: the exit sequence in `slot`
/// (taken, so it is written at most once), then [`leave_on`]'s bytes.
pub fn restore_on<W: Write>(w: &mut W, slot: &Mutex<&'static str>) {
    let exit = slot.lock().map_or("", |mut g| std::mem::take(&mut *g));
    let _ = leave_on(w, exit);
}

/// Between [`enter`] and the restore: a panic or signal after [`leave`] writes nothing.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Restore the terminal, once per [`enter`]: raw mode off (first, as ratatui does), then
/// [`restore_on`] on stdout.
fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = crossterm::terminal::disable_raw_mode();
        restore_on(&mut std::io::stdout(), &EXIT_BYTES);
    }
}

/// Enter the full-screen terminal: a panic hook that restores it (once per process), raw mode,
/// at the first call the family (with the probe when `auto` asked for it, see [`decide_family`];
/// in raw mode and before crossterm's event reader starts), then [`enter_on`]'s bytes on stdout.
///
/// # Errors
/// When the terminal cannot be set up.
pub fn enter(mode: BidiMode) -> std::io::Result<ratatui::DefaultTerminal> {
    enter_screen(mode)?;
    ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))
}

/// [`enter`] without making a new `Terminal`: for taking the screen back (after a suspension,
/// or with the other bidi mode) under the `Terminal` that is already drawing.
///
/// # Errors
/// When the terminal cannot be set up.
pub fn enter_screen(mode: BidiMode) -> std::io::Result<()> {
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
    crossterm::terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    if let Ok(mut g) = MODE.lock() {
        *g = Some(mode);
    }
    let family = *FAMILY.get_or_init(|| {
        use std::io::IsTerminal as _;
        let env = |k: &str| std::env::var(k).ok();
        let probe = probe_allowed(
            PROBE_WANTED.load(Ordering::SeqCst),
            mode,
            std::io::stdin().is_terminal() && std::io::stdout().is_terminal(),
        );
        let mut run = || probe_terminal(PROBE_TIMEOUT);
        let mut tmux = || tmux_allows_passthrough(PROBE_TIMEOUT);
        decide_family(
            &env,
            probe.then_some(Queries {
                probe: &mut run,
                tmux_passthrough: &mut tmux,
            }),
        )
    });
    if let Ok(mut g) = EXIT_BYTES.lock() {
        *g = exit_sequence(family, mode);
    }
    enter_on(&mut std::io::stdout(), family, mode)
}

// Standard error while the local terminal is the program's: what is written meanwhile is
// held back and printed once the terminal is given back.

static HELD: Mutex<Option<String>> = Mutex::new(None);

/// Hold back what is written to standard error from now on (see [`print_error`]).
pub fn hold_errors() {
    if let Ok(mut g) = HELD.lock() {
        g.get_or_insert_with(String::new);
    }
}

/// Write `text` to standard error, or keep it for [`release_errors_after`] while the terminal is
/// the program's.
pub fn print_error(text: &str) {
    if let Ok(mut g) = HELD.lock()
        && let Some(held) = g.as_mut()
    {
        held.push_str(text);
        return;
    }
    let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
}

/// Whether errors are being held back (the loading frame took the terminal).
#[must_use]
pub fn holding() -> bool {
    HELD.lock().is_ok_and(|g| g.is_some())
}

/// Give the terminal back with `leave`, then stop holding errors back and print those held.
pub fn release_errors_after(leave: impl FnOnce()) {
    leave();
    let held = HELD.lock().ok().and_then(|mut g| g.take());
    if let Some(text) = held {
        // Not eprint!, which panics when standard error is gone.
        let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
    }
}

/// Stopped from outside (SIGTSTP from another process; Ctrl-Z itself is a key in raw mode):
/// give the terminal back as it was, stop (SIGSTOP, which cannot be caught), and once continued
/// take it back in raw mode and have the loop redraw everything ([`take_continued`]).
#[cfg(unix)]
fn stop_from_outside() {
    let was_ours = ACTIVE.load(Ordering::SeqCst);
    if was_ours {
        restore();
    }
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
    if was_ours {
        let mode = MODE
            .lock()
            .ok()
            .and_then(|g| *g)
            .unwrap_or(BidiMode::Reorder);
        if enter_screen(mode).is_ok() {
            CONTINUED.store(true, Ordering::SeqCst);
            wake_loop();
        }
    }
}

/// Watch for SIGTERM, SIGHUP, SIGINT and SIGQUIT. The signal number is stored in `flag` for the
/// event loop, which autosaves, restores the terminal and exits with 128 + the signal. If the
/// loop cannot (for instance because the terminal is gone and input is stuck at end of file),
/// the watcher restores what it can and exits itself after a grace period: the attempt is safe
/// because it is autosaved after every change. SIGTSTP from another process stops the program
/// with the terminal restored, and `fg` brings the screen back ([`stop_from_outside`]).
///
/// The terminal can also go away without a SIGHUP reaching us (another process leads the
/// session): input then reads end-of-file at once, forever, and crossterm's reader spins on it.
/// The same watcher ends the program then, as on SIGHUP. One thread does both: it sleeps in
/// poll(2) on its own wake pipe (a signal's handler sets the signal's flag, then writes a byte
/// there) and on standard input asking only for hang-up and error, so it costs no wake-up while
/// the terminal lives and nothing happens.
#[cfg(unix)]
pub fn watch_signals(flag: std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    use std::sync::Arc;
    make_wake_pipe();
    let Ok((read, write)) = std::os::unix::net::UnixStream::pair() else {
        return;
    };
    if read.set_nonblocking(true).is_err() || write.set_nonblocking(true).is_err() {
        return;
    }
    let mut caught = Vec::new();
    let mut ids = Vec::new();
    for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP] {
        let seen = Arc::new(AtomicBool::new(false));
        // The flag first, then the byte (signal-hook runs a signal's actions in the order they
        // were registered): the watcher woken by the byte finds the flag set.
        let registered = signal_hook::flag::register(sig, Arc::clone(&seen)).and_then(|id| {
            ids.push(id);
            let id = signal_hook::low_level::pipe::register(sig, write.try_clone()?)?;
            ids.push(id);
            Ok(())
        });
        if registered.is_err() {
            // Without a watcher, no signal may be caught: each keeps its default action.
            for id in ids {
                signal_hook::low_level::unregister(id);
            }
            return;
        }
        caught.push((sig, seen));
    }
    std::thread::spawn(move || watch(&read, &caught, &flag));
}

/// The watcher of [`watch_signals`]: returns only if poll(2) fails for another reason than a
/// signal (it never does on valid descriptors).
#[cfg(unix)]
fn watch(
    wake: &std::os::unix::net::UnixStream,
    caught: &[(i32, std::sync::Arc<AtomicBool>)],
    flag: &std::sync::atomic::AtomicUsize,
) {
    use std::os::fd::AsRawFd as _;
    let gone = libc::POLLHUP | libc::POLLERR | libc::POLLNVAL;
    let mut terminal = libc::STDIN_FILENO;
    loop {
        let mut fds = [
            libc::pollfd {
                fd: wake.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            // Only hang-up and error are asked for: input arriving does not end the wait. A
            // negative descriptor is ignored by poll(2).
            libc::pollfd {
                fd: terminal,
                events: 0,
                revents: 0,
            },
        ];
        // SAFETY: two valid pollfds.
        let r = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
        if r < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            if terminal < 0 {
                return;
            }
            // Keep watching the signals at least.
            terminal = -1;
            continue;
        }
        let mut buf = [0u8; 64];
        let mut wake = wake;
        while matches!(wake.read(&mut buf), Ok(n) if n > 0) {}
        for (sig, seen) in caught {
            if seen.swap(false, Ordering::SeqCst) {
                if *sig == signal_hook::consts::SIGTSTP {
                    stop_from_outside();
                } else {
                    end_from_outside(flag, *sig);
                }
            }
        }
        if terminal >= 0 && fds[1].revents & gone != 0 {
            end_from_outside(flag, signal_hook::consts::SIGHUP);
        }
    }
}

/// An ending signal (or the terminal gone, as SIGHUP): tell the event loop, which autosaves,
/// restores the terminal and exits with 128 + the signal; if it has not within the grace
/// period, restore what can be restored and exit here.
///
/// The loop may be stuck writing a frame to a terminal that reads nothing (a stalled
/// connection: the terminal's buffer full), holding standard output's lock: a restore would
/// wait as long, and so would `std::process::exit`, which flushes standard output. So the
/// restore is tried on a thread of its own for a moment, and the program ends with `_exit`.
/// Nothing is lost: the attempt is autosaved after every change.
#[cfg(unix)]
fn end_from_outside(flag: &std::sync::atomic::AtomicUsize, sig: i32) {
    flag.store(usize::try_from(sig).unwrap_or(1), Ordering::SeqCst);
    wake_loop();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let (done, restored) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        restore();
        let _ = done.send(());
    });
    let _ = restored.recv_timeout(std::time::Duration::from_millis(500));
    // SAFETY: `_exit` has no preconditions; it ends the process without running anything
    // that could wait on a lock held by a stuck thread.
    unsafe { libc::_exit(128 + sig) }
}

/// The wake pipe: both ends of a socket pair. The local terminal's loop waits in poll(2) on
/// the terminal and on the read end ([`wait_for_input`]); a byte arrives on it when the loop
/// must look again without a key: a window change (written by the signal handler itself), an
/// ending signal or a hang-up (written by the watchers once the flag is set), a continue after
/// a stop from outside. Linux and Android only: there poll(2) works on terminals (macOS's poll
/// does not support devices; there the loop keeps crossterm's own wait).
#[cfg(any(target_os = "linux", target_os = "android"))]
static WAKE: OnceLock<(
    std::os::unix::net::UnixStream,
    std::os::unix::net::UnixStream,
)> = OnceLock::new();

/// Make the wake pipe, once per process, and have SIGWINCH write to it.
#[cfg(unix)]
fn make_wake_pipe() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        if WAKE.get().is_some() {
            return;
        }
        let Ok((read, write)) = std::os::unix::net::UnixStream::pair() else {
            return;
        };
        if read.set_nonblocking(true).is_err() || write.set_nonblocking(true).is_err() {
            return;
        }
        // signal-hook's self-pipe: the handler writes one byte, never blocking.
        let Ok(for_handler) = write.try_clone() else {
            return;
        };
        if signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, for_handler)
            .is_err()
        {
            return;
        }
        let _ = WAKE.set((read, write));
    }
}

/// Wake the local terminal's loop if it waits in [`wait_for_input`] (a byte on the wake pipe;
/// nothing where there is none).
#[cfg(unix)]
fn wake_loop() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Some((_, write)) = WAKE.get() {
        let mut write = write;
        // Non-blocking: when the pipe is full, the loop has a wake-up waiting already.
        let _ = write.write(b"w");
    }
}

/// What [`wait_for_input`] found.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// The terminal has input (or the time ran out, or the loop was woken): look.
    Look,
    /// The terminal is gone: standard input reports a hang-up or an error. Reading it would
    /// return end-of-file (or EIO) at once, for ever.
    Gone,
}

/// Wait up to `timeout` for input on the terminal (standard input) or a byte on the wake
/// pipe, without reading either (the wake pipe is emptied). A zero `timeout` only looks.
///
/// # Errors
/// When poll(2) fails (not when a signal interrupts it: that is [`Input::Look`]).
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn wait_for_input(timeout: Duration) -> std::io::Result<Input> {
    use std::os::fd::AsRawFd as _;
    let gone = libc::POLLHUP | libc::POLLERR | libc::POLLNVAL;
    let mut fds = [
        libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: WAKE.get().map_or(-1, |(r, _)| r.as_raw_fd()),
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    // Rounded up, so that the wait never ends before the time asked for (and never spins on
    // a zero wait when less than a millisecond is left).
    let ms = i32::try_from(timeout.as_micros().div_ceil(1000)).unwrap_or(i32::MAX);
    // SAFETY: two valid pollfds (a negative fd is ignored by poll(2)).
    let r = unsafe { libc::poll(fds.as_mut_ptr(), 2, ms) };
    if r < 0 {
        let e = std::io::Error::last_os_error();
        return if e.kind() == std::io::ErrorKind::Interrupted {
            Ok(Input::Look)
        } else {
            Err(e)
        };
    }
    if fds[1].revents != 0
        && let Some((read, _)) = WAKE.get()
    {
        let mut read = read;
        let mut buf = [0u8; 64];
        while matches!(read.read(&mut buf), Ok(n) if n > 0) {}
    }
    Ok(if fds[0].revents & gone != 0 {
        Input::Gone
    } else {
        Input::Look
    })
}

/// Windows: the console's control events, through `SetConsoleCtrlHandler`, stored in `flag` as
/// the Unix signal with the same meaning, so that the loop ends the same way with the same exit
/// code: Ctrl-C and Ctrl-Break (outside raw mode; in raw mode Ctrl-C is a key, as on Unix) as
/// SIGINT, the console window closed as SIGHUP, log-off and shut-down as SIGTERM. Windows ends
/// the process when the handler returns from a close, log-off or shut-down, so the handler
/// waits the same grace period as the Unix watcher, then restores what it can and exits itself.
/// There is no hang-up to watch: a closed console is the close event.
#[cfg(windows)]
pub fn watch_signals(flag: std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use windows_sys::Win32::Foundation::{FALSE, TRUE};
    use windows_sys::Win32::System::Console::{
        CTRL_BREAK_EVENT, CTRL_C_EVENT, CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT,
        SetConsoleCtrlHandler,
    };
    use windows_sys::core::BOOL;
    static FLAG: std::sync::Mutex<Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>> =
        std::sync::Mutex::new(None);
    unsafe extern "system" fn handler(kind: u32) -> BOOL {
        let sig: i32 = match kind {
            CTRL_C_EVENT | CTRL_BREAK_EVENT => 2,
            CTRL_CLOSE_EVENT => 1,
            CTRL_LOGOFF_EVENT | CTRL_SHUTDOWN_EVENT => 15,
            _ => return FALSE,
        };
        let flag = FLAG.lock().ok().and_then(|g| g.clone());
        let Some(flag) = flag else { return FALSE };
        flag.store(
            usize::try_from(sig).unwrap_or(1),
            std::sync::atomic::Ordering::SeqCst,
        );
        std::thread::sleep(std::time::Duration::from_millis(1500));
        restore();
        std::process::exit(128 + sig);
        #[allow(unreachable_code)]
        TRUE
    }
    let first = match FLAG.lock() {
        Ok(mut g) => g.replace(flag).is_none(),
        Err(_) => return,
    };
    if first {
        // SAFETY: `handler` is a plain function that lives for the whole program.
        unsafe { SetConsoleCtrlHandler(Some(handler), TRUE) };
    }
}

/// Leave the full-screen terminal: raw mode off, the bidi switch back on, the main screen.
pub fn leave() {
    restore();
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_util::env;

    #[test]
    fn families_are_detected_from_the_environment_first_match_wins() {
        assert_eq!(
            detect_family(&env(&[("TMUX", "/tmp/x"), ("KONSOLE_VERSION", "230800")])),
            Family::Multiplexer
        );
        assert_eq!(
            detect_family(&env(&[("KONSOLE_VERSION", "230800")])),
            Family::Konsole
        );
        assert_eq!(detect_family(&env(&[("TERM", "mlterm")])), Family::Mlterm);
        assert_eq!(
            detect_family(&env(&[("TERM_PROGRAM", "Apple_Terminal")])),
            Family::AppleTerminal
        );
        assert_eq!(
            detect_family(&env(&[("VTE_VERSION", "7600")])),
            Family::Bdsm
        );
        assert_eq!(
            detect_family(&env(&[("TERM_PROGRAM", "WezTerm")])),
            Family::Bdsm
        );
        assert_eq!(
            detect_family(&env(&[("TERM", "xterm-kitty")])),
            Family::Kitty
        );
        assert_eq!(
            detect_family(&env(&[("TERM", "xterm-256color")])),
            Family::Grid
        );
        assert_eq!(
            detect_bidi(&env(&[("TERM_PROGRAM", "Apple_Terminal")])),
            BidiMode::Terminal
        );
        assert_eq!(
            detect_bidi(&env(&[("KONSOLE_VERSION", "1")])),
            BidiMode::Reorder
        );
    }

    #[test]
    fn start_and_exit_bytes_per_family() {
        assert_eq!(
            start_sequence(Family::Bdsm, BidiMode::Reorder).as_bytes(),
            b"\x1b[8l\x1b[1 k"
        );
        assert_eq!(
            exit_sequence(Family::Bdsm, BidiMode::Reorder).as_bytes(),
            b"\x1b[0 k\x1b[8h"
        );
        assert_eq!(
            start_sequence(Family::Konsole, BidiMode::Reorder).as_bytes(),
            b"\x1b]50;BidiRenderingEnabled=false\x07"
        );
        assert_eq!(
            exit_sequence(Family::Konsole, BidiMode::Reorder).as_bytes(),
            b"\x1b]50;BidiRenderingEnabled=true\x07"
        );
        assert_eq!(
            start_sequence(Family::Mlterm, BidiMode::Reorder).as_bytes(),
            b"\x1b]5379;use_ctl=false\x07"
        );
        assert_eq!(
            exit_sequence(Family::Mlterm, BidiMode::Reorder).as_bytes(),
            b"\x1b]5379;use_ctl=true\x07"
        );
        for f in [
            Family::Grid,
            Family::Kitty,
            Family::Multiplexer,
            Family::AppleTerminal,
        ] {
            assert_eq!(
                start_sequence(f, BidiMode::Reorder),
                "",
                "nothing speculative for {f:?}"
            );
            assert_eq!(exit_sequence(f, BidiMode::Reorder), "");
        }
        for f in [Family::Bdsm, Family::Konsole, Family::Mlterm] {
            assert_eq!(
                start_sequence(f, BidiMode::Terminal),
                "",
                "terminal mode leaves the terminal's bidi on"
            );
        }
    }
}

#[cfg(test)]
mod probe_tests {
    use super::*;
    use std::collections::VecDeque;
    use std::io::ErrorKind;

    /// A terminal input that hands out `parts` one read at a time, then has nothing more
    /// (`WouldBlock`), like the real input before the deadline.
    struct Parts(VecDeque<Vec<u8>>);

    impl Read for Parts {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some(mut part) = self.0.pop_front() else {
                return Err(ErrorKind::WouldBlock.into());
            };
            let n = part.len().min(buf.len());
            buf[..n].copy_from_slice(&part[..n]);
            if n < part.len() {
                self.0.push_front(part.split_off(n));
            }
            Ok(n)
        }
    }

    fn probe(parts: &[&[u8]], within: Duration) -> (ProbeReply, Vec<u8>, Duration) {
        // (A read of 0 bytes is the end of input, so empty parts are left out.)
        let mut input = Parts(
            parts
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| p.to_vec())
                .collect(),
        );
        let mut out = Vec::new();
        let t = Instant::now();
        let reply = probe_on(&mut input, &mut out, t + within);
        (reply, out, t.elapsed())
    }

    const DA1: &[u8] = b"\x1b[?65;1;9c";

    #[test]
    fn bdsm_set_or_reset_is_switchable() {
        for (answer, status) in [(&b"\x1b[8;1$y"[..], 1), (&b"\x1b[8;2$y"[..], 2)] {
            let reply = parse_probe_reply(&[answer, DA1].concat());
            assert_eq!(
                reply,
                ProbeReply {
                    bdsm: Some(status),
                    done: true
                }
            );
            assert!(reply.bdsm_switchable());
        }
    }

    #[test]
    fn bdsm_unknown_or_permanent_is_not_switchable() {
        for (answer, status) in [
            (&b"\x1b[8;0$y"[..], 0),
            (&b"\x1b[8;3$y"[..], 3),
            (&b"\x1b[8;4$y"[..], 4),
        ] {
            let reply = parse_probe_reply(&[answer, DA1].concat());
            assert_eq!(reply.bdsm, Some(status));
            assert!(reply.done);
            assert!(!reply.bdsm_switchable());
        }
    }

    #[test]
    fn da1_only_means_no_decrqm() {
        let reply = parse_probe_reply(b"\x1b[?1;2c");
        assert_eq!(
            reply,
            ProbeReply {
                bdsm: None,
                done: true
            }
        );
        assert!(!reply.bdsm_switchable());
    }

    #[test]
    fn nothing_is_a_timeout_within_the_deadline() {
        let (reply, out, took) = probe(&[], Duration::from_millis(30));
        assert_eq!(out, PROBE_QUERY, "DECRQM for mode 8, then DA1");
        assert_eq!(out, b"\x1b[8$p\x1b[c");
        assert_eq!(reply, ProbeReply::default());
        assert!(took >= Duration::from_millis(30), "{took:?}");
        assert!(took < Duration::from_millis(500), "{took:?}");
        assert_eq!(parse_probe_reply(b""), ProbeReply::default());
    }

    #[test]
    fn the_probe_stops_at_da1_without_waiting_for_the_deadline() {
        let (reply, _, took) = probe(&[b"\x1b[8;2$y\x1b[?62c"], Duration::from_secs(5));
        assert!(reply.done && reply.bdsm_switchable());
        assert!(took < Duration::from_secs(1), "{took:?}");
    }

    #[test]
    fn replies_split_across_reads() {
        let whole = [&b"\x1b[8;1$y"[..], DA1].concat();
        // Every split point, and one byte per read.
        for cut in 0..=whole.len() {
            let (reply, _, _) = probe(&[&whole[..cut], &whole[cut..]], Duration::from_secs(5));
            assert_eq!(reply.bdsm, Some(1), "cut at {cut}");
            assert!(reply.done);
        }
        let bytes: Vec<&[u8]> = whole.chunks(1).collect();
        let (reply, _, _) = probe(&bytes, Duration::from_secs(5));
        assert!(reply.done && reply.bdsm_switchable());
        // A prefix is never complete, and never panics.
        for cut in 0..whole.len() {
            assert!(!parse_probe_reply(&whole[..cut]).done, "prefix {cut}");
        }
    }

    #[test]
    fn garbage_before_and_between_is_skipped() {
        let reply = parse_probe_reply(
            &[
                &b"q\x1b[A\x1b\x1b[1;5D\xd8\xa7"[..], // typed keys: q, Up, Esc, Ctrl+Left, alef
                b"\x1b[?8;1$y",                       // DEC private mode 8 (not asked for)
                b"\x1b[8;1;2$y",                      // malformed
                b"\x1b[8;2$y",
                b"x",
                b"\x1b[>1;10;0c", // DA2, not DA1
                b"\x1b[\x07",     // broken CSI
                DA1,
                b"\x1b[8;0$y", // after DA1: not read
            ]
            .concat(),
        );
        assert_eq!(
            reply,
            ProbeReply {
                bdsm: Some(2),
                done: true
            }
        );
        let (reply, _, _) = probe(
            &[b"zz\x1b[", b"B\x1b[8", b";0$", b"y\x1b[?6", b"2c"],
            Duration::from_secs(5),
        );
        assert_eq!(
            reply,
            ProbeReply {
                bdsm: Some(0),
                done: true
            }
        );
    }

    #[test]
    fn a_decrqm_reply_without_da1_still_counts_at_the_deadline() {
        let (reply, _, _) = probe(&[b"\x1b[8;2$y"], Duration::from_millis(20));
        assert_eq!(
            reply,
            ProbeReply {
                bdsm: Some(2),
                done: false
            }
        );
    }

    #[test]
    fn errors_and_end_of_input_end_the_probe() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(ErrorKind::Other.into())
            }
        }
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let far = Instant::now() + Duration::from_secs(5);
        let t = Instant::now();
        assert_eq!(
            probe_on(&mut Broken, &mut Vec::new(), far),
            ProbeReply::default()
        );
        assert_eq!(
            probe_on(&mut &b""[..], &mut Vec::new(), far),
            ProbeReply::default()
        );
        assert_eq!(
            probe_on(&mut &b"\x1b[8;1$y"[..], &mut Broken, far),
            ProbeReply::default(),
            "nothing is read when the query cannot be sent"
        );
        assert!(t.elapsed() < Duration::from_secs(1));
    }

    #[cfg(unix)]
    #[test]
    fn through_a_socket_pair_with_a_slow_terminal() {
        use std::os::unix::net::UnixStream;
        let Ok((mut ours, mut theirs)) = UnixStream::pair() else {
            return;
        };
        let _ = ours.set_read_timeout(Some(Duration::from_millis(5)));
        let terminal = std::thread::spawn(move || {
            let mut query = [0u8; PROBE_QUERY.len()];
            let _ = theirs.read_exact(&mut query);
            for part in [&b"\x1b[8;"[..], b"2$y\x1b[?", b"62;22c"] {
                std::thread::sleep(Duration::from_millis(10));
                let _ = theirs.write_all(part);
            }
            query
        });
        let mut writer = ours.try_clone().ok();
        let reply = match writer.as_mut() {
            Some(w) => probe_on(&mut ours, w, Instant::now() + Duration::from_secs(5)),
            None => return,
        };
        assert_eq!(
            terminal.join().ok().as_ref().map(|q| &q[..]),
            Some(PROBE_QUERY)
        );
        assert!(reply.done && reply.bdsm_switchable(), "{reply:?}");
    }

    /// Decide with a fake environment and fake answers; also says which questions were asked.
    fn decide(
        pairs: &'static [(&'static str, &'static str)],
        answers: Option<(ProbeReply, bool)>,
    ) -> (Family, usize, usize) {
        let env = move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        };
        let (reply, passthrough) = answers.unwrap_or_default();
        let (mut probes, mut tmux_asked) = (0, 0);
        let mut probe = || {
            probes += 1;
            reply
        };
        let mut tmux = || {
            tmux_asked += 1;
            passthrough
        };
        let family = decide_family(
            &env,
            answers.map(|_| Queries {
                probe: &mut probe,
                tmux_passthrough: &mut tmux,
            }),
        );
        (family, probes, tmux_asked)
    }

    const YES: ProbeReply = ProbeReply {
        bdsm: Some(2),
        done: true,
    };
    const NO: ProbeReply = ProbeReply {
        bdsm: Some(0),
        done: true,
    };

    #[test]
    fn tmux_and_screen_come_before_the_probe_which_comes_before_the_environment() {
        assert_eq!(
            decide(&[("TMUX", "/tmp/t")], Some((YES, true))),
            (Family::Multiplexer, 0, 0),
            "no outer terminal named: tmux is not even asked"
        );
        assert_eq!(
            decide(
                &[("STY", "1.pts"), ("VTE_VERSION", "7600")],
                Some((YES, true))
            ),
            (Family::Multiplexer, 0, 0),
            "no passthrough for screen"
        );
        assert_eq!(
            decide(&[("TERM", "xterm-256color")], Some((YES, false))),
            (Family::Bdsm, 1, 0)
        );
        assert_eq!(
            decide(&[("KONSOLE_VERSION", "230800")], Some((NO, false))).0,
            Family::Konsole
        );
        assert_eq!(
            decide(&[("TERM", "xterm")], Some((NO, false))).0,
            Family::Grid
        );
        assert_eq!(
            decide(&[("TERM_PROGRAM", "mintty")], Some((NO, false))).0,
            Family::Bdsm,
            "a negative probe falls through to the environment rules"
        );
        assert_eq!(
            decide(&[("TERM", "xterm"), ("TMUX", "/t")], None),
            (Family::Multiplexer, 0, 0)
        );
        assert_eq!(
            decide(&[("TERM", "xterm")], None),
            (Family::Grid, 0, 0),
            "nothing is asked outside auto"
        );
    }

    #[test]
    fn inside_tmux_with_passthrough_the_outer_terminal_is_switched_through_it() {
        let vte: &[(&str, &str)] = &[("TMUX", "/t"), ("VTE_VERSION", "7600")];
        assert_eq!(
            decide(vte, Some((YES, true))),
            (Family::TmuxPassthrough(Outer::Bdsm), 0, 1)
        );
        assert_eq!(decide(vte, Some((YES, false))), (Family::Multiplexer, 0, 1));
        assert_eq!(decide(vte, None), (Family::Multiplexer, 0, 0));
        assert_eq!(
            decide(
                &[("TMUX", "/t"), ("KONSOLE_VERSION", "230800")],
                Some((NO, true))
            )
            .0,
            Family::TmuxPassthrough(Outer::Konsole)
        );
        assert_eq!(
            decide(&[("TMUX", "/t"), ("TERM", "mlterm")], Some((NO, true))).0,
            Family::Multiplexer,
            "inside tmux TERM is tmux's, not the outer terminal's"
        );
        assert_eq!(
            decide(&[("TMUX", "/t"), ("MLTERM", "3.9")], Some((NO, true))).0,
            Family::TmuxPassthrough(Outer::Mlterm)
        );
        for outer in [
            &[("KITTY_WINDOW_ID", "1")][..],
            &[("TERM_PROGRAM", "WezTerm")],
            &[("TERM_PROGRAM", "Apple_Terminal")],
        ] {
            let env: Vec<(&str, &str)> = [("TMUX", "/t")]
                .into_iter()
                .chain(outer.iter().copied())
                .collect();
            let env: &'static [(&'static str, &'static str)] = env.leak();
            assert_eq!(decide(env, Some((YES, true))), (Family::Multiplexer, 0, 0));
        }
    }

    /// tmux's passthrough: `ESC P tmux;`, the sequence with every ESC doubled, `ESC \`.
    fn wrap(seq: &str) -> String {
        format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
    }

    #[test]
    fn passthrough_sequences_are_the_outer_ones_wrapped() {
        for (outer, family) in [
            (Outer::Bdsm, Family::Bdsm),
            (Outer::Konsole, Family::Konsole),
            (Outer::Mlterm, Family::Mlterm),
        ] {
            let m = BidiMode::Reorder;
            let t = Family::TmuxPassthrough(outer);
            assert_eq!(start_sequence(t, m), wrap(start_sequence(family, m)));
            assert_eq!(exit_sequence(t, m), wrap(exit_sequence(family, m)));
            assert_eq!(start_sequence(t, BidiMode::Terminal), "");
            assert_eq!(exit_sequence(t, BidiMode::Terminal), "");
        }
        assert_eq!(
            start_sequence(Family::TmuxPassthrough(Outer::Bdsm), BidiMode::Reorder).as_bytes(),
            b"\x1bPtmux;\x1b\x1b[8l\x1b\x1b[1 k\x1b\\"
        );
    }

    #[test]
    fn tmux_show_output() {
        assert!(passthrough_on(b"on\n"));
        assert!(passthrough_on(b"all\n"));
        assert!(!passthrough_on(b"off\n"));
        assert!(!passthrough_on(b""));
        assert!(!passthrough_on(b"\xff"));
        assert!(!passthrough_on(b"invalid option: allow-passthrough\n"));
    }
}

/// Whether the terminal is gone: standard input reports a hang-up or an error (its window was
/// closed, the ssh link dropped) although no SIGHUP came, as when another process leads the
/// session. Reading it would then return end-of-file at once, forever.
#[must_use]
pub fn hung_up() -> bool {
    #[cfg(unix)]
    return poll_hangup(0).unwrap_or(false);
    // Windows: a console that goes away sends its close event instead ([`watch_signals`]).
    #[cfg(not(unix))]
    false
}

/// Wait up to `timeout_ms` (-1: for ever) for standard input to report a hang-up or an error;
/// only those are asked for, so input arriving does not end the wait.
#[cfg(unix)]
fn poll_hangup(timeout_ms: i32) -> std::io::Result<bool> {
    let mut pfd = libc::pollfd {
        fd: 0,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let r = unsafe { libc::poll(&raw mut pfd, 1, timeout_ms) };
    if r < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(r > 0 && pfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0)
}

#[cfg(test)]
mod held_tests {
    use super::*;

    #[test]
    fn errors_held_while_the_screen_is_ours_come_out_after() {
        hold_errors();
        print_error("first\n");
        print_error("second\n");
        let held = HELD.lock().ok().and_then(|g| g.clone());
        assert_eq!(held.as_deref(), Some("first\nsecond\n"));
        release_errors_after(|| {});
        assert!(HELD.lock().ok().is_some_and(|g| g.is_none()));
    }
}
