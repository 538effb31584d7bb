//! `sysdeck review`: open the app straight on a review session.

use clap::Args;

use super::AppArgs;

#[derive(Debug, Args)]
#[command(
    after_help = "In the review: space or enter shows the answer, 1-4 grade it (Again, Hard, \
Good, Easy), u undoes the last grade, o reads the card's note, esc leaves for home. Every grade is \
saved before the next card shows.\n\n\
The filters combine: `sysdeck review --pack-id system-design --tag caching`. --pack-id picks one of \
the loaded packs by its id (see `sysdeck pack list`); --pack PATH instead loads an extra \
pack folder."
)]
pub struct ReviewArgs {
    /// Only this pack's cards, by pack id
    #[arg(long, value_name = "ID")]
    pub pack_id: Option<String>,

    /// Only this topic's cards: a note id (`caching`) or PACK:NOTE
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// Only cards with this tag (their own or their note's)
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,

    #[command(flatten)]
    pub app: AppArgs,
}
