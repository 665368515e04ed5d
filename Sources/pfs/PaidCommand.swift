import ArgumentParser
import Foundation
import PFSModel
import PFSRegister

struct Paid: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record that a payer paid a payee the amount the issued statement says.")
    @Argument(help: "The contract XML file the year was settled from.")
    var file: String
    @Option(help: "The fiscal year.")
    var year: Int
    @Option(help: "The paying party's id.")
    var payer: String
    @Option(help: "The receiving party's id.")
    var payee: String
    @Option(help: "The amount paid, in the contract's amounts (exactly the issued amount).")
    var amount: String
    @Option(help: "The date paid, YYYY-MM-DD.")
    var date: String
    @Option(help: "The payment's reference (transfer number, voucher).")
    var reference: String
    @Option(help: "Your private key file (PEM), to sign the record.")
    var key: String?
    @Flag(help: "Refuse a private key file that others may read (else a warning).")
    var strict = false
    @OptionGroup var register: RegisterOptions

    func validate() throws {
        for (option, text) in [("--reference", reference), ("--payer", payer), ("--payee", payee)] {
            try requirePlainText(text, option: option)
        }
    }

    func run() async throws {
        let input = try loadContract(file)
        let signer = try loadSigner(key, strict: strict)
        let amount = try plainAmount()
        let location = register.location(besides: file)
        try await usingRegister(location) { register async throws(RegisterError) in
            try await register.recordPayment(
                input, year: year, payer: payer, payee: payee, amount: amount, date: date, reference: reference,
                signer: signer)
        }
        print("\(input.contract.id) FY\(year): \(payer) paid \(payee) \(amount) on \(date) (\(reference))")
    }

    /// `--amount` as pfs writes it, or a usage error. Synchronous: an `ExactDecimal` held in
    /// an async context crashed this build of Swift.
    func plainAmount() throws -> String {
        switch ExactDecimal.parse(amount) {
        case .success(let value): return value.description
        case .failure(let error):
            printError(
                "pfs: --amount \(amount.printable()) is not a decimal written plainly (e.g. 18 or 1234.5): \(error.explanation)")
            throw ExitCode(ExitStatus.usage)
        }
    }
}
