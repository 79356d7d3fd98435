//! Icons for blueprints and pages. Port names icons (`Microservice`,
//! `Cluster`…); we draw a coloured monogram so no icon font or image has to
//! be shipped, and every name gets a stable colour.

use leptos::prelude::*;

fn hue(name: &str) -> u32 {
    name.bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
        % 360
}

fn monogram(name: &str) -> String {
    let upper: String = name.chars().filter(|c| c.is_uppercase()).take(2).collect();
    if upper.chars().count() == 2 {
        return upper;
    }
    name.chars().take(2).collect::<String>().to_uppercase()
}

#[component]
pub fn Icon(#[prop(into)] name: String, #[prop(optional)] large: bool) -> impl IntoView {
    let style = format!("--icon-hue: {}", hue(&name));
    let class = if large { "icon icon-large" } else { "icon" };
    view! {
        <span class=class style=style aria-hidden="true">{monogram(&name)}</span>
    }
}
