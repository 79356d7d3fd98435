//! Single sign-on with OpenID Connect: the configured provider, its
//! discovered metadata, the client made from it, and the ID token checks
//! (the `openidconnect` crate does the protocol and the checks: signature,
//! issuer, audience, expiry, nonce). The browser's side of the flow,
//! `/auth/oidc/start` and `/auth/oidc/callback`, is in `login::sso`.

use super::session;
use crate::model::AppError;
use crate::store::SsoProfile;
use openidconnect::core::{CoreClient, CoreIdToken, CoreIdTokenVerifier, CoreProviderMetadata};
use openidconnect::{
    ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce,
    RedirectUrl,
};
use tokio::sync::Mutex;

/// Provider metadata (and its signing keys) is fetched again after this.
const METADATA_SECONDS: i64 = 600;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_url: String,
    pub scopes: Vec<String>,
    pub groups_claim: String,
    pub auto_provision: bool,
    /// Shown on the button: "Sign in with <name>".
    pub display_name: String,
}

/// The configured provider, with its discovered metadata cached.
pub struct Oidc {
    pub settings: OidcSettings,
    http: openidconnect::reqwest::Client,
    metadata: Mutex<Option<(i64, CoreProviderMetadata)>>,
}

impl Oidc {
    pub fn new(settings: OidcSettings) -> Result<Self, String> {
        IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| format!("PORTOLAN_OIDC_ISSUER is not a URL: {e}"))?;
        RedirectUrl::new(settings.redirect_url.clone())
            .map_err(|e| format!("PORTOLAN_OIDC_REDIRECT_URL is not a URL: {e}"))?;
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would let a provider point us anywhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot make an HTTP client for SSO: {e}"))?;
        Ok(Oidc {
            settings,
            http,
            metadata: Mutex::new(None),
        })
    }

    /// The HTTP client that talks to the provider (no redirects followed).
    pub fn http(&self) -> &openidconnect::reqwest::Client {
        &self.http
    }

    /// The provider's discovered metadata, fetched again every ten minutes.
    pub async fn metadata(&self) -> Result<CoreProviderMetadata, AppError> {
        let mut cached = self.metadata.lock().await;
        let now = session::now();
        if let Some((at, metadata)) = cached.as_ref() {
            if now - at < METADATA_SECONDS {
                return Ok(metadata.clone());
            }
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, issuer = %self.settings.issuer, "OIDC discovery failed");
                AppError::Unavailable(format!(
                    "The identity provider at {} cannot be reached right now ({e}). Try again in a moment.",
                    self.settings.issuer
                ))
            })?;
        *cached = Some((now, metadata.clone()));
        Ok(metadata)
    }
}

/// Checks an ID token (signature, issuer, audience, expiry, nonce) and
/// reads the profile and groups from it.
pub fn check_id_token(
    token: &CoreIdToken,
    verifier: &CoreIdTokenVerifier,
    nonce: &Nonce,
    groups_claim: &str,
) -> Result<SsoProfile, AppError> {
    let claims = token.claims(verifier, nonce).map_err(|e| {
        AppError::Unauthorized(format!(
            "The identity provider's ID token was rejected: {e}."
        ))
    })?;
    let email = claims
        .email()
        .map(|e| e.as_str().trim().to_ascii_lowercase())
        .filter(|e| e.contains('@'))
        .ok_or_else(|| {
            AppError::Forbidden(
                "The identity provider did not send an e-mail address (claim `email`).".into(),
            )
        })?;
    if claims.email_verified() != Some(true) {
        return Err(AppError::Forbidden(format!(
            "The identity provider has not verified the e-mail address {email} (claim `email_verified`)."
        )));
    }
    let given = claims
        .given_name()
        .and_then(|c| c.get(None))
        .map(|n| n.as_str().to_string());
    let family = claims
        .family_name()
        .and_then(|c| c.get(None))
        .map(|n| n.as_str().to_string());
    let picture = claims
        .picture()
        .and_then(|c| c.get(None))
        .map(|p| p.as_str().to_string());
    Ok(SsoProfile {
        email,
        first_name: given.unwrap_or_default(),
        last_name: family.unwrap_or_default(),
        picture,
        groups: groups_of(token, groups_claim)?,
    })
}

/// The groups claim, read from the (already verified) token's payload: its
/// name is configurable, so it cannot be a field of a fixed claims type.
fn groups_of(token: &CoreIdToken, claim: &str) -> Result<Vec<String>, AppError> {
    use base64::Engine;
    let text = token.to_string();
    let payload = text.split('.').nth(1).unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| AppError::Unauthorized(format!("unreadable ID token payload: {e}")))?;
    let json: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| AppError::Unauthorized(format!("unreadable ID token payload: {e}")))?;
    Ok(match json.get(claim) {
        Some(serde_json::Value::Array(items)) => {
            let mut groups: Vec<String> = items
                .iter()
                .filter_map(|g| g.as_str())
                .map(|g| g.trim().to_string())
                .filter(|g| !g.is_empty())
                .collect();
            groups.sort();
            groups.dedup();
            groups
        }
        Some(serde_json::Value::String(one)) if !one.trim().is_empty() => {
            vec![one.trim().to_string()]
        }
        _ => Vec::new(),
    })
}

/// The client made from discovered metadata: authorization endpoint known,
/// token and userinfo endpoints as the provider announced them.
pub type ProviderClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

pub fn client(oidc: &Oidc, metadata: CoreProviderMetadata) -> Result<ProviderClient, AppError> {
    let redirect = RedirectUrl::new(oidc.settings.redirect_url.clone())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(oidc.settings.client_id.clone()),
        Some(ClientSecret::new(oidc.settings.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

#[cfg(test)]
mod tests {
    //! The ID token checks, with tokens signed here by keys made for the
    //! test (the end-to-end suite runs the whole flow against a real
    //! provider; forged tokens are easier to make here).
    use super::*;
    use openidconnect::core::{
        CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey,
    };
    use openidconnect::{
        AdditionalClaims, Audience, EndUserEmail, IdToken, IdTokenClaims, PrivateSigningKey,
        StandardClaims, SubjectIdentifier,
    };

    const ISSUER: &str = "http://127.0.0.1:9/issuer";
    const CLIENT: &str = "portolan";

    #[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
    struct Groups {
        groups: Vec<String>,
    }
    impl AdditionalClaims for Groups {}

    fn key() -> CoreRsaPrivateSigningKey {
        let out = std::process::Command::new("openssl")
            .args(["genrsa", "-traditional", "2048"])
            .output()
            .expect("openssl makes a test key");
        CoreRsaPrivateSigningKey::from_pem(&String::from_utf8(out.stdout).unwrap(), None).unwrap()
    }

    struct Token {
        issuer: &'static str,
        audience: &'static str,
        nonce: &'static str,
        expires_in: i64,
        email_verified: bool,
    }

    impl Default for Token {
        fn default() -> Self {
            Token {
                issuer: ISSUER,
                audience: CLIENT,
                nonce: "the-nonce",
                expires_in: 300,
                email_verified: true,
            }
        }
    }

    fn sign(spec: Token, key: &CoreRsaPrivateSigningKey) -> CoreIdToken {
        let now = chrono::Utc::now();
        let standard = StandardClaims::<CoreGenderClaim>::new(SubjectIdentifier::new("u1".into()))
            .set_email(Some(EndUserEmail::new("Alice@Example.com".into())))
            .set_email_verified(Some(spec.email_verified));
        let claims = IdTokenClaims::new(
            IssuerUrl::new(spec.issuer.into()).unwrap(),
            vec![Audience::new(spec.audience.into())],
            now + chrono::Duration::seconds(spec.expires_in),
            now - chrono::Duration::seconds(60),
            standard,
            Groups {
                groups: vec!["platform".into(), "payments".into(), "platform".into()],
            },
        )
        .set_nonce(Some(Nonce::new(spec.nonce.into())));
        let token = IdToken::<
            Groups,
            CoreGenderClaim,
            CoreJweContentEncryptionAlgorithm,
            CoreJwsSigningAlgorithm,
        >::new(
            claims,
            key,
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            None,
            None,
        )
        .unwrap();
        token.to_string().parse().unwrap()
    }

    fn verifier(key: &CoreRsaPrivateSigningKey) -> CoreIdTokenVerifier<'static> {
        CoreIdTokenVerifier::new_confidential_client(
            ClientId::new(CLIENT.into()),
            ClientSecret::new("secret".into()),
            IssuerUrl::new(ISSUER.into()).unwrap(),
            CoreJsonWebKeySet::new(vec![key.as_verification_key()]),
        )
    }

    fn check(token: &CoreIdToken, key: &CoreRsaPrivateSigningKey) -> Result<SsoProfile, AppError> {
        check_id_token(
            token,
            &verifier(key),
            &Nonce::new("the-nonce".into()),
            "groups",
        )
    }

    #[test]
    fn a_good_token_gives_the_profile_and_groups() {
        let key = key();
        let profile = check(&sign(Token::default(), &key), &key).unwrap();
        assert_eq!(profile.email, "alice@example.com");
        assert_eq!(profile.groups, vec!["payments", "platform"]);
        // Another claim name reads another claim (here: none).
        let token = sign(Token::default(), &key);
        let other = check_id_token(
            &token,
            &verifier(&key),
            &Nonce::new("the-nonce".into()),
            "roles",
        );
        assert_eq!(other.unwrap().groups, Vec::<String>::new());
    }

    #[test]
    fn forged_or_stale_tokens_are_refused_with_the_reason() {
        let key = key();
        let cases = [
            (
                Token {
                    nonce: "another-nonce",
                    ..Default::default()
                },
                "nonce",
            ),
            (
                Token {
                    issuer: "http://127.0.0.1:9/elsewhere",
                    ..Default::default()
                },
                "issuer",
            ),
            (
                Token {
                    audience: "someone-else",
                    ..Default::default()
                },
                "audience",
            ),
            (
                Token {
                    expires_in: -120,
                    ..Default::default()
                },
                "expired",
            ),
        ];
        for (spec, word) in cases {
            let err = check(&sign(spec, &key), &key).unwrap_err();
            assert_eq!(err.status(), 401, "{err}");
            assert!(err.message().to_lowercase().contains(word), "{word}: {err}");
        }
        // Signed by a key the provider does not publish.
        let err = check(&sign(Token::default(), &super::tests::key()), &key).unwrap_err();
        assert_eq!(err.status(), 401);
        assert!(err.message().contains("rejected"), "{err}");
        // An e-mail the provider has not verified is not an identity.
        let err = check(
            &sign(
                Token {
                    email_verified: false,
                    ..Default::default()
                },
                &key,
            ),
            &key,
        )
        .unwrap_err();
        assert_eq!(err.status(), 403);
        assert!(err.message().contains("not verified"), "{err}");
    }
}
