//! Entity search with the query language (search.md): across blueprints,
//! or within one with keyset paging.

use crate::model::query::Query;
use crate::model::{AppError, Entity, Subject};
use crate::query::{compile_filter, Scope, Sql, Viewer};
use crate::services::access;
use crate::store::Store;
use chrono::Utc;

/// Most entities one unpaginated search returns (Port's tables stop at 100k).
pub const MAX_SEARCH_RESULTS: i64 = 100_000;
/// Port's page size bounds for the per-blueprint search.
pub const DEFAULT_PAGE: i64 = 200;
pub const MAX_PAGE: i64 = 1000;

fn invalid(e: crate::model::query::QueryError) -> AppError {
    AppError::Invalid(format!("invalid query: {e}"))
}

/// `POST /v1/entities/search`: every matching entity the subject may
/// read, and the blueprints they belong to.
pub async fn search(
    store: &Store,
    subject: &Subject,
    query: &Query,
) -> Result<(Vec<String>, Vec<Entity>), AppError> {
    let blueprints = store.list_blueprints().await?;
    let viewer = Viewer::of(subject);
    let scope = Scope {
        blueprints: &blueprints,
        single: None,
        viewer: &viewer,
        now: Utc::now(),
    };
    // The query as sent is checked first, so its errors name its own paths.
    compile_filter(store.dialect(), query, &scope).map_err(invalid)?;
    let scopes = access::read_scopes(store, subject, &blueprints).await?;
    let Some(narrowed) = access::narrow(query, &scopes) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let condition = compile_filter(store.dialect(), &narrowed, &scope).map_err(invalid)?;
    let entities = store
        .search_entities(condition, None, None, MAX_SEARCH_RESULTS + 1)
        .await?;
    if entities.len() as i64 > MAX_SEARCH_RESULTS {
        return Err(AppError::Invalid(format!(
            "the query matches more than {MAX_SEARCH_RESULTS} entities; narrow it, or page with POST /v1/blueprints/{{blueprint}}/entities/search"
        )));
    }
    let mut matching: Vec<String> = Vec::new();
    for e in &entities {
        if matching.last() != Some(&e.blueprint) {
            matching.push(e.blueprint.clone());
        }
    }
    Ok((matching, entities))
}

/// Opaque cursors: the last identifier of a page, hex-encoded.
fn encode_cursor(identifier: &str) -> String {
    identifier.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_cursor(cursor: &str) -> Option<String> {
    if !cursor.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

/// `POST /v1/blueprints/{bp}/entities/search`: one page and the cursor of
/// the next, if there is one.
pub async fn search_blueprint(
    store: &Store,
    subject: &Subject,
    blueprint: &str,
    query: Option<&Query>,
    limit: Option<i64>,
    from: Option<&str>,
) -> Result<(Vec<Entity>, Option<String>), AppError> {
    let bp = store
        .get_blueprint(blueprint)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no blueprint `{blueprint}`")))?;
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::Invalid(format!(
            "`limit` must be between 1 and {MAX_PAGE}, not {limit}"
        )));
    }
    let after = match from {
        None | Some("") => None,
        Some(c) => Some(decode_cursor(c).ok_or_else(|| {
            AppError::BadRequest(
                "`from` is not a cursor this server issued; pass the `next` of the previous page"
                    .into(),
            )
        })?),
    };
    let restriction = access::read_restriction(store, subject, &bp).await?;
    let viewer = Viewer::of(subject);
    let blueprints = [bp];
    let scope = Scope {
        blueprints: &blueprints,
        single: Some(blueprint),
        viewer: &viewer,
        now: Utc::now(),
    };
    let all = Query::all();
    let mut condition =
        compile_filter(store.dialect(), query.unwrap_or(&all), &scope).map_err(invalid)?;
    if let Some(restriction) = restriction {
        let mut both = Sql::default();
        both.push("(")
            .push_sql(&condition)
            .push(") AND (")
            .push_sql(&restriction)
            .push(")");
        condition = both;
    }
    let mut entities = store
        .search_entities(condition, Some(blueprint), after.as_deref(), limit + 1)
        .await?;
    let next = if entities.len() as i64 > limit {
        entities.truncate(limit as usize);
        entities.last().map(|e| encode_cursor(&e.identifier))
    } else {
        None
    };
    Ok((entities, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        for id in ["cart-api", "ünïcode/x=1", ""] {
            assert_eq!(decode_cursor(&encode_cursor(id)).as_deref(), Some(id));
        }
        assert_eq!(decode_cursor("zz"), None);
        assert_eq!(decode_cursor("abc"), None);
    }
}
