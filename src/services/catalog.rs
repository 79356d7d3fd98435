//! Reading the catalog: blueprints, catalog pages with their tables, and
//! entity pages.

use crate::authz::{may_read_page, require, ReadScope};
use crate::model::{
    AppError, Blueprint, BlueprintSummary, CatalogPageData, EntityPageData, EntitySort, HomeData,
    Page, PageType, SidebarItem, Subject,
};
use crate::query::EntityListing;
use crate::services::access;
use crate::store::Store;

/// Rows per catalog table page.
pub const PAGE_SIZE: i64 = 50;
/// Changes an entity page lists.
const HISTORY_SHOWN: i64 = 20;

/// Meta properties a table can sort on.
const SORTABLE_META: [&str; 4] = ["$title", "$identifier", "$updatedAt", "$createdAt"];

/// The pages `subject` may read, in sidebar order.
pub async fn sidebar(store: &Store, subject: &Subject) -> Result<Vec<SidebarItem>, AppError> {
    Ok(store
        .list_pages()
        .await?
        .into_iter()
        .filter(|page| may_read_page(subject, page).allowed)
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

/// The pages `subject` may read.
async fn readable_pages(store: &Store, subject: &Subject) -> Result<Vec<Page>, AppError> {
    let mut pages = store.list_pages().await?;
    pages.retain(|p| may_read_page(subject, p).allowed);
    Ok(pages)
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
    let page = store
        .get_page(page_id)
        .await?
        .filter(|p| p.kind == kind)
        .ok_or_else(|| {
            AppError::NotFound(match kind {
                PageType::BlueprintEntities => format!("there is no catalog page `{page_id}`"),
                PageType::Dashboard => format!("there is no dashboard `{page_id}`"),
            })
        })?;
    require(subject, may_read_page(subject, &page))?;
    Ok(page)
}

/// The overview of the blueprints `subject` may read something of, with
/// the number of entities they may read.
pub async fn home(store: &Store, subject: &Subject) -> Result<HomeData, AppError> {
    let pages = readable_pages(store, subject).await?;
    let all = store.list_blueprints().await?;
    let scopes = access::read_scopes(store, subject, &all).await?;
    let mut blueprints = Vec::new();
    for bp in all {
        let href = catalog_page_in(&pages, &bp.identifier);
        let entities = match &scopes[&bp.identifier] {
            ReadScope::Nothing => continue,
            ReadScope::All => store.count_entities(&bp.identifier).await?,
            ReadScope::Only(query) => {
                let restriction = access::compile_for(store, subject, &bp, query)?;
                store
                    .count_entities_where(&bp.identifier, Some(&restriction))
                    .await?
            }
        };
        blueprints.push(BlueprintSummary {
            entities,
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

/// A catalog page with one page of its table: only the rows `subject`
/// may read, and with `mine` only those of the subject's teams ("My
/// Teams": `$team containsAny <their teams>`).
pub async fn catalog_page(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    sort: &str,
    search: &str,
    offset: i64,
    mine: bool,
) -> Result<CatalogPageData, AppError> {
    let page = page_for(store, subject, page_id, PageType::BlueprintEntities).await?;
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
    let permissions = access::permissions_of(store, &blueprint).await?;
    let may_create = crate::authz::may_create_some(subject, &permissions);
    let assignable_teams = match (may_create, subject.role()) {
        (false, _) => Vec::new(),
        (true, Some(crate::model::UserRole::Admin)) => store
            .list_teams()
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect(),
        (true, _) => subject.email_and_teams().1.to_vec(),
    };
    let mut restriction = access::restriction_under(store, subject, &blueprint, &permissions)?;
    if mine {
        let teams = subject.email_and_teams().1.to_vec();
        let own = if teams.is_empty() {
            // Someone in no team owns nothing.
            crate::query::Sql {
                text: "1=0".into(),
                binds: Vec::new(),
            }
        } else {
            let query = crate::model::query::Query {
                combinator: crate::model::query::Combinator::And,
                rules: vec![crate::model::query::Rule::Property {
                    property: crate::model::query::PropertyRef::Meta(
                        crate::model::query::Meta::Team,
                    ),
                    operator: crate::model::query::Operator::ContainsAny,
                    value: Some(crate::model::query::RuleValue::List(teams)),
                }],
            };
            access::compile_for(store, subject, &blueprint, &query)?
        };
        restriction = Some(match restriction {
            None => own,
            Some(readable) => {
                let mut both = crate::query::Sql::default();
                both.push("(")
                    .push_sql(&readable)
                    .push(") AND (")
                    .push_sql(&own)
                    .push(")");
                both
            }
        });
    }
    let list = store
        .list_entities(&EntityListing {
            blueprint: blueprint_id,
            search: Some(search.clone()).filter(|s| !s.is_empty()),
            sort: sort.clone(),
            offset,
            limit: PAGE_SIZE,
            restriction,
        })
        .await?;
    Ok(CatalogPageData {
        page,
        blueprint,
        list,
        sort,
        search,
        may_create,
        assignable_teams,
        mine,
    })
}

/// An entity with its blueprint and the entities that point at it (those
/// `subject` may read).
pub async fn entity_page(
    store: &Store,
    subject: &Subject,
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
    access::require_readable(store, subject, &blueprint, &entity).await?;
    let mut referenced_by = store.entities_referencing(blueprint_id, identifier).await?;
    let all = store.list_blueprints().await?;
    let scopes = access::read_scopes(store, subject, &all).await?;
    if scopes.values().any(|s| *s != ReadScope::All) {
        let mut readable = Vec::with_capacity(referenced_by.len());
        for r in referenced_by {
            let visible = match scopes.get(&r.blueprint) {
                Some(ReadScope::All) => true,
                Some(ReadScope::Only(_)) => {
                    let from = all.iter().find(|b| b.identifier == r.blueprint);
                    match (from, store.get_entity(&r.blueprint, &r.identifier).await?) {
                        (Some(from), Some(e)) => access::require_readable(store, subject, from, &e)
                            .await
                            .is_ok(),
                        _ => false,
                    }
                }
                _ => false,
            };
            if visible {
                readable.push(r);
            }
        }
        referenced_by = readable;
    }
    let catalog_href = catalog_href(store, subject, blueprint_id).await?;
    let permissions = access::permissions_of(store, &blueprint).await?;
    let abilities = crate::authz::entity_abilities(subject, &permissions, &entity);
    // Readable with the entity itself (checked above).
    let history = store
        .audit_log(&crate::model::AuditFilter {
            entity: Some(entity.identifier.clone()),
            blueprint: Some(blueprint_id.to_string()),
            resource_types: vec!["entity".into()],
            status: Some("SUCCESS".into()),
            limit: HISTORY_SHOWN,
            ..Default::default()
        })
        .await?;
    Ok(EntityPageData {
        entity,
        blueprint,
        catalog_href,
        referenced_by,
        abilities,
        history,
    })
}

/// How many of a blueprint's entities `subject` may read.
pub async fn entities_count(
    store: &Store,
    subject: &Subject,
    blueprint_id: &str,
) -> Result<i64, AppError> {
    let blueprint = blueprint(store, blueprint_id).await?;
    let restriction = access::read_restriction(store, subject, &blueprint).await?;
    Ok(store
        .count_entities_where(blueprint_id, restriction.as_ref())
        .await?)
}
