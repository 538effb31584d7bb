//! The note reader on a long note: the every-element fixture 25 times over, about 1,900 lines
//! at 200 columns with tables and code. Goal: a frame at 200x60 under 1 ms. The layout runs
//! once per width and is measured separately, as are parsing and a search of the whole note.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use sysdeck::content::markdown::Document;
use sysdeck::tui::markdown::{NoteView, find, layout};
use sysdeck::tui::theme::Theme;

const FIXTURE: &str = include_str!("../tests/fixtures/markdown-all.md");
const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

fn long_note() -> String {
    FIXTURE.repeat(25)
}

fn reader(c: &mut Criterion) {
    let body = long_note();
    let theme = Theme::dark();
    let doc = Document::parse(&body);
    let rendered = layout(&doc, WIDTH, &theme);
    let matches = find(&rendered, "node");
    eprintln!(
        "long note: {} bytes, {} lines at {WIDTH} columns, {} links, {} matches",
        body.len(),
        rendered.lines.len(),
        rendered.link_count(),
        matches.len()
    );
    let mut group = c.benchmark_group("note reader, long note");

    // A frame: the visible 60 lines from the middle, a link selected, matches highlighted.
    let area = Rect::new(0, 0, WIDTH, HEIGHT);
    let mut buf = Buffer::empty(area);
    let scroll = rendered.lines.len() / 2;
    group.bench_function("render 200x60 from the cached layout", |b| {
        b.iter(|| {
            NoteView {
                rendered: &rendered,
                scroll: black_box(scroll),
                selected_link: Some(rendered.link_count() / 2),
                matches: &matches,
                current_match: Some(matches.len() / 2),
                theme: &theme,
            }
            .render(area, &mut buf);
        })
    });
    group.bench_function("layout at 200 columns", |b| {
        b.iter(|| layout(black_box(&doc), WIDTH, &theme))
    });
    group.bench_function("parse", |b| b.iter(|| Document::parse(black_box(&body))));
    group.bench_function("find \"node\"", |b| {
        b.iter(|| find(black_box(&rendered), "node"))
    });
    group.finish();
}

criterion_group!(benches, reader);
criterion_main!(benches);
