//! Icons for blueprints, pages and widgets. Port names icons
//! (`Microservice`, `Cluster`, `Github`…); this draws the common ones as
//! inline SVG (one stroked path each, `currentColor`, so they follow the
//! text colour), on a tile tinted by a hue that is stable per name. A name
//! it does not know gets a two-letter monogram on the same tile.
//!
//! The drawings are Lucide's (lucide-static 1.87.0, ISC licence, © Lucide
//! Icons and Contributors; some are derived from Feather, MIT licence,
//! © 2013 Cole Bemis; the licence texts are in
//! `docs/third-party/lucide-LICENSE.txt`), each icon's shapes written as
//! one path. Lucide draws no brand logos, so `Github`, `Docker`, `AWS` and
//! the like get a generic stand-in (a pull request, a container, a cloud).
//! They are constants in a `match`, not a table read at run time: about
//! 9 KB of path text and no parser (the release bundle grew by 17.7 KB,
//! 5.8 KB with brotli, over the monograms).

use leptos::prelude::*;

fn hue(name: &str) -> u32 {
    name.bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
        % 360
}

/// `UsersTeams` → `UT`, `service` → `se` (shown in capitals by the
/// stylesheet, which knows every script's case; see `initials`).
fn monogram(name: &str) -> String {
    let upper: String = name
        .chars()
        .filter(|c| c.is_ascii_uppercase())
        .take(2)
        .collect();
    if upper.len() == 2 {
        return upper;
    }
    name.chars().take(2).collect()
}

/// The drawing of an icon name: the name itself (case, spaces, `-` and
/// `_` ignored, a plural `s` dropped), else its last words (`GoldServices`
/// is drawn as `Services`, `AwsLambda` as `Lambda`).
pub fn drawing(name: &str) -> Option<&'static str> {
    let words = std::iter::once(0).chain(
        name.char_indices()
            .skip(1)
            .filter(|(_, c)| c.is_ascii_uppercase())
            .map(|(i, _)| i),
    );
    words
        .filter_map(|at| {
            let key: String = name[at..]
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            known(&key).or_else(|| known(key.strip_suffix('s')?))
        })
        .next()
}

/// Path data (24×24, stroke 2) by normalised icon name.
fn known(key: &str) -> Option<&'static str> {
    Some(match key {
        "microservice" | "service" => BOXES,
        "cluster" | "network" | "mesh" => NETWORK,
        "kubernetes" | "k8s" | "helm" | "argocd" => SHIP_WHEEL,
        "environment" | "env" | "stage" => LAYERS,
        "deployment" | "deploy" | "rocket" | "launch" => ROCKET,
        "team" | "group" | "squad" | "users" | "usersteams" | "people" => USERS,
        "user" | "person" | "owner" | "member" | "account" => USER,
        "github" | "pullrequest" | "pr" => GIT_PULL_REQUEST,
        "git" | "branch" | "repository" | "repo" | "gitlab" | "bitbucket" => GIT_BRANCH,
        "merge" => GIT_MERGE,
        "docker" | "container" | "image" => CONTAINER,
        "cloud" | "aws" | "gcp" | "azure" | "cloudprovider" => CLOUD,
        "database" | "db" | "postgres" | "postgresql" | "mysql" | "mongodb" | "redis" | "sql"
        | "datastore" => DATABASE,
        "server" | "host" | "vm" | "machine" | "instance" => SERVER,
        "api" | "openapi" | "swagger" | "endpoint" | "json" => BRACES,
        "webhook" => WEBHOOK,
        "plugin" | "plug" | "connector" | "integration" => PLUG,
        "package" | "npm" | "artifact" | "dependency" | "library" => PACKAGE,
        "box" | "product" => BOX,
        "lock" | "secret" | "vault" | "privacy" => LOCK,
        "security" | "shield" | "compliance" | "policy" => SHIELD_CHECK,
        "credentials" | "credential" | "key" | "token" | "apikey" | "password" | "auth" => {
            KEY_ROUND
        }
        "bug" | "issue" | "defect" | "vulnerability" | "jira" => BUG,
        "alert" | "warning" | "alarm" => TRIANGLE_ALERT,
        "incident" | "pagerduty" | "outage" | "oncall" | "opsgenie" => SIREN,
        "bell" | "notification" => BELL,
        "book" | "docs" | "documentation" | "runbook" | "readme" | "wiki" | "guide" => BOOK_OPEN,
        "file" | "document" | "changelog" => FILE_TEXT,
        "dashboard" | "overview" => LAYOUT_DASHBOARD,
        "home" => HOUSE,
        "chart" | "metrics" | "metric" | "graph" | "analytics" | "report" | "stats" => CHART_COLUMN,
        "activity" | "monitoring" | "health" | "pulse" | "observability" => ACTIVITY,
        "scorecard" | "gauge" | "performance" | "sla" | "slo" => GAUGE,
        "calendar" | "schedule" | "date" | "event" => CALENDAR,
        "clock" | "time" | "cron" | "history" => CLOCK,
        "settings" | "config" | "configuration" | "cog" | "preferences" => SETTINGS,
        "catalog" | "softwarecatalog" => LIBRARY_BIG,
        "blueprint" | "builder" | "datamodel" => DRAFTING_COMPASS,
        "link" | "url" => LINK,
        "folder" | "directory" | "project" => FOLDER,
        "star" | "favorite" | "favourite" => STAR,
        "terminal" | "cli" | "shell" | "console" | "command" => SQUARE_TERMINAL,
        "code" | "sourcecode" | "source" | "sdk" | "script" => CODE,
        "pipeline" | "workflow" | "ci" | "cicd" | "githubactions" | "jenkins" | "action" => {
            WORKFLOW
        }
        "lambda" | "function" | "serverless" | "automation" | "trigger" => ZAP,
        "globe" | "region" | "domain" | "website" | "dns" | "internet" => GLOBE,
        "cpu" | "compute" | "hardware" => CPU,
        "storage" | "disk" | "volume" | "s3" | "bucket" => HARD_DRIVE,
        "slack" | "message" | "chat" | "comment" => MESSAGE_SQUARE,
        "mail" | "email" => MAIL,
        "ai" | "bot" | "agent" | "llm" => BOT,
        "tag" | "release" | "version" | "label" => TAG,
        "flag" | "featureflag" | "feature" => FLAG,
        "checklist" | "check" | "tasks" | "todo" | "initiative" => LIST_CHECKS,
        "organization" | "org" | "company" | "business" | "tenant" => BUILDING_2,
        "tool" | "tools" | "maintenance" => WRENCH,
        _ => return None,
    })
}

/// `boxes`
const BOXES: &str = "M2.97 12.92A2 2 0 0 0 2 14.63v3.24a2 2 0 0 0 .97 1.71l3 1.8a2 2 0 0 0 2.06 0L12 19v-5.5l-5-3z M7 16.5l-4.74-2.85 M7 16.5l5-3 M7 16.5v5.17 M12 13.5V19l3.97 2.38a2 2 0 0 0 2.06 0l3-1.8a2 2 0 0 0 .97-1.71v-3.24a2 2 0 0 0-.97-1.71L17 10.5z M17 16.5l-5-3 M17 16.5l4.74-2.85 M17 16.5v5.17 M7.97 4.42A2 2 0 0 0 7 6.13v4.37l5 3 5-3V6.13a2 2 0 0 0-.97-1.71l-3-1.8a2 2 0 0 0-2.06 0z M12 8 7.26 5.15 M12 8l4.74-2.85 M12 13.5V8";
/// `network`
const NETWORK: &str = "M17 16h4a1 1 0 0 1 1 1v4a1 1 0 0 1 -1 1h-4a1 1 0 0 1 -1 -1v-4a1 1 0 0 1 1 -1Z M3 16h4a1 1 0 0 1 1 1v4a1 1 0 0 1 -1 1h-4a1 1 0 0 1 -1 -1v-4a1 1 0 0 1 1 -1Z M10 2h4a1 1 0 0 1 1 1v4a1 1 0 0 1 -1 1h-4a1 1 0 0 1 -1 -1v-4a1 1 0 0 1 1 -1Z M5 16v-3a1 1 0 0 1 1-1h12a1 1 0 0 1 1 1v3 M12 12V8";
/// `ship-wheel`
const SHIP_WHEEL: &str = "M4 12a8 8 0 1 0 16 0a8 8 0 1 0 -16 0 M12 2v7.5 M19 5l-5.23 5.23 M22 12h-7.5 M19 19l-5.23-5.23 M12 14.5V22 M10.23 13.77 5 19 M9.5 12H2 M10.23 10.23 5 5 M9.5 12a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0 -5 0";
/// `layers`
const LAYERS: &str = "M12.83 2.18a2 2 0 0 0-1.66 0L2.6 6.08a1 1 0 0 0 0 1.83l8.58 3.91a2 2 0 0 0 1.66 0l8.58-3.9a1 1 0 0 0 0-1.83z M2 12a1 1 0 0 0 .58.91l8.6 3.91a2 2 0 0 0 1.65 0l8.58-3.9A1 1 0 0 0 22 12 M2 17a1 1 0 0 0 .58.91l8.6 3.91a2 2 0 0 0 1.65 0l8.58-3.9A1 1 0 0 0 22 17";
/// `rocket`
const ROCKET: &str = "M12 15v5s3.03-.55 4-2c1.08-1.62 0-5 0-5 M4.5 16.5c-1.5 1.26-2 5-2 5s3.74-.5 5-2c.71-.84.7-2.13-.09-2.91a2.18 2.18 0 0 0-2.91-.09 M9 12a22 22 0 0 1 2-3.95A12.88 12.88 0 0 1 22 2c0 2.72-.78 7.5-6 11a22.4 22.4 0 0 1-4 2z M9 12H4s.55-3.03 2-4c1.62-1.08 5 .05 5 .05";
/// `users`
const USERS: &str = "M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2 M16 3.128a4 4 0 0 1 0 7.744 M22 21v-2a4 4 0 0 0-3-3.87 M5 7a4 4 0 1 0 8 0a4 4 0 1 0 -8 0";
/// `user`
const USER: &str = "M19 21v-2a4 4 0 0 0-4-4H9a4 4 0 0 0-4 4v2 M8 7a4 4 0 1 0 8 0a4 4 0 1 0 -8 0";
/// `git-pull-request`
const GIT_PULL_REQUEST: &str = "M15 18a3 3 0 1 0 6 0a3 3 0 1 0 -6 0 M3 6a3 3 0 1 0 6 0a3 3 0 1 0 -6 0 M13 6h3a2 2 0 0 1 2 2v7 M6 9L6 21";
/// `git-branch`
const GIT_BRANCH: &str =
    "M15 6a9 9 0 0 0-9 9V3 M15 6a3 3 0 1 0 6 0a3 3 0 1 0 -6 0 M3 18a3 3 0 1 0 6 0a3 3 0 1 0 -6 0";
/// `git-merge`
const GIT_MERGE: &str =
    "M15 18a3 3 0 1 0 6 0a3 3 0 1 0 -6 0 M3 6a3 3 0 1 0 6 0a3 3 0 1 0 -6 0 M6 21V9a9 9 0 0 0 9 9";
/// `container`
const CONTAINER: &str = "M22 7.7c0-.6-.4-1.2-.8-1.5l-6.3-3.9a1.72 1.72 0 0 0-1.7 0l-10.3 6c-.5.2-.9.8-.9 1.4v6.6c0 .5.4 1.2.8 1.5l6.3 3.9a1.72 1.72 0 0 0 1.7 0l10.3-6c.5-.3.9-1 .9-1.5Z M10 21.9V14L2.1 9.1 M10 14l11.9-6.9 M14 19.8v-8.1 M18 17.5V9.4";
/// `cloud`
const CLOUD: &str = "M17.5 19H9a7 7 0 1 1 6.71-9h1.79a4.5 4.5 0 1 1 0 9";
/// `database`
const DATABASE: &str =
    "M3 5a9 3 0 1 0 18 0a9 3 0 1 0 -18 0 M3 5v14a9 3 0 0 0 18 0V5 M3 12a9 3 0 0 0 18 0";
/// `server`
const SERVER: &str = "M4 2h16a2 2 0 0 1 2 2v4a2 2 0 0 1 -2 2h-16a2 2 0 0 1 -2 -2v-4a2 2 0 0 1 2 -2Z M4 14h16a2 2 0 0 1 2 2v4a2 2 0 0 1 -2 2h-16a2 2 0 0 1 -2 -2v-4a2 2 0 0 1 2 -2Z M6 6L6.01 6 M6 18L6.01 18";
/// `braces`
const BRACES: &str = "M8 3H7a2 2 0 0 0-2 2v5a2 2 0 0 1-2 2 2 2 0 0 1 2 2v5c0 1.1.9 2 2 2h1 M16 21h1a2 2 0 0 0 2-2v-5c0-1.1.9-2 2-2a2 2 0 0 1-2-2V5a2 2 0 0 0-2-2h-1";
/// `webhook`
const WEBHOOK: &str = "M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2 M6 17l3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06 M12 6l3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8";
/// `plug`
const PLUG: &str = "M12 22v-5 M15 8V2 M17 8a1 1 0 0 1 1 1v4a4 4 0 0 1-4 4h-4a4 4 0 0 1-4-4V9a1 1 0 0 1 1-1z M9 8V2";
/// `package`
const PACKAGE: &str = "M11 21.73a2 2 0 0 0 2 0l7-4A2 2 0 0 0 21 16V8a2 2 0 0 0-1-1.73l-7-4a2 2 0 0 0-2 0l-7 4A2 2 0 0 0 3 8v8a2 2 0 0 0 1 1.73z M12 22V12 M3.29 7L12 12 20.71 7 M7.5 4.27l9 5.15";
/// `box`
const BOX: &str = "M21 8a2 2 0 0 0-1-1.73l-7-4a2 2 0 0 0-2 0l-7 4A2 2 0 0 0 3 8v8a2 2 0 0 0 1 1.73l7 4a2 2 0 0 0 2 0l7-4A2 2 0 0 0 21 16Z M3.3 7l8.7 5 8.7-5 M12 22V12";
/// `lock`
const LOCK: &str = "M5 11h14a2 2 0 0 1 2 2v7a2 2 0 0 1 -2 2h-14a2 2 0 0 1 -2 -2v-7a2 2 0 0 1 2 -2Z M7 11V7a5 5 0 0 1 10 0v4";
/// `shield-check`
const SHIELD_CHECK: &str = "M20 13c0 5-3.5 7.5-7.66 8.95a1 1 0 0 1-.67-.01C7.5 20.5 4 18 4 13V6a1 1 0 0 1 1-1c2 0 4.5-1.2 6.24-2.72a1.17 1.17 0 0 1 1.52 0C14.51 3.81 17 5 19 5a1 1 0 0 1 1 1z M9 12l2 2 4-4";
/// `key-round`
const KEY_ROUND: &str = "M2.586 17.414A2 2 0 0 0 2 18.828V21a1 1 0 0 0 1 1h3a1 1 0 0 0 1-1v-1a1 1 0 0 1 1-1h1a1 1 0 0 0 1-1v-1a1 1 0 0 1 1-1h.172a2 2 0 0 0 1.414-.586l.814-.814a6.5 6.5 0 1 0-4-4z M16 7.5a0.5 0.5 0 1 0 1 0a0.5 0.5 0 1 0 -1 0";
/// `bug`
const BUG: &str = "M12 20v-9 M14 7a4 4 0 0 1 4 4v3a6 6 0 0 1-12 0v-3a4 4 0 0 1 4-4z M14.12 3.88 16 2 M21 21a4 4 0 0 0-3.81-4 M21 5a4 4 0 0 1-3.55 3.97 M22 13h-4 M3 21a4 4 0 0 1 3.81-4 M3 5a4 4 0 0 0 3.55 3.97 M6 13H2 M8 2l1.88 1.88 M9 7.13V6a3 3 0 1 1 6 0v1.13";
/// `triangle-alert`
const TRIANGLE_ALERT: &str =
    "M21.73 18l-8-14a2 2 0 0 0-3.48 0l-8 14A2 2 0 0 0 4 21h16a2 2 0 0 0 1.73-3 M12 9v4 M12 17h.01";
/// `siren`
const SIREN: &str = "M7 18v-6a5 5 0 1 1 10 0v6 M5 21a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-1a2 2 0 0 0-2-2H7a2 2 0 0 0-2 2z M21 12h1 M18.5 4.5 18 5 M2 12h1 M12 2v1 M4.929 4.929l.707.707 M12 12v6";
/// `bell`
const BELL: &str = "M10.268 21a2 2 0 0 0 3.464 0 M3.262 15.326A1 1 0 0 0 4 17h16a1 1 0 0 0 .74-1.673C19.41 13.956 18 12.499 18 8A6 6 0 0 0 6 8c0 4.499-1.411 5.956-2.738 7.326";
/// `book-open`
const BOOK_OPEN: &str = "M12 5v16 M20.001 19A2 2 0 0 0 22 17V5a2 2 0 0 0-1.999-2L16 3.002A5 5 0 0 0 12 5a5 5 0 0 0-4-2H4a2 2 0 0 0-2 2v12a2 2 0 0 0 1.999 2H8a5 5 0 0 1 4 2 5 5 0 0 1 4-2z";
/// `file-text`
const FILE_TEXT: &str = "M6 22a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h8a2.4 2.4 0 0 1 1.704.706l3.588 3.588A2.4 2.4 0 0 1 20 8v12a2 2 0 0 1-2 2z M14 2v5a1 1 0 0 0 1 1h5 M10 9H8 M16 13H8 M16 17H8";
/// `layout-dashboard`
const LAYOUT_DASHBOARD: &str = "M4 3h5a1 1 0 0 1 1 1v7a1 1 0 0 1 -1 1h-5a1 1 0 0 1 -1 -1v-7a1 1 0 0 1 1 -1Z M15 3h5a1 1 0 0 1 1 1v3a1 1 0 0 1 -1 1h-5a1 1 0 0 1 -1 -1v-3a1 1 0 0 1 1 -1Z M15 12h5a1 1 0 0 1 1 1v7a1 1 0 0 1 -1 1h-5a1 1 0 0 1 -1 -1v-7a1 1 0 0 1 1 -1Z M4 16h5a1 1 0 0 1 1 1v3a1 1 0 0 1 -1 1h-5a1 1 0 0 1 -1 -1v-3a1 1 0 0 1 1 -1Z";
/// `house`
const HOUSE: &str = "M15 21v-8a1 1 0 0 0-1-1h-4a1 1 0 0 0-1 1v8 M3 10a2 2 0 0 1 .709-1.528l7-6a2 2 0 0 1 2.582 0l7 6A2 2 0 0 1 21 10v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z";
/// `chart-column`
const CHART_COLUMN: &str = "M3 3v16a2 2 0 0 0 2 2h16 M18 17V9 M13 17V5 M8 17v-3";
/// `activity`
const ACTIVITY: &str = "M22 12h-2.48a2 2 0 0 0-1.93 1.46l-2.35 8.36a.25.25 0 0 1-.48 0L9.24 2.18a.25.25 0 0 0-.48 0l-2.35 8.36A2 2 0 0 1 4.49 12H2";
/// `gauge`
const GAUGE: &str = "M12 14l4-4 M3.34 19a10 10 0 1 1 17.32 0";
/// `calendar`
const CALENDAR: &str = "M8 2v3 M16 2v3 M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1 -2 2h-14a2 2 0 0 1 -2 -2v-14a2 2 0 0 1 2 -2Z M3 9h18";
/// `clock`
const CLOCK: &str = "M2 12a10 10 0 1 0 20 0a10 10 0 1 0 -20 0 M12 6v6l4 2";
/// `settings`
const SETTINGS: &str = "M9.671 4.136a2.34 2.34 0 0 1 4.659 0 2.34 2.34 0 0 0 3.319 1.915 2.34 2.34 0 0 1 2.33 4.033 2.34 2.34 0 0 0 0 3.831 2.34 2.34 0 0 1-2.33 4.033 2.34 2.34 0 0 0-3.319 1.915 2.34 2.34 0 0 1-4.659 0 2.34 2.34 0 0 0-3.32-1.915 2.34 2.34 0 0 1-2.33-4.033 2.34 2.34 0 0 0 0-3.831A2.34 2.34 0 0 1 6.35 6.051a2.34 2.34 0 0 0 3.319-1.915 M9 12a3 3 0 1 0 6 0a3 3 0 1 0 -6 0";
/// `library-big`
const LIBRARY_BIG: &str = "M4 3h6a1 1 0 0 1 1 1v16a1 1 0 0 1 -1 1h-6a1 1 0 0 1 -1 -1v-16a1 1 0 0 1 1 -1Z M7 3v18 M20.4 18.9c.2.5-.1 1.1-.6 1.3l-1.9.7c-.5.2-1.1-.1-1.3-.6L11.1 5.1c-.2-.5.1-1.1.6-1.3l1.9-.7c.5-.2 1.1.1 1.3.6Z";
/// `drafting-compass`
const DRAFTING_COMPASS: &str = "M12.99 6.74l1.93 3.44 M19.136 12a10 10 0 0 1-14.271 0 M21 21l-2.16-3.84 M3 21l8.02-14.26 M10 5a2 2 0 1 0 4 0a2 2 0 1 0 -4 0";
/// `link`
const LINK: &str = "M11 6l1.5-1.5a5 5 0 0 1 8.415 3.51A5 5 0 0 1 19.5 11.5L18 13 M13 18l-1.5 1.5a5 5 0 0 1-8.415-3.51A5 5 0 0 1 4.5 12.5L6 11 M9 15l6-6";
/// `folder`
const FOLDER: &str = "M20 20a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-7.9a2 2 0 0 1-1.69-.9L9.6 3.9A2 2 0 0 0 7.93 3H4a2 2 0 0 0-2 2v13a2 2 0 0 0 2 2Z";
/// `star`
const STAR: &str = "M11.525 2.295a.53.53 0 0 1 .95 0l2.31 4.679a2.12 2.12 0 0 0 1.595 1.16l5.166.756a.53.53 0 0 1 .294.904l-3.736 3.638a2.12 2.12 0 0 0-.611 1.878l.882 5.14a.53.53 0 0 1-.771.56l-4.618-2.428a2.12 2.12 0 0 0-1.973 0L6.396 21.01a.53.53 0 0 1-.77-.56l.881-5.139a2.12 2.12 0 0 0-.611-1.879L2.16 9.795a.53.53 0 0 1 .294-.906l5.165-.755a2.12 2.12 0 0 0 1.597-1.16z";
/// `square-terminal`
const SQUARE_TERMINAL: &str = "M7 11l2-2-2-2 M11 13h4 M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1 -2 2h-14a2 2 0 0 1 -2 -2v-14a2 2 0 0 1 2 -2Z";
/// `code`
const CODE: &str = "M16 18l6-6-6-6 M8 6l-6 6 6 6";
/// `workflow`
const WORKFLOW: &str = "M5 3h4a2 2 0 0 1 2 2v4a2 2 0 0 1 -2 2h-4a2 2 0 0 1 -2 -2v-4a2 2 0 0 1 2 -2Z M7 11v4a2 2 0 0 0 2 2h4 M15 13h4a2 2 0 0 1 2 2v4a2 2 0 0 1 -2 2h-4a2 2 0 0 1 -2 -2v-4a2 2 0 0 1 2 -2Z";
/// `zap`
const ZAP: &str = "M15.914 4a1.5 1.5 0 0 0-2.474-1.561l-9 9A1.5 1.5 0 0 0 5.5 14h4.002a.5.5 0 0 1 .471.666L8.086 20a1.5 1.5 0 0 0 2.475 1.56l9-9A1.5 1.5 0 0 0 18.5 10h-3.997a.5.5 0 0 1-.472-.667z";
/// `globe`
const GLOBE: &str = "M2 12a10 10 0 1 0 20 0a10 10 0 1 0 -20 0 M12 2a14.5 14.5 0 0 0 0 20 14.5 14.5 0 0 0 0-20 M2 12h20";
/// `cpu`
const CPU: &str = "M12 20v2 M12 2v2 M17 20v2 M17 2v2 M2 12h2 M2 17h2 M2 7h2 M20 12h2 M20 17h2 M20 7h2 M7 20v2 M7 2v2 M6 4h12a2 2 0 0 1 2 2v12a2 2 0 0 1 -2 2h-12a2 2 0 0 1 -2 -2v-12a2 2 0 0 1 2 -2Z M9 8h6a1 1 0 0 1 1 1v6a1 1 0 0 1 -1 1h-6a1 1 0 0 1 -1 -1v-6a1 1 0 0 1 1 -1Z";
/// `hard-drive`
const HARD_DRIVE: &str = "M10 16h.01 M2.212 11.577a2 2 0 0 0-.212.896V18a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-5.527a2 2 0 0 0-.212-.896L18.55 5.11A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z M21.946 12.013H2.054 M6 16h.01";
/// `message-square`
const MESSAGE_SQUARE: &str = "M22 17a2 2 0 0 1-2 2H6.828a2 2 0 0 0-1.414.586l-2.202 2.202A.71.71 0 0 1 2 21.286V5a2 2 0 0 1 2-2h16a2 2 0 0 1 2 2z";
/// `mail`
const MAIL: &str = "M22 7l-8.991 5.727a2 2 0 0 1-2.009 0L2 7 M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1 -2 2h-16a2 2 0 0 1 -2 -2v-12a2 2 0 0 1 2 -2Z";
/// `bot`
const BOT: &str = "M12 8V4H8 M6 8h12a2 2 0 0 1 2 2v8a2 2 0 0 1 -2 2h-12a2 2 0 0 1 -2 -2v-8a2 2 0 0 1 2 -2Z M2 14h2 M20 14h2 M15 13v2 M9 13v2";
/// `tag`
const TAG: &str = "M12.586 2.586A2 2 0 0 0 11.172 2H4a2 2 0 0 0-2 2v7.172a2 2 0 0 0 .586 1.414l8.704 8.704a2.426 2.426 0 0 0 3.42 0l6.58-6.58a2.426 2.426 0 0 0 0-3.42z M7 7.5a0.5 0.5 0 1 0 1 0a0.5 0.5 0 1 0 -1 0";
/// `flag`
const FLAG: &str = "M4 22V4a1 1 0 0 1 .4-.8A6 6 0 0 1 8 2c3 0 5 2 7.333 2q2 0 3.067-.8A1 1 0 0 1 20 4v10a1 1 0 0 1-.4.8A6 6 0 0 1 16 16c-3 0-5-2-8-2a6 6 0 0 0-4 1.528";
/// `list-checks`
const LIST_CHECKS: &str = "M13 5h8 M13 12h8 M13 19h8 M3 17l2 2 4-4 M3 7l2 2 4-4";
/// `building-2`
const BUILDING_2: &str = "M10 12h4 M10 8h4 M14 21v-3a2 2 0 0 0-4 0v3 M6 10H4a2 2 0 0 0-2 2v7a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V9a2 2 0 0 0-2-2h-2 M6 21V5a2 2 0 0 1 2-2h8a2 2 0 0 1 2 2v16";
/// `wrench`
const WRENCH: &str = "M14.7 6.3a1 1 0 0 0 0 1.4l1.6 1.6a1 1 0 0 0 1.4 0l3.106-3.105c.32-.322.863-.22.983.218a6 6 0 0 1-8.259 7.057l-7.91 7.91a1 1 0 0 1-2.999-3l7.91-7.91a6 6 0 0 1 7.057-8.259c.438.12.54.662.219.984z";

#[component]
pub fn Icon(#[prop(into)] name: String, #[prop(optional)] large: bool) -> impl IntoView {
    let style = format!("--icon-hue: {}", hue(&name));
    let class = if large { "icon icon-large" } else { "icon" };
    match drawing(&name) {
        Some(path) => view! {
            <span class=class style=style aria-hidden="true">
                <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                    <path d=path/>
                </svg>
            </span>
        }
        .into_any(),
        None => view! {
            <span class=class style=style aria-hidden="true">{monogram(&name)}</span>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_names_are_drawn_whatever_their_case_or_plural() {
        for name in [
            "Microservice",
            "Service",
            "Cluster",
            "Environment",
            "Deployment",
            "Team",
            "User",
            "UsersTeams",
            "Github",
            "Git",
            "Kubernetes",
            "Docker",
            "Cloud",
            "AWS",
            "Database",
            "Server",
            "API",
            "Api",
            "Package",
            "Lock",
            "Security",
            "Bug",
            "Alert",
            "Incident",
            "Book",
            "Docs",
            "Dashboard",
            "Home",
            "Chart",
            "Calendar",
            "Clock",
            "Settings",
            "Catalog",
            "Blueprint",
            "Builder",
            "Credentials",
            "Link",
            "Folder",
            "Star",
            "Rocket",
            "Terminal",
            "Code",
            "Pipeline",
            "Workflow",
            "Box",
            "microservices",
            "feature-flag",
        ] {
            let path = drawing(name).unwrap_or_else(|| panic!("{name} has no drawing"));
            // One path of absolute subpaths (a leading relative move
            // would shift a shape once joined after another).
            assert!(path.starts_with('M'), "{name}: {path}");
        }
        assert_eq!(drawing("Services"), drawing("Service"));
        assert_eq!(drawing("users_teams"), drawing("UsersTeams"));
    }

    #[test]
    fn a_compound_name_is_drawn_by_its_last_words() {
        assert_eq!(drawing("GoldServices"), drawing("Service"));
        assert_eq!(drawing("AwsLambda"), drawing("Lambda"));
        // A word inside a name is not matched ("Sandbox" is not a "box").
        assert_eq!(drawing("Sandbox"), None);
    }

    #[test]
    fn unknown_names_fall_back_to_a_monogram() {
        assert_eq!(drawing("Quasar"), None);
        assert_eq!(monogram("QuasarThing"), "QT");
        assert_eq!(monogram("quasar"), "qu");
    }
}
