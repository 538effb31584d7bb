//! `sysdeck import anki | csv` and `sysdeck export anki`: decks from and to other tools.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueHint};

use super::{DataDir, LearnerArgs};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Make a pack from an Anki deck (.apkg): basic, reversed and cloze notes, tags, media
    Anki(ImportAnkiArgs),
    /// Make a pack from a spreadsheet (.csv or .tsv): front, back and optional tags columns
    Csv(ImportCsvArgs),
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write a pack's cards as an Anki deck (.apkg); exporting again updates the same notes
    Anki(ExportAnkiArgs),
}

/// Where an imported pack goes and what it is called.
#[derive(Debug, Args)]
pub struct NewPack {
    /// The folder to write the pack into (new, or empty)
    #[arg(short, long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub output: PathBuf,

    /// The pack id [default: from the folder name]
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// The pack's display name [default: the deck's name, else the file's]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportAnkiArgs {
    /// The Anki package (File > Export > Anki Deck Package)
    #[arg(value_hint = ValueHint::FilePath)]
    pub file: PathBuf,

    #[command(flatten)]
    pub pack: NewPack,

    /// Also bring the deck's review history into your progress, so the schedule continues
    /// (the pack's id keys it: study the pack under that id)
    #[arg(long)]
    pub with_history: bool,

    #[command(flatten)]
    pub data: DataDir,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Columns: front, back, then tags (separated by spaces or commas). A first row \
naming its columns (front/question, back/answer, tags) is read as a header, in any order. A \
row whose front holds {{c1::...}} and no back becomes a cloze card."
)]
pub struct ImportCsvArgs {
    /// The spreadsheet file
    #[arg(value_hint = ValueHint::FilePath)]
    pub file: PathBuf,

    /// The column separator: `,` `;` `|` or `tab` [default: tab for .tsv, else the one the
    /// first line uses most]
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,

    #[command(flatten)]
    pub pack: NewPack,
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "," | ";" | "|" | ":" => Ok(text.as_bytes()[0]),
        _ => Err("use one of , ; | : or tab".into()),
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Cards go to Anki as notes of three note types (basic, basic and reversed, \
cloze). Text goes as written: Markdown marks show as typed, line breaks and pictures under \
assets/ carry over. Exam questions and notes are not exported."
)]
pub struct ExportAnkiArgs {
    /// A loaded pack's id, or a pack folder
    pub pack: String,

    /// The package to write: NAME.apkg
    #[arg(short, long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: PathBuf,

    #[command(flatten)]
    pub learner: LearnerArgs,
}
