//! The budget's rules, driven by hand: futures are polled with a no-op
//! waker, deadlines are gates the test opens.

use std::sync::atomic::{AtomicBool, Ordering};

use super::*;

const MB: u64 = 1_000_000;

/// A deadline that passes when the test opens its gate.
#[derive(Clone, Default)]
struct Gate(Arc<AtomicBool>);

impl Gate {
    fn open(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    fn deadline(&self) -> MakeDeadline {
        let gate = self.0.clone();
        Box::new(move || {
            let gate = gate.clone();
            Box::pin(std::future::poll_fn(move |_| {
                if gate.load(Ordering::SeqCst) {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }))
        })
    }
}

fn budget(total: u64, waiting: usize) -> (Budget, Gate) {
    let gate = Gate::default();
    (Budget::new(total, waiting, gate.deadline()), gate)
}

type Pending<T> = Pin<Box<dyn Future<Output = T> + Send>>;

fn poll<T>(f: &mut Pending<T>) -> Poll<T> {
    f.as_mut().poll(&mut Context::from_waker(Waker::noop()))
}

fn now<T>(f: impl Future<Output = T> + Send + 'static) -> T {
    let mut f: Pending<T> = Box::pin(f);
    match poll(&mut f) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("expected an answer without waiting"),
    }
}

fn body(b: &Budget, bytes: u64) -> Pending<Result<Permit>> {
    let b = b.clone();
    Box::pin(async move { b.admit_body(bytes).await })
}

fn grow(b: &Budget, p: Permit, to: u64) -> Pending<Result<Permit>> {
    let b = b.clone();
    Box::pin(async move { b.admit_processing(p, to).await })
}

fn ready<T: fmt::Debug>(f: &mut Pending<Result<T>>) -> T {
    match poll(f) {
        Poll::Ready(r) => r.expect("admitted"),
        Poll::Pending => panic!("still waiting"),
    }
}

fn refused<T: fmt::Debug>(f: &mut Pending<Result<T>>) -> Error {
    match poll(f) {
        Poll::Ready(r) => r.expect_err("refused"),
        Poll::Pending => panic!("still waiting"),
    }
}

#[test]
fn bodies_share_half_the_budget_then_wait_in_a_bounded_queue() {
    let (b, _gate) = budget(100 * MB, 2);
    let a = ready(&mut body(&b, 30 * MB));
    let c = ready(&mut body(&b, 20 * MB));
    assert_eq!(b.in_use(), 50 * MB);
    // Half is for bodies: the next waits, as does the one after it.
    let mut w1 = body(&b, 10 * MB);
    let mut w2 = body(&b, 1);
    assert!(poll(&mut w1).is_pending() && poll(&mut w2).is_pending());
    assert_eq!(b.waiting(), 2);
    // The queue is full: refused at once, as busy.
    let e = refused(&mut body(&b, 1));
    assert_eq!(e.code, ErrorCode::ServerBusy);
    // A body larger than the share could never be admitted.
    let e = refused(&mut body(&b, 51 * MB));
    assert_eq!(e.code, ErrorCode::FileTooLarge);
    // Freeing room admits the waiters in order.
    drop(a);
    let p1 = ready(&mut w1);
    let p2 = ready(&mut w2);
    assert_eq!(b.in_use(), 30 * MB + 1);
    drop((c, p1, p2));
    assert_eq!((b.in_use(), b.waiting()), (0, 0));
}

#[test]
fn a_wait_ends_at_its_deadline_and_leaves_the_queue() {
    let (b, gate) = budget(100 * MB, 4);
    let held = ready(&mut body(&b, 50 * MB));
    let mut w = body(&b, 10 * MB);
    assert!(poll(&mut w).is_pending());
    gate.open();
    assert_eq!(refused(&mut w).code, ErrorCode::ServerBusy);
    assert_eq!(b.waiting(), 0);
    drop(held);
    assert_eq!(b.in_use(), 0);
}

#[test]
fn a_grant_never_taken_is_given_back() {
    let (b, _gate) = budget(100 * MB, 4);
    let held = ready(&mut body(&b, 50 * MB));
    let mut w = body(&b, 10 * MB);
    assert!(poll(&mut w).is_pending());
    drop(held);
    // Granted on release, but the request went away before seeing it.
    assert_eq!(b.in_use(), 10 * MB);
    drop(w);
    assert_eq!((b.in_use(), b.waiting()), (0, 0));
}

#[test]
fn processing_replaces_the_body_and_goes_before_waiting_bodies() {
    let (b, _gate) = budget(100 * MB, 4);
    let first = ready(&mut body(&b, 10 * MB));
    let first = ready(&mut grow(&b, first, 60 * MB));
    assert_eq!(b.in_use(), 60 * MB, "the estimate replaces the body");
    let second = ready(&mut body(&b, 30 * MB));
    let mut third = body(&b, 25 * MB);
    assert!(poll(&mut third).is_pending(), "115 MB would not fit");
    let mut second = grow(&b, second, 76 * MB);
    assert!(poll(&mut second).is_pending());
    // Once the first is done there is room for one of them: the growing
    // one gets it, even though the body asked first.
    drop(first);
    let second = ready(&mut second);
    assert!(poll(&mut third).is_pending());
    drop(second);
    let third = ready(&mut third);
    assert_eq!(b.in_use(), 25 * MB);
    drop(third);
    assert_eq!(b.in_use(), 0);
}

#[test]
fn only_an_image_larger_than_half_holds_new_bodies_back() {
    let (b, _gate) = budget(100 * MB, 4);
    let first = ready(&mut body(&b, 10 * MB));
    let first = ready(&mut grow(&b, first, 60 * MB));
    // Waiting for 50 MB, which bodies can never take from it: a new body
    // that fits goes ahead.
    let normal = ready(&mut body(&b, 10 * MB));
    let mut normal = grow(&b, normal, 50 * MB);
    assert!(poll(&mut normal).is_pending());
    let other = ready(&mut body(&b, 20 * MB));
    drop((normal, other));
    // Waiting for 90 MB: bodies would stand in its way, so they wait.
    let large = ready(&mut body(&b, 10 * MB));
    let mut large = grow(&b, large, 90 * MB);
    assert!(poll(&mut large).is_pending());
    let mut held_back = body(&b, 5 * MB);
    assert!(poll(&mut held_back).is_pending(), "it would fit, but waits");
    drop(first);
    let large = ready(&mut large);
    let held_back = ready(&mut held_back);
    assert_eq!(b.in_use(), 95 * MB);
    drop((large, held_back));
    assert_eq!(b.in_use(), 0);
}

#[test]
fn bodies_that_fill_their_share_all_get_processed_in_turn() {
    // Four bodies fill the share; each needs 40 MB to process. However they
    // interleave, the half kept from bodies lets them through one by one.
    let (b, _gate) = budget(100 * MB, 8);
    let bodies: Vec<Permit> = (0..4).map(|_| ready(&mut body(&b, 12 * MB))).collect();
    let mut growing: Vec<_> = bodies.into_iter().map(|p| grow(&b, p, 40 * MB)).collect();
    let mut done = 0;
    while !growing.is_empty() {
        let mut admitted = Vec::new();
        growing.retain_mut(|f| match poll(f) {
            Poll::Ready(r) => {
                admitted.push(r.expect("admitted"));
                false
            }
            Poll::Pending => true,
        });
        assert!(
            !admitted.is_empty(),
            "no progress with {} left",
            growing.len()
        );
        assert!(b.in_use() <= 100 * MB);
        done += admitted.len();
        drop(admitted);
    }
    assert_eq!((done, b.in_use()), (4, 0));
}

#[test]
fn an_estimate_below_the_body_gives_the_rest_back() {
    let (b, _gate) = budget(100 * MB, 1);
    let p = ready(&mut body(&b, 30 * MB));
    let p = ready(&mut grow(&b, p, 5 * MB));
    assert_eq!((p.held(), b.in_use()), (5 * MB, 5 * MB));
    let e = refused(&mut grow(&b, p, 101 * MB));
    assert_eq!(e.code, ErrorCode::ServerBusy);
    assert_eq!(b.in_use(), 0, "a refused permit is given back");
}

#[test]
fn a_shrunk_body_frees_room_for_others() {
    let (b, _gate) = budget(100 * MB, 1);
    let mut p = ready(&mut body(&b, 50 * MB));
    let mut w = body(&b, 10 * MB);
    assert!(poll(&mut w).is_pending());
    p.shrink_body(2 * MB);
    let q = ready(&mut w);
    assert_eq!(b.in_use(), 12 * MB);
    p.shrink_body(3 * MB);
    assert_eq!(p.held(), 2 * MB, "shrinking never grows");
    drop((p, q));
    assert_eq!(b.in_use(), 0);
}

#[test]
fn unlimited_admits_anything_at_once() {
    let b = Budget::unlimited();
    let p = now({
        let b = b.clone();
        async move { b.admit_body(u64::MAX / 4).await }
    })
    .unwrap();
    let q = now({
        let b = b.clone();
        async move { b.admit_processing(b.empty_permit(), u64::MAX / 2).await }
    })
    .unwrap();
    assert_eq!(b.in_use(), u64::MAX / 4 + u64::MAX / 2);
    drop((p, q));
    assert_eq!(b.in_use(), 0);
}
