//! The user's `config.toml`: theme and key overrides. A broken file never stops the app: its
//! problems are shown as a notice and the defaults apply.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::theme::ThemeName;
use crate::bounded_read::{self, ReadError};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub theme: Option<ThemeName>,
    #[serde(default)]
    pub keys: HashMap<String, Vec<String>>,
}

/// A config file is a few lines; anything larger is not one.
const MAX_CONFIG_BYTES: u64 = 64 * 1024;

impl Config {
    /// Reads the file if it exists; returns the defaults and a message when it cannot be used.
    pub fn load(path: &Path) -> (Config, Option<String>) {
        let text = match bounded_read::read_to_string(path, MAX_CONFIG_BYTES) {
            Ok(t) => t,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Config::default(), None);
            }
            Err(e) => {
                return (
                    Config::default(),
                    Some(format!("cannot read {}: {e}", path.display())),
                );
            }
        };
        match toml::from_str(&text) {
            Ok(c) => (c, None),
            Err(e) => (
                Config::default(),
                Some(format!("{} is ignored: {}", path.display(), e.message())),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_theme_and_keys_and_reports_mistakes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "theme = \"light\"\n[keys]\nquit = [\"ctrl-q\"]\n").unwrap();
        let (c, problem) = Config::load(&path);
        assert_eq!(c.theme, Some(ThemeName::Light));
        assert_eq!(c.keys["quit"], vec!["ctrl-q".to_string()]);
        assert!(problem.is_none());
        std::fs::write(&path, "theme = \"neon\"\n").unwrap();
        let (c, problem) = Config::load(&path);
        assert!(c.theme.is_none());
        assert!(problem.unwrap().contains("ignored"));
        let (_, problem) = Config::load(&dir.path().join("missing.toml"));
        assert!(problem.is_none());
    }
}
