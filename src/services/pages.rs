//! Pages: the ones a subject may read (the sidebar, links to a
//! blueprint's catalog page), creating and deleting them. A catalog page is over a
//! blueprint (any number per blueprint, each with its own initial filter);
//! a dashboard holds widgets. Admins create and delete any; a blueprint's
//! moderators those over their blueprint.

use crate::authz::{may_configure_page, may_create_page, may_read_page, require};
use crate::model::identifier::validate_entity_identifier;
use crate::model::query::{Combinator, Query, Rule};
use crate::model::{AppError, Page, PagePermissions, PageType, Subject};
use crate::services::access::filter_on;
use crate::services::access::require_or_record;
use crate::services::blueprints::blueprint;
use crate::store::Store;

/// Creates `page` (Port's page JSON), checked first: identifier, the
/// blueprint of a catalog page, and its initial filter on that blueprint.
pub async fn create_page(store: &Store, subject: &Subject, page: Page) -> Result<Page, AppError> {
    create(store, subject, page, None).await
}

/// `create_page`, for a page made from `copied_from`'s permissions.
async fn create(
    store: &Store,
    subject: &Subject,
    page: Page,
    copied_from: Option<&PagePermissions>,
) -> Result<Page, AppError> {
    require_or_record(
        store,
        subject,
        may_create_page(subject, &page, copied_from),
        "page",
        "CREATE",
        page.blueprint.as_deref(),
        Some(&page.identifier),
    )
    .await?;
    validate_entity_identifier(&page.identifier)
        .map_err(|e| AppError::Invalid(format!("identifier: {e}")))?;
    if page.title.trim().is_empty() {
        return Err(AppError::Invalid("title: give the page a title".into()));
    }
    match (page.kind, page.blueprint.as_deref()) {
        (PageType::BlueprintEntities, None) => {
            return Err(AppError::Invalid(
                "blueprint: a catalog page (`blueprint-entities`) names the blueprint it lists"
                    .into(),
            ))
        }
        (PageType::BlueprintEntities, Some(id)) => {
            let blueprint = blueprint(store, id).await?;
            if let Some(dataset) = &page.dataset {
                dataset
                    .check_limits()
                    .map_err(|e| AppError::Invalid(format!("dataset: {e}")))?;
                filter_on(store, subject, &blueprint, dataset)
                    .map_err(|e| AppError::Invalid(format!("dataset: {}", e.message())))?;
            }
        }
        (PageType::Dashboard, _) => {}
    }
    if let Some(parent) = &page.parent {
        if !store
            .list_folders()
            .await?
            .iter()
            .any(|f| &f.identifier == parent)
        {
            return Err(AppError::NotFound(format!(
                "there is no folder `{parent}` to put the page in"
            )));
        }
    }
    store.create_page(&page, &subject.audit_name()).await?;
    Ok(page)
}

/// The pages `subject` may read, in sidebar order, as they are shown to
/// them (see `as_shown`).
pub async fn readable_pages(store: &Store, subject: &Subject) -> Result<Vec<Page>, AppError> {
    Ok(store
        .list_pages()
        .await?
        .into_iter()
        .filter(|page| may_read_page(subject, page).allowed)
        .map(|page| as_shown(subject, page))
        .collect())
}

/// One page as `subject` is shown it (`GET /v1/pages/{id}`).
pub async fn shown_page(store: &Store, subject: &Subject, id: &str) -> Result<Page, AppError> {
    Ok(as_shown(subject, readable_page(store, subject, id).await?))
}

/// A page's initial filter is shown only to those who may change it:
/// viewers are not told what it hides from them (the filter itself
/// applies to their reads all the same).
fn as_shown(subject: &Subject, mut page: Page) -> Page {
    if !may_configure_page(subject, &page).allowed {
        page.dataset = None;
    }
    page
}

/// The first catalog page showing a blueprint's entities.
pub(crate) fn catalog_page_in(pages: &[Page], blueprint: &str) -> Option<String> {
    pages
        .iter()
        .find(|p| {
            p.kind == PageType::BlueprintEntities && p.blueprint.as_deref() == Some(blueprint)
        })
        .map(Page::href)
}

/// The first catalog page of a blueprint that `subject` may read.
pub async fn catalog_href(
    store: &Store,
    subject: &Subject,
    blueprint: &str,
) -> Result<Option<String>, AppError> {
    Ok(catalog_page_in(
        &readable_pages(store, subject).await?,
        blueprint,
    ))
}

/// A page `subject` may read, or 404 / 403 saying why not.
pub(crate) async fn page_for(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    kind: PageType,
) -> Result<Page, AppError> {
    let not_found = || {
        AppError::NotFound(match kind {
            PageType::BlueprintEntities => format!("there is no catalog page `{page_id}`"),
            PageType::Dashboard => format!("there is no dashboard `{page_id}`"),
        })
    };
    let page = readable_page(store, subject, page_id)
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => not_found(),
            other => other,
        })?;
    if page.kind != kind {
        return Err(not_found());
    }
    Ok(page)
}

/// One page, if `subject` may read it.
pub async fn readable_page(store: &Store, subject: &Subject, id: &str) -> Result<Page, AppError> {
    let page = existing(store, id).await?;
    require(subject, may_read_page(subject, &page))?;
    Ok(page)
}

/// Deletes a page: admins any, a blueprint's moderators its catalog pages.
/// The entities it listed stay; people's saved views of it go.
pub async fn delete_page(store: &Store, subject: &Subject, id: &str) -> Result<(), AppError> {
    let page = existing(store, id).await?;
    require_or_record(
        store,
        subject,
        may_configure_page(subject, &page),
        "page",
        "DELETE",
        page.blueprint.as_deref(),
        Some(&page.identifier),
    )
    .await?;
    if page.identifier == crate::model::page::HOME_PAGE {
        return Err(AppError::Conflict(
            "the home dashboard cannot be deleted; edit its widgets instead".into(),
        ));
    }
    if !store.delete_page(&page, &subject.audit_name()).await? {
        return Err(not_found(id));
    }
    Ok(())
}

/// A stored page, or 404 naming it.
pub(crate) async fn existing(store: &Store, id: &str) -> Result<Page, AppError> {
    store.get_page(id).await?.ok_or_else(|| not_found(id))
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("there is no page `{id}`"))
}

/// A new catalog page showing what `source` shows through `filter` (its
/// own initial filter and this one, both kept): "save this view as a page".
/// Answers the new page's URL.
pub async fn create_page_from_view(
    store: &Store,
    subject: &Subject,
    source: &str,
    title: &str,
    filter: Option<Query>,
) -> Result<String, AppError> {
    let source = page_for(store, subject, source, PageType::BlueprintEntities).await?;
    let identifier = slug(title);
    if identifier.is_empty() {
        return Err(AppError::Invalid(
            "title: give the page a title with letters or digits".into(),
        ));
    }
    let dataset = match (source.dataset.clone(), filter) {
        (Some(a), Some(b)) => Some(Query {
            combinator: Combinator::And,
            rules: vec![Rule::Group(a), Rule::Group(b)],
        }),
        (a, b) => a.or(b),
    };
    let copied_from = source.permissions.clone();
    let page = Page {
        identifier,
        title: title.trim().to_string(),
        description: None,
        widgets: Vec::new(),
        view: None,
        dataset,
        ..source
    };
    let page = create(store, subject, page, Some(&copied_from)).await?;
    Ok(page.href())
}

/// `Production services!` → `production-services`.
pub(crate) fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn titles_become_url_identifiers() {
        assert_eq!(super::slug("Production services!"), "production-services");
        assert_eq!(super::slug("  Été 2026 / EU  "), "t-2026-eu");
        assert_eq!(super::slug("???"), "");
    }
}
