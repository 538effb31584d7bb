//! Splitting independent work over the machine's cores with scoped threads. Loading packs and
//! scoring the finder's entries are both embarrassingly parallel and on the critical path.

/// Maps `f` over chunks of `items` (at least `min_chunk` items each) on scoped threads and
/// concatenates the results in order. A panic in a worker is re-raised here, as if sequential.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    min_chunk: usize,
    f: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(min_chunk).max(1);
    if items.len() <= chunk {
        return f(items);
    }
    let f = &f;
    std::thread::scope(|s| {
        let workers: Vec<_> = items.chunks(chunk).map(|c| s.spawn(move || f(c))).collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_across_chunks() {
        let items: Vec<u32> = (0..10_000).collect();
        let out = map_chunks(&items, 16, |c| c.iter().map(|x| x * 2).collect());
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(map_chunks(&[] as &[u32], 4, |c| c.to_vec()).is_empty());
    }
}
