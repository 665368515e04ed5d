import CSV
import Crypto
import Foundation
import PFSModel

/// Reading a `<rate-card>`: its outcomes and caps, and its records, inline or from the CSV
/// file it names with the file's SHA-256 (so that the contract's digest covers the data).
extension ContractReader {
    /// Largest records file read, in bytes (64 MiB, as a contract).
    static let maxRecordsBytes = 64 << 20

    mutating func readRateCard(_ element: Element) -> RateCard {
        var outcomes: [RateCard.Outcome] = []
        for outcome in element.children(named: "outcome") {
            outcomes.append(
                .init(
                    id: string("id", of: outcome), name: names(outcome.child(named: "name")),
                    price: decimal("price", of: outcome), location: location(of: outcome)))
        }
        var records: [RateCard.Record] = []
        for record in element.children(named: "record") {
            records.append(
                .init(
                    participant: string("participant", of: record), outcome: string("outcome", of: record),
                    year: integer("year", of: record), location: location(of: record)))
        }
        var file: RateCard.RecordsFile?
        if let named = element.child(named: "records") {
            let declared = RateCard.RecordsFile(
                path: string("file", of: named), sha256: string("sha256", of: named).lowercased())
            file = declared
            records += readRecordsFile(declared, at: location(of: named))
        }
        return RateCard(
            id: string("id", of: element), name: names(element.child(named: "name")), outcomes: outcomes,
            capPerYear: optionalDecimal("cap-per-year", of: element),
            capPerTerm: optionalDecimal("cap-per-term", of: element),
            cutOrder: element.attribute("cut-order").flatMap(RateCard.CutOrder.init(rawValue:)) ?? .lastRecordedFirst,
            records: records, file: file, location: location(of: element))
    }

    /// The records of a CSV file beside the contract, after its SHA-256 is checked.
    private mutating func readRecordsFile(_ file: RateCard.RecordsFile, at here: SourceLocation) -> [RateCard.Record] {
        func problem(_ message: String, _ hint: String, _ at: SourceLocation? = nil) -> [RateCard.Record] {
            diagnostics.append(Diagnostic(check: .rateCardRecords, message: message, hint: hint, at: at ?? here))
            return []
        }
        let parts = file.path.split(separator: "/", omittingEmptySubsequences: false)
        guard !file.path.hasPrefix("/"), !file.path.isEmpty, !parts.contains(where: { $0 == ".." || $0.isEmpty }),
            !file.path.contains("\\")
        else {
            return problem(
                "records file '\(file.path)' is not a relative path inside the contract's folder",
                "name a file beside the contract or in a folder below it, e.g. file=\"participants.csv\"")
        }
        let path = (baseDirectory as NSString).appendingPathComponent(file.path)
        // A symbolic link may point within the folder, never out of it.
        if let folder = Self.realPath(baseDirectory.isEmpty ? "." : baseDirectory), let real = Self.realPath(path),
            !real.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
        {
            return problem(
                "records file '\(file.path)' is a link to \(real), outside the contract's folder",
                "copy the CSV file into the contract's folder instead of linking to it")
        }
        let data: [UInt8]
        switch ContractLoader.readFile(path, maxBytes: Self.maxRecordsBytes, regularOnly: true) {
        case .success(let bytes): data = bytes
        case .failure(.tooLarge):
            return problem(
                "records file '\(file.path)' is larger than \(Self.maxRecordsBytes) bytes",
                "split the records over several rate cards")
        case .failure(.notRegular), .failure(.isDirectory):
            return problem(
                "records file '\(file.path)' is not a regular file (a pipe, device or folder)",
                "name the CSV file itself in file=\"…\"")
        case .failure:
            return problem(
                "records file '\(file.path)' cannot be read beside the contract",
                "put the CSV file beside the contract, or correct file=\"…\"")
        }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        guard digest == file.sha256 else {
            return problem(
                "records file '\(file.path)' has SHA-256 \(digest), not the \(file.sha256) the contract declares",
                """
                the file changed since the contract was written: check it, then write its SHA-256 (sha256sum \
                \(file.path)) into sha256=\"…\"
                """)
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let grid: [[String]]
        do {
            let reader = try CSVReader(string: text, hasHeaderRow: false)
            grid = Array(reader)
        } catch {
            return problem("records file '\(file.path)' is not a CSV table: \(error)", "save it as CSV (UTF-8)")
        }
        let header = grid.first?.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? []
        guard let participant = header.firstIndex(of: "participant"), let outcome = header.firstIndex(of: "outcome"),
            let year = header.firstIndex(of: "year")
        else {
            return problem(
                "records file '\(file.path)' has no header row with the columns participant, outcome, year",
                "start the file with the line participant,outcome,year")
        }
        // Named as the contract is named (its folder, then the path the contract gives).
        let folder = (source.file as NSString).deletingLastPathComponent
        let shownPath = folder.isEmpty ? file.path : (folder as NSString).appendingPathComponent(file.path)
        var records: [RateCard.Record] = []
        for (index, row) in grid.enumerated().dropFirst() where !(row.count == 1 && row[0].isEmpty) {
            let at = SourceLocation(file: shownPath, line: index + 1, column: 0)
            let cells = [participant, outcome, year].map {
                $0 < row.count ? row[$0].trimmingCharacters(in: .whitespaces) : ""
            }
            guard let fiscalYear = Int(cells[2]), !cells[0].isEmpty, !cells[1].isEmpty else {
                _ = problem(
                    "records file '\(file.path)' line \(index + 1): '\(shown(row))' needs a "
                        + "participant, an outcome and a year",
                    "write e.g. P0001,entry-education,2024", at)
                continue
            }
            records.append(.init(participant: cells[0], outcome: cells[1], year: fiscalYear, location: at))
        }
        return records
    }

    /// A CSV row as one line of a message: line breaks inside quoted cells written as `\n`.
    private func shown(_ row: [String]) -> String {
        row.joined(separator: ",").replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(
            of: "\n", with: "\\n")
    }

    /// The path with every link and `.` resolved, or nil when it does not exist.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
