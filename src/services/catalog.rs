//! Reading the catalog: blueprints, catalog pages with their tables, and
//! entity pages.

use crate::model::{
    AppError, Blueprint, BlueprintSummary, CatalogPageData, EntityPageData, EntitySort, HomeData,
    Page, PageType, SidebarItem,
};
use crate::query::EntityListing;
use crate::store::Store;

/// Rows per catalog table page.
pub const PAGE_SIZE: i64 = 50;

/// Meta properties a table can sort on.
const SORTABLE_META: [&str; 4] = ["$title", "$identifier", "$updatedAt", "$createdAt"];

pub async fn sidebar(store: &Store) -> Result<Vec<SidebarItem>, AppError> {
    Ok(store
        .list_pages()
        .await?
        .into_iter()
        .map(|page| SidebarItem {
            href: page.href(),
            identifier: page.identifier,
            title: page.title,
            icon: page.icon,
            kind: page.kind,
        })
        .collect())
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

async fn catalog_page_of(store: &Store, blueprint: &str) -> Result<Option<String>, AppError> {
    Ok(catalog_page_in(&store.list_pages().await?, blueprint))
}

pub async fn home(store: &Store) -> Result<HomeData, AppError> {
    let pages = store.list_pages().await?;
    let mut blueprints = Vec::new();
    for bp in store.list_blueprints().await? {
        let href = catalog_page_in(&pages, &bp.identifier);
        blueprints.push(BlueprintSummary {
            entities: store.count_entities(&bp.identifier).await?,
            identifier: bp.identifier,
            title: bp.title,
            icon: bp.icon,
            description: bp.description,
            href,
        });
    }
    Ok(HomeData {
        blueprints,
        teams: store.count_teams().await?,
        users: store.count_users().await?,
    })
}

pub async fn blueprints(store: &Store) -> Result<Vec<Blueprint>, AppError> {
    Ok(store.list_blueprints().await?)
}

pub async fn blueprint(store: &Store, identifier: &str) -> Result<Blueprint, AppError> {
    store
        .get_blueprint(identifier)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no blueprint `{identifier}`")))
}

/// Checks that a table may be sorted by `sort` on this blueprint.
fn validate_sort(blueprint: &Blueprint, sort: &EntitySort) -> Result<(), AppError> {
    let key = sort.property.as_str();
    if SORTABLE_META.contains(&key) || blueprint.schema.properties.contains_key(key) {
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "cannot sort by `{key}`: blueprint `{}` has no such property (use a property key or one of {})",
            blueprint.identifier,
            SORTABLE_META.join(", ")
        )))
    }
}

/// A catalog page with one page of its table.
pub async fn catalog_page(
    store: &Store,
    page_id: &str,
    sort: &str,
    search: &str,
    offset: i64,
) -> Result<CatalogPageData, AppError> {
    let page = store
        .get_page(page_id)
        .await?
        .filter(|p| p.kind == PageType::BlueprintEntities)
        .ok_or_else(|| AppError::NotFound(format!("there is no catalog page `{page_id}`")))?;
    let blueprint_id = page.blueprint.clone().ok_or_else(|| {
        AppError::Internal(format!("catalog page `{page_id}` names no blueprint"))
    })?;
    let blueprint = blueprint(store, &blueprint_id).await?;
    let sort = EntitySort::from_url(sort);
    validate_sort(&blueprint, &sort)?;
    if offset < 0 {
        return Err(AppError::BadRequest(
            "the row offset cannot be negative".into(),
        ));
    }
    let search = search.trim().to_string();
    let list = store
        .list_entities(&EntityListing {
            blueprint: blueprint_id,
            search: Some(search.clone()).filter(|s| !s.is_empty()),
            sort: sort.clone(),
            offset,
            limit: PAGE_SIZE,
        })
        .await?;
    Ok(CatalogPageData {
        page,
        blueprint,
        list,
        sort,
        search,
    })
}

/// An entity with its blueprint and the entities that point at it.
pub async fn entity_page(
    store: &Store,
    blueprint_id: &str,
    identifier: &str,
) -> Result<EntityPageData, AppError> {
    let blueprint = blueprint(store, blueprint_id).await?;
    let entity = store
        .get_entity(blueprint_id, identifier)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "there is no {} `{identifier}`",
                blueprint.title.to_lowercase()
            ))
        })?;
    let referenced_by = store.entities_referencing(blueprint_id, identifier).await?;
    let catalog_href = catalog_page_of(store, blueprint_id).await?;
    Ok(EntityPageData {
        entity,
        blueprint,
        catalog_href,
        referenced_by,
    })
}
