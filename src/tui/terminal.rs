//! The terminal: raw mode, the alternate screen, bracketed paste and mouse capture, restored on
//! every exit path (normal return, error, panic, SIGTERM/SIGINT/SIGHUP/SIGQUIT) and around a
//! job-control stop; and the event loop that draws only when something changed.

use std::io::{self, Stdout, Write};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
};
use ratatui::crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

use super::app::App;

/// How long to wait for input when no screen is animating and no pack folder is watched.
const IDLE_POLL: Duration = Duration::from_millis(200);

pub struct RunOptions {
    pub mouse: bool,
    /// Folders whose changes trigger a reload (`--watch`).
    pub watch: Vec<PathBuf>,
}

/// Most events handled before the next frame: a held key or a paste arrives in bursts, and
/// drawing after each of thousands of events would leave Ctrl-C waiting behind them.
const MAX_BATCH: usize = 4096;

/// Puts the terminal back as it was. Safe to call more than once.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
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

/// Raw mode, the alternate screen, bracketed paste and (if asked) the mouse.
fn enter(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

fn setup(mouse: bool) -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        hook(info);
    }));
    enter(mouse)?;
    Terminal::new(CrosstermBackend::new(io::stdout()))
}

/// Comes back after a stop: the shell has put the terminal in cooked mode, and whatever was
/// typed meanwhile was meant for the shell, never for a card the learner has not seen.
fn resume(terminal: &mut Terminal<CrosstermBackend<Stdout>>, mouse: bool) -> io::Result<()> {
    // After a stop from outside, crossterm still believes raw mode is on and would skip
    // enabling it; forgetting the old mode first makes `enter` set it again.
    disable_raw_mode()?;
    enter(mouse)?;
    repaint(terminal)?;
    while event::poll(Duration::from_millis(20))? {
        let _ = event::read()?;
    }
    Ok(())
}

/// Clears the screen and forgets what was drawn, so the next frame is drawn whole. Unlike
/// `Terminal::clear`, this never asks the terminal for the cursor position, whose answer may
/// not come while the shell is handing the terminal back.
fn repaint(terminal: &mut Terminal<CrosstermBackend<Stdout>>) -> io::Result<()> {
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// Ctrl-Z or SIGTSTP: give the terminal back to the shell, stop, and come back on `fg`.
fn suspend(terminal: &mut Terminal<CrosstermBackend<Stdout>>, mouse: bool) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    resume(terminal, mouse)
}

/// How long pack folders must be quiet before a reload: an editor's save is several events.
const DEBOUNCE: Duration = Duration::from_millis(40);
/// The longest wait for input while watching, so a reloaded library shows promptly.
const WATCH_POLL: Duration = Duration::from_millis(25);

/// Watches pack folders and loads the packs again on a thread of its own once the folders
/// have been quiet for [`DEBOUNCE`] since the last change; each load arrives on the receiver.
fn watch<T: Send + 'static>(
    paths: &[PathBuf],
    load: impl Fn() -> T + Send + 'static,
) -> notify::Result<(Option<notify::RecommendedWatcher>, Receiver<T>)> {
    let (loaded_tx, loaded) = channel();
    if paths.is_empty() {
        return Ok((None, loaded));
    }
    let (tx, changes) = channel::<Instant>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if res.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(Instant::now());
        }
    })?;
    for p in paths {
        watcher.watch(p, RecursiveMode::Recursive)?;
    }
    std::thread::Builder::new()
        .name("pack-watch".to_string())
        .spawn(move || {
            while let Ok(mut last) = changes.recv() {
                // Wait until no event came for DEBOUNCE after the latest one.
                loop {
                    let quiet_at = last + DEBOUNCE;
                    match changes.recv_timeout(quiet_at.saturating_duration_since(Instant::now())) {
                        Ok(at) => last = last.max(at),
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                if loaded_tx.send(load()).is_err() {
                    return;
                }
            }
        })
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    Ok((Some(watcher), loaded))
}

/// What the loop does with a key before the screens see it.
enum Special {
    Quit,
    Suspend,
    Redraw,
}

fn special(k: &KeyEvent) -> Option<Special> {
    if k.kind != KeyEventKind::Press || !k.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    match k.code {
        KeyCode::Char('c') => Some(Special::Quit),
        KeyCode::Char('z') => Some(Special::Suspend),
        KeyCode::Char('l') => Some(Special::Redraw),
        _ => None,
    }
}

/// Work that must not delay the first frame: started on a thread of its own once that frame
/// is on screen, and waited for before the app returns (done in place if no frame was drawn).
struct AfterFirstFrame<U>(Stage<U>);

enum Stage<U> {
    Waiting(Box<dyn FnOnce() -> U + Send>),
    Running(JoinHandle<U>),
    /// Finished, or being finished.
    Done,
}

impl<U: Send + 'static> AfterFirstFrame<U> {
    /// Starts the work if it is still waiting; called after every frame.
    fn start(&mut self) {
        self.0 = match std::mem::replace(&mut self.0, Stage::Done) {
            Stage::Waiting(work) => Stage::Running(std::thread::spawn(work)),
            stage => stage,
        };
    }

    /// What the work returned; a panic in it goes on in the caller.
    fn finish(mut self) -> U {
        match std::mem::replace(&mut self.0, Stage::Done) {
            Stage::Waiting(work) => work(),
            Stage::Running(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Stage::Done => unreachable!("finish consumes the work"),
        }
    }
}

impl<U> Drop for AfterFirstFrame<U> {
    /// An error leaving the loop still lets started work end, rather than cutting it short.
    fn drop(&mut self) {
        if let Stage::Running(thread) = std::mem::replace(&mut self.0, Stage::Done) {
            let _ = thread.join();
        }
    }
}

/// Runs the app until the user quits and returns what `after_first_frame` gave. With folders
/// to watch, `load` reads the packs again off the event loop after a change, and `reload`
/// gives the app what it read.
pub fn run<T: Send + 'static, U: Send + 'static>(
    mut app: App,
    opts: RunOptions,
    after_first_frame: impl FnOnce() -> U + Send + 'static,
    load: impl Fn() -> T + Send + 'static,
    mut reload: impl FnMut(&mut App, T),
) -> io::Result<U> {
    let mut later = AfterFirstFrame(Stage::Waiting(Box::new(after_first_frame)));
    let (watcher, loaded) = watch(&opts.watch, load).map_err(io::Error::other)?;
    let idle = if watcher.is_some() {
        WATCH_POLL
    } else {
        IDLE_POLL
    };
    let mut signals = Signals::new([SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT])?;
    let mut terminal = setup(opts.mouse)?;
    let _guard = Guard;
    fit(&mut app, &terminal)?;
    let mut last_tick = Instant::now();
    while !app.should_quit() {
        handle_signals(&mut signals, &mut app, &mut terminal, opts.mouse)?;
        if app.should_quit() {
            break;
        }
        if !event::poll(Duration::ZERO)? {
            app.settle();
        }
        if app.take_dirty() {
            execute!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
            terminal.draw(|f| {
                app.render(f.area(), f.buffer_mut());
                scrub(f.buffer_mut());
            })?;
            execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
            terminal.backend_mut().flush()?;
            later.start();
        }
        let interval = app.tick_interval();
        let wait = interval.map_or(idle, |i| i.saturating_sub(last_tick.elapsed()).min(idle));
        // A stop interrupts the wait; input that is there on waking was typed while stopped,
        // and `resume` drops it, so signals go first.
        if event::poll(wait)? && !handle_signals(&mut signals, &mut app, &mut terminal, opts.mouse)?
        {
            let mut batch = vec![event::read()?];
            while batch.len() < MAX_BATCH && event::poll(Duration::ZERO)? {
                batch.push(event::read()?);
            }
            handle_batch(&mut app, &mut terminal, batch, opts.mouse)?;
        }
        if let Some(i) = interval
            && last_tick.elapsed() >= i
        {
            last_tick = Instant::now();
            app.tick();
        }
        if let Some(data) = loaded.try_iter().last() {
            reload(&mut app, data);
        }
    }
    Ok(later.finish())
}

/// Acts on the signals that arrived since the last call; true when there were any.
fn handle_signals(
    signals: &mut Signals,
    app: &mut App,
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    mouse: bool,
) -> io::Result<bool> {
    let mut any = false;
    for signal in signals.pending() {
        any = true;
        match signal {
            SIGTSTP => suspend(terminal, mouse)?,
            // Continued after a stop we did not ask for (`kill -STOP`, then `fg` or SIGCONT).
            SIGCONT => resume(terminal, mouse)?,
            _ => app.quit(),
        }
        fit(app, terminal)?;
    }
    Ok(any)
}

/// Tells the app the terminal's size: at start, and after anything that may have changed it.
fn fit(app: &mut App, terminal: &Terminal<CrosstermBackend<Stdout>>) -> io::Result<()> {
    let size = terminal.size()?;
    app.resize(size.width, size.height);
    Ok(())
}

/// Handles a burst of events in order, except that a Ctrl-C anywhere in it quits at once.
fn handle_batch(
    app: &mut App,
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    batch: Vec<Event>,
    mouse: bool,
) -> io::Result<()> {
    let quit = |e: &Event| matches!(e, Event::Key(k) if matches!(special(k), Some(Special::Quit)));
    if batch.iter().any(quit) {
        app.quit();
        return Ok(());
    }
    for ev in batch {
        match ev {
            Event::Key(k) => match special(&k) {
                Some(Special::Suspend) => {
                    suspend(terminal, mouse)?;
                    fit(app, terminal)?;
                    // Whatever followed the Ctrl-Z was typed before the stop took effect.
                    return Ok(());
                }
                Some(Special::Redraw) => {
                    repaint(terminal)?;
                    fit(app, terminal)?;
                }
                _ if k.kind == KeyEventKind::Press => app.key(k),
                _ => {}
            },
            Event::Paste(text) => app.paste(&text),
            Event::Mouse(m) => app.mouse(m),
            Event::Resize(w, h) => app.resize(w, h),
            _ => {}
        }
        if app.should_quit() {
            break;
        }
    }
    Ok(())
}

/// The last line of defence: no cell leaves for the terminal holding a control or bidi
/// character, whatever a screen drew. Text is escaped where it is laid out
/// ([`crate::safe_text::escape`]); this only catches what slipped past.
fn scrub(buf: &mut ratatui::buffer::Buffer) {
    for cell in &mut buf.content {
        if crate::safe_text::may_hold_forbidden(cell.symbol())
            && cell.symbol().chars().any(crate::safe_text::is_forbidden)
        {
            cell.set_symbol("\u{FFFD}");
        }
    }
}
