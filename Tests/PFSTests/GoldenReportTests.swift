import Foundation
import PFS
import PFSChecks
import PFSEvaluator
import PFSModel
import PFSStatements
import Testing

/// `Reports/` is the committed output of `pfs reports` over `Contracts/`. Any difference
/// fails; `PFS_RECORD=1` rewrites Reports/ and fails the run so it is re-read on purpose.
@Suite struct GoldenReports {
    @Test func reportsMatchWhatTheEngineProduces() throws {
        let generated = try ReportSet.generate(contractsDirectory: Repository.contracts).get()
        #expect(!generated.isEmpty)
        if Repository.recording {
            try? FileManager.default.removeItem(atPath: Repository.reports)
            for file in generated {
                let url = URL(fileURLWithPath: Repository.reports + "/" + file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.content.write(to: url, atomically: true, encoding: .utf8)
            }
            Issue.record("re-recorded Reports/; review the diff and run again without PFS_RECORD")
            return
        }
        for file in generated {
            #expect(StatementOutput.holds(Repository.reports + "/" + file.path, file.content),
                    "Reports/\(file.path) differs from the engine's output; run `pfs reports` and review the diff")
        }
        let committedFiles = Set((FileManager.default.subpaths(atPath: Repository.reports) ?? []).filter { path in
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: Repository.reports + "/" + path, isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue
        })
        let stale = committedFiles.subtracting(generated.map(\.path))
        #expect(stale.isEmpty, "Reports/ holds files the engine no longer produces: \(stale.sorted())")
    }

    @Test func everyShippedContractChecksCleanAndSettlesAtLeastOneYear() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Repository.contracts).filter { $0.hasSuffix(".xml") }
        #expect(!names.isEmpty)
        for name in names {
            let checked = PFS.check(path: Repository.contracts + "/" + name)
            #expect(checked.diagnostics.isEmpty, "\(name): \(checked.diagnostics.map(\.rendered))")
            if let contract = checked.contract { #expect(!PFS.settleableYears(contract).isEmpty, "\(name) settles no year") }
        }
    }
}
