//! What each subcommand does, on top of the library.

pub mod app;
pub mod pack;
pub mod progress;
pub mod progress_check;
pub mod quiz;
pub mod review;
pub mod settings;
pub mod sim;
