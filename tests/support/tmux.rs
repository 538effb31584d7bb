//! Drives the real binary inside a detached tmux session: send keys, read the screen.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                cmd,
            ])
            .status()
            .expect("tmux is installed (.ci/run installs it)");
        assert!(status.success(), "tmux new-session failed");
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
    #[allow(dead_code, reason = "only the terminal tests read pane flags")]
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

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            tmux(&["send-keys", "-t", &self.name, k]);
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Types literal text.
    #[allow(dead_code, reason = "not every end-to-end test types text")]
    pub fn text(&self, text: &str) {
        tmux(&["send-keys", "-t", &self.name, "-l", text]);
    }

    pub fn screen(&self) -> String {
        tmux(&["capture-pane", "-p", "-t", &self.name])
    }

    /// Waits until the screen contains `needle`; panics with the screen after a timeout.
    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_for_any(&[needle]).1
    }

    /// Waits until the screen contains one of `needles`; returns which one and the screen.
    pub fn wait_for_any<'a>(&self, needles: &[&'a str]) -> (&'a str, String) {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if let Some(found) = needles.iter().find(|n| s.contains(**n)) {
                return (found, s);
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("timed out waiting for any of {needles:?}; the screen is:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
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
    /// top line (the breadcrumb) must change or the program must end, within a deadline.
    #[allow(dead_code, reason = "only the tests that end the program quit it")]
    pub fn quit(&self) {
        let crumb = |s: String| s.lines().next().unwrap_or_default().to_string();
        for _ in 0..8 {
            let before = crumb(self.screen());
            self.keys(&["q"]);
            let start = Instant::now();
            while self.alive() && crumb(self.screen()) == before {
                if start.elapsed() > Duration::from_secs(10) {
                    panic!("q did nothing; the screen is:\n{}", self.screen());
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if !self.alive() {
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
        let start = Instant::now();
        while self.alive() {
            if start.elapsed() > Duration::from_secs(10) {
                panic!("sysdeck did not exit; the screen is:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .stderr(Stdio::null())
            .status();
    }
}
