//! sysdeck: learn system design and AWS in the terminal.
//!
//! The library is a pure core (content packs, scheduling, quizzes, simulations) with the terminal
//! shell in [`tui`] on top; `main.rs` wires the command line to it.

pub mod atomic_write;
pub mod bounded_read;
pub mod clock;
pub mod content;
pub mod export;
pub mod paths;
pub mod quiz;
pub mod safe_text;
pub mod search;
pub mod sim;
pub mod srs;
pub mod store;
pub mod tui;
