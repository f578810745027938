import HeraldCore
import HeraldTemplate

// libFuzzer target: CSV bytes in (as `for_each` reads them), rows or a failure out; the rows
// then go through the JSON writer, as they do when a template prints one.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if case .success(let rows) = CSVRows.parse(text) {
        var out: [UInt8] = []
        JSONWriter.append(.list(rows), to: &out)
    }
    return 0
}
