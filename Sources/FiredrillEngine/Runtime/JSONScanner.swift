/// What a `JSONScanner` hands its visitor: numbers and strings with the keys that lead to them
/// (array elements add no key), and the end of each object. Subtrees it does not want are
/// skipped unread.
protocol JSONVisitor {
    /// A number; nil when it is not a non-negative integer that fits 64 bits.
    mutating func number(_ value: UInt64?, path: [String])
    mutating func string(_ value: String, path: [String])
    mutating func endObject(path: [String])
    func wants(_ path: [String]) -> Bool
}

/// A small strict JSON reader over bytes, for the stats stream: it checks the syntax (a frame
/// cut in the middle or garbage is an error) but builds nothing, so a frame costs a few
/// microseconds instead of a decoder's object tree.
struct JSONScanner {
    struct Malformed: Error {}

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    private var path: [String] = []

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Skips white space; returns whether anything is left.
    @discardableResult
    mutating func skipSpace() -> Bool {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
        return index < bytes.count
    }

    /// Nothing but white space left.
    var atEnd: Bool {
        mutating get { !skipSpace() }
    }

    /// Reads one value, telling the visitor about it.
    mutating func value<V: JSONVisitor>(_ visitor: inout V) throws {
        try value(&visitor, visit: true)
    }

    private mutating func value<V: JSONVisitor>(_ visitor: inout V, visit: Bool) throws {
        guard skipSpace() else { throw Malformed() }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            if skipSpace(), bytes[index] == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    guard skipSpace(), bytes[index] == UInt8(ascii: "\"") else { throw Malformed() }
                    let key = try string(keep: visit)
                    guard skipSpace(), bytes[index] == UInt8(ascii: ":") else { throw Malformed() }
                    index += 1
                    if visit {
                        path.append(key)
                        try value(&visitor, visit: visitor.wants(path))
                        path.removeLast()
                    } else {
                        try value(&visitor, visit: false)
                    }
                    guard skipSpace() else { throw Malformed() }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "}") else { throw Malformed() }
                    index += 1
                    break
                }
            }
            if visit { visitor.endObject(path: path) }
        case UInt8(ascii: "["):
            index += 1
            if skipSpace(), bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                try value(&visitor, visit: visit)
                guard skipSpace() else { throw Malformed() }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == UInt8(ascii: "]") else { throw Malformed() }
                index += 1
                return
            }
        case UInt8(ascii: "\""):
            let text = try string(keep: visit)
            if visit { visitor.string(text, path: path) }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try self.number()
            if visit { visitor.number(number, path: path) }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: throw Malformed()
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Malformed() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Malformed() }
        index += count
    }

    /// A number: the integer when it is a plain non-negative one that fits, else nil (still
    /// checked for syntax).
    private mutating func number() throws -> UInt64? {
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var value: UInt64? = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
            if let current = value {
                let (times, overflow1) = current.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(UInt64(bytes[index] - 48))
                value = overflow1 || overflow2 ? nil : sum
            }
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw Malformed() }
        var integer = !negative
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integer = false
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            guard index > start else { throw Malformed() }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integer = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            guard index > start else { throw Malformed() }
        }
        return integer ? value : nil
    }

    /// A string from its opening quote; decoded only when kept (escapes included).
    private mutating func string(keep: Bool) throws -> String {
        index += 1
        let start = index
        var escaped = false
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") {
                escaped = true
                index += 1
            }
            index += 1
        }
        guard index < bytes.count else { throw Malformed() }
        let end = index
        index += 1
        guard keep else { return "" }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        return Self.unescape(raw)
    }

    /// The few escapes Docker writes in names and messages; \u escapes of one code unit.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\"), i + 1 < raw.count else {
                out.append(byte)
                i += 1
                continue
            }
            let next = raw[i + 1]
            i += 2
            switch next {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard i + 4 <= raw.count, let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: raw[i..<(i + 4)]), as: UTF8.self), radix: 16) else { break }
                i += 4
                out.append(contentsOf: Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
            default: out.append(next)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
