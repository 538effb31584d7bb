//! Every service in scope for SAA-C03 is covered by the built-in aws-saa pack: for each line of
//! tests/data/saa-c03-services.txt (`Service name | regex`), some note, card or question of the
//! pack matches the regex, case-insensitively. Run with `--nocapture` for the table of how many
//! items mention each service.

use std::fmt::Write as _;

use regex::{Regex, RegexBuilder};
use sysdeck::content::{CardKind, Library, LoadOptions, Pack};

const SERVICES: &str = include_str!("data/saa-c03-services.txt");

/// One service of the list and what finds it.
struct Service {
    name: String,
    pattern: Regex,
}

/// The services, or every line that is not `Service name | regex` with a valid regex.
fn parse_services(text: &str) -> Result<Vec<Service>, Vec<String>> {
    let mut services = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("saa-c03-services.txt:{}", n + 1);
        let Some((name, pattern)) = line.split_once('|') else {
            problems.push(format!(
                "{at}: no `|` between the service and its regex: {line}"
            ));
            continue;
        };
        let (name, pattern) = (name.trim(), pattern.trim());
        if name.is_empty() || pattern.is_empty() {
            problems.push(format!("{at}: the service name or regex is empty: {line}"));
            continue;
        }
        match RegexBuilder::new(pattern).case_insensitive(true).build() {
            Ok(pattern) => services.push(Service {
                name: name.to_string(),
                pattern,
            }),
            Err(e) => problems.push(format!("{at}: `{pattern}` is not a regex: {e}")),
        }
    }
    if problems.is_empty() {
        Ok(services)
    } else {
        Err(problems)
    }
}

/// The text of each note, card and question, by kind.
struct Items {
    notes: Vec<String>,
    cards: Vec<String>,
    questions: Vec<String>,
}

impl Items {
    fn of(pack: &Pack) -> Self {
        let notes = pack
            .notes
            .iter()
            .map(|n| [n.title.as_str(), n.summary.as_str(), n.body.as_str()].join("\n"))
            .collect();
        let cards = pack
            .cards
            .iter()
            .map(|c| {
                let mut text = match &c.kind {
                    CardKind::Basic { front, back, .. } => format!("{front}\n{back}"),
                    CardKind::Cloze { text } => text.to_string(),
                };
                if let Some(extra) = &c.extra {
                    text.push('\n');
                    text.push_str(extra);
                }
                text
            })
            .collect();
        let questions = pack
            .questions
            .iter()
            .map(|q| {
                let mut text = format!("{}\n{}", q.stem, q.explanation);
                for c in &q.choices {
                    text.push('\n');
                    text.push_str(&c.text);
                    if let Some(why) = &c.why {
                        text.push('\n');
                        text.push_str(why);
                    }
                }
                text
            })
            .collect();
        Items {
            notes,
            cards,
            questions,
        }
    }

    /// How many notes, cards and questions the pattern matches.
    fn count(&self, pattern: &Regex) -> [usize; 3] {
        let hits = |texts: &[String]| texts.iter().filter(|t| pattern.is_match(t)).count();
        [hits(&self.notes), hits(&self.cards), hits(&self.questions)]
    }
}

#[test]
fn the_service_list_is_well_formed() {
    let services = parse_services(SERVICES).unwrap_or_else(|p| panic!("{}", p.join("\n")));
    assert!(!services.is_empty(), "the service list is empty");
    let bad = "# a comment\nAmazon S3 | \\bS3\\b\nno bar here\n | x\nAmazon EC2 | (unclosed\n";
    let problems = parse_services(bad).err().expect("three bad lines");
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].starts_with("saa-c03-services.txt:3: no `|`"));
    assert!(problems[1].starts_with("saa-c03-services.txt:4: the service name or regex"));
    assert!(problems[2].starts_with("saa-c03-services.txt:5: `(unclosed` is not a regex"));
}

#[test]
fn every_saa_c03_service_is_covered_by_the_aws_pack() {
    let services = parse_services(SERVICES).unwrap_or_else(|p| panic!("{}", p.join("\n")));
    let library = Library::load(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    let pack = library.pack("aws-saa").expect("the built-in aws-saa pack");
    let items = Items::of(pack);
    let width = services.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let mut table = format!(
        "{:<width$}  {:>5}  {:>5}  {:>9}  {:>5}\n",
        "Service", "notes", "cards", "questions", "items"
    );
    let mut uncovered = Vec::new();
    for s in &services {
        let [notes, cards, questions] = items.count(&s.pattern);
        let total = notes + cards + questions;
        writeln!(
            table,
            "{:<width$}  {notes:>5}  {cards:>5}  {questions:>9}  {total:>5}",
            s.name
        )
        .unwrap();
        if total == 0 {
            uncovered.push(format!("  {} (regex `{}`)", s.name, s.pattern.as_str()));
        }
    }
    println!("{table}");
    assert!(
        uncovered.is_empty(),
        "{} of the {} SAA-C03 services are in no note, card or question of aws-saa:\n{}",
        uncovered.len(),
        services.len(),
        uncovered.join("\n")
    );
}
