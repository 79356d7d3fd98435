//! Figures over a blueprint's entities for dashboard widgets: a number
//! property's count, sum, average, minimum, maximum and median, and the
//! (time, value, group) points a line chart buckets. Every query reads only
//! the rows a condition allows (what the viewer may read, the widget's
//! filter and the page's), passed in compiled.

use super::{Bind, Dialect, Sql};
use chrono::{DateTime, Utc};

/// The rows a widget reads: a blueprint's entities meeting `condition`.
pub struct WidgetRows<'a> {
    pub blueprint: &'a str,
    pub condition: Option<&'a Sql>,
}

impl WidgetRows<'_> {
    fn push_from(&self, sql: &mut Sql) {
        sql.push(" FROM entities e WHERE e.blueprint = ")
            .push_bind(Bind::Text(self.blueprint.to_string()));
        if let Some(condition) = self.condition {
            sql.push(" AND (").push_sql(condition).push(")");
        }
    }
}

/// A time axis: an entity's creation or last update, or a date-time property.
#[derive(Clone, Debug, PartialEq)]
pub enum TimeKey {
    Created,
    Updated,
    Property(String),
}

impl TimeKey {
    /// `$createdAt`, `$updatedAt`, or a property (`key` or Port's `property#key`).
    pub fn parse(key: &str) -> TimeKey {
        let key = key.strip_prefix("property#").unwrap_or(key);
        match key {
            "" | "$createdAt" => TimeKey::Created,
            "$updatedAt" => TimeKey::Updated,
            other => TimeKey::Property(other.to_string()),
        }
    }

    /// The time as ISO text on both databases.
    fn push_text(&self, dialect: Dialect, sql: &mut Sql) {
        let column = match self {
            TimeKey::Created => "e.created_at",
            TimeKey::Updated => "e.updated_at",
            TimeKey::Property(key) => return dialect.push_property_text(sql, key),
        };
        match dialect {
            Dialect::Sqlite => sql.push(column),
            Dialect::Postgres => sql
                .push("to_char(")
                .push(column)
                .push(" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"),
        };
    }
}

/// `SELECT count, sum, average, min, max` of a number property (entities
/// without a number there are left out). The sums come back as double on
/// both databases: SQLite would sum integers as an integer.
pub fn compile_number_stats(dialect: Dialect, rows: &WidgetRows, key: &str) -> Sql {
    let mut sql = Sql::default();
    sql.push(
        "SELECT COUNT(x), CAST(SUM(x) AS DOUBLE PRECISION), CAST(AVG(x) AS DOUBLE PRECISION), \
         CAST(MIN(x) AS DOUBLE PRECISION), CAST(MAX(x) AS DOUBLE PRECISION) FROM (SELECT ",
    );
    dialect.push_property_number(&mut sql, key);
    sql.push(" AS x");
    rows.push_from(&mut sql);
    sql.push(") numbers WHERE x IS NOT NULL");
    sql
}

/// The `offset`-th smallest value of a number property (for a median).
pub fn compile_nth_number(dialect: Dialect, rows: &WidgetRows, key: &str, offset: i64) -> Sql {
    let mut sql = Sql::default();
    sql.push("SELECT CAST(x AS DOUBLE PRECISION) FROM (SELECT ");
    dialect.push_property_number(&mut sql, key);
    sql.push(" AS x");
    rows.push_from(&mut sql);
    sql.push(") numbers WHERE x IS NOT NULL ORDER BY x LIMIT 1 OFFSET ")
        .push_bind(Bind::Int(offset));
    sql
}

/// The earliest time on an axis among the rows, as ISO text.
pub fn compile_earliest(dialect: Dialect, rows: &WidgetRows, time: &TimeKey) -> Sql {
    let mut sql = Sql::default();
    sql.push("SELECT MIN(t) FROM (SELECT ");
    time.push_text(dialect, &mut sql);
    sql.push(" AS t");
    rows.push_from(&mut sql);
    sql.push(") times");
    sql
}

/// What a line chart plots.
pub struct TimePoints<'a> {
    pub time: &'a TimeKey,
    /// A number property whose value each point carries; `None` to count.
    pub value: Option<&'a str>,
    /// A property whose value names each point's line.
    pub group: Option<&'a str>,
    /// Only points at or after this instant (meta times only: a property's
    /// text is compared after parsing).
    pub since: Option<DateTime<Utc>>,
    pub limit: i64,
}

/// `SELECT time, value, group` per entity, as text, number and text.
pub fn compile_time_points(dialect: Dialect, rows: &WidgetRows, points: &TimePoints) -> Sql {
    let mut sql = Sql::default();
    sql.push("SELECT ");
    points.time.push_text(dialect, &mut sql);
    sql.push(", ");
    match points.value {
        Some(key) => {
            sql.push("CAST(");
            dialect.push_property_number(&mut sql, key);
            sql.push(" AS DOUBLE PRECISION)");
        }
        None => {
            sql.push("CAST(NULL AS DOUBLE PRECISION)");
        }
    }
    sql.push(", ");
    match points.group {
        Some(key) => dialect.push_property_as_text(&mut sql, key),
        None => {
            sql.push("CAST(NULL AS TEXT)");
        }
    }
    rows.push_from(&mut sql);
    match (points.time, points.since) {
        (TimeKey::Created, Some(since)) => {
            sql.push(" AND e.created_at >= ")
                .push_bind(Bind::Time(since));
        }
        (TimeKey::Updated, Some(since)) => {
            sql.push(" AND e.updated_at >= ")
                .push_bind(Bind::Time(since));
        }
        (TimeKey::Property(key), Some(since)) => {
            // ISO text sorts as time; a day's margin covers values written
            // with another offset. The caller drops what is still too old.
            sql.push(" AND ");
            dialect.push_property_text(&mut sql, key);
            sql.push(" >= ").push_bind(Bind::Text(
                (since - chrono::Duration::days(1))
                    .format("%Y-%m-%d")
                    .to_string(),
            ));
        }
        (_, None) => {}
    }
    sql.push(" LIMIT ").push_bind(Bind::Int(points.limit));
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_keys_are_bound_never_spliced() {
        let evil = "x'; DROP TABLE entities; --";
        let rows = WidgetRows {
            blueprint: evil,
            condition: None,
        };
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            let stats = compile_number_stats(dialect, &rows, "cost");
            assert!(!stats.text.contains("DROP"), "{}", stats.text);
            let time = TimeKey::Property(evil.into());
            let points = compile_time_points(
                dialect,
                &rows,
                &TimePoints {
                    time: &time,
                    value: Some("cost"),
                    group: Some("tier"),
                    since: None,
                    limit: 10,
                },
            );
            assert!(!points.text.contains("DROP"), "{}", points.text);
        }
    }
}
