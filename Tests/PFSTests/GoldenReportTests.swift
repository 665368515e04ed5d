import Foundation
import PFS
import PFSChecks
import PFSEvaluator
import PFSModel
import PFSOutput
import PFSStatements
import PFSTestSupport
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
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.content.write(to: url, atomically: true, encoding: .utf8)
            }
            Issue.record("re-recorded Reports/; review the diff and run again without PFS_RECORD")
            return
        }
        var shownDiff = false
        for file in generated where !StatementOutput.holds(Repository.reports + "/" + file.path, file.bytes) {
            // The first differing file is shown as a unified diff; the others are named.
            let diff =
                shownDiff
                ? "" : "\n" + Self.unifiedDiff(committed: Repository.reports + "/" + file.path, generated: file.bytes)
            shownDiff = true
            Issue.record(
                "Reports/\(file.path) differs from the engine's output; run `pfs reports` and review the diff\(diff)")
        }
        let committedFiles = Set(
            (FileManager.default.subpaths(atPath: Repository.reports) ?? []).filter { path in
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(
                    atPath: Repository.reports + "/" + path, isDirectory: &isDirectory)
                return exists && !isDirectory.boolValue
            })
        let stale = committedFiles.subtracting(generated.map(\.path))
        #expect(stale.isEmpty, "Reports/ holds files the engine no longer produces: \(stale.sorted())")
    }

    /// `diff -u` of the committed file and what the engine makes, its first 60 lines.
    static func unifiedDiff(committed: String, generated: [UInt8]) -> String {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(generated)) else {
            return "(could not write the generated file)"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        process.arguments = ["-u", "--label", "committed", "--label", "generated", committed, temporary.path]
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return "(diff is not installed)" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).prefix(60)
            .joined(separator: "\n")
    }

    @Test func everyShippedContractChecksCleanAndSettlesAtLeastOneYear() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Repository.contracts).filter {
            $0.hasSuffix(".xml")
        }
        #expect(!names.isEmpty)
        for name in names {
            let checked = PFS.check(path: Repository.contracts + "/" + name)
            #expect(checked.diagnostics.isEmpty, "\(name): \(checked.diagnostics.map(\.rendered))")
            if let contract = checked.contract {
                #expect(!PFS.settleableYears(contract).isEmpty, "\(name) settles no year")
            }
        }
    }
}
