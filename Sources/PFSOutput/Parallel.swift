import Dispatch
import Foundation

/// Work spread over the machine's cores: the contracts of a portfolio, or the years of
/// one large contract's term when there are fewer contracts than cores.
public enum Parallel {
    /// Applies `body` to every item on up to `jobs` threads; results come back in order.
    public static func map<Item: Sendable, T: Sendable>(
        _ items: [Item], jobs: Int, _ body: @Sendable (Item) -> T
    ) -> [T] {
        guard jobs > 1, items.count > 1 else { return items.map(body) }
        let collected = Collected<T>()
        DispatchQueue.concurrentPerform(iterations: min(jobs, items.count)) { _ in
            while let index = collected.nextIndex(below: items.count) {
                collected.add(index, body(items[index]))
            }
        }
        return collected.inOrder()
    }

    /// Runs two independent pieces of work at once (one after the other when `jobs` is 1).
    public static func both<A: Sendable, B: Sendable>(
        jobs: Int, _ first: @Sendable () -> A, _ second: @Sendable () -> B
    ) -> (A, B) {
        guard jobs > 1 else { return (first(), second()) }
        let a = Slot<A>(), b = Slot<B>()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            if index == 0 { a.value = first() } else { b.value = second() }
        }
        // concurrentPerform returns only when both have run.
        guard let firstResult = a.value, let secondResult = b.value else {
            preconditionFailure("concurrentPerform skipped an iteration")
        }
        return (firstResult, secondResult)
    }
}

/// One result, written by one thread and read after it has finished.
private final class Slot<T>: @unchecked Sendable {
    var value: T?
}

/// Results produced on several threads, each under a lock, read in order afterwards.
final class Collected<T>: @unchecked Sendable {
    private var results: [(index: Int, value: T)] = []
    private var next = 0
    private let lock = NSLock()

    /// Hands out indices 0, 1, 2… to whichever thread asks next.
    func nextIndex(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }

    func add(_ index: Int, _ value: T) {
        lock.lock()
        results.append((index, value))
        lock.unlock()
    }

    func inOrder() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return results.sorted { $0.index < $1.index }.map(\.value)
    }
}
