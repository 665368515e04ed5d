import Foundation
import PFS
import PFSModel
@testable import PFSRegister
import PFSTestSupport
import Testing

/// Event payloads are typed values: every event a register holds — made now, or by the
/// engine of the old model — reads back as its kind's type, and that value writes the very
/// bytes the event holds (the canonical JSON its hash and signature cover).
@Suite(.serialized) struct EventPayloads {
    /// The payload written again from its typed value.
    static func rewritten(_ payload: EventPayload) throws -> String {
        let value: CanonicalValue
        switch payload {
        case .opened(let p): value = try CanonicalEncoder.encode(p)
        case .settled(let p): value = try CanonicalEncoder.encode(p)
        case .signedOff(let p): value = try CanonicalEncoder.encode(p)
        case .rejected(let p): value = try CanonicalEncoder.encode(p)
        case .issued(let p): value = try CanonicalEncoder.encode(p)
        case .paid(let p): value = try CanonicalEncoder.encode(p)
        case .keyAdded(let p): value = try CanonicalEncoder.encode(p)
        case .corrected(let p): value = try CanonicalEncoder.encode(p)
        case .organisationAdded(let p): value = try CanonicalEncoder.encode(p)
        case .memberAdded(let p): value = try CanonicalEncoder.encode(p)
        case .bindingAdded(let p): value = try CanonicalEncoder.encode(p)
        case .revoked(let p): value = try CanonicalEncoder.encode(p)
        case .access(let p): value = try CanonicalEncoder.encode(p)
        }
        return value.text
    }

    /// Each event's kind and payload, from the register's export.
    static func events(_ register: Register) async throws -> [(kind: EventKind, payload: String)] {
        var lines: [String] = []
        try await register.export { lines.append($0) }
        return try lines.compactMap { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard object["table"] as? String == "events", let row = object["row"] as? [String: Any] else { return nil }
            let name = try #require(row["kind"] as? String)
            let kind = try #require(EventKind(rawValue: name))
            let payload = try #require(row["payload"] as? String)
            return (kind, payload)
        }
    }

    static func checkRoundTrip(_ register: Register) async throws -> Set<EventKind> {
        var kinds: Set<EventKind> = []
        for event in try await Self.events(register) {
            let typed = try #require(EventPayload(event.kind, payload: event.payload), "\(event.kind): \(event.payload)")
            #expect(try Self.rewritten(typed) == event.payload)
            kinds.insert(event.kind)
        }
        return kinds
    }

    @Test func everyKindOfEventReadsBackAsItsTypeAndWritesItsOwnBytes() async throws {
        let (register, keys) = try await registerWithKeys(.sqlite)
        defer { Task { await register.close() } }
        let issued = try contractInput("maebashi-profit-share.xml")
        try await Adjustments.issue([2024], of: issued, in: register, keys: keys)
        // A correction after payment, settled again by adjustment, then sent back at review.
        let (corrected, checked) = try Adjustments.restatingItemC(issued)
        try await register.recordCorrection(
            contract: corrected.contract, from: issued.sha256, to: corrected.sha256,
            values: [CorrectedValue(kpi: "item-c", year: 2024, series: "actual", before: "2200", after: "2250")],
            reason: "audit 2025-09", signer: keys.finance)
        _ = try await register.recordAdjustments(
            corrected, history: try PFS.settleTerm(checked, fileName: issued.fileName).get(), from: 2024,
            reason: nil, signer: keys.finance)
        try await register.review(corrected, year: 2024, signer: keys.evaluator, reject: "recheck item C")
        try await register.recordAccess(AccessRecord(kind: .signedIn, account: "finance", member: "finance-officer"))
        try await register.recordAccess(AccessRecord(kind: .signInRefused, account: "nobody", member: nil, reason: "wrong code"))
        try await register.revoke(.binding(contract: issued.contract.id, party: "evaluator"), reason: "ended", authority: keys.authority)
        try await register.revoke(.key(keys.evaluator.keyID), reason: "lost", authority: keys.authority)
        try await register.revoke(.member("evaluator-member"), reason: "left", authority: keys.authority)
        try await register.revoke(.organisation(TestKeys.firm), reason: "closed", authority: keys.authority)
        let kinds = try await Self.checkRoundTrip(register)
        #expect(kinds == Set(EventKind.allCases).subtracting([.registerUpgraded, .signedOut]))
        #expect(try await register.verify().findings.isEmpty)
    }

    /// A register of the old model (before organisations), imported and upgraded.
    @Test func theOldModelsEventsAndTheUpgradeReadBackToo() async throws {
        let lines = try String(contentsOfFile: Repository.path("Tests/PFSTests/Fixtures/register-v1/export.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let location = try await Backend.sqlite.freshLocation()
        _ = try await Register.importing(lines, into: location)
        let register = try await Register.open(location)
        defer { Task { await register.close() } }
        #expect(
            try await Self.checkRoundTrip(register)
                == [.registerCreated, .keyAdded, .settled, .reviewed, .approved, .issued, .paid])
    }

    /// The encoder writes texts and whole numbers; a fractional number has no canonical form
    /// in an event (amounts are decimal strings) and is refused, naming where it stood.
    @Test func theCanonicalEncoderRefusesAFractionalNumber() throws {
        struct Fractional: Encodable { let rate: Double }
        #expect(try CanonicalEncoder.encode(RunPayload(run: 3)).text == #"{"run":3}"#)
        do {
            _ = try CanonicalEncoder.encode(Fractional(rate: 0.5))
            Issue.record("a fractional number was encoded")
        } catch let EncodingError.invalidValue(_, context) {
            #expect(context.debugDescription == "a payload holds no fractional number")
            #expect(context.codingPath.map(\.stringValue) == ["rate"])
        }
    }

    /// An event whose payload is not what its kind records is named by `register verify`.
    @Test func aPayloadThatIsNotItsKindsIsFound() async throws {
        let register = try await RegisterTampering.paidYear(.sqlite)
        defer { Task { await register.close() } }
        let lifted = try await RegisterTampering.liftTriggers("events", register)
        try await register.store.sql.raw(#"UPDATE events SET payload = '{"run":"one"}' WHERE seq = 15"#).run()
        let findings = try await RegisterTampering.findings(register)
        let finance = try #require(try await register.trust().keys.values.first { $0.member == "finance-officer" })
        let key = finance.keyID.prefix(16)
        #expect(
            findings == [
                "event 15 (issued): its fields do not give its hash: the event was edited",
                "event 15 (issued): its payload is not what 'issued' events record",
                "event 15 (issued): its signature does not verify with key \(key)",
                // The payload no longer names who acted.
                "event 15 (issued): the member and organisation it names are not those of key \(key)",
            ] + lifted)
    }
}
