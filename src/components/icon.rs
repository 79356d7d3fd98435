//! Icons for blueprints and pages. Port names icons (`Microservice`,
//! `Cluster`…); we draw a coloured monogram so no icon font or image has to
//! be shipped, and every name gets a stable colour.

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

#[component]
pub fn Icon(#[prop(into)] name: String, #[prop(optional)] large: bool) -> impl IntoView {
    let style = format!("--icon-hue: {}", hue(&name));
    let class = if large { "icon icon-large" } else { "icon" };
    view! {
        <span class=class style=style aria-hidden="true">{monogram(&name)}</span>
    }
}
