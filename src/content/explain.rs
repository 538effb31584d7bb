//! `sysdeck pack check --explain CODE`: what each diagnostic code means, a small example of the
//! mistake, and the fix. The authoring guide lists the same codes.

use super::diagnostic::Code;

/// What an author reads about one code.
struct About {
    severity: &'static str,
    means: &'static str,
    example: &'static str,
    fix: &'static str,
}

fn about(code: Code) -> About {
    let (severity, means, example, fix) = match code {
        Code::TomlSyntax => (
            "error",
            "A deck, pack.toml or note front matter is not valid TOML. The checker points at the \
             slip itself (an unterminated string at its opening quote) and skips only the card or \
             question it breaks; the rest of the file still loads.",
            "front = \"Use \"quotes\" here\"     # the second \" ends the string",
            "Write \\\" for a quote inside \"...\", or use '...' around the text; close every \
             string and list on the line it starts, or use \"\"\"...\"\"\" for long text.",
        ),
        Code::FrontMatter => (
            "error",
            "A note does not start with TOML front matter between two `+++` lines: the first \
             line is not `+++`, the closing `+++` is missing, or the front matter is YAML (`---`).",
            "---\ntitle: Caching\n---",
            "+++\nid = \"caching\"\ntitle = \"Caching\"\n+++",
        ),
        Code::UnknownKey => (
            "error",
            "A key the format does not have, usually a typo; the hint names the closest key.",
            "fornt = \"What is a cache?\"",
            "front = \"What is a cache?\"",
        ),
        Code::MissingKey => (
            "error",
            "A required key is absent (a card's `back`, a note's `title`, a question's `domain` in a \
             pack with domains). The item is skipped.",
            "[[cards]]\nid = \"c1\"\nfront = \"What is a cache?\"",
            "Add the key: back = \"A fast copy of slower data.\"",
        ),
        Code::WrongType => (
            "error",
            "A value of the wrong type.",
            "difficulty = \"hard\"",
            "difficulty = 3",
        ),
        Code::BadValue => (
            "error",
            "A value out of its range (a lab question's parameter too, or a range written high to \
             low), a card that mixes `cloze` with `front`/`back`/`reverse`, or a lab question \
             with `choices` or `explanation`, which the lab writes.",
            "difficulty = 5",
            "difficulty = 3   # 1 to 3",
        ),
        Code::BadId => (
            "error",
            "An id that is not lowercase letters, digits and dashes, starting with a letter or \
             digit. Ids are progress keys and link targets, so they must be plain.",
            "id = \"Caching_Basics\"",
            "id = \"caching-basics\"",
        ),
        Code::DuplicateId => (
            "error",
            "Two items of one pack share an id (notes, cards and questions share one namespace), \
             or an alias repeats an id. The second one is skipped; both places are shown.",
            "id = \"cache\"   # in notes/cache.md and again in decks/cache.toml",
            "Give one of them another id, such as \"cache-basics\".",
        ),
        Code::DanglingReference => (
            "error",
            "A `related`, `note` or `note:` link names a note that does not exist.",
            "related = [\"shardng\"]",
            "related = [\"sharding\"]   # `sysdeck pack ids` lists the ids",
        ),
        Code::UnknownAnchor => (
            "warning",
            "A `note:id#anchor` link names a heading the note does not have. The link opens the \
             note at its top.",
            "[headless](note:services#headles)",
            "[headless](note:services#headless)   # anchors are headings in lowercase with dashes",
        ),
        Code::UnresolvedLink => (
            "warning",
            "A relative link to a `.md` file (as mdBook writes them) that is not a note of the \
             pack. Links to notes that exist are followed like `note:` links.",
            "[services](../servcies.md)",
            "[services](../services.md), or [services](note:services)",
        ),
        Code::MissingAsset => (
            "warning",
            "An image link to a file under assets/ that does not exist.",
            "![ring](../assets/ring.txt)   # no such file",
            "Add the file to assets/, or fix the path.",
        ),
        Code::BadInclude => (
            "error",
            "An `{{#include ...}}` line that cannot be read: the file is missing, outside the \
             pack, not UTF-8, too large, or holds control characters. The note is skipped.",
            "{{#include ../assets/diagam.txt}}",
            "{{#include ../assets/diagram.txt}}   # paths are relative to the note",
        ),
        Code::UnloadedPack => (
            "warning",
            "A reference into a pack that is not loaded, so it cannot be checked.",
            "related = [\"aws-saa:vpc\"]   # aws-saa not loaded",
            "Load that pack with --pack PATH, or drop the reference. A pack that depends on it \
             says so with requires = [\"aws-saa >= 1.0\"] in pack.toml, which turns these \
             warnings into checked references.",
        ),
        Code::MissingRequirement => (
            "error",
            "A pack named in `requires` is not installed, or is installed at a version the \
             requirement does not accept. One error per requirement names what to install; \
             references into the missing pack are not reported one by one.",
            "requires = [\"system-design >= 1.0\"]   # system-design 0.9.0 installed",
            "Install or update the required pack (`sysdeck pack install PATH`, \
             `sysdeck pack update system-design`), or load its folder with --pack.",
        ),
        Code::BadLicense => (
            "warning",
            "`license` is not an SPDX license expression; the hint names the closest one.",
            "license = \"CC-BY-4\"",
            "license = \"CC-BY-4.0\"   # ids from https://spdx.org/licenses/, joined with OR / AND",
        ),
        Code::UnknownDomain => (
            "error",
            "A `domain` that pack.toml does not declare. A question is skipped; a note loads \
             without its domain.",
            "domain = \"securty\"",
            "domain = \"security\"",
        ),
        Code::UnknownLab => (
            "error",
            "A note's or a lab question's `lab` is not a built-in lab. The note loads without \
             it; the question is skipped.",
            "lab = \"hashring\"",
            "lab = \"hash-ring\"   # or \"rate-limiter\"",
        ),
        Code::UnknownGenerator => (
            "error",
            "A lab question's `ask` names no question the lab writes. The hint lists the ones \
             it does; the question is skipped.",
            "lab = \"hash-ring\"\nask = \"keys-moved\"",
            "ask = \"keys-moved-on-join\"   # or \"keys-moved-on-leave\"",
        ),
        Code::UnknownPlaceholder => (
            "error",
            "A lab question's stem has a `{name}` its generator does not fill, so the learner \
             would read the braces. The hint lists the placeholders it has; the question is \
             skipped.",
            "stem = \"A ring of {node} nodes gains one.\"",
            "stem = \"A ring of {nodes} nodes gains one.\"",
        ),
        Code::BadCloze => (
            "error",
            "Cloze text without a deletion, with unbalanced braces, a bad number or an empty \
             answer. The caret sits under the bad deletion.",
            "cloze = \"A ring moves {{c1::1/(N+1) of the keys.\"",
            "cloze = \"A ring moves {{c1::1/(N+1)}} of the keys.\"",
        ),
        Code::BadChoices => (
            "error",
            "A question with fewer than 2 or more than 8 choices, or none marked correct.",
            "[[questions.choices]]   # only one choice",
            "Give 2 to 8 [[questions.choices]] and mark the key with correct = true.",
        ),
        Code::ChoiceCount => (
            "warning",
            "A single-answer question without 4 choices, or a multiple-response one with fewer \
             than 5: the exam conventions.",
            "three choices, one correct",
            "Offer four choices for one answer, five or more for several.",
        ),
        Code::ChooseInStem => (
            "warning",
            "A multiple-response stem that says how many to choose. The app shows \"Choose two\" \
             (three...) itself, so the stem would say it twice.",
            "stem = \"Which two services store objects? (Choose two.)\"",
            "stem = \"Which two services store objects?\"",
        ),
        Code::MissingWhy => (
            "warning",
            "A question without `explanation` or a choice without `why`: learners read them \
             after answering.",
            "[[questions.choices]]\ntext = \"S3\"\ncorrect = true",
            "why = \"Object storage with eleven nines of durability.\"",
        ),
        Code::MissingSummary => (
            "warning",
            "A note without `summary`, the line shown in lists and search.",
            "+++\nid = \"caching\"\ntitle = \"Caching\"\n+++",
            "summary = \"Keep hot data close, and decide how it goes stale.\"",
        ),
        Code::EmptyText => (
            "error",
            "A text field that is empty or only spaces.",
            "back = \"\"",
            "Write the text, or remove the key if it is optional.",
        ),
        Code::ControlCharacter => (
            "error",
            "Control characters, terminal escape sequences or bidirectional overrides, raw or as \
             character references: a pack must not be able to drive the learner's terminal.",
            "front = \"\\u001b[31mred\"",
            "Remove the character; use Markdown for emphasis.",
        ),
        Code::NotUtf8 => (
            "error",
            "A file that is not UTF-8. It is skipped.",
            "a deck saved as Latin-1",
            "Save the file as UTF-8.",
        ),
        Code::FileTooLarge => (
            "error",
            "A file over 1 MiB. It is skipped unread.",
            "notes/everything.md of 3 MB",
            "Split it into several notes or decks.",
        ),
        Code::SymlinkEscape => (
            "error",
            "A symlink that leads outside the pack folder. Nothing outside the pack is read.",
            "decks/shared.toml -> ../../other/shared.toml",
            "Copy the file into the pack.",
        ),
        Code::SymlinkLoop => (
            "warning",
            "A folder reached twice through a symlink. It is read once.",
            "notes/again -> ..",
            "Remove the symlink.",
        ),
        Code::SpecialFile => (
            "warning",
            "A FIFO, socket or device in notes/ or decks/. It is never opened.",
            "mkfifo decks/pipe.toml",
            "Remove it.",
        ),
        Code::TooDeep => (
            "error",
            "Folders nested more than 16 deep below notes/ or decks/; what is below is not read.",
            "notes/a/b/c/.../q/note.md",
            "Move the files closer to the pack's top.",
        ),
        Code::IoError => (
            "error",
            "A file or folder that cannot be read (permissions, a vanished file).",
            "chmod 000 decks/a.toml",
            "Make it readable.",
        ),
        Code::IgnoredFile => (
            "error or warning",
            "A file in notes/ or decks/ that is neither a note (.md) nor a deck (.toml). A deck \
             saved as YAML, JSON or Markdown, a TOML file in notes/ or a note named .markdown is \
             an error, since its content does not load; anything else is a warning.",
            "decks/caching.yaml",
            "Write decks in TOML as decks/caching.toml; keep other files in assets/.",
        ),
        Code::MissingManifest => (
            "error",
            "A pack folder without pack.toml. The pack does not load.",
            "my-pack/ with notes/ and decks/ only",
            "Add pack.toml; `sysdeck pack new NAME` writes one.",
        ),
        Code::BadVersion => (
            "error",
            "A `version` that is not a semantic version. The pack does not load.",
            "version = \"1.0\"",
            "version = \"1.0.0\"",
        ),
        Code::UnsupportedFormat => (
            "error",
            "A `format` this sysdeck does not read. The pack does not load.",
            "format = 2",
            "format = 1, or upgrade sysdeck.",
        ),
        Code::BadWeights => (
            "error",
            "Domain weights of a pack with an [exam] that do not sum to 100.",
            "weight = 30, 30, 30",
            "Make the weights add up to 100.",
        ),
        Code::EmptyDomain => (
            "warning",
            "A domain no question names: exams and drills cannot draw from it. Not reported \
             while questions are skipped for errors.",
            "[[domains]] id = \"cost\" with no question in it",
            "Add questions with domain = \"cost\", or remove the domain.",
        ),
        Code::DuplicatePack => (
            "warning",
            "Two loaded packs share an id; the one of higher precedence (built-in, then user \
             packs, then --pack) takes its place.",
            "a copy of a built-in pack under --pack",
            "Give one of them another id to load both.",
        ),
        Code::RenamedId => (
            "warning",
            "An id with review history is gone and a similar new id has none: the item was \
             probably renamed, and its progress would start over. Checked against your progress \
             in the data directory.",
            "id = \"cache-aside\"   # was \"cache-aside-pattern\", reviewed 12 times",
            "id = \"cache-aside\"\naliases = [\"cache-aside-pattern\"]",
        ),
        Code::RemovedId => (
            "warning",
            "Ids with review history that the pack no longer has. Their progress is kept in \
             case they return.",
            "a card deleted from decks/caching.toml",
            "Nothing, if it was removed on purpose; if it was renamed, add aliases = [\"old-id\"] \
             to its new version.",
        ),
        Code::TooManyProblems => (
            "error or warning",
            "More than 25 problems in one file: the rest are counted, not shown.",
            "a deck with many broken items",
            "Fix the first problems and check again; later ones often follow from them.",
        ),
    };
    About {
        severity,
        means,
        example,
        fix,
    }
}

/// Every code name, for "the codes are" messages.
pub fn codes() -> Vec<&'static str> {
    Code::ALL.iter().map(|c| c.as_str()).collect()
}

/// The explanation of a code as text, or `None` for a name that is not a code.
pub fn explain(name: &str) -> Option<String> {
    let code = Code::from_name(&name.trim().to_ascii_lowercase())?;
    let a = about(code);
    let indent = |t: &str| {
        t.lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    Some(format!(
        "{name} ({severity})\n\n{means}\n\nFor example:\n\n{example}\n\nFix:\n\n{fix}\n",
        name = code.as_str(),
        severity = a.severity,
        means = wrap(a.means),
        example = indent(a.example),
        fix = indent(&a.fix.lines().map(wrap).collect::<Vec<_>>().join("\n")),
    ))
}

/// Wraps prose at 80 columns.
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for word in text.split_whitespace() {
        if width > 0 && width + 1 + word.len() > 80 {
            out.push('\n');
            width = 0;
        } else if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += word.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_an_explanation_with_an_example() {
        for name in codes() {
            let text = explain(name).unwrap();
            assert!(text.starts_with(name), "{text}");
            assert!(
                text.contains("For example:") && text.contains("Fix:"),
                "{text}"
            );
        }
        assert!(explain("no-such-code").is_none());
        assert!(explain(" Bad-Id ").is_some_and(|t| t.starts_with("bad-id")));
    }
}
