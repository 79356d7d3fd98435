//! API credentials: a person's own client id and secret (acting as them),
//! and, for admins, the organization's machine credentials. A secret is
//! shown once, right after it is made.

use crate::components::badge::Badge;
use crate::components::error::{ErrorView, Loading};
use crate::components::value::local_time;
use crate::model::{AppError, CredentialInfo, CredentialsView, IssuedCredential};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(endpoint = "get_credentials", output = crate::model::json_codec::Json)]
pub async fn get_credentials() -> Result<CredentialsView, AppError> {
    crate::services::credentials::view(
        &crate::pages::context::store()?,
        &crate::pages::context::subject().await?,
    )
    .await
}

/// Makes or rotates the viewer's own credentials.
#[server(endpoint = "rotate_my_credentials", output = crate::model::json_codec::Json)]
pub async fn rotate_my_credentials() -> Result<IssuedCredential, AppError> {
    let subject = crate::pages::context::subject().await?;
    crate::authz::require(
        &subject,
        crate::authz::may_hold_personal_credentials(&subject),
    )?;
    let email = subject.audit_name();
    crate::services::credentials::rotate_personal(
        &crate::pages::context::store()?,
        &subject,
        &email,
    )
    .await
}

#[server(endpoint = "create_machine_credential", output = crate::model::json_codec::Json)]
pub async fn create_machine_credential(role: String) -> Result<IssuedCredential, AppError> {
    use crate::model::UserRole;
    let role = UserRole::admin_or_member(&role)?;
    crate::services::credentials::create_machine(
        &crate::pages::context::store()?,
        &crate::pages::context::subject().await?,
        role,
    )
    .await
}

#[server(endpoint = "revoke_credential", output = crate::model::json_codec::Json)]
pub async fn revoke_credential(client_id: String) -> Result<(), AppError> {
    crate::services::credentials::revoke(
        &crate::pages::context::store()?,
        &crate::pages::context::subject().await?,
        &client_id,
    )
    .await
}

/// The one-time display of a new secret, or the error of the attempt.
fn issued_view(result: Option<Result<IssuedCredential, AppError>>) -> AnyView {
    match result {
        Some(Ok(issued)) => view! {
            <div class="secret-once" role="status">
                <p><strong>"Copy the secret now: it is not shown again."</strong></p>
                <label>"Client id"<input readonly class="invite-link" value=issued.client_id/></label>
                <label>"Client secret"<input readonly class="invite-link" value=issued.client_secret/></label>
            </div>
        }
        .into_any(),
        Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message().to_string()}</p> }.into_any(),
        None => ().into_any(),
    }
}

fn revoke_form(
    revoke: ServerAction<RevokeCredential>,
    client_id: String,
    label: &'static str,
) -> impl IntoView {
    view! {
        <ActionForm action=revoke attr:class="inline-form">
            <input type="hidden" name="client_id" value=client_id/>
            <button type="submit" class="button subtle danger">{label}</button>
        </ActionForm>
    }
}

fn credentials_table(
    all: Vec<CredentialInfo>,
    revoke: ServerAction<RevokeCredential>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="entity-table">
                <thead><tr>
                    <th scope="col">"Client id"</th><th scope="col">"Acts as"</th>
                    <th scope="col">"Created"</th><th scope="col">"Status"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {all.into_iter().map(|c| {
                        let acts_as = match &c.owner {
                            Some(owner) => owner.clone(),
                            None => format!("Machine ({})", c.role),
                        };
                        let live = c.revoked_at.is_none();
                        view! {
                            <tr>
                                <td><code>{c.client_id.clone()}</code></td>
                                <td>{acts_as}</td>
                                <td>{local_time(c.created_at.to_rfc3339())}</td>
                                <td>{if live {
                                    view! { <Badge label="Active" color=Some("green".to_string())/> }.into_any()
                                } else {
                                    view! { <Badge label="Revoked" color=Some("darkGray".to_string())/> }.into_any()
                                }}</td>
                                <td>{live.then(|| revoke_form(revoke, c.client_id.clone(), "Revoke"))}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn CredentialsPage() -> impl IntoView {
    let rotate = ServerAction::<RotateMyCredentials>::new();
    let create = ServerAction::<CreateMachineCredential>::new();
    let revoke = ServerAction::<RevokeCredential>::new();
    // The secret is shown once, by the browser: no native posting before.
    let hydrated = crate::components::hydration::use_hydrated();
    let waiting = move || !hydrated.get() || rotate.pending().get();
    let data = Resource::new(
        move || {
            (
                rotate.version().get(),
                create.version().get(),
                revoke.version().get(),
            )
        },
        |_| get_credentials(),
    );
    view! {
        <Title text="API credentials"/>
        <div class="page-header">
            <div>
                <h1>"API credentials"</h1>
                <p class="subtitle">
                    "Scripts and integrations trade a client id and secret for a 3-hour token at "
                    <code>"POST /v1/auth/access_token"</code>
                    ", then send it as "<code>"Authorization: Bearer <token>"</code>"."
                </p>
            </div>
        </div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let page = match data.await {
                    Ok(page) => page,
                    Err(error) => return view! { <ErrorView error/> }.into_any(),
                };
                let mine = page.mine.clone();
                view! {
                    <section class="panel" aria-labelledby="mine-title">
                        <h2 id="mine-title" class="section-title">"Your credentials"</h2>
                        <p class="muted">"They act as you, "{page.email.clone()}", with your role and teams. Rotating makes a new secret; the old one and its tokens stop working."</p>
                        {match mine {
                            Some(c) => view! {
                                <p>"Client id " <code>{c.client_id.clone()}</code>
                                   <span class="muted">" · created "{local_time(c.created_at.to_rfc3339())}</span></p>
                                <div class="button-row">
                                    <ActionForm action=rotate attr:class="inline-form">
                                        <button type="submit" class="button primary" disabled=waiting>"Rotate secret"</button>
                                    </ActionForm>
                                    {revoke_form(revoke, c.client_id.clone(), "Revoke")}
                                </div>
                            }.into_any(),
                            None => view! {
                                <p>"You have no credentials yet."</p>
                                <ActionForm action=rotate attr:class="inline-form">
                                    <button type="submit" class="button primary" disabled=waiting>"Create credentials"</button>
                                </ActionForm>
                            }.into_any(),
                        }}
                        {move || issued_view(rotate.value().get())}
                    </section>
                    {page.is_admin.then(|| view! {
                        <section class="panel" aria-labelledby="org-title">
                            <h2 id="org-title" class="section-title">"Organization credentials"</h2>
                            <p class="muted">"Machine credentials act with a role of their own, not as a person. Only admins see this list."</p>
                            <ActionForm action=create attr:class="invite-form">
                                <label for="machine-role">"New machine credential acting as"</label>
                                <select id="machine-role" name="role">
                                    <option value="Member" selected>"Member"</option>
                                    <option value="Admin">"Admin"</option>
                                </select>
                                <button type="submit" class="button" disabled=move || !hydrated.get() || create.pending().get()>"Create"</button>
                            </ActionForm>
                            {move || issued_view(create.value().get())}
                            {credentials_table(page.all.clone(), revoke)}
                        </section>
                    })}
                    {move || match revoke.value().get() {
                        Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message().to_string()}</p> }.into_any(),
                        _ => ().into_any(),
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}
