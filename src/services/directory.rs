//! Reading users and teams for the users & teams page.

use crate::model::{AppError, UsersAndTeams};
use crate::store::Store;

pub async fn users_and_teams(store: &Store) -> Result<UsersAndTeams, AppError> {
    Ok(UsersAndTeams {
        users: store.list_users().await?,
        teams: store.list_teams().await?,
    })
}
