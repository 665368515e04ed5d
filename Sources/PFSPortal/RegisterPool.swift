import PFSRegister

/// Connections to the register for concurrent requests: a register connection runs one
/// transaction at a time, so each request borrows one of its own and gives it back.
actor RegisterPool {
    let location: RegisterLocation
    private var idle: [Register] = []
    private let keep: Int

    /// `keep` connections stay open between requests: opening a PostgreSQL connection for
    /// each request under load cost more than the request (Benchmarks/README.md).
    init(location: RegisterLocation, keep: Int = 24) {
        self.location = location
        self.keep = keep
    }

    /// Runs `body` on a connection no other request is using.
    func use<T: Sendable>(_ body: @Sendable (Register) async throws -> T) async throws -> T {
        let register = try await borrow()
        do {
            let result = try await body(register)
            await giveBack(register)
            return result
        } catch {
            await giveBack(register)
            throw error
        }
    }

    private func borrow() async throws(RegisterError) -> Register {
        if let register = idle.popLast() { return register }
        return try await Register.open(location)
    }

    private func giveBack(_ register: Register) async {
        if idle.count < keep { idle.append(register) } else { await register.close() }
    }

    /// Closes every idle connection (when the server stops).
    func close() async {
        for register in idle { await register.close() }
        idle = []
    }
}
