//! Checkbox lists shared by the invitation form and a user's edit form:
//! the blueprints one may moderate, and the teams one may join. They post
//! as `moderates[<blueprint>]` and `teams[<team>]`, so they work as plain
//! forms too.

use crate::model::{TeamProvider, UsersAndTeams};
use leptos::prelude::*;

/// One checkbox per blueprint: ticked ones make `<blueprint>-moderator`.
#[component]
pub fn BlueprintChoices(
    blueprints: Vec<(String, String)>,
    moderated: Vec<String>,
    id_prefix: String,
) -> impl IntoView {
    view! {
        <fieldset class="choice-list">
            <legend>"Moderator of"</legend>
            <p class="muted small">"A moderator manages a blueprint's entities and their permissions."</p>
            {blueprints.into_iter().map(|(identifier, title)| {
                let id = format!("{id_prefix}-moderates-{identifier}");
                let checked = moderated.contains(&identifier);
                view! {
                    <label class="check" for=id.clone()>
                        <input type="checkbox" id=id.clone() name=format!("moderates[{identifier}]") checked=checked/>
                        {title}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// One checkbox per team made in Portolan; teams synced from the identity
/// provider are listed as they are and posted unchanged (they change there).
#[component]
pub fn TeamChoices(
    data: UsersAndTeams,
    member_of: Vec<String>,
    id_prefix: String,
) -> impl IntoView {
    let idp = data.identity_provider.clone();
    let (native, synced): (Vec<_>, Vec<_>) = data
        .teams
        .into_iter()
        .partition(|t| t.provider == TeamProvider::Native);
    let kept: Vec<String> = synced
        .iter()
        .filter(|t| member_of.contains(&t.name))
        .map(|t| t.name.clone())
        .collect();
    view! {
        <fieldset class="choice-list">
            <legend>"Teams"</legend>
            {native.into_iter().map(|team| {
                let id = format!("{id_prefix}-team-{}", team.name);
                let checked = member_of.contains(&team.name);
                view! {
                    <label class="check" for=id.clone()>
                        <input type="checkbox" id=id.clone() name=format!("teams[{}]", team.name) checked=checked/>
                        {team.name.clone()}
                    </label>
                }
            }).collect_view()}
            {(!kept.is_empty()).then(|| view! {
                <p class="muted small">
                    {format!("From {idp}: {}", kept.join(", "))}
                    {kept.iter().map(|t| view! { <input type="hidden" name=format!("teams[{t}]") value="on"/> }).collect_view()}
                </p>
            })}
            <input type="hidden" name="teams_offered" value="true"/>
        </fieldset>
    }
}
