import FuzzDriver
import Foundation
import HeraldCore
import HeraldTemplate

// libFuzzer target: CSV bytes in (as `for_each` reads them), rows or a failure out; the rows
// then go through the JSON writer, as they do when a template prints one. Differential too:
// the text cut into pieces (as large CSVs are) must parse exactly as the whole.

func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let whole = CSVRows.parse(text, pieces: 1, minimumBytes: 0)
    if CSVRows.parse(text, pieces: 3, minimumBytes: 0) != whole {
        fatalError("pieces parse differently from the whole text")  // a finding, not user input
    }
    if case .success(let rows) = whole {
        var out: [UInt8] = []
        JSONWriter.append(.list(rows), to: &out)
    }
    return 0
}

var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, { data, size in fuzzCSV(data, size) }))
