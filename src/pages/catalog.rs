//! A catalog page: a blueprint's entities in a table. Filters (built with
//! the filter builder), sort, search, columns, grouping and My Teams are
//! URL parameters, so a link reproduces the view; people save views for
//! themselves, and admins and the blueprint's moderators give the page an
//! initial filter and a default view for everyone.
// Server functions take one argument per form field (the browser posts
// them as a plain form), so some take more than clippy's seven.
#![allow(clippy::too_many_arguments)]

use super::entity_form::{new_entity_form, open_saved_entity, CreateEntity};
use super::filter_builder::{filter_builder, BuiltFilter, GetForm, OnApply};
use crate::components::error::{ErrorView, Loading};
use crate::components::icon::Icon;
use crate::components::server_html::{self, HtmlInPage};
use crate::model::catalog_view::view_href;
use crate::model::deferred::Deferred;
use crate::model::filter_draft::{filter_text, FilterDraft, OPEN};
use crate::model::filter_input::filter_fields;
use crate::model::form::FormReply;
use crate::model::url::encode_component;
use crate::model::{
    ActiveView, AppError, CatalogEditing, CatalogPageData, CatalogPageView, ViewParams,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use std::sync::Arc;

/// A catalog page's data as JSON (for scripts and tests): `page` showing
/// the view these parameters describe (or the saved `view`), from row
/// `offset`.
#[server(endpoint = "get_catalog_page", output = crate::model::json_codec::Json)]
pub async fn get_catalog_page(
    page: String,
    sort: String,
    search: String,
    offset: i64,
    #[server(default)] mine: bool,
    #[server(default)] filter: String,
    #[server(default)] cols: String,
    #[server(default)] group: String,
    #[server(default)] view: String,
) -> Result<CatalogPageData, AppError> {
    let params = ViewParams::of_url(filter, sort, search, cols, group, mine);
    load_catalog_page(&page, params, offset, view).await
}

/// What the catalog page loads: the same page with its table and menus
/// rendered to HTML (see [`CatalogPageView`]).
#[server(endpoint = "get_catalog_view", output = crate::model::json_codec::Json)]
pub async fn get_catalog_view(
    page: String,
    #[server(default)] params: ViewParams,
    #[server(default)] offset: i64,
    #[server(default)] view: String,
) -> Result<CatalogPageView, AppError> {
    let data = load_catalog_page(&page, params, offset, view).await?;
    Ok(super::catalog_table::page_view(&page, data))
}

#[cfg(feature = "ssr")]
async fn load_catalog_page(
    page: &str,
    params: ViewParams,
    offset: i64,
    saved: String,
) -> Result<CatalogPageData, AppError> {
    use crate::services::catalog_page::{catalog_page, CatalogRequest};
    let subject = crate::pages::context::subject().await?;
    let request = CatalogRequest {
        params,
        offset,
        saved,
    };
    catalog_page(&crate::pages::context::store()?, &subject, page, &request).await
}

/// Saves the view described by the parameters as the caller's view `name`;
/// answers the link that opens it.
#[server(endpoint = "save_view", output = crate::model::json_codec::Json)]
pub async fn save_view(
    page: String,
    name: String,
    #[server(default)] filter: String,
    #[server(default)] sort: String,
    #[server(default)] search: String,
    #[server(default)] cols: String,
    #[server(default)] group: String,
    #[server(default)] mine: bool,
) -> Result<String, AppError> {
    let params = ViewParams::of_url(filter, sort, search, cols, group, mine);
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    let saved = crate::services::views::save_view(&store, &subject, &page, &name, &params).await?;
    let href = format!(
        "/catalog/{}?view={}",
        encode_component(&page),
        encode_component(&saved.name)
    );
    crate::pages::context::redirect_plain_form_to(&href);
    Ok(href)
}

#[server(endpoint = "delete_view", output = crate::model::json_codec::Json)]
pub async fn delete_view(page: String, name: String) -> Result<(), AppError> {
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    crate::services::views::delete_view(&store, &subject, &page, &name).await
}

/// Makes the parameters the page's default view for everyone (none: back
/// to the blueprint's defaults).
#[server(endpoint = "save_default_view", output = crate::model::json_codec::Json)]
pub async fn save_default_view(
    page: String,
    #[server(default)] filter: String,
    #[server(default)] sort: String,
    #[server(default)] search: String,
    #[server(default)] cols: String,
    #[server(default)] group: String,
    #[server(default)] mine: bool,
) -> Result<(), AppError> {
    let params = ViewParams::of_url(filter, sort, search, cols, group, mine);
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    crate::services::views::save_default_view(&store, &subject, &page, &params).await
}

/// Sets the page's initial filter (Port's query JSON; empty removes it).
#[server(endpoint = "set_page_filter", output = crate::model::json_codec::Json)]
pub async fn set_page_filter(page: String, filter: String) -> Result<(), AppError> {
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    crate::services::views::set_initial_filter(&store, &subject, &page, &filter).await
}

/// Creates a catalog page showing `page` through `filter` (Port's query
/// JSON; empty: the page as it is); answers the new page's URL.
#[server(endpoint = "create_page_from_view", output = crate::model::json_codec::Json)]
pub async fn create_page_from_view(
    page: String,
    title: String,
    #[server(default)] filter: String,
) -> Result<String, AppError> {
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    let filter = crate::services::catalog_page::view_of_params(&ViewParams {
        filter,
        ..ViewParams::default()
    })?
    .filter;
    let href =
        crate::services::pages::create_page_from_view(&store, &subject, &page, &title, filter)
            .await?;
    crate::pages::context::redirect_plain_form_to(&href);
    Ok(href)
}

/// Hidden inputs carrying a view's parameters in a form.
fn view_inputs(params: &ViewParams) -> AnyView {
    let input =
        |name: &'static str, value: String| view! { <input type="hidden" name=name value=value/> };
    view! {
        {input("filter", params.filter.clone())}
        {input("sort", params.sort.clone())}
        {input("search", params.search.clone())}
        {input("cols", params.columns.clone())}
        {input("group", params.group.clone())}
        {input("mine", params.mine.to_string())}
    }
    .into_any()
}

/// The server actions of a catalog page.
#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateEntity>,
    save: ServerAction<SaveView>,
    delete: ServerAction<DeleteView>,
    save_default: ServerAction<SaveDefaultView>,
    set_filter: ServerAction<SetPageFilter>,
    new_page: ServerAction<CreatePageFromView>,
}

/// Which builder menus have been opened on this page. Kept by the page, not
/// by the menu, so a menu that stays open over a new view keeps its builder.
#[derive(Clone, Copy)]
struct OpenedMenus {
    filter: RwSignal<bool>,
    initial_filter: RwSignal<bool>,
}

/// The message of a failed action, shown by the menu that sent it.
fn action_error<A>(action: ServerAction<A>) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    move || match action.value().get() {
        Some(Err(error)) => {
            Some(view! { <p class="field-error" role="alert">{error.to_string()}</p> })
        }
        _ => None,
    }
}

/// Arrow keys move the focus between the rows' title links (Home and End
/// to the first and last row); Enter then opens the entity as any link.
fn move_between_rows(ev: leptos::ev::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let key = ev.key();
    if !matches!(key.as_str(), "ArrowDown" | "ArrowUp" | "Home" | "End") {
        return;
    }
    let Some(here) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Some(links) = here
        .closest("table")
        .ok()
        .flatten()
        .and_then(|table| table.query_selector_all("a.entity-link").ok())
    else {
        return;
    };
    let count = links.length();
    let Some(at) = (0..count).find(|i| links.item(*i).is_some_and(|n| n.is_same_node(Some(&here))))
    else {
        return;
    };
    let to = match key.as_str() {
        "ArrowDown" => (at + 1).min(count.saturating_sub(1)),
        "ArrowUp" => at.saturating_sub(1),
        "Home" => 0,
        _ => count.saturating_sub(1),
    };
    if let Some(link) = links
        .item(to)
        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    {
        ev.prevent_default();
        let _ = link.focus();
    }
}

/// A toolbar menu (a `<details>`) closes once something in it is chosen:
/// a link, a submit or the main button. Without this it would stay open
/// over the new view, because the page reuses its elements.
pub fn close_menu_after_choice(ev: leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    // A button that acted in place (a builder's "add rule") keeps it open.
    if ev.default_prevented() {
        return;
    }
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let chosen = target
        .closest("a, button[type=submit], button.primary")
        .ok()
        .flatten()
        .is_some();
    if chosen {
        if let Some(menu) = target.closest("details").ok().flatten() {
            let _ = menu.remove_attribute("open");
        }
    }
}

/// The filter builder of a menu, loaded and built the first time the menu
/// opens (`opened`): it is only useful once the page is interactive, and
/// keeping it out of the page's first download makes that sooner. Until
/// then the menu says it is loading.
/// Before the page is interactive the closed menu holds `open_link`
/// instead (a plain link that opens the page with the builder, built on
/// the server), or, for a builder that needs JavaScript, says so.
fn builder_when_opened(
    opened: RwSignal<bool>,
    editing: Deferred<CatalogEditing>,
    built: BuiltFilter,
    apply_label: &'static str,
    apply: OnApply,
    plain: Option<(Option<FilterDraft>, GetForm, String)>,
) -> impl IntoView {
    let loading = || view! { <Loading label="Loading the filter builder…"/> };
    let hydrated = crate::components::hydration::use_hydrated();
    let (draft, get_form, open_link) = match plain {
        Some((draft, form, link)) => (draft, Some(form), Some(link)),
        None => (None, None, None),
    };
    move || {
        if !opened.get() {
            if hydrated.get() {
                return loading().into_any();
            }
            return match open_link.clone() {
                Some(href) => {
                    view! { <a class="button" href=href>"Open the filter builder"</a> }.into_any()
                }
                None => {
                    view! { <p class="muted">"The builder opens once the page has loaded."</p> }
                        .into_any()
                }
            };
        }
        let (editing, apply) = (editing.clone(), apply.clone());
        let (draft, get_form) = (draft.clone(), get_form.clone());
        view! {
            <Suspense fallback=loading>
                {Suspend::new(filter_builder(editing, built, apply_label, apply, draft, get_form))}
            </Suspense>
        }
        .into_any()
    }
}

/// Marks `opened` the first time the `<details>` menu `menu` opens,
/// including a menu opened before the page hydrated (its toggle event
/// came before any handler).
fn menu_opened_ref(opened: RwSignal<bool>) -> NodeRef<leptos::html::Details> {
    let menu = NodeRef::<leptos::html::Details>::new();
    Effect::new(move || {
        if menu.get().is_some_and(|details| details.open()) {
            opened.set(true);
        }
    });
    menu
}

/// The `toggle` handler of a builder menu (see [`menu_opened_ref`]).
fn on_toggle(opened: RwSignal<bool>) -> impl Fn(leptos::ev::Event) {
    move |_| {
        if !opened.get_untracked() {
            opened.set(true);
        }
    }
}

/// The Filter menu with the builder; applying opens the page with the new
/// filter in the URL.
fn filter_menu(
    page_id: String,
    data: &CatalogPageView,
    opened: RwSignal<bool>,
    draft: Option<FilterDraft>,
) -> AnyView {
    let params = data.params.clone();
    // The builder as a plain GET form: the page's URL, the view's other
    // parameters kept, and a link that opens it on the filter in use.
    let is_open = draft.is_some();
    let view_link = view_href(&page_id, &params, 0);
    let open_link = format!(
        "{view_link}{}{OPEN}=1",
        if view_link.contains('?') { '&' } else { '?' }
    );
    let get_form = GetForm {
        action: format!("/catalog/{}", encode_component(&page_id)),
        hidden: params
            .pairs()
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
    };
    let plain = Some((draft, get_form, open_link));
    let navigate = use_navigate();
    let apply: OnApply = Arc::new(move |filter: String| {
        let href = view_href(
            &page_id,
            &ViewParams {
                filter,
                ..params.clone()
            },
            0,
        );
        navigate(&href, Default::default());
    });
    let count = data.filter_count;
    let label = if count == 0 {
        "Filter".to_string()
    } else {
        format!("Filter · {count}")
    };
    view! {
        <details class="menu filter-menu" open=is_open node_ref=menu_opened_ref(opened) on:click=close_menu_after_choice on:toggle=on_toggle(opened)>
            <summary class="button" class:on={count > 0}>{label}</summary>
            <div class="confirm-pop wide">
                {builder_when_opened(opened, data.editing.clone(), BuiltFilter::Table, "Apply filters", apply, plain)}
            </div>
        </details>
    }
    .into_any()
}

/// The Views menu: the page's default, the viewer's saved views, saving
/// the current view (and, for admins and moderators, making it the page's
/// default).
fn views_menu(page_id: &str, data: &CatalogPageView, actions: Actions) -> AnyView {
    let params = data.params.clone();
    let page_id = page_id.to_string();
    let current = match &data.active_view {
        ActiveView::Personal(name) => name.clone(),
        ActiveView::PageDefault => "Page default".into(),
        ActiveView::Url => "Views".into(),
    };
    let default_link = data.has_default_view.then(|| {
        let href = format!("/catalog/{}", encode_component(&page_id));
        view! { <li><a href=href>"Page default"</a></li> }
    });
    let personal = data
        .saved_views
        .iter()
        .map(|name| {
            let (page_id, name) = (page_id.clone(), name.clone());
            let href = format!("/catalog/{}?view={}", encode_component(&page_id), encode_component(&name));
            let on = data.active_view == ActiveView::Personal(name.clone());
            let label = format!("Delete view {name}");
            let shown = name.clone();
            view! {
                <li class="view-row">
                    <a href=href class:on=on aria-current=if on { "true" } else { "false" }>{shown}</a>
                    <ActionForm action=actions.delete attr:class="inline-form">
                        <input type="hidden" name="page" value=page_id/>
                        <input type="hidden" name="name" value=name/>
                        <button type="submit" class="icon-button" aria-label=label>"×"</button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    let none_yet = data
        .saved_views
        .is_empty()
        .then(|| view! { <li class="muted">"No saved views yet."</li> });
    let default_form = data.may_configure.then(|| {
        let (page_id, inputs) = (page_id.clone(), view_inputs(&params));
        view! {
            <ActionForm action=actions.save_default attr:class="stack-form">
                <input type="hidden" name="page" value=page_id/>
                {inputs}
                <button type="submit" class="button">"Make this the page's default for everyone"</button>
                {action_error(actions.save_default)}
            </ActionForm>
        }
    });
    let save_inputs = view_inputs(&params);
    let suggested = match &data.active_view {
        ActiveView::Personal(name) => name.clone(),
        _ => String::new(),
    };
    view! {
        <details class="menu views-menu" on:click=close_menu_after_choice>
            <summary class="button">{current}</summary>
            <div class="confirm-pop" role="group" aria-label="Saved views">
                <ul class="link-list">{default_link}{personal}{none_yet}</ul>
                <ActionForm action=actions.save attr:class="stack-form">
                    <input type="hidden" name="page" value=page_id/>
                    {save_inputs}
                    <label for="view-name">"Save this view as"</label>
                    <div class="row">
                        <input id="view-name" type="text" name="name" required maxlength="60" value=suggested placeholder="e.g. My gold services"/>
                        <button type="submit" class="button primary" disabled=move || actions.save.pending().get()>"Save view"</button>
                    </div>
                    {action_error(actions.save)}
                </ActionForm>
                {default_form}
            </div>
        </details>
    }
    .into_any()
}

/// For admins and the blueprint's moderators: the page's initial filter,
/// edited with the same builder and saved on the server.
fn initial_filter_menu(
    page_id: String,
    data: &CatalogPageView,
    actions: Actions,
    opened: RwSignal<bool>,
) -> AnyView {
    let table_filter = data.params.filter.clone();
    let target = page_id.clone();
    let apply: OnApply = Arc::new(move |filter: String| {
        actions.set_filter.dispatch(SetPageFilter {
            page: target.clone(),
            filter,
        });
    });
    view! {
        <details class="menu initial-filter-menu" node_ref=menu_opened_ref(opened) on:click=close_menu_after_choice on:toggle=on_toggle(opened)>
            <summary class="button" class:on=data.pre_filtered>"Initial filter"</summary>
            <div class="confirm-pop wide">
                <p class="muted">"Applied on the server to everyone who opens this page, whatever the URL; members cannot see or remove it."</p>
                {builder_when_opened(opened, data.editing.clone(), BuiltFilter::Initial, "Save initial filter", apply, None)}
                {action_error(actions.set_filter)}
                <ActionForm action=actions.new_page attr:class="stack-form">
                    <input type="hidden" name="page" value=page_id/>
                    <input type="hidden" name="filter" value=table_filter/>
                    <label for="new-page-title">"Or make a new page that always shows this view's rows"</label>
                    <div class="row">
                        <input id="new-page-title" type="text" name="title" required placeholder="e.g. Production services"/>
                        <button type="submit" class="button">"Create page"</button>
                    </div>
                    {action_error(actions.new_page)}
                </ActionForm>
            </div>
        </details>
    }
    .into_any()
}

/// The search box, the menus, the chips and the table. The parts the
/// server rendered sit in `display: contents` wrappers, which take the
/// events of what they hold: menus close once something in them is
/// chosen, and the arrow keys move between the table's rows.
fn catalog_body(
    page: String,
    data: CatalogPageView,
    actions: Actions,
    opened: OpenedMenus,
    url: Option<Vec<(String, String)>>,
) -> AnyView {
    let params = data.params.clone();
    // The filter builder sent as a plain form: applied, the page opens on
    // the new filter's own URL; otherwise it shows the builder as sent.
    let draft = url.and_then(|pairs| {
        let editing = data.editing.decode().ok()?;
        let fields = filter_fields(&editing.blueprint, &editing.teams);
        FilterDraft::from_query(&pairs, &fields, editing.filter)
    });
    if let Some(query) = draft.as_ref().and_then(|d| d.applied.as_ref()) {
        let view = ViewParams {
            filter: filter_text(query),
            ..params.clone()
        };
        let href = view_href(&page, &view, 0);
        return view! { <Redirect path=href/> }.into_any();
    }
    let action = format!("/catalog/{page}");
    let mine = params.mine;
    let toggle_href = view_href(
        &page,
        &ViewParams {
            mine: !mine,
            ..params.clone()
        },
        0,
    );
    let hidden = |name: &'static str, value: &str| {
        (!value.is_empty())
            .then(|| view! { <input type="hidden" name=name value=value.to_string()/> })
    };
    // Before hydration the form is sent as it is (a GET with the view in
    // hidden inputs); after, it opens the same URL without a page load.
    let search_box = NodeRef::<leptos::html::Input>::new();
    let navigate = use_navigate();
    let search_params = params.clone();
    let search_page = page.clone();
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let search = search_box
            .get()
            .map(|input| input.value())
            .unwrap_or_default();
        let view = ViewParams {
            search: search.trim().to_string(),
            ..search_params.clone()
        };
        navigate(&view_href(&search_page, &view, 0), Default::default());
    };
    view! {
        <div class="toolbar">
            <form method="get" action=action class="search-form" role="search" on:submit=on_search>
                <label class="visually-hidden" for="catalog-search">"Search"</label>
                <input id="catalog-search" type="search" name="q" node_ref=search_box placeholder="Search by title or identifier" value=params.search.clone()/>
                {hidden("sort", &params.sort)}
                {hidden("filter", &params.filter)}
                {hidden("cols", &params.columns)}
                {hidden("group", &params.group)}
                {mine.then(|| view! { <input type="hidden" name="mine" value="1"/> })}
                <button type="submit" class="button primary">"Search"</button>
            </form>
            // A link, so the filter is in the URL and works without JavaScript.
            <a class="button toggle" class:on=mine href=toggle_href aria-pressed=if mine { "true" } else { "false" } role="button">
                "My teams"
            </a>
            {filter_menu(page.clone(), &data, opened.filter, draft)}
            <div class="server-part" id=server_html::MENUS on:click=close_menu_after_choice inner_html=data.html.menus.clone()></div>
            {views_menu(&page, &data, actions)}
            {data.may_configure.then(|| initial_filter_menu(page.clone(), &data, actions, opened.initial_filter))}
        </div>
        <div class="server-part" id=server_html::NOTES inner_html=data.html.notes></div>
        <div class="server-part" id=server_html::TABLE on:keydown=move_between_rows inner_html=data.html.table></div>
    }
    .into_any()
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page_id = move || params.read().get("page").unwrap_or_default();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let offset = move || param("offset").parse::<i64>().unwrap_or(0);
    let actions = Actions {
        create: ServerAction::<CreateEntity>::new(),
        save: ServerAction::<SaveView>::new(),
        delete: ServerAction::<DeleteView>::new(),
        save_default: ServerAction::<SaveDefaultView>::new(),
        set_filter: ServerAction::<SetPageFilter>::new(),
        new_page: ServerAction::<CreatePageFromView>::new(),
    };
    let opened = OpenedMenus {
        // A URL with the builder open (sent as a plain form) shows it.
        filter: RwSignal::new(query.read_untracked().get_str(OPEN).is_some()),
        initial_filter: RwSignal::new(false),
    };
    let changes = move || {
        (
            actions.create.version().get(),
            actions.delete.version().get(),
            actions.save_default.version().get(),
            actions.set_filter.version().get(),
        )
    };
    // The server's HTML of the table goes in the page once (HtmlInPage).
    let data = Resource::<_, HtmlInPage>::new_with_options(
        move || {
            let view = ViewParams {
                filter: param("filter"),
                sort: param("sort"),
                search: param("q"),
                columns: param("cols"),
                group: param("group"),
                mine: param("mine") == "1",
            };
            (page_id(), view, offset(), param("view"), changes())
        },
        |(page, view, offset, saved, _)| get_catalog_view(page, view, offset, saved),
        false,
    );
    let resource = data;
    // A created entity opens on its own page; a saved view opens itself.
    open_saved_entity(actions.create);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(href)) = actions.save.value().get() {
            navigate(&href, Default::default());
        }
    });
    // A new page loads in full, so the sidebar lists it.
    Effect::new(move |_| {
        if let Some(Ok(href)) = actions.new_page.value().get() {
            let _ = window().location().set_href(&href);
        }
    });
    view! {
        <Transition fallback=|| view! { <Loading label="Loading entities…"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        let title = data.title.clone();
                        let icon = data.icon.clone().unwrap_or_else(|| title.clone());
                        let description = data.description.clone();
                        let creating = data.may_create && query.read().get("new").is_some();
                        let new_link = (data.may_create && !creating).then(|| {
                            let href = format!("/catalog/{}?new", encode_component(&page_id()));
                            let label = format!("New {}", data.blueprint_title.to_ascii_lowercase());
                            view! { <a class="button primary" href=href>{label}</a> }
                        });
                        let export = data.html.export.clone();
                        let body = if creating {
                            let reply = FormReply::from_query(query.read().get_str("reply"));
                            new_entity_form(data.editing, page_id(), actions.create, reply).await
                        } else {
                            if data.html.table.is_empty() {
                                // Opened on its new-entity form, the page held
                                // no table to read back (HtmlInPage): load it.
                                Effect::new(move |_| resource.refetch());
                            }
                            let url = {
                                let query = query.read();
                                query.get_str(OPEN).is_some().then(|| {
                                    query.clone().into_iter().map(|(k, v)| (k.into_owned(), v)).collect()
                                })
                            };
                            catalog_body(page_id(), data, actions, opened, url)
                        };
                        view! {
                            <Title text=title.clone()/>
                            <div class="page-header">
                                <Icon name=icon large=true/>
                                <div>
                                    <h1>{title}</h1>
                                    <p class="subtitle">{description}</p>
                                </div>
                                <div class="page-actions">{new_link}<div class="server-part" id=server_html::EXPORT inner_html=export></div></div>
                            </div>
                            {body}
                        }
                        .into_any()
                    }
                    Err(error) => {
                        // A link that drops the view's parameters, so a bad
                        // filter in a URL is one click from a working page.
                        let reset = format!("/catalog/{}", encode_component(&page_id()));
                        view! {
                            <ErrorView error/>
                            <p><a class="button" href=reset>"Open the page without filters"</a></p>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_carry_the_view_and_offset() {
        let params = ViewParams {
            sort: "-tier".into(),
            search: "a b&c".into(),
            ..ViewParams::default()
        };
        assert_eq!(
            view_href("services", &params, 50),
            "/catalog/services?sort=-tier&q=a%20b%26c&offset=50"
        );
        let mine = ViewParams {
            mine: true,
            ..ViewParams::default()
        };
        assert_eq!(view_href("services", &mine, 0), "/catalog/services?mine=1");
        assert_eq!(
            view_href("services", &ViewParams::default(), 0),
            "/catalog/services"
        );
        let filter = ViewParams {
            filter: r#"{"combinator":"and","rules":[]}"#.into(),
            columns: "$title,tier".into(),
            ..ViewParams::default()
        };
        assert_eq!(
            view_href("services", &filter, 0),
            "/catalog/services?filter=%7B%22combinator%22%3A%22and%22%2C%22rules%22%3A%5B%5D%7D&cols=$title%2Ctier"
        );
    }
}
