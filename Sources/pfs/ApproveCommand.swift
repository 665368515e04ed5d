import ArgumentParser

struct Approve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The finance manager's approval of a reviewed year: sign its statements, or reject it with a reason.")
    @OptionGroup var options: SignOffOptions

    func run() async throws { try await options.signOff(.approval) }
}
