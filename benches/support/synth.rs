//! A synthetic pack generator for benchmarks: realistic sizes and text, deterministic output.

use std::fmt::Write as _;
use std::path::Path;

const WORDS: &[&str] = &[
    "cache",
    "replica",
    "partition",
    "latency",
    "throughput",
    "quorum",
    "leader",
    "follower",
    "shard",
    "index",
    "queue",
    "consumer",
    "producer",
    "region",
    "zone",
    "bucket",
    "token",
    "window",
    "request",
    "response",
    "timeout",
    "retry",
    "backoff",
    "snapshot",
    "log",
    "consistent",
    "eventual",
    "durable",
    "available",
    "scalable",
    "stateless",
    "gateway",
];

/// A sentence of `n` words chosen by a cheap deterministic sequence from `seed`.
fn sentence(seed: usize, n: usize) -> String {
    let mut s = String::new();
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[x % WORDS.len()]);
    }
    s
}

/// Writes a valid pack of the given size into `root` (which must not exist yet).
pub fn write_pack(root: &Path, notes: usize, cards: usize, questions: usize) {
    std::fs::create_dir_all(root.join("notes")).unwrap();
    std::fs::create_dir_all(root.join("decks")).unwrap();
    std::fs::write(
        root.join("pack.toml"),
        "[pack]\nid = \"synthetic\"\nname = \"Synthetic\"\nversion = \"1.0.0\"\nformat = 1\n\n\
         [[domains]]\nid = \"d1\"\nname = \"One\"\n\n[[domains]]\nid = \"d2\"\nname = \"Two\"\n",
    )
    .unwrap();
    for n in 0..notes {
        let mut body = format!(
            "+++\nid = \"note-{n}\"\ntitle = \"Note {n} {}\"\nsummary = \"{}\"\ntags = [\"t{}\"]\nrelated = [\"note-{}\"]\n+++\n\n# Note {n}\n\n",
            sentence(n, 3),
            sentence(n + 1, 10),
            n % 20,
            (n + 1) % notes
        );
        for p in 0..8 {
            let _ = writeln!(body, "## Part {p}\n\n{}\n", sentence(n * 8 + p, 60));
        }
        let _ = writeln!(
            body,
            "| a | b |\n|---|---|\n| {} | {} |\n",
            sentence(n, 2),
            sentence(n, 3)
        );
        let _ = writeln!(body, "See [the next note](note:note-{}).", (n + 1) % notes);
        std::fs::write(root.join(format!("notes/note-{n}.md")), body).unwrap();
    }
    let per_deck = 100;
    let decks = notes.max(1);
    for d in 0..decks {
        let mut deck = format!("note = \"note-{}\"\n\n", d % notes.max(1));
        for c in (d..cards).step_by(decks).take(per_deck) {
            if c % 3 == 0 {
                let _ = writeln!(
                    deck,
                    "[[cards]]\nid = \"card-{c}\"\ncloze = \"The {{{{c1::{}}}}} of {}.\"\n",
                    sentence(c, 2),
                    sentence(c + 7, 8)
                );
            } else {
                let _ = writeln!(
                    deck,
                    "[[cards]]\nid = \"card-{c}\"\nfront = \"{}?\"\nback = \"{}.\"\nreverse = {}\n",
                    sentence(c, 9),
                    sentence(c + 3, 12),
                    c % 2 == 0
                );
            }
        }
        for q in (d..questions).step_by(decks) {
            let _ = writeln!(
                deck,
                "[[questions]]\nid = \"question-{q}\"\ndomain = \"d{}\"\ndifficulty = {}\nstem = \"{}?\"\nexplanation = \"{}.\"\n",
                q % 2 + 1,
                q % 3 + 1,
                sentence(q, 40),
                sentence(q + 1, 20)
            );
            for k in 0..4 {
                let _ = writeln!(
                    deck,
                    "[[questions.choices]]\ntext = \"{}\"\ncorrect = {}\nwhy = \"{}.\"\n",
                    sentence(q * 4 + k, 8),
                    k == 0,
                    sentence(q * 4 + k + 1, 15)
                );
            }
        }
        std::fs::write(root.join(format!("decks/deck-{d}.toml")), deck).unwrap();
    }
}
