//! Tokens: created by an admin, scopes enforced, revocation, bootstrap.

use mediakit_core::ErrorCode;
use mediakit_core::auth::Scope;

use crate::support::{MINUTE, advance, principal, service, upload_of};

#[tokio::test]
async fn a_token_carries_exactly_its_scopes() {
    let s = service().await;
    let admin = principal(&s, &[Scope::Admin]).await;
    let created = s
        .create_token(
            &admin,
            " my cms ",
            &[Scope::Upload, Scope::Read, Scope::Read],
        )
        .await
        .unwrap();
    assert!(created.secret.starts_with("mk_"));
    assert_eq!(created.record.label, "my cms");
    assert_eq!(created.record.scopes, ["media:read", "media:upload"]);
    assert_ne!(created.record.hash, created.secret, "only a hash is stored");

    let cms = s.authenticate(&created.secret).await.unwrap();
    assert_eq!(cms.token_id, created.record.id);
    let media = s.upload(&cms, upload_of("document.pdf")).await.unwrap();
    assert!(s.get(&cms, &media.id).await.is_ok());
    let forbidden = [
        s.delete(&cms, &media.id).await.map(|_| ()),
        s.set_unlisted(&cms, &media.id, true).await.map(|_| ()),
        s.list_tokens(&cms).await.map(|_| ()),
        s.create_token(&cms, "more", &[Scope::Read])
            .await
            .map(|_| ()),
    ];
    for result in forbidden {
        assert_eq!(result.unwrap_err().code, ErrorCode::Forbidden);
    }
}

#[tokio::test]
async fn a_revoked_token_no_longer_authenticates() {
    let s = service().await;
    let admin = principal(&s, &[Scope::Admin]).await;
    advance(&s, MINUTE);
    let created = s
        .create_token(&admin, "temp", &[Scope::Read])
        .await
        .unwrap();
    let listed = s.list_tokens(&admin).await.unwrap();
    assert_eq!(listed.len(), 2, "the admin's and the new one");
    assert_eq!(listed[0].id, created.record.id, "newest first");

    s.revoke_token(&admin, &created.record.id).await.unwrap();
    let err = s.authenticate(&created.secret).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Unauthorized);
    let again = s.revoke_token(&admin, &created.record.id).await;
    assert_eq!(again.unwrap_err().code, ErrorCode::NotFound);
    let listed = s.list_tokens(&admin).await.unwrap();
    assert!(listed[0].revoked_at.is_some(), "listed, marked revoked");

    for bogus in ["", "mk_short", &created.secret.replace("mk_", "xx_")] {
        let err = s.authenticate(bogus).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::Unauthorized, "{bogus:?}");
    }
}

#[tokio::test]
async fn tokens_need_scopes_and_a_sane_label() {
    let s = service().await;
    let admin = principal(&s, &[Scope::Admin]).await;
    let none = s.create_token(&admin, "x", &[]).await.unwrap_err();
    assert_eq!(none.code, ErrorCode::InvalidRequest);
    let long = s
        .create_token(&admin, &"x".repeat(101), &[Scope::Read])
        .await;
    assert_eq!(long.unwrap_err().code, ErrorCode::InvalidRequest);
}

#[tokio::test]
async fn the_first_admin_token_is_created_on_an_empty_store_only() {
    let s = service().await;
    let first = s.bootstrap_admin_token().await.unwrap().expect("created");
    assert_eq!(first.record.scopes, ["admin"]);
    assert!(
        s.authenticate(&first.secret)
            .await
            .unwrap()
            .has(Scope::Admin)
    );
    assert!(s.bootstrap_admin_token().await.unwrap().is_none());
    assert_eq!(s.list_tokens_unchecked().await.unwrap().len(), 1);
}
