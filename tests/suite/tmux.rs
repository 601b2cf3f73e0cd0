//! End-to-end runs of the real binary in tmux: a quiz answered with keys in English and Arabic,
//! the saved result, and the terminal restored after signals, Ctrl-C, Ctrl-Z/fg and a panic.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    name: String,
}

impl Tmux {
    pub fn start(name: &str, cmd: &str, w: u16, h: u16) -> Tmux {
        let _ = crate::tmux().args(["kill-session", "-t", name]).output();
        // Tried again a few times: the tmux server of this run exits when another test kills
        // the last session, and a session started at that moment fails.
        let mut tries = 0;
        loop {
            let ok = crate::tmux()
                .args([
                    "new-session",
                    "-d",
                    "-s",
                    name,
                    "-x",
                    &w.to_string(),
                    "-y",
                    &h.to_string(),
                    cmd,
                ])
                .status()
                .unwrap();
            tries += 1;
            if ok.success() {
                break;
            }
            assert!(tries < 5, "tmux new-session failed {tries} times");
            std::thread::sleep(Duration::from_millis(300));
        }
        Tmux {
            name: name.to_owned(),
        }
    }
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            crate::tmux()
                .args(["send-keys", "-t", &self.name, k])
                .status()
                .unwrap();
            std::thread::sleep(Duration::from_millis(60));
        }
    }
    pub fn literal(&self, text: &str) {
        crate::tmux()
            .args(["send-keys", "-t", &self.name, "-l", text])
            .status()
            .unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }
    pub fn screen(&self) -> String {
        let out = crate::tmux()
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {text:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = crate::tmux()
            .args(["kill-session", "-t", &self.name])
            .output();
    }
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tipquiz")
}

fn wait_file(p: &Path) -> String {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if let Ok(s) = std::fs::read_to_string(p)
            && s.contains("EXIT=")
        {
            return s;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{} never finished", p.display());
}

fn records(dir: &Path) -> Vec<tipquiz::record::AttemptRecord> {
    tipquiz::record::Store::new(dir)
        .load()
        .records
        .into_iter()
        .map(|r| r.1)
        .collect()
}

fn env_prefix(data: &Path, results: &Path) -> String {
    format!(
        "env TIPQUIZ_DATA={} TIPQUIZ_RESULTS={} LANG=C.UTF-8",
        data.display(),
        results.display()
    )
}

#[test]
fn a_trainee_answers_a_short_quiz_in_english_and_the_result_is_saved() {
    if crate::skip_without("tmux") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let (data, results) = (d.path().join("data"), d.path().join("results"));
    let cmd = format!(
        "{} {} take --topic indicators --count 3 --mode exam --trainee 'E2E One'",
        env_prefix(&data, &results),
        bin()
    );
    let t = Tmux::start("tq-e2e-en", &cmd, 100, 30);
    t.wait_for("Question 1 / 3");
    t.keys(&["1", "Tab"]);
    t.wait_for("Question 2 / 3");
    t.keys(&["2", "Tab"]);
    t.wait_for("Question 3 / 3");
    t.keys(&["1", "C-s"]);
    t.wait_for("Are you sure you want to submit?");
    t.keys(&["Enter"]);
    let s = t.wait_for("Saved:");
    assert!(s.contains("Score:") && s.contains("Percentage:"), "{s}");
    let recs = records(&results);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].trainee, "E2E One");
    assert_eq!(recs[0].questions.len(), 3);
    assert!(recs[0].checksum_ok());
    t.keys(&["q"]);
}

#[test]
fn an_arabic_quiz_shows_joined_letters_right_aligned_and_is_saved() {
    if crate::skip_without("tmux") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let (data, results) = (d.path().join("data"), d.path().join("results"));
    let cmd = format!(
        "{} {} --lang ar take --topic referral --count 2 --mode practice --trainee 'سارة'",
        env_prefix(&data, &results),
        bin()
    );
    let t = Tmux::start("tq-e2e-ar", &cmd, 100, 30);
    // First run in Arabic: the display check. "فحص العرض", shaped, in visual order.
    t.wait_for("F2");
    t.keys(&["1"]);
    // "السؤال 1 من 2", shaped and in visual order.
    let s = t.wait_for("\u{FEE6}\u{FEE3} 1 \u{FEDD}\u{FE8D}\u{FE86}\u{FEB4}\u{FEDF}\u{FE8D}");
    let first = s.lines().next().unwrap_or_default();
    assert!(
        first.trim_end().ends_with('\u{FE8D}') || first.contains("\u{FE8D}"),
        "{first}"
    );
    std::fs::write(std::env::temp_dir().join("tipquiz-arabic-question.txt"), &s).unwrap();
    t.keys(&["1"]);
    t.wait_for("\u{FEA1}\u{FEAE}\u{FEB8}\u{FEDF}\u{FE8D}"); // "الشرح" (explanation) in the feedback
    t.keys(&["Left"]);
    t.wait_for("2 \u{FEE6}\u{FEE3} 2");
    // Submit with Ctrl-S, confirm with the y key as the Arabic layout types it (غ).
    t.keys(&["C-s"]);
    t.literal("غ");
    t.wait_for("Enter");
    let mut tries = 0;
    while records(&results).is_empty() && tries < 50 {
        std::thread::sleep(Duration::from_millis(100));
        tries += 1;
    }
    let recs = records(&results);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].lang, tipquiz::text::Lang::Ar);
}

/// Run the quiz inside a shell that saves `stty -a` before and after, and the exit code.
fn guarded(name: &str, d: &Path, extra: &str) -> (Tmux, PathBuf) {
    let (data, results) = (d.join("data"), d.join("results"));
    let log = d.join("log.txt");
    let script = format!(
        "stty -a > {b}; {envs} {extra} {bin} take --topic indicators --count 3 --mode exam --trainee '{name}'; echo EXIT=$? >> {log}; stty -a > {a}; sleep 30",
        b = d.join("before.txt").display(),
        a = d.join("after.txt").display(),
        envs = env_prefix(&data, &results),
        bin = bin(),
        log = log.display(),
    );
    let t = Tmux::start(
        name,
        &format!(
            "sh -c \"{}\"",
            script.replace('"', "\\\"").replace('$', "\\$")
        ),
        100,
        30,
    );
    t.wait_for("Question 1 / 3");
    (t, log)
}

fn same_stty(d: &Path) {
    let start = Instant::now();
    while !d.join("after.txt").exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    let before = std::fs::read_to_string(d.join("before.txt")).unwrap();
    let after = std::fs::read_to_string(d.join("after.txt")).unwrap();
    assert_eq!(before, after, "terminal settings not restored");
}

/// The tipquiz process of `trainee` started by this test: its data folder (`TIPQUIZ_DATA`, a
/// fresh temporary folder per test) tells it from another run's process of the same name.
pub fn pid_of(trainee: &str, data: &Path) -> String {
    let out = Command::new("pgrep")
        .args(["-f", "--", &format!("--trainee {trainee}")])
        .output()
        .unwrap();
    let mark = format!("TIPQUIZ_DATA={}", data.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .rfind(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|kv| kv == mark.as_bytes()))
        })
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn signals_leave_the_terminal_as_it_was_and_exit_with_128_plus_the_signal() {
    if crate::skip_without("tmux") {
        return;
    }
    for (sig, code) in [("TERM", 143), ("HUP", 129), ("INT", 130), ("QUIT", 131)] {
        let d = tempfile::tempdir().unwrap();
        let name = format!("tq-sig-{}", sig.to_lowercase());
        let (t, log) = guarded(&name, d.path(), "");
        t.keys(&["1"]);
        std::thread::sleep(Duration::from_millis(300));
        let pid = pid_of(&name, &d.path().join("data"));
        assert!(!pid.is_empty());
        Command::new("kill")
            .args([&format!("-{sig}"), &pid])
            .status()
            .unwrap();
        let l = wait_file(&log);
        assert!(l.contains(&format!("EXIT={code}")), "{sig}: {l}");
        same_stty(d.path());
        let saved = tipquiz::record::Store::new(d.path().join("data/autosave")).all_autosaves();
        assert_eq!(saved.len(), 1, "{sig}: autosaved before leaving");
        assert!(
            saved[0].1.slots.iter().any(|s| s.response.is_some()),
            "{sig}: the answer was kept"
        );
    }
}

#[test]
fn ctrl_c_ctrl_z_fg_and_a_panic_leave_the_terminal_as_it_was() {
    if crate::skip_without("tmux") {
        return;
    }
    // Ctrl-C
    let d = tempfile::tempdir().unwrap();
    let (t, log) = guarded("tq-ctrl-c", d.path(), "");
    t.keys(&["C-c"]);
    assert!(wait_file(&log).contains("EXIT=0"));
    same_stty(d.path());
    drop(t);
    // Ctrl-Z, then fg from an interactive shell.
    let d = tempfile::tempdir().unwrap();
    let (data, results) = (d.path().join("data"), d.path().join("results"));
    let t = Tmux::start("tq-ctrl-z", "sh -i", 100, 30);
    std::thread::sleep(Duration::from_millis(300));
    t.literal(&format!("stty -a > {}/before.txt; {} {} take --topic indicators --count 3 --mode exam --trainee tq-ctrl-z", d.path().display(), env_prefix(&data, &results), bin()));
    t.keys(&["Enter"]);
    t.wait_for("Question 1 / 3");
    t.keys(&["C-z"]);
    std::thread::sleep(Duration::from_millis(500));
    t.literal(&format!("stty -a > {}/stopped.txt; fg", d.path().display()));
    t.keys(&["Enter"]);
    t.wait_for("Question 1 / 3");
    t.keys(&["C-c"]);
    std::thread::sleep(Duration::from_millis(500));
    t.literal(&format!("stty -a > {}/after.txt", d.path().display()));
    t.keys(&["Enter"]);
    same_stty(d.path());
    let stopped = std::fs::read_to_string(d.path().join("stopped.txt")).unwrap();
    assert_eq!(
        stopped,
        std::fs::read_to_string(d.path().join("before.txt")).unwrap(),
        "restored while stopped"
    );
    let saved = tipquiz::record::Store::new(data.join("autosave")).all_autosaves();
    assert_eq!(
        saved[0].1.pauses.len(),
        1,
        "the suspension is recorded in the attempt"
    );
    drop(t);
    // A panic.
    let d = tempfile::tempdir().unwrap();
    let (t, log) = guarded("tq-panic", d.path(), "TIPQUIZ_TEST_PANIC=1");
    t.keys(&["1"]);
    let l = wait_file(&log);
    assert!(l.contains("EXIT=101"), "{l}");
    same_stty(d.path());
    drop(t);
}

#[test]
fn kill_9_at_a_random_answer_then_resume_keeps_every_acknowledged_answer() {
    if crate::skip_without("tmux") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let (data, results) = (d.path().join("data"), d.path().join("results"));
    // A bank of single-answer questions: `1` answers whatever is drawn.
    let bank = crate::edges::edge_bank(d.path(), 10);
    let cmd = format!(
        "{} {} --bank {} --only-given-banks take --topic edge --count 6 --mode exam --trainee tq-kill9",
        env_prefix(&data, &results),
        bin(),
        bank.display()
    );
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let answered = 1 + (nanos as usize) % 5;
    let t = Tmux::start("tq-kill9", &cmd, 100, 30);
    for i in 0..answered {
        t.wait_for(&format!("Question {} / 6", i + 1));
        t.keys(&["1", "Tab"]);
    }
    t.wait_for(&format!("Question {} / 6", answered + 1));
    let pid = pid_of("tq-kill9", &data);
    Command::new("kill").args(["-9", &pid]).status().unwrap();
    // The killed process holds the attempt's lock until it is gone: on a loaded machine it can
    // take a moment to die, and a start before then is told the attempt is open elsewhere.
    let status = Path::new("/proc").join(&pid).join("status");
    let alive = || std::fs::read_to_string(&status).is_ok_and(|s| !s.contains("State:\tZ"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(t);
    let t = Tmux::start("tq-kill9b", &cmd, 100, 30);
    t.wait_for("Resume");
    t.keys(&["Enter"]);
    t.wait_for(&format!("Question {} / 6", answered + 1));
    t.keys(&["C-s"]);
    t.wait_for("Are you sure");
    t.keys(&["Enter"]);
    t.wait_for("Saved:");
    let r = &records(&results)[0];
    let kept = r.questions.iter().filter(|q| q.response.is_some()).count();
    assert_eq!(kept, answered, "every acknowledged answer survived kill -9");
}

#[test]
fn closing_the_terminal_ends_the_program_and_keeps_the_answers() {
    if crate::skip_without("tmux") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let (data, results) = (d.path().join("data"), d.path().join("results"));
    let cmd = format!(
        "{} {} take --topic indicators --count 3 --mode exam --trainee tq-closed",
        env_prefix(&data, &results),
        bin()
    );
    let t = Tmux::start("tq-closed", &cmd, 100, 30);
    t.wait_for("Question 1 / 3");
    t.keys(&["1"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!pid_of("tq-closed", &data).is_empty());
    drop(t); // kills the tmux session: the terminal disappears
    let start = Instant::now();
    while !pid_of("tq-closed", &data).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the program outlived its terminal"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let saved = tipquiz::record::Store::new(data.join("autosave")).all_autosaves();
    assert!(saved[0].1.slots.iter().any(|s| s.response.is_some()));
}

/// The digit style on the home screen: chosen there with the arrow keys in Arabic, it shows
/// the program's numbers in Arabic-Indic digits at once (the topic counts), then on the
/// question screen ("السؤال ١ من ٣"), and it is remembered for the trainee: the next run
/// starts with it.
#[test]
fn the_digit_style_is_chosen_on_the_home_screen_and_remembered() {
    if crate::skip_without("tmux") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let (data, results) = (d.path().join("data"), d.path().join("results"));
    let cmd = format!(
        "{} TIPQUIZ_NO_CALIBRATION=1 {} --lang ar --bidi reorder --shaping off",
        env_prefix(&data, &results),
        bin()
    );
    // Unshaped, in visual order: "شكل الأرقام" and the quiz's first question.
    let label: String = "شكل الأرقام".chars().rev().collect();
    let western = "< ١٢٣ / [123] >";
    let arabic = "< [١٢٣] / 123 >";
    {
        let t = Tmux::start("tq-digits-1", &cmd, 100, 30);
        let s = t.wait_for(&label);
        assert!(s.contains(western), "{s}");
        // Western digits: the only Arabic-Indic ones are the field's example.
        assert_eq!(s.matches('\u{0661}').count(), 1, "{s}");
        t.literal("خالد");
        t.keys(&["Down", "Down", "Right"]);
        let s = t.wait_for(arabic);
        // The counts of the topics, "(٥١)" and the like, are in Arabic-Indic digits now.
        assert!(s.contains("(\u{0665}") || s.contains("(\u{0666}"), "{s}");
        assert!(
            !s.lines().any(|l| l.contains("(5") || l.contains("(6")),
            "{s}"
        );
        t.keys(&["Up", "Up", "Up", "Up", "Up", "Up", "Up", "Up"]);
        t.keys(&["Enter"]);
        // "السؤال ١ من ١٠", unshaped and in visual order.
        let n_of = format!(
            "{} \u{0661} {}",
            "من".chars().rev().collect::<String>(),
            "السؤال".chars().rev().collect::<String>()
        );
        let s = t.wait_for(&n_of);
        assert!(s.contains('\u{0661}'), "{s}");
        t.keys(&["Escape"]);
        std::thread::sleep(Duration::from_millis(300));
        t.keys(&["y"]);
        std::thread::sleep(Duration::from_millis(500));
    }
    let prefs = std::fs::read_to_string(data.join("prefs.json")).unwrap_or_default();
    assert!(prefs.contains("arabic"), "remembered: {prefs}");
    let t = Tmux::start("tq-digits-2", &cmd, 100, 30);
    let s = t.wait_for(&label);
    assert!(s.contains(arabic), "the next run starts with it: {s}");
    assert!(s.contains("دلاخ") || s.contains("خالد"), "{s}");
}

/// Stopped from outside (`kill -TSTP`, as a job-control tool or another terminal would), then
/// `fg`: while stopped the shell has its terminal back (main screen, cursor, echo); after `fg`
/// the quiz is drawn again and keys work at once, without Enter.
#[test]
fn a_stop_from_outside_then_fg_gives_the_shell_its_terminal_and_brings_the_quiz_back() {
    if crate::skip_without("tmux") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let (data, results) = (d.path().join("data"), d.path().join("results"));
    let bank = crate::edges::edge_bank(d.path(), 5);
    let t = Tmux::start("tq-tstp", "sh -i", 100, 30);
    std::thread::sleep(Duration::from_millis(300));
    t.literal(&format!(
        "stty -a > {}/before.txt; {} {} --bank {} --only-given-banks take --topic edge --count 3 --mode exam --trainee tq-tstp",
        d.path().display(),
        env_prefix(&data, &results),
        bin(),
        bank.display()
    ));
    t.keys(&["Enter"]);
    t.wait_for("Question 1 / 3");
    let pid = pid_of("tq-tstp", &data);
    assert!(!pid.is_empty());
    Command::new("kill").args(["-TSTP", &pid]).status().unwrap();
    let start = Instant::now();
    while !std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rsplit(')')
            .next()
            .is_some_and(|r| r.trim_start().starts_with('T'))
    }) {
        assert!(start.elapsed() < Duration::from_secs(10), "not stopped");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    let stopped_screen = t.screen();
    assert!(
        !stopped_screen.contains("Question 1 / 3"),
        "the shell has its screen back while the quiz is stopped:\n{stopped_screen}"
    );
    t.literal(&format!("stty -a > {}/stopped.txt; fg", d.path().display()));
    t.keys(&["Enter"]);
    t.wait_for("Question 1 / 3");
    // A key works at once, without Enter.
    t.keys(&["1"]);
    t.wait_for("a) (•)");
    t.keys(&["C-c"]);
    std::thread::sleep(Duration::from_millis(500));
    t.literal(&format!("stty -a > {}/after.txt", d.path().display()));
    t.keys(&["Enter"]);
    same_stty(d.path());
    let stopped = std::fs::read_to_string(d.path().join("stopped.txt")).unwrap();
    assert_eq!(
        stopped,
        std::fs::read_to_string(d.path().join("before.txt")).unwrap(),
        "restored while stopped"
    );
}
