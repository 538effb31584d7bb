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
pack folder.\n\n\
Custom study (also `C` on home or a topic page): --ahead DAYS reviews the cards due in the next \
DAYS days now, saved as usual (each is rescheduled from today). --cram goes through every card of \
the filters once, for the night before an exam: its grades are not saved and the schedule is \
unchanged, as the screen says throughout. --extra-new N adds N new cards to today's limit of \
--pack-id (today only) and opens its review. The three do not combine: \
`sysdeck review --cram --pack-id system-design --topic caching`."
)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub filters: ScopeArgs,

    /// Review ahead: the review cards due in the next DAYS days, answered now and saved
    #[arg(
        long,
        value_name = "DAYS",
        value_parser = clap::value_parser!(u32).range(1..=365),
        conflicts_with_all = ["cram", "extra_new"]
    )]
    pub ahead: Option<u32>,

    /// Cram every card of the filters once; the grades are not saved
    #[arg(long, conflicts_with = "extra_new")]
    pub cram: bool,

    /// Add N new cards to today's limit of --pack-id, then review it
    #[arg(
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=1000),
        requires = "pack_id"
    )]
    pub extra_new: Option<u32>,

    #[command(flatten)]
    pub app: AppArgs,
}
