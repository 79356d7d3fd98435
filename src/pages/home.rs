//! The home page: what the catalog holds, with a way into each part.

use crate::components::error::{ErrorView, Loading};
use crate::components::icon::Icon;
use crate::model::{AppError, HomeData};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(endpoint = "get_home", output = crate::model::json_codec::Json)]
pub async fn get_home() -> Result<HomeData, AppError> {
    let subject = crate::pages::context::subject().await?;
    crate::services::catalog::home(&crate::pages::context::store()?, &subject).await
}

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_home());
    view! {
        <Title text="Home"/>
        <div class="page-header">
            <div>
                <h1>"Welcome to Portolan"</h1>
                <p class="subtitle">"Everything your teams own and run, in one catalog."</p>
            </div>
        </div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(home) => {
                        let total: i64 = home.blueprints.iter().map(|b| b.entities).sum();
                        view! {
                            <section class="stats" aria-label="Catalog size">
                                <div class="stat"><span class="stat-value">{total}</span><span class="stat-label">"Entities"</span></div>
                                <div class="stat"><span class="stat-value">{home.blueprints.len()}</span><span class="stat-label">"Blueprints"</span></div>
                                <div class="stat"><a href="/users-teams?tab=teams"><span class="stat-value">{home.teams}</span><span class="stat-label">"Teams"</span></a></div>
                                <div class="stat"><a href="/users-teams"><span class="stat-value">{home.users}</span><span class="stat-label">"Users"</span></a></div>
                            </section>
                            <h2 class="section-title">"Catalog"</h2>
                            {if home.blueprints.is_empty() {
                                view! {
                                    <div class="empty-state">
                                        <h3>"The catalog is empty"</h3>
                                        <p>"Define a blueprint in the builder, or start the portal with demo data (PORTOLAN_DEMO_DATA=1)."</p>
                                    </div>
                                }.into_any()
                            } else {
                                view! {
                                    <ul class="card-grid">
                                        {home.blueprints.into_iter().map(|bp| {
                                            let href = bp.href.clone().unwrap_or_else(|| "/builder".into());
                                            let icon = bp.icon.clone().unwrap_or_else(|| bp.title.clone());
                                            view! {
                                                <li class="card">
                                                    <a class="card-link" href=href>
                                                        <Icon name=icon large=true/>
                                                        <div class="card-body">
                                                            <h3>{bp.title.clone()}</h3>
                                                            <p class="muted">{bp.description.clone().unwrap_or_default()}</p>
                                                        </div>
                                                        <span class="card-count">{bp.entities}</span>
                                                    </a>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
