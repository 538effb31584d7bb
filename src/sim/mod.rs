//! Deterministic simulations of the mechanisms the labs teach.
//!
//! Nothing here reads the clock or an unseeded random source: time is an input ([`time::Nanos`])
//! and every hash is a seeded xxh3, so a run with the same inputs always gives the same numbers.

pub mod ask;
pub mod balancer;
pub mod cache;
pub mod hash_ring;
pub mod limiter;
pub mod quorum;
pub mod time;
pub mod traffic;
