//! The binary as the pack-sharing tests run it: a data directory of their own, no built-in
//! packs, no colour.

use std::path::Path;

use assert_cmd::Command;
use assert_cmd::assert::Assert;

pub fn sysdeck(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.env("SYSDECK_DATA_DIR", data)
        .env("NO_COLOR", "1")
        .arg("--no-builtin");
    cmd
}

/// `sysdeck pack install PATH` into `data`.
pub fn install(data: &Path, path: &Path) -> Assert {
    sysdeck(data).args(["pack", "install"]).arg(path).assert()
}
