//! Where each item id of a pack is written, kept for diagnostics made after loading (an id
//! that looks renamed, in `pack check`).

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::diagnostic::FileId;
use super::model::Id;

/// Sorted by id and looked up by binary search: made once per load and read rarely, so a
/// sorted vector costs less to make and to keep than a hash map, and a pack image holds it
/// as it is.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(from = "Vec<(Id, FileId, Range<usize>)>")]
pub struct Sites(Vec<(Id, FileId, Range<usize>)>);

impl From<Vec<(Id, FileId, Range<usize>)>> for Sites {
    /// Sorts what it is given: an image from a damaged index need not be in order. Sorting
    /// a vector already in order takes one pass.
    fn from(mut sites: Vec<(Id, FileId, Range<usize>)>) -> Sites {
        sites.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Sites(sites)
    }
}

impl From<HashMap<Id, (FileId, Range<usize>)>> for Sites {
    fn from(map: HashMap<Id, (FileId, Range<usize>)>) -> Sites {
        Sites::from(
            map.into_iter()
                .map(|(id, (file, span))| (id, file, span))
                .collect::<Vec<_>>(),
        )
    }
}

impl Sites {
    /// Where `id` is written.
    pub fn get(&self, id: &str) -> Option<(FileId, &Range<usize>)> {
        let at = self
            .0
            .binary_search_by(|(own, ..)| own.as_str().cmp(id))
            .ok()?;
        let (_, file, span) = &self.0[at];
        Some((*file, span))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Id, FileId, &Range<usize>)> {
        self.0.iter().map(|(id, file, span)| (id, *file, span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_id_however_it_came_in_and_nothing_else() {
        let given: Vec<(Id, FileId, Range<usize>)> = ["m", "a", "z", "b"]
            .iter()
            .enumerate()
            .map(|(i, id)| (Id::new(id), i, i..i + 1))
            .collect();
        let from_map: HashMap<_, _> = given
            .iter()
            .map(|(id, f, s)| (id.clone(), (*f, s.clone())))
            .collect();
        for sites in [Sites::from(given), Sites::from(from_map)] {
            assert_eq!(sites.get("m"), Some((0, &(0..1))));
            assert_eq!(sites.get("a"), Some((1, &(1..2))));
            assert_eq!(sites.get("z"), Some((2, &(2..3))));
            assert_eq!(sites.get("b"), Some((3, &(3..4))));
            assert_eq!(sites.get("c"), None);
            assert_eq!(sites.get(""), None);
        }
    }
}
