//! The manifest's `license`, checked as an SPDX license expression (`CC-BY-4.0`,
//! `MIT OR Apache-2.0`) against the SPDX license list the `spdx` crate carries.

use spdx::Expression;

use super::diagnostic::{Code, Diagnostic, FileId, did_you_mean};
use super::toml_read::Text;

/// A warning for a license that is not an SPDX expression, with the closest valid one.
pub(crate) fn check(license: &Text, file: FileId) -> Option<Diagnostic> {
    let value = license.value.trim();
    let err = Expression::parse(value).err()?;
    let suggestion = Expression::canonicalize(value)
        .ok()
        .flatten()
        .filter(|c| Expression::parse(c).is_ok())
        .or_else(|| {
            let word = value.get(err.span.clone()).unwrap_or(value);
            let ids = spdx::identifiers::LICENSES.iter().map(|l| l.name);
            did_you_mean(word, ids).map(|id| value.replacen(word, id, 1))
        });
    let hint = match suggestion {
        Some(s) => format!("did you mean \"{s}\"?"),
        None => "use an id from https://spdx.org/licenses/ such as \"CC-BY-4.0\", or join several with OR / AND".to_string(),
    };
    Some(
        Diagnostic::warning(
            Code::BadLicense,
            file,
            format!(
                "`{value}` is not an SPDX license expression: {}",
                err.reason
            ),
        )
        .at(license.span.clone(), "not an SPDX license")
        .hint(hint)
        .note("learners and tools read the license by its SPDX id"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(s: &str) -> Option<String> {
        let text = Text {
            value: s.to_string(),
            span: 0..s.len(),
        };
        check(&text, 0).map(|d| d.hint.unwrap_or_default())
    }

    #[test]
    fn spdx_expressions_pass_and_near_misses_get_a_suggestion() {
        for ok in [
            "CC-BY-4.0",
            "MIT OR Apache-2.0",
            "CC0-1.0",
            "GPL-3.0-or-later",
        ] {
            assert_eq!(hint(ok), None, "{ok}");
        }
        assert_eq!(
            hint("CC-BY-4").as_deref(),
            Some("did you mean \"CC-BY-4.0\"?")
        );
        assert_eq!(
            hint("Apache 2.0").as_deref(),
            Some("did you mean \"Apache-2.0\"?")
        );
        assert!(
            hint("all rights reserved by me")
                .unwrap()
                .contains("spdx.org")
        );
    }
}
