//! The `.apkg` container: a zip of a SQLite collection, a `media` list and numbered media
//! files (`anki/rslib/src/import_export/package/`). Read as hostile input: the number of
//! entries and every decompressed size are capped as bytes come out, never taken from headers.

use std::io::{Read, Seek};

use super::{AnkiError, proto};

/// Caps on what one package may unpack to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Zip entries: the collection, the media list and one per media file.
    pub entries: usize,
    /// The collection's SQLite file, decompressed.
    pub collection: u64,
    /// One media file.
    pub media_file: u64,
    /// All media files together (a pack's whole size is capped at 64 MiB on install).
    pub media_total: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            entries: 20_000,
            collection: 256 << 20,
            media_file: 16 << 20,
            media_total: 48 << 20,
        }
    }
}

/// Which collection file the package holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// `collection.anki2` or `collection.anki21`: schema 11, plain SQLite.
    Legacy,
    /// `collection.anki21b`: schema 18, zstd-compressed; media zstd-compressed too.
    Latest,
}

/// One media file the package lists: Anki's name and the zip member holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRef {
    pub name: String,
    pub member: String,
}

pub struct Package<R> {
    zip: zip::ZipArchive<R>,
    pub schema: Schema,
    /// The SQLite file's bytes.
    pub collection: Vec<u8>,
    pub media: Vec<MediaRef>,
    limits: Limits,
}

/// Reads at most `limit` bytes of `reader`, refusing more.
fn bounded(reader: impl Read, limit: u64, what: &str) -> Result<Vec<u8>, AnkiError> {
    let mut out = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| AnkiError::Corrupt(format!("{what}: {e}")))?;
    if out.len() as u64 > limit {
        return Err(AnkiError::TooLarge {
            what: what.to_string(),
            limit,
        });
    }
    Ok(out)
}

/// zstd-decompressed `bytes`, at most `limit` bytes of them.
fn unzstd(bytes: &[u8], limit: u64, what: &str) -> Result<Vec<u8>, AnkiError> {
    let decoder = zstd::stream::read::Decoder::new(bytes)
        .map_err(|e| AnkiError::Corrupt(format!("{what}: {e}")))?;
    bounded(decoder, limit, what)
}

impl<R: Read + Seek> Package<R> {
    pub fn open(reader: R, limits: Limits) -> Result<Self, AnkiError> {
        let mut zip =
            zip::ZipArchive::new(reader).map_err(|e| AnkiError::NotAPackage(e.to_string()))?;
        if zip.len() > limits.entries {
            return Err(AnkiError::TooManyEntries {
                count: zip.len(),
                limit: limits.entries,
            });
        }
        // `meta.rs` `from_archive`: the version `meta` names, else the newest legacy file.
        let version = match read_member(&mut zip, "meta", 1 << 10)? {
            Some(meta) => proto::varint_field(&meta, 1)
                .ok_or_else(|| AnkiError::Corrupt("meta is not a PackageMetadata".into()))?,
            None if zip.index_for_name("collection.anki21").is_some() => 2,
            None => 1,
        };
        let (name, schema) = match version {
            1 => ("collection.anki2", Schema::Legacy),
            2 => ("collection.anki21", Schema::Legacy),
            3 => ("collection.anki21b", Schema::Latest),
            other => return Err(AnkiError::UnknownVersion(other)),
        };
        let raw = read_member(&mut zip, name, limits.collection)?
            .ok_or_else(|| AnkiError::NotAPackage(format!("it holds no {name}")))?;
        let collection = match schema {
            Schema::Legacy => raw,
            Schema::Latest => unzstd(&raw, limits.collection, name)?,
        };
        // `meta.rs`: a legacy package's media list is a JSON map; the latest's is a
        // zstd-compressed protobuf list, and its files are zstd-compressed too.
        let media = match read_member(&mut zip, "media", limits.collection)? {
            None => Vec::new(),
            Some(list) if schema == Schema::Latest => {
                let list = unzstd(&list, limits.collection, "media")?;
                proto::media_entries(&list)
                    .ok_or_else(|| AnkiError::Corrupt("media is not a MediaEntries list".into()))?
                    .into_iter()
                    .enumerate()
                    .map(|(i, e)| MediaRef {
                        name: e.name,
                        member: i.to_string(),
                    })
                    .collect()
            }
            Some(list) => {
                let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&list)
                    .map_err(|e| AnkiError::Corrupt(format!("media: {e}")))?;
                map.into_iter()
                    .filter_map(|(member, name)| {
                        Some(MediaRef {
                            name: name.as_str()?.to_string(),
                            member,
                        })
                    })
                    .collect()
            }
        };
        Ok(Package {
            zip,
            schema,
            collection,
            media,
            limits,
        })
    }

    /// The bytes of one media file, decompressed when the package is the newer kind.
    pub fn media_bytes(&mut self, media: &MediaRef) -> Result<Vec<u8>, AnkiError> {
        let what = format!("media file {}", media.member);
        let raw = read_member(&mut self.zip, &media.member, self.limits.media_file)?
            .ok_or_else(|| AnkiError::Corrupt(format!("{what} is listed but missing")))?;
        match self.schema {
            Schema::Latest => unzstd(&raw, self.limits.media_file, &what),
            Schema::Legacy => Ok(raw),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }
}

/// The member `name`'s bytes, at most `limit`, or `None` if there is no such member.
fn read_member<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, AnkiError> {
    let Some(index) = zip.index_for_name(name) else {
        return Ok(None);
    };
    let entry = zip
        .by_index(index)
        .map_err(|e| AnkiError::Corrupt(format!("{name}: {e}")))?;
    bounded(entry, limit, name).map(Some)
}
