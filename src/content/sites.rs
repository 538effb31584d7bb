//! Where each item id of a pack is written, kept for diagnostics made after loading (an id
//! that looks renamed, in `pack check`).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use super::diagnostic::FileId;
use super::model::Id;

/// Kept in the order the ids were claimed, and sorted for lookups only when the first one
/// comes: loading never looks an id up (only `pack check` does), so a first run does not pay
/// for sorting 25,000 ids. The pack image leaves them out altogether.
#[derive(Debug, Default, Clone)]
pub struct Sites {
    sites: Vec<(Id, FileId, Range<usize>)>,
    /// Positions in `sites`, ordered by id.
    by_id: OnceLock<Vec<usize>>,
}

impl From<Vec<(Id, FileId, Range<usize>)>> for Sites {
    fn from(sites: Vec<(Id, FileId, Range<usize>)>) -> Sites {
        Sites {
            sites,
            by_id: OnceLock::new(),
        }
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
        let by_id = self.by_id.get_or_init(|| {
            let mut order: Vec<usize> = (0..self.sites.len()).collect();
            order.sort_unstable_by(|&a, &b| self.sites[a].0.cmp(&self.sites[b].0));
            order
        });
        let at = by_id
            .binary_search_by(|&i| self.sites[i].0.as_str().cmp(id))
            .ok()?;
        let (_, file, span) = &self.sites[by_id[at]];
        Some((*file, span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_id_from_a_vector_or_a_map_and_nothing_else() {
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
