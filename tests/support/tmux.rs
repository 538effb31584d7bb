//! Drives the real binary inside a detached tmux session: send keys, read the screen.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a wait gives the program before the test fails and shows the screen.
const DEADLINE: Duration = Duration::from_secs(15);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(20);

pub struct Tmux {
    name: String,
}

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux")
        .args(args)
        .output()
        .expect("tmux is installed (.ci/run installs it)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Tmux {
    /// Starts `sysdeck ARGS` in a new session of the given size with its own data directory.
    pub fn start(name: &str, data_dir: &Path, args: &[&str], width: u16, height: u16) -> Tmux {
        let bin = env!("CARGO_BIN_EXE_sysdeck");
        let mut cmd = format!(
            "env SYSDECK_DATA_DIR='{}' NO_COLOR=1 '{bin}'",
            data_dir.display()
        );
        for a in args {
            cmd.push_str(&format!(" '{a}'"));
        }
        Tmux::start_command(name, &cmd, width, height)
    }

    /// Runs a shell command line as the only program of a new session.
    fn start_command(name: &str, cmd: &str, width: u16, height: u16) -> Tmux {
        let name = format!("{name}-{}", std::process::id());
        let (w, h) = (width.to_string(), height.to_string());
        let args = ["new-session", "-d", "-s", &name, "-x", &w, "-y", &h, cmd];
        // The tmux server exits with its last session; a test starting one just then can
        // meet it on its way out. Asking again reaches a fresh server.
        let started = (0..3).any(|_| {
            Command::new("tmux")
                .args(args)
                .status()
                .expect("tmux is installed (.ci/run installs it)")
                .success()
        });
        assert!(started, "tmux new-session failed three times");
        Tmux { name }
    }

    /// Starts an interactive shell (no profile, prompt `shell$`) in a new session, for tests
    /// that need the terminal as the shell sees it after sysdeck leaves.
    #[allow(dead_code, reason = "only the terminal tests need a shell")]
    pub fn shell(name: &str, width: u16, height: u16) -> Tmux {
        let t = Tmux::start_command(name, "bash --norc --noprofile", width, height);
        // Spelt in two halves so that the typed line itself does not match the prompt.
        t.run("PS1='she''ll$ '; clear");
        t.wait_for("shell$");
        t
    }

    /// Types a command line into the shell and presses Enter.
    #[allow(dead_code, reason = "only the terminal tests need a shell")]
    pub fn run(&self, line: &str) {
        tmux(&["send-keys", "-t", &self.name, "-l", line]);
        tmux(&["send-keys", "-t", &self.name, "Enter"]);
    }

    /// A tmux format variable of the pane, such as `#{alternate_on}`.
    #[allow(dead_code, reason = "quit() and the terminal tests read pane flags")]
    pub fn flag(&self, format: &str) -> String {
        tmux(&["display-message", "-p", "-t", &self.name, format])
            .trim()
            .to_string()
    }

    /// Pastes text as a terminal does when the program asked for bracketed paste.
    #[allow(dead_code, reason = "only the terminal tests paste")]
    pub fn paste(&self, text: &str) {
        let buffer = format!("{}-paste", self.name);
        tmux(&["set-buffer", "-b", &buffer, "--", text]);
        tmux(&["paste-buffer", "-p", "-d", "-b", &buffer, "-t", &self.name]);
    }

    /// The process of the sysdeck binary among the pane's processes.
    #[allow(
        dead_code,
        reason = "only the tests that signal the program need its pid"
    )]
    pub fn sysdeck_pid(&self) -> u32 {
        let found: Vec<u32> = self
            .pids()
            .into_iter()
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/comm"))
                    .is_ok_and(|comm| comm.trim() == "sysdeck")
            })
            .collect();
        assert_eq!(found.len(), 1, "one sysdeck process in the pane: {found:?}");
        found[0]
    }

    /// Presses keys (tmux key names), all at once. The program may read them in one go, and a
    /// key right behind Escape then reads as Alt plus that key; so Escape may only come last,
    /// and the test waits for what it does before pressing more (see [`Tmux::escape`]).
    pub fn keys(&self, keys: &[&str]) {
        if let Some(i) = keys.iter().position(|k| *k == "Escape") {
            assert_eq!(
                i + 1,
                keys.len(),
                "wait for what Escape does before pressing {:?}",
                &keys[i + 1..]
            );
        }
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        tmux(&args);
    }

    /// Presses Escape and waits until the screen shows `then`.
    #[allow(dead_code, reason = "not every end-to-end test leaves a screen")]
    pub fn escape(&self, then: &str) -> String {
        self.keys(&["Escape"]);
        self.wait_for(then)
    }

    /// Types literal text.
    #[allow(dead_code, reason = "not every end-to-end test types text")]
    pub fn text(&self, text: &str) {
        tmux(&["send-keys", "-t", &self.name, "-l", text]);
    }

    pub fn screen(&self) -> String {
        tmux(&["capture-pane", "-p", "-t", &self.name])
    }

    /// Asks `check` again every few milliseconds until it answers, and returns the answer;
    /// after [`DEADLINE`] panics, naming `what` and showing the screen. Every wait is this one.
    pub fn poll<T>(&self, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(answer) = check() {
                return answer;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "timed out waiting for {what}; the screen is:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the screen satisfies `ok`, and returns it.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        self.poll(what, || Some(self.screen()).filter(|s| ok(s)))
    }

    /// Waits until the screen contains `needle`, and returns it.
    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_for_any(&[needle]).1
    }

    /// Waits until the screen no longer contains `needle`, and returns it.
    #[allow(dead_code, reason = "only some tests wait for something to close")]
    pub fn wait_gone(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?} to go"), |s| !s.contains(needle))
    }

    /// Waits until the screen contains one of `needles`; returns which one and the screen.
    pub fn wait_for_any<'a>(&self, needles: &[&'a str]) -> (&'a str, String) {
        self.poll(&format!("any of {needles:?}"), || {
            let s = self.screen();
            needles
                .iter()
                .find(|n| s.contains(**n))
                .map(|found| (*found, s))
        })
    }

    /// The pane's process and every process below it: the pane runs `env … sysdeck`, and
    /// whether the shell and `env` exec or fork is up to them. Read from /proc (Linux).
    #[allow(dead_code, reason = "only the crash test needs the program's process")]
    pub fn pids(&self) -> Vec<u32> {
        let pane = tmux(&["list-panes", "-t", &self.name, "-F", "#{pane_pid}"]);
        let root: u32 = pane.trim().parse().expect("tmux prints the pane's pid");
        // (pid, parent pid) of every process; the name in /proc/PID/stat is in parentheses
        // and may itself contain spaces, so the fields are read after the last `)`.
        let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
            .expect("/proc is readable")
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter_map(|pid| {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                let ppid = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?;
                Some((pid, ppid.parse().ok()?))
            })
            .collect();
        let mut tree = vec![root];
        let mut i = 0;
        while let Some(&parent) = tree.get(i) {
            tree.extend(parents.iter().filter(|p| p.1 == parent).map(|p| p.0));
            i += 1;
        }
        tree
    }

    #[allow(
        dead_code,
        reason = "only the tests that end the program check it is gone"
    )]
    pub fn alive(&self) -> bool {
        Command::new("tmux")
            .args(["has-session", "-t", &self.name])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Presses `q` until the program ends: each press goes back one screen, so after each the
    /// top line (the breadcrumb) must change or the program must end.
    #[allow(dead_code, reason = "only the tests that end the program quit it")]
    pub fn quit(&self) {
        let crumb = || self.screen().lines().next().unwrap_or_default().to_string();
        for _ in 0..8 {
            let before = crumb();
            self.keys(&["q"]);
            let gone = self.poll("q to go back or quit", || {
                if !self.alive() {
                    Some(true)
                } else {
                    (crumb() != before).then_some(false)
                }
            });
            // Off the alternate screen: the program is on its way out (its last writes may
            // take a moment); more presses would only be echoed by the terminal.
            if gone || self.flag("#{alternate_on}") == "0" {
                self.wait_exit();
                return;
            }
        }
        panic!(
            "eight presses of q did not quit; the screen is:\n{}",
            self.screen()
        );
    }

    /// Waits for the program (and so the session) to end.
    #[allow(dead_code, reason = "only the tests that end the program wait for it")]
    pub fn wait_exit(&self) {
        self.poll("sysdeck to exit", || (!self.alive()).then_some(()));
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Gone already when the program quit; tmux would say so on stderr.
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .stderr(Stdio::null())
            .status();
    }
}
