//! Store errors. Each one a learner can hit says what happened to which file and what to do.

use std::path::PathBuf;

use crate::srs::SrsError;

const ELSEWHERE: &str = "or use another data directory with --data-dir PATH or the SYSDECK_DATA_DIR environment variable";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{} is not a readable sysdeck database ({detail}); it was left unchanged. Move it aside to start over, {ELSEWHERE}", path.display())]
    Corrupt { path: PathBuf, detail: String },

    #[error("{} was written by a newer sysdeck (schema version {found}; this build supports up to {supported}); it was left unchanged. Upgrade sysdeck, {ELSEWHERE}", path.display())]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error("cannot use the data directory {}: {reason}. Choose another with --data-dir PATH or the SYSDECK_DATA_DIR environment variable", path.display())]
    DataDir { path: PathBuf, reason: String },

    #[error("{context}")]
    Sql {
        context: String,
        #[source]
        source: rusqlite::Error,
    },

    #[error("{context}")]
    Srs {
        context: String,
        #[source]
        source: SrsError,
    },
}

impl StoreError {
    pub(crate) fn sql(context: impl Into<String>, source: rusqlite::Error) -> Self {
        StoreError::Sql {
            context: context.into(),
            source,
        }
    }

    pub(crate) fn srs(context: impl Into<String>, source: SrsError) -> Self {
        StoreError::Srs {
            context: context.into(),
            source,
        }
    }
}
