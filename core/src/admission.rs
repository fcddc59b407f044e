//! Admission of uploads against a memory budget: a server takes on an
//! upload only when the memory it will need fits in what is left, waits a
//! short, bounded while when it does not, and otherwise answers
//! `server_busy` (503 with `Retry-After`) instead of running out of memory.
//!
//! An upload is admitted in two steps, because its cost is known in two
//! steps:
//!
//! 1. **The body**, before it is read: its declared size
//!    ([`Budget::admit_body`]). Request bodies may hold at most half of the
//!    budget between them.
//! 2. **The processing**, once the header is parsed: the image crate's
//!    estimate ([`Budget::admit_processing`]), which already counts the
//!    file's own copies, replaces the body's share.
//!
//! The half kept from bodies is what makes the second step safe: uploads
//! holding a body and waiting to grow can never fill the budget between
//! them, so processing always has room to run and to finish, and every
//! image whose estimate fits in half the budget is eventually admitted.
//! Uploads waiting to grow are served first, in order. A larger image
//! needs room that bodies could take, so while one waits, new bodies wait
//! too (it may still time out when the bodies already read are many).
//!
//! The component has no clock: how long a request may wait is a future the
//! host injects ([`Deadline`]: a tokio sleep natively, a JS timer on the
//! edge). A [`Permit`] gives its memory back when dropped.
//!
//! (Past 400 lines: the budget, its permits and its wait queue share one
//! lock and one invariant, so they stay in one file; tests are apart.)

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use futures_util::future::{Either, select};

use crate::error::{Error, ErrorCode, Result};

/// The `Retry-After` (seconds) of a `server_busy` answer: about the time a
/// few uploads take to be processed, which is what frees the budget.
pub const RETRY_AFTER_SECS: u32 = 2;

/// Resolves when a waiting request has waited long enough.
pub type Deadline = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Makes the deadline of one wait.
pub type MakeDeadline = Box<dyn Fn() -> Deadline + Send + Sync>;

/// The error of a request the budget cannot take now.
pub fn busy() -> Error {
    Error::new(
        ErrorCode::ServerBusy,
        format!(
            "the server is processing as many uploads as its memory allows; \
             retry in {RETRY_AFTER_SECS} seconds"
        ),
    )
}

/// A memory budget shared by every request of a server (clones share it).
#[derive(Clone)]
pub struct Budget {
    shared: Arc<Shared>,
}

struct Shared {
    total: u64,
    /// The most that request bodies (step 1) may hold together.
    body_share: u64,
    /// The most bodies that may wait for room at once.
    max_waiting: usize,
    deadline: MakeDeadline,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    used: u64,
    /// The part of `used` held by permits still in step 1.
    bodies: u64,
    next_ticket: u64,
    /// Step 2 requests waiting, in order; served before any body.
    growing: VecDeque<Ticket>,
    /// Step 1 requests waiting, in order.
    waiting: VecDeque<Ticket>,
}

struct Ticket {
    id: u64,
    need: Need,
    granted: bool,
    waker: Option<Waker>,
}

/// What a request asks for.
#[derive(Debug, Clone, Copy)]
enum Need {
    /// Room for a body of this many bytes.
    Body(u64),
    /// A permit holding `body` and `processing` bytes becomes one of
    /// `to` processing bytes.
    Grow { body: u64, processing: u64, to: u64 },
}

impl Need {
    fn fits(self, s: &State, shared: &Shared) -> bool {
        match self {
            Need::Body(b) => {
                s.used.saturating_add(b) <= shared.total
                    && s.bodies.saturating_add(b) <= shared.body_share
            }
            Need::Grow {
                body,
                processing,
                to,
            } => (s.used - body - processing).saturating_add(to) <= shared.total,
        }
    }

    fn apply(self, s: &mut State) {
        match self {
            Need::Body(b) => {
                s.used += b;
                s.bodies += b;
            }
            Need::Grow {
                body,
                processing,
                to,
            } => {
                s.used = s.used - body - processing + to;
                s.bodies -= body;
            }
        }
    }

    /// A growth that bodies could stand in the way of: more than the half
    /// of the budget they leave free, plus the body it replaces.
    fn beyond_body_share(self, shared: &Shared) -> bool {
        match self {
            Need::Body(_) => false,
            Need::Grow { body, to, .. } => {
                to > (shared.total - shared.body_share).saturating_add(body)
            }
        }
    }

    /// Undoes [`Self::apply`] for a grant its requester never took.
    fn undo(self, s: &mut State) {
        match self {
            Need::Body(b) => {
                s.used -= b;
                s.bodies -= b;
            }
            Need::Grow {
                body,
                processing,
                to,
            } => {
                s.used = s.used - to + body + processing;
                s.bodies += body;
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Queue {
    Growing,
    Waiting,
}

impl State {
    fn queue(&mut self, q: Queue) -> &mut VecDeque<Ticket> {
        match q {
            Queue::Growing => &mut self.growing,
            Queue::Waiting => &mut self.waiting,
        }
    }

    fn has_waiting(queue: &VecDeque<Ticket>) -> bool {
        queue.iter().any(|t| !t.granted)
    }

    /// Whether new bodies must wait: an upload waits to grow beyond what
    /// bodies leave free (see the module's documentation).
    fn bodies_held_back(&self, shared: &Shared) -> bool {
        self.growing
            .iter()
            .any(|t| !t.granted && t.need.beyond_body_share(shared))
    }

    /// Grants waiting requests in order while they fit: growing ones
    /// first, then bodies unless held back. Returns the wakers to call
    /// once the lock is released.
    fn grant(&mut self, shared: &Shared) -> Vec<Waker> {
        let mut wake = Vec::new();
        for q in [Queue::Growing, Queue::Waiting] {
            if q == Queue::Waiting && self.bodies_held_back(shared) {
                break;
            }
            let mut i = 0;
            while i < self.queue(q).len() {
                let ticket = &self.queue(q)[i];
                if !ticket.granted {
                    let need = ticket.need;
                    // In order: the first that does not fit holds the rest
                    // back, so a large request is not overtaken forever.
                    if !need.fits(self, shared) {
                        break;
                    }
                    need.apply(self);
                    let ticket = &mut self.queue(q)[i];
                    ticket.granted = true;
                    wake.extend(ticket.waker.take());
                }
                i += 1;
            }
        }
        wake
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update is a few arithmetic steps that cannot panic halfway,
        // so a poisoned lock still guards consistent numbers.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the state, then grants what now fits and wakes it.
    fn update<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let (out, wake) = {
            let mut s = self.lock();
            let out = f(&mut s);
            let wake = s.grant(self);
            (out, wake)
        };
        wake.into_iter().for_each(Waker::wake);
        out
    }

    /// Takes `need` at once when nothing is queued ahead of it and it
    /// fits; otherwise queues it (`None` when the wait queue is full).
    fn enter(self: &Arc<Self>, need: Need) -> Option<Entered> {
        let mut s = self.lock();
        let q = match need {
            Need::Body(_) => Queue::Waiting,
            Need::Grow { .. } => Queue::Growing,
        };
        let ahead = match q {
            Queue::Growing => State::has_waiting(&s.growing),
            Queue::Waiting => s.bodies_held_back(self) || State::has_waiting(&s.waiting),
        };
        if !ahead && need.fits(&s, self) {
            need.apply(&mut s);
            return Some(Entered::Now);
        }
        let waiting = s.waiting.iter().filter(|t| !t.granted).count();
        if q == Queue::Waiting && waiting >= self.max_waiting {
            return None;
        }
        let id = s.next_ticket;
        s.next_ticket += 1;
        s.queue(q).push_back(Ticket {
            id,
            need,
            granted: false,
            waker: None,
        });
        Some(Entered::Queued(Wait {
            shared: Arc::clone(self),
            id,
            queue: q,
            done: false,
        }))
    }
}

enum Entered {
    Now,
    Queued(Wait),
}

/// A queued request; resolves once granted. Dropped before that (its
/// deadline passed), it leaves the queue, and a grant it did not take is
/// given back.
struct Wait {
    shared: Arc<Shared>,
    id: u64,
    queue: Queue,
    done: bool,
}

impl Future for Wait {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let (id, q) = (self.id, self.queue);
        let mut s = self.shared.lock();
        let queue = s.queue(q);
        let Some(at) = queue.iter().position(|t| t.id == id) else {
            drop(s);
            self.done = true;
            return Poll::Ready(());
        };
        if queue[at].granted {
            queue.remove(at);
            drop(s);
            self.done = true;
            return Poll::Ready(());
        }
        queue[at].waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Wait {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let (id, q) = (self.id, self.queue);
        self.shared.update(|s| {
            let queue = s.queue(q);
            if let Some(at) = queue.iter().position(|t| t.id == id)
                && let Some(ticket) = queue.remove(at)
                && ticket.granted
            {
                ticket.need.undo(s);
            }
        });
    }
}

impl Budget {
    /// A budget of `total` bytes; at most `max_waiting` bodies wait for
    /// room at once, each until the future `deadline` makes resolves.
    pub fn new(total: u64, max_waiting: usize, deadline: MakeDeadline) -> Self {
        Self {
            shared: Arc::new(Shared {
                total,
                body_share: total / 2,
                max_waiting,
                deadline,
                state: Mutex::new(State::default()),
            }),
        }
    }

    /// No limit: every request is admitted at once (tests, command-line
    /// tools, hosts that bound memory otherwise).
    pub fn unlimited() -> Self {
        Self::new(
            u64::MAX,
            0,
            Box::new(|| Box::pin(std::future::pending::<()>())),
        )
    }

    pub fn total(&self) -> u64 {
        self.shared.total
    }

    /// The largest body admitted: half the budget.
    pub fn max_body(&self) -> u64 {
        self.shared.body_share
    }

    /// Bytes held by permits now.
    pub fn in_use(&self) -> u64 {
        self.shared.lock().used
    }

    /// Requests waiting for room now (bodies and growing uploads).
    pub fn waiting(&self) -> usize {
        let s = self.shared.lock();
        s.waiting
            .iter()
            .chain(&s.growing)
            .filter(|t| !t.granted)
            .count()
    }

    /// A permit holding nothing, to grow with [`Self::admit_processing`]
    /// when the body was never counted (it did not come over HTTP).
    pub fn empty_permit(&self) -> Permit {
        Permit {
            shared: Arc::clone(&self.shared),
            body: 0,
            processing: 0,
        }
    }

    /// Step 1: room for a request body of `bytes` (its declared size, or
    /// the upload limit when it declares none), taken before the body is
    /// read. A body larger than the budget admits at all is refused at
    /// once as too large: waiting would not help.
    pub async fn admit_body(&self, bytes: u64) -> Result<Permit> {
        if bytes > self.shared.body_share {
            return Err(Error::new(
                ErrorCode::FileTooLarge,
                format!(
                    "a body of {bytes} bytes does not fit in this server's memory budget \
                     for request bodies ({} bytes)",
                    self.shared.body_share
                ),
            ));
        }
        self.wait_for(Need::Body(bytes)).await?;
        Ok(Permit {
            shared: Arc::clone(&self.shared),
            body: bytes,
            processing: 0,
        })
    }

    /// Step 2: turns `permit` (from this budget) into one for processing,
    /// holding `estimate` bytes in all. The caller refuses estimates over
    /// [`Self::total`] itself, with a clearer error than this one.
    pub async fn admit_processing(&self, mut permit: Permit, estimate: u64) -> Result<Permit> {
        debug_assert!(Arc::ptr_eq(&permit.shared, &self.shared));
        if estimate > self.shared.total {
            return Err(busy());
        }
        let need = Need::Grow {
            body: permit.body,
            processing: permit.processing,
            to: estimate,
        };
        if estimate <= permit.held() {
            // Less than the body's share: give the rest back at once.
            self.shared.update(|s| need.apply(s));
        } else {
            self.wait_for(need).await?;
        }
        permit.body = 0;
        permit.processing = estimate;
        Ok(permit)
    }

    async fn wait_for(&self, need: Need) -> Result<()> {
        match self.shared.enter(need) {
            None => Err(busy()),
            Some(Entered::Now) => Ok(()),
            Some(Entered::Queued(wait)) => {
                let deadline = (self.shared.deadline)();
                match select(wait, deadline).await {
                    Either::Left(((), _)) => Ok(()),
                    // Dropping the wait leaves the queue.
                    Either::Right(((), _wait)) => Err(busy()),
                }
            }
        }
    }
}

impl fmt::Debug for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Budget")
            .field("total", &self.shared.total)
            .field("in_use", &self.in_use())
            .field("max_waiting", &self.shared.max_waiting)
            .finish()
    }
}

/// Memory held for one upload; given back when dropped.
pub struct Permit {
    shared: Arc<Shared>,
    body: u64,
    processing: u64,
}

impl Permit {
    /// The bytes held.
    pub fn held(&self) -> u64 {
        self.body + self.processing
    }

    /// Gives back what a body did not use, once its real size is known
    /// (it was counted at its declared size or at the upload limit).
    pub fn shrink_body(&mut self, bytes: u64) {
        if bytes >= self.body {
            return;
        }
        let freed = self.body - bytes;
        self.body = bytes;
        self.shared.update(|s| {
            s.used -= freed;
            s.bodies -= freed;
        });
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let (body, processing) = (self.body, self.processing);
        if body + processing == 0 {
            return;
        }
        self.shared.update(|s| {
            s.used -= body + processing;
            s.bodies -= body;
        });
    }
}

impl fmt::Debug for Permit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit")
            .field("body", &self.body)
            .field("processing", &self.processing)
            .finish()
    }
}

#[cfg(test)]
mod tests;
