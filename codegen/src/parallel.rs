//! Two pieces of work at once, on the caller's thread and one more: generation's big parts
//! (the client and the CLI, the two halves of a spec's files) are independent, and a
//! maintainer's machine has more than one core.

/// Runs `a` on a new thread and `b` on this one; both results, or the panic of either.
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        match a.join() {
            Ok(a) => (a, b),
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
