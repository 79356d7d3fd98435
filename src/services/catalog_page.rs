//! A catalog page's table: the view the viewer asked for (URL parameters,
//! one of their saved views, or the page's default), checked against the
//! blueprint and narrowed on the server by what they may read and the
//! page's initial filter, which no parameter can lift.

use crate::authz::{may_configure_page, may_create_some};
use crate::model::query::{Combinator, Meta, Operator, PropertyRef, Query, Rule, RuleValue};
use crate::model::{
    ActiveView, AppError, Blueprint, CatalogPageContext, CatalogPageData, CatalogView, EntitySort,
    GroupCount, PropertyType, Subject, ViewParams, TEAM_GROUP,
};
use crate::query::{EntityListing, Sql};
use crate::services::access;
use crate::services::access::filter_on;
use crate::services::blueprints::blueprint;
use crate::services::pages::page_for;
use crate::store::Store;

/// Rows per catalog table page.
pub const PAGE_SIZE: i64 = 50;

/// Meta properties a table can sort on.
const SORTABLE_META: [&str; 4] = ["$title", "$identifier", "$updatedAt", "$createdAt"];

/// What the catalog page's server function was asked for.
#[derive(Clone, Debug, Default)]
pub struct CatalogRequest {
    pub params: ViewParams,
    /// Rows to skip.
    pub offset: i64,
    /// A saved view's name (`view=`): its settings replace the parameters.
    pub saved: String,
}

impl CatalogRequest {
    /// Sort, search, offset and My Teams only (what tests ask for).
    pub fn simple(sort: &str, search: &str, offset: i64, mine: bool) -> Self {
        CatalogRequest {
            params: ViewParams {
                sort: sort.to_string(),
                search: search.to_string(),
                mine,
                ..ViewParams::default()
            },
            offset,
            saved: String::new(),
        }
    }
}

/// The view a catalog page shows for one request, checked, and the
/// listing that reads its rows: the catalog table and the Export menu's
/// downloads run this same listing, so a download holds what the table
/// shows.
pub struct ResolvedView {
    pub page: crate::model::Page,
    pub blueprint: Blueprint,
    pub view: CatalogView,
    pub active_view: ActiveView,
    pub saved_views: Vec<crate::model::SavedView>,
    pub permissions: crate::model::BlueprintPermissions,
    /// One page of rows from `request.offset`; `restriction` holds every
    /// condition but the search, which is `search`.
    pub listing: EntityListing,
}

/// What `request` asks of catalog page `page_id` for `subject`: only the
/// rows they may read, within the page's initial filter, then the view's
/// own filter, search and "My Teams" (`$team containsAny <their teams>`).
pub async fn resolve_view(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    request: &CatalogRequest,
) -> Result<ResolvedView, AppError> {
    let page = page_for(
        store,
        subject,
        page_id,
        crate::model::PageType::BlueprintEntities,
    )
    .await?;
    let blueprint_id = page.blueprint.clone().ok_or_else(|| {
        AppError::Internal(format!("catalog page `{page_id}` names no blueprint"))
    })?;
    let blueprint = blueprint(store, &blueprint_id).await?;
    if request.offset < 0 {
        return Err(AppError::BadRequest(
            "the row offset cannot be negative".into(),
        ));
    }
    let owner = subject.email_and_teams().0.map(str::to_string);
    let saved_views = match &owner {
        Some(owner) => store.saved_views(page_id, owner).await?,
        None => Vec::new(),
    };
    let (view, active_view) = match request.saved.trim() {
        "" if request.params.is_empty() && page.view.is_some() => (
            page.view.clone().unwrap_or_default(),
            ActiveView::PageDefault,
        ),
        "" => (view_of_params(&request.params)?, ActiveView::Url),
        name => {
            let saved = saved_views.iter().find(|v| v.name == name).ok_or_else(|| {
                AppError::NotFound(format!(
                    "you have no saved view `{name}` on the page `{page_id}`"
                ))
            })?;
            (saved.view.clone(), ActiveView::Personal(name.to_string()))
        }
    };
    check_view(&blueprint, &view)?;

    let permissions = access::permissions_of(store, &blueprint).await?;
    let mut conditions: Vec<Sql> =
        access::restriction_under(store, subject, &blueprint, &permissions)?
            .into_iter()
            .collect();
    if let Some(dataset) = &page.dataset {
        conditions.push(access::compile_on(store, subject, &blueprint, dataset).map_err(|e| {
            AppError::Internal(format!(
                "the initial filter of page `{page_id}` no longer fits blueprint `{blueprint_id}` ({e}); an admin should fix it"
            ))
        })?);
    }
    if let Some(filter) = &view.filter {
        conditions.push(filter_on(store, subject, &blueprint, filter)?);
    }
    if view.mine {
        conditions.push(my_teams(store, subject, &blueprint)?);
    }
    let listing = EntityListing {
        blueprint: blueprint_id,
        search: Some(view.search.clone()).filter(|s| !s.is_empty()),
        sort: view.sort.clone(),
        offset: request.offset,
        limit: PAGE_SIZE,
        restriction: access::all_of(conditions),
        group_by: view.group_by.clone(),
    };
    Ok(ResolvedView {
        page,
        blueprint,
        view,
        active_view,
        saved_views,
        permissions,
        listing,
    })
}

/// A catalog page with one page of its table (see [`resolve_view`]).
pub async fn catalog_page(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    request: &CatalogRequest,
) -> Result<CatalogPageData, AppError> {
    let ResolvedView {
        mut page,
        blueprint,
        view,
        active_view,
        saved_views,
        permissions,
        listing,
    } = resolve_view(store, subject, page_id, request).await?;
    let may_create = may_create_some(subject, &permissions);
    // The table (its count, then its rows) is most of the page's time; the
    // group sizes and the team lists do not depend on it, so they are read
    // at the same time, each on a connection of its own.
    let table = async {
        let mut list = store.list_entities(&listing).await?;
        crate::services::mirrors::fill(store, &mut list.entities).await?;
        Ok::<_, AppError>(list)
    };
    let groups = async {
        let Some(key) = &view.group_by else {
            return Ok(Vec::new());
        };
        Ok::<_, AppError>(
            store
                .group_counts(&listing, key)
                .await?
                .into_iter()
                .map(|(value, count)| GroupCount { value, count })
                .collect(),
        )
    };
    let teams = async {
        Ok::<_, AppError>(
            store
                .list_teams()
                .await?
                .into_iter()
                .map(|t| t.name)
                .collect::<Vec<String>>(),
        )
    };
    let assignable_teams = async {
        if may_create && blueprint.inherited_team_path().is_none() {
            crate::services::catalog::assignable_teams(store, subject).await
        } else {
            Ok(Vec::new())
        }
    };
    let (list, groups, teams, assignable_teams) =
        tokio::try_join!(table, groups, teams, assignable_teams)?;
    let may_configure = may_configure_page(subject, &page).allowed;
    let pre_filtered = page.dataset.is_some();
    if !may_configure {
        // Viewers neither see nor edit the initial filter.
        page.dataset = None;
    }
    Ok(CatalogPageData {
        context: CatalogPageContext {
            page,
            blueprint,
            view,
            active_view,
            saved_views: saved_views.into_iter().map(|v| v.name).collect(),
            teams,
            may_create,
            assignable_teams,
            may_configure,
            pre_filtered,
            in_no_team: matches!(subject, Subject::User(u) if u.teams.is_empty()),
            may_manage_teams: crate::authz::may_manage_users(subject).allowed,
        },
        list,
        groups,
    })
}

/// A view from URL parameters; a malformed filter is 422 naming the rule.
pub fn view_of_params(params: &ViewParams) -> Result<CatalogView, AppError> {
    CatalogView::from_params(params).map_err(AppError::Invalid)
}

/// Checks a view's sort and group-by (the owning teams, or a string,
/// number or boolean property) against the blueprint (its filter is
/// checked when compiled). Unknown columns are not an error: a saved view
/// outlives a removed property, whose column simply no longer shows.
pub fn check_view(blueprint: &Blueprint, view: &CatalogView) -> Result<(), AppError> {
    validate_sort(blueprint, &view.sort)?;
    if let Some(key) = &view.group_by {
        // Every blueprint's entities have owning teams (direct or inherited).
        let groupable = key == TEAM_GROUP
            || blueprint.schema.properties.get(key).is_some_and(|p| {
                matches!(
                    p.kind,
                    PropertyType::String | PropertyType::Number | PropertyType::Boolean
                )
            });
        if !groupable {
            return Err(AppError::Invalid(format!(
                "cannot group by `{key}`: group by `{TEAM_GROUP}` (the owning teams) or a string, number or boolean property of blueprint `{}`",
                blueprint.identifier
            )));
        }
    }
    Ok(())
}

/// "My Teams": the entities of one of the viewer's teams; someone in no
/// team owns nothing.
fn my_teams(store: &Store, subject: &Subject, blueprint: &Blueprint) -> Result<Sql, AppError> {
    let teams = subject.email_and_teams().1.to_vec();
    if teams.is_empty() {
        return Ok(Sql {
            text: "1=0".into(),
            binds: Vec::new(),
        });
    }
    let query = Query {
        combinator: Combinator::And,
        rules: vec![Rule::Property {
            property: PropertyRef::Meta(Meta::Team),
            operator: Operator::ContainsAny,
            value: Some(RuleValue::List(teams)),
        }],
    };
    access::compile_for(store, subject, blueprint, &query)
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
