//! `sysdeck pack ...`: checking, creating, listing and inspecting content packs.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueHint};

use super::{DataDir, Format, LibraryArgs};

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Check pack folders and print compiler-style diagnostics
    Check(CheckArgs),
    /// Create a new pack from the template
    New(NewArgs),
    /// List the loaded packs
    List(ListArgs),
    /// List the note, card and question ids of a pack, for links and references
    Ids(IdsArgs),
    /// Show every card a pack generates (reverse sides, each cloze deletion) as it will be asked
    Preview(PreviewArgs),
    /// Install a pack folder or archive (.tar.gz, .tgz, .zip) into your packs, after checking it
    Install(InstallArgs),
    /// Install packs again from where they were installed from
    Update(UpdateArgs),
    /// Remove an installed pack (its progress is kept unless --forget)
    Uninstall(UninstallArgs),
    /// Write a pack as one archive to share; the format follows the extension
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// A pack folder, or an archive made by `pack export`
    #[arg(value_hint = ValueHint::AnyPath)]
    pub source: PathBuf,

    /// Replace an installed pack with the same id even when it looks like another pack,
    /// is newer, or was not installed by sysdeck
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The installed pack to update [default: every installed pack with a recorded source]
    pub id: Option<String>,

    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// The installed pack's id
    pub id: String,

    /// Also delete the pack's review history, card states and questions sent to review
    #[arg(long)]
    pub forget: bool,

    /// Remove the folder even if it was not installed with `pack install`
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub data: DataDir,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A loaded pack's id, or a pack folder
    pub pack: String,

    /// The archive to write: NAME.tar.gz, NAME.tgz or NAME.zip
    #[arg(short, long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: PathBuf,

    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Args)]
// A check always reads every source, so the pack index directory is accepted (an alias may give
// it before any command) but not offered.
#[command(mut_arg("cache_dir", |a| a.hide(true)))]
pub struct CheckArgs {
    /// Pack folders to check [default: every loaded pack]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Fail when there are warnings too
    #[arg(long)]
    pub deny_warnings: bool,

    /// Explain a diagnostic code (such as `toml-syntax`) with an example and the fix
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,

    /// Check again whenever a file of the checked packs changes
    #[arg(long)]
    pub watch: bool,

    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The pack id: lowercase letters, digits and dashes (also the folder name)
    pub name: String,

    /// Folder to create the pack in
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Args)]
pub struct IdsArgs {
    /// A loaded pack's id, or a pack folder [default: every loaded pack]
    pub pack: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// The same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    #[command(flatten)]
    pub library: LibraryArgs,
}

impl IdsArgs {
    pub fn format(&self) -> Format {
        if self.json { Format::Json } else { self.format }
    }
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// A loaded pack's id, or a pack folder
    pub pack: String,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    #[command(flatten)]
    pub library: LibraryArgs,
}
