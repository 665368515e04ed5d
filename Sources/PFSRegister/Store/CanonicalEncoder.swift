/// Encodes an `Encodable` value as a ``CanonicalValue``: an event's typed payload becomes the
/// canonical JSON its hash and signature cover. Payloads hold texts, whole numbers and
/// nested objects and arrays; a fractional number is refused (amounts are decimal strings).
enum CanonicalEncoder {
    static func encode<T: Encodable>(_ value: T) throws -> CanonicalValue {
        let root = Node()
        try value.encode(to: TreeEncoder(node: root, codingPath: []))
        return root.value
    }
}

/// One value of the tree being built; containers fill it in place.
private final class Node {
    enum Content {
        case empty
        case value(CanonicalValue)
        case object([String: Node])
        case array([Node])
    }

    var content = Content.empty

    var value: CanonicalValue {
        switch content {
        case .empty: return .object([:])
        case .value(let value): return value
        case .object(let members): return .object(members.mapValues(\.value))
        case .array(let items): return .array(items.map(\.value))
        }
    }

    func member(_ key: String) -> Node {
        var members: [String: Node] = [:]
        if case .object(let existing) = content { members = existing }
        let node = Node()
        members[key] = node
        content = .object(members)
        return node
    }

    func appended() -> Node {
        var items: [Node] = []
        if case .array(let existing) = content { items = existing }
        let node = Node()
        items.append(node)
        content = .array(items)
        return node
    }

    var count: Int {
        if case .array(let items) = content { return items.count }
        return 0
    }
}

/// A whole number a payload can hold, or a refusal naming where.
private func whole<N: BinaryInteger>(_ number: N, at path: [any CodingKey]) throws -> CanonicalValue {
    guard let value = Int(exactly: number) else {
        throw EncodingError.invalidValue(number, .init(codingPath: path, debugDescription: "not an Int"))
    }
    return .int(value)
}

private func refuse(_ value: Any, at path: [any CodingKey]) -> EncodingError {
    EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "a payload holds no fractional number"))
}

private struct TreeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.content {} else { node.content = .object([:]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.content {} else { node.content = .array([]) }
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(node: node, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    func put(_ value: CanonicalValue, _ key: Key) { node.member(key.stringValue).content = .value(value) }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { throw refuse(value, at: codingPath + [key]) }
    mutating func encode(_ value: Float, forKey key: Key) throws { throw refuse(value, at: codingPath + [key]) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(try whole(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(try whole(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(try whole(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(try whole(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(try whole(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(try whole(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(try whole(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(try whole(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(try whole(value, at: codingPath + [key]), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try value.encode(to: TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(node: node.member("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }
}

/// An index in an array, as a coding path names it.
private struct Index: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    func put(_ value: CanonicalValue) { node.appended().content = .value(value) }
    var here: [any CodingKey] { codingPath + [Index(count)] }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { throw refuse(value, at: here) }
    mutating func encode(_ value: Float) throws { throw refuse(value, at: here) }
    mutating func encode(_ value: Int) throws { put(.int(value)) }
    mutating func encode(_ value: Int8) throws { put(try whole(value, at: here)) }
    mutating func encode(_ value: Int16) throws { put(try whole(value, at: here)) }
    mutating func encode(_ value: Int32) throws { put(try whole(value, at: here)) }
    mutating func encode(_ value: Int64) throws { put(try whole(value, at: here)) }
    mutating func encode(_ value: UInt) throws { put(try whole(value, at: here)) }
    mutating func encode(_ value: UInt8) throws { put(try whole(value, at: here)) }
    mutating func encode(_ value: UInt16) throws { put(try whole(value, at: here)) }
    mutating func encode(_ value: UInt32) throws { put(try whole(value, at: here)) }
    mutating func encode(_ value: UInt64) throws { put(try whole(value, at: here)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = here
        try value.encode(to: TreeEncoder(node: node.appended(), codingPath: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = here
        return TreeEncoder(node: node.appended(), codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = here
        return TreeEncoder(node: node.appended(), codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let path = here
        return TreeEncoder(node: node.appended(), codingPath: path)
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    func put(_ value: CanonicalValue) { node.content = .value(value) }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { throw refuse(value, at: codingPath) }
    mutating func encode(_ value: Float) throws { throw refuse(value, at: codingPath) }
    mutating func encode(_ value: Int) throws { put(.int(value)) }
    mutating func encode(_ value: Int8) throws { put(try whole(value, at: codingPath)) }
    mutating func encode(_ value: Int16) throws { put(try whole(value, at: codingPath)) }
    mutating func encode(_ value: Int32) throws { put(try whole(value, at: codingPath)) }
    mutating func encode(_ value: Int64) throws { put(try whole(value, at: codingPath)) }
    mutating func encode(_ value: UInt) throws { put(try whole(value, at: codingPath)) }
    mutating func encode(_ value: UInt8) throws { put(try whole(value, at: codingPath)) }
    mutating func encode(_ value: UInt16) throws { put(try whole(value, at: codingPath)) }
    mutating func encode(_ value: UInt32) throws { put(try whole(value, at: codingPath)) }
    mutating func encode(_ value: UInt64) throws { put(try whole(value, at: codingPath)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: TreeEncoder(node: node, codingPath: codingPath)) }
}
