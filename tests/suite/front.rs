//! The screens run by the one event loop with no terminal at all: a scripted event source, a
//! `TestBackend` as the frame sink and a host with a fake clock, as a server runs them.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use tipquiz::bank::{Library, parse_bank};
use tipquiz::exam::{ExamDef, Mode};
use tipquiz::record::Store;
use tipquiz::text::Lang;
use tipquiz::tui::app::{App, Input, Prefs, Screen};
use tipquiz::tui::front::{
    EventSource, Outcome, Script, SessionOptions, display_for_term, run_loop, run_screens,
    trainee_app,
};
use tipquiz::tui::host::{Host, Places, Saver};

const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
const T0: i64 = 1_800_000_000_000;

fn lib() -> Arc<Library> {
    Arc::new(Library::build(vec![parse_bank("every-type.toml", EVERY).0.unwrap()]).0)
}

fn places(dir: &std::path::Path) -> Places {
    crate::resume::places(dir, &dir.join("results"))
}

fn session(lang: Lang, dir: &std::path::Path, term: &str) -> App {
    let mut exam = ExamDef::quick(&[], 3, Some(600), Mode::Exam);
    exam.shuffle_questions = false;
    exam.shuffle_choices = false;
    trainee_app(
        lib(),
        SessionOptions {
            lang,
            display: display_for_term(term, false),
            exams: Vec::new(),
            fixed_exam: Some(exam),
            trainee: None,
            prefs: Prefs::default(),
            autosaves: Store::new(dir.join("autosave")),
            quit_after: true,
            class_units: Vec::new(),
        },
    )
}

fn k(code: KeyCode) -> Option<Event> {
    Some(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(c: char) -> Option<Event> {
    Some(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

fn text(s: &str) -> Vec<Option<Event>> {
    s.chars().map(|c| k(KeyCode::Char(c))).collect()
}

/// A host whose clock moves one second per reading.
fn host(dir: &std::path::Path) -> Host {
    let t = Arc::new(AtomicI64::new(T0));
    Host::new(places(dir))
        .with_saver(Saver::start())
        .with_clock(move || t.fetch_add(1_000, Ordering::SeqCst))
}

fn screen_text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_whole_attempt_runs_from_scripted_events_to_a_record_in_both_languages() {
    for lang in [Lang::En, Lang::Ar] {
        let d = tempfile::tempdir().unwrap();
        let mut app = session(lang, d.path(), "xterm-256color");
        let mut events = vec![Some(Event::Resize(80, 24))];
        events.extend(text("Trainee Two"));
        events.extend([
            k(KeyCode::Enter),
            k(KeyCode::Char('2')),
            k(KeyCode::Tab),
            None,
            ctrl('s'),
            k(KeyCode::Enter),
        ]);
        let mut source = Script::new(events.clone());
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let mut h = host(d.path());
        let out = run_screens(&mut app, &mut source, &mut terminal, &mut h);
        // The results screen is shown; the script ends there, closed.
        assert!(
            matches!(out, Outcome::Ended(ref e) if e.kind() == std::io::ErrorKind::UnexpectedEof),
            "{out:?}"
        );
        assert!(matches!(app.screen, Screen::Results(_)), "{lang:?}");
        let recs = Store::new(d.path().join("results")).load().records;
        assert_eq!(recs.len(), 1, "{lang:?}: one record");
        assert_eq!(recs[0].1.trainee, "Trainee Two");
        let shown = screen_text(&terminal);
        if lang == Lang::En {
            assert!(
                shown.contains("Results") && shown.contains("Score"),
                "{shown}"
            );
        } else {
            // Shaped and reordered: the word for "results" as it is laid out on screen.
            let word = tipquiz::tui::bidi::visual_lines(
                "النتائج",
                tipquiz::tui::bidi::Dir::Rtl,
                20,
                tipquiz::tui::bidi::BidiMode::Reorder,
                true,
            );
            assert!(shown.contains(word[0].trim()), "{shown}");
        }
        // Enter on the results ends the session.
        let mut more = Script::new([k(KeyCode::Enter)]);
        let out = run_screens(&mut app, &mut more, &mut terminal, &mut h);
        assert!(matches!(out, Outcome::Quit), "{out:?}");
    }
}

#[test]
fn a_closed_source_autosaves_the_attempt_in_progress() {
    let d = tempfile::tempdir().unwrap();
    let mut app = session(Lang::En, d.path(), "xterm");
    let mut events = text("Closed Early");
    events.extend([k(KeyCode::Enter), k(KeyCode::Char('1'))]);
    let mut source = Script::new(events);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut h = host(d.path());
    let out = run_screens(&mut app, &mut source, &mut terminal, &mut h);
    assert!(matches!(out, Outcome::Ended(_)));
    let saved = Store::new(d.path().join("autosave")).all_autosaves();
    assert_eq!(saved.len(), 1);
    assert!(
        saved[0].1.slots[0].response.is_some(),
        "the answer was autosaved"
    );
}

#[test]
fn many_sessions_run_at_once_on_threads_sharing_one_autosave_worker() {
    let d = tempfile::tempdir().unwrap();
    let saver = Saver::start();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let dir = d.path().to_owned();
            let saver = saver.clone();
            std::thread::spawn(move || {
                let mut app = session(Lang::Ar, &dir, "xterm");
                let mut events = text(&format!("Trainee {i}"));
                events.extend([
                    k(KeyCode::Enter),
                    k(KeyCode::Char('1')),
                    ctrl('s'),
                    k(KeyCode::Enter),
                ]);
                let mut source = Script::new(events);
                let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
                let t = AtomicI64::new(T0);
                let mut h = Host::new(places(&dir))
                    .with_saver(saver)
                    .with_clock(move || t.fetch_add(500, Ordering::SeqCst));
                let _ = run_screens(&mut app, &mut source, &mut terminal, &mut h);
                assert!(matches!(app.screen, Screen::Results(_)));
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let recs = Store::new(d.path().join("results")).load().records;
    assert_eq!(recs.len(), 8, "every session wrote its record");
}

/// A scripted source that runs `before(n)` before handing out its `n`th event (something
/// happening in the world while the screens wait).
struct Meanwhile<F: FnMut(usize)> {
    script: Script,
    calls: usize,
    before: F,
}

impl<F: FnMut(usize)> EventSource for Meanwhile<F> {
    fn next_event(
        &mut self,
        timeout: Option<std::time::Duration>,
    ) -> std::io::Result<Option<Event>> {
        (self.before)(self.calls);
        self.calls += 1;
        self.script.next_event(timeout)
    }
}

/// One attempt recorded in `dir`/results, by the trainee's screens in the loop.
fn one_record(dir: &std::path::Path) -> std::path::PathBuf {
    let mut app = session(Lang::En, dir, "xterm-256color");
    let mut events = text("Board Trainee");
    events.extend([
        k(KeyCode::Enter),
        k(KeyCode::Char('1')),
        ctrl('s'),
        k(KeyCode::Enter),
    ]);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let _ = run_screens(
        &mut app,
        &mut Script::new(events),
        &mut terminal,
        &mut host(dir),
    );
    let recs = Store::new(dir.join("results")).load().records;
    assert_eq!(recs.len(), 1, "the attempt was recorded");
    dir.join("results").join(&recs[0].0)
}

#[test]
fn the_live_board_runs_in_the_same_loop_and_shows_an_attempt_that_lands_while_it_waits() {
    let made = tempfile::tempdir().unwrap();
    let record = one_record(made.path());
    let shown = tempfile::tempdir().unwrap();
    let folder = shown.path().to_path_buf();
    let board = tipquiz::report::board::Board::new(&folder, None);
    let mut screens = tipquiz::tui::board::BoardScreen::new(
        board,
        Lang::En,
        tipquiz::text::Digits::default(),
        tipquiz::tui::ui::Display::default(),
    );
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    // Two waits with nothing, the record lands before the second; then a key that does
    // nothing, and q typed on the Arabic layout (ض) leaves.
    let name = record.file_name().unwrap().to_owned();
    let mut source = Meanwhile {
        script: Script::new([None, None, k(KeyCode::Char('x')), k(KeyCode::Char('ض'))]),
        calls: 0,
        before: |n| {
            if n == 1 {
                std::fs::copy(&record, folder.join(&name)).unwrap();
            }
        },
    };
    let out = run_loop(&mut screens, &mut source, &mut terminal);
    assert!(matches!(out, Outcome::Quit), "{out:?}");
    let text = screen_text(&terminal);
    assert!(text.contains("Board Trainee"), "{text}");
    assert!(!text.contains("Waiting for the first attempt"), "{text}");
    // Before the record landed, the board said it was waiting.
    let board = tipquiz::report::board::Board::new(tempfile::tempdir().unwrap().path(), None);
    let mut empty = tipquiz::tui::board::BoardScreen::new(
        board,
        Lang::En,
        tipquiz::text::Digits::default(),
        tipquiz::tui::ui::Display::default(),
    );
    let out = run_loop(&mut empty, &mut Script::new([None]), &mut terminal);
    assert!(matches!(out, Outcome::Ended(_)), "{out:?}");
    assert!(screen_text(&terminal).contains("Waiting for the first attempt"));
}

#[test]
fn the_bank_preview_runs_in_the_same_loop_and_reloads_a_changed_file() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("bank.toml");
    std::fs::write(&path, EVERY).unwrap();
    let mut screens = tipquiz::tui::preview::PreviewScreen::new(
        &path,
        None,
        true,
        Lang::En,
        tipquiz::tui::ui::Display::default(),
        None,
    );
    assert_eq!(screens.code(), 0);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let broken = path.clone();
    let mut source = Meanwhile {
        // Next question, then the file is broken while the preview waits, then q.
        script: Script::new([k(KeyCode::Tab), None, None, k(KeyCode::Char('q'))]),
        calls: 0,
        before: |n| {
            if n == 2 {
                // A different size and a later time: the watch sees the change.
                std::thread::sleep(std::time::Duration::from_millis(20));
                std::fs::write(&broken, "format = 1\nid = \"broken\"\n[[question]]\n").unwrap();
            }
        },
    };
    let out = run_loop(&mut screens, &mut source, &mut terminal);
    assert!(matches!(out, Outcome::Quit), "{out:?}");
    // The file's problems are shown, and leaving now says the file is invalid.
    assert_eq!(screens.code(), 1);
    assert!(matches!(
        screens.view,
        tipquiz::tui::preview::View::Problems(_)
    ));
    let text = screen_text(&terminal);
    assert!(
        text.contains("broken") || text.contains("bank.toml"),
        "{text}"
    );
}

/// A source that types a name and Enter, then, on the turns after the attempt started, says
/// what a class server says: more time, then the end of the exam, through the app's update.
struct Steering {
    events: Script,
    extended: Option<i64>,
}

impl EventSource for Steering {
    fn next_event(
        &mut self,
        timeout: Option<std::time::Duration>,
    ) -> std::io::Result<Option<Event>> {
        self.events.next_event(timeout)
    }

    fn steer(&mut self, app: &mut App, effects: &mut Vec<tipquiz::tui::app::Effect>, now: i64) {
        if app.session().is_none() {
            return;
        }
        if self.extended.is_none() {
            effects.extend(app.update(Input::Extend(120_000), now));
            self.extended = app.session().and_then(|s| s.state.deadline);
        } else {
            effects.extend(app.update(Input::EndNow, now));
        }
    }
}

#[test]
fn the_servers_say_goes_through_update_more_time_the_end_a_refusal_a_hand_over_and_the_display_check()
 {
    use tipquiz::quiz::{EndReason, Status};
    use tipquiz::tui::app::{Effect, Overlay};
    let d = tempfile::tempdir().unwrap();

    // The app alone: each input of the server, and what it changes.
    let mut app = session(Lang::Ar, d.path(), "xterm-256color");
    assert!(app.update(Input::Calibrate, T0).is_empty());
    assert_eq!(app.overlay, Overlay::Calibrate(0));
    app.handle_key(KeyEvent::new(KeyCode::Char('1'), KeyModifiers::NONE), T0);
    assert_eq!(app.overlay, Overlay::None);
    let name = "سالم العتيبي";
    for c in name.chars() {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), T0);
    }
    let start = |app: &mut App, at: i64| {
        let fx = app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), at);
        assert!(app.session().is_some(), "not started: {:?}", app.screen);
        fx
    };
    assert!(start(&mut app, T0).contains(&Effect::Started));
    // More time: ten minutes and two more, said in the trainee's language.
    assert_eq!(app.session().unwrap().state.deadline, Some(T0 + 600_000));
    let fx = app.update(Input::Extend(120_000), T0 + 5_000);
    assert_eq!(fx, vec![Effect::Autosave]);
    assert_eq!(app.session().unwrap().state.deadline, Some(T0 + 720_000));
    let said = app.message.clone().unwrap();
    assert!(said.contains('2') && said.contains("المدرب"), "{said}");
    // Refused: back home, the name kept, the reason shown.
    assert!(
        app.update(Input::Refused("مغلق".into()), T0 + 6_000)
            .is_empty()
    );
    assert!(matches!(app.screen, Screen::Home(_)));
    assert_eq!(app.form().trainee, name);
    assert_eq!(app.message.as_deref(), Some("مغلق"));
    // Nothing to extend or end on the home screen.
    assert!(app.update(Input::Extend(60_000), T0 + 6_500).is_empty());
    assert!(app.update(Input::EndNow, T0 + 6_500).is_empty());
    assert!(matches!(app.screen, Screen::Home(_)));
    // Handed over (to a paced game): back home, the name kept.
    start(&mut app, T0 + 7_000);
    assert!(app.update(Input::HandedOver, T0 + 8_000).is_empty());
    assert!(matches!(app.screen, Screen::Home(_)));
    assert_eq!(app.form().trainee, name);
    // The end of the exam: finished now, as timed out, and to be recorded.
    start(&mut app, T0 + 9_000);
    let fx = app.update(Input::EndNow, T0 + 20_000);
    assert!(fx.contains(&Effect::Commit), "{fx:?}");
    assert!(matches!(app.screen, Screen::Results(_)));
    assert_eq!(
        app.session().unwrap().state.status,
        Status::Finished {
            at: T0 + 20_000,
            reason: EndReason::TimedOut
        }
    );
    assert_eq!(
        app.message.as_deref(),
        Some(tipquiz::messages::ui(Lang::Ar).exam_ended)
    );
    // Once over, the end and more time change nothing.
    assert!(app.update(Input::EndNow, T0 + 30_000).is_empty());
    assert!(app.update(Input::Extend(60_000), T0 + 30_000).is_empty());

    // In the loop, from a front's steer: the record on disk has the time given and the end.
    let d = tempfile::tempdir().unwrap();
    let mut app = session(Lang::En, d.path(), "xterm-256color");
    let mut events = vec![Some(Event::Resize(80, 24))];
    events.extend(text("Trainee Three"));
    events.extend([k(KeyCode::Enter), k(KeyCode::Char('2')), None]);
    let mut source = Steering {
        events: Script::new(events),
        extended: None,
    };
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut h = host(d.path());
    let _ = run_screens(&mut app, &mut source, &mut terminal, &mut h);
    h.flush();
    let started = app.session().unwrap().state.started_at;
    assert_eq!(source.extended, Some(started + 600_000 + 120_000));
    let recs = Store::new(d.path().join("results")).load().records;
    assert_eq!(recs.len(), 1, "one record");
    let r = &recs[0].1;
    assert_eq!(r.trainee, "Trainee Three");
    assert_eq!(r.end_reason, EndReason::TimedOut);
    assert!(
        r.ended_at > started && r.ended_at < started + 600_000,
        "{}",
        r.ended_at
    );
    assert!(
        screen_text(&terminal).contains("The instructor has ended the exam."),
        "{}",
        screen_text(&terminal)
    );
}

#[test]
fn the_boards_pages_turn_with_pgdn_and_pgup_through_the_loop() {
    // A class of 40 (twenty Arabic names) on the board at 80x24: several pages.
    let d = tempfile::tempdir().unwrap();
    crate::class_outputs::class_of_40(d.path());
    for lang in [Lang::En, Lang::Ar] {
        let board = tipquiz::report::board::Board::new(d.path().join("results"), None);
        let display = tipquiz::tui::ui::Display {
            mode: tipquiz::tui::bidi::BidiMode::Reorder,
            shaping: true,
            theme: tipquiz::tui::ui::Theme { color: false },
        };
        let mut screens = tipquiz::tui::board::BoardScreen::new(
            board,
            lang,
            tipquiz::text::Digits::Western,
            display,
        );
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        // "p/N" is one left-to-right run inside the reordered Arabic line.
        let page = |p: usize, of: usize| {
            if lang == Lang::En {
                format!("page {p}/{of}")
            } else {
                format!(" {p}/{of} ")
            }
        };
        // The first frame, then the loop stops when the script is over.
        let out = run_loop(&mut screens, &mut Script::new(Vec::new()), &mut terminal);
        assert!(matches!(out, Outcome::Ended(_)), "{out:?}");
        let first = screen_text(&terminal);
        let of = (2..=10)
            .find(|n| first.contains(&page(1, *n)))
            .unwrap_or_else(|| panic!("{lang:?}: no page count on\n{first}"));
        assert!(first.contains("PgDn/PgUp"), "{first}");
        // PgDn through the loop: page 2, its rows other than the first page's.
        let out = run_loop(
            &mut screens,
            &mut Script::new([k(KeyCode::PageDown)]),
            &mut terminal,
        );
        assert!(matches!(out, Outcome::Ended(_)), "{out:?}");
        let second = screen_text(&terminal);
        assert!(second.contains(&page(2, of)), "{lang:?}:\n{second}");
        assert_ne!(first, second);
        // PgUp twice: page 1, then round to the last page.
        let out = run_loop(
            &mut screens,
            &mut Script::new([k(KeyCode::PageUp), k(KeyCode::PageUp)]),
            &mut terminal,
        );
        assert!(matches!(out, Outcome::Ended(_)), "{out:?}");
        let last = screen_text(&terminal);
        assert!(last.contains(&page(of, of)), "{lang:?}:\n{last}");
        // PgDn from the last page: round to the first, as it was; then q (ض on the Arabic
        // layout) leaves.
        let quit = if lang == Lang::En { 'q' } else { 'ض' };
        let out = run_loop(
            &mut screens,
            &mut Script::new([k(KeyCode::PageDown), k(KeyCode::Char(quit))]),
            &mut terminal,
        );
        assert!(matches!(out, Outcome::Quit), "{out:?}");
        assert!(screen_text(&terminal).contains(&page(1, of)));
    }
}

#[test]
fn a_45_minute_countdown_keeps_the_line_cache_flat() {
    // Each second the countdown draws a line never drawn before; the session's line cache
    // must not keep them all. On a thread of its own, as a class server's session is.
    let entries = std::thread::spawn(|| {
        let d = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        for lang in [Lang::En, Lang::Ar] {
            let mut exam = ExamDef::quick(&[], 3, Some(45 * 60), Mode::Exam);
            exam.shuffle_questions = false;
            exam.shuffle_choices = false;
            let mut app = trainee_app(
                lib(),
                SessionOptions {
                    lang,
                    display: display_for_term("xterm-256color", true),
                    exams: Vec::new(),
                    fixed_exam: Some(exam),
                    trainee: Some("Trainee Four".into()),
                    prefs: Prefs::default(),
                    autosaves: Store::new(d.path().join("autosave")),
                    quit_after: false,
                    class_units: Vec::new(),
                },
            );
            app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), T0);
            assert!(app.session().is_some());
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
            let mut sizes = Vec::new();
            for sec in 0..45 * 60 {
                let now = T0 + sec * 1000;
                app.update(Input::Tick, now);
                terminal
                    .draw(|f| {
                        tipquiz::tui::ui::draw(f, &app, app.display, now);
                    })
                    .unwrap();
                if sec % 300 == 299 {
                    sizes.push(tipquiz::tui::ui::line_cache_entries());
                }
            }
            // The clock did run: the last second of the 45 minutes is on screen.
            let shown = screen_text(&terminal);
            assert!(shown.contains("00:01"), "{shown}");
            out.push((lang, sizes));
        }
        out
    })
    .join()
    .unwrap();
    for (lang, sizes) in entries {
        // A new line every second for 2,700 seconds: without a bound the cache would hold
        // them all; two generations of 512 hold at most 1,024 entries.
        assert_eq!(sizes.len(), 9);
        assert!(sizes.iter().all(|&n| n <= 1024), "{lang:?}: {sizes:?}");
        assert!(sizes.iter().any(|&n| n > 512), "{lang:?}: {sizes:?}");
    }
}

/// A frame sink that keeps the screen as a terminal would (a `TestBackend`) and counts the
/// cells of each drawing.
struct Counting {
    screen: TestBackend,
    cells: Vec<usize>,
}

impl ratatui::backend::Backend for Counting {
    type Error = <TestBackend as ratatui::backend::Backend>::Error;
    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        let cells: Vec<_> = content.collect();
        self.cells.push(cells.len());
        self.screen.draw(cells.into_iter())
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.screen.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.screen.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<ratatui::layout::Position, Self::Error> {
        self.screen.get_cursor_position()
    }
    fn set_cursor_position<P: Into<ratatui::layout::Position>>(
        &mut self,
        position: P,
    ) -> Result<(), Self::Error> {
        self.screen.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.screen.clear()
    }
    fn clear_region(&mut self, t: ratatui::backend::ClearType) -> Result<(), Self::Error> {
        self.screen.clear_region(t)
    }
    fn size(&self) -> Result<ratatui::layout::Size, Self::Error> {
        self.screen.size()
    }
    fn window_size(&mut self) -> Result<ratatui::backend::WindowSize, Self::Error> {
        self.screen.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        ratatui::backend::Backend::flush(&mut self.screen)
    }
}

/// Events, each after the clock has moved by its milliseconds; then closed.
struct Timed {
    clock: Arc<AtomicI64>,
    events: std::collections::VecDeque<(i64, Option<Event>)>,
}

impl EventSource for Timed {
    fn next_event(
        &mut self,
        _timeout: Option<std::time::Duration>,
    ) -> std::io::Result<Option<Event>> {
        let (dt, e) = self
            .events
            .pop_front()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::UnexpectedEof))?;
        self.clock.fetch_add(dt, Ordering::SeqCst);
        Ok(e)
    }
}

/// A countdown's seconds drawn alone (only its rows sent) leave the terminal showing exactly
/// what a whole drawing at that moment shows: after ticks alone, and after a key that draws
/// the whole screen again, whose frame ratatui compares with its last whole frame, not with
/// the rows drawn since. Both languages, the full screen with the exam's and the question's
/// clocks, and the compact one; a tick sends a row or two, not the screen.
#[test]
fn a_countdown_drawn_alone_leaves_the_screen_a_whole_drawing_would_show() {
    use tipquiz::tui::ui;
    for lang in [Lang::En, Lang::Ar] {
        for (w, h) in [(100, 30), (80, 24), (40, 12)] {
            // Ticks, then maybe keys (flag, next question) and more ticks.
            // Ten seconds of ticks and more: a whole frame's last digit can then equal the last
            // whole frame's (09:59, 09:49) while the screen shows another second (09:50).
            let long: Vec<Vec<Option<Event>>> = (7..=10)
                .map(|n| {
                    std::iter::repeat_n(None, n)
                        .chain([k(KeyCode::Char('f'))])
                        .collect()
                })
                .collect();
            let short: [&[Option<Event>]; 4] = [
                &[None, None, None],
                &[None, None, k(KeyCode::Char('f'))],
                &[None, None, k(KeyCode::Right), None, None],
                &[
                    None,
                    k(KeyCode::Char('1')),
                    None,
                    k(KeyCode::Char('f')),
                    None,
                ],
            ];
            let plans = short.into_iter().chain(long.iter().map(Vec::as_slice));
            for plan in plans {
                let d = tempfile::tempdir().unwrap();
                let mut exam = ExamDef::quick(&[], 3, Some(600), Mode::Exam);
                exam.shuffle_questions = false;
                exam.shuffle_choices = false;
                exam.question_time_limit = Some(90);
                let mut app = trainee_app(
                    lib(),
                    SessionOptions {
                        lang,
                        display: display_for_term("xterm-256color", false),
                        exams: Vec::new(),
                        fixed_exam: Some(exam),
                        trainee: None,
                        prefs: Prefs::default(),
                        autosaves: Store::new(d.path().join("autosave")),
                        quit_after: true,
                        class_units: Vec::new(),
                    },
                );
                app.form_mut().trainee = "Sara K".into();
                let _ = app.start(T0);
                let clock = Arc::new(AtomicI64::new(T0));
                let read = Arc::clone(&clock);
                let mut host = Host::new(places(d.path()))
                    .with_saver(Saver::start())
                    .with_clock(move || read.load(Ordering::SeqCst));
                // Each event 1.3 s after the one before (the seconds shown move by one or two).
                let events = plan.iter().map(|e| (1_300, e.clone())).collect();
                let mut source = Timed {
                    clock: Arc::clone(&clock),
                    events,
                };
                let mut terminal = Terminal::new(Counting {
                    screen: TestBackend::new(w, h),
                    cells: Vec::new(),
                })
                .unwrap();
                let _ = run_screens(&mut app, &mut source, &mut terminal, &mut host);
                assert!(matches!(app.screen, Screen::Quiz(_)));
                let now = clock.load(Ordering::SeqCst);
                let mut whole = Terminal::new(TestBackend::new(w, h)).unwrap();
                whole
                    .draw(|f| {
                        ui::draw(f, &app, app.display, now);
                    })
                    .unwrap();
                let what = format!("{lang:?} {w}x{h} {plan:?}");
                assert_eq!(
                    terminal.backend().screen.buffer(),
                    whole.backend().buffer(),
                    "{what}"
                );
                // The first frame drew the whole screen; a tick that followed a tick was not
                // drawn whole.
                let cells = &terminal.backend().cells;
                assert!(cells[0] > usize::from(w) * 2, "{what}: {cells:?}");
                let ticks = plan
                    .windows(2)
                    .filter(|p| p[0].is_none() && p[1].is_none())
                    .count();
                let whole_frames = terminal.get_frame().count();
                assert!(
                    whole_frames + ticks <= 1 + plan.len(),
                    "{what}: {whole_frames}"
                );
            }
        }
    }
}

/// Every clock moves at the start of a second of the wall clock, whatever its deadline's
/// fraction of a second: two trainees who started 0.37 s apart are woken at the same instant
/// (a class server sends their clocks together), each wake-up shows one second less, and what
/// a clock shows as it moves is the time left in whole seconds, never more.
#[test]
fn clocks_move_together_at_the_start_of_each_second_showing_the_whole_seconds_left() {
    use tipquiz::tui::front::wait_for;
    use tipquiz::tui::ui::shown_seconds;
    let d = tempfile::tempdir().unwrap();
    let started = [T0 + 120, T0 + 490];
    let mut apps: Vec<App> = started
        .iter()
        .map(|&at| {
            let mut app = session(Lang::En, d.path(), "xterm");
            app.form_mut().trainee = format!("Trainee {at}");
            let _ = app.start(at);
            app
        })
        .collect();
    for (app, &at) in apps.iter_mut().zip(&started) {
        let deadline = app.session().unwrap().state.deadline.unwrap();
        assert_eq!(deadline, at + 600_000);
        // From 1.25 s after the start, wake-up after wake-up for 12 s.
        let mut now = at + 1_250;
        let mut last = None;
        for _ in 0..12 {
            let wait = i64::try_from(wait_for(app, now).unwrap().as_millis()).unwrap();
            now += wait;
            assert_eq!(now.rem_euclid(1000), 0, "woken at the start of a second");
            let left = deadline - now;
            let shown = shown_seconds(left, now);
            assert!(
                shown * 1000 <= left && left - shown * 1000 < 1000,
                "{shown} s for {left} ms"
            );
            if let Some(l) = last {
                assert_eq!(shown, l - 1);
            }
            last = Some(shown);
            let _ = app.update(Input::Tick, now);
        }
    }
    assert_eq!(shown_seconds(300, T0 + 10_000), 0);
    // Within a second, what was shown at its start: 1.3 s left at 9.9 s were 2.2 s at 9 s.
    assert_eq!(shown_seconds(1_300, T0 + 9_900), 2);
    assert_eq!(shown_seconds(0, T0), 0);
}
