//! The terminal app: everything that touches ratatui and crossterm lives here.

pub mod app;
pub mod config;
pub mod keymap;
pub mod markdown;
pub mod nav;
pub mod screens;
pub mod shared;
pub mod snapshot;
pub mod terminal;
pub mod theme;
pub mod widgets;
