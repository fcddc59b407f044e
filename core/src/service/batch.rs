//! Batch uploads (the RPC dialect's `upload_media`): several files in one
//! request, each stored or refused on its own, recorded as a [`Task`] that
//! can be read back by its id.
//!
//! The HTTP layer streams a multipart body and hands files over one at a
//! time, so memory holds one file, never the whole batch. The outcomes
//! are kept with the batch and the task row is written once, when the
//! batch ends ([`MediaService::finish_batch`]): writing it after every file
//! would rewrite all earlier outcomes each time, quadratic in the number
//! of parts a client sends. Nobody can read the task earlier anyway: its
//! id reaches the client in the answer, after the last file. If the
//! request itself turns out broken half-way (a malformed body), the batch
//! is abandoned: what it stored is purged, so a refused request stores
//! nothing.

use super::{MediaService, UploadRequest};
use crate::auth::{Principal, Scope};
use crate::error::{Error, ErrorCode, Result};
use crate::ids;
use crate::metadata::MAX_FILENAME_BYTES;
use crate::model::{Task, TaskItem, TaskState};
use crate::ports::Backend;

/// The most files one request may carry. Further files are refused one by
/// one (the others are kept), so the HTTP body limit of a batch is about
/// this many times the file limit.
pub const MAX_BATCH_FILES: usize = 20;

/// A batch in progress.
#[derive(Debug, Clone)]
pub struct Batch {
    principal: Principal,
    task: Task,
}

impl Batch {
    pub fn task(&self) -> &Task {
        &self.task
    }

    /// Whether one more file may join; the error says why not.
    pub fn admit(&self) -> Result<()> {
        if self.task.items.len() >= MAX_BATCH_FILES {
            return Err(Error::invalid(format!(
                "at most {MAX_BATCH_FILES} files per request"
            )));
        }
        Ok(())
    }
}

/// The name a task records for a file: what the client sent (so that it
/// can match results to its files), cut to the filename limit.
fn recorded_name(filename: Option<&str>) -> String {
    let name = filename.unwrap_or_default();
    let mut end = name.len().min(MAX_FILENAME_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_owned()
}

impl<P: Backend> MediaService<P> {
    /// Starts a batch. Checks up front that the principal may upload here,
    /// so that a refused client is answered before its files are read.
    pub fn start_batch(&self, principal: &Principal) -> Result<Batch> {
        self.check_can_upload(principal)?;
        Ok(Batch {
            principal: principal.clone(),
            task: Task {
                id: self.new_id(),
                created_at: self.now(),
                created_by: Some(principal.token_id.clone()),
                items: Vec::new(),
            },
        })
    }

    /// Uploads one file of the batch and records the outcome. A refused
    /// file is a failed item, not an error, except `server_busy`, which is
    /// the whole request's answer (a 503 the client retries later, not a
    /// verdict on this file).
    pub async fn batch_upload(&self, batch: &mut Batch, req: UploadRequest) -> Result<TaskItem> {
        let name = recorded_name(req.filename.as_deref());
        let outcome = match batch.admit() {
            Ok(()) => self.upload(&batch.principal, req).await.map(|m| m.id),
            Err(e) => Err(e),
        };
        if let Err(e) = &outcome
            && e.code == ErrorCode::ServerBusy
        {
            return Err(e.clone());
        }
        Ok(record(batch, name, outcome))
    }

    /// Records a file the HTTP layer refused before it could be uploaded
    /// (e.g. over the size limit while streaming in).
    pub fn batch_refused(
        &self,
        batch: &mut Batch,
        filename: Option<&str>,
        error: Error,
    ) -> TaskItem {
        record(batch, recorded_name(filename), Err(error))
    }

    /// Ends a batch whose request was read to the end: its task is written,
    /// once, with every outcome.
    pub async fn finish_batch(&self, batch: Batch) -> Result<Task> {
        self.ports.catalog.put_task(&batch.task).await?;
        Ok(batch.task)
    }

    /// Ends a batch whose request failed as a whole: every file it stored
    /// is purged and marked failed with the request's error, and the task
    /// is kept as a record of what happened.
    pub async fn abandon_batch(&self, mut batch: Batch, error: &Error) -> Result<Task> {
        if batch.task.items.is_empty() {
            return Ok(batch.task);
        }
        for item in &mut batch.task.items {
            if let Some(id) = item.media_id.take() {
                // Already gone (purged meanwhile) is what we want anyway.
                match self.row(&id).await {
                    Ok(media) => match self.purge_row(&media).await {
                        Ok(()) => {}
                        Err(e) if e.code == ErrorCode::NotFound => {}
                        Err(e) => return Err(e),
                    },
                    Err(e) if e.code == ErrorCode::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
            item.state = TaskState::Failed;
            item.error_code = Some(error.code.as_str().to_owned());
            item.error_message = Some(error.public_message().to_owned());
        }
        self.ports.catalog.put_task(&batch.task).await?;
        Ok(batch.task)
    }

    /// A task, for the token that started it (or an admin). Others get
    /// `NotFound`, as for an unknown id: task ids are not secrets, but
    /// the filenames in a task belong to its uploader.
    pub async fn task(&self, principal: &Principal, id: &str) -> Result<Task> {
        principal.require_any(&[Scope::Upload, Scope::Read])?;
        let not_found = || Error::new(ErrorCode::NotFound, "task not found");
        let id = ids::parse_uuid(id).ok_or_else(not_found)?;
        let task = self
            .ports
            .catalog
            .task_by_id(&id)
            .await?
            .ok_or_else(not_found)?;
        let owner = task.created_by.as_deref() == Some(principal.token_id.as_str());
        if owner || principal.has(Scope::Admin) {
            Ok(task)
        } else {
            Err(not_found())
        }
    }
}

/// Adds a file's outcome to the batch (kept in memory until the batch
/// ends).
fn record(batch: &mut Batch, original_filename: String, outcome: Result<String>) -> TaskItem {
    let item = match outcome {
        Ok(media_id) => TaskItem {
            original_filename,
            state: TaskState::Done,
            media_id: Some(media_id),
            error_code: None,
            error_message: None,
        },
        Err(e) => TaskItem {
            original_filename,
            state: TaskState::Failed,
            media_id: None,
            error_code: Some(e.code.as_str().to_owned()),
            error_message: Some(e.public_message().to_owned()),
        },
    };
    batch.task.items.push(item.clone());
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_names_keep_utf8_and_the_limit() {
        assert_eq!(recorded_name(Some("a.jpg")), "a.jpg");
        assert_eq!(recorded_name(None), "");
        let long = "é".repeat(200);
        let cut = recorded_name(Some(&long));
        assert!(cut.len() <= MAX_FILENAME_BYTES && cut.len() >= MAX_FILENAME_BYTES - 1);
        assert!(cut.chars().all(|c| c == 'é'));
    }
}
