//! Nothing lost and nothing hidden at the edges, run on the real binary in tmux: a full disk
//! (tmpfs), read-only data and results folders (read-only bind mounts), a results share that
//! drops during the quiz (an unmounted tmpfs), two terminals on one attempt, and a kill within
//! a moment of an answer appearing on screen. Mounting needs root: without it (or when `mount`
//! fails) those tests say why and skip.

use crate::tmux::Tmux;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tipquiz")
}

/// A bank of `n` single-answer questions (the right answer is always the first choice, never
/// shuffled), so that a test can answer with `1` whatever question is drawn.
pub fn edge_bank(dir: &Path, n: usize) -> PathBuf {
    let mut s = String::from(
        "format = 1\nid = \"edge-bank\"\ntopic = \"edge\"\nlanguages = [\"en\"]\ntitle = \"Edge cases\"\n",
    );
    for i in 1..=n {
        s.push_str(&format!(
            "\n[[question]]\nid = \"edge-{i:03}\"\ntype = \"single\"\nprompt = \"Edge question number {i}: which choice is the right one?\"\nchoices = [\"First choice here\", \"Second choice here\", \"Third choice here\", \"Fourth choice here\"]\nanswer = \"a\"\nshuffle = false\nexplanation = \"The first choice is right in this test bank.\"\nsource = \"Test bank\"\n"
        ));
    }
    let p = dir.join("edge.toml");
    std::fs::write(&p, s).unwrap();
    p
}

fn root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Skip (with the reason printed) unless tmux is there and this runs as root.
fn skip_unless_root() -> bool {
    if crate::skip_without("tmux") {
        return true;
    }
    if !root() {
        eprintln!("skipping: mounting a tmpfs or a read-only bind mount needs root");
        return true;
    }
    false
}

/// A mount, unmounted (lazily) when dropped.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn run(cmd: &mut Command) -> bool {
    cmd.status().is_ok_and(|s| s.success())
}

/// A tmpfs of `size` at `dir`, or `None` (with the reason printed) when it cannot be mounted.
fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
    std::fs::create_dir_all(dir).unwrap();
    if run(Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir))
    {
        Some(Mount(dir.to_path_buf()))
    } else {
        eprintln!("skipping: cannot mount a tmpfs at {}", dir.display());
        None
    }
}

/// `dir` bound read-only onto itself, or `None` (with the reason printed).
fn read_only(dir: &Path) -> Option<Mount> {
    if !run(Command::new("mount").arg("--bind").arg(dir).arg(dir)) {
        eprintln!("skipping: cannot bind-mount {}", dir.display());
        return None;
    }
    let m = Mount(dir.to_path_buf());
    if run(Command::new("mount")
        .args(["-o", "remount,ro,bind"])
        .arg(dir))
    {
        Some(m)
    } else {
        eprintln!("skipping: cannot remount {} read-only", dir.display());
        None
    }
}

/// Fill the file system of `dir` until it is full.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write as _;
    let p = dir.join("filler");
    let mut f = std::fs::File::create(&p).unwrap();
    let block = vec![0u8; 4096];
    while f.write_all(&block).is_ok() {}
    let _ = f.sync_all();
    p
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default()
}

fn records(dir: &Path) -> Vec<tipquiz::record::AttemptRecord> {
    tipquiz::record::Store::new(dir)
        .load()
        .records
        .into_iter()
        .map(|r| r.1)
        .collect()
}

struct Run {
    data: PathBuf,
    results: PathBuf,
    tmp: Option<PathBuf>,
    bank: PathBuf,
}

impl Run {
    fn env(&self) -> String {
        let tmp = self
            .tmp
            .as_ref()
            .map(|t| format!(" TMPDIR={}", t.display()))
            .unwrap_or_default();
        format!(
            "env TIPQUIZ_DATA={} TIPQUIZ_RESULTS={}{tmp} TIPQUIZ_NO_CALIBRATION=1 LANG=C.UTF-8",
            self.data.display(),
            self.results.display(),
        )
    }

    /// Start a quiz of `n` questions for `trainee` in a tmux session of that name.
    fn take(&self, trainee: &str, n: usize) -> Tmux {
        let cmd = format!(
            "{} {} --bank {} --only-given-banks take --topic edge --count {n} --mode exam --trainee {trainee}; sleep 60",
            self.env(),
            bin(),
            self.bank.display()
        );
        Tmux::start(trainee, &cmd, 100, 30)
    }

    /// `tipquiz recover` with the same folders.
    fn recover(&self) -> std::process::Output {
        let mut c = Command::new(bin());
        c.env("TIPQUIZ_DATA", &self.data)
            .env("TIPQUIZ_RESULTS", &self.results)
            .args(["--bank"])
            .arg(&self.bank)
            .args(["--only-given-banks", "recover"]);
        if let Some(t) = &self.tmp {
            c.env("TMPDIR", t);
        }
        c.output().unwrap()
    }

    /// The last-resort folder of this run's data folder (in its TMPDIR).
    fn fallback(&self) -> PathBuf {
        let temp = self.tmp.clone().unwrap_or_else(std::env::temp_dir);
        tipquiz::record::fallback_dir(&self.data, &temp)
    }
}

/// Answer question `i` of `n` with the first choice and wait until the answer is on screen.
fn answer(t: &Tmux, i: usize, n: usize) {
    t.wait_for(&format!("Question {i} / {n}"));
    t.keys(&["1"]);
    t.wait_for("a) (•)");
}

fn answer_all_and_submit(t: &Tmux, n: usize) {
    for i in 1..=n {
        answer(t, i, n);
        if i < n {
            t.keys(&["Tab"]);
        }
    }
    t.keys(&["C-s"]);
    t.wait_for("Are you sure");
    t.keys(&["Enter"]);
}

fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A full disk: the data and results folders on a full tmpfs. The finished attempt is kept in
/// the last-resort folder, named on screen, and never called saved; once space is freed it is
/// recorded by the retry without a key. With the last-resort folder full as well, the screen
/// says it is in this window only, and the retry records it as soon as it can.
#[test]
fn a_full_disk_keeps_the_attempt_names_where_and_records_it_when_space_returns() {
    if skip_unless_root() {
        return;
    }
    for everything_full in [false, true] {
        let d = tempfile::tempdir().unwrap();
        let Some(_m) = tmpfs(&d.path().join("full"), "256k") else {
            return;
        };
        let full = d.path().join("full");
        let r = Run {
            data: full.join("data"),
            results: full.join("results"),
            tmp: Some(if everything_full {
                full.join("tmp")
            } else {
                d.path().join("tmp")
            }),
            bank: edge_bank(d.path(), 5),
        };
        for dir in [&r.data, &r.results, r.tmp.as_ref().unwrap()] {
            std::fs::create_dir_all(dir).unwrap();
        }
        let filler = fill(&full);
        let name = if everything_full {
            "tq-full-all"
        } else {
            "tq-full"
        };
        let t = r.take(name, 3);
        answer_all_and_submit(&t, 3);
        let screen = if everything_full {
            t.wait_for("NOT SAVED")
        } else {
            t.wait_for("kept on this computer in")
        };
        assert!(!screen.contains("Saved:"), "{screen}");
        assert!(screen.contains("No space left"), "{screen}");
        if everything_full {
            assert!(screen.contains("only in this window"), "{screen}");
        } else {
            let kept = json_files(&r.fallback().join("pending"));
            assert_eq!(kept.len(), 1, "kept in the last-resort folder");
            let shown = kept[0].file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                screen.replace(['\n', '│', ' '], "").contains(&shown),
                "the screen names the file: {screen}"
            );
        }
        assert!(records(&r.results).is_empty());
        // Space comes back: the retry records it, without a key.
        std::fs::remove_file(filler).unwrap();
        let screen = t.wait_for("Saved:");
        assert!(!screen.contains("NOT SAVED"), "{screen}");
        let recs = records(&r.results);
        assert_eq!(recs.len(), 1);
        assert_eq!(
            recs[0]
                .questions
                .iter()
                .filter(|q| q.response.is_some())
                .count(),
            3
        );
        assert!(json_files(&r.fallback().join("pending")).is_empty());
        drop(t);
        let _ = std::fs::remove_dir_all(r.fallback());
    }
}

/// Read-only data and results folders (bind mounts): the answers are autosaved in the
/// last-resort folder, a kill -9 loses none of them and the next start resumes the same clock;
/// the finished attempt is kept there, and `tipquiz recover` records it once the folders can be
/// written again.
#[test]
fn read_only_folders_keep_answers_through_a_crash_and_recover_records_them() {
    if skip_unless_root() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let ro = d.path().join("ro");
    let r = Run {
        data: ro.join("data"),
        results: ro.join("results"),
        tmp: Some(d.path().join("tmp")),
        bank: edge_bank(d.path(), 5),
    };
    for dir in [&r.data, &r.results, r.tmp.as_ref().unwrap()] {
        std::fs::create_dir_all(dir).unwrap();
    }
    let Some(m) = read_only(&ro) else {
        return;
    };
    let t = r.take("tq-ro", 4);
    answer(&t, 1, 4);
    t.keys(&["Tab"]);
    answer(&t, 2, 4);
    let screen = t.screen();
    assert!(
        screen.contains("not in the data"),
        "the trainee is told where the answers go: {screen}"
    );
    // Killed the moment the second answer is on screen.
    let pid = crate::tmux::pid_of("tq-ro", &r.data);
    assert!(!pid.is_empty());
    Command::new("kill").args(["-9", &pid]).status().unwrap();
    drop(t);
    let saved = tipquiz::record::Store::new(r.fallback().join("autosave")).all_autosaves();
    assert_eq!(saved.len(), 1, "autosaved in the last-resort folder");
    let started = saved[0].1.started_at;
    assert_eq!(
        saved[0]
            .1
            .slots
            .iter()
            .filter(|s| s.response.is_some())
            .count(),
        2
    );
    // The next start offers the same attempt, with its clock.
    let t = r.take("tq-ro", 4);
    t.wait_for("Resume");
    t.keys(&["Enter"]);
    t.wait_for("Question 2 / 4");
    t.keys(&["Tab"]);
    answer(&t, 3, 4);
    t.keys(&["Tab"]);
    answer(&t, 4, 4);
    t.keys(&["C-s"]);
    t.wait_for("Are you sure");
    t.keys(&["Enter"]);
    let screen = t.wait_for("kept on this computer in");
    assert!(!screen.contains("Saved:"), "{screen}");
    t.keys(&["q"]);
    drop(t);
    assert!(records(&r.results).is_empty());
    // The folders can be written again: recover records it.
    drop(m);
    let out = r.recover();
    assert!(out.status.success(), "{out:?}");
    let recs = records(&r.results);
    assert_eq!(recs.len(), 1, "{out:?}");
    assert_eq!(recs[0].started_at, started, "the same clock");
    assert_eq!(
        recs[0]
            .questions
            .iter()
            .filter(|q| q.response.is_some())
            .count(),
        4
    );
    assert!(json_files(&r.fallback().join("pending")).is_empty());
    let _ = std::fs::remove_dir_all(r.fallback());
}

/// A results share that drops during the quiz: as a mount point (the empty local folder is left
/// below it) and as a folder inside the share (the path is gone). Nothing is written to the
/// local disk in its place and the folder is not made again; the attempt is kept pending with
/// the reason on screen, and recorded when the share is back (by the retry, or by `recover`).
#[test]
fn a_results_share_that_drops_mid_quiz_keeps_the_attempt_pending_and_hides_nothing() {
    if skip_unless_root() {
        return;
    }
    // The share is mounted on the results folder itself.
    let d = tempfile::tempdir().unwrap();
    let share = d.path().join("share");
    let Some(m) = tmpfs(&share, "4m") else {
        return;
    };
    let r = Run {
        data: d.path().join("data"),
        results: share.clone(),
        tmp: Some(d.path().join("tmp")),
        bank: edge_bank(d.path(), 5),
    };
    std::fs::create_dir_all(r.tmp.as_ref().unwrap()).unwrap();
    let t = r.take("tq-drop", 3);
    answer(&t, 1, 3);
    drop(m); // the share drops
    wait_until("unmounted", || {
        tipquiz::tui::host::folder_id(&share).is_some_and(|f| !f.mounted)
    });
    t.keys(&["Tab"]);
    answer(&t, 2, 3);
    t.keys(&["Tab"]);
    answer(&t, 3, 3);
    t.keys(&["C-s"]);
    t.wait_for("Are you sure");
    t.keys(&["Enter"]);
    let screen = t.wait_for("is not the folder");
    assert!(!screen.contains("Saved:"), "{screen}");
    assert!(screen.contains("kept on this computer in"), "{screen}");
    assert!(
        json_files(&share).is_empty(),
        "nothing written to the local folder below the mount point"
    );
    assert_eq!(json_files(&r.data.join("pending")).len(), 1);
    // The share comes back: the retry records it there.
    let Some(_m) = tmpfs(&share, "4m") else {
        return;
    };
    t.wait_for("Saved:");
    assert_eq!(records(&share).len(), 1);
    assert!(json_files(&r.data.join("pending")).is_empty());
    drop(t);

    // The results folder is inside the share.
    let d = tempfile::tempdir().unwrap();
    let share = d.path().join("share");
    let Some(m) = tmpfs(&share, "4m") else {
        return;
    };
    let r = Run {
        data: d.path().join("data"),
        results: share.join("class-7"),
        tmp: Some(d.path().join("tmp")),
        bank: edge_bank(d.path(), 5),
    };
    std::fs::create_dir_all(r.tmp.as_ref().unwrap()).unwrap();
    let t = r.take("tq-drop-in", 3);
    answer(&t, 1, 3);
    assert!(r.results.is_dir(), "made when the quiz starts");
    drop(m);
    wait_until("unmounted", || !r.results.exists());
    t.keys(&["Tab"]);
    answer(&t, 2, 3);
    t.keys(&["Tab"]);
    answer(&t, 3, 3);
    t.keys(&["C-s"]);
    t.wait_for("Are you sure");
    t.keys(&["Enter"]);
    let screen = t.wait_for("it is not made again here");
    assert!(!screen.contains("Saved:"), "{screen}");
    std::thread::sleep(Duration::from_millis(5_500)); // one retry passes
    assert!(!r.results.exists(), "the results folder is not made again");
    t.keys(&["q"]);
    drop(t);
    let Some(_m) = tmpfs(&share, "4m") else {
        return;
    };
    std::fs::create_dir(&r.results).unwrap();
    let out = r.recover();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(records(&r.results).len(), 1);
}

/// Two terminals on one attempt: the second is refused with a clear message while the first
/// runs; the first records its attempt; nothing is left for `recover` to fail on. The lock dies
/// with its process: after a kill -9 the attempt can be resumed at once.
#[test]
fn a_second_terminal_on_the_same_attempt_is_refused_and_the_lock_dies_with_its_process() {
    if crate::skip_without("tmux") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let r = Run {
        data: d.path().join("data"),
        results: d.path().join("results"),
        tmp: Some(d.path().join("tmp")),
        bank: edge_bank(d.path(), 5),
    };
    std::fs::create_dir_all(r.tmp.as_ref().unwrap()).unwrap();
    let a = r.take("tq-two", 3);
    answer(&a, 1, 3);
    // The same trainee and exam in a second terminal.
    let cmd = format!(
        "{} {} --bank {} --only-given-banks take --topic edge --count 3 --mode exam --trainee tq-two; sleep 60",
        r.env(),
        bin(),
        r.bank.display()
    );
    let b = Tmux::start("tq-two-b", &cmd, 100, 30);
    let screen = b.wait_for("open in another window");
    assert!(!screen.contains("Question 1 / 3"), "{screen}");
    // In Arabic too.
    let cmd_ar = cmd.replace(" take ", " --lang ar --bidi terminal take ");
    let c = Tmux::start("tq-two-c", &cmd_ar, 100, 30);
    c.wait_for("مفتوحة في نافذة أخرى");
    drop(c);
    drop(b);
    a.keys(&["Tab"]);
    answer(&a, 2, 3);
    a.keys(&["Tab"]);
    answer(&a, 3, 3);
    a.keys(&["C-s"]);
    a.wait_for("Are you sure");
    a.keys(&["Enter"]);
    a.wait_for("Saved:");
    drop(a);
    wait_until("the first terminal's program ended", || {
        crate::tmux::pid_of("tq-two", &r.data).is_empty()
    });
    assert_eq!(records(&r.results).len(), 1);
    let out = r.recover();
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 attempt(s) saved, 0 still waiting"),
        "{out:?}"
    );
    // A killed process holds nothing.
    let t = r.take("tq-two", 3);
    answer(&t, 1, 3);
    let pid = crate::tmux::pid_of("tq-two", &r.data);
    Command::new("kill").args(["-9", &pid]).status().unwrap();
    drop(t);
    wait_until("killed", || {
        crate::tmux::pid_of("tq-two", &r.data).is_empty()
    });
    let t = r.take("tq-two", 3);
    t.wait_for("Resume");
}

/// The program on a pseudo-terminal of 80x24 whose screen is kept by a terminal emulator
/// (vt100), so that a test can act the moment something appears on it.
struct OnPty {
    master: std::fs::File,
    child: std::process::Child,
    screen: vt100::Parser,
}

impl OnPty {
    fn start(r: &Run, trainee: &str, n: usize) -> OnPty {
        use std::process::Stdio;
        let (master, slave) = crate::hangup::open_pty();
        let child = Command::new(bin())
            .args(["--bank"])
            .arg(&r.bank)
            .args([
                "--only-given-banks",
                "take",
                "--topic",
                "edge",
                "--count",
                &n.to_string(),
                "--mode",
                "exam",
                "--time",
                "30m",
                "--trainee",
                trainee,
                "--lang",
                "en",
                "--bidi",
                "reorder",
            ])
            .env("TIPQUIZ_DATA", &r.data)
            .env("TIPQUIZ_RESULTS", &r.results)
            .env("TIPQUIZ_NO_CALIBRATION", "1")
            .env("TERM", "xterm")
            .env_remove("TMUX")
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        drop(slave);
        OnPty {
            master,
            child,
            screen: vt100::Parser::new(
                std::num::NonZero::new(24).unwrap(),
                std::num::NonZero::new(80).unwrap(),
                0,
            ),
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        use std::io::Write as _;
        self.master.write_all(bytes).unwrap();
    }

    /// Read what the program draws until `done` holds for the screen; then return at once.
    fn until(&mut self, what: &str, done: impl Fn(&str) -> bool) -> String {
        use std::io::{Read as _, Write as _};
        use std::os::fd::AsRawFd as _;
        let start = Instant::now();
        let mut buf = [0u8; 65536];
        loop {
            let s = self.screen.screen().contents();
            if done(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}; screen:\n{s}"
            );
            let mut pfd = libc::pollfd {
                fd: self.master.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            if unsafe { libc::poll(&raw mut pfd, 1, 50) } <= 0 {
                continue;
            }
            let Ok(n) = self.master.read(&mut buf) else {
                continue;
            };
            self.screen.process(&buf[..n]);
            for (ask, reply) in [
                (&b"\x1b[6n"[..], &b"\x1b[1;1R"[..]),
                (&b"\x1b[8$p"[..], &b"\x1b[8;0$y"[..]),
                (&b"\x1b[c"[..], &b"\x1b[?62;22c"[..]),
            ] {
                if buf[..n].windows(ask.len()).any(|w| w == ask) {
                    let _ = self.master.write_all(reply);
                }
            }
        }
    }

    fn kill9(mut self) {
        // SAFETY: a signal to our own child, by its pid.
        unsafe {
            libc::kill(i32::try_from(self.child.id()).unwrap(), libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

/// The moment an answer is on screen it is saved: 100 kill -9s, each the instant an answer
/// appears (read from the terminal's own output), and after each the autosave holds every
/// answer that had been shown. Answers are given with `1` on a bank of single-answer questions,
/// so the question types cannot get in the way.
#[test]
fn a_hundred_kills_the_instant_an_answer_appears_lose_no_answer_shown() {
    let d = tempfile::tempdir().unwrap();
    let r = Run {
        data: d.path().join("data"),
        results: d.path().join("results"),
        tmp: None,
        bank: edge_bank(d.path(), 30),
    };
    let n = 20;
    let (mut kills, mut shown_total, mut attempt) = (0, 0, 0);
    let mut shown = 0; // answers shown in the current attempt
    while kills < 100 {
        let trainee = format!("kill{attempt}");
        let mut p = OnPty::start(&r, &trainee, n);
        let screen = p.until("the question or the resume offer", |s| {
            s.contains("Resume") || s.contains(&format!("Question 1 / {n}"))
        });
        if screen.contains("Resume") && !screen.contains("Question") {
            p.send(b"\r");
        }
        p.until("the question screen", |s| {
            s.contains(&format!("/ {n}")) && !s.contains("Resume")
        });
        // One or two answers, then the kill, the instant the last one is drawn.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos() as usize;
        for k in 0..(1 + now % 2) {
            if shown > 0 || k > 0 {
                // To the first unanswered question.
                let next = shown + 1;
                p.send(format!("#{next}\r").as_bytes());
                p.until("the next question", |s| {
                    s.contains(&format!("Question {next} / {n}"))
                });
            }
            p.send(b"1");
            let s = p.until("the answer on screen", |s| s.contains("a) (•)"));
            if !s.contains("Saving is slow") {
                shown += 1;
            }
        }
        p.kill9();
        kills += 1;
        let saved = tipquiz::record::Store::new(r.data.join("autosave"))
            .load_autosave("quick-edge", &trainee)
            .expect("an autosave");
        let kept = saved.slots.iter().filter(|s| s.response.is_some()).count();
        assert!(
            kept >= shown,
            "kill {kills}: {shown} answers were on screen, {kept} saved"
        );
        shown = kept;
        if shown + 2 > n {
            shown_total += shown;
            attempt += 1;
            shown = 0;
        }
    }
    shown_total += shown;
    eprintln!("kill test: {kills} kills, {shown_total} answers shown, 0 lost");
}

/// Run `cmd` as the user `uid` (group `gid`, no other groups), with `setpriv`.
fn as_user(uid: u32, gid: u32, program: &Path) -> Command {
    let mut c = Command::new("setpriv");
    c.arg(format!("--reuid={uid}"))
        .arg(format!("--regid={gid}"))
        .arg("--clear-groups")
        .arg(program);
    c
}

fn chown(p: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(p, Some(uid), Some(gid)).unwrap();
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

/// One trainee's quiz of two questions on a pseudo-terminal, run as `uid`, to the end.
fn quiz_as(uid: u32, gid: u32, program: &Path, r: &Run, trainee: &str) -> OnPty {
    use std::process::Stdio;
    let (master, slave) = crate::hangup::open_pty();
    let child = as_user(uid, gid, program)
        .args(["--bank"])
        .arg(&r.bank)
        .args([
            "--only-given-banks",
            "take",
            "--topic",
            "edge",
            "--count",
            "2",
            "--mode",
            "exam",
            "--trainee",
            trainee,
            "--lang",
            "en",
        ])
        .env("HOME", &r.data)
        .env("TIPQUIZ_DATA", &r.data)
        .env("TIPQUIZ_RESULTS", &r.results)
        .env("TIPQUIZ_NO_CALIBRATION", "1")
        .env("TIPQUIZ_NO_CACHE", "1")
        .env("TERM", "xterm")
        .env_remove("TMUX")
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(slave);
    let mut p = OnPty {
        master,
        child,
        screen: vt100::Parser::new(
            std::num::NonZero::new(24).unwrap(),
            std::num::NonZero::new(80).unwrap(),
            0,
        ),
    };
    p.until("question 1", |s| s.contains("Question 1 / 2"));
    p.send(b"1");
    p.until("answer 1", |s| s.contains("a) (•)"));
    p
}

fn finish(p: &mut OnPty) {
    p.send(b"\t");
    p.until("question 2", |s| s.contains("Question 2 / 2"));
    p.send(b"1");
    p.until("answer 2", |s| s.contains("a) (•)"));
    p.send(b"\x13");
    p.until("the confirmation", |s| s.contains("Are you sure"));
    p.send(b"\r");
    p.until("saved", |s| s.contains("Saved:"));
}

/// A shared class folder, one account per trainee (real user ids, run with `setpriv`): the
/// instructor's account reads every record and the report counts every trainee; the first
/// trainee's progress folder does not lock the others out; a trainee cannot read another's
/// record. The class folder is set up as the README says (set-group-ID and sticky, the
/// instructors' group). In a plain folder records stay readable by their writer only.
#[test]
fn a_shared_class_folder_with_one_account_per_trainee() {
    if !root() {
        eprintln!("skipping: running the program as other users needs root");
        return;
    }
    if Command::new("setpriv").arg("--help").output().is_err() {
        eprintln!("skipping: setpriv (util-linux) is not installed");
        return;
    }
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let (instructor, staff) = (61_001, 61_100);
    let (t1, t2, trainees) = (61_002, 61_003, 61_200);
    let d = tempfile::tempdir().unwrap();
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // The program, where the other users can run it.
    let mut program = PathBuf::from(bin());
    if !as_user(t1, trainees, &program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let copy = d.path().join("tipquiz");
        std::fs::copy(&program, &copy).unwrap();
        program = copy;
    }
    let bank = edge_bank(d.path(), 4);
    std::fs::set_permissions(&bank, std::fs::Permissions::from_mode(0o644)).unwrap();
    // The class folder, as the instructor sets it up.
    let class = d.path().join("class");
    std::fs::create_dir(&class).unwrap();
    chown(&class, instructor, staff);
    std::fs::set_permissions(&class, std::fs::Permissions::from_mode(0o3773)).unwrap();
    let home = |uid: u32| {
        let h = d.path().join(format!("home-{uid}"));
        std::fs::create_dir(&h).unwrap();
        chown(&h, uid, trainees);
        h
    };
    let run_of = |uid: u32| Run {
        data: home(uid),
        results: class.clone(),
        tmp: None,
        bank: bank.clone(),
    };
    let (r1, r2) = (run_of(t1), run_of(t2));
    // The first trainee starts (and makes the progress folder, on the board's worker: it may
    // come just after the first question), the second joins meanwhile.
    let mut p1 = quiz_as(t1, trainees, &program, &r1, "Trainee One");
    let progress = class.join(".progress");
    wait_until("the first trainee's progress folder", || progress.is_dir());
    let mut p2 = quiz_as(t2, trainees, &program, &r2, "Trainee Two");
    let theirs = |uid: u32| {
        std::fs::read_dir(&progress)
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| e.metadata().is_ok_and(|m| m.uid() == uid))
    };
    wait_until("the second trainee's progress file", || theirs(t2));
    assert_eq!(
        mode(&progress) & 0o1773,
        0o1773,
        "the progress folder takes the class folder's permissions: {:o}",
        mode(&progress)
    );
    finish(&mut p1);
    finish(&mut p2);
    p1.kill9();
    p2.kill9();
    let files = json_files(&class);
    assert_eq!(files.len(), 2, "{files:?}");
    for f in &files {
        let m = std::fs::metadata(f).unwrap();
        assert_eq!(m.gid(), staff, "the class folder's group");
        assert_eq!(m.mode() & 0o777, 0o640, "{}", f.display());
    }
    // A trainee cannot read the other's record.
    let of_t1 = files
        .iter()
        .find(|f| std::fs::metadata(f).unwrap().uid() == t1)
        .unwrap();
    let mut cat = Command::new("setpriv");
    cat.args([
        &format!("--reuid={t2}"),
        &format!("--regid={trainees}"),
        "--clear-groups",
        "cat",
    ])
    .arg(of_t1);
    assert!(!cat.output().unwrap().status.success());
    // The instructor's account reads them all.
    let out = as_user(instructor, staff, &program)
        .args(["--bank"])
        .arg(&bank)
        .args(["--only-given-banks", "--lang", "en", "report", "--results"])
        .arg(&class)
        .env("HOME", d.path())
        .env("TIPQUIZ_NO_CACHE", "1")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("Trainees: 2,")
            && report.contains("Trainee One")
            && report.contains("Trainee Two"),
        "{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A plain folder (no set-group-ID bit): records are the writer's alone.
    let plain = d.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let r3 = Run {
        data: home(61_004),
        results: plain.clone(),
        tmp: None,
        bank: bank.clone(),
    };
    let mut p3 = quiz_as(61_004, trainees, &program, &r3, "Trainee Three");
    finish(&mut p3);
    p3.kill9();
    let files = json_files(&plain);
    assert_eq!(files.len(), 1);
    assert_eq!(mode(&files[0]) & 0o777, 0o600);
}

/// A record whose trainee name carries escape sequences (a title change, a screen clear, a
/// colour; such a name is refused at every entry point, but a file can be written by hand):
/// `export`, `export --responses` and `report --format csv` print to a terminal without
/// passing them on: the title stays, the screen is not cleared.
#[test]
fn exports_and_the_csv_report_print_no_escape_sequence_from_a_name() {
    if crate::skip_without("tmux") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    let lib = tipquiz::bank::Library::build(vec![
        tipquiz::bank::parse_bank(
            "every-type.toml",
            include_str!("../fixtures/valid/every-type.toml"),
        )
        .0
        .unwrap(),
    ])
    .0;
    let hostile = "Evil\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{1b}[31mRed\u{9b}2J";
    let s = crate::records::finished(&lib, hostile, 1_800_000_000_000, 3);
    let rec = tipquiz::record::AttemptRecord::from_session(
        &s,
        &tipquiz::record::attempt_id(&s.state),
        1_800_000_060_000,
        "tipquiz test",
    );
    tipquiz::record::Store::new(&results)
        .commit(&rec, None)
        .unwrap();
    let bank = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/every-type.toml");
    let tq = format!(
        "env TIPQUIZ_DATA={} {} --bank {} --lang en",
        d.path().join("data").display(),
        bin(),
        bank.display()
    );
    let r = results.display();
    let script = format!(
        "printf '\\033]0;KEEP\\007'; echo BEFORE; {tq} export --results {r}; {tq} export --responses --results {r}; {tq} report --format csv --results {r}; echo AFTER; sleep 30"
    );
    let t = Tmux::start("tq-escapes", &format!("sh -c \"{script}\""), 200, 50);
    t.wait_for("AFTER");
    // The whole output, with what scrolled away.
    let all = crate::tmux()
        .args(["capture-pane", "-p", "-S", "-500", "-t", "tq-escapes"])
        .output()
        .unwrap();
    let all = String::from_utf8_lossy(&all.stdout);
    let before = all.find("BEFORE").expect("the screen was cleared");
    assert!(
        all[before..].contains(r"Evil\u{1b}]0;PWNED\u{7}\u{1b}[2J"),
        "the name is shown escaped:\n{all}"
    );
    let title = crate::tmux()
        .args(["display", "-p", "-t", "tq-escapes", "#{pane_title}"])
        .output()
        .unwrap();
    let title = String::from_utf8_lossy(&title.stdout);
    assert!(!title.contains("PWNED"), "the title was changed: {title}");
}
