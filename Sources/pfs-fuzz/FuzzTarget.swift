import PFS
import PFSModel
import PFSStatements

/// Runs one input through the whole pipeline: load, check, settle every year that can be
/// settled, render every document in every format and language, explain each year.
/// Any crash, trap or sanitizer report is a bug.
func runPipeline(_ bytes: [UInt8]) {
    let checked = PFS.check(bytes: bytes, file: "fuzz.xml")
    for diagnostic in checked.diagnostics { _ = diagnostic.rendered }
    guard let contract = checked.contract, !checked.hasErrors else { return }
    let first = contract.term.first
    // A few years on each side of the term exercise the settle-year checks too.
    for year in (first - 1)...(min(contract.term.last, first + 40) + 1) {
        switch PFS.settle(checked, fileName: "fuzz.xml", year: year) {
        case .success(let settlement):
            if case .success(let roots) = Explanation.roots(.everything, in: settlement) {
                _ = Explanation.render(settlement, roots: roots, language: .ja)
            }
        case .failure(let failure):
            for diagnostic in failure.diagnostics { _ = diagnostic.rendered }
        }
    }
    if case .success(let history) = PFS.settleTerm(checked, fileName: "fuzz.xml") {
        _ = ReportSet.files(history: history, selection: .everything, contract: checked.contract) { _ in nil }
    }
}

#if FUZZING
/// The libFuzzer entry point (`scripts/fuzz` builds with `-sanitize=fuzzer`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    runPipeline(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

/// libFuzzer's driver, for programs that have their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzCallback
) -> Int32

/// SwiftPM links an executable's `main` to `<module>_main`; hand over to libFuzzer there.
@_cdecl("pfs_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
}
#else
import Foundation

/// Without libFuzzer: replays the files named on the command line (crash reproducers).
@main
struct Replay {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            runPipeline(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            print("\(path): no crash")
        }
    }
}
#endif
