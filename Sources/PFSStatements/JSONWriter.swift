import PFSModel

/// Writes JSON as UTF-8 bytes, as it goes, in exactly the layout Foundation's
/// `JSONEncoder` uses with `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes` (a test
/// keeps the two byte-identical). Building a value tree and sorting its keys took a
/// third of settling a portfolio (Benchmarks/README.md); the writer does neither.
///
/// Members are written in the order they are given, so callers give an object's keys in
/// ascending order of their UTF-8 bytes — `.sortedKeys`' order for the ASCII keys used
/// here. Debug builds check it. ``Layout/compact`` writes what `JSONEncoder` writes
/// without `.prettyPrinted` (one JSON Lines record).
public struct JSONWriter: ~Copyable {
    /// Pretty-printed as `JSONEncoder` does, or on one line.
    public enum Layout: Sendable {
        case pretty
        case compact
    }

    private var bytes: ByteBuffer
    private let layout: Layout
    private var depth = 0
    /// Whether the innermost open container has no element yet.
    private var empty = true
    /// A key was just written; the next value is its member's value.
    private var afterKey = false
    #if DEBUG
    private var lastKeys: [[UInt8]?] = []
    #endif

    /// Fractional digits every amount is written with (a currency's minor unit).
    public var amountDigits = 0

    /// An empty writer; `capacity` is a first guess of the size.
    public init(capacity: Int = 16_384, layout: Layout = .pretty) {
        bytes = ByteBuffer(capacity: capacity)
        self.layout = layout
    }

    /// A writer for one element of an array open at `depth` (`first`: it has no element
    /// yet): what it writes is spliced into a document written elsewhere (a portfolio's
    /// per-contract summaries, streamed to a file as contracts finish).
    public init(elementAtDepth depth: Int, first: Bool, capacity: Int = 1_024) {
        bytes = ByteBuffer(capacity: capacity)
        layout = .pretty
        self.depth = depth
        empty = first
    }

    /// The bytes written, with the final newline a statement file (or a JSON Lines
    /// record) ends with.
    public consuming func finished() -> [UInt8] {
        bytes.append(0x0A)
        return bytes.array()
    }

    /// The bytes written, without a final newline (a fragment).
    public consuming func fragment() -> [UInt8] {
        bytes.array()
    }

    /// The bytes written so far, taken out: the writer goes on from where it was, empty.
    /// With ``beginArray()`` and ``endArray(hadElements:)``, a document whose array
    /// elements are written elsewhere (and too many to hold) is written around them.
    public mutating func take() -> [UInt8] {
        defer { bytes = ByteBuffer(capacity: 1_024) }
        return bytes.array()
    }

    /// Opens an array whose elements are written elsewhere (see ``take()``).
    public mutating func beginArray() {
        open(UInt8(ascii: "["))
    }

    /// Closes an array opened with ``beginArray()``; `hadElements` says whether elements
    /// were written into it elsewhere (an empty array is laid out differently).
    public mutating func endArray(hadElements: Bool) {
        empty = !hadElements
        close(UInt8(ascii: "]"))
    }

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "{"))
        #if DEBUG
        lastKeys.append(nil)
        #endif
        body(&self)
        #if DEBUG
        lastKeys.removeLast()
        #endif
        close(UInt8(ascii: "}"))
    }

    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "["))
        body(&self)
        close(UInt8(ascii: "]"))
    }

    /// An array of `items`, each written by `element`.
    public mutating func array<S: Sequence>(_ items: S, _ element: (inout JSONWriter, S.Element) -> Void) {
        array { writer in
            for item in items { element(&writer, item) }
        }
    }

    /// Starts the member `key`; the next value written is its value.
    public mutating func key(_ key: StaticString) {
        key.withUTF8Buffer { writeKey($0) }
    }

    /// Starts a member whose key is only known at run time.
    public mutating func key(_ key: String) {
        var key = key
        key.withUTF8 { writeKey($0) }
    }

    private mutating func writeKey(_ key: UnsafeBufferPointer<UInt8>) {
        #if DEBUG
        let keyBytes = Array(key)
        if let last = lastKeys[lastKeys.count - 1] {
            assert(
                last.lexicographicallyPrecedes(keyBytes),
                """
                JSON keys out of order: \(String(decoding: last, as: UTF8.self)) before \
                \(String(decoding: keyBytes, as: UTF8.self))
                """
            )
        }
        lastKeys[lastKeys.count - 1] = keyBytes
        #endif
        startElement()
        // Keys are ASCII identifiers: nothing to escape.
        bytes.append(UInt8(ascii: "\""))
        bytes.append(key)
        switch layout {
        case .pretty: append("\" : ")
        case .compact: append("\":")
        }
        afterKey = true
    }

    public mutating func string(_ text: String) {
        startValue()
        writeString(text)
    }

    public mutating func int(_ number: Int) {
        startValue()
        var text = String(number)
        text.withUTF8 { bytes.append($0) }
    }

    public mutating func bool(_ flag: Bool) {
        startValue()
        append(flag ? "true" : "false")
    }

    /// A decimal as a string in plain notation, so no reader turns it into a float.
    public mutating func decimal(_ value: ExactDecimal) {
        startValue()
        bytes.append(UInt8(ascii: "\""))
        value.withPlainBytes { bytes.append($0) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A decimal as a JSON number in plain notation, digit for digit (for formats whose
    /// amounts are numbers, as INDIGO's are): no floating point on the way.
    public mutating func number(_ value: ExactDecimal) {
        startValue()
        value.withPlainBytes { bytes.append($0) }
    }

    // Optional members are left out when absent, as `encodeIfPresent` does.

    public mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    public mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    public mutating func member(_ name: StaticString, _ value: ExactDecimal?) {
        guard let value else { return }
        key(name)
        decimal(value)
    }

    /// An amount: a decimal with at least ``amountDigits`` fractional digits (yen amounts,
    /// with none, take the fast path).
    public mutating func member(_ name: StaticString, amount value: ExactDecimal?) {
        guard let value else { return }
        key(name)
        guard amountDigits > 0 else { return decimal(value) }
        string(value.formatted(minimumFractionDigits: amountDigits))
    }

    public mutating func member(_ name: StaticString, _ body: (inout JSONWriter) -> Void) {
        key(name)
        body(&self)
    }

    private mutating func startValue() {
        if afterKey { afterKey = false } else { startElement() }
    }

    /// The separator and indentation before an element of the open container (nothing
    /// before a top-level value).
    private mutating func startElement() {
        guard depth > 0 else { return }
        guard layout == .pretty else {
            if !empty { bytes.append(UInt8(ascii: ",")) }
            empty = false
            return
        }
        append(empty ? "\n" : ",\n")
        indent(depth)
        empty = false
    }

    private mutating func open(_ bracket: UInt8) {
        startValue()
        bytes.append(bracket)
        depth += 1
        empty = true
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        guard layout == .pretty else {
            bytes.append(bracket)
            empty = false
            return
        }
        // JSONEncoder writes an empty container as `{`, a blank line, `}`.
        append(empty ? "\n\n" : "\n")
        indent(depth)
        bytes.append(bracket)
        empty = false
    }

    // Only a StaticString overload: with a String one beside it, literals became Strings.
    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append($0) }
    }

    private mutating func indent(_ depth: Int) {
        bytes.append(repeating: UInt8(ascii: " "), count: depth * 2)
    }

    private mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Most strings need no escaping: copy them whole.
            guard utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
                bytes.append(utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                case 0..<0x20:
                    let hex: StaticString = "0123456789abcdef"
                    append("\\u00")
                    hex.withUTF8Buffer { digits in
                        bytes.append(digits[Int(byte >> 4)])
                        bytes.append(digits[Int(byte & 0xF)])
                    }
                default:
                    // UTF-8 bytes of non-ASCII characters are copied as they are.
                    bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A growable run of bytes written with `memcpy`: appending many short pieces to an
/// `[UInt8]` went through a generic element-by-element copy (a tenth of settling a
/// portfolio).
struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ source: UnsafeBufferPointer<UInt8>) {
        guard let start = source.baseAddress, !source.isEmpty else { return }
        reserve(source.count)
        (base + count).update(from: start, count: source.count)
        count += source.count
    }

    mutating func append(repeating byte: UInt8, count repeats: Int) {
        guard repeats > 0 else { return }
        reserve(repeats)
        (base + count).update(repeating: byte, count: repeats)
        count += repeats
    }

    /// The bytes, copied out.
    func array() -> [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var grown = capacity * 2
        while grown < needed { grown *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = grown
    }
}
