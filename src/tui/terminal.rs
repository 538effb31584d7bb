//! The terminal: raw mode, the alternate screen and mouse capture, restored on every exit path
//! (normal return, error, panic); and the event loop that draws only when something changed.

use std::io::{self, Stdout, Write};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind,
};
use ratatui::crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use super::app::App;

/// How long to wait for input when no screen is animating: short enough to notice pack changes.
const IDLE_POLL: Duration = Duration::from_millis(200);

pub struct RunOptions {
    pub mouse: bool,
    /// Folders whose changes trigger a reload (`--watch`).
    pub watch: Vec<PathBuf>,
}

/// Puts the terminal back as it was. Safe to call more than once.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// Restores the terminal when dropped, so an early return or `?` cannot leave it raw.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

fn setup(mouse: bool) -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        hook(info);
    }));
    enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Terminal::new(CrosstermBackend::new(out))
}

/// Watches pack folders; every change event arrives on the receiver.
fn watch(paths: &[PathBuf]) -> notify::Result<(Option<notify::RecommendedWatcher>, Receiver<()>)> {
    let (tx, rx) = channel();
    if paths.is_empty() {
        return Ok((None, rx));
    }
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if res.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(());
        }
    })?;
    for p in paths {
        watcher.watch(p, RecursiveMode::Recursive)?;
    }
    Ok((Some(watcher), rx))
}

/// Runs the app until the user quits. `reload` rebuilds the app's data after a pack change.
pub fn run(mut app: App, opts: RunOptions, mut reload: impl FnMut(&mut App)) -> io::Result<()> {
    let (_watcher, changes) = watch(&opts.watch).map_err(io::Error::other)?;
    let mut terminal = setup(opts.mouse)?;
    let _guard = Guard;
    let size = terminal.size()?;
    app.resize(size.width, size.height);
    let mut last_tick = Instant::now();
    while !app.should_quit() {
        if !event::poll(Duration::ZERO)? {
            app.settle();
        }
        if app.take_dirty() {
            execute!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
            terminal.draw(|f| app.render(f.area(), f.buffer_mut()))?;
            execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
            terminal.backend_mut().flush()?;
        }
        let interval = app.tick_interval();
        let wait = interval.map_or(IDLE_POLL, |i| i.saturating_sub(last_tick.elapsed()));
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(k) if k.kind == KeyEventKind::Press => app.key(k),
                Event::Mouse(m) => app.mouse(m),
                Event::Resize(w, h) => app.resize(w, h),
                _ => {}
            }
        }
        if let Some(i) = interval
            && last_tick.elapsed() >= i
        {
            last_tick = Instant::now();
            app.tick();
        }
        if changes.try_recv().is_ok() {
            // Editors write several events per save; let them settle, then reload once.
            std::thread::sleep(Duration::from_millis(100));
            while changes.try_recv().is_ok() {}
            reload(&mut app);
        }
    }
    Ok(())
}
