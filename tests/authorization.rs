//! The authorization matrix: every REST endpoint, server function and page
//! route × every kind of subject, with the decision each must get; and a
//! check that fails when an endpoint, server function or page exists that
//! the matrix does not list, so nothing new can skip authorization. Also
//! property-level update permissions, read filtering and the audit of
//! refusals and permission changes. Each test on SQLite and PostgreSQL.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use portolan::model::{UserRole, UserStatus};
use portolan::store::Store;
use serde_json::{json, Value};
use support::{
    admin_bearer, admin_cookie, age_session, api_call, cookie_call, person_cookie, send,
};

/// The subjects of the matrix, in the order they act: those refused go
/// before those allowed, so a deletion by an allowed subject cannot turn a
/// later refusal into a 404.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    ExpiredSession,
    DisabledUser,
    MemberOutsideOwningTeam,
    ModeratorOfAnotherBlueprint,
    MemberInOwningTeam,
    ModeratorOfThisBlueprint,
    Admin,
    MachineToken,
}

const EVERYONE: [Who; 9] = [
    Who::Anonymous,
    Who::ExpiredSession,
    Who::DisabledUser,
    Who::MemberOutsideOwningTeam,
    Who::ModeratorOfAnotherBlueprint,
    Who::MemberInOwningTeam,
    Who::ModeratorOfThisBlueprint,
    Who::Admin,
    Who::MachineToken,
];

/// Who gets through; everyone else signed in gets 403, and nobody (no
/// session, an expired one, a disabled account) 401 — or, for a page, the
/// way to the login page.
#[derive(Clone, Copy, Debug)]
enum Allowed {
    /// Everyone signed in.
    SignedIn,
    /// People signed in to the portal, not machine tokens.
    People,
    Admins,
    /// Admins and moderators of the blueprint (`widget`).
    Moderators,
    /// … and members of the entity's team (`ownedByTeam`).
    Owners,
    /// The restricted page's readers: admins and the `platform` team.
    PageReaders,
    /// The person the path names (the owning-team member) and admins.
    ThemselvesAndAdmins,
}

fn allowed(rule: Allowed, who: Who) -> bool {
    use Who::*;
    let admin = matches!(who, Admin | MachineToken);
    match rule {
        Allowed::SignedIn => true,
        Allowed::People => who != MachineToken,
        Allowed::Admins => admin,
        Allowed::Moderators => admin || who == ModeratorOfThisBlueprint,
        Allowed::Owners => admin || matches!(who, ModeratorOfThisBlueprint | MemberInOwningTeam),
        Allowed::PageReaders => admin || who == MemberInOwningTeam,
        Allowed::ThemselvesAndAdmins => admin || who == MemberInOwningTeam,
    }
}

enum Call {
    Api(&'static str, &'static str, Option<Value>),
    ServerFn(&'static str, &'static str),
    Page(&'static str),
}

struct Row {
    call: Call,
    allowed: Allowed,
    /// What an allowed subject gets: 200 unless `created` says 201.
    success: StatusCode,
    /// Admin API calls that put back what an allowed call used up (the
    /// entity it deleted, the name it took), run before each allowed
    /// subject's call so every one of them meets the same state.
    reset: Vec<(&'static str, String, Option<Value>)>,
}

impl Row {
    fn created(mut self) -> Row {
        self.success = StatusCode::CREATED;
        self
    }

    fn reset(mut self, method: &'static str, path: &str, body: Option<Value>) -> Row {
        self.reset.push((method, path.to_string(), body));
        self
    }
}

fn row(call: Call, allowed: Allowed) -> Row {
    Row {
        call,
        allowed,
        success: StatusCode::OK,
        reset: Vec::new(),
    }
}

fn api(method: &'static str, path: &'static str, body: Option<Value>, allowed: Allowed) -> Row {
    row(Call::Api(method, path, body), allowed)
}

fn server_fn(name: &'static str, form: &'static str, allowed: Allowed) -> Row {
    row(Call::ServerFn(name, form), allowed)
}

fn page(path: &'static str, allowed: Allowed) -> Row {
    row(Call::Page(path), allowed)
}

/// A widget entity as the set-up makes it, for resets.
fn widget(id: &str) -> Option<Value> {
    Some(
        json!({"identifier": id, "title": id, "team": ["payments"], "properties": {"tier": "gold", "version": "1"}}),
    )
}

fn matrix() -> Vec<Row> {
    use Allowed::*;
    let all = || Some(json!({"combinator": "and", "rules": []}));
    vec![
        // Data model.
        api("GET", "/v1/blueprints", None, SignedIn),
        api(
            "POST",
            "/v1/blueprints",
            Some(json!({"identifier": "made", "title": "Made", "schema": {"properties": {}}})),
            Admins,
        )
        .created()
        .reset("DELETE", "/v1/blueprints/made?delete_entities=true", None),
        api("GET", "/v1/blueprints/widget", None, SignedIn),
        api(
            "PUT",
            "/v1/blueprints/scratch",
            Some(
                json!({"identifier": "scratch", "title": "Scratch", "schema": {"properties": {}}}),
            ),
            Admins,
        ),
        api(
            "PATCH",
            "/v1/blueprints/scratch",
            Some(json!({"title": "Scratch!"})),
            Admins,
        ),
        api("DELETE", "/v1/blueprints/doomed", None, Admins).reset(
            "POST",
            "/v1/blueprints",
            Some(json!({"identifier": "doomed", "title": "doomed", "schema": {"properties": {}}})),
        ),
        api(
            "GET",
            "/v1/blueprints/widget/entities-count",
            None,
            SignedIn,
        ),
        api("GET", "/v1/blueprints/widget/permissions", None, SignedIn),
        api(
            "PATCH",
            "/v1/blueprints/scratch/permissions",
            Some(json!({"entities": {"update": {"roles": ["Admin"]}}})),
            Admins,
        ),
        // Entities.
        api("GET", "/v1/blueprints/widget/entities", None, SignedIn),
        api(
            "POST",
            "/v1/blueprints/widget/entities",
            Some(
                json!({"identifier": "made", "team": ["payments"], "properties": {"tier": "gold"}}),
            ),
            Moderators,
        )
        .created()
        .reset("DELETE", "/v1/blueprints/widget/entities/made", None),
        api(
            "POST",
            "/v1/blueprints/widget/entities/search",
            Some(json!({"query": all()})),
            SignedIn,
        ),
        api(
            "POST",
            "/v1/blueprints/widget/entities/bulk",
            Some(json!({"entities": [{"identifier": "bulk-made", "team": ["payments"]}]})),
            Moderators,
        )
        .reset("DELETE", "/v1/blueprints/widget/entities/bulk-made", None),
        api(
            "POST",
            "/v1/blueprints/widget/bulk/entities/delete",
            Some(json!({"entities": ["bulk-gone"]})),
            Moderators,
        ),
        api(
            "GET",
            "/v1/blueprints/widget/entities/owned",
            None,
            SignedIn,
        ),
        api(
            "PUT",
            "/v1/blueprints/widget/entities/owned",
            Some(
                json!({"identifier": "owned", "title": "Owned", "team": ["payments"], "properties": {"tier": "gold", "version": "2"}}),
            ),
            Owners,
        ),
        api(
            "PATCH",
            "/v1/blueprints/widget/entities/owned",
            Some(json!({"properties": {"version": "3"}})),
            Owners,
        ),
        api(
            "DELETE",
            "/v1/blueprints/widget/entities/gone",
            None,
            Moderators,
        )
        .reset("POST", "/v1/blueprints/widget/entities", widget("gone")),
        api("POST", "/v1/entities/search", all(), SignedIn),
        api(
            "GET",
            "/v1/export?blueprints=widget&format=yaml",
            None,
            SignedIn,
        ),
        api(
            "POST",
            "/v1/import",
            Some(json!({"team": {"name": "imported-team"}})),
            Admins,
        ),
        // Pages.
        api("GET", "/v1/pages/clusters/permissions", None, PageReaders),
        api(
            "PATCH",
            "/v1/pages/deployments/permissions",
            Some(json!({"read": {"roles": ["Admin", "Member"]}})),
            Admins,
        ),
        // Audit log (the whole of it).
        api("GET", "/v1/audit-log", None, Admins),
        // Users and teams.
        api("GET", "/v1/users", None, SignedIn),
        api(
            "POST",
            "/v1/users/invite",
            Some(json!({"invitee": {"email": "invited@matrix.test"}})),
            Admins,
        )
        .reset("DELETE", "/v1/users/invited@matrix.test", None),
        api("GET", "/v1/users/owner@matrix.test", None, SignedIn),
        api(
            "PATCH",
            "/v1/users/target@matrix.test",
            Some(json!({"teams": []})),
            Admins,
        ),
        api("DELETE", "/v1/users/victim@matrix.test", None, Admins).reset(
            "POST",
            "/v1/users/invite",
            Some(json!({"invitee": {"email": "victim@matrix.test"}})),
        ),
        api(
            "POST",
            "/v1/rotate-credentials/owner@matrix.test",
            None,
            ThemselvesAndAdmins,
        ),
        api("GET", "/v1/teams", None, SignedIn),
        api(
            "POST",
            "/v1/teams",
            Some(json!({"name": "matrix-team"})),
            Admins,
        )
        .created()
        .reset("DELETE", "/v1/teams/matrix-team", None),
        api("GET", "/v1/teams/payments", None, SignedIn),
        api(
            "PUT",
            "/v1/teams/scratch-team",
            Some(json!({"users": []})),
            Admins,
        ),
        api(
            "PATCH",
            "/v1/teams/scratch-team",
            Some(json!({"description": "Changed"})),
            Admins,
        ),
        api(
            "POST",
            "/v1/pages",
            Some(
                json!({"identifier": "api-made-page", "title": "API made", "type": "blueprint-entities", "blueprint": "widget"}),
            ),
            Moderators,
        )
        .created()
        .reset("DELETE", "/v1/pages/api-made-page", None),
        api("GET", "/v1/pages", None, SignedIn),
        api("GET", "/v1/pages/clusters", None, PageReaders),
        api(
            "PUT",
            "/v1/pages/overview",
            Some(json!({"title": "Engineering overview", "widgets": [], "layout": []})),
            Admins,
        ),
        api(
            "PATCH",
            "/v1/pages/overview",
            Some(json!({"description": "Changed"})),
            Admins,
        ),
        api("DELETE", "/v1/pages/api-made-page", None, Moderators).reset(
            "POST",
            "/v1/pages",
            Some(json!({"identifier": "api-made-page", "title": "API made", "type": "blueprint-entities", "blueprint": "widget"})),
        ),
        api("DELETE", "/v1/teams/doomed-team", None, Admins).reset(
            "POST",
            "/v1/teams",
            Some(json!({"name": "doomed-team"})),
        ),
        api("GET", "/v1/sidebars/catalog", None, SignedIn),
        api(
            "POST",
            "/v1/sidebars/catalog/folders",
            Some(json!({"identifier": "made-folder", "title": "Made"})),
            Admins,
        )
        .created()
        .reset("DELETE", "/v1/sidebars/catalog/folders/made-folder", None),
        api(
            "PATCH",
            "/v1/sidebars/catalog/folders/insights",
            Some(json!({"title": "Insights"})),
            Admins,
        ),
        api("DELETE", "/v1/sidebars/catalog/folders/doomed-folder", None, Admins).reset(
            "POST",
            "/v1/sidebars/catalog/folders",
            Some(json!({"identifier": "doomed-folder", "title": "Doomed"})),
        ),
        // Server functions.
        server_fn("get_sidebar", "", SignedIn),
        server_fn("get_subject", "", SignedIn),
        server_fn("get_blueprints", "", SignedIn),
        server_fn(
            "get_catalog_page",
            "page=widgets&sort=&search=&offset=0",
            SignedIn,
        ),
        server_fn(
            "get_catalog_page",
            "page=clusters&sort=&search=&offset=0",
            PageReaders,
        ),
        server_fn(
            "get_catalog_view",
            "page=widgets&offset=0",
            SignedIn,
        ),
        server_fn(
            "get_catalog_view",
            "page=clusters&params%5Bsort%5D=%24title&offset=0",
            PageReaders,
        ),
        server_fn(
            "get_entity_page",
            "blueprint=widget&identifier=owned",
            SignedIn,
        ),
        server_fn("get_dashboard", "page=overview&choices=", SignedIn),
        server_fn(
            "preview_widget",
            "page=overview&config=%7B%22id%22%3A%22m%22%2C%22type%22%3A%22markdown%22%2C%22title%22%3A%22M%22%2C%22markdown%22%3A%22x%22%7D",
            Admins,
        ),
        server_fn(
            "save_dashboard",
            "page=overview&change=%7B%22title%22%3A%22Engineering%20overview%22%2C%22widgets%22%3A%5B%5D%2C%22layout%22%3A%5B%5D%7D",
            Admins,
        ),
        server_fn("create_dashboard", "title=Fn+dash&icon=&description=&folder=", Admins).reset(
            "DELETE",
            "/v1/pages/fn-dash",
            None,
        ),
        server_fn(
            "save_entity",
            "blueprint=widget&identifier=formed&version=1&properties%5Bversion%5D=9",
            Owners,
        )
        .reset("DELETE", "/v1/blueprints/widget/entities/formed", None)
        .reset("POST", "/v1/blueprints/widget/entities", widget("formed")),
        server_fn(
            "delete_entity",
            "blueprint=widget&identifier=gone-ui",
            Moderators,
        )
        .reset("POST", "/v1/blueprints/widget/entities", widget("gone-ui")),
        server_fn(
            "create_entity",
            "blueprint=widget&identifier=fn-made&team%5Bpayments%5D=on&properties%5Btier%5D=gold",
            Moderators,
        )
        .reset("DELETE", "/v1/blueprints/widget/entities/fn-made", None),
        server_fn(
            "save_view",
            "page=widgets&name=Mine&sort=-tier&group=tier",
            People,
        ),
        server_fn("delete_view", "page=widgets&name=Mine", People),
        server_fn("save_default_view", "page=widgets&sort=-tier", Moderators),
        server_fn(
            "set_page_filter",
            "page=widgets&filter=%7B%22combinator%22%3A%22and%22%2C%22rules%22%3A%5B%5D%7D",
            Moderators,
        ),
        server_fn("find_related", "blueprint=widget&text=own", SignedIn),
        server_fn(
            "create_page_from_view",
            "page=widgets&title=Fn+made+page&filter=",
            Moderators,
        )
        .reset("DELETE", "/v1/pages/fn-made-page", None),
        server_fn("get_users_and_teams", "", SignedIn),
        server_fn("create_team", "name=fn-team&description=", Admins).reset(
            "DELETE",
            "/v1/teams/fn-team",
            None,
        ),
        server_fn("delete_team", "name=fn-doomed", Admins).reset(
            "POST",
            "/v1/teams",
            Some(json!({"name": "fn-doomed"})),
        ),
        server_fn(
            "set_team_member",
            "team=scratch-team&email=owner%40matrix.test&member=true",
            Admins,
        ),
        server_fn(
            "set_user_role",
            "email=target%40matrix.test&role=Member",
            Admins,
        ),
        server_fn(
            "set_user_status",
            "email=target%40matrix.test&status=Active",
            Admins,
        ),
        server_fn(
            "edit_user",
            "email=target%40matrix.test&role=Member",
            Admins,
        ),
        server_fn(
            "edit_team",
            "name=scratch-team&new_name=scratch-team&description=Scratch",
            Admins,
        ),
        server_fn("delete_user", "email=fn-deleted%40matrix.test", Admins).reset(
            "POST",
            "/v1/users/invite",
            Some(json!({"invitee": {"email": "fn-deleted@matrix.test"}})),
        ),
        server_fn(
            "invite_user",
            "email=fn-invited%40matrix.test&role=Member",
            Admins,
        )
        .reset("DELETE", "/v1/users/fn-invited@matrix.test", None),
        server_fn("get_credentials", "", People),
        server_fn("get_audit_log", "", Admins),
        server_fn("rotate_my_credentials", "", People),
        server_fn("create_machine_credential", "role=Member", Admins),
        server_fn("revoke_credential", "client_id=matrix-machine", Admins),
        // Pages, rendered on the server.
        page("/", SignedIn),
        page("/catalog/widgets", SignedIn),
        page("/catalog/clusters", PageReaders),
        page("/entity/widget/owned", SignedIn),
        page("/dashboard/overview", SignedIn),
        page("/users-teams", SignedIn),
        page("/builder", SignedIn),
        page("/credentials", People),
        page("/audit-log", Admins),
    ]
}

/// What each subject sends: a session cookie or a bearer token.
struct Subjects {
    cookies: Vec<(Who, String)>,
    bearer: String,
}

impl Subjects {
    fn cookie(&self, who: Who) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(w, _)| *w == who)
            .map(|(_, c)| c.as_str())
    }
}

async fn admin_api(store: &Store, bearer: &str, method: &str, path: &str, body: Value) {
    let (status, reply) = api_call(store, method, path, Some(bearer), Some(body)).await;
    assert!(
        status.is_success(),
        "setup {method} {path}: {status} {reply}"
    );
}

/// A seeded portal with a `widget` blueprint whose members may update the
/// entities their teams own, its entities, and one signed-in subject of
/// each kind.
async fn set_up(store: &Store) -> Subjects {
    portolan::services::demo::seed_if_empty(store)
        .await
        .unwrap();
    let admin = admin_cookie(store).await;
    let bearer = admin_bearer(store).await;
    let props = json!({"tier": {"type": "string", "title": "Tier"}, "version": {"type": "string", "title": "Version"}});
    for id in ["widget", "scratch", "doomed"] {
        admin_api(
            store,
            &bearer,
            "POST",
            "/v1/blueprints",
            json!({"identifier": id, "title": id, "schema": {"properties": props}}),
        )
        .await;
    }
    admin_api(store, &bearer, "PATCH", "/v1/blueprints/widget/permissions",
        json!({"entities": {"update": {"roles": ["Admin", "widget-moderator"], "ownedByTeam": true}}})).await;
    for id in ["owned", "gone", "bulk-gone", "formed", "gone-ui"] {
        admin_api(store, &bearer, "POST", "/v1/blueprints/widget/entities",
            json!({"identifier": id, "title": id, "team": ["payments"], "properties": {"tier": "gold", "version": "1"}})).await;
    }
    for name in ["scratch-team", "doomed-team", "fn-doomed"] {
        admin_api(store, &bearer, "POST", "/v1/teams", json!({"name": name})).await;
    }
    let mut cookies = vec![(Who::Admin, admin)];
    for (who, email, role, moderates, teams) in [
        (
            Who::MemberInOwningTeam,
            "owner@matrix.test",
            UserRole::Member,
            &[][..],
            &["payments", "platform"][..],
        ),
        (
            Who::MemberOutsideOwningTeam,
            "outsider@matrix.test",
            UserRole::Member,
            &[],
            &["search"],
        ),
        (
            Who::ModeratorOfThisBlueprint,
            "mod@matrix.test",
            UserRole::Moderator,
            &["widget"],
            &[],
        ),
        (
            Who::ModeratorOfAnotherBlueprint,
            "othermod@matrix.test",
            UserRole::Moderator,
            &["service"],
            &[],
        ),
        (
            Who::ExpiredSession,
            "expired@matrix.test",
            UserRole::Member,
            &[],
            &["payments"],
        ),
        (
            Who::DisabledUser,
            "disabled@matrix.test",
            UserRole::Admin,
            &[],
            &[],
        ),
        (
            Who::Anonymous,
            "target@matrix.test",
            UserRole::Member,
            &[],
            &[],
        ),
        (
            Who::Anonymous,
            "victim@matrix.test",
            UserRole::Member,
            &[],
            &[],
        ),
    ] {
        let cookie = person_cookie(store, email, role, moderates, teams).await;
        if who != Who::Anonymous {
            cookies.push((who, cookie));
        }
    }
    // Signed in eight days ago; and an admin since disabled.
    let expired = &cookies
        .iter()
        .find(|(w, _)| *w == Who::ExpiredSession)
        .unwrap()
        .1;
    age_session(store, expired, 8 * 86400, 60).await;
    store
        .set_user_status("disabled@matrix.test", UserStatus::Disabled)
        .await
        .unwrap();
    // An organization credential for revoking.
    portolan::auth::machine::ensure_admin_credentials(
        store,
        "matrix-machine",
        "matrix-machine-secret-0123456789",
    )
    .await
    .unwrap();
    Subjects { cookies, bearer }
}

/// Sends one call as `who`; answers the status that decides (a bulk
/// write's only outcome, for the 207 of a refused entity) and the body.
async fn call_as(
    store: &Store,
    subjects: &Subjects,
    who: Who,
    call: &Call,
) -> (StatusCode, String) {
    let mut req = match call {
        Call::Api(method, path, _) => Request::builder().method(*method).uri(*path),
        Call::ServerFn(name, _) => Request::post(format!("/api/{name}"))
            .header("content-type", "application/x-www-form-urlencoded"),
        Call::Page(path) => Request::get(*path),
    };
    // Browsers send their origin; the portal's own passes the same-origin check.
    req = req
        .header("host", "portal.test")
        .header("origin", "http://portal.test");
    if who == Who::MachineToken {
        req = req.header("authorization", &subjects.bearer);
    } else if let Some(cookie) = subjects.cookie(who) {
        req = req.header("cookie", cookie);
    }
    let body = match call {
        Call::Api(_, _, Some(body)) => {
            req = req.header("content-type", "application/json");
            Body::from(body.to_string())
        }
        Call::ServerFn(_, form) => Body::from(*form),
        _ => Body::empty(),
    };
    let (status, headers, text) = send(store, req.body(body).unwrap()).await;
    if status == StatusCode::MULTI_STATUS {
        let reply: Value = serde_json::from_str(&text).unwrap();
        let code = reply["errors"][0]["statusCode"].as_u64().unwrap() as u16;
        return (StatusCode::from_u16(code).unwrap(), text);
    }
    if status == StatusCode::SEE_OTHER {
        let to = headers["location"].to_str().unwrap_or_default();
        if to.starts_with("/login") {
            return (StatusCode::UNAUTHORIZED, format!("sent to {to}"));
        }
    }
    (status, text)
}

both_databases!(
    every_route_and_server_function_decides_for_every_subject,
    |store, _url| {
        let subjects = set_up(&store).await;
        let mut wrong = Vec::new();
        for row in matrix() {
            let mut order = EVERYONE.to_vec();
            // Refusals first (see `Who`).
            order.sort_by_key(|who| allowed(row.allowed, *who));
            for who in order {
                let signed_out = matches!(
                    who,
                    Who::Anonymous | Who::ExpiredSession | Who::DisabledUser
                );
                let allowed_here = !signed_out && allowed(row.allowed, who);
                if allowed_here {
                    for (method, path, body) in &row.reset {
                        // Whatever it answers (the thing may already be
                        // there, or gone): only the state after counts.
                        let _ =
                            api_call(&store, method, path, Some(&subjects.bearer), body.clone())
                                .await;
                    }
                }
                let (status, body) = call_as(&store, &subjects, who, &row.call).await;
                // Allowed means the call did what it is for: its own
                // success status, not a 404 or a 409 that a refusal-free
                // failure would also give.
                let ok = if signed_out {
                    status == StatusCode::UNAUTHORIZED
                } else if allowed_here {
                    status == row.success
                } else {
                    status == StatusCode::FORBIDDEN
                };
                if !ok {
                    let what = match &row.call {
                        Call::Api(m, p, _) => format!("{m} {p}"),
                        Call::ServerFn(n, f) => format!("server fn {n}({f})"),
                        Call::Page(p) => format!("page {p}"),
                    };
                    let short: String = body.chars().take(200).collect();
                    wrong.push(format!(
                        "{what} as {who:?} ({:?}, allowed get {}): got {status}: {short}",
                        row.allowed, row.success
                    ));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{} wrong decisions:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
);

// Every state-changing call of the matrix, every server function, and
// the sign-in and sign-out forms, sent with an admin's session cookie by
// a page of another origin, is refused before it runs: another scheme
// (the probe's finding), port or host, a sandboxed frame (`null`), or a
// browser that says the page was cross-site or same-site.
both_databases!(
    cross_origin_browser_writes_are_refused_everywhere,
    |store, _url| {
        let subjects = set_up(&store).await;
        let admin = subjects.cookie(Who::Admin).unwrap().to_string();
        let hostile: [(&str, Option<&str>, Option<&str>); 8] = [
            ("another scheme", Some("https://portal.test"), None),
            ("another port", Some("http://portal.test:8080"), None),
            ("another host", Some("http://evil.test"), None),
            ("a sibling host", Some("http://a.portal.test"), None),
            ("no origin (sandboxed)", Some("null"), None),
            ("a cross-site page", None, Some("cross-site")),
            ("a same-site page", None, Some("same-site")),
            (
                "a cross-site page naming this origin",
                Some("http://portal.test"),
                Some("cross-site"),
            ),
        ];
        let mut calls: Vec<(String, String, String)> = Vec::new();
        for row in matrix() {
            match row.call {
                Call::Api(method, path, body) if method != "GET" => calls.push((
                    method.into(),
                    path.into(),
                    body.map(|b| b.to_string()).unwrap_or_default(),
                )),
                Call::ServerFn(name, form) => {
                    calls.push(("POST".into(), format!("/api/{name}"), form.into()))
                }
                _ => {}
            }
        }
        calls.push(("POST".into(), "/logout".into(), String::new()));
        calls.push((
            "POST".into(),
            "/login".into(),
            "email=admin%40portolan.test&password=x&next=%2F".into(),
        ));
        let mut wrong = Vec::new();
        for (method, path, body) in &calls {
            for (what, origin, fetch_site) in hostile {
                let kind = if path.starts_with("/v1/") {
                    "application/json"
                } else {
                    "application/x-www-form-urlencoded"
                };
                let mut req = Request::builder()
                    .method(method.as_str())
                    .uri(path.as_str())
                    .header("host", "portal.test")
                    .header("cookie", &admin)
                    .header("content-type", kind);
                if let Some(origin) = origin {
                    req = req.header("origin", origin);
                }
                if let Some(site) = fetch_site {
                    req = req.header("sec-fetch-site", site);
                }
                let (status, _, text) =
                    send(&store, req.body(Body::from(body.clone())).unwrap()).await;
                if status != StatusCode::FORBIDDEN || !text.contains("Cross-site request refused") {
                    let short: String = text.chars().take(160).collect();
                    wrong.push(format!("{method} {path} from {what}: {status} {short}"));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{} accepted:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        assert!(calls.len() > 40, "{} calls", calls.len());
        // None of them ran: the admin is still signed in, nobody was made.
        let (status, _) = support::cookie_call(&store, "GET", "/v1/users", &admin, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(store
            .get_user("invited@matrix.test")
            .await
            .unwrap()
            .is_none());
    }
);

/// `/v1/blueprints/{bp}/entities/{id}` matches `/v1/blueprints/widget/entities/owned`.
fn matches_template(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t.starts_with('{') || t.starts_with(':') || t == p)
}

#[tokio::test]
async fn the_matrix_lists_every_endpoint_server_function_and_page() {
    let rows = matrix();
    let mut missing = Vec::new();
    let endpoints = portolan::api::endpoint_list();
    assert!(
        endpoints.len() >= 34,
        "endpoints found: {}",
        endpoints.len()
    );
    for (method, template) in endpoints {
        let listed = rows.iter().any(|r| {
            matches!(&r.call, Call::Api(m, p, _) if *m == method && matches_template(&template, p))
        });
        if !listed {
            missing.push(format!("{method} {template}"));
        }
    }
    let functions: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    assert!(
        functions.len() >= 18,
        "server functions found: {functions:?}"
    );
    for path in functions {
        let listed = rows
            .iter()
            .any(|r| matches!(&r.call, Call::ServerFn(name, _) if path == format!("/api/{name}")));
        if !listed {
            missing.push(format!("server function {path}"));
        }
    }
    let pages = leptos_axum::generate_route_list(portolan::app::App);
    assert!(pages.len() >= 7, "page routes found: {}", pages.len());
    for route in pages {
        let template = route.path().to_string();
        let listed = rows
            .iter()
            .any(|r| matches!(&r.call, Call::Page(p) if matches_template(&template, p)));
        if !listed {
            missing.push(format!("page {template}"));
        }
    }
    assert!(
        missing.is_empty(),
        "not in the authorization matrix (add each with its expected decisions):\n{}",
        missing.join("\n")
    );
}

/// A `widget` blueprint (tier, version) with the permissions patch given,
/// and entities `(identifier, team, tier)`, written by the admin token.
async fn widgets(store: &Store, permissions: Value, entities: &[(&str, &str, &str)]) -> String {
    let bearer = admin_bearer(store).await;
    for team in ["payments", "search"] {
        admin_api(store, &bearer, "POST", "/v1/teams", json!({"name": team})).await;
    }
    let props = json!({"tier": {"type": "string", "title": "Tier"}, "version": {"type": "string", "title": "Version"}});
    admin_api(
        store,
        &bearer,
        "POST",
        "/v1/blueprints",
        json!({"identifier": "widget", "title": "Widget", "schema": {"properties": props}}),
    )
    .await;
    admin_api(
        store,
        &bearer,
        "PATCH",
        "/v1/blueprints/widget/permissions",
        permissions,
    )
    .await;
    for (id, team, tier) in entities {
        admin_api(
            store,
            &bearer,
            "POST",
            "/v1/blueprints/widget/entities",
            json!({"identifier": id, "team": [team], "properties": {"tier": tier, "version": "1"}}),
        )
        .await;
    }
    bearer
}

both_databases!(
    member_allowed_only_tier_can_change_tier_and_is_refused_naming_version,
    |store, _url| {
        let admin = widgets(
        &store,
        json!({"entities": {"updateProperties": {"tier": {"roles": ["Admin", "widget-moderator", "Member"]}}}}),
        &[("cart", "payments", "gold")],
    )
    .await;
        let member = person_cookie(&store, "m@perm.test", UserRole::Member, &[], &[]).await;
        let path = "/v1/blueprints/widget/entities/cart";
        let (status, body) = cookie_call(
            &store,
            "PATCH",
            path,
            &member,
            Some(json!({"properties": {"tier": "silver"}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["entity"]["properties"]["tier"], "silver");
        let (status, body) = cookie_call(
            &store,
            "PATCH",
            path,
            &member,
            Some(json!({"properties": {"tier": "bronze", "version": "2"}})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains("property `version`") && !message.contains("`tier`"),
            "{message}"
        );
        // Nothing of the refused write was saved.
        let (_, body) = api_call(&store, "GET", path, Some(&admin), None).await;
        assert_eq!(
            body["entity"]["properties"],
            json!({"tier": "silver", "version": "1"})
        );
        // The member may not delete it, or create another.
        let (status, _) = cookie_call(&store, "DELETE", path, &member, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = cookie_call(
            &store,
            "POST",
            "/v1/blueprints/widget/entities",
            &member,
            Some(json!({"identifier": "mine"})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("creating them is allowed to Admin, widget-moderator"),
            "{body}"
        );

        // The refusals and the permission change are in the audit log.
        let (status, body) = api_call(
            &store,
            "GET",
            "/v1/audit-log?status=FAILURE",
            Some(&admin),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let audits = body["audits"].as_array().unwrap();
        assert_eq!(audits.len(), 3, "{body}");
        let update = audits.iter().find(|a| a["action"] == "UPDATE").unwrap();
        assert_eq!(update["context"]["entity"], "cart");
        assert!(
            update["message"].as_str().unwrap().contains("`version`"),
            "{update}"
        );
        let (_, body) = api_call(
            &store,
            "GET",
            "/v1/audit-log?resources=permissions",
            Some(&admin),
            None,
        )
        .await;
        let change = &body["audits"][0];
        assert_eq!(change["resourceType"], "permissions", "{body}");
        assert_eq!(
            change["diff"]["after"]["entities"]["updateProperties"]["tier"]["roles"][2],
            "Member"
        );
    }
);

both_databases!(read_permissions_narrow_every_read_path, |store, _url| {
    let admin = widgets(
        &store,
        json!({"entities": {"read": {"roles": ["Admin"], "ownedByTeam": true}}}),
        &[
            ("mine", "payments", "gold"),
            ("theirs", "search", "gold"),
            ("cheap", "search", "bronze"),
        ],
    )
    .await;
    let member = person_cookie(&store, "p@perm.test", UserRole::Member, &[], &["payments"]).await;
    let loner = person_cookie(&store, "l@perm.test", UserRole::Member, &[], &[]).await;

    let ids = |body: &Value| -> Vec<String> {
        body["entities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["blueprint"] == "widget")
            .map(|e| e["identifier"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, body) = cookie_call(
        &store,
        "GET",
        "/v1/blueprints/widget/entities",
        &member,
        None,
    )
    .await;
    assert_eq!(ids(&body), ["mine"]);
    let (_, body) = cookie_call(
        &store,
        "POST",
        "/v1/entities/search",
        &member,
        Some(json!({"combinator": "and", "rules": []})),
    )
    .await;
    assert_eq!(ids(&body), ["mine"]);
    let (_, body) = cookie_call(
        &store,
        "POST",
        "/v1/blueprints/widget/entities/search",
        &member,
        Some(json!({})),
    )
    .await;
    assert_eq!(ids(&body), ["mine"]);
    let (_, body) = cookie_call(
        &store,
        "GET",
        "/v1/blueprints/widget/entities-count",
        &member,
        None,
    )
    .await;
    assert_eq!(body["count"], 1);
    let (status, body) = cookie_call(
        &store,
        "GET",
        "/v1/blueprints/widget/entities/theirs",
        &member,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = cookie_call(
        &store,
        "GET",
        "/v1/audit-log?entity=theirs&blueprint=widget",
        &member,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = cookie_call(
        &store,
        "GET",
        "/v1/audit-log?entity=mine&blueprint=widget",
        &member,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The catalog table, through its server function.
    let req = Request::post("/api/get_catalog_page")
        .header("cookie", &member)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("page=widgets&sort=&search=&offset=0"))
        .unwrap();
    let (status, _, text) = send(&store, req).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let page: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(page["list"]["total"], 1, "{text}");

    // Someone in no team reads nothing of it, and is told why.
    let (status, body) = cookie_call(
        &store,
        "GET",
        "/v1/blueprints/widget/entities-count",
        &loner,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("reading is allowed to Admin"),
        "{body}"
    );
    let (status, body) = cookie_call(
        &store,
        "POST",
        "/v1/entities/search",
        &loner,
        Some(json!({"combinator": "and", "rules": []})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ids(&body).is_empty(), "{body}");

    // A read policy admits more: every gold widget.
    let (status, body) = api_call(&store, "PATCH", "/v1/blueprints/widget/permissions", Some(&admin),
        Some(json!({"entities": {"read": {"roles": ["Admin"], "ownedByTeam": true, "policy": {"combinator": "and", "rules": [{"property": "tier", "operator": "=", "value": "gold"}]}}}}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, body) = cookie_call(
        &store,
        "GET",
        "/v1/blueprints/widget/entities",
        &loner,
        None,
    )
    .await;
    let mut seen = ids(&body);
    seen.sort();
    assert_eq!(seen, ["mine", "theirs"]);
    // A policy that does not fit the blueprint is refused, naming why.
    let (status, body) = api_call(&store, "PATCH", "/v1/blueprints/widget/permissions", Some(&admin),
        Some(json!({"entities": {"read": {"policy": {"combinator": "and", "rules": [{"property": "colour", "operator": "=", "value": "red"}]}}}}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("no property `colour`"),
        "{body}"
    );
});

both_databases!(
    pages_limited_to_a_team_are_hidden_from_everyone_else,
    |store, _url| {
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        let admin = admin_bearer(&store).await;
        let insider =
            person_cookie(&store, "in@perm.test", UserRole::Member, &[], &["platform"]).await;
        let outsider = person_cookie(
            &store,
            "out@perm.test",
            UserRole::Member,
            &[],
            &["payments"],
        )
        .await;
        let sidebar = |cookie: String| {
            let store = store.clone();
            async move {
                let req = Request::post("/api/get_sidebar")
                    .header("cookie", cookie)
                    .body(Body::empty())
                    .unwrap();
                let (_, _, text) = send(&store, req).await;
                let sidebar: Value = serde_json::from_str(&text).unwrap();
                sidebar["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["identifier"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert!(sidebar(insider.clone())
            .await
            .contains(&"clusters".to_string()));
        assert!(!sidebar(outsider.clone())
            .await
            .contains(&"clusters".to_string()));
        let (status, _, html) =
            support::get_page(&store, "/catalog/clusters", Some(&outsider)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(html.contains("ask an admin for access"), "{html}");
        let (status, _, _) = support::get_page(&store, "/catalog/clusters", Some(&insider)).await;
        assert_eq!(status, StatusCode::OK);

        // An admin opens it to the payments team too.
        let (status, body) = api_call(
            &store,
            "PATCH",
            "/v1/pages/clusters/permissions",
            Some(&admin),
            Some(json!({"read": {"teams": ["platform", "payments"]}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["permissions"]["read"]["roles"], json!(["Admin"]));
        assert!(sidebar(outsider.clone())
            .await
            .contains(&"clusters".to_string()));
        let (status, body) = api_call(
            &store,
            "PATCH",
            "/v1/pages/clusters/permissions",
            Some(&admin),
            Some(json!({"read": {"roles": ["Owner"]}})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        // A member cannot change page permissions; the attempt is recorded.
        let (status, _) = cookie_call(
            &store,
            "PATCH",
            "/v1/pages/clusters/permissions",
            &outsider,
            Some(json!({"read": {"roles": ["Member"]}})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, body) = api_call(
            &store,
            "GET",
            "/v1/audit-log?status=FAILURE",
            Some(&admin),
            None,
        )
        .await;
        assert_eq!(
            body["audits"][0]["resourceType"], "page-permissions",
            "{body}"
        );
        // So is a member's attempt on a team.
        let (status, _) =
            cookie_call(&store, "DELETE", "/v1/teams/platform", &outsider, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, body) = api_call(
            &store,
            "GET",
            "/v1/audit-log?status=FAILURE",
            Some(&admin),
            None,
        )
        .await;
        assert_eq!(body["audits"][0]["resourceType"], "team", "{body}");
        assert_eq!(body["audits"][0]["context"]["entity"], "platform", "{body}");
    }
);

/// Posts the entity form as the browser does; answers status and JSON.
async fn post_form(store: &Store, cookie: &str, form: &str) -> (StatusCode, Value) {
    let req = Request::post("/api/save_entity")
        .header("cookie", cookie)
        .header("host", "portal.test")
        .header("origin", "http://portal.test")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    let (status, _, text) = send(store, req).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

both_databases!(
    entity_form_names_bad_fields_refuses_stale_versions_and_saves,
    |store, _url| {
        let admin = widgets(
        &store,
        json!({"entities": {"updateProperties": {"tier": {"roles": ["Admin", "widget-moderator", "Member"]}}}}),
        &[("cart", "payments", "gold")],
    )
    .await;
        let bearer = admin.as_str();
        api_call(
            &store,
            "PATCH",
            "/v1/blueprints/widget",
            Some(bearer),
            Some(json!({"schema": {"properties": {
        "tier": {"type": "string", "title": "Tier", "enum": ["gold", "silver"]},
        "version": {"type": "string", "title": "Version"},
        "replicas": {"type": "number", "title": "Replicas"}}}})),
        )
        .await;
        let member = person_cookie(&store, "f@perm.test", UserRole::Member, &[], &[]).await;

        // A value the schema refuses comes back next to its field; nothing saved.
        let (status, body) = post_form(
            &store,
            &member,
            "blueprint=widget&identifier=cart&version=1&properties%5Btier%5D=platinum",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["Invalid"][0]["field"], "properties.tier", "{body}");
        assert!(
            body["Invalid"][0]["message"]
                .as_str()
                .unwrap()
                .contains("gold, silver"),
            "{body}"
        );
        let admin_cookie = admin_cookie(&store).await;
        let (status, body) = post_form(
            &store,
            &admin_cookie,
            "blueprint=widget&identifier=cart&version=1&properties%5Breplicas%5D=many",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body["Invalid"][0]["message"]
                .as_str()
                .unwrap()
                .contains("not a number"),
            "{body}"
        );

        // The member may change the tier; the save answers the entity.
        let (status, body) = post_form(
            &store,
            &member,
            "blueprint=widget&identifier=cart&version=1&properties%5Btier%5D=silver",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["Saved"]["properties"]["tier"], "silver");
        assert_eq!(body["Saved"]["version"], 2);
        // A form opened at version 1 is now stale: 409, nothing overwritten.
        let (status, body) = post_form(
            &store,
            &admin_cookie,
            "blueprint=widget&identifier=cart&version=1&properties%5Btier%5D=gold&title=Cart",
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("changed since you opened it"),
            "{body}"
        );
        // Fields the member may not change are refused by name (a forged form).
        let (status, body) = post_form(
            &store,
            &member,
            "blueprint=widget&identifier=cart&version=2&properties%5Bversion%5D=9",
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("`version`"),
            "{body}"
        );
        let (_, body) = api_call(
            &store,
            "GET",
            "/v1/blueprints/widget/entities/cart",
            Some(bearer),
            None,
        )
        .await;
        assert_eq!(body["entity"]["properties"]["tier"], "silver");
        assert_eq!(body["entity"]["properties"]["version"], "1");
        // The admin's save with the current version goes through and is in the history.
        let (status, body) = post_form(
            &store,
            &admin_cookie,
            "blueprint=widget&identifier=cart&version=2&title=Cart&properties%5Breplicas%5D=3",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["Saved"]["properties"]["replicas"], 3);
        assert_eq!(body["Saved"]["title"], "Cart");
        let req = Request::post("/api/get_entity_page")
            .header("cookie", &member)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("blueprint=widget&identifier=cart"))
            .unwrap();
        let (_, _, text) = send(&store, req).await;
        let page: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(page["history"].as_array().unwrap().len(), 3, "{text}");
        assert_eq!(page["history"][0]["actor"], support::ADMIN_EMAIL);
        assert_eq!(page["abilities"]["properties"], json!(["tier"]));
        assert_eq!(page["abilities"]["delete"], false);
    }
);

both_databases!(
    new_entity_form_names_its_problems_then_creates,
    |store, _url| {
        let bearer = widgets(
            &store,
            json!({"entities": {"register": {"roles": ["Admin"], "ownedByTeam": true}}}),
            &[],
        )
        .await;
        api_call(
            &store,
            "PATCH",
            "/v1/blueprints/widget",
            Some(&bearer),
            Some(json!({"schema": {
        "properties": {"tier": {"type": "string", "title": "Tier", "enum": ["gold", "silver"]},
                       "version": {"type": "string", "title": "Version"}},
        "required": ["tier"]}})),
        )
        .await;
        let member =
            person_cookie(&store, "c@perm.test", UserRole::Member, &[], &["payments"]).await;
        let create = |form: &'static str| {
            let (store, member) = (store.clone(), member.clone());
            async move {
                let req = Request::post("/api/create_entity")
                    .header("cookie", member)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(form))
                    .unwrap();
                let (status, _, text) = send(&store, req).await;
                (
                    status,
                    serde_json::from_str::<Value>(&text).unwrap_or(Value::Null),
                )
            }
        };
        // A bad identifier and a missing required field, both named.
        let (status, body) =
            create("blueprint=widget&identifier=a%20b&properties%5Btier%5D=").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let fields: Vec<&str> = body["Invalid"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["identifier", "properties.tier"], "{body}");
        // Without one of the member's own teams, `ownedByTeam` does not admit them.
        let (status, body) =
            create("blueprint=widget&identifier=mine&properties%5Btier%5D=gold").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("one of your teams"),
            "{body}"
        );
        let (status, body) = create("blueprint=widget&identifier=mine&title=Mine&team%5Bpayments%5D=on&properties%5Btier%5D=gold").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["Saved"]["team"], json!(["payments"]), "{body}");
        assert_eq!(body["Saved"]["title"], "Mine");
        let (_, body) = create(
            "blueprint=widget&identifier=mine&team%5Bpayments%5D=on&properties%5Btier%5D=gold",
        )
        .await;
        assert!(
            body["Invalid"][0]["message"]
                .as_str()
                .unwrap()
                .contains("already taken"),
            "{body}"
        );
        // The catalog page offers the member exactly their teams.
        let req = Request::post("/api/get_catalog_page")
            .header("cookie", &member)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("page=widgets&sort=&search=&offset=0"))
            .unwrap();
        let (_, _, text) = send(&store, req).await;
        let page: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(page["may_create"], true, "{text}");
        assert_eq!(page["assignable_teams"], json!(["payments"]));
    }
);

both_databases!(
    my_teams_lists_exactly_the_viewers_teams_entities,
    |store, _url| {
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        let member = person_cookie(
            &store,
            "m@mine.test",
            UserRole::Member,
            &[],
            &["payments", "search"],
        )
        .await;
        let loner = person_cookie(&store, "l@mine.test", UserRole::Member, &[], &[]).await;
        let total = |cookie: String, form: &'static str| {
            let store = store.clone();
            async move {
                let req = Request::post("/api/get_catalog_page")
                    .header("cookie", cookie)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(form))
                    .unwrap();
                let (status, _, text) = send(&store, req).await;
                assert_eq!(status, StatusCode::OK, "{text}");
                let page: Value = serde_json::from_str(&text).unwrap();
                (page["list"]["total"].as_i64().unwrap(), page)
            }
        };
        let mut expected = 0;
        let mut after = String::new();
        loop {
            let page = store.entities_after("service", &after, 1000).await.unwrap();
            let Some(last) = page.last() else { break };
            after = last.identifier.clone();
            expected += page
                .iter()
                .filter(|e| e.team.iter().any(|t| t == "payments" || t == "search"))
                .count() as i64;
        }
        assert!(expected > 0);
        let (mine, page) = total(
            member.clone(),
            "page=services&sort=&search=&offset=0&mine=true",
        )
        .await;
        assert_eq!(mine, expected);
        assert_eq!(page["view"]["mine"], true);
        assert!(page["list"]["entities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| {
                e["team"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t == "payments" || t == "search")
            }));
        let (all, _) = total(member, "page=services&sort=&search=&offset=0").await;
        assert!(all > mine);
        let (none, _) = total(loner, "page=services&sort=&search=&offset=0&mine=true").await;
        assert_eq!(none, 0);
    }
);
