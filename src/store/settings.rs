//! Settings (one JSON value per key, so settings added later fall back to their defaults) and
//! the FSRS parameters in force, with how they were fitted.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{Result, Store, StoreError, rows};
use crate::srs::{DayClock, Fit, Scheduler, Settings};

/// FSRS parameters saved by `sysdeck optimize`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredParameters {
    pub parameters: Vec<f32>,
    pub fitted_at: Timestamp,
    pub items: usize,
    pub log_loss: Option<f32>,
    pub rmse: Option<f32>,
}

impl Store {
    /// The learner's settings: each stored one that can be used, the default for the rest. A
    /// stored value that cannot be used (a damaged or hand-edited row) keeps its default and is
    /// named in [`Store::warnings`].
    pub fn settings(&self) -> Result<Settings> {
        let (settings, bad) = merged(&self.stored_settings()?);
        for (key, why) in bad {
            self.skipped.note(format!(
                "the stored setting {key} cannot be used ({why}); its default is used"
            ));
        }
        Ok(settings)
    }

    /// The settings table's rows whose key and value are text.
    pub(crate) fn stored_settings(&self) -> Result<Vec<(String, String)>> {
        let ctx = "reading settings";
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM settings ORDER BY key")
            .map_err(|e| StoreError::sql(ctx, e))?;
        let rows = stmt
            .query_map([], |r| Ok(rows::text_of(r, 0).zip(rows::text_of(r, 1))))
            .map_err(|e| StoreError::sql(ctx, e))?;
        let mut out = Vec::new();
        for row in rows {
            out.extend(row.map_err(|e| StoreError::sql(ctx, e))?);
        }
        Ok(out)
    }

    /// Saves every setting (validated first).
    pub fn save_settings(&mut self, settings: &Settings) -> Result<()> {
        let what = "the change to your settings";
        settings
            .validate()
            .map_err(|e| StoreError::srs(format!("{what} was not saved"), e))?;
        self.save(what, |tx| {
            put_settings(tx, settings)?;
            Ok(())
        })
    }

    /// The fitted parameters in force: the latest stored fit the scheduler accepts. A newer
    /// row that cannot be used is named in [`Store::warnings`] and passed over.
    pub fn parameters(&self) -> Result<Option<StoredParameters>> {
        for (id, fit) in self.stored_parameters()? {
            match fit {
                Ok(p) => return Ok(Some(p)),
                Err(why) => self.skipped.note(format!(
                    "the stored FSRS parameters #{id} cannot be used ({why}); an earlier fit or the defaults are used"
                )),
            }
        }
        Ok(None)
    }

    /// Every stored fit, newest first, each read or described.
    pub(crate) fn stored_parameters(&self) -> Result<Vec<(i64, Result<StoredParameters, String>)>> {
        let ctx = "reading FSRS parameters";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, parameters, fitted_at, items, log_loss, rmse FROM fsrs_parameters ORDER BY id DESC",
            )
            .map_err(|e| StoreError::sql(ctx, e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, rows::parameters(r))))
            .map_err(|e| StoreError::sql(ctx, e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| StoreError::sql(ctx, e))
    }

    /// Stores a fit's parameters as the ones in force.
    pub fn save_parameters(&mut self, fit: &Fit, at: Timestamp) -> Result<()> {
        let stored = StoredParameters {
            parameters: fit.parameters.clone(),
            fitted_at: at,
            items: fit.items,
            log_loss: fit.after.map(|e| e.log_loss),
            rmse: fit.after.map(|e| e.rmse),
        };
        self.save("the fit of your parameters", |tx| {
            put_parameters(tx, &stored)?;
            Ok(())
        })
    }

    /// A scheduler from the stored settings and parameters, with days in `tz`.
    pub fn scheduler(&self, tz: TimeZone) -> Result<Scheduler> {
        let settings = self.settings()?;
        let params = self.parameters()?.map(|p| p.parameters).unwrap_or_default();
        let clock = DayClock::new(tz, settings.day_start_hour);
        Scheduler::new(&params, settings, clock)
            .map_err(|e| StoreError::srs("loading the scheduler from the store", e))
    }
}

/// Writes every setting, one JSON value per key.
pub(super) fn put_settings(conn: &Connection, settings: &Settings) -> rusqlite::Result<()> {
    for (key, value) in as_map(settings) {
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            params![key, value.to_string()],
        )?;
    }
    Ok(())
}

/// Adds parameters as the ones in force (the latest row is).
pub(super) fn put_parameters(conn: &Connection, p: &StoredParameters) -> rusqlite::Result<()> {
    let json = serde_json::to_string(&p.parameters).unwrap_or_default();
    conn.execute(
        "INSERT INTO fsrs_parameters (parameters, fitted_at, items, log_loss, rmse) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            json,
            p.fitted_at.as_millisecond(),
            i64::try_from(p.items).unwrap_or(i64::MAX),
            p.log_loss.map(f64::from),
            p.rmse.map(f64::from),
        ],
    )?;
    Ok(())
}

/// `settings` as a JSON object, one entry per setting.
fn as_map(settings: &Settings) -> Map<String, Value> {
    match serde_json::to_value(settings) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// Settings from stored `(key, JSON value)` rows. Each known key is checked alone on top of the
/// defaults, so a bad value costs only its own setting: it keeps its default and is returned
/// with the reason. Unknown keys (a newer sysdeck's settings) are ignored.
pub(crate) fn merged(rows: &[(String, String)]) -> (Settings, Vec<(String, String)>) {
    let defaults = as_map(&Settings::default());
    let mut merged = defaults.clone();
    let mut bad = Vec::new();
    for (key, text) in rows {
        if !defaults.contains_key(key) {
            continue;
        }
        let checked = serde_json::from_str::<Value>(text)
            .map_err(|e| format!("not JSON: {e}"))
            .and_then(|value| {
                let mut alone = defaults.clone();
                alone.insert(key.clone(), value.clone());
                let settings: Settings =
                    serde_json::from_value(Value::Object(alone)).map_err(|e| e.to_string())?;
                match settings.problems().into_iter().find(|p| p.field == key) {
                    Some(p) => Err(p.problem),
                    None => Ok(value),
                }
            });
        match checked {
            Ok(value) => {
                merged.insert(key.clone(), value);
            }
            Err(why) => bad.push((key.clone(), why)),
        }
    }
    let settings = serde_json::from_value(Value::Object(merged)).unwrap_or_default();
    (settings, bad)
}
