//! `sysdeck review`: open the app straight on a review session.

use clap::Args;

use super::ScopeArgs;

use super::AppArgs;

#[derive(Debug, Args)]
#[command(
    after_help = "In the review: space or enter shows the answer, 1-4 grade it (Again, Hard, \
Good, Easy), u undoes the last grade, o reads the card's note, esc leaves for home. Every grade is \
saved before the next card shows.\n\n\
Without filters, or with --pack-id alone, the review holds today's due cards and new cards up to \
the daily limits. With --topic or --tag it studies that topic or tag now: all its due cards, then \
all its new cards, past the daily limits (the screen says how many). \
The filters combine: `sysdeck review --pack-id system-design --tag caching`. --pack-id picks one of \
the loaded packs by its id (see `sysdeck pack list`); --pack PATH instead loads an extra \
pack folder."
)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub filters: ScopeArgs,

    #[command(flatten)]
    pub app: AppArgs,
}
