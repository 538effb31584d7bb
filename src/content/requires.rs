//! `requires = ["system-design >= 1.0"]`: the packs a pack builds on, each with the versions
//! it works with. A missing or too-old requirement is one error naming what to install; the
//! pack's references into a required pack are then checked like its own.

use std::ops::Range;

use semver::VersionReq;

use super::diagnostic::{Code, Diagnostic, FileId};
use super::model::Requirement;
use super::pack::Pack;
use super::text::is_valid_id;
use super::toml_read::Text;

/// A requirement as written, with where it is written.
#[derive(Debug, Clone)]
pub struct RequirementSite {
    pub requirement: Requirement,
    pub file: FileId,
    pub span: Range<usize>,
}

/// Reads one entry: a pack id, then an optional version requirement in Cargo's syntax
/// (`>= 1.0`, `^1.2`, `~1.2.3`, `>= 1.0, < 2`). `home` is the pack's own id.
pub(crate) fn parse(
    text: &Text,
    home: &str,
    file: FileId,
) -> Result<RequirementSite, Box<Diagnostic>> {
    let written = text.value.trim();
    let split = written
        .find(|c: char| c.is_whitespace() || "<>=^~*".contains(c))
        .unwrap_or(written.len());
    let (pack, versions) = written.split_at(split);
    let bad = |message: String, hint: &str| {
        Box::new(
            Diagnostic::error(Code::BadValue, file, message)
                .at(text.span.clone(), "not a requirement")
                .hint(hint.to_string())
                .note("the requirement is ignored until this is fixed"),
        )
    };
    let example = "write the pack id and the versions it needs, such as \"system-design >= 1.0\"";
    if !is_valid_id(pack) {
        return Err(bad(
            format!("`{written}` does not start with a pack id"),
            example,
        ));
    }
    if pack == home {
        return Err(bad(
            format!("pack `{pack}` requires itself"),
            "remove this entry",
        ));
    }
    let versions = match versions.trim() {
        "" => VersionReq::STAR,
        v => VersionReq::parse(v)
            .map_err(|e| bad(format!("`{v}` is not a version requirement: {e}"), example))?,
    };
    Ok(RequirementSite {
        requirement: Requirement {
            pack: pack.to_string(),
            versions,
        },
        file,
        span: text.span.clone(),
    })
}

/// The problem with one requirement, given the loaded packs: not loaded, or loaded at a
/// version it does not accept.
pub fn check(site: &RequirementSite, loaded: Option<&Pack>) -> Option<Diagnostic> {
    let r = &site.requirement;
    let (message, label, hint) = match loaded {
        None => (
            format!("this pack requires `{r}`, which is not installed"),
            "not installed",
            format!(
                "install it with `sysdeck pack install PATH` (a folder or archive of `{}`), or load its folder with --pack",
                r.pack
            ),
        ),
        Some(p) if !r.versions.matches(&p.manifest.version) => (
            format!(
                "this pack requires `{r}`, but `{}` {} is installed",
                r.pack, p.manifest.version
            ),
            "too old",
            format!(
                "update it with `sysdeck pack update {}`, or install a version that matches `{}`",
                r.pack, r.versions
            ),
        ),
        Some(_) => return None,
    };
    Some(
        Diagnostic::error(Code::MissingRequirement, site.file, message)
            .at(site.span.clone(), label)
            .hint(hint)
            .note("references into it are not checked until it is there"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Text {
            value: s.to_string(),
            span: 0..s.len(),
        }
    }

    #[test]
    fn requirements_are_an_id_and_optional_versions() {
        let r = parse(&text("system-design >= 1.0"), "k8s", 0).unwrap();
        assert_eq!(r.requirement.pack, "system-design");
        assert!(
            r.requirement
                .versions
                .matches(&semver::Version::new(1, 2, 0))
        );
        assert!(
            !r.requirement
                .versions
                .matches(&semver::Version::new(0, 9, 0))
        );
        assert_eq!(r.requirement.to_string(), "system-design >=1.0");
        let any = parse(&text("aws-saa"), "k8s", 0).unwrap();
        assert_eq!(any.requirement.versions, VersionReq::STAR);
        assert_eq!(
            parse(&text("aws-saa^1.2"), "k8s", 0)
                .unwrap()
                .requirement
                .pack,
            "aws-saa"
        );
        for bad in [
            "System Design >= 1",
            "aws-saa >= one",
            "k8s >= 1.0",
            ">= 1.0",
        ] {
            assert!(parse(&text(bad), "k8s", 0).is_err(), "{bad}");
        }
    }
}
