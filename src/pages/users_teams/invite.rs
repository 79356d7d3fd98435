//! The admin's invitation form: an e-mail, a role, the blueprints the
//! invitee will moderate and the teams they join; the link it made is
//! shown once.

use super::choices::{BlueprintChoices, TeamChoices};
use crate::model::{AppError, Invitation, UsersAndTeams};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Invites someone; the answer carries the one-time link to hand over.
/// Roles are read as Port's role strings, as `POST /v1/users/invite` reads
/// them.
#[server(endpoint = "invite_user", output = crate::model::json_codec::Json)]
pub async fn invite_user(
    email: String,
    role: String,
    #[server(default)] moderates: BTreeMap<String, String>,
    #[server(default)] teams: BTreeMap<String, String>,
    // Sent by the team checkboxes for edits; an invitation has no teams yet.
    #[server(default)] teams_offered: bool,
) -> Result<Invitation, AppError> {
    let _ = teams_offered;
    let moderated: Vec<String> = moderates.into_keys().collect();
    let roles = crate::model::directory::RoleNames::of_choice(&role, &moderated);
    let teams: Vec<String> = teams.into_keys().collect();
    let idp = crate::pages::context::auth()?.idp_name();
    crate::services::directory::invite(
        &crate::pages::context::store()?,
        &crate::pages::context::subject().await?,
        &email,
        &roles,
        &teams,
        &idp,
    )
    .await
}

/// The admin's invitation form, and the link it made (shown once).
#[component]
pub fn InviteForm(invite: ServerAction<InviteUser>, data: UsersAndTeams) -> impl IntoView {
    let result = invite.value();
    let pending = invite.pending();
    let hydrated = crate::components::hydration::use_hydrated();
    let blueprints = data.blueprints.clone();
    view! {
        <section class="invite-panel" aria-label="Invite someone">
            <ActionForm action=invite attr:class="invite-form">
                <label for="invite-email">"Invite by e-mail"</label>
                <input id="invite-email" type="email" name="email" required placeholder="name@company.com"/>
                <label for="invite-role" class="visually-hidden">"Role"</label>
                <select id="invite-role" name="role">
                    <option value="Member" selected>"Member"</option>
                    <option value="Admin">"Admin"</option>
                </select>
                <details class="invite-more">
                    <summary class="button subtle">"Moderates & teams…"</summary>
                    <div class="choice-columns">
                        <BlueprintChoices blueprints=blueprints moderated=Vec::new() id_prefix="invite".to_string()/>
                        <TeamChoices data=data.clone() member_of=Vec::new() id_prefix="invite".to_string()/>
                    </div>
                </details>
                <button type="submit" class="button primary" disabled=move || pending.get() || !hydrated.get()>
                    {move || if pending.get() { "Inviting…" } else { "Invite" }}
                </button>
            </ActionForm>
            {move || match result.get() {
                Some(Ok(invitation)) => {
                    let link = window()
                        .location()
                        .origin()
                        .map(|origin| format!("{origin}{}", invitation.link))
                        .unwrap_or(invitation.link.clone());
                    view! {
                        <div class="invite-result" role="status">
                            <p>
                                "Send this one-time link to " <strong>{invitation.email.clone()}</strong>
                                ". It works once, for 7 days, and is not shown again."
                            </p>
                            <input class="invite-link" readonly value=link aria-label="Invitation link"/>
                        </div>
                    }
                        .into_any()
                }
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message().to_string()}</p> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}
