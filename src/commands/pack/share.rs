//! `sysdeck pack install | update | uninstall | export`: sharing packs as folders or one-file
//! archives, installed into `<data dir>/packs/<id>/` after the same check `pack check` runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::atomic_write::{NewFile, write_new};
use crate::cli::{ExportArgs, GlobalArgs, InstallArgs, UninstallArgs, UpdateArgs};
use crate::commands::{data_dir, load_options};
use crate::content::library::candidates;
use crate::content::text::is_valid_id;
use crate::content::{Candidate, Library, Origin, Pack, builtin};
use crate::packs::archive::{self, Format};
use crate::packs::changelog;
use crate::packs::files::PackFiles;
use crate::packs::install::{self, Existing, Source};
use crate::packs::record::Record;
use crate::store::Store;

use super::select;
use crate::words;

/// `12.3 KiB`, for sizes people read.
fn size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// The data directory and its `packs/` folder.
struct Place {
    data: PathBuf,
    packs: PathBuf,
}

impl Place {
    fn of(global: &GlobalArgs) -> Result<Place> {
        let data = data_dir(global)?;
        Ok(Place {
            packs: data.join("packs"),
            data,
        })
    }
}

pub fn install(args: &InstallArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let place = Place::of(global)?;
    let source = Source::resolve(&args.source).context("cannot install")?;
    install_from(
        &source,
        &args.source.display().to_string(),
        &place,
        global,
        args.force,
    )
}

/// Installs one pack; the exit status says whether it was installed.
fn install_from(
    source: &Source,
    label: &str,
    place: &Place,
    global: &GlobalArgs,
    force: bool,
) -> Result<ExitCode> {
    let started = Instant::now();
    let not_installed = || format!("{label} was not installed");
    let staged = install::stage(source, &place.data).with_context(not_installed)?;
    let mut cands = candidates(&load_options(global));
    cands.push(Candidate {
        dir: crate::content::source::PackDir::Disk(staged.path().to_path_buf()),
        origin: Origin::Extra(staged.path().to_path_buf()),
        label: label.trim_end_matches('/').to_string(),
    });
    let lib = Library::from_candidates(cands);
    let Some(report) = lib.reports.last() else {
        bail!("{}: nothing was checked", not_installed());
    };
    let mut out = crate::safe_text::stdout();
    if report.errors() > 0 {
        super::check::print_text(&lib, &[report])?;
    } else if report.warnings() > 0 {
        writeln!(
            out,
            "{label}: {} (`sysdeck pack check` on the installed folder lists them).",
            words::count(report.warnings(), "warning")
        )?;
    }
    let pack = report.id.as_deref().and_then(|id| lib.pack(id));
    let (Some(pack), 0) = (pack, report.errors()) else {
        writeln!(
            out,
            "Not installed: {} {} to fix first (`sysdeck pack check --explain CODE` says how).",
            label,
            if report.errors() == 1 {
                "has 1 error"
            } else {
                "has errors"
            },
        )?;
        return Ok(ExitCode::FAILURE);
    };
    let id = pack.id().to_string();
    let manifest = &pack.manifest;
    let existing = install::existing(&place.packs, &id);
    if !force && let Err(refusal) = install::may_replace(&existing, manifest, &source.path) {
        bail!("{refusal}; nothing was changed. Pass --force to replace it");
    }
    let old_version = match &existing {
        Existing::Installed { record, manifest } => Some(
            manifest
                .as_ref()
                .map_or_else(|| record.version.clone(), |m| m.version.to_string()),
        ),
        _ => None,
    };
    let version = manifest.version.to_string();
    let record = Record {
        source: source.path.clone(),
        version: version.clone(),
        updated_from: old_version.clone().filter(|v| *v != version),
    };
    let counts = (pack.notes.len(), pack.cards.len(), pack.questions.len());
    let (files, bytes) = (staged.files, staged.bytes);
    let target = install::commit(staged, &place.packs, &id, &record).with_context(not_installed)?;
    let took = started.elapsed();
    let was = match &old_version {
        Some(v) if *v != version => format!(" (was {v})"),
        Some(_) => " (reinstalled)".to_string(),
        None => String::new(),
    };
    writeln!(
        out,
        "Installed {id} {version}{was} into {}: {}, {}, {}; {} files, {} in {} ms.",
        target.display(),
        words::count(counts.0, "note"),
        words::count(counts.1, "card"),
        words::count(counts.2, "question"),
        files,
        size(bytes),
        took.as_millis()
    )?;
    if lib
        .reports
        .iter()
        .any(|r| r.origin == Origin::Builtin && r.id.as_deref() == Some(&id))
    {
        writeln!(out, "It takes the place of the built-in pack `{id}`.")?;
    }
    if let Some(old) = record.updated_from.as_deref() {
        print_changes(&mut out, &target, old, &manifest.version)?;
    }
    remember_renames(global, place);
    Ok(ExitCode::SUCCESS)
}

/// The changelog sections after `old`, when the pack has them.
fn print_changes(
    out: &mut dyn Write,
    pack_dir: &Path,
    old: &str,
    new: &semver::Version,
) -> Result<()> {
    let (Some(text), Ok(old)) = (changelog::read(pack_dir), semver::Version::parse(old)) else {
        return Ok(());
    };
    let sections = changelog::between(&text, &old, new);
    if sections.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nWhat changed since {old}:\n")?;
    for s in sections {
        writeln!(out, "{}", s.text)?;
    }
    Ok(())
}

/// Records the former ids of every loaded item with the progress store, so its replays follow
/// them. A store that cannot be opened is named, and the install stands.
fn remember_renames(global: &GlobalArgs, place: &Place) {
    let lib = Library::load(&load_options(global));
    let catalog = crate::srs::Catalog::from_library(&lib);
    let saved =
        Store::open_in(&place.data).and_then(|mut s| s.remember_renames(&catalog.renames()));
    if let Err(e) = saved {
        let _ = writeln!(
            crate::safe_text::stderr(),
            "warning: renamed ids not recorded with your progress: {e}"
        );
    }
}

pub fn update(args: &UpdateArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let place = Place::of(global)?;
    let ids: Vec<String> = match &args.id {
        Some(id) => vec![id.clone()],
        None => installed(&place.packs)
            .into_iter()
            .filter(|id| Record::read(&place.packs.join(id)).is_some())
            .collect(),
    };
    if ids.is_empty() {
        writeln!(
            crate::safe_text::stdout(),
            "No installed packs to update; install one with `sysdeck pack install PATH`."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut status = ExitCode::SUCCESS;
    for id in ids {
        let dir = place.packs.join(&id);
        let Some(record) = Record::read(&dir) else {
            bail!(
                "`{id}` was not installed with `sysdeck pack install`, so there is nothing to update it from; installed: {}",
                installed(&place.packs).join(", ")
            );
        };
        let label = record.source.display().to_string();
        let outcome = Source::resolve(&record.source)
            .map_err(anyhow::Error::from)
            .and_then(|source| install_from(&source, &label, &place, global, false));
        match outcome {
            Ok(code) if code == ExitCode::SUCCESS => {}
            Ok(code) => status = code,
            Err(e) => {
                writeln!(
                    crate::safe_text::stderr(),
                    "error: `{id}` not updated from {label}: {e:#}"
                )?;
                status = ExitCode::FAILURE;
            }
        }
    }
    Ok(status)
}

/// The folders of `packs/`, by name.
fn installed(packs_dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(packs_dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

pub fn uninstall(args: &UninstallArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let place = Place::of(global)?;
    let id = &args.id;
    let dir = place.packs.join(id);
    if !is_valid_id(id) || !dir.is_dir() {
        let have = installed(&place.packs);
        bail!(
            "no pack `{id}` is installed in {}{}",
            place.packs.display(),
            if have.is_empty() {
                String::new()
            } else {
                format!(" (installed: {})", have.join(", "))
            }
        );
    }
    if !args.force && Record::read(&dir).is_none() {
        bail!(
            "{} was not installed with `sysdeck pack install` and may be your own work; nothing was removed. Pass --force to remove it",
            dir.display()
        );
    }
    install::remove(&place.packs, &place.data, id)
        .with_context(|| format!("`{id}` was not removed"))?;
    let mut out = crate::safe_text::stdout();
    writeln!(out, "Removed {id} ({}).", dir.display())?;
    let store = crate::progress::Progress::open_history(&crate::commands::data_dir(global)?)?;
    if args.forget {
        let before = store.pack_progress(id)?;
        writeln!(out, "Forgetting its progress: {}.", progress_words(before))?;
        store.forget_pack(id)?;
    } else {
        let kept = store.pack_progress(id)?;
        if !kept.is_empty() {
            writeln!(
                out,
                "Its progress is kept ({}); installing it again picks it up. `--forget` deletes it.",
                progress_words(kept)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn progress_words(p: crate::progress::PackProgress) -> String {
    format!(
        "{}, {}, {} sent to review",
        words::count(p.reviews, "review"),
        words::count(p.states, "card state"),
        words::count(p.enrolments, "question")
    )
}

/// The files of the pack an `export` argument names: a folder, or a loaded pack (built-in
/// ones too).
fn export_files(arg: &str, global: &GlobalArgs) -> Result<(PackFiles, String, String)> {
    let (lib, ids) = select(Some(arg), &load_options(global))?;
    let id = &ids[0];
    let report = lib
        .reports
        .iter()
        .find(|r| r.loaded && r.id.as_deref() == Some(id.as_str()));
    if let Some(r) = report.filter(|r| r.errors() > 0) {
        bail!(
            "{} has {}; fix them before sharing it (`sysdeck pack check {}`)",
            r.label,
            words::count(r.errors(), "error"),
            arg
        );
    }
    let pack: &Pack = lib.pack(id).context("the pack did not load")?;
    let files = match (&pack.origin, report) {
        (Origin::Builtin, Some(r)) => {
            let dir = builtin::packs()
                .find(|(name, _)| r.label == format!("builtin:{name}"))
                .map(|(_, d)| d)
                .context("the built-in pack's files are missing")?;
            PackFiles::from_embedded(dir)?
        }
        (origin, _) => {
            let path = origin.path().context("the pack has no folder")?;
            PackFiles::from_folder(path)?
        }
    };
    Ok((files, id.clone(), pack.manifest.version.to_string()))
}

pub fn export(args: &ExportArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let Some(format) = Format::of(&args.output) else {
        bail!(
            "{} must end in .tar.gz, .tgz or .zip, which names the archive's format",
            args.output.display()
        );
    };
    let (files, id, version) = export_files(&args.pack, global)?;
    let bytes = archive::write(&files, &id, format)?;
    write_new(&args.output, NewFile::Shared, |w| w.write_all(&bytes))?;
    writeln!(
        crate::safe_text::stdout(),
        "Exported {id} {version} to {}: {} files, {} in a {} {} archive.\nInstall it with: sysdeck pack install {}",
        args.output.display(),
        files.len(),
        size(files.size()),
        size(bytes.len() as u64),
        format.name(),
        args.output.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// One line for each pack updated since the app last started ("k8s-basics updated 1.1.0 →
/// 1.2.0: Pods note"), each said once.
pub fn announcements(global: &GlobalArgs) -> Vec<String> {
    let Ok(place) = Place::of(global) else {
        return Vec::new();
    };
    crate::packs::record::take_updates(&place.packs)
        .into_iter()
        .filter_map(|(dir, record)| {
            let id = dir.file_name()?.to_string_lossy().into_owned();
            let from = record.updated_from?;
            let first = changelog::read(&dir).and_then(|text| {
                let (old, new) = (
                    semver::Version::parse(&from).ok()?,
                    semver::Version::parse(&record.version).ok()?,
                );
                changelog::between(&text, &old, &new)
                    .first()
                    .and_then(changelog::first_change)
            });
            Some(match first {
                Some(change) => format!(
                    "{id} updated {from} → {}: {change} (more in its CHANGELOG.md)",
                    record.version
                ),
                None => format!("{id} updated {from} → {}", record.version),
            })
        })
        .collect()
}
