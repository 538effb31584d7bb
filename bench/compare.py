#!/usr/bin/env python3
"""sysdeck against carddown, side by side: time to the study screen and peak memory.

Generates the same collections for both tools, each in its own format (a sysdeck pack with
notes, cards and questions; carddown one-line `prompt : response 🧠` cards in Markdown files),
then starts each tool in tmux, in interleaved rounds, and measures the time from starting the
process until its study screen shows a card:

  first run  sysdeck with no pack index and no progress yet; carddown with no database yet
             (`carddown scan` then `carddown revise`, both timed)
  warm       a second start of each (sysdeck reading its pack index, carddown `revise`)

and the peak resident set of the warm start (VmHWM, read half a second after the study screen
showed, so work a tool does in the background after its first frame counts too).

No tool's figure includes another's work: each round starts with the next tool in turn, the
file system is synced before every start, a start waits until the program before it has
exited, the screen is polled every 2 ms rather than back to back, and every binary is timed
from a copy made at the start of the run.

Usage: bench/compare.py [--rounds 15] [--sizes 500,20000] [--sysdeck PATH] [--scratch DIR]
                        [--baseline PATH]

Needs Linux, tmux, python3 and cargo: carddown is installed from crates.io into the scratch
directory on first use (`cargo install carddown --root SCRATCH/carddown-root`), and sysdeck is
built with `cargo build --release` unless --sysdeck names a binary. Prints medians and ratios
(sysdeck / carddown: below 1 means sysdeck is faster or smaller). --baseline times a second
sysdeck binary, an earlier build, in the same rounds: a figure such as "a first run no slower
than before" is then a ratio from one run rather than two runs on a machine whose speed drifts.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
WORDS = (
    "cache replica partition latency throughput quorum leader follower shard index queue "
    "consumer producer region zone bucket token window request response timeout retry "
    "backoff snapshot log consistent eventual durable available scalable stateless gateway"
).split()
MASK = (1 << 64) - 1
# What each tool shows once a card is on its study screen.
SYSDECK_MARKER = "show the answer"
CARDDOWN_MARKER = "<hidden>"
# The pack index and the database are written after the first frame; give them this long.
SETTLE = 0.5
# Seconds between looks at the screen: a figure may be late by up to this much, for every tool.
POLL = 0.002


def sentence(seed, n):
    """n words from a cheap deterministic sequence (the one benches/support/synth.rs uses)."""
    x = ((seed * 2654435761) | 1) & MASK
    out = []
    for _ in range(n):
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
        out.append(WORDS[x % len(WORDS)])
    return " ".join(out)


def card_text(c):
    """The prompt and response of card `c`, the same in both tools."""
    return f"{sentence(c, 9)} {c}?", f"{sentence(c + 3, 12)}."


def write_sysdeck(root, cards):
    """A pack with `cards` cards, a note per 20 cards and a question per 4, in the proportions
    of the criterion benches' pack: 16.1 MB for 20,000 cards (12.0 MB of decks, 4.1 MB of
    notes)."""
    notes = max(1, cards // 20)
    questions = cards // 4
    (root / "notes").mkdir(parents=True)
    (root / "decks").mkdir()
    (root / "pack.toml").write_text(
        '[pack]\nid = "synthetic"\nname = "Synthetic"\nversion = "1.0.0"\nformat = 1\n\n'
        '[[domains]]\nid = "d1"\nname = "One"\n\n[[domains]]\nid = "d2"\nname = "Two"\n'
    )
    for n in range(notes):
        body = (
            f'+++\nid = "note-{n}"\ntitle = "Note {n} {sentence(n, 3)}"\n'
            f'summary = "{sentence(n + 1, 10)}"\ntags = ["t{n % 20}"]\n'
            f'related = ["note-{(n + 1) % notes}"]\n+++\n\n# Note {n}\n\n'
        )
        for p in range(8):
            body += f"## Part {p}\n\n{sentence(n * 8 + p, 60)}\n\n"
        body += f"See [the next note](note:note-{(n + 1) % notes}).\n"
        (root / "notes" / f"note-{n}.md").write_text(body)
    for d in range(notes):
        deck = [f'note = "note-{d}"\n']
        for c in range(d, cards, notes):
            front, back = card_text(c)
            deck.append(f'[[cards]]\nid = "card-{c}"\nfront = "{front}"\nback = "{back}"\n')
        for q in range(d, questions, notes):
            deck.append(
                f'[[questions]]\nid = "question-{q}"\ndomain = "d{q % 2 + 1}"\n'
                f'difficulty = {q % 3 + 1}\nstem = "{sentence(q, 40)}?"\n'
                f'explanation = "{sentence(q + 1, 20)}."\n'
            )
            for k in range(4):
                deck.append(
                    f'[[questions.choices]]\ntext = "{sentence(q * 4 + k, 8)} {k}"\n'
                    f'correct = {"true" if k == 0 else "false"}\n'
                    f'why = "{sentence(q * 4 + k + 1, 15)}."\n'
                )
        (root / "decks" / f"deck-{d}.toml").write_text("\n".join(deck))


def write_carddown(root, cards):
    """The same cards as one-line carddown flashcards, 100 to a file, in a vault of their own."""
    root.mkdir(parents=True)
    files = max(1, cards // 100)
    for f in range(files):
        lines = []
        for c in range(f, cards, files):
            front, back = card_text(c)
            lines.append(f"{front} : {back} 🧠")
        (root / f"cards-{f}.md").write_text("\n".join(lines) + "\n")


class Tmux:
    """A tmux server of our own, kept up by an idle session so each start pays no server
    start-up."""

    def __init__(self):
        self.socket = f"sysdeck-compare-{os.getpid()}"
        self("new-session", "-d", "-s", "idle", "sleep 100000")

    def __call__(self, *args):
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True
        ).stdout

    def close(self):
        self("kill-server")


def peak_rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def timed_start(tmux, command, marker):
    """Seconds from starting `command` in a fresh 120x40 tmux window until `marker` is on
    screen, and the program's peak resident set in KiB a moment later."""
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", "run", "-x", "120", "-y", "40", command)
    deadline = start + 60
    elapsed = None
    screen = ""
    while time.perf_counter() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "run")
        if marker in screen:
            elapsed = time.perf_counter() - start
            break
        # Each look starts a tmux client and has the server draw the pane; looking back to
        # back kept most of a core busy beside the program measured.
        time.sleep(POLL)
    if elapsed is None:
        tmux("kill-session", "-t", "run")
        sys.exit(f"`{marker}` never appeared on the screen of\n  {command}\nwhich showed:\n{screen}")
    time.sleep(SETTLE)
    pid = tmux("display-message", "-p", "-t", "run", "#{pane_pid}").strip()
    kib = peak_rss_kib(pid) if pid.isdigit() else None
    tmux("kill-session", "-t", "run")
    # The next start waits until this program has exited: its quitting (freeing memory,
    # closing a database) would otherwise run during the next program's measured start.
    gone_by = time.perf_counter() + 10
    while pid.isdigit() and os.path.exists(f"/proc/{pid}") and time.perf_counter() < gone_by:
        time.sleep(0.005)
    return elapsed, kib


def install_carddown(scratch):
    root = scratch / "carddown-root"
    exe = root / "bin" / "carddown"
    if not exe.exists():
        subprocess.run(
            ["cargo", "install", "carddown", "--locked", "--root", str(root)], check=True
        )
    return exe


def sysdeck_binary(given):
    if given:
        return Path(given).resolve()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    return REPO / "target" / "release" / "sysdeck"


def staged(binary, scratch, name):
    """A copy of `binary` made now in the scratch folder. Every program is measured from a
    copy made the same way: two copies of one sysdeck binary, one made an hour earlier, started
    up to 9% apart (and mapped different amounts of the file), as their pages sat differently
    in the page cache."""
    dest = scratch / "bin" / name
    dest.parent.mkdir(exist_ok=True)
    dest.unlink(missing_ok=True)
    shutil.copy2(binary, dest)
    return dest


def collection(scratch, size):
    base = scratch / f"n{size}"
    if not (base / "done").exists():
        shutil.rmtree(base, ignore_errors=True)
        write_sysdeck(base / "pack", size)
        write_carddown(base / "vault", size)
        (base / "done").write_text("")
    return base


def sysdeck_command(binary, base, tag):
    """The start of one sysdeck build on `base`'s pack, with data and cache of its own under
    `tag`, and those two folders (emptied before each first run)."""
    data, cache = base / f"{tag}-data", base / f"{tag}-cache"
    # exec: the pane's process is the tool itself, so its VmHWM is the tool's.
    command = (
        f"exec env SYSDECK_DATA_DIR={data} SYSDECK_CACHE_DIR={cache} "
        f"{binary} --no-builtin --pack {base / 'pack'} review"
    )
    return command, (data, cache)


class Tool(NamedTuple):
    """One program in the rounds: its key in the samples, how it starts on a first run and
    warm, what its study screen shows, and the folders emptied before a first run."""

    key: str
    first: str
    warm: str
    marker: str
    fresh: tuple


def measure(tmux, sysdeck, carddown, base, rounds, baseline=None):
    """Medians of `rounds` interleaved rounds for one collection, keyed by tool ("s" sysdeck,
    "c" carddown, "b" the baseline build) and figure ("first", "warm", "rss")."""
    vault = base / "vault"
    s_cmd, s_dirs = sysdeck_command(sysdeck, base, "sysdeck")
    # --force: the session is ended by a hangup, which leaves carddown's lock file behind.
    c_warm = f"exec {carddown} --vault {vault} --force revise"
    c_first = f"{carddown} --vault {vault} --force scan {vault} >/dev/null 2>&1 && {c_warm}"
    tools = [
        Tool("s", s_cmd, s_cmd, SYSDECK_MARKER, s_dirs),
        Tool("c", c_first, c_warm, CARDDOWN_MARKER, (vault / ".carddown",)),
    ]
    if baseline:
        b_cmd, b_dirs = sysdeck_command(baseline, base, "baseline")
        tools.append(Tool("b", b_cmd, b_cmd, SYSDECK_MARKER, b_dirs))
    samples = {f"{t.key}_{f}": [] for t in tools for f in ("first", "warm", "rss")}
    for r in range(rounds):
        for tool in tools:
            for d in tool.fresh:
                shutil.rmtree(d, ignore_errors=True)
        (vault / ".carddown").mkdir()
        # Each round starts with the next tool, so every tool takes every place in the order
        # equally often: run with the same binary in two places, the first place measured
        # up to 40% slower, as it met the work the file system still had from the round before.
        order = tools[r % len(tools):] + tools[: r % len(tools)]
        for case in ("first", "warm"):
            for tool in order:
                # What the tool before wrote (an index, a database) is on disk before this one
                # starts, so no tool's time includes another's writes.
                os.sync()
                command = tool.first if case == "first" else tool.warm
                t, kib = timed_start(tmux, command, tool.marker)
                samples[f"{tool.key}_{case}"].append(t)
                if case == "warm" and kib:
                    samples[f"{tool.key}_rss"].append(kib)
    return {k: statistics.median(v) if v else float("nan") for k, v in samples.items()}


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--sizes", default="500,20000")
    ap.add_argument("--sysdeck", help="a sysdeck binary [default: build target/release/sysdeck]")
    ap.add_argument("--scratch", default="/tmp/sysdeck-compare")
    ap.add_argument(
        "--baseline",
        help="another sysdeck binary (an earlier build) timed in the same rounds, for a "
        "figure that must be no worse than before",
    )
    args = ap.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed")
    scratch = Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    carddown = staged(install_carddown(scratch), scratch, "carddown")
    sysdeck = staged(sysdeck_binary(args.sysdeck), scratch, "sysdeck")
    baseline = staged(Path(args.baseline), scratch, "baseline") if args.baseline else None
    sizes = [int(s) for s in args.sizes.split(",")]
    tmux = Tmux()
    try:
        rows = []
        for size in sizes:
            print(f"{size} cards: {args.rounds} rounds…", file=sys.stderr)
            rows.append((size, measure(
                tmux, sysdeck, carddown, collection(scratch, size), args.rounds, baseline
            )))
    finally:
        tmux.close()

    version = subprocess.run([str(carddown), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"\nmedians of {args.rounds} interleaved rounds, {os.cpu_count()} cores, {version}\n")
    extra = " baseline | sysdeck / baseline |" if baseline else ""
    print(f"| cards | figure | sysdeck | carddown | sysdeck / carddown |{extra}")
    print("|---:|---|---:|---:|---:|" + ("---:|---:|" if baseline else ""))
    for size, m in rows:
        for case, figure, scale, unit in (
            ("first run", "first", 1e3, "ms"),
            ("warm", "warm", 1e3, "ms"),
            ("peak RSS, warm", "rss", 1 / 1024, "MiB"),
        ):
            s, c = m[f"s_{figure}"] * scale, m[f"c_{figure}"] * scale
            line = f"| {size:,} | {case} | {s:.1f} {unit} | {c:.1f} {unit} | {s / c:.2f} |"
            if baseline:
                b = m[f"b_{figure}"] * scale
                line += f" {b:.1f} {unit} | {s / b:.2f} |"
            print(line)
    if len(rows) >= 2:
        (small, ms), (large, ml) = rows[0], rows[-1]
        print(f"\nsysdeck warm start, {large:,} cards / {small:,} cards: "
              f"{ml['s_warm'] / ms['s_warm']:.2f}x")
        print(f"carddown warm start, {large:,} cards / {small:,} cards: "
              f"{ml['c_warm'] / ms['c_warm']:.2f}x")


if __name__ == "__main__":
    main()
