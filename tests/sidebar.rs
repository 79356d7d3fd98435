//! The sidebar's folders, each test on SQLite and PostgreSQL: Port's
//! `/v1/sidebars/catalog` shape, folder writes and their refusals, pages
//! made inside a folder (through the API and the "New dashboard" form),
//! and what a member's sidebar shows.

mod support;

use axum::http::StatusCode;
use portolan::model::{Sidebar, SignedInUser, Subject, UserRole};
use portolan::services::sidebar;
use serde_json::{json, Value};
use support::{admin_bearer, admin_cookie, api_call, member_cookie, server_fn_call};

fn folder(identifier: Option<&str>, title: &str, parent: Option<&str>) -> Value {
    let mut body = json!({"title": title});
    if let Some(id) = identifier {
        body["identifier"] = json!(id);
    }
    if let Some(parent) = parent {
        body["parent"] = json!(parent);
    }
    body
}

both_databases!(
    folders_are_made_nested_renamed_and_deleted_when_empty,
    |store, _url| {
        let token = admin_bearer(&store).await;
        let post = |body: Value| {
            let store = store.clone();
            let token = token.clone();
            async move {
                api_call(
                    &store,
                    "POST",
                    "/v1/sidebars/catalog/folders",
                    Some(&token),
                    Some(body),
                )
                .await
            }
        };
        // Port's identifier for a title: snake_case.
        let (status, reply) = post(folder(None, "CI/CD", None)).await;
        assert_eq!(status, StatusCode::CREATED, "{reply}");
        assert_eq!(reply["ok"], true);
        assert_eq!(reply["folder"]["identifier"], "ci_cd", "{reply}");
        assert_eq!(reply["folder"]["sidebarType"], "folder");

        // Three deep, not four.
        let (status, reply) = post(folder(Some("pipelines"), "Pipelines", Some("ci_cd"))).await;
        assert_eq!(status, StatusCode::CREATED, "{reply}");
        let (status, reply) = post(folder(Some("nightly"), "Nightly", Some("pipelines"))).await;
        assert_eq!(status, StatusCode::CREATED, "{reply}");
        let (status, reply) = post(folder(Some("deeper"), "Deeper", Some("nightly"))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert!(
            reply["message"]
                .as_str()
                .unwrap()
                .contains("at most 3 deep"),
            "{reply}"
        );

        // A taken identifier, a missing parent, no title.
        let (status, reply) = post(folder(None, "ci cd", None)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{reply}");
        assert!(
            reply["message"].as_str().unwrap().contains("ci_cd"),
            "{reply}"
        );
        let (status, reply) = post(folder(None, "Orphan", Some("nowhere"))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{reply}");
        assert_eq!(reply["error"], "not_found", "{reply}");
        let (status, reply) = post(folder(None, "  ", None)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert!(
            reply["message"].as_str().unwrap().contains("title"),
            "{reply}"
        );

        // A page in a folder: a missing folder is 404 and nothing is made.
        let page = |parent: &str| json!({"identifier": "builds", "title": "Builds", "type": "dashboard", "parent": parent, "widgets": []});
        let (status, reply) = api_call(
            &store,
            "POST",
            "/v1/pages",
            Some(&token),
            Some(page("nowhere")),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{reply}");
        assert!(
            reply["message"]
                .as_str()
                .unwrap()
                .contains("no folder `nowhere`"),
            "{reply}"
        );
        let (status, _) = api_call(&store, "GET", "/v1/pages/builds", Some(&token), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, reply) = api_call(
            &store,
            "POST",
            "/v1/pages",
            Some(&token),
            Some(page("pipelines")),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{reply}");
        let (_, reply) = api_call(&store, "GET", "/v1/pages/builds", Some(&token), None).await;
        assert_eq!(reply["page"]["parent"], "pipelines", "{reply}");

        // Port's sidebar shape lists both.
        let (status, reply) =
            api_call(&store, "GET", "/v1/sidebars/catalog", Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        assert_eq!(reply["sidebar"]["identifier"], "catalog");
        let items = reply["sidebar"]["items"].as_array().unwrap();
        let item = |id: &str| items.iter().find(|i| i["identifier"] == id).cloned();
        assert_eq!(item("nightly").unwrap()["parent"], "pipelines", "{reply}");
        assert_eq!(item("builds").unwrap()["sidebarType"], "page", "{reply}");
        assert_eq!(item("builds").unwrap()["parent"], "pipelines", "{reply}");

        // Renamed, it keeps its identifier; a folder with something in it
        // stays until it is empty.
        let (status, reply) = api_call(
            &store,
            "PATCH",
            "/v1/sidebars/catalog/folders/ci_cd",
            Some(&token),
            Some(json!({"title": "Delivery"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        assert_eq!(reply["folder"]["title"], "Delivery");
        assert_eq!(reply["folder"]["identifier"], "ci_cd");
        let delete = |id: &str| {
            let store = store.clone();
            let token = token.clone();
            let path = format!("/v1/sidebars/catalog/folders/{id}");
            async move { api_call(&store, "DELETE", &path, Some(&token), None).await }
        };
        let (status, reply) = delete("pipelines").await;
        assert_eq!(status, StatusCode::CONFLICT, "{reply}");
        assert!(
            reply["message"]
                .as_str()
                .unwrap()
                .contains("1 page(s) and 1 folder(s)"),
            "{reply}"
        );
        let (status, _) = api_call(&store, "DELETE", "/v1/pages/builds", Some(&token), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(delete("nightly").await.0, StatusCode::OK);
        assert_eq!(delete("pipelines").await.0, StatusCode::OK);
        let (status, reply) = delete("pipelines").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{reply}");
    }
);

both_databases!(
    only_admins_arrange_folders_and_members_see_theirs,
    |store, _url| {
        let token = admin_bearer(&store).await;
        let member = member_cookie(&store, "mo@portolan.test").await;
        let (status, reply) = support::cookie_call(
            &store,
            "POST",
            "/v1/sidebars/catalog/folders",
            &member,
            Some(folder(None, "Mine", None)),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{reply}");
        assert!(
            reply["message"].as_str().unwrap().contains("only an admin"),
            "{reply}"
        );

        // A folder with a page only admins may read.
        let (status, _) = api_call(
            &store,
            "POST",
            "/v1/sidebars/catalog/folders",
            Some(&token),
            Some(folder(None, "Costs", None)),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let page = json!({"identifier": "costs", "title": "Costs", "type": "dashboard", "parent": "costs", "widgets": [],
            "permissions": {"read": {"roles": ["Admin"], "users": [], "teams": []}}});
        let (status, reply) = api_call(&store, "POST", "/v1/pages", Some(&token), Some(page)).await;
        assert_eq!(status, StatusCode::CREATED, "{reply}");

        let someone = Subject::User(SignedInUser {
            email: "mo@portolan.test".into(),
            name: "Mo".into(),
            role: UserRole::Member,
            teams: vec![],
            moderated_blueprints: vec![],
        });
        let Sidebar { items, folders } = sidebar::sidebar(&store, &someone).await.unwrap();
        assert!(items.iter().all(|i| i.identifier != "costs"), "{items:?}");
        // The folder is listed (its page is not): the page draws only
        // folders holding something the viewer sees.
        assert!(folders.iter().any(|f| f.identifier == "costs"));
        let (status, reply) =
            support::cookie_call(&store, "GET", "/v1/sidebars/catalog", &member, None).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let items = reply["sidebar"]["items"].as_array().unwrap();
        assert!(
            items
                .iter()
                .all(|i| i["sidebarType"] != "page" || i["identifier"] != "costs"),
            "{reply}"
        );
    }
);

both_databases!(
    the_new_dashboard_form_files_it_in_a_folder_made_if_needed,
    |store, _url| {
        let cookie = admin_cookie(&store).await;
        let create = |title: &'static str, folder: &'static str| {
            let store = store.clone();
            let cookie = cookie.clone();
            async move {
                server_fn_call(
                    &store,
                    &cookie,
                    "create_dashboard",
                    &[
                        ("title", title),
                        ("icon", ""),
                        ("description", ""),
                        ("folder", folder),
                    ],
                )
                .await
            }
        };
        let (status, reply) = create("Team leads' costs", "Finance").await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let (status, reply) = create("Cloud bill", "finance").await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let (status, reply) = create("Loose", "").await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let folders = store.list_folders().await.unwrap();
        assert_eq!(
            folders.len(),
            1,
            "one folder, found again by its title: {folders:?}"
        );
        assert_eq!(folders[0].identifier, "finance");
        let pages = store.list_pages().await.unwrap();
        let parent = |id: &str| {
            pages
                .iter()
                .find(|p| p.identifier == id)
                .unwrap_or_else(|| panic!("no page `{id}`"))
                .parent
                .clone()
        };
        assert_eq!(parent("team-leads-costs").as_deref(), Some("finance"));
        assert_eq!(parent("cloud-bill").as_deref(), Some("finance"));
        assert_eq!(parent("loose"), None);

        // A taken title is refused before any folder is made for it.
        let (status, reply) = create("Cloud bill", "Elsewhere").await;
        assert_eq!(status, StatusCode::CONFLICT, "{reply}");
        assert_eq!(store.list_folders().await.unwrap().len(), 1);
    }
);
