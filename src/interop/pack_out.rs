//! Writing an imported deck as a pack folder (`pack.toml`, one deck file, `assets/`), in the
//! format of docs/pack-format.md, with every field made safe and checked on the way in.

use std::path::Path;

use serde::Serialize;

use super::InteropError;
use crate::content::cloze;
use crate::safe_text::is_forbidden;

/// A card as it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftKind {
    Basic {
        front: String,
        back: String,
        reverse: bool,
    },
    Cloze {
        text: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftCard {
    pub id: String,
    pub kind: DraftKind,
    pub extra: Option<String>,
    pub tags: Vec<String>,
}

/// A pack to write.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub id: String,
    pub name: String,
    pub description: String,
    pub cards: Vec<DraftCard>,
    /// Files for `assets/`, by a name [`safe_file_name`] accepted.
    pub assets: Vec<(String, Vec<u8>)>,
}

/// Text without the characters a pack may not hold (control characters other than newline
/// and tab, bidirectional overrides), with carriage returns read as line ends.
pub fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|&c| !is_forbidden(c))
        .collect::<String>()
        .trim()
        .to_string()
}

/// A tag as a pack holds it: no whitespace or forbidden characters, at most 64 characters;
/// `None` for what is left empty.
pub fn clean_tag(tag: &str) -> Option<String> {
    let tag: String = tag
        .chars()
        .filter(|&c| !is_forbidden(c) && !c.is_whitespace())
        .take(64)
        .collect();
    (!tag.is_empty()).then_some(tag)
}

/// Why a card cannot be written, in the words of the pack checker's rules.
pub fn validate(card: &DraftCard) -> Result<(), String> {
    let texts: Vec<(&str, &str)> = match &card.kind {
        DraftKind::Basic { front, back, .. } => vec![("front", front), ("back", back)],
        DraftKind::Cloze { text } => vec![("cloze text", text)],
    };
    for (what, text) in texts {
        if text.trim().is_empty() {
            return Err(format!("its {what} is empty"));
        }
    }
    if let DraftKind::Cloze { text } = &card.kind {
        cloze::parse(text).map_err(|e| format!("its cloze text is not usable: {}", e.message))?;
    }
    Ok(())
}

/// A media file name safe to write under `assets/`: a plain name (no folders, no `..`, no
/// leading dot, no NUL or control characters), at most 100 bytes. Anki itself keeps media
/// flat and refers to it by bare names (`anki/rslib/src/media/files.rs`).
pub fn safe_file_name(name: &str) -> Result<String, &'static str> {
    if name.contains(['/', '\\']) {
        return Err("a path, not a plain file name");
    }
    if name.chars().any(|c| c.is_control() || is_forbidden(c)) {
        return Err("it holds control characters");
    }
    let name = name.trim();
    if name.is_empty() || name.starts_with('.') {
        return Err("empty, or starts with a dot");
    }
    if name.len() > 100 {
        return Err("longer than 100 bytes");
    }
    // Characters Markdown links and Anki's `[sound:...]` would trip on.
    if name.contains(['(', ')', '[', ']', '<', '>', '"']) {
        return Err("it holds brackets or quotes");
    }
    Ok(name.to_string())
}

#[derive(Serialize)]
struct Manifest<'a> {
    pack: PackTable<'a>,
}

#[derive(Serialize)]
struct PackTable<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    format: u32,
    description: &'a str,
}

#[derive(Serialize)]
struct Deck<'a> {
    cards: Vec<CardTable<'a>>,
}

#[derive(Serialize)]
struct CardTable<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    front: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    back: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reverse: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    cloze: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
}

impl<'a> From<&'a DraftCard> for CardTable<'a> {
    fn from(c: &'a DraftCard) -> Self {
        let (front, back, reverse, cloze) = match &c.kind {
            DraftKind::Basic {
                front,
                back,
                reverse,
            } => (Some(front.as_str()), Some(back.as_str()), *reverse, None),
            DraftKind::Cloze { text } => (None, None, false, Some(text.as_str())),
        };
        CardTable {
            id: &c.id,
            front,
            back,
            reverse,
            cloze,
            extra: c.extra.as_deref(),
            tags: &c.tags,
        }
    }
}

/// A deck file holds at most this much: the checker refuses pack files over 1 MiB.
const DECK_FILE_BYTES: usize = 768 << 10;

/// The cards as TOML, split into files under [`DECK_FILE_BYTES`] (`[[cards]]` tables
/// concatenate into one array, so each card is written on its own).
fn deck_files(cards: &[DraftCard]) -> Result<Vec<String>, InteropError> {
    let mut files = Vec::new();
    let mut current = String::new();
    for card in cards {
        let text = toml::to_string(&Deck {
            cards: vec![CardTable::from(card)],
        })
        .map_err(|e| InteropError::Toml(e.to_string()))?;
        if !current.is_empty() && current.len() + text.len() + 1 > DECK_FILE_BYTES {
            files.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(&text);
    }
    files.push(current);
    Ok(files)
}

/// Writes `draft` into `dir`, which must not exist or be empty.
pub fn write(draft: &Draft, dir: &Path) -> Result<(), InteropError> {
    let io = |e: std::io::Error| InteropError::Write {
        path: dir.to_path_buf(),
        source: e,
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io)?;
        if entries.next().is_some() {
            return Err(InteropError::NotEmpty(dir.to_path_buf()));
        }
    }
    std::fs::create_dir_all(dir.join("decks")).map_err(io)?;
    let manifest = toml::to_string(&Manifest {
        pack: PackTable {
            id: &draft.id,
            name: &draft.name,
            version: "1.0.0",
            format: 1,
            description: &draft.description,
        },
    })
    .map_err(|e| InteropError::Toml(e.to_string()))?;
    std::fs::write(dir.join("pack.toml"), manifest).map_err(io)?;
    let decks = deck_files(&draft.cards)?;
    for (i, deck) in decks.iter().enumerate() {
        let name = if decks.len() == 1 {
            format!("{}.toml", draft.id)
        } else {
            format!("{}-{:03}.toml", draft.id, i + 1)
        };
        std::fs::write(dir.join("decks").join(name), deck).map_err(io)?;
    }
    if !draft.assets.is_empty() {
        std::fs::create_dir_all(dir.join("assets")).map_err(io)?;
        for (name, bytes) in &draft.assets {
            // `safe_file_name` accepted the name; join it only after checking it again.
            let name = safe_file_name(name).map_err(|why| InteropError::UnsafeName {
                name: name.clone(),
                why,
            })?;
            std::fs::write(dir.join("assets").join(name), bytes).map_err(io)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_media_names_are_refused() {
        for name in [
            "../../etc/passwd",
            "/etc/passwd",
            "a\0b.png",
            "..",
            ".hidden",
            "",
            "a\\b.png",
            "bell\u{7}.png",
            "x\u{202e}gnp.exe",
        ] {
            assert!(safe_file_name(name).is_err(), "{name:?} accepted");
        }
        assert_eq!(safe_file_name("diagram 1.png").unwrap(), "diagram 1.png");
        assert_eq!(safe_file_name("猫.jpg").unwrap(), "猫.jpg");
        assert!(safe_file_name(&"a".repeat(101)).is_err());
    }

    #[test]
    fn text_loses_control_characters_and_keeps_lines() {
        assert_eq!(clean_text("a\u{1b}[31mb\r\nc\u{202e}d "), "a[31mb\ncd");
        assert_eq!(clean_tag("  "), None);
        assert_eq!(
            clean_tag("geo::capitals\u{7}").as_deref(),
            Some("geo::capitals")
        );
    }
}
