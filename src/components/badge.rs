//! Small coloured labels for enum values, teams and statuses.

use leptos::prelude::*;

/// A badge in one of Port's enum colours (`blue`, `red`, `lightGray`…);
/// unknown colours fall back to grey.
#[component]
pub fn Badge(
    #[prop(into)] label: String,
    #[prop(default = None)] color: Option<String>,
) -> impl IntoView {
    let color = color.unwrap_or_else(|| "lightGray".into());
    view! { <span class="badge" data-color=color>{label}</span> }
}

/// A team chip.
#[component]
pub fn TeamChip(#[prop(into)] name: String) -> impl IntoView {
    view! { <span class="chip">{name}</span> }
}
