//! Dashboard figures: a number property's statistics and a line chart's
//! points, over the rows the caller's compiled condition allows.

use super::{bind_all, with_pool, Store, StoreError};
use crate::query::aggregate::{
    compile_earliest, compile_nth_number, compile_number_stats, compile_time_points, TimeKey,
    TimePoints, WidgetRows,
};

/// A number property over some entities (`count` = entities with a number).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NumberStats {
    pub count: i64,
    pub sum: Option<f64>,
    pub average: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// One entity on a line chart: its time as stored (ISO text), its value
/// and the value naming its line.
pub type TimePoint = (Option<String>, Option<f64>, Option<String>);

impl Store {
    pub async fn number_stats(
        &self,
        rows: &WidgetRows<'_>,
        key: &str,
    ) -> Result<NumberStats, StoreError> {
        let sql = compile_number_stats(self.dialect(), rows, key);
        self.log_plan(&sql).await;
        type Row = (i64, Option<f64>, Option<f64>, Option<f64>, Option<f64>);
        let (count, sum, average, min, max): Row = with_pool!(self, pool => {
            bind_all!(sqlx::query_as::<_, Row>(&sql.text), &sql.binds).fetch_one(pool).await?
        });
        Ok(NumberStats {
            count,
            sum,
            average,
            min,
            max,
        })
    }

    /// The median of a number property over `count` values (from
    /// `number_stats`): the middle one, or the mean of the middle two.
    pub async fn median(
        &self,
        rows: &WidgetRows<'_>,
        key: &str,
        count: i64,
    ) -> Result<Option<f64>, StoreError> {
        if count == 0 {
            return Ok(None);
        }
        let mut middle = Vec::new();
        let offsets = if count % 2 == 1 {
            vec![count / 2]
        } else {
            vec![count / 2 - 1, count / 2]
        };
        for offset in offsets {
            let sql = compile_nth_number(self.dialect(), rows, key, offset);
            let value: Option<(Option<f64>,)> = with_pool!(self, pool => {
                bind_all!(sqlx::query_as::<_, (Option<f64>,)>(&sql.text), &sql.binds)
                    .fetch_optional(pool)
                    .await?
            });
            middle.extend(value.and_then(|(v,)| v));
        }
        Ok((!middle.is_empty()).then(|| middle.iter().sum::<f64>() / middle.len() as f64))
    }

    /// The earliest time on an axis among the rows (ISO text), if any.
    pub async fn earliest_time(
        &self,
        rows: &WidgetRows<'_>,
        time: &TimeKey,
    ) -> Result<Option<String>, StoreError> {
        let sql = compile_earliest(self.dialect(), rows, time);
        let (earliest,): (Option<String>,) = with_pool!(self, pool => {
            bind_all!(sqlx::query_as::<_, (Option<String>,)>(&sql.text), &sql.binds)
                .fetch_one(pool)
                .await?
        });
        Ok(earliest)
    }

    pub async fn time_points(
        &self,
        rows: &WidgetRows<'_>,
        points: &TimePoints<'_>,
    ) -> Result<Vec<TimePoint>, StoreError> {
        let sql = compile_time_points(self.dialect(), rows, points);
        self.log_plan(&sql).await;
        let found: Vec<TimePoint> = with_pool!(self, pool => {
            bind_all!(sqlx::query_as::<_, TimePoint>(&sql.text), &sql.binds)
                .fetch_all(pool)
                .await?
        });
        Ok(found)
    }
}
