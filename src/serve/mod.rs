//! `tipquiz serve`: a whole class takes the quiz over SSH, with nothing installed on the
//! trainees' computers.
//!
//! The network side runs on russh and tokio, which stay inside this module: the core and the
//! screens are synchronous, and each session runs them on its own thread, fed by a channel of
//! key events and drawing into a writer that forwards each frame to its SSH channel.
//!
//! - [`keys`]: the host key and the record-signing key (created on first run, owner-only).
//! - [`access`]: the class code and failed attempts per address.
//! - [`class`]: who is connected and how far, for the instructor's console.
//! - [`input`]: SSH input bytes to key events; [`sink`]: frames to the channel.
//! - [`ssh`]: the russh handler; [`session`]: one trainee's screens; [`msg`]: what a session
//!   receives.
//! - [`control`]: more time, the end of the exam, records; [`console`]: the instructor's screen.
//! - [`paced`]: paced play (`--paced`): the game shared by every session, the trainee's loop.

pub mod access;
pub mod class;
pub mod console;
pub mod control;
pub mod input;
pub mod keys;
pub mod msg;
pub mod paced;
pub mod session;
pub mod sink;
pub mod ssh;

use crate::bank::Library;
use crate::exam::ExamDef;
use crate::record::Store;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What `serve` was asked for.
#[derive(Clone, Debug)]
pub struct Options {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// The class code given with `--code`.
    pub code: Option<String>,
    /// Sessions at once, at most.
    pub max_sessions: usize,
    /// A session with no key for this long is closed (its attempt saved).
    pub idle: Duration,
    /// The server's own folder (keys, autosaves).
    pub dir: PathBuf,
    /// The results folder.
    pub results: PathBuf,
    /// How long an address is refused after too many wrong codes.
    pub lockout: Duration,
    /// Paced play.
    pub paced: bool,
    /// The language of the instructor's console (the command line's).
    pub lang: crate::text::Lang,
    /// Test hook: stop (exit status [`paced::STOPPED_FOR_TEST`]) right after writing a
    /// podium's records, before the saved game is deleted, as a server killed there would.
    pub stop_after_records: bool,
}

/// What every session shares.
pub struct Ctx {
    /// Where sessions write (results, autosaves, pending records) and the key records are
    /// signed with, as the screens' host takes them.
    pub places: crate::tui::host::Places,
    /// The banks.
    pub lib: Arc<Library>,
    /// The exams offered.
    pub exams: Vec<ExamDef>,
    /// The host key.
    pub host_key: russh::keys::PrivateKey,
    /// The class code.
    pub code: access::ClassCode,
    /// Failed codes per address.
    pub limiter: Mutex<access::Limiter>,
    /// Sessions at once, at most.
    pub max_sessions: usize,
    /// Idle timeout.
    pub idle: Duration,
    /// Who is connected.
    pub class: Arc<class::Class>,
    /// The game, in paced play.
    pub paced: Option<paced::Game>,
    /// See [`Options::stop_after_records`].
    pub stop_after_records: bool,
}

/// Why the server could not start, in words for the instructor.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A key file.
    #[error(transparent)]
    Key(#[from] keys::KeyError),
    /// The class code given.
    #[error("--code: {0}")]
    Code(String),
    /// The port.
    #[error(
        "cannot listen on {addr}: {err} (another program may use this port: choose another with --port)"
    )]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// The reason.
        err: std::io::Error,
    },
    /// The runtime.
    #[error("cannot start the network threads: {0}")]
    Runtime(std::io::Error),
    /// The console's terminal.
    #[error("the instructor console cannot use this terminal: {0}")]
    Console(std::io::Error),
    /// Paced play cannot run this exam.
    #[error("--paced: {0}")]
    Paced(String),
}

/// Set up the server: keys, code, context. Nothing is listening yet.
///
/// # Errors
/// A key file cannot be created or read, or the code is not usable.
pub fn prepare(
    opts: &Options,
    lib: Arc<Library>,
    exams: Vec<ExamDef>,
) -> Result<(Ctx, Vec<String>), ServeError> {
    let mut notes = Vec::new();
    let mut podium = None;
    let paced = if opts.paced {
        let [exam] = exams.as_slice() else {
            return Err(ServeError::Paced(format!(
                "paced play runs one exam; give it with --exam (offered now: {})",
                exams
                    .iter()
                    .map(|e| e.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        let seed = rand::random();
        let now = crate::tui::host::now_ms();
        let started = paced::start_game(exam, &lib, &opts.dir, (seed, now, opts.lang))
            .map_err(|e| ServeError::Paced(format!("exam {}: {e}", exam.id)))?;
        notes.extend(started.note);
        podium = started.podium;
        Some(started.game)
    } else {
        None
    };
    let host = keys::host_key(&opts.dir)?;
    let rec = keys::record_key(&opts.dir)?;
    for (k, tightened, created) in [
        (keys::HOST_KEY_FILE, host.tightened, host.created),
        (keys::RECORD_KEY_FILE, rec.tightened, rec.created),
    ] {
        if tightened {
            notes.push(format!(
                "{k} could be read by other users of this computer; it is now readable by you only"
            ));
        }
        if created {
            notes.push(format!("created {}", opts.dir.join(k).display()));
        }
    }
    let code = match &opts.code {
        Some(c) => access::ClassCode::given(c).map_err(ServeError::Code)?,
        None => access::ClassCode::random(),
    };
    let places = crate::tui::host::Places {
        results: Store::new(&opts.results),
        results_explicit: true,
        autosaves: Store::new(opts.dir.join("autosave")),
        pending: Store::new(opts.dir.join("pending")),
        prefs: opts.dir.join("prefs.json"),
        program: format!("tipquiz {}", env!("CARGO_PKG_VERSION")),
        key: Some(rec.key),
    };
    // A paced game that was stopped while its podium's records were written: those missing
    // are written now.
    if let Some(g) = podium {
        let now = crate::tui::host::now_ms();
        notes.push(paced::record_podium(&places, &g, &opts.dir, now, opts.lang));
    }
    // Attempts finished but not recorded when the server last stopped are recorded now.
    // The server wrote them itself (with any time it gave): they keep their own rules.
    let done = crate::tui::host::recover(
        &places,
        &lib,
        &[],
        crate::tui::host::now_ms(),
        crate::text::Lang::En,
    );
    if !done.saved.is_empty() {
        notes.push(format!(
            "{} finished attempts recorded from the last run",
            done.saved.len()
        ));
    }
    for f in done.set_aside {
        notes.push(format!("set aside, not recorded: {f}"));
    }
    for f in done.waiting {
        notes.push(format!("not recorded (kept for the next start): {f}"));
    }
    let ctx = Ctx {
        places,
        lib,
        exams,
        host_key: host.key,
        code,
        limiter: Mutex::new(access::Limiter::new(ssh::MAX_FAILURES, opts.lockout)),
        max_sessions: opts.max_sessions,
        idle: opts.idle,
        class: Arc::new(class::Class::new()),
        paced,
        stop_after_records: opts.stop_after_records,
    };
    Ok((ctx, notes))
}

/// The addresses trainees can use: this computer's non-loopback IPv4 addresses when listening
/// on all of them, else the one listened on.
#[must_use]
pub fn addresses(listen: SocketAddr) -> Vec<String> {
    if !listen.ip().is_unspecified() {
        return vec![listen.ip().to_string()];
    }
    let mut out: Vec<String> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback() && i.ip().is_ipv4())
        .map(|i| i.ip().to_string())
        .collect();
    out.sort();
    out.dedup();
    if out.is_empty() {
        out.push("127.0.0.1".to_owned());
    }
    out
}

/// What the instructor reads at start: where trainees connect, the code, the key's fingerprint.
#[must_use]
pub fn banner(ctx: &Ctx, opts: &Options, port: u16, notes: &[String]) -> String {
    let mut s = String::new();
    for n in notes {
        s.push_str(&format!("note: {n}\n"));
    }
    s.push_str("tipquiz class server\n");
    if ctx.paced.is_some() {
        s.push_str("  paced play:     you open each question from the console\n");
    }
    let exams: Vec<&str> = ctx.exams.iter().map(|e| e.id.as_str()).collect();
    s.push_str(&format!("  exams offered:  {}\n", exams.join(", ")));
    s.push_str("  trainees type:  ");
    let addrs = addresses(opts.listen);
    for (i, a) in addrs.iter().enumerate() {
        if i > 0 {
            s.push_str("              or  ");
        }
        if port == 22 {
            s.push_str(&format!("ssh class@{a}\n"));
        } else {
            s.push_str(&format!("ssh -p {port} class@{a}\n"));
        }
    }
    s.push_str(&format!("  class code:     {}\n", ctx.code.as_str()));
    s.push_str(&format!(
        "  host key:       {}  (a trainee's computer shows this on the first connection)\n",
        keys::fingerprint(&ctx.host_key)
    ));
    s.push_str(&format!(
        "  results folder: {}\n",
        ctx.places.results.dir.display()
    ));
    s.push_str(&format!(
        "  signatures:     TIPQUIZ_KEY_FILE={} tipquiz report --results {}\n",
        opts.dir.join(keys::RECORD_KEY_FILE).display(),
        ctx.places.results.dir.display()
    ));
    s
}

/// Run the server until the process is stopped. Prints the banner on standard output.
///
/// # Errors
/// The port cannot be listened on, or the runtime cannot start.
pub fn run(ctx: Ctx, opts: &Options, notes: &[String]) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("net")
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let ctx = Arc::new(ctx);
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(opts.listen))
        .map_err(|err| ServeError::Listen {
            addr: opts.listen,
            err,
        })?;
    let port = listener
        .local_addr()
        .map_or(opts.listen.port(), |a| a.port());
    let text = banner(&ctx, opts, port, notes);
    rt.spawn(ssh::serve(Arc::clone(&ctx), listener));
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stdin())
        && std::io::IsTerminal::is_terminal(&std::io::stdout());
    if interactive {
        let header: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with("tipquiz class server"))
            .map(|l| l.trim_end().to_owned())
            .collect();
        let connect = addresses(opts.listen)
            .first()
            .map(|a| {
                if port == 22 {
                    format!("ssh class@{a}")
                } else {
                    format!("ssh -p {port} class@{a}")
                }
            })
            .unwrap_or_default();
        let about = console::About {
            connect,
            details: header,
            notes: notes.to_vec(),
        };
        let r = console::run(&ctx, &about, opts.lang);
        shutdown(&ctx);
        // The console is gone: what the instructor needs later is printed on the terminal.
        let _ = std::io::stdout().write_all(text.as_bytes());
        r.map_err(ServeError::Console)?;
    } else {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
        drop(out);
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
        }
        while !stop.load(std::sync::atomic::Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(200));
        }
        shutdown(&ctx);
    }
    drop(rt);
    Ok(())
}

/// Tell every session to save and close, and wait for them (a few seconds at most).
fn shutdown(ctx: &Ctx) {
    ctx.class.broadcast(msg::Control::Shutdown);
    let until = std::time::Instant::now() + Duration::from_secs(5);
    while ctx.class.live() > 0 && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
}
