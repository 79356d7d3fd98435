//! Widgets that show entities and content rather than figures: a table of
//! entities, markdown (written, or an entity's markdown property), an
//! entity card, links, and iframes.

use super::rows::Viewing;
use crate::model::dashboard::config_text as text;
use crate::model::dashboard::{check_url, url_origin};
use crate::model::url::encode_component;
use crate::model::widget::{IframeSignIn, Link, TableRow};
use crate::model::{AppError, Entity, EntitySort, Subject, WidgetData};
use crate::query::EntityListing;
use crate::services::markdown::to_safe_html;
use serde_json::Value;

/// Columns of a widget table unless it names its own (Port's defaults for
/// widget tables).
const DEFAULT_COLUMNS: [&str; 3] = ["$title", "$updatedAt", "$createdAt"];

pub(super) async fn table(viewing: &Viewing<'_>, config: &Value) -> Result<WidgetData, AppError> {
    let rows = viewing.rows(config, true).await?;
    let columns: Vec<String> = match config.get("columns").and_then(Value::as_array) {
        Some(keys) if !keys.is_empty() => keys
            .iter()
            .filter_map(Value::as_str)
            .map(|k| crate::model::dashboard::property_key(k).to_string())
            .collect(),
        _ => DEFAULT_COLUMNS.iter().map(|c| c.to_string()).collect(),
    };
    for column in &columns {
        if !column.starts_with('$') && !rows.blueprint.schema.properties.contains_key(column) {
            return Err(AppError::Invalid(format!(
                "blueprint `{}` has no property `{column}` to show as a column",
                rows.blueprint.identifier
            )));
        }
    }
    let limit = config
        .get("pageSize")
        .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
        .unwrap_or(10)
        .clamp(1, 100);
    let id = crate::model::dashboard::widget_id(config).unwrap_or_default();
    let state = viewing.tables.get(id).cloned().unwrap_or_default();
    let sort = if state.sort.is_empty() {
        "-$updatedAt".to_string()
    } else {
        state.sort.clone()
    };
    let sort_key = sort.trim_start_matches('-');
    if !sort_key.starts_with('$') && !rows.blueprint.schema.properties.contains_key(sort_key) {
        return Err(AppError::Invalid(format!(
            "blueprint `{}` has no property `{sort_key}` to sort by",
            rows.blueprint.identifier
        )));
    }
    let search = state.search.trim().to_string();
    let list = viewing
        .store
        .list_entities(&EntityListing {
            blueprint: rows.blueprint.identifier.clone(),
            search: (!search.is_empty()).then(|| search.clone()),
            sort: EntitySort::from_url(&sort),
            offset: state.offset.max(0),
            limit,
            restriction: rows.condition.clone(),
            group_by: None,
        })
        .await?;
    let headers = columns
        .iter()
        .map(|key| match key.as_str() {
            "$title" => "Title".to_string(),
            "$identifier" => "Identifier".into(),
            "$updatedAt" => "Last update".into(),
            "$createdAt" => "Created".into(),
            "$team" => "Teams".into(),
            key => rows
                .blueprint
                .schema
                .properties
                .get(key)
                .and_then(|p| p.title.clone())
                .unwrap_or_else(|| key.to_string()),
        })
        .collect();
    Ok(WidgetData::Table {
        columns: headers,
        keys: columns.clone(),
        sort,
        search,
        offset: state.offset.max(0),
        page_size: limit,
        rows: list
            .entities
            .iter()
            .map(|entity| TableRow {
                href: entity_href(entity),
                cells: columns.iter().map(|c| cell(entity, c)).collect(),
            })
            .collect(),
        total: list.total,
        href: viewing.table_href(&rows, None),
        empty_text: empty_text(viewing, config),
    })
}

/// What an empty table says: its own text, or, for someone in no team
/// whose table "My Teams" narrows, why it is empty.
fn empty_text(viewing: &Viewing<'_>, config: &Value) -> Option<String> {
    if let Some(own) = text(config, "emptyStateText") {
        return Some(own.to_string());
    }
    let in_no_team = viewing.subject.email_and_teams().1.is_empty();
    let my_teams = config
        .get("dataset")
        .is_some_and(super::rows::names_my_teams)
        || viewing.filters.use_my_teams();
    (in_no_team && my_teams).then(|| {
        "You are not in any team, so \u{201c}My Teams\u{201d} matches nothing here.".to_string()
    })
}

fn entity_href(entity: &Entity) -> String {
    format!(
        "/entity/{}/{}",
        encode_component(&entity.blueprint),
        encode_component(&entity.identifier)
    )
}

/// One value as short text.
fn cell(entity: &Entity, key: &str) -> String {
    let time = |t: &chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    match key {
        "$title" => entity.display_title().to_string(),
        "$identifier" => entity.identifier.clone(),
        "$updatedAt" => time(&entity.updated_at),
        "$createdAt" => time(&entity.created_at),
        "$team" => entity.team.join(", "),
        key => entity
            .properties
            .get(key)
            .map(value_text)
            .unwrap_or_default(),
    }
}

fn value_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => crate::model::form::utc_minutes(s, ' ')
            .map(|m| format!("{m} UTC"))
            .unwrap_or_else(|| s.clone()),
        Value::Bool(b) => if *b { "Yes" } else { "No" }.into(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Object(_) => value.to_string(),
    }
}

pub(super) async fn markdown(
    viewing: &Viewing<'_>,
    config: &Value,
) -> Result<WidgetData, AppError> {
    if let Some(markdown) = text(config, "markdown") {
        // Only markdown that frames something needs the list of pages.
        let origins = if markdown.to_ascii_lowercase().contains("<iframe") {
            super::origins::frame_origins(&viewing.store.list_pages().await?)
        } else {
            Default::default()
        };
        return Ok(WidgetData::Markdown {
            html: crate::services::markdown::widget_html(markdown, &origins),
        });
    }
    let (Some(blueprint), Some(identifier), Some(property)) = (
        text(config, "blueprint"),
        text(config, "entity"),
        text(config, "property"),
    ) else {
        return Err(AppError::Invalid(
            "it has no markdown and names no entity's markdown property".into(),
        ));
    };
    let entity = crate::services::catalog::readable_entity(
        viewing.store,
        viewing.subject,
        blueprint,
        identifier,
    )
    .await?;
    let key = crate::model::dashboard::property_key(property);
    let markdown = entity
        .properties
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok(WidgetData::Markdown {
        html: to_safe_html(markdown),
    })
}

pub(super) async fn entity_card(
    viewing: &Viewing<'_>,
    config: &Value,
) -> Result<WidgetData, AppError> {
    let blueprint_id = text(config, "blueprint").unwrap_or_default();
    let identifier = text(config, "entity").unwrap_or_default();
    let blueprint = crate::services::blueprints::blueprint(viewing.store, blueprint_id).await?;
    let entity = crate::services::catalog::readable_entity(
        viewing.store,
        viewing.subject,
        blueprint_id,
        identifier,
    )
    .await?;
    let mut fields = vec![
        ("Identifier".to_string(), entity.identifier.clone()),
        ("Teams".to_string(), entity.team.join(", ")),
    ];
    for (key, schema) in &blueprint.schema.properties {
        // Long text has its own tab on the entity page.
        if schema.format.as_deref() == Some("markdown") {
            continue;
        }
        if let Some(value) = entity.properties.get(key).filter(|v| !v.is_null()) {
            fields.push((
                schema.title.clone().unwrap_or_else(|| key.clone()),
                value_text(value),
            ));
        }
    }
    fields.push(("Last update".into(), cell(&entity, "$updatedAt")));
    Ok(WidgetData::EntityCard {
        title: entity.display_title().to_string(),
        href: entity_href(&entity),
        fields,
    })
}

pub(super) fn links(config: &Value) -> WidgetData {
    let links = config
        .get("links")
        .and_then(Value::as_array)
        .map(|links| {
            links
                .iter()
                .filter_map(|link| {
                    let title = text(link, "title")?.to_string();
                    let url = text(link, "url")?.trim().to_string();
                    let internal = url.starts_with('/') && !url.starts_with("//");
                    // Checked when saved; checked again in case it was stored before.
                    (internal || check_url(&url).is_ok()).then_some(Link {
                        title,
                        external: !internal,
                        url,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    WidgetData::Links { links }
}

/// An iframe's address with the viewer's details filled in, and for a
/// protected one what the browser needs to sign in. The server never
/// fetches the address: a widget cannot make it call the internal network.
pub(super) fn iframe(subject: &Subject, config: &Value) -> Result<WidgetData, AppError> {
    let url = fill_user_templates(text(config, "url").unwrap_or_default(), subject);
    check_url(&url).map_err(|e| AppError::Invalid(format!("its URL: {e}")))?;
    let origin = url_origin(&url)
        .ok_or_else(|| AppError::Invalid("its URL has no host that can be framed".into()))?;
    let protected = (text(config, "urlType") == Some("protected")).then(|| IframeSignIn {
        authorization_url: text(config, "authorizationUrl")
            .unwrap_or_default()
            .to_string(),
        token_url: text(config, "tokenUrl").unwrap_or_default().to_string(),
        client_id: text(config, "clientId").unwrap_or_default().to_string(),
        scopes: match config.get("scopes") {
            Some(Value::Array(scopes)) => scopes
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" "),
            Some(Value::String(scopes)) => scopes.clone(),
            _ => String::new(),
        },
    });
    Ok(WidgetData::Iframe {
        src: url,
        origin,
        protected,
    })
}

/// Port's `{{ .user.email }}` templates (spaces inside the braces), each
/// value percent-encoded so it cannot change the URL's shape.
pub(super) fn fill_user_templates(template: &str, subject: &Subject) -> String {
    let (email, name) = match subject {
        Subject::User(user) => (user.email.clone(), user.name.clone()),
        _ => (String::new(), String::new()),
    };
    let mut words = name.split_whitespace();
    let first = words.next().unwrap_or_default().to_string();
    let last = words.collect::<Vec<_>>().join(" ");
    let mut out = template.to_string();
    for (key, value) in [
        ("email", &email),
        ("name", &name),
        ("fullName", &name),
        ("firstName", &first),
        ("lastName", &last),
    ] {
        out = out.replace(&format!("{{{{ .user.{key} }}}}"), &encode_component(value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SignedInUser, UserRole};

    #[test]
    fn user_templates_are_filled_and_encoded() {
        let subject = Subject::User(SignedInUser {
            email: "ada+ops@x.test".into(),
            name: "Ada King Lovelace".into(),
            role: UserRole::Member,
            teams: vec![],
            moderated_blueprints: vec![],
        });
        assert_eq!(
            fill_user_templates("https://g.example/d?u={{ .user.email }}&l={{ .user.lastName }}&f={{ .user.firstName }}", &subject),
            "https://g.example/d?u=ada%2Bops%40x.test&l=King%20Lovelace&f=Ada"
        );
    }

    #[test]
    fn a_stored_script_url_never_reaches_the_page() {
        let config = serde_json::json!({"url": "javascript:alert(1)"});
        assert!(iframe(&Subject::Anonymous, &config).is_err());
        let links = links(
            &serde_json::json!({"links": [{"title": "x", "url": "javascript:alert(1)"}, {"title": "Services", "url": "/catalog/services"}]}),
        );
        assert_eq!(
            links,
            WidgetData::Links {
                links: vec![Link {
                    title: "Services".into(),
                    url: "/catalog/services".into(),
                    external: false
                }]
            }
        );
    }
}
