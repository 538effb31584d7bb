//! The `limit` per `window` parameters of the three window-counting limiters, kept in one place
//! so their construction, window alignment, gauge ceiling and bound are written once.

use serde::Serialize;

use super::Quota;
use crate::sim::time::{Nanos, format_duration};

/// `limit` requests per `window`, as a fixed window, sliding log or sliding counter holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(super) struct WindowQuota {
    pub(super) limit: u32,
    pub(super) window: Nanos,
}

impl WindowQuota {
    pub(super) fn new(quota: Quota) -> WindowQuota {
        WindowQuota {
            limit: quota.limit(),
            window: quota.window(),
        }
    }

    /// The start of the aligned window `[k * window, (k + 1) * window)` containing `now`.
    pub(super) fn aligned_start(&self, now: Nanos) -> Nanos {
        now - now % self.window
    }

    /// The limit as a gauge's ceiling.
    pub(super) fn ceiling(&self) -> Option<f64> {
        Some(f64::from(self.limit))
    }

    /// `limit` per aligned window, and an interval of `span` touches at most
    /// ceil(span / window) + 1 of them: 2L for one window's length.
    pub(super) fn aligned_bound(&self, span: Nanos) -> u64 {
        u64::from(self.limit) * (span.div_ceil(self.window) + 1)
    }

    /// "10 per 1s window".
    pub(super) fn per_window(&self) -> String {
        format!("{} per {} window", self.limit, format_duration(self.window))
    }
}
