//! What each subcommand does, on top of the library.

pub mod pack;
pub mod sim;
