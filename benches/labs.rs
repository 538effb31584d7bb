//! The labs' drawing cost: one frame of each lab and compare mode at 200x60 (goal: under 2 ms),
//! drawn from an app as the terminal loop draws it; and the recompute behind a key press in the
//! hash-ring lab with the every-scheme comparison showing.

use std::hint::black_box;
use std::rc::Rc;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use sysdeck::content::{Lab, Library};
use sysdeck::progress::Progress;
use sysdeck::tui::keymap::{Action, Keymap};
use sysdeck::tui::shared::Shared;
use sysdeck::tui::snapshot::{ScreenSpec, app_at};
use sysdeck::tui::theme::Theme;

fn frames(c: &mut Criterion) {
    let data = tempfile::tempdir().unwrap();
    let library = Library::from_candidates(Vec::new());
    let progress = Progress::open_for(data.path(), &library).unwrap();
    let shared = Rc::new(Shared::new(
        library,
        progress,
        Theme::dark(),
        Keymap::default(),
        Vec::new(),
    ));
    let area = Rect::new(0, 0, 200, 60);
    let views = [
        ("hash ring", Lab::HashRing, false),
        ("hash ring, every scheme", Lab::HashRing, true),
        ("rate limiter", Lab::RateLimiter, false),
        ("rate limiter, 3 compared", Lab::RateLimiter, true),
    ];
    for (name, lab, compare) in views {
        let app = app_at(shared.clone(), &ScreenSpec::Lab { lab, compare }, 200, 60);
        let mut buf = Buffer::empty(area);
        c.bench_function(&format!("{name}: one frame at 200x60"), |b| {
            b.iter(|| {
                buf.reset();
                app.render(area, &mut buf);
                black_box(&buf);
            })
        });
    }

    let spec = ScreenSpec::Lab {
        lab: Lab::HashRing,
        compare: true,
    };
    let mut app = app_at(shared.clone(), &spec, 200, 60);
    c.bench_function("hash ring, every scheme: +/- vnodes (10k keys)", |b| {
        b.iter(|| {
            app.press(Action::More);
            app.press(Action::Less);
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = frames
}
criterion_main!(benches);
