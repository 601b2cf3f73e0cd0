//! The screens' state and how actions change it ([`App::update`], the only place it changes).
//! Pure: time comes in as `now`, effects go out; keys arrive as actions from the keymap.

use super::i18n::{self, ui};
use super::keymap::{self, Action, Context, Situation};
use crate::bank::{Kind, Library};
use crate::exam::{ExamDef, Mode, Review};
use crate::quiz::{
    self, Attempt, EndReason, Millis, Outcome, Rejection, Response, Session, seed_for,
};
use crate::record::Store;
use crate::text::Lang;
use crossterm::event::KeyEvent;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What the loop must do after an update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// An attempt has just started: note it in the results folder (its start marker).
    Started,
    /// Save the attempt in progress.
    Autosave,
    /// Record the finished attempt in the results folder.
    Commit,
    /// Remember the trainee's choices.
    SavePrefs,
    /// Leave the program.
    Quit,
    /// Stop until continued (Ctrl-Z), for the fronts that can (after an autosave).
    Suspend,
    /// Switch who reorders right-to-left text (the front may have to tell the terminal).
    FlipBidi,
    /// Remember who reorders right-to-left text on this terminal.
    SaveBidi(super::bidi::BidiMode),
}

/// What the screens' update takes: an action of the keys, or an event of the host (the loop
/// that runs the screens and carries out their effects). Every change of the state comes
/// through one of these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A key's action (from the keymap).
    Act(Action),
    /// Time passed (the loop's wait ran out): deadlines, the one-minute warning.
    Tick,
    /// What the last drawing found could be scrolled at this size (a window change shows
    /// here too): scrolling is clamped to it.
    Measured(ScrollLimits),
    /// The host's answer to [`Effect::Commit`]: the record was written, or not.
    Saved(SaveStatus),
    /// Something the host wants the trainee to read on the message line (a save that failed
    /// or is slow, a marker that could not be written, a refused attempt); `None` clears it.
    Notice(Option<String>),
    /// Back from a suspension that began at this time: the pause is not counted.
    Resumed(Millis),
    /// Right-to-left text is now laid out this way (the front switched it with the terminal).
    Display(super::display::Display),
    /// Ask first whether right-to-left text reads correctly (the display check), before
    /// anything else is typed.
    Calibrate,
    /// The front refused the attempt just started or resumed (the class server: the exam has
    /// ended, joins are locked, the attempt is open on another connection): back to the home
    /// screen with the name kept, and why on the message line.
    Refused(String),
    /// The attempt just started was handed over to the front, which runs it elsewhere (the
    /// class server's paced game holds every trainee's attempt): back to the home screen.
    HandedOver,
    /// The instructor gave this many more milliseconds to the attempt on screen.
    Extend(Millis),
    /// The instructor ended the exam: the attempt on screen ends now, as timed out, and is
    /// recorded.
    EndNow,
}

impl From<Action> for Input {
    fn from(a: Action) -> Input {
        Input::Act(a)
    }
}

/// The screen shown, with its state: each screen owns what it shows and edits, and the form
/// of the home screen it goes back to.
#[derive(Clone, Debug)]
pub enum Screen {
    /// Trainee, exam or quick quiz, language.
    Home(HomeForm),
    /// Offer to resume an unfinished attempt.
    Resume(Box<ResumeOffer>),
    /// A question.
    Quiz(Box<QuizScreen>),
    /// Score and chart.
    Results(Box<Finished>),
    /// Walk through the questions after submitting (at this question).
    Review(Box<Finished>, usize),
}

/// The offer to resume an unfinished attempt.
#[derive(Clone, Debug)]
pub struct ResumeOffer {
    /// The attempt saved.
    pub attempt: Attempt,
    /// The home form, to go back to.
    pub form: HomeForm,
}

/// The attempt in progress.
#[derive(Clone, Debug)]
pub struct QuizScreen {
    /// The attempt.
    pub session: Session,
    /// The question's view state.
    pub view: QuestionView,
    /// The one-minute warning was given.
    pub warned_minute: bool,
    /// The home form, to go back to.
    pub form: HomeForm,
}

/// A finished attempt (results and review).
#[derive(Clone, Debug)]
pub struct Finished {
    /// The attempt.
    pub session: Session,
    /// Save status of its record.
    pub save: SaveStatus,
    /// The home form, to go back to.
    pub form: HomeForm,
}

/// A dialog over the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// No dialog.
    None,
    /// Key help.
    Help,
    /// Submit confirmation.
    ConfirmSubmit,
    /// Quit confirmation.
    ConfirmQuit,
    /// Typing a question number.
    Goto(String),
    /// First run in Arabic: does the sample line read correctly? (the number of switches so
    /// far).
    Calibrate(u8),
}

/// Fields of the home form, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// Trainee name.
    Trainee,
    /// The trainee's unit or department (optional, free text).
    Unit,
    /// Interface language.
    Language,
    /// Digits of the numbers the program writes in the Arabic interface.
    Digits,
    /// Exam or quick quiz.
    Exam,
    /// Topics (quick quiz).
    Topics,
    /// Number of questions (quick quiz).
    Count,
    /// Time limit (quick quiz).
    Time,
    /// Practice or exam (quick quiz).
    Mode,
    /// Start button.
    Start,
}

/// Remembered choices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    /// Last trainee.
    pub trainee: String,
    /// Language per trainee (slug → language).
    #[serde(default)]
    pub langs: std::collections::BTreeMap<String, Lang>,
    /// Last exam id ("" for the quick quiz).
    #[serde(default)]
    pub exam: String,
    /// Quick quiz topics.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Quick quiz size.
    #[serde(default)]
    pub count: usize,
    /// Quick quiz time in minutes (0: none).
    #[serde(default)]
    pub minutes: u32,
    /// Quick quiz in practice mode.
    #[serde(default)]
    pub practice: bool,
    /// Who reorders right-to-left text on this terminal, once calibrated (`reorder`/`terminal`).
    #[serde(default)]
    pub bidi: Option<String>,
    /// Digits of the numbers in the Arabic interface, per trainee (slug → digits).
    #[serde(default)]
    pub digits: std::collections::BTreeMap<String, crate::text::Digits>,
    /// The unit (department) each trainee last gave (slug → unit as given).
    #[serde(default)]
    pub units: std::collections::BTreeMap<String, String>,
}

/// The home form.
#[derive(Clone, Debug)]
pub struct HomeForm {
    /// Focused field.
    pub focus: Field,
    /// Trainee name being typed.
    pub trainee: String,
    /// Where the next character of the name goes (a character index).
    pub caret: usize,
    /// 0 = quick quiz, i = exams[i-1].
    pub exam: usize,
    /// Topics with their question counts and whether chosen.
    pub topics: Vec<(String, usize, bool)>,
    /// Cursor in the topic list.
    pub topic_cursor: usize,
    /// Number of questions.
    pub count: usize,
    /// Minutes (0: no limit).
    pub minutes: u32,
    /// Practice or exam.
    pub mode: Mode,
    /// Ask only for the trainee (the quiz was chosen on the command line).
    pub trainee_only: bool,
    /// The trainee's unit or department being typed (optional).
    pub unit: String,
    /// Where the next character of the unit goes (a character index).
    pub unit_caret: usize,
}

/// State of the question on screen.
#[derive(Clone, Debug, Default)]
pub struct QuestionView {
    /// Cursor (display position of a choice, item or left item).
    pub cursor: usize,
    /// Order questions: the item under the cursor is picked up.
    pub grabbed: bool,
    /// Short questions: the text being typed (logical order).
    pub text: String,
    /// Short questions: where the next character goes (a character index into `text`).
    pub caret: usize,
    /// Order questions: the arrangement on screen (item indices).
    pub arrangement: Vec<usize>,
    /// Match questions: pairs being made (left → right).
    pub pairs: Vec<Option<usize>>,
    /// Showing the other language.
    pub other_lang: bool,
    /// Lines scrolled by hand (Up/Down past the ends, or on an answered question), added to
    /// the scroll that follows the cursor; the drawing clamps it.
    pub scroll: i32,
}

/// Saving state of the finished attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    /// Not tried yet.
    Pending,
    /// Written, at this path.
    Saved(String),
    /// Not in the results folder, with the reason, and where the attempt is kept on this
    /// computer (`None`: nowhere but in this window's memory; it is tried again).
    Failed(String, Option<String>),
}

/// The whole interface state: the session's settings, the screen shown (which owns its
/// state), the dialog over it and the message line.
#[derive(Clone)]
// Independent switches (preview, quit after, attempt locking), not a state machine.
#[allow(clippy::struct_excessive_bools)]
pub struct App {
    /// Interface language.
    pub lang: Lang,
    /// Digits of the numbers the program writes in the Arabic interface.
    pub digits: crate::text::Digits,
    /// Loaded banks.
    pub lib: Arc<Library>,
    /// Exams offered on the home screen.
    pub exams: Vec<ExamDef>,
    /// Current screen, with its state.
    pub screen: Screen,
    /// Dialog.
    pub overlay: Overlay,
    /// A one-line message (info or warning).
    pub message: Option<String>,
    /// Where attempts in progress are saved (for the resume offer).
    pub autosaves: Store,
    /// The exam chosen on the command line, if any.
    pub fixed_exam: Option<ExamDef>,
    /// Leave after the results instead of going home.
    pub quit_after: bool,
    /// Instructor preview: answer keys shown, nothing recorded.
    pub preview: bool,
    /// This process's hold on the attempt on screen (from the start or resume offer until the
    /// trainee goes home): a second terminal on the same trainee and exam is refused.
    pub attempt_lock: Option<Arc<crate::record::AttemptLock>>,
    /// The local terminal's rules: take that hold. The class server keeps one attempt to one
    /// connection itself, and tests that run two apps on one attempt in one process do not.
    pub lock_attempts: bool,
    /// The local terminal's folders, where the trainee could edit their own files: with them a
    /// resumed attempt runs under the loaded exam's rules (not the autosave's), a new attempt at
    /// an exam on a paper already started keeps that start's clock (its start marker in the
    /// results folder), and the attempt is also locked in its results folder. The class server
    /// writes every file itself and leaves this `None`.
    pub places: Option<super::places::Places>,
    /// Lines scrolled on the page shown (help, results, review, resume); back to 0 when the
    /// page changes. The drawing clamps it.
    pub page_scroll: u16,
    /// What the last drawing found could be scrolled (the app knows no sizes; the loop hands
    /// over what the drawing returned): keys clamp [`App::page_scroll`] and
    /// [`QuestionView::scroll`] to it, so that scrolling past an end does not have to be undone
    /// key by key.
    pub scroll_limits: ScrollLimits,
    /// How right-to-left text is laid out on this session's terminal.
    pub display: super::display::Display,
    /// The units of the class file in the results folder ([`crate::units`]), offered on the
    /// home screen when the exam offers none: set with [`App::set_class_units`].
    pub class_units: Vec<crate::units::ClassUnit>,
    /// Counts the updates that may have changed what is drawn, other than the time shown
    /// ([`App::version`]).
    version: u64,
}

/// The scroll limits of the last drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScrollLimits {
    /// Largest [`App::page_scroll`].
    pub page_max: u16,
    /// Smallest [`QuestionView::scroll`].
    pub view_min: i32,
    /// Largest [`QuestionView::scroll`].
    pub view_max: i32,
}

impl Default for ScrollLimits {
    fn default() -> Self {
        ScrollLimits {
            page_max: 999,
            view_min: -999,
            view_max: 999,
        }
    }
}

fn minute_steps() -> [u32; 9] {
    [0, 5, 10, 15, 20, 25, 30, 45, 60]
}

/// What a trainee session starts with (the local terminal's and the class server's).
#[derive(Clone, Debug)]
pub struct SessionOptions {
    /// Interface language.
    pub lang: Lang,
    /// How right-to-left text is laid out.
    pub display: super::display::Display,
    /// Exams offered on the home screen (the quick quiz is always offered).
    pub exams: Vec<ExamDef>,
    /// One exam only: the home screen asks for the trainee and starts it.
    pub fixed_exam: Option<ExamDef>,
    /// The trainee's name, when already known (the form still shows it).
    pub trainee: Option<String>,
    /// Remembered choices (empty for a server).
    pub prefs: Prefs,
    /// Where attempts in progress are autosaved (for the resume offer).
    pub autosaves: Store,
    /// End the session after the results instead of going back home.
    pub quit_after: bool,
    /// The units of the class file, offered on the home screen when the exam offers none.
    pub class_units: Vec<crate::units::ClassUnit>,
}

impl App {
    /// The app of one trainee session, set up as `opts` says before its first frame (the
    /// fronts change nothing of it afterwards except through [`App::update`]).
    #[must_use]
    pub fn for_session(lib: Arc<Library>, opts: SessionOptions) -> App {
        let mut app = App::new(lib, opts.exams, &opts.prefs, opts.lang, opts.autosaves);
        app.display = opts.display;
        app.quit_after = opts.quit_after;
        app.set_class_units(opts.class_units);
        if let Some(e) = opts.fixed_exam {
            app.fixed_exam = Some(e);
            let form = app.form_mut();
            form.trainee_only = true;
            form.focus = Field::Trainee;
        }
        if let Some(t) = opts.trainee {
            let form = app.form_mut();
            form.caret = t.chars().count();
            form.trainee = t;
        }
        app
    }

    /// A new app on the home screen.
    #[must_use]
    pub fn new(
        lib: Arc<Library>,
        exams: Vec<ExamDef>,
        prefs: &Prefs,
        lang: Lang,
        autosaves: Store,
    ) -> App {
        let topics = lib
            .topics()
            .into_iter()
            .map(|(t, n)| {
                let on = prefs.topics.is_empty() || prefs.topics.contains(&t);
                (t, n, on)
            })
            .collect();
        let exam = exams
            .iter()
            .position(|e| e.id == prefs.exam)
            .map_or(0, |i| i + 1);
        // The unit this trainee gave last time.
        let remembered = prefs
            .units
            .get(&crate::record::trainee_slug(&prefs.trainee))
            .cloned()
            .unwrap_or_default();
        App {
            lang,
            digits: prefs
                .digits
                .get(&crate::record::trainee_slug(&prefs.trainee))
                .copied()
                .unwrap_or_default(),
            lib,
            exams,
            screen: Screen::Home(HomeForm {
                focus: if prefs.trainee.is_empty() {
                    Field::Trainee
                } else {
                    Field::Start
                },
                trainee: prefs.trainee.clone(),
                caret: prefs.trainee.chars().count(),
                unit: remembered.clone(),
                unit_caret: remembered.chars().count(),
                exam,
                topics,
                topic_cursor: 0,
                count: if prefs.count == 0 { 10 } else { prefs.count },
                minutes: prefs.minutes,
                mode: if prefs.practice || prefs.count == 0 {
                    Mode::Practice
                } else {
                    Mode::Exam
                },
                trainee_only: false,
            }),
            overlay: Overlay::None,
            message: None,
            autosaves,
            fixed_exam: None,
            quit_after: false,
            preview: false,
            attempt_lock: None,
            lock_attempts: false,
            places: None,
            page_scroll: 0,
            scroll_limits: ScrollLimits::default(),
            display: super::display::Display::default(),
            class_units: Vec::new(),
            version: 0,
        }
    }

    /// A number that changes with every update that may change what the screens draw, other
    /// than the time they show: a time that passes and changes nothing else (no deadline
    /// reached, no warning), or scroll limits measured again as they were, leave it as it is.
    /// A front may then draw only the clocks over its last frame.
    #[must_use]
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The unit the trainee on the form gave last time (per `prefs`), in the interface
    /// language when it is a unit of the class file; empty when none is remembered.
    pub fn recall_unit(&mut self, prefs: &Prefs) {
        let lang = self.lang;
        let slug = crate::record::trainee_slug(self.form().trainee.trim());
        let mut unit = prefs.units.get(&slug).cloned().unwrap_or_default();
        if let Some(u) = crate::units::find(&self.class_units, &unit) {
            unit = u.name(lang).to_owned();
        }
        let form = self.form_mut();
        form.unit_caret = unit.chars().count();
        form.unit = unit;
    }

    /// The units of the class file: offered on the home screen in the interface language when
    /// the exam offers none; a unit on the form that is one of them is shown by its name in the
    /// interface language.
    pub fn set_class_units(&mut self, units: Vec<crate::units::ClassUnit>) {
        let lang = self.lang;
        let form = self.form_mut();
        if let Some(u) = crate::units::find(&units, &form.unit) {
            form.unit = u.name(lang).to_owned();
            form.unit_caret = form.unit.chars().count();
        }
        self.class_units = units;
    }

    /// The home form: the one on screen, or the one the screen shown goes back to.
    #[must_use]
    pub fn form(&self) -> &HomeForm {
        match &self.screen {
            Screen::Home(h) => h,
            Screen::Resume(r) => &r.form,
            Screen::Quiz(q) => &q.form,
            Screen::Results(f) | Screen::Review(f, _) => &f.form,
        }
    }

    /// The home form, to change (the front sets the trainee and a fixed exam before the
    /// first frame).
    pub fn form_mut(&mut self) -> &mut HomeForm {
        match &mut self.screen {
            Screen::Home(h) => h,
            Screen::Resume(r) => &mut r.form,
            Screen::Quiz(q) => &mut q.form,
            Screen::Results(f) | Screen::Review(f, _) => &mut f.form,
        }
    }

    /// The attempt on screen (in progress, or finished on the results and the review).
    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        match &self.screen {
            Screen::Quiz(q) => Some(&q.session),
            Screen::Results(f) | Screen::Review(f, _) => Some(&f.session),
            Screen::Home(_) | Screen::Resume(_) => None,
        }
    }

    /// The attempt on screen, to change (the fronts' own switches: more time, the end of the
    /// exam).
    pub fn session_mut(&mut self) -> Option<&mut Session> {
        match &mut self.screen {
            Screen::Quiz(q) => Some(&mut q.session),
            Screen::Results(f) | Screen::Review(f, _) => Some(&mut f.session),
            Screen::Home(_) | Screen::Resume(_) => None,
        }
    }

    /// The question's view state, on the question screen.
    #[must_use]
    pub fn view(&self) -> Option<&QuestionView> {
        match &self.screen {
            Screen::Quiz(q) => Some(&q.view),
            _ => None,
        }
    }

    /// How far the question's body is scrolled, on the quiz screen.
    fn view_scroll(&self) -> Option<i32> {
        match &self.screen {
            Screen::Quiz(q) => Some(q.view.scroll),
            _ => None,
        }
    }

    fn quiz(&mut self) -> Option<&mut QuizScreen> {
        match &mut self.screen {
            Screen::Quiz(q) => Some(q),
            _ => None,
        }
    }

    fn saved(&mut self, status: SaveStatus) {
        if let Screen::Results(f) | Screen::Review(f, _) = &mut self.screen {
            f.save = status;
        }
    }

    /// The save status of the finished attempt (results and review).
    #[must_use]
    pub fn save_status(&self) -> Option<&SaveStatus> {
        match &self.screen {
            Screen::Results(f) | Screen::Review(f, _) => Some(&f.save),
            _ => None,
        }
    }

    /// Show an attempt's questions (the instructor's preview: answer keys shown, nothing
    /// recorded).
    pub fn show_session(&mut self, session: Session) {
        let form = self.form().clone();
        self.screen = Screen::Quiz(Box::new(QuizScreen {
            session,
            view: QuestionView::default(),
            warned_minute: false,
            form,
        }));
        self.enter_question();
    }

    /// Back to the home screen without the attempt on screen, the form as it was (the name
    /// kept): a front refused the attempt or took it over ([`Input::Refused`],
    /// [`Input::HandedOver`]).
    fn drop_attempt(&mut self) {
        let form = self.form().clone();
        self.screen = Screen::Home(form);
        self.overlay = Overlay::None;
    }

    /// The strings of the interface language.
    #[must_use]
    pub fn t(&self) -> &'static i18n::Ui {
        ui(self.lang)
    }

    /// The choices to remember.
    #[must_use]
    pub fn prefs(&self, mut old: Prefs) -> Prefs {
        let home = self.form();
        old.trainee = home.trainee.trim().to_owned();
        old.langs
            .insert(crate::record::trainee_slug(&old.trainee), self.lang);
        old.digits
            .insert(crate::record::trainee_slug(&old.trainee), self.digits);
        let slug = crate::record::trainee_slug(&old.trainee);
        match self.unit() {
            Some(u) => old.units.insert(slug, u),
            None => old.units.remove(&slug),
        };
        old.exam = if home.exam == 0 {
            String::new()
        } else {
            self.exams
                .get(home.exam - 1)
                .map(|e| e.id.clone())
                .unwrap_or_default()
        };
        old.topics = home
            .topics
            .iter()
            .filter(|t| t.2)
            .map(|t| t.0.clone())
            .collect();
        old.count = home.count;
        old.minutes = home.minutes;
        old.practice = home.mode == Mode::Practice;
        old
    }

    /// The exam the home form describes.
    #[must_use]
    pub fn chosen_exam(&self) -> Option<ExamDef> {
        if let Some(e) = &self.fixed_exam {
            return Some(e.clone());
        }
        let home = self.form();
        if home.exam > 0 {
            return self.exams.get(home.exam - 1).cloned();
        }
        let topics: Vec<String> = home
            .topics
            .iter()
            .filter(|t| t.2)
            .map(|t| t.0.clone())
            .collect();
        if topics.is_empty() {
            return None;
        }
        let all = topics.len() == home.topics.len();
        let t = if all { Vec::new() } else { topics };
        let time = (home.minutes > 0).then_some(home.minutes * 60);
        Some(ExamDef::quick(&t, home.count, time, home.mode))
    }

    /// The unit typed or picked on the home screen, trimmed; `None` when left empty.
    fn unit(&self) -> Option<String> {
        let u = self.form().unit.trim();
        (!u.is_empty()).then(|| u.to_owned())
    }

    /// The units the chosen exam offers on the home screen (empty: free text only).
    #[must_use]
    pub fn offered_units(&self) -> Vec<String> {
        let of_exam = self.chosen_exam().map(|e| e.units).unwrap_or_default();
        if !of_exam.is_empty() {
            return of_exam;
        }
        self.class_units
            .iter()
            .map(|u| u.name(self.lang).to_owned())
            .collect()
    }

    fn home_fields(&self) -> Vec<Field> {
        let home = self.form();
        if home.trainee_only {
            return vec![
                Field::Trainee,
                Field::Language,
                Field::Digits,
                Field::Unit,
                Field::Start,
            ];
        }
        let mut f = vec![
            Field::Trainee,
            Field::Language,
            Field::Digits,
            Field::Unit,
            Field::Exam,
        ];
        if home.exam == 0 {
            f.extend([Field::Topics, Field::Count, Field::Time, Field::Mode]);
        }
        f.push(Field::Start);
        f
    }

    /// Which page is shown, for resetting [`App::page_scroll`] when it changes.
    fn page(&self) -> (u8, usize, u8) {
        let screen = match &self.screen {
            Screen::Home(_) => (0, 0),
            Screen::Resume(_) => (1, 0),
            Screen::Quiz(_) => (2, 0),
            Screen::Results(_) => (3, 0),
            Screen::Review(_, i) => (4, *i),
        };
        let overlay = match &self.overlay {
            Overlay::None => 0,
            Overlay::Help => 1,
            Overlay::ConfirmSubmit => 2,
            Overlay::ConfirmQuit => 3,
            Overlay::Goto(_) => 4,
            Overlay::Calibrate(_) => 5,
        };
        (screen.0, screen.1, overlay)
    }

    /// Start with the calibration question (who reorders right-to-left text): [`App::update`]
    /// with [`Input::Calibrate`].
    pub fn calibrate(&mut self) {
        self.update(Input::Calibrate, 0);
    }

    /// More time for the attempt on screen: a message in the trainee's language and an
    /// autosave when it changed (an attempt without a time limit, or finished, keeps its time).
    fn extend(&mut self, ms: Millis) -> Vec<Effect> {
        let Some(s) = self.session_mut() else {
            return Vec::new();
        };
        if !s.extend(ms) {
            return Vec::new();
        }
        self.message = Some(i18n::fill(
            self.t().extra_time,
            &[(ms / 60_000).to_string()],
        ));
        vec![Effect::Autosave]
    }

    /// The exam ended from outside: the attempt on screen ends now as timed out (what the
    /// clock does at a deadline: the results, and the record to write).
    fn end_now(&mut self, now: Millis) -> Vec<Effect> {
        let Some(s) = self.session_mut() else {
            return Vec::new();
        };
        if !s.end_now(now) {
            return Vec::new();
        }
        let fx = self.clock(now);
        self.message = Some(self.t().exam_ended.to_owned());
        fx
    }

    /// The line printed after leaving with an attempt unfinished.
    #[must_use]
    pub fn quit_note(&self) -> &'static str {
        self.t().quit_note
    }

    /// The scroll limits measured by a drawing: scrolling beyond them is pulled back now,
    /// so that the drawing has nothing to correct.
    fn measured(&mut self, limits: ScrollLimits) {
        self.scroll_limits = limits;
        self.page_scroll = self.page_scroll.min(limits.page_max);
        let (lo, hi) = (limits.view_min.min(0), limits.view_max.max(0));
        if let Some(q) = self.quiz() {
            q.view.scroll = q.view.scroll.clamp(lo, hi);
        }
    }

    /// What the keys need to know now: the table of the screen (or dialog) shown, the
    /// direction of the interface, and the choice labels on screen.
    #[must_use]
    pub fn situation(&self) -> Situation {
        let (context, labels, choices) = match &self.overlay {
            Overlay::Help => (Context::Help, self.lang, 0),
            Overlay::ConfirmSubmit | Overlay::ConfirmQuit => (Context::Dialog, self.lang, 0),
            Overlay::Goto(_) => (Context::GoTo, self.lang, 0),
            Overlay::Calibrate(_) => (Context::Calibrate, self.lang, 0),
            Overlay::None => self.screen_context(),
        };
        Situation {
            context,
            lang: self.lang,
            labels,
            choices,
        }
    }

    /// What the help describes: the keys of the screen under the help.
    #[must_use]
    pub fn help_situation(&self) -> Situation {
        let (context, labels, choices) = self.screen_context();
        Situation {
            context,
            lang: self.lang,
            labels,
            choices,
        }
    }

    /// The language the question (and its choice labels) is shown in.
    #[must_use]
    pub fn question_lang(&self) -> Lang {
        if self.view().is_some_and(|v| v.other_lang) {
            self.lang.other()
        } else {
            self.lang
        }
    }

    fn screen_context(&self) -> (Context, Lang, usize) {
        let lang = self.lang;
        match &self.screen {
            Screen::Home(h) if matches!(h.focus, Field::Trainee | Field::Unit) => {
                (Context::HomeName, lang, 0)
            }
            Screen::Home(_) => (Context::HomeForm, lang, 0),
            Screen::Resume(_) => (Context::Resume, lang, 0),
            Screen::Results(_) => (Context::Results, lang, 0),
            Screen::Review(..) => (Context::Review, lang, 0),
            Screen::Quiz(_) => {
                let Some((kind, locked)) = self.current_kind_ref() else {
                    return (Context::Answered, lang, 0);
                };
                let labels = self.question_lang();
                let n = match kind {
                    Kind::Single { choices, .. } | Kind::Multiple { choices, .. } => choices.len(),
                    Kind::TrueFalse { .. } => 2,
                    Kind::Match { pairs } => pairs.len(),
                    Kind::Order { .. } | Kind::Short { .. } | Kind::Numerical { .. } => 0,
                };
                let context = match kind {
                    Kind::Short { .. } | Kind::Numerical { .. } if !locked => Context::Typing,
                    _ if locked => Context::Answered,
                    Kind::Order { .. } => Context::Arranging,
                    Kind::Match { .. } => Context::Matching,
                    _ => Context::Choosing,
                };
                (context, labels, n)
            }
        }
    }

    /// Handle a key at `now`: the keymap turns it into an action (or nothing), then
    /// [`App::update`].
    pub fn handle_key(&mut self, key: KeyEvent, now: Millis) -> Vec<Effect> {
        match keymap::action(&key, &self.situation()) {
            Some(a) => self.update(a, now),
            None => Vec::new(),
        }
    }

    /// Apply an action of the keys or an event of the host at `now`: the only place where the
    /// screens' state changes. Returns what the front must do.
    pub fn update(&mut self, input: impl Into<Input>, now: Millis) -> Vec<Effect> {
        let input = input.into();
        if !matches!(input, Input::Tick | Input::Measured(_)) {
            self.version = self.version.wrapping_add(1);
        }
        let action = match input {
            Input::Act(a) => a,
            Input::Tick => return self.clock(now),
            Input::Measured(limits) => {
                let before = (self.scroll_limits, self.page_scroll, self.view_scroll());
                self.measured(limits);
                if (self.scroll_limits, self.page_scroll, self.view_scroll()) != before {
                    self.version = self.version.wrapping_add(1);
                }
                return Vec::new();
            }
            Input::Saved(status) => {
                self.saved(status);
                return Vec::new();
            }
            Input::Notice(text) => {
                self.message = text;
                return Vec::new();
            }
            Input::Resumed(stopped) => {
                if let Some(s) = self.session_mut() {
                    s.record_pause(stopped, now);
                }
                return self.clock(now);
            }
            Input::Display(d) => {
                self.display = d;
                return Vec::new();
            }
            Input::Calibrate => {
                self.overlay = Overlay::Calibrate(0);
                return Vec::new();
            }
            Input::Refused(why) => {
                self.drop_attempt();
                self.message = Some(why);
                return Vec::new();
            }
            Input::HandedOver => {
                self.drop_attempt();
                return Vec::new();
            }
            Input::Extend(ms) => return self.extend(ms),
            Input::EndNow => return self.end_now(now),
        };
        let before = self.page();
        let fx = self.update_inner(action, now);
        if self.page() != before {
            self.page_scroll = 0;
        }
        fx
    }

    fn scroll_page(&mut self, action: Action) -> bool {
        let max = self.scroll_limits.page_max;
        let s = self.page_scroll.min(max);
        self.page_scroll = match action {
            Action::Up => s.saturating_sub(1),
            Action::Down => s.saturating_add(1).min(max),
            Action::PageUp => s.saturating_sub(5),
            Action::PageDown => s.saturating_add(5).min(max),
            _ => return false,
        };
        true
    }

    /// Scroll the question body by `by` lines.
    fn scroll_view(&mut self, by: i32) {
        let l = self.scroll_limits;
        let lo = l.view_min.min(0);
        let hi = l.view_max.max(0);
        if let Some(q) = self.quiz() {
            q.view.scroll = q.view.scroll.clamp(lo, hi).saturating_add(by).clamp(lo, hi);
        }
    }

    fn update_inner(&mut self, action: Action, now: Millis) -> Vec<Effect> {
        match action {
            Action::QuitNow => {
                // Leave now, keeping what is typed in a short answer's box, as Esc and Tab do.
                let mut fx = self.save_typed(now);
                fx.retain(|e| *e != Effect::Autosave);
                fx.extend([Effect::Autosave, Effect::Quit]);
                return fx;
            }
            Action::Suspend => return vec![Effect::Suspend],
            Action::FlipBidi => return vec![Effect::FlipBidi],
            _ => {}
        }
        let mut fx = self.clock(now);
        if fx.contains(&Effect::Commit) {
            return fx;
        }
        match self.overlay.clone() {
            Overlay::Calibrate(tries) => {
                match action {
                    Action::Yes => {
                        self.overlay = Overlay::None;
                        fx.push(Effect::SaveBidi(self.display.mode));
                    }
                    Action::No => {
                        self.overlay = if tries >= 3 {
                            Overlay::None
                        } else {
                            Overlay::Calibrate(tries + 1)
                        };
                        fx.push(Effect::FlipBidi);
                    }
                    Action::Cancel => self.overlay = Overlay::None,
                    _ => {}
                }
                return fx;
            }
            Overlay::Help => {
                if !self.scroll_page(action) {
                    self.overlay = Overlay::None;
                }
                return fx;
            }
            Overlay::ConfirmSubmit => {
                match action {
                    Action::Yes => {
                        self.overlay = Overlay::None;
                        fx.extend(self.act(quiz::Action::Submit, now));
                    }
                    Action::No => self.overlay = Overlay::None,
                    _ => {}
                }
                return fx;
            }
            Overlay::ConfirmQuit => {
                match action {
                    Action::Yes => fx.extend([Effect::Autosave, Effect::Quit]),
                    Action::No => self.overlay = Overlay::None,
                    _ => {}
                }
                return fx;
            }
            Overlay::Goto(mut s) => {
                match action {
                    Action::Type(c) if keymap::digit(c).is_some() && s.len() < 4 => {
                        s.push(char::from(b'0' + keymap::digit(c).unwrap_or(0)));
                        self.overlay = Overlay::Goto(s);
                    }
                    Action::DeleteBack => {
                        s.pop();
                        self.overlay = Overlay::Goto(s);
                    }
                    Action::Confirm => {
                        self.overlay = Overlay::None;
                        if let Ok(n) = s.parse::<usize>()
                            && n >= 1
                        {
                            fx.extend(self.act(quiz::Action::Goto(n - 1), now));
                        }
                    }
                    Action::Cancel => self.overlay = Overlay::None,
                    _ => {}
                }
                return fx;
            }
            Overlay::None => {}
        }
        if action == Action::Help {
            self.overlay = Overlay::Help;
            return fx;
        }
        match &self.screen {
            Screen::Home(_) => fx.extend(self.home_update(action, now)),
            Screen::Resume(_) => fx.extend(self.resume_update(action, now)),
            Screen::Quiz(_) => fx.extend(self.quiz_update(action, now)),
            Screen::Results(f) => match action {
                Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                    self.scroll_page(action);
                }
                Action::Review => {
                    if f.session.state.exam.review >= Review::Wrong {
                        self.replace_screen(|s| match s {
                            Screen::Results(f) => Screen::Review(f, 0),
                            other => other,
                        });
                    } else {
                        self.message = Some(self.t().review_not_allowed.to_owned());
                    }
                }
                Action::RetrySave => {
                    if matches!(f.save, SaveStatus::Failed(..)) {
                        fx.push(Effect::Commit);
                    }
                }
                Action::Cancel => fx.push(Effect::Quit),
                Action::Finish => {
                    if self.quit_after {
                        fx.push(Effect::Quit);
                    } else {
                        self.go_home();
                    }
                }
                _ => {}
            },
            Screen::Review(f, i) => {
                let n = f.session.len();
                let i = *i;
                match action {
                    Action::Next | Action::Prev => {
                        let to = if action == Action::Next {
                            (i + 1).min(n.saturating_sub(1))
                        } else {
                            i.saturating_sub(1)
                        };
                        if let Screen::Review(_, at) = &mut self.screen {
                            *at = to;
                        }
                    }
                    Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                        self.scroll_page(action);
                    }
                    Action::Cancel => self.replace_screen(|s| match s {
                        Screen::Review(f, _) => Screen::Results(f),
                        other => other,
                    }),
                    _ => {}
                }
            }
        }
        fx
    }

    /// Change the screen by moving its state into the next one.
    fn replace_screen(&mut self, to: impl FnOnce(Screen) -> Screen) {
        let blank = Screen::Home(self.form().clone());
        let from = std::mem::replace(&mut self.screen, blank);
        self.screen = to(from);
    }

    fn go_home(&mut self) {
        let mut form = self.form().clone();
        form.focus = Field::Trainee;
        form.trainee.clear();
        form.caret = 0;
        self.screen = Screen::Home(form);
        self.attempt_lock = None;
        self.message = None;
    }

    fn home_update(&mut self, action: Action, now: Millis) -> Vec<Effect> {
        let fields = self.home_fields();
        let pos = fields
            .iter()
            .position(|f| *f == self.form().focus)
            .unwrap_or(0);
        let rtl = self.lang.is_rtl();
        let n_exams = self.exams.len() + 1;
        let units = if matches!(action, Action::Increase | Action::Decrease) {
            self.offered_units()
        } else {
            Vec::new()
        };
        let Screen::Home(h) = &mut self.screen else {
            return Vec::new();
        };
        let next_field = fields[(pos + 1).min(fields.len() - 1)];
        let prev_field = fields[pos.saturating_sub(1)];
        match action {
            Action::Cancel => return vec![Effect::Quit],
            Action::Up if h.focus == Field::Topics && h.topic_cursor > 0 => h.topic_cursor -= 1,
            Action::Down if h.focus == Field::Topics && h.topic_cursor + 1 < h.topics.len() => {
                h.topic_cursor += 1;
            }
            Action::Up | Action::PrevField => h.focus = prev_field,
            Action::Down | Action::NextField => h.focus = next_field,
            Action::Confirm | Action::Toggle if h.focus == Field::Topics => {
                if let Some(t) = h.topics.get_mut(h.topic_cursor) {
                    t.2 = !t.2;
                }
            }
            Action::Confirm => return self.start(now),
            Action::Type(c) if h.focus == Field::Trainee && h.trainee.chars().count() < 60 => {
                insert_at(&mut h.trainee, &mut h.caret, c);
            }
            Action::Type(c) if h.focus == Field::Unit && h.unit.chars().count() < 60 => {
                insert_at(&mut h.unit, &mut h.unit_caret, c);
            }
            Action::DeleteBack
            | Action::DeleteForward
            | Action::CaretHome
            | Action::CaretEnd
            | Action::CaretLeft
            | Action::CaretRight
                if h.focus == Field::Unit =>
            {
                let box_rtl = text_rtl(&h.unit, rtl);
                edit(&mut h.unit, &mut h.unit_caret, action, box_rtl);
            }
            Action::DeleteBack
            | Action::DeleteForward
            | Action::CaretHome
            | Action::CaretEnd
            | Action::CaretLeft
            | Action::CaretRight
                if h.focus == Field::Trainee =>
            {
                let box_rtl = text_rtl(&h.trainee, rtl);
                edit(&mut h.trainee, &mut h.caret, action, box_rtl);
            }
            Action::Increase | Action::Decrease => {
                let up = action == Action::Increase;
                match h.focus {
                    Field::Language => {
                        self.lang = self.lang.other();
                    }
                    Field::Digits => {
                        self.digits = self.digits.other();
                    }
                    Field::Exam => {
                        let n = n_exams;
                        h.exam = if up {
                            (h.exam + 1) % n
                        } else {
                            (h.exam + n - 1) % n
                        };
                    }
                    Field::Count => {
                        h.count = if up {
                            (h.count + 5).min(100)
                        } else {
                            h.count.saturating_sub(5).max(5)
                        };
                    }
                    Field::Time => {
                        let steps = minute_steps();
                        let i = steps.iter().position(|m| *m == h.minutes).unwrap_or(0);
                        h.minutes = steps[if up {
                            (i + 1).min(steps.len() - 1)
                        } else {
                            i.saturating_sub(1)
                        }];
                    }
                    Field::Mode => {
                        h.mode = if h.mode == Mode::Practice {
                            Mode::Exam
                        } else {
                            Mode::Practice
                        };
                    }
                    Field::Topics => {
                        if let Some(t) = h.topics.get_mut(h.topic_cursor) {
                            t.2 = !t.2;
                        }
                    }
                    Field::Unit if !units.is_empty() => {
                        // The next (previous) unit of the list after the one shown; from a
                        // unit typed by hand, the first (last).
                        let n = units.len();
                        let i = units.iter().position(|u| *u == h.unit.trim());
                        let j = match (i, up) {
                            (Some(i), true) => (i + 1) % n,
                            (Some(i), false) => (i + n - 1) % n,
                            (None, true) => 0,
                            (None, false) => n - 1,
                        };
                        h.unit.clone_from(&units[j]);
                        h.unit_caret = h.unit.chars().count();
                    }
                    Field::Trainee | Field::Unit | Field::Start => {}
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// Start (or offer to resume) the chosen quiz for the typed trainee.
    pub fn start(&mut self, now: Millis) -> Vec<Effect> {
        let trainee = self.form().trainee.trim().to_owned();
        if trainee.is_empty() {
            self.message = Some(self.t().need_trainee.to_owned());
            self.form_mut().focus = Field::Trainee;
            return Vec::new();
        }
        if let Some(why) = crate::record::name_problem(&trainee) {
            self.message = Some(why.render(self.lang));
            self.form_mut().focus = Field::Trainee;
            return Vec::new();
        }
        if let Some(why) = crate::exam::unit_problem(&self.form().unit) {
            self.message = Some(why.render(self.lang));
            self.form_mut().focus = Field::Unit;
            return Vec::new();
        }
        let Some(exam) = self.chosen_exam() else {
            self.message = Some(self.t().need_topic.to_owned());
            return Vec::new();
        };
        if self.lock_attempts && !self.preview {
            match self.lock(&exam, &trainee) {
                Ok(lock) => self.attempt_lock = lock,
                Err(busy) => {
                    self.message = Some(crate::messages::Msg::from(busy).render(self.lang));
                    return Vec::new();
                }
            }
        }
        if let Some(mut a) = self.autosaves.load_autosave(&exam.id, &trainee)
            && matches!(a.status, crate::quiz::Status::Running)
        {
            if self.places.is_some() {
                // The rules are the loaded exam's: the autosave is the trainee's own file.
                a = a.under_rules(&exam, &self.lib);
            }
            match Session::resume(a.clone(), &self.lib) {
                Ok(_) => {
                    let form = self.form().clone();
                    self.screen = Screen::Resume(Box::new(ResumeOffer { attempt: a, form }));
                    return vec![Effect::SavePrefs];
                }
                Err(e) if exam.mode != Mode::Practice && self.places.is_some() => {
                    // The exam changed under the attempt: say so, and do not start the clock
                    // again on a new attempt.
                    self.message = Some(
                        crate::msg!(ExamChangedSinceStart, exam.id.as_str(), e.message())
                            .render(self.lang),
                    );
                    return Vec::new();
                }
                Err(_) => {}
            }
        }
        self.begin(&exam, &trainee, now)
    }

    /// Take the attempt for this process: the lock beside the autosaves and, on a local
    /// terminal, the one in the results folder (which a second data folder does not get
    /// around). A new attempt makes its missing results folder to lock it there; one already
    /// started (an autosave or its start marker's copy beside the autosaves) never makes it.
    /// `Err`: what to tell the trainee.
    fn lock(
        &self,
        exam: &ExamDef,
        trainee: &str,
    ) -> Result<Option<Arc<crate::record::AttemptLock>>, crate::messages::K> {
        use crate::messages::K;
        let local = self
            .autosaves
            .lock_attempt(&exam.id, trainee)
            .map_err(|_| K::AttemptBusy)?;
        let shared = match &self.places {
            Some(p) => super::places::results_for(p, exam)
                .lock_attempt_in_results(
                    &exam.id,
                    trainee,
                    !self.autosaves.holds_started(&exam.id, trainee),
                )
                .map_err(|_| K::AttemptBusyShared)?,
            None => None,
        };
        Ok(match (local, shared) {
            (None, None) => None,
            (l, r) => Some(Arc::new(crate::record::AttemptLock::both(l, r))),
        })
    }

    fn begin(&mut self, exam: &ExamDef, trainee: &str, now: Millis) -> Vec<Effect> {
        let seed = seed_for(&exam.id, trainee);
        // An exam on a paper this trainee already started, with no record of it: the clock
        // goes on from that start (deleting the autosave does not give a fresh clock).
        let earlier = match &self.places {
            Some(p) if exam.mode != Mode::Practice => {
                super::places::unrecorded_start(p, exam, trainee, seed)
            }
            _ => None,
        };
        match Session::start(
            exam,
            &self.lib,
            trainee,
            seed,
            self.lang,
            earlier.unwrap_or(now),
        ) {
            Ok(mut s) => {
                s.state.unit = self.unit();
                self.show_session(s);
                self.message = None;
                let mut fx = vec![Effect::SavePrefs, Effect::Started, Effect::Autosave];
                if let Some(at) = earlier {
                    self.message = Some(
                        crate::msg!(
                            ClockFromEarlierStart,
                            crate::report::rfc3339_utc(at)
                                .chars()
                                .skip(11)
                                .take(5)
                                .collect::<String>()
                        )
                        .render(self.lang),
                    );
                    fx.extend(self.tick(now));
                    fx.push(Effect::Autosave);
                }
                fx
            }
            Err(e) => {
                self.message = Some(e.to_string());
                Vec::new()
            }
        }
    }

    fn resume_update(&mut self, action: Action, now: Millis) -> Vec<Effect> {
        let Screen::Resume(offer) = &self.screen else {
            return Vec::new();
        };
        let a = &offer.attempt;
        let form = offer.form.clone();
        match action {
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                self.scroll_page(action);
                Vec::new()
            }
            Action::Yes => match Session::resume(a.clone(), &self.lib) {
                Ok(mut s) => {
                    s.state.lang = self.lang;
                    self.show_session(s);
                    let mut fx = self.clock(now);
                    fx.push(Effect::Autosave);
                    fx
                }
                Err(e) => {
                    self.message = Some(e.message().render(self.lang));
                    self.screen = Screen::Home(form);
                    Vec::new()
                }
            },
            Action::No if a.exam.mode == Mode::Practice => {
                let exam = a.exam.clone();
                let trainee = a.trainee.clone();
                self.begin(&exam, &trainee, now)
            }
            Action::No => {
                // An exam's clock cannot be restarted by starting again.
                self.message = Some(self.t().resume_only.to_owned());
                Vec::new()
            }
            Action::Cancel => {
                self.screen = Screen::Home(form);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Set up the view for the current question from its saved response.
    pub fn enter_question(&mut self) {
        let Some(quiz) = self.quiz() else { return };
        let s = &quiz.session;
        let i = s.current();
        let q = &s.questions[i];
        let order = s.order(i);
        let r = s.state.slots[i].response.clone();
        let mut v = QuestionView::default();
        match (&q.kind, r) {
            (Kind::Short { .. } | Kind::Numerical { .. }, Some(Response::Text(t))) => {
                v.caret = t.chars().count();
                v.text = t;
            }
            (Kind::Order { .. }, Some(Response::Order(seq))) => v.arrangement = seq,
            (Kind::Order { .. }, _) => v.arrangement = order.to_vec(),
            (Kind::Match { pairs }, Some(Response::Match(m))) => {
                v.pairs = m;
                v.pairs.resize(pairs.len(), None);
            }
            (Kind::Match { pairs }, _) => v.pairs = vec![None; pairs.len()],
            (Kind::Single { .. }, Some(Response::Choice(c))) => {
                v.cursor = order.iter().position(|o| *o == c).unwrap_or(0);
            }
            _ => {}
        }
        quiz.view = v;
    }

    /// Apply an action to the session and return the effects.
    pub fn act(&mut self, action: quiz::Action, now: Millis) -> Vec<Effect> {
        let Some(q) = self.quiz() else {
            return Vec::new();
        };
        let s = &mut q.session;
        let before = s.current();
        if matches!(
            action,
            quiz::Action::Answer(_) | quiz::Action::Check | quiz::Action::Clear
        ) {
            // The body changes: show it from where the cursor (or the feedback) is.
            q.view.scroll = 0;
        }
        let out = s.update(action, now);
        let after = s.current();
        if before != after {
            self.enter_question();
        }
        self.outcome(out)
    }

    fn outcome(&mut self, out: Outcome) -> Vec<Effect> {
        let t = self.t();
        match out {
            Outcome::Changed => vec![Effect::Autosave],
            Outcome::Unchanged => Vec::new(),
            Outcome::Finished(reason) => {
                self.replace_screen(|s| match s {
                    Screen::Quiz(q) => Screen::Results(Box::new(Finished {
                        session: q.session,
                        save: SaveStatus::Pending,
                        form: q.form,
                    })),
                    other => other,
                });
                self.overlay = Overlay::None;
                self.message = (reason == EndReason::TimedOut).then(|| t.time_up.to_owned());
                vec![Effect::Autosave, Effect::Commit]
            }
            Outcome::Rejected(r) => {
                self.message = match r {
                    Rejection::NotAllowed => Some(t.not_allowed_back.to_owned()),
                    Rejection::Locked => Some(t.answer_locked.to_owned()),
                    Rejection::NothingToCheck => Some(t.nothing_to_check.to_owned()),
                    Rejection::Finished | Rejection::OutOfRange | Rejection::Invalid => None,
                };
                Vec::new()
            }
        }
    }

    /// Time passed: [`App::update`] with [`Input::Tick`].
    pub fn tick(&mut self, now: Millis) -> Vec<Effect> {
        self.update(Input::Tick, now)
    }

    /// Apply the clock: deadlines and the one-minute warning.
    fn clock(&mut self, now: Millis) -> Vec<Effect> {
        let warning = self.t().one_minute_warning;
        let Some(q) = self.quiz() else {
            return Vec::new();
        };
        let s = &mut q.session;
        let before = s.current();
        let out = s.tick(now);
        let after = s.current();
        let left = s.remaining(now);
        let mut warn = false;
        if let Some(ms) = left
            && ms <= 60_000
            && !q.warned_minute
            && out == Outcome::Unchanged
        {
            q.warned_minute = true;
            warn = true;
        }
        if before != after {
            self.enter_question();
        }
        if warn {
            self.message = Some(warning.to_owned());
        }
        if out != Outcome::Unchanged || before != after || warn {
            self.version = self.version.wrapping_add(1);
        }
        self.outcome(out)
    }

    fn current_kind(&self) -> Option<(Kind, bool)> {
        self.current_kind_ref()
            .map(|(k, locked)| (k.clone(), locked))
    }

    /// The current question's kind (borrowed: every frame asks for it) and whether its answer
    /// can no longer change.
    fn current_kind_ref(&self) -> Option<(&Kind, bool)> {
        let s = self.session()?;
        let i = s.current();
        let slot = &s.state.slots[i];
        Some((&s.questions[i].kind, slot.locked || slot.checked))
    }

    fn practice(&self) -> bool {
        self.session()
            .is_some_and(|s| s.state.exam.mode == Mode::Practice)
    }

    fn choose(&mut self, pos: usize, now: Millis) -> Vec<Effect> {
        let Some((kind, _)) = self.current_kind() else {
            return Vec::new();
        };
        let practice = self.practice();
        let Some(q) = self.quiz() else {
            return Vec::new();
        };
        let s = &q.session;
        let i = s.current();
        let order = s.order(i).to_vec();
        let mut fx = Vec::new();
        match kind {
            Kind::Single { choices, .. } if pos < choices.len() => {
                q.view.cursor = pos;
                fx.extend(self.act(quiz::Action::Answer(Response::Choice(order[pos])), now));
                if practice {
                    fx.extend(self.act(quiz::Action::Check, now));
                }
            }
            Kind::Multiple { choices, .. } if pos < choices.len() => {
                q.view.cursor = pos;
                let mut cur = match &s.state.slots[i].response {
                    Some(Response::Choices(c)) => c.clone(),
                    _ => Vec::new(),
                };
                let c = order[pos];
                if let Some(k) = cur.iter().position(|x| *x == c) {
                    cur.remove(k);
                } else {
                    cur.push(c);
                    cur.sort_unstable();
                }
                fx.extend(self.act(quiz::Action::Answer(Response::Choices(cur)), now));
            }
            Kind::TrueFalse { .. } if pos < 2 => {
                q.view.cursor = pos;
                fx.extend(self.act(quiz::Action::Answer(Response::Bool(pos == 0)), now));
                if practice {
                    fx.extend(self.act(quiz::Action::Check, now));
                }
            }
            Kind::Match { pairs } if pos < pairs.len() => {
                let v = &mut q.view;
                let left = v.cursor.min(pairs.len() - 1);
                let right = order[pos];
                for p in &mut v.pairs {
                    if *p == Some(right) {
                        *p = None;
                    }
                }
                v.pairs[left] = Some(right);
                if v.cursor + 1 < pairs.len() {
                    v.cursor += 1;
                }
                let pairs = v.pairs.clone();
                fx.extend(self.act(quiz::Action::Answer(Response::Match(pairs)), now));
            }
            _ => {}
        }
        fx
    }

    /// Whether the short answer's box holds what is recorded (or nothing): the arrows then
    /// move between questions instead of in the text.
    fn box_settled(&self) -> bool {
        let Screen::Quiz(q) = &self.screen else {
            return true;
        };
        let (s, text) = (&q.session, &q.view.text);
        text.is_empty()
            || matches!(&s.state.slots[s.current()].response, Some(Response::Text(t)) if t == text)
    }

    /// Keys of a short answer's box.
    fn typing_update(&mut self, action: Action, now: Millis) -> Vec<Effect> {
        let question_rtl = self.question_lang().is_rtl();
        let settled = self.box_settled();
        let practice = self.practice();
        let lang_rtl = self.lang.is_rtl();
        let Some(q) = self.quiz() else {
            return Vec::new();
        };
        let v = &mut q.view;
        let rtl = text_rtl(&v.text, question_rtl);
        match action {
            Action::Type(c) if v.text.chars().count() < 200 => {
                insert_at(&mut v.text, &mut v.caret, c);
                self.sync_draft(now)
            }
            Action::DeleteBack | Action::DeleteForward => {
                edit(&mut v.text, &mut v.caret, action, rtl);
                self.sync_draft(now)
            }
            Action::Confirm => {
                let mut fx = self.save_typed(now);
                if practice {
                    fx.extend(self.act(quiz::Action::Check, now));
                }
                fx
            }
            Action::CaretLeft | Action::CaretRight if settled => {
                // Onward is Right in English, Left in Arabic.
                let onward = (action == Action::CaretRight) != lang_rtl;
                let step = if onward {
                    quiz::Action::Next
                } else {
                    quiz::Action::Prev
                };
                self.leave_and(step, now)
            }
            Action::CaretLeft | Action::CaretRight | Action::CaretHome | Action::CaretEnd => {
                edit(&mut v.text, &mut v.caret, action, rtl);
                Vec::new()
            }
            Action::Up => {
                self.scroll_view(-1);
                Vec::new()
            }
            Action::Down => {
                self.scroll_view(1);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Answer an order question with the arrangement on screen.
    fn answer_order(&mut self, now: Millis) -> Vec<Effect> {
        let Some(q) = self.quiz() else {
            return Vec::new();
        };
        let arrangement = q.view.arrangement.clone();
        self.act(quiz::Action::Answer(Response::Order(arrangement)), now)
    }

    fn quiz_update(&mut self, action: Action, now: Millis) -> Vec<Effect> {
        let Some((kind, locked)) = self.current_kind() else {
            return Vec::new();
        };
        self.message = None;
        match action {
            Action::Next => return self.leave_and(quiz::Action::Next, now),
            Action::Prev => return self.leave_and(quiz::Action::Prev, now),
            Action::Flag => return self.act(quiz::Action::Flag, now),
            Action::Submit => {
                let fx = self.save_typed(now);
                self.overlay = Overlay::ConfirmSubmit;
                return fx;
            }
            Action::Cancel => {
                let fx = self.save_typed(now);
                self.overlay = Overlay::ConfirmQuit;
                return fx;
            }
            Action::GoTo => {
                let fx = self.save_typed(now);
                self.overlay = Overlay::Goto(String::new());
                return fx;
            }
            Action::OtherLanguage => {
                let Some(q) = self.quiz() else {
                    return Vec::new();
                };
                q.view.other_lang = !q.view.other_lang;
                if q.view.other_lang {
                    return self.act(quiz::Action::OtherLanguage, now);
                }
                return Vec::new();
            }
            _ => {}
        }
        if matches!(kind, Kind::Short { .. } | Kind::Numerical { .. }) && !locked {
            return self.typing_update(action, now);
        }
        let n_rows = match &kind {
            Kind::Single { choices, .. } | Kind::Multiple { choices, .. } => choices.len(),
            Kind::TrueFalse { .. } => 2,
            Kind::Order { items } => items.len(),
            Kind::Match { pairs } => pairs.len(),
            Kind::Short { .. } | Kind::Numerical { .. } => 0,
        };
        let order = matches!(kind, Kind::Order { .. });
        let practice = self.practice();
        let Some(q) = self.quiz() else {
            return Vec::new();
        };
        let v = &mut q.view;
        match action {
            Action::Clear => {
                if let Kind::Match { pairs } = &kind {
                    v.pairs = vec![None; pairs.len()];
                }
                if order {
                    v.arrangement = q.session.order(q.session.current()).to_vec();
                }
                return self.act(quiz::Action::Clear, now);
            }
            Action::Up => {
                if order && v.grabbed && !locked && v.cursor > 0 {
                    v.arrangement.swap(v.cursor, v.cursor - 1);
                    v.cursor -= 1;
                    return self.answer_order(now);
                }
                // On an answer that can no longer change, and above the first row, Up scrolls.
                if locked || v.cursor == 0 {
                    self.scroll_view(-1);
                } else {
                    v.cursor -= 1;
                    v.scroll = 0;
                }
            }
            Action::Down => {
                if order && v.grabbed && !locked && v.cursor + 1 < n_rows {
                    v.arrangement.swap(v.cursor, v.cursor + 1);
                    v.cursor += 1;
                    return self.answer_order(now);
                }
                if !locked && v.cursor + 1 < n_rows {
                    v.cursor += 1;
                    v.scroll = 0;
                } else {
                    self.scroll_view(1);
                }
            }
            Action::Toggle if order && !locked => {
                v.grabbed = !v.grabbed;
            }
            Action::Toggle if order => {}
            Action::Confirm if order => {
                v.grabbed = false;
                let mut fx = self.answer_order(now);
                if practice {
                    fx.extend(self.act(quiz::Action::Check, now));
                }
                return fx;
            }
            Action::Confirm
                if matches!(kind, Kind::Multiple { .. } | Kind::Match { .. }) && practice =>
            {
                return self.act(quiz::Action::Check, now);
            }
            Action::Confirm | Action::Toggle if !matches!(kind, Kind::Match { .. }) => {
                let pos = v.cursor;
                return self.choose(pos, now);
            }
            Action::Answer(pos) => return self.choose(pos, now),
            _ => {}
        }
        Vec::new()
    }

    fn save_typed(&mut self, now: Millis) -> Vec<Effect> {
        let Some((Kind::Short { .. } | Kind::Numerical { .. }, false)) = self.current_kind() else {
            return Vec::new();
        };
        let Screen::Quiz(q) = &self.screen else {
            return Vec::new();
        };
        let text = q.view.text.clone();
        if text.trim().is_empty() {
            let has = q.session.state.slots[q.session.current()]
                .response
                .is_some();
            return if has {
                self.act(quiz::Action::Clear, now)
            } else {
                Vec::new()
            };
        }
        self.act(quiz::Action::Answer(Response::Text(text)), now)
    }

    /// Tell the session what is in a short answer's box, so that it is recorded if the time
    /// runs out before the trainee confirms it.
    fn sync_draft(&mut self, now: Millis) -> Vec<Effect> {
        let Some(q) = self.quiz() else {
            return Vec::new();
        };
        let before = q.session.current();
        let draft = Some(Response::Text(q.view.text.clone()));
        let out = q.session.set_draft(draft, now);
        if q.session.current() != before {
            self.enter_question();
        }
        match out {
            // A draft is no answer yet: nothing to save, nothing to say.
            Outcome::Unchanged | Outcome::Rejected(_) => Vec::new(),
            out => self.outcome(out),
        }
    }

    fn leave_and(&mut self, action: quiz::Action, now: Millis) -> Vec<Effect> {
        let mut fx = self.save_typed(now);
        fx.extend(self.act(action, now));
        fx
    }
}

/// Whether a text box is laid out right to left: when it holds an Arabic letter, else in the
/// direction of the screen it is on.
#[must_use]
pub fn text_rtl(text: &str, screen_rtl: bool) -> bool {
    if text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        true
    } else if text.chars().any(char::is_alphabetic) {
        false
    } else {
        screen_rtl
    }
}

fn byte_at(text: &str, caret: usize) -> usize {
    text.char_indices()
        .nth(caret)
        .map_or(text.len(), |(i, _)| i)
}

/// Insert `c` at the caret (a character index) and move the caret past it.
fn insert_at(text: &mut String, caret: &mut usize, c: char) {
    let n = text.chars().count();
    *caret = (*caret).min(n);
    text.insert(byte_at(text, *caret), c);
    *caret += 1;
}

/// Edit a text box at its caret: delete before or after it, or move it. Left and Right move
/// across the screen: in a right-to-left box Left goes towards the end of the text.
fn edit(text: &mut String, caret: &mut usize, action: Action, rtl: bool) {
    let n = text.chars().count();
    *caret = (*caret).min(n);
    match action {
        Action::DeleteBack if *caret > 0 => {
            *caret -= 1;
            text.remove(byte_at(text, *caret));
        }
        Action::DeleteForward if *caret < n => {
            text.remove(byte_at(text, *caret));
        }
        Action::CaretLeft | Action::CaretRight => {
            let forward = (action == Action::CaretRight) != rtl;
            *caret = if forward {
                (*caret + 1).min(n)
            } else {
                caret.saturating_sub(1)
            };
        }
        Action::CaretHome => *caret = 0,
        Action::CaretEnd => *caret = n,
        _ => {}
    }
}
