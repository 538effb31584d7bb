//! sysdeck: learn system design and AWS in the terminal.
//!
//! The library is a pure core (content packs, scheduling, quizzes, simulations) with the terminal
//! shell in [`tui`] on top; [`cli`] defines the command line and [`commands`] carries it out, so
//! `main.rs` only parses and reports errors.

// Output reaches the terminal only through `safe_text`, which escapes what a stranger wrote.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod atomic_write;
pub mod bounded_read;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod content;
pub mod export;
pub mod interop;
pub mod packs;
pub mod paths;
pub mod progress;
pub mod quiz;
pub mod safe_text;
pub mod search;
pub mod sim;
pub mod srs;
pub mod store;
pub mod tui;
pub mod words;
