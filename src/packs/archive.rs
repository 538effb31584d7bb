//! Pack archives: `.tar.gz`/`.tgz` (tar + gzip) or `.zip`, the format named by the file's
//! extension. Written deterministically (fixed times and modes, sorted names, one folder named
//! for the pack at the top); read as hostile input, entry by entry (see [`read`]).

use std::fs::File;
use std::io::{Cursor, Write};
use std::path::Path;

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use tar::EntryType;
use zip::write::SimpleFileOptions;

use super::files::{PackFiles, inside_path};
use super::{MAX_ENTRIES, ShareError};

/// An archive format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    TarGz,
    Zip,
}

impl Format {
    /// The format a file name's extension names, if any.
    pub fn of(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            Some(Format::TarGz)
        } else if name.ends_with(".zip") {
            Some(Format::Zip)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::TarGz => "tar.gz",
            Format::Zip => "zip",
        }
    }
}

/// The archive's bytes: every file under a folder named `top`.
pub fn write(files: &PackFiles, top: &str, format: Format) -> Result<Vec<u8>, ShareError> {
    let broken = |why: std::io::Error| ShareError::Corrupt {
        format: format.name(),
        why: why.to_string(),
    };
    match format {
        Format::TarGz => {
            let gz = GzEncoder::new(Vec::new(), Compression::best());
            let mut tar = tar::Builder::new(gz);
            tar.mode(tar::HeaderMode::Deterministic);
            for (rel, bytes) in files.iter() {
                let mut header = tar::Header::new_ustar();
                header.set_size(bytes.len() as u64);
                header.set_mode(0o644);
                header.set_entry_type(EntryType::Regular);
                tar.append_data(&mut header, format!("{top}/{rel}"), bytes)
                    .map_err(broken)?;
            }
            tar.into_inner().and_then(GzEncoder::finish).map_err(broken)
        }
        Format::Zip => {
            let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
            let options = SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .unix_permissions(0o644);
            for (rel, bytes) in files.iter() {
                zip.start_file(format!("{top}/{rel}"), options)
                    .map_err(|e| broken(e.into()))?;
                zip.write_all(bytes).map_err(broken)?;
            }
            let out = zip.finish().map_err(|e| broken(e.into()))?;
            Ok(out.into_inner())
        }
    }
}

/// The files of an archive, refused whole at the first entry that is not a regular file or a
/// folder (symlinks, hard links, devices, FIFOs), whose path is absolute or climbs out with
/// `..`, that repeats a path, or that takes the entries or bytes past the limits. Sizes are
/// counted as bytes come out of the decompressor, never taken from the headers.
pub fn read(path: &Path, format: Format) -> Result<PackFiles, ShareError> {
    let file = File::open(path).map_err(ShareError::io(path))?;
    let files = match format {
        Format::TarGz => read_tar(file)?,
        Format::Zip => read_zip(file)?,
    };
    files.unwrap_top()
}

fn corrupt(format: Format) -> impl Fn(std::io::Error) -> ShareError {
    move |e| ShareError::Corrupt {
        format: format.name(),
        why: e.to_string(),
    }
}

fn read_tar(file: File) -> Result<PackFiles, ShareError> {
    let bad = corrupt(Format::TarGz);
    let mut archive = tar::Archive::new(GzDecoder::new(file));
    let mut out = PackFiles::default();
    for entry in archive.entries().map_err(&bad)? {
        let entry = entry.map_err(&bad)?;
        let raw = entry.path_bytes();
        let name = String::from_utf8_lossy(&raw).into_owned();
        match entry.header().entry_type() {
            EntryType::Regular | EntryType::Continuous => {
                let rel = inside_path(&name)?;
                out.read(&rel, entry)?;
            }
            EntryType::Directory => {
                inside_path(&name)?;
                out.folder()?;
            }
            // Extended headers carry long names and are applied to the next entry by `tar`.
            EntryType::XHeader | EntryType::XGlobalHeader => out.folder()?,
            EntryType::Symlink | EntryType::Link => {
                return Err(ShareError::UnsafeEntry {
                    name,
                    why: "links are not installed; an archive holds regular files and folders",
                });
            }
            _ => {
                return Err(ShareError::UnsafeEntry {
                    name,
                    why: "devices, FIFOs and other special entries are not installed",
                });
            }
        }
    }
    Ok(out)
}

/// The file-type bits of a Unix mode (`S_IFMT`), and those of a regular file and a folder.
const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;

fn read_zip(file: File) -> Result<PackFiles, ShareError> {
    let bad = corrupt(Format::Zip);
    let mut archive = zip::ZipArchive::new(file).map_err(|e| bad(e.into()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ShareError::TooManyEntries);
    }
    let mut out = PackFiles::default();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| bad(e.into()))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let kind = entry.unix_mode().map(|m| m & S_IFMT).filter(|&k| k != 0);
        if entry.is_symlink() {
            return Err(ShareError::UnsafeEntry {
                name,
                why: "links are not installed; an archive holds regular files and folders",
            });
        }
        if kind.is_some_and(|k| k != S_IFREG && k != S_IFDIR) {
            return Err(ShareError::UnsafeEntry {
                name,
                why: "devices, FIFOs and other special entries are not installed",
            });
        }
        let rel = inside_path(&name)?;
        if entry.is_dir() {
            out.folder()?;
        } else {
            out.read(&rel, entry)?;
        }
    }
    Ok(out)
}
