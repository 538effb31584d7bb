//! The exit status of a failed command says what kind of trouble it met, so a script can tell
//! "wait and try again" from "fix something". `sysdeck --help` lists the numbers; clap exits
//! with 2 for a wrong command line.

use crate::store::StoreError;

/// The command failed, or a check found problems.
pub const FAILURE: u8 = 1;
/// Another sysdeck is writing to the progress database.
pub const BUSY: u8 = 3;
/// The data directory or the progress database cannot be used as it is.
pub const DATA: u8 = 4;

/// The status for `error`, from the first store error in its chain of causes.
pub fn code(error: &anyhow::Error) -> u8 {
    let store = error
        .chain()
        .find_map(|cause| cause.downcast_ref::<StoreError>());
    match store {
        Some(StoreError::Busy { .. }) => BUSY,
        Some(
            StoreError::Corrupt { .. }
            | StoreError::NewerSchema { .. }
            | StoreError::DataDir { .. }
            | StoreError::Permission { .. }
            | StoreError::LogMissing { .. }
            | StoreError::ReadOnly { .. }
            | StoreError::DiskFull { .. }
            | StoreError::Io { .. },
        ) => DATA,
        Some(StoreError::Sql { .. } | StoreError::Srs { .. } | StoreError::Invalid(_)) | None => {
            FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    fn busy() -> StoreError {
        StoreError::Busy {
            context: "saving a grade".into(),
        }
    }

    #[test]
    fn a_store_error_anywhere_in_the_chain_decides() {
        let wrapped = Err::<(), _>(busy()).context("importing").unwrap_err();
        assert_eq!(code(&wrapped), BUSY);
        let data = anyhow::Error::new(StoreError::DataDir {
            path: "/x".into(),
            reason: "it is not a directory".into(),
            source: None,
        });
        assert_eq!(code(&data), DATA);
        assert_eq!(code(&anyhow::anyhow!("no card matches")), FAILURE);
    }
}
