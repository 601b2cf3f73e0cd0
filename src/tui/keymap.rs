//! The keys, as data: for each context of the screens, which keys do what. Every key event
//! becomes an [`Action`] here and nowhere else; the help screen and the key bars are made from
//! the same tables, in both languages, so they cannot disagree with the keys.
//!
//! Key codes are named here and nowhere else: the screens, the instructor's console and the
//! viewers get [`Action`]s; the class server's input decoder hands termina's events to
//! [`from_termina`]; tests and logs write a key with [`spell`].
//!
//! Rules the tables keep (tested by typing every key of the US and Arabic layouts):
//! - on a question with choices, every label answers (a–z, and أ ب ج د … when the labels are
//!   Arabic; digits 1–9 in any digit style) and nothing else does: commands live on keys that
//!   are never a label (function keys, Ctrl combinations, punctuation, Tab, arrows);
//! - a command on a letter (only where nothing is answered: results, dialogs) also answers to
//!   the Arabic letter on the same physical key, so it works with the Arabic layout on;
//! - Enter confirms, Ctrl-S submits, Esc asks to quit, Ctrl-C saves and leaves at once.

use super::i18n::Does;
use crate::text::Lang;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};

/// What a key asks of the screens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Choose (or tick, or pair with) the choice at this display position.
    Answer(usize),
    /// Enter: confirm, check (practice), start, yes.
    Confirm,
    /// Space: tick the choice under the cursor, pick up or drop an item, toggle a topic.
    Toggle,
    /// Clear the answer of the question.
    Clear,
    /// Next question.
    Next,
    /// Previous question.
    Prev,
    /// Cursor (or field) up; scroll up at the top.
    Up,
    /// Cursor (or field) down; scroll down at the bottom.
    Down,
    /// Scroll a page up.
    PageUp,
    /// Scroll a page down.
    PageDown,
    /// Next field (home form).
    NextField,
    /// Previous field (home form).
    PrevField,
    /// Increase the value of the field (the arrow towards the line's end).
    Increase,
    /// Decrease the value of the field.
    Decrease,
    /// Type a character into the text box.
    Type(char),
    /// Caret one character towards the left of the screen.
    CaretLeft,
    /// Caret one character towards the right of the screen.
    CaretRight,
    /// Caret to the start of the text.
    CaretHome,
    /// Caret to the end of the text.
    CaretEnd,
    /// Delete the character before the caret.
    DeleteBack,
    /// Delete the character after the caret.
    DeleteForward,
    /// Flag or unflag the question for review.
    Flag,
    /// Go to a question by number.
    GoTo,
    /// Submit the attempt (asks first).
    Submit,
    /// Show the question in the other language.
    OtherLanguage,
    /// The key help.
    Help,
    /// Esc: close, go back, or ask to quit.
    Cancel,
    /// Yes in a dialog.
    Yes,
    /// No in a dialog.
    No,
    /// Review the answers (results).
    Review,
    /// Try writing the record again (results).
    RetrySave,
    /// Finish: leave the results.
    Finish,
    /// Save and leave at once (Ctrl-C).
    QuitNow,
    /// Stop until continued (Ctrl-Z).
    Suspend,
    /// Switch who reorders right-to-left text (F2).
    FlipBidi,
    /// Instructor's console: more time for the selected trainee.
    MoreTime,
    /// Instructor's console: more time for everybody.
    MoreTimeAll,
    /// Instructor's console: lock or open joins.
    LockJoins,
    /// Instructor's console: end the exam for everybody (asks first).
    EndExam,
    /// Instructor's console: the live board instead of the table, or back.
    ShowBoard,
    /// Instructor's console, paced play: the next step (open a question, close it, open the
    /// next, the podium).
    NextStep,
}

/// Where the keys are read: each context has its own table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// The home form, on the name field (typing).
    HomeName,
    /// The home form, on another field.
    HomeForm,
    /// The offer to resume an unfinished attempt.
    Resume,
    /// A question with choices (single, multiple, true/false) that can still be answered.
    Choosing,
    /// An order question that can still be answered.
    Arranging,
    /// A match question that can still be answered.
    Matching,
    /// A short-answer question: typing in its box.
    Typing,
    /// A question whose answer can no longer change.
    Answered,
    /// A yes/no dialog (submit, quit).
    Dialog,
    /// Typing a question number.
    GoTo,
    /// The help screen.
    Help,
    /// The results.
    Results,
    /// Walking through the answers after submitting.
    Review,
    /// Does the Arabic line read correctly?
    Calibrate,
    /// The instructor's viewers (live board, bank preview): only leaving.
    Viewer,
    /// The instructor's console of the class server.
    Console,
    /// The console asks before something that cannot be undone: yes, or any other key no.
    ConsoleConfirm,
}

/// Every context, for tests and the generated documentation.
pub const CONTEXTS: [Context; 17] = [
    Context::HomeName,
    Context::HomeForm,
    Context::Resume,
    Context::Choosing,
    Context::Arranging,
    Context::Matching,
    Context::Typing,
    Context::Answered,
    Context::Dialog,
    Context::GoTo,
    Context::Help,
    Context::Results,
    Context::Review,
    Context::Calibrate,
    Context::Viewer,
    Context::Console,
    Context::ConsoleConfirm,
];

/// A key (or a class of keys) in a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A key without Ctrl or Alt.
    Code(KeyCode),
    /// A character key (Shift allowed), without Ctrl or Alt.
    Char(char),
    /// Ctrl with a letter, also under the Arabic layout (the letter on the same key).
    Ctrl(char),
    /// A function key.
    F(u8),
    /// The arrow pointing to where the line goes on (Right in English, Left in Arabic).
    Onward,
    /// The arrow pointing back (Left in English, Right in Arabic).
    Back,
    /// A choice label or digit 1–9: answers that position.
    Label,
    /// Any printable character: typed.
    Printable,
    /// A digit in any digit style: typed.
    Digit,
    /// Any other key.
    Other,
}

/// One row of a table: these keys do this; the help line (and, when `bar`, the key bar)
/// describes it.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    /// The keys.
    pub keys: &'static [Key],
    /// What they do (for [`Key::Label`], [`Key::Printable`] and [`Key::Digit`] the action is
    /// made from the key: `Answer(position)` or `Type(char)`).
    pub action: Action,
    /// What the help says, if anything.
    pub does: Option<Does>,
    /// Shown in the key bar (in this order).
    pub bar: bool,
}

const fn b(keys: &'static [Key], action: Action, does: Does, bar: bool) -> Binding {
    Binding {
        keys,
        action,
        does: Some(does),
        bar,
    }
}

const fn quiet(keys: &'static [Key], action: Action) -> Binding {
    Binding {
        keys,
        action,
        does: None,
        bar: false,
    }
}

use Key::{Back, Char, Code, Ctrl, F, Onward};

/// Keys that work on every screen (looked up after the context's own table).
const EVERYWHERE: &[Binding] = &[
    b(&[Ctrl('c')], Action::QuitNow, Does::QuitNow, false),
    b(&[F(2)], Action::FlipBidi, Does::Display, false),
    quiet(&[Ctrl('z')], Action::Suspend),
];

/// The commands of a question screen: never on a letter or a digit.
const QUESTION_COMMANDS: &[Binding] = &[
    b(
        &[
            Onward,
            Back,
            Code(KeyCode::Tab),
            Code(KeyCode::BackTab),
            Code(KeyCode::PageDown),
            Code(KeyCode::PageUp),
        ],
        Action::Next,
        Does::Move,
        true,
    ),
    b(
        &[Char('*'), Ctrl('f'), F(3)],
        Action::Flag,
        Does::Flag,
        true,
    ),
    b(
        &[Char('#'), Ctrl('g'), F(4)],
        Action::GoTo,
        Does::GoTo,
        true,
    ),
    b(&[Ctrl('s'), F(10)], Action::Submit, Does::Submit, true),
    b(
        &[Char('?'), Char('؟'), F(1)],
        Action::Help,
        Does::Help,
        true,
    ),
    b(&[Code(KeyCode::Esc)], Action::Cancel, Does::Quit, true),
    b(
        &[Char('~'), Ctrl('t'), F(5)],
        Action::OtherLanguage,
        Does::OtherLanguage,
        false,
    ),
];

const CHOOSING: &[Binding] = &[
    b(&[Key::Label], Action::Answer(0), Does::Answer, true),
    b(
        &[Code(KeyCode::Up), Code(KeyCode::Down)],
        Action::Down,
        Does::Cursor,
        false,
    ),
    b(&[Char(' ')], Action::Toggle, Does::Choose, false),
    b(
        &[Code(KeyCode::Enter)],
        Action::Confirm,
        Does::Confirm,
        false,
    ),
    b(
        &[Code(KeyCode::Backspace), Code(KeyCode::Delete)],
        Action::Clear,
        Does::Clear,
        false,
    ),
];

const ARRANGING: &[Binding] = &[
    b(
        &[Code(KeyCode::Up), Code(KeyCode::Down)],
        Action::Down,
        Does::Arrange,
        true,
    ),
    b(&[Char(' ')], Action::Toggle, Does::Grab, true),
    b(
        &[Code(KeyCode::Enter)],
        Action::Confirm,
        Does::Confirm,
        true,
    ),
    b(
        &[Code(KeyCode::Backspace), Code(KeyCode::Delete)],
        Action::Clear,
        Does::Clear,
        false,
    ),
];

const MATCHING: &[Binding] = &[
    b(&[Key::Label], Action::Answer(0), Does::Pair, true),
    b(
        &[Code(KeyCode::Up), Code(KeyCode::Down)],
        Action::Down,
        Does::Cursor,
        true,
    ),
    b(
        &[Code(KeyCode::Enter)],
        Action::Confirm,
        Does::Confirm,
        false,
    ),
    b(
        &[Code(KeyCode::Backspace), Code(KeyCode::Delete)],
        Action::Clear,
        Does::Clear,
        false,
    ),
];

const TYPING: &[Binding] = &[
    b(&[Key::Printable], Action::Type(' '), Does::Type, false),
    b(&[Code(KeyCode::Enter)], Action::Confirm, Does::Save, true),
    b(
        &[
            Code(KeyCode::Left),
            Code(KeyCode::Right),
            Code(KeyCode::Home),
            Code(KeyCode::End),
        ],
        Action::CaretLeft,
        Does::Caret,
        false,
    ),
    b(
        &[Code(KeyCode::Backspace), Code(KeyCode::Delete)],
        Action::DeleteBack,
        Does::Delete,
        false,
    ),
    b(
        &[
            Code(KeyCode::Tab),
            Code(KeyCode::BackTab),
            Code(KeyCode::PageDown),
            Code(KeyCode::PageUp),
        ],
        Action::Next,
        Does::Move,
        true,
    ),
    b(
        &[Code(KeyCode::Up), Code(KeyCode::Down)],
        Action::Down,
        Does::Scroll,
        false,
    ),
    b(&[Ctrl('f'), F(3)], Action::Flag, Does::Flag, true),
    b(&[Ctrl('g'), F(4)], Action::GoTo, Does::GoTo, false),
    b(&[Ctrl('s'), F(10)], Action::Submit, Does::Submit, true),
    b(&[F(1)], Action::Help, Does::Help, true),
    b(&[Code(KeyCode::Esc)], Action::Cancel, Does::Quit, true),
    b(
        &[Ctrl('t'), F(5)],
        Action::OtherLanguage,
        Does::OtherLanguage,
        false,
    ),
];

const ANSWERED: &[Binding] = &[
    // Labels still answer (the screen says the answer is locked): never a command.
    quiet(&[Key::Label], Action::Answer(0)),
    b(
        &[Code(KeyCode::Up), Code(KeyCode::Down)],
        Action::Down,
        Does::Scroll,
        false,
    ),
];

const HOME_NAME: &[Binding] = &[
    b(&[Key::Printable], Action::Type(' '), Does::Type, false),
    b(&[Code(KeyCode::Enter)], Action::Confirm, Does::Start, true),
    b(
        &[
            Code(KeyCode::Up),
            Code(KeyCode::Down),
            Code(KeyCode::Tab),
            Code(KeyCode::BackTab),
        ],
        Action::NextField,
        Does::Field,
        true,
    ),
    b(
        &[
            Code(KeyCode::Left),
            Code(KeyCode::Right),
            Code(KeyCode::Home),
            Code(KeyCode::End),
        ],
        Action::CaretLeft,
        Does::Caret,
        false,
    ),
    b(
        &[Code(KeyCode::Backspace), Code(KeyCode::Delete)],
        Action::DeleteBack,
        Does::Delete,
        false,
    ),
    // On the unit field: the next (previous) unit of the exam's list.
    b(
        &[Code(KeyCode::PageDown), Code(KeyCode::PageUp)],
        Action::Increase,
        Does::Change,
        false,
    ),
    b(&[F(1)], Action::Help, Does::Help, true),
    b(&[Code(KeyCode::Esc)], Action::Cancel, Does::Quit, true),
];

const HOME_FORM: &[Binding] = &[
    b(&[Code(KeyCode::Enter)], Action::Confirm, Does::Start, true),
    b(
        &[Code(KeyCode::Up), Code(KeyCode::Down)],
        Action::Down,
        Does::Field,
        true,
    ),
    quiet(
        &[Code(KeyCode::Tab), Code(KeyCode::BackTab)],
        Action::NextField,
    ),
    b(&[Onward, Back], Action::Increase, Does::Change, true),
    b(&[Char(' ')], Action::Toggle, Does::Topic, false),
    b(
        &[Char('?'), Char('؟'), F(1)],
        Action::Help,
        Does::Help,
        true,
    ),
    b(&[Code(KeyCode::Esc)], Action::Cancel, Does::Quit, true),
];

const RESUME: &[Binding] = &[
    b(
        &[Code(KeyCode::Enter), Char('y')],
        Action::Yes,
        Does::Resume,
        true,
    ),
    b(&[Char('n')], Action::No, Does::Restart, true),
    b(&[Code(KeyCode::Esc)], Action::Cancel, Does::Back, true),
    b(
        &[
            Code(KeyCode::Up),
            Code(KeyCode::Down),
            Code(KeyCode::PageUp),
            Code(KeyCode::PageDown),
        ],
        Action::Down,
        Does::Scroll,
        false,
    ),
];

const DIALOG: &[Binding] = &[
    b(
        &[Code(KeyCode::Enter), Char('y')],
        Action::Yes,
        Does::Yes,
        true,
    ),
    b(&[Code(KeyCode::Esc), Char('n')], Action::No, Does::No, true),
];

const GOTO: &[Binding] = &[
    b(&[Key::Digit], Action::Type('0'), Does::Number, false),
    quiet(&[Code(KeyCode::Backspace)], Action::DeleteBack),
    b(&[Code(KeyCode::Enter)], Action::Confirm, Does::GoTo, true),
    b(&[Code(KeyCode::Esc)], Action::Cancel, Does::Back, true),
];

const HELP: &[Binding] = &[
    b(
        &[
            Code(KeyCode::Up),
            Code(KeyCode::Down),
            Code(KeyCode::PageUp),
            Code(KeyCode::PageDown),
        ],
        Action::Down,
        Does::Scroll,
        true,
    ),
    b(
        &[Code(KeyCode::Esc), Key::Other],
        Action::Cancel,
        Does::Close,
        true,
    ),
];

const RESULTS: &[Binding] = &[
    b(&[Code(KeyCode::Enter)], Action::Finish, Does::Finish, true),
    b(
        &[Char('q'), Code(KeyCode::Esc)],
        Action::Cancel,
        Does::Quit,
        true,
    ),
    b(&[Char('r')], Action::Review, Does::Review, true),
    b(&[Char('w')], Action::RetrySave, Does::Retry, true),
    b(
        &[
            Code(KeyCode::Up),
            Code(KeyCode::Down),
            Code(KeyCode::PageUp),
            Code(KeyCode::PageDown),
        ],
        Action::Down,
        Does::Scroll,
        true,
    ),
    b(
        &[Char('?'), Char('؟'), F(1)],
        Action::Help,
        Does::Help,
        true,
    ),
];

const REVIEW: &[Binding] = &[
    b(
        &[Onward, Back, Code(KeyCode::Tab), Code(KeyCode::BackTab)],
        Action::Next,
        Does::Move,
        true,
    ),
    b(
        &[
            Code(KeyCode::Up),
            Code(KeyCode::Down),
            Code(KeyCode::PageUp),
            Code(KeyCode::PageDown),
        ],
        Action::Down,
        Does::Scroll,
        true,
    ),
    b(
        &[Code(KeyCode::Esc), Code(KeyCode::Enter)],
        Action::Cancel,
        Does::Back,
        true,
    ),
    b(
        &[Char('?'), Char('؟'), F(1)],
        Action::Help,
        Does::Help,
        true,
    ),
];

const CALIBRATE: &[Binding] = &[
    b(
        &[Char('1'), Code(KeyCode::Enter), Char('y')],
        Action::Yes,
        Does::Yes,
        true,
    ),
    b(&[Char('2'), Char('n')], Action::No, Does::No, true),
    b(&[Code(KeyCode::Esc)], Action::Cancel, Does::Close, true),
];

const VIEWER: &[Binding] = &[
    b(
        &[Char('q'), Code(KeyCode::Esc)],
        Action::Cancel,
        Does::Close,
        true,
    ),
    // The live board: the next (previous) page when the trainees do not fit.
    b(
        &[Code(KeyCode::PageDown), Code(KeyCode::PageUp)],
        Action::Down,
        Does::Scroll,
        true,
    ),
];

// The instructor's console (English only; its key line is made from this table with
// [`keys_for`]). Ctrl-C (everywhere) also asks to stop the server.
const CONSOLE: &[Binding] = &[
    quiet(&[Code(KeyCode::Up), Code(KeyCode::Down)], Action::Down),
    quiet(&[Char('+')], Action::MoreTime),
    quiet(&[Char('*')], Action::MoreTimeAll),
    quiet(&[Char('l')], Action::LockJoins),
    quiet(&[Char('e')], Action::EndExam),
    quiet(&[Char('b'), Code(KeyCode::Tab)], Action::ShowBoard),
    quiet(&[Char('n'), Char(' ')], Action::NextStep),
    quiet(&[Char('i'), Char('?'), F(1)], Action::Help),
    quiet(&[Char('q'), Code(KeyCode::Esc)], Action::Cancel),
];

const CONSOLE_CONFIRM: &[Binding] = &[
    quiet(&[Char('y'), Code(KeyCode::Enter)], Action::Yes),
    quiet(&[Key::Other], Action::No),
];

/// The table of a context (its own rows, then the keys that work everywhere).
#[must_use]
pub fn table(ctx: Context) -> [&'static [Binding]; 3] {
    let (own, more): (&[Binding], &[Binding]) = match ctx {
        Context::HomeName => (HOME_NAME, &[]),
        Context::HomeForm => (HOME_FORM, &[]),
        Context::Resume => (RESUME, &[]),
        Context::Choosing => (CHOOSING, QUESTION_COMMANDS),
        Context::Arranging => (ARRANGING, QUESTION_COMMANDS),
        Context::Matching => (MATCHING, QUESTION_COMMANDS),
        Context::Typing => (TYPING, &[]),
        Context::Answered => (ANSWERED, QUESTION_COMMANDS),
        Context::Dialog => (DIALOG, &[]),
        Context::GoTo => (GOTO, &[]),
        Context::Help => (HELP, &[]),
        Context::Results => (RESULTS, &[]),
        Context::Review => (REVIEW, &[]),
        Context::Calibrate => (CALIBRATE, &[]),
        Context::Viewer => (VIEWER, &[]),
        Context::Console => (CONSOLE, &[]),
        Context::ConsoleConfirm => (CONSOLE_CONFIRM, &[]),
    };
    [own, more, EVERYWHERE]
}

/// What the keys need to know of the screen.
#[derive(Clone, Copy, Debug)]
pub struct Situation {
    /// The table.
    pub context: Context,
    /// Direction of the interface: the arrows that mean onward and back.
    pub lang: Lang,
    /// Language of the choice labels on screen.
    pub labels: Lang,
    /// How many labels there are (choices, or right-hand items of a match).
    pub choices: usize,
}

/// The Latin letter on the same key as an Arabic letter (Arabic PC layout), for the keys that
/// must work with either layout.
#[must_use]
pub fn latin_key(c: char) -> Option<char> {
    Some(match c {
        'ض' => 'q',
        'ص' => 'w',
        'ث' => 'e',
        'ق' => 'r',
        'ف' => 't',
        'غ' => 'y',
        'ع' => 'u',
        'ه' => 'i',
        'خ' => 'o',
        'ح' => 'p',
        'ش' => 'a',
        'س' => 's',
        'ي' => 'd',
        'ب' => 'f',
        'ل' => 'g',
        'ا' => 'h',
        'ت' => 'j',
        'ن' => 'k',
        'م' => 'l',
        'ئ' => 'z',
        'ء' => 'x',
        'ؤ' => 'c',
        'ر' => 'v',
        'ﻻ' => 'b',
        'ى' => 'n',
        'ة' => 'm',
        _ => return None,
    })
}

/// The Arabic choice labels, in abjad order (as [`super::i18n::choice_label`] draws them).
const ABJAD: [char; 28] = [
    'أ', 'ب', 'ج', 'د', 'ه', 'و', 'ز', 'ح', 'ط', 'ي', 'ك', 'ل', 'م', 'ن', 'س', 'ع', 'ف', 'ص', 'ق',
    'ر', 'ش', 'ت', 'ث', 'خ', 'ذ', 'ض', 'ظ', 'غ',
];

/// A digit key (Western, Arabic-Indic or Eastern Arabic-Indic) as its value.
#[must_use]
pub fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{0660}'..='\u{0669}' => u8::try_from(u32::from(c) - 0x0660).ok(),
        '\u{06F0}'..='\u{06F9}' => u8::try_from(u32::from(c) - 0x06F0).ok(),
        _ => None,
    }
}

/// The display position a character names as a choice label: digits 1–9 (any digit style);
/// Latin letters a–z; Arabic letters by their label in abjad order when the labels are Arabic
/// (bare alef and hamza forms are أ), else by the Latin letter on the same key.
#[must_use]
pub fn label_position(c: char, labels: Lang) -> Option<usize> {
    if let Some(d) = digit(c) {
        return (d >= 1).then(|| usize::from(d - 1));
    }
    let lower = c.to_ascii_lowercase();
    if lower.is_ascii_lowercase() {
        return Some(usize::from(lower as u8 - b'a'));
    }
    if labels == Lang::Ar {
        let c = match c {
            'ا' | 'إ' | 'آ' => 'أ',
            other => other,
        };
        return ABJAD.iter().position(|l| *l == c);
    }
    latin_key(c).map(|l| usize::from(l as u8 - b'a'))
}

fn printable(c: char) -> bool {
    !c.is_control() && !crate::diag::is_bidi_format(c)
}

/// Whether `key` (without its action) matches `event`.
fn matches(key: Key, ev: &KeyEvent, s: &Situation) -> Option<Action> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    let alt = ev.modifiers.contains(KeyModifiers::ALT);
    let plain = !ctrl && !alt;
    let (onward, back) = if s.lang.is_rtl() {
        (KeyCode::Left, KeyCode::Right)
    } else {
        (KeyCode::Right, KeyCode::Left)
    };
    let hit = match key {
        Code(code) => plain && ev.code == code,
        Char(c) => {
            plain
                && match ev.code {
                    // A letter command also answers to its capital (Caps Lock, Shift).
                    KeyCode::Char(k) => {
                        k == c
                            || (c.is_ascii_lowercase() && k.to_ascii_lowercase() == c)
                            || latin_key(k) == Some(c)
                    }
                    _ => false,
                }
        }
        Ctrl(c) => {
            ctrl && !alt
                && match ev.code {
                    KeyCode::Char(k) => k.to_ascii_lowercase() == c || latin_key(k) == Some(c),
                    _ => false,
                }
        }
        F(n) => ev.code == KeyCode::F(n),
        Onward => plain && ev.code == onward,
        Back => plain && ev.code == back,
        Key::Label => {
            return match ev.code {
                KeyCode::Char(c) if plain => label_position(c, s.labels)
                    .filter(|p| *p < s.choices)
                    .map(Action::Answer),
                _ => None,
            };
        }
        Key::Printable => {
            return match ev.code {
                KeyCode::Char(c) if plain && printable(c) => Some(Action::Type(c)),
                _ => None,
            };
        }
        Key::Digit => {
            return match ev.code {
                KeyCode::Char(c) if plain => digit(c).map(|d| Action::Type(char::from(b'0' + d))),
                _ => None,
            };
        }
        Key::Other => true,
    };
    hit.then_some(Action::Confirm)
}

/// The action a key event asks for, in this situation. Key releases ask for nothing.
#[must_use]
pub fn action(ev: &KeyEvent, s: &Situation) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    for rows in table(s.context) {
        for row in rows {
            for key in row.keys {
                if let Some(made) = matches(*key, ev, s) {
                    return Some(refine(row, *key, made, ev, s));
                }
            }
        }
    }
    None
}

/// The action of a row for the key that matched: rows that list a pair of opposite keys
/// (Up/Down, onward/back, Tab/Shift-Tab …) give each key its own direction.
fn refine(row: &Binding, key: Key, made: Action, ev: &KeyEvent, s: &Situation) -> Action {
    if matches!(key, Key::Label | Key::Printable | Key::Digit) {
        return made;
    }
    let back = match key {
        Back => true,
        Onward => false,
        _ => matches!(
            ev.code,
            KeyCode::Up | KeyCode::BackTab | KeyCode::PageUp | KeyCode::Home
        ),
    };
    match row.action {
        Action::Next if back => Action::Prev,
        Action::Next if matches!(ev.code, KeyCode::PageUp) => Action::Prev,
        Action::Down if ev.code == KeyCode::PageDown => Action::PageDown,
        Action::Down if ev.code == KeyCode::PageUp => Action::PageUp,
        Action::Down if back => Action::Up,
        Action::NextField if back => Action::PrevField,
        Action::Increase if back => Action::Decrease,
        Action::CaretLeft => match ev.code {
            KeyCode::Right => Action::CaretRight,
            KeyCode::Home => Action::CaretHome,
            KeyCode::End => Action::CaretEnd,
            _ => Action::CaretLeft,
        },
        Action::DeleteBack if ev.code == KeyCode::Delete => Action::DeleteForward,
        a => {
            let _ = s;
            a
        }
    }
}

/// How a key is written in the help and the key bar (the same in both languages).
#[must_use]
pub fn key_name(key: Key, lang: Lang) -> String {
    let (onward, back) = if lang.is_rtl() {
        ("←", "→")
    } else {
        ("→", "←")
    };
    match key {
        Code(code) => match code {
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other}"),
        },
        Char(' ') => "Space".into(),
        Char(c) => c.to_string(),
        Ctrl(c) => format!("^{}", c.to_ascii_uppercase()),
        F(n) => format!("F{n}"),
        Onward => onward.into(),
        Back => back.into(),
        Key::Label => String::new(),
        Key::Printable | Key::Digit | Key::Other => String::new(),
    }
}

/// The widest list of keys on a help line (more keys of the row are left out).
const HELP_KEYS_WIDTH: usize = 16;

/// The keys of a row as the help writes them (`a-f/1-6` for labels), at most `most` of them
/// (a pair of opposite arrows counts as one).
fn row_keys(row: &Binding, s: &Situation, most: usize) -> String {
    let mut names: Vec<String> = Vec::new();
    let mut isolate = s.lang.is_rtl();
    let mut keys = row.keys.iter().peekable();
    while let Some(key) = keys.next() {
        if names.len() >= most {
            break;
        }
        let name = match key {
            Key::Label => {
                // Digits first and ASCII hyphens: in an Arabic line a range of digits after
                // Arabic letters, or with another dash, would read backwards.
                isolate = false;
                let n = s.choices.max(1);
                let first = super::i18n::choice_label(s.labels, 0);
                let letters = if n == 1 {
                    first
                } else {
                    format!("{first}-{}", super::i18n::choice_label(s.labels, n - 1))
                };
                let digits = if n == 1 {
                    "1".to_owned()
                } else {
                    format!("1-{}", n.min(9))
                };
                if s.labels.is_rtl() {
                    format!("{digits}/{letters}")
                } else {
                    format!("{letters}/{digits}")
                }
            }
            Key::Printable | Key::Other => continue,
            Key::Digit => "0-9".to_owned(),
            k => {
                let mut name = key_name(*k, s.lang);
                // Opposite arrows go together: "→/←", "↑/↓".
                let pair = matches!(
                    (k, keys.peek()),
                    (Onward, Some(Back))
                        | (Code(KeyCode::Up), Some(Code(KeyCode::Down)))
                        | (Code(KeyCode::Left), Some(Code(KeyCode::Right)))
                        | (Code(KeyCode::Tab), Some(Code(KeyCode::BackTab)))
                        | (Code(KeyCode::PageDown), Some(Code(KeyCode::PageUp)))
                        | (Code(KeyCode::PageUp), Some(Code(KeyCode::PageDown)))
                );
                if pair && let Some(next) = keys.next() {
                    name = format!("{name}/{}", key_name(*next, s.lang));
                }
                name
            }
        };
        if !name.is_empty() && !names.contains(&name) {
            // The help's key column stays narrow: the first keys of a long list are enough.
            let width: usize = names.iter().map(|n| n.chars().count() + 1).sum();
            if !names.is_empty() && width + name.chars().count() > HELP_KEYS_WIDTH {
                break;
            }
            names.push(name);
        }
    }
    let keys = names.join("/");
    if isolate && !keys.is_empty() {
        // Left to right inside the Arabic line: without the isolate "^F" reads "F^".
        format!("\u{2066}{keys}\u{2069}")
    } else {
        keys
    }
}

/// The help of a situation: (keys, what they do) per row that says something, the context's
/// own rows first.
#[must_use]
pub fn help(s: &Situation) -> Vec<(String, &'static str)> {
    let ui = super::i18n::ui(s.lang);
    let mut out = Vec::new();
    for rows in table(s.context) {
        for row in rows {
            if let Some(d) = row.does {
                let keys = row_keys(row, s, usize::MAX);
                if !keys.is_empty() || matches!(d, Does::Type) {
                    out.push((keys, ui.does(d).0));
                }
            }
        }
    }
    out
}

/// How much a part of a key bar matters when the bar is too narrow for all of its parts:
/// lower ranks are kept first. The way out (Esc: quit, back, close, no) and the help are rank
/// 0, kept in every context and both languages; then what answers or confirms; then moving
/// and scrolling; then the rest (flag, go to, review …).
#[must_use]
pub const fn bar_rank(action: Action) -> u8 {
    match action {
        Action::Cancel | Action::No | Action::Help | Action::QuitNow => 0,
        Action::Answer(_)
        | Action::Confirm
        | Action::Yes
        | Action::Finish
        | Action::Type(_)
        | Action::NextStep => 1,
        Action::Next
        | Action::Prev
        | Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::NextField
        | Action::PrevField
        | Action::Increase
        | Action::Decrease
        | Action::Toggle
        | Action::Submit => 2,
        _ => 3,
    }
}

/// The separator between the parts of a key bar.
pub const BAR_SEP: &str = " · ";

/// A key bar: its parts ("keys what") in the order they are drawn, each with its
/// [`bar_rank`]. When not all fit, [`KeyBar::fit`] keeps the parts of the lowest ranks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyBar {
    parts: Vec<(String, u8)>,
}

impl KeyBar {
    /// A bar of these parts (text, rank), in the order drawn.
    #[must_use]
    pub fn new(parts: Vec<(String, u8)>) -> KeyBar {
        KeyBar { parts }
    }

    /// The parts (text, rank), in the order drawn.
    #[must_use]
    pub fn parts(&self) -> &[(String, u8)] {
        &self.parts
    }

    /// Whether the bar has no part.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Put `part` in place of the part that `is` finds, keeping its rank; else insert it at
    /// `at` (or last) with `rank`.
    pub fn replace_or_insert(
        &mut self,
        is: impl Fn(&str) -> bool,
        part: &str,
        at: usize,
        rank: u8,
    ) {
        if let Some(p) = self.parts.iter_mut().find(|(t, _)| is(t)) {
            p.0 = part.to_owned();
        } else {
            let at = at.min(self.parts.len());
            self.parts.insert(at, (part.to_owned(), rank));
        }
    }

    /// Give the parts that `is` finds the rank `rank`.
    pub fn rank_of(&mut self, is: impl Fn(&str) -> bool, rank: u8) {
        for p in self.parts.iter_mut().filter(|(t, _)| is(t)) {
            p.1 = rank;
        }
    }

    /// Add a part at the end.
    pub fn push(&mut self, part: String, rank: u8) {
        self.parts.push((part, rank));
    }

    /// Every part, "a · b · c".
    #[must_use]
    pub fn text(&self) -> String {
        let parts: Vec<&str> = self.parts.iter().map(|(t, _)| t.as_str()).collect();
        parts.join(BAR_SEP)
    }

    /// The ranks of the parts as one character each ('0' + rank), in the order drawn: with
    /// [`KeyBar::text`] it names the bar whole (for a memo of laid-out bars).
    #[must_use]
    pub fn ranks(&self) -> String {
        self.parts
            .iter()
            .map(|(_, r)| char::from(b'0'.saturating_add(*r)))
            .collect()
    }

    /// The parts that fit in `width` cells (each part's width from `width_of`), in the order
    /// drawn: the parts are taken by rank (then by place) and each one that still fits is kept.
    /// When not one part fits, the first by rank alone (the line then breaks between words).
    #[must_use]
    pub fn fit(&self, width: usize, width_of: impl Fn(&str) -> usize) -> String {
        let widths: Vec<usize> = self.parts.iter().map(|(t, _)| width_of(t)).collect();
        let sep = width_of(BAR_SEP);
        let mut order: Vec<usize> = (0..self.parts.len()).collect();
        order.sort_by_key(|i| (self.parts[*i].1, *i));
        let mut keep = vec![false; self.parts.len()];
        let (mut used, mut kept) = (0, 0);
        for i in &order {
            let more = widths[*i] + if kept > 0 { sep } else { 0 };
            if used + more <= width {
                keep[*i] = true;
                used += more;
                kept += 1;
            }
        }
        if kept == 0 {
            return order
                .first()
                .map(|i| self.parts[*i].0.clone())
                .unwrap_or_default();
        }
        let parts: Vec<&str> = self
            .parts
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|((t, _), _)| t.as_str())
            .collect();
        parts.join(BAR_SEP)
    }
}

/// The key bar of a situation: the rows marked for it, "keys what · keys what", each ranked
/// by [`bar_rank`] (the screen keeps the parts that fit, the way out and the help first).
#[must_use]
pub fn key_bar(s: &Situation) -> KeyBar {
    key_bar_without(s, &[])
}

/// [`key_bar`] without the rows that do what `skip` names (a command this screen refuses).
#[must_use]
pub fn key_bar_without(s: &Situation, skip: &[Does]) -> KeyBar {
    let ui = super::i18n::ui(s.lang);
    let mut bar = KeyBar::default();
    for rows in table(s.context) {
        for row in rows {
            if let (true, Some(d)) = (row.bar, row.does)
                && !skip.contains(&d)
            {
                let keys = row_keys(row, s, 1);
                if !keys.is_empty() {
                    bar.push(format!("{keys} {}", ui.does(d).1), bar_rank(row.action));
                }
            }
        }
    }
    bar
}

/// The keys of `action` in `ctx` as the help writes them (the first key, or a pair of opposite
/// arrows), for screens that word their key line themselves (the instructor's console).
#[must_use]
pub fn keys_for(ctx: Context, action: Action, lang: Lang) -> String {
    let s = Situation {
        context: ctx,
        lang,
        labels: lang,
        choices: 0,
    };
    table(ctx)
        .into_iter()
        .flatten()
        .find(|row| row.action == action)
        .map(|row| row_keys(row, &s, 1))
        .unwrap_or_default()
}

/// The action of a key in a context where nothing is answered or typed (the console, the
/// viewers).
#[must_use]
pub fn command(ev: &KeyEvent, ctx: Context, lang: Lang) -> Option<Action> {
    let s = Situation {
        context: ctx,
        lang,
        labels: lang,
        choices: 0,
    };
    action(ev, &s)
}

/// A key event as termina's input parser gives it, as the key event the screens take
/// (crossterm's); `None` for what the screens do not take (mouse, focus, terminal replies).
/// The class server decodes a trainee's bytes with termina (crossterm's own Unix parser, made
/// public), so that a key reaches the screens over SSH as it does from the local terminal.
#[must_use]
pub fn from_termina(e: termina::Event) -> Option<Event> {
    use termina::event::{KeyCode as T, KeyEventKind as K, Modifiers as M};
    match e {
        termina::Event::Key(k) => {
            let code = match k.code {
                T::Char(c) => KeyCode::Char(c),
                T::Enter => KeyCode::Enter,
                T::Backspace => KeyCode::Backspace,
                T::Tab => KeyCode::Tab,
                T::BackTab => KeyCode::BackTab,
                T::Escape => KeyCode::Esc,
                T::Left => KeyCode::Left,
                T::Right => KeyCode::Right,
                T::Up => KeyCode::Up,
                T::Down => KeyCode::Down,
                T::Home => KeyCode::Home,
                T::End => KeyCode::End,
                T::PageUp => KeyCode::PageUp,
                T::PageDown => KeyCode::PageDown,
                T::Insert => KeyCode::Insert,
                T::Delete => KeyCode::Delete,
                T::Function(n) => KeyCode::F(n),
                T::KeypadBegin => KeyCode::KeypadBegin,
                T::Null => KeyCode::Null,
                _ => return None,
            };
            let mut modifiers = KeyModifiers::NONE;
            for (from, to) in [
                (M::SHIFT, KeyModifiers::SHIFT),
                (M::CONTROL, KeyModifiers::CONTROL),
                (M::ALT, KeyModifiers::ALT),
                (M::SUPER, KeyModifiers::SUPER),
                (M::HYPER, KeyModifiers::HYPER),
                (M::META, KeyModifiers::META),
            ] {
                if k.modifiers.contains(from) {
                    modifiers |= to;
                }
            }
            let kind = match k.kind {
                K::Press => KeyEventKind::Press,
                K::Repeat => KeyEventKind::Repeat,
                K::Release => KeyEventKind::Release,
            };
            Some(Event::Key(KeyEvent {
                code,
                modifiers,
                kind,
                state: KeyEventState::NONE,
            }))
        }
        termina::Event::Paste(s) => Some(Event::Paste(s)),
        _ => None,
    }
}

/// A key event written out for tests and logs: modifiers as `C-`, `M-` (Alt), `S-` (Shift,
/// except on a character), then the key: the character itself, or `Enter`, `Esc`, `Tab`,
/// `BackTab`, `Backspace`, `Up`, `Down`, `Left`, `Right`, `Home`, `End`, `PageUp`, `PageDown`,
/// `Insert`, `Delete`, `F1`…; a paste is `paste:` and its text; other events `-`.
#[must_use]
pub fn spell(e: &Event) -> String {
    let k = match e {
        Event::Key(k) => k,
        Event::Paste(s) => return format!("paste:{s}"),
        _ => return "-".to_owned(),
    };
    let mut out = String::new();
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        out.push_str("C-");
    }
    if k.modifiers.contains(KeyModifiers::ALT) {
        out.push_str("M-");
    }
    if k.modifiers.contains(KeyModifiers::SHIFT) && !matches!(k.code, KeyCode::Char(_)) {
        out.push_str("S-");
    }
    match k.code {
        KeyCode::Char(c) => out.push(c),
        KeyCode::F(n) => out.push_str(&format!("F{n}")),
        KeyCode::Esc => out.push_str("Esc"),
        other => out.push_str(&format!("{other:?}")),
    }
    out
}

/// The way out of an instructor's viewer as its frame names it, every key of it: "q/Esc
/// close" (in Arabic, the keys isolated left to right in the Arabic words).
#[must_use]
pub fn viewer_way_out(lang: Lang) -> String {
    let s = Situation {
        context: Context::Viewer,
        lang,
        labels: lang,
        choices: 0,
    };
    let ui = super::i18n::ui(lang);
    VIEWER
        .iter()
        .filter(|row| row.action == Action::Cancel)
        .filter_map(|row| {
            let keys = row_keys(row, &s, usize::MAX);
            row.does
                .filter(|_| !keys.is_empty())
                .map(|d| format!("{keys} {}", ui.does(d).1))
        })
        .collect::<Vec<_>>()
        .join(BAR_SEP)
}

/// What a key does in an instructor's viewer: [`Action::Cancel`] (or [`Action::QuitNow`]) to
/// leave, [`Action::PageDown`] and [`Action::PageUp`] to turn the board's pages.
#[must_use]
pub fn viewer_action(ev: &KeyEvent, lang: Lang) -> Option<Action> {
    let s = Situation {
        context: Context::Viewer,
        lang,
        labels: lang,
        choices: 0,
    };
    action(ev, &s)
}

/// Whether a key leaves an instructor's viewer (q, Esc, Ctrl-C; the q key under the Arabic
/// layout too).
#[must_use]
pub fn leaves_viewer(ev: &KeyEvent, lang: Lang) -> bool {
    let s = Situation {
        context: Context::Viewer,
        lang,
        labels: lang,
        choices: 0,
    };
    matches!(action(ev, &s), Some(Action::Cancel | Action::QuitNow))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width(s: &str) -> usize {
        s.chars().count()
    }

    #[test]
    fn a_narrow_bar_keeps_the_lowest_ranks_in_the_order_drawn() {
        let bar = KeyBar::new(vec![
            ("a-c/1-3 answer".into(), 1),
            ("→/← next/prev".into(), 2),
            ("* flag".into(), 3),
            ("# go to".into(), 3),
            ("^S submit".into(), 2),
            ("? help".into(), 0),
            ("Esc quit".into(), 0),
        ]);
        // All of it: 63 cells of parts and 6 separators of 3.
        assert_eq!(width(&bar.text()), 81);
        assert_eq!(bar.fit(81, width), bar.text());
        // One cell short: "# go to" (rank 3, the later of the two) goes; "* flag" still fits.
        assert_eq!(
            bar.fit(80, width),
            "a-c/1-3 answer · →/← next/prev · * flag · ^S submit · ? help · Esc quit"
        );
        assert_eq!(bar.fit(34, width), "a-c/1-3 answer · ? help · Esc quit");
        assert_eq!(bar.fit(17, width), "? help · Esc quit");
        // Not even one part fits: the first by rank, whole (the line breaks between words).
        assert_eq!(bar.fit(3, width), "? help");
        assert_eq!(KeyBar::default().fit(80, width), "");
        assert_eq!(bar.ranks(), "1233200");
    }

    #[test]
    fn the_way_out_and_the_help_rank_first_in_every_context() {
        for ctx in CONTEXTS {
            for row in table(ctx).into_iter().flatten().filter(|r| r.bar) {
                let first = matches!(row.action, Action::Cancel | Action::No | Action::Help);
                assert_eq!(bar_rank(row.action) == 0, first, "{ctx:?} {:?}", row.action);
            }
        }
    }
}
