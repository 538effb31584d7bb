//! One table of key bindings drives dispatch, the footer hints and the help overlay.
//!
//! Users override bindings in `config.toml` under `[keys]`, by action name:
//! `quit = ["q", "ctrl-q"]`. Ctrl-c always quits and cannot be rebound.

use std::collections::HashMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for. Screens interpret the ones that apply to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Back,
    Help,
    Finder,
    GoHome,
    Library,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
    Open,
    NextLink,
    PrevLink,
    Toc,
    Search,
    NextMatch,
    PrevMatch,
    HistoryBack,
    HistoryForward,
    Review,
    Exam,
    Labs,
    OpenLab,
    Diagnostics,
    /// The study settings screen.
    Settings,
    /// Home: a drill of the selected pack's weakest exam domain.
    DrillWeakest,
    /// Home and topic pages: custom study (review ahead, extra new cards, cram).
    CustomStudy,
    /// Labs: the next or previous algorithm (of the selected lane when comparing).
    NextAlgo,
    PrevAlgo,
    /// Labs: the main parameter up or down (virtual nodes; the limit).
    More,
    Less,
    /// Labs: the size parameter up or down (the key count; the window).
    Longer,
    Shorter,
    /// Labs: add or remove a node, or a compared limiter.
    AddItem,
    RemoveItem,
    /// Labs: run every algorithm (ring) or several (limiter) side by side.
    Compare,
    /// Rate-limiter lab: traffic, playback and requests fired by hand.
    Traffic,
    PlayPause,
    Step,
    Faster,
    Slower,
    Fire,
    Burst,
    Restart,
    /// Labs: step the timeline back one step (the quorum lab).
    StepBack,
    /// Quorum lab: crash the selected node, or recover it.
    FailRecover,
    /// Quorum lab: split the network in two, or heal it.
    Partition,
    /// Quorum lab: sloppy quorum with hinted handoff, on or off.
    Sloppy,
    /// Quorum lab: read repair, on or off.
    ReadRepair,
    /// Quorum lab: the next preset scenario.
    NextPreset,
    /// Load-balancer lab: one more slow server, or one more failing server (each wraps round
    /// to none).
    SlowServer,
    FailServer,
    /// Home: the statistics screen.
    Stats,
    /// Review: show the back of the card.
    Reveal,
    /// Review: the four grades, Again to Easy.
    GradeAgain,
    GradeHard,
    GradeGood,
    GradeEasy,
    /// Review: take back the last grade.
    Undo,
    /// Review: read the card's note, then come back to the card.
    OpenNote,
    /// Quizzes: select (or, choosing several, toggle) the choice shown at this position, A = 0.
    Choose(u8),
    /// Quizzes: the next or previous question.
    NextQuestion,
    PrevQuestion,
    /// Quizzes: flag the question to come back to before submitting.
    Flag,
    /// Quizzes: the grid of every question (answered, flagged, unanswered).
    Navigator,
    /// Quizzes: submit the attempt (a confirmation lists what is still open).
    Submit,
    /// Quizzes: check the answer (practice), confirm, or go to the selected question.
    Check,
    /// Quizzes: send the missed questions to spaced repetition.
    SendToReview,
    /// Quiz review: only the questions marked wrong, or all again.
    FilterIncorrect,
    /// Quiz review: only the flagged questions, or all again.
    FilterFlagged,
    /// Quiz review: only the next domain's questions, then all again.
    FilterDomain,
    /// Home and the topic page: the card browser of the selected pack or of the topic.
    BrowseCards,
    /// Card browser: the next filter (all, due, missed, leeches, suspended).
    NextFilter,
    /// Card browser: suspend the selected card (on a suspended one: unsuspend it).
    Suspend,
    /// Card browser: take the selected card off hold (suspended or buried).
    Unsuspend,
    /// Card browser: bury the selected card until the next learning day.
    Bury,
    /// Card browser: reset the selected card to new (asks first).
    Reset,
    /// Answers yes to the question on screen.
    Confirm,
    /// Answers no to the question on screen.
    Cancel,
    /// Home: the exam-date planner.
    ExamPlan,
    /// Exam plan: remove the exam date.
    ClearGoal,
}

/// Where a binding applies: global ones work on every screen unless the screen is taking text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Global,
    List,
    Note,
    Home,
    /// The finder, whose printable keys are the query.
    Find,
    /// A list of settings (or custom study choices), each changed in place.
    Form,
    /// The interactive labs.
    Lab,
    /// Flashcard review.
    Cards,
    /// Exam and practice questions.
    Quiz,
    /// A topic page.
    Topic,
    /// The card browser.
    Browser,
    /// The exam-date planner.
    Plan,
}

/// A key with its modifiers, written like `ctrl-d`, `G`, `enter`, `pgdn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// Normalises a terminal event: shift is folded into the character (`G`, not `shift-g`).
    pub fn from_event(ev: &KeyEvent) -> Key {
        let code = match ev.code {
            KeyCode::Char(c) if ev.modifiers.contains(KeyModifiers::SHIFT) => {
                KeyCode::Char(c.to_ascii_uppercase())
            }
            other => other,
        };
        Key {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }

    pub fn parse(text: &str) -> Result<Key, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            s if s.chars().count() == 1 => KeyCode::Char(s.chars().next().unwrap_or(' ')),
            s => return Err(format!("unknown key `{s}`")),
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::Char(c) => write!(f, "{c}"),
            _ => f.write_str("?"),
        }
    }
}

/// One row of the table: the keys, what they do, where, and how the help describes it.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub scope: Scope,
    /// Config name, e.g. `half_page_down`.
    pub name: &'static str,
    pub description: &'static str,
    /// The footer's short label, for bindings worth a hint on screens with this scope.
    pub hint: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

/// The default bindings, in the order the help overlay lists them.
fn defaults() -> Vec<Binding> {
    use Action::*;
    use KeyCode as K;
    use Scope::*;
    let b = |keys: &[Key], action, scope, name, description, hint| Binding {
        keys: keys.to_vec(),
        action,
        scope,
        name,
        description,
        hint,
    };
    vec![
        b(
            &[Key::ch('q')],
            Quit,
            Global,
            "quit",
            "quit (on home); elsewhere go back",
            Some("quit"),
        ),
        b(
            &[Key::plain(K::Esc)],
            Back,
            Global,
            "back",
            "go back / close",
            Some("back"),
        ),
        b(
            &[Key::ch('?')],
            Help,
            Global,
            "help",
            "show all keys",
            Some("keys"),
        ),
        b(
            &[Key::ctrl('p')],
            Finder,
            Global,
            "finder",
            "find anything",
            Some("find"),
        ),
        b(&[Key::ch('H')], GoHome, Global, "home", "go to home", None),
        b(
            &[Key::ch('L')],
            Library,
            Global,
            "library",
            "browse packs and topics",
            None,
        ),
        b(
            &[Key::ch('k'), Key::plain(K::Up)],
            Up,
            Global,
            "up",
            "move up",
            None,
        ),
        b(
            &[Key::ch('j'), Key::plain(K::Down)],
            Down,
            Global,
            "down",
            "move down",
            None,
        ),
        b(
            &[Key::ch('h'), Key::plain(K::Left)],
            Left,
            Global,
            "left",
            "move left",
            None,
        ),
        b(
            &[Key::ch('l'), Key::plain(K::Right)],
            Right,
            Global,
            "right",
            "move right",
            None,
        ),
        b(
            &[Key::plain(K::PageUp)],
            PageUp,
            Global,
            "page_up",
            "page up",
            None,
        ),
        b(
            &[Key::plain(K::PageDown), Key::ch(' ')],
            PageDown,
            Global,
            "page_down",
            "page down",
            None,
        ),
        b(
            &[Key::ctrl('u')],
            HalfPageUp,
            Global,
            "half_page_up",
            "half a page up",
            None,
        ),
        b(
            &[Key::ctrl('d')],
            HalfPageDown,
            Global,
            "half_page_down",
            "half a page down",
            None,
        ),
        b(
            &[Key::ch('g'), Key::plain(K::Home)],
            Top,
            Global,
            "top",
            "go to the top",
            None,
        ),
        b(
            &[Key::ch('G'), Key::plain(K::End)],
            Bottom,
            Global,
            "bottom",
            "go to the bottom",
            None,
        ),
        b(
            &[Key::plain(K::Enter)],
            Open,
            List,
            "open",
            "open the selection",
            Some("open"),
        ),
        b(
            &[Key::ch('/')],
            Finder,
            Home,
            "home_finder",
            "find anything",
            Some("find"),
        ),
        b(
            &[Key::ch('b')],
            Library,
            Home,
            "browse",
            "browse the library",
            Some("browse"),
        ),
        b(
            &[Key::ch('r')],
            Review,
            Home,
            "review",
            "review due cards",
            Some("review"),
        ),
        b(
            &[Key::ch('e')],
            Exam,
            Home,
            "exam",
            "take an exam",
            Some("exam"),
        ),
        b(
            &[Key::ch('c')],
            BrowseCards,
            Home,
            "cards",
            "browse the selected pack's cards",
            // Offered in the Start panel: the footer keeps its room for q at 80 columns.
            None,
        ),
        b(
            &[Key::ch('C')],
            CustomStudy,
            Home,
            "custom_study",
            "custom study: ahead, new, cram",
            None,
        ),
        b(
            &[Key::ch('a')],
            Labs,
            Home,
            "labs",
            "open the labs",
            Some("labs"),
        ),
        b(
            &[Key::ch('!')],
            Diagnostics,
            Home,
            "diagnostics",
            "show pack problems",
            None,
        ),
        b(
            &[Key::ch('r')],
            Review,
            Note,
            "study_note",
            "study this topic now: its due cards, then its new ones",
            Some("study"),
        ),
        b(
            &[Key::ctrl('r')],
            Review,
            Find,
            "find_study",
            "study the selected topic now",
            Some("study"),
        ),
        b(
            &[Key::plain(K::Tab)],
            NextLink,
            Note,
            "next_link",
            "next link",
            Some("next link"),
        ),
        b(
            &[Key::plain(K::BackTab)],
            PrevLink,
            Note,
            "prev_link",
            "previous link",
            None,
        ),
        b(
            &[Key::plain(K::Enter)],
            Open,
            Note,
            "follow",
            "follow the link",
            Some("follow"),
        ),
        b(
            &[Key::ch('t')],
            Toc,
            Note,
            "toc",
            "table of contents",
            Some("contents"),
        ),
        b(
            &[Key::ch('/')],
            Search,
            Note,
            "search",
            "search in the note",
            Some("search"),
        ),
        b(
            &[Key::ch('n')],
            NextMatch,
            Note,
            "next_match",
            "next match",
            None,
        ),
        b(
            &[Key::ch('N')],
            PrevMatch,
            Note,
            "prev_match",
            "previous match",
            None,
        ),
        b(
            &[Key::plain(K::Backspace), Key::ch('[')],
            HistoryBack,
            Note,
            "history_back",
            "previous note",
            Some("prev note"),
        ),
        b(
            &[Key::ch(']')],
            HistoryForward,
            Note,
            "history_forward",
            "next note",
            None,
        ),
        b(
            &[Key::ch('o')],
            OpenLab,
            Note,
            "open_lab",
            "open this note's lab",
            None,
        ),
        b(
            &[Key::plain(K::Tab)],
            NextAlgo,
            Lab,
            "next_algorithm",
            "next algorithm",
            Some("algorithm"),
        ),
        b(
            &[Key::plain(K::BackTab)],
            PrevAlgo,
            Lab,
            "prev_algorithm",
            "previous algorithm",
            None,
        ),
        b(
            &[Key::ch('c')],
            Compare,
            Lab,
            "compare",
            "compare algorithms side by side",
            Some("compare"),
        ),
        b(
            &[Key::ch('+'), Key::ch('=')],
            More,
            Lab,
            "more",
            "more virtual nodes / a higher limit",
            None,
        ),
        b(
            &[Key::ch('-')],
            Less,
            Lab,
            "less",
            "fewer virtual nodes / a lower limit",
            None,
        ),
        b(
            &[Key::ch('>')],
            Longer,
            Lab,
            "longer",
            "more keys / a longer window",
            None,
        ),
        b(
            &[Key::ch('<')],
            Shorter,
            Lab,
            "shorter",
            "fewer keys / a shorter window",
            None,
        ),
        b(
            &[Key::ch('a')],
            AddItem,
            Lab,
            "add",
            "add a node / a compared limiter",
            None,
        ),
        b(
            &[Key::ch('x')],
            RemoveItem,
            Lab,
            "remove",
            "remove the selected node / limiter",
            None,
        ),
        b(
            &[Key::ch('/')],
            Search,
            Lab,
            "lookup",
            "type a key to see where it lands",
            None,
        ),
        b(
            &[Key::ch('t')],
            Traffic,
            Lab,
            "traffic",
            "next traffic pattern",
            None,
        ),
        b(
            &[Key::ch('p')],
            PlayPause,
            Lab,
            "play",
            "play / pause",
            None,
        ),
        b(
            &[Key::ch('.')],
            Step,
            Lab,
            "step",
            "step one interval (pauses)",
            None,
        ),
        b(&[Key::ch(']')], Faster, Lab, "faster", "play faster", None),
        b(&[Key::ch('[')], Slower, Lab, "slower", "play slower", None),
        b(
            &[Key::ch(' ')],
            Fire,
            Lab,
            "fire",
            "fire one request now",
            None,
        ),
        b(
            &[Key::ch('b')],
            Burst,
            Lab,
            "burst",
            "fire a burst of one limit's worth",
            None,
        ),
        b(&[Key::ch('r')], Restart, Lab, "restart", "start over", None),
        b(
            &[Key::ch('w')],
            SlowServer,
            Lab,
            "slow_server",
            "one more slow server (then none again)",
            None,
        ),
        b(
            &[Key::ch('d')],
            FailServer,
            Lab,
            "fail_server",
            "one more failing (down) server, refusing or hanging (then none again)",
            None,
        ),
        b(
            &[Key::ch(',')],
            StepBack,
            Lab,
            "step_back",
            "step back one step (pauses)",
            None,
        ),
        b(
            &[Key::ch('f')],
            FailRecover,
            Lab,
            "fail_recover",
            "crash or recover the selected node",
            None,
        ),
        b(
            &[Key::ch('n')],
            Partition,
            Lab,
            "partition",
            "split the network, or heal it",
            None,
        ),
        b(
            &[Key::ch('s')],
            Sloppy,
            Lab,
            "sloppy_quorum",
            "sloppy quorum with hinted handoff on/off",
            None,
        ),
        b(
            &[Key::ch('e')],
            ReadRepair,
            Lab,
            "read_repair",
            "read repair on/off",
            None,
        ),
        b(
            &[Key::ch('m')],
            NextPreset,
            Lab,
            "next_preset",
            "next preset scenario",
            None,
        ),
        b(
            &[Key::ch('s')],
            Stats,
            Home,
            "stats",
            "statistics and forecast",
            Some("stats"),
        ),
        b(
            &[Key::ch('w')],
            DrillWeakest,
            Home,
            "drill_weakest",
            "drill the weakest domain",
            None,
        ),
        b(
            &[Key::ch('p')],
            ExamPlan,
            Home,
            "exam_plan",
            "plan for an exam date",
            // Listed on home's start list; the footer keeps room for quit at 80 columns.
            None,
        ),
        b(
            &[Key::plain(K::Enter)],
            Open,
            Plan,
            "plan_set",
            "plan for the date, target and minutes shown (saves them)",
            Some("plan"),
        ),
        b(
            &[Key::ch('r')],
            Review,
            Plan,
            "plan_review",
            "study today's plan",
            Some("study"),
        ),
        b(
            &[Key::ch('e')],
            Exam,
            Plan,
            "plan_exam",
            "take a practice exam",
            Some("exam"),
        ),
        b(
            &[Key::ch('x')],
            ClearGoal,
            Plan,
            "plan_clear",
            "remove the exam date",
            Some("remove"),
        ),
        b(
            &[Key::ch('o')],
            Settings,
            Home,
            "settings",
            "study settings",
            None,
        ),
        b(
            &[Key::ch('h'), Key::plain(K::Left), Key::ch('-')],
            Left,
            Form,
            "setting_down",
            "turn the setting down (or to the previous choice)",
            Some("less"),
        ),
        b(
            &[Key::ch('l'), Key::plain(K::Right), Key::ch('+')],
            Right,
            Form,
            "setting_up",
            "turn the setting up (or to the next choice)",
            Some("more"),
        ),
        b(
            &[Key::ch('r')],
            Review,
            List,
            "review_selected",
            "review the selected pack, or study the selected topic now",
            None,
        ),
        b(
            &[Key::ch('C')],
            CustomStudy,
            Topic,
            "custom_study_topic",
            "custom study of this topic: ahead, new, cram",
            None,
        ),
        b(
            &[Key::ch(' '), Key::plain(K::Enter)],
            Reveal,
            Cards,
            "reveal",
            "show the answer",
            Some("show answer"),
        ),
        b(
            &[Key::ch('1')],
            GradeAgain,
            Cards,
            "again",
            "grade: again (forgotten)",
            None,
        ),
        b(
            &[Key::ch('2')],
            GradeHard,
            Cards,
            "hard",
            "grade: hard (recalled with effort)",
            None,
        ),
        b(
            &[Key::ch('3')],
            GradeGood,
            Cards,
            "good",
            "grade: good (recalled)",
            None,
        ),
        b(
            &[Key::ch('4')],
            GradeEasy,
            Cards,
            "easy",
            "grade: easy (recalled at once)",
            None,
        ),
        b(
            &[Key::ch('u')],
            Undo,
            Cards,
            "undo",
            "undo the last grade",
            Some("undo"),
        ),
        b(
            &[Key::ch('o')],
            OpenNote,
            Cards,
            "open_note",
            "read the card's note (esc comes back)",
            Some("note"),
        ),
        b(
            &[Key::ch('c')],
            BrowseCards,
            Topic,
            "topic_cards",
            "browse this topic's cards",
            Some("cards"),
        ),
        b(
            &[Key::plain(K::Enter), Key::ch('o')],
            OpenNote,
            Browser,
            "card_note",
            "read the selected card's note (esc comes back)",
            Some("note"),
        ),
        b(
            &[Key::ch('f')],
            NextFilter,
            Browser,
            "next_filter",
            "show the next filter: all, due, missed, leeches, suspended",
            Some("filter"),
        ),
        b(
            &[Key::ch('s')],
            Suspend,
            Browser,
            "suspend",
            "suspend the selected card (again: unsuspend it)",
            Some("suspend"),
        ),
        b(
            &[Key::ch('u')],
            Unsuspend,
            Browser,
            "unsuspend",
            "unsuspend (or unbury) the selected card",
            Some("unsuspend"),
        ),
        b(
            &[Key::ch('b')],
            Bury,
            Browser,
            "bury",
            "bury the selected card until tomorrow",
            Some("bury"),
        ),
        b(
            &[Key::ch('R')],
            Reset,
            Browser,
            "reset",
            "reset the selected card to new (asks first)",
            Some("reset"),
        ),
        b(
            &[Key::ch('y')],
            Confirm,
            Browser,
            "confirm",
            "yes: do what the question on screen asks",
            Some("yes"),
        ),
        b(
            &[Key::ch('n')],
            Cancel,
            Browser,
            "cancel",
            "no: leave things as they are",
            Some("no"),
        ),
        b(
            &[Key::plain(K::Enter)],
            Check,
            Quiz,
            "check",
            "check the answer (practice) / confirm / go",
            Some("check"),
        ),
        b(
            &[Key::ch('n'), Key::plain(K::Right)],
            NextQuestion,
            Quiz,
            "next_question",
            "next question",
            Some("next"),
        ),
        b(
            &[Key::ch('p'), Key::plain(K::Left)],
            PrevQuestion,
            Quiz,
            "prev_question",
            "previous question",
            None,
        ),
        b(
            &[Key::ch('m')],
            Flag,
            Quiz,
            "flag",
            "mark (flag) the question to come back to",
            Some("flag"),
        ),
        b(
            &[Key::plain(K::Tab)],
            Navigator,
            Quiz,
            "navigator",
            "all questions: answered, flagged, unanswered",
            Some("all questions"),
        ),
        b(
            &[Key::ch('s')],
            Submit,
            Quiz,
            "submit",
            "submit (lists what is still open first)",
            Some("submit"),
        ),
        b(
            &[Key::ch('r')],
            SendToReview,
            Quiz,
            "send_to_review",
            "send the missed questions to spaced repetition",
            None,
        ),
        b(
            &[Key::ch('o')],
            OpenNote,
            Quiz,
            "quiz_open_note",
            "read the question's note once its answer is shown (esc comes back)",
            Some("note"),
        ),
        b(
            &[Key::ch('l')],
            OpenLab,
            Quiz,
            "quiz_open_lab",
            "open a lab question's lab on its numbers once its answer is shown (esc comes back)",
            Some("lab"),
        ),
        b(
            &[Key::ch('i')],
            FilterIncorrect,
            Quiz,
            "filter_incorrect",
            "review: only the incorrect questions (again: all)",
            Some("incorrect"),
        ),
        b(
            &[Key::ch('F')],
            FilterFlagged,
            Quiz,
            "filter_flagged",
            "review: only the flagged questions (again: all)",
            Some("flagged"),
        ),
        b(
            &[Key::ch('D')],
            FilterDomain,
            Quiz,
            "filter_domain",
            "review: one domain's questions, the next on each press, then all",
            Some("domain"),
        ),
    ]
    .into_iter()
    .chain(choice_bindings())
    .collect()
}

/// `a`-`h` and `1`-`8` choose the choices shown as A-H. Lowercase letters, so the global
/// `H` and `L` keep working; on quiz screens they shadow the `h` and `g` movement keys, which
/// the arrows, `n`/`p` and `home` replace there (and so flagging is `m`, "mark for review").
fn choice_bindings() -> impl Iterator<Item = Binding> {
    const NAMES: [&str; 8] = [
        "choose_a", "choose_b", "choose_c", "choose_d", "choose_e", "choose_f", "choose_g",
        "choose_h",
    ];
    const DESCRIPTIONS: [&str; 8] = [
        "choose A", "choose B", "choose C", "choose D", "choose E", "choose F", "choose G",
        "choose H",
    ];
    (0u8..8).map(|i| Binding {
        keys: vec![Key::ch(char::from(b'a' + i)), Key::ch(char::from(b'1' + i))],
        action: Action::Choose(i),
        scope: Scope::Quiz,
        name: NAMES[usize::from(i)],
        description: DESCRIPTIONS[usize::from(i)],
        hint: (i == 0).then_some("choose"),
    })
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: defaults(),
        }
    }
}

impl Keymap {
    /// Applies `[keys]` overrides; unknown names, unparsable keys and keys that another action
    /// of the same screen already has are returned as messages.
    pub fn with_overrides(overrides: &HashMap<String, Vec<String>>) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        let mut names: Vec<&String> = overrides.keys().collect();
        names.sort();
        for name in names {
            let keys = &overrides[name];
            let Some(binding) = map.bindings.iter_mut().find(|b| b.name == name) else {
                problems.push(format!("[keys] has no action `{name}`"));
                continue;
            };
            let parsed: Result<Vec<Key>, String> = keys.iter().map(|k| Key::parse(k)).collect();
            match parsed {
                Ok(keys) if !keys.is_empty() => binding.keys = keys,
                Ok(_) => problems.push(format!("[keys] `{name}` needs at least one key")),
                Err(e) => problems.push(format!("[keys] `{name}`: {e}")),
            }
        }
        problems.extend(map.clashes(overrides));
        (map, problems)
    }

    /// Keys of the overridden bindings that another binding of the same scope also has.
    fn clashes(&self, overrides: &HashMap<String, Vec<String>>) -> Vec<String> {
        let mut out = Vec::new();
        for b in self
            .bindings
            .iter()
            .filter(|b| overrides.contains_key(b.name))
        {
            for other in self
                .bindings
                .iter()
                .filter(|o| o.scope == b.scope && o.name != b.name)
            {
                for k in b.keys.iter().filter(|k| other.keys.contains(k)) {
                    out.push(format!(
                        "[keys] `{}` = \"{k}\" is already `{}` on the same screen; one of them would never run",
                        b.name, other.name
                    ));
                }
            }
        }
        out
    }

    /// The action for a key on a screen with these scopes; scoped bindings win over global ones.
    pub fn lookup(&self, key: Key, scopes: &[Scope]) -> Option<Action> {
        let find = |scope: Scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == scope && b.keys.contains(&key))
                .map(|b| b.action)
        };
        scopes
            .iter()
            .find_map(|&s| find(s))
            .or_else(|| find(Scope::Global))
    }

    /// Footer hints for these scopes: (first key, short label), for the actions `enabled`
    /// accepts. While typing, printable keys are text, so only bindings on other keys are
    /// offered.
    pub fn hints(
        &self,
        scopes: &[Scope],
        typing: bool,
        enabled: impl Fn(Action) -> bool,
    ) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = Vec::new();
        for scope in scopes.iter().copied().chain([Scope::Global]) {
            for b in self
                .bindings
                .iter()
                .filter(|b| b.scope == scope && enabled(b.action))
            {
                let (Some(label), Some(k)) = (b.hint, b.keys.first()) else {
                    continue;
                };
                let printable = matches!(k.code, KeyCode::Char(_)) && !k.ctrl && !k.alt;
                if !(typing && printable) {
                    out.push((k.to_string(), label));
                }
            }
        }
        out
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The keys bound to an action in a scope, for messages like "press r to review".
    pub fn key_for(&self, action: Action) -> Option<Key> {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first().copied())
    }

    /// The first key bound to an action as the help writes it (`ctrl-p`), or nothing when the
    /// learner unbound it: for sentences that name a key.
    pub fn key_text(&self, action: Action) -> String {
        self.key_for(action)
            .map_or_else(String::new, |k| k.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiz_keys_do_not_clash_and_choose_a_to_h() {
        let map = Keymap::default();
        let quiz: Vec<&Binding> = map
            .bindings()
            .iter()
            .filter(|b| b.scope == Scope::Quiz)
            .collect();
        for (i, a) in quiz.iter().enumerate() {
            for b in &quiz[i + 1..] {
                let shared: Vec<&Key> = a.keys.iter().filter(|k| b.keys.contains(k)).collect();
                assert!(
                    shared.is_empty(),
                    "{} and {} share {shared:?}",
                    a.name,
                    b.name
                );
            }
        }
        let on_quiz = |c| map.lookup(Key::ch(c), &[Scope::Quiz]);
        assert_eq!(on_quiz('a'), Some(Action::Choose(0)));
        assert_eq!(on_quiz('8'), Some(Action::Choose(7)));
        assert_eq!(on_quiz('H'), Some(Action::GoHome), "globals still work");
        assert_eq!(on_quiz('q'), Some(Action::Quit));
    }

    #[test]
    fn parses_and_prints_keys() {
        for text in ["q", "ctrl-d", "G", "enter", "pgdn", "alt-x", "space"] {
            let key = Key::parse(text).unwrap();
            let again = Key::parse(&key.to_string().replace('↑', "up")).unwrap();
            assert_eq!(key, again, "{text}");
        }
        assert!(Key::parse("hyper-x").is_err());
    }

    #[test]
    fn scoped_bindings_win() {
        let map = Keymap::default();
        assert_eq!(
            map.lookup(Key::ch('/'), &[Scope::Note]),
            Some(Action::Search)
        );
        assert_eq!(
            map.lookup(Key::ch('/'), &[Scope::Home]),
            Some(Action::Finder)
        );
        assert_eq!(map.lookup(Key::ch('j'), &[Scope::Note]), Some(Action::Down));
        assert_eq!(map.lookup(Key::ch('t'), &[Scope::Home]), None);
    }

    #[test]
    fn overrides_replace_keys_and_report_mistakes() {
        let mut o = HashMap::new();
        o.insert("quit".to_string(), vec!["ctrl-q".to_string()]);
        o.insert("fly".to_string(), vec!["f".to_string()]);
        let (map, problems) = Keymap::with_overrides(&o);
        assert_eq!(map.lookup(Key::ctrl('q'), &[]), Some(Action::Quit));
        assert_eq!(map.lookup(Key::ch('q'), &[]), None);
        assert_eq!(problems, vec!["[keys] has no action `fly`".to_string()]);
    }
}
