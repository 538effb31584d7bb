//! The key every review item is stored under.

use std::fmt;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// `pack/card`, `pack/card#reverse`, `pack/card#c2` or `pack/question`: the key progress is
/// stored under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemKey(CompactString);

impl ItemKey {
    pub fn new(key: impl AsRef<str>) -> Self {
        ItemKey(CompactString::new(key))
    }

    /// A key already built as a compact string (see [`compact_str::format_compact`]).
    pub fn from_compact(key: CompactString) -> Self {
        ItemKey(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The pack id: everything before the first `/`.
    pub fn pack(&self) -> &str {
        self.0.split_once('/').map_or(&self.0, |(p, _)| p)
    }

    /// The item id: between the pack's `/` and the `#side`, if any.
    pub fn item_id(&self) -> &str {
        let group = self.sibling_group();
        group.split_once('/').map_or("", |(_, id)| id)
    }

    /// The key without its `#side`: items sharing it are siblings, never shown the same day.
    pub fn sibling_group(&self) -> &str {
        self.0.split_once('#').map_or(&self.0, |(g, _)| g)
    }
}

impl fmt::Display for ItemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
