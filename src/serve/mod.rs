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
use crate::messages::{K, Msg};
use crate::record::Store;
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
    /// The units of the class file in the results folder, offered to every trainee.
    pub class_units: Vec<crate::units::ClassUnit>,
    /// Why the class file could not be used, if it could not (said on the console).
    pub class_units_problem: Option<Msg>,
    /// Test hook: stop (exit status [`paced::STOPPED_FOR_TEST`]) right after writing a
    /// podium's records, before the saved game is deleted, as a server killed there would.
    pub stop_after_records: bool,
}

#[cfg(test)]
impl Options {
    /// A server on a free port of 127.0.0.1 with class code 1234, its folder `srv` in `dir`,
    /// writing into `results`, its console in Arabic: what the unit tests start.
    pub(crate) fn for_test(dir: &std::path::Path, results: &std::path::Path) -> Options {
        Options {
            listen: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            code: Some("1234".into()),
            max_sessions: 5,
            idle: Duration::from_mins(1),
            dir: dir.join("srv"),
            results: results.to_path_buf(),
            lockout: Duration::from_secs(1),
            paced: false,
            lang: crate::text::Lang::Ar,
            stop_after_records: false,
            class_units: Vec::new(),
            class_units_problem: None,
        }
    }
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
    /// See [`Options::class_units`].
    pub class_units: Vec<crate::units::ClassUnit>,
    /// Syncs every session's autosave journal to the disk, off the sessions' threads (each
    /// journal line is written before the key's frame is drawn, as on a local terminal), and
    /// writes the live board's progress files.
    pub saver: crate::tui::host::Saver,
}

/// Why the server could not start; [`ServeError::message`] says it for the instructor.
#[derive(Debug)]
pub enum ServeError {
    /// A key file.
    Key(keys::KeyError),
    /// The class code given.
    Code(Msg),
    /// The port.
    Listen {
        /// The address.
        addr: SocketAddr,
        /// The reason.
        err: std::io::Error,
    },
    /// The runtime.
    Runtime(std::io::Error),
    /// The console's terminal.
    Console(std::io::Error),
    /// Paced play was asked for with more than one exam (the ids offered).
    PacedOneExam(Vec<String>),
    /// Paced play cannot run this exam.
    Paced {
        /// The exam's id.
        exam: String,
        /// Why.
        why: Msg,
    },
}

impl From<keys::KeyError> for ServeError {
    fn from(e: keys::KeyError) -> ServeError {
        ServeError::Key(e)
    }
}

impl ServeError {
    /// What went wrong and how to get out of it, in words (the operating system's reason as
    /// it gives it).
    #[must_use]
    pub fn message(&self) -> Msg {
        match self {
            ServeError::Key(e) => e.message(),
            ServeError::Code(why) => crate::msg!(ServeErrCode, why),
            ServeError::Listen { addr, err } => {
                crate::msg!(ServeErrListen, addr.to_string(), err.to_string())
            }
            ServeError::Runtime(e) => crate::msg!(ServeErrRuntime, e.to_string()),
            ServeError::Console(e) => crate::msg!(ServeErrConsole, e.to_string()),
            ServeError::PacedOneExam(ids) => crate::msg!(
                ServeErrPacedOne,
                crate::messages::join_list(ids.iter().map(Into::into))
            ),
            ServeError::Paced { exam, why } => crate::msg!(ServeErrPacedExam, exam, why),
        }
    }
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en())
    }
}

impl std::error::Error for ServeError {}

/// Set up the server: keys, code, context. Nothing is listening yet. Returns the context and
/// the notes for the instructor (a key created or tightened, attempts recorded at start).
///
/// # Errors
/// A key file cannot be created or read, or the code is not usable.
pub fn prepare(
    opts: &Options,
    lib: Arc<Library>,
    exams: Vec<ExamDef>,
) -> Result<(Ctx, Vec<Msg>), ServeError> {
    let mut notes = Vec::new();
    let mut podium = None;
    let paced =
        if opts.paced {
            let [exam] = exams.as_slice() else {
                return Err(ServeError::PacedOneExam(
                    exams.iter().map(|e| e.id.clone()).collect(),
                ));
            };
            let seed = rand::random();
            let now = crate::tui::host::now_ms();
            let started = paced::start_game(exam, &lib, &opts.dir, (seed, now, opts.lang))
                .map_err(|e| ServeError::Paced {
                    exam: exam.id.clone(),
                    why: e.message(),
                })?;
            // Said by the game in the server's language already.
            notes.extend(started.note.map(Msg::raw));
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
            notes.push(crate::msg!(ServeKeyTightened, k));
        }
        if created {
            notes.push(crate::msg!(
                ServeCreated,
                opts.dir.join(k).display().to_string()
            ));
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
        notes.push(Msg::raw(paced::record_podium(
            &places, &g, &opts.dir, now, opts.lang,
        )));
    }
    // Attempts finished but not recorded when the server last stopped are recorded now.
    // The server wrote them itself (with any time it gave): they keep their own rules.
    let done = crate::tui::host::recover(&places, &lib, &[], crate::tui::host::now_ms(), opts.lang);
    if !done.saved.is_empty() {
        notes.push(crate::msg!(ServeRecovered, done.saved.len()));
    }
    for f in done.set_aside {
        notes.push(crate::msg!(ServeSetAside, f));
    }
    for f in done.waiting {
        notes.push(crate::msg!(ServeNotRecorded, f));
    }
    if let Some(p) = &opts.class_units_problem {
        notes.push(p.clone());
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
        class_units: opts.class_units.clone(),
        saver: crate::tui::host::Saver::start(),
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

/// `m` for a front that lays its lines out right to left itself, in `lang`: when `lang` is
/// right to left, each value given as it is (a path, an id) escaped and in a first-strong
/// isolate, so that `/srv/results` keeps its leading `/` beside Arabic words, as the banner's
/// own values do. A sentence given whole (`K::Verbatim`) stays as it is.
fn isolated(m: &Msg, lang: crate::text::Lang) -> Msg {
    use crate::messages::Arg;
    if !lang.is_rtl() || m.key == K::Verbatim {
        return m.clone();
    }
    let args = m
        .args
        .iter()
        .map(|a| match a {
            Arg::Raw(v) => Arg::Raw(format!(
                "\u{2068}{}\u{2069}",
                crate::diag::escape_for_terminal(v)
            )),
            Arg::Msg(inner) => Arg::Msg(isolated(inner, lang)),
            Arg::Num(n) => Arg::Num(n.clone()),
        })
        .collect();
    Msg::new(m.key, args)
}

/// What the instructor reads at start, in the server's language: where trainees connect, the
/// code, the key's fingerprint, the results folder and the command that checks the records'
/// signatures. The title is the first line after the notes (the console draws its own); the
/// lines that scripts read keep their words in every language: `ssh -p PORT class@ADDRESS` and
/// `TIPQUIZ_KEY_FILE=...` (the last line).
///
/// `laid_out`: for a front that lays the lines out right to left itself (the console, an
/// Arabic terminal that does not reorder): the values (paths, commands, ids) escaped and each
/// in a first-strong isolate, so that a path keeps its leading `/` beside Arabic words. Else
/// the values are as they are (standard output piped, read by scripts).
#[must_use]
pub fn banner(ctx: &Ctx, opts: &Options, port: u16, notes: &[Msg], laid_out: bool) -> Vec<String> {
    let lang = opts.lang;
    let say = |m: Msg| m.render(lang);
    let value = |v: String| -> crate::messages::Arg {
        if laid_out && lang.is_rtl() {
            format!("\u{2068}{}\u{2069}", crate::diag::escape_for_terminal(&v)).into()
        } else {
            v.into()
        }
    };
    let mut s: Vec<String> = notes
        .iter()
        .map(|n| {
            let n = if laid_out {
                isolated(n, lang)
            } else {
                n.clone()
            };
            say(crate::msg!(ServeNote, n))
        })
        .collect();
    s.push(crate::messages::template(lang, K::ServeTitle).to_owned());
    if ctx.paced.is_some() {
        s.push(crate::messages::template(lang, K::ServePaced).to_owned());
    }
    let exams =
        crate::messages::join_list(ctx.exams.iter().map(|e| value(e.id.as_str().to_owned())));
    s.push(say(crate::msg!(ServeExams, exams)));
    for (i, a) in addresses(opts.listen).iter().enumerate() {
        let line = value(if port == 22 {
            format!("ssh class@{a}")
        } else {
            format!("ssh -p {port} class@{a}")
        });
        s.push(say(if i == 0 {
            crate::msg!(ServeTraineesType, line)
        } else {
            crate::msg!(ServeOr, line)
        }));
    }
    s.push(say(crate::msg!(
        ServeCode,
        value(ctx.code.as_str().to_owned())
    )));
    s.push(say(crate::msg!(
        ServeHostKey,
        value(keys::fingerprint(&ctx.host_key))
    )));
    let results = ctx.places.results.dir.display().to_string();
    s.push(say(crate::msg!(ServeResults, value(results.clone()))));
    s.push(say(crate::msg!(
        ServeSignatures,
        value(format!(
            "TIPQUIZ_KEY_FILE={} tipquiz report --results {results}",
            opts.dir.join(keys::RECORD_KEY_FILE).display()
        ))
    )));
    s
}

/// How the banner is printed: with the lines as they are ([`banner`] with `laid_out` false) and
/// as laid out by this program (`true`); the printer chooses.
pub type Print<'a> = &'a dyn Fn(&[String], &[String]);

/// Run the server until the process is stopped. The banner is printed with `print` (on
/// standard output, laid out for the terminal by the caller).
///
/// # Errors
/// The port cannot be listened on, or the runtime cannot start.
pub fn run(ctx: Ctx, opts: &Options, notes: &[Msg], print: Print<'_>) -> Result<(), ServeError> {
    // One network thread: it only moves bytes and runs the SSH cipher, while each session's
    // screens run on the session's own thread. A second worker was woken (and parked again)
    // for most frames sent, which cost more than the work it took over.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
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
    let lines = banner(&ctx, opts, port, notes, false);
    let laid = banner(&ctx, opts, port, notes, true);
    rt.spawn(ssh::serve(Arc::clone(&ctx), listener));
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stdin())
        && std::io::IsTerminal::is_terminal(&std::io::stdout());
    if interactive {
        // The console has its own title: the header is the rest of the banner.
        let title = crate::messages::template(opts.lang, K::ServeTitle);
        let header: Vec<String> = laid
            .iter()
            .filter(|l| l.as_str() != title)
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
            notes: notes
                .iter()
                .map(|n| isolated(n, opts.lang).render(opts.lang))
                .collect(),
        };
        let r = console::run(&ctx, &about, opts.lang);
        shutdown(&ctx);
        // The console is gone: what the instructor needs later is printed on the terminal.
        print(&lines, &laid);
        r.map_err(ServeError::Console)?;
    } else {
        print(&lines, &laid);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Lang;

    #[test]
    fn a_start_notes_path_is_isolated_for_an_arabic_console_and_left_alone_in_english() {
        let path = "/srv/tipquiz/host_ed25519";
        let note = crate::msg!(ServeCreated, path);
        let ar = isolated(&note, Lang::Ar).render(Lang::Ar);
        assert!(ar.contains(&format!("\u{2068}{path}\u{2069}")), "{ar:?}");
        // Only the value: the Arabic words around it stay outside the isolate.
        assert_eq!(ar.matches('\u{2068}').count(), 1, "{ar:?}");
        assert_eq!(
            isolated(&note, Lang::En).render(Lang::En),
            note.render(Lang::En)
        );
        // A sentence given whole is not wrapped.
        let whole = Msg::raw("سُجّلت 3 محاولات");
        assert_eq!(isolated(&whole, Lang::Ar), whole);
    }
}
