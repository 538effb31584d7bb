//! The JSON Schemas in docs/schema/ (for editors: taplo, Even Better TOML) against real files:
//! every built-in pack and example validates, files the checker rejects for their shape do
//! not, and every key the schemas offer is one the loader reads.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sysdeck::content::library::Candidate;
use sysdeck::content::{Library, Origin};

fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(Path::new("docs/schema").join(name)).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&value).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A TOML file as the JSON value editors validate.
fn json_of(text: &str) -> Value {
    let value: toml::Value = toml::from_str(text).unwrap();
    serde_json::to_value(value).unwrap()
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Errors of `file` against `validator`, as text.
fn errors(validator: &jsonschema::Validator, text: &str) -> Vec<String> {
    let value = json_of(text);
    validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn pack_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("content")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("pack.toml").is_file())
        .collect();
    dirs.extend(["tests/packs/demo", "tests/packs/links"].map(PathBuf::from));
    dirs
}

#[test]
fn built_in_and_example_packs_validate() {
    let (pack, deck) = (schema("pack.schema.json"), schema("deck.schema.json"));
    let mut checked = 0;
    for dir in pack_dirs() {
        let manifest = std::fs::read_to_string(dir.join("pack.toml")).unwrap();
        assert_eq!(
            errors(&pack, &manifest),
            Vec::<String>::new(),
            "{}",
            dir.display()
        );
        let mut decks = Vec::new();
        files_under(&dir.join("decks"), "toml", &mut decks);
        for file in decks {
            let text = std::fs::read_to_string(&file).unwrap();
            assert_eq!(
                errors(&deck, &text),
                Vec::<String>::new(),
                "{}",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} decks");
}

#[test]
fn the_template_validates() {
    let manifest = std::fs::read_to_string("assets/pack-template/pack.toml")
        .unwrap()
        .replace("__PACK_ID__", "my-pack")
        .replace("__PACK_NAME__", "My Pack");
    assert!(errors(&schema("pack.schema.json"), &manifest).is_empty());
    let deck = std::fs::read_to_string("assets/pack-template/decks/getting-started.toml").unwrap();
    assert!(errors(&schema("deck.schema.json"), &deck).is_empty());
}

#[test]
fn shapes_the_checker_rejects_do_not_validate() {
    let deck = schema("deck.schema.json");
    for (case, text) in [
        (
            "a misspelt key",
            "[[cards]]\nid = \"a\"\nfornt = \"Q\"\nback = \"A\"\n",
        ),
        (
            "a card without back",
            "[[cards]]\nid = \"a\"\nfront = \"Q\"\n",
        ),
        (
            "cloze mixed with front",
            "[[cards]]\nid = \"a\"\ncloze = \"{{c1::x}}\"\nfront = \"Q\"\n",
        ),
        (
            "a bad id",
            "[[cards]]\nid = \"A_Card\"\nfront = \"Q\"\nback = \"A\"\n",
        ),
        (
            "difficulty out of range",
            "[[questions]]\nid = \"q\"\nstem = \"S\"\ndifficulty = 5\n[[questions.choices]]\ntext = \"a\"\ncorrect = true\n[[questions.choices]]\ntext = \"b\"\n",
        ),
        (
            "one choice",
            "[[questions]]\nid = \"q\"\nstem = \"S\"\n[[questions.choices]]\ntext = \"a\"\ncorrect = true\n",
        ),
        (
            "empty text",
            "[[cards]]\nid = \"a\"\nfront = \" \"\nback = \"A\"\n",
        ),
        (
            "a lab question with choices",
            "[[questions]]\nid = \"q\"\nlab = \"hash-ring\"\nask = \"keys-moved-on-join\"\n[[questions.choices]]\ntext = \"a\"\ncorrect = true\n",
        ),
        (
            "a generator of another lab",
            "[[questions]]\nid = \"q\"\nlab = \"hash-ring\"\nask = \"busiest-window\"\n",
        ),
        (
            "a parameter of another generator",
            "[[questions]]\nid = \"q\"\nlab = \"hash-ring\"\nask = \"keys-moved-on-join\"\n[questions.params]\nlimit = 5\n",
        ),
    ] {
        assert!(!errors(&deck, text).is_empty(), "{case} validated");
    }
    let pack = schema("pack.schema.json");
    assert!(
        !errors(
            &pack,
            "[pack]\nid = \"p\"\nname = \"P\"\nversion = \"1.0\"\nformat = 1\n"
        )
        .is_empty()
    );
    assert!(
        !errors(
            &pack,
            "[pack]\nid = \"p\"\nname = \"P\"\nversion = \"1.0.0\"\nformat = 2\n"
        )
        .is_empty()
    );
}

/// Every property the schemas describe, written once, must load without an unknown-key error:
/// the schemas offer nothing the loader would refuse.
#[test]
fn every_key_the_schemas_offer_is_one_the_loader_reads() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("decks")).unwrap();
    std::fs::create_dir_all(root.join("notes")).unwrap();
    let manifest = "[pack]\nid = \"all\"\nname = \"All\"\nversion = \"1.0.0\"\nformat = 1\n\
        description = \"d\"\nauthors = [\"a\"]\nlicense = \"MIT\"\n\
        requires = [\"dep >= 1.0\"]\n\n[exam]\nname = \"e\"\n\
        questions = 1\nminutes = 1\npass_score = 700\n\n[[domains]]\nid = \"d\"\nname = \"D\"\n\
        weight = 100\n";
    let deck = "note = \"n\"\n\n[[cards]]\nid = \"c\"\nfront = \"F\"\nback = \"B\"\n\
        reverse = true\nextra = \"E\"\ntags = [\"t\"]\nnote = \"n\"\nsource = \"S\"\n\
        aliases = [\"old-c\"]\n\n[[cards]]\nid = \"z\"\ncloze = \"{{c1::x}}\"\n\n\
        [[questions]]\nid = \"q\"\ndomain = \"d\"\ndifficulty = 1\nexam = 1\nstem = \"S\"\n\
        explanation = \"E\"\ntags = [\"t\"]\nnote = \"n\"\nsource = \"S\"\naliases = [\"old-q\"]\n\
        [[questions.choices]]\ntext = \"a\"\ncorrect = true\nwhy = \"w\"\n\
        [[questions.choices]]\ntext = \"b\"\nwhy = \"w\"\n\n\
        [[questions]]\nid = \"r\"\ndomain = \"d\"\nlab = \"hash-ring\"\n\
        ask = \"keys-moved-on-join\"\n[questions.params]\nnodes = [3, 8]\nvnodes = 100\n\n\
        [[questions]]\nid = \"b\"\ndomain = \"d\"\nlab = \"rate-limiter\"\n\
        ask = \"token-bucket-admits\"\n[questions.params]\nrate = 10\nburst = 20\n\
        requests = 30\noverload = 2\n\n\
        [[questions]]\nid = \"w\"\ndomain = \"d\"\nlab = \"rate-limiter\"\n\
        ask = \"busiest-window\"\n[questions.params]\nlimit = 5\n";
    std::fs::write(root.join("pack.toml"), manifest).unwrap();
    std::fs::write(root.join("decks/all.toml"), deck).unwrap();
    std::fs::write(
        root.join("notes/n.md"),
        "+++\nid = \"n\"\ntitle = \"N\"\nsummary = \"s\"\n+++\n# N\n",
    )
    .unwrap();
    assert!(errors(&schema("pack.schema.json"), manifest).is_empty());
    assert!(errors(&schema("deck.schema.json"), deck).is_empty());
    for name in ["pack.schema.json", "deck.schema.json"] {
        let text = std::fs::read_to_string(Path::new("docs/schema").join(name)).unwrap();
        for key in property_names(&serde_json::from_str(&text).unwrap()) {
            assert!(
                manifest.contains(&format!("{key} ="))
                    || deck.contains(&format!("{key} ="))
                    || [
                        "pack",
                        "exam",
                        "domains",
                        "cards",
                        "questions",
                        "choices",
                        "params"
                    ]
                    .contains(&key.as_str()),
                "{name}: `{key}` is not exercised here"
            );
        }
    }
    let lib = Library::from_candidates(vec![Candidate::disk(root, Origin::Extra(root.into()))]);
    let report = &lib.reports[0];
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "unknown-key"),
        "{}",
        report.render()
    );
    assert_eq!(lib.packs[0].cards.len(), 2);
}

/// Every key under any `properties` of a schema.
fn property_names(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                out.extend(props.keys().cloned());
            }
            for v in map.values() {
                out.extend(property_names(v));
            }
        }
        Value::Array(items) => items.iter().for_each(|v| out.extend(property_names(v))),
        _ => {}
    }
    out
}
