//! `tipquiz serve` end to end: the real server process on 127.0.0.1 (a port the system picks),
//! joined by the real OpenSSH client in tmux (sshpass types the class code) and by scripted
//! SSH clients (russh), with records read back from the server's results folder and `report`.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const CODE: &str = "314159";

/// A bank of five single-choice questions whose key is always a), in English and Arabic, and an
/// exam of all five in file order with choices unshuffled, so that a script knows the answers.
pub fn fixture(dir: &Path) -> (PathBuf, PathBuf) {
    let mut bank = String::from(
        "format = 1\nid = \"serve-test\"\ntopic = \"serve-test\"\nlanguages = [\"en\", \"ar\"]\n\
         title = { en = \"Serve test bank\", ar = \"بنك اختبار الخادم\" }\n\n",
    );
    let items = [
        ("Which element is recruitment?", "أي عنصر هو التجنيد؟"),
        ("Which element is deception?", "أي عنصر هو الخداع؟"),
        ("Which element is exploitation?", "أي عنصر هو الاستغلال؟"),
        ("Which body receives referrals?", "أي جهة تتلقى الإحالات؟"),
        (
            "Which document names the victim?",
            "أي وثيقة تذكر اسم الضحية؟",
        ),
    ];
    for (i, (en, ar)) in items.iter().enumerate() {
        bank.push_str(&format!(
            "[[question]]\nid = \"st-{i}\"\ntype = \"single\"\ndifficulty = \"easy\"\n\
             prompt = {{ en = \"{en}\", ar = \"{ar}\" }}\n\
             choices = [\n  {{ en = \"First option {i}\", ar = \"الخيار الأول {i}\" }},\n  \
             {{ en = \"Second option {i}\", ar = \"الخيار الثاني {i}\" }},\n  \
             {{ en = \"Third option {i}\", ar = \"الخيار الثالث {i}\" }},\n]\n\
             answer = \"a\"\nexplanation = {{ en = \"Because.\", ar = \"لأن.\" }}\n\
             source = \"Test fixture\"\n\n"
        ));
    }
    let exam = "format = 1\nid = \"serve-exam\"\n\
        title = { en = \"Serve exam\", ar = \"اختبار الخادم\" }\n\
        mode = \"exam\"\ntime_limit = \"20m\"\nnavigation = \"free\"\n\
        shuffle_questions = false\nshuffle_choices = false\npass_mark = 60\nreview = \"score\"\n\n\
        [[pool]]\ntopic = \"serve-test\"\ncount = 5\n";
    let b = dir.join("serve-test.toml");
    let e = dir.join("serve-exam.toml");
    std::fs::write(&b, bank).unwrap();
    std::fs::write(&e, exam).unwrap();
    (b, e)
}

/// A running server.
pub struct Server {
    child: Child,
    pub port: u16,
    pub root: PathBuf,
    pub banner: String,
}

impl Server {
    /// Start the server with its folders under `root` (the same `root` again: a restart).
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        Server::start_env(root, extra, &[])
    }

    /// [`Server::start`] with these environment variables set (the language ones are cleared
    /// first, so that the machine's locale does not choose the server's language). The banner
    /// is read up to its last line, the one that scripts wait for: `TIPQUIZ_KEY_FILE=...`.
    pub fn start_env(root: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let (bank, exam) = fixture(root);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tipquiz"));
        if !env.is_empty() {
            for k in ["TIPQUIZ_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
                cmd.env_remove(k);
            }
            cmd.envs(env.iter().copied());
        }
        let mut child = cmd
            .args(["serve", "--only-given-banks", "--bank"])
            .arg(&bank)
            .arg("--exam")
            .arg(&exam)
            .args(["--listen", "127.0.0.1", "--port", "0", "--code", CODE])
            .arg("--dir")
            .arg(root.join("srv"))
            .arg("--results")
            .arg(root.join("results"))
            .args(extra)
            .env("TIPQUIZ_DATA", root.join("data"))
            .env("TIPQUIZ_NO_CACHE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut banner = String::new();
        let start = Instant::now();
        while !banner.contains("TIPQUIZ_KEY_FILE=") {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                let mut err = String::new();
                let _ = std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err);
                panic!("the server ended before its banner: {banner}\n{err}");
            }
            banner.push_str(&line);
            assert!(start.elapsed() < Duration::from_secs(60), "{banner}");
        }
        // Keep reading so that the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while out.read_line(&mut sink).unwrap_or(0) > 0 {
                sink.clear();
            }
        });
        let port = banner
            .split("ssh -p ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in the banner:\n{banner}"));
        Server {
            child,
            port,
            root: root.to_path_buf(),
            banner,
        }
    }

    /// Kill the server at once (SIGKILL): nothing is flushed or saved on the way out.
    pub fn kill_hard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The records in the results folder.
    pub fn records(&self) -> Vec<serde_json::Value> {
        records_in(&self.root.join("results"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The names of the start markers in a results folder.
pub fn markers_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".started--"))
                .collect()
        })
        .unwrap_or_default()
}

pub fn records_in(dir: &Path) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "json") && p.is_file() {
            out.push(serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap());
        }
    }
    out
}

/// A tmux server of its own (socket per test), running the OpenSSH client.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(tag: &str, cmd: &str, w: u16, h: u16) -> Tmux {
        let socket = format!("tipquiz-serve-{tag}-{}", std::process::id());
        let ok = Command::new("tmux")
            .args(["-L", &socket, "new-session", "-d", "-s", "t", "-x"])
            .arg(w.to_string())
            .arg("-y")
            .arg(h.to_string())
            .arg(cmd)
            .status()
            .unwrap();
        assert!(ok.success());
        Tmux { socket }
    }
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            Command::new("tmux")
                .args(["-L", &self.socket, "send-keys", "-t", "t", k])
                .status()
                .unwrap();
            std::thread::sleep(Duration::from_millis(80));
        }
    }
    pub fn literal(&self, text: &str) {
        Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "t", "-l", text])
            .status()
            .unwrap();
        std::thread::sleep(Duration::from_millis(80));
    }
    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "t"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |s| s.contains(text))
    }
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    /// End the client as a closed laptop would: the tmux server and the ssh in it are killed.
    pub fn kill(&self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The OpenSSH command line a trainee types (plus what a test needs: no host-key file, the
/// class code typed by sshpass at the keyboard-interactive prompt).
pub fn ssh_line(port: u16, code: &str, extra: &str) -> String {
    format!(
        "sshpass -P code -p {code} ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
         -o LogLevel=ERROR {extra} -p {port} class@127.0.0.1"
    )
}

fn need_tools() -> bool {
    !(crate::skip_without("tmux") || crate::skip_without("ssh") || crate::skip_without("sshpass"))
}

fn report(root: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tipquiz"))
        .args(["report", "--only-given-banks", "--bank"])
        .arg(root.join("serve-test.toml"))
        .arg("--results")
        .arg(root.join("results"))
        .args(["--exam", "serve-exam"])
        .env("TIPQUIZ_DATA", root.join("data"))
        .env("TIPQUIZ_KEY_FILE", root.join("srv").join("record.key"))
        .env("TIPQUIZ_NO_CACHE", "1")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn wait_records(dir: &Path, n: usize) -> Vec<serde_json::Value> {
    let start = Instant::now();
    loop {
        let r = records_in(dir);
        if r.len() >= n || start.elapsed() > Duration::from_secs(30) {
            return r;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn openssh_joins_takes_the_quiz_in_english_and_arabic_and_the_records_land() {
    if !need_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    assert!(server.banner.contains("SHA256:"), "{}", server.banner);
    assert!(server.banner.contains(CODE));
    let key = dir.path().join("srv").join("host_ed25519");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // English, at 80x24: four right, one wrong.
    let t = Tmux::start("en", &ssh_line(server.port, CODE, ""), 80, 24);
    t.wait_for("Trainee");
    t.literal("Layla Haddad");
    t.keys(&["Enter"]);
    t.wait_for("Question 1 / 5");
    for k in ["1", "Right", "1", "Right", "1", "Right", "1", "Right", "2"] {
        t.keys(&[k]);
    }
    t.wait_for("Answered 5");
    t.keys(&["C-s"]);
    t.keys(&["Enter"]);
    t.wait_until("the score, 4 of 5 (80 %)", |s| {
        s.contains("80") && s.contains("4")
    });
    drop(t);

    // Arabic: the language switched on the home screen, answered with Arabic letters as an
    // Arabic keyboard types them.
    let t = Tmux::start("ar", &ssh_line(server.port, CODE, ""), 100, 30);
    t.wait_for("Trainee");
    t.literal("سالم العتيبي");
    t.keys(&["Down", "Right"]);
    // Arabic chosen for the first time: the display check asks whether the Arabic line reads
    // right to left with joined letters (it does: the server reorders for this terminal).
    t.wait_for("F2");
    t.keys(&["1"]);
    // Arabic chosen: its name in brackets (drawn shaped and right to left).
    t.wait_for("] / English");
    t.keys(&["Up", "Enter"]);
    t.wait_until("the first question", |s| {
        !s.contains("English") && s.contains("5")
    });
    for k in ["أ", "Left", "أ", "Left", "ب", "Left", "ب", "Left", "أ"] {
        if k.len() > 1 && k.is_ascii() {
            t.keys(&[k]);
        } else {
            t.literal(k);
        }
    }
    t.keys(&["C-s"]);
    t.keys(&["Enter"]);
    let recs = wait_records(&dir.path().join("results"), 2);
    drop(t);
    assert_eq!(recs.len(), 2, "{recs:?}");
    let by = |name: &str| {
        recs.iter()
            .find(|r| r["trainee"] == name)
            .unwrap_or_else(|| panic!("no record of {name}: {recs:?}"))
    };
    let en = by("Layla Haddad");
    assert_eq!(en["score"], 4.0);
    assert_eq!(en["lang"], "en");
    assert!(en["signature"].as_str().is_some_and(|s| s.len() == 64));
    let ar = by("سالم العتيبي");
    assert_eq!(ar["lang"], "ar");
    assert_eq!(ar["score"], 3.0, "{ar}");

    // The class report reads both, with the server's key checking the signatures.
    let rep = report(dir.path());
    assert!(rep.contains("Layla Haddad"), "{rep}");
    assert!(rep.contains("80"), "{rep}");
}

/// The catalogue's text of `key` in `lang`, with its places filled by `args`.
fn said(lang: tipquiz::text::Lang, key: tipquiz::messages::K, args: &[&str]) -> String {
    tipquiz::messages::fill(tipquiz::messages::template(lang, key), args)
}

#[test]
fn the_banner_follows_the_servers_language_and_scripts_still_find_its_lines() {
    use tipquiz::messages::K;
    use tipquiz::text::Lang;
    // --lang ar, TIPQUIZ_LANG=ar, and an Arabic locale all give the Arabic banner;
    // TIPQUIZ_LANG=en wins over an Arabic locale.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], Lang);
    let cases: [Case; 4] = [
        (&["--lang", "ar"], &[("LANG", "C.UTF-8")], Lang::Ar),
        (&[], &[("TIPQUIZ_LANG", "ar")], Lang::Ar),
        (&[], &[("LANG", "ar_KW.UTF-8")], Lang::Ar),
        (
            &[],
            &[("TIPQUIZ_LANG", "en"), ("LANG", "ar_KW.UTF-8")],
            Lang::En,
        ),
    ];
    for (extra, env, lang) in cases {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // Server::start_env found the port in `ssh -p PORT class@...` and read up to the
        // `TIPQUIZ_KEY_FILE=` line: both keep their words in every language.
        let server = Server::start_env(root, extra, env);
        let b = &server.banner;
        let srv = root.join("srv");
        let lines: Vec<&str> = b.lines().collect();
        // First run: the two keys were created, and the notes say so in the server's language.
        let created = |file: &str| {
            said(
                lang,
                K::ServeNote,
                &[&said(
                    lang,
                    K::ServeCreated,
                    &[&srv.join(file).display().to_string()],
                )],
            )
        };
        assert_eq!(lines[0], created("host_ed25519"), "{extra:?} {env:?}:\n{b}");
        assert_eq!(lines[1], created("record.key"), "{b}");
        assert_eq!(
            lines[2],
            tipquiz::messages::template(lang, K::ServeTitle),
            "{b}"
        );
        let port = server.port.to_string();
        let want = [
            said(lang, K::ServeExams, &["serve-exam"]),
            said(
                lang,
                K::ServeTraineesType,
                &[&format!("ssh -p {port} class@127.0.0.1")],
            ),
            said(lang, K::ServeCode, &[CODE]),
        ];
        assert_eq!(lines[3..6], want, "{b}");
        let key_label = tipquiz::messages::template(lang, K::ServeHostKey)
            .split("{0}")
            .next()
            .unwrap();
        assert!(lines[6].starts_with(&format!("{key_label}SHA256:")), "{b}");
        let results = root.join("results").display().to_string();
        assert_eq!(lines[7], said(lang, K::ServeResults, &[&results]), "{b}");
        let key_line = format!(
            "TIPQUIZ_KEY_FILE={} tipquiz report --results {results}",
            srv.join("record.key").display()
        );
        assert_eq!(
            lines[8],
            said(lang, K::ServeSignatures, &[&key_line]),
            "{b}"
        );
        assert_eq!(lines.len(), 9, "{b}");
        let other = if lang == Lang::Ar { Lang::En } else { Lang::Ar };
        for k in [K::ServeTitle, K::ServeCreated] {
            let words = tipquiz::messages::template(other, k).replace("{0}", "");
            assert!(!b.contains(words.trim()), "{k:?} in {other:?}:\n{b}");
        }
        if lang == Lang::Ar {
            assert!(b.contains("رمز الصف") && b.contains("مجلد النتائج"), "{b}");
        } else {
            assert!(
                b.contains("class code:") && b.contains("results folder:"),
                "{b}"
            );
        }
        drop(server);
    }
}

#[test]
fn a_server_that_cannot_start_says_why_in_its_language_on_stderr() {
    use tipquiz::messages::K;
    use tipquiz::text::Lang;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (bank, exam) = fixture(root);
    let serve = |args: &[&str], lang: &str| {
        Command::new(env!("CARGO_BIN_EXE_tipquiz"))
            .args(["serve", "--only-given-banks", "--bank"])
            .arg(&bank)
            .arg("--exam")
            .arg(&exam)
            .args(["--listen", "127.0.0.1", "--dir"])
            .arg(root.join("srv"))
            .arg("--results")
            .arg(root.join("results"))
            .args(args)
            .env("TIPQUIZ_DATA", root.join("data"))
            .env("TIPQUIZ_NO_CACHE", "1")
            .env("TIPQUIZ_LANG", lang)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C.UTF-8")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    for (lang, code) in [(Lang::Ar, "ar"), (Lang::En, "en")] {
        // A class code that is only spaces and dashes.
        let out = serve(&["--code", " - ", "--port", "0"], code);
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty(), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        let why = said(lang, K::ServeCodeEmpty, &[]);
        assert_eq!(
            err.trim_end(),
            format!("tipquiz: {}", said(lang, K::ServeErrCode, &[&why])),
            "{lang:?}"
        );
    }
    // A damaged host key: what is wrong, where, and the way out, in Arabic.
    std::fs::create_dir_all(root.join("srv")).unwrap();
    let key = root.join("srv").join("host_ed25519");
    std::fs::write(&key, "not a key").unwrap();
    let out = serve(&["--code", CODE, "--port", "0"], "ar");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let way_out = said(Lang::Ar, K::KeyBad, &[&key.display().to_string(), "@"]);
    let way_out = way_out.split("@)").nth(1).unwrap();
    assert!(
        err.contains(&key.display().to_string()) && err.contains(way_out),
        "{err}"
    );
    assert!(!err.contains("move it away"), "{err}");
    // The port already taken by another program.
    std::fs::remove_file(&key).unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = serve(&["--code", CODE, "--port", &port], "ar");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!("tipquiz: تعذّر الاستماع على 127.0.0.1:{port}: ")),
        "{err}"
    );
    assert!(err.contains("--port"), "{err}");
    drop(taken);
}

#[test]
fn a_wrong_code_commands_sftp_and_forwarding_are_refused() {
    if !need_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let port = server.port;
    let run = |line: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(line)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    // Wrong class code: refused, and nothing of the quiz is sent.
    let out = run(&format!("timeout 30 {} true", ssh_line(port, "000000", "")));
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Trainee"));

    // A command: refused on the client's error stream, in English and in Arabic (the server
    // does not know the trainee's language yet), and ssh ends with exit status 1; the
    // command's output never appears.
    let out = run(&format!("timeout 30 {} ls /", ssh_line(port, CODE, "")));
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!text.contains("bin"), "{text}");
    {
        use tipquiz::messages::K;
        use tipquiz::text::Lang;
        for lang in [Lang::En, Lang::Ar] {
            let why = said(lang, K::SshNoCommands, &[]);
            for line in [
                said(lang, K::SshRefused, &[&why]),
                said(lang, K::SshQuizOnly, &[]),
            ] {
                assert!(
                    text.lines()
                        .any(|l| l.trim_start_matches('\u{200F}').trim_end() == line),
                    "{line:?} not in {text:?}"
                );
            }
        }
    }

    // sftp: the subsystem is refused.
    let out = run(&format!(
        "echo ls | timeout 30 sshpass -P code -p {CODE} sftp -o StrictHostKeyChecking=no \
         -o UserKnownHostsFile=/dev/null -P {port} class@127.0.0.1"
    ));
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        text.contains("subsystem") || text.contains("Connection closed"),
        "{text}"
    );

    // Local forwarding (-L): ssh listens on its side, but the server refuses the channel, so a
    // connection through it is closed at once without reaching the target.
    let local = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let lport = local.local_addr().unwrap().port();
    drop(local);
    let target = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let tport = target.local_addr().unwrap().port();
    target.set_nonblocking(true).unwrap();
    let log = dir.path().join("fwd.log");
    let mut fwd = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "exec {} -v -N -L 127.0.0.1:{lport}:127.0.0.1:{tport} 2>{}",
            ssh_line(port, CODE, ""),
            log.display()
        ))
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut refused = false;
    while start.elapsed() < Duration::from_secs(20) {
        if let Ok(mut c) = std::net::TcpStream::connect(("127.0.0.1", lport)) {
            c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut b = [0u8; 16];
            let n = std::io::Read::read(&mut c, &mut b).unwrap_or(0);
            assert_eq!(n, 0);
            let l = std::fs::read_to_string(&log).unwrap_or_default();
            if l.contains("open failed") || l.contains("prohibited") {
                refused = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = fwd.kill();
    let _ = fwd.wait();
    assert!(
        refused,
        "{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    assert!(
        target.accept().is_err(),
        "the target was reached through the server"
    );
    assert!(server.records().is_empty());
}

/// A scripted trainee over russh, with a vt100 screen to read what the server drew.
pub mod client {
    use super::*;
    use russh::ChannelMsg;
    use russh::client;

    struct Accept;

    impl client::Handler for Accept {
        type Error = russh::Error;
        async fn check_server_key(
            &mut self,
            _key: &russh::keys::PublicKeyOrCertificate,
        ) -> Result<bool, Self::Error> {
            Ok(true)
        }
    }

    /// One connected trainee.
    pub struct Trainee {
        pub channel: russh::Channel<client::Msg>,
        pub screen: vt100::Parser,
        _handle: client::Handle<Accept>,
    }

    impl Trainee {
        pub async fn connect(port: u16, code: &str) -> Result<Trainee, String> {
            Trainee::connect_with_env(port, code, &[]).await
        }

        /// Connect, sending these environment variables (as `ssh -o SetEnv=...` does) before
        /// the terminal is asked for.
        pub async fn connect_with_env(
            port: u16,
            code: &str,
            env: &[(&str, &str)],
        ) -> Result<Trainee, String> {
            let config = Arc::new(client::Config::default());
            let mut handle = client::connect(config, ("127.0.0.1", port), Accept)
                .await
                .map_err(|e| e.to_string())?;
            let auth = handle
                .authenticate_password("class", code)
                .await
                .map_err(|e| e.to_string())?;
            if !auth.success() {
                return Err("refused".into());
            }
            let channel = handle
                .channel_open_session()
                .await
                .map_err(|e| e.to_string())?;
            for (k, v) in env {
                channel
                    .set_env(false, *k, *v)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            channel
                .request_pty(true, "xterm-256color", 100, 30, 0, 0, &[])
                .await
                .map_err(|e| e.to_string())?;
            channel
                .request_shell(true)
                .await
                .map_err(|e| e.to_string())?;
            Ok(Trainee {
                channel,
                screen: vt100::Parser::new(
                    std::num::NonZeroU16::new(30).unwrap(),
                    std::num::NonZeroU16::new(100).unwrap(),
                    0,
                ),
                _handle: handle,
            })
        }

        /// Everything the server writes (output and error stream) until it closes the
        /// channel, or 30 s pass.
        pub async fn read_to_close(&mut self) -> String {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
            let mut out = Vec::new();
            loop {
                match tokio::time::timeout_at(deadline, self.channel.wait()).await {
                    Ok(Some(ChannelMsg::Data { data })) => {
                        self.screen.process(&data);
                        out.extend_from_slice(&data);
                    }
                    Ok(Some(ChannelMsg::ExtendedData { data, .. })) => {
                        out.extend_from_slice(&data);
                    }
                    Ok(Some(ChannelMsg::Close) | None) | Err(_) => break,
                    Ok(Some(_)) => {}
                }
            }
            String::from_utf8_lossy(&out).into_owned()
        }

        pub async fn send(&self, bytes: &[u8]) {
            let _ = self.channel.data_bytes(bytes.to_vec()).await;
        }

        pub fn text(&self) -> String {
            self.screen.screen().contents()
        }

        /// Read until the screen no longer shows `text`. `Err` with the screen when the channel
        /// closed or 60 s passed.
        pub async fn wait_gone(&mut self, text: &str) -> Result<(), String> {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
            while self.text().contains(text) {
                match tokio::time::timeout_at(deadline, self.channel.wait()).await {
                    Ok(Some(ChannelMsg::Data { data })) => self.screen.process(&data),
                    Ok(Some(_)) => {}
                    Ok(None) | Err(_) => {
                        return Err(format!("waiting for {text:?} to go:\n{}", self.text()));
                    }
                }
            }
            Ok(())
        }

        /// Read until the screen shows `text`. `Err` with the screen when the channel closed
        /// or 60 s passed.
        pub async fn wait_for(&mut self, text: &str) -> Result<(), String> {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
            while !self.text().contains(text) {
                match tokio::time::timeout_at(deadline, self.channel.wait()).await {
                    Ok(Some(ChannelMsg::Data { data })) => self.screen.process(&data),
                    Ok(Some(_)) => {}
                    Ok(None) | Err(_) => {
                        return Err(format!("waiting for {text:?}:\n{}", self.text()));
                    }
                }
            }
            Ok(())
        }
    }
}

/// Take the exam as a script: name, four right answers of five, submit.
async fn scripted_attempt(port: u16, name: &str) -> Result<(), String> {
    let mut t = client::Trainee::connect(port, CODE).await?;
    t.wait_for("Trainee").await?;
    t.send(name.as_bytes()).await;
    t.send(b"\r").await;
    t.wait_for("Question 1 / 5").await?;
    for k in [
        &b"1"[..],
        b"\x1b[C",
        b"1",
        b"\x1b[C",
        b"1",
        b"\x1b[C",
        b"1",
        b"\x1b[C",
        b"2",
    ] {
        t.send(k).await;
    }
    t.wait_for("Answered 5").await?;
    t.send(b"\x13").await;
    t.send(b"\r").await;
    t.wait_for("80").await?;
    Ok(())
}

#[test]
fn fifty_trainees_at_once_give_fifty_records_none_lost_or_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let port = server.port;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let results: Vec<Result<(), String>> = rt.block_on(async move {
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let name = format!("Trainee {i:02}");
                tokio::spawn(async move { scripted_attempt(port, &name).await })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap_or_else(|e| Err(e.to_string())));
        }
        out
    });
    let failed: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failed.is_empty(),
        "{} failed; first: {}",
        failed.len(),
        failed[0]
    );
    let recs = wait_records(&dir.path().join("results"), 50);
    assert_eq!(recs.len(), 50);
    let mut names: Vec<&str> = recs
        .iter()
        .map(|r| r["trainee"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 50, "a trainee was recorded twice");
    assert!(recs.iter().all(|r| r["score"] == 4.0));
}

/// Join with OpenSSH, type the name, answer the first `n` questions right.
fn join_and_answer(port: u16, tag: &str, name: &str, n: usize) -> Tmux {
    let t = Tmux::start(tag, &ssh_line(port, CODE, ""), 100, 30);
    t.wait_for("Trainee");
    t.literal(name);
    t.keys(&["Enter"]);
    t.wait_for("Question 1 / 5");
    for _ in 0..n {
        t.keys(&["1", "Right"]);
    }
    t.wait_for(&format!("Answered {n}"));
    t
}

/// Join again with the same name: the server offers the unfinished attempt, which resumes with
/// every answer given before; finish it and check the one record.
fn rejoin_resume_and_finish(server: &Server, tag: &str, name: &str, answered: usize) {
    let t = Tmux::start(tag, &ssh_line(server.port, CODE, ""), 100, 30);
    t.wait_for("Trainee");
    t.literal(name);
    t.keys(&["Enter"]);
    t.wait_for(&format!("({answered} of 5 answered)"));
    t.keys(&["Enter"]);
    t.wait_for(&format!("Answered {answered}"));
    // Back to the first question, then on to the first unanswered one, and answer the rest.
    for _ in 0..5 {
        t.keys(&["Left"]);
    }
    t.wait_for("Question 1 / 5");
    for _ in 0..answered {
        t.keys(&["Right"]);
    }
    t.wait_for(&format!("Question {} / 5", answered + 1));
    for _ in answered..5 {
        t.keys(&["1", "Right"]);
    }
    t.wait_for("Answered 5");
    t.keys(&["C-s", "Enter"]);
    let recs = wait_records(&server.root.join("results"), 1);
    assert_eq!(recs.len(), 1, "{recs:?}");
    assert_eq!(recs[0]["trainee"], name);
    assert_eq!(recs[0]["score"], 5.0, "{}", recs[0]);
}

#[test]
fn a_client_killed_mid_attempt_reconnects_and_resumes() {
    if !need_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let t = join_and_answer(server.port, "drop", "Omar Farouk", 2);
    // The laptop is closed: the client dies without a goodbye.
    t.kill();
    drop(t);
    std::thread::sleep(Duration::from_millis(500));
    assert!(server.records().is_empty());
    rejoin_resume_and_finish(&server, "back", "Omar Farouk", 2);
}

#[test]
fn a_server_killed_mid_exam_restarts_and_every_attempt_resumes() {
    if !need_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let a = join_and_answer(server.port, "k1", "Noura Salem", 3);
    let b = join_and_answer(server.port, "k2", "Khalid Rashed", 1);
    // The screen showed the answers only after the server had saved them.
    server.kill_hard();
    drop((a, b));
    let server = Server::start(dir.path(), &[]);
    rejoin_resume_and_finish(&server, "r1", "Noura Salem", 3);
    // The first record out of the way (the folder stays: a results folder that vanished during
    // a quiz is a share that dropped, and is never made again).
    for f in std::fs::read_dir(dir.path().join("results")).unwrap() {
        let f = f.unwrap().path();
        if f.is_file() {
            std::fs::remove_file(f).unwrap();
        }
    }
    rejoin_resume_and_finish(&server, "r2", "Khalid Rashed", 1);
}

/// Join as a script, type the name, answer the first `n` questions right, and stay.
async fn scripted_join(port: u16, name: &str, n: usize) -> Result<client::Trainee, String> {
    let mut t = client::Trainee::connect(port, CODE).await?;
    t.wait_for("Trainee").await?;
    t.send(name.as_bytes()).await;
    t.send(b"\r").await;
    t.wait_for("Question 1 / 5").await?;
    for _ in 0..n {
        t.send(b"1").await;
        t.send(b"\x1b[C").await;
    }
    t.wait_for(&format!("Answered {n}")).await?;
    Ok(t)
}

#[test]
fn the_console_locks_joins_gives_time_and_ends_the_exam_for_everybody() {
    if !need_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (bank, exam) = fixture(root);
    let cmd = format!(
        "env TIPQUIZ_DATA={data} TIPQUIZ_NO_CACHE=1 {bin} serve --only-given-banks --bank {bank} \
         --exam {exam} --listen 127.0.0.1 --port 0 --code {CODE} --dir {srv} --results {res}; \
         echo SERVER-ENDED; sleep 30",
        data = root.join("data").display(),
        bin = env!("CARGO_BIN_EXE_tipquiz"),
        bank = bank.display(),
        exam = exam.display(),
        srv = root.join("srv").display(),
        res = root.join("results").display(),
    );
    let console = Tmux::start("console", &cmd, 120, 36);
    let s = console.wait_for("class@127.0.0.1");
    let port: u16 = s
        .split("ssh -p ")
        .nth(1)
        .and_then(|x| x.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port on the console:\n{s}"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // Huda stays connected; Faisal answers one question and his laptop closes.
    let mut huda = rt.block_on(scripted_join(port, "Huda Nasser", 2)).unwrap();
    let faisal = rt.block_on(scripted_join(port, "Faisal Omar", 1)).unwrap();
    drop(faisal);
    console.wait_for("away (saved)");
    console.wait_for("working");
    let saved = root.join("srv").join("autosave");
    let deadline_of = |name: &str| -> i64 {
        for e in std::fs::read_dir(&saved).unwrap().flatten() {
            // The snapshots (a journal of later changes sits beside each).
            if e.path().extension().is_none_or(|x| x != "json") {
                continue;
            }
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
            if v["trainee"] == name {
                return v["deadline"].as_i64().unwrap();
            }
        }
        panic!("no autosave of {name}");
    };
    let before = deadline_of("Faisal Omar");

    // Five more minutes for everybody: the connected trainee is told, the saved attempt moves.
    console.keys(&["*"]);
    console.wait_for("5 more minutes for everybody");
    rt.block_on(huda.wait_for("5 more minutes")).unwrap();
    assert_eq!(deadline_of("Faisal Omar"), before + 5 * 60_000);

    // Joins locked: a new trainee cannot start; the one who already started could come back.
    console.keys(&["l"]);
    console.wait_for("Joins locked");
    let late = rt.block_on(async {
        let mut t = client::Trainee::connect(port, CODE).await?;
        t.wait_for("Trainee").await?;
        t.send(b"Late Comer\r").await;
        t.wait_for("closed the exam to new trainees").await?;
        Ok::<_, String>(t)
    });
    let late = late.unwrap();

    // The end of the exam: the connected attempt ends on screen, the saved one is recorded too.
    console.keys(&["e"]);
    console.wait_for("End the exam for everybody?");
    console.keys(&["y"]);
    console.wait_for("recorded as timed out: 1.");
    rt.block_on(huda.wait_for("ended the exam")).unwrap();
    let recs = wait_records(&root.join("results"), 2);
    assert_eq!(recs.len(), 2, "{recs:?}");
    for (name, score) in [("Huda Nasser", 2.0), ("Faisal Omar", 1.0)] {
        let r = recs.iter().find(|r| r["trainee"] == name).unwrap();
        assert_eq!(r["end_reason"], "timed-out", "{r}");
        assert_eq!(r["score"], score, "{r}");
    }
    assert!(
        std::fs::read_dir(&saved)
            .map(|d| d.count() == 0)
            .unwrap_or(true),
        "an attempt was left unrecorded"
    );
    // The late comer's refused attempt left no start marker behind.
    let markers = markers_in(&root.join("results"));
    assert_eq!(markers.len(), 2, "{markers:?}");
    assert!(
        !markers.iter().any(|m| m.contains("late-comer")),
        "{markers:?}"
    );

    // Stopping the server: asked first, then the console gives the terminal back.
    drop((huda, late));
    console.keys(&["q"]);
    console.wait_for("Stop the server?");
    console.keys(&["y"]);
    console.wait_for("SERVER-ENDED");
}

/// The server in tmux, with its instructor console on the tmux terminal; returns the console
/// and the port.
fn console_server(root: &Path, tag: &str, extra: &str) -> (Tmux, u16) {
    console_server_env(root, tag, "", extra)
}

/// [`console_server`] with more environment (`NAME=value ...`); the console shows the exit
/// status after `SERVER-ENDED status=`.
fn console_server_env(root: &Path, tag: &str, env: &str, extra: &str) -> (Tmux, u16) {
    console_server_at(root, tag, env, extra, (120, 40))
}

/// [`console_server_env`] on a terminal of `w` x `h`.
fn console_server_at(
    root: &Path,
    tag: &str,
    env: &str,
    extra: &str,
    (w, h): (u16, u16),
) -> (Tmux, u16) {
    let (bank, exam) = fixture(root);
    let cmd = format!(
        "env TIPQUIZ_DATA={data} TIPQUIZ_NO_CACHE=1 {env} {bin} serve --only-given-banks --bank {bank} \
         --exam {exam} --listen 127.0.0.1 --port 0 --code {CODE} --dir {srv} --results {res} \
         {extra}; st=$?; printf '\\r\\nSERVER-ENDED status=%s\\r\\n' $st; sleep 30",
        data = root.join("data").display(),
        bin = env!("CARGO_BIN_EXE_tipquiz"),
        bank = bank.display(),
        exam = exam.display(),
        srv = root.join("srv").display(),
        res = root.join("results").display(),
    );
    let console = Tmux::start(tag, &cmd, w, h);
    let s = console.wait_for("class@127.0.0.1");
    let port: u16 = s
        .split("ssh -p ")
        .nth(1)
        .and_then(|x| x.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port on the console:\n{s}"));
    (console, port)
}

/// The count after the bar of choice `label` of question `q` on the console (the answers'
/// distribution), e.g. `b) Second option 2   ████████ 3` gives 3.
fn bar_count(screen: &str, label: char, q: usize) -> Option<usize> {
    let words = ["First", "Second", "Third"];
    let i = usize::from(label as u8 - b'a');
    let head = format!("{label}) {} option {q}", words[i]);
    let line = screen.lines().find(|l| l.contains(&head))?;
    let rest = line.split(&head).nth(1)?;
    rest.split(|c: char| c == '█' || c.is_whitespace())
        .find(|w| !w.is_empty())?
        .parse()
        .ok()
}

/// What a paced trainee sees once in the game, before the first question.
const LOBBY: &str = "The instructor will open the first question";

/// Scripted trainees join a paced game one after the other, each typing the class code and
/// a name; each then waits for `then` on its screen, when given.
async fn join_paced(
    port: u16,
    names: &[impl AsRef<str>],
    then: Option<&str>,
) -> Result<Vec<client::Trainee>, String> {
    let mut out = Vec::new();
    for n in names {
        let mut t = client::Trainee::connect(port, CODE).await?;
        t.wait_for("Trainee").await?;
        t.send(n.as_ref().as_bytes()).await;
        t.send(b"\r").await;
        if let Some(text) = then {
            t.wait_for(text).await?;
        }
        out.push(t);
    }
    Ok(out)
}

#[test]
fn paced_play_with_ten_trainees_distribution_speed_points_podium_and_records() {
    if !need_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (console, port) = console_server(root, "paced", "--paced");
    console.wait_for("Waiting to start");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let names: Vec<String> = (0..10).map(|i| format!("Paced Trainee {i:02}")).collect();
    let mut clients = rt.block_on(join_paced(port, &names, Some(LOBBY))).unwrap();
    console.wait_for("10 trainees joined");
    // Trainee i answers question q with choice (i + q) % 3 (the key is always a): a mix of
    // right and wrong that changes from question to question.
    let choice = |i: usize, q: usize| (i + q) % 3;
    for q in 0..5 {
        console.keys(&["n"]);
        console.wait_for(&format!("Question {} of 5", q + 1));
        rt.block_on(async {
            for (i, t) in clients.iter_mut().enumerate() {
                t.wait_for(&format!("Question {} / 5", q + 1)).await?;
                t.send(&[b'a' + u8::try_from(choice(i, q)).unwrap()]).await;
            }
            // Everybody answered: the question closes at once, and each sees right or wrong.
            for (i, t) in clients.iter_mut().enumerate() {
                let verdict = if choice(i, q) == 0 {
                    "Right!"
                } else {
                    "Wrong."
                };
                t.wait_for(verdict).await?;
            }
            Ok::<_, String>(())
        })
        .unwrap();
        console.wait_for(&format!("Question {} of 5 · closed", q + 1));
        // The whole distribution, polled until it is on screen (a capture may fall between
        // two rows of a frame), then compared: a wrong count times out with the screen.
        let want: Vec<Option<usize>> = (0..3)
            .map(|k| Some((0..10).filter(|i| choice(*i, q) == k).count()))
            .collect();
        let s = console.wait_until("the distribution", |s| {
            s.contains("no answer: 0")
                && ['a', 'b', 'c']
                    .iter()
                    .all(|l| bar_count(s, *l, q).is_some())
        });
        let got: Vec<Option<usize>> = ['a', 'b', 'c']
            .iter()
            .map(|l| bar_count(&s, *l, q))
            .collect();
        assert_eq!(got, want, "question {q}:\n{s}");
    }
    console.keys(&["n"]);
    // The podium (the body) and the records' line (the foot) are drawn in one frame, top to
    // bottom: wait for both rather than read the screen between them.
    console.wait_until("the podium and its records", |s| {
        s.contains("Podium") && s.contains("10 attempts recorded")
    });
    rt.block_on(async {
        for t in &mut clients {
            t.wait_for("Final results").await?;
        }
        Ok::<_, String>(())
    })
    .unwrap();

    // Ten ordinary, signed records: every question shown to all at the same moment, and each
    // right answer's points are the engine's speed formula for its answer time.
    let recs = wait_records(&root.join("results"), 10);
    assert_eq!(recs.len(), 10);
    let mut shown: Vec<Option<i64>> = vec![None; 5];
    for r in &recs {
        assert!(
            r["signature"].as_str().is_some_and(|s| s.len() == 64),
            "{r}"
        );
        let qs = r["questions"].as_array().unwrap();
        assert_eq!(qs.len(), 5);
        let mut total = 0.0;
        for (q, x) in qs.iter().enumerate() {
            let first = x["first_shown"].as_i64().unwrap();
            assert_eq!(
                *shown[q].get_or_insert(first),
                first,
                "question {q} shown apart"
            );
            let secs = (x["answered_at"].as_i64().unwrap() - first) as f64 / 1000.0;
            let limit = x["limit"].as_f64().unwrap_or(20.0);
            let want = if x["verdict"] == "right" {
                1.0 - secs.clamp(0.0, limit) / (2.0 * limit)
            } else {
                0.0
            };
            let got = x["points"].as_f64().unwrap();
            assert!((got - want).abs() < 1e-9, "{got} vs {want}: {x}");
            assert!(want == 0.0 || want > 0.5, "answered within the window");
            total += got;
        }
        assert!((r["score"].as_f64().unwrap() - total).abs() < 1e-9, "{r}");
    }
    let mut got: Vec<&str> = recs
        .iter()
        .map(|r| r["trainee"].as_str().unwrap())
        .collect();
    got.sort_unstable();
    assert_eq!(got, names.iter().map(String::as_str).collect::<Vec<_>>());
    // Each trainee's attempt was marked as started when they joined the game, as any attempt.
    assert_eq!(markers_in(&root.join("results")).len(), 10);
    let rep = report(root);
    assert!(
        rep.contains("Trainees: 10, records of this exam: 10"),
        "{rep}"
    );
    drop(clients);
    console.keys(&["q"]);
    console.wait_for("Stop the server?");
    console.keys(&["y"]);
    console.wait_for("SERVER-ENDED");
}

/// Start a server with extra options and a runtime for scripted trainees.
fn server_and_runtime(root: &Path, extra: &[&str]) -> (Server, tokio::runtime::Runtime) {
    let server = Server::start(root, extra);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    (server, rt)
}

#[test]
fn an_address_is_locked_out_after_ten_wrong_codes_until_the_lockout_ends() {
    let dir = tempfile::tempdir().unwrap();
    let (server, rt) = server_and_runtime(dir.path(), &["--lockout", "8s"]);
    let port = server.port;
    let started = Instant::now();
    // Ten wrong codes from 127.0.0.1, on ten connections at once.
    let wrong: Vec<Result<client::Trainee, String>> = rt.block_on(async move {
        let tasks: Vec<_> = (0..10)
            .map(|i| {
                tokio::spawn(
                    async move { client::Trainee::connect(port, &format!("27182{i}")).await },
                )
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap_or_else(|e| Err(e.to_string())));
        }
        out
    });
    assert!(wrong.iter().all(Result::is_err));
    // The right code is refused now: the address is locked out (the connection is dropped
    // before any question of a code).
    let locked = rt.block_on(client::Trainee::connect(port, CODE));
    assert!(
        locked.is_err(),
        "the right code was taken during the lockout"
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "too slow to see the lockout: {:?}",
        started.elapsed()
    );
    // The right code keeps being refused until the lockout has passed (8 s from the first
    // failure, which came after `started`); then it lets the trainee in.
    let mut t = loop {
        match rt.block_on(client::Trainee::connect(port, CODE)) {
            Ok(t) => break t,
            Err(e) => {
                assert!(
                    started.elapsed() < Duration::from_secs(40),
                    "still refused long after the lockout: {e}"
                );
                std::thread::sleep(Duration::from_millis(500));
            }
        }
    };
    assert!(
        started.elapsed() >= Duration::from_secs(8),
        "let in after {:?}, before the lockout ended",
        started.elapsed()
    );
    rt.block_on(t.wait_for("Trainee")).unwrap();
}

#[test]
fn max_sessions_refuses_one_more_and_a_place_is_given_back_when_a_trainee_leaves() {
    let dir = tempfile::tempdir().unwrap();
    let (server, rt) = server_and_runtime(dir.path(), &["--max-sessions", "2"]);
    let port = server.port;
    rt.block_on(async move {
        let mut a = client::Trainee::connect(port, CODE).await?;
        a.wait_for("Trainee").await?;
        let mut b = client::Trainee::connect(port, CODE).await?;
        b.wait_for("Trainee").await?;
        // The third is let in by the code, then told the class is full; no quiz is shown.
        let mut c = client::Trainee::connect(port, CODE).await?;
        let said = c.read_to_close().await;
        assert!(said.contains("the class is full"), "{said:?}");
        assert!(said.contains("الصف ممتلئ"), "{said:?}");
        assert!(!c.text().contains("Trainee"), "{}", c.text());
        // One trainee leaves (Ctrl-C on the home screen): the place is free again.
        drop(a);
        let start = Instant::now();
        loop {
            let mut d = client::Trainee::connect(port, CODE).await?;
            if d.wait_for("Trainee").await.is_ok() {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the place was never given back"
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        drop(b);
        Ok::<_, String>(())
    })
    .unwrap();
}

#[test]
fn an_idle_session_is_closed_with_its_answers_saved_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let (server, rt) = server_and_runtime(dir.path(), &["--idle-timeout", "3s"]);
    let port = server.port;
    rt.block_on(async move {
        let mut t = scripted_join(port, "Mariam Idle", 2).await?;
        let start = Instant::now();
        let said = t.read_to_close().await;
        let waited = start.elapsed();
        assert!(
            said.contains("Closed after a long time without a key"),
            "{said:?}"
        );
        assert!(
            waited >= Duration::from_secs(2),
            "closed too early: {waited:?}"
        );
        // Connecting again offers the saved attempt, with both answers.
        let mut again = client::Trainee::connect(port, CODE).await?;
        again.wait_for("Trainee").await?;
        again.send(b"Mariam Idle\r").await;
        again.wait_for("(2 of 5 answered)").await?;
        Ok::<_, String>(())
    })
    .unwrap();
    assert!(server.records().is_empty());
}

#[test]
fn more_time_for_one_trainee_reaches_that_trainee_only() {
    if !need_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (console, port) = console_server(root, "plus", "");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut first = rt.block_on(scripted_join(port, "Yousef First", 1)).unwrap();
    let mut second = rt.block_on(scripted_join(port, "Rania Second", 1)).unwrap();
    console.wait_until("both trainees working", |s| {
        s.matches("working").count() == 2
    });
    let saved = root.join("srv").join("autosave");
    let deadline_of = |name: &str| -> i64 {
        for e in std::fs::read_dir(&saved).unwrap().flatten() {
            // The snapshots (a journal of later changes sits beside each).
            if e.path().extension().is_none_or(|x| x != "json") {
                continue;
            }
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
            if v["trainee"] == name {
                return v["deadline"].as_i64().unwrap();
            }
        }
        panic!("no autosave of {name}");
    };
    let (a0, b0) = (deadline_of("Yousef First"), deadline_of("Rania Second"));
    // The second row, then +.
    console.keys(&["Down", "+"]);
    console.wait_for("5 more minutes for Rania Second");
    rt.block_on(second.wait_for("5 more minutes")).unwrap();
    let start = Instant::now();
    while deadline_of("Rania Second") == b0 && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(deadline_of("Rania Second"), b0 + 5 * 60_000);
    assert_eq!(
        deadline_of("Yousef First"),
        a0,
        "the other trainee got the time too"
    );
    // The other trainee was told nothing.
    rt.block_on(async {
        first.send(b"\x1b[C").await;
        first.wait_for("Question 2 / 5").await
    })
    .unwrap();
    assert!(!first.text().contains("more minutes"), "{}", first.text());
    drop((first, second));
    console.keys(&["q"]);
    console.wait_for("Stop the server?");
    console.keys(&["y"]);
    console.wait_for("SERVER-ENDED");
}

/// The process id of the server running in a console's tmux pane (the pane's shell runs it).
fn console_server_pid(console: &Tmux) -> u32 {
    let out = Command::new("tmux")
        .args([
            "-L",
            &console.socket,
            "display",
            "-p",
            "-t",
            "t",
            "#{pane_pid}",
        ])
        .output()
        .unwrap();
    let shell = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap();
    children
        .split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no server under the console's shell {shell}"))
}

#[test]
fn a_paced_game_survives_a_killed_server_ends_early_and_keeps_an_idle_trainee() {
    if !need_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (console, port) = console_server(root, "paced-kill", "--paced");
    console.wait_for("Waiting to start");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let names = ["Paced Kill Amal", "Paced Kill Badr", "Paced Kill Cyrine"];
    let join = |port: u16| rt.block_on(join_paced(port, &names, None)).unwrap();
    let mut clients = join(port);
    console.wait_for("3 trainees joined");
    // Question 1: Amal and Cyrine right (a), Badr wrong (b); it closes when all have answered.
    console.keys(&["n"]);
    rt.block_on(async {
        for (t, k) in clients.iter_mut().zip([b"a", b"b", b"a"]) {
            t.wait_for("Question 1 / 5").await?;
            t.send(k).await;
        }
        for t in &mut clients {
            t.wait_for("Your points").await?;
        }
        Ok::<_, String>(())
    })
    .unwrap();
    console.wait_for("Question 1 of 5 · closed");
    // Question 2 opens; Amal answers, and the server is killed before anybody else does.
    console.keys(&["n"]);
    rt.block_on(async {
        clients[0].wait_for("Question 2 / 5").await?;
        clients[0].send(b"a").await;
        clients[0].wait_for("Answer sent").await
    })
    .unwrap();
    let pid = console_server_pid(&console);
    // SAFETY: a plain kill(2) of the server this test started.
    unsafe {
        libc::kill(i32::try_from(pid).unwrap(), libc::SIGKILL);
    }
    // Gone (its screen stays in the pane: a killed process restores nothing).
    let start = Instant::now();
    while std::path::Path::new(&format!("/proc/{pid}/exe")).exists() {
        assert!(start.elapsed() < Duration::from_secs(30), "not killed");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(console);
    drop(clients);

    // The restart takes the game up: the same players, their answers, question 2 (still open
    // if its 20 s have not passed, else closed).
    let (console, port) = console_server(root, "paced-kill2", "--paced --idle-timeout 6s");
    console.wait_until("the game taken up", |s| {
        s.contains("goes on") && s.contains("3 trainees, question 2 of 5")
    });
    console.wait_until("the game at question 2", |s| {
        s.contains("Question 2 of 5") && s.contains("Leaderboard")
    });
    let mut clients = join(port);
    // Badr is back, presses nothing and is closed by the idle timeout: still in the game.
    // Amal and Cyrine press a key that does nothing now and then, and stay.
    let (first, rest) = clients.split_at_mut(1);
    let (badr, third) = rest.split_at_mut(1);
    let said = rt.block_on(async {
        let keep = async {
            loop {
                first[0].send(b"x").await;
                third[0].send(b"x").await;
                tokio::time::sleep(Duration::from_millis(700)).await;
            }
        };
        tokio::select! {
            s = badr[0].read_to_close() => s,
            () = keep => String::new(),
        }
    });
    assert!(
        said.contains("Closed after a long time without a key"),
        "{said:?}"
    );
    // The instructor ends the game early: every trainee's answers so far are recorded.
    console.keys(&["e"]);
    console.wait_for("End the game now?");
    console.keys(&["y"]);
    console.wait_until("the podium and its records", |s| {
        s.contains("Podium") && s.contains("3 attempts recorded")
    });
    rt.block_on(async {
        for i in [0, 2] {
            clients[i].wait_for("Final results").await?;
        }
        Ok::<_, String>(())
    })
    .unwrap();
    let recs = wait_records(&root.join("results"), 3);
    assert_eq!(recs.len(), 3, "{recs:?}");
    let by = |n: &str| {
        recs.iter()
            .find(|r| r["trainee"] == n)
            .unwrap_or_else(|| panic!("no record of {n}"))
    };
    let verdict = |n: &str, q: usize| by(n)["questions"][q]["verdict"].clone();
    assert_eq!(verdict(names[0], 0), "right");
    assert_eq!(verdict(names[1], 0), "wrong");
    assert_eq!(verdict(names[2], 0), "right");
    // Amal's answer to question 2, given just before the kill, was kept.
    assert_eq!(verdict(names[0], 1), "right");
    assert!(by(names[0])["questions"][1]["answered_at"].is_i64());
    assert!(by(names[1])["questions"][1]["answered_at"].is_null());
    for r in &recs {
        assert!(
            r["signature"].as_str().is_some_and(|s| s.len() == 64),
            "{r}"
        );
    }
    // The game is over: its saved state is gone, and a new start begins a new game.
    assert!(!root.join("srv").join("paced-game.json").exists());
    drop(clients);
    console.keys(&["q"]);
    console.wait_for("Stop the server?");
    console.keys(&["y"]);
    console.wait_for("SERVER-ENDED");
}

#[test]
fn the_console_speaks_arabic_and_shows_an_arabic_name_shaped_in_reading_order() {
    if !need_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (console, port) = console_server(root, "console-ar", "--lang ar");
    // The title, the columns and the key line come from the Arabic catalogue, shaped and laid
    // out from the right (what a terminal that does not reorder shows as «لوحة المدرب»).
    // The title (the first row) and the table's columns (below it): waited for together.
    let s = console.wait_until("the Arabic title and columns", |s| {
        s.contains("ﺏﺭﺪﻤﻟﺍ ﺔﺣﻮﻟ") && s.contains("ﺏﺭﺪﺘﻤﻟﺍ")
    });
    assert!(!s.contains("Trainee"), "{s}");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let _t = rt
        .block_on(async {
            let mut t = client::Trainee::connect(port, CODE).await?;
            t.wait_for("Trainee").await?;
            t.send("فاطمة الكندري".as_bytes()).await;
            t.send(b"\r").await;
            t.wait_for("Question 1").await?;
            Ok::<_, String>(t)
        })
        .unwrap();
    // «فاطمة الكندري»: joined letter forms, the first word on the right, as on the board.
    console.wait_until(
        "the row of فاطمة الكندري, working (يجيب)",
        |s| {
            s.lines()
                .any(|l| l.contains("ﻱﺭﺪﻨﻜﻟﺍ ﺔﻤﻃﺎﻓ") && l.contains("ﺐﻴﺠﻳ"))
        },
    );
    console.keys(&["q"]);
    console.wait_for("ﻡﺩﺎﺨﻟﺍ ﻑﺎﻘﻳﺇ");
    console.keys(&["y"]);
    console.wait_for("SERVER-ENDED");
}

#[test]
fn an_arabic_trainee_is_asked_about_the_display_first_and_a_name_typed_at_once_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let port = server.port;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    // The display check's title as this terminal (xterm: the server reorders and shapes)
    // shows it: «فحص العرض» in joined forms, in visual order.
    let title = tipquiz::cmd::visual_text(
        tipquiz::messages::ui(tipquiz::text::Lang::Ar).calibrate_title,
        100,
        true,
    )
    .trim()
    .to_owned();
    assert!(!title.is_empty() && !title.contains("فحص"), "{title}");
    let name = "سالم العتيبي";
    let _t = rt
        .block_on(async {
            let mut t =
                client::Trainee::connect_with_env(port, CODE, &[("TIPQUIZ_LANG", "ar")]).await?;
            // Before any key: the display check, not the home screen.
            t.wait_for(&title).await?;
            t.send(b"1").await;
            t.wait_gone(&title).await?;
            // The whole name and Enter in one write, as a paste or a fast typist sends them;
            // then the five answers with the Arabic keyboard's letters (a a b b a: three right),
            // Left for the next question, submit and confirm.
            t.send(format!("{name}\r").as_bytes()).await;
            for k in [
                "أ", "\x1b[D", "أ", "\x1b[D", "ب", "\x1b[D", "ب", "\x1b[D", "أ", "\x13", "\r",
            ] {
                t.send(k.as_bytes()).await;
            }
            Ok::<_, String>(t)
        })
        .unwrap();
    let recs = wait_records(&dir.path().join("results"), 1);
    assert_eq!(recs.len(), 1, "no record: the attempt did not start or end");
    assert_eq!(recs[0]["trainee"], name, "{}", recs[0]);
    assert_eq!(recs[0]["lang"], "ar");
    assert_eq!(recs[0]["score"], 3.0, "{}", recs[0]);
}

#[test]
fn a_server_stopped_while_recording_the_podium_records_everybody_once_at_its_next_start() {
    if !need_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let game_file = root.join("srv").join("paced-game.json");
    let results = root.join("results");
    // The test hook stops the server right after the podium's records are written, before the
    // saved game is deleted: where a kill would leave it.
    let (console, port) = console_server_env(
        root,
        "podium-stop",
        "TIPQUIZ_TEST_STOP_AFTER_RECORDS=1",
        "--paced",
    );
    console.wait_for("Waiting to start");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let names = ["Podium Dana", "Podium Emad", "Podium Farah"];
    let mut clients = rt
        .block_on(async {
            let mut out = Vec::new();
            for n in names {
                let mut t = client::Trainee::connect(port, CODE).await?;
                t.wait_for("Trainee").await?;
                t.send(n.as_bytes()).await;
                t.send(b"\r").await;
                out.push(t);
            }
            Ok::<_, String>(out)
        })
        .unwrap();
    console.wait_for("3 trainees joined");
    // Question 1: Dana and Farah right (a), Emad wrong (b).
    console.keys(&["n"]);
    rt.block_on(async {
        for (t, k) in clients.iter_mut().zip([b"a", b"b", b"a"]) {
            t.wait_for("Question 1 / 5").await?;
            t.send(k).await;
        }
        for t in &mut clients {
            t.wait_for("Your points").await?;
        }
        Ok::<_, String>(())
    })
    .unwrap();
    console.wait_for("Question 1 of 5 · closed");
    console.keys(&["e"]);
    console.wait_for("End the game now?");
    console.keys(&["y"]);
    let s = console.wait_for("SERVER-ENDED");
    assert!(s.contains("SERVER-ENDED status=86"), "{s}");
    drop(clients);
    drop(console);
    // Stopped there: three records, and the game saved at its podium.
    let recs = records_in(&results);
    assert_eq!(recs.len(), 3, "{recs:?}");
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&game_file).unwrap()).unwrap();
    assert_eq!(saved["phase"]["phase"], "podium");
    // One record is lost as well (as if the stop had come before it was written).
    let farah = std::fs::read_dir(&results)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.to_string_lossy().contains("podium-farah")
                && p.extension().is_some_and(|x| x == "json")
        })
        .unwrap_or_else(|| panic!("no record of Farah in {}", results.display()));
    std::fs::remove_file(&farah).unwrap();

    // The next start writes the missing record only, says so, and deletes the saved game.
    let server = Server::start(root, &["--paced"]);
    assert!(
        server
            .banner
            .contains("1 missing records written now, 2 already in the results folder"),
        "{}",
        server.banner
    );
    assert!(!server.banner.contains("goes on"), "{}", server.banner);
    assert!(!game_file.exists());
    let recs = server.records();
    assert_eq!(recs.len(), 3, "{recs:?}");
    let mut who: Vec<&str> = recs
        .iter()
        .map(|r| r["trainee"].as_str().unwrap())
        .collect();
    who.sort_unstable();
    assert_eq!(who, names);
    let farah = recs.iter().find(|r| r["trainee"] == names[2]).unwrap();
    assert_eq!(farah["questions"][0]["verdict"], "right");
    assert!(farah["signature"].as_str().is_some_and(|s| s.len() == 64));
    let emad = recs.iter().find(|r| r["trainee"] == names[1]).unwrap();
    assert_eq!(emad["questions"][0]["verdict"], "wrong");
    assert!(
        std::fs::read_dir(root.join("srv").join("pending"))
            .map_or(true, |mut d| d.next().is_none())
    );
    drop(server);

    // And the start after that begins a new game, writing nothing again.
    let server = Server::start(root, &["--paced"]);
    assert!(
        !server.banner.contains("missing records"),
        "{}",
        server.banner
    );
    assert_eq!(server.records().len(), 3);
}

#[test]
fn the_console_fits_a_paced_game_of_ten_at_80x24_with_its_details_behind_a_key() {
    if !need_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (console, port) = console_server_at(root, "console-80", "", "--paced", (80, 24));
    // The header is one line in a frame of three rows: the command, the code, the sessions.
    let s = console.wait_for("Waiting to start");
    let lines: Vec<&str> = s.lines().collect();
    assert!(
        lines[1].contains(&format!("ssh -p {port} class@127.0.0.1")),
        "{s}"
    );
    assert!(lines[1].contains(&format!("code {CODE}")), "{s}");
    assert!(lines[1].contains("sessions 0 of 200"), "{s}");
    assert!(lines[2].starts_with('└'), "{s}");
    assert!(!s.contains("SHA256:"), "the details are behind a key:\n{s}");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let names: Vec<String> = (0..10).map(|i| format!("Console Eighty {i:02}")).collect();
    let mut clients = rt.block_on(join_paced(port, &names, Some(LOBBY))).unwrap();
    console.wait_for("10 trainees joined");
    // Question 1: trainee i answers (i % 3): a for 0, 3, 6, 9 (right), b for 1, 4, 7, c for
    // 2, 5, 8.
    console.keys(&["n"]);
    console.wait_for("Question 1 of 5");
    rt.block_on(async {
        for (i, t) in clients.iter_mut().enumerate() {
            t.wait_for("Question 1 / 5").await?;
            t.send(&[b'a' + u8::try_from(i % 3).unwrap()]).await;
        }
        Ok::<_, String>(())
    })
    .unwrap();
    // At 80x24 the whole game is on screen: the line, the question, the three bars with
    // their counts, and the leaderboard's five lines down to the fifth place.
    let s = console.wait_until("the distribution and the leaderboard", |s| {
        s.contains("no answer: 0") && s.contains(" 5. ")
    });
    assert!(s.contains("Question 1 of 5 · closed"), "{s}");
    assert_eq!(bar_count(&s, 'a', 0), Some(4), "{s}");
    assert_eq!(bar_count(&s, 'b', 0), Some(3), "{s}");
    assert_eq!(bar_count(&s, 'c', 0), Some(3), "{s}");
    assert!(s.contains("Leaderboard"), "{s}");
    assert!(s.contains(&format!("code {CODE}")), "{s}");
    // The details, wrapped at 80 columns: the host key, the signatures line, the folders.
    console.keys(&["i"]);
    let d = console.wait_for("SHA256:");
    assert!(d.contains("TIPQUIZ_KEY_FILE="), "{d}");
    assert!(d.contains("results folder:"), "{d}");
    assert!(!d.contains("Leaderboard"), "{d}");
    assert!(
        d.lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80)
    );
    console.keys(&["i"]);
    console.wait_for("Leaderboard");
    // The podium of ten: every place down to the tenth.
    console.keys(&["e"]);
    console.wait_for("End the game now?");
    console.keys(&["y"]);
    let s = console.wait_until("the podium of ten", |s| {
        s.contains("Podium") && s.contains("10. ")
    });
    assert!(s.contains("10 attempts recorded"), "{s}");
    for n in &names {
        assert!(s.contains(n.as_str()), "{n} not on the podium:\n{s}");
    }
    drop(clients);
    console.keys(&["q"]);
    console.wait_for("Stop the server?");
    console.keys(&["y"]);
    console.wait_for("SERVER-ENDED");
}

/// The class file of units in the server's results folder is offered on every trainee's home
/// screen, as on a local start, and the unit picked goes into the record.
#[test]
fn the_class_file_of_units_is_offered_to_trainees_over_ssh_and_kept_in_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    std::fs::create_dir_all(&results).unwrap();
    std::fs::write(
        results.join(tipquiz::units::FILE_NAME),
        "[[unit]]\nen = \"Airport security\"\nar = \"أمن المطار\"\n\n\
         [[unit]]\nen = \"Coast guard\"\nar = \"خفر السواحل\"\n\n\
         [[unit]]\nen = \"Port security\"\nar = \"أمن الموانئ\"\n",
    )
    .unwrap();
    let server = Server::start(dir.path(), &[]);
    let port = server.port;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let _t = rt
        .block_on(async {
            let mut t = client::Trainee::connect(port, CODE).await?;
            t.wait_for("Trainee").await?;
            t.send(b"Hessa Al-Mutairi").await;
            // Down to the unit: the class file's three units are offered.
            for _ in 0..3 {
                t.send(b"\x1b[B").await;
            }
            t.wait_for("one of 3 units").await?;
            // PgDn twice: the second unit, by its English name.
            t.send(b"\x1b[6~").await;
            t.send(b"\x1b[6~").await;
            t.wait_for("Coast guard").await?;
            t.send(b"\r").await;
            t.wait_for("Question 1 / 5").await?;
            for k in [&b"1"[..], b"\x1b[C", b"2", b"\x1b[C", b"1"] {
                t.send(k).await;
            }
            t.wait_for("Answered 3").await?;
            t.send(b"\x13").await;
            t.send(b"\r").await;
            Ok::<_, String>(t)
        })
        .unwrap();
    let recs = wait_records(&results, 1);
    assert_eq!(recs.len(), 1, "no record");
    assert_eq!(recs[0]["trainee"], "Hessa Al-Mutairi", "{}", recs[0]);
    assert_eq!(recs[0]["unit"], "Coast guard", "{}", recs[0]);
}
