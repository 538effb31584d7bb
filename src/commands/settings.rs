//! `sysdeck settings`: print or change the scheduling settings stored with the progress.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::progress::Progress;
use crate::srs::{Settings, format_steps};
use anyhow::{Result, bail};

use crate::cli::settings::SettingsArgs;

/// The settings with every given option applied.
fn changed(mut s: Settings, a: &SettingsArgs) -> Settings {
    if let Some(v) = a.new_per_day {
        s.new_per_day = v;
    }
    if let Some(v) = a.reviews_per_day {
        s.reviews_per_day = v;
    }
    if let Some(v) = a.day_start {
        s.day_start_hour = v;
    }
    if let Some(v) = a.retention {
        s.desired_retention = v;
    }
    if let Some(v) = a.max_interval {
        s.maximum_interval = v;
    }
    if let Some(v) = &a.learning_steps {
        s.learning_steps = v.clone();
    }
    if let Some(v) = &a.relearning_steps {
        s.relearning_steps = v.clone();
    }
    if let Some(v) = a.fuzz {
        s.fuzz = v;
    }
    s
}

/// The option that sets `field`, for naming it in a refusal.
fn option(field: &str) -> Option<&'static str> {
    Some(match field {
        "new_per_day" => "--new-per-day",
        "reviews_per_day" => "--reviews-per-day",
        "day_start_hour" => "--day-start",
        "desired_retention" => "--retention",
        "maximum_interval" => "--max-interval",
        "learning_steps" => "--learning-steps",
        "relearning_steps" => "--relearning-steps",
        _ => return None,
    })
}

pub fn run(args: &SettingsArgs, data_dir: &Path) -> Result<ExitCode> {
    let store = Progress::open_history(data_dir)?;
    let current = store.settings()?;
    super::progress_check::print_warnings(&store);
    let next = changed(current.clone(), args);
    if next != current {
        if let Some(bad) = next.problems().into_iter().next() {
            let name = option(bad.field).map_or_else(String::new, |o| format!("{o} "));
            bail!("{name}({}): {}; nothing was saved", bad.field, bad.problem);
        }
        let replayed = store.save_settings(&next)?;
        writeln!(
            crate::safe_text::stderr(),
            "Saved; {replayed} card schedules replayed with the new settings."
        )?;
    }
    let mut out = crate::safe_text::stdout();
    if args.json {
        crate::safe_text::write_json(&mut out, &next)?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = &next;
    let rows = [
        ("new cards per day", s.new_per_day.to_string()),
        ("reviews per day", s.reviews_per_day.to_string()),
        (
            "day starts at",
            format!("{:02}:00 local time", s.day_start_hour),
        ),
        (
            "desired retention",
            format!("{:.0}%", s.desired_retention * 100.0),
        ),
        ("maximum interval", format!("{} days", s.maximum_interval)),
        ("learning steps", format_steps(&s.learning_steps)),
        ("relearning steps", format_steps(&s.relearning_steps)),
        (
            "interval fuzz",
            if s.fuzz { "on" } else { "off" }.to_string(),
        ),
    ];
    for (name, value) in rows {
        writeln!(out, "{name:<18} {value}")?;
    }
    Ok(ExitCode::SUCCESS)
}
