//! `POST /media/upload_media` (multipart, one or many `media` files) and
//! `GET /media/task_status?task_ID=`.
//!
//! Files are uploaded one by one as the body streams in (the batch use case
//! is core's [`MediaService::batch_upload`]); each is stored or refused on
//! its own and reported in `results`. The answer comes once every file is
//! processed, so the task it names is already complete; `task_status`
//! reads the same record later.
//!
//! The token may come as a header, in the query, or as an `auth_token`
//! form field placed before the files: files that arrive before any
//! credential are refused (401) rather than buffered for an unknown
//! client.
//!
//! The response shapes of both endpoints are at the end of this file, spelled
//! as the seed spells them (`task_ID`, "recieved"): clients match on them.

use std::sync::Arc;

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, Uri};
use mediakit_core::auth::Principal;
use mediakit_core::model::{Task, TaskItem, TaskState};
use mediakit_core::ports::Backend;
use mediakit_core::service::{Batch, MediaService, UploadRequest};
use mediakit_core::time::to_epoch_seconds;
use mediakit_core::{Error, ErrorCode};
use serde::{Deserialize, Serialize};

use super::error::{RpcError, RpcResult};
use super::params::{CARRIERS, Params};
use crate::admission::admit_file;
use crate::auth::authenticate;
use crate::multipart::{Form, read_file, read_text};

type Svc<P> = State<Arc<MediaService<P>>>;

/// The multipart field of the files, as the seed names it.
const FILE_FIELD: &str = "media";

pub async fn upload_media<P: Backend>(
    State(service): Svc<P>,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> RpcResult<Json<UploadResponse>> {
    let mut form = Form::new(form.map_err(|r| {
        Error::new(
            ErrorCode::MalformedMultipart,
            format!("expected a multipart/form-data body: {}", r.body_text()),
        )
    })?);
    let mut batch: Option<Batch> = None;
    let outcome = receive(&service, &uri, &headers, &mut form, &mut batch).await;
    match outcome {
        Ok(()) => match batch {
            Some(b) => {
                let task = service.finish_batch(b).await?;
                Ok(Json(UploadResponse::from(&task)))
            }
            None => Err(RpcError::from(Error::new(
                ErrorCode::Unauthorized,
                format!("authentication required: send {CARRIERS}"),
            ))),
        },
        Err(e) => {
            // Read the rest so that the client sees this answer, not a
            // reset connection; then undo what the request stored.
            form.drain().await;
            if let Some(b) = batch {
                service.abandon_batch(b, &e).await?;
            }
            Err(RpcError::from(e))
        }
    }
}

/// Reads the body, uploading each file as it arrives. `batch` is started
/// as soon as the caller is known.
async fn receive<P: Backend>(
    service: &MediaService<P>,
    uri: &Uri,
    headers: &HeaderMap,
    form: &mut Form,
    batch: &mut Option<Batch>,
) -> Result<(), Error> {
    let query = Params::from_parts(uri, headers)?;
    if let Some(token) = query.token() {
        let principal = authenticate(service, Some(token), CARRIERS).await?;
        *batch = Some(service.start_batch(&principal)?);
    }
    query.finish()?;
    let limits = service.config().limits;
    while let Some(field) = form.next_field(&limits).await? {
        match field.name().unwrap_or("") {
            "auth_token" => {
                let token = read_text(field, &limits).await?;
                if batch.is_none() {
                    let principal: Principal =
                        authenticate(service, Some(token.trim()), CARRIERS).await?;
                    *batch = Some(service.start_batch(&principal)?);
                }
            }
            FILE_FIELD => {
                let Some(batch) = batch.as_mut() else {
                    return Err(Error::new(
                        ErrorCode::Unauthorized,
                        "authentication required before the files: send the token as \
                         Authorization: Bearer, in the query, or as an auth_token field \
                         before the media fields",
                    ));
                };
                let filename = field.file_name().map(str::to_owned);
                if let Err(e) = batch.admit() {
                    // Dropping the field skips its bytes.
                    service.batch_refused(batch, filename.as_deref(), e);
                    continue;
                }
                // Files are read one at a time, each counted at most at
                // the upload limit; a busy server answers the whole
                // request 503 (what this request stored is undone).
                let permit = admit_file(service, headers).await?;
                match read_file(field, &limits, permit).await {
                    Ok(part) => {
                        let req = UploadRequest {
                            filename: part.filename,
                            bytes: part.bytes,
                            permit: Some(part.permit),
                            ..UploadRequest::default()
                        };
                        service.batch_upload(batch, req).await?;
                    }
                    // Over the limit: this file is refused, the others go on.
                    Err(e) if e.code == ErrorCode::FileTooLarge => {
                        service.batch_refused(batch, filename.as_deref(), e);
                    }
                    Err(e) => return Err(e),
                }
            }
            // Other fields (browsers add their own) are skipped unread.
            _ => {}
        }
    }
    match batch {
        Some(b) if b.task().items.is_empty() => Err(Error::new(
            ErrorCode::FileMissing,
            "the multipart body has no `media` file field",
        )),
        _ => Ok(()),
    }
}

pub async fn task_status<P: Backend>(
    State(service): Svc<P>,
    mut params: Params,
) -> RpcResult<Json<TaskStatusResponse>> {
    let principal = params.principal(&service).await?;
    let id = params.required("task_ID")?;
    params.finish()?;
    let task = service.task(&principal, &id).await?;
    Ok(Json(TaskStatusResponse::from(&task)))
}

/// The upload acknowledgement, spelled as the seed spells it.
pub const UPLOAD_MESSAGE: &str = "File upload request recieved";

/// `POST /media/upload_media` → `{"data": {...}, "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadResponse {
    pub data: UploadData,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadData {
    pub results: Vec<UploadResult>,
    #[serde(rename = "task_ID")]
    pub task_id: String,
}

/// One file of an upload request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadResult {
    pub original_filename: String,
    /// 1 stored, 0 refused (the seed's integers, not booleans).
    pub success: u8,
    /// The media id of the stored file; `null` when refused.
    pub key: Option<String>,
    /// Why the file was refused (mediakit's addition): stable code and
    /// message, as in every other error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ItemError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemError {
    pub code: String,
    pub message: String,
}

fn item_error(item: &TaskItem) -> Option<ItemError> {
    Some(ItemError {
        code: item.error_code.clone()?,
        message: item.error_message.clone().unwrap_or_default(),
    })
}

impl From<&TaskItem> for UploadResult {
    fn from(item: &TaskItem) -> Self {
        Self {
            original_filename: item.original_filename.clone(),
            success: u8::from(item.state == TaskState::Done),
            key: item.media_id.clone(),
            error: item_error(item),
        }
    }
}

impl From<&Task> for UploadResponse {
    fn from(task: &Task) -> Self {
        Self {
            data: UploadData {
                results: task.items.iter().map(UploadResult::from).collect(),
                task_id: task.id.clone(),
            },
            message: UPLOAD_MESSAGE.to_owned(),
        }
    }
}

/// `GET /media/task_status?task_ID=` (mediakit's addition to the seed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskStatusResponse {
    #[serde(rename = "task_ID")]
    pub task_id: String,
    pub creation_time: f64,
    /// `pending` while a file is still being processed, then `done` (every
    /// file stored), `failed` (none stored) or `partial`.
    pub state: String,
    pub files: Vec<TaskFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskFile {
    pub original_filename: String,
    /// `pending`, `done` or `failed`.
    pub state: TaskState,
    #[serde(rename = "media_ID")]
    pub media_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ItemError>,
}

/// The overall state of a task, from its files' states.
pub fn task_state(task: &Task) -> &'static str {
    let done = task.items.iter().filter(|i| i.state == TaskState::Done);
    let failed = task.items.iter().filter(|i| i.state == TaskState::Failed);
    let (done, failed) = (done.count(), failed.count());
    if done + failed < task.items.len() {
        "pending"
    } else if failed == 0 {
        "done"
    } else if done == 0 {
        "failed"
    } else {
        "partial"
    }
}

impl From<&Task> for TaskStatusResponse {
    fn from(task: &Task) -> Self {
        Self {
            task_id: task.id.clone(),
            creation_time: to_epoch_seconds(task.created_at),
            state: task_state(task).to_owned(),
            files: task
                .items
                .iter()
                .map(|i| TaskFile {
                    original_filename: i.original_filename.clone(),
                    state: i.state,
                    media_id: i.media_id.clone(),
                    error: item_error(i),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_state_summarises_files() {
        let item = |state| TaskItem {
            original_filename: "a".into(),
            state,
            media_id: None,
            error_code: None,
            error_message: None,
        };
        let task = |states: &[TaskState]| Task {
            id: "t".into(),
            created_at: 0,
            created_by: None,
            items: states.iter().map(|&s| item(s)).collect(),
        };
        use TaskState::*;
        assert_eq!(task_state(&task(&[Done, Done])), "done");
        assert_eq!(task_state(&task(&[Done, Failed])), "partial");
        assert_eq!(task_state(&task(&[Failed])), "failed");
        assert_eq!(task_state(&task(&[Done, Pending])), "pending");
    }
}
