import Foundation
import PFS
import PFSStatements
import PFSTestSupport
import Testing

/// The binary carries its schema and template, so it runs when copied anywhere (issue 11,
/// item 28).
@Suite struct Installing {
    @Test func embeddedResourcesAreTheFiles() throws {
        let schema = try String(contentsOfFile: Repository.path("Contracts/schema/pfs-contract-1.xsd"), encoding: .utf8)
        #expect(Array(schema.utf8) == PFS.schemaText, "run scripts/embed-resources after editing the schema")
        let template = try String(
            contentsOfFile: Repository.path("Sources/PFSStatements/Templates/statement.html.mustache"), encoding: .utf8)
        #expect(template == HTMLTemplate.standardText, "run scripts/embed-resources after editing the template")
        #expect(
            try HTMLTemplate(text: HTMLTemplate.standardText).render(
                Statement.document(
                    .settlement,
                    history: [
                        try PFS.settle(path: Repository.path("Contracts/maebashi-profit-share.xml"), year: 2024).get()
                    ])!,
                language: .ja
            ).contains("<table"))
    }

    /// A copy of the binary alone in an empty folder, run from another, checks, settles and
    /// writes HTML (which needs the template) like the one in the build folder.
    @Test func aCopiedBinaryRunsFromAnywhere() throws {
        let directory = try HostileInput.temporaryDirectory().path
        try FileManager.default.createDirectory(atPath: directory + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/work", withIntermediateDirectories: true)
        let copy = directory + "/bin/pfs"
        try FileManager.default.copyItem(atPath: CommandRun.binary.path, toPath: copy)
        let contract = Repository.path("Contracts/maebashi-profit-share.xml")
        for arguments in [
            ["check", contract], ["settle", contract, "--year", "2024", "--format", "html"],
            ["settle", contract, "--year", "2024", "--format", "json"],
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: copy)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory + "/work")
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(arguments)")
            let expected = try CommandRun.pfs(arguments)
            #expect(String(decoding: data, as: UTF8.self) == expected.standardOutput, "\(arguments)")
        }
    }
}
