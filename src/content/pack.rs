//! A loaded pack: its manifest and the items that passed their checks.

use super::cards::Cards;
use super::model::{Domain, Manifest, Note, Origin};
use super::questions::Questions;

/// A loaded pack: the manifest and every item that passed its checks.
#[derive(Debug, Clone)]
pub struct Pack {
    pub manifest: Manifest,
    pub origin: Origin,
    pub notes: Vec<Note>,
    pub cards: Cards,
    pub questions: Questions,
}

impl Pack {
    pub fn id(&self) -> &str {
        &self.manifest.id
    }

    /// The notes in reading order, the pack's syllabus: by `order`, then title; notes without
    /// an `order` come last.
    pub fn reading_order(&self) -> Vec<&Note> {
        self.reading_places()
            .into_iter()
            .map(|i| &self.notes[i])
            .collect()
    }

    /// The same order as places in [`Pack::notes`].
    pub fn reading_places(&self) -> Vec<usize> {
        let mut places: Vec<usize> = (0..self.notes.len()).collect();
        places.sort_by(|&a, &b| {
            let (a, b) = (&self.notes[a], &self.notes[b]);
            (a.order.is_none(), a.order, &a.title).cmp(&(b.order.is_none(), b.order, &b.title))
        });
        places
    }

    /// The note with this id, or with this among its former ids.
    pub fn note(&self, id: &str) -> Option<&Note> {
        self.notes.iter().find(|n| n.id == id).or_else(|| {
            self.notes
                .iter()
                .find(|n| n.aliases.iter().any(|a| a == id))
        })
    }

    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.manifest.domains.iter().find(|d| d.id == id)
    }
}
