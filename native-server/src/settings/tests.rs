//! Settings resolution: flags over environment over file over defaults.

use super::*;

fn store(data: &Path) -> StoreArgs {
    StoreArgs {
        data: Some(data.to_path_buf()),
        config: None,
        database: None,
        storage: None,
    }
}

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn defaults_keep_everything_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let s = resolve(&store(dir.path()), None, &no_env).unwrap();
    assert_eq!(s.database, Database::Sqlite(dir.path().join("mediakit.db")));
    assert_eq!(s.storage, Storage::Local(dir.path().join("blobs")));
    assert_eq!(s.s3.region, DEFAULT_S3_REGION);
}

#[test]
fn a_data_directory_may_carry_its_own_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mediakit.toml"),
        "database = \"postgres://mk:pw@db/media\"\nstorage = \"s3://media/site\"\n\
         [s3]\nendpoint = \"http://127.0.0.1:9000\"\naccess_key_id = \"AK\"\n\
         secret_access_key = \"file-secret\"\n",
    )
    .unwrap();
    let s = resolve(&store(dir.path()), None, &no_env).unwrap();
    assert!(s.database.is_postgres());
    let Storage::S3 {
        bucket, settings, ..
    } = &s.storage
    else {
        panic!("{:?}", s.storage)
    };
    assert_eq!(bucket, "media");
    assert_eq!(settings.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
    assert_eq!(
        settings.secret_access_key.as_ref().map(Secret::expose),
        Some("file-secret")
    );
    let shown = format!("{s:?} {} {}", s.database, s.storage);
    assert!(
        !shown.contains("file-secret") && !shown.contains(":pw@"),
        "{shown}"
    );
}

#[test]
fn flags_and_environment_win_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mediakit.toml"),
        "storage = \"s3://from-file\"\n[s3]\nregion = \"eu-west-1\"\n\
         secret_access_key = \"file-secret\"\n",
    )
    .unwrap();
    let env = |name: &str| match name {
        "AWS_SECRET_ACCESS_KEY" => Some("env-secret".to_owned()),
        "AWS_REGION" => Some("auto".to_owned()),
        _ => None,
    };
    let mut args = store(dir.path());
    args.storage = Some("s3://from-flag/p".into());
    let s = resolve(&args, None, &env).unwrap();
    let Storage::S3 {
        bucket, settings, ..
    } = &s.storage
    else {
        panic!()
    };
    assert_eq!(bucket, "from-flag");
    assert_eq!(settings.region, "auto");
    assert_eq!(
        settings.secret_access_key.as_ref().map(Secret::expose),
        Some("env-secret")
    );
}

#[test]
fn timeouts_default_and_come_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let s = resolve(&store(dir.path()), None, &no_env).unwrap();
    assert_eq!(s.timeouts, Timeouts::default());
    let config = dir.path().join("mediakit.toml");
    std::fs::write(
        &config,
        "request_timeout_secs = 5\nbody_timeout_secs = 120\n",
    )
    .unwrap();
    let s = resolve(&store(dir.path()), None, &no_env).unwrap();
    assert_eq!(
        s.timeouts,
        Timeouts {
            request: Duration::from_secs(5),
            body_idle: Duration::from_secs(120),
            header_read: Duration::from_secs(20),
        }
    );
    std::fs::write(&config, "body_timeout_secs = 0\n").unwrap();
    let e = resolve(&store(dir.path()), None, &no_env).unwrap_err();
    assert!(format!("{e:#}").contains("body_timeout_secs"), "{e:#}");
}

#[test]
fn the_image_deadline_defaults_and_comes_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let s = resolve(&store(dir.path()), None, &no_env).unwrap();
    assert_eq!(s.image_deadline_ms, DEFAULT_IMAGE_DEADLINE_MS);
    let config = dir.path().join("mediakit.toml");
    std::fs::write(&config, "image_deadline_ms = 2500\n").unwrap();
    let s = resolve(&store(dir.path()), None, &no_env).unwrap();
    assert_eq!(s.image_deadline_ms, 2_500);
    std::fs::write(&config, "image_deadline_ms = 0\n").unwrap();
    let e = resolve(&store(dir.path()), None, &no_env).unwrap_err();
    assert!(format!("{e:#}").contains("image_deadline_ms"), "{e:#}");
}

#[test]
fn bad_values_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = store(dir.path());
    args.database = Some("mysql://x".into());
    let e = resolve(&args, None, &no_env).unwrap_err();
    assert!(format!("{e:#}").contains("postgres://"), "{e:#}");
    let mut args = store(dir.path());
    args.storage = Some("s3://UPPER".into());
    let e = resolve(&args, None, &no_env).unwrap_err();
    assert!(format!("{e:#}").contains("bucket"), "{e:#}");
}

#[test]
fn file_cache_control_is_configurable_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let s = resolve(&store(dir.path()), None, &no_env).unwrap();
    assert_eq!(s.file_cache_control, "public, max-age=31536000, immutable");
    assert_eq!(s.unlisted_file_cache_control, "public, max-age=3600");
    assert_eq!(s.file_cache_ttl_ms, 2_000);
    assert_eq!(s.file_memory_cache_bytes, 32 * 1024 * 1024);

    std::fs::write(
        dir.path().join(DEFAULT_CONFIG),
        "file_cache_control = \"public, max-age=600\"\nfile_cache_ttl_ms = 0\nfile_memory_cache_mib = 0\n",
    )
    .unwrap();
    let s = resolve(&store(dir.path()), None, &no_env).unwrap();
    assert_eq!(s.file_cache_control, "public, max-age=600");
    assert_eq!(s.file_cache_ttl_ms, 0);
    assert_eq!(s.file_memory_cache_bytes, 0);

    std::fs::write(
        dir.path().join(DEFAULT_CONFIG),
        "unlisted_file_cache_control = \"no-store\\nX-Evil: 1\"\n",
    )
    .unwrap();
    let err = resolve(&store(dir.path()), None, &no_env).unwrap_err();
    assert!(
        format!("{err:#}").contains("unlisted_file_cache_control must be"),
        "{err:#}"
    );
}
