//! `mediakit token …`: token management straight on the data directory
//! (whoever can read the data directory owns the store anyway).

use mediakit_core::auth::Scope;
use mediakit_core::time::to_rfc3339;

use crate::backend;
use crate::cli::TokenCommand;
use crate::settings;

pub async fn run(cmd: TokenCommand) -> anyhow::Result<()> {
    match cmd {
        TokenCommand::Create {
            scopes,
            label,
            store,
        } => {
            let scopes = Scope::parse_list(&scopes).map_err(|e| anyhow::anyhow!(e.message))?;
            let service = backend::open(&settings::resolve_store(&store)?).await?;
            let created = service
                .create_token_unchecked(&label, &scopes)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?;
            eprintln!(
                "Created token {} with scopes {} (the secret is shown once):",
                created.record.id,
                created.record.scopes.join(",")
            );
            println!("{}", created.secret);
        }
        TokenCommand::List { store } => {
            let service = backend::open(&settings::resolve_store(&store)?).await?;
            let tokens = service
                .list_tokens_unchecked()
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?;
            for t in tokens {
                let state = t.revoked_at.map_or("active".to_owned(), |r| {
                    format!("revoked {}", to_rfc3339(r))
                });
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.scopes.join(","),
                    to_rfc3339(t.created_at),
                    state,
                    t.label
                );
            }
        }
        TokenCommand::Revoke { id, store } => {
            let service = backend::open(&settings::resolve_store(&store)?).await?;
            service
                .revoke_token_unchecked(&id)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?;
            println!("revoked {id}");
        }
    }
    Ok(())
}
