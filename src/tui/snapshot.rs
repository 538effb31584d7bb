//! Rendering a screen to plain text without a terminal: for docs, bug reports and tests.

use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::app::App;
use super::keymap::Action;
use super::nav::Nav;
use super::shared::Shared;
use crate::content::Lab;

/// Which screen to render, as written on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScreenSpec {
    Home,
    Library,
    Note {
        pack: String,
        id: String,
    },
    Help,
    Finder(String),
    Labs,
    Lab {
        lab: Lab,
        compare: bool,
    },
    /// Today's review, of one pack, or of one topic studied now (`review:PACK:TOPIC`).
    Review {
        pack: Option<String>,
        topic: Option<String>,
    },
    /// The card browser, of one pack or of all.
    Cards {
        pack: Option<String>,
    },
    /// Custom study, of one pack or of all.
    CustomStudy {
        pack: Option<String>,
    },
    Stats,
    Settings,
    /// The exam-date planner, of one pack or of the first with an exam.
    Plan {
        pack: Option<String>,
    },
    Quiz {
        pack: Option<String>,
    },
    QuizHistory,
    /// One question asked on its own, and when a letter is given, that choice checked.
    Question {
        pack: String,
        id: String,
        answer: Option<u8>,
    },
}

impl std::str::FromStr for ScreenSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("home"), None, None) => Ok(ScreenSpec::Home),
            (Some("library"), None, None) => Ok(ScreenSpec::Library),
            (Some("help"), None, None) => Ok(ScreenSpec::Help),
            (Some("find"), q, None) => Ok(ScreenSpec::Finder(q.unwrap_or_default().to_string())),
            (Some("labs"), None, None) => Ok(ScreenSpec::Labs),
            (Some("lab"), Some(id), mode @ (None | Some("compare"))) => match Lab::from_id(id) {
                Some(lab) => Ok(ScreenSpec::Lab {
                    lab,
                    compare: mode.is_some(),
                }),
                None => Err(format!(
                    "unknown lab `{id}`; use lab:hash-ring, lab:rate-limiter, lab:cache-eviction, lab:quorum or lab:load-balancer"
                )),
            },
            (Some("review"), pack, topic) => Ok(ScreenSpec::Review {
                pack: pack.map(str::to_string),
                topic: topic.map(str::to_string),
            }),
            (Some("cards"), pack, None) => Ok(ScreenSpec::Cards {
                pack: pack.map(str::to_string),
            }),
            (Some("custom-study"), pack, None) => Ok(ScreenSpec::CustomStudy {
                pack: pack.map(str::to_string),
            }),
            (Some("stats"), None, None) => Ok(ScreenSpec::Stats),
            (Some("settings"), None, None) => Ok(ScreenSpec::Settings),
            (Some("plan"), pack, None) => Ok(ScreenSpec::Plan {
                pack: pack.map(str::to_string),
            }),
            (Some("quiz"), pack, None) => Ok(ScreenSpec::Quiz {
                pack: pack.map(str::to_string),
            }),
            (Some("quiz-history"), None, None) => Ok(ScreenSpec::QuizHistory),
            (Some("question"), Some(pack), Some(rest)) => {
                let (id, answer) = match rest.split_once(':') {
                    Some((id, letter)) => (id, Some(choice_letter(letter)?)),
                    None => (rest, None),
                };
                Ok(ScreenSpec::Question {
                    pack: pack.to_string(),
                    id: id.to_string(),
                    answer,
                })
            }
            (Some("note"), Some(pack), Some(id)) => Ok(ScreenSpec::Note {
                pack: pack.to_string(),
                id: id.to_string(),
            }),
            _ => Err(format!(
                "unknown screen `{s}`; use home, library, help, find:QUERY, note:PACK:ID, labs, \
                 lab:LAB[:compare], review[:PACK[:TOPIC]], cards[:PACK], custom-study[:PACK], stats, \
                 settings, plan[:PACK], quiz[:PACK], quiz-history or \
                 question:PACK:ID[:LETTER]"
            )),
        }
    }
}

/// `a` to `h` (or `A` to `H`) as a choice position.
fn choice_letter(text: &str) -> Result<u8, String> {
    match text.as_bytes() {
        [c @ b'a'..=b'h'] | [c @ b'A'..=b'H'] => Ok(c.to_ascii_lowercase() - b'a'),
        _ => Err(format!("`{text}` is not a choice letter from a to h")),
    }
}

/// Steps the rate-limiter lab takes before a snapshot: six windows of the default quota.
const LIMITER_STEPS: usize = 60;
/// Requests the cache-eviction lab replays before a snapshot.
const CACHE_STEPS: usize = 600;
/// Steps the quorum lab takes before a snapshot: past its preset's crash of replica-3.
const QUORUM_STEPS: usize = 12;
/// Slices of 100ms the load-balancer lab plays before a snapshot: six simulated seconds, into
/// a failing server's first outage.
const BALANCER_STEPS: usize = 60;

/// Parses `100x30`.
pub fn parse_size(s: &str) -> Result<(u16, u16), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{s}` is not a size like 100x30"))?;
    let w: u16 = w.parse().map_err(|_| format!("`{w}` is not a width"))?;
    let h: u16 = h.parse().map_err(|_| format!("`{h}` is not a height"))?;
    if w == 0 || h == 0 || w > 1000 || h > 1000 {
        return Err(format!("{w}x{h} is outside 1x1..1000x1000"));
    }
    Ok((w, h))
}

/// Builds the app on the requested screen.
pub fn app_at(shared: Rc<Shared>, spec: &ScreenSpec, width: u16, height: u16) -> App {
    let mut app = App::new(shared);
    app.resize(width, height);
    match spec {
        ScreenSpec::Home => {}
        ScreenSpec::Library => app.go(Nav::Library { pack: None }, false),
        ScreenSpec::Help => app.press(Action::Help),
        ScreenSpec::Finder(q) => {
            app.go(Nav::Finder, false);
            q.chars().for_each(|c| app.type_char(c));
        }
        ScreenSpec::Note { pack, id } => app.go(
            Nav::Note {
                pack: pack.clone(),
                id: id.clone(),
                anchor: None,
            },
            false,
        ),
        ScreenSpec::Labs => app.go(Nav::Labs, false),
        ScreenSpec::Review {
            pack,
            topic: Some(topic),
        } => app.go(
            Nav::study(pack.as_deref().unwrap_or_default(), topic),
            false,
        ),
        ScreenSpec::Review { pack, topic: None } => {
            app.go(Nav::Review(pack_scope(pack).into()), false)
        }
        ScreenSpec::Cards { pack } => app.go(Nav::Cards(pack_scope(pack)), false),
        ScreenSpec::CustomStudy { pack } => app.go(Nav::CustomStudy(pack_scope(pack)), false),
        ScreenSpec::Stats => app.go(Nav::Stats, false),
        ScreenSpec::Settings => app.go(Nav::Settings, false),
        ScreenSpec::Plan { pack } => app.go(Nav::Plan { pack: pack.clone() }, false),
        ScreenSpec::Quiz { pack } => app.go(Nav::QuizSetup { pack: pack.clone() }, false),
        ScreenSpec::QuizHistory => app.go(Nav::QuizHistory, false),
        ScreenSpec::Question { pack, id, answer } => {
            let target = crate::search::Target::Question {
                pack: pack.clone(),
                id: id.clone(),
            };
            app.go(Nav::Item(target), false);
            if let Some(letter) = answer {
                app.press(Action::Choose(*letter));
                app.press(Action::Check);
            }
        }
        ScreenSpec::Lab { lab, compare } => {
            app.go(Nav::Lab(*lab), false);
            if *compare {
                app.press(Action::Compare);
            }
            match lab {
                // A paused run a few windows in: something to see, the same every time.
                Lab::RateLimiter => (0..LIMITER_STEPS).for_each(|_| app.press(Action::Step)),
                // Paused a third of the way through the trace.
                Lab::CacheEviction => (0..CACHE_STEPS).for_each(|_| app.press(Action::Step)),
                Lab::Quorum => (0..QUORUM_STEPS).for_each(|_| app.press(Action::Step)),
                Lab::LoadBalancer => (0..BALANCER_STEPS).for_each(|_| app.press(Action::Step)),
                Lab::HashRing => {}
            }
        }
    }
    app
}

/// Everything of one pack, or of every pack.
fn pack_scope(pack: &Option<String>) -> crate::srs::Scope {
    crate::srs::Scope {
        pack: pack.clone(),
        ..crate::srs::Scope::default()
    }
}

/// The buffer as text, one line per row, trailing spaces trimmed.
pub fn buffer_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buf[(x, y)];
            let sym = cell.symbol();
            line.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Renders the app to text at the given size.
pub fn render_text(app: &App, width: u16, height: u16) -> String {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    app.render(area, &mut buf);
    buffer_text(&buf)
}
