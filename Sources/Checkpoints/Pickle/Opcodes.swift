/// The pickle opcodes the reader understands (protocols 0–4 subset used by `torch.save`).
/// Values are the opcode bytes of CPython's `pickletools`.
enum PickleOpcode: UInt8 {
    // Framing and control
    case proto = 0x80  // PROTO n (1 byte)
    case frame = 0x95  // FRAME (8-byte length; protocol 4) — skipped
    case stop = 0x2E  // '.'
    case mark = 0x28  // '('
    case pop = 0x30  // '0'
    case popMark = 0x31  // '1'
    case dup = 0x32  // '2'
    // Constants
    case none = 0x4E  // 'N'
    case newTrue = 0x88
    case newFalse = 0x89
    // Integers and floats
    case binInt = 0x4A  // 'J' 4-byte signed
    case binInt1 = 0x4B  // 'K' 1-byte unsigned
    case binInt2 = 0x4D  // 'M' 2-byte unsigned
    case long1 = 0x8A  // 1-byte length, little-endian two's complement
    case long4 = 0x8B  // 4-byte length
    case binFloat = 0x47  // 'G' 8-byte big-endian double
    // Strings and bytes
    case binUnicode = 0x58  // 'X' 4-byte length, UTF-8
    case shortBinUnicode = 0x8C  // 1-byte length
    case binUnicode8 = 0x8D  // 8-byte length
    case binString = 0x54  // 'T' 4-byte length (Python 2 str)
    case shortBinString = 0x55  // 'U' 1-byte length
    case binBytes = 0x42  // 'B' 4-byte length
    case shortBinBytes = 0x43  // 'C' 1-byte length
    // Containers
    case emptyTuple = 0x29  // ')'
    case tuple = 0x74  // 't'
    case tuple1 = 0x85
    case tuple2 = 0x86
    case tuple3 = 0x87
    case emptyList = 0x5D  // ']'
    case list = 0x6C  // 'l'
    case append = 0x61  // 'a'
    case appends = 0x65  // 'e'
    case emptyDict = 0x7D  // '}'
    case dict = 0x64  // 'd'
    case setItem = 0x73  // 's'
    case setItems = 0x75  // 'u'
    // Memo
    case binPut = 0x71  // 'q' 1-byte index
    case longBinPut = 0x72  // 'r' 4-byte index
    case memoize = 0x94  // protocol 4: next free index
    case binGet = 0x68  // 'h'
    case longBinGet = 0x6A  // 'j'
    // Objects (never executed: mapped to tags)
    case global = 0x63  // 'c' "module\nname\n"
    case stackGlobal = 0x93  // protocol 4
    case reduce = 0x52  // 'R'
    case build = 0x62  // 'b'
    case newObj = 0x81
    case binPersId = 0x51  // 'Q'
}
