//! The page for any URL the portal does not know (HTTP 404).

use crate::components::error::ErrorView;
use crate::model::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    view! {
        <Title text="Page not found"/>
        <ErrorView error=AppError::NotFound(format!(
            "There is no page at {path}. It may have been renamed or deleted."
        ))/>
    }
}
