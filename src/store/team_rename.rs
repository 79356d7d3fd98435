//! Renaming a team, inside the transaction of the team's change: a team is
//! known by its name everywhere (memberships, the teams entities list and
//! inherit, permission grants, `$team` rules in page filters, saved views,
//! read policies and widget datasets), so each of those follows the new
//! name in the same transaction, or none does.
//!
//! Memberships follow by their foreign key (`ON UPDATE CASCADE`); the
//! documents are rewritten by `model::directory::rename_team_in`, the one
//! place that knows where a team's name can appear in them.

/// Renames team `$from` to `$to` in transaction `$tx`; a taken name is a
/// conflict that changes nothing.
macro_rules! rename_team {
    ($tx:expr, $from:expr, $to:expr) => {{
        use serde_json::Value;
        use sqlx::types::Json;
        use $crate::model::directory::{rename_in_list, rename_team_in};
        use $crate::store::OnConflict;
        let (from, to): (&str, &str) = ($from, $to);
        sqlx::query("UPDATE teams SET name = $2 WHERE name = $1")
            .bind(from)
            .bind(to)
            .execute(&mut *$tx)
            .await
            .on_conflict(|| format!("team name `{to}` is already taken"))?;
        // The entities' own team lists, before their effective teams move.
        let owned: Vec<(i64, Json<Vec<String>>)> = sqlx::query_as(
            "SELECT id, teams FROM entities WHERE id IN \
             (SELECT entity_id FROM entity_teams WHERE team = $1)",
        )
        .bind(from)
        .fetch_all(&mut *$tx)
        .await?;
        for (id, Json(mut teams)) in owned {
            if rename_in_list(&mut teams, from, to) {
                sqlx::query("UPDATE entities SET teams = $2 WHERE id = $1")
                    .bind(id)
                    .bind(Json(&teams))
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        sqlx::query("UPDATE entity_teams SET team = $2 WHERE team = $1")
            .bind(from)
            .bind(to)
            .execute(&mut *$tx)
            .await?;
        let grants: Vec<(String, Json<Value>)> = sqlx::query_as(
            "SELECT identifier, permissions FROM blueprints WHERE permissions IS NOT NULL",
        )
        .fetch_all(&mut *$tx)
        .await?;
        for (blueprint, Json(mut permissions)) in grants {
            if rename_team_in(&mut permissions, from, to) {
                sqlx::query("UPDATE blueprints SET permissions = $2 WHERE identifier = $1")
                    .bind(&blueprint)
                    .bind(Json(&permissions))
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        let pages: Vec<(String, Json<Value>)> =
            sqlx::query_as("SELECT identifier, definition FROM pages")
                .fetch_all(&mut *$tx)
                .await?;
        for (page, Json(mut definition)) in pages {
            if rename_team_in(&mut definition, from, to) {
                sqlx::query("UPDATE pages SET definition = $2 WHERE identifier = $1")
                    .bind(&page)
                    .bind(Json(&definition))
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        let views: Vec<(String, String, String, Json<Value>)> =
            sqlx::query_as("SELECT page, owner, name, definition FROM saved_views")
                .fetch_all(&mut *$tx)
                .await?;
        for (page, owner, name, Json(mut definition)) in views {
            if rename_team_in(&mut definition, from, to) {
                sqlx::query(
                    "UPDATE saved_views SET definition = $4 \
                     WHERE page = $1 AND owner = $2 AND name = $3",
                )
                .bind(&page)
                .bind(&owner)
                .bind(&name)
                .bind(Json(&definition))
                .execute(&mut *$tx)
                .await?;
            }
        }
    }};
}
pub(crate) use rename_team;
