//! Where sysdeck keeps things on this machine.

use std::path::PathBuf;

use directories::ProjectDirs;

fn project() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "sysdeck")
}

/// Progress database and user packs; `--data-dir` / `SYSDECK_DATA_DIR` override it.
pub fn default_data_dir() -> Option<PathBuf> {
    project().map(|p| p.data_dir().to_path_buf())
}

/// `config.toml` (keys and theme).
pub fn default_config_dir() -> Option<PathBuf> {
    project().map(|p| p.config_dir().to_path_buf())
}

/// Compiled pack indexes; `--cache-dir` / `SYSDECK_CACHE_DIR` override it.
pub fn default_cache_dir() -> Option<PathBuf> {
    project().map(|p| p.cache_dir().to_path_buf())
}
