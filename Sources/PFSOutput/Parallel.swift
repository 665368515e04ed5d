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
