//! The learner's history as `pack check` needs it: which item ids of each pack have review or
//! quiz history, read through the progress store's public reads.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;

use crate::content::Library;
use crate::progress::{self, DB_FILE, Progress};

/// Item ids with history, by pack.
type Reviewed = HashMap<String, BTreeSet<String>>;

/// Adds renamed-id and removed-id warnings to the checked reports. Without a progress
/// database there is nothing to compare with; one that cannot be read is named on stderr and
/// the check goes on without it.
pub fn add_warnings(lib: &mut Library, checked: &[usize], data_dir: &Path) {
    let path = data_dir.join(DB_FILE);
    if !path.is_file() {
        return;
    }
    let reviewed = match read(data_dir) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(
                crate::safe_text::stderr(),
                "warning: review history not read, so renamed ids are not checked: {e}"
            );
            return;
        }
    };
    for &i in checked {
        let report = &lib.reports[i];
        let Some(id) = report.id.clone().filter(|_| report.loaded) else {
            continue;
        };
        let (Some(pack), Some(ids)) = (lib.pack(&id), reviewed.get(&id)) else {
            continue;
        };
        let found = crate::content::history::check(pack, report, ids);
        lib.reports[i].diagnostics.extend(found);
    }
}

fn read(data_dir: &Path) -> Result<Reviewed, progress::Error> {
    let store = Progress::open_history(data_dir)?;
    let mut out: Reviewed = HashMap::new();
    for key in store.reviewed_items()? {
        // `pack/item`, `pack/item#reverse`, `pack/item#c2`.
        if let Some((pack, rest)) = key.as_str().split_once('/') {
            let item = rest.split_once('#').map_or(rest, |(i, _)| i);
            out.entry(pack.to_string())
                .or_default()
                .insert(item.to_string());
        }
    }
    for answer in store.past_answers()? {
        out.entry(answer.key.pack)
            .or_default()
            .insert(answer.key.id);
    }
    Ok(out)
}
