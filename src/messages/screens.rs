//! The screens' words: the shape of the screens' part of each language's catalogue ([`Ui`],
//! filled in as `SCREENS` in `en.rs` and `ar.rs`: the compiler checks that both have every
//! entry; [`crate::messages::ui`] picks one) and what each key does ([`Does`]).
//!
//! Templates use `{0}`, `{1}`, ... for values; [`super::fill`] puts them in. Key names stay
//! ASCII in both languages. Arabic follows the interface glossary of the course.

/// The strings of one language.
#[allow(missing_docs)]
pub struct Ui {
    pub app_title: &'static str,
    pub loading: &'static str,
    pub trainee: &'static str,
    pub trainee_hint: &'static str,
    pub language: &'static str,
    pub language_name: &'static str,
    pub digits: &'static str,
    pub exam: &'static str,
    pub quick_quiz: &'static str,
    pub topics: &'static str,
    pub all_topics: &'static str,
    pub questions_count: &'static str,
    pub time_limit: &'static str,
    pub no_limit: &'static str,
    pub mode: &'static str,
    pub practice: &'static str,
    pub exam_mode: &'static str,
    pub practice_short: &'static str,
    pub exam_short: &'static str,
    pub start: &'static str,
    pub need_trainee: &'static str,
    pub need_topic: &'static str,
    pub question_n_of: &'static str,
    pub time_left: &'static str,
    pub question_time_left: &'static str,
    pub one_minute_warning: &'static str,
    pub select_one: &'static str,
    pub select_all: &'static str,
    pub true_word: &'static str,
    pub false_word: &'static str,
    pub true_false_hint: &'static str,
    pub type_answer: &'static str,
    pub order_hint: &'static str,
    pub match_hint: &'static str,
    pub keys_practice_check: &'static str,
    pub flagged: &'static str,
    pub locked: &'static str,
    pub correct: &'static str,
    pub partly_correct: &'static str,
    pub incorrect: &'static str,
    pub unanswered: &'static str,
    pub correct_answer: &'static str,
    pub your_answer: &'static str,
    pub explanation: &'static str,
    pub source: &'static str,
    pub submit_title: &'static str,
    pub submit_question: &'static str,
    pub unanswered_list: &'static str,
    pub flagged_list: &'static str,
    pub none: &'static str,
    pub quit_title: &'static str,
    pub quit_question: &'static str,
    pub quit_note: &'static str,
    pub time_up: &'static str,
    pub results: &'static str,
    pub score: &'static str,
    pub percent: &'static str,
    pub passed: &'static str,
    pub failed: &'static str,
    pub pass_mark: &'static str,
    pub time_taken: &'static str,
    pub by_topic: &'static str,
    pub saved: &'static str,
    pub saving_failed: &'static str,
    pub saving_unsaved: &'static str,
    pub review: &'static str,
    pub review_not_allowed: &'static str,
    pub help_title: &'static str,
    pub too_small: &'static str,
    pub resume_title: &'static str,
    pub resume_question: &'static str,
    pub resume_only: &'static str,
    pub goto_prompt: &'static str,
    pub not_allowed_back: &'static str,
    pub answer_locked: &'static str,
    pub nothing_to_check: &'static str,
    pub progress: &'static str,
    pub other_language: &'static str,
    pub easy: &'static str,
    pub calibrate_title: &'static str,
    pub calibrate_question: &'static str,
    pub medium: &'static str,
    pub hard: &'static str,
    // Compact layouts (terminals smaller than 60 x 16). Key hints list their parts, most
    // important first, separated by " · "; the screen keeps the parts that fit.
    pub app_title_short: &'static str,
    pub order_hint_compact: &'static str,
    pub match_hint_compact: &'static str,
    pub review_short: &'static str,
    // The names of the shipped banks' topics.
    pub topic_indicators: &'static str,
    pub topic_national_law: &'static str,
    pub topic_international_law: &'static str,
    pub topic_referral: &'static str,
    pub topic_scenarios: &'static str,
    // The live board.
    pub board_title: &'static str,
    pub board_waiting: &'static str,
    pub board_done: &'static str,
    pub board_in_progress: &'static str,
    pub board_means: &'static str,
    // Said by the class server (`tipquiz serve`) on a trainee's screen.
    pub extra_time: &'static str,
    pub closed_idle: &'static str,
    pub closed_replaced: &'static str,
    pub closed_shutdown: &'static str,
    pub exam_ended: &'static str,
    pub joins_closed: &'static str,
    pub taken_over: &'static str,
    /// What each key does, for the help and the key bars made from the keymap: (help line,
    /// key bar word), in the order of [`Does`].
    pub does: [(&'static str, &'static str); DOES],
}

/// How many [`Does`] there are.
pub const DOES: usize = 36;

/// What the help says a binding does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Does {
    /// Answer by label.
    Answer,
    /// Move the cursor.
    Cursor,
    /// Choose what is under the cursor.
    Choose,
    /// Next / previous question.
    Move,
    /// Flag.
    Flag,
    /// Go to.
    GoTo,
    /// Clear the answer.
    Clear,
    /// Confirm, check in practice.
    Confirm,
    /// The other language.
    OtherLanguage,
    /// Submit.
    Submit,
    /// Help.
    Help,
    /// Quit, asking.
    Quit,
    /// Save and leave at once.
    QuitNow,
    /// The Arabic display.
    Display,
    /// Type the answer.
    Type,
    /// Move the caret.
    Caret,
    /// Delete at the caret.
    Delete,
    /// Save the typed answer.
    Save,
    /// Pick up and drop an item.
    Grab,
    /// Move an item or the cursor.
    Arrange,
    /// Pair with the left item under the cursor.
    Pair,
    /// Move between fields.
    Field,
    /// Change the value.
    Change,
    /// Toggle a topic.
    Topic,
    /// Start.
    Start,
    /// Yes.
    Yes,
    /// No / back.
    No,
    /// Scroll.
    Scroll,
    /// Close.
    Close,
    /// Review the answers.
    Review,
    /// Retry saving.
    Retry,
    /// Finish.
    Finish,
    /// Type a number.
    Number,
    /// Resume.
    Resume,
    /// Start again.
    Restart,
    /// Back.
    Back,
}

impl Ui {
    /// What a key does: (help line, key bar word).
    #[must_use]
    pub fn does(&self, d: Does) -> (&'static str, &'static str) {
        self.does[d as usize]
    }
}

/// The words of paced play's screen (`serve --paced`), one set per language.
#[allow(missing_docs)]
pub struct PacedUi {
    pub title: &'static str,
    pub lobby: &'static str,
    pub players: &'static str,
    pub seconds_left: &'static str,
    pub choose: &'static str,
    pub sent: &'static str,
    pub right: &'static str,
    pub wrong: &'static str,
    pub no_answer: &'static str,
    pub right_answer: &'static str,
    pub standing: &'static str,
    pub next_soon: &'static str,
    pub podium_title: &'static str,
    pub podium: &'static str,
    pub recorded: &'static str,
    pub leave: &'static str,
    pub over: &'static str,
    pub closed: &'static str,
}

/// The words of the instructor's console (`serve`'s own terminal), one set per language.
#[allow(missing_docs)]
pub struct ConsoleUi {
    pub title: &'static str,
    pub sessions: &'static str,
    pub joins_open: &'static str,
    pub joins_locked: &'static str,
    pub exam_ended: &'static str,
    pub trainees: &'static str,
    pub col_trainee: &'static str,
    pub col_exam: &'static str,
    pub col_answered: &'static str,
    pub col_flagged: &'static str,
    pub col_time: &'static str,
    pub col_state: &'static str,
    pub joining: &'static str,
    pub working: &'static str,
    pub finished: &'static str,
    pub away: &'static str,
    pub typing: &'static str,
    pub keys: &'static str,
    pub paced_keys: &'static str,
    pub keys_short: &'static str,
    pub paced_keys_short: &'static str,
    pub confirm_end: &'static str,
    pub confirm_end_game: &'static str,
    pub confirm_quit: &'static str,
    pub confirm_quit_paced: &'static str,
    pub confirm_keys: &'static str,
    pub nothing_done: &'static str,
    pub no_selection: &'static str,
    pub locked_status: &'static str,
    pub open_status: &'static str,
    pub no_attempt: &'static str,
    pub more_one: &'static str,
    pub more_all: &'static str,
    pub ended_status: &'static str,
    pub not_recorded_autosave: &'static str,
    pub live_title: &'static str,
    pub waiting: &'static str,
    pub open_line: &'static str,
    pub closed_line: &'static str,
    pub next_question: &'static str,
    pub next_podium: &'static str,
    pub the_end: &'static str,
    pub no_answer: &'static str,
    pub right_mark: &'static str,
    pub podium: &'static str,
    pub leaderboard: &'static str,
    pub right_count: &'static str,
    pub q_opened: &'static str,
    pub q_closed: &'static str,
    pub recorded_all: &'static str,
    pub not_recorded_pending: &'static str,
    pub already_over: &'static str,
    pub save_failed: &'static str,
    pub game_goes_on: &'static str,
    pub game_at_question: &'static str,
    pub game_not_started: &'static str,
    pub game_set_aside: &'static str,
    pub podium_recorded: &'static str,
    pub code_is: &'static str,
    pub details_title: &'static str,
    pub details_back: &'static str,
}

impl ConsoleUi {
    /// Every entry, in order (for the tests that compare the languages).
    #[must_use]
    pub fn all(&self) -> Vec<&'static str> {
        vec![
            self.title,
            self.sessions,
            self.joins_open,
            self.joins_locked,
            self.exam_ended,
            self.trainees,
            self.col_trainee,
            self.col_exam,
            self.col_answered,
            self.col_flagged,
            self.col_time,
            self.col_state,
            self.joining,
            self.working,
            self.finished,
            self.away,
            self.typing,
            self.keys,
            self.paced_keys,
            self.confirm_end,
            self.confirm_end_game,
            self.confirm_quit,
            self.confirm_quit_paced,
            self.confirm_keys,
            self.nothing_done,
            self.no_selection,
            self.locked_status,
            self.open_status,
            self.no_attempt,
            self.more_one,
            self.more_all,
            self.ended_status,
            self.not_recorded_autosave,
            self.live_title,
            self.waiting,
            self.open_line,
            self.closed_line,
            self.next_question,
            self.next_podium,
            self.the_end,
            self.no_answer,
            self.right_mark,
            self.podium,
            self.leaderboard,
            self.right_count,
            self.q_opened,
            self.q_closed,
            self.recorded_all,
            self.not_recorded_pending,
            self.already_over,
            self.save_failed,
            self.game_goes_on,
            self.game_at_question,
            self.game_not_started,
            self.game_set_aside,
            self.podium_recorded,
            self.code_is,
            self.details_title,
            self.details_back,
        ]
    }
}

#[cfg(test)]
mod tests {
    use crate::messages::fill;
    use crate::messages::{ar::SCREENS as AR, en::SCREENS as EN};

    #[test]
    fn templates_fill_in_order() {
        assert_eq!(fill(EN.question_n_of, &["7", "20"]), "Question 7 / 20");
        assert_eq!(fill(AR.question_n_of, &["7", "20"]), "السؤال 7 من 20");
    }

    #[test]
    fn both_catalogues_have_the_same_placeholders() {
        let pairs = [
            (EN.question_n_of, AR.question_n_of),
            (EN.time_left, AR.time_left),
            (EN.unanswered_list, AR.unanswered_list),
            (EN.saved, AR.saved),
            (EN.saving_failed, AR.saving_failed),
            (EN.saving_unsaved, AR.saving_unsaved),
            (EN.too_small, AR.too_small),
            (EN.resume_question, AR.resume_question),
            (EN.progress, AR.progress),
            (EN.pass_mark, AR.pass_mark),
        ];
        for (e, a) in pairs {
            for i in 0..4 {
                let p = format!("{{{i}}}");
                assert_eq!(e.contains(&p), a.contains(&p), "{e} / {a}");
            }
        }
        for (e, a) in EN.does.iter().zip(AR.does.iter()) {
            assert!(!e.0.is_empty() && !e.1.is_empty() && !a.0.is_empty() && !a.1.is_empty());
        }
    }

    #[test]
    fn the_consoles_entries_have_the_same_placeholders_in_both_languages() {
        let (en, ar) = (
            crate::messages::en::CONSOLE.all(),
            crate::messages::ar::CONSOLE.all(),
        );
        assert_eq!(en.len(), ar.len());
        for (e, a) in en.iter().zip(&ar) {
            assert!(!a.is_empty(), "{e}");
            for i in 0..8 {
                let p = format!("{{{i}}}");
                assert_eq!(e.contains(&p), a.contains(&p), "{e} / {a}");
            }
        }
    }

    #[test]
    fn arabic_key_hints_have_no_range_or_key_combination_after_arabic_letters() {
        // After Arabic letters the bidi algorithm turns digits into Arabic numbers, and "1-9"
        // then reads "9-1"; "^F" reads "F^". A hint may start with them, not have them later.
        // (The key bars and the help are made from the keymap, which isolates its key names;
        // see the keymap's tests.)
        let hints = [
            AR.keys_practice_check,
            AR.order_hint,
            AR.match_hint,
            AR.order_hint_compact,
            AR.match_hint_compact,
            AR.type_answer,
        ];
        for h in hints {
            let arabic_at = h.find(|c: char| ('\u{0600}'..='\u{06FF}').contains(&c));
            let rest = arabic_at.map_or("", |i| &h[i..]);
            for trap in ["1-9", "^"] {
                assert!(!rest.contains(trap), "{trap} after Arabic letters in {h:?}");
            }
        }
    }
}
