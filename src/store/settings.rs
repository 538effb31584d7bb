//! Settings (one JSON value per key, so settings added later fall back to their defaults) and
//! the FSRS parameters in force, with how they were fitted.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Result, Store, StoreError};
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
    /// The learner's settings; defaults for any not stored.
    pub fn settings(&self) -> Result<Settings> {
        let ctx = "reading settings";
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM settings")
            .map_err(|e| StoreError::sql(ctx, e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| StoreError::sql(ctx, e))?;
        let mut map = match serde_json::to_value(Settings::default()) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        for row in rows {
            let (key, value) = row.map_err(|e| StoreError::sql(ctx, e))?;
            if let (Some(slot), Ok(v)) = (map.get_mut(&key), serde_json::from_str(&value)) {
                *slot = v;
            }
        }
        serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| {
            StoreError::sql(
                ctx,
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                ),
            )
        })
    }

    /// Saves every setting (validated first).
    pub fn save_settings(&mut self, settings: &Settings) -> Result<()> {
        let ctx = "saving settings";
        settings.validate().map_err(|e| StoreError::srs(ctx, e))?;
        let tx = self.write().map_err(|e| StoreError::sql(ctx, e))?;
        put_settings(&tx, settings).map_err(|e| StoreError::sql(ctx, e))?;
        tx.commit().map_err(|e| StoreError::sql(ctx, e))
    }

    /// The fitted parameters in force, if `optimize` ever stored any.
    pub fn parameters(&self) -> Result<Option<StoredParameters>> {
        let ctx = "reading FSRS parameters";
        let row = self.conn.query_row(
            "SELECT parameters, fitted_at, items, log_loss, rmse FROM fsrs_parameters ORDER BY id DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<f64>>(3)?,
                    r.get::<_, Option<f64>>(4)?,
                ))
            },
        );
        let (json, at, items, loss, rmse) = match row {
            Ok(r) => r,
            Err(rusqlite::Error::QueryReturnedNoRows) => return Ok(None),
            Err(e) => return Err(StoreError::sql(ctx, e)),
        };
        let bad = |e: String| {
            StoreError::sql(
                ctx,
                rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into()),
            )
        };
        Ok(Some(StoredParameters {
            parameters: serde_json::from_str(&json).map_err(|e| bad(e.to_string()))?,
            fitted_at: Timestamp::from_millisecond(at).map_err(|e| bad(e.to_string()))?,
            items: items as usize,
            log_loss: loss.map(|x| x as f32),
            rmse: rmse.map(|x| x as f32),
        }))
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
        put_parameters(&self.conn, &stored)
            .map_err(|e| StoreError::sql("saving FSRS parameters", e))
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
    let map = match serde_json::to_value(settings) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => {
            let why = "the settings do not serialize to a JSON object";
            return Err(rusqlite::Error::ToSqlConversionFailure(why.into()));
        }
    };
    for (key, value) in map {
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
