//! Two pieces of work at once, on the caller's thread and one more: generation's big parts
//! (the client and the CLI, the two halves of a spec's files) are independent, and a
//! maintainer's machine has more than one core.

/// The second thread's stack: a main thread's, as the work may have run on one.
const STACK_BYTES: usize = 8 << 20;

/// Runs `a` on this thread and `b` on a new one; both results, or a panic — `a`'s when both
/// panic, as if they had run one after the other.
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    std::thread::scope(|scope| {
        let b = std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, b)
            .unwrap_or_else(|error| panic!("cannot start a thread: {error}"));
        let a = a();
        match b.join() {
            Ok(b) => (a, b),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// `f` of each item, in order, the items' two halves made at once.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let (first, second) = items.split_at(items.len() / 2);
    let (mut first, second) = join(
        || first.iter().map(&f).collect::<Vec<R>>(),
        || second.iter().map(&f).collect::<Vec<R>>(),
    );
    first.extend(second);
    first
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_results_keep_their_order() {
        let items: Vec<u32> = (0..101).collect();
        assert_eq!(
            super::map(&items, |i| i * 2),
            items.iter().map(|i| i * 2).collect::<Vec<_>>()
        );
        assert_eq!(super::map(&[] as &[u32], |i| *i), Vec::<u32>::new());
        assert_eq!(super::join(|| 1, || "two"), (1, "two"));
    }
}
